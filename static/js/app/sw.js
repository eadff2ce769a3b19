// The attendee app's service worker, served at /<event>/sw.js so that it controls the event's pages
// (the scanners' own workers at /<event>/leads/ and /<event>/checkin/ control theirs). After one
// visit the programme, the personal schedule, the talks, the exhibitors, their pages and the floor plan open
// with no network: pages come from the network when there is one (so live data is fresh) and
// from the cache when there is not; the app's scripts, styles and icons from the cache, refreshed
// behind. The API, sign-in and staff pages (and their scripts) are left to the network.

const CACHE = "messe-app-v1";
const BASE = new URL(self.registration.scope).pathname;  // "/<event>/"
const PAGES = ["", "programme?view=stage", "me/schedule", "exhibitors", "exhibitors/map", "changes"].map((page) => BASE + page);
const ASSETS = [
  "/static/css/messe.css", "/static/js/focus.js", "/static/js/language.js", "/static/css/app.css", "/static/css/expo.css",
  "/static/icons/messe.svg", "/static/icons/messe-192.png", "/static/icons/messe-512.png",
  ...["alerts", "app", "config", "exhibitors", "filters", "hall", "live", "nownext", "offline", "overlaps", "push",
    "schedule", "stands", "stars", "storage", "synced", "talkitem", "talks", "time", "timeindex", "updates"].map((name) => `/static/js/app/${name}.js`),
];
// Paths under BASE that are not the app's pages: files (feeds, exports, scripts) and staff areas.
// me/calendar holds the calendar feed's address, a credential: it is never saved.
const NEVER = /^(?:(?:api|admin|leads|checkin|login|logout|link|badges|me\/data|me\/erase|me\/calendar|ws)(?:\/|$)|.*\.\w+$)/;
const NETWORK_WAIT_MS = 6000;
const ICON = "/static/icons/messe-192.png";

async function cacheTalkPages(cache) {
  const response = await fetch(`${BASE}api/talks?per_page=200`);
  if (!response.ok) return;
  for (const talk of (await response.json()).items) {
    const page = `${BASE}talks/${talk.id}`;
    if (!(await cache.match(page))) await cache.add(page).catch(() => {});
  }
}

async function cacheExhibitorPages(cache) {
  const response = await fetch(`${BASE}api/exhibitors?per_page=200`);
  if (!response.ok) return;
  for (const exhibitor of (await response.json()).items) {
    const page = `${BASE}exhibitors/${exhibitor.id}`;
    if (!(await cache.match(page))) await cache.add(page).catch(() => {});
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll([...PAGES, ...ASSETS]);
    await cacheTalkPages(cache).catch(() => {});
    await cacheExhibitorPages(cache).catch(() => {});
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("messe-app-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** Where an offline page may come from when it was never saved with these query parameters. */
function fallbacks(url) {
  const view = url.searchParams.get("view");
  return [...(view ? [`${url.pathname}?view=${view}`] : []), url.pathname];
}

function worthKeeping(url) {
  return ["q", "track", "stage", "stand", "welcome"].every((name) => !url.searchParams.has(name));
}

async function page(request, url) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then((response) => {
    if (response.ok && worthKeeping(url)) cache.put(request, response.clone());
    return response;
  });
  const saved = async () => {
    for (const address of [request, ...fallbacks(url)]) {
      const found = await cache.match(address);
      if (found) return found;
    }
    return null;
  };
  // A venue's network can be slow rather than gone: after a while, the saved page will do.
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS)).then(saved);
  try {
    return await Promise.race([network, slow.then((found) => found || network)]);
  } catch (error) {
    return (await saved()) || Promise.reject(error);
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(request);
  const network = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (saved) {
    network.catch(() => {});
    return saved;
  }
  return network;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(asset(event.request));
  } else if (url.pathname.startsWith(BASE) && !NEVER.test(url.pathname.slice(BASE.length))
             && event.request.headers.get("accept")?.includes("text/html")) {
    event.respondWith(page(event.request, url));
  }
});

// Web Push: the server's message (messe/push/domain/notices.py) is already in the attendee's
// language; a newer message about the same talk replaces the older one (its tag).
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data?.text() || "" };
  }
  event.waitUntil(Promise.all([
    self.registration.showNotification(message.title || "Digitaliseringsmessen", {
      body: message.body || "", lang: message.lang || "da", tag: message.tag, renotify: Boolean(message.tag),
      icon: ICON, badge: ICON, data: { url: message.url || BASE },
    }),
    self.registration.pushManager.getSubscription().then(remember).catch(() => {}),
  ]));
});

// When the browser replaces the subscription (pushsubscriptionchange), the worker hands the new one
// to the server itself: it has no page and no CSRF token, so it sends no cookie and proves the old
// subscription instead, by its endpoint and auth secret, which only this browser and the server know
// (POST api/push/renewal). The old one comes with the event, or, where the browser leaves it out, is
// the one the worker last saw (kept in its own cache: the page tells it after subscribing, and each
// push refreshes it).
const PUSH_CACHE = "messe-push";
const KNOWN = `${BASE}push-subscription`;

function proof(subscription) {
  const { endpoint, keys } = subscription.toJSON();
  return endpoint && keys?.auth ? { endpoint, auth: keys.auth } : null;
}

async function remember(subscription) {
  const cache = await caches.open(PUSH_CACHE);
  const known = subscription && proof(subscription);
  if (known) await cache.put(KNOWN, new Response(JSON.stringify(known)));
  else await cache.delete(KNOWN);
}

async function remembered() {
  const saved = await (await caches.open(PUSH_CACHE)).match(KNOWN);
  return saved ? saved.json() : null;
}

async function serverKey() {  // base64url, which applicationServerKey takes as it is
  return (await (await fetch(`${BASE}api/push-key`, { credentials: "omit" })).json()).public_key;
}

async function renew(oldSubscription, newSubscription) {
  const old = (oldSubscription && proof(oldSubscription)) || await remembered();
  if (!old) return;
  const fresh = newSubscription || await self.registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: oldSubscription?.options?.applicationServerKey || await serverKey(),
  });
  const response = await fetch(`${BASE}api/push/renewal`, {
    method: "POST", credentials: "omit", body: JSON.stringify({ old, subscription: fresh.toJSON() }),
    headers: { "Content-Type": "application/json", Accept: "application/json" },
  });
  if (response.ok) await remember(fresh);
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(renew(event.oldSubscription, event.newSubscription));
});

self.addEventListener("message", (event) => {
  if (event.origin === self.location.origin && event.data?.type === "push-subscribed") {
    event.waitUntil(self.registration.pushManager.getSubscription().then(remember));
  }
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || BASE, self.location.origin);
  const url = target.origin === self.location.origin && target.pathname.startsWith(BASE) ? target.href : BASE;
  event.waitUntil((async () => {
    for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
      if (new URL(client.url).pathname === new URL(url, self.location.origin).pathname && "focus" in client) {
        return client.focus();
      }
    }
    return self.clients.openWindow(url);
  })());
});
