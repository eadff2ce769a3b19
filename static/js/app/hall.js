// The halls' floor plan (expo/map.html): zoom in and out with the buttons or the + and − keys (the
// map scrolls inside its frame, and a one-cell stand stays at least 44 px even at the smallest
// zoom), the zoom kept on the phone; a chosen stand (?stand=A5, "Vis på kortet") brought into view.
// The plan's size is in em (data-width and -height at 100 %), so at every zoom it follows the
// reader's text size. The saved stands are marked by stands.js.

import { load, save } from "./storage.js";

const tools = document.getElementById("hall-zoom");
const zooms = (tools?.dataset.zooms || "1").split(",").map(Number);
const level = document.getElementById("hall-zoom-level");
let at = Math.max(0, zooms.indexOf(Number(load("zoom", 1))));
if (zooms[at] !== Number(load("zoom", 1))) at = Math.max(0, zooms.indexOf(1));

function apply() {
  const zoom = zooms[at];
  for (const svg of document.querySelectorAll(".floorplan__svg")) {
    svg.setAttribute("width", `${Number(svg.dataset.width) * zoom}em`);
    svg.setAttribute("height", `${Number(svg.dataset.height) * zoom}em`);
  }
  level.textContent = `${Math.round(zoom * 100)} %`;
  tools.querySelector('[data-zoom="-1"]').disabled = at === 0;
  tools.querySelector('[data-zoom="1"]').disabled = at === zooms.length - 1;
}

function zoomBy(step) {
  const next = Math.min(zooms.length - 1, Math.max(0, at + step));
  if (next === at) return;
  // Keep what was in the middle of each frame in the middle.
  const frames = [...document.querySelectorAll(".floorplan__frame")].map((frame) => [
    frame, (frame.scrollLeft + frame.clientWidth / 2) / frame.scrollWidth,
    (frame.scrollTop + frame.clientHeight / 2) / frame.scrollHeight]);
  at = next;
  save("zoom", zooms[at]);
  apply();
  for (const [frame, x, y] of frames) {
    frame.scrollLeft = x * frame.scrollWidth - frame.clientWidth / 2;
    frame.scrollTop = y * frame.scrollHeight - frame.clientHeight / 2;
  }
}

function showChosen() {
  const chosen = document.querySelector(".floorplan__link.is-chosen");
  if (!chosen) return;
  chosen.scrollIntoView({ block: "center", inline: "center" });
  if (location.hash === `#${chosen.id}`) chosen.focus({ preventScroll: true });
}

// A name drawn wider than its stand (the reader's font is wider than the plan's estimate of a
// letter) is narrowed to fit, so it never runs into the next stand; in the plan's own units, so it
// fits at every zoom and text size.
function fitNames() {
  for (const name of document.querySelectorAll(".floorplan__name")) {
    const stand = name.previousElementSibling.querySelector(".floorplan__stand");
    const room = stand.width.baseVal.value - 2 * (name.x.baseVal[0].value - stand.x.baseVal.value);
    for (const line of name.querySelectorAll("tspan")) {
      if (line.getComputedTextLength() <= room) continue;
      line.setAttribute("textLength", room);
      line.setAttribute("lengthAdjust", "spacingAndGlyphs");
    }
  }
}

fitNames();
if (tools) {
  tools.hidden = false;
  apply();
  tools.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-zoom]");
    if (button) zoomBy(Number(button.dataset.zoom));
  });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, select")) return;
    if (!event.target.closest(".floorplan, #hall-zoom")) return;
    if (event.key === "+" || event.key === "=") zoomBy(1);
    else if (event.key === "-" || event.key === "−") zoomBy(-1);
    else return;
    event.preventDefault();
  });
  showChosen();
}
