"""`apply(state, event) -> state`: fold one logged event into the meeting's state.

Pure and total over the events `decide` produces. Unknown event names raise, since a log
that the code cannot read must never be folded silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any, TypeVar

from .events import Event
from .model import (
    EMPTY,
    Access,
    AgendaItem,
    Body,
    ItemStatus,
    Meeting,
    Member,
    Role,
    SittingStatus,
)

__all__ = ["APPLIERS", "apply", "fold"]

K = TypeVar("K")
V = TypeVar("V")

Applier = Callable[[Meeting, Event], Meeting]
APPLIERS: dict[str, Applier] = {}


def _on(name: str) -> Callable[[Applier], Applier]:
    def register(fn: Applier) -> Applier:
        APPLIERS[name] = fn
        return fn

    return register


def apply(state: Meeting, event: Event) -> Meeting:
    applier = APPLIERS.get(event.name)
    if applier is None:
        raise ValueError(f"unknown event {event.name!r} at seq {event.seq}")
    return replace(applier(state, event), seq=event.seq)


def fold(events: Iterable[Event], state: Meeting = EMPTY) -> Meeting:
    for event in events:
        state = apply(state, event)
    return state


def _with(mapping: Mapping[K, V], key: K, value: V) -> Mapping[K, V]:
    copy = dict(mapping)
    copy[key] = value
    return MappingProxyType(copy)


def _without(mapping: Mapping[K, V], key: K) -> Mapping[K, V]:
    copy = dict(mapping)
    copy.pop(key, None)
    return MappingProxyType(copy)


def _member(d: Mapping[str, Any]) -> Member:
    return Member(d["user_id"], d["name"], frozenset(Role(r) for r in d["roles"]), d.get("seat"))


def _set_item(state: Meeting, item: AgendaItem) -> Meeting:
    return replace(state, items=_with(state.items, item.id, item))


@_on("meeting.created")
def _created(state: Meeting, e: Event) -> Meeting:
    d = e.data
    members = {m["user_id"]: _member(m) for m in d["members"]}
    return replace(
        state,
        id=e.meeting_id,
        created=True,
        body=Body(d["body"]["id"], d["body"]["name"], d["body"]["seats"]),
        title=d["title"],
        place=d["place"],
        scheduled_for=d["scheduled_for"],
        members=MappingProxyType(members),
    )


@_on("member.set")
def _member_set(state: Meeting, e: Event) -> Meeting:
    member = _member(e.data)
    return replace(state, members=_with(state.members, member.user_id, member))


@_on("member.removed")
def _member_removed(state: Meeting, e: Event) -> Meeting:
    return replace(state, members=_without(state.members, e.data["user_id"]))


@_on("sitting.opened")
def _opened(state: Meeting, e: Event) -> Meeting:
    return replace(state, status=SittingStatus.OPEN, opened_at=e.at)


@_on("sitting.closed")
def _closed(state: Meeting, e: Event) -> Meeting:
    return replace(state, status=SittingStatus.CLOSED, closed_at=e.at)


@_on("agenda.item_added")
def _item_added(state: Meeting, e: Event) -> Meeting:
    d = e.data["item"]
    item = AgendaItem(d["item_id"], d["title"], d["description"], Access(d["access"]))
    item = replace(item, urgent=d["urgent"])
    state = _set_item(state, item)
    return replace(state, order=tuple(e.data["order"]))


@_on("agenda.item_edited")
def _item_edited(state: Meeting, e: Event) -> Meeting:
    item = state.items[e.data["item_id"]]
    changes = {k: e.data[k] for k in ("title", "description") if k in e.data}
    return _set_item(state, replace(item, **changes))


@_on("agenda.reordered")
def _reordered(state: Meeting, e: Event) -> Meeting:
    return replace(state, order=tuple(e.data["order"]))


@_on("agenda.item_removed")
def _item_removed(state: Meeting, e: Event) -> Meeting:
    item_id = e.data["item_id"]
    order = tuple(i for i in state.order if i != item_id)
    return replace(state, items=_without(state.items, item_id), order=order)


@_on("agenda.item_opened")
def _item_opened(state: Meeting, e: Event) -> Meeting:
    item = state.items[e.data["item_id"]]
    opened_at = item.opened_at or e.at
    item = replace(item, status=ItemStatus.OPEN, opened_at=opened_at, closed_at=None)
    return replace(_set_item(state, item), current_item=item.id)


@_on("agenda.item_closed")
def _item_closed(state: Meeting, e: Event) -> Meeting:
    item = replace(state.items[e.data["item_id"]], status=ItemStatus.CLOSED, closed_at=e.at)
    current = None if state.current_item == item.id else state.current_item
    return replace(_set_item(state, item), current_item=current)
