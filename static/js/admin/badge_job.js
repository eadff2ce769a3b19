// A badge job's progress: asks the job's JSON every half second and moves the <progress> bar.
// The status line (a live region) speaks only when the PDF is ready or the job failed, so a
// screen reader is not interrupted twice a second.

import { counted, fillIn } from "../language.js";

const POLL_MS = 500;
const box = document.querySelector("[data-badge-job]");

async function poll() {
  let job;
  try {
    const response = await fetch(box.dataset.badgeJob, { headers: { Accept: "application/json" } });
    if (!response.ok) return setTimeout(poll, POLL_MS * 4);
    job = await response.json();
  } catch {
    return setTimeout(poll, POLL_MS * 4);
  }
  const progress = box.querySelector("progress");
  progress.max = job.total;
  progress.value = job.done;
  progress.textContent = `${job.percent} %`;
  // Both texts are counted by the badges in the job: "0 af 1 badge", "1 af 2 badges" (both forms in the page).
  box.querySelector("[data-job-count]").textContent = counted(JSON.parse(box.dataset.countForms), job.total, job);
  if (job.state === "running") return setTimeout(poll, POLL_MS);
  box.querySelector("[data-job-reload]")?.remove();
  const done = job.state === "done";
  box.querySelector("[data-job-status]").textContent = done ? counted(JSON.parse(box.dataset.doneForms), job.total)
    : fillIn(box.dataset.failedText, job);
  box.querySelector("[data-job-download]").hidden = !done;
}

if (box && box.querySelector("[data-job-reload]")) {
  box.querySelector("[data-job-reload]").hidden = true;
  poll();
}
