// "Mit program": the starred talks by time, each flagged when it overlaps another, and the link
// to a calendar file of them. Shown from the phone's stars and programme, so it works offline and
// includes the stars made before signing in; the server's rendering is what shows without it.

import { config, markedText } from "./config.js";
import { keepFocus } from "../focus.js";
import { titleList } from "../language.js";
import { overlapsWith } from "./overlaps.js";
import * as stars from "./stars.js";
import * as talks from "./talks.js";
import { announceNewItems, newItem } from "./talkitem.js";
import { byStart } from "./time.js";

const list = document.getElementById("my-schedule");
let shown = "";

function render() {
  const mine = stars.ids().map(talks.get).filter(Boolean).sort(byStart);
  if (mine.length < stars.ids().length && !talks.known()) return;  // the programme is not here yet
  const key = JSON.stringify(mine.map((talk) => [talk.id, talk.sequence]));
  if (key === shown) return;
  shown = key;
  const at = [...list.children].findIndex((item) => item.contains(document.activeElement));
  // Focus in the list stays on the same talk, or goes to the one that took its place.
  keepFocus(list, () => list.replaceChildren(...mine.map((talk) => {
    const item = newItem(talk);
    const others = overlapsWith(talk, mine);
    item.querySelector("[data-part=overlap]").hidden = !others.length;
    item.querySelector("[data-slot=overlap]").replaceChildren(
      others.length ? markedText("overlapsWith", { others: titleList(others) }) : "");
    return item;
  })), () => list.children[Math.min(at, list.children.length - 1)]?.querySelector("[data-star]")
    || document.getElementById("my-schedule-title"));
  document.getElementById("my-schedule-empty").hidden = mine.length > 0;
  const file = document.getElementById("calendar-file");
  if (file) {
    file.href = `${config.base}me/schedule.ics?talks=${mine.map((talk) => talk.id).join(",")}`;
    file.hidden = !mine.length;
  }
  announceNewItems();
}

export function start() {
  if (!list) return;
  stars.onChange(render);
  talks.onChange(render);
  render();
}
