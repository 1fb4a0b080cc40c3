"""The votes of a meeting in the Popolo data specification (popoloproject.com): motions,
vote events, counts, and for named ballots only, each delegate's vote.

One motion per question put to the body; an annulled vote and its re-run are two vote
events of the same motion. Options are Popolo's words for the council's three
(`yes` Tán thành, `no` Không tán thành, `abstain` Không biểu quyết); an entitled delegate
who did not vote in a named motion is `not voting`. Elections and confidence ratings count
per candidate or per official and level, with their own keys. Secret, paper and
show-of-hands votes have counts only: no vote of any delegate is ever listed for them.
"""

from __future__ import annotations

from typing import Any

from meeting.domain import Meeting
from meeting.domain.model import Audience, Role
from meeting.domain.vote_state import Vote, VoteKind, VoteStatus

from ._scope import Scope, named_ballots

__all__ = ["POPOLO_FORMAT", "popolo"]

POPOLO_FORMAT = "meeting-popolo/1"
OPTIONS = {"tan_thanh": "yes", "khong_tan_thanh": "no", "khong_bieu_quyet": "abstain"}
_BASES = {
    "seats": "the total number of delegates",
    "present": "the delegates present",
    "cast": "the ballots cast",
}


def _option(key: str) -> str:
    return OPTIONS.get(key, key)


def requirement(result: dict[str, Any] | None, vote: Vote) -> str:
    """The rule in words: "more than 1/2 of the total number of delegates (Luật …)"."""
    rule = result["rule"] if result else dict(vote.rule)
    if "num" not in rule or not rule.get("den"):
        return str(rule.get("name", ""))
    more = "more than" if rule.get("strict", True) else "at least"
    base = _BASES.get(str(rule.get("base", "seats")), str(rule.get("base")))
    source = f" ({rule['source']})" if rule.get("source") else ""
    return f"{more} {rule['num']}/{rule['den']} of {base}{source}"


def _outcome(vote: Vote) -> str | None:
    if vote.status is VoteStatus.ANNULLED:
        return "annulled"
    if vote.result is None or vote.kind is not VoteKind.MOTION:
        return None
    return "pass" if vote.result.get("passed") else "fail"


def _vote_event(vote: Vote, motion_id: str, state: Meeting) -> dict[str, Any]:
    result = dict(vote.result) if vote.result is not None else None
    event: dict[str, Any] = {
        "id": vote.id,
        "motion_id": motion_id,
        "organization_id": state.body.id,
        "legislative_session_id": state.id,
        "identifier": vote.number,
        "start_date": vote.opened_at,
        "end_date": vote.closed_at,
        "result": _outcome(vote),
        "method": vote.method.value,
        "counts": [],
    }
    if result is not None:
        counts = result.get("counts", {})
        event["counts"] = [{"option": _option(k), "value": n} for k, n in counts.items()]
    if vote.status is VoteStatus.ANNULLED:
        event["annulled_reason"] = vote.annulled_reason
    ballots = named_ballots(vote)
    if ballots is not None:
        votes = [{"voter_id": u, "option": _option(str(c))} for u, c in sorted(ballots.items())]
        votes += [
            {"voter_id": u, "option": "not voting"} for u in sorted(vote.entitled - set(ballots))
        ]
        event["votes"] = votes
    return event


def popolo(state: Meeting, audience: Audience) -> dict[str, Any]:
    """The Popolo export of `state` as `audience` may see it."""
    scope = Scope(state, audience)
    delegates = state.delegates
    persons = [{"id": m.user_id, "name": m.name} for m in delegates]
    memberships = [
        {
            "id": f"{state.body.id}:{m.user_id}",
            "person_id": m.user_id,
            "organization_id": state.body.id,
            "role": "chair" if Role.CHAIR in m.roles else "delegate",
            "label": f"Ghế số {m.seat}" if m.seat is not None else None,
        }
        for m in delegates
    ]
    motions: dict[str, dict[str, Any]] = {}
    vote_events = []
    for _, item in scope.items():
        for vote in scope.votes(item.id):
            root = vote.rerun_of or vote.id
            while (earlier := state.votes.by_id.get(root)) is not None and earlier.rerun_of:
                root = earlier.rerun_of
            motion = motions.setdefault(
                root,
                {
                    "id": f"motion:{root}",
                    "organization_id": state.body.id,
                    "legislative_session_id": state.id,
                    "text": vote.question,
                    "identifier": vote.number,
                    "classification": vote.kind.value,
                    "date": vote.opened_at,
                    "requirement": requirement(
                        dict(vote.result) if vote.result is not None else None, vote
                    ),
                    "agenda_item": {"id": item.id, "title": item.title},
                    "result": None,
                },
            )
            if vote.status is not VoteStatus.ANNULLED:
                motion["result"] = _outcome(vote)
            vote_events.append(_vote_event(vote, motion["id"], state))
    return {
        "format": POPOLO_FORMAT,
        "audience": audience.value,
        "log": {"seq": state.seq},
        "organizations": [
            {"id": state.body.id, "name": state.body.name, "classification": "council"}
        ],
        "events": [
            {
                "id": state.id,
                "name": state.title,
                "classification": "sitting",
                "organization_id": state.body.id,
                "location": state.place or None,
                "start_date": state.opened_at or state.scheduled_for or None,
                "end_date": state.closed_at,
            }
        ],
        "persons": persons,
        "memberships": memberships,
        "motions": list(motions.values()),
        "vote_events": vote_events,
    }
