// The hall display: the big screen behind the chair. No input during the sitting: the body,
// the meeting, the sitting's status, the quorum, the clock, and on the stage, huge, what
// the hall attends to now: an open vote's count, the result of the vote just closed (a bar
// chart with the rule and whether it passed), the speaker with a countdown of the time left
// (amber in the warning period, red on overrun), the page of a paper the chair presents, or
// else the item under discussion, or that a closed session is in progress (and nothing of it).
//
// It shows the public view (hello with token null). `?signin` once lets staff sign it in
// with the display's observer account, remembered on the device (observers see the public
// view too, but the sign-in names the screen in the server's records).

import { currentItem } from "../areas/agenda.js";
import { presenterPage } from "../areas/papers.js";
import { lastClosedVote, openVote } from "../areas/votes.js";
import { startApp } from "../core/boot.js";
import { language, locale, t } from "../core/i18n.js";
import { connectionIndicator, fill, h } from "../core/ui.js";
import { itemTags, sittingBadge } from "../views/agenda.js";
import { currentQuestionCard, quorumBadge, speakerCard } from "../views/floor.js";
import { createPageView } from "../views/page-view.js";
import { hallVote } from "../views/votes.js";

const CLOCK_TICK = 10_000;

function clockText() {
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" }).format(new Date());
}

/**
 * What the stage shows: the open vote; else that a closed session runs (the public view is
 * told no more of it); else the newest of the last result, the speech and the presented
 * page, or the item.
 */
function onStage(state) {
  const open = openVote(state);
  if (open) return { kind: "vote", vote: open };
  if (state.closed_session && !currentItem(state)) return { kind: "closed_session" };
  const speech = state.floor.speech;
  const result = state.current_item ? lastClosedVote(state, state.current_item) : null;
  const shown = presenterPage(state);
  const candidates = [
    result && { kind: "vote", vote: result, at: result.closed_at },
    speech && { kind: "speech", at: speech.started_at },
    shown && { kind: "page", page: shown, at: shown.at },
  ].filter(Boolean);
  if (!candidates.length) return { kind: "item" };
  return candidates.reduce((newest, c) => (c.at > newest.at ? c : newest));
}

startApp({
  app: "display",
  role: "observer",
  signIn: "optional",
  mount(ctx) {
    const body = h("p", { class: "hall-body" });
    const title = h("p", { class: "hall-title" });
    const clock = h("div", { class: "hall-clock", "aria-hidden": "true" }, clockText());
    const status = h("div", { class: "hall-status" });
    const stage = h("section", { class: "hall-main", "aria-live": "polite", "data-testid": "current-item" });
    const place = h("span");
    ctx.main.append(
      h("header", { class: "hall-head" }, h("div", {}, body, title), h("div", { class: "hall-side" }, clock, status)),
      stage,
      h("footer", { class: "hall-foot" }, place, connectionIndicator(ctx.conn)),
    );
    setInterval(() => {
      clock.textContent = clockText();
    }, CLOCK_TICK);
    let shown = null;
    const pageView = createPageView({ token: ctx.session?.token ?? null });

    return () => {
      const state = ctx.replica.state;
      body.textContent = state.body.name;
      title.textContent = state.title;
      place.textContent = state.place;
      clock.textContent = clockText();
      fill(status, sittingBadge(state), state.status === "open" ? quorumBadge(state) : null);
      const item = currentItem(state);
      const what = onStage(state);
      stage.dataset.stage = what.kind;
      if (item) stage.dataset.itemId = item.item_id;
      else delete stage.dataset.itemId;
      const itemLine = item
        ? h("p", { class: "hall-label" }, t("item.current"), " · ", t("item.number", { n: item.number }), " ", itemTags(item))
        : null;
      if (what.kind === "page") {
        const p = what.page;
        const key = JSON.stringify(["page", p.sha256, p.page]);
        if (key !== shown) {
          if (!shown?.startsWith('["page"')) fill(stage, pageView.el);
          shown = key;
          pageView.show(ctx.meetingId, p.sha256, p.page);
        }
      } else if (what.kind === "vote") {
        // A vote's stage changes with each ballot; the countdown ticks on by itself.
        fill(stage, hallVote(state, what.vote), item ? h("p", { class: "hall-item-small" }, item.title) : null);
        shown = null;
      } else if (what.kind === "speech") {
        const s = state.floor.speech;
        const key = JSON.stringify([language(), s.speech_id, s.allowed, s.runningSinceMs, s.usedMs, s.warned, s.overrun, item?.item_id, item?.title]);
        if (key !== shown) {
          shown = key;
          fill(stage, itemLine, item ? h("p", { class: "hall-item-small" }, item.title) : null, speakerCard(state, { size: "speaker-hall" }));
        }
      } else if (what.kind === "closed_session") {
        shown = null;
        fill(
          stage,
          h("p", { class: "hall-message", "data-testid": "closed-session" }, t("public.closed_session")),
          h("p", { class: "hall-description" }, t("public.closed_session_hint")),
        );
      } else if (item) {
        shown = null;
        fill(
          stage,
          itemLine,
          h("h1", { class: "hall-item" }, item.title),
          item.description ? h("p", { class: "hall-description" }, item.description) : null,
          currentQuestionCard(state),
        );
      } else {
        shown = null;
        let message = t("display.welcome");
        if (state.status === "closed") message = t("item.none_closed");
        fill(stage, h("p", { class: "hall-message" }, message));
      }
    };
  },
});
