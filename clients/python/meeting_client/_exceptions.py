"""Every error the client raises, in one tree.

::

    MeetingClientError
    ├── AuthError            sign-in refused (HTTP 401) or the socket closed with 4001
    ├── CommandError         the server refused a command: .code, .message, .id
    ├── ProtocolError        the server sent something the wire protocol does not allow
    ├── HTTPStatusError      an HTTP answer whose status the protocol does not list
    ├── TransportError       the network failed; ``__cause__`` holds the foreign error
    │   └── ConnectError     the WebSocket could not be opened (refused, handshake, timeout)
    ├── Disconnected         the connection ended for good: .code, .reason
    └── Timeout              a wait ran out of time (also a builtin ``TimeoutError``)

Errors from the libraries underneath (websockets, httpx, msgspec, ``OSError``) are
translated where they are caught, with ``raise … from``, so that a caller never imports
those libraries to handle a failure. This module must never import them.
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "CommandError",
    "ConnectError",
    "Disconnected",
    "HTTPStatusError",
    "MeetingClientError",
    "ProtocolError",
    "Timeout",
    "TransportError",
]

# Codes for which the protocol says "nothing was recorded, retry with the same id".
_RETRYABLE_CODES = frozenset({"unavailable", "rate_limited"})


class MeetingClientError(Exception):
    """The base of every error this package raises."""


class AuthError(MeetingClientError):
    """The credentials or the token were refused: sign in again."""


class CommandError(MeetingClientError):
    """The server answered a command with an ``error``.

    ``code`` is one of the stable codes of ``docs/protocol.md`` (``not_allowed``,
    ``invalid_state``, ...); ``id`` is the command id the answer refers to.
    """

    def __init__(self, code: str, message: str, id: str | None) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.id = id

    @property
    def retryable(self) -> bool:
        """Whether sending the command again, with the same id, may succeed."""
        return self.code in _RETRYABLE_CODES


class ProtocolError(MeetingClientError):
    """The server sent a frame or a body that the wire protocol does not allow."""


class HTTPStatusError(MeetingClientError):
    """An HTTP answer with a status that the call does not expect."""

    def __init__(self, status_code: int, body: str) -> None:
        super().__init__(f"HTTP {status_code}: {body[:200]}")
        self.status_code = status_code
        self.body = body


class TransportError(MeetingClientError):
    """The network failed underneath a call."""


class ConnectError(TransportError):
    """The WebSocket could not be opened, or closed before its ``welcome``.

    ``status_code`` is the HTTP status when the server refused the handshake
    (403 for a refused ``Origin``), else ``None``.
    """

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class Disconnected(MeetingClientError):
    """The connection ended for good: the client will not reconnect.

    ``code`` is the WebSocket close code (see the table in ``docs/protocol.md``).
    """

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(f"connection closed ({code}) {reason}".rstrip())
        self.code = code
        self.reason = reason


class Timeout(MeetingClientError, TimeoutError):
    """A command's answer, a ``seq`` or an event did not come in time."""
