"""Folding the vote events into the state, and what each audience sees of the votes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from .apply import on, set_in
from .ballots import ballot_keys
from .events import SECRET_TOTALS, Event
from .model import Access, Audience, Body, Meeting
from .views import snapshot_part
from .vote_state import Choice, Method, Vote, VoteKind, VoteStatus

__all__: list[str] = []


def _put(state: Meeting, vote: Vote) -> Meeting:
    return replace(
        state, votes=replace(state.votes, by_id=set_in(state.votes.by_id, vote.id, vote))
    )


def _counts(tally: Mapping[str, int], keys: list[str], step: int) -> Mapping[str, int]:
    out = dict(tally)
    for k in keys:
        out[k] = out.get(k, 0) + step
    return MappingProxyType(out)


@on("vote.scheduled")
def _scheduled(state: Meeting, e: Event) -> Meeting:
    d = e.data
    vote = Vote(
        id=d["vote_id"],
        item_id=d["item_id"],
        question=d["question"],
        kind=VoteKind(d["kind"]),
        method=Method(d["method"]),
        rule=MappingProxyType(dict(d["rule"])),
        choices=tuple(Choice(c["key"], c["label"]) for c in d["choices"]),
        access=Access(d["access"]),
        seats_to_fill=d["seats_to_fill"],
        confidence_rules=d["confidence_rules"],
        duration=d["duration"],
        allow_change=d["allow_change"],
        live_counts=d["live_counts"],
        require_pin=d["require_pin"],
        series=d["series"],
        number=d["number"],
        rerun_of=d["rerun_of"],
    )
    state = _put(state, vote)
    return replace(state, votes=replace(state.votes, order=(*state.votes.order, vote.id)))


@on("vote.opened")
def _opened(state: Meeting, e: Event) -> Meeting:
    d = e.data
    vote = replace(
        state.votes.by_id[d["vote_id"]],
        status=VoteStatus.OPEN,
        opened_at=e.at,
        closes_at=d["closes_at"],
        seats=d["seats"],
        present=d["present"],
        quorum_met=d["quorum_met"],
        entitled=frozenset(d["entitled"]),
    )
    state = _put(state, vote)
    return replace(state, votes=replace(state.votes, open_vote=vote.id))


@on("vote.ballot_recorded")
def _recorded(state: Meeting, e: Event) -> Meeting:
    d = e.data
    vote = state.votes.by_id[d["vote_id"]]
    tally = vote.tally
    before = vote.ballots.get(d["user_id"])
    if before is not None:
        tally = _counts(tally, ballot_keys(vote, before), -1)
    tally = _counts(tally, ballot_keys(vote, d["choice"]), 1)
    ballots = set_in(vote.ballots, d["user_id"], d["choice"])
    return _put(state, replace(vote, tally=tally, ballots=ballots))


@on("vote.ballot_cast")
def _cast(state: Meeting, e: Event) -> Meeting:
    vote = state.votes.by_id[e.data["vote_id"]]
    return _put(state, replace(vote, voted=vote.voted | {e.data["user_id"]}))


@on(SECRET_TOTALS, logged=False)
def _secret(state: Meeting, e: Event) -> Meeting:
    vote = state.votes.by_id.get(e.data["tally"])
    if vote is None:
        return state
    if e.data.get("clear"):
        return _put(state, replace(vote, tally=MappingProxyType({})))
    if "set" in e.data:
        return _put(state, replace(vote, tally=MappingProxyType(dict(e.data["set"]))))
    tally = dict(vote.tally)
    for key, n in e.data["add"].items():
        tally[key] = tally.get(key, 0) + n
    return _put(state, replace(vote, tally=MappingProxyType(tally)))


@on("vote.closed")
def _closed(state: Meeting, e: Event) -> Meeting:
    vote = state.votes.by_id[e.data["vote_id"]]
    result = e.data["result"]
    vote = replace(
        vote,
        status=VoteStatus.CLOSED,
        closed_at=e.at,
        result=MappingProxyType(dict(result)),
        tally=MappingProxyType(dict(result["counts"])),
    )
    state = _put(state, vote)
    if state.votes.open_vote == vote.id:
        state = replace(state, votes=replace(state.votes, open_vote=None))
    return state


@on("vote.annulled")
def _annulled(state: Meeting, e: Event) -> Meeting:
    vote = state.votes.by_id[e.data["vote_id"]]
    vote = replace(vote, status=VoteStatus.ANNULLED, annulled_reason=e.data["reason"])
    return _put(state, vote)


@on("body.seats_changed")
def _seats(state: Meeting, e: Event) -> Meeting:
    body = state.body
    return replace(state, body=Body(body.id, body.name, e.data["seats"]))


# -- views -----------------------------------------------------------------------------------


def _view(vote: Vote, audience: Audience, user_id: str | None) -> dict[str, Any]:
    closed = vote.status in (VoteStatus.CLOSED, VoteStatus.ANNULLED)
    view: dict[str, Any] = {
        "vote_id": vote.id,
        "item_id": vote.item_id,
        "question": vote.question,
        "kind": vote.kind.value,
        "method": vote.method.value,
        "rule": dict(vote.rule),
        "choices": [{"key": c.key, "label": c.label} for c in vote.choices],
        "seats_to_fill": vote.seats_to_fill,
        "confidence_rules": vote.confidence_rules,
        "duration": vote.duration,
        "allow_change": vote.allow_change,
        "live_counts": vote.live_counts,
        "require_pin": vote.require_pin,
        "series": vote.series,
        "number": vote.number,
        "rerun_of": vote.rerun_of,
        "status": vote.status.value,
        "opened_at": vote.opened_at,
        "closes_at": vote.closes_at,
        "closed_at": vote.closed_at,
        "seats": vote.seats,
        "present": vote.present,
        "quorum_met": vote.quorum_met,
        "entitled": sorted(vote.entitled),
        "voted": sorted(vote.voted),
        "cast": len(vote.voted),
        "counts": dict(vote.tally) if vote.live_counts and not closed else None,
        "result": dict(vote.result) if vote.result is not None else None,
        "annulled_reason": vote.annulled_reason,
    }
    if vote.method is Method.NAMED and user_id is not None and user_id in vote.ballots:
        view["my_ballot"] = vote.ballots[user_id]
    return view


@snapshot_part
def _votes_view(state: Meeting, audience: Audience, user_id: str | None) -> dict[str, Any]:
    votes = [state.votes.by_id[v] for v in state.votes.order]
    shown = [v for v in votes if audience.sees(v.access.audience)]
    open_vote = state.votes.open_vote
    if open_vote is not None and not any(v.id == open_vote for v in shown):
        open_vote = None
    return {
        "votes": [_view(v, audience, user_id) for v in shown],
        "open_vote": open_vote,
    }
