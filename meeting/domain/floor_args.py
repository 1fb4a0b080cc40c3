"""The arguments of the floor's commands: attendance, quorum, speakers, questions.

msgspec Structs that refuse unknown fields, like `commands`; the protocol documents are
generated from them. Limits here are the security limits of what one command may carry.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from .commands import Id, Text, Title
from .floor_state import Presence

__all__ = [
    "AddSpeaker",
    "ExtendSpeech",
    "GrantFloor",
    "MarkWritten",
    "QuestionRef",
    "RecordAnswer",
    "RecordAttendance",
    "ReorderQuestions",
    "ReorderSpeakers",
    "RequestFloor",
    "RequestRef",
    "SetQuorum",
    "SetTiming",
    "SpeechRef",
    "SubmitQuestion",
    "TimerDue",
    "WithdrawRequest",
]

Seconds = Annotated[int, Meta(ge=1, le=4 * 3600)]
"""A speaking time or an extension: one second to four hours."""
Short = Annotated[str, Meta(max_length=500)]


class _Args(msgspec.Struct, forbid_unknown_fields=True):
    pass


class SetQuorum(_Args):
    """Quorum: at least (`strict`: more than) `numerator/denominator` of the seats."""

    numerator: Annotated[int, Meta(ge=1, le=100)]
    denominator: Annotated[int, Meta(ge=1, le=100)]
    strict: bool = False
    refuse_votes: bool = True
    """Without quorum a vote may not open (True), or opens flagged in its result (False)."""


class RecordAttendance(_Args):
    """Record or correct a delegate's attendance; an excused absence needs its reason."""

    user_id: Id
    presence: Presence
    reason: Short = ""


class SetTiming(_Args):
    """The default speaking time and the warning before its end, in seconds (0: no warning)."""

    speaking_seconds: Seconds
    warning_seconds: Annotated[int, Meta(ge=0, le=3600)] = 30


class RequestFloor(_Args):
    """Ask to speak on the current item, optionally on a topic or in reply to someone."""

    topic: Short = ""
    reply_to: Id | None = None


class WithdrawRequest(_Args):
    """Withdraw one's own request; by default the one waiting on the current item."""

    request_id: Id | None = None


class RequestRef(_Args):
    request_id: Id


class AddSpeaker(_Args):
    """Put someone on the current item's list; `position` is 0-based, at the end if omitted."""

    user_id: Id
    topic: Short = ""
    reply_to: Id | None = None
    position: Annotated[int, Meta(ge=0)] | None = None


class ReorderSpeakers(_Args):
    """The new order: every request id of the current item's queue, each once."""

    request_ids: list[Id]


class GrantFloor(_Args):
    """Give the floor to a request of the current queue (its head when omitted).

    `seconds` overrides the sitting's default speaking time for this speech.
    """

    request_id: Id | None = None
    seconds: Seconds | None = None


class SpeechRef(_Args):
    """The current speech; when `speech_id` is given it must still be the current one."""

    speech_id: Id | None = None


class ExtendSpeech(_Args):
    seconds: Seconds
    speech_id: Id | None = None


class TimerDue(_Args):
    """Sent by the server itself when the current speech's warning or end time comes."""

    speech_id: Id


class SubmitQuestion(_Args):
    """A written question (chất vấn) to an official or agency, e.g. "Giám đốc Sở Xây dựng"."""

    addressee: Title
    text: Annotated[str, Meta(min_length=1, max_length=20_000)]


class QuestionRef(_Args):
    question_id: Id


class ReorderQuestions(_Args):
    """The new order: every question not withdrawn, each once."""

    question_ids: list[Id]


class RecordAnswer(_Args):
    """Who answered and a short summary; `seconds` when the answer was timed, else the time
    since the question was called is recorded."""

    question_id: Id
    answered_by: Title
    summary: Text = ""
    seconds: Annotated[int, Meta(ge=0, le=4 * 3600)] | None = None


class MarkWritten(_Args):
    """The question will be answered in writing after the sitting."""

    question_id: Id
    note: Short = ""
