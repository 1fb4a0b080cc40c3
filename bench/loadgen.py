"""The load generator's side: many tablets in one asyncio process, and the chair.

A tablet connects with the `websockets` client (no compression, no keepalive pings from
our side), says `hello` and reads its `welcome`. Then a `FrameReader` takes over its socket:
each text frame is stamped with `time.perf_counter()` when its bytes arrive and its `seq`
recorded, without a task or a message queue per tablet. One process holds 5000 tablets on
a small machine and still costs less per frame than the server it measures.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

__all__ = ["FrameReader", "Recorder", "Tablet", "connect_tablets", "open_chair", "open_tablet"]

_SEQ = b'"seq":'
_TCP_ESTABLISHED = "01"  # the `st` column of /proc/net/tcp
CONNECT_TIMEOUT = 30.0


class Recorder:
    """Arrival times of event frames by `seq`, across all the tablets that share it."""

    def __init__(self) -> None:
        self.arrivals: dict[int, list[float]] = {}
        self.frames = 0
        self._waiting: dict[int, tuple[int, asyncio.Future[None]]] = {}

    def frame(self, raw: bytes | bytearray, at: float) -> None:
        # The last `seq` of a frame is its newest event (frames of several events list them
        # in order); our payloads never contain the text `"seq":` anywhere else.
        i = raw.rfind(_SEQ)
        if i < 0:
            return
        start = i + len(_SEQ)
        end = start
        while end < len(raw) and 48 <= raw[end] <= 57:
            end += 1
        if end == start:
            return
        seq = int(raw[start:end])
        self.frames += 1
        times = self.arrivals.get(seq)
        if times is None:
            times = self.arrivals[seq] = []
        times.append(at)
        waiting = self._waiting.get(seq)
        if waiting is not None and len(times) >= waiting[0] and not waiting[1].done():
            waiting[1].set_result(None)

    async def wait_for(self, seq: int, count: int, seconds: float) -> bool:
        """True once `count` tablets have `seq`; False if `seconds` pass first."""
        if len(self.arrivals.get(seq, ())) >= count:
            return True
        future = asyncio.get_running_loop().create_future()
        self._waiting[seq] = (count, future)
        try:
            await asyncio.wait_for(future, seconds)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiting.pop(seq, None)

    def received(self, seq: int) -> list[float]:
        return self.arrivals.get(seq, [])


class FrameReader(asyncio.Protocol):
    """Reads the server's frames once the tablet is welcomed: cheaper than a full client.

    Server frames are never masked and, here, never fragmented. Text frames go to the
    recorder, stamped with the time their bytes arrived; pings are answered (the servers
    close connections that stop answering); a close frame ends the connection.
    """

    def __init__(self, transport: asyncio.Transport, recorder: Recorder | None) -> None:
        self.transport = transport
        self.recorder = recorder
        self.buffer = bytearray()
        self.close_code: int | None = None
        self.closed = asyncio.get_running_loop().create_future()
        self.frames = 0

    def data_received(self, data: bytes) -> None:
        at = time.perf_counter()
        buf = self.buffer
        buf += data
        pos, end = 0, len(buf)
        while end - pos >= 2:
            b0, length, head = buf[pos], buf[pos + 1] & 0x7F, 2
            if length == 126:
                if end - pos < 4:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if end - pos < 10:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            if end - pos < head + length:
                break
            payload = buf[pos + head : pos + head + length]
            pos += head + length
            opcode = b0 & 0x0F
            self.frames += 1
            if opcode == 0x1:
                if self.recorder is not None:
                    self.recorder.frame(payload, at)
            elif opcode == 0x9:
                self._send(0xA, bytes(payload))
            elif opcode == 0x8:
                self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                self.transport.close()
                break
        del buf[:pos]

    def _send(self, opcode: int, payload: bytes) -> None:
        # Client frames are masked; a zero mask leaves the payload as it is.
        self.transport.write(bytes((0x80 | opcode, 0x80 | len(payload), 0, 0, 0, 0)) + payload)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


class Tablet:
    """One tablet: its socket, read by a `FrameReader` once welcomed."""

    def __init__(self, ws: ClientConnection, recorder: Recorder | None) -> None:
        self.transport = ws.transport
        self.reader = FrameReader(self.transport, recorder)
        # From here on our reader gets the bytes; the websockets connection is left idle.
        self.transport.set_protocol(self.reader)

    def server_kept(self) -> bool:
        """Whether the server still holds its end open, asked without reading our end.

        A stalled tablet cannot see the server close: the FIN waits behind the unread
        bytes. The server's own socket says it: ESTABLISHED until the server closes it.
        """
        here = self.transport.get_extra_info("sockname")
        there = self.transport.get_extra_info("peername")
        if here is None or there is None:
            return False
        local, remote = f":{there[1]:04X}", f":{here[1]:04X}"
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(local) and fields[2].endswith(remote):
                return fields[3] == _TCP_ESTABLISHED
        return False

    def pause(self) -> None:
        self.transport.pause_reading()

    def resume(self, recorder: Recorder) -> None:
        self.reader.recorder = recorder
        self.transport.resume_reading()


def _hello(token: str | None) -> str:
    return json.dumps({"type": "hello", "token": token, "since": None})


async def _welcome(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), CONNECT_TIMEOUT))
    if message.get("type") != "welcome":
        raise RuntimeError(f"expected a welcome, got {str(message)[:200]}")
    return message


async def open_tablet(
    url: str, token: str | None, recorder: Recorder, *, stalled: bool = False
) -> Tablet:
    """Connect, say hello, read the welcome; then record every frame (or stop reading)."""
    sock = None
    if stalled:
        # A small receive buffer, so the server's side fills up sooner.
        host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    extra: dict[str, Any] = {"sock": sock} if sock is not None else {}
    ws = await connect(
        url,
        compression=None,
        ping_interval=None,
        close_timeout=1,
        open_timeout=CONNECT_TIMEOUT,
        max_size=16 * 1024 * 1024,
        **extra,
    )
    try:
        await ws.send(_hello(token))
        await _welcome(ws)
    except BaseException:
        ws.transport.abort()
        raise
    tablet = Tablet(ws, None if stalled else recorder)
    if stalled:
        tablet.pause()
    return tablet


async def connect_tablets(
    url: str,
    tokens: Sequence[str | None],
    count: int,
    recorder: Recorder,
    *,
    batch: int = 250,
    seconds: float = 300.0,
) -> list[Tablet]:
    """`count` tablets, token `tokens[i % len(tokens)]`, `batch` handshakes at a time."""
    tablets: list[Tablet] = []
    try:
        async with asyncio.timeout(seconds):
            for first in range(0, count, batch):
                size = min(batch, count - first)
                opened = await asyncio.gather(
                    *(
                        open_tablet(url, tokens[(first + i) % len(tokens)], recorder)
                        for i in range(size)
                    ),
                    return_exceptions=True,
                )
                errors = [o for o in opened if isinstance(o, BaseException)]
                tablets.extend(o for o in opened if isinstance(o, Tablet))
                if errors:
                    raise RuntimeError(
                        f"{len(errors)} of {size} tablets failed to connect: {errors[0]!r}"
                    ) from errors[0]
    except BaseException:
        drop(tablets)
        raise
    return tablets


def drop(tablets: Sequence[Tablet | ClientConnection]) -> None:
    """Close at once, without closing handshakes: the server process is stopped next."""
    for t in tablets:
        t.transport.abort()


async def open_chair(url: str, token: str | None) -> tuple[ClientConnection, dict[str, Any]]:
    """The chair's connection, read with plain `recv` (it waits for its own acks)."""
    ws = await connect(
        url,
        compression=None,
        ping_interval=None,
        close_timeout=1,
        open_timeout=CONNECT_TIMEOUT,
        max_size=64 * 1024 * 1024,
    )
    await ws.send(_hello(token))
    return ws, await _welcome(ws)
