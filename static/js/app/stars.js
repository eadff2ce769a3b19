// The stars of the personal schedule: a set the phone keeps and a signed-in attendee's account
// holds too (/api/me/stars), kept in agreement by synced.js (offline, before signing in, on
// several devices).

import { syncedSet } from "./synced.js";

export const { has, ids, onChange, set, sync } = syncedSet("stars", "api/me/stars", "talk_ids");

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

onChange(show);

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
