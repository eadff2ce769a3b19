// The app without a network. On every page of the event this registers the app's service worker
// (sw.js, served at /<event>/sw.js so that it may control the event's pages); on the app's pages
// it also shows when there is no connection to the live programme, and when it is back.

const GRACE_MS = 3000;
const BACK_MS = 5000;
const manifest = document.querySelector('link[rel="manifest"]');
const region = document.getElementById("connection");
let connected = false;
let offlineShown = false;
let timer = null;

if (manifest && "serviceWorker" in navigator) {
  const scope = new URL(".", manifest.href).pathname;
  navigator.serviceWorker.register(`${scope}sw.js`, { scope, type: "classic" }).catch(() => {
    // no service worker (private mode, old browser): the app works online only
  });
}

function say(message, className) {
  region.replaceChildren();
  if (!message) return;
  const line = document.createElement("p");
  line.className = className;
  line.textContent = message;
  region.append(line);
}

function review() {
  clearTimeout(timer);
  if (connected && navigator.onLine) {
    if (offlineShown) {
      offlineShown = false;
      say(region.dataset.online, "connection__line connection__line--back");
      timer = setTimeout(() => say(""), BACK_MS);
    }
    return;
  }
  // a socket that is still opening is not "offline" yet
  timer = setTimeout(() => {
    offlineShown = true;
    say(region.dataset.offline, "connection__line");
  }, navigator.onLine ? GRACE_MS : 0);
}

/** The live connection is up (``true``) or down. */
export function showConnection(up) {
  connected = up;
  if (!region) return;
  region.dataset.connected = String(up);
  review();
}

if (region) {
  addEventListener("online", review);
  addEventListener("offline", review);
  review();
}
