"""The floor as each audience sees it (the snapshot's `floor`) and its record for the minutes.

`floor_view(state, audience)` is what a tablet, console or hall display starts from;
`floor_record(state)` lists attendance (with every correction), the quorum, every speech
and every question with their times, for the minutes. Both are pure projections of the
state; the public never sees anything of a closed session here.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .floor import quorum_status
from .floor_shapes import (
    AttendanceChange,
    AttendanceLine,
    AttendanceView,
    FloorRecord,
    FloorView,
    QuestionView,
    QueuedRequest,
    QueueView,
    QuorumRuleData,
    QuorumView,
    SpeechLine,
    SpeechView,
    TimingData,
)
from .floor_state import AttendanceEntry, Question, SpeakRequest, Speech
from .model import Audience, Meeting
from .speeches import timer_data
from .views import snapshot_part

__all__ = ["floor_record", "floor_view"]


def _sees(audience: Audience, closed_session: bool) -> bool:
    return audience.sees(Audience.DELEGATES if closed_session else Audience.PUBLIC)


def _quorum_view(state: Meeting) -> QuorumView:
    rule = state.floor.quorum
    status = quorum_status(state)
    return QuorumView(
        *status,
        rule=QuorumRuleData(rule.numerator, rule.denominator, rule.strict, rule.refuse_votes),
    )


def _attendance_view(entry: AttendanceEntry) -> AttendanceView:
    return AttendanceView(entry.user_id, entry.presence, entry.reason, entry.at, entry.by)


def _queued_request(r: SpeakRequest) -> QueuedRequest:
    return QueuedRequest(r.id, r.user_id, r.item_id, r.topic, r.reply_to, r.added_by, r.at)


def _speech_view(s: Speech) -> SpeechView:
    """The current speech for a snapshot: its timer as of the timer's last change."""
    return SpeechView(
        s.id,
        s.request_id,
        s.user_id,
        s.item_id,
        s.topic,
        s.reply_to,
        started_at=s.started_at,
        timer=timer_data(s, s.timer_at),
        warned=s.warned,
        overrun=s.overrun,
    )


def _question_view(q: Question) -> QuestionView:
    return QuestionView(
        question_id=q.id,
        asker=q.asker,
        addressee=q.addressee,
        text=q.text,
        item_id=q.item_id,
        submitted_at=q.submitted_at,
        status=q.status,
        called_at=q.called_at,
        answered_by=q.answered_by,
        summary=q.summary,
        answered_at=q.answered_at,
        duration=q.duration,
        written=q.written,
        written_note=q.written_note,
    )


def floor_view(state: Meeting, audience: Audience) -> FloorView:
    """The floor as `audience` may see it at `state.seq`."""
    floor = state.floor
    queues = [
        QueueView(item_id, [_queued_request(r) for r in queue])
        for item_id, queue in floor.queues.items()
        if queue and _sees(audience, queue[0].closed_session)
    ]
    speech = floor.speech
    questions = [floor.questions[i] for i in floor.question_order]
    visible = [q for q in questions if _sees(audience, q.closed_session)]
    current = floor.current_question
    return FloorView(
        quorum=_quorum_view(state),
        attendance=[_attendance_view(floor.attendance[u]) for u in sorted(floor.attendance)],
        timing=TimingData(floor.timing.speaking_seconds, floor.timing.warning_seconds),
        queues=queues,
        speech=_speech_view(speech) if speech and _sees(audience, speech.closed_session) else None,
        questions=[_question_view(q) for q in visible],
        current_question=current if current in {q.id for q in visible} else None,
    )


@snapshot_part
def _floor_part(state: Meeting, audience: Audience, user_id: str | None) -> dict[str, Any]:
    return {"floor": msgspec.to_builtins(floor_view(state, audience))}


def _speech_line(state: Meeting, s: Speech) -> SpeechLine:
    speaker = state.members.get(s.user_id)
    return SpeechLine(
        speech_id=s.id,
        user_id=s.user_id,
        name=speaker.name if speaker else s.user_id,
        item_id=s.item_id,
        topic=s.topic,
        reply_to=s.reply_to,
        started_at=s.started_at,
        ended_at=s.ended_at,
        duration=s.duration,
        allowed=s.allowed,
        overrun=s.overrun,
    )


def floor_record(state: Meeting, audience: Audience = Audience.STAFF) -> FloorRecord:
    """Attendance, quorum, speeches and questions with their times, for the minutes.

    Attendance lists every delegate of the roster in seat order (`presence` null: never
    recorded) and, in `attendance_changes`, every entry with what it corrected. Speeches
    are in order, the current one last with no end yet; questions are in the chair's
    order, then the withdrawn ones. `audience` leaves out what it may not see.
    """
    floor = state.floor
    attendance = []
    for delegate in state.delegates:
        entry = floor.attendance.get(delegate.user_id)
        attendance.append(
            AttendanceLine(
                user_id=delegate.user_id,
                name=delegate.name,
                seat=delegate.seat,
                presence=entry.presence if entry else None,
                reason=entry.reason if entry else "",
                at=entry.at if entry else None,
            )
        )
    changes = [
        AttendanceChange(e.user_id, e.presence, e.reason, e.at, e.by, previous=e.previous)
        for e in floor.attendance_log
    ]
    speeches = [*floor.speeches, *([floor.speech] if floor.speech else [])]
    listed = set(floor.question_order)
    ordered = [floor.questions[i] for i in floor.question_order]
    ordered += [q for q in floor.questions.values() if q.id not in listed]
    return FloorRecord(
        quorum=_quorum_view(state),
        attendance=attendance,
        attendance_changes=changes,
        speeches=[_speech_line(state, s) for s in speeches if _sees(audience, s.closed_session)],
        questions=[_question_view(q) for q in ordered if _sees(audience, q.closed_session)],
    )
