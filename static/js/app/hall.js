// The halls' floor plan (expo/map.html): zoom in and out with the buttons or the + and − keys (the
// map scrolls inside its frame, and a one-cell stand stays at least 44 px even at the smallest
// zoom), the zoom kept on the phone; a chosen stand (?stand=A5, "Vis på kortet") brought into view.
// The saved stands are marked by stands.js.

import { load, save } from "./storage.js";

const tools = document.getElementById("hall-zoom");
const zooms = (tools?.dataset.zooms || "1").split(",").map(Number);
const level = document.getElementById("hall-zoom-level");
let at = Math.max(0, zooms.indexOf(Number(load("zoom", 1))));
if (zooms[at] !== Number(load("zoom", 1))) at = Math.max(0, zooms.indexOf(1));

function apply() {
  const zoom = zooms[at];
  for (const svg of document.querySelectorAll(".floorplan__svg")) {
    svg.setAttribute("width", Math.round(Number(svg.dataset.width) * zoom));
    svg.setAttribute("height", Math.round(Number(svg.dataset.height) * zoom));
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
