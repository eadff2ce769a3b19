// Times as the pages write them: in the event's time zone, whatever the phone's own.

import { config } from "./config.js";

const clockFormat = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: config.timezone,
});
const dayFormat = new Intl.DateTimeFormat(config.lang, { dateStyle: "full", timeZone: config.timezone });

/** "14:30" */
export function clock(iso) {
  const parts = Object.fromEntries(clockFormat.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute}`;
}

/** "fredag den 27. november 2026" */
export function day(iso) {
  return dayFormat.format(new Date(iso));
}

export function byStart(a, b) {
  return Date.parse(a.starts_at) - Date.parse(b.starts_at) || a.id - b.id;
}

const dayKeyFormat = new Intl.DateTimeFormat("en-CA", {
  year: "numeric", month: "2-digit", day: "2-digit", timeZone: config.timezone,
});

/** "2026-11-27": the day of ``when`` (a Date or an ISO time) in the event's time zone. */
export function dayKey(when) {
  return dayKeyFormat.format(new Date(when));
}
