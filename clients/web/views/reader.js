// The paper reader: a full-screen view of one paper, on PDF.js (vendor/pdfjs, pinned in
// clients/web/package-lock.json).
//
// - Page 1 first: a paper not on the device is read by HTTP ranges, so its first page shows
//   once the bytes it needs have arrived; the rest keeps loading and the whole file is then
//   kept on the device (core/papers-cache.js), from where it opens without Wi-Fi.
// - One page at a time, large: previous/next buttons (and swipe, and the arrow keys), a page
//   number field, zoom (fit to width, then steps up and down).
// - Search in the paper's text, with or without Vietnamese diacritics ("nghi quyet" finds
//   "nghị quyết"): the pages with a hit, and the hits marked on the page.
// - Follow the presenter: when the chair shows a page to the hall, the reader turns to it.
//   The chair and the clerk can present from here: each page they turn is shown to the hall.
// - Private highlights (select text, then "Highlight") and notes (tap "Note", then the page):
//   `paper.annotate` through the outbox, so that what is made offline is sent on return.
//
// The reader owns no state of the meeting: `render(state)` is called with the replica's
// state on every change, like the panels of the apps.

import { notesOn, paperById, presenterPage } from "../areas/papers.js";
import { t } from "../core/i18n.js";
import { cachedPaper, downloadPaper, paperUrl } from "../core/papers-cache.js";
import { errorText, fill, h, toast } from "../core/ui.js";
import { findOnPage, foldText, lineRects, loadPdfjs, pdfSource } from "./pdf.js";

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
const FOLLOW_KEY = "meeting.reader.follow";
const MAX_QUOTE = 500;
const SWIPE_PX = 60;

function readFollow() {
  try {
    return localStorage.getItem(FOLLOW_KEY) !== "off";
  } catch {
    return true;
  }
}

function writeFollow(on) {
  try {
    localStorage.setItem(FOLLOW_KEY, on ? "on" : "off");
  } catch {
    // remembered for this page only
  }
}

/**
 * ctx:       the app's context (replica, conn, session, meetingId, roles)
 * outbox:    where notes, highlights and read receipts go (core/outbox.js), or null
 * canPresent: true in the chair's and clerk's apps
 */
export function createReader(ctx, { outbox = null, canPresent = false } = {}) {
  const token = ctx.session?.token ?? null;
  const r = {
    paperId: null,
    sha256: null,
    doc: null,
    task: null,
    page: 1,
    pages: 0,
    zoom: 1,
    tool: "read", // "read" | "note"
    follow: readFollow(),
    presenting: false,
    search: { query: "", hits: [], texts: new Map(), busy: false },
    panel: null, // null | "search" | "notes"
    renderTask: null,
    rendering: 0,
    loadedAll: false,
    error: null,
    shownPresenter: null,
  };

  // -- the elements ---------------------------------------------------------------------------

  const titleEl = h("h2", { class: "reader-title" });
  const status = h("span", { class: "reader-status", "data-reader": "status" });
  const pageInput = h("input", {
    class: "reader-page-input",
    type: "number",
    inputmode: "numeric",
    min: "1",
    "data-reader": "page",
    "aria-label": t("reader.page"),
    onchange: () => goTo(Number(pageInput.value)),
  });
  const pageCount = h("span", { class: "reader-page-count", "data-reader": "pages" });
  const prev = h("button", { type: "button", class: "btn reader-nav", "data-reader": "prev", onclick: () => goTo(r.page - 1) }, "‹");
  const next = h("button", { type: "button", class: "btn reader-nav", "data-reader": "next", onclick: () => goTo(r.page + 1) }, "›");
  const zoomOut = h("button", { type: "button", class: "btn", "data-reader": "zoom-out", onclick: () => zoomBy(-1) }, "−");
  const zoomIn = h("button", { type: "button", class: "btn", "data-reader": "zoom-in", onclick: () => zoomBy(1) }, "+");
  const zoomLabel = h("button", { type: "button", class: "btn btn-quiet reader-zoom", "data-reader": "zoom", onclick: () => setZoom(1) });
  const followBtn = h("button", { type: "button", class: "btn", "data-reader": "follow", "aria-pressed": "false", onclick: () => setFollow(!r.follow) });
  const presentBtn = canPresent
    ? h("button", { type: "button", class: "btn", "data-reader": "present", "aria-pressed": "false", onclick: () => setPresenting(!r.presenting) })
    : null;
  const searchBtn = h("button", { type: "button", class: "btn", "data-reader": "search-toggle", onclick: () => togglePanel("search") });
  const notesBtn = h("button", { type: "button", class: "btn", "data-reader": "notes-toggle", onclick: () => togglePanel("notes") });
  const highlightBtn = h("button", { type: "button", class: "btn", "data-reader": "highlight", onclick: () => highlightSelection() });
  const noteBtn = h("button", { type: "button", class: "btn", "data-reader": "note-tool", "aria-pressed": "false", onclick: () => setTool(r.tool === "note" ? "read" : "note") });
  const closeBtn = h("button", { type: "button", class: "btn reader-close", "data-reader": "close", onclick: () => close() });

  const canvas = h("canvas", { class: "reader-canvas", "data-reader": "canvas" });
  const textLayer = h("div", { class: "textLayer reader-text" });
  const marks = h("div", { class: "reader-marks" });
  const sheet = h("div", { class: "reader-sheet", onclick: (e) => placeNote(e) }, canvas, textLayer, marks);
  const message = h("p", { class: "notice reader-message", hidden: true });
  const body = h("div", { class: "reader-body", "data-reader": "body" }, message, sheet);
  const presenterBar = h("div", { class: "reader-presenter", hidden: true, "data-reader": "presenter" });

  const searchInput = h("input", {
    type: "search",
    class: "reader-search-input",
    "data-reader": "search",
    enterkeyhint: "search",
    "aria-label": t("reader.search"),
  });
  const searchForm = h(
    "form",
    { class: "reader-search", onsubmit: (e) => (e.preventDefault(), runSearch(searchInput.value)) },
    searchInput,
    h("button", { type: "submit", class: "btn btn-primary", "data-reader": "search-go" }, t("reader.search_go")),
  );
  const searchResults = h("ol", { class: "reader-results", "data-reader": "results" });
  const notesList = h("ul", { class: "reader-notes", "data-reader": "notes" });
  const side = h("aside", { class: "reader-side", hidden: true });

  const toolbar = h(
    "div",
    { class: "reader-toolbar" },
    closeBtn,
    h("div", { class: "reader-heading" }, titleEl, status),
    h("div", { class: "reader-pager" }, prev, pageInput, pageCount, next),
    h("div", { class: "reader-tools" }, zoomOut, zoomLabel, zoomIn, searchBtn, notesBtn, highlightBtn, noteBtn, followBtn, presentBtn),
  );
  const el = h(
    "div",
    { class: "reader", role: "dialog", "aria-modal": "true", hidden: true, "data-reader": "root" },
    toolbar,
    presenterBar,
    h("div", { class: "reader-main" }, body, side),
  );
  document.body.append(el);

  // Swipe to turn pages (not while zoomed in, where a drag scrolls the page).
  let touchX = null;
  body.addEventListener("touchstart", (e) => {
    touchX = e.touches.length === 1 && r.zoom <= 1 ? e.touches[0].clientX : null;
  }, { passive: true });
  body.addEventListener("touchend", (e) => {
    if (touchX === null || window.getSelection()?.toString()) return;
    const dx = e.changedTouches[0].clientX - touchX;
    if (Math.abs(dx) > SWIPE_PX) goTo(r.page + (dx < 0 ? 1 : -1));
    touchX = null;
  });
  document.addEventListener("keydown", (e) => {
    if (el.hidden || e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    if (e.key === "ArrowRight" || e.key === "PageDown") goTo(r.page + 1);
    else if (e.key === "ArrowLeft" || e.key === "PageUp") goTo(r.page - 1);
    else if (e.key === "Escape") close();
  });
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => r.doc && drawPage(), 150);
  });

  // -- opening --------------------------------------------------------------------------------

  const receiptsSent = new Set(); // "paper sha256" read receipts sent from this page

  async function open(paperId, { page = 1 } = {}) {
    const state = ctx.replica.state;
    const paper = paperById(state, paperId);
    if (!paper) return;
    if (el.hidden) {
      // Keyboard and screen reader users land in the reader, and back where they were.
      r.returnFocus = document.activeElement;
      el.hidden = false;
      closeBtn.focus();
    }
    document.body.classList.add("reading");
    if (r.paperId === paperId && r.sha256 === paper.sha256 && r.doc) {
      await goTo(page);
      return;
    }
    unload();
    Object.assign(r, { paperId, sha256: paper.sha256, page, pages: paper.pages, error: null, loadedAll: false });
    r.search = { query: "", hits: [], texts: new Map(), busy: false };
    searchInput.value = "";
    fill(searchResults);
    showMessage(t("reader.loading"));
    updateChrome();
    const url = paperUrl(ctx.meetingId, paper.sha256);
    const opened = r.paperId;
    try {
      const lib = await loadPdfjs();
      const cached = await cachedPaper(url);
      const task = lib.getDocument(pdfSource(url, cached, token));
      r.task = task;
      const doc = await task.promise;
      if (r.paperId !== opened) {
        task.destroy().catch(() => {});
        return;
      }
      r.doc = doc;
      r.pages = doc.numPages;
      r.loadedAll = Boolean(cached);
      hideMessage();
      await drawPage();
      receipt(paper);
      if (!cached) keepOnDevice(url, opened);
    } catch (err) {
      if (r.paperId !== opened) return;
      r.error = err;
      const offline = navigator.onLine === false || err?.name === "UnexpectedResponseException" && err.status === 0;
      showMessage(offline || String(err?.message).includes("fetch") ? t("reader.not_on_device") : t("reader.failed"));
      console.warn("paper not opened:", err?.name, err?.message);
    }
    updateChrome();
  }

  /** Page 1 is on screen: now download the whole paper and keep it on the device. */
  async function keepOnDevice(url, opened) {
    try {
      if (await downloadPaper(url, token)) {
        if (r.paperId === opened) r.loadedAll = true;
        el.dispatchEvent(new CustomEvent("stored", { detail: url }));
        updateChrome();
      }
    } catch {
      // offline or refused: read online next time
    }
  }

  function receipt(paper) {
    if (!ctx.roles.includes("delegate") || !outbox) return;
    const key = `${paper.paper_id} ${paper.sha256}`;
    if (receiptsSent.has(key)) return;
    receiptsSent.add(key);
    outbox.add("paper.opened", { paper_id: paper.paper_id, sha256: paper.sha256 });
  }

  function unload() {
    r.renderTask?.cancel();
    r.renderTask = null;
    const task = r.task;
    r.doc = null;
    r.task = null;
    r.paperId = null;
    // The loading task owns the document: destroying it frees both. Not awaited: the next
    // paper need not wait for PDF.js to finish its own pending work.
    task?.destroy().catch(() => {});
  }

  async function close() {
    if (r.presenting) setPresenting(false);
    el.hidden = true;
    document.body.classList.remove("reading");
    unload();
    if (r.returnFocus?.isConnected) r.returnFocus.focus();
    r.returnFocus = null;
    r.sha256 = null;
    el.dispatchEvent(new CustomEvent("closed"));
  }

  // -- drawing --------------------------------------------------------------------------------

  async function drawPage() {
    const doc = r.doc;
    if (!doc) return;
    const n = Math.min(Math.max(1, r.page), doc.numPages);
    r.page = n;
    const mine = ++r.rendering;
    updateChrome();
    const page = await doc.getPage(n);
    if (mine !== r.rendering || doc !== r.doc) return;
    const natural = page.getViewport({ scale: 1 });
    const room = Math.max(200, body.clientWidth - 24);
    const scale = (room / natural.width) * r.zoom;
    const viewport = page.getViewport({ scale });
    const ratio = window.devicePixelRatio || 1;
    // Draw on a fresh canvas, then swap it in: the old page stays until the new one is ready.
    const fresh = document.createElement("canvas");
    fresh.className = canvas.className;
    fresh.dataset.reader = "canvas";
    fresh.width = Math.floor(viewport.width * ratio);
    fresh.height = Math.floor(viewport.height * ratio);
    fresh.style.width = `${Math.floor(viewport.width)}px`;
    fresh.style.height = `${Math.floor(viewport.height)}px`;
    r.renderTask?.cancel();
    const task = page.render({
      canvasContext: fresh.getContext("2d"),
      canvas: fresh,
      viewport,
      transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
    });
    r.renderTask = task;
    try {
      await task.promise;
    } catch (err) {
      if (err?.name === "RenderingCancelledException") return;
      throw err;
    }
    if (mine !== r.rendering) return;
    sheet.querySelector("canvas").replaceWith(fresh);
    sheet.style.width = fresh.style.width;
    sheet.style.height = fresh.style.height;
    sheet.style.setProperty("--total-scale-factor", String(scale));
    sheet.dataset.page = String(n);
    sheet.dataset.rendered = String(mine);
    await drawText(page, viewport, mine);
    drawMarks();
  }

  async function drawText(page, viewport, mine) {
    const lib = await loadPdfjs();
    const layer = h("div", { class: "textLayer reader-text" });
    const text = new lib.TextLayer({ textContentSource: page.streamTextContent(), container: layer, viewport });
    try {
      await text.render();
    } catch {
      return; // no text layer (a scanned page): reading still works
    }
    if (mine !== r.rendering) return;
    sheet.querySelector(".reader-text").replaceWith(layer);
    markSearchHits(layer);
  }

  function markSearchHits(layer = sheet.querySelector(".reader-text")) {
    const query = foldText(r.search.query.trim());
    for (const span of layer.querySelectorAll("span")) {
      span.classList.toggle("reader-hit", Boolean(query) && foldText(span.textContent).includes(query));
    }
  }

  /** The notes and highlights of this page: the server's and those still in the outbox. */
  function pageNotes() {
    const state = ctx.replica.state;
    const shown = notesOn(state, r.sha256).filter((n) => n.page === r.page);
    const waiting = (outbox?.pending ?? [])
      .filter((e) => e.name === "paper.annotate" && e.args.sha256 === r.sha256 && e.args.page === r.page)
      .map((e) => ({ ...e.args, annotation_id: e.args.annotation_id ?? e.id, pending: true, rects: e.args.rects ?? [] }));
    const replaced = new Set(waiting.map((n) => n.annotation_id));
    const deleting = new Set(
      (outbox?.pending ?? []).filter((e) => e.name === "paper.annotation_delete").map((e) => e.args.annotation_id),
    );
    return [...shown.filter((n) => !replaced.has(n.annotation_id)), ...waiting].filter((n) => !deleting.has(n.annotation_id));
  }

  function drawMarks() {
    if (!r.doc) return;
    const items = [];
    for (const n of pageNotes()) {
      for (const [x, y, w, hgt] of n.rects) {
        items.push(
          h("div", {
            class: `reader-highlight${n.pending ? " pending" : ""}`,
            "data-annotation": n.annotation_id,
            style: `left:${x * 100}%;top:${y * 100}%;width:${w * 100}%;height:${hgt * 100}%`,
          }),
        );
      }
      if (!n.rects.length) {
        items.push(
          h(
            "button",
            {
              type: "button",
              class: `reader-pin${n.pending ? " pending" : ""}`,
              "data-annotation": n.annotation_id,
              style: `left:${n.x * 100}%;top:${n.y * 100}%`,
              title: n.text,
              "aria-label": t("reader.note_open"),
              onclick: (e) => (e.stopPropagation(), editNote(n)),
            },
            "✎",
          ),
        );
      }
    }
    fill(marks, items);
    renderNotesList();
  }

  // -- turning pages, zoom --------------------------------------------------------------------

  async function goTo(n) {
    if (!Number.isFinite(n)) return;
    const target = Math.min(Math.max(1, Math.round(n)), r.pages || 1);
    if (target === r.page && sheet.dataset.page === String(target)) {
      updateChrome();
      return;
    }
    r.page = target;
    if (r.presenting) present();
    await drawPage();
    body.scrollTop = 0;
  }

  function setZoom(z) {
    r.zoom = z;
    drawPage();
  }

  function zoomBy(step) {
    const i = ZOOMS.findIndex((z) => z >= r.zoom - 1e-9);
    const at = i === -1 ? ZOOMS.length - 1 : i;
    setZoom(ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, at + step))]);
  }

  // -- search ---------------------------------------------------------------------------------

  async function runSearch(query) {
    r.search.query = query;
    const folded = foldText(query.trim());
    r.search.hits = [];
    if (!folded || !r.doc) {
      renderResults();
      markSearchHits();
      return;
    }
    r.search.busy = true;
    renderResults();
    const doc = r.doc;
    for (let n = 1; n <= doc.numPages; n++) {
      const hits = await findOnPage(doc, n, folded, r.search.texts);
      if (doc !== r.doc || r.search.query !== query) return;
      r.search.hits.push(...hits);
    }
    r.search.busy = false;
    renderResults();
    markSearchHits();
    const first = r.search.hits.find((hit) => hit.page >= r.page) ?? r.search.hits[0];
    if (first) goTo(first.page);
  }

  function renderResults() {
    const { hits, busy, query } = r.search;
    let summary;
    if (busy) summary = t("reader.searching");
    else if (!query.trim()) summary = "";
    else if (!hits.length) summary = t("reader.no_hits", { query });
    else summary = t("reader.hits", { n: hits.length, pages: new Set(hits.map((x) => x.page)).size });
    fill(
      searchResults,
      summary ? h("li", { class: "reader-results-summary", "data-reader": "hits" }, summary) : null,
      hits.slice(0, 200).map((hit) =>
        h(
          "li",
          {},
          h(
            "button",
            { type: "button", class: "btn btn-quiet reader-result", onclick: () => goTo(hit.page) },
            h("strong", {}, t("reader.page_n", { n: hit.page })),
            " ",
            hit.text,
          ),
        ),
      ),
    );
  }

  // -- notes and highlights -------------------------------------------------------------------

  function setTool(tool) {
    r.tool = tool;
    updateChrome();
  }

  /** The selection inside the text layer as rectangles (fractions of the page), one per line. */
  function selectionRects() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    if (!sheet.contains(range.commonAncestorContainer)) return null;
    const rects = lineRects(range.getClientRects(), sheet.getBoundingClientRect());
    return rects.length ? { rects, text: selection.toString().trim().slice(0, MAX_QUOTE) } : null;
  }

  async function highlightSelection() {
    const found = selectionRects();
    if (!found) {
      toast(t("reader.select_first"));
      return;
    }
    window.getSelection()?.removeAllRanges();
    const [x, y] = found.rects[0];
    await annotate({ page: r.page, x, y, text: found.text, rects: found.rects });
  }

  function placeNote(event) {
    if (r.tool !== "note" || !r.doc) return;
    const box = sheet.getBoundingClientRect();
    const x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    const y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
    setTool("read");
    editNote({ annotation_id: null, page: r.page, x: Number(x.toFixed(4)), y: Number(y.toFixed(4)), text: "", rects: [] });
  }

  function editNote(n) {
    const area = h("textarea", { class: "reader-note-text", "data-reader": "note-text", rows: 5, maxlength: 4000 });
    area.value = n.text ?? "";
    const dialog = h(
      "form",
      { class: "reader-note-form card", "data-reader": "note-form" },
      h("h3", {}, n.annotation_id ? t("reader.note_edit") : t("reader.note_new"), " · ", t("reader.page_n", { n: n.page })),
      area,
      h(
        "div",
        { class: "reader-note-actions" },
        h("button", { type: "submit", class: "btn btn-primary", "data-reader": "note-save" }, t("reader.note_save")),
        n.annotation_id
          ? h("button", { type: "button", class: "btn btn-danger", "data-reader": "note-delete", onclick: () => done("delete") }, t("reader.note_delete"))
          : null,
        h("button", { type: "button", class: "btn", onclick: () => done(null) }, t("confirm.no")),
      ),
    );
    const backdrop = h("div", { class: "reader-note-backdrop" }, dialog);
    function done(action) {
      backdrop.remove();
      if (action === "save") {
        const args = { page: n.page, x: n.x, y: n.y, text: area.value.trim(), rects: n.rects ?? [] };
        if (n.annotation_id && !n.pending) args.annotation_id = n.annotation_id;
        annotate(args);
      } else if (action === "delete" && n.annotation_id && !n.pending) {
        outbox?.add("paper.annotation_delete", { annotation_id: n.annotation_id });
        drawMarks();
      }
    }
    dialog.addEventListener("submit", (e) => {
      e.preventDefault();
      done("save");
    });
    el.append(backdrop);
    area.focus();
  }

  async function annotate(args) {
    if (!outbox) return;
    const full = { paper_id: r.paperId, sha256: r.sha256, ...args };
    const pending = outbox.add("paper.annotate", full);
    drawMarks(); // shown at once, marked as waiting until the server has it
    const ack = await pending;
    if (!ack && !ctx.conn.connected) toast(t("reader.saved_offline"));
  }

  function renderNotesList() {
    if (r.panel !== "notes") return;
    const state = ctx.replica.state;
    const all = [...notesOn(state, r.sha256)].sort((a, b) => a.page - b.page || a.y - b.y);
    const waiting = (outbox?.pending ?? []).filter((e) => e.name === "paper.annotate" && e.args.sha256 === r.sha256);
    fill(
      notesList,
      !all.length && !waiting.length ? h("li", { class: "notice" }, t("reader.no_notes")) : null,
      all.map((n) =>
        h(
          "li",
          { "data-annotation": n.annotation_id },
          h(
            "button",
            { type: "button", class: "btn btn-quiet reader-result", onclick: () => goTo(n.page) },
            h("strong", {}, t("reader.page_n", { n: n.page })),
            " ",
            n.rects.length ? h("mark", {}, n.text || t("reader.highlight_mark")) : n.text,
          ),
        ),
      ),
      waiting.map((e) =>
        h("li", { class: "pending" }, h("strong", {}, t("reader.page_n", { n: e.args.page })), " ", e.args.text, " · ", t("reader.waiting")),
      ),
    );
  }

  // -- presenter ------------------------------------------------------------------------------

  function setFollow(on) {
    r.follow = on;
    writeFollow(on);
    if (on) followPresenter(ctx.replica.state, true);
    updateChrome();
  }

  function present() {
    ctx.conn.command("presenter.show", { paper_id: r.paperId, page: r.page }).catch((err) => toast(errorText(err), "error"));
  }

  function setPresenting(on) {
    r.presenting = on;
    if (on) present();
    else if (r.paperId) ctx.conn.command("presenter.stop", { paper_id: r.paperId }).catch(() => {});
    updateChrome();
  }

  /** Turn to the presenter's page when following; `force` after switching following on. */
  function followPresenter(state, force = false) {
    const shown = presenterPage(state);
    const key = shown ? `${shown.paper_id} ${shown.page} ${shown.at}` : null;
    if (!force && key === r.shownPresenter) return;
    r.shownPresenter = key;
    if (!shown || r.presenting) return;
    if (r.follow && !el.hidden) open(shown.paper_id, { page: shown.page });
  }

  function renderPresenterBar(state) {
    const shown = presenterPage(state);
    const elsewhere = shown && !r.presenting && (shown.paper_id !== r.paperId || shown.page !== r.page);
    presenterBar.hidden = !elsewhere;
    if (!elsewhere) return;
    const paper = paperById(state, shown.paper_id);
    fill(
      presenterBar,
      h("span", {}, t("reader.presenter_at", { title: paper?.title ?? "", page: shown.page })),
      h("button", { type: "button", class: "btn", "data-reader": "go-presenter", onclick: () => open(shown.paper_id, { page: shown.page }) }, t("reader.presenter_go")),
    );
  }

  // -- chrome ---------------------------------------------------------------------------------

  function togglePanel(name) {
    r.panel = r.panel === name ? null : name;
    side.hidden = r.panel === null;
    if (r.panel === "search") {
      fill(side, searchForm, searchResults);
      searchInput.focus();
    } else if (r.panel === "notes") {
      fill(side, h("h3", {}, t("reader.notes")), notesList);
      renderNotesList();
    }
    updateChrome();
    if (r.doc) drawPage();
  }

  function showMessage(text) {
    message.hidden = false;
    message.textContent = text;
    sheet.hidden = true;
  }

  function hideMessage() {
    message.hidden = true;
    sheet.hidden = false;
  }

  function updateChrome() {
    const state = ctx.replica.state;
    const paper = r.paperId && state ? paperById(state, r.paperId) : null;
    titleEl.textContent = paper?.title ?? "";
    status.textContent = r.loadedAll ? t("reader.on_device") : r.doc ? t("reader.loading_rest") : "";
    status.dataset.state = r.loadedAll ? "stored" : "loading";
    pageInput.value = String(r.page);
    pageInput.max = String(r.pages || 1);
    pageCount.textContent = `/ ${r.pages || "?"}`;
    prev.disabled = r.page <= 1;
    next.disabled = r.page >= r.pages;
    prev.setAttribute("aria-label", t("reader.prev"));
    next.setAttribute("aria-label", t("reader.next"));
    zoomOut.setAttribute("aria-label", t("reader.zoom_out"));
    zoomIn.setAttribute("aria-label", t("reader.zoom_in"));
    zoomLabel.textContent = `${Math.round(r.zoom * 100)}%`;
    zoomLabel.title = t("reader.zoom_fit");
    closeBtn.textContent = `← ${t("reader.close")}`;
    searchBtn.textContent = t("reader.search");
    searchBtn.setAttribute("aria-pressed", String(r.panel === "search"));
    notesBtn.textContent = t("reader.notes");
    notesBtn.setAttribute("aria-pressed", String(r.panel === "notes"));
    highlightBtn.textContent = t("reader.highlight");
    highlightBtn.hidden = !outbox;
    noteBtn.textContent = t("reader.note_tool");
    noteBtn.hidden = !outbox;
    noteBtn.setAttribute("aria-pressed", String(r.tool === "note"));
    sheet.classList.toggle("placing", r.tool === "note");
    followBtn.textContent = r.follow ? t("reader.following") : t("reader.follow");
    followBtn.setAttribute("aria-pressed", String(r.follow));
    followBtn.hidden = canPresent && r.presenting;
    if (presentBtn) {
      presentBtn.textContent = r.presenting ? t("reader.presenting") : t("reader.present");
      presentBtn.setAttribute("aria-pressed", String(r.presenting));
    }
    searchInput.setAttribute("aria-label", t("reader.search"));
  }

  return {
    el,
    open,
    close,
    get isOpen() {
      return !el.hidden;
    },
    get paperId() {
      return r.paperId;
    },
    render(state) {
      if (el.hidden) {
        followPresenter(state);
        return;
      }
      // A paper taken off the agenda, or replaced by a new version, while it is open.
      const paper = r.paperId ? paperById(state, r.paperId) : null;
      if (r.paperId && !paper) {
        close();
        toast(t("reader.withdrawn"));
        return;
      }
      if (paper && r.sha256 && paper.sha256 !== r.sha256 && r.doc) {
        toast(t("reader.new_version"));
        open(paper.paper_id, { page: r.page });
        return;
      }
      followPresenter(state);
      renderPresenterBar(state);
      drawMarks();
      updateChrome();
    },
  };
}
