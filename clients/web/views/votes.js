// Views of the votes, shared by the apps: the delegate's ballot, the chair's controls and
// live count, the clerk's paper and show-of-hands counts, the schedule form, and the result
// as a bar chart (plain CSS) for every screen.
//
// Nothing here can show a secret ballot's choice: the server never sends one. A named
// vote's choice is shown to its voter from her own `vote.ballot_recorded`, and to everyone
// in the result once the vote closes.

import { agendaItems, memberName } from "../areas/agenda.js";
import {
  LEVELS,
  allVotes,
  isClosed,
  isElectronic,
  lastClosedVote,
  nextScheduledVote,
  notVoted,
  openVote,
  tallyKeys,
} from "../areas/votes.js";
import { ms } from "../core/clock.js";
import { has, language, locale, t } from "../core/i18n.js";
import { confirmDialog, errorText, fill, h, toast } from "../core/ui.js";
import { countdown } from "./timer.js";

// -- words ----------------------------------------------------------------------------------

export function ruleText(rule) {
  if (rule.name !== "custom" && has(`vote.rule.${rule.name}`)) return t(`vote.rule.${rule.name}`);
  return t(rule.strict ? "vote.rule.custom_more" : "vote.rule.custom_least", {
    num: rule.num,
    den: rule.den,
    base: t(`vote.base.${rule.base}`),
  });
}

/** What decides the vote: its rule, or for a confidence rating the rules it is rated by. */
export function ruleLine(vote) {
  if (vote.kind !== "confidence") return ruleText(vote.rule);
  return t(vote.result?.rule_set === "85/2014" ? "vote.rule_set_85" : "vote.rule_set_96");
}

export function methodText(method) {
  return t(`vote.method.${method}`);
}

/** An option's words: the council's three options in the reader's language, else as given. */
export function choiceLabel(vote, key) {
  if (has(`vote.option.${key}`)) return t(`vote.option.${key}`);
  return vote.choices.find((c) => c.key === key)?.label ?? key;
}

function number(n) {
  return new Intl.NumberFormat(locale()).format(n);
}

function percent(count, base) {
  if (!base) return "—";
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format((count * 100) / base)}%`;
}

function methodTag(vote) {
  const secret = vote.method === "electronic_secret" || vote.method === "paper";
  return h("span", { class: `tag ${secret ? "tag-secret" : "tag-named"}` }, methodText(vote.method));
}

function itemTitle(state, vote) {
  return state.items.get(vote.item_id)?.title ?? "";
}

const OPTION_CLASS = { tan_thanh: "opt-yes", khong_tan_thanh: "opt-no", khong_bieu_quyet: "opt-abstain" };
const OPTION_ICON = { tan_thanh: "✓", khong_tan_thanh: "✗", khong_bieu_quyet: "–" };

// -- the result, as a chart -----------------------------------------------------------------

function bar(label, count, scale, { cls = "", detail = "", marker = null, testid = null } = {}) {
  const width = scale > 0 ? Math.min(100, (count * 100) / scale) : 0;
  return h(
    "div",
    { class: `bar-row ${cls}`.trim(), "data-testid": testid },
    h("span", { class: "bar-label" }, label),
    h(
      "span",
      { class: "bar-track", "aria-hidden": "true" },
      h("span", { class: "bar-fill", style: `width: ${width}%` }),
      marker === null ? null : h("span", { class: "bar-marker", style: `left: ${Math.min(100, marker)}%` }),
    ),
    h("span", { class: "bar-value" }, h("strong", {}, number(count)), detail ? h("span", { class: "bar-detail" }, detail) : null),
  );
}

function verdict(vote) {
  const r = vote.result;
  if (vote.status === "annulled") {
    return h("p", { class: "verdict verdict-annulled", "data-testid": "verdict" }, t("vote.annulled"));
  }
  if (vote.kind === "motion") {
    return h(
      "p",
      { class: `verdict ${r.passed ? "verdict-pass" : "verdict-fail"}`, "data-testid": "verdict", "data-passed": String(r.passed) },
      r.passed ? `✓ ${t("vote.passed")}` : `✗ ${t("vote.failed")}`,
    );
  }
  if (vote.kind === "election") {
    const names = (r.elected ?? []).map((k) => choiceLabel(vote, k));
    return h(
      "p",
      { class: `verdict ${names.length ? "verdict-pass" : "verdict-fail"}`, "data-testid": "verdict" },
      names.length ? t("vote.elected", { names: names.join(", ") }) : t("vote.none_elected"),
      r.tie ? h("span", { class: "verdict-note" }, t("vote.tie")) : null,
    );
  }
  const flagged = (r.officials ?? []).filter((o) => o.flag);
  return flagged.length ? h("p", { class: "verdict verdict-fail", "data-testid": "verdict" }, t("vote.flagged", { n: flagged.length })) : null;
}

/** The result of a closed vote: verdict, bars, rule and base. */
export function resultView(vote, { size = "" } = {}) {
  const r = vote.result;
  if (!r) return null;
  const base = r.base.value;
  let chart;
  if (vote.kind === "confidence") {
    // One row per official: a bar of the three levels, as shares of all the seats.
    chart = [
      h(
        "p",
        { class: "stack-legend" },
        LEVELS.map((level) => h("span", { class: `legend level-${level}` }, h("span", { class: "legend-dot", "aria-hidden": "true" }), t(`vote.level.${level}`))),
      ),
      (r.officials ?? []).map((o) =>
        h(
          "div",
          { class: "bar-row stack-row", "data-key": o.key, "data-testid": "bar" },
          h("span", { class: "bar-label" }, o.name, o.flag ? h("span", { class: "tag tag-flag" }, t(`vote.flag.${o.flag}`)) : null),
          h(
            "span",
            { class: "bar-track stack", "aria-hidden": "true" },
            LEVELS.map((level) =>
              h("span", { class: `stack-seg level-${level}`, style: `width: ${r.seats ? Math.min(100, ((o.levels[level] ?? 0) * 100) / r.seats) : 0}%` }),
            ),
          ),
          h(
            "span",
            { class: "bar-value stack-values" },
            LEVELS.map((level) =>
              h(
                "span",
                { class: `level-${level}`, title: t(`vote.level.${level}`) },
                h("strong", {}, number(o.levels[level] ?? 0)),
                h("span", { class: "bar-detail" }, ` ${number(Number(o.percent_of_seats[level]))}%`),
              ),
            ),
          ),
        ),
      ),
    ];
  } else {
    const scale = Math.max(base, r.cast, ...Object.values(r.counts), 1);
    const marker = (r.needed * 100) / scale;
    const keys = vote.kind === "election" ? (r.candidates ?? []).map((c) => c.key) : tallyKeys(vote);
    chart = keys.map((key, i) => {
      const count = r.counts[key] ?? 0;
      const elected = vote.kind === "election" && (r.elected ?? []).includes(key);
      const cls = vote.kind === "motion" ? OPTION_CLASS[key] ?? (i === 0 ? "opt-yes" : "opt-other") : elected ? "opt-yes" : "opt-other";
      return bar(choiceLabel(vote, key), count, scale, {
        cls,
        detail: percent(count, base),
        marker: vote.kind === "motion" && i === 0 ? marker : vote.kind === "election" ? marker : null,
        testid: "bar",
      });
    });
  }
  const paper = r.paper
    ? h("p", { class: "result-line" }, t("vote.paper_sheet", { issued: r.paper.issued, returned: r.paper.returned, valid: r.paper.valid, invalid: r.paper.invalid }))
    : null;
  return h(
    "div",
    { class: `result ${size}`.trim(), "data-testid": "vote-result", "data-vote-id": vote.vote_id },
    verdict(vote),
    vote.status === "annulled" && vote.annulled_reason ? h("p", { class: "result-line" }, t("vote.annul_reason", { reason: vote.annulled_reason })) : null,
    h("div", { class: "chart" }, chart),
    h(
      "div",
      { class: "result-foot" },
      vote.kind === "confidence"
        ? h("p", { class: "result-line", "data-testid": "vote-rule" }, h("strong", {}, ruleLine(vote)))
        : h("p", { class: "result-line", "data-testid": "vote-rule" }, h("strong", {}, ruleText(r.rule)), " · ", t("vote.needed", { needed: r.needed, base: t(`vote.base.${r.base.name}`), value: base })),
      h("p", { class: "result-line" }, t("vote.cast_of", { cast: r.cast, entitled: r.entitled, seats: r.seats }), " · ", methodText(r.method)),
      paper,
      r.quorum_met === false ? h("p", { class: "result-line result-warn" }, t("vote.no_quorum_flag")) : null,
    ),
  );
}

/** The outcome in a few words, for lists. */
function outcomeText(vote) {
  const r = vote.result;
  if (vote.kind === "motion") return r.passed ? t("vote.passed") : t("vote.failed");
  if (vote.kind === "election") {
    const names = (r.elected ?? []).map((k) => choiceLabel(vote, k));
    return names.length ? t("vote.elected", { names: names.join(", ") }) : t("vote.none_elected");
  }
  return t("vote.rating_done");
}

// -- the count while a vote is open ---------------------------------------------------------

function voteCountdown(vote) {
  const deadline = ms(vote.closes_at);
  if (deadline === null) return null;
  return h("span", { class: "vote-timer" }, t("vote.time_left"), " ", countdown({ deadline, warning: 10 }, { label: t("vote.time_left"), className: "countdown-vote" }));
}

/** Ballots cast of entitled, with a bar; `names`: who has not voted; live counts if sent. */
export function voteProgress(state, vote, { names = false, size = "" } = {}) {
  if (!isElectronic(vote)) {
    // Ballots on paper or hands in the air: the count is the clerk's, when it is entered.
    return h("div", { class: `vote-progress ${size}`.trim(), "data-testid": "vote-progress" }, h("p", { class: "progress-note" }, t(`vote.counting_${vote.method}`)));
  }
  const entitled = vote.entitled.length;
  const cast = vote.voted.size;
  const waiting = notVoted(vote);
  const live =
    vote.live_counts && vote.kind === "motion"
      ? h(
          "div",
          { class: "chart chart-live" },
          tallyKeys(vote).map((k) => bar(choiceLabel(vote, k), vote.tally[k] ?? 0, Math.max(entitled, 1), { cls: OPTION_CLASS[k] ?? "opt-other" })),
        )
      : null;
  return h(
    "div",
    { class: `vote-progress ${size}`.trim(), "data-testid": "vote-progress" },
    h(
      "p",
      { class: "progress-count" },
      h("span", { "data-testid": "cast-count" }, t("vote.cast_count", { cast, entitled })),
      voteCountdown(vote),
    ),
    h("span", { class: "progress-track", "aria-hidden": "true" }, h("span", { class: "progress-fill", style: `width: ${entitled ? (cast * 100) / entitled : 0}%` })),
    live,
    names && isElectronic(vote)
      ? h(
          "p",
          { class: "not-voted", "data-testid": "not-voted" },
          waiting.length
            ? [h("strong", {}, t("vote.not_voted", { n: waiting.length })), " ", waiting.map((u) => memberName(state, u)).join(", ")]
            : h("strong", {}, t("vote.all_voted")),
        )
      : null,
  );
}

function voteHeader(state, vote, label) {
  return [
    h("p", { class: "ballot-label" }, label, " ", methodTag(vote), vote.number ? h("span", { class: "tag tag-number" }, vote.number) : null),
    h("h2", { class: "ballot-question" }, vote.question),
    itemTitle(state, vote) ? h("p", { class: "ballot-item" }, itemTitle(state, vote)) : null,
  ];
}

// -- the delegate's ballot -------------------------------------------------------------------

/** A ballot of the vote's kind as words (for the confirmation and the acknowledgement). */
function ballotSummary(vote, choice) {
  if (vote.kind === "motion") {
    return h("span", { class: `choice-pill ${OPTION_CLASS[choice] ?? "opt-other"}` }, OPTION_ICON[choice] ?? "", " ", choiceLabel(vote, choice));
  }
  if (vote.kind === "election") {
    return choice.length
      ? h("ul", { class: "choice-list" }, choice.map((k) => h("li", {}, "✓ ", choiceLabel(vote, k))))
      : h("span", { class: "choice-pill opt-abstain" }, t("vote.blank_ballot"));
  }
  return h(
    "ul",
    { class: "choice-list" },
    vote.choices.map((c) => h("li", {}, h("strong", {}, c.label), ": ", t(`vote.level.${choice[c.key]}`))),
  );
}

export function ballotPanel(ctx) {
  const you = ctx.session?.user?.id ?? null;
  const el = h("section", { class: "ballot", "data-panel": "ballot", "aria-live": "polite" });
  let ui = { voteId: null };
  let shown = null;
  let dismissed = null;
  const acked = new Set();

  const reset = (voteId) => {
    ui = {
      voteId,
      step: "choose",
      choice: null,
      selected: [],
      levels: {},
      error: "",
      changing: false,
      pin: h("input", { id: "ballot-pin", type: "password", inputmode: "numeric", autocomplete: "off", name: "pin", class: "pin-input" }),
    };
  };
  const redraw = () => ctx.refresh();

  async function cast(vote) {
    const args = { vote_id: vote.vote_id, choice: ui.choice };
    if (vote.require_pin) {
      if (!ui.pin.value) {
        ui.error = t("vote.pin_needed");
        return redraw();
      }
      args.pin = ui.pin.value;
    }
    ui.step = "sending";
    ui.error = "";
    redraw();
    try {
      await ctx.conn.command("vote.cast", args);
      acked.add(vote.vote_id);
      ui.step = "done";
      ui.changing = false;
    } catch (err) {
      if (err.code === "already_voted") {
        acked.add(vote.vote_id);
        ui.step = "done";
        ui.changing = false;
      } else {
        ui.step = err.code === "vote_closed" ? "choose" : "confirm";
        ui.error = errorText(err);
      }
    } finally {
      ui.pin.value = "";
      redraw();
    }
  }

  const choosePanel = (state, vote) => {
    const head = voteHeader(state, vote, t("vote.open_now"));
    const timer = voteCountdown(vote);
    if (vote.kind === "motion") {
      return [
        head,
        timer,
        h("p", { class: "ballot-help" }, t("vote.tap_one")),
        h(
          "div",
          { class: "ballot-options" },
          vote.choices.map((c, i) =>
            h(
              "button",
              {
                type: "button",
                class: `ballot-btn ${OPTION_CLASS[c.key] ?? (i === 0 ? "opt-yes" : "opt-other")}`,
                "data-choice": c.key,
                onclick: () => {
                  ui.choice = c.key;
                  ui.step = "confirm";
                  redraw();
                },
              },
              h("span", { class: "ballot-icon", "aria-hidden": "true" }, OPTION_ICON[c.key] ?? "•"),
              h("span", {}, choiceLabel(vote, c.key)),
            ),
          ),
        ),
      ];
    }
    if (vote.kind === "election") {
      const k = vote.seats_to_fill;
      return [
        head,
        timer,
        h("p", { class: "ballot-help" }, t("vote.choose_up_to", { k }), " · ", h("strong", { "data-testid": "chosen-count" }, t("vote.chosen", { n: ui.selected.length, k }))),
        h(
          "div",
          { class: "ballot-candidates" },
          vote.choices.map((c) => {
            const on = ui.selected.includes(c.key);
            return h(
              "button",
              {
                type: "button",
                class: "ballot-candidate",
                "aria-pressed": String(on),
                "data-choice": c.key,
                onclick: () => {
                  if (on) ui.selected = ui.selected.filter((x) => x !== c.key);
                  else if (ui.selected.length < k) ui.selected = [...ui.selected, c.key];
                  else toast(t("vote.too_many", { k }), "error", 4000);
                  redraw();
                },
              },
              h("span", { class: "ballot-check", "aria-hidden": "true" }, on ? "✓" : ""),
              h("span", {}, c.label),
            );
          }),
        ),
        h(
          "div",
          { class: "actions" },
          h(
            "button",
            {
              type: "button",
              class: "btn btn-primary btn-big",
              "data-action": "ballot-next",
              onclick: () => {
                ui.choice = vote.choices.map((c) => c.key).filter((key) => ui.selected.includes(key));
                ui.step = "confirm";
                redraw();
              },
            },
            t("vote.continue"),
          ),
        ),
      ];
    }
    const rated = vote.choices.every((c) => ui.levels[c.key]);
    return [
      head,
      timer,
      h("p", { class: "ballot-help" }, t("vote.rate_each")),
      h(
        "div",
        { class: "ballot-ratings" },
        vote.choices.map((c) =>
          h(
            "div",
            { class: "ballot-rating", "data-official": c.key },
            h("p", { class: "rating-name" }, c.label),
            h(
              "div",
              { class: "rating-levels", role: "group", "aria-label": c.label },
              LEVELS.map((level) =>
                h(
                  "button",
                  {
                    type: "button",
                    class: `ballot-level level-${level}`,
                    "aria-pressed": String(ui.levels[c.key] === level),
                    "data-level": level,
                    onclick: () => {
                      ui.levels = { ...ui.levels, [c.key]: level };
                      redraw();
                    },
                  },
                  t(`vote.level.${level}`),
                ),
              ),
            ),
          ),
        ),
      ),
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-primary btn-big",
            "data-action": "ballot-next",
            disabled: !rated,
            onclick: () => {
              ui.choice = { ...ui.levels };
              ui.step = "confirm";
              redraw();
            },
          },
          t("vote.continue"),
        ),
      ),
    ];
  };

  const confirmPanel = (state, vote) => {
    const sending = ui.step === "sending";
    return [
      voteHeader(state, vote, t("vote.confirm_title")),
      h("div", { class: "ballot-confirm" }, h("p", { class: "ballot-help" }, t("vote.you_chose")), ballotSummary(vote, ui.choice)),
      vote.require_pin ? [h("label", { for: "ballot-pin" }, t("vote.pin")), ui.pin] : null,
      h("p", { class: "form-error", role: "alert", "data-testid": "ballot-error" }, ui.error),
      h(
        "div",
        { class: "ballot-actions" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-big",
            "data-action": "ballot-back",
            disabled: sending,
            onclick: () => {
              ui.step = "choose";
              ui.error = "";
              redraw();
            },
          },
          "◀ ",
          t("vote.back"),
        ),
        h(
          "button",
          { type: "button", class: "btn btn-primary btn-big btn-confirm", "data-action": "confirm-ballot", disabled: sending, onclick: () => cast(vote) },
          sending ? t("vote.sending") : `✓ ${t("vote.confirm")}`,
        ),
      ),
    ];
  };

  const donePanel = (state, vote) => {
    const named = vote.method === "electronic_named";
    const mine = vote.my_ballot;
    return [
      voteHeader(state, vote, t("vote.open_now")),
      h(
        "div",
        { class: "ballot-done", "data-testid": "ballot-ack", role: "status" },
        h("p", { class: "ballot-done-title" }, "✓ ", t("vote.recorded")),
        named
          ? mine !== undefined && mine !== null
            ? h("div", { class: "ballot-mine", "data-testid": "my-ballot" }, h("span", {}, t("vote.your_choice")), " ", ballotSummary(vote, mine))
            : null
          : h("p", {}, t("vote.secret_kept")),
      ),
      voteProgress(state, vote),
      vote.allow_change && vote.status === "open"
        ? h(
            "div",
            { class: "actions" },
            h(
              "button",
              {
                type: "button",
                class: "btn btn-big",
                "data-action": "change-ballot",
                onclick: () => {
                  ui.changing = true;
                  ui.step = "choose";
                  redraw();
                },
              },
              t("vote.change"),
            ),
          )
        : null,
    ];
  };

  return {
    el,
    render(state) {
      const vote = openVote(state);
      let key;
      let build;
      if (vote && isElectronic(vote)) {
        if (ui.voteId !== vote.vote_id) reset(vote.vote_id);
        const entitled = vote.entitled.includes(you);
        const voted = vote.voted.has(you) || acked.has(vote.vote_id);
        if (!entitled) {
          key = ["not-entitled", vote.vote_id];
          build = () => [voteHeader(state, vote, t("vote.open_now")), h("p", { class: "notice notice-warn" }, t("vote.not_entitled"))];
        } else if (voted && !ui.changing) {
          key = ["done", vote.vote_id, vote.voted.size, vote.my_ballot, vote.tally, vote.entitled.length];
          build = () => donePanel(state, vote);
        } else if (ui.step === "confirm" || ui.step === "sending") {
          key = ["confirm", vote.vote_id, ui.step, ui.choice, ui.error];
          build = () => confirmPanel(state, vote);
        } else {
          key = ["choose", vote.vote_id, ui.selected, ui.levels, ui.error];
          build = () => [choosePanel(state, vote), ui.error ? h("p", { class: "form-error", role: "alert" }, ui.error) : null];
        }
      } else if (vote) {
        key = ["paper", vote.vote_id];
        build = () => [voteHeader(state, vote, t("vote.open_now")), h("p", { class: "notice" }, t(`vote.by_${vote.method}`))];
      } else {
        const last = lastClosedVote(state, state.current_item);
        if (last && dismissed !== `${last.vote_id}:${last.status}`) {
          key = ["result", last.vote_id, last.status, last.my_ballot];
          build = () => [
            voteHeader(state, last, t("vote.result_title")),
            resultView(last),
            last.method === "electronic_named" && last.my_ballot
              ? h("p", { class: "ballot-mine" }, t("vote.your_choice"), " ", ballotSummary(last, last.my_ballot))
              : null,
            h(
              "div",
              { class: "actions" },
              h(
                "button",
                {
                  type: "button",
                  class: "btn",
                  "data-action": "dismiss-result",
                  onclick: () => {
                    dismissed = `${last.vote_id}:${last.status}`;
                    redraw();
                  },
                },
                t("vote.dismiss"),
              ),
            ),
          ];
        } else {
          key = ["none"];
          build = () => [];
        }
      }
      const full = JSON.stringify([language(), ...key, state.items.get((vote ?? {}).item_id)?.title ?? null]);
      if (full === shown) return;
      shown = full;
      const children = build();
      // A vote that opens comes into view, wherever the delegate had scrolled to.
      if (key[0] === "choose" && el.dataset.state !== "choose" && el.dataset.state !== "confirm") window.scrollTo({ top: 0 });
      el.hidden = key[0] === "none";
      el.dataset.state = key[0];
      el.classList.toggle("ballot-open", Boolean(vote));
      // The PIN field is the same element throughout: moving it keeps what was typed.
      fill(el, children);
    },
  };
}

// -- the chair: the vote in progress, or the last result -------------------------------------

function annulDialog(ctx, vote) {
  const reason = h("input", { id: "annul-reason", name: "reason", maxlength: "500", required: true });
  const rerun = h("input", { type: "checkbox", id: "annul-rerun", name: "rerun", checked: true });
  const error = h("p", { class: "form-error", role: "alert" });
  const yes = h("button", { type: "submit", class: "btn btn-danger", "data-action": "confirm-annul" }, t("vote.annul"));
  const form = h(
    "form",
    { novalidate: true },
    h("h2", {}, t("vote.annul_title")),
    h("p", { class: "dialog-text" }, vote.question),
    h("label", { for: "annul-reason" }, t("vote.annul_reason_label")),
    reason,
    h("label", { class: "check" }, rerun, h("span", {}, t("vote.annul_rerun"))),
    error,
    h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => dialog.close() }, t("confirm.no")), yes),
  );
  const dialog = h("dialog", { class: "dialog", "data-testid": "annul-dialog" }, form);
  dialog.addEventListener("close", () => dialog.remove());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!reason.value.trim()) {
      error.textContent = t("vote.annul_reason_needed");
      return;
    }
    yes.disabled = true;
    const ack = await ctx.act("vote", "vote.annul", { vote_id: vote.vote_id, reason: reason.value.trim(), rerun: rerun.checked }, { done: t("vote.annulled_done") });
    if (ack) dialog.close();
    else yes.disabled = false;
  });
  document.body.append(dialog);
  dialog.showModal();
}

function voteButtons(ctx, state, vote, { chair, big = false }) {
  const size = big ? " btn-big" : "";
  const busy = ctx.busy.has("vote");
  const open = state.status === "open";
  const out = [];
  if (!chair) return out;
  if (vote.status === "scheduled") {
    out.push(
      h("button", { type: "button", class: `btn btn-primary${size}`, "data-action": "open-vote", disabled: busy || !open || state.open_vote !== null, onclick: () => ctx.act("vote", "vote.open", { vote_id: vote.vote_id }) }, t("vote.open")),
    );
  } else if (vote.status === "open" && isElectronic(vote)) {
    out.push(
      h(
        "button",
        {
          type: "button",
          class: `btn btn-primary${size}`,
          "data-action": "close-vote",
          disabled: busy,
          onclick: async () => {
            const waiting = notVoted(vote).length;
            if (!waiting || (await confirmDialog(t("vote.confirm_close", { n: waiting }), { yes: t("vote.close") }))) {
              await ctx.act("vote", "vote.close", { vote_id: vote.vote_id });
            }
          },
        },
        t("vote.close"),
      ),
    );
  } else if (vote.status === "closed") {
    out.push(h("button", { type: "button", class: "btn", "data-action": "annul-vote", disabled: busy, onclick: () => annulDialog(ctx, vote) }, t("vote.annul")));
  }
  return out;
}

function nextButton(ctx, state) {
  const next = nextScheduledVote(state);
  const current = openVote(state);
  if (!next || (current && !isElectronic(current))) return null;
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-big",
      "data-action": "next-vote",
      title: next.question,
      disabled: ctx.busy.has("vote") || state.status !== "open",
      onclick: () => ctx.act("vote", "vote.next", {}),
    },
    current ? t("vote.next_close") : t("vote.next"),
  );
}

export function chairLiveVotePanel(ctx) {
  const el = h("section", { class: "card card-vote", "data-panel": "live-vote" });
  return {
    el,
    render(state) {
      const vote = openVote(state);
      const last = vote ? null : lastClosedVote(state, state.current_item);
      const ready = vote || last ? null : allVotes(state).find((v) => v.status === "scheduled" && v.item_id === state.current_item);
      el.hidden = !vote && !last && !ready;
      if (el.hidden) return fill(el);
      const shown = vote ?? last ?? ready;
      fill(
        el,
        voteHeader(state, shown, vote ? t("vote.open_now") : last ? t("vote.result_title") : t("vote.ready")),
        h("p", { class: "result-line" }, ruleLine(shown)),
        vote ? voteProgress(state, vote, { names: true }) : null,
        vote && !isElectronic(vote) ? h("p", { class: "notice" }, t("vote.await_counts")) : null,
        last ? resultView(last) : null,
        h("div", { class: "controls" }, voteButtons(ctx, state, shown, { chair: true, big: true }), vote || last ? nextButton(ctx, state) : null),
      );
    },
  };
}

// -- the list of votes (chair and clerk) -----------------------------------------------------

const STATUS_TAG = { scheduled: "tag-scheduled", open: "tag-open", closed: "tag-done", annulled: "tag-annulled" };

export function votesPanel(ctx, { chair = false } = {}) {
  const heading = h("h2");
  const top = h("div", { class: "controls" });
  const list = h("div");
  const el = h("section", { class: "card", "data-panel": "votes" }, heading, top, list);
  const expanded = new Set();
  return {
    el,
    render(state) {
      const votes = allVotes(state);
      heading.textContent = t("vote.list_title", { n: votes.length });
      fill(top, chair ? nextButton(ctx, state) : null);
      if (!votes.length) return fill(list, h("p", { class: "muted" }, t("vote.none")));
      const order = new Map(agendaItems(state).map((i) => [i.item_id, i.number]));
      fill(
        list,
        h(
          "ol",
          { class: "rows", "data-testid": "votes" },
          votes.map((v) => {
            const result = v.result ? outcomeText(v) : null;
            const open = expanded.has(v.vote_id);
            return h(
              "li",
              { class: `row vote-row vote-${v.status}`, "data-vote-id": v.vote_id },
              h("span", { class: "row-number" }, order.has(v.item_id) ? String(order.get(v.item_id)) : "·"),
              h(
                "div",
                { class: "row-body" },
                h("p", { class: "row-title" }, v.question, " ", h("span", { class: `tag ${STATUS_TAG[v.status]}` }, t(`vote.status.${v.status}`))),
                h("p", { class: "row-detail" }, itemTitle(state, v)),
                h("p", { class: "row-detail" }, methodText(v.method), " · ", ruleLine(v), v.require_pin ? ` · ${t("vote.with_pin")}` : ""),
                v.status === "open" ? voteProgress(state, v) : null,
                result && !open ? h("p", { class: "row-detail" }, h("strong", {}, result), v.status === "annulled" ? ` · ${t("vote.status.annulled")}` : "") : null,
                open ? resultView(v) : null,
              ),
              h(
                "div",
                { class: "row-actions" },
                voteButtons(ctx, state, v, { chair }),
                v.result
                  ? h(
                      "button",
                      {
                        type: "button",
                        class: "btn",
                        "data-action": "show-result",
                        "aria-expanded": String(open),
                        onclick: () => {
                          if (open) expanded.delete(v.vote_id);
                          else expanded.add(v.vote_id);
                          ctx.refresh();
                        },
                      },
                      open ? t("vote.hide_result") : t("vote.show_result"),
                    )
                  : null,
              ),
            );
          }),
        ),
      );
    },
  };
}

// -- scheduling a vote (chair and clerk) -----------------------------------------------------

const RULES = ["majority_of_seats", "two_thirds_of_seats", "majority_of_cast", "two_thirds_of_present"];
const METHODS = ["electronic_named", "electronic_secret", "paper", "show_of_hands"];
const DURATIONS = [0, 30, 60, 120, 300];

function lines(text, prefix) {
  return text
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((label, i) => ({ key: `${prefix}${i + 1}`, label }));
}

export function scheduleVotePanel(ctx, { open = false } = {}) {
  const el = h("details", { class: "card", "data-panel": "schedule-vote", open });
  let lang = null;
  let f = null;

  const build = () => {
    const id = (name) => `sv-${name}`;
    const item = h("select", { id: id("item"), name: "item_id" });
    const question = h("input", { id: id("question"), name: "question", maxlength: "500", autocomplete: "off", placeholder: t("vote.question_hint") });
    const kind = h("select", { id: id("kind"), name: "kind" }, ["motion", "election", "confidence"].map((k) => h("option", { value: k }, t(`vote.kind.${k}`))));
    const candidates = h("textarea", { id: id("candidates"), name: "candidates", placeholder: t("vote.one_per_line") });
    const seats = h("input", { id: id("seats"), name: "seats_to_fill", type: "number", min: "1", value: "1", inputmode: "numeric" });
    const officials = h("textarea", { id: id("officials"), name: "officials", placeholder: t("vote.one_per_line") });
    const method = h("select", { id: id("method"), name: "method" }, METHODS.map((m) => h("option", { value: m }, methodText(m))));
    const rule = h("select", { id: id("rule"), name: "rule" }, RULES.map((r) => h("option", { value: r }, t(`vote.rule.${r}`))));
    const duration = h(
      "select",
      { id: id("duration"), name: "duration" },
      DURATIONS.map((d) => h("option", { value: String(d) }, d ? t("vote.duration_s", { n: d }) : t("vote.no_duration"))),
    );
    const number = h("input", { id: id("number"), name: "number", maxlength: "64", autocomplete: "off" });
    const series = h("input", { id: id("series"), name: "series", maxlength: "64", autocomplete: "off" });
    const pin = h("input", { type: "checkbox", id: id("pin"), name: "require_pin" });
    const live = h("input", { type: "checkbox", id: id("live"), name: "live_counts" });
    const change = h("input", { type: "checkbox", id: id("change"), name: "allow_change" });
    const error = h("p", { class: "form-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "btn btn-primary", "data-action": "schedule-vote" }, t("vote.schedule"));
    const electionBox = h("div", {}, h("label", { for: id("candidates") }, t("vote.candidates")), candidates, h("label", { for: id("seats") }, t("vote.seats_to_fill")), seats);
    const confidenceBox = h("div", {}, h("label", { for: id("officials") }, t("vote.officials")), officials);
    const pinRow = h("label", { class: "check" }, pin, h("span", {}, t("vote.require_pin")));
    const namedRows = h(
      "div",
      {},
      h("label", { class: "check" }, live, h("span", {}, t("vote.live_counts"))),
      h("label", { class: "check" }, change, h("span", {}, t("vote.allow_change"))),
    );
    const durationBox = h("div", {}, h("label", { for: id("duration") }, t("vote.duration")), duration);
    const sync = () => {
      electionBox.hidden = kind.value !== "election";
      confidenceBox.hidden = kind.value !== "confidence";
      const hands = method.querySelector("option[value=show_of_hands]");
      hands.disabled = kind.value !== "motion";
      if (hands.disabled && method.value === "show_of_hands") method.value = "paper";
      const electronic = method.value.startsWith("electronic");
      pinRow.hidden = !electronic;
      durationBox.hidden = !electronic;
      namedRows.hidden = method.value !== "electronic_named";
    };
    kind.addEventListener("change", sync);
    method.addEventListener("change", sync);
    const form = h(
      "form",
      { novalidate: true },
      h("label", { for: id("item") }, t("vote.item")),
      item,
      h("label", { for: id("question") }, t("vote.question")),
      question,
      h("div", { class: "form-grid" }, h("div", {}, h("label", { for: id("kind") }, t("vote.kind")), kind), h("div", {}, h("label", { for: id("method") }, t("vote.method")), method)),
      electionBox,
      confidenceBox,
      h("label", { for: id("rule") }, t("vote.rule")),
      rule,
      durationBox,
      h("div", { class: "form-grid" }, h("div", {}, h("label", { for: id("number") }, t("vote.number")), number), h("div", {}, h("label", { for: id("series") }, t("vote.series")), series)),
      pinRow,
      namedRows,
      error,
      h("div", { class: "actions" }, submit),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const args = {
        item_id: item.value,
        question: question.value.trim(),
        kind: kind.value,
        method: method.value,
        rule: { name: rule.value },
      };
      if (!args.item_id) return (error.textContent = t("vote.need_item"));
      if (!args.question) return (error.textContent = t("vote.need_question"));
      if (kind.value === "election") {
        args.candidates = lines(candidates.value, "c");
        args.seats_to_fill = Number.parseInt(seats.value, 10) || 1;
        if (!args.candidates.length) return (error.textContent = t("vote.need_candidates"));
        if (args.seats_to_fill > args.candidates.length) return (error.textContent = t("vote.too_many_seats"));
      } else if (kind.value === "confidence") {
        args.officials = lines(officials.value, "o");
        if (!args.officials.length) return (error.textContent = t("vote.need_officials"));
      }
      if (method.value.startsWith("electronic")) {
        const d = Number(duration.value);
        if (d) args.duration = d;
        if (pin.checked) args.require_pin = true;
      }
      if (method.value === "electronic_named") {
        if (live.checked) args.live_counts = true;
        if (change.checked) args.allow_change = true;
      }
      if (number.value.trim()) args.number = number.value.trim();
      if (series.value.trim()) args.series = series.value.trim();
      error.textContent = "";
      const ack = await ctx.act("schedule", "vote.schedule", args, { done: t("vote.scheduled") });
      if (ack) {
        question.value = "";
        candidates.value = "";
        officials.value = "";
        number.value = "";
      }
    });
    sync();
    fill(el, h("summary", {}, t("vote.schedule_title")), form);
    f = { item, submit, items: "" };
  };

  return {
    el,
    render(state) {
      if (lang !== language()) {
        lang = language();
        build();
      }
      const items = agendaItems(state).filter((i) => i.status !== "closed" || i.item_id === state.current_item);
      const key = JSON.stringify([items.map((i) => [i.item_id, i.title, i.number]), state.current_item]);
      if (key !== f.items) {
        const chosen = f.item.value;
        fill(
          f.item,
          items.map((i) => h("option", { value: i.item_id }, `${i.number}. ${i.title}`)),
        );
        const pick = items.some((i) => i.item_id === chosen) && f.items ? chosen : (state.current_item ?? items[0]?.item_id ?? "");
        f.item.value = pick;
        f.items = key;
      }
      f.submit.disabled = state.status === "closed" || ctx.busy.has("schedule");
    },
  };
}

// -- the clerk: paper ballots and shows of hands ---------------------------------------------

export function countsPanel(ctx) {
  const el = h("section", { class: "card", "data-panel": "counts" });
  let shown = null;
  return {
    el,
    render(state) {
      const vote = openVote(state);
      const target = vote && !isElectronic(vote) ? vote : null;
      const key = JSON.stringify([language(), target?.vote_id ?? null]);
      if (key === shown) return;
      shown = key;
      if (!target) {
        fill(el, h("h2", {}, t("counts.title")), h("p", { class: "muted" }, t("counts.none")));
        return;
      }
      const inputs = new Map();
      const field = (name, label) => {
        const input = h("input", { id: `count-${name.replace(/[^a-z0-9_-]/g, "-")}`, name, type: "number", min: "0", inputmode: "numeric", value: "0" });
        inputs.set(name, input);
        return h("div", { class: "count-field" }, h("label", { for: input.id }, label), input);
      };
      const paper = target.method === "paper";
      const sheet = paper
        ? h("div", { class: "form-grid form-grid-4" }, ["issued", "returned", "valid", "invalid"].map((n) => field(`sheet:${n}`, t(`counts.${n}`))))
        : null;
      const tallies =
        target.kind === "confidence"
          ? target.choices.map((c) =>
              h("fieldset", { class: "count-group" }, h("legend", {}, c.label), h("div", { class: "form-grid form-grid-4" }, LEVELS.map((l) => field(`${c.key}:${l}`, t(`vote.level.${l}`))))),
            )
          : h("div", { class: "form-grid form-grid-4" }, target.choices.map((c) => field(c.key, choiceLabel(target, c.key))));
      const total = h("p", { class: "result-line", "data-testid": "counts-total" });
      const error = h("p", { class: "form-error", role: "alert" });
      const submit = h("button", { type: "submit", class: "btn btn-primary btn-big", "data-action": "enter-counts" }, t("counts.submit"));
      const read = () => {
        const value = (n) => Math.max(0, Number.parseInt(inputs.get(n).value, 10) || 0);
        const counts = {};
        for (const k of tallyKeys(target)) counts[k] = value(k);
        const args = { vote_id: target.vote_id, counts };
        if (paper) for (const n of ["issued", "returned", "valid", "invalid"]) args[n] = value(`sheet:${n}`);
        return args;
      };
      const check = () => {
        const args = read();
        const sum = Object.values(args.counts).reduce((a, b) => a + b, 0);
        total.textContent = t("counts.sum", { n: sum });
        if (!paper) return "";
        if (args.returned > args.issued) return t("counts.bad_returned");
        if (args.valid + args.invalid !== args.returned) return t("counts.bad_valid");
        if (target.kind === "motion" && sum !== args.valid) return t("counts.bad_sum");
        return "";
      };
      const form = h(
        "form",
        { novalidate: true },
        h("h2", {}, t("counts.title")),
        voteHeader(state, target, t("vote.open_now")),
        h("p", { class: "result-line" }, ruleLine(target)),
        sheet,
        tallies,
        total,
        error,
        h("div", { class: "actions" }, submit),
      );
      form.addEventListener("input", () => {
        error.textContent = check();
      });
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const problem = check();
        error.textContent = problem;
        if (problem) return;
        if (!(await confirmDialog(t("counts.confirm"), { yes: t("counts.submit") }))) return;
        submit.disabled = true;
        const ack = await ctx.act("counts", "vote.enter_counts", read(), { done: t("counts.done") });
        if (!ack) submit.disabled = false;
      });
      check();
      fill(el, form);
    },
  };
}

// -- the hall display and the public page ----------------------------------------------------

/** The hall's stage for a vote: open (the count) or closed (the result, big). */
export function hallVote(state, vote) {
  const open = vote.status === "open";
  return [
    h("p", { class: "hall-label" }, open ? t("vote.open_now") : t("vote.result_title"), " · ", methodText(vote.method)),
    h("h1", { class: "hall-vote-question" }, vote.question),
    open ? voteProgress(state, vote, { size: "progress-hall" }) : resultView(vote, { size: "result-hall" }),
    open ? h("p", { class: "hall-rule" }, ruleLine(vote)) : null,
  ];
}

/** Every vote's outcome this audience may see, newest first, and the open vote's count. */
export function publicVotesPanel() {
  const heading = h("h2");
  const list = h("div");
  const el = h("section", { class: "card", "data-panel": "votes" }, heading, list);
  return {
    el,
    render(state) {
      const open = openVote(state);
      const done = allVotes(state)
        .filter((v) => isClosed(v) && v.result)
        .sort((a, b) => (a.closed_at < b.closed_at ? 1 : -1));
      el.hidden = !open && !done.length;
      heading.textContent = t("vote.public_title");
      fill(
        list,
        open
          ? h("div", { class: "vote-card vote-card-open" }, voteHeader(state, open, t("vote.open_now")), voteProgress(state, open))
          : null,
        done.map((v) => h("div", { class: "vote-card" }, voteHeader(state, v, t("vote.result_title")), resultView(v))),
      );
    },
  };
}
