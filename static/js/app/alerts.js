// What the attendee is told. Quiet notices (role=status) about the programme stay until closed;
// loud alerts (role=alert) about their own talks stay until closed and vibrate where the phone
// allows it; announcements are banners; and when a change makes two starred talks overlap, the
// alert offers the choice between them in one tap.

import { markedText, text } from "./config.js";
import { removeKeepingFocus } from "../focus.js";

const loud = document.getElementById("live-alert");
const quiet = document.getElementById("live-polite");
const KEPT = 5;

// The alert area sticks to the top of the window: the page keeps what takes focus below it.
const area = document.getElementById("live");
if (area && window.ResizeObserver) {
  new ResizeObserver(() => {
    document.documentElement.style.setProperty("--live-height", `${area.getBoundingClientRect().height}px`);
  }).observe(area);
}

/** An element with a class and content: text, or nodes (a sentence whose titles are marked with their language). */
function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content instanceof Node) node.append(content);
  else if (content) node.textContent = content;
  return node;
}

/** Where focus goes when an alert is closed and its region is empty: the first control of
 * another alert, or else the page's heading (or its main part). */
function pageHeading() {
  return area?.querySelector(".alert button, .alert a[href]") || document.querySelector("main h1")
    || document.getElementById("main");
}

function place(region, node) {
  region.prepend(node);
  while (region.children.length > KEPT) removeKeepingFocus(region.lastElementChild, pageHeading);
}

let described = 0;

/** The close button of ``box``, described by the box's message, so that a screen reader tells
 * one "Luk" from the next. */
function closeButton(box) {
  const button = element("button", "link-button alert__close", text("dismiss"));
  button.type = "button";
  const message = box.querySelector(".alert__message, .notice__message, strong");
  if (message) {
    message.id ||= `live-message-${++described}`;
    button.setAttribute("aria-describedby", message.id);
  }
  button.addEventListener("click", () => removeKeepingFocus(box, pageHeading));
  return button;
}

/** A quiet line about a change to someone else's talk. It stays until closed or until the page
 * is left (no time limit, WCAG 2.2.1); the list of changes keeps it too. */
export function notice(message) {
  const box = element("div", "alert alert--info notice");
  box.append(element("p", "notice__message", message));
  box.append(closeButton(box));
  place(quiet, box);
}

/** A banner for an organisers' announcement; loud when urgent or about a starred talk. */
export function banner(title, body, urgent) {
  const box = element("div", `alert banner ${urgent ? "alert--error banner--urgent" : "alert--ok banner--ordinary"}`);
  // Urgent or not shows in a word and a symbol too, not only in the colour (1.4.1).
  box.append(element("span", "banner__kind", text(urgent ? "urgent" : "announcement")));
  box.append(element("strong", "", title));
  if (body) box.append(element("p", "banner__body", body));
  box.append(closeButton(box));
  place(urgent ? loud : quiet, box);
  if (urgent) vibrate();
}

function vibrate() {
  if (navigator.vibrate && navigator.userActivation?.hasBeenActive !== false) navigator.vibrate([200, 100, 200]);
}

/**
 * A loud alert about a starred talk. ``choice``, when given, is a list of talks that now overlap:
 * one button per talk follows it (``follow(talk)``), and one keeps them all.
 */
export function alert(message, choice = null, follow = null) {
  const box = element("div", "alert alert--error starred-alert");
  box.tabIndex = -1;
  box.append(element("p", "alert__message", message));
  if (choice) {
    const buttons = element("div", "alert__choice");
    const settle = (message) => {
      buttons.replaceWith(element("p", "alert__settled", message));
      box.focus();
    };
    for (const talk of choice) {
      const button = element("button", "button", markedText("follow", { title: talk.title }, { title: talk.language }));
      button.type = "button";
      button.addEventListener("click", () => {
        follow(talk);
        settle(markedText("following", { title: talk.title }, { title: talk.language }));
      });
      buttons.append(button);
    }
    const both = element("button", "button button--secondary", text("keepBoth"));
    both.type = "button";
    both.addEventListener("click", () => removeKeepingFocus(box, pageHeading));
    buttons.append(both);
    box.append(buttons);
  }
  box.append(closeButton(box));
  place(loud, box);
  vibrate();
}
