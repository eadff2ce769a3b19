// Service worker of the scanner pages (served at /<event>/leads/sw.js and /<event>/checkin/sw.js,
// so each controls only its own page): the page and its scripts come from the network when there
// is one and from the cache when there is not, so a phone can reopen the scanner offline. The API
// is never cached; the page's own queue (IndexedDB) covers it.

const CACHE = "messe-scan-v1";
const ASSETS = [
  "/static/css/messe.css", "/static/js/focus.js", "/static/js/focus-on-load.js", "/static/js/language.js", "/static/css/scan.css", "/vendor/jsqr/dist/jsQR.js",
  "/static/icons/apple-touch-icon.png", // the page links it; a phone reopening it offline asks for it
  ...["badge", "camera", "checkin", "desk", "feedback", "leads", "outbox", "page", "qr-worker", "store"]
    .map((name) => `/static/js/scan/${name}.js`),
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([self.registration.scope, ...ASSETS])));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.includes("/api/")) return;
  event.respondWith(networkFirst(event.request));
});
