// The programme as the phone knows it: every published talk's snapshot (the API's and the change
// log's format) by id. Kept in storage so it is there offline, fetched from the API when online,
// and updated by every change. The API's programme replaces what the phone had, except for the
// talks a change updated while it was being fetched, where the newer snapshot wins.

import { config } from "./config.js";
import { load, save } from "./storage.js";

const talks = new Map(Object.values(load("talks", {})).map((talk) => [talk.id, talk]));
const listeners = new Set();
const updatedMeanwhile = new Set();
const PER_PAGE = 200;

export function get(id) {
  return talks.get(Number(id));
}

export function all() {
  return [...talks.values()];
}

export function known() {
  return talks.size > 0;
}

export function onChange(listener) {
  listeners.add(listener);
}

function changed() {
  save("talks", Object.fromEntries(talks));
  listeners.forEach((listener) => listener());
}

function keep(talk) {
  const had = talks.get(talk.id);
  if (had && had.sequence > talk.sequence) return false;
  talks.set(talk.id, talk);
  return true;
}

/** Take a talk's newer snapshot; returns the snapshot the phone now has. */
export function update(talk) {
  updatedMeanwhile.add(talk.id);
  if (keep(talk)) changed();
  return talks.get(talk.id);
}

/** Fetch the whole published programme (the browser's cache answers 304 when nothing changed). */
export async function refresh() {
  updatedMeanwhile.clear();
  const fetched = [];
  for (let page = 1; ; page += 1) {
    const response = await fetch(`${config.base}api/talks?per_page=${PER_PAGE}&page=${page}`,
      { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    fetched.push(...data.items);
    if (page * data.per_page >= data.total) break;
  }
  const meanwhile = new Map([...updatedMeanwhile].map((id) => [id, talks.get(id)]));
  talks.clear();
  fetched.forEach((talk) => talks.set(talk.id, talk));
  meanwhile.forEach(keep);
  changed();
}
