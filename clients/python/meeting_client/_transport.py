"""The thin I/O shell over websockets: open a socket, say hello, read the welcome.

Every error of the websockets library is translated here into this package's tree.
The module decides nothing about reconnecting or about ``seq``: it moves bytes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.typing import Origin

from ._backoff import CLOSE_ABNORMAL, Reconnect, after_close, error_for_close
from ._exceptions import ConnectError, ProtocolError
from ._messages import Welcome, parse_server_frame

__all__ = ["SocketOptions", "close_of", "open_session", "send_frame", "socket_url"]

_SCHEMES = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}


@dataclass(frozen=True)
class SocketOptions:
    """How to open the WebSocket; see ``MeetingClient`` for each limit."""

    origin: str | None
    open_timeout: float
    max_message_bytes: int | None
    ping_interval: float | None
    close_timeout: float


def socket_url(base_url: str, meeting_id: str) -> str:
    """``http://host/x`` and meeting ``m1`` → ``ws://host/x/ws/meetings/m1``."""
    parts = urlsplit(base_url)
    scheme = _SCHEMES.get(parts.scheme)
    if scheme is None:
        raise ValueError(f"base_url must be http(s) or ws(s), not {base_url!r}")
    path = f"{parts.path.rstrip('/')}/ws/meetings/{quote(meeting_id, safe='')}"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def close_of(closed: ConnectionClosed) -> tuple[int, str]:
    """The close code and reason of whichever side closed first."""
    rcvd, sent = closed.rcvd, closed.sent
    if rcvd is not None and (sent is None or closed.rcvd_then_sent):
        return rcvd.code, rcvd.reason
    if sent is not None:
        return sent.code, sent.reason
    return CLOSE_ABNORMAL, ""


async def open_session(
    url: str, hello: bytes, options: SocketOptions
) -> tuple[ClientConnection, Welcome]:
    """Open the socket, send ``hello``, and return it with the server's ``welcome``.

    Raises ``ConnectError`` for failures that a later attempt may not meet, and the
    final error of ``error_for_close`` when the server closed with a final code.
    """
    try:
        socket = await connect(
            url,
            origin=Origin(options.origin) if options.origin is not None else None,
            # Off on both sides by design: see ARCHITECTURE.md, "Fan-out".
            compression=None,
            open_timeout=options.open_timeout,
            max_size=options.max_message_bytes,
            ping_interval=options.ping_interval,
            close_timeout=options.close_timeout,
        )
    except InvalidStatus as exc:
        status = exc.response.status_code
        raise ConnectError(f"the server refused the WebSocket: HTTP {status}", status) from exc
    except (OSError, TimeoutError, WebSocketException) as exc:
        raise ConnectError(f"cannot open {url}: {exc}") from exc
    try:
        async with asyncio.timeout(options.open_timeout):
            await socket.send(hello, text=True)
            message = parse_server_frame(await socket.recv(decode=False))
        if not isinstance(message, Welcome):
            raise ProtocolError(f"expected a welcome first, got {message!r:.200}")
    except ConnectionClosed as exc:
        code, reason = close_of(exc)
        if after_close(code) is Reconnect.STOP:
            raise error_for_close(code, reason) from exc
        raise ConnectError(f"closed ({code}) before the welcome: {reason}") from exc
    except TimeoutError as exc:
        await socket.close()
        raise ConnectError(f"no welcome within {options.open_timeout} s") from exc
    except BaseException:
        await socket.close()
        raise
    return socket, message


async def send_frame(socket: ClientConnection, frame: bytes) -> bool:
    """Send one JSON frame as text; False if the connection is already closed."""
    try:
        await socket.send(frame, text=True)
    except ConnectionClosed:
        return False  # the reader sees the close; in-flight commands go again after it
    return True
