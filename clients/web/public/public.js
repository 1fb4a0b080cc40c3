// The public page: what the press and the public may follow, on any phone or screen.
//
// It never signs in: hello with token null gives the public view, from which the server has
// already removed every closed-session item (not even its id reaches the browser). Results of
// public votes and the current speaker will be panels of the votes and floor areas.

import { startApp } from "../core/boot.js";
import { t } from "../core/i18n.js";
import { fill, h } from "../core/ui.js";
import { agendaList, currentItemCard, sittingBadge } from "../views/agenda.js";

startApp({
  app: "public",
  signIn: "never",
  mount(ctx) {
    const status = h("div", { class: "sitting-line" });
    const current = h("div");
    const heading = h("h2");
    const list = h("div");
    const note = h("p", { class: "public-note" });
    ctx.main.append(
      h("div", { class: "columns" }, h("div", {}, status, current, note), h("section", { class: "card", "data-panel": "agenda" }, heading, list)),
    );
    return () => {
      const state = ctx.replica.state;
      fill(status, sittingBadge(state), h("span", { class: "public-place" }, state.place));
      fill(current, currentItemCard(state));
      heading.textContent = `${t("agenda.title")} · ${t("agenda.count", { n: state.order.length })}`;
      fill(list, agendaList(state));
      note.textContent = t("public.note");
    };
  },
});
