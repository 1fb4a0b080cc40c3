// Votes, elections and confidence ratings, folded on the device: the client's half of
// meeting/domain/votes_apply.py (its `@on(...)` handlers and the snapshot's `votes` and
// `open_vote`). The fold test in tests/test_web_units.py checks it against the server's
// snapshot for every audience.
//
// What a device may know is what the server sends it: who has voted (`voted`), the running
// counts of a named vote with live counts (on each `vote.ballot_cast`), her own named ballot
// (`vote.ballot_recorded`, sent to her alone), and the result once the vote closes. A secret
// ballot's choice never reaches any device, so it is never here.

import { defineArea } from "../core/replica.js";

const copy = (value) => (value === null || value === undefined ? value : structuredClone(value));

function vote(d) {
  return {
    vote_id: d.vote_id,
    item_id: d.item_id,
    question: d.question,
    kind: d.kind,
    method: d.method,
    rule: { ...d.rule },
    choices: d.choices.map((c) => ({ key: c.key, label: c.label })),
    seats_to_fill: d.seats_to_fill,
    confidence_rules: d.confidence_rules,
    duration: d.duration,
    allow_change: d.allow_change,
    live_counts: d.live_counts,
    require_pin: d.require_pin,
    series: d.series,
    number: d.number,
    rerun_of: d.rerun_of,
    status: d.status ?? "scheduled",
    opened_at: d.opened_at ?? null,
    closes_at: d.closes_at ?? null,
    closed_at: d.closed_at ?? null,
    seats: d.seats ?? 0,
    present: d.present ?? null,
    quorum_met: d.quorum_met ?? null,
    entitled: [...(d.entitled ?? [])],
    voted: new Set(d.voted ?? []),
    tally: { ...(d.counts ?? d.result?.counts ?? {}) },
    result: copy(d.result ?? null),
    annulled_reason: d.annulled_reason ?? null,
    my_ballot: copy(d.my_ballot),
  };
}

function withVote(state, voteId, fn) {
  const found = state.votes.get(voteId);
  if (!found) throw new Error(`event about an unknown vote ${voteId}`);
  fn(found);
}

export const isClosed = (v) => v.status === "closed" || v.status === "annulled";
export const isElectronic = (v) => v.method === "electronic_named" || v.method === "electronic_secret";

defineArea({
  name: "votes",

  fromSnapshot(state, s) {
    state.votes = new Map(s.votes.map((v) => [v.vote_id, vote(v)]));
    state.open_vote = s.open_vote;
  },

  toSnapshot(state) {
    return {
      votes: [...state.votes.values()].map((v) => {
        const out = {
          vote_id: v.vote_id,
          item_id: v.item_id,
          question: v.question,
          kind: v.kind,
          method: v.method,
          rule: { ...v.rule },
          choices: v.choices.map((c) => ({ ...c })),
          seats_to_fill: v.seats_to_fill,
          confidence_rules: v.confidence_rules,
          duration: v.duration,
          allow_change: v.allow_change,
          live_counts: v.live_counts,
          require_pin: v.require_pin,
          series: v.series,
          number: v.number,
          rerun_of: v.rerun_of,
          status: v.status,
          opened_at: v.opened_at,
          closes_at: v.closes_at,
          closed_at: v.closed_at,
          seats: v.seats,
          present: v.present,
          quorum_met: v.quorum_met,
          entitled: [...v.entitled].sort(),
          voted: [...v.voted].sort(),
          cast: v.voted.size,
          counts: v.live_counts && !isClosed(v) ? { ...v.tally } : null,
          result: copy(v.result),
          annulled_reason: v.annulled_reason,
        };
        if (v.my_ballot !== undefined && v.my_ballot !== null) out.my_ballot = copy(v.my_ballot);
        return out;
      }),
      open_vote: state.open_vote,
    };
  },

  events: {
    "vote.scheduled"(state, e) {
      const v = vote(e.data);
      state.votes.set(v.vote_id, v);
    },
    "vote.opened"(state, e) {
      withVote(state, e.data.vote_id, (v) => {
        v.status = "open";
        v.opened_at = e.at;
        v.closes_at = e.data.closes_at;
        v.seats = e.data.seats;
        v.present = e.data.present;
        v.quorum_met = e.data.quorum_met;
        v.entitled = [...e.data.entitled];
        state.open_vote = v.vote_id;
      });
    },
    "vote.ballot_recorded"(state, e) {
      // Sent to the voter alone: this device's own named ballot.
      withVote(state, e.data.vote_id, (v) => {
        v.my_ballot = copy(e.data.choice);
      });
    },
    "vote.ballot_cast"(state, e) {
      withVote(state, e.data.vote_id, (v) => {
        v.voted.add(e.data.user_id);
        if (e.data.counts) v.tally = { ...e.data.counts };
      });
    },
    "vote.closed"(state, e) {
      withVote(state, e.data.vote_id, (v) => {
        v.status = "closed";
        v.closed_at = e.at;
        v.result = copy(e.data.result);
        v.tally = { ...e.data.result.counts };
        if (state.open_vote === v.vote_id) state.open_vote = null;
      });
    },
    "vote.annulled"(state, e) {
      withVote(state, e.data.vote_id, (v) => {
        v.status = "annulled";
        v.annulled_reason = e.data.reason;
      });
    },
    "body.seats_changed"(state, e) {
      state.body = { ...state.body, seats: e.data.seats };
    },
  },
});

// -- selectors ------------------------------------------------------------------------------

export const LEVELS = ["tin_nhiem_cao", "tin_nhiem", "tin_nhiem_thap"];

export function openVote(state) {
  return state.open_vote ? state.votes.get(state.open_vote) ?? null : null;
}

export function allVotes(state) {
  return [...state.votes.values()];
}

export function votesOfItem(state, itemId) {
  return allVotes(state).filter((v) => v.item_id === itemId);
}

/** The vote most recently closed (or annulled) on `itemId`, or null. */
export function lastClosedVote(state, itemId) {
  let last = null;
  for (const v of votesOfItem(state, itemId)) {
    if (isClosed(v) && v.closed_at && (!last || v.closed_at >= last.closed_at)) last = v;
  }
  return last;
}

/** The next scheduled vote `vote.next` would open (of the open vote's series, if any). */
export function nextScheduledVote(state) {
  const open = openVote(state);
  const series = open?.series ?? null;
  return allVotes(state).find((v) => v.status === "scheduled" && (series === null || v.series === series)) ?? null;
}

/** Entitled delegates who have not voted yet (user ids, in the order of `entitled`). */
export function notVoted(v) {
  return v.entitled.filter((u) => !v.voted.has(u));
}

/** The tally keys of a vote: options, candidates, or `official:level`. */
export function tallyKeys(v) {
  if (v.kind === "confidence") return v.choices.flatMap((c) => LEVELS.map((l) => `${c.key}:${l}`));
  return v.choices.map((c) => c.key);
}
