"""`decide(state, actor, command, ctx) -> drafts`: the rules of a sitting.

Pure: no I/O, no clock, no randomness. The engine passes the time and a fresh id in `ctx`.
Each command is registered with the roles allowed to send it and its argument schema; a
refusal raises `DomainError` with a stable code and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from . import errors
from .commands import (
    AddItem,
    AddUrgentItem,
    Command,
    CreateMeeting,
    EditItem,
    ItemRef,
    MemberArgs,
    NoArgs,
    RemoveMember,
    Reorder,
)
from .errors import DomainError
from .events import Draft
from .model import Access, Actor, AgendaItem, ItemStatus, Meeting, Role, SittingStatus

__all__ = ["RULES", "Context", "Rule", "decide"]


@dataclass(frozen=True, slots=True)
class Context:
    """What the engine passes in: the meeting id, the server's time and a fresh unique id."""

    meeting_id: str
    now: str
    new_id: str


A = TypeVar("A", bound=msgspec.Struct)
Handler = Callable[[Meeting, Actor, Any, Context], list[Draft]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One command: who may send it, what arguments it takes, and what it does."""

    name: str
    args: type[msgspec.Struct]
    roles: frozenset[Role]
    handler: Handler
    doc: str


RULES: dict[str, Rule] = {}

STAFF = frozenset({Role.CHAIR, Role.CLERK, Role.ADMIN})
"""Who prepares the agenda: the chair, the clerk, and an administrator setting up."""
CHAIR = frozenset({Role.CHAIR})
ADMIN = frozenset({Role.ADMIN})


def _command(
    name: str, args: type[A], roles: frozenset[Role]
) -> Callable[[Callable[[Meeting, Actor, A, Context], list[Draft]]], Handler]:
    def register(fn: Callable[[Meeting, Actor, A, Context], list[Draft]]) -> Handler:
        handler: Handler = fn
        RULES[name] = Rule(name, args, roles, handler, (fn.__doc__ or "").strip())
        return handler

    return register


def decide(state: Meeting, actor: Actor, command: Command, ctx: Context) -> list[Draft]:
    """Check `command` against the rules and return the events it produces."""
    rule = RULES.get(command.name)
    if rule is None:
        raise DomainError(errors.UNKNOWN_COMMAND, f"unknown command {command.name!r}")
    if not state.created and command.name != "meeting.create":
        raise DomainError(errors.NOT_FOUND, "the meeting does not exist")
    if not (state.roles_of(actor) & rule.roles):
        allowed = ", ".join(sorted(rule.roles))
        raise DomainError(errors.NOT_ALLOWED, f"{command.name} needs the role: {allowed}")
    try:
        args = msgspec.convert(command.args, rule.args)
    except msgspec.ValidationError as exc:
        raise DomainError(errors.INVALID_ARGS, str(exc)) from None
    return rule.handler(state, actor, args, ctx)


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
    if any(Role.ADMIN in m.roles for m in members):
        raise DomainError(errors.INVALID_ARGS, "admin is a sign-in right, not a meeting role")
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


def _close_current(state: Meeting) -> list[Draft]:
    if state.current_item is None:
        return []
    current = state.items[state.current_item]
    data = {"item_id": current.id}
    return [Draft("agenda.item_closed", data, current.access.audience)]


# -- the meeting and its roster --------------------------------------------------------------


@_command("meeting.create", CreateMeeting, ADMIN)
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


@_command("member.set", MemberArgs, ADMIN)
def _set_member(state: Meeting, actor: Actor, args: MemberArgs, ctx: Context) -> list[Draft]:
    """Add a person to the roster or change their name, roles or seat."""
    others = [
        MemberArgs(m.user_id, m.name, list(m.roles), m.seat)
        for m in state.members.values()
        if m.user_id != args.user_id
    ]
    _check_seats([*others, args])
    return [Draft("member.set", _member_data(args))]


@_command("member.remove", RemoveMember, ADMIN)
def _remove_member(state: Meeting, actor: Actor, args: RemoveMember, ctx: Context) -> list[Draft]:
    """Take a person off the roster."""
    if args.user_id not in state.members:
        raise DomainError(errors.NOT_FOUND, f"no member {args.user_id!r}")
    return [Draft("member.removed", {"user_id": args.user_id})]


# -- the sitting -----------------------------------------------------------------------------


@_command("sitting.open", NoArgs, CHAIR)
def _open(state: Meeting, actor: Actor, args: NoArgs, ctx: Context) -> list[Draft]:
    """Open the sitting (khai mạc)."""
    if state.status is not SittingStatus.SCHEDULED:
        raise DomainError(errors.INVALID_STATE, f"the sitting is {state.status.value}")
    return [Draft("sitting.opened", {})]


@_command("sitting.close", NoArgs, CHAIR)
def _close(state: Meeting, actor: Actor, args: NoArgs, ctx: Context) -> list[Draft]:
    """Close the sitting (bế mạc); the current item is closed with it."""
    _open_sitting(state)
    return [*_close_current(state), Draft("sitting.closed", {})]


# -- the agenda ------------------------------------------------------------------------------


@_command("agenda.add_item", AddItem, STAFF)
def _add_item(state: Meeting, actor: Actor, args: AddItem, ctx: Context) -> list[Draft]:
    """Add an item to the agenda (before or during the sitting)."""
    _not_closed(state)
    item = AgendaItem(ctx.new_id, args.title, args.description, args.access)
    return [_add(state, item, args.position)]


@_command("agenda.add_urgent_item", AddUrgentItem, CHAIR)
def _add_urgent(state: Meeting, actor: Actor, args: AddUrgentItem, ctx: Context) -> list[Draft]:
    """Add an urgent item during the sitting, after the current item; optionally open it."""
    _open_sitting(state)
    item = AgendaItem(ctx.new_id, args.title, args.description, args.access, urgent=True)
    position = state.order.index(state.current_item) + 1 if state.current_item else None
    drafts = [_add(state, item, position)]
    if args.open:
        drafts += _close_current(state)
        drafts.append(Draft("agenda.item_opened", {"item_id": item.id}, item.access.audience))
    return drafts


@_command("agenda.edit_item", EditItem, STAFF)
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


@_command("agenda.reorder", Reorder, STAFF)
def _reorder(state: Meeting, actor: Actor, args: Reorder, ctx: Context) -> list[Draft]:
    """Put the agenda in a new order."""
    _not_closed(state)
    if sorted(args.item_ids) != sorted(state.order):
        raise DomainError(errors.INVALID_ARGS, "item_ids must list every agenda item once")
    data = {"order": list(args.item_ids), "restricted": _restricted(state)}
    return [Draft("agenda.reordered", data)]


@_command("agenda.remove_item", ItemRef, STAFF)
def _remove(state: Meeting, actor: Actor, args: ItemRef, ctx: Context) -> list[Draft]:
    """Remove an item that has never been opened (not once the sitting is closed)."""
    _not_closed(state)
    item = _item(state, args.item_id)
    if item.ever_opened:
        raise DomainError(errors.INVALID_STATE, "an item that has been opened stays on record")
    return [Draft("agenda.item_removed", {"item_id": item.id}, item.access.audience)]


@_command("agenda.open_item", ItemRef, CHAIR)
def _open_item(state: Meeting, actor: Actor, args: ItemRef, ctx: Context) -> list[Draft]:
    """Make an item the current one on every screen; the previous current item is closed."""
    _open_sitting(state)
    item = _item(state, args.item_id)
    if item.status is ItemStatus.OPEN:
        raise DomainError(errors.INVALID_STATE, "the item is open already")
    data = {"item_id": item.id}
    return [*_close_current(state), Draft("agenda.item_opened", data, item.access.audience)]


@_command("agenda.close_item", ItemRef, CHAIR)
def _close_item(state: Meeting, actor: Actor, args: ItemRef, ctx: Context) -> list[Draft]:
    """Close the current item."""
    item = _item(state, args.item_id)
    if item.status is not ItemStatus.OPEN:
        raise DomainError(errors.INVALID_STATE, "the item is not open")
    return [Draft("agenda.item_closed", {"item_id": item.id}, item.access.audience)]
