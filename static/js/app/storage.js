// The phone's own memory of this event: one JSON value per name in localStorage. Where storage is
// refused (some private modes) or full, values live in memory for the visit.

import { config } from "./config.js";

const memory = new Map();
const key = (name) => `messe:${config.event}:${name}`;

export function load(name, fallback) {
  try {
    const stored = localStorage.getItem(key(name));
    if (stored !== null) return JSON.parse(stored);
  } catch {
    // unreadable or refused: fall back below
  }
  return memory.has(name) ? memory.get(name) : fallback;
}

export function save(name, value) {
  memory.set(name, value);
  try {
    localStorage.setItem(key(name), JSON.stringify(value));
  } catch {
    // refused or full: memory keeps it for this visit
  }
}
