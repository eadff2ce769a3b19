// What the attendee is told. Quiet notices (role=status) about the programme stay until closed;
// loud alerts (role=alert) about their own talks stay until closed and vibrate where the phone
// allows it; announcements are banners; and when a change makes starred talks overlap, the alert
// offers the choice between them in one tap. One talk has at most one alert or notice: a newer
// change to it replaces the old one (updates.js words it from the first change's "before").
// "Luk alle" closes everything at once.
//
// The area sticks to the top of the window only while it is short; a taller one stays at the top
// of the page and scrolls with it, so it never covers the screen and every button in it is
// reachable by scrolling the page, without a scrollbar of its own.

import { markedText, text } from "./config.js";
import { focus, removeKeepingFocus } from "../focus.js";

const loud = document.getElementById("live-alert");
const quiet = document.getElementById("live-polite");
const closeAll = document.getElementById("live-close-all");
const KEPT = 5;
const STICKY_SHARE = 1 / 3; // of the window's height: taller, and the area no longer sticks

// While it sticks, the page keeps what takes focus below it (--live-height, app.css).
const area = document.getElementById("live");

function fit() {
  const height = area.getBoundingClientRect().height;
  const tall = height > window.innerHeight * STICKY_SHARE;
  area.classList.toggle("live--tall", tall);
  document.documentElement.style.setProperty("--live-height", `${tall ? 0 : height}px`);
}

if (area && window.ResizeObserver) {
  new ResizeObserver(fit).observe(area);
  window.addEventListener("resize", fit);
}

function boxes() {
  return [...loud.children, ...quiet.children];
}

function showCloseAll() {
  if (closeAll) closeAll.hidden = boxes().length < 2;
}

closeAll?.addEventListener("click", () => {
  boxes().forEach((box) => box.remove());
  showCloseAll();
  const heading = pageHeading();
  if (heading) focus(heading);
});

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

/** Whether an alert or notice about the talk ``talk`` is on screen. */
export function showing(talk) {
  return Boolean(area?.querySelector(`.alert[data-about="${talk}"]`));
}

function close(box) {
  removeKeepingFocus(box, pageHeading);
  showCloseAll();
}

/**
 * Show ``node`` first in ``region``. With a ``talk`` id it replaces that talk's alert or notice
 * (wherever it is), taking over focus if the old one had it.
 */
function place(region, node, talk) {
  const old = talk === undefined ? null : area.querySelector(`.alert[data-about="${talk}"]`);
  const hadFocus = old?.contains(document.activeElement);
  if (talk !== undefined) node.dataset.about = talk;
  old?.remove();
  region.prepend(node);
  while (region.children.length > KEPT) removeKeepingFocus(region.lastElementChild, pageHeading);
  if (hadFocus) focus(node);
  showCloseAll();
  // A tall area stays at the top of the page: bring a new alert into view there.
  if (area.classList.contains("live--tall") && area.getBoundingClientRect().top < 0) area.scrollIntoView();
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
  button.addEventListener("click", () => close(box));
  return button;
}

/** A quiet line about a change to someone else's talk (id ``talk``). It stays until closed or
 * until the page is left (no time limit, WCAG 2.2.1); the list of changes keeps it too. */
export function notice(message, talk) {
  const box = element("div", "alert alert--info notice");
  box.append(element("p", "notice__message", message));
  box.append(closeButton(box));
  place(quiet, box, talk);
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
 * A loud alert about the starred talk ``talk``. ``choice``, when given, is a list of talks that now
 * overlap: one button per talk follows it (``follow(talk)``), and one keeps them all
 * (``keep(talks)``: "Behold begge" for two, "Behold alle" for more).
 */
export function alert(message, talk, choice = null, { follow, keep } = {}) {
  const box = element("div", "alert alert--error starred-alert");
  box.tabIndex = -1;
  box.append(element("p", "alert__message", message));
  if (choice) {
    const buttons = element("div", "alert__choice");
    const settle = (message) => {
      buttons.replaceWith(element("p", "alert__settled", message));
      box.focus();
    };
    for (const option of choice) {
      const button = element("button", "button", markedText("follow", { title: option.title }, { title: option.language }));
      button.type = "button";
      button.addEventListener("click", () => {
        follow(option);
        settle(markedText("following", { title: option.title }, { title: option.language }));
      });
      buttons.append(button);
    }
    const all = element("button", "button button--secondary", text(choice.length > 2 ? "keepAll" : "keepBoth"));
    all.type = "button";
    all.addEventListener("click", () => {
      keep(choice);
      close(box);
    });
    buttons.append(all);
    box.append(buttons);
  }
  box.append(closeButton(box));
  place(loud, box, talk);
  vibrate();
}
