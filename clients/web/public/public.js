// The public page: what the press and the public may follow, on any phone or screen.
//
// It never signs in: hello with token null gives the public view, from which the server has
// already removed every closed-session item (not even its id reaches the browser), and every
// vote, speech and question of one. It shows the speaker with the time left, the question
// being asked, an open vote's count and the results of the votes (totals only: a secret
// ballot's choice never leaves the server). While a closed session runs it says so, and
// nothing more: that is all the server tells the public of it (`agenda.closed_session`).

import { startApp } from "../core/boot.js";
import { t } from "../core/i18n.js";
import { fill, h } from "../core/ui.js";
import { currentItem } from "../areas/agenda.js";
import { agendaList, currentItemCard, sittingBadge } from "../views/agenda.js";
import { currentQuestionCard, quorumBadge, speakerCard } from "../views/floor.js";
import { publicVotesPanel } from "../views/votes.js";

/** In place of the current item while the council sits in closed session. */
function closedSessionCard() {
  return h(
    "section",
    { class: "current current-empty closed-session", "data-testid": "current-item", "aria-live": "polite" },
    h("p", { class: "current-title", "data-testid": "closed-session" }, t("public.closed_session")),
    h("p", { class: "current-description" }, t("public.closed_session_hint")),
  );
}

startApp({
  app: "public",
  signIn: "never",
  mount(ctx) {
    const status = h("div", { class: "sitting-line" });
    const current = h("div");
    const heading = h("h2");
    const list = h("div");
    const note = h("p", { class: "public-note" });
    const floor = h("div");
    const votes = publicVotesPanel();
    ctx.main.append(
      h(
        "div",
        { class: "columns" },
        h("div", {}, status, current, floor, votes.el, note),
        h("section", { class: "card", "data-panel": "agenda" }, heading, list),
      ),
    );
    let speechKey = null;
    return () => {
      const state = ctx.replica.state;
      fill(status, sittingBadge(state), state.status === "open" ? quorumBadge(state) : null, h("span", { class: "public-place" }, state.place));
      fill(current, state.closed_session && !currentItem(state) ? closedSessionCard() : currentItemCard(state));
      const s = state.floor.speech;
      const key = JSON.stringify([t("floor.speaking"), s && [s.speech_id, s.allowed, s.runningSinceMs, s.usedMs, s.warned, s.overrun], state.floor.current_question]);
      if (key !== speechKey) {
        speechKey = key;
        const speaker = speakerCard(state);
        fill(floor, speaker ? h("section", { class: "card" }, speaker) : null, currentQuestionCard(state));
      }
      votes.render(state);
      heading.textContent = `${t("agenda.title")} · ${t("agenda.count", { n: state.order.length })}`;
      fill(list, agendaList(state));
      note.textContent = t("public.note");
    };
  },
});
