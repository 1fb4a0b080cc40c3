// The clerk's papers (tài liệu): upload PDFs, attach them to agenda items, put up new
// versions, take them off, and see who has opened each one.
//
// - Upload: drop files on the drop zone or pick them (several at once); each has its own
//   progress bar, the server's refusal in words (not a PDF, too large, encrypted, …) and a
//   retry (views/upload.js). A file stored already comes back at once with its hash.
// - Attach (`paper.attach`): the item, the title, the kind (tờ trình, dự thảo nghị quyết,
//   báo cáo, khác) and who may read it: everyone, delegates, or named delegates
//   (confidential: each reads her own watermarked copy).
// - Each item's papers: kind, access, versions, pages, size; a new version
//   (`paper.replace`, from a file uploaded before or one uploaded in the dialog; the old one
//   stays in the archive); detach (`paper.detach`).
// - Read receipts: how many of those who may read a paper have opened its current version,
//   and, on demand, the names of those who have not.

import { agendaItems, memberName } from "../areas/agenda.js";
import { delegatesWithAttendance } from "../areas/floor.js";
import { papersOfItem, readersOf, uploadedFiles } from "../areas/papers.js";
import { locale, t } from "../core/i18n.js";
import { confirmDialog, errorText, fill, h, toast } from "../core/ui.js";
import { itemTags } from "../views/agenda.js";
import { openInTab } from "../views/files.js";
import { UploadQueue, formatSize, uploadRow } from "../views/upload.js";

export const KINDS = ["submission", "draft_resolution", "report", "other"];
export const ACCESS = ["public", "delegates", "confidential"];

/** Every file that is a version of some paper (staff see every paper). */
function attachedFiles(state) {
  const out = new Set();
  for (const p of state.papers.byId.values()) for (const v of p.versions) out.add(v.sha256);
  return out;
}

function fileLabel(f) {
  const name = f.title || f.filename || f.sha256.slice(0, 12);
  return `${name} · ${t("papers.pages", { n: f.pages })} · ${formatSize(f.size, locale())}`;
}

/** The delegates who may read a paper: its named readers, or every delegate of the roster. */
function audienceOf(state, p) {
  if (p.access === "confidential") return [...(p.readers ?? [])];
  return delegatesWithAttendance(state).map((m) => m.user_id);
}

/** `{opened, of, missing}` for the paper's current version, among those who may read it. */
export function receiptCount(state, p) {
  const opened = readersOf(state, p.sha256);
  const audience = audienceOf(state, p);
  const missing = audience.filter((u) => !opened.has(u));
  return { opened: audience.length - missing.length, of: audience.length, missing };
}

// -- dialogs ---------------------------------------------------------------------------------

function dialogShell(testid, heading, ...body) {
  const dialog = h("dialog", { class: "dialog dialog-wide", "data-testid": testid });
  dialog.addEventListener("close", () => dialog.remove());
  const error = h("p", { class: "form-error", role: "alert" });
  return { dialog, error, heading: h("h2", {}, heading), body };
}

/** Buttons that choose one value of several (a segmented control, big enough to tap). */
function choice(name, values, label, selected, onchange) {
  let current = selected;
  const group = h("div", { class: "seg", role: "group", "data-choice": name });
  const draw = () =>
    fill(
      group,
      values.map((v) =>
        h(
          "button",
          {
            type: "button",
            class: "btn seg-btn",
            "data-value": v,
            "aria-pressed": String(v === current),
            onclick: () => {
              current = v;
              draw();
              onchange(v);
            },
          },
          label(v),
        ),
      ),
    );
  draw();
  return { el: group, value: () => current };
}

function attachDialog(ctx, { sha = null, itemId = null, extra = null } = {}) {
  const state = ctx.replica.state;
  const attached = attachedFiles(state);
  const files = uploadedFiles(state).reverse();
  if (extra && !files.some((f) => f.sha256 === extra.sha256)) files.unshift(extra);
  // Files on no item come first: they are the ones waiting to be attached.
  files.sort((a, b) => Number(attached.has(a.sha256)) - Number(attached.has(b.sha256)));
  const shell = dialogShell("attach-dialog", t("papers.attach_title"));
  const file = h(
    "select",
    { id: "attach-file", name: "file", required: true },
    files.map((f) => h("option", { value: f.sha256, selected: f.sha256 === sha }, fileLabel(f))),
  );
  const items = agendaItems(state);
  const item = h(
    "select",
    { id: "attach-item", name: "item", required: true },
    h("option", { value: "" }, t("papers.choose_item")),
    items.map((i) => h("option", { value: i.item_id, selected: i.item_id === itemId }, `${i.number}. ${i.title}`)),
  );
  const title = h("input", { id: "attach-title", name: "title", maxlength: "500" });
  const defaultTitle = () => {
    const f = files.find((x) => x.sha256 === file.value);
    return f ? f.title || (f.filename ?? "").replace(/\.pdf$/i, "") : "";
  };
  let titleTouched = false;
  title.value = defaultTitle();
  title.addEventListener("input", () => (titleTouched = true));
  file.addEventListener("change", () => {
    if (!titleTouched) title.value = defaultTitle();
  });
  const kind = h(
    "select",
    { id: "attach-kind", name: "kind" },
    KINDS.map((k) => h("option", { value: k, selected: k === "submission" }, t(`papers.kind.${k}`))),
  );
  const readerBoxes = delegatesWithAttendance(state).map((m) => ({
    id: m.user_id,
    box: h("input", { type: "checkbox", name: "reader", value: m.user_id }),
    name: m.name,
  }));
  const readers = h(
    "fieldset",
    { class: "readers", "data-testid": "readers", hidden: true },
    h("legend", {}, t("papers.readers")),
    h("div", { class: "readers-grid" }, readerBoxes.map((r) => h("label", { class: "check" }, r.box, h("span", {}, r.name)))),
  );
  readers.addEventListener("change", () => (shell.error.textContent = ""));
  const access = choice("access", ACCESS, (a) => t(`papers.access.${a}`), "delegates", (a) => {
    readers.hidden = a !== "confidential";
  });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("papers.attach_submit"));
  const form = h(
    "form",
    { novalidate: true },
    shell.heading,
    h("label", { for: "attach-file" }, t("papers.file")),
    file,
    h("label", { for: "attach-item" }, t("papers.item")),
    item,
    h("label", { for: "attach-title" }, t("papers.paper_title")),
    title,
    h("label", { for: "attach-kind" }, t("papers.kind")),
    kind,
    h("p", { class: "label" }, t("papers.access")),
    access.el,
    h("p", { class: "muted access-help" }, t("papers.access_help")),
    readers,
    shell.error,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "btn", onclick: () => shell.dialog.close() }, t("clerk.cancel")),
      submit,
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const args = { item_id: item.value, sha256: file.value, kind: kind.value, access: access.value() };
    if (!args.sha256 || !args.item_id) {
      shell.error.textContent = args.sha256 ? t("papers.choose_item") : t("papers.no_files");
      return;
    }
    if (title.value.trim()) args.title = title.value.trim();
    if (args.access === "confidential") {
      args.readers = readerBoxes.filter((r) => r.box.checked).map((r) => r.id);
      if (!args.readers.length) {
        shell.error.textContent = t("papers.readers_needed");
        return;
      }
    }
    submit.disabled = true;
    shell.error.textContent = "";
    try {
      await ctx.conn.command("paper.attach", args);
      toast(t("papers.attached", { title: args.title ?? defaultTitle() }), "ok");
      shell.dialog.close();
    } catch (err) {
      shell.error.textContent = errorText(err);
      submit.disabled = false;
    }
  });
  shell.dialog.append(form);
  document.body.append(shell.dialog);
  shell.dialog.showModal();
  (sha ? item : file).focus();
}

function replaceDialog(ctx, queue, paper) {
  const state = ctx.replica.state;
  const candidates = uploadedFiles(state)
    .reverse()
    .filter((f) => !paper.versions.some((v) => v.sha256 === f.sha256));
  const shell = dialogShell("replace-dialog", t("papers.replace_title", { title: paper.title }));
  const file = h(
    "select",
    { id: "replace-file", name: "file" },
    h("option", { value: "" }, t("papers.choose_file")),
    candidates.map((f) => h("option", { value: f.sha256 }, fileLabel(f))),
  );
  const rows = h("ul", { class: "rows uploads" });
  const picker = h("input", {
    type: "file",
    id: "replace-upload",
    accept: ".pdf,application/pdf",
    class: "file-input",
    onchange: () => {
      const [entry] = queue.add(picker.files);
      picker.value = "";
      if (!entry) return;
      submit.disabled = true;
      const row = uploadRow(queue, entry, { locale: locale() });
      rows.append(row.el);
      const follow = (e) => {
        if (e.detail !== entry) return;
        row.update();
        if (entry.state === "done") {
          const r = entry.result;
          if (!paper.versions.some((v) => v.sha256 === r.sha256)) {
            const known = [...file.options].find((o) => o.value === r.sha256);
            if (!known) file.append(h("option", { value: r.sha256 }, fileLabel(r)));
            file.value = r.sha256;
          } else {
            shell.error.textContent = t("papers.same_version");
          }
        }
        if (entry.state === "done" || entry.state === "failed") submit.disabled = false;
      };
      queue.addEventListener("change", follow);
      shell.dialog.addEventListener("close", () => queue.removeEventListener("change", follow));
    },
  });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("papers.replace_submit"));
  const current = paper.versions.length;
  const form = h(
    "form",
    { novalidate: true },
    shell.heading,
    h("p", {}, t("papers.current_version", { n: current, pages: paper.pages, size: formatSize(paper.size, locale()) })),
    h("label", { for: "replace-file" }, t("papers.replace_from")),
    file,
    h("p", { class: "muted" }, t("papers.or")),
    picker,
    h("label", { for: "replace-upload", class: "btn file-label" }, "⤒ ", t("papers.replace_upload")),
    rows,
    h("p", { class: "muted" }, t("papers.replace_help")),
    shell.error,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "btn", onclick: () => shell.dialog.close() }, t("clerk.cancel")),
      submit,
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!file.value) {
      shell.error.textContent = t("papers.choose_file");
      return;
    }
    submit.disabled = true;
    shell.error.textContent = "";
    try {
      await ctx.conn.command("paper.replace", { paper_id: paper.paper_id, sha256: file.value });
      toast(t("papers.replaced", { title: paper.title, n: current + 1 }), "ok");
      shell.dialog.close();
    } catch (err) {
      shell.error.textContent = errorText(err);
      submit.disabled = false;
    }
  });
  shell.dialog.append(form);
  document.body.append(shell.dialog);
  shell.dialog.showModal();
}

// -- the panels ------------------------------------------------------------------------------

function receipts(state, p, expanded) {
  const count = receiptCount(state, p);
  const details = h(
    "details",
    { class: "receipts", "data-testid": "receipts", open: expanded.has(p.paper_id) },
    h("summary", { "data-testid": "receipt-count" }, t("papers.receipts", { opened: count.opened, n: count.of })),
    h(
      "div",
      { class: "receipts-body" },
      count.missing.length
        ? [
            h("p", { class: "receipts-label" }, t("papers.not_opened", { n: count.missing.length })),
            h("ul", { class: "receipts-names", "data-testid": "not-opened" }, count.missing.map((u) => h("li", {}, memberName(state, u)))),
          ]
        : h("p", { class: "receipts-label" }, t("papers.all_opened")),
      p.versions.length > 1 ? h("p", { class: "muted" }, t("papers.receipts_version", { n: p.versions.length })) : null,
    ),
  );
  details.addEventListener("toggle", () => {
    if (details.open) expanded.add(p.paper_id);
    else expanded.delete(p.paper_id);
  });
  return details;
}

function accessTag(state, p) {
  if (p.access === "confidential") {
    const n = (p.readers ?? []).length;
    return h("span", { class: "tag tag-confidential", title: (p.readers ?? []).map((u) => memberName(state, u)).join(", ") }, t("papers.access_confidential_n", { n }));
  }
  return h("span", { class: `tag tag-access-${p.access}` }, t(`papers.access.${p.access}`));
}

function paperRow(ctx, queue, state, p, { locked, expanded }) {
  const busy = ctx.busy.has(`paper:${p.paper_id}`);
  const detach = async () => {
    if (await confirmDialog(t("papers.confirm_detach", { title: p.title }), { yes: t("papers.detach"), danger: true })) {
      await ctx.act(`paper:${p.paper_id}`, "paper.detach", { paper_id: p.paper_id }, { done: t("papers.detached", { title: p.title }) });
    }
  };
  const path = `/api/meetings/${encodeURIComponent(ctx.meetingId)}/papers/${p.sha256}`;
  return h(
    "li",
    { class: "row paper", "data-paper-id": p.paper_id, "data-testid": "paper" },
    h("span", { class: `paper-icon kind-${p.kind}`, "aria-hidden": "true" }, "PDF"),
    h(
      "div",
      { class: "row-body" },
      h("p", { class: "row-title paper-title" }, p.title),
      h(
        "p",
        { class: "row-detail paper-facts" },
        h("span", { class: "tag tag-kind" }, t(`papers.kind.${p.kind}`)),
        accessTag(state, p),
        h("span", { "data-testid": "versions" }, t("papers.versions", { n: p.versions.length })),
        h("span", {}, t("papers.pages", { n: p.pages })),
        h("span", {}, formatSize(p.size, locale())),
      ),
      receipts(state, p, expanded),
    ),
    h(
      "div",
      { class: "row-actions" },
      h("button", { type: "button", class: "btn", "data-action": "view", onclick: () => openInTab(ctx, path, `${p.title}.pdf`) }, t("papers.view")),
      h(
        "button",
        { type: "button", class: "btn", "data-action": "replace", disabled: locked || busy, onclick: () => replaceDialog(ctx, queue, p) },
        t("papers.replace"),
      ),
      h("button", { type: "button", class: "btn", "data-action": "detach", disabled: locked || busy, onclick: detach }, t("papers.detach")),
    ),
  );
}

function itemsPanel(ctx, queue) {
  const el = h("section", { class: "card", "data-panel": "papers" });
  const expanded = new Set();
  return {
    el,
    render(state) {
      const locked = state.status === "closed";
      const items = agendaItems(state);
      const total = items.reduce((n, i) => n + papersOfItem(state, i.item_id).length, 0);
      fill(
        el,
        h("h2", {}, t("papers.title"), " · ", t("papers.count", { n: total })),
        locked ? h("p", { class: "notice notice-warn" }, t("papers.locked")) : null,
        items.length
          ? h(
              "ol",
              { class: "paper-items" },
              items.map((item) => {
                const papers = papersOfItem(state, item.item_id);
                return h(
                  "li",
                  { class: "paper-item", "data-item-id": item.item_id },
                  h(
                    "div",
                    { class: "paper-item-head" },
                    h("h3", { class: "paper-item-title" }, `${item.number}. `, item.title, " ", itemTags(item)),
                    h(
                      "button",
                      { type: "button", class: "btn", "data-action": "attach-here", disabled: locked, onclick: () => attachDialog(ctx, { itemId: item.item_id }) },
                      "+ ",
                      t("papers.attach_here"),
                    ),
                  ),
                  papers.length
                    ? h("ul", { class: "rows" }, papers.map((p) => paperRow(ctx, queue, state, p, { locked, expanded })))
                    : h("p", { class: "muted paper-none" }, t("papers.none")),
                );
              }),
            )
          : h("p", { class: "muted" }, t("papers.no_items")),
      );
    },
  };
}

function uploadPanel(ctx, queue) {
  const picker = h("input", {
    type: "file",
    id: "paper-files",
    multiple: true,
    accept: ".pdf,application/pdf",
    class: "file-input",
    onchange: () => {
      queue.add(picker.files);
      picker.value = "";
    },
  });
  const heading = h("h2");
  const hint = h("p", { class: "dropzone-text" });
  const or = h("p", { class: "muted" });
  const choose = h("label", { for: "paper-files", class: "btn btn-primary file-label" });
  const help = h("p", { class: "muted dropzone-help" });
  const zone = h("div", { class: "dropzone", "data-testid": "dropzone" }, h("span", { class: "dropzone-icon", "aria-hidden": "true" }, "⤒"), hint, or, picker, choose, help);
  let depth = 0;
  zone.addEventListener("dragenter", (e) => {
    e.preventDefault();
    depth += 1;
    zone.classList.add("is-over");
  });
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
  });
  zone.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) zone.classList.remove("is-over");
  });
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove("is-over");
    const files = e.dataTransfer?.files;
    if (files?.length) queue.add(files);
  });
  // A file dropped beside the zone must not replace the app with the PDF.
  for (const type of ["dragover", "drop"]) {
    window.addEventListener(type, (e) => {
      if (e.dataTransfer?.types?.includes("Files")) e.preventDefault();
    });
  }

  const list = h("ul", { class: "rows uploads", "data-testid": "uploads" });
  const waiting = h("div", { "data-testid": "unattached" });
  const rows = new Map();
  const actions = (entry) => {
    const state = ctx.replica.state;
    const sha = entry.result.sha256;
    if (state && attachedFiles(state).has(sha)) {
      return [
        h("span", { class: "tag tag-ok" }, "✓ ", t("upload.attached")),
        h("button", { type: "button", class: "btn", "data-action": "hide", onclick: () => queue.remove(entry) }, t("upload.hide")),
      ];
    }
    return h(
      "button",
      { type: "button", class: "btn btn-primary", "data-action": "attach", onclick: () => attachDialog(ctx, { sha, extra: entry.result }) },
      t("upload.attach"),
    );
  };
  queue.addEventListener("change", (e) => {
    const entry = e.detail;
    if (!queue.entries.includes(entry)) return;
    let row = rows.get(entry.id);
    if (!row) {
      row = uploadRow(queue, entry, { locale: locale(), actions });
      rows.set(entry.id, row);
      list.append(row.el);
    }
    row.update();
  });
  queue.addEventListener("remove", (e) => {
    rows.get(e.detail.id)?.el.remove();
    rows.delete(e.detail.id);
  });

  const el = h("section", { class: "card", "data-panel": "upload" }, heading, zone, list, waiting);
  return {
    el,
    render(state) {
      heading.textContent = t("upload.title");
      hint.textContent = t("upload.drop");
      or.textContent = t("papers.or");
      choose.textContent = t("upload.choose");
      help.textContent = t("upload.help");
      for (const row of rows.values()) row.update();
      const attached = attachedFiles(state);
      const inQueue = new Set(queue.entries.filter((e) => e.result).map((e) => e.result.sha256));
      const loose = uploadedFiles(state).filter((f) => !attached.has(f.sha256) && !inQueue.has(f.sha256));
      fill(
        waiting,
        loose.length
          ? [
              h("h3", { class: "subhead" }, t("upload.unattached", { n: loose.length })),
              h(
                "ul",
                { class: "rows" },
                loose.map((f) =>
                  h(
                    "li",
                    { class: "row upload", "data-state": "done" },
                    h("span", { class: "upload-icon", "aria-hidden": "true" }, "PDF"),
                    h("div", { class: "row-body" }, h("p", { class: "row-title" }, f.title || f.filename), h("p", { class: "row-detail" }, f.filename, " · ", t("papers.pages", { n: f.pages }), " · ", formatSize(f.size, locale()))),
                    h(
                      "div",
                      { class: "row-actions" },
                      h("button", { type: "button", class: "btn btn-primary", "data-action": "attach", disabled: state.status === "closed", onclick: () => attachDialog(ctx, { sha: f.sha256 }) }, t("upload.attach")),
                    ),
                  ),
                ),
              ),
            ]
          : null,
      );
    },
  };
}

/** The papers tab of the clerk's desk: each item's papers beside the uploads. */
export function papersPage(ctx) {
  const queue = new UploadQueue(ctx.meetingId, ctx.session?.token ?? null);
  const items = itemsPanel(ctx, queue);
  const upload = uploadPanel(ctx, queue);
  ctx.uploads = queue; // for the browser console and the tests
  // A file that starts, ends or fails changes the tab's label and the lists: render then
  // (not on every progress event, which only moves its own bar).
  const seen = new Map();
  queue.addEventListener("change", (e) => {
    if (seen.get(e.detail.id) === e.detail.state) return;
    seen.set(e.detail.id, e.detail.state);
    ctx.refresh();
  });
  return {
    el: h("div", { class: "columns columns-papers" }, h("div", {}, items.el), h("div", {}, upload.el)),
    render(state) {
      items.render(state, ctx);
      upload.render(state, ctx);
    },
  };
}

/** The tab's label: papers, and uploads still going. */
export function papersLabel(ctx) {
  const going = ctx.uploads?.entries.filter((e) => e.state !== "done" && e.state !== "failed").length ?? 0;
  return going ? `${t("tab.papers")} ⤒${going}` : t("tab.papers");
}
