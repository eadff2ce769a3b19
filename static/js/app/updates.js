// Applying the change log to the page. Each change updates the phone's programme and, at once,
// every place the talk is shown; the attendee is alerted about their own talks (and offered the
// choice when a move makes two of them overlap) and told quietly about the rest. Changes to one
// talk while its alert is still open (replayed after a while away, or made one after the other)
// make one alert, from the talk as it was before the first to the talk as it is now. A list whose
// order a change upsets (``data-refresh="moves"``; "all" for the list of changes itself) is then
// fetched again, a little later and at a random moment so that 2,000 phones do not ask at once.
//
// Two positions in the log: the page's (``cursor``: what it has applied; it starts at what it was
// rendered with) and the attendee's (``seen``, in storage: the last change they were told about).
// The socket replays from the lower one, so a phone that was off or offline still alerts about
// what happened meanwhile, and a reloaded page does not alert twice.

import { config, hookText, markedText } from "./config.js";
import { alert, banner, notice, showing } from "./alerts.js";
import { overlapsWith } from "./overlaps.js";
import * as stars from "./stars.js";
import * as talks from "./talks.js";
import { announceNewItems, fill, placesOf } from "./talkitem.js";
import { clock } from "./time.js";
import { load, save } from "./storage.js";
import { keepFocus } from "../focus.js";
import { DATA_LANGUAGE, fillInMarked, titleList } from "../language.js";

let seen = load("seen", null) ?? config.seq;
let cursor = Math.min(seen, config.seq);
let refreshing = null;
save("seen", seen);
const firstBefore = new Map(); // talk id -> the talk before the first change its open alert tells

export function since() {
  return cursor;
}

function values(prefix, talk) {
  if (!talk) return {};
  return {
    [`${prefix}title`]: talk.title, [`${prefix}stage`]: talk.stage ? talk.stage.name : "",
    [`${prefix}start`]: clock(talk.starts_at), [`${prefix}end`]: clock(talk.ends_at),
  };
}

/** The languages of the values' titles and names, to mark them in the sentence (WCAG 3.1.2). */
function languages(talk, before) {
  return { title: talk.language, old_title: (before || talk).language, stage: DATA_LANGUAGE, old_stage: DATA_LANGUAGE };
}

/** The "what changed" line of a change (messe/programme/domain/summary.py's templates). */
function summary(kind, talk, before) {
  const renamed = kind === "updated" && before && before.title !== talk.title;
  return fillInMarked(hookText(renamed ? "renamed" : kind) || hookText("updated") || "",
    { ...values("", talk), ...values("old_", before) }, languages(talk, before));
}

const sameTime = (a, b) => Date.parse(a.starts_at) === Date.parse(b.starts_at)
  && Date.parse(a.ends_at) === Date.parse(b.ends_at);
const stageId = (talk) => talk.stage?.id ?? null;

/** The kind of change from ``before`` to ``talk`` (messe/programme/domain/changelog.py's classify). */
function kindOf(before, talk, fallback) {
  if (!before) return fallback;
  const cancelled = talk.state === "cancelled";
  const wasCancelled = before.state === "cancelled";
  if (cancelled !== wasCancelled) return cancelled ? "cancelled" : "added";
  if (cancelled) return fallback;
  const retimed = !sameTime(before, talk);
  const restaged = stageId(before) !== stageId(talk);
  if (retimed && restaged) return "moved";
  if (retimed) return "retimed";
  return restaged ? "restaged" : "updated";
}

/** Which words tell a move of a starred talk, with where and when it was before. */
function moveText(talk, before) {
  if (!before) return talk.stage ? "moved" : "movedNoStage";
  if (sameTime(before, talk)) return talk.stage && before.stage ? "restagedFrom" : "moved";
  if (stageId(before) !== stageId(talk) && talk.stage && before.stage) return "movedFromStage";
  return talk.stage ? "movedFrom" : "movedFromNoStage";
}

function starredMessage(kind, talk, before) {
  const now = { ...values("", talk), ...values("old_", before) };
  const marks = languages(talk, before);
  if (kind === "cancelled") return markedText("cancelled", now, marks);
  if (kind === "added") return markedText("added", now, marks);
  if (kind === "updated") return before && before.title !== talk.title
    ? markedText("renamed", now, marks) : markedText("updated", now, marks);
  return markedText(moveText(talk, before), now, marks);
}

const pair = (a, b) => [Number(a), Number(b)].sort((x, y) => x - y).join("-");
const keptPairs = () => new Set(load("keptPairs", []));

/** "Behold begge/alle": these talks may overlap; following another talk later leaves them be. */
function keep(clash) {
  const kept = keptPairs();
  for (const a of clash) for (const b of clash) if (a.id < b.id) kept.add(pair(a.id, b.id));
  save("keptPairs", [...kept]);
}

/** "Følg X": unstar the other talks of the clash, except those the attendee chose to keep with X. */
function follow(chosen, clash) {
  const kept = keptPairs();
  for (const other of clash) {
    if (other.id !== chosen.id && !kept.has(pair(chosen.id, other.id))) stars.set(other.id, false);
  }
}

function tellStarred(kind, talk, before) {
  const message = starredMessage(kind, talk, before);
  const mine = stars.ids().filter((id) => id !== talk.id).map(talks.get).filter(Boolean);
  const had = before ? overlapsWith(before, mine).map((t) => t.id) : [];
  const fresh = overlapsWith(talk, mine).filter((other) => !had.includes(other.id));
  if (!fresh.length) {
    alert(message, talk.id);
    return;
  }
  message.append(". ", markedText("overlap", { others: titleList(fresh) }));
  const clash = [talk, ...fresh];
  alert(message, talk.id, clash, { follow: (chosen) => follow(chosen, clash), keep });
}

/** Show every place of the page that shows a talk as the phone's programme has it now. */
export function showCurrent() {
  for (const place of document.querySelectorAll("[data-talk]")) {
    const talk = talks.get(place.dataset.talk);
    if (talk && talk.sequence > Number(place.dataset.sequence)) fill(place, talk);
  }
}

const MOVES = ["added", "moved", "retimed", "restaged"];
const REFRESH_WITHIN_MS = 8000;

function refreshSoon(frame) {
  const body = document.querySelector("#live-body[data-refresh]");
  if (!body || refreshing || frame.seq <= config.seq) return;  // the page has it already
  if (body.dataset.refresh === "moves" && !MOVES.includes(frame.kind)) return;
  refreshing = setTimeout(async () => {
    refreshing = null;
    try {
      const response = await fetch(location.href, { headers: { Accept: "text/html" } });
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("live-body");
      if (!response.ok || !fresh) return;
      keepFocus(body, () => body.replaceChildren(...fresh.childNodes),
        () => document.querySelector("main h1") || body);
      showCurrent();
      announceNewItems();
    } catch {
      // offline: the next change tries again
    }
  }, 300 + Math.random() * REFRESH_WITHIN_MS);
}

function applyChange(frame, tell) {
  const talk = talks.update(frame.talk);
  placesOf(talk.id).forEach((place) => fill(place, talk));
  if (tell) {
    if (!showing(talk.id)) firstBefore.set(talk.id, frame.before);
    const before = firstBefore.get(talk.id);
    const kind = kindOf(before, talk, frame.kind);
    if (frame.starred || stars.has(talk.id)) tellStarred(kind, talk, before);
    else notice(summary(kind, talk, before), talk.id);
  }
  refreshSoon(frame);
}

/** A frame from the socket (live.js). */
export function apply(frame, askAgain) {
  if (frame.type === "resync") {
    cursor = frame.seq;  // the log does not reach back to where this phone was: start over from here
    seen = frame.seq;
    save("seen", seen);
    if (config.seq < frame.seq) location.reload();
    return;
  }
  if (frame.type !== "change" && frame.type !== "announcement") return;
  if (frame.seq <= cursor) return;  // had it
  if (frame.seq > cursor + 1) {  // missed some: ask for them, in order
    askAgain();
    return;
  }
  cursor = frame.seq;
  const tell = frame.seq > seen;
  if (tell) {
    seen = frame.seq;
    save("seen", seen);
  }
  if (frame.type === "change" && frame.talk) applyChange(frame, tell);
  else if (frame.type === "announcement") {
    if (tell) banner(frame.title, frame.body, frame.level === "urgent" || frame.starred || stars.has(frame.talk?.id));
    refreshSoon(frame);
  }
}
