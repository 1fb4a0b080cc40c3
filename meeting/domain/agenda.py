"""The sitting and its agenda: create the meeting, roster, open/close, agenda items.

Commands are registered in `decide.RULES`, event handlers in `apply.APPLIERS`. Other areas
say what closing the sitting means for them with `on_sitting_close` (a running speech ends;
an open vote refuses it), so that this module needs to know nothing of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from . import errors
from .apply import on, set_in, without
from .commands import (
    AddItem,
    AddUrgentItem,
    CreateMeeting,
    EditItem,
    ItemRef,
    MemberArgs,
    NoArgs,
    RemoveMember,
    Reorder,
)
from .decide import ADMIN, CHAIR, CLERK, STAFF, Context, command, returns
from .errors import DomainError
from .events import Draft, Event
from .model import (
    MEETING_ROLES,
    Access,
    Actor,
    AgendaItem,
    Body,
    ItemStatus,
    Meeting,
    Member,
    Role,
    SittingStatus,
)
from .views import in_closed_session

__all__ = ["on_item_close", "on_sitting_close"]

_ITEM_ID = returns("agenda.item_added", "item", "item_id")
"""The ack of a command that adds an item gives the new item's id."""


SittingClose = Callable[[Meeting, Context], list[Draft]]
_ON_CLOSE: list[SittingClose] = []


ItemClose = Callable[[Meeting, str, Context], list[Draft]]
_ON_ITEM_CLOSE: list[ItemClose] = []


def on_item_close(fn: ItemClose) -> ItemClose:
    """Register what closing the current item (to open another, or none) does to one area:
    the events to log before `agenda.item_closed` (e.g. the end of a speech on it)."""
    _ON_ITEM_CLOSE.append(fn)
    return fn


def on_sitting_close(fn: SittingClose) -> SittingClose:
    """Register what closing the sitting does to one area: the events to log before
    `sitting.closed` (e.g. the end of a running speech), or a `DomainError` to refuse it."""
    _ON_CLOSE.append(fn)
    return fn


# -- helpers ---------------------------------------------------------------------------------


def _item(state: Meeting, item_id: str) -> AgendaItem:
    item = state.items.get(item_id)
    if item is None:
        raise DomainError(errors.NOT_FOUND, f"no agenda item {item_id!r}")
    return item


def _not_closed(state: Meeting) -> None:
    if state.status is SittingStatus.CLOSED:
        raise DomainError(errors.INVALID_STATE, "the sitting is closed")


def _open_sitting(state: Meeting) -> None:
    if state.status is not SittingStatus.OPEN:
        raise DomainError(errors.INVALID_STATE, "the sitting is not open")


def _restricted(state: Meeting, extra: AgendaItem | None = None) -> list[str]:
    items = list(state.items.values()) + ([extra] if extra else [])
    return [i.id for i in items if i.access is not Access.PUBLIC]


def _item_data(item: AgendaItem) -> dict[str, Any]:
    return {
        "item_id": item.id,
        "title": item.title,
        "description": item.description,
        "access": item.access.value,
        "urgent": item.urgent,
    }


def _member_data(m: MemberArgs) -> dict[str, Any]:
    return {"user_id": m.user_id, "name": m.name, "roles": sorted(set(m.roles)), "seat": m.seat}


def _check_seats(members: list[MemberArgs]) -> None:
    if any(set(m.roles) - MEETING_ROLES for m in members):
        raise DomainError(errors.INVALID_ARGS, "admin and server are not meeting roles")
    seats = [m.seat for m in members if m.seat is not None]
    if len(seats) != len(set(seats)):
        raise DomainError(errors.INVALID_ARGS, "two members share a seat number")
    ids = [m.user_id for m in members]
    if len(ids) != len(set(ids)):
        raise DomainError(errors.INVALID_ARGS, "a user is listed twice")


def _add(state: Meeting, item: AgendaItem, position: int | None) -> Draft:
    order = list(state.order)
    order.insert(len(order) if position is None else min(position, len(order)), item.id)
    data = {"item": _item_data(item), "order": order, "restricted": _restricted(state, item)}
    return Draft("agenda.item_added", data, item.access.audience)


def _closed_session(in_progress: bool) -> Draft:
    # For everyone: the public hears that a closed session starts or ends, and nothing else
    # of it (the item, its id, its title stay with delegates and staff).
    return Draft("agenda.closed_session", {"in_progress": in_progress})


def _move(state: Meeting, opening: AgendaItem | None, ctx: Context | None) -> list[Draft]:
    """Close the current item and open `opening` (None: no item), telling everyone when a
    closed session starts or ends on the way. With `ctx`, the areas first end what ran on the
    closing item (`on_item_close`); closing the sitting does that with its own hooks."""
    was = in_closed_session(state)
    will = opening is not None and opening.access is not Access.PUBLIC
    drafts = []
    if state.current_item is not None:
        current = state.items[state.current_item]
        if ctx is not None:
            drafts += [d for area in _ON_ITEM_CLOSE for d in area(state, current.id, ctx)]
        data = {"item_id": current.id}
        drafts.append(Draft("agenda.item_closed", data, current.access.audience))
    if was and not will:
        drafts.append(_closed_session(False))
    if opening is not None:
        data = {"item_id": opening.id}
        drafts.append(Draft("agenda.item_opened", data, opening.access.audience))
    if will and not was:
        drafts.append(_closed_session(True))
    return drafts


# -- the meeting and its roster --------------------------------------------------------------


@command("meeting.create", CreateMeeting, ADMIN)
def _create(state: Meeting, actor: Actor, args: CreateMeeting, ctx: Context) -> list[Draft]:
    """Create the meeting with its body, title, place, date and roster."""
    if state.created:
        raise DomainError(errors.INVALID_STATE, "the meeting exists already")
    _check_seats(args.members)
    data = {
        "body": {"id": args.body.id, "name": args.body.name, "seats": args.body.seats},
        "title": args.title,
        "place": args.place,
        "scheduled_for": args.scheduled_for,
        "members": [_member_data(m) for m in args.members],
    }
    return [Draft("meeting.created", data)]


ROSTER_ROLES = frozenset({Role.DELEGATE, Role.OBSERVER})
"""The roles the clerk manages in the roster; only an administrator gives or takes the
chair's and the clerk's."""


def _may_keep_roster(state: Meeting, actor: Actor, user_id: str, roles: list[Role]) -> None:
    """A clerk keeps the delegates and observers of the roster (the council's office prepares
    them); giving or taking the chair's or a clerk's role stays an administrator's act."""
    if actor.is_admin:
        return
    before = state.members.get(user_id)
    touched = set(roles) | (set(before.roles) if before is not None else set())
    if not touched <= ROSTER_ROLES:
        raise DomainError(
            errors.NOT_ALLOWED, "only an administrator gives or changes a chair's or clerk's role"
        )


@command("member.set", MemberArgs, CLERK)
def _set_member(state: Meeting, actor: Actor, args: MemberArgs, ctx: Context) -> list[Draft]:
    """Add a person to the roster or change their name, roles or seat (a clerk: delegates
    and observers only)."""
    others = [
        MemberArgs(m.user_id, m.name, list(m.roles), m.seat)
        for m in state.members.values()
        if m.user_id != args.user_id
    ]
    _check_seats([*others, args])
    _may_keep_roster(state, actor, args.user_id, args.roles)
    return [Draft("member.set", _member_data(args))]


@command("member.remove", RemoveMember, CLERK)
def _remove_member(state: Meeting, actor: Actor, args: RemoveMember, ctx: Context) -> list[Draft]:
    """Take a person off the roster (a clerk: delegates and observers only)."""
    if args.user_id not in state.members:
        raise DomainError(errors.NOT_FOUND, f"no member {args.user_id!r}")
    _may_keep_roster(state, actor, args.user_id, [])
    return [Draft("member.removed", {"user_id": args.user_id})]


# -- the sitting -----------------------------------------------------------------------------


@command("sitting.open", NoArgs, CHAIR)
def _open(state: Meeting, actor: Actor, args: NoArgs, ctx: Context) -> list[Draft]:
    """Open the sitting (khai mạc)."""
    if state.status is not SittingStatus.SCHEDULED:
        raise DomainError(errors.INVALID_STATE, f"the sitting is {state.status.value}")
    return [Draft("sitting.opened", {})]


@command("sitting.close", NoArgs, CHAIR)
def _close(state: Meeting, actor: Actor, args: NoArgs, ctx: Context) -> list[Draft]:
    """Close the sitting (bế mạc): a running speech ends and the current item closes with it
    (refused while a vote is open)."""
    _open_sitting(state)
    ending = [d for area in _ON_CLOSE for d in area(state, ctx)]
    return [*ending, *_move(state, None, None), Draft("sitting.closed", {})]


# -- the agenda ------------------------------------------------------------------------------


@command("agenda.add_item", AddItem, STAFF, result=_ITEM_ID)
def _add_item(state: Meeting, actor: Actor, args: AddItem, ctx: Context) -> list[Draft]:
    """Add an item to the agenda (before or during the sitting)."""
    _not_closed(state)
    item = AgendaItem(ctx.new_id, args.title, args.description, args.access)
    return [_add(state, item, args.position)]


@command("agenda.add_urgent_item", AddUrgentItem, CHAIR, result=_ITEM_ID)
def _add_urgent(state: Meeting, actor: Actor, args: AddUrgentItem, ctx: Context) -> list[Draft]:
    """Add an urgent item during the sitting, after the current item; optionally open it."""
    _open_sitting(state)
    item = AgendaItem(ctx.new_id, args.title, args.description, args.access, urgent=True)
    position = state.order.index(state.current_item) + 1 if state.current_item else None
    drafts = [_add(state, item, position)]
    if args.open:
        drafts += _move(state, item, ctx)
    return drafts


@command("agenda.edit_item", EditItem, STAFF)
def _edit(state: Meeting, actor: Actor, args: EditItem, ctx: Context) -> list[Draft]:
    """Change an item's title or description (not once it is closed)."""
    _not_closed(state)
    item = _item(state, args.item_id)
    if item.status is ItemStatus.CLOSED:
        raise DomainError(errors.INVALID_STATE, "a closed item cannot be edited")
    if args.title is None and args.description is None:
        raise DomainError(errors.INVALID_ARGS, "nothing to change")
    data: dict[str, Any] = {"item_id": item.id}
    if args.title is not None:
        data["title"] = args.title
    if args.description is not None:
        data["description"] = args.description
    return [Draft("agenda.item_edited", data, item.access.audience)]


@command("agenda.reorder", Reorder, STAFF)
def _reorder(state: Meeting, actor: Actor, args: Reorder, ctx: Context) -> list[Draft]:
    """Put the agenda in a new order."""
    _not_closed(state)
    if sorted(args.item_ids) != sorted(state.order):
        raise DomainError(errors.INVALID_ARGS, "item_ids must list every agenda item once")
    data = {"order": list(args.item_ids), "restricted": _restricted(state)}
    return [Draft("agenda.reordered", data)]


@command("agenda.remove_item", ItemRef, STAFF)
def _remove(state: Meeting, actor: Actor, args: ItemRef, ctx: Context) -> list[Draft]:
    """Remove an item that has never been opened (not once the sitting is closed)."""
    _not_closed(state)
    item = _item(state, args.item_id)
    if item.ever_opened:
        raise DomainError(errors.INVALID_STATE, "an item that has been opened stays on record")
    return [Draft("agenda.item_removed", {"item_id": item.id}, item.access.audience)]


@command("agenda.open_item", ItemRef, CHAIR)
def _open_item(state: Meeting, actor: Actor, args: ItemRef, ctx: Context) -> list[Draft]:
    """Make an item the current one on every screen; the previous current item is closed."""
    _open_sitting(state)
    item = _item(state, args.item_id)
    if item.status is ItemStatus.OPEN:
        raise DomainError(errors.INVALID_STATE, "the item is open already")
    return _move(state, item, ctx)


@command("agenda.close_item", ItemRef, CHAIR)
def _close_item(state: Meeting, actor: Actor, args: ItemRef, ctx: Context) -> list[Draft]:
    """Close the current item."""
    item = _item(state, args.item_id)
    if item.status is not ItemStatus.OPEN:
        raise DomainError(errors.INVALID_STATE, "the item is not open")
    return _move(state, None, ctx)  # an open item is the current one


# -- folding the events -----------------------------------------------------------------


def _member(d: Mapping[str, Any]) -> Member:
    return Member(d["user_id"], d["name"], frozenset(Role(r) for r in d["roles"]), d.get("seat"))


def _set_item(state: Meeting, item: AgendaItem) -> Meeting:
    return replace(state, items=set_in(state.items, item.id, item))


@on("meeting.created")
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


@on("member.set")
def _member_set(state: Meeting, e: Event) -> Meeting:
    member = _member(e.data)
    return replace(state, members=set_in(state.members, member.user_id, member))


@on("member.removed")
def _member_removed(state: Meeting, e: Event) -> Meeting:
    return replace(state, members=without(state.members, e.data["user_id"]))


@on("sitting.opened")
def _opened(state: Meeting, e: Event) -> Meeting:
    return replace(state, status=SittingStatus.OPEN, opened_at=e.at)


@on("sitting.closed")
def _closed(state: Meeting, e: Event) -> Meeting:
    return replace(state, status=SittingStatus.CLOSED, closed_at=e.at)


@on("agenda.item_added")
def _item_added(state: Meeting, e: Event) -> Meeting:
    d = e.data["item"]
    item = AgendaItem(d["item_id"], d["title"], d["description"], Access(d["access"]))
    item = replace(item, urgent=d["urgent"])
    state = _set_item(state, item)
    return replace(state, order=tuple(e.data["order"]))


@on("agenda.item_edited")
def _item_edited(state: Meeting, e: Event) -> Meeting:
    item = state.items[e.data["item_id"]]
    changes = {k: e.data[k] for k in ("title", "description") if k in e.data}
    return _set_item(state, replace(item, **changes))


@on("agenda.reordered")
def _reordered(state: Meeting, e: Event) -> Meeting:
    return replace(state, order=tuple(e.data["order"]))


@on("agenda.item_removed")
def _item_removed(state: Meeting, e: Event) -> Meeting:
    item_id = e.data["item_id"]
    order = tuple(i for i in state.order if i != item_id)
    return replace(state, items=without(state.items, item_id), order=order)


@on("agenda.item_opened")
def _item_opened(state: Meeting, e: Event) -> Meeting:
    item = state.items[e.data["item_id"]]
    opened_at = item.opened_at or e.at
    item = replace(item, status=ItemStatus.OPEN, opened_at=opened_at, closed_at=None)
    return replace(_set_item(state, item), current_item=item.id)


@on("agenda.closed_session")
def _closed_session_marked(state: Meeting, e: Event) -> Meeting:
    # The state has it already: the current item is a closed-session item or not.
    return state


@on("agenda.item_closed")
def _item_closed(state: Meeting, e: Event) -> Meeting:
    item = replace(state.items[e.data["item_id"]], status=ItemStatus.CLOSED, closed_at=e.at)
    current = None if state.current_item == item.id else state.current_item
    return replace(_set_item(state, item), current_item=current)
