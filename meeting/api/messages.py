"""Messages a client sends, declared once; parsing turns bad input into protocol codes."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import msgspec
from msgspec import Meta

from . import errors

__all__ = [
    "ClientMessage",
    "CommandMessage",
    "Hello",
    "HttpCommand",
    "ProtocolError",
    "parse",
    "parse_as",
]

T = TypeVar("T")
Id = Annotated[str, Meta(min_length=1, max_length=64)]


class Hello(msgspec.Struct, tag="hello", tag_field="type", forbid_unknown_fields=True):
    """First frame of a connection: credentials and the last `seq` the client applied."""

    token: Annotated[str, Meta(max_length=512)] | None = None
    since: Annotated[int, Meta(ge=0)] | None = None


class CommandMessage(msgspec.Struct, tag="command", tag_field="type", forbid_unknown_fields=True):
    """A command, with an id chosen by the client (retrying the same id is safe)."""

    id: Id
    name: Id
    args: dict[str, Any] = {}


class HttpCommand(msgspec.Struct, forbid_unknown_fields=True):
    """The body of `POST /api/meetings/{id}/commands`."""

    id: Id
    name: Id
    args: dict[str, Any] = {}


ClientMessage = Hello | CommandMessage

_decoder = msgspec.json.Decoder(ClientMessage)


class ProtocolError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse(data: str | bytes) -> ClientMessage:
    try:
        message: ClientMessage = _decoder.decode(data)
        return message
    except msgspec.ValidationError as exc:
        raise ProtocolError(errors.BAD_MESSAGE, str(exc)) from None
    except msgspec.DecodeError as exc:
        raise ProtocolError(errors.BAD_JSON, str(exc)) from None


def parse_as(data: bytes, kind: type[T]) -> T:
    try:
        return msgspec.json.decode(data, type=kind)
    except msgspec.ValidationError as exc:
        raise ProtocolError(errors.BAD_MESSAGE, str(exc)) from None
    except msgspec.DecodeError as exc:
        raise ProtocolError(errors.BAD_JSON, str(exc)) from None
