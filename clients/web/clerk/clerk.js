// The clerk's desk: build the agenda before and during the sitting. Add, edit, reorder and
// remove items, or import a whole agenda from a CSV file, read and checked in the browser
// and sent as one `agenda.add_item` command per row, in file order.
//
// Tabs beside the agenda: the votes (schedule them; enter a paper ballot's or a show of
// hands' counts, which closes the vote), the questions (their order, the answer of each
// called one, or a written answer) and attendance with the quorum.
//
// Papers (upload with progress, attach, new versions, read receipts) and the minutes
// (preview, draft sections, seal, bundle, addenda) are tabs of their own modules,
// clerk/papers.js and clerk/minutes.js. Panels as in the other apps.

import { orderedQuestions } from "../areas/floor.js";
import { openVote } from "../areas/votes.js";
import { startApp } from "../core/boot.js";
import { t } from "../core/i18n.js";
import { Outbox } from "../core/outbox.js";
import { confirmDialog, errorText, fill, h, tabs, toast } from "../core/ui.js";
import { agendaList, sittingBadge } from "../views/agenda.js";
import { attendancePanel, questionsPanel } from "../views/floor.js";
import { countsPanel, scheduleVotePanel, votesPanel } from "../views/votes.js";
import { decodeText, parseAgenda } from "./agenda-csv.js";
import { minutesLabel, minutesPage } from "./minutes.js";
import { notesLabel, notesPage } from "./notes.js";
import { papersLabel, papersPage } from "./papers.js";
import { rosterPanel } from "./roster.js";
import { devicesPanel } from "./pairing.js";

function move(order, itemId, step) {
  const from = order.indexOf(itemId);
  const to = from + step;
  if (from < 0 || to < 0 || to >= order.length) return null;
  const next = [...order];
  [next[from], next[to]] = [next[to], next[from]];
  return next;
}

function agendaPanel(ctx) {
  const heading = h("h2");
  const status = h("div", { class: "sitting-line" });
  const list = h("div");
  const el = h("section", { class: "card", "data-panel": "agenda" }, heading, status, list);
  const reorder = (order) => ctx.act("agenda", "agenda.reorder", { item_ids: order });
  return {
    el,
    render(state) {
      const locked = state.status === "closed";
      const busy = ctx.busy.has("agenda");
      const known = ctx.roles.length > 0;
      const staff = ctx.roles.some((r) => r === "clerk" || r === "chair");
      heading.textContent = `${t("agenda.title")} · ${t("agenda.count", { n: state.order.length })}`;
      fill(
        status,
        sittingBadge(state),
        locked ? h("p", { class: "notice notice-warn" }, t("clerk.locked")) : null,
        known && !staff ? h("p", { class: "notice notice-warn" }, t("clerk.not_staff")) : null,
      );
      const actions = (item) => {
        const up = move(state.order, item.item_id, -1);
        const down = move(state.order, item.item_id, 1);
        return [
          h(
            "button",
            { type: "button", class: "btn", "data-action": "up", "aria-label": t("clerk.move_up_label", { title: item.title }), disabled: locked || busy || !up, onclick: () => reorder(up) },
            "▲ ",
            t("clerk.move_up"),
          ),
          h(
            "button",
            { type: "button", class: "btn", "data-action": "down", "aria-label": t("clerk.move_down_label", { title: item.title }), disabled: locked || busy || !down, onclick: () => reorder(down) },
            "▼ ",
            t("clerk.move_down"),
          ),
          h(
            "button",
            { type: "button", class: "btn", "data-action": "edit", disabled: locked || item.status === "closed", onclick: () => editDialog(ctx, item) },
            t("clerk.edit"),
          ),
          h(
            "button",
            {
              type: "button",
              class: "btn",
              "data-action": "remove",
              disabled: locked || busy || item.opened_at !== null,
              onclick: async () => {
                if (await confirmDialog(t("clerk.confirm_remove", { title: item.title }), { yes: t("clerk.remove"), danger: true })) {
                  await ctx.act("agenda", "agenda.remove_item", { item_id: item.item_id }, { done: t("clerk.removed") });
                }
              },
            },
            t("clerk.remove"),
          ),
        ];
      };
      fill(list, agendaList(state, { actions }));
    },
  };
}

function itemFields(prefix, item = null) {
  const title = h("input", { id: `${prefix}-title`, name: "title", maxlength: "500", required: true, value: item?.title ?? "" });
  const description = h("textarea", { id: `${prefix}-description`, name: "description", maxlength: "20000" });
  description.value = item?.description ?? "";
  return {
    title,
    description,
    nodes: [
      h("label", { for: `${prefix}-title` }, t("field.title")),
      title,
      h("label", { for: `${prefix}-description` }, t("field.description")),
      description,
    ],
  };
}

function editDialog(ctx, item) {
  const fields = itemFields("edit", item);
  const error = h("p", { class: "form-error", role: "alert" });
  const save = h("button", { type: "submit", class: "btn btn-primary" }, t("clerk.save"));
  const form = h(
    "form",
    { novalidate: true },
    h("h2", {}, t("clerk.edit_title")),
    fields.nodes,
    error,
    h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => dialog.close() }, t("clerk.cancel")), save),
  );
  const dialog = h("dialog", { class: "dialog", "data-testid": "edit-dialog" }, form);
  dialog.addEventListener("close", () => dialog.remove());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const title = fields.title.value.trim();
    const description = fields.description.value.trim();
    if (!title) {
      error.textContent = t("field.required");
      return;
    }
    const args = { item_id: item.item_id };
    if (title !== item.title) args.title = title;
    if (description !== item.description) args.description = description;
    if (Object.keys(args).length === 1) return dialog.close();
    save.disabled = true;
    try {
      await ctx.conn.command("agenda.edit_item", args);
      toast(t("clerk.saved"), "ok");
      dialog.close();
    } catch (err) {
      error.textContent = errorText(err);
      save.disabled = false;
    }
  });
  document.body.append(dialog);
  dialog.showModal();
}

function addPanel(ctx) {
  const el = h("section", { class: "card", "data-panel": "add" });
  let fields;
  let restricted;
  let position;
  let submit;
  let error;
  const build = () => {
    fields = itemFields("add");
    restricted = h("input", { type: "checkbox", id: "add-delegates", name: "delegates" });
    position = h("input", { id: "add-position", name: "position", type: "number", min: "1", inputmode: "numeric" });
    error = h("p", { class: "form-error", role: "alert" });
    submit = h("button", { type: "submit", class: "btn btn-primary" }, t("clerk.add_submit"));
    const form = h(
      "form",
      { novalidate: true },
      fields.nodes,
      h("label", { class: "check" }, restricted, h("span", {}, t("field.delegates_only"))),
      h("label", { for: "add-position" }, t("field.position")),
      position,
      error,
      h("div", { class: "actions" }, submit),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const title = fields.title.value.trim();
      if (!title) {
        error.textContent = t("field.required");
        return;
      }
      error.textContent = "";
      const args = { title, description: fields.description.value.trim(), access: restricted.checked ? "delegates" : "public" };
      const at = Number.parseInt(position.value, 10);
      if (Number.isInteger(at) && at >= 1) args.position = at - 1;
      const ack = await ctx.act("add", "agenda.add_item", args, { done: t("clerk.added", { title }) });
      if (ack) {
        form.reset();
        fields.title.focus();
      }
    });
    fill(el, h("h2", {}, t("clerk.add")), form);
  };
  build();
  let lang = null;
  return {
    el,
    render(state) {
      // Rebuild only when the language changes, so that typing is never interrupted.
      if (lang !== t("clerk.add")) {
        lang = t("clerk.add");
        build();
      }
      submit.disabled = state.status === "closed" || ctx.busy.has("add");
    },
  };
}

function problemLine(p) {
  const where =
    p.row === null ? null : p.column === null ? t("import.where_row", { row: p.row }) : t("import.where_cell", { row: p.row, column: p.column });
  const message = t(`csv.${p.code}`, p.values);
  return h("li", {}, where ? `${where}: ${message}` : message);
}

function importPanel(ctx) {
  const el = h("section", { class: "card", "data-panel": "import" });
  const result = h("div", { "aria-live": "polite" });
  let rows = [];
  let running = false;
  let file;

  const run = async (button) => {
    running = true;
    button.disabled = true;
    const progress = h("progress", { class: "progress", max: String(rows.length), value: "0" });
    const text = h("p", {}, t("import.progress", { done: 0, n: rows.length }));
    fill(result, text, progress);
    let done = 0;
    for (const row of rows) {
      try {
        await ctx.conn.command("agenda.add_item", { title: row.title, description: row.description, access: row.access });
      } catch (err) {
        fill(result, h("p", { class: "problems", role: "alert" }, t("import.stopped", { row: row.row, message: errorText(err), done, n: rows.length })));
        running = false;
        rows = [];
        return;
      }
      done += 1;
      progress.value = done;
      text.textContent = t("import.progress", { done, n: rows.length });
    }
    fill(result, h("p", { class: "notice", "data-testid": "import-done" }, t("import.done", { n: rows.length })));
    toast(t("import.done", { n: rows.length }), "ok");
    running = false;
    rows = [];
    file.value = "";
  };

  const read = async () => {
    const chosen = file.files?.[0];
    rows = [];
    if (!chosen) return fill(result);
    const decoded = decodeText(new Uint8Array(await chosen.arrayBuffer()));
    const parsed = decoded.problem ? { rows: [], problems: [decoded.problem] } : parseAgenda(decoded.text);
    if (parsed.problems.length) {
      fill(
        result,
        h("p", { class: "problems", role: "alert" }, t("import.problems")),
        h("ul", { class: "problems", "data-testid": "import-problems" }, parsed.problems.map(problemLine)),
      );
      return;
    }
    rows = parsed.rows;
    const button = h(
      "button",
      { type: "button", class: "btn btn-primary", "data-action": "import", onclick: (e) => run(e.currentTarget) },
      t("import.submit", { n: rows.length }),
    );
    fill(
      result,
      h("p", {}, t("import.ready", { n: rows.length })),
      h("ol", { class: "import-preview" }, rows.map((r) => h("li", {}, r.title, " ", r.access === "delegates" ? h("span", { class: "tag tag-closed" }, t("item.delegates")) : null))),
      h("div", { class: "actions" }, button),
    );
  };

  const build = () => {
    file = h("input", { type: "file", id: "import-file", accept: ".csv,text/csv", class: "file-input", onchange: read });
    fill(
      el,
      h("h2", {}, t("import.title")),
      h("p", {}, t("import.help")),
      file,
      h("label", { for: "import-file", class: "btn file-label" }, t("import.choose")),
      result,
    );
  };
  build();
  let lang = null;
  return {
    el,
    render() {
      if (lang !== t("import.title") && !running) {
        lang = t("import.title");
        rows = [];
        build();
        fill(result);
      }
    },
  };
}

startApp({
  app: "clerk",
  role: "clerk",
  signIn: "required",
  mount(ctx) {
    const who = ctx.session?.user?.id ?? "anonymous";
    ctx.outbox = new Outbox(`meeting.outbox.clerk.${ctx.meetingId}.${who}`, ctx.conn, {
      onChange: () => ctx.refresh(),
      onRefused: (entry, err) => toast(errorText(err), "error"),
    });
    const left = [agendaPanel(ctx)];
    const right = [addPanel(ctx), importPanel(ctx), rosterPanel(ctx)];
    const agenda = {
      el: h("div", { class: "columns columns-clerk" }, h("div", {}, left.map((p) => p.el)), h("div", {}, right.map((p) => p.el))),
      render(state) {
        for (const panel of [...left, ...right]) panel.render(state, ctx);
      },
    };
    const counts = countsPanel(ctx);
    const votesList = votesPanel(ctx);
    const schedule = scheduleVotePanel(ctx, { open: true });
    const votes = {
      el: h("div", { class: "columns" }, h("div", {}, counts.el), h("div", {}, votesList.el, schedule.el)),
      render(state) {
        for (const panel of [counts, votesList, schedule]) panel.render(state, ctx);
      },
    };
    const paperOpen = (s) => {
      const v = s && openVote(s);
      return v && (v.method === "paper" || v.method === "show_of_hands");
    };
    const page = tabs("clerk", [
      { id: "agenda", label: () => t("tab.agenda"), panels: [agenda] },
      { id: "papers", label: () => papersLabel(ctx), panels: [papersPage(ctx)] },
      { id: "votes", label: (s) => (paperOpen(s) ? `${t("tab.votes")} ●` : t("tab.votes")), panels: [votes] },
      {
        id: "questions",
        label: (s) => {
          const n = s ? orderedQuestions(s).filter((q) => q.status === "called").length : 0;
          return n ? `${t("tab.questions")} (${n})` : t("tab.questions");
        },
        panels: [questionsPanel(ctx, { manage: true })],
      },
      { id: "attendance", label: () => t("tab.attendance"), panels: [attendancePanel(ctx)] },
      { id: "notes", label: () => notesLabel(ctx), panels: [notesPage(ctx)] },
      { id: "minutes", label: minutesLabel, panels: [minutesPage(ctx)] },
      { id: "devices", label: () => t("pairing.tab"), panels: [devicesPanel(ctx)] },
    ]);
    ctx.main.append(page.el);
    return () => page.render(ctx.replica.state, ctx);
  },
});
