"""What votes and the clerk's notes add to the minutes."""

from __future__ import annotations

from typing import Any

from meeting.domain import Meeting
from meeting.domain.model import AgendaItem
from meeting.domain.vote_state import VoteStatus

from .build import Sources, item_part

__all__: list[str] = []


@item_part
def _votes(state: Meeting, item: AgendaItem, sources: Sources) -> dict[str, Any]:
    votes = []
    for vote_id in state.votes.order:
        v = state.votes.by_id[vote_id]
        if v.item_id != item.id:
            continue
        votes.append(
            {
                "vote_id": v.id,
                "question": v.question,
                "number": v.number,
                "kind": v.kind.value,
                "method": v.method.value,
                "choices": [{"key": c.key, "label": c.label} for c in v.choices],
                "status": v.status.value,
                "opened_at": v.opened_at,
                "closed_at": v.closed_at,
                "result": dict(v.result) if v.result is not None else None,
                "annulled_reason": v.annulled_reason if v.status is VoteStatus.ANNULLED else None,
                "rerun_of": v.rerun_of,
                "seq": sources.of("vote.closed", v.id) or sources.of("vote.scheduled", v.id),
            }
        )
    return {"votes": votes}


@item_part
def _notes(state: Meeting, item: AgendaItem, sources: Sources) -> dict[str, Any]:
    notes = [
        {"note_id": n.id, "at": n.at, "text": n.text, "seq": n.seq}
        for n in state.record.notes.values()
        if n.item_id == item.id
    ]
    return {"notes": notes}
