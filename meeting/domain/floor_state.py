"""The state of the floor: attendance and quorum, speakers and their timer, questions.

Frozen dataclasses held in `Meeting.floor` and built only by the floor's `apply` handlers
(`floor`, `speakers`, `questions`). Times are the server's ISO 8601 strings and durations
are seconds rounded to the millisecond. This module imports nothing of ours, since `model`
imports it; it must never read a clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .times import add_seconds, seconds_between

__all__ = [
    "AttendanceEntry",
    "Floor",
    "Presence",
    "Question",
    "QuestionStatus",
    "QuorumRule",
    "SpeakRequest",
    "Speech",
    "Timing",
]


class Presence(StrEnum):
    """A delegate's attendance (điểm danh)."""

    PRESENT = "present"
    """có mặt"""
    EXCUSED = "excused"
    """vắng có lý do: absent with a reason given to the chair"""
    ABSENT = "absent"
    """vắng"""


@dataclass(frozen=True, slots=True)
class QuorumRule:
    """Quorum: at least (or, when `strict`, more than) `numerator/denominator` of the seats.

    The default is the provincial council's: a sitting proceeds when at least two-thirds of
    all its delegates take part (Luật Tổ chức chính quyền địa phương 2015, Điều 78). The base
    is the body's statutory seat count, never the delegates on the roster or in the hall.
    """

    numerator: int = 2
    denominator: int = 3
    strict: bool = False
    refuse_votes: bool = True
    """Whether a vote may not open without quorum (else it opens, flagged as without)."""

    def required(self, seats: int) -> int:
        """The fewest delegates present that meet the rule, in exact integer arithmetic."""
        share = self.numerator * seats
        if self.strict:
            return share // self.denominator + 1
        return -(-share // self.denominator)


@dataclass(frozen=True, slots=True)
class AttendanceEntry:
    """One change of a delegate's attendance; `previous` is what it corrected, if anything."""

    user_id: str
    presence: Presence
    reason: str
    at: str
    by: str | None
    previous: Presence | None = None


@dataclass(frozen=True, slots=True)
class Timing:
    """The sitting's default speaking time and when, before the end, the warning comes."""

    speaking_seconds: int = 300
    warning_seconds: int = 30


@dataclass(frozen=True, slots=True)
class SpeakRequest:
    """A place in the speakers' queue of one agenda item (`item_id` None: no item open)."""

    id: str
    user_id: str
    item_id: str | None
    closed_session: bool
    topic: str
    reply_to: str | None
    at: str
    added_by: str | None = None
    """The chair, when she put the speaker on the list herself."""


@dataclass(frozen=True, slots=True)
class Speech:
    """A speech with its timer. The timer runs from `running_since`; `used` is what was
    spoken before that (pauses excluded). `timer_at` is the last time the timer changed."""

    id: str
    user_id: str
    item_id: str | None
    closed_session: bool
    topic: str
    reply_to: str | None
    request_id: str | None
    started_at: str
    allowed: int
    running_since: str | None
    timer_at: str
    used: float = 0.0
    warned: bool = False
    overrun: bool = False
    ended_at: str | None = None
    duration: float | None = None

    @property
    def running(self) -> bool:
        return self.running_since is not None

    def spoken(self, now: str) -> float:
        """Seconds spoken by `now`, pauses excluded."""
        if self.running_since is None:
            return self.used
        return round(self.used + seconds_between(self.running_since, now), 3)

    def remaining(self, now: str) -> float:
        """Seconds left at `now`; negative once the speaker has overrun."""
        return round(self.allowed - self.spoken(now), 3)

    @property
    def deadline(self) -> str | None:
        """When the time is up, while the timer runs."""
        if self.running_since is None:
            return None
        return add_seconds(self.running_since, self.allowed - self.used)


class QuestionStatus(StrEnum):
    SUBMITTED = "submitted"
    CALLED = "called"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Question:
    """A question (chất vấn) to an official or agency, from submission to answer."""

    id: str
    asker: str
    addressee: str
    text: str
    item_id: str | None
    closed_session: bool
    submitted_at: str
    status: QuestionStatus = QuestionStatus.SUBMITTED
    called_at: str | None = None
    answered_by: str = ""
    summary: str = ""
    answered_at: str | None = None
    duration: float | None = None
    written: bool = False
    """To be answered in writing after the sitting."""
    written_note: str = ""


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Floor:
    """Everything of the floor in one meeting."""

    quorum: QuorumRule = QuorumRule()
    attendance: Mapping[str, AttendanceEntry] = field(default_factory=_empty)
    """The latest entry per delegate."""
    attendance_log: tuple[AttendanceEntry, ...] = ()
    """Every entry, corrections included, for the minutes."""
    timing: Timing = Timing()
    queues: Mapping[str | None, tuple[SpeakRequest, ...]] = field(default_factory=_empty)
    """The speakers' queue of each agenda item, in the chair's order."""
    speech: Speech | None = None
    speeches: tuple[Speech, ...] = ()
    """Ended speeches, in order."""
    questions: Mapping[str, Question] = field(default_factory=_empty)
    """Every question, withdrawn ones too, in order of submission."""
    question_order: tuple[str, ...] = ()
    """The chair's order of the questions not withdrawn."""
    current_question: str | None = None

    def queue(self, item_id: str | None) -> tuple[SpeakRequest, ...]:
        return self.queues.get(item_id, ())
