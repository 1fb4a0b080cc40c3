"""The floor's events in the catalogue: attendance and quorum, speakers, timer, questions.

Declarations only; the shapes are in `floor_shapes`. An event of a speakers' queue, a
speech or a question is seen by those who may see the agenda item it belongs to.
"""

from __future__ import annotations

from .catalog import NoData, declare, kind
from .floor_shapes import (
    AnsweredData,
    AttendanceRecordedData,
    CheckData,
    ExtendedData,
    GrantedData,
    QuestionOrderData,
    QuestionOrderWire,
    QuestionRefData,
    QuestionSubmittedData,
    QueueChangeData,
    QueuedData,
    QueueOrderData,
    QuorumSetData,
    SpeechEndedData,
    TimerEventData,
    TimingData,
    WrittenData,
)

__all__: list[str] = []

_ITEM = "those who may see the item"

declare(
    kind(
        "attendance.quorum_set",
        "The quorum rule changed; `quorum` is how the sitting stands under it.",
        QuorumSetData,
    ),
    kind("attendance.checked_in", "A delegate checked in from her tablet.", CheckData),
    kind(
        "attendance.checked_out",
        "A delegate checked out: absent from now on, until she checks in again.",
        CheckData,
    ),
    kind(
        "attendance.recorded",
        "The chair or clerk recorded or corrected a delegate's attendance.",
        AttendanceRecordedData,
    ),
    kind(
        "floor.timing_set",
        "The sitting's default speaking time or warning changed (for the next speeches).",
        TimingData,
    ),
    kind(
        "floor.requested",
        "A delegate asked to speak on the item; `queue` is the item's queue now.",
        QueuedData,
        audience=_ITEM,
    ),
    kind(
        "floor.added",
        "The chair put someone on the item's list of speakers.",
        QueuedData,
        audience=_ITEM,
    ),
    kind(
        "floor.withdrawn",
        "A delegate withdrew her request to speak.",
        QueueChangeData,
        audience=_ITEM,
    ),
    kind(
        "floor.removed",
        "The chair took a request off the list of speakers.",
        QueueChangeData,
        audience=_ITEM,
    ),
    kind("floor.reordered", "The item's queue has a new order.", QueueOrderData, audience=_ITEM),
    kind(
        "floor.granted",
        "The speaker has the floor and the timer runs; shown on every screen.",
        GrantedData,
        audience=_ITEM,
    ),
    kind("floor.paused", "The speaker's timer stopped.", TimerEventData, audience=_ITEM),
    kind("floor.resumed", "The speaker's timer runs again.", TimerEventData, audience=_ITEM),
    kind("floor.extended", "The speaker was given more time.", ExtendedData, audience=_ITEM),
    kind(
        "floor.timer_warning",
        "Sent by the server: the speaker's time is nearly up.",
        TimerEventData,
        audience=_ITEM,
    ),
    kind(
        "floor.timer_overrun",
        "Sent by the server: the speaker's time is up; the timer counts on below zero.",
        TimerEventData,
        audience=_ITEM,
    ),
    kind(
        "floor.speech_ended",
        "The speech ended; its duration is on record for the minutes.",
        SpeechEndedData,
        audience=_ITEM,
    ),
    kind(
        "question.submitted",
        "A delegate submitted a question (chất vấn) to an official or agency.",
        QuestionSubmittedData,
        audience=_ITEM,
    ),
    kind(
        "question.withdrawn",
        "The asker withdrew her question.",
        QuestionRefData,
        audience=_ITEM,
    ),
    kind(
        "question.reordered",
        "The questions have a new order.",
        QuestionOrderData,
        QuestionOrderWire,
    ),
    kind("question.called", "The chair called the question.", QuestionRefData, audience=_ITEM),
    kind(
        "question.called_in_closed_session",
        "A closed session's question is called (its `question.called` follows): the public "
        "question asked before is no longer current. Nothing of the new one is said.",
        NoData,
    ),
    kind(
        "question.answered",
        "The answer is on record: who answered, a summary and how long it took.",
        AnsweredData,
        audience=_ITEM,
    ),
    kind(
        "question.marked_written",
        "The question will be answered in writing after the sitting.",
        WrittenData,
        audience=_ITEM,
    ),
)
