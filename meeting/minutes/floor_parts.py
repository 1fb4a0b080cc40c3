"""What the floor adds to the minutes: attendance and quorum, speeches, questions."""

from __future__ import annotations

from typing import Any

from meeting.domain import Meeting
from meeting.domain.floor import quorum_status
from meeting.domain.floor_state import Presence
from meeting.domain.model import AgendaItem

from .build import Sources, item_part, meeting_part

__all__: list[str] = []


def _name(state: Meeting, user_id: str) -> str:
    member = state.members.get(user_id)
    return member.name if member else user_id


@meeting_part
def _attendance(state: Meeting, sources: Sources) -> dict[str, Any]:
    status = quorum_status(state)
    present, excused, absent = [], [], []
    for m in state.delegates:
        entry = state.floor.attendance.get(m.user_id)
        person = {"user_id": m.user_id, "name": m.name, "seat": m.seat}
        if entry is not None and entry.presence is Presence.PRESENT:
            present.append(person)
        elif entry is not None and entry.presence is Presence.EXCUSED:
            excused.append({**person, "reason": entry.reason})
        else:
            absent.append(person)
    corrections = sum(1 for e in state.floor.attendance_log if e.previous is not None)
    return {
        "attendance": {
            "present": status.present,
            "seats": status.seats,
            "required": status.required,
            "quorum_met": status.met,
            "present_list": present,
            "excused": excused,
            "absent": absent,
            "corrections": corrections,
        }
    }


@item_part
def _speeches(state: Meeting, item: AgendaItem, sources: Sources) -> dict[str, Any]:
    speeches = [
        {
            "speech_id": s.id,
            "user_id": s.user_id,
            "name": _name(state, s.user_id),
            "topic": s.topic,
            "started_at": s.started_at,
            "ended_at": s.ended_at,
            "seconds": round(s.duration) if s.duration is not None else None,
            "overrun": s.overrun,
            "seq": sources.of("floor.speech_ended", s.id) or sources.of("floor.granted", s.id),
        }
        for s in state.floor.speeches
        if s.item_id == item.id
    ]
    return {"speeches": speeches}


@item_part
def _questions(state: Meeting, item: AgendaItem, sources: Sources) -> dict[str, Any]:
    questions = []
    for qid in state.floor.question_order:
        q = state.floor.questions[qid]
        if q.item_id != item.id:
            continue
        answer = None
        if q.answered_at is not None:
            answer = {"by": q.answered_by, "summary": q.summary, "at": q.answered_at,
                      "seconds": round(q.duration) if q.duration is not None else None}  # fmt: skip
        questions.append(
            {
                "question_id": q.id,
                "asked_by": q.asker,
                "asked_by_name": _name(state, q.asker),
                "addressed_to": q.addressee,
                "text": q.text,
                "status": q.status.value,
                "submitted_at": q.submitted_at,
                "answer": answer,
                "written": q.written,
                "seq": sources.of("question.submitted", q.id),
            }
        )
    return {"questions": questions}
