// Papers kept on the device, by the SHA-256 of their bytes, so that they open without Wi-Fi.
//
// One Cache Storage cache ("meeting-papers") shared with the service worker (sw.js), keyed
// by the paper's download URL, which names one content forever: what is cached never needs
// to be checked again. The page stores a paper once it has all its bytes (from the reader,
// or from `prefetch`, which downloads the papers of the sitting one at a time in the
// background); the service worker answers any later request for it from here, ranges too.
// Signing out empties it: a confidential paper is stamped with its reader's name.

export const PAPERS_CACHE = "meeting-papers";

export function paperUrl(meetingId, sha256) {
  return `/api/meetings/${encodeURIComponent(meetingId)}/papers/${sha256}`;
}

function available() {
  return typeof caches !== "undefined";
}

/** The cached bytes of a paper, or null. */
export async function cachedPaper(url) {
  if (!available()) return null;
  try {
    const cache = await caches.open(PAPERS_CACHE);
    const hit = await cache.match(url);
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/** The URLs of the papers on this device. */
export async function cachedUrls() {
  if (!available()) return new Set();
  try {
    const cache = await caches.open(PAPERS_CACHE);
    return new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
  } catch {
    return new Set();
  }
}

/**
 * Keep a paper's whole bytes under its URL. Not checked against the URL's hash: a
 * confidential paper's bytes are its reader's stamped copy.
 */
async function storePaper(url, bytes) {
  if (!available()) return false;
  try {
    const cache = await caches.open(PAPERS_CACHE);
    const headers = { "Content-Type": "application/pdf", "Content-Length": String(bytes.byteLength) };
    await cache.put(url, new Response(bytes, { headers }));
    return true;
  } catch {
    return false; // storage full or disabled: the paper still reads online
  }
}

export async function forgetPapers() {
  if (!available()) return;
  try {
    await caches.delete(PAPERS_CACHE);
  } catch {
    // nothing kept
  }
}

const downloading = new Map();

/**
 * Download one paper with the bearer token and keep it; true when it is on the device.
 * The reader and the background prefetch may want the same paper at once: one download.
 */
export function downloadPaper(url, token, signal) {
  if (!downloading.has(url)) {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    const once = fetch(url, { headers, signal, cache: "no-store" })
      .then(async (response) => response.ok && storePaper(url, new Uint8Array(await response.arrayBuffer())))
      .finally(() => downloading.delete(url));
    downloading.set(url, once);
  }
  return downloading.get(url);
}

/**
 * Download, one at a time, the papers not on the device yet (in the order given: the
 * current item's first). Stops when `signal` aborts; a failure skips to the next paper and
 * the whole list is tried again by the next call. Calls `onStored(url)` after each.
 */
export async function prefetch(urls, token, { signal, onStored } = {}) {
  const have = await cachedUrls();
  for (const url of urls) {
    if (signal?.aborted) return;
    if (have.has(url)) continue;
    try {
      if (await downloadPaper(url, token, signal)) {
        have.add(url);
        onStored?.(url);
      }
    } catch (err) {
      if (err.name === "AbortError") return;
      // offline or refused: try again on the next call
    }
  }
}
