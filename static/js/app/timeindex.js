// "Gå til nu" in the programme's time index (messe/templates/programme/_by_time.html): on a day of
// the fair it links to the slot going on now (the last one started; before the day's first talk,
// that one); on other days there is no "now" in the programme, so it is hidden and the index's own
// links remain. Kept current every minute and whenever the list is shown again.

import { dayKey } from "./time.js";

const EVERY_MS = 60 * 1000;

/** The slot (a section of the list) that "now" is, or null when no slot is today. */
function currentSlot(now) {
  const today = dayKey(now);
  const slots = [...document.querySelectorAll("#live-body section[data-starts]:not([hidden])")]
    .filter((slot) => dayKey(slot.dataset.starts) === today);
  const started = slots.filter((slot) => Date.parse(slot.dataset.starts) <= now.getTime());
  return started.at(-1) || slots[0] || null;
}

function update() {
  const link = document.getElementById("go-to-now");
  if (!link) return;
  const slot = currentSlot(new Date());
  link.parentElement.hidden = !slot;
  if (slot) link.href = `#${slot.querySelector("h2").id}`;
}

export function start() {
  update();
  setInterval(update, EVERY_MS);
  document.addEventListener("app:items", update);
  document.addEventListener("app:filtered", update);
}
