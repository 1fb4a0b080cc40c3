// One page of a paper, drawn as large as its box allows: the hall display's view of the page
// the chair presents. The same PDF.js as the reader; the paper is read from the device's
// cache when it is there, else by HTTP ranges, and the last document stays open, so turning
// the presented page only draws the new page.

import { cachedPaper, paperUrl } from "../core/papers-cache.js";
import { h } from "../core/ui.js";
import { loadPdfjs, pdfSource } from "./pdf.js";

export function createPageView({ token = null } = {}) {
  const canvas = h("canvas", { class: "page-view-canvas", "data-testid": "presented-page" });
  const el = h("div", { class: "page-view" }, canvas);
  let open = null; // {sha256, task, doc}
  let drawing = 0;

  async function documentFor(meetingId, sha256) {
    if (open?.sha256 === sha256) return open.doc;
    open?.task.destroy().catch(() => {});
    const lib = await loadPdfjs();
    const url = paperUrl(meetingId, sha256);
    const cached = await cachedPaper(url);
    const task = lib.getDocument(pdfSource(url, cached, token));
    open = { sha256, task, doc: null };
    open.doc = await task.promise;
    return open.doc;
  }

  /** Draw page `page` of the paper `sha256`; a later call wins over an earlier one. */
  async function show(meetingId, sha256, page) {
    const mine = ++drawing;
    try {
      const doc = await documentFor(meetingId, sha256);
      const pdfPage = await doc.getPage(Math.min(Math.max(1, page), doc.numPages));
      if (mine !== drawing) return;
      const natural = pdfPage.getViewport({ scale: 1 });
      const box = el.getBoundingClientRect();
      const scale = Math.min(box.width / natural.width, box.height / natural.height) || 1;
      const viewport = pdfPage.getViewport({ scale });
      const ratio = window.devicePixelRatio || 1;
      const fresh = canvas.cloneNode();
      fresh.width = Math.floor(viewport.width * ratio);
      fresh.height = Math.floor(viewport.height * ratio);
      fresh.style.width = `${Math.floor(viewport.width)}px`;
      fresh.style.height = `${Math.floor(viewport.height)}px`;
      await pdfPage.render({
        canvasContext: fresh.getContext("2d"),
        canvas: fresh,
        viewport,
        transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
      }).promise;
      if (mine !== drawing) return;
      el.querySelector("canvas").replaceWith(fresh);
      fresh.dataset.page = String(page);
    } catch (err) {
      if (mine === drawing) console.warn("presented page not drawn:", err?.message);
    }
  }

  return { el, show };
}
