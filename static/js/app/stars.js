// The stars of the personal schedule. The phone keeps them (storage "stars"), so they work offline
// and before signing in. For a signed-in attendee they are also on the server (/api/me/stars):
// each star and unstar waits in an outbox until the server has it, and the server's list, which
// other devices change too, is fetched on every sync. Stars made before signing in are merged
// into the account the first time a page shows the attendee; signing out leaves the account's
// stars on the server and none on the phone.

import { config } from "./config.js";
import { load, save } from "./storage.js";

const API = `${config.base}api/me/stars`;
const listeners = new Set();
let state = adopt(load("stars", { owner: "", ids: [], outbox: [], merge: false }));
let syncing = null;
let again = false;

function adopt(stored) {
  if (stored.owner === config.attendee) return stored;
  if (!config.attendee) return { owner: "", ids: [], outbox: [], merge: false };
  if (!stored.owner) return { owner: config.attendee, ids: stored.ids, outbox: [], merge: stored.ids.length > 0 };
  return { owner: config.attendee, ids: [], outbox: [], merge: false };
}

export function has(id) {
  return state.ids.includes(Number(id));
}

export function ids() {
  return [...state.ids];
}

export function onChange(listener) {
  listeners.add(listener);
}

function changed() {
  save("stars", state);
  show();
  listeners.forEach((listener) => listener());
}

/** Star (``on``) or unstar a talk. */
export function set(id, on) {
  const talk = Number(id);
  state.ids = on ? [...new Set([...state.ids, talk])] : state.ids.filter((t) => t !== talk);
  if (state.owner) state.outbox = [...state.outbox.filter((op) => op.id !== talk), { id: talk, on }];
  changed();
  sync();
}

async function call(method, url, body) {
  const headers = { Accept: "application/json", "X-CSRF-Token": config.csrf };
  if (body) headers["Content-Type"] = "application/json";
  return fetch(url, { method, headers, credentials: "same-origin", body: body && JSON.stringify(body) });
}

async function exchange() {
  if (state.merge) {
    if (!(await call("POST", API, { talk_ids: state.ids })).ok) return;
    state.merge = false;
    save("stars", state);
  }
  while (state.outbox.length) {
    const op = state.outbox[0];
    const response = await call(op.on ? "PUT" : "DELETE", `${API}/${op.id}`);
    if (response.status >= 500) return;  // tried again at the next sync; other refusals will not change
    state.outbox = state.outbox.filter((queued) => queued !== op);
    save("stars", state);
  }
  const response = await call("GET", API);
  if (!response.ok) return;
  const server = new Set((await response.json()).talk_ids);
  for (const op of state.outbox) {
    if (op.on) server.add(op.id);
    else server.delete(op.id);
  }
  state.ids = [...server];
  changed();
}

/** Bring the phone and the server into agreement (signed in only); safe to call at any time. */
export function sync() {
  if (!state.owner) return Promise.resolve();
  if (syncing) {
    again = true;
    return syncing;
  }
  syncing = exchange().catch(() => { /* offline: the outbox waits for the next sync */ }).finally(() => {
    syncing = null;
    if (again) {
      again = false;
      sync();
    }
  });
  return syncing;
}

/** Show the stars: each star button starred or not, named for what a tap does (its texts for both
 * states are in the page, programme/_star.html), each talk item marked. */
export function show() {
  for (const button of document.querySelectorAll("button[data-star]")) {
    const starred = String(has(button.dataset.star));
    button.dataset.starred = starred;
    for (const label of button.querySelectorAll("[data-star-when]")) label.hidden = label.dataset.starWhen !== starred;
    button.hidden = false;
  }
  for (const item of document.querySelectorAll("[data-talk]")) item.classList.toggle("is-starred", has(item.dataset.talk));
}

export function start() {
  show();
  document.addEventListener("app:items", show);
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-star]");
    if (button) set(button.dataset.star, !has(button.dataset.star));
  });
  addEventListener("online", sync);
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && sync());
  sync();
}
