// The hall display: the big screen behind the chair. No input during the sitting: the body,
// the meeting, the sitting's status, the clock, and the item under discussion, huge.
//
// It shows the public view (hello with token null). `?signin` once lets staff sign it in
// with the display's observer account, remembered on the device (observers see the public
// view too, but the sign-in names the screen in the server's records).
// The speaker with the time left and vote results as charts will be panels of the floor and
// votes areas, shown here in place of (or beside) the current item.

import { startApp } from "../core/boot.js";
import { locale, t } from "../core/i18n.js";
import { connectionIndicator, fill, h } from "../core/ui.js";
import { currentItem } from "../areas/agenda.js";
import { itemTags, sittingBadge } from "../views/agenda.js";

const CLOCK_TICK = 10_000;

function clockText() {
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" }).format(new Date());
}

startApp({
  app: "display",
  role: "observer",
  signIn: "optional",
  mount(ctx) {
    const body = h("p", { class: "hall-body" });
    const title = h("p", { class: "hall-title" });
    const clock = h("div", { class: "hall-clock", "aria-hidden": "true" }, clockText());
    const status = h("div");
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

    return () => {
      const state = ctx.replica.state;
      body.textContent = state.body.name;
      title.textContent = state.title;
      place.textContent = state.place;
      clock.textContent = clockText();
      fill(status, sittingBadge(state));
      const item = currentItem(state);
      if (item) {
        stage.dataset.itemId = item.item_id;
        fill(
          stage,
          h("p", { class: "hall-label" }, t("item.current"), " · ", t("item.number", { n: item.number }), " ", itemTags(item)),
          h("h1", { class: "hall-item" }, item.title),
          item.description ? h("p", { class: "hall-description" }, item.description) : null,
        );
      } else {
        delete stage.dataset.itemId;
        let message = t("display.welcome");
        if (state.closed_session) message = t("item.closed_session");
        else if (state.status === "closed") message = t("item.none_closed");
        fill(stage, h("p", { class: "hall-message" }, message));
      }
    };
  },
});
