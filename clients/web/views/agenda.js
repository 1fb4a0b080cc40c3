// Views of the sitting and its agenda, shared by the apps: the sitting's status, the current
// item, and the agenda list (with per-item actions supplied by the app).

import { agendaItems, currentItem } from "../areas/agenda.js";
import { t } from "../core/i18n.js";
import { formatTime, h } from "../core/ui.js";

export function sittingBadge(state) {
  return h("span", { class: `badge sitting-${state.status}`, "data-testid": "sitting-status" }, t(`sitting.${state.status}`));
}

export function itemTags(item) {
  return [
    item.urgent ? h("span", { class: "tag tag-urgent" }, t("item.urgent")) : null,
    item.access === "delegates" ? h("span", { class: "tag tag-closed" }, t("item.delegates")) : null,
  ];
}

/** The item under discussion, large; or why there is none. */
export function currentItemCard(state, { showDescription = true } = {}) {
  const item = currentItem(state);
  if (!item) {
    let text = t("item.none");
    if (state.closed_session) text = t("item.closed_session");
    else if (state.status === "closed") text = t("item.none_closed");
    return h(
      "section",
      { class: "current current-empty", "data-testid": "current-item", "aria-live": "polite" },
      h("p", { class: "current-none" }, text),
    );
  }
  return h(
    "section",
    { class: "current", "data-testid": "current-item", "data-item-id": item.item_id, "aria-live": "polite" },
    h("p", { class: "current-label" }, t("item.current"), " · ", t("item.number", { n: item.number }), " ", itemTags(item)),
    h("h2", { class: "current-title" }, item.title),
    showDescription && item.description ? h("p", { class: "current-description" }, item.description) : null,
  );
}

/**
 * The agenda in order. `actions(item)` returns the buttons of a row (or nothing); the current
 * item is marked for the eye and for screen readers.
 */
export function agendaList(state, { actions = null, descriptions = true } = {}) {
  const items = agendaItems(state);
  if (!items.length) return h("p", { class: "notice", "data-testid": "agenda-empty" }, t("agenda.empty"));
  return h(
    "ol",
    { class: "agenda", "data-testid": "agenda" },
    items.map((item) => {
      const current = item.item_id === state.current_item;
      const when = item.status === "closed" ? formatTime(item.closed_at) : formatTime(item.opened_at);
      return h(
        "li",
        {
          class: `agenda-item status-${item.status}${current ? " is-current" : ""}`,
          "data-item-id": item.item_id,
          "aria-current": current ? "true" : null,
        },
        h("span", { class: "agenda-number", "aria-hidden": "true" }, String(item.number)),
        h(
          "div",
          { class: "agenda-body" },
          h("p", { class: "agenda-title" }, item.title, " ", itemTags(item)),
          descriptions && item.description ? h("p", { class: "agenda-description" }, item.description) : null,
          h("p", { class: "agenda-status" }, t(`item.${item.status}`), when ? ` · ${when}` : ""),
        ),
        actions ? h("div", { class: "agenda-actions" }, actions(item)) : null,
      );
    }),
  );
}
