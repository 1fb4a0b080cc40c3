// PDF.js for the apps: loaded on first use from vendor/pdfjs (scripts/web_vendor.py), how a
// paper is opened (its cached bytes, else HTTP ranges with the token), and the pure helpers
// of the reader: search folding and hits, and a text selection as rectangles. The reader
// (views/reader.js) and the hall's presented page (views/page-view.js) both use it.

const VENDOR = new URL("../vendor/pdfjs/", import.meta.url);
let pdfjsLoading = null;

/** PDF.js, loaded on first use (the apps start without it). */
export function loadPdfjs() {
  pdfjsLoading ??= import(new URL("pdf.min.mjs", VENDOR).href).then((lib) => {
    lib.GlobalWorkerOptions.workerSrc = new URL("pdf.worker.min.mjs", VENDOR).href;
    return lib;
  });
  return pdfjsLoading;
}

/** What `getDocument` opens: the cached bytes, else the URL read by ranges with the token. */
export function pdfSource(url, cached, token) {
  const source = {
    cMapUrl: new URL("cmaps/", VENDOR).href,
    cMapPacked: true,
    standardFontDataUrl: new URL("standard_fonts/", VENDOR).href,
    wasmUrl: new URL("wasm/", VENDOR).href,
    isEvalSupported: false,
    enableXfa: false,
  };
  if (cached) return { ...source, data: cached };
  const httpHeaders = token ? { Authorization: `Bearer ${token}` } : {};
  // Only the ranges the page on screen needs: no stream of the whole body and no fetching
  // ahead beside them, which would share the hall's Wi-Fi with page 1 (bench/reader.py:
  // page 1 of a 300-page, 19 MiB paper at 20 Mbit/s in about 0.26 s this way, 0.46 s with
  // PDF.js's defaults, 9 s by downloading it first). The whole file is downloaded once
  // page 1 is drawn, to keep it on the device (`keepOnDevice` in views/reader.js).
  return { ...source, url, httpHeaders, rangeChunkSize: 65536, disableStream: true, disableAutoFetch: true };
}

/** Text for searching: no diacritics, no case, single spaces ("Nghị  Quyết" → "nghi quyet"). */
export function foldText(text) {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ");
}

/** Up to `around` characters each side of a hit, for the list of results. */
function snippet(text, at, length, around = 40) {
  const start = Math.max(0, at - around);
  const end = Math.min(text.length, at + length + around);
  return `${start > 0 ? "…" : ""}${text.slice(start, end).trim()}${end < text.length ? "…" : ""}`;
}


/** The hits of `folded` (already folded) on page `n`: `[{page, text}]`, at most 50; each
 * page's text is read once and kept in `texts`. */
export async function findOnPage(doc, n, folded, texts) {
  if (!texts.has(n)) {
    const content = await (await doc.getPage(n)).getTextContent();
    texts.set(n, content.items.map((i) => (i.hasEOL ? `${i.str}\n` : i.str)).join(""));
  }
  const flat = texts.get(n).replace(/\s+/g, " ");
  const hay = foldText(flat);
  const hits = [];
  for (let at = hay.indexOf(folded); at !== -1 && hits.length < 50; at = hay.indexOf(folded, at + folded.length)) {
    hits.push({ page: n, text: snippet(flat, at, folded.length) });
  }
  return hits;
}

/** Client rectangles of a text selection as one `[x, y, width, height]` per line, in
 * fractions of `box` (the page), at most 64 (what `paper.annotate` accepts). */
export function lineRects(clientRects, box) {
  const lines = [];
  for (const rect of clientRects) {
    if (rect.width < 1 || rect.height < 1) continue;
    const x = (rect.left - box.left) / box.width;
    const y = (rect.top - box.top) / box.height;
    const w = rect.width / box.width;
    const hgt = rect.height / box.height;
    const line = lines.find((l) => Math.abs(l[1] - y) < hgt / 2);
    if (line) {
      const right = Math.max(line[0] + line[2], x + w);
      line[0] = Math.min(line[0], x);
      line[2] = right - line[0];
      line[3] = Math.max(line[3], hgt);
    } else {
      lines.push([x, y, w, hgt]);
    }
  }
  const clamp = (v) => Math.min(1, Math.max(0, Number(v.toFixed(4))));
  return lines.slice(0, 64).map(([x, y, w, hgt]) => [clamp(x), clamp(y), clamp(w), clamp(hgt)]);
}
