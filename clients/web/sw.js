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
  "core/pairing-signin.js",
  "core/replica.js",
  "core/session.js",
  "core/strings.js",
  "core/ui.js",
  "core/outbox.js",
  "core/papers-cache.js",
  "core/reader.css",
  "strings/reader.js",
  "vendor/pdfjs/pdf.min.mjs",
  "vendor/pdfjs/pdf.worker.min.mjs",
  "strings/clerk_papers.js",
  "strings/public.js",
  "areas/agenda.js",
  "areas/devices.js",
  "areas/floor.js",
  "areas/papers.js",
  "areas/record.js",
  "areas/votes.js",
  "views/agenda.js",
  "views/files.js",
  "views/floor.js",
  "views/minutes.js",
  "views/timer.js",
  "views/upload.js",
  "views/votes.js",
  "views/papers.js",
  "views/reader.js",
  "views/pdf.js",
  "views/page-view.js",
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
  "clerk/minutes.js",
  "clerk/notes.js",
  "clerk/roster.js",
  "strings/roster.js",
  "strings/notes.js",
  "clerk/papers.js",
  "clerk/pairing.js",
  "strings/pairing.js",
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
// A paper is stored by the SHA-256 of its bytes, so the URL that names a hash names one
// content forever: cache first, never revalidate. The pages put a paper in PAPERS_CACHE once
// they have all its bytes (core/papers-cache.js: the reader, and the tablet's background
// download of the sitting's papers); this worker answers every later request for it from
// there, with or without network, a range request (PDF.js reading page 1 first) from the
// whole cached file. A paper not cached goes to the network untouched (with its token).

const PAPER_PATH = /^\/api\/meetings\/[^/]+\/papers\/[0-9a-f]{64}$/;

function isPaper(url) {
  return PAPER_PATH.test(url.pathname);
}

async function paper(request) {
  const cache = await caches.open(PAPERS_CACHE);
  const hit = await cache.match(request.url, { ignoreSearch: true });
  if (!hit) return fetch(request);
  const range = request.headers.get("Range");
  if (!range) return hit;
  return partial(await hit.arrayBuffer(), range);
}

/** A 206 for one `bytes=a-b` range of a cached paper (416 when it does not fit). */
function partial(bytes, header) {
  const size = bytes.byteLength;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  let start;
  let end;
  if (m && m[1] !== "") {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  } else if (m && m[2] !== "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  }
  if (start === undefined || start > end || start >= size) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  }
  return new Response(bytes.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(end - start + 1),
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Accept-Ranges": "bytes",
    },
  });
}
