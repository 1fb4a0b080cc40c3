"""Votes on agenda items: schedule, open, cast, close (by the chair, the clock or the
clerk's counts), annul and run again, and a resolution series opened one after another.

One delegate, one ballot, in person: identity is the authenticated actor, entitlement is
fixed when the vote opens, and every first ballot claims `ballot:{vote}:{user}` so that the
database refuses a second one even if this code were wrong. A secret ballot's choice goes
only into running totals (a secret draft, never an event); a named ballot's choice is
logged in an event private to the voter and published with the result.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import errors
from .agenda import on_sitting_close
from .ballots import DEFAULT_OPTIONS, ballot_keys, check_ballot, tally_keys, vote_result
from .decide import (
    CHAIR,
    CLERK,
    DELEGATE,
    SERVER,
    STAFF,
    Context,
    Deadline,
    command,
    deadline_source,
    returns,
)
from .devices import check_ballot_device
from .errors import DomainError
from .events import SECRET_TOTALS, Draft
from .floor import quorum_status
from .majority import threshold
from .model import Actor, Audience, Meeting, SittingStatus
from .times import add_seconds, seconds_between
from .vote_commands import (
    Annul,
    Cast,
    ChoiceArgs,
    EnterCounts,
    NextVote,
    ScheduleVote,
    SetSeats,
    VoteRef,
)
from .vote_state import Method, Vote, VoteKind, VoteStatus

__all__: list[str] = []

_VOTE_ID = returns("vote.scheduled", "vote_id")
"""The ack of a command that schedules a vote (a re-run too) gives the new vote's id."""


def _attendance(state: Meeting) -> tuple[int | None, bool | None, bool]:
    """(delegates present, quorum met, refuse without quorum) as a vote opens."""
    status = quorum_status(state)
    return status.present, status.met, state.floor.quorum.refuse_votes


def _vote(state: Meeting, vote_id: str) -> Vote:
    vote = state.votes.by_id.get(vote_id)
    if vote is None:
        raise DomainError(errors.NOT_FOUND, f"no vote {vote_id!r}")
    return vote


def _audience(vote: Vote) -> Audience:
    return vote.access.audience


def _choices(args: ScheduleVote) -> list[ChoiceArgs]:
    if args.kind is VoteKind.MOTION:
        if args.candidates or args.officials:
            raise DomainError(errors.INVALID_ARGS, "a motion has options, not candidates")
        return args.options or [ChoiceArgs(k, label) for k, label in DEFAULT_OPTIONS]
    listed = args.candidates if args.kind is VoteKind.ELECTION else args.officials
    if not listed or args.options:
        raise DomainError(errors.INVALID_ARGS, f"a {args.kind.value} lists its people")
    return listed


@command("vote.schedule", ScheduleVote, STAFF, result=_VOTE_ID)
def _schedule(state: Meeting, actor: Actor, args: ScheduleVote, ctx: Context) -> list[Draft]:
    """Schedule a vote on an item: question, kind, method, rule, duration, settings."""
    item = state.items.get(args.item_id)
    if item is None:
        raise DomainError(errors.NOT_FOUND, f"no agenda item {args.item_id!r}")
    if state.status is SittingStatus.CLOSED:
        raise DomainError(errors.INVALID_STATE, "the sitting is closed")
    choices = _choices(args)
    if len({c.key for c in choices}) != len(choices):
        raise DomainError(errors.INVALID_ARGS, "two choices share a key")
    if args.allow_change and args.method is not Method.NAMED:
        raise DomainError(errors.INVALID_ARGS, "only a named electronic ballot can be changed")
    if args.live_counts and args.method is not Method.NAMED:
        raise DomainError(errors.INVALID_ARGS, "live counts are shown for named votes only")
    if args.require_pin and not args.method.electronic:
        raise DomainError(errors.INVALID_ARGS, "a PIN is asked only with electronic ballots")
    if args.kind is VoteKind.ELECTION and args.seats_to_fill > len(choices):
        raise DomainError(errors.INVALID_ARGS, "more seats to fill than candidates")
    # A named rule is stored with its own fraction, base and strictness, not the defaults.
    chosen = threshold(
        args.rule.name,
        num=args.rule.num,
        den=args.rule.den,
        base=args.rule.base,
        strict=args.rule.strict,
    )
    rule = {
        "name": chosen.name,
        "num": chosen.num,
        "den": chosen.den,
        "base": chosen.base.value,
        "strict": chosen.strict,
    }
    data = {
        "vote_id": ctx.new_id,
        "item_id": item.id,
        "question": args.question,
        "kind": args.kind.value,
        "method": args.method.value,
        "rule": rule,
        "choices": [{"key": c.key, "label": c.label} for c in choices],
        "access": item.access.value,
        "seats_to_fill": args.seats_to_fill,
        "confidence_rules": args.confidence_rules,
        "duration": args.duration,
        "allow_change": args.allow_change,
        "live_counts": args.live_counts,
        "require_pin": args.require_pin,
        "series": args.series,
        "number": args.number,
        "rerun_of": None,
    }
    return [Draft("vote.scheduled", data, item.access.audience)]


def _open_drafts(state: Meeting, vote: Vote, now: str) -> list[Draft]:
    if state.status is not SittingStatus.OPEN:
        raise DomainError(errors.INVALID_STATE, "the sitting is not open")
    if vote.status is not VoteStatus.SCHEDULED:
        raise DomainError(errors.INVALID_STATE, f"the vote is {vote.status.value}")
    if state.votes.open_vote is not None:
        raise DomainError(errors.INVALID_STATE, "another vote is open; close it first")
    present, quorum_met, refuse = _attendance(state)
    if quorum_met is False and refuse:
        raise DomainError(errors.NO_QUORUM, "fewer delegates are present than the quorum")
    entitled = sorted(m.user_id for m in state.delegates)
    data: dict[str, Any] = {
        "vote_id": vote.id,
        "seats": state.body.seats,
        "present": present,
        "quorum_met": quorum_met,
        "entitled": entitled,
        "closes_at": add_seconds(now, vote.duration) if vote.duration else None,
    }
    return [Draft("vote.opened", data, _audience(vote))]


@command("vote.open", VoteRef, CHAIR)
def _open(state: Meeting, actor: Actor, args: VoteRef, ctx: Context) -> list[Draft]:
    """Open a scheduled vote: entitlement, seats and attendance are fixed now."""
    return _open_drafts(state, _vote(state, args.vote_id), ctx.now)


def _close_drafts(vote: Vote, closed_by: str, extra: dict[str, Any] | None = None) -> list[Draft]:
    cast = len(vote.voted)
    counts = dict(vote.tally)
    if extra is not None:
        counts = extra.pop("counts")
        cast = extra.pop("cast")
    result = vote_result(vote, counts, cast, extra)
    if vote.method is Method.NAMED:
        result["ballots"] = dict(sorted(vote.ballots.items()))
    data = {"vote_id": vote.id, "closed_by": closed_by, "result": result}
    drafts = [Draft("vote.closed", data, _audience(vote))]
    if vote.method is Method.SECRET:
        drafts.append(Draft(SECRET_TOTALS, {"tally": vote.id, "clear": True}, secret=True))
    return drafts


def _open_vote(state: Meeting, vote_id: str) -> Vote:
    vote = _vote(state, vote_id)
    if vote.status is not VoteStatus.OPEN:
        raise DomainError(errors.INVALID_STATE, f"the vote is {vote.status.value}")
    return vote


@command("vote.close", VoteRef, CHAIR)
def _close(state: Meeting, actor: Actor, args: VoteRef, ctx: Context) -> list[Draft]:
    """Close an electronic vote and announce its result."""
    vote = _open_vote(state, args.vote_id)
    if not vote.method.electronic:
        raise DomainError(errors.INVALID_STATE, "the clerk closes it by entering the counts")
    return _close_drafts(vote, "chair")


@command("vote.expire", VoteRef, SERVER)
def _expire(state: Meeting, actor: Actor, args: VoteRef, ctx: Context) -> list[Draft]:
    """The server's clock closes a timed vote at its deadline."""
    vote = _open_vote(state, args.vote_id)
    if vote.closes_at is None or seconds_between(vote.closes_at, ctx.now) < 0:
        raise DomainError(errors.INVALID_STATE, "the vote's time is not up")
    if not vote.method.electronic:
        raise DomainError(errors.INVALID_STATE, "a paper or show-of-hands vote has no timer")
    return _close_drafts(vote, "timer")


@command("vote.next", NextVote, CHAIR)
def _next(state: Meeting, actor: Actor, args: NextVote, ctx: Context) -> list[Draft]:
    """One action in a resolution series: close the open vote, open the next scheduled."""
    drafts: list[Draft] = []
    series = args.series
    if state.votes.open_vote is not None:
        current = state.votes.by_id[state.votes.open_vote]
        if not current.method.electronic:
            raise DomainError(errors.INVALID_STATE, "enter the counts of the open vote first")
        series = series or current.series
        drafts += _close_drafts(current, "chair")
    after = [state.votes.by_id[v] for v in state.votes.order]
    upcoming = [
        v
        for v in after
        if v.status is VoteStatus.SCHEDULED and (series is None or v.series == series)
    ]
    if not upcoming:
        if drafts:
            return drafts
        raise DomainError(errors.INVALID_STATE, "no scheduled vote is left")
    nxt = upcoming[0]
    # Opening is checked against the state as it will be once the open vote is closed.
    closed = _without_open(state)
    return drafts + _open_drafts(closed, nxt, ctx.now)


def _without_open(state: Meeting) -> Meeting:
    return replace(state, votes=replace(state.votes, open_vote=None))


@command("vote.cast", Cast, DELEGATE)
def _cast(state: Meeting, actor: Actor, args: Cast, ctx: Context) -> list[Draft]:
    """A delegate's ballot, from her own authenticated connection."""
    vote = _vote(state, args.vote_id)
    if vote.status is not VoteStatus.OPEN:
        raise DomainError(errors.VOTE_CLOSED, f"the vote is {vote.status.value}")
    user = actor.user_id or ""
    if user not in vote.entitled:
        raise DomainError(errors.NOT_ENTITLED, "you are not entitled to vote in this vote")
    if not vote.method.electronic:
        raise DomainError(errors.INVALID_STATE, "this vote is counted on paper or by hand")
    check_ballot_device(state, actor)
    if vote.require_pin and "pin" not in actor.proofs:
        raise DomainError(errors.PIN_REQUIRED, "this vote asks for your PIN")
    again = user in vote.voted
    if again and not vote.allow_change:
        raise DomainError(errors.ALREADY_VOTED, "your ballot is recorded already")
    check_ballot(vote, args.choice)
    audience = _audience(vote)
    cast = len(vote.voted) + (0 if again else 1)
    shown: dict[str, Any] = {"vote_id": vote.id, "user_id": user, "cast": cast, "changed": again}
    if vote.method is Method.SECRET:
        add = dict.fromkeys(ballot_keys(vote, args.choice), 1)
        return [
            Draft(SECRET_TOTALS, {"tally": vote.id, "add": add}, secret=True),
            Draft("vote.ballot_cast", shown, audience, claim=f"ballot:{vote.id}:{user}"),
        ]
    recorded = {"vote_id": vote.id, "user_id": user, "choice": args.choice}
    drafts = [Draft("vote.ballot_recorded", recorded, audience, user=user)]
    if vote.live_counts:
        counts = dict(vote.tally)
        if again:
            for key in ballot_keys(vote, vote.ballots[user]):
                counts[key] -= 1
        for key in ballot_keys(vote, args.choice):
            counts[key] = counts.get(key, 0) + 1
        shown["counts"] = counts
    claim = None if again else f"ballot:{vote.id}:{user}"
    drafts.append(Draft("vote.ballot_cast", shown, audience, claim=claim))
    return drafts


@command("vote.enter_counts", EnterCounts, STAFF)
def _enter(state: Meeting, actor: Actor, args: EnterCounts, ctx: Context) -> list[Draft]:
    """The clerk enters a paper ballot's or a show of hands' counts; the vote closes."""
    vote = _open_vote(state, args.vote_id)
    if vote.method.electronic:
        raise DomainError(errors.INVALID_STATE, "electronic ballots are counted by the server")
    keys = set(tally_keys(vote))
    if set(args.counts) - keys:
        raise DomainError(errors.INVALID_ARGS, f"counts are for {sorted(keys)}")
    extra: dict[str, Any] = {"counts": {k: args.counts.get(k, 0) for k in sorted(keys)}}
    if vote.method is Method.PAPER:
        sheet = {"issued": args.issued, "returned": args.returned, "valid": args.valid,
                 "invalid": args.invalid}  # fmt: skip
        if any(v is None for v in sheet.values()):
            raise DomainError(errors.INVALID_ARGS, f"a paper ballot needs {sorted(sheet)}")
        issued, returned, valid, invalid = (int(v or 0) for v in sheet.values())
        if returned > issued or valid + invalid != returned:
            raise DomainError(
                errors.INVALID_ARGS, "need returned ≤ issued, valid + invalid = returned"
            )
        if vote.kind is VoteKind.MOTION and sum(args.counts.values()) != valid:
            raise DomainError(errors.INVALID_ARGS, "the counts must add up to the valid ballots")
        extra["cast"] = valid
        extra["paper"] = sheet
    else:
        if vote.kind is not VoteKind.MOTION:
            raise DomainError(errors.INVALID_ARGS, "elections and ratings are never by hand")
        extra["cast"] = sum(args.counts.values())
    return _close_drafts(vote, "counts", extra)


@command("vote.annul", Annul, CHAIR, result=_VOTE_ID)
def _annul(state: Meeting, actor: Actor, args: Annul, ctx: Context) -> list[Draft]:
    """Annul a closed vote, with the reason on record; both stay in the minutes."""
    vote = _vote(state, args.vote_id)
    if vote.status is not VoteStatus.CLOSED:
        raise DomainError(errors.INVALID_STATE, "only a closed vote can be annulled")
    drafts = [Draft("vote.annulled", {"vote_id": vote.id, "reason": args.reason}, _audience(vote))]
    if args.rerun:
        data = {
            "vote_id": ctx.new_id,
            "item_id": vote.item_id,
            "question": vote.question,
            "kind": vote.kind.value,
            "method": vote.method.value,
            "rule": dict(vote.rule),
            "choices": [{"key": c.key, "label": c.label} for c in vote.choices],
            "access": vote.access.value,
            "seats_to_fill": vote.seats_to_fill,
            "confidence_rules": vote.confidence_rules,
            "duration": vote.duration,
            "allow_change": vote.allow_change,
            "live_counts": vote.live_counts,
            "require_pin": vote.require_pin,
            "series": vote.series,
            "number": vote.number,
            "rerun_of": vote.id,
        }
        drafts.append(Draft("vote.scheduled", data, _audience(vote)))
    return drafts


@command("body.set_seats", SetSeats, CLERK)
def _set_seats(state: Meeting, actor: Actor, args: SetSeats, ctx: Context) -> list[Draft]:
    """The statutory seat count changed; later votes use the new base, earlier keep theirs."""
    data = {"seats": args.seats, "previous": state.body.seats, "reason": args.reason}
    return [Draft("body.seats_changed", data)]


@on_sitting_close
def _no_open_vote(state: Meeting, ctx: Context) -> list[Draft]:
    # A result is the chair's to announce (or the counts the clerk's to enter): closing the
    # sitting never closes a vote on their behalf, nor leaves one open after the sitting.
    if state.votes.open_vote is not None:
        vote = state.votes.by_id[state.votes.open_vote]
        how = "close it" if vote.method.electronic else "enter its counts"
        raise DomainError(errors.VOTE_OPEN, f"a vote is open: {how} before closing the sitting")
    return []


@deadline_source
def _vote_deadlines(state: Meeting) -> list[Deadline]:
    open_id = state.votes.open_vote
    if open_id is None:
        return []
    vote = state.votes.by_id[open_id]
    if vote.closes_at is None or not vote.method.electronic:
        return []
    return [Deadline(vote.closes_at, "vote.expire", {"vote_id": vote.id})]
