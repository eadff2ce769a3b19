// The programme's time index (messe/templates/programme/_time_index.html), by time and by stage.
// "Gå til nu": on a day of the fair it links to what is going on now (the last slot started;
// before the day's first talk, that one); on other days there is no "now" in the programme, so it
// is hidden and the index's own links remain. By stage, "now" and the hours are those of the stage
// being read (the first one still on screen under the index; if it has no talk that day, the next
// that has): an hour leads to that stage's first talk from that hour on. Kept current every minute,
// whenever the list is shown again, and at the moment a link is followed.

import { dayKey } from "./time.js";

const EVERY_MS = 60 * 1000;

function index() {
  return document.querySelector("#live-body .time-index");
}

function shown(selector) {
  return [...document.querySelectorAll(`#live-body ${selector}:not([hidden])`)];
}

/** Where "now" is among ``places`` (elements, with their start times), or null when none is today. */
function current(places, startOf, now) {
  const today = places.filter((place) => dayKey(startOf(place)) === dayKey(now));
  return today.filter((place) => Date.parse(startOf(place)) <= now.getTime()).at(-1) || today[0] || null;
}

const talkStart = (talk) => talk.querySelector("time[data-slot=start]").dateTime;

/** The stages from the one being read on, then those above it. */
function stagesFromTheOneRead() {
  const stages = shown("section.stage");
  const top = index().getBoundingClientRect().bottom;
  const reading = Math.max(0, stages.findIndex((stage) => stage.getBoundingClientRect().bottom > top));
  return [...stages.slice(reading), ...stages.slice(0, reading)];
}

function nowTarget(now) {
  if (index().dataset.view !== "stage") {
    return current(shown("section[data-starts]"), (slot) => slot.dataset.starts, now)?.querySelector("h2") || null;
  }
  for (const stage of stagesFromTheOneRead()) {
    const talk = current([...stage.querySelectorAll("[data-talk]:not([hidden])")], talkStart, now);
    if (talk) return talk;
  }
  return null;
}

function hourTarget(link) {
  const [stage] = stagesFromTheOneRead();
  const talks = stage ? [...stage.querySelectorAll("[data-talk]:not([hidden])")] : [];
  return talks.find((talk) => Date.parse(talkStart(talk)) >= Date.parse(link.dataset.starts)) || talks.at(-1);
}

function update() {
  const link = document.getElementById("go-to-now");
  if (!link || !index()) return;
  const target = nowTarget(new Date());
  link.parentElement.hidden = !target;
  if (target) link.href = `#${target.id}`;
}

function follow(event) {
  const link = event.target.closest("#live-body .time-index a");
  if (!link) return;
  const target = link.id === "go-to-now" ? nowTarget(new Date())
    : index().dataset.view === "stage" && hourTarget(link);
  if (target) link.href = `#${target.id}`;  // read by the browser as it follows the link, after this
}

export function start() {
  update();
  setInterval(update, EVERY_MS);
  document.addEventListener("app:items", update);
  document.addEventListener("app:filtered", update);
  document.addEventListener("click", follow);
}
