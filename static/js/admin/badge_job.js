// A badge job's progress: asks the job's JSON every half second and moves the <progress> bar.
// The status line (a live region) speaks only when the PDF is ready or the job failed, so a
// screen reader is not interrupted twice a second.

const POLL_MS = 500;
const box = document.querySelector("[data-badge-job]");

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

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
  box.querySelector("[data-job-count]").textContent = fill(box.dataset.countText, job);
  if (job.state === "running") return setTimeout(poll, POLL_MS);
  box.querySelector("[data-job-reload]")?.remove();
  const done = job.state === "done";
  box.querySelector("[data-job-status]").textContent = fill(done ? box.dataset.doneText : box.dataset.failedText, job);
  box.querySelector("[data-job-download]").hidden = !done;
}

if (box && box.querySelector("[data-job-reload]")) {
  box.querySelector("[data-job-reload]").hidden = true;
  poll();
}
