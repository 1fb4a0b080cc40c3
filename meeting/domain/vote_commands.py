"""Argument schemas of the vote commands."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from .commands import Id, Title
from .majority import Base
from .vote_state import Method, VoteKind

__all__ = [
    "Annul",
    "Cast",
    "ChoiceArgs",
    "EnterCounts",
    "NextVote",
    "RuleArgs",
    "ScheduleVote",
    "SetSeats",
    "VoteRef",
]

Key = Annotated[str, Meta(pattern=r"^[a-z0-9_.-]{1,64}$")]
Count = Annotated[int, Meta(ge=0, le=100_000)]


class _Args(msgspec.Struct, forbid_unknown_fields=True):
    pass


class ChoiceArgs(_Args):
    """An option, candidate or official: a stable key and the text people read."""

    key: Key
    label: Title


class RuleArgs(_Args):
    """A named threshold, or `custom` with its fraction, base and strictness."""

    name: Literal[
        "majority_of_seats", "two_thirds_of_seats", "majority_of_cast",
        "two_thirds_of_present", "custom",
    ] = "majority_of_seats"  # fmt: skip
    num: Annotated[int, Meta(ge=1, le=1000)] = 1
    den: Annotated[int, Meta(ge=1, le=1000)] = 2
    base: Base = Base.SEATS
    strict: bool = True


class ScheduleVote(_Args):
    """Schedule a vote on an agenda item; everything about it is fixed now."""

    item_id: Id
    question: Title
    kind: VoteKind = VoteKind.MOTION
    method: Method = Method.NAMED
    rule: RuleArgs = msgspec.field(default_factory=RuleArgs)
    options: Annotated[list[ChoiceArgs], Meta(min_length=2, max_length=20)] | None = None
    candidates: Annotated[list[ChoiceArgs], Meta(min_length=1, max_length=200)] | None = None
    seats_to_fill: Annotated[int, Meta(ge=1, le=200)] = 1
    officials: Annotated[list[ChoiceArgs], Meta(min_length=1, max_length=200)] | None = None
    confidence_rules: Literal["96/2023", "85/2014"] = "96/2023"
    duration: Annotated[int, Meta(ge=5, le=86_400)] | None = None
    allow_change: bool = False
    live_counts: bool = False
    require_pin: bool = False
    series: Annotated[str, Meta(max_length=64)] | None = None
    number: Annotated[str, Meta(max_length=64)] | None = None


class VoteRef(_Args):
    vote_id: Id


class NextVote(_Args):
    """Close the open vote (if any) and open the next scheduled one (of `series`, if set)."""

    series: Annotated[str, Meta(max_length=64)] | None = None


class Cast(_Args):
    """A ballot: an option key, a list of candidate keys, or {official: level}."""

    vote_id: Id
    choice: str | list[str] | dict[str, str]


class Annul(_Args):
    """Annul a closed vote with the reason on record; `rerun` schedules it again."""

    vote_id: Id
    reason: Title
    rerun: bool = True


class EnterCounts(_Args):
    """Counts of a paper ballot or a show of hands, entered by the clerk; closes the vote."""

    vote_id: Id
    counts: dict[str, Count]
    issued: Count | None = None
    returned: Count | None = None
    valid: Count | None = None
    invalid: Count | None = None


class SetSeats(_Args):
    """The body's statutory seat count changed (vacancy, dismissal, death, transfer)."""

    seats: Annotated[int, Meta(ge=1, le=10_000)]
    reason: Title
