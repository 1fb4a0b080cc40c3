"""The catalogue of events: every event name, what it says, and the shape of its `data`.

Pure declarations, read by the protocol documents (`meeting.api.schema`) and by tests. Each
entry declares `data` exactly as `decide` produces it and the log stores it, and `wire`, the
shape clients receive after `views.project`: agenda orderings lose their `restricted` list
(and, for the public, the hidden ids). A test checks that the catalogue names exactly the
events `apply` knows and that every event of a sitting validates against its declarations.
This module must never hold behaviour: a rule belongs in `decide`, a fold in `apply`.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from .model import Access, ItemStatus, Role

__all__ = [
    "EVENTS",
    "BodyData",
    "ClosedSessionData",
    "EventKind",
    "ItemAddedData",
    "ItemAddedWire",
    "ItemData",
    "ItemEditedData",
    "ItemRefData",
    "MeetingCreatedData",
    "MemberData",
    "MemberRemovedData",
    "NoData",
    "ReorderedData",
    "ReorderedWire",
    "SnapshotItem",
    "declare",
    "kind",
]


class _Data(msgspec.Struct, forbid_unknown_fields=True):
    pass


class NoData(_Data):
    """Nothing beyond the event's name, time and actor."""


class BodyData(_Data):
    """The deliberative body and its statutory seat count."""

    id: str
    name: str
    seats: int


class MemberData(_Data):
    """One person of the roster; `seat` is null for people without a seat."""

    user_id: str
    name: str
    roles: list[Role]
    seat: int | None


class MeetingCreatedData(_Data):
    body: BodyData
    title: str
    place: str
    scheduled_for: str
    members: list[MemberData]


class MemberRemovedData(_Data):
    user_id: str


class ItemData(_Data):
    """An agenda item as it is added."""

    item_id: str
    title: str
    description: str
    access: Access
    urgent: bool


class ItemAddedData(_Data):
    """As logged: `order` is the whole agenda; `restricted` lists its closed-session items."""

    item: ItemData
    order: list[str]
    restricted: list[str]


class ItemAddedWire(_Data):
    """As sent: the public's `order` leaves out closed-session items."""

    item: ItemData
    order: list[str]


class ItemEditedData(_Data):
    """Only the fields that changed are present."""

    item_id: str
    title: str | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET


class ReorderedData(_Data):
    """As logged: `order` is the whole agenda; `restricted` lists its closed-session items."""

    order: list[str]
    restricted: list[str]


class ReorderedWire(_Data):
    """As sent: the public's `order` leaves out closed-session items."""

    order: list[str]


class ItemRefData(_Data):
    item_id: str


class ClosedSessionData(_Data):
    """`in_progress`: a closed-session item is now current (true) or no longer (false)."""

    in_progress: bool


class SnapshotItem(_Data):
    """An agenda item as a snapshot shows it."""

    item_id: str
    title: str
    description: str
    access: Access
    urgent: bool
    status: ItemStatus
    opened_at: str | None
    closed_at: str | None


@dataclass(frozen=True, slots=True)
class EventKind:
    """One event name: what it says, who sees it, its logged `data` and its `data` as sent."""

    name: str
    doc: str
    audience: str
    data: type[msgspec.Struct]
    wire: type[msgspec.Struct]


_EVERYONE = "everyone"
_ITEM = "those who may see the item"


def _kind(
    name: str,
    doc: str,
    data: type[msgspec.Struct],
    wire: type[msgspec.Struct] | None = None,
    audience: str = _EVERYONE,
) -> EventKind:
    return EventKind(name, doc, audience, data, wire or data)


EVENTS: dict[str, EventKind] = {
    k.name: k
    for k in (
        _kind(
            "meeting.created",
            "The meeting exists, with its body, title, place, date and roster.",
            MeetingCreatedData,
        ),
        _kind("member.set", "A person joined the roster or their details changed.", MemberData),
        _kind("member.removed", "A person left the roster.", MemberRemovedData),
        _kind("sitting.opened", "The chair opened the sitting.", NoData),
        _kind("sitting.closed", "The chair closed the sitting; the record is complete.", NoData),
        _kind(
            "agenda.item_added",
            "An item joined the agenda; `order` is the agenda's new order.",
            ItemAddedData,
            ItemAddedWire,
            _ITEM,
        ),
        _kind(
            "agenda.item_edited",
            "An item's title or description changed.",
            ItemEditedData,
            audience=_ITEM,
        ),
        _kind(
            "agenda.reordered",
            "The agenda has a new order.",
            ReorderedData,
            ReorderedWire,
        ),
        _kind(
            "agenda.item_removed",
            "An item that was never opened left the agenda.",
            ItemRefData,
            audience=_ITEM,
        ),
        _kind(
            "agenda.item_opened",
            "The item is now the current one on every screen.",
            ItemRefData,
            audience=_ITEM,
        ),
        _kind(
            "agenda.item_closed",
            "The item is closed; there is no current item until another opens.",
            ItemRefData,
            audience=_ITEM,
        ),
        _kind(
            "agenda.closed_session",
            "A closed session (họp kín) starts or ends; nothing of its item is said.",
            ClosedSessionData,
        ),
    )
}
"""Every event name, in the order a sitting meets them."""


def declare(*kinds: EventKind) -> None:
    """Add the events of another area of the rules to the catalogue."""
    for k in kinds:
        if k.name in EVENTS:
            raise ValueError(f"event {k.name!r} is declared twice")
        EVENTS[k.name] = k


kind = _kind
"""Build an `EventKind` (public name for the areas' own catalogue modules)."""
