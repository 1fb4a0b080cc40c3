// The delegate's tablet: the item under discussion, large, the moment the chair opens it;
// the ballot across the whole width the moment a vote opens (choose, confirm, see it
// recorded, then the result); the floor (check in, ask to speak, the speaker and the time
// left) and her questions (chất vấn); the agenda beside it.
//
// The page is a list of panels, each `{el, render(state, ctx)}`, from views/*.js. The papers
// of the current item are a panel of their own (views/papers.js) that opens the reader
// (views/reader.js); her notes, highlights and read receipts go through an outbox kept on the
// device, so that what she does offline reaches the server when the network is back.

import { startApp } from "../core/boot.js";
import { t } from "../core/i18n.js";
import { Outbox } from "../core/outbox.js";
import { errorText, fill, h, toast } from "../core/ui.js";
import { agendaList, currentItemCard, sittingBadge } from "../views/agenda.js";
import { delegateFloorPanel, delegateQuestionsPanel, quorumBadge } from "../views/floor.js";
import { papersPanel } from "../views/papers.js";
import { createReader } from "../views/reader.js";
import { ballotPanel } from "../views/votes.js";

function statusPanel() {
  const el = h("div", { class: "sitting-line" });
  return {
    el,
    render(state, ctx) {
      const known = ctx.roles.length > 0;
      fill(
        el,
        sittingBadge(state),
        quorumBadge(state),
        known && !ctx.roles.includes("delegate")
          ? h("p", { class: "notice notice-warn" }, t("meeting.not_role", { role: t("role.delegate") }))
          : null,
      );
    },
  };
}

function currentPanel() {
  const el = h("div", { "data-panel": "current" });
  let shown;
  return {
    el,
    render(state) {
      const card = currentItemCard(state);
      // A new current item flashes once, so that a glance up from the papers notices it.
      if (shown !== undefined && state.current_item && state.current_item !== shown) card.classList.add("flash");
      shown = state.current_item;
      fill(el, card);
    },
  };
}

function agendaPanel() {
  const heading = h("h2");
  const list = h("div");
  const el = h("section", { class: "card", "data-panel": "agenda" }, heading, list);
  return {
    el,
    render(state) {
      heading.textContent = `${t("agenda.title")} · ${t("agenda.count", { n: state.order.length })}`;
      fill(list, agendaList(state, { descriptions: false }));
    },
  };
}

startApp({
  app: "delegate",
  role: "delegate",
  signIn: "required",
  mount(ctx) {
    const ballot = ballotPanel(ctx);
    const who = ctx.session?.user?.id ?? "anonymous";
    ctx.outbox = new Outbox(`meeting.outbox.delegate.${ctx.meetingId}.${who}`, ctx.conn, {
      onChange: () => ctx.refresh(),
      onRefused: (entry, err) => toast(errorText(err), "error"),
    });
    const reader = createReader(ctx, { outbox: ctx.outbox });
    const papers = papersPanel(ctx, reader, { prefetching: true });
    const left = [statusPanel(), currentPanel(), papers, delegateFloorPanel(ctx)];
    const right = [agendaPanel(), delegateQuestionsPanel(ctx)];
    ctx.main.append(ballot.el, h("div", { class: "columns" }, h("div", {}, left.map((p) => p.el)), h("div", {}, right.map((p) => p.el))));
    const panels = [ballot, ...left, ...right];
    return () => {
      for (const panel of panels) panel.render(ctx.replica.state, ctx);
    };
  },
});
