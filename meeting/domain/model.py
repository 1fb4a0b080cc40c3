"""The state of one meeting, as folded from its event log.

Everything here is immutable: `apply` builds a new state and shares what did not change.
Nothing here does I/O, reads a clock or draws a random number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from .devices_state import Devices
from .floor_state import Floor
from .record_state import Record

if TYPE_CHECKING:
    from .papers_state import Papers
    from .vote_state import Votes

__all__ = [
    "EMPTY",
    "MEETING_ROLES",
    "Access",
    "Actor",
    "AgendaItem",
    "Audience",
    "Body",
    "ItemStatus",
    "Meeting",
    "Member",
    "Role",
    "SittingStatus",
]


class Role(StrEnum):
    """A person's role in one meeting. A user may hold several (a chair is usually a delegate)."""

    CHAIR = "chair"
    CLERK = "clerk"
    DELEGATE = "delegate"
    OBSERVER = "observer"
    ADMIN = "admin"
    SERVER = "server"
    """The server itself, acting on a deadline it set (a vote's time is up, a timer runs out)."""


MEETING_ROLES = frozenset({Role.CHAIR, Role.CLERK, Role.DELEGATE, Role.OBSERVER})
"""The roles a roster may give; admin and server are rights of the installation."""


class Audience(StrEnum):
    """Who may see an event or a view. Each level sees everything the levels below it see."""

    PUBLIC = "public"
    DELEGATES = "delegates"
    STAFF = "staff"

    @property
    def rank(self) -> int:
        return _AUDIENCE_RANK[self]

    def sees(self, level: Audience) -> bool:
        """True when this audience may see something published at `level`."""
        return _AUDIENCE_RANK[self] >= _AUDIENCE_RANK[level]


_AUDIENCE_RANK = {Audience.PUBLIC: 0, Audience.DELEGATES: 1, Audience.STAFF: 2}


class Access(StrEnum):
    """Who may see an agenda item: everyone, or delegates and staff only (a closed session)."""

    PUBLIC = "public"
    DELEGATES = "delegates"

    @property
    def audience(self) -> Audience:
        return Audience.PUBLIC if self is Access.PUBLIC else Audience.DELEGATES


class SittingStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class ItemStatus(StrEnum):
    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Body:
    """The deliberative body holding the meeting, with its statutory seat count."""

    id: str
    name: str
    seats: int


@dataclass(frozen=True, slots=True)
class Member:
    """A person taking part in the meeting. `seat` is set for delegates."""

    user_id: str
    name: str
    roles: frozenset[Role]
    seat: int | None = None

    @property
    def audience(self) -> Audience:
        return audience_for(self.roles)


def audience_for(roles: frozenset[Role]) -> Audience:
    """The widest audience a set of roles belongs to."""
    if roles & {Role.CHAIR, Role.CLERK, Role.ADMIN}:
        return Audience.STAFF
    if Role.DELEGATE in roles:
        return Audience.DELEGATES
    return Audience.PUBLIC


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sends a command: an authenticated user id (None for anonymous) and the admin flag.

    Roles are not taken from the actor: they are looked up in the meeting's own roster, so a
    message can never claim a role.
    """

    user_id: str | None
    is_admin: bool = False
    is_server: bool = False
    proofs: frozenset[str] = frozenset()
    """What the API verified with this command, e.g. "pin" (the delegate's PIN) or
    "paired_device" (the command comes from the delegate's own paired tablet)."""


@dataclass(frozen=True, slots=True)
class AgendaItem:
    id: str
    title: str
    description: str
    access: Access
    status: ItemStatus = ItemStatus.PENDING
    urgent: bool = False
    opened_at: str | None = None
    closed_at: str | None = None

    @property
    def ever_opened(self) -> bool:
        return self.opened_at is not None


def _frozen_map() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Meeting:
    """One meeting (a sitting of a body) at a given `seq` of its log."""

    id: str = ""
    seq: int = 0
    created: bool = False
    body: Body = Body("", "", 0)
    title: str = ""
    place: str = ""
    scheduled_for: str = ""
    status: SittingStatus = SittingStatus.SCHEDULED
    opened_at: str | None = None
    closed_at: str | None = None
    members: Mapping[str, Member] = field(default_factory=_frozen_map)  # type: ignore[arg-type]
    items: Mapping[str, AgendaItem] = field(default_factory=_frozen_map)  # type: ignore[arg-type]
    order: tuple[str, ...] = ()
    current_item: str | None = None
    floor: Floor = field(default_factory=Floor)
    devices: Devices = field(default_factory=Devices)
    record: Record = field(default_factory=Record)
    votes: Votes = field(default_factory=lambda: _votes())
    papers: Papers = field(default_factory=lambda: _papers())

    def roles_of(self, actor: Actor) -> frozenset[Role]:
        if actor.is_server:
            return frozenset({Role.SERVER})
        member = self.members.get(actor.user_id) if actor.user_id else None
        roles = member.roles if member else frozenset()
        return roles | {Role.ADMIN} if actor.is_admin else roles

    def audience_of(self, actor: Actor) -> Audience:
        return audience_for(self.roles_of(actor))

    @property
    def delegates(self) -> list[Member]:
        return sorted(
            (m for m in self.members.values() if Role.DELEGATE in m.roles),
            key=lambda m: (m.seat is None, m.seat or 0, m.name),
        )


def _votes() -> Votes:
    from .vote_state import Votes

    return Votes()


def _papers() -> Papers:
    from .papers_state import Papers

    return Papers()


EMPTY = Meeting()
"""The state before the first event of any meeting."""
