"""The WebSocket endpoint: `hello` → `welcome` (+ replay) → live events, commands → acks.

All frames of a connection go through one writer, so events, acks and errors keep their
order. Commands are handed to the meeting's writer without waiting: the ack is written by a
callback when the commit is done, so one tablet may have several commands in flight.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import msgspec
from starlette.websockets import WebSocket

from meeting.domain import Actor, Audience
from meeting.domain.devices import PAIRED_DEVICE
from meeting.engine import MeetingEngine, Outcome
from meeting.hub import encode_batch
from meeting.store import UserRow

from . import errors
from ._raw import RAW_SEND, sansio_protocol
from ._writers import AsgiWriter, DirectWriter, Writer
from .errors import CLOSE
from .messages import CommandMessage, Hello, ProtocolError, parse
from .services import Services, services

__all__ = ["ack", "meeting_socket", "origin_allowed", "submit_with_pin"]

log = logging.getLogger("meeting.api")
_encode = msgspec.json.Encoder().encode
_REPLAY_CHUNK = 500
_FLOOD_CLOSE = 200
"""Consecutive rate-limited frames after which the connection is closed (1008)."""


def origin_allowed(origin: str | None, host: str | None, allowed: tuple[str, ...]) -> bool:
    """Browsers send Origin: it must be this server or listed. No Origin: not a browser."""
    if origin is None:
        return True
    if origin in allowed:
        return True
    parts = urlsplit(origin)
    return bool(host) and parts.netloc == host


class _Bucket:
    """Token bucket: `rate` per second, up to `burst` at once."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self.tokens, self.at = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


def ack(command_id: str, outcome: Outcome) -> dict[str, Any]:
    """The answer to an accepted command, over WebSocket (`type` ack) and HTTP alike: its
    `result` (e.g. the id it created) only when the command returns one."""
    answer: dict[str, Any] = {"type": "ack", "id": command_id, "seq": outcome.seq}
    if outcome.result is not None:
        answer["result"] = outcome.result
    return answer


class Connection:
    """One live tablet or screen, as the hub and the engine see it."""

    def __init__(self, writer: Writer, audience: Audience, user_id: str | None) -> None:
        self.writer = writer
        self.audience = audience
        self.user_id = user_id
        self.inflight = 0
        self.gone = False

    def write(self, frame: bytes) -> bool:
        return self.writer.write(frame)

    def fell_behind(self) -> None:
        self.gone = True
        self.writer.close(CLOSE.RESUME, "fell behind: resume with since")

    def device_revoked(self) -> None:
        self.gone = True
        self.writer.close(CLOSE.DEVICE_REVOKED, "this tablet was revoked: pair it again")

    def must_rejoin(self) -> None:
        self.gone = True
        self.writer.close(CLOSE.REJOIN, "roles changed: reconnect with since")

    def send(self, message: dict[str, Any]) -> None:
        if not self.gone and not self.write(_encode(message)):
            self.fell_behind()

    def answer(self, command_id: str, outcome: Outcome) -> None:
        self.inflight -= 1
        if outcome.ok:
            self.send(ack(command_id, outcome))
        else:
            self.error(command_id, outcome.code or errors.INTERNAL, outcome.message or "")

    def error(self, command_id: str | None, code: str, message: str) -> None:
        self.send({"type": "error", "id": command_id, "code": code, "message": message})


async def meeting_socket(websocket: WebSocket) -> None:
    svc = services(websocket)
    meeting_id = websocket.path_params["meeting_id"]
    origin = websocket.headers.get("origin")
    if not origin_allowed(origin, websocket.headers.get("host"), svc.settings.allowed_origins):
        svc.audit.add(errors.FORBIDDEN_ORIGIN, f"origin {origin!r}", "ws", meeting_id=meeting_id)
        await websocket.close(code=CLOSE.POLICY)  # before accept: the handshake gets 403
        return
    await websocket.accept()
    proto = sansio_protocol(websocket.scope)
    limit = svc.settings.max_backlog_bytes
    writer: Writer
    if proto is not None:
        writer = DirectWriter(proto, limit)
    else:
        writer = AsgiWriter(websocket.scope[RAW_SEND], limit)
    try:
        await _serve(websocket, svc, meeting_id, writer)
    finally:
        if isinstance(writer, AsgiWriter):
            await writer.aclose()


async def _receive_text(websocket: WebSocket) -> str | bytes | None:
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        return None
    data: str | bytes | None = message.get("text")
    if data is None:
        data = message.get("bytes") or b""
    return data


async def _hello(websocket: WebSocket, svc: Services, writer: Writer) -> Hello | None:
    try:
        async with asyncio.timeout(svc.settings.hello_timeout):
            data = await _receive_text(websocket)
    except TimeoutError:
        writer.close(CLOSE.HELLO_EXPECTED, "hello expected")
        return None
    if data is None:
        return None
    try:
        message = parse(data)
    except ProtocolError as exc:
        svc.audit.add(exc.code, exc.message, "ws")
        writer.close(CLOSE.HELLO_EXPECTED, f"hello expected ({exc.code})")
        return None
    if not isinstance(message, Hello):
        writer.close(CLOSE.HELLO_EXPECTED, "hello expected")
        return None
    return message


async def _serve(websocket: WebSocket, svc: Services, meeting_id: str, writer: Writer) -> None:
    hello = await _hello(websocket, svc, writer)
    if hello is None:
        return
    user: UserRow | None = None
    found = None
    if hello.token is not None:
        found = await svc.auth.signed_in(hello.token)
        user = found.user if found else None
        if user is None:
            svc.audit.add(errors.UNAUTHORIZED, "bad token", "ws", meeting_id=meeting_id)
            writer.close(CLOSE.UNAUTHORIZED, "unauthorized")
            return
    engine = await svc.engines.get(meeting_id)
    if engine is None:
        writer.close(CLOSE.NO_MEETING, "no such meeting")
        return
    device = found.device_id if found else None
    # A paired tablet's commands carry the proof that they come from it (ballot binding).
    proofs = frozenset({PAIRED_DEVICE} if found and found.device_meeting == meeting_id else ())
    actor = Actor(user.id if user else None, user.is_admin if user else False, proofs=proofs)
    audience = engine.state.audience_of(actor)
    conn = Connection(writer, audience, actor.user_id)
    if device is not None and not svc.device_sockets.add(device, conn):
        conn.device_revoked()  # revoked while this socket was joining
        return
    start = engine.attach(conn, hello.since, audience, actor.user_id)
    try:
        roles = sorted(engine.state.roles_of(actor))
        you = {
            "user_id": actor.user_id,
            "name": user.name if user else None,
            "roles": roles,
            "audience": audience.value,
        }
        conn.send(
            {
                "type": "welcome",
                "you": you,
                "seq": start.seq,
                "snapshot": start.snapshot,
                "replay": start.snapshot is None,
                "now": svc.engines.clock(),
            }
        )
        for i in range(0, len(start.replay), _REPLAY_CHUNK):
            if not conn.write(encode_batch(start.replay[i : i + _REPLAY_CHUNK])):
                conn.fell_behind()
                return
        # The welcome's snapshot and replay are sent: this frame lives as long as the
        # connection, and must not keep them (a 500-member roster is ~130 KiB each).
        del start
        await _read_commands(websocket, svc, engine, conn, actor)
    finally:
        engine.detach(conn)
        if device is not None:
            svc.device_sockets.remove(device, conn)


async def _read_commands(
    websocket: WebSocket, svc: Services, engine: MeetingEngine, conn: Connection, actor: Actor
) -> None:
    settings = svc.settings
    bucket = _Bucket(settings.command_rate, settings.command_burst)
    limited = 0
    where = {"meeting_id": engine.meeting_id, "user_id": actor.user_id}
    while not conn.gone:
        data = await _receive_text(websocket)
        if data is None:
            return
        if not bucket.take():
            limited += 1
            if limited == 1:
                svc.audit.add(errors.RATE_LIMITED, "frames over the rate", "ws", **where)
            if limited >= _FLOOD_CLOSE:
                conn.writer.close(CLOSE.POLICY, "flood")
                return
            conn.error(None, errors.RATE_LIMITED, "too many messages; slow down")
            continue
        limited = 0
        if len(data) > settings.max_message_bytes:
            svc.audit.add(errors.TOO_LARGE, f"{len(data)} bytes", "ws", **where)
            conn.writer.close(CLOSE.TOO_BIG, "message too big")
            return
        try:
            message = parse(data)
        except ProtocolError as exc:
            svc.audit.add(exc.code, exc.message, "ws", **where)
            conn.error(None, exc.code, exc.message)
            continue
        if not isinstance(message, CommandMessage):
            svc.audit.add(errors.BAD_MESSAGE, "hello sent twice", "ws", **where)
            conn.error(None, errors.BAD_MESSAGE, "hello is only sent once")
            continue
        _submit(svc, engine, conn, actor, message)


def _submit(
    svc: Services, engine: MeetingEngine, conn: Connection, actor: Actor, cmd: CommandMessage
) -> None:
    where = {"meeting_id": engine.meeting_id, "command_id": cmd.id, "name": cmd.name}
    if actor.user_id is None:
        svc.audit.add(errors.UNAUTHORIZED, "command without sign-in", "ws", **where)
        conn.error(cmd.id, errors.UNAUTHORIZED, "sign in to send commands")
        return
    if conn.inflight >= svc.settings.max_inflight:
        svc.audit.add(
            errors.RATE_LIMITED, "too many in flight", "ws", user_id=actor.user_id, **where
        )
        conn.error(cmd.id, errors.RATE_LIMITED, "too many commands awaiting their commit")
        return
    conn.inflight += 1
    if "pin" in cmd.args:
        # Checking a PIN takes a hash: off the read loop, in a task of its own.
        task = asyncio.create_task(_submit_with_pin(svc, engine, conn, actor, cmd))
        _PIN_TASKS.add(task)
        task.add_done_callback(_PIN_TASKS.discard)
        return
    future = engine.submit(actor, cmd.id, cmd.name, cmd.args, source="ws")
    future.add_done_callback(lambda f: conn.answer(cmd.id, f.result()))


_PIN_TASKS: set[asyncio.Task[None]] = set()


async def _submit_with_pin(
    svc: Services, engine: MeetingEngine, conn: Connection, actor: Actor, cmd: CommandMessage
) -> None:
    outcome = await submit_with_pin(svc, engine, actor, cmd.id, cmd.name, cmd.args, "ws")
    conn.answer(cmd.id, outcome)


async def submit_with_pin(
    svc: Services,
    engine: MeetingEngine,
    actor: Actor,
    command_id: str,
    name: str,
    args: dict[str, Any],
    source: str,
) -> Outcome:
    """Verify `args.pin` (never stored, never logged), then submit with the "pin" proof."""
    args = dict(args)
    pin = args.pop("pin")
    ok = isinstance(pin, str) and actor.user_id is not None
    if ok and actor.user_id is not None:
        ok = await svc.auth.check_pin(actor.user_id, pin)
    if not ok:
        where = {"meeting_id": engine.meeting_id, "user_id": actor.user_id}
        svc.audit.add(
            errors.PIN_INVALID, "wrong PIN", source, command_id=command_id, name=name, **where
        )
        return Outcome(None, errors.PIN_INVALID, "the PIN is wrong")
    proven = replace(actor, proofs=actor.proofs | {"pin"})
    return await engine.submit(proven, command_id, name, args, source=source)
