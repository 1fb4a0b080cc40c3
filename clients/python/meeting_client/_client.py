"""``MeetingClient``: one live WebSocket to one meeting that survives network drops.

It owns the connection's life: the hello and welcome, the reader, reconnecting with
``since`` after a drop, and re-sending the commands still in flight under their original
ids so that each caller gets the outcome of its one command. What to keep of the stream
is decided by ``Replica``; when to reconnect by ``_backoff``; bytes move in
``_transport``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from ._backoff import Reconnect, after_close, backoff_delays, error_for_close
from ._exceptions import ConnectError, Disconnected, MeetingClientError, ProtocolError, Timeout
from ._in_flight import InFlight
from ._messages import (
    Ack,
    CommandResult,
    ErrorReply,
    Event,
    EventBatch,
    Welcome,
    encode_command,
    encode_hello,
    parse_server_frame,
)
from ._replica import Replica
from ._transport import SocketOptions, close_of, open_session, send_frame, socket_url
from ._waiters import EventPredicate, Waiters, bounded

__all__ = ["MeetingClient"]

logger = logging.getLogger("meeting_client")

T = TypeVar("T")
EventCallback = Callable[[Event], object]
SnapshotCallback = Callable[[dict[str, Any]], object]


class MeetingClient:
    """A live view of one meeting over ``/ws/meetings/{meeting_id}``.

    ``seq``, ``you``, ``snapshot`` and ``events`` are what the client has applied so far;
    ``on_event`` is called for each applied event, ``on_snapshot`` for each snapshot a
    ``welcome`` brings, ``on_welcome`` with the ``you`` of every (re)connection. All are
    called from the reader: they must not block.

    Security limits: ``max_message_bytes`` bounds one incoming frame (a larger one closes
    the connection with 1009 and stops the client); ``open_timeout`` bounds the opening
    handshake and the wait for ``welcome``.
    """

    def __init__(
        self,
        base_url: str,
        meeting_id: str,
        token: str | None = None,
        *,
        since: int | None = None,
        on_event: EventCallback | None = None,
        on_snapshot: SnapshotCallback | None = None,
        on_welcome: SnapshotCallback | None = None,
        origin: str | None = None,
        min_backoff: float = 0.1,
        max_backoff: float = 5.0,
        open_timeout: float = 10.0,
        max_message_bytes: int | None = 16 * 2**20,
        ping_interval: float | None = 20.0,
        close_timeout: float = 5.0,
    ) -> None:
        self.url = socket_url(base_url, meeting_id)
        self.meeting_id = meeting_id
        self.connected = False
        self.frames_received = 0
        self._token = token
        self._on_event = on_event
        self._on_snapshot = on_snapshot
        self._on_welcome = on_welcome
        self._backoff = (min_backoff, max_backoff)
        self._options = SocketOptions(
            origin, open_timeout, max_message_bytes, ping_interval, close_timeout
        )
        self._replica = Replica(since)
        self._waiters = Waiters()
        self._in_flight = InFlight()
        self._socket: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._failure: MeetingClientError | None = None
        self._closed = False

    @property
    def seq(self) -> int:
        """The ``seq`` of the last event applied (or of the last snapshot)."""
        return self._replica.seq

    @property
    def you(self) -> dict[str, Any] | None:
        return self._replica.you

    @property
    def snapshot(self) -> dict[str, Any] | None:
        return self._replica.snapshot

    @property
    def events(self) -> list[Event]:
        """Every event applied, in order, each once (a snapshot leaves a gap)."""
        return self._replica.events

    async def __aenter__(self) -> MeetingClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def connect(self) -> None:
        """Open the connection and read the ``welcome``; the replay follows in the background.

        A first connection that fails raises at once (``ConnectError``, ``AuthError``,
        ``Disconnected``); later drops are retried in the background.
        """
        if self._reader is not None or self._closed:
            raise RuntimeError("connect() may be called once, before close()")
        socket = await self._open()
        self._reader = asyncio.create_task(self._run(socket), name=f"meeting-client {self.url}")

    async def command(
        self,
        name: str,
        args: dict[str, Any] | None = None,
        *,
        id: str | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 (the API of httpx and websockets)
    ) -> int:
        """Send a command and return the ``seq`` of its ack; raise ``CommandError`` if refused.

        If the connection drops first, the command is sent again under the same ``id``
        after reconnecting; the server applies it at most once.
        """
        return (await self.submit(name, args, id=id, timeout=timeout)).seq

    async def submit(
        self,
        name: str,
        args: dict[str, Any] | None = None,
        *,
        id: str | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 (the API of httpx and websockets)
    ) -> CommandResult:
        """Like ``command``, but return the whole answer: ``seq`` and ``result`` (what the
        command created, e.g. the new vote's ``vote_id``)."""
        self._check_usable()
        command_id = id if id is not None else uuid.uuid4().hex
        frame = encode_command(command_id, name, args if args is not None else {})
        answer = self._in_flight.add(command_id, frame)
        try:
            async with asyncio.timeout(timeout):
                if self.connected and self._socket is not None:
                    await send_frame(self._socket, frame)
                return await answer
        except TimeoutError as exc:
            raise Timeout(f"no answer to command {command_id!r} within {timeout} s") from exc
        finally:
            self._in_flight.discard(command_id, answer)

    async def wait_for_seq(self, seq: int, timeout: float = 10.0) -> int:  # noqa: ASYNC109
        """Wait until ``self.seq >= seq``; return ``self.seq``."""
        if self.seq >= seq:
            return self.seq
        self._check_usable()
        return await bounded(self._waiters.for_seq(seq), timeout, f"seq {seq}")

    async def wait_for(
        self,
        predicate: EventPredicate,
        timeout: float = 10.0,  # noqa: ASYNC109
        *,
        since: int | None = None,
    ) -> Event:
        """Return the first applied event that matches ``predicate``, waiting if need be.

        Events already applied count too (an event may arrive before the ack of the
        command that caused it); ``since`` limits the search to events after that seq.
        """
        for event in self.events:
            if (since is None or event["seq"] > since) and predicate(event):
                return event
        self._check_usable()
        return await bounded(self._waiters.for_event(predicate), timeout, "an event")

    async def close(self) -> None:
        """Close the connection; pending commands and waits end with ``Disconnected``."""
        if self._closed:
            return
        self._closed = True
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            await asyncio.wait({reader})
        socket, self._socket = self._socket, None
        if socket is not None:
            await socket.close()
        self._stop(Disconnected(1000, "closed by the client"))

    # The connection's life, run by the reader task.

    async def _open(self) -> ClientConnection:
        hello = encode_hello(self._token, self._replica.since)
        socket, welcome = await open_session(self.url, hello, self._options)
        self._welcome(welcome)
        self._socket = socket
        self.connected = True
        # A command issued while this loop awaits sees `connected` and sends itself.
        for frame in self._in_flight.frames():
            if not await send_frame(socket, frame):
                break
        return socket

    async def _run(self, socket: ClientConnection) -> None:
        try:
            while True:
                code, reason = await self._read(socket)
                self.connected = False
                self._socket = None
                plan = after_close(code)
                if plan is Reconnect.STOP:
                    self._stop(error_for_close(code, reason))
                    return
                logger.info("connection to %s closed (%s), reconnecting", self.url, code)
                reopened = await self._reconnect(prompt=plan is Reconnect.PROMPTLY)
                if reopened is None:
                    return
                socket = reopened
        except ProtocolError as exc:
            await socket.close(1002, "protocol error")
            self._stop(exc)
        except Exception as exc:
            logger.exception("the reader of %s failed", self.url)
            await socket.close(1011, "client error")
            self._stop(Disconnected(1011, f"client error: {exc!r}"))

    async def _read(self, socket: ClientConnection) -> tuple[int, str]:
        try:
            while True:
                raw = await socket.recv(decode=False)
                self.frames_received += 1
                self._receive(raw)
        except ConnectionClosed as exc:
            return close_of(exc)

    async def _reconnect(self, *, prompt: bool) -> ClientConnection | None:
        first, cap = self._backoff
        for delay in backoff_delays(first, cap, prompt=prompt):
            await asyncio.sleep(delay)
            try:
                return await self._open()
            except ConnectError as exc:
                logger.info("reconnecting to %s failed: %s", self.url, exc)
            except MeetingClientError as exc:
                self._stop(exc)
                return None
        return None

    def _receive(self, raw: bytes) -> None:
        message = parse_server_frame(raw)
        if isinstance(message, EventBatch):
            applied = self._replica.apply(message.events)
            if applied:
                self._call_back(self._on_event, applied)
                self._waiters.notify(self.seq, applied)
        elif isinstance(message, Ack | ErrorReply):
            if not self._in_flight.answer(message) and isinstance(message, ErrorReply):
                logger.warning("the server answered %s: %s", message.code, message.message)
        elif isinstance(message, Welcome):
            raise ProtocolError("a second welcome on the same connection")

    def _welcome(self, welcome: Welcome) -> None:
        snapshot = self._replica.welcome(welcome)
        if self.you is not None:
            self._call_back(self._on_welcome, [self.you])
        if snapshot is not None:
            self._call_back(self._on_snapshot, [snapshot])
            self._waiters.notify(self.seq, ())

    def _call_back(self, callback: Callable[[T], object] | None, items: list[T]) -> None:
        if callback is None:
            return
        for item in items:
            try:
                callback(item)
            except Exception:
                # A broken callback must not cost the hall its live view.
                logger.exception("a callback of %s failed", self.url)

    def _check_usable(self) -> None:
        if self._failure is not None:
            raise self._failure
        if self._reader is None:
            raise RuntimeError("not connected: call connect() or use `async with` first")

    def _stop(self, error: MeetingClientError) -> None:
        self.connected = False
        if self._failure is None:
            self._failure = error
        self._in_flight.fail(error)
        self._waiters.fail(error)
