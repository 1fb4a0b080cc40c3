// The minutes (biên bản) as the chair and the clerk see them: where they stand (draft →
// approved by the chair → sealed by the clerk), a preview of the server's own rendering, and
// the chair's approval once the sitting is closed. The clerk's panel (clerk/minutes.js) adds
// the draft sections, the seal, the downloads and the addenda.
//
// The minutes are for delegates and staff, so every file is fetched with the token in the
// Authorization header and shown from memory (views/files.js), never by a URL with a token.

import { minutesStatus } from "../areas/record.js";
import { t } from "../core/i18n.js";
import { confirmDialog, errorText, fill, formatTime, h, toast } from "../core/ui.js";
import { fetchFile, openInTab } from "./files.js";

const STEPS = ["draft", "approved", "sealed"];

export function minutesPath(ctx, format) {
  return `/api/meetings/${encodeURIComponent(ctx.meetingId)}/minutes?format=${format}`;
}

/** The three steps of the minutes: those reached ticked (with their times), the next marked. */
export function minutesSteps(state) {
  const status = minutesStatus(state);
  const reached = status === "draft" ? -1 : STEPS.indexOf(status);
  const next = status === "draft" ? 0 : reached + 1;
  const times = { draft: null, approved: state.record.approved_at, sealed: state.record.sealed_at };
  return h(
    "ol",
    { class: "steps", "data-testid": "minutes-status", "data-status": status },
    STEPS.map((step, i) =>
      h(
        "li",
        { class: `step ${i <= reached ? "is-done" : i === next ? "is-current" : ""}`.trim(), "aria-current": i === next ? "step" : null },
        h("span", { class: "step-mark", "aria-hidden": "true" }, i <= reached ? "✓" : String(i + 1)),
        h("span", { class: "step-text" }, h("strong", {}, t(`minutes.step.${step}`)), times[step] ? h("span", { class: "step-time" }, formatTime(times[step])) : null),
      ),
    ),
  );
}

/**
 * The server's HTML rendering of the minutes in a frame that runs no script, loaded on
 * demand. Returns `{el, load()}`.
 */
export function minutesPreview(ctx) {
  const frame = h("iframe", { class: "minutes-frame", sandbox: "", title: t("minutes.preview"), "data-testid": "minutes-preview" });
  const el = h("div", { class: "minutes-preview", hidden: true }, frame);
  return {
    el,
    async load() {
      try {
        const { blob } = await fetchFile(ctx, minutesPath(ctx, "html"), "bien-ban.html");
        frame.srcdoc = await blob.text();
        frame.title = t("minutes.preview");
        el.hidden = false;
        return true;
      } catch (err) {
        toast(errorText(err), "error");
        return false;
      }
    },
  };
}

/** Buttons: preview here, open the PDF in a new tab. */
export function previewButtons(ctx, preview) {
  return [
    h("button", { type: "button", class: "btn", "data-action": "preview-minutes", onclick: () => preview.load() }, t("minutes.preview")),
    h("button", { type: "button", class: "btn", "data-action": "open-pdf", onclick: () => openInTab(ctx, minutesPath(ctx, "pdf"), "bien-ban.pdf") }, t("minutes.open_pdf")),
  ];
}

/** The chair's panel: shown once the sitting is closed; "approve the minutes". */
export function chairMinutesPanel(ctx) {
  const body = h("div");
  const preview = minutesPreview(ctx);
  const el = h("section", { class: "card minutes-card", "data-panel": "minutes", hidden: true }, body, preview.el);
  const approve = async () => {
    if (await confirmDialog(t("minutes.confirm_approve"), { yes: t("minutes.approve") })) {
      await ctx.act("minutes", "minutes.approve", {}, { done: t("minutes.approved") });
    }
  };
  return {
    el,
    render(state) {
      const status = minutesStatus(state);
      el.hidden = state.status !== "closed" && status === "draft";
      if (el.hidden) return;
      fill(
        body,
        h("h2", {}, t("minutes.title")),
        minutesSteps(state),
        status === "draft"
          ? h("p", {}, t("minutes.chair_help"))
          : h("p", { class: "notice notice-ok", "data-testid": "minutes-approved" }, t("minutes.approved_at", { time: formatTime(state.record.approved_at) })),
        h(
          "div",
          { class: "controls" },
          status === "draft"
            ? h(
                "button",
                { type: "button", class: "btn btn-primary btn-big", "data-action": "approve-minutes", disabled: ctx.busy.has("minutes"), onclick: approve },
                "✓ ",
                t("minutes.approve"),
              )
            : null,
          previewButtons(ctx, preview),
        ),
      );
    },
  };
}
