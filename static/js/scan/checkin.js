// The door: scan a badge, get a big answer at once (from the server when online, from the badge's
// signature when offline), with sound and vibration. Offline check-ins are kept on the phone and
// sent when the network returns; the server then says whether the person was already let in.

import { focusOnLoad } from "../focus.js";
import { readBadge } from "./badge.js";
import { openDesk } from "./desk.js";
import { signal } from "./feedback.js";
import { call, outcome } from "./outbox.js";
import { clock, element, format, newClientId, openScanner, readJson } from "./page.js";

const RECENT = 15;
const COUNTS_MS = 15000;
const config = readJson("scan-config");
const { text } = config;
const records = new Map();
const $ = (id) => document.getElementById(id);
let store, publicKey, outbox;

const KINDS = { ok: "ok", already: "warn", invalid: "error", superseded: "error" };
const SYMBOLS = { ok: "✓", already: "!", invalid: "✗", superseded: "✗" };

/** Show a verdict in the big panel and signal it. @param {"ok"|"already"|"invalid"|"superseded"} verdict */
function show(verdict, title, name = "", detail = "") {
  const panel = $("door-result");
  panel.className = `door-result door-result--${KINDS[verdict]}`;
  $("door-verdict").textContent = `${SYMBOLS[verdict]} ${title}`;
  $("door-name").textContent = name;
  $("door-detail").textContent = detail;
  signal(KINDS[verdict]);
}

function doorName() {
  return $("door-field").value.trim();
}

/** The server's answer for a record, as {verdict, title, detail}. */
function judge(record) {
  const result = record.result;
  if (!result) return { verdict: "ok", title: text.checkedInOffline, detail: "" };
  if (result.status === "checked_in") return { verdict: "ok", title: text.checkedIn, detail: result.organisation };
  if (result.status === "already_checked_in") {
    return { verdict: "already", title: text.already,
      detail: format(text.alreadyDetail, { time: clock(result.checkedInAt, config.timezone), door: result.door }) };
  }
  return { verdict: result.reason === "superseded" ? "superseded" : "invalid",
    title: result.reason === "superseded" ? text.superseded : text.invalid, detail: result.message };
}

async function save(record) {
  records.set(record.key, record);
  await store.put(record);
  renderRecent();
  outbox.show();
}

async function send(record) {
  const answer = await call("POST", config.urls.scan,
    { payload: record.payload, client_id: record.clientId, door: record.door });
  const next = outcome(answer.status);
  if (next !== "done") return next;
  const data = answer.data || {};
  record.pending = false;
  record.result = data.status
    ? { status: data.status, checkedInAt: data.checked_in_at, door: data.door, organisation: data.attendee.organisation }
    : { status: "refused", reason: data.reason, message: data.error || String(answer.status) };
  await save(record);
  if (data.status) updateCounts();
  return "done";
}

async function onCode(payload) {
  const check = await readBadge(payload, publicKey, config.event, config.reprints);
  if (!check.ok) {
    const superseded = check.reason === "superseded";
    show(superseded ? "superseded" : "invalid", superseded ? text.superseded : text.invalid, "",
      format(text.refused[check.reason], check.values));
    return;
  }
  const badge = check.badge;
  // Without network, this device's own earlier scans are all there is to go by.
  const earlier = [...records.values()].find((r) => r.attendeeId === badge.attendeeId
    && (r.pending || r.result?.status !== "refused"));
  const alreadyHere = () => show("already", text.already, badge.name,
    format(text.alreadyHere, { time: clock(earlier.scannedAt, config.timezone) }));
  if (earlier && !navigator.onLine) {
    alreadyHere();
    return;
  }
  const record = {
    key: newClientId(), payload, attendeeId: badge.attendeeId, name: badge.name, organisation: badge.organisation,
    scannedAt: new Date().toISOString(), door: doorName(), pending: true, result: null,
  };
  record.clientId = record.key;
  await save(record);
  const next = await outbox.sendNow(record); // "retry" without network: the outbox sends it later
  if (next === "signed-out") {
    show("invalid", text.signedOut, badge.name);
    return;
  }
  if (next === "retry" && earlier) {
    alreadyHere();
    return;
  }
  const { verdict, title, detail } = judge(record);
  show(verdict, title, badge.name, detail || (record.result ? "" : badge.organisation));
  outbox.flush();
}

function renderRecent() {
  const sorted = [...records.values()].sort((a, b) => b.scannedAt.localeCompare(a.scannedAt)).slice(0, RECENT);
  $("recent").replaceChildren(...sorted.map((record) => {
    const { verdict, title, detail } = record.pending
      ? { verdict: "ok", title: text.waiting, detail: "" } : judge(record);
    const item = element("li", `recent-item recent-item--${KINDS[verdict]}`);
    item.append(element("span", "recent-item__time", clock(record.scannedAt, config.timezone)),
      element("span", "recent-item__name", record.name),
      element("span", "recent-item__status", [`${SYMBOLS[verdict]} ${title}`, detail].filter(Boolean).join(" – ")));
    return item;
  }));
}

async function updateCounts() {
  if (!navigator.onLine) return;
  try {
    const answer = await call("GET", config.urls.counts);
    if (answer.status === 200) {
      $("counts").textContent = format(text.counts, { checked: answer.data.checked_in, total: answer.data.registered });
    }
  } catch {
    // shown again at the next poll
  }
}

async function main() {
  openDesk(config, { door: doorName, show, onCheckedIn: updateCounts }); // needs no camera and no Ed25519
  const scanner = await openScanner(config, records, { send, onCode, onProblem: (message) => show("invalid", message) });
  if (!scanner) return;
  ({ publicKey, store, outbox } = scanner);
  const field = $("door-field");
  const saved = localStorage.getItem(`${config.store}:door`);
  if (saved) field.value = saved;
  field.addEventListener("change", () => localStorage.setItem(`${config.store}:door`, doorName()));
  $("walk-in-form").addEventListener("submit", () => { $("walk-in-door").value = doorName(); });
  $("sync-now").addEventListener("click", () => outbox.flush());
  setInterval(updateCounts, COUNTS_MS);
  renderRecent();
  outbox.show();
  document.body.dataset.scanner = "ready";
  await outbox.flush();
}

focusOnLoad();  // a rejected walk-in: its error summary
main();
