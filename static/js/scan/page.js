// What both scanner pages share: their configuration, messages, times, the camera button and the
// field for typed or hand-scanner codes.

import { counted, fillIn } from "../language.js";
import { importPublicKey } from "./badge.js";
import { Camera } from "./camera.js";
import { unlockSound } from "./feedback.js";
import { Outbox } from "./outbox.js";
import { Store } from "./store.js";

export function readJson(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

/** "Badge version {version}" with {version: 3} -> "Badge version 3" (language.js). */
export const format = fillIn;

/** "14:05" in the event's time zone, as the server's pages write times. */
export function clock(iso, timeZone) {
  const parts = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone })
    .formatToParts(new Date(iso));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("hour")}:${part("minute")}`;
}

export function newClientId() {
  return crypto.randomUUID();
}

/** A short-lived element helper: tag, class name, text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Which of our explanations fits a failed getUserMedia (its DOMException names are standard; the
 * browser's own message is English whatever the page's language, so it is never shown).
 * @returns {"denied"|"missing"|"busy"|"insecure"|"failed"}
 */
function cameraProblem(error) {
  if (!window.isSecureContext) return "insecure";
  if (!navigator.mediaDevices?.getUserMedia) return "missing";
  return { NotAllowedError: "denied", SecurityError: "denied", NotFoundError: "missing",
    OverconstrainedError: "missing", NotReadableError: "busy", AbortError: "busy" }[error?.name] ?? "failed";
}

/**
 * Wire the camera button and the manual code field to `onCode`; returns the Camera.
 * @param {Object<string, string>} text translated messages
 * @param {(message: string) => void} onProblem shows a camera problem to the user
 */
function scanInputs(text, onCode, onProblem) {
  const video = document.getElementById("camera");
  const toggle = document.getElementById("camera-toggle");
  const camera = new Camera(video, onCode);
  const showState = () => {
    toggle.textContent = camera.running ? text.cameraStop : text.cameraStart;
    toggle.setAttribute("aria-pressed", String(camera.running));
  };
  toggle.addEventListener("click", async () => {
    unlockSound();
    if (camera.running) {
      camera.stop();
    } else {
      try {
        await camera.start();
      } catch (error) {
        camera.stop(); // hides the video box
        onProblem(text.camera[cameraProblem(error)]);
      }
    }
    showState();
  });
  window.addEventListener("pagehide", () => camera.stop());
  document.getElementById("manual-form").addEventListener("submit", (event) => {
    event.preventDefault();
    unlockSound();
    const field = document.getElementById("manual-code");
    if (field.value.trim()) onCode(field.value.trim());
    field.value = "";
  });
  showState();
  return camera;
}

/** Let the page open again without network (see sw.js); registered next to the page. */
function workOffline() {
  navigator.serviceWorker?.register("sw.js").catch(() => {
    // without a service worker the page still works; it just cannot be reopened offline
  });
}

/**
 * Signing out forgets what is already on the server (it may be someone else's phone next);
 * records still waiting stay until the next sign-in for the same exhibitor or door.
 */
function forgetOnSignOut(store, records, text) {
  const form = document.querySelector('form[action$="/logout"]');
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const waiting = [...records.values()].filter((record) => record.pending).length;
    if (waiting && !window.confirm(counted(text.signOutWaiting, waiting))) return;
    for (const record of records.values()) {
      if (!record.pending) await store.delete(record.key);
    }
    await globalThis.caches?.delete("messe-scan-v1");
    form.submit();
  });
}

/**
 * Open what both scanners share: the badge key, the records kept on this phone, the outbox that
 * sends them, offline reopening, sign-out and the scan inputs. Returns null when this browser
 * cannot check badge signatures (after telling the user through `onProblem`).
 * @param {Map<string, Object>} records filled with what the phone kept
 * @param {{send: Function, onCode: (code: string) => void, onProblem: (message: string) => void}} handlers
 */
export async function openScanner(config, records, { send, onCode, onProblem }) {
  let publicKey;
  try {
    publicKey = await importPublicKey(config.publicKey);
  } catch {
    onProblem(config.text.noCrypto);
    return null;
  }
  const store = await Store.open(config.store);
  for (const record of await store.all()) records.set(record.key, record);
  const outbox = new Outbox(records, send, document.getElementById("sync-status"), config.text);
  workOffline();
  forgetOnSignOut(store, records, config.text);
  const camera = scanInputs(config.text, onCode, onProblem);
  return { publicKey, store, outbox, camera };
}
