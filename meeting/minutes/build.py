"""The minutes (biên bản) as a projection of the event log: a plain JSON-able document.

`build(events)` folds the log with the domain's own `apply` and writes down what happened,
item by item, with the `seq` of the event each line comes from, so that every line of the
minutes can be traced to the log. Each area of the rules contributes through `part`
functions registered here (the domain must not know about minutes). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from meeting.domain import Event, Meeting, Role, fold
from meeting.domain.model import AgendaItem

__all__ = ["FORMAT", "ITEM_PARTS", "MEETING_PARTS", "Sources", "build", "item_part", "meeting_part"]

FORMAT = "meeting-minutes/1"


@dataclass
class Sources:
    """Where things were decided: (event name, id) → the seq of the latest such event."""

    seqs: dict[tuple[str, str], int] = field(default_factory=dict)

    def of(self, name: str, key: str) -> int | None:
        return self.seqs.get((name, key))

    @classmethod
    def index(cls, events: Iterable[Event]) -> Sources:
        sources = cls()
        for e in events:
            for key in _ids(e.data):
                sources.seqs[(e.name, key)] = e.seq
        return sources


def _ids(data: dict[str, Any]) -> list[str]:
    found = [str(v) for k, v in data.items() if k.endswith("_id") and isinstance(v, str)]
    item = data.get("item")
    if isinstance(item, dict) and isinstance(item.get("item_id"), str):
        found.append(item["item_id"])
    return found


ItemPart = Callable[[Meeting, AgendaItem, Sources], dict[str, Any]]
MeetingPart = Callable[[Meeting, Sources], dict[str, Any]]
ITEM_PARTS: list[ItemPart] = []
MEETING_PARTS: list[MeetingPart] = []


def item_part(fn: ItemPart) -> ItemPart:
    """Register what an area adds to each agenda item of the minutes."""
    ITEM_PARTS.append(fn)
    return fn


def meeting_part(fn: MeetingPart) -> MeetingPart:
    """Register what an area adds to the minutes as a whole (attendance, …)."""
    MEETING_PARTS.append(fn)
    return fn


def _people(state: Meeting, role: Role) -> list[dict[str, Any]]:
    members = sorted(state.members.values(), key=lambda m: (m.seat or 10_000, m.name))
    return [
        {"user_id": m.user_id, "name": m.name, "seat": m.seat} for m in members if role in m.roles
    ]


def build(events: Sequence[Event], state: Meeting | None = None) -> dict[str, Any]:
    """The minutes of the meeting whose whole log is `events` (seq 1, 2, …); `state` is
    `fold(events)` when the caller has it already (folding is most of the cost)."""
    if state is None:
        state = fold(events)
    sources = Sources.index(events)
    items = []
    for n, item_id in enumerate(state.order, start=1):
        item = state.items[item_id]
        entry: dict[str, Any] = {
            "number": n,
            "item_id": item.id,
            "title": item.title,
            "description": item.description,
            "access": item.access.value,
            "urgent": item.urgent,
            "status": item.status.value,
            "opened_at": item.opened_at,
            "closed_at": item.closed_at,
            "seq": sources.of("agenda.item_added", item.id),
            "text": state.record.sections.get(f"item:{item.id}", ""),
        }
        for part in ITEM_PARTS:
            entry.update(part(state, item, sources))
        items.append(entry)
    minutes: dict[str, Any] = {
        "format": FORMAT,
        "meeting": {
            "meeting_id": state.id,
            "body": {"id": state.body.id, "name": state.body.name, "seats": state.body.seats},
            "title": state.title,
            "place": state.place,
            "scheduled_for": state.scheduled_for,
            "status": state.status.value,
            "opened_at": state.opened_at,
            "closed_at": state.closed_at,
            "chairs": _people(state, Role.CHAIR),
            "clerks": _people(state, Role.CLERK),
        },
        "sections": {
            k: v for k, v in sorted(state.record.sections.items()) if not k.startswith("item:")
        },
        "items": items,
        "approval": {
            "approved_at": state.record.approved_at,
            "approved_by": state.record.approved_by,
            "seq": state.record.approved_seq,
        },
        "log": {"seq": state.seq},
    }
    for meeting_part_fn in MEETING_PARTS:
        minutes.update(meeting_part_fn(state, sources))
    return minutes
