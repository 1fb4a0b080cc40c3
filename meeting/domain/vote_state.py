"""The state of votes, elections and confidence ratings (immutable, folded from the log)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .model import Access

__all__ = ["Choice", "Method", "Vote", "VoteKind", "VoteStatus", "Votes"]


class VoteKind(StrEnum):
    MOTION = "motion"
    """A question with options (Tán thành / Không tán thành / Không biểu quyết)."""
    ELECTION = "election"
    """Candidates for `seats_to_fill` posts; each ballot approves up to that many."""
    CONFIDENCE = "confidence"
    """A confidence rating (lấy phiếu tín nhiệm): each official gets one of three levels."""


class Method(StrEnum):
    """How ballots are cast, fixed when the vote is scheduled and shown in the minutes."""

    NAMED = "electronic_named"
    SECRET = "electronic_secret"
    PAPER = "paper"
    HANDS = "show_of_hands"

    @property
    def electronic(self) -> bool:
        return self in (Method.NAMED, Method.SECRET)

    @property
    def secret(self) -> bool:
        return self in (Method.SECRET, Method.PAPER)


class VoteStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    ANNULLED = "annulled"


@dataclass(frozen=True, slots=True)
class Choice:
    """An option, a candidate or an official: a stable key and what people read."""

    key: str
    label: str


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Vote:
    id: str
    item_id: str
    question: str
    kind: VoteKind
    method: Method
    rule: Mapping[str, Any]
    choices: tuple[Choice, ...]
    access: Access = Access.PUBLIC
    seats_to_fill: int = 1
    confidence_rules: str = "96/2023"
    duration: int | None = None
    allow_change: bool = False
    live_counts: bool = False
    require_pin: bool = False
    series: str | None = None
    number: str | None = None
    rerun_of: str | None = None
    status: VoteStatus = VoteStatus.SCHEDULED
    opened_at: str | None = None
    closes_at: str | None = None
    closed_at: str | None = None
    seats: int = 0
    present: int | None = None
    quorum_met: bool | None = None
    entitled: frozenset[str] = frozenset()
    voted: frozenset[str] = frozenset()
    tally: Mapping[str, int] = field(default_factory=_empty)
    ballots: Mapping[str, Any] = field(default_factory=_empty)
    """Named votes only: each delegate's choice. Never filled for a secret method."""
    result: Mapping[str, Any] | None = None
    annulled_reason: str | None = None

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.choices]


@dataclass(frozen=True, slots=True)
class Votes:
    """All votes of the meeting in the order they were scheduled, and the open one."""

    by_id: Mapping[str, Vote] = field(default_factory=_empty)
    order: tuple[str, ...] = ()
    open_vote: str | None = None
