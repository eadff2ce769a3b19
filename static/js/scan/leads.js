// The exhibitor staff's scanner: scan a badge, a lead opens at once (checked on the phone, no
// network needed), notes, rating and tags are saved on the phone and synced to the server.
// Records are kept per visitor (key "a<attendee id>"): one lead per visitor, as on the server.

import { readBadge } from "./badge.js";
import { signal } from "./feedback.js";
import { call, outcome } from "./outbox.js";
import { clock, element, format, newClientId, openScanner, readJson } from "./page.js";

const PAGE_SIZE = 200;
const config = readJson("scan-config");
const { text } = config;
const records = new Map();
const $ = (id) => document.getElementById(id);
const form = $("editor-form");
let store, publicKey, outbox, camera;
let current = null; // the record open in the editor
let formDirty = false;

function say(message, kind) {
  const result = $("scan-result");
  result.textContent = message;
  result.dataset.kind = kind;
}

function adopt(record, lead) {
  Object.assign(record, {
    leadId: lead.id, name: lead.attendee.name, organisation: lead.attendee.organisation,
    jobTitle: lead.attendee.job_title, notes: lead.notes, rating: lead.rating, tags: lead.tags,
    scannedAt: lead.scanned_at, error: null,
    contact: { shared: lead.attendee.contact_shared, email: lead.attendee.email, phone: lead.attendee.phone },
  });
}

async function save(record) {
  records.set(record.key, record);
  await store.put(record);
  renderList();
  outbox.show();
  if (record === current) showRecord(record);
}

/** Send one record's scan or edit; see Outbox. */
async function send(record) {
  const rev = record.rev;
  const fields = { notes: record.notes, rating: record.rating, tags: record.tags };
  const answer = record.pending === "scan"
    ? await call("POST", config.urls.scan, { payload: record.payload, client_id: record.clientId, ...fields })
    : await call("PATCH", config.urls.lead + record.leadId, fields);
  const next = outcome(answer.status);
  if (next !== "done") return next;
  if (answer.status === 200 || answer.status === 201) {
    const local = { notes: record.notes, rating: record.rating, tags: record.tags };
    adopt(record, answer.data);
    // Edited while the request was on its way: those edits still have to go.
    if (record.rev !== rev) Object.assign(record, local, { pending: "patch" });
    else record.pending = null;
  } else {
    record.pending = null;
    record.error = answer.data?.error || String(answer.status);
  }
  await save(record);
  return "done";
}

async function refresh() {
  const leads = [];
  for (let page = 1; ; page++) {
    const answer = await call("GET", `${config.urls.scan}?per_page=${PAGE_SIZE}&page=${page}`);
    if (answer.status !== 200) return;
    leads.push(...answer.data.items);
    if (page * PAGE_SIZE >= answer.data.total) break;
  }
  const seen = new Set();
  for (const lead of leads) {
    const key = `a${lead.attendee.id}`;
    seen.add(key);
    const record = records.get(key) ?? { key, attendeeId: lead.attendee.id, clientId: lead.client_id,
      payload: null, pending: null, rev: 0 };
    if (record.pending) record.leadId = lead.id;
    else adopt(record, lead);
    records.set(key, record);
    await store.put(record);
  }
  for (const record of [...records.values()]) {
    if (record.leadId && !record.pending && !seen.has(record.key)) {
      records.delete(record.key);
      await store.delete(record.key);
    }
  }
  renderList();
  outbox.show();
}

async function onCode(payload) {
  const check = await readBadge(payload, publicKey, config.event, config.reprints);
  if (!check.ok) {
    say(format(text.refused[check.reason], check.values), "error");
    signal("error");
    return;
  }
  const badge = check.badge;
  let record = records.get(`a${badge.attendeeId}`);
  if (record && !record.error) {
    say(format(text.existingLead, { name: record.name }), "warn");
    signal("warn");
  } else {
    record = {
      key: `a${badge.attendeeId}`, attendeeId: badge.attendeeId, clientId: newClientId(), payload,
      leadId: null, name: badge.name, organisation: badge.organisation, jobTitle: "", contact: null,
      notes: "", rating: 0, tags: [], scannedAt: new Date().toISOString(), pending: "scan", rev: 0, error: null,
    };
    await save(record);
    say(format(text.newLead, { name: record.name }), "ok");
    signal("ok");
  }
  camera.pause();
  await openEditor(record);
  outbox.flush();
}

function contactLine(record) {
  if (!record.contact) return text.contactLater;
  if (!record.contact.shared) return text.contactHidden;
  return format(text.contact, { contact: [record.contact.email, record.contact.phone].filter(Boolean).join(" · ") });
}

/** The editor's texts, and its fields unless the user is busy typing in them. */
function showRecord(record) {
  $("editor-heading").textContent = record.name;
  $("editor-organisation").textContent = [record.organisation, record.jobTitle].filter(Boolean).join(" · ");
  $("editor-contact").textContent = contactLine(record);
  const details = $("editor-details");
  details.hidden = !record.leadId;
  if (record.leadId) details.href = `${config.urls.page}${record.leadId}`;
  if (formDirty) return;
  form.elements.notes.value = record.notes;
  form.elements.rating.value = String(record.rating);
  for (const box of form.querySelectorAll('input[name="tags"]')) box.checked = record.tags.includes(box.value);
}

/** Keep what was typed in the editor (the record then waits to be synced); false if nothing changed. */
async function commitForm() {
  if (!current || !formDirty) return false;
  const record = current;
  record.notes = form.elements.notes.value.trim();
  record.rating = Number(form.elements.rating.value || 0);
  record.tags = [...form.querySelectorAll('input[name="tags"]:checked')].map((box) => box.value);
  record.rev += 1;
  record.pending = record.pending === "scan" || !record.leadId ? "scan" : "patch";
  record.error = null;
  formDirty = false;
  await save(record);
  return true;
}

async function openEditor(record) {
  if (current !== record && (await commitForm())) outbox.flush();
  current = record;
  formDirty = false;
  showRecord(record);
  $("editor").hidden = false;
  $("editor-heading").focus();
}

async function closeEditor() {
  if (await commitForm()) outbox.flush();
  current = null;
  $("editor").hidden = true;
  camera.resume();
  $("camera-toggle").focus();
}

async function saveEditor(event) {
  event.preventDefault();
  const record = current;
  formDirty = true; // "Gem" always saves, even when nothing was typed
  await commitForm();
  say(format(text.savedLocal, { name: record.name }), "info");
  await outbox.flush();
  if (!record.pending && !record.error) say(format(text.saved, { name: record.name }), "ok");
}

function stars(rating) {
  const shown = element("span", "stars", "★".repeat(rating) + "☆".repeat(5 - rating));
  shown.setAttribute("aria-hidden", "true");
  return [shown, element("span", "visually-hidden", format(text.rating, { rating }))];
}

function renderList() {
  const list = $("lead-list");
  const sorted = [...records.values()].sort((a, b) => b.scannedAt.localeCompare(a.scannedAt));
  list.replaceChildren(...sorted.map((record) => {
    const item = element("li", "lead-item");
    const open = element("button", "lead-item__open link-button", record.name);
    open.type = "button";
    open.disabled = Boolean(record.error && !record.leadId);
    open.addEventListener("click", () => openEditor(record));
    const meta = element("p", "lead-item__meta");
    meta.append(element("span", "", record.organisation), element("span", "", clock(record.scannedAt, config.timezone)),
      ...stars(record.rating));
    if (record.tags.length) meta.append(element("span", "tags", record.tags.join(", ")));
    item.append(open, meta);
    if (record.pending) item.append(element("p", "chip chip--waiting", text.waiting));
    if (record.error) item.append(element("p", "chip chip--error", format(text.failed, { error: record.error })));
    return item;
  }));
  $("lead-count").textContent = String(sorted.filter((record) => !record.error || record.leadId).length);
}

async function main() {
  const scanner = await openScanner(config, records, { send, onCode, onProblem: (message) => say(message, "error") });
  if (!scanner) return;
  ({ publicKey, store, outbox, camera } = scanner);
  form.addEventListener("submit", saveEditor);
  form.addEventListener("input", () => { formDirty = true; });
  $("scan-next").addEventListener("click", closeEditor);
  $("sync-now").addEventListener("click", async () => {
    await outbox.flush();
    await refresh().catch(() => outbox.show());
  });
  renderList();
  outbox.show();
  document.body.dataset.scanner = "ready";
  await outbox.flush();
  if (navigator.onLine) await refresh().catch(() => outbox.show());
}

main();
