"""The vote events and the votes' part of the snapshot, declared for the documents and tests."""

from __future__ import annotations

from typing import Literal

import msgspec

from .catalog import declare, kind
from .model import Access
from .vote_state import Method, VoteKind, VoteStatus

__all__ = ["VoteView"]

_VOTE = "those who may see the vote's item"
Ballot = str | list[str] | dict[str, str]


class _Data(msgspec.Struct, forbid_unknown_fields=True):
    pass


class RuleData(_Data):
    name: str
    num: int
    den: int
    base: Literal["seats", "present", "cast"]
    strict: bool


class RuleUsed(RuleData):
    source: str


class ChoiceData(_Data):
    key: str
    label: str


class VoteScheduledData(_Data):
    """Everything about a vote, fixed when it is scheduled."""

    vote_id: str
    item_id: str
    question: str
    kind: VoteKind
    method: Method
    rule: RuleData
    choices: list[ChoiceData]
    access: Access
    seats_to_fill: int
    confidence_rules: Literal["96/2023", "85/2014"]
    duration: int | None
    allow_change: bool
    live_counts: bool
    require_pin: bool
    series: str | None
    number: str | None
    rerun_of: str | None


class VoteOpenedData(_Data):
    """Fixed at opening: the statutory seats, attendance, who is entitled, the deadline."""

    vote_id: str
    seats: int
    present: int | None
    quorum_met: bool | None
    entitled: list[str]
    closes_at: str | None


class BallotRecordedData(_Data):
    """A named ballot's choice, sent only to the voter until the result."""

    vote_id: str
    user_id: str
    choice: Ballot


class BallotCastData(_Data):
    """A delegate has voted; `counts` only for named votes with live counts."""

    vote_id: str
    user_id: str
    cast: int
    changed: bool
    counts: dict[str, int] | None = None


class BaseData(_Data):
    name: Literal["seats", "present", "cast"]
    value: int


class PaperData(_Data):
    issued: int | None
    returned: int | None
    valid: int | None
    invalid: int | None


class CandidateResult(_Data):
    key: str
    name: str
    votes: int
    percent_of_seats: str
    elected: bool


class OfficialResult(_Data):
    key: str
    name: str
    levels: dict[str, int]
    percent_of_seats: dict[str, str]
    flag: Literal["may_resign", "confidence_vote"] | None


class ResultData(_Data):
    """A vote's result with the rule and the base it used; per kind, its own fields."""

    counts: dict[str, int]
    cast: int
    entitled: int
    seats: int
    present: int | None
    quorum_met: bool | None
    rule: RuleUsed
    base: BaseData
    needed: int
    method: Method
    passed: bool | None = None
    candidates: list[CandidateResult] | None = None
    tie: bool | None = None
    elected: list[str] | None = None
    officials: list[OfficialResult] | None = None
    rule_set: str | None = None
    ballots: dict[str, Ballot] | None = None
    paper: PaperData | None = None


class VoteClosedData(_Data):
    vote_id: str
    closed_by: Literal["chair", "timer", "counts"]
    result: ResultData


class VoteAnnulledData(_Data):
    vote_id: str
    reason: str


class SeatsChangedData(_Data):
    seats: int
    previous: int
    reason: str


class VoteView(_Data):
    """A vote in the snapshot; `counts` only while open with live counts."""

    vote_id: str
    item_id: str
    question: str
    kind: VoteKind
    method: Method
    rule: RuleData
    choices: list[ChoiceData]
    seats_to_fill: int
    confidence_rules: Literal["96/2023", "85/2014"]
    duration: int | None
    allow_change: bool
    live_counts: bool
    require_pin: bool
    series: str | None
    number: str | None
    rerun_of: str | None
    status: VoteStatus
    opened_at: str | None
    closes_at: str | None
    closed_at: str | None
    seats: int
    present: int | None
    quorum_met: bool | None
    entitled: list[str]
    voted: list[str]
    cast: int
    counts: dict[str, int] | None
    result: ResultData | None
    annulled_reason: str | None
    my_ballot: Ballot | None = None


declare(
    kind("vote.scheduled", "A vote is scheduled on an item, with everything about it.",
         VoteScheduledData, audience=_VOTE),
    kind("vote.opened", "The vote is open; seats, attendance and who may vote are fixed.",
         VoteOpenedData, audience=_VOTE),
    kind("vote.ballot_recorded", "Your named ballot's choice (sent to you alone).",
         BallotRecordedData, audience="the voter"),
    kind("vote.ballot_cast", "A delegate has voted (never with a secret ballot's choice).",
         BallotCastData, audience=_VOTE),
    kind("vote.closed", "The vote is closed and this is its result, rule and base.",
         VoteClosedData, audience=_VOTE),
    kind("vote.annulled", "A closed vote was annulled; the reason is on record.",
         VoteAnnulledData, audience=_VOTE),
    kind("body.seats_changed", "The statutory seat count changed; later votes use it.",
         SeatsChangedData),
)  # fmt: skip
