// The service worker of the web apps (scope /app/): the app shell works without a network.
//
// Every file of the apps is cached when the worker installs. Pages and files are then served
// network first, so a new release reaches the tablets at the next load, and from the cache
// when the network fails or is slow, so that a tablet reloaded during a Wi-Fi drop still shows
// its app (and, from localStorage, the last state of the sitting). The API and the WebSocket
// are never touched: live data comes from the server or not at all.
//
// A browser test checks that SHELL lists every file in clients/web.

const SHELL_CACHE = "meeting-shell";
const PAPERS_CACHE = "meeting-papers";
const NETWORK_TIMEOUT = 4000;

const SHELL = [
  "./",
  "index.html",
  "landing.js",
  "manifest.webmanifest",
  "icon.svg",
  "core/base.css",
  "core/backoff.js",
  "core/boot.js",
  "core/clock.js",
  "core/connection.js",
  "core/http.js",
  "core/i18n.js",
  "core/replica.js",
  "core/session.js",
  "core/strings.js",
  "core/ui.js",
  "strings/public.js",
  "areas/agenda.js",
  "areas/floor.js",
  "areas/votes.js",
  "views/agenda.js",
  "views/floor.js",
  "views/timer.js",
  "views/votes.js",
  "delegate/",
  "delegate/index.html",
  "delegate/delegate.js",
  "chair/",
  "chair/index.html",
  "chair/chair.js",
  "clerk/",
  "clerk/index.html",
  "clerk/clerk.js",
  "clerk/agenda-csv.js",
  "display/",
  "display/index.html",
  "display/display.js",
  "public/",
  "public/index.html",
  "public/public.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(SHELL.map((path) => new Request(path, { cache: "no-cache" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, PAPERS_CACHE]);
      for (const name of await caches.keys()) {
        if (!keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isPaper(url)) {
    event.respondWith(paper(request));
    return;
  }
  if (!url.pathname.startsWith(new URL(self.registration.scope).pathname)) return; // the API
  event.respondWith(shell(event));
});

/** Network first; the cache when the network fails or takes longer than NETWORK_TIMEOUT. */
async function shell(event) {
  const request = event.request;
  const key = new URL(request.url);
  key.search = ""; // /app/delegate/?m=… is the same page as /app/delegate/
  const cache = await caches.open(SHELL_CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.ok && response.type === "basic") await cache.put(key.href, response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => undefined)); // a late answer still refreshes the cache
  const cached = () => cache.match(key.href);
  try {
    return await Promise.race([
      network,
      new Promise((resolve, reject) => {
        setTimeout(async () => {
          const hit = await cached();
          if (hit) resolve(hit);
          else reject(new Error("slow network, nothing cached"));
        }, NETWORK_TIMEOUT);
      }),
    ]);
  } catch (err) {
    const hit = await cached();
    if (hit) return hit;
    throw err;
  }
}

// -- papers ------------------------------------------------------------------------------
// The place for the papers (PDFs) of the agenda, once the server serves them. A paper is
// stored by the SHA-256 of its bytes, so the URL that names a hash names one content forever:
// cache first, never revalidate, keep it through Wi-Fi drops. The delegate app will ask this
// worker (postMessage) to fetch the papers of the items ahead, so that they open offline.
// Range requests (PDF.js reading page 1 first) are answered from the whole cached file.

function isPaper(url) {
  void url; // e.g. url.pathname.startsWith("/api/documents/"), when the server has them
  return false;
}

async function paper(request) {
  const cache = await caches.open(PAPERS_CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.status === 200) await cache.put(request, response.clone());
  return response;
}
