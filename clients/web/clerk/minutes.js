// The clerk's minutes (biên bản): where they stand, a preview of the server's rendering, the
// draft sections the clerk writes (`minutes.set_section`: general, opening, closing and one
// per agenda item, until the chair approves), the seal once approved (`POST …/minutes/seal`
// builds the archive bundle and records its manifest hash), the downloads (PDF, and the
// sealed bundle to check offline with `meeting verify BUNDLE --manifest HASH`) and the
// addenda that correct sealed minutes (`minutes.add_addendum`).

import { agendaItems } from "../areas/agenda.js";
import { minutesStatus, sectionText } from "../areas/record.js";
import { api } from "../core/http.js";
import { t } from "../core/i18n.js";
import { confirmDialog, errorText, fill, formatTime, h, toast } from "../core/ui.js";
import { download } from "../views/files.js";
import { minutesPath, minutesPreview, minutesSteps, previewButtons } from "../views/minutes.js";

/** Tries of the seal when the log moves while the bundle is built (a receipt, a note). */
const SEAL_TRIES = 3;

function statusPanel(ctx) {
  const body = h("div");
  const preview = minutesPreview(ctx);
  const el = h("section", { class: "card minutes-card", "data-panel": "minutes" }, body, preview.el);
  const base = `/api/meetings/${encodeURIComponent(ctx.meetingId)}/minutes`;

  const seal = async () => {
    if (!(await confirmDialog(t("minutes.confirm_seal"), { yes: t("minutes.seal") }))) return;
    ctx.busy.add("seal");
    ctx.refresh();
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const sealed = await api(`${base}/seal`, { method: "POST", token: ctx.session?.token });
          toast(t("minutes.sealed", { hash: sealed.manifest_sha256.slice(0, 12) }), "ok");
          return;
        } catch (err) {
          const moved = err.code === "invalid_state" && minutesStatus(ctx.replica.state) === "approved";
          if (!moved || attempt >= SEAL_TRIES) throw err;
        }
      }
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      ctx.busy.delete("seal");
      ctx.refresh();
    }
  };

  return {
    el,
    render(state) {
      const status = minutesStatus(state);
      const r = state.record;
      let next;
      if (status === "draft") {
        next = h("p", { class: "notice" }, state.status === "closed" ? t("minutes.wait_approval") : t("minutes.wait_close"));
      } else if (status === "approved") {
        next = h("p", { class: "notice notice-ok" }, t("minutes.approved_at", { time: formatTime(r.approved_at) }), " ", t("minutes.seal_help"));
      } else {
        next = h(
          "div",
          { class: "notice notice-ok sealed" },
          h("p", {}, t("minutes.sealed_at", { time: formatTime(r.sealed_at) })),
          h("p", { class: "manifest-label" }, t("minutes.manifest")),
          h("code", { class: "manifest", "data-testid": "manifest" }, r.sealed_manifest),
          h("p", { class: "muted" }, t("minutes.verify_help")),
        );
      }
      fill(
        body,
        h("h2", {}, t("minutes.title")),
        minutesSteps(state),
        next,
        h(
          "div",
          { class: "controls" },
          status === "approved"
            ? h(
                "button",
                { type: "button", class: "btn btn-primary btn-big", "data-action": "seal", disabled: ctx.busy.has("seal"), onclick: seal },
                ctx.busy.has("seal") ? t("minutes.sealing") : t("minutes.seal"),
              )
            : null,
          status === "sealed"
            ? h(
                "button",
                { type: "button", class: "btn btn-primary", "data-action": "bundle", onclick: () => download(ctx, `${base}/bundle`, "bien-ban.zip") },
                "⤓ ",
                t("minutes.bundle"),
              )
            : null,
          previewButtons(ctx, preview),
          h(
            "button",
            { type: "button", class: "btn", "data-action": "download-pdf", onclick: () => download(ctx, minutesPath(ctx, "pdf"), "bien-ban.pdf") },
            "⤓ ",
            t("minutes.download_pdf"),
          ),
        ),
      );
    },
  };
}

const FIXED_SECTIONS = ["general", "opening", "closing"];

/** The draft sections: built once per language and agenda, so that typing is never cut. */
function sectionsPanel(ctx) {
  const el = h("section", { class: "card", "data-panel": "sections" });
  let built = null;
  let fields = new Map();
  const dirty = new Set();

  const save = async (button, error) => {
    const state = ctx.replica.state;
    const changed = [...fields].filter(([key, area]) => area.value.trim() !== sectionText(state, key));
    if (!changed.length) {
      error.textContent = t("minutes.nothing_changed");
      return;
    }
    error.textContent = "";
    button.disabled = true;
    try {
      for (const [key, area] of changed) {
        await ctx.conn.command("minutes.set_section", { key, text: area.value.trim() });
        dirty.delete(key);
      }
      toast(t("minutes.sections_saved", { n: changed.length }), "ok");
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      button.disabled = false;
    }
  };

  const build = (state, locked) => {
    // What is being typed survives a rebuild (an item added or renamed meanwhile).
    const typed = new Map([...dirty].filter((k) => fields.has(k)).map((k) => [k, fields.get(k).value]));
    fields = new Map();
    dirty.clear();
    const sections = [
      ...FIXED_SECTIONS.map((key) => ({ key, label: t(`minutes.section.${key}`) })),
      ...agendaItems(state).map((i) => ({ key: `item:${i.item_id}`, label: `${i.number}. ${i.title}` })),
    ];
    const error = h("p", { class: "form-error", role: "alert" });
    const button = h("button", { type: "submit", class: "btn btn-primary", disabled: locked }, t("minutes.save_sections"));
    const nodes = sections.map(({ key, label }) => {
      const id = `section-${key.replace(":", "-")}`;
      const area = h("textarea", { id, name: key, rows: "3", maxlength: "20000", readonly: locked });
      area.value = typed.has(key) && !locked ? typed.get(key) : sectionText(state, key);
      if (typed.has(key) && !locked) dirty.add(key);
      area.addEventListener("input", () => dirty.add(key));
      fields.set(key, area);
      return [h("label", { for: id }, label), area];
    });
    const form = h("form", { novalidate: true }, nodes, error, h("div", { class: "actions" }, button));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save(button, error);
    });
    fill(
      el,
      h("h2", {}, t("minutes.sections")),
      h("p", { class: "muted" }, locked ? t("minutes.sections_locked") : t("minutes.sections_help")),
      form,
    );
  };

  return {
    el,
    render(state) {
      const locked = minutesStatus(state) !== "draft";
      const key = JSON.stringify([t("minutes.sections"), locked, agendaItems(state).map((i) => [i.item_id, i.title])]);
      if (key !== built) {
        built = key;
        build(state, locked);
        return;
      }
      // Another clerk's edit shows at once, unless this one is typing in that field.
      for (const [name, area] of fields) {
        if (!dirty.has(name) && document.activeElement !== area) area.value = sectionText(state, name);
      }
    },
  };
}

function addendaPanel(ctx) {
  const el = h("section", { class: "card", "data-panel": "addenda" });
  const list = h("ol", { class: "addenda", "data-testid": "addenda" });
  const text = h("textarea", { id: "addendum-text", name: "text", rows: "3", maxlength: "20000" });
  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" });
  const label = h("label", { for: "addendum-text" });
  const heading = h("h2");
  const help = h("p", { class: "muted" });
  const form = h("form", { novalidate: true }, label, text, error, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) {
      error.textContent = t("field.required");
      return;
    }
    error.textContent = "";
    const ack = await ctx.act("addendum", "minutes.add_addendum", { text: value }, { done: t("minutes.addendum_added") });
    if (ack) text.value = "";
  });
  el.append(heading, help, list, form);
  return {
    el,
    render(state) {
      el.hidden = minutesStatus(state) !== "sealed";
      if (el.hidden) return;
      heading.textContent = t("minutes.addenda");
      help.textContent = t("minutes.addenda_help");
      label.textContent = t("minutes.addendum_text");
      submit.textContent = t("minutes.add_addendum");
      submit.disabled = ctx.busy.has("addendum");
      fill(
        list,
        state.record.addenda.map((a) => h("li", { class: "addendum" }, h("span", { class: "muted" }, formatTime(a.at), " · "), a.text)),
      );
    },
  };
}

/** The minutes tab of the clerk's desk. */
export function minutesPage(ctx) {
  const status = statusPanel(ctx);
  const sections = sectionsPanel(ctx);
  const addenda = addendaPanel(ctx);
  return {
    el: h("div", { class: "columns columns-minutes" }, h("div", {}, status.el, addenda.el), h("div", {}, sections.el)),
    render(state) {
      for (const panel of [status, sections, addenda]) panel.render(state, ctx);
    },
  };
}

/** The tab's label: the minutes, with a mark when they wait for the clerk's seal. */
export function minutesLabel(state) {
  return state && minutesStatus(state) === "approved" ? `${t("tab.minutes")} ●` : t("tab.minutes");
}
