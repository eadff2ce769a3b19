// Overlaps in the personal schedule (as messe/programme/domain/overlaps.py): starred talks at the
// same time, between which the attendee has to choose. A cancelled talk overlaps nothing.

import { byStart } from "./time.js";

const running = (talk) => talk && talk.state !== "cancelled";

function overlap(a, b) {
  return a.id !== b.id && running(a) && running(b)
    && Date.parse(a.starts_at) < Date.parse(b.ends_at) && Date.parse(b.starts_at) < Date.parse(a.ends_at);
}

/** The talks among ``others`` that ``talk`` overlaps, by start time. */
export function overlapsWith(talk, others) {
  return others.filter((other) => overlap(talk, other)).sort(byStart);
}
