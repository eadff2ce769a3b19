// One talk as the pages show it (messe/templates/programme/_talk.html and talk.html): its slots
// (text to fill) and parts (shown only when there is something to show) come from a snapshot,
// so a change shows in place; new items are copies of the page's talk template.

import { config } from "./config.js";
import { clock, day } from "./time.js";
import { DATA_LANGUAGE, markLanguage } from "../language.js";

function speakers(talk) {
  return talk.speakers.map((s) => (s.organisation ? `${s.name} (${s.organisation})` : s.name)).join(", ");
}

function texts(talk) {
  return {
    title: talk.title, stage: talk.stage?.name || "", hall: talk.stage?.hall || "", track: talk.track?.name || "",
    speakers: speakers(talk), abstract: talk.abstract || "",
  };
}

/** Show ``talk`` in ``element`` (a talk item or the talk page). */
export function fill(element, talk) {
  const values = texts(talk);
  const languages = { title: talk.language, abstract: talk.language, stage: DATA_LANGUAGE, track: DATA_LANGUAGE };
  const cancelled = talk.state === "cancelled";
  element.dataset.talk = talk.id;
  element.dataset.sequence = talk.sequence;
  element.classList.toggle("talk--cancelled", cancelled);
  for (const slot of element.querySelectorAll("[data-slot]")) {
    const name = slot.dataset.slot;
    if (name === "start" || name === "end") {
      const iso = name === "start" ? talk.starts_at : talk.ends_at;
      slot.textContent = clock(iso);
      slot.dateTime = iso;
    } else if (name === "day") {
      slot.textContent = day(talk.starts_at);
    } else if (name in values) {
      slot.textContent = values[name];
      if (name in languages) markLanguage(slot, languages[name]);
    }
  }
  for (const part of element.querySelectorAll("[data-part]")) {
    const name = part.dataset.part;
    if (name === "cancelled") part.hidden = !cancelled;
    else if (name in values) part.hidden = !values[name];
  }
  element.querySelectorAll("[data-link]").forEach((link) => { link.href = `${config.base}talks/${talk.id}`; });
  element.querySelectorAll("[data-star]").forEach((star) => { star.dataset.star = talk.id; });
}

/** A new list item for ``talk``; its title a heading of ``level`` (3 unless the list is under h3s). */
export function newItem(talk, level = 3) {
  const item = document.getElementById("talk-template").content.firstElementChild.cloneNode(true);
  const heading = item.querySelector(".talk__title");
  if (heading && heading.tagName !== `H${level}`) {
    const other = document.createElement(`h${level}`);
    other.className = heading.className;
    other.append(...heading.childNodes);
    heading.replaceWith(other);
  }
  fill(item, talk);
  return item;
}

/** Every place on the page that shows the talk. */
export function placesOf(id) {
  return document.querySelectorAll(`[data-talk="${Number(id)}"]`);
}

/** Tell the other scripts that talk items were added or replaced (stars, filters). */
export function announceNewItems() {
  document.dispatchEvent(new CustomEvent("app:items"));
}
