// The floor, folded on the device: attendance and quorum, the speakers' queues, the current
// speech and its timer, and the questions (chất vấn). The client's half of
// meeting/domain/floor.py, speakers.py, speeches.py and questions.py (their `@on(...)`
// handlers) and of the snapshot's `floor` in floor_view.py. The fold test in
// tests/test_web_units.py checks it against the server's snapshot for every audience.
//
// The quorum is never stored: like the server's `quorum_status`, it is worked out from the
// attendance, the roster's delegates, the body's seats and the rule whenever it is read.
//
// The timer is kept the server's way, in whole milliseconds: `usedMs` spoken before
// `runningSinceMs` (null while paused), changed at the server time `timerAt`. Time left at
// server time t is `allowed - used - (t - runningSince)`; the server's own clock sends the
// warning and the overrun, and a client only counts down between its events.

import { ms } from "../core/clock.js";
import { defineArea } from "../core/replica.js";

const iso = (millis) => new Date(millis).toISOString();

function attendanceEntry(d) {
  return { user_id: d.user_id, presence: d.presence, reason: d.reason, at: d.at, by: d.by };
}

function request(d, at) {
  return {
    request_id: d.request_id,
    user_id: d.user_id,
    item_id: d.item_id,
    topic: d.topic,
    reply_to: d.reply_to,
    added_by: d.added_by,
    at: at ?? d.at,
  };
}

function question(d) {
  return {
    question_id: d.question_id,
    asker: d.asker,
    addressee: d.addressee,
    text: d.text,
    item_id: d.item_id,
    submitted_at: d.submitted_at,
    status: d.status ?? "submitted",
    called_at: d.called_at ?? null,
    answered_by: d.answered_by ?? "",
    summary: d.summary ?? "",
    answered_at: d.answered_at ?? null,
    duration: d.duration ?? null,
    written: d.written ?? false,
    written_note: d.written_note ?? "",
  };
}

/** The speech of a snapshot: its timer restated as "spoken so far, running since as_of". */
function speechFromView(v) {
  const asOf = ms(v.timer.as_of);
  const spokenMs = Math.round((v.timer.allowed - v.timer.remaining) * 1000);
  return {
    speech_id: v.speech_id,
    request_id: v.request_id,
    user_id: v.user_id,
    item_id: v.item_id,
    topic: v.topic,
    reply_to: v.reply_to,
    started_at: v.started_at,
    allowed: v.timer.allowed,
    usedMs: spokenMs,
    runningSinceMs: v.timer.running ? asOf : null,
    timerAt: v.timer.as_of,
    warned: v.warned,
    overrun: v.overrun,
  };
}

// -- the timer, as speeches.py computes it ------------------------------------------------

/** Milliseconds spoken by server time `atMs`, pauses excluded. */
export function spokenMs(speech, atMs) {
  if (speech.runningSinceMs === null) return speech.usedMs;
  return speech.usedMs + (atMs - speech.runningSinceMs);
}

/** Seconds left at server time `atMs` (negative once overrun). */
export function remainingSeconds(speech, atMs) {
  return (speech.allowed * 1000 - spokenMs(speech, atMs)) / 1000;
}

/** When the time is up (server ms), while the timer runs; else null. */
export function deadlineMs(speech) {
  if (speech.runningSinceMs === null) return null;
  return speech.runningSinceMs + speech.allowed * 1000 - speech.usedMs;
}

function timerView(speech) {
  const asOf = ms(speech.timerAt);
  const deadline = deadlineMs(speech);
  return {
    allowed: speech.allowed,
    remaining: remainingSeconds(speech, asOf),
    running: speech.runningSinceMs !== null,
    deadline: deadline === null ? null : iso(deadline),
    as_of: speech.timerAt,
  };
}

function withSpeech(state, fn) {
  const speech = state.floor.speech;
  if (!speech) throw new Error("a timer event without a speech");
  fn(speech);
}

// -- queues ---------------------------------------------------------------------------------

function requeue(state, itemId, ids, ...added) {
  const queues = state.floor.queues;
  const known = new Map([...(queues.get(itemId) ?? []), ...added].map((r) => [r.request_id, r]));
  const queue = ids.map((id) => {
    const found = known.get(id);
    if (!found) throw new Error(`unknown request ${id}`);
    return found;
  });
  if (queue.length) queues.set(itemId, queue);
  else queues.delete(itemId);
}

function queued(state, e) {
  requeue(state, e.data.request.item_id, e.data.queue, request(e.data.request, e.at));
}

function attend(state, e, presence, reason = "") {
  state.floor.attendance.set(e.data.user_id, { user_id: e.data.user_id, presence, reason, at: e.at, by: e.actor });
}

function withQuestion(state, id, fn) {
  const q = state.floor.questions.get(id);
  if (!q) throw new Error(`unknown question ${id}`);
  fn(q);
}

function doneWith(state, id) {
  if (state.floor.current_question === id) state.floor.current_question = null;
}

defineArea({
  name: "floor",

  fromSnapshot(state, s) {
    const f = s.floor;
    state.floor = {
      rule: { ...f.quorum.rule },
      attendance: new Map(f.attendance.map((a) => [a.user_id, attendanceEntry(a)])),
      timing: { ...f.timing },
      queues: new Map(f.queues.map((q) => [q.item_id, q.requests.map((r) => request(r))])),
      speech: f.speech ? speechFromView(f.speech) : null,
      questions: new Map(f.questions.map((q) => [q.question_id, question(q)])),
      question_order: f.questions.map((q) => q.question_id),
      current_question: f.current_question,
    };
  },

  toSnapshot(state) {
    const f = state.floor;
    const speech = f.speech;
    return {
      floor: {
        quorum: { ...quorum(state), rule: { ...f.rule } },
        attendance: [...f.attendance.values()]
          .sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0))
          .map((a) => ({ ...a })),
        timing: { ...f.timing },
        queues: [...f.queues.entries()].map(([item_id, requests]) => ({ item_id, requests: requests.map((r) => ({ ...r })) })),
        speech: speech
          ? {
              speech_id: speech.speech_id,
              request_id: speech.request_id,
              user_id: speech.user_id,
              item_id: speech.item_id,
              topic: speech.topic,
              reply_to: speech.reply_to,
              started_at: speech.started_at,
              timer: timerView(speech),
              warned: speech.warned,
              overrun: speech.overrun,
            }
          : null,
        questions: f.question_order.map((id) => f.questions.get(id)).filter(Boolean).map((q) => ({ ...q })),
        // As on the server: a question no longer in the list (withdrawn) is not current.
        current_question: f.question_order.includes(f.current_question) ? f.current_question : null,
      },
    };
  },

  events: {
    "attendance.quorum_set"(state, e) {
      state.floor.rule = { ...e.data.rule };
    },
    "attendance.checked_in"(state, e) {
      attend(state, e, "present");
    },
    "attendance.checked_out"(state, e) {
      attend(state, e, "absent");
    },
    "attendance.recorded"(state, e) {
      attend(state, e, e.data.presence, e.data.reason);
    },

    "floor.timing_set"(state, e) {
      state.floor.timing = { speaking_seconds: e.data.speaking_seconds, warning_seconds: e.data.warning_seconds };
    },
    "floor.requested": queued,
    "floor.added": queued,
    "floor.withdrawn"(state, e) {
      requeue(state, e.data.item_id, e.data.queue);
    },
    "floor.removed"(state, e) {
      requeue(state, e.data.item_id, e.data.queue);
    },
    "floor.reordered"(state, e) {
      requeue(state, e.data.item_id, e.data.queue);
    },
    "floor.granted"(state, e) {
      const d = e.data.speech;
      requeue(state, d.item_id, e.data.queue);
      const at = ms(e.at);
      state.floor.speech = {
        speech_id: d.speech_id,
        request_id: d.request_id,
        user_id: d.user_id,
        item_id: d.item_id,
        topic: d.topic,
        reply_to: d.reply_to,
        started_at: e.at,
        allowed: e.data.timer.allowed,
        usedMs: 0,
        runningSinceMs: at,
        timerAt: e.at,
        warned: false,
        overrun: false,
      };
    },
    "floor.paused"(state, e) {
      withSpeech(state, (s) => {
        s.usedMs = spokenMs(s, ms(e.at));
        s.runningSinceMs = null;
        s.timerAt = e.at;
      });
    },
    "floor.resumed"(state, e) {
      withSpeech(state, (s) => {
        s.runningSinceMs = ms(e.at);
        s.timerAt = e.at;
      });
    },
    "floor.extended"(state, e) {
      withSpeech(state, (s) => {
        // As the server: a warning or overrun already sent stands only while the new time
        // left is still within it.
        s.allowed += e.data.seconds;
        s.timerAt = e.at;
        const leftMs = s.allowed * 1000 - spokenMs(s, ms(e.at));
        s.warned = s.warned && leftMs <= state.floor.timing.warning_seconds * 1000;
        s.overrun = s.overrun && leftMs <= 0;
      });
    },
    "floor.timer_warning"(state) {
      withSpeech(state, (s) => {
        s.warned = true;
      });
    },
    "floor.timer_overrun"(state) {
      withSpeech(state, (s) => {
        s.warned = true;
        s.overrun = true;
      });
    },
    "floor.speech_ended"(state) {
      withSpeech(state, () => {
        state.floor.speech = null;
      });
    },

    "question.submitted"(state, e) {
      const q = question({ ...e.data, submitted_at: e.at });
      state.floor.questions.set(q.question_id, q);
      state.floor.question_order.push(q.question_id);
    },
    "question.withdrawn"(state, e) {
      withQuestion(state, e.data.question_id, (q) => {
        q.status = "withdrawn";
        state.floor.question_order = state.floor.question_order.filter((id) => id !== q.question_id);
      });
    },
    "question.reordered"(state, e) {
      state.floor.question_order = [...e.data.order];
    },
    // A closed session's question is being asked (its own `question.called` follows for
    // those who may see it): the question before is no longer the current one.
    "question.called_in_closed_session"(state) {
      state.floor.current_question = null;
    },
    "question.called"(state, e) {
      withQuestion(state, e.data.question_id, (q) => {
        q.status = "called";
        q.called_at = e.at;
        state.floor.current_question = q.question_id;
      });
    },
    "question.answered"(state, e) {
      withQuestion(state, e.data.question_id, (q) => {
        q.status = "answered";
        q.answered_by = e.data.answered_by;
        q.summary = e.data.summary;
        q.answered_at = e.at;
        q.duration = e.data.duration;
        doneWith(state, q.question_id);
      });
    },
    "question.marked_written"(state, e) {
      withQuestion(state, e.data.question_id, (q) => {
        q.written = true;
        q.written_note = e.data.note;
        doneWith(state, q.question_id);
      });
    },
  },
});

// -- selectors ------------------------------------------------------------------------------

function isDelegate(state, userId) {
  return state.members.get(userId)?.roles.includes("delegate") ?? false;
}

/** `{present, seats, required, met}` as the server's `quorum_status`. */
export function quorum(state) {
  const rule = state.floor.rule;
  const seats = state.body.seats;
  let present = 0;
  for (const a of state.floor.attendance.values()) {
    if (a.presence === "present" && isDelegate(state, a.user_id)) present += 1;
  }
  const share = rule.numerator * seats;
  const required = rule.strict ? Math.floor(share / rule.denominator) + 1 : Math.ceil(share / rule.denominator);
  return { present, seats, required, met: present >= required };
}

/** The roster's delegates in seat order, each with her latest attendance (or null). */
export function delegatesWithAttendance(state) {
  return [...state.members.values()]
    .filter((m) => m.roles.includes("delegate"))
    .sort((a, b) => (a.seat ?? 1e9) - (b.seat ?? 1e9) || (a.user_id < b.user_id ? -1 : 1))
    .map((m) => ({ ...m, attendance: state.floor.attendance.get(m.user_id) ?? null }));
}

export function isPresent(state, userId) {
  return state.floor.attendance.get(userId)?.presence === "present";
}

/** The speakers' queue of the current item (requests in order). */
export function currentQueue(state) {
  return state.floor.queues.get(state.current_item) ?? [];
}

/** The user's place (1-based) and request in the current item's queue, or null. */
export function myRequest(state, userId) {
  const queue = currentQueue(state);
  const index = queue.findIndex((r) => r.user_id === userId);
  return index < 0 ? null : { place: index + 1, request: queue[index] };
}

/** Questions in the chair's order, each with its 1-based number. */
export function orderedQuestions(state) {
  return state.floor.question_order
    .map((id) => state.floor.questions.get(id))
    .filter(Boolean)
    .map((q, i) => ({ ...q, number: i + 1 }));
}

/** The questions a delegate asked, withdrawn ones too, newest first. */
export function questionsBy(state, userId) {
  return [...state.floor.questions.values()].filter((q) => q.asker === userId).reverse();
}

/**
 * The countdown of the current speech, for the views: `{deadline (server ms) | null,
 * remaining (s, when paused), allowed, warning (s), warned, overrun}`.
 */
export function speechTimer(state) {
  const s = state.floor.speech;
  if (!s) return null;
  return {
    deadline: deadlineMs(s),
    remaining: remainingSeconds(s, ms(s.timerAt)),
    allowed: s.allowed,
    warning: state.floor.timing.warning_seconds,
    warned: s.warned,
    overrun: s.overrun,
    running: s.runningSinceMs !== null,
  };
}
