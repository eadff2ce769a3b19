// Push messages for a closed phone (Web Push). After the attendee's first star — never on page
// load — the app offers to tell this device when the personal programme changes; accepting asks
// the browser's permission, subscribes with the server's VAPID key (/api/push-key) and hands the
// subscription to /api/me/push. On iPhone and iPad, push works only in the app added to the home
// screen, so there the offer explains that instead. The offer is made once per device.

import { config, text } from "./config.js";
import { load, save } from "./storage.js";

const STATE = "push-offer";  // "" | "made": the offer was shown on this device
// When this device last handed its subscription to the server. The browser may replace a
// subscription while no page is open and the service worker's renewal not arrive (offline, or
// the worker stopped); the app then hands it over again, once a day, so pushes find the phone.
const HANDED = "push-handed";
const HAND_OVER_EVERY_MS = 24 * 60 * 60 * 1000;

function appleOutsideTheApp() {
  const apple = /iP(hone|ad|od)/.test(navigator.userAgent)
    || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  const installed = navigator.standalone === true || matchMedia("(display-mode: standalone)").matches;
  return apple && !installed;
}

function canPush() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function keyBytes(base64url) {
  const raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function subscribe() {
  if ((await Notification.requestPermission()) !== "granted") return "pushBlocked";
  const registration = await navigator.serviceWorker.ready;
  const key = (await (await fetch(`${config.base}api/push-key`)).json()).public_key;
  const subscription = await registration.pushManager.getSubscription()
    || await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  if (!await handOver(subscription)) return "pushFailed";
  registration.active?.postMessage({ type: "push-subscribed" });  // it renews the subscription itself (sw.js)
  return "pushOn";
}

/** Give the server this browser's subscription (the same one again changes nothing there). */
async function handOver(subscription) {
  const response = await fetch(`${config.base}api/me/push`, {
    method: "POST", credentials: "same-origin", body: JSON.stringify(subscription.toJSON()),
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": config.csrf },
  });
  if (response.ok) save(HANDED, Date.now());
  return response.ok;
}

async function keepHandedOver() {
  if (!canPush() || Notification.permission !== "granted") return;
  if (Date.now() - load(HANDED, 0) < HAND_OVER_EVERY_MS) return;
  const registration = await navigator.serviceWorker.getRegistration(config.base);
  const subscription = await registration?.pushManager?.getSubscription();
  if (subscription) await handOver(subscription);
}

function button(label, className, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = label;
  element.addEventListener("click", onClick);
  return element;
}

function offer() {
  const box = document.createElement("section");
  box.className = "push-offer";
  box.id = "push-offer";
  box.setAttribute("aria-labelledby", "push-offer-title");
  const title = document.createElement("h2");
  title.id = "push-offer-title";
  title.className = "push-offer__title";
  title.textContent = text("pushTitle");
  const why = document.createElement("p");
  why.className = "push-offer__text";
  const actions = document.createElement("div");
  actions.className = "push-offer__actions";
  const close = button(text("pushClose"), "button button--secondary", () => box.remove());
  const answer = (message) => {
    why.textContent = text(message);
    actions.replaceChildren(close);
    close.focus();
  };
  if (appleOutsideTheApp()) {
    why.textContent = text("pushApple");
    actions.append(close);
  } else {
    why.textContent = text("pushWhy");
    const accept = button(text("pushOffer"), "button", async () => {
      accept.disabled = true;
      answer(await subscribe().catch(() => "pushFailed"));
    });
    actions.append(accept, button(text("pushNo"), "button button--secondary", () => box.remove()));
  }
  box.append(title, why, actions);
  const status = document.createElement("div");
  status.setAttribute("role", "status");
  status.append(box);
  (document.querySelector("main") || document.body).append(status);
}

async function alreadySubscribed() {
  const registration = await navigator.serviceWorker.getRegistration(config.base);
  return Boolean(await registration?.pushManager?.getSubscription());
}

async function firstStar() {
  if (load(STATE, "") === "made") return;
  if (!appleOutsideTheApp() && (!canPush() || Notification.permission === "denied" || await alreadySubscribed())) return;
  save(STATE, "made");
  offer();
}

export function start() {
  if (!config.attendee) return;  // the subscription is kept for a signed-in attendee
  keepHandedOver().catch(() => {});
  document.addEventListener("click", (event) => {
    const star = event.target.closest("button[data-star]");
    if (star && star.dataset.starred === "true") firstStar().catch(() => {});
  });
}
