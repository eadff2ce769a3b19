// Sending what was scanned or edited on the phone to the server, now or when the network returns.
// Every record that still has to reach the server has `pending` set; sending is idempotent
// (each scan carries its client-generated id), so a record sent twice is still one lead or one
// check-in. The status line always says how many records are waiting.

import { counted } from "../language.js";

const TIMEOUT_MS = 8000;
const RETRY_MS = 15000;
// A third more, at random: the phones refused in one busy second do not all come back in another.
const RETRY_JITTER = 1 / 3;

/** A JSON request with the page's CSRF token; rejects with a TypeError when there is no network. */
export async function call(method, url, body) {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { status: response.status, data };
}

/** What to do after an answer: "done" (the record has its answer), "retry" or "signed-out". */
export function outcome(status) {
  if (status === 401 || status === 403) return "signed-out";
  if (status >= 500 || status === 408 || status === 429) return "retry";
  return "done";
}

export class Outbox {
  /**
   * @param {Map<string, object>} records the page's records, by key
   * @param {(record: object) => Promise<"done"|"retry"|"signed-out">} send
   * @param {HTMLElement} status the element that shows how many records are waiting
   * @param {Object<string, string|{one: string, other: string}>} text translated messages (counted ones with both forms)
   */
  constructor(records, send, status, text) {
    this.records = records;
    this.send = send;
    this.status = status;
    this.text = text;
    this.running = null;
    this.inFlight = new Set(); // records being sent by sendNow(), which drain() leaves alone
    this.signedOut = false;
    this.timer = null;
    window.addEventListener("online", () => this.flush());
    window.addEventListener("offline", () => this.show());
    document.addEventListener("visibilitychange", () => document.hidden || this.flush());
  }

  get waiting() {
    return [...this.records.values()].filter((record) => record.pending);
  }

  show() {
    const count = this.waiting.length;
    let message = count ? counted(this.text.pending, count) : this.text.synced;
    if (this.signedOut) message = this.text.signedOut;
    else if (!navigator.onLine && count) message += ` – ${this.text.offline}`;
    this.status.textContent = message;
    this.status.dataset.pending = String(count);
    this.status.classList.toggle("sync-status--waiting", count > 0);
  }

  /**
   * Send one record at once (the door wants its answer now, not after the backlog); resolves to
   * the send function's outcome, "retry" when there is no network. The record stays waiting
   * until it has its answer, so it is never lost, and is never sent twice at the same time.
   */
  async sendNow(record) {
    this.inFlight.add(record);
    try {
      return await this.send(record);
    } catch (error) {
      if (error instanceof TypeError || error.name === "TimeoutError" || error.name === "AbortError") return "retry";
      throw error;
    } finally {
      this.inFlight.delete(record);
      this.show();
    }
  }

  /** Send every waiting record, one at a time; resolves when done or when the network is gone. */
  flush() {
    this.running ??= this.drain().finally(() => {
      this.running = null;
      this.show();
    });
    return this.running;
  }

  async drain() {
    clearTimeout(this.timer);
    this.signedOut = false;
    for (const record of this.waiting) {
      if (!record.pending || this.inFlight.has(record)) continue;
      const result = await this.sendNow(record);
      if (result === "signed-out") {
        this.signedOut = true;
        return;
      }
      if (result === "retry") {
        this.timer = setTimeout(() => this.flush(), RETRY_MS * (1 + RETRY_JITTER * Math.random()));
        return;
      }
    }
  }
}
