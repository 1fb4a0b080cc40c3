"""What each audience may see: event projections and snapshots.

Filtering happens here, once per audience, never per connection. The public never sees a
closed-session item, not even its id in an ordering; it is told only that a closed session
is in progress (`closed_session`, and the event `agenda.closed_session`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .events import Event
from .model import Access, AgendaItem, Audience, Meeting, Member

__all__ = ["SNAPSHOT_PARTS", "in_closed_session", "project", "snapshot", "snapshot_part"]

SnapshotPart = Callable[[Meeting, Audience, "str | None"], dict[str, Any]]
SNAPSHOT_PARTS: list[SnapshotPart] = []


def snapshot_part(fn: SnapshotPart) -> SnapshotPart:
    """Register the part of the snapshot one area of the rules owns (its keys are merged)."""
    SNAPSHOT_PARTS.append(fn)
    return fn


def in_closed_session(state: Meeting) -> bool:
    """True while the current item is a closed-session (delegates only) item."""
    current = state.items.get(state.current_item) if state.current_item else None
    return current is not None and current.access is not Access.PUBLIC


def project(event: Event, audience: Audience, user_id: str | None = None) -> Event | None:
    """The event as `audience` (and, for private events, `user_id`) may see it, or None."""
    if event.user is not None:
        return event if event.user == user_id else None
    if not audience.sees(event.audience):
        return None
    restricted = event.data.get("restricted")
    if restricted is None:
        return event
    data = {k: v for k, v in event.data.items() if k != "restricted"}
    if audience is Audience.PUBLIC:
        hidden = set(restricted)
        data["order"] = [i for i in data["order"] if i not in hidden]
    return replace(event, data=data)


def _item(item: AgendaItem) -> dict[str, Any]:
    return {
        "item_id": item.id,
        "title": item.title,
        "description": item.description,
        "access": item.access.value,
        "urgent": item.urgent,
        "status": item.status.value,
        "opened_at": item.opened_at,
        "closed_at": item.closed_at,
    }


def _member(m: Member) -> dict[str, Any]:
    return {"user_id": m.user_id, "name": m.name, "roles": sorted(m.roles), "seat": m.seat}


def snapshot(state: Meeting, audience: Audience, user_id: str | None = None) -> dict[str, Any]:
    """The whole meeting as `audience` sees it at `state.seq`, as plain JSON values."""
    visible = [
        i
        for i in state.order
        if audience is not Audience.PUBLIC or state.items[i].access is Access.PUBLIC
    ]
    current = state.current_item if state.current_item in visible else None
    view = {
        "meeting_id": state.id,
        "seq": state.seq,
        "body": {"id": state.body.id, "name": state.body.name, "seats": state.body.seats},
        "title": state.title,
        "place": state.place,
        "scheduled_for": state.scheduled_for,
        "status": state.status.value,
        "opened_at": state.opened_at,
        "closed_at": state.closed_at,
        "members": [_member(m) for m in sorted(state.members.values(), key=lambda m: m.user_id)],
        "items": [_item(state.items[i]) for i in visible],
        "current_item": current,
        "closed_session": in_closed_session(state),
    }
    for part in SNAPSHOT_PARTS:
        view.update(part(state, audience, user_id))
    return view
