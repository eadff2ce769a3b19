// The stands an attendee saves in "Mit program", to visit: a set the phone keeps and a signed-in
// attendee's account holds too (/api/me/stands), kept in agreement exactly as the stars are
// (synced.js). Shown on every page that has stands: the save buttons (expo/_stand_bookmark.html),
// the stands on the floor plan, the note on an exhibitor's page, and the list in "Mit program".

import { keepFocus } from "../focus.js";
import { syncedSet } from "./synced.js";

export const { has, ids, onChange, set, sync } = syncedSet("stands", "api/me/stands", "exhibitor_ids");

const directory = JSON.parse(document.getElementById("stand-directory")?.textContent || "[]");

function showButtons() {
  for (const button of document.querySelectorAll("button[data-stand-bookmark]")) {
    const saved = String(has(button.dataset.standBookmark));
    button.dataset.saved = saved;
    for (const label of button.querySelectorAll("[data-saved-when]")) label.hidden = label.dataset.savedWhen !== saved;
    button.hidden = false;
  }
  for (const page of document.querySelectorAll("[data-exhibitor]:has([data-saved-note])")) {
    page.querySelector("[data-saved-note]").hidden = !has(page.dataset.exhibitor);
  }
}

function showOnMap() {
  for (const link of document.querySelectorAll(".floorplan__link")) {
    const saved = has(link.dataset.exhibitor);
    if (!link.dataset.label) link.dataset.label = link.getAttribute("aria-label");
    link.classList.toggle("is-saved", saved);
    link.setAttribute("aria-label", saved ? link.dataset.labelSaved : link.dataset.label);
  }
}

/** "Mit program": the saved stands in stand order, from the page's directory of every stand (so
 * the list works offline and before signing in); the server's rendering is what shows without it. */
function showMine() {
  const list = document.getElementById("my-stands");
  const template = document.getElementById("my-stand-template");
  if (!list || !template) return;
  const mine = directory.filter((stand) => has(stand.id));
  const key = mine.map((stand) => stand.id).join(",");
  if (list.dataset.shown === key) return;
  list.dataset.shown = key;
  const at = [...list.children].findIndex((item) => item.contains(document.activeElement));
  // Focus in the list stays on the same stand, or goes to the one that took its place.
  keepFocus(list, () => list.replaceChildren(...mine.map((stand) => {
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.exhibitor = stand.id;
    for (const link of item.querySelectorAll("a[data-href]")) {
      link.href = link.dataset.href.replace("{id}", stand.id).replaceAll("{stand}", stand.stand);
    }
    for (const slot of item.querySelectorAll("[data-slot]")) {
      slot.textContent = slot.dataset.slot === "name" ? stand.name : slot.textContent
        .replace("{stand}", stand.stand).replace("{hall}", stand.hall);
    }
    item.querySelector("button[data-stand-bookmark]").dataset.standBookmark = stand.id;
    return item;
  })), () => list.children[Math.min(at, list.children.length - 1)]?.querySelector("a")
    || document.getElementById("my-stands-title"));
  document.getElementById("my-stands-empty").hidden = mine.length > 0;
  showButtons();
}

export function show() {
  showButtons();
  showOnMap();
  showMine();
}

onChange(show);

export function start() {
  show();
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-stand-bookmark]");
    if (button) set(button.dataset.standBookmark, !has(button.dataset.standBookmark));
  });
  addEventListener("online", sync);
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && sync());
  sync();
}
