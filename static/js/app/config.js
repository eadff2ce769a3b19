// What the page tells its scripts (messe/templates/programme/_live.html): the event, language and
// time zone, the change-log position the page shows, who is signed in, and the texts in the
// reader's language.

import { counted, fillIn, fillInMarked } from "../language.js";

const root = document.getElementById("live");
const texts = JSON.parse(document.getElementById("app-texts")?.textContent || "{}");

export const config = {
  event: root.dataset.event,
  base: `/${root.dataset.event}/`,
  socket: `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${root.dataset.socket}`,
  seq: Number(root.dataset.seq) || 0,
  timezone: root.dataset.timezone || undefined,
  lang: root.dataset.lang || document.documentElement.lang,
  attendee: root.dataset.attendee || "",
  csrf: document.querySelector('meta[name="csrf-token"]')?.content || "",
};

/** One of the scripts' texts (pages.APP_TEXTS) with its {placeholders} filled in. */
export function text(name, values = {}) {
  return fillIn(texts[name] || "", values);
}

/** One of the scripts' counted texts (pages.APP_TEXTS, both forms) in the form ``count`` takes. */
export function countedText(name, count, values = {}) {
  return counted(texts[name] || { other: "" }, count, values);
}

/** The same as nodes, its titles and names marked with their languages (language.js). */
export function markedText(name, values = {}, languages = {}) {
  return fillInMarked(texts[name] || "", values, languages);
}

/** A page text given by the live hook's data-t-<name> attributes. */
export function hookText(name) {
  return root.getAttribute(`data-t-${name}`);
}
