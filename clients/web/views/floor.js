// Views of the floor, shared by the apps: attendance and quorum, the speaker with the time
// left, the speakers' queue, and the questions (chất vấn).
//
// Panels are `{el, render(state)}` like the apps' own. Panels with text fields build their
// form once per language, so that a re-render (any event of the meeting) never interrupts
// typing; everything else is rebuilt from the replica's state on each render.

import { memberName } from "../areas/agenda.js";
import { minutesStatus } from "../areas/record.js";
import {
  currentQueue,
  delegatesWithAttendance,
  myRequest,
  orderedQuestions,
  questionsBy,
  quorum,
  speechTimer,
} from "../areas/floor.js";
import { language, t } from "../core/i18n.js";
import { confirmDialog, fill, formatTime, h } from "../core/ui.js";
import { countdown } from "./timer.js";

/** Rebuilds a form only when the language changes (typing is never interrupted). */
function perLanguage(build) {
  let built = null;
  let lang = null;
  return () => {
    if (lang !== language()) {
      lang = language();
      built = build();
    }
    return built;
  };
}

function button(label, attrs) {
  return h("button", { type: "button", class: "btn", ...attrs }, label);
}

function minutesText(seconds) {
  return seconds % 60 === 0 ? t("floor.minutes", { n: seconds / 60 }) : t("floor.seconds", { n: seconds });
}

// -- quorum ---------------------------------------------------------------------------------

/** "Có mặt 3/4 · cần 3 · Đủ túc số", as a badge coloured by whether quorum is met. */
export function quorumBadge(state) {
  const q = quorum(state);
  return h(
    "span",
    { class: `badge quorum ${q.met ? "quorum-met" : "quorum-short"}`, "data-testid": "quorum", "data-met": String(q.met) },
    t("quorum.line", { present: q.present, seats: q.seats, required: q.required }),
    " · ",
    h("strong", {}, q.met ? t("quorum.met") : t("quorum.short")),
  );
}

// -- the speaker ----------------------------------------------------------------------------

/** The current speaker with the time left, or null when nobody has the floor. */
export function speakerCard(state, { you = null, size = "" } = {}) {
  const speech = state.floor.speech;
  if (!speech) return null;
  const timer = speechTimer(state);
  const mine = you !== null && speech.user_id === you;
  return h(
    "div",
    { class: `speaker ${size} ${mine ? "speaker-you" : ""}`.trim(), "data-testid": "speaker", "aria-live": "polite" },
    h(
      "div",
      { class: "speaker-who" },
      h("p", { class: "speaker-label" }, mine ? t("floor.you_speak") : t("floor.speaking")),
      h("p", { class: "speaker-name" }, memberName(state, speech.user_id)),
      speech.topic ? h("p", { class: "speaker-topic" }, speech.topic) : null,
      speech.reply_to ? h("p", { class: "speaker-topic" }, t("floor.reply_to", { name: memberName(state, speech.reply_to) })) : null,
    ),
    h(
      "div",
      { class: "speaker-time" },
      countdown(timer, { label: t("floor.time_left"), className: "countdown-speaker" }),
      timer.running ? null : h("span", { class: "tag tag-paused" }, t("floor.paused")),
    ),
  );
}

// -- the delegate's floor: check-in, asking to speak -----------------------------------------

export function delegateFloorPanel(ctx) {
  const you = ctx.session?.user?.id ?? null;
  const attendance = h("div", { class: "floor-attendance" });
  const speaker = h("div");
  const status = h("div", { class: "floor-request" });
  const queue = h("div");
  const heading = h("h2");
  const form = perLanguage(() => {
    const topic = h("input", { id: "floor-topic", name: "topic", maxlength: "500", autocomplete: "off", placeholder: t("floor.topic_hint") });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-big", "data-action": "request-floor" }, t("floor.request"));
    const el = h(
      "form",
      { class: "floor-form", novalidate: true },
      h("label", { for: "floor-topic" }, t("floor.topic")),
      h("div", { class: "inline-form" }, topic, submit),
    );
    el.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ack = await ctx.act("floor", "floor.request", { topic: topic.value.trim() }, { done: t("floor.requested") });
      if (ack) topic.value = "";
    });
    return { el, topic, submit };
  });
  const el = h("section", { class: "card", "data-panel": "floor" }, heading, attendance, speaker, status, queue);
  return {
    el,
    render(state) {
      heading.textContent = t("floor.title");
      const present = state.floor.attendance.get(you)?.presence === "present";
      const closed = state.status === "closed";
      fill(
        attendance,
        present
          ? [
              h("span", { class: "badge badge-ok", "data-testid": "checked-in" }, "✓ ", t("attendance.you_present")),
              button(t("attendance.check_out"), {
                class: "btn btn-small",
                "data-action": "check-out",
                disabled: closed || ctx.busy.has("attendance"),
                onclick: () => ctx.act("attendance", "attendance.check_out", {}),
              }),
            ]
          : button(t("attendance.check_in"), {
              class: "btn btn-primary btn-big btn-wide",
              "data-action": "check-in",
              disabled: closed || ctx.busy.has("attendance"),
              onclick: () => ctx.act("attendance", "attendance.check_in", {}, { done: t("attendance.checked_in") }),
            }),
      );
      fill(speaker, speakerCard(state, { you }) ?? h("p", { class: "muted" }, t("floor.nobody")));

      const mine = myRequest(state, you);
      const open = state.status === "open" && state.current_item !== null;
      const f = form();
      f.submit.disabled = !open || ctx.busy.has("floor");
      if (mine) {
        fill(
          status,
          h(
            "div",
            { class: "notice notice-ok", "data-testid": "my-request" },
            h("strong", {}, t("floor.your_place", { n: mine.place })),
            mine.request.topic ? h("p", { class: "muted" }, mine.request.topic) : null,
          ),
          button(t("floor.withdraw"), {
            class: "btn btn-big btn-wide",
            "data-action": "withdraw-floor",
            disabled: ctx.busy.has("floor"),
            onclick: () => ctx.act("floor", "floor.withdraw", {}, { done: t("floor.withdrawn") }),
          }),
        );
      } else if (state.floor.speech?.user_id === you) {
        fill(status);
      } else if (open) {
        // The same form stays in place while it is shown: typing is never interrupted.
        if (status.firstChild !== f.el || status.childNodes.length !== 1) fill(status, f.el);
      } else {
        fill(status, h("p", { class: "muted" }, t("floor.no_item")));
      }
      const waiting = currentQueue(state);
      fill(
        queue,
        waiting.length
          ? h(
              "details",
              { class: "queue-peek" },
              h("summary", {}, t("floor.queue_count", { n: waiting.length })),
              h(
                "ol",
                { class: "queue-list" },
                waiting.map((r) => h("li", { class: r.user_id === you ? "is-you" : null }, memberName(state, r.user_id), r.topic ? ` · ${r.topic}` : "")),
              ),
            )
          : null,
      );
    },
  };
}

// -- the delegate's questions ----------------------------------------------------------------

const QUESTION_STATUS = { submitted: "question.status_submitted", called: "question.status_called", answered: "question.status_answered", withdrawn: "question.status_withdrawn" };

function questionStatus(q) {
  if (q.written && q.status !== "answered") return h("span", { class: "tag tag-written" }, t("question.status_written"));
  return h("span", { class: `tag tag-q-${q.status}` }, t(QUESTION_STATUS[q.status]));
}

export function delegateQuestionsPanel(ctx) {
  const you = ctx.session?.user?.id ?? null;
  const heading = h("h2");
  const list = h("div");
  const form = perLanguage(() => {
    const addressee = h("input", { id: "question-to", name: "addressee", maxlength: "500", autocomplete: "off", placeholder: t("question.to_hint") });
    const text = h("textarea", { id: "question-text", name: "text", maxlength: "20000" });
    const error = h("p", { class: "form-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "btn btn-primary", "data-action": "submit-question" }, t("question.submit"));
    const el = h(
      "form",
      { novalidate: true },
      h("label", { for: "question-to" }, t("question.to")),
      addressee,
      h("label", { for: "question-text" }, t("question.text")),
      text,
      error,
      h("div", { class: "actions" }, submit),
    );
    el.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!addressee.value.trim() || !text.value.trim()) {
        error.textContent = t("question.required");
        return;
      }
      error.textContent = "";
      const args = { addressee: addressee.value.trim(), text: text.value.trim() };
      const ack = await ctx.act("question", "question.submit", args, { done: t("question.sent") });
      if (ack) {
        addressee.value = "";
        text.value = "";
      }
    });
    return { el, submit, details: h("details", { class: "card", "data-panel": "ask" }, h("summary", {}, t("question.ask")), el) };
  });
  const box = h("div");
  const el = h("div", {}, box, h("section", { class: "card", "data-panel": "my-questions" }, heading, list));
  return {
    el,
    render(state) {
      const f = form();
      if (box.firstChild !== f.details) fill(box, f.details);
      f.submit.disabled = state.status === "closed" || ctx.busy.has("question");
      const mine = questionsBy(state, you);
      heading.textContent = t("question.mine", { n: mine.length });
      el.lastChild.hidden = mine.length === 0;
      fill(
        list,
        h(
          "ul",
          { class: "question-list" },
          mine.map((q) =>
            h(
              "li",
              { class: "question", "data-question-id": q.question_id },
              h("p", { class: "question-head" }, h("strong", {}, t("question.to_whom", { name: q.addressee })), " ", questionStatus(q)),
              h("p", { class: "question-text" }, q.text),
              q.status === "answered" ? h("p", { class: "muted" }, t("question.answered_by", { name: q.answered_by }), q.summary ? `: ${q.summary}` : "") : null,
              q.status === "submitted"
                ? button(t("question.withdraw"), {
                    class: "btn btn-small",
                    "data-action": "withdraw-question",
                    disabled: ctx.busy.has("question"),
                    onclick: () => ctx.act("question", "question.withdraw", { question_id: q.question_id }),
                  })
                : null,
            ),
          ),
        ),
      );
    },
  };
}

// -- the chair: the speaker and the timer ----------------------------------------------------

export function chairSpeakerPanel(ctx) {
  const el = h("section", { class: "card", "data-panel": "speaker" });
  let shown = null;
  return {
    el,
    render(state) {
      const speech = state.floor.speech;
      const next = currentQueue(state)[0] ?? null;
      const busy = ctx.busy.has("speech");
      const open = state.status === "open";
      // Rebuild only when something shown changes: the countdown ticks on by itself.
      const key = JSON.stringify([language(), speech && [speech.speech_id, speech.allowed, speech.runningSinceMs, speech.usedMs, speech.warned, speech.overrun], next?.request_id, busy, open]);
      if (key === shown) return;
      shown = key;
      const timerButtons = speech
        ? [
            speech.runningSinceMs === null
              ? button(`▶ ${t("floor.resume")}`, { "data-action": "resume", disabled: busy || !open, onclick: () => ctx.act("speech", "floor.resume", { speech_id: speech.speech_id }) })
              : button(`‖ ${t("floor.pause")}`, { "data-action": "pause", disabled: busy || !open, onclick: () => ctx.act("speech", "floor.pause", { speech_id: speech.speech_id }) }),
            button(t("floor.extend", { n: 1 }), { "data-action": "extend", disabled: busy || !open, onclick: () => ctx.act("speech", "floor.extend", { speech_id: speech.speech_id, seconds: 60 }) }),
            button(t("floor.extend", { n: 3 }), { "data-action": "extend-3", disabled: busy || !open, onclick: () => ctx.act("speech", "floor.extend", { speech_id: speech.speech_id, seconds: 180 }) }),
            button(`■ ${t("floor.end")}`, { class: "btn btn-danger", "data-action": "end-speech", disabled: busy, onclick: () => ctx.act("speech", "floor.end", { speech_id: speech.speech_id }) }),
          ]
        : [];
      fill(
        el,
        h("h2", {}, t("floor.speaker")),
        speakerCard(state) ?? h("p", { class: "muted" }, t("floor.nobody")),
        speech ? h("div", { class: "controls" }, timerButtons) : null,
        h(
          "div",
          { class: "next-speaker" },
          next
            ? h("p", {}, t("floor.next_is", { name: memberName(state, next.user_id) }), next.topic ? ` · ${next.topic}` : "")
            : h("p", { class: "muted" }, t("floor.queue_empty")),
          button(t("floor.grant_next"), {
            class: "btn btn-primary btn-big",
            "data-action": "grant-next",
            disabled: !next || !open || busy,
            onclick: () => ctx.act("speech", "floor.grant", { request_id: next.request_id }),
          }),
        ),
      );
    },
  };
}

// -- the chair: the speakers' queue ----------------------------------------------------------

function moved(list, index, step) {
  const to = index + step;
  if (to < 0 || to >= list.length) return null;
  const next = [...list];
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}

export function queuePanel(ctx) {
  const heading = h("h2");
  const list = h("div");
  const timing = h("p", { class: "muted" });
  const addBox = h("div");
  const add = perLanguage(() => {
    const who = h("select", { id: "speaker-who", name: "user_id" });
    const topic = h("input", { id: "speaker-topic", name: "topic", maxlength: "500", autocomplete: "off" });
    const submit = h("button", { type: "submit", class: "btn btn-primary", "data-action": "add-speaker" }, t("floor.add"));
    const form = h(
      "form",
      { novalidate: true },
      h("label", { for: "speaker-who" }, t("floor.add_who")),
      who,
      h("label", { for: "speaker-topic" }, t("floor.topic")),
      topic,
      h("div", { class: "actions" }, submit),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!who.value) return;
      const ack = await ctx.act("queue", "floor.add", { user_id: who.value, topic: topic.value.trim() });
      if (ack) topic.value = "";
    });
    return { who, submit, el: h("details", { class: "subcard" }, h("summary", {}, t("floor.add_title")), form), options: "" };
  });
  const el = h("section", { class: "card", "data-panel": "queue" }, heading, list, addBox, timing);
  return {
    el,
    render(state) {
      const queue = currentQueue(state);
      const open = state.status === "open" && state.current_item !== null;
      const busy = ctx.busy.has("queue") || ctx.busy.has("speech");
      const item = state.items.get(state.current_item);
      heading.textContent = item ? t("floor.queue_of", { title: item.title }) : t("floor.queue");
      const ids = queue.map((r) => r.request_id);
      const reorder = (order) => ctx.act("queue", "floor.reorder", { request_ids: order });
      fill(
        list,
        queue.length
          ? h(
              "ol",
              { class: "rows", "data-testid": "speaker-queue" },
              queue.map((r, i) =>
                h(
                  "li",
                  { class: "row", "data-request-id": r.request_id },
                  h("span", { class: "row-number" }, String(i + 1)),
                  h(
                    "div",
                    { class: "row-body" },
                    h("p", { class: "row-title" }, memberName(state, r.user_id), r.added_by ? h("span", { class: "tag tag-added" }, t("floor.added_by_chair")) : null),
                    r.topic || r.reply_to
                      ? h("p", { class: "row-detail" }, r.topic, r.reply_to ? ` ${t("floor.reply_to", { name: memberName(state, r.reply_to) })}` : "")
                      : null,
                    h("p", { class: "row-detail" }, t("floor.asked_at", { time: formatTime(r.at) })),
                  ),
                  h(
                    "div",
                    { class: "row-actions" },
                    button(t("floor.grant"), { class: "btn btn-primary", "data-action": "grant", disabled: !open || busy, onclick: () => ctx.act("speech", "floor.grant", { request_id: r.request_id }) }),
                    button("▲", { "data-action": "speaker-up", "aria-label": t("floor.up", { name: memberName(state, r.user_id) }), disabled: busy || !moved(ids, i, -1), onclick: () => reorder(moved(ids, i, -1)) }),
                    button("▼", { "data-action": "speaker-down", "aria-label": t("floor.down", { name: memberName(state, r.user_id) }), disabled: busy || !moved(ids, i, 1), onclick: () => reorder(moved(ids, i, 1)) }),
                    button(t("floor.remove"), {
                      "data-action": "remove-speaker",
                      disabled: busy,
                      onclick: async () => {
                        if (await confirmDialog(t("floor.confirm_remove", { name: memberName(state, r.user_id) }), { yes: t("floor.remove"), danger: true })) {
                          await ctx.act("queue", "floor.remove", { request_id: r.request_id });
                        }
                      },
                    }),
                  ),
                ),
              ),
            )
          : h("p", { class: "muted" }, open ? t("floor.queue_empty") : t("floor.no_item")),
      );
      const a = add();
      if (addBox.firstChild !== a.el) fill(addBox, a.el);
      const people = [...state.members.values()].filter((m) => m.roles.includes("delegate")).sort((x, y) => (x.seat ?? 1e9) - (y.seat ?? 1e9));
      const options = JSON.stringify(people.map((m) => [m.user_id, m.name]));
      if (options !== a.options) {
        const chosen = a.who.value;
        fill(a.who, people.map((m) => h("option", { value: m.user_id }, m.name)));
        if (chosen) a.who.value = chosen;
        a.options = options;
      }
      a.submit.disabled = !open || ctx.busy.has("queue");
      const tm = state.floor.timing;
      timing.textContent = t("floor.timing", { time: minutesText(tm.speaking_seconds), warning: tm.warning_seconds });
    },
  };
}

// -- attendance (chair and clerk) ------------------------------------------------------------

const PRESENCE = { present: "attendance.present", absent: "attendance.absent", excused: "attendance.excused" };

function reasonDialog(name) {
  return new Promise((resolve) => {
    const input = h("input", { id: "excuse-reason", name: "reason", maxlength: "500", required: true });
    const dialog = h(
      "dialog",
      { class: "dialog", "data-testid": "reason-dialog" },
      h(
        "form",
        { method: "dialog" },
        h("p", { class: "dialog-text" }, t("attendance.reason_for", { name })),
        h("label", { for: "excuse-reason" }, t("attendance.reason")),
        input,
        h(
          "div",
          { class: "actions" },
          h("button", { value: "no", class: "btn", type: "submit", formnovalidate: true }, t("confirm.no")),
          h("button", { value: "yes", class: "btn btn-primary", type: "submit" }, t("attendance.excused")),
        ),
      ),
    );
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "yes" && input.value.trim() ? input.value.trim() : null);
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export function attendancePanel(ctx) {
  const summary = h("div", { class: "sitting-line" });
  const list = h("div");
  const heading = h("h2");
  const el = h("section", { class: "card", "data-panel": "attendance" }, heading, summary, list);
  const record = (userId, presence, reason = "") =>
    ctx.act(`attendance:${userId}`, "attendance.record", { user_id: userId, presence, reason });
  return {
    el,
    render(state) {
      heading.textContent = t("attendance.title");
      const rule = state.floor.rule;
      fill(
        summary,
        quorumBadge(state),
        h("span", { class: "muted" }, t(rule.strict ? "quorum.rule_strict" : "quorum.rule", { num: rule.numerator, den: rule.denominator })),
      );
      const closed = state.status === "closed";
      fill(
        list,
        h(
          "ul",
          { class: "rows rows-compact", "data-testid": "attendance" },
          delegatesWithAttendance(state).map((m) => {
            const a = m.attendance;
            const busy = ctx.busy.has(`attendance:${m.user_id}`);
            const is = (p) => a?.presence === p;
            return h(
              "li",
              { class: `row presence-${a?.presence ?? "unknown"}`, "data-user-id": m.user_id },
              h("span", { class: "row-number" }, m.seat === null ? "·" : String(m.seat)),
              h(
                "div",
                { class: "row-body" },
                h("p", { class: "row-title" }, m.name),
                h(
                  "p",
                  { class: "row-detail" },
                  a ? t(PRESENCE[a.presence]) : t("attendance.unknown"),
                  a?.reason ? ` · ${a.reason}` : "",
                  a ? ` · ${formatTime(a.at)}` : "",
                ),
              ),
              h(
                "div",
                { class: "row-actions" },
                button(t("attendance.present"), { "data-action": "present", "aria-pressed": String(is("present")), disabled: closed || busy || is("present"), onclick: () => record(m.user_id, "present") }),
                button(t("attendance.absent"), { "data-action": "absent", "aria-pressed": String(is("absent")), disabled: closed || busy || is("absent"), onclick: () => record(m.user_id, "absent") }),
                button(t("attendance.excuse"), {
                  "data-action": "excused",
                  "aria-pressed": String(is("excused")),
                  disabled: closed || busy,
                  onclick: async () => {
                    const reason = await reasonDialog(m.name);
                    if (reason) await record(m.user_id, "excused", reason);
                  },
                }),
              ),
            );
          }),
        ),
      );
    },
  };
}

// -- questions (chair calls; clerk orders and records answers) -------------------------------

function answerDialog(ctx, q) {
  const by = h("input", { id: "answer-by", name: "answered_by", maxlength: "500", required: true, value: q.addressee });
  const summary = h("textarea", { id: "answer-summary", name: "summary", maxlength: "20000" });
  const error = h("p", { class: "form-error", role: "alert" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-action": "save-answer" }, t("question.save_answer"));
  const form = h(
    "form",
    { novalidate: true },
    h("h2", {}, t("question.record_answer")),
    h("p", { class: "muted" }, q.text),
    h("label", { for: "answer-by" }, t("question.answered_by_label")),
    by,
    h("label", { for: "answer-summary" }, t("question.summary")),
    summary,
    error,
    h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => dialog.close() }, t("confirm.no")), save),
  );
  const dialog = h("dialog", { class: "dialog", "data-testid": "answer-dialog" }, form);
  dialog.addEventListener("close", () => dialog.remove());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!by.value.trim()) {
      error.textContent = t("question.required");
      return;
    }
    save.disabled = true;
    const ack = await ctx.act("question", "question.record_answer", { question_id: q.question_id, answered_by: by.value.trim(), summary: summary.value.trim() }, { done: t("question.answer_saved") });
    if (ack) dialog.close();
    else save.disabled = false;
  });
  document.body.append(dialog);
  dialog.showModal();
}

/** The questions in order. `call`: the chair's call button; `manage`: the clerk's order,
 * answer and written-answer buttons. */
export function questionsPanel(ctx, { call = false, manage = false } = {}) {
  const heading = h("h2");
  const current = h("div");
  const list = h("div");
  const el = h("section", { class: "card", "data-panel": "questions" }, heading, current, list);
  return {
    el,
    render(state) {
      const questions = orderedQuestions(state);
      heading.textContent = t("question.title", { n: questions.length });
      const busy = ctx.busy.has("question");
      const open = state.status === "open";
      const notClosed = state.status !== "closed";
      // Answers and written replies are recorded until the minutes are approved, after the
      // closing too (an answer given at the very end is written down afterwards).
      const recordOpen = minutesStatus(state) === "draft";
      const ids = questions.map((q) => q.question_id);
      const reorder = (order) => ctx.act("question", "question.reorder", { question_ids: order });
      const now = state.floor.current_question ? state.floor.questions.get(state.floor.current_question) : null;
      fill(
        current,
        now
          ? h(
              "div",
              { class: "notice notice-ok", "data-testid": "current-question" },
              h("strong", {}, t("question.now", { asker: memberName(state, now.asker), to: now.addressee })),
              h("p", { class: "question-text" }, now.text),
            )
          : null,
      );
      fill(
        list,
        questions.length
          ? h(
              "ol",
              { class: "rows" },
              questions.map((q, i) =>
                h(
                  "li",
                  { class: `row question-${q.status}`, "data-question-id": q.question_id },
                  h("span", { class: "row-number" }, String(q.number)),
                  h(
                    "div",
                    { class: "row-body" },
                    h("p", { class: "row-title" }, t("question.from_to", { asker: memberName(state, q.asker), to: q.addressee }), " ", questionStatus(q)),
                    h("p", { class: "question-text" }, q.text),
                    q.status === "answered"
                      ? h("p", { class: "row-detail" }, t("question.answered_by", { name: q.answered_by }), q.summary ? `: ${q.summary}` : "")
                      : null,
                  ),
                  h(
                    "div",
                    { class: "row-actions" },
                    call && q.status === "submitted"
                      ? button(t("question.call"), { class: "btn btn-primary", "data-action": "call-question", disabled: busy || !open, onclick: () => ctx.act("question", "question.call", { question_id: q.question_id }) })
                      : null,
                    manage && q.status === "called"
                      ? button(t("question.record_answer"), { class: "btn btn-primary", "data-action": "record-answer", disabled: busy || !recordOpen, onclick: () => answerDialog(ctx, q) })
                      : null,
                    manage && q.status !== "answered" && !q.written
                      ? button(t("question.mark_written"), {
                          "data-action": "mark-written",
                          disabled: busy || !recordOpen,
                          onclick: async () => {
                            if (await confirmDialog(t("question.confirm_written"), { yes: t("question.mark_written") })) {
                              await ctx.act("question", "question.mark_written", { question_id: q.question_id, note: "" });
                            }
                          },
                        })
                      : null,
                    manage
                      ? [
                          button("▲", { "data-action": "question-up", "aria-label": t("question.up", { n: q.number }), disabled: busy || !notClosed || !moved(ids, i, -1), onclick: () => reorder(moved(ids, i, -1)) }),
                          button("▼", { "data-action": "question-down", "aria-label": t("question.down", { n: q.number }), disabled: busy || !notClosed || !moved(ids, i, 1), onclick: () => reorder(moved(ids, i, 1)) }),
                        ]
                      : null,
                  ),
                ),
              ),
            )
          : h("p", { class: "muted" }, t("question.none")),
      );
    },
  };
}

/** For the public page and the hall: the question being asked now, or null. */
export function currentQuestionCard(state) {
  const id = state.floor.current_question;
  const q = id ? state.floor.questions.get(id) : null;
  if (!q) return null;
  return h(
    "div",
    { class: "card question-now", "data-testid": "current-question" },
    h("p", { class: "current-label" }, t("question.asking")),
    h("p", { class: "row-title" }, t("question.from_to", { asker: memberName(state, q.asker), to: q.addressee })),
    h("p", { class: "question-text" }, q.text),
  );
}
