"""What the server sends, declared once: WebSocket frames and HTTP response bodies.

The client's own messages live in `messages`, the event payloads in
`meeting.domain.catalog`. `meeting.api.schema` builds the AsyncAPI and OpenAPI documents
from these declarations, and a test checks real frames and responses against them. Error
`code` fields are plain strings here; the documents narrow them to `errors.CODES`.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from meeting.domain.model import Audience, Role, SittingStatus
from meeting.domain.snapshot_schema import Snapshot

__all__ = [
    "Ack",
    "BodyRef",
    "CommandResult",
    "ErrorFrame",
    "EventFrame",
    "EventsFrame",
    "EventsPage",
    "Failure",
    "Health",
    "LoginResult",
    "LogoutResult",
    "MeetingList",
    "MeetingSummary",
    "MeetingView",
    "UserInfo",
    "Welcome",
    "You",
]


class _Body(msgspec.Struct, forbid_unknown_fields=True):
    pass


class _Frame(msgspec.Struct, tag_field="type", forbid_unknown_fields=True):
    pass


# -- WebSocket frames (server → client) ------------------------------------------------------


class You(_Body):
    """Who the connection is: null ids and names for the public view."""

    user_id: str | None
    name: str | None
    roles: list[Role]
    audience: Audience


class Welcome(_Frame, tag="welcome"):
    """The answer to `hello`: a replay follows (`replay`), or `snapshot` is the state."""

    you: You
    seq: int
    snapshot: Snapshot | None
    replay: bool
    now: str
    """The server's time as it answers: a tablet takes its clock offset from it (timers)."""


class EventFrame(_Frame, tag="event"):
    """One event of the log, as this connection's audience may see it."""

    seq: int
    name: str
    at: str
    actor: str | None
    data: dict[str, Any]


class EventsFrame(_Frame, tag="events"):
    """Events committed together, in one frame, in `seq` order."""

    events: list[EventFrame]


class Ack(_Frame, tag="ack"):
    """The command `id` is durably recorded; `seq` is the last event it produced."""

    id: str
    seq: int
    result: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    """What the command made, for those that create something (the commands table says
    which): e.g. `{"vote_id": "…"}`. A retry with the same `id` gets the same result."""


class ErrorFrame(_Frame, tag="error"):
    """A refusal; `id` is null when the frame could not be read as a command."""

    id: str | None
    code: str
    message: str


# -- HTTP response bodies --------------------------------------------------------------------


class Failure(_Body):
    """Every HTTP refusal; `id` echoes the command's id when there was one."""

    code: str
    message: str
    id: str | msgspec.UnsetType = msgspec.UNSET


class UserInfo(_Body):
    id: str
    name: str
    is_admin: bool


class LoginResult(_Body):
    """A bearer token (valid `MEETING_TOKEN_TTL` seconds) and who it belongs to."""

    token: str
    user: UserInfo


class LogoutResult(_Body):
    ok: bool


class BodyRef(_Body):
    id: str
    name: str


class MeetingSummary(_Body):
    """A meeting in a listing, with the caller's roles in it."""

    id: str
    title: str
    body: BodyRef
    status: SittingStatus
    scheduled_for: str
    seq: int
    roles: list[Role]


class MeetingList(_Body):
    meetings: list[MeetingSummary]


class MeetingView(_Body):
    """The meeting at `seq`, as the caller's audience sees it."""

    seq: int
    snapshot: Snapshot
    now: str
    """The server's time as it answers: a client takes its clock offset from it (timers)."""


class EventsPage(_Body):
    """Events after `since` up to `until` for the caller; `more` means ask again from `until`."""

    seq: int
    until: int
    more: bool
    events: list[EventFrame]
    now: str
    """The server's time as it answers (after any wait): the client's clock offset."""


class CommandResult(_Body):
    """The command `id` is durably recorded; `seq` is the last event it produced."""

    id: str
    seq: int
    result: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    """What the command made, as in the WebSocket's `ack`: e.g. `{"vote_id": "…"}`."""


class Health(_Body):
    """Liveness, database and hub status. `status` is `degraded` when either fails; HTTP 503
    only when the database fails (without the hub a process still records commands)."""

    status: Literal["ok", "degraded"]
    database: str
    hub: str
    meetings: int
    broken_meetings: list[str]
    connections: int
