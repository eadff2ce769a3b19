// "Nu" and "Næste" (as messe/programme/domain/now_next.py): the talks on now, and the next talk on
// each stage. Worked out again every half minute from the phone's programme, so they stay right
// on a page that was saved for offline use hours ago.

import * as talks from "./talks.js";
import { announceNewItems, fill, newItem } from "./talkitem.js";
import { byStart } from "./time.js";
import { keepFocus } from "../focus.js";

const EVERY_SECONDS = 30;
let shown = "";

export function nowAndNext(all, at) {
  const running = all.filter((talk) => talk.state !== "cancelled").sort(byStart);
  const now = running.filter((talk) => Date.parse(talk.starts_at) <= at && at < Date.parse(talk.ends_at));
  const next = new Map();
  for (const talk of running) {
    const stage = talk.stage ? talk.stage.id : null;
    if (Date.parse(talk.starts_at) > at && !next.has(stage)) next.set(stage, talk);
  }
  return { now, next: running.filter((talk) => [...next.values()].includes(talk)) };
}

// A talk still shown keeps its item (filled anew), and focus stays on it; if the talk that had
// focus is gone, focus goes to the part's heading.
function show(name, chosen) {
  const list = document.getElementById(`${name}-list`);
  const kept = new Map([...list.children].map((item) => [item.dataset.talk, item]));
  const items = chosen.map((talk) => {
    const item = kept.get(String(talk.id));
    if (!item) return newItem(talk, 4);  // under the h3 "Nu" or "Næste"
    fill(item, talk);
    return item;
  });
  keepFocus(list, () => list.replaceChildren(...items), list.closest(".now-next__part").querySelector("h3"));
  document.getElementById(`${name}-empty`).hidden = chosen.length > 0;
}

function render() {
  if (!talks.known()) return;
  const { now, next } = nowAndNext(talks.all(), Date.now());
  const key = JSON.stringify([now, next].map((list) => list.map((talk) => [talk.id, talk.sequence])));
  if (key === shown) return;
  shown = key;
  show("now", now);
  show("next", next);
  announceNewItems();
}

export function start() {
  if (!document.getElementById("now-list")) return;
  talks.onChange(render);
  setInterval(render, EVERY_SECONDS * 1000);
  render();
}
