// Search and filters on the programme page, applied on the phone as you type; also offline, where
// the saved page is the unfiltered one. Matching as messe/programme/domain/search.py: every word in
// the title, abstract, speakers, their organisations, stage or track. Without the script the server
// does it.

import { countedText } from "./config.js";
import * as talks from "./talks.js";

const form = document.getElementById("programme-search");
const WAIT_MS = 250;
let timer = null;

function searchable(talk) {
  const parts = [talk.title, talk.abstract || "", talk.stage?.name || "", talk.track?.name || ""];
  for (const speaker of talk.speakers) parts.push(speaker.name, speaker.organisation || "");
  return parts.join(" ").toLowerCase();
}

function matches(talk, words, track, stage) {
  if (track && String(talk.track?.id) !== track) return false;
  if (stage && String(talk.stage?.id) !== stage) return false;
  const haystack = searchable(talk);
  return words.every((word) => haystack.includes(word));
}

function apply() {
  const body = document.getElementById("live-body");
  if (!talks.known() || !body) return;
  const words = form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
  const track = form.elements.track.value;
  const stage = form.elements.stage.value;
  const active = words.length > 0 || Boolean(track) || Boolean(stage);
  let count = 0;
  for (const item of body.querySelectorAll("[data-talk]")) {
    const talk = talks.get(item.dataset.talk);
    item.hidden = Boolean(talk) && !matches(talk, words, track, stage);
    count += item.hidden ? 0 : 1;
  }
  for (const section of body.querySelectorAll("section")) {
    section.hidden = active && !section.querySelector("[data-talk]:not([hidden])");
  }
  for (const link of body.querySelectorAll(".time-index a[data-hour]")) {
    link.parentElement.hidden = !body.querySelector(`[data-talk][data-hour="${link.dataset.hour}"]:not([hidden])`);
  }
  document.dispatchEvent(new CustomEvent("app:filtered"));
  const counter = document.getElementById("search-count");
  const message = active ? countedText("shown", count) : "";
  if (counter.textContent !== message) counter.textContent = message;
  document.getElementById("search-reset").hidden = !active;
  const url = new URL(location.href);
  for (const [name, value] of [["q", form.elements.q.value.trim()], ["track", track], ["stage", stage]]) {
    if (value) url.searchParams.set(name, value);
    else url.searchParams.delete(name);
  }
  history.replaceState(history.state, "", url);
}

export function start() {
  if (!form) return;
  const params = new URLSearchParams(location.search);
  form.elements.q.value = params.get("q") || "";
  form.elements.track.value = params.get("track") || "";
  form.elements.stage.value = params.get("stage") || "";
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(apply, WAIT_MS);
  });
  form.addEventListener("submit", (event) => {
    if (!talks.known()) return;  // let the server search
    event.preventDefault();
    apply();
  });
  talks.onChange(apply);
  document.addEventListener("app:items", apply);
  apply();
}
