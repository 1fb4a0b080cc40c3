"""Attendance and quorum, and the helpers the floor's areas share.

A delegate checks in and out from her tablet; the chair or the clerk records anyone's
attendance (present, excused with a reason, absent) and corrects it, each entry kept with
what it corrected. The quorum rule is stored in the meeting (`attendance.set_quorum`).

For the other areas (votes record attendance as they open and refuse or flag a vote
without quorum):

- `present_delegates(state)`: the user ids of the roster's delegates present now;
- `quorum_status(state)`: `QuorumStatus(present, seats, required, met)`.

Pure, like every module of the domain: the engine passes the time in.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple

import msgspec

from . import errors
from .apply import on, set_in
from .commands import NoArgs
from .decide import CLERK, DELEGATE, STAFF, Context, command
from .errors import DomainError
from .events import Draft, Event
from .floor_args import RecordAttendance, SetQuorum
from .floor_shapes import (
    AttendanceRecordedData,
    CheckData,
    QuorumData,
    QuorumRuleData,
    QuorumSetData,
)
from .floor_state import AttendanceEntry, Presence, QuorumRule
from .model import Access, Actor, Audience, Meeting, Member, Role, SittingStatus

__all__ = ["QuorumStatus", "present_delegates", "quorum_status"]


class QuorumStatus(NamedTuple):
    """Delegates present, the body's statutory seats, the fewest present that meet the
    quorum rule, and whether they are met."""

    present: int
    seats: int
    required: int
    met: bool


def present_delegates(state: Meeting) -> frozenset[str]:
    """The user ids of the roster's delegates whose latest attendance is `present`."""
    return frozenset(
        user_id
        for user_id, entry in state.floor.attendance.items()
        if entry.presence is Presence.PRESENT and _is_delegate(state.members.get(user_id))
    )


def quorum_status(state: Meeting) -> QuorumStatus:
    """Whether the delegates present now meet the meeting's quorum rule (`QuorumRule`)."""
    return _quorum(state, state.floor.quorum, len(present_delegates(state)))


def _quorum(state: Meeting, rule: QuorumRule, present: int) -> QuorumStatus:
    required = rule.required(state.body.seats)
    return QuorumStatus(present, state.body.seats, required, present >= required)


def _is_delegate(member: Member | None) -> bool:
    return member is not None and Role.DELEGATE in member.roles


def _quorum_after(state: Meeting, user_id: str, presence: Presence) -> QuorumData:
    """The quorum as it will stand once `user_id`'s attendance is `presence`."""
    present = present_delegates(state) - {user_id}
    if presence is Presence.PRESENT:
        present |= {user_id}
    return QuorumData(*_quorum(state, state.floor.quorum, len(present)))


# -- shared by the floor's areas ------------------------------------------------------------


def plain(data: msgspec.Struct) -> dict[str, Any]:
    """An event's data from its declared shape, as plain JSON values."""
    built: dict[str, Any] = msgspec.to_builtins(data)
    return built


def set_floor(state: Meeting, **changes: Any) -> Meeting:
    return replace(state, floor=replace(state.floor, **changes))


def require_open(state: Meeting) -> None:
    if state.status is not SittingStatus.OPEN:
        raise DomainError(errors.INVALID_STATE, "the sitting is not open")


def require_not_closed(state: Meeting) -> None:
    if state.status is SittingStatus.CLOSED:
        raise DomainError(errors.INVALID_STATE, "the sitting is closed")


def sender(actor: Actor) -> str:
    """The sender's user id (commands of the floor are sent by people on the roster)."""
    if actor.user_id is None:
        raise DomainError(errors.NOT_ALLOWED, "sign in first")
    return actor.user_id


def member(state: Meeting, user_id: str) -> Member:
    found = state.members.get(user_id)
    if found is None:
        raise DomainError(errors.NOT_FOUND, f"no member {user_id!r}")
    return found


def is_closed(state: Meeting, item_id: str | None) -> bool:
    """True when `item_id` is a closed-session item (None: no item, a public moment)."""
    item = state.items.get(item_id) if item_id is not None else None
    return item is not None and item.access is not Access.PUBLIC


def here(state: Meeting) -> tuple[str | None, bool]:
    """The current item (None when no item is open) and whether it is a closed session."""
    return state.current_item, is_closed(state, state.current_item)


def seen_by(closed_session: bool) -> Audience:
    """Who sees what happens on an item: delegates and staff in a closed session."""
    return Audience.DELEGATES if closed_session else Audience.PUBLIC


# -- commands -------------------------------------------------------------------------------


@command("attendance.set_quorum", SetQuorum, CLERK)
def _set_quorum(state: Meeting, actor: Actor, args: SetQuorum, ctx: Context) -> list[Draft]:
    """Set the quorum: at least (`strict`: more than) a fraction of the body's seats."""
    require_not_closed(state)
    if args.numerator > args.denominator or (args.strict and args.numerator == args.denominator):
        raise DomainError(errors.INVALID_ARGS, "the quorum must be a fraction that can be met")
    rule = QuorumRule(args.numerator, args.denominator, args.strict, args.refuse_votes)
    if rule == state.floor.quorum:
        raise DomainError(errors.INVALID_STATE, "the quorum rule is that already")
    status = _quorum(state, rule, len(present_delegates(state)))
    shape = QuorumRuleData(rule.numerator, rule.denominator, rule.strict, rule.refuse_votes)
    return [Draft("attendance.quorum_set", plain(QuorumSetData(shape, QuorumData(*status))))]


@command("attendance.check_in", NoArgs, DELEGATE)
def _check_in(state: Meeting, actor: Actor, args: NoArgs, ctx: Context) -> list[Draft]:
    """Check in from one's own tablet (có mặt)."""
    require_not_closed(state)
    user_id = sender(actor)
    if user_id in present_delegates(state):
        raise DomainError(errors.INVALID_STATE, "you are checked in already")
    quorum = _quorum_after(state, user_id, Presence.PRESENT)
    return [Draft("attendance.checked_in", plain(CheckData(user_id, quorum)))]


@command("attendance.check_out", NoArgs, DELEGATE)
def _check_out(state: Meeting, actor: Actor, args: NoArgs, ctx: Context) -> list[Draft]:
    """Check out when leaving the hall: absent from now on, until checked in again."""
    require_not_closed(state)
    user_id = sender(actor)
    if user_id not in present_delegates(state):
        raise DomainError(errors.INVALID_STATE, "you are not checked in")
    quorum = _quorum_after(state, user_id, Presence.ABSENT)
    return [Draft("attendance.checked_out", plain(CheckData(user_id, quorum)))]


@command("attendance.record", RecordAttendance, STAFF)
def _record(state: Meeting, actor: Actor, args: RecordAttendance, ctx: Context) -> list[Draft]:
    """Record or correct a delegate's attendance: present, excused (with a reason) or absent."""
    require_not_closed(state)
    if not _is_delegate(state.members.get(args.user_id)):
        raise DomainError(errors.NOT_FOUND, f"no delegate {args.user_id!r}")
    if args.presence is Presence.EXCUSED and not args.reason.strip():
        raise DomainError(errors.INVALID_ARGS, "an excused absence needs its reason")
    before = state.floor.attendance.get(args.user_id)
    if before is not None and (before.presence, before.reason) == (args.presence, args.reason):
        raise DomainError(errors.INVALID_STATE, "that attendance is recorded already")
    quorum = _quorum_after(state, args.user_id, args.presence)
    previous = before.presence if before is not None else None
    data = AttendanceRecordedData(args.user_id, args.presence, args.reason, previous, quorum)
    return [Draft("attendance.recorded", plain(data))]


# -- folding the events ---------------------------------------------------------------------


def _attend(state: Meeting, e: Event, presence: Presence, reason: str = "") -> Meeting:
    user_id = e.data["user_id"]
    before = state.floor.attendance.get(user_id)
    previous = before.presence if before is not None else None
    entry = AttendanceEntry(user_id, presence, reason, e.at, e.actor, previous)
    return set_floor(
        state,
        attendance=set_in(state.floor.attendance, user_id, entry),
        attendance_log=(*state.floor.attendance_log, entry),
    )


@on("attendance.quorum_set")
def _quorum_set(state: Meeting, e: Event) -> Meeting:
    rule = e.data["rule"]
    return set_floor(
        state,
        quorum=QuorumRule(
            rule["numerator"], rule["denominator"], rule["strict"], rule["refuse_votes"]
        ),
    )


@on("attendance.checked_in")
def _checked_in(state: Meeting, e: Event) -> Meeting:
    return _attend(state, e, Presence.PRESENT)


@on("attendance.checked_out")
def _checked_out(state: Meeting, e: Event) -> Meeting:
    return _attend(state, e, Presence.ABSENT)


@on("attendance.recorded")
def _recorded(state: Meeting, e: Event) -> Meeting:
    return _attend(state, e, Presence(e.data["presence"]), e.data["reason"])
