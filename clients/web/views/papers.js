// The papers panel of the tablet and the chair's console: the papers of the item under
// discussion the moment the chair opens it, those of the other items below, which of them
// are on the device already, and the page the chair is showing. A tap opens the reader.
//
// On a delegate's tablet the panel also downloads, one at a time in the background, every
// paper she may read (the current item's first), so that all of them open without Wi-Fi.

import { agendaItems, currentItem } from "../areas/agenda.js";
import { papersOfItem, paperById, presenterPage } from "../areas/papers.js";
import { locale, t } from "../core/i18n.js";
import { cachedUrls, paperUrl, prefetch } from "../core/papers-cache.js";
import { fill, h } from "../core/ui.js";

/** "1,2 MB" or "350 kB", in the current language. */
export function formatSize(bytes) {
  const format = (n) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(n);
  if (bytes >= 1_000_000) return `${format(bytes / 1_000_000)} MB`;
  return `${format(Math.max(1, Math.round(bytes / 1000)))} kB`;
}

const SVG = "http://www.w3.org/2000/svg";

/** A sheet with a folded corner, drawn (an emoji would need a font the tablet may lack). */
function paperGlyph() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 30");
  svg.setAttribute("class", "paper-glyph");
  svg.setAttribute("aria-hidden", "true");
  const sheet = document.createElementNS(SVG, "path");
  sheet.setAttribute("d", "M2 1h14l6 6v22H2z M16 1v6h6 M6 13h12 M6 18h12 M6 23h8");
  svg.append(sheet);
  return svg;
}

function paperRow(paper, { stored, onOpen, current }) {
  return h(
    "li",
    { class: "paper-entry", "data-paper-id": paper.paper_id },
    h(
      "button",
      { type: "button", class: `paper-open${current ? " paper-presented" : ""}`, onclick: () => onOpen(paper) },
      paperGlyph(),
      h(
        "span",
        { class: "paper-text" },
        h("span", { class: "paper-title" }, paper.title),
        h(
          "span",
          { class: "paper-meta" },
          t(`papers.kind.${paper.kind}`),
          " · ",
          t("paper.pages", { n: paper.pages }),
          " · ",
          formatSize(paper.size),
          paper.versions.length > 1 ? h("span", { class: "tag" }, t("paper.version", { n: paper.versions.length })) : null,
          paper.access === "confidential" ? h("span", { class: "tag tag-warn" }, t("papers.access.confidential")) : null,
          stored ? h("span", { class: "tag tag-ok", "data-stored": "true" }, t("paper.on_device")) : null,
        ),
      ),
    ),
  );
}

/**
 * ctx:      the app's context
 * reader:   the reader (views/reader.js) to open papers in
 * prefetching: download every readable paper to the device (the delegate's tablet)
 */
export function papersPanel(ctx, reader, { prefetching = false } = {}) {
  const heading = h("h2", {}, t("paper.title"));
  const presenter = h("div", { class: "paper-presenter", hidden: true, "data-testid": "presenter-banner" });
  const current = h("ul", { class: "papers", "data-testid": "current-papers" });
  const others = h("div", { class: "papers-others" });
  const el = h("section", { class: "card", "data-panel": "papers" }, heading, presenter, current, others);
  let stored = new Set();
  let othersOpen = false;
  let fetching = null;
  let wanted = "";

  const open = (paper, page = 1) => reader.open(paper.paper_id, { page });

  async function refreshStored() {
    stored = await cachedUrls();
    if (ctx.replica.loaded) render(ctx.replica.state);
  }

  /** Every paper this device may read, the current item's first; fetched one at a time. */
  function prefetchAll(state) {
    if (!prefetching || navigator.onLine === false) return;
    const item = currentItem(state);
    const items = agendaItems(state);
    const ordered = [...(item ? [item] : []), ...items.filter((i) => i.item_id !== item?.item_id)];
    const urls = ordered.flatMap((i) => papersOfItem(state, i.item_id).map((p) => paperUrl(ctx.meetingId, p.sha256)));
    const key = urls.join(" ");
    if (key === wanted && fetching) return;
    wanted = key;
    fetching?.abort();
    const controller = new AbortController();
    fetching = controller;
    const token = ctx.session?.token ?? null;
    prefetch(urls, token, { signal: controller.signal, onStored: () => refreshStored() }).finally(() => {
      if (fetching === controller) fetching = null;
    });
  }

  window.addEventListener("online", () => ctx.replica.loaded && prefetchAll(ctx.replica.state));
  reader.el.addEventListener("stored", () => refreshStored());
  refreshStored();

  function render(state) {
    heading.textContent = t("paper.title");
    const item = currentItem(state);
    const shown = presenterPage(state);
    const mine = item ? papersOfItem(state, item.item_id) : [];
    const isStored = (p) => stored.has(paperUrl(ctx.meetingId, p.sha256));
    presenter.hidden = !shown;
    if (shown) {
      const paper = paperById(state, shown.paper_id);
      fill(
        presenter,
        h("span", {}, t("reader.presenter_at", { title: paper?.title ?? "", page: shown.page })),
        h("button", { type: "button", class: "btn btn-primary", "data-testid": "presenter-open", onclick: () => open(paper, shown.page) }, t("reader.presenter_go")),
      );
    }
    fill(
      current,
      !item ? h("li", { class: "notice" }, t("paper.no_item")) : null,
      item && !mine.length ? h("li", { class: "notice" }, t("paper.none")) : null,
      mine.map((p) => paperRow(p, { stored: isStored(p), onOpen: open, current: shown?.paper_id === p.paper_id })),
    );
    const rest = agendaItems(state)
      .filter((i) => i.item_id !== item?.item_id)
      .map((i) => [i, papersOfItem(state, i.item_id)])
      .filter(([, list]) => list.length);
    if (!rest.length) {
      fill(others);
    } else {
      const details = h(
        "details",
        { class: "papers-more", open: othersOpen, ontoggle: (e) => (othersOpen = e.target.open) },
        h("summary", {}, t("paper.other_items", { n: rest.reduce((sum, [, list]) => sum + list.length, 0) })),
        rest.map(([i, list]) =>
          h(
            "div",
            { class: "papers-item" },
            h("h3", {}, t("item.number", { n: i.number }), " · ", i.title),
            h("ul", { class: "papers" }, list.map((p) => paperRow(p, { stored: isStored(p), onOpen: open, current: false }))),
          ),
        ),
      );
      fill(others, details);
    }
    prefetchAll(state);
    reader.render(state);
  }

  return { el, render: (state) => render(state) };
}
