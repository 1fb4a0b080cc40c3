"""The shapes of what the floor sends: its events' data, its snapshot part and its record.

Pure declarations (msgspec Structs that refuse unknown fields). The floor's modules build
these Structs and send `msgspec.to_builtins` of them, so a declaration cannot drift from
what is sent; `floor_catalog` names them for each event and `catalog.Snapshot` for the
snapshot. Times are the server's ISO 8601 strings; durations are seconds.
"""

from __future__ import annotations

import msgspec

from .floor_state import Presence, QuestionStatus

__all__ = [
    "AnsweredData",
    "AttendanceChange",
    "AttendanceLine",
    "AttendanceRecordedData",
    "AttendanceView",
    "CheckData",
    "ExtendedData",
    "FloorRecord",
    "FloorView",
    "GrantedData",
    "QuestionOrderData",
    "QuestionOrderWire",
    "QuestionRefData",
    "QuestionSubmittedData",
    "QuestionView",
    "QueueChangeData",
    "QueueOrderData",
    "QueueView",
    "QueuedData",
    "QueuedRequest",
    "QuorumData",
    "QuorumRuleData",
    "QuorumSetData",
    "QuorumView",
    "RequestData",
    "SpeechData",
    "SpeechEndedData",
    "SpeechLine",
    "SpeechView",
    "TimerData",
    "TimerEventData",
    "TimingData",
    "WrittenData",
]


class _Shape(msgspec.Struct, forbid_unknown_fields=True):
    pass


# -- attendance and quorum ------------------------------------------------------------------


class QuorumRuleData(_Shape):
    """At least (`strict`: more than) `numerator/denominator` of the statutory seats."""

    numerator: int
    denominator: int
    strict: bool
    refuse_votes: bool


class QuorumData(_Shape):
    """Delegates present, statutory seats, the fewest present that meet the rule, and
    whether they are met."""

    present: int
    seats: int
    required: int
    met: bool


class QuorumSetData(_Shape):
    rule: QuorumRuleData
    quorum: QuorumData


class CheckData(_Shape):
    """A delegate checked in or out herself; `quorum` as it stands after."""

    user_id: str
    quorum: QuorumData


class AttendanceRecordedData(_Shape):
    """`previous` is the attendance this entry corrects (null: nothing was recorded)."""

    user_id: str
    presence: Presence
    reason: str
    previous: Presence | None
    quorum: QuorumData


# -- speakers and the timer -----------------------------------------------------------------


class TimingData(_Shape):
    speaking_seconds: int
    warning_seconds: int


class RequestData(_Shape):
    """A place in the queue of item `item_id` (null: no item was open); `added_by` is the
    chair when she put the speaker on the list."""

    request_id: str
    user_id: str
    item_id: str | None
    topic: str
    reply_to: str | None
    added_by: str | None


class QueuedData(_Shape):
    """`queue`: the item's queue after the change, request ids in order."""

    request: RequestData
    queue: list[str]


class QueueChangeData(_Shape):
    request_id: str
    item_id: str | None
    queue: list[str]


class QueueOrderData(_Shape):
    item_id: str | None
    queue: list[str]


class TimerData(_Shape):
    """`remaining` seconds at the server time `as_of`. While `running`, time is up at
    `deadline`, so the time left at server time t is `deadline - t`: a client counts down
    from the server's times, never from its own clock. Negative `remaining`: overrun."""

    allowed: int
    remaining: float
    running: bool
    deadline: str | None
    as_of: str


class SpeechData(_Shape):
    speech_id: str
    request_id: str | None
    user_id: str
    item_id: str | None
    topic: str
    reply_to: str | None


class GrantedData(_Shape):
    """The new speech, its timer, and its item's queue without the granted request."""

    speech: SpeechData
    timer: TimerData
    queue: list[str]


class TimerEventData(_Shape):
    speech_id: str
    timer: TimerData


class ExtendedData(_Shape):
    speech_id: str
    seconds: int
    timer: TimerData


class SpeechEndedData(_Shape):
    """A speech for the record: it ended at the event's time after `duration` seconds
    spoken (pauses excluded) of `allowed`."""

    speech_id: str
    user_id: str
    item_id: str | None
    started_at: str
    duration: float
    allowed: int
    overrun: bool


# -- questions ------------------------------------------------------------------------------


class QuestionSubmittedData(_Shape):
    question_id: str
    asker: str
    addressee: str
    text: str
    item_id: str | None


class QuestionRefData(_Shape):
    question_id: str


class QuestionOrderData(_Shape):
    """As logged: `order` lists every question; `restricted` those of closed sessions."""

    order: list[str]
    restricted: list[str]


class QuestionOrderWire(_Shape):
    """As sent: the public's `order` leaves out questions of closed sessions."""

    order: list[str]


class AnsweredData(_Shape):
    """Who answered, the clerk's summary, and how long the answer took in seconds."""

    question_id: str
    answered_by: str
    summary: str
    duration: float


class WrittenData(_Shape):
    question_id: str
    note: str


# -- the snapshot part (`floor` in `catalog.Snapshot`) --------------------------------------


class QuorumView(QuorumData):
    rule: QuorumRuleData


class AttendanceView(_Shape):
    """A delegate's latest attendance entry: `by` whom and `at` what time."""

    user_id: str
    presence: Presence
    reason: str
    at: str
    by: str | None


class QueuedRequest(RequestData):
    at: str


class QueueView(_Shape):
    item_id: str | None
    requests: list[QueuedRequest]


class SpeechView(SpeechData):
    started_at: str
    timer: TimerData
    warned: bool
    overrun: bool


class QuestionView(_Shape):
    question_id: str
    asker: str
    addressee: str
    text: str
    item_id: str | None
    submitted_at: str
    status: QuestionStatus
    called_at: str | None
    answered_by: str
    summary: str
    answered_at: str | None
    duration: float | None
    written: bool
    written_note: str


class FloorView(_Shape):
    """The floor as one audience sees it. `queues` holds each agenda item's non-empty queue
    (the current item's is the one on screen); the public sees nothing of a closed session.
    `speech` is the current speech; `questions` are in the chair's order."""

    quorum: QuorumView
    attendance: list[AttendanceView]
    timing: TimingData
    queues: list[QueueView]
    speech: SpeechView | None
    questions: list[QuestionView]
    current_question: str | None


# -- the record, for the minutes ------------------------------------------------------------


class AttendanceLine(_Shape):
    """A delegate of the roster, in seat order; `presence` null: never recorded."""

    user_id: str
    name: str
    seat: int | None
    presence: Presence | None
    reason: str
    at: str | None


class AttendanceChange(AttendanceView):
    previous: Presence | None


class SpeechLine(_Shape):
    """A speech; `ended_at` and `duration` are null while it goes on."""

    speech_id: str
    user_id: str
    name: str
    item_id: str | None
    topic: str
    reply_to: str | None
    started_at: str
    ended_at: str | None
    duration: float | None
    allowed: int
    overrun: bool


class FloorRecord(_Shape):
    """Attendance (with every correction), quorum, speeches and questions, for the minutes."""

    quorum: QuorumView
    attendance: list[AttendanceLine]
    attendance_changes: list[AttendanceChange]
    speeches: list[SpeechLine]
    questions: list[QuestionView]
