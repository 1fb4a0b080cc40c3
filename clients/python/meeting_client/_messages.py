"""The wire messages, declared once, and the pure functions that read and write them.

This module owns the shape of every frame and HTTP body the client exchanges with the
server (``docs/protocol.md``). It never touches a socket and never imports the server's
``meeting`` package: the protocol document is the only contract between the two.

Events stay plain ``dict`` objects: a client must keep the fields it does not know yet
(the server may add some), and callers read them as JSON.
"""

from __future__ import annotations

from typing import Any, TypeAlias, TypeVar

import msgspec

from ._exceptions import ProtocolError

__all__ = [
    "Ack",
    "CommandResult",
    "ErrorBody",
    "ErrorReply",
    "Event",
    "EventBatch",
    "EventPage",
    "LoginResult",
    "MeetingView",
    "ServerMessage",
    "Welcome",
    "decode_body",
    "encode_command",
    "encode_hello",
    "parse_server_frame",
]

Event: TypeAlias = dict[str, Any]
Body = TypeVar("Body", bound=msgspec.Struct)


# Client → server.


class Hello(msgspec.Struct, tag_field="type", tag="hello"):
    token: str | None
    since: int | None


class Command(msgspec.Struct, tag_field="type", tag="command"):
    id: str
    name: str
    args: dict[str, Any]


# Server → client. ``event`` and ``events`` frames are read by hand, into ``EventBatch``.


class Welcome(msgspec.Struct, tag_field="type", tag="welcome"):
    seq: int
    you: dict[str, Any] | None = None
    snapshot: dict[str, Any] | None = None
    replay: bool = False


class Ack(msgspec.Struct, tag_field="type", tag="ack"):
    id: str
    seq: int
    result: dict[str, Any] | None = None


class ErrorReply(msgspec.Struct, tag_field="type", tag="error"):
    code: str
    message: str = ""
    id: str | None = None


class EventBatch(msgspec.Struct):
    """One ``event`` frame or one ``events`` frame: events committed together."""

    events: list[Event]


ServerMessage: TypeAlias = Welcome | Ack | ErrorReply | EventBatch

# HTTP bodies.


class LoginResult(msgspec.Struct):
    token: str
    user: dict[str, Any] | None = None


class MeetingView(msgspec.Struct, frozen=True):
    """``GET /api/meetings/{id}``: the meeting as this user's audience sees it at ``seq``."""

    seq: int
    snapshot: dict[str, Any]


class EventPage(msgspec.Struct, frozen=True):
    """``GET /api/meetings/{id}/events``: the events after ``since``.

    When ``since`` is older than the server keeps, ``events`` is empty and ``snapshot``
    holds the whole meeting at ``seq`` instead.
    """

    seq: int
    events: list[Event] = []
    snapshot: dict[str, Any] | None = None


class CommandResult(msgspec.Struct):
    """An accepted command: its id, the ``seq`` of its last event, and what it created
    (``result``, e.g. ``{"vote_id": …}`` for ``vote.schedule``; None for most commands)."""

    id: str
    seq: int
    result: dict[str, Any] | None = None


class ErrorBody(msgspec.Struct):
    code: str
    message: str = ""
    id: str | None = None


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()
_CONTROL: dict[object, type[Welcome | Ack | ErrorReply]] = {
    "welcome": Welcome,
    "ack": Ack,
    "error": ErrorReply,
}


def encode_hello(token: str | None, since: int | None) -> bytes:
    return _encoder.encode(Hello(token=token, since=since))


def encode_command(id: str, name: str, args: dict[str, Any]) -> bytes:
    return _encoder.encode(Command(id=id, name=name, args=args))


def parse_server_frame(raw: str | bytes) -> ServerMessage | None:
    """Read one frame from the server; ``None`` for a ``type`` this client does not know.

    Unknown types are skipped so that a newer server can add frames; a known type with
    wrong fields raises ``ProtocolError``.
    """
    try:
        frame = _decoder.decode(raw)
    except msgspec.DecodeError as exc:
        raise ProtocolError("the server sent a frame that is not JSON") from exc
    if not isinstance(frame, dict):
        raise ProtocolError("the server sent a frame that is not a JSON object")
    kind = frame.get("type")
    if kind == "event":
        return EventBatch([_checked_event(frame)])
    if kind == "events":
        events = frame.get("events")
        if not isinstance(events, list):
            raise ProtocolError("an 'events' frame without an 'events' list")
        return EventBatch([_checked_event(event) for event in events])
    control = _CONTROL.get(kind)
    if control is None:
        return None
    try:
        return msgspec.convert(frame, control)
    except msgspec.ValidationError as exc:
        raise ProtocolError(f"a malformed {kind!r} frame: {exc}") from exc


def decode_body(content: bytes, into: type[Body]) -> Body:
    """Read an HTTP body into one of the declarations above."""
    try:
        return msgspec.json.decode(content, type=into)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
        raise ProtocolError(f"a malformed {into.__name__} body: {exc}") from exc


def _checked_event(event: object) -> Event:
    if not isinstance(event, dict):
        raise ProtocolError("an event that is not a JSON object")
    seq = event.get("seq")
    # bool is an int in Python, never a seq on the wire.
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise ProtocolError(f"an event without an integer 'seq': {event!r:.200}")
    return event
