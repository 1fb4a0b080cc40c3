"""Command names and their argument schemas: the commands a client may send.

Each schema is a msgspec Struct; unknown fields are refused so that a typo never passes
silently. The wire documents (AsyncAPI) are generated from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from .model import Access, Role

__all__ = [
    "AddItem",
    "AddUrgentItem",
    "BodyArgs",
    "Command",
    "CreateMeeting",
    "EditItem",
    "ItemRef",
    "MemberArgs",
    "NoArgs",
    "RemoveMember",
    "Reorder",
]

Title = Annotated[str, Meta(min_length=1, max_length=500)]
Text = Annotated[str, Meta(max_length=20_000)]
Id = Annotated[str, Meta(min_length=1, max_length=64)]


@dataclass(frozen=True, slots=True)
class Command:
    """A command as the engine hands it to `decide`: a name and raw JSON arguments."""

    name: str
    args: dict[str, Any]


class _Args(msgspec.Struct, forbid_unknown_fields=True):
    pass


class NoArgs(_Args):
    """No arguments."""


class BodyArgs(_Args):
    id: Id
    name: Title
    seats: Annotated[int, Meta(ge=1, le=10_000)]


class MemberArgs(_Args):
    """A person in the meeting's roster, with roles and (for delegates) a seat number."""

    user_id: Id
    name: Title
    roles: Annotated[list[Role], Meta(min_length=1)]
    seat: Annotated[int, Meta(ge=1, le=10_000)] | None = None


class CreateMeeting(_Args):
    """Create the meeting: its body, title and roster. Admin only, once."""

    body: BodyArgs
    title: Title
    place: Text = ""
    scheduled_for: Text = ""
    members: list[MemberArgs] = []


class RemoveMember(_Args):
    user_id: Id


class AddItem(_Args):
    """Add an agenda item; `position` is 0-based, at the end when omitted."""

    title: Title
    description: Text = ""
    access: Access = Access.PUBLIC
    position: Annotated[int, Meta(ge=0)] | None = None


class AddUrgentItem(_Args):
    """Add an item during the sitting, right after the current one; `open` opens it at once."""

    title: Title
    description: Text = ""
    access: Access = Access.PUBLIC
    open: bool = False


class EditItem(_Args):
    item_id: Id
    title: Title | None = None
    description: Text | None = None


class Reorder(_Args):
    """The new order: every item id of the agenda, each once."""

    item_ids: list[Id]


class ItemRef(_Args):
    item_id: Id
