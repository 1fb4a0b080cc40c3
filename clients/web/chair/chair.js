// The chair's console: open the sitting, move through the agenda (open, close, next item),
// add an urgent item, close the sitting; run the votes (schedule, open, the live count and
// who has not voted, close, the result with its rule and base, "next resolution", annul);
// give the floor (the queue, the speaker's timer) and call the questions; see attendance and
// quorum; once the sitting is closed, read and approve the minutes (views/minutes.js).
//
// The left column is what happens now (the sitting, the current item and its papers, which
// the chair can present to the hall from the reader, the vote, the speaker); the right column holds tabs for the agenda, the speakers' queue, the votes, the
// questions and attendance.

import { nextItem } from "../areas/agenda.js";
import { currentQueue, orderedQuestions } from "../areas/floor.js";
import { allVotes } from "../areas/votes.js";
import { startApp } from "../core/boot.js";
import { t } from "../core/i18n.js";
import { confirmDialog, fill, h, tabs } from "../core/ui.js";
import { agendaList, currentItemCard, sittingBadge } from "../views/agenda.js";
import { attendancePanel, chairSpeakerPanel, queuePanel, questionsPanel, quorumBadge } from "../views/floor.js";
import { papersPanel } from "../views/papers.js";
import { createReader } from "../views/reader.js";
import { chairMinutesPanel } from "../views/minutes.js";
import { chairLiveVotePanel, scheduleVotePanel, votesPanel } from "../views/votes.js";

function sittingPanel(ctx) {
  const el = h("section", { class: "card", "data-panel": "sitting" });
  const openSitting = () => ctx.act("sitting", "sitting.open", {});
  const closeSitting = async () => {
    if (await confirmDialog(t("chair.confirm_close"), { yes: t("chair.close_sitting"), danger: true })) {
      await ctx.act("sitting", "sitting.close", {});
    }
  };
  return {
    el,
    render(state) {
      const known = ctx.roles.length > 0;
      fill(
        el,
        known && !ctx.roles.includes("chair") ? h("p", { class: "notice notice-warn" }, t("chair.not_chair")) : null,
        h(
          "div",
          { class: "sitting-line sitting-bar" },
          h("h2", {}, t("chair.sitting")),
          sittingBadge(state),
          quorumBadge(state),
          state.status === "scheduled"
            ? h(
                "button",
                { type: "button", class: "btn btn-primary btn-big", "data-action": "open-sitting", disabled: ctx.busy.has("sitting"), onclick: openSitting },
                t("chair.open_sitting"),
              )
            : null,
          state.status === "open"
            ? h(
                "button",
                { type: "button", class: "btn btn-danger", "data-action": "close-sitting", disabled: ctx.busy.has("sitting"), onclick: closeSitting },
                t("chair.close_sitting"),
              )
            : null,
        ),
      );
    },
  };
}

function currentPanel(ctx) {
  const el = h("div", { "data-panel": "current" });
  return {
    el,
    render(state) {
      const current = state.current_item;
      const next = nextItem(state);
      const open = state.status === "open";
      fill(
        el,
        currentItemCard(state),
        h(
          "div",
          { class: "controls" },
          h(
            "button",
            {
              type: "button",
              class: "btn btn-primary btn-big",
              "data-action": "next-item",
              disabled: !open || !next || ctx.busy.has("agenda"),
              onclick: () => ctx.act("agenda", "agenda.open_item", { item_id: next.item_id }),
            },
            t("chair.next_item"),
          ),
          h(
            "button",
            {
              type: "button",
              class: "btn btn-big",
              "data-action": "close-item",
              disabled: !current || ctx.busy.has("agenda"),
              onclick: () => ctx.act("agenda", "agenda.close_item", { item_id: current }),
            },
            t("chair.close_item"),
          ),
        ),
        h("p", { class: "next-hint" }, next ? t("chair.next_is", { title: next.title }) : t("chair.no_next")),
      );
    },
  };
}

function urgentPanel(ctx) {
  const title = h("input", { id: "urgent-title", name: "title", maxlength: "500", required: true });
  const description = h("textarea", { id: "urgent-description", name: "description", maxlength: "20000" });
  const restricted = h("input", { type: "checkbox", id: "urgent-delegates", name: "delegates" });
  const openNow = h("input", { type: "checkbox", id: "urgent-open", name: "open", checked: true });
  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" });
  const labels = {
    summary: h("summary"),
    title: h("label", { for: "urgent-title" }),
    description: h("label", { for: "urgent-description" }),
    restricted: h("span"),
    openNow: h("span"),
  };
  const form = h(
    "form",
    { novalidate: true },
    labels.title,
    title,
    labels.description,
    description,
    h("label", { class: "check" }, restricted, labels.restricted),
    h("label", { class: "check" }, openNow, labels.openNow),
    error,
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = title.value.trim();
    if (!text) {
      error.textContent = t("field.required");
      return;
    }
    error.textContent = "";
    const args = {
      title: text,
      description: description.value.trim(),
      access: restricted.checked ? "delegates" : "public",
      open: openNow.checked,
    };
    const ack = await ctx.act("urgent", "agenda.add_urgent_item", args, { done: t("chair.urgent_added") });
    if (ack) form.reset();
  });
  const el = h("details", { class: "card", "data-panel": "urgent" }, labels.summary, form);
  return {
    el,
    render(state) {
      labels.summary.textContent = t("chair.urgent");
      labels.title.textContent = t("field.title");
      labels.description.textContent = t("field.description");
      labels.restricted.textContent = t("field.delegates_only");
      labels.openNow.textContent = t("chair.urgent_open");
      submit.textContent = t("chair.urgent");
      submit.disabled = state.status !== "open" || ctx.busy.has("urgent");
    },
  };
}

function agendaPanel(ctx) {
  const heading = h("h2");
  const list = h("div");
  const el = h("section", { class: "card", "data-panel": "agenda" }, heading, list);
  return {
    el,
    render(state) {
      heading.textContent = `${t("agenda.title")} · ${t("agenda.count", { n: state.order.length })}`;
      const actions = (item) =>
        item.status === "open"
          ? null
          : h(
              "button",
              {
                type: "button",
                class: "btn",
                "data-action": "open-item",
                disabled: state.status !== "open" || ctx.busy.has("agenda"),
                onclick: () => ctx.act("agenda", "agenda.open_item", { item_id: item.item_id }),
              },
              item.status === "closed" ? t("chair.reopen_item") : t("chair.open_item"),
            );
      fill(list, agendaList(state, { actions, descriptions: false }));
    },
  };
}

startApp({
  app: "chair",
  role: "chair",
  signIn: "required",
  mount(ctx) {
    const sitting = sittingPanel(ctx);
    const current = currentPanel(ctx);
    const liveVote = chairLiveVotePanel(ctx);
    const speaker = chairSpeakerPanel(ctx);
    const papers = papersPanel(ctx, createReader(ctx, { canPresent: true }));
    const minutes = chairMinutesPanel(ctx); // once the sitting is closed: approve the minutes
    const left = [sitting, minutes, liveVote, current, papers, speaker];
    const leftColumn = h("div", {}, left.map((p) => p.el));
    // What happens now comes first: the vote, then the speaker while someone has the floor.
    let speaking = false;
    const arrange = (state) => {
      const now = state.floor.speech !== null;
      if (now === speaking) return;
      speaking = now;
      if (now) leftColumn.insertBefore(speaker.el, current.el);
      else leftColumn.append(speaker.el);
    };
    const count = (label, n) => (n ? `${t(label)} (${n})` : t(label));
    const right = tabs("chair", [
      { id: "agenda", label: () => t("tab.agenda"), panels: [agendaPanel(ctx), urgentPanel(ctx)] },
      { id: "floor", label: (s) => count("tab.floor", s ? currentQueue(s).length : 0), panels: [queuePanel(ctx)] },
      {
        id: "votes",
        label: (s) => count("tab.votes", s ? allVotes(s).filter((v) => v.status === "scheduled").length : 0),
        panels: [votesPanel(ctx, { chair: true }), scheduleVotePanel(ctx, { open: true })],
      },
      {
        id: "questions",
        label: (s) => count("tab.questions", s ? orderedQuestions(s).filter((q) => q.status === "submitted").length : 0),
        panels: [questionsPanel(ctx, { call: true })],
      },
      { id: "attendance", label: () => t("tab.attendance"), panels: [attendancePanel(ctx)] },
    ]);
    ctx.main.append(h("div", { class: "columns columns-chair" }, leftColumn, h("div", {}, right.el)));
    return () => {
      arrange(ctx.replica.state);
      for (const panel of left) panel.render(ctx.replica.state, ctx);
      right.render(ctx.replica.state, ctx);
    };
  },
});
