// The programme editor's drag and drop. Dropping a talk on a free cell asks the server for the
// same impact preview the keyboard form shows (POST …/preview) and opens it in a dialog; its
// "save" button is an ordinary form. Without JavaScript, or with the keyboard, each talk's title
// leads to that form.

const dialog = document.getElementById("move-dialog");
const body = dialog.querySelector("[data-dialog-body]");
const status = document.getElementById("move-status");
const texts = document.getElementById("move-texts").dataset;
const csrf = document.querySelector('meta[name="csrf-token"]').content;
let dragged = null;

// Keyboard focus in the grid brings its whole region into the window (it is at most a window
// high), so the stage names at its top are on screen above the talk in focus. (A press of the
// mouse, which may start a drag, scrolls nothing.)
for (const region of document.querySelectorAll(".programme-grid-region")) {
  region.addEventListener("focusin", (event) => {
    if (event.target.matches(":focus-visible")) region.scrollIntoView({ block: "nearest" });
  });
}

function moveForm(card, cell) {
  const form = new FormData();
  form.set("csrf_token", csrf);
  form.set("starts_at", cell.dataset.start);
  form.set("duration", card.dataset.duration);
  form.set("stage_id", cell.dataset.stage);
  form.set("state", card.dataset.state);
  form.set("revision", card.dataset.revision);
  form.set("seen", card.dataset.seen);
  return form;
}

async function preview(card, cell) {
  status.textContent = texts.loading;
  let impact = null;
  try {
    const response = await fetch(card.dataset.preview, { method: "POST", body: moveForm(card, cell),
                                                          headers: { Accept: "text/html" } });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    impact = page.getElementById("impact");
  } catch {
    impact = null;
  }
  if (!impact) {
    status.textContent = texts.failed;
    return;
  }
  status.textContent = "";
  body.replaceChildren(impact);
  dialog.setAttribute("aria-labelledby", "impact-heading");
  dialog.showModal();
  document.getElementById("impact-heading").focus();
}

document.addEventListener("dragstart", (event) => {
  dragged = event.target.closest?.("[data-talk]") || null;
  if (!dragged) return;
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", dragged.dataset.talk);
  dragged.classList.add("talk-card--dragging");
});

document.addEventListener("dragend", () => {
  dragged?.classList.remove("talk-card--dragging");
  document.querySelectorAll(".free-cell--over").forEach((cell) => cell.classList.remove("free-cell--over"));
});

document.addEventListener("dragover", (event) => {
  const cell = event.target.closest?.(".free-cell");
  if (!cell || !dragged) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "move";
});

document.addEventListener("dragenter", (event) => {
  event.target.closest?.(".free-cell")?.classList.add("free-cell--over");
});

document.addEventListener("dragleave", (event) => {
  event.target.closest?.(".free-cell")?.classList.remove("free-cell--over");
});

document.addEventListener("drop", (event) => {
  const cell = event.target.closest?.(".free-cell");
  if (!cell || !dragged) return;
  event.preventDefault();
  cell.classList.remove("free-cell--over");
  preview(dragged, cell);
});

dialog.addEventListener("click", (event) => {
  if (!event.target.closest("[data-close-dialog]")) return;
  event.preventDefault();
  dialog.close();
});

dialog.addEventListener("close", () => body.replaceChildren());
