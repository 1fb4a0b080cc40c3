// The clerk's notes (ghi chép): what she writes down during the sitting, timestamped by the
// server and attached to the item under discussion, for the minutes. Typing never waits on
// the network: each note goes through the outbox (core/outbox.js), kept on the device until
// the server has it, so a note written during a Wi-Fi drop, or before a reload, is not lost.
// Until the chair approves the minutes a note can be corrected (the first text stays in the
// log); the list shows the notes of the current item, or of any item chosen.

import { agendaItems, currentItem } from "../areas/agenda.js";
import { minutesStatus } from "../areas/record.js";
import { t } from "../core/i18n.js";
import { fill, formatTime, h } from "../core/ui.js";

const MAX_NOTE = 10_000;

/** The tab's label, with the count of notes still waiting to reach the server. */
export function notesLabel(ctx) {
  const waiting = ctx.outbox?.pending.filter((e) => e.name.startsWith("note.")).length ?? 0;
  return waiting ? `${t("notes.tab")} (${t("notes.waiting_n", { n: waiting })})` : t("notes.tab");
}

export function notesPage(ctx) {
  let chosen = null; // an item id, or null for the current item
  const text = h("textarea", {
    id: "note-text",
    class: "note-input",
    rows: 4,
    maxlength: MAX_NOTE,
    "data-testid": "note-text",
    onkeydown: (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) save();
    },
  });
  const saveBtn = h("button", { type: "button", class: "btn btn-primary", "data-action": "add-note", onclick: () => save() });
  const heading = h("h2");
  const where = h("p", { class: "note-where" });
  const picker = h("select", { id: "note-item", "data-testid": "note-item", onchange: () => ((chosen = picker.value || null), render()) });
  const list = h("ol", { class: "notes", "data-testid": "notes" });
  const locked = h("p", { class: "notice", hidden: true });
  const el = h(
    "div",
    { class: "columns" },
    h(
      "section",
      { class: "card", "data-panel": "note-write" },
      heading,
      where,
      text,
      h("div", { class: "row-actions" }, saveBtn),
      locked,
    ),
    h("section", { class: "card", "data-panel": "note-list" }, h("label", { for: "note-item" }, t("notes.of_item")), picker, list),
  );

  function target(state) {
    if (chosen && state.items.has(chosen)) return chosen;
    return currentItem(state)?.item_id ?? null;
  }

  function save() {
    const value = text.value.trim();
    if (!value || !ctx.outbox) return;
    const state = ctx.replica.state;
    const args = { text: value };
    const item = target(state);
    if (item) args.item_id = item;
    ctx.outbox.add("note.add", args);
    text.value = "";
    text.focus();
    render();
  }

  function edit(note) {
    const area = h("textarea", { class: "note-input", rows: 3, maxlength: MAX_NOTE, "data-testid": "note-edit" });
    area.value = note.text;
    const row = list.querySelector(`[data-note-id="${note.note_id}"]`);
    const done = (keep) => {
      if (keep && area.value.trim() && area.value.trim() !== note.text) {
        ctx.outbox.add("note.edit", { note_id: note.note_id, text: area.value.trim() });
      }
      render();
    };
    fill(
      row,
      area,
      h(
        "div",
        { class: "row-actions" },
        h("button", { type: "button", class: "btn btn-primary", "data-action": "save-note", onclick: () => done(true) }, t("notes.save")),
        h("button", { type: "button", class: "btn", onclick: () => done(false) }, t("confirm.no")),
      ),
    );
    area.focus();
  }

  function render() {
    const state = ctx.replica.state;
    const item = target(state);
    const items = agendaItems(state);
    const current = currentItem(state);
    const open = minutesStatus(state) === "draft";
    heading.textContent = t("notes.write");
    saveBtn.textContent = t("notes.add");
    saveBtn.disabled = !open;
    text.disabled = !open;
    text.placeholder = t("notes.placeholder");
    text.setAttribute("aria-label", t("notes.write"));
    locked.hidden = open;
    locked.textContent = t("notes.locked");
    const shownItem = items.find((i) => i.item_id === item);
    where.textContent = shownItem
      ? t("notes.on_item", { n: shownItem.number, title: shownItem.title })
      : t("notes.no_item");

    fill(
      picker,
      h("option", { value: "", selected: chosen === null }, current ? t("notes.current_item", { n: current.number }) : t("notes.no_item")),
      items.map((i) => h("option", { value: i.item_id, selected: chosen === i.item_id }, `${i.number}. ${i.title}`)),
    );

    const notes = [...state.record.notes.values()].filter((n) => n.item_id === item).sort((a, b) => (a.at < b.at ? 1 : -1));
    const waiting = (ctx.outbox?.pending ?? []).filter(
      (e) => e.name === "note.add" && (e.args.item_id ?? null) === item,
    );
    const edits = new Map(
      (ctx.outbox?.pending ?? []).filter((e) => e.name === "note.edit").map((e) => [e.args.note_id, e.args.text]),
    );
    fill(
      list,
      !notes.length && !waiting.length ? h("li", { class: "notice" }, t("notes.none")) : null,
      waiting
        .slice()
        .reverse()
        .map((e) =>
          h(
            "li",
            { class: "note pending", "data-testid": "note-pending" },
            h("span", { class: "note-time" }, t("notes.waiting")),
            h("p", { class: "note-text" }, e.args.text),
          ),
        ),
      notes.map((n) =>
        h(
          "li",
          { class: "note", "data-note-id": n.note_id },
          h(
            "span",
            { class: "note-time" },
            formatTime(n.at),
            n.edited_at ? ` · ${t("notes.edited", { time: formatTime(n.edited_at) })}` : "",
            edits.has(n.note_id) ? ` · ${t("notes.waiting")}` : "",
          ),
          h("p", { class: "note-text" }, edits.get(n.note_id) ?? n.text),
          open
            ? h("button", { type: "button", class: "btn", "data-action": "edit-note", onclick: () => edit(n) }, t("notes.edit"))
            : null,
        ),
      ),
    );
  }

  return {
    el,
    render() {
      // The text box is never rebuilt (what she is typing stays); a note being corrected
      // holds the list still until it is saved or cancelled.
      if (list.querySelector("[data-testid=note-edit]")) return;
      render();
    },
  };
}
