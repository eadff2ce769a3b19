// The live dashboard: every few seconds, ask for the page again and swap in its figures (the
// server draws the chart and tables). A button stops and restarts the updates (WCAG 2.2.2).

import { keepFocus } from "../focus.js";

const region = document.getElementById("dashboard-live");
const toggle = document.querySelector("[data-dashboard-pause]");
const updated = document.querySelector("[data-dashboard-updated]");
const time = document.querySelector("[data-dashboard-time]");
const every = Number(region.dataset.refresh) * 1000;
const labels = { stop: toggle.textContent, start: toggle.dataset.start };
let running = true;
let pending = null;

function stamp() {
  time.textContent = new Date().toLocaleTimeString(document.documentElement.lang);
}

function schedule() {
  clearTimeout(pending);
  pending = running ? setTimeout(refresh, every) : null;
}

async function refresh() {
  try {
    const response = await fetch(location.href, { headers: { Accept: "text/html" } });
    const fresh = response.ok
      ? new DOMParser().parseFromString(await response.text(), "text/html").getElementById(region.id)
      : null;
    if (fresh) {
      const open = [...region.querySelectorAll("details")].map((details) => details.open);
      keepFocus(region, () => region.replaceChildren(...fresh.childNodes), toggle);
      region.querySelectorAll("details").forEach((details, i) => { details.open = open[i] ?? details.open; });
      stamp();
    }
  } catch {
    // offline for a moment: the next round tries again
  } finally {
    schedule();
  }
}

toggle.addEventListener("click", () => {
  running = !running;
  toggle.textContent = running ? labels.stop : labels.start;
  schedule();
});
toggle.hidden = false;
updated.hidden = false;
stamp();
schedule();
