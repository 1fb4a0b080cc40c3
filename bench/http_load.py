"""A small HTTP/1.1 load generator: one keep-alive connection per tablet, requests one
after another on each, bodies counted but never copied.

Each connection is an `asyncio.BufferedProtocol` reading into one preallocated buffer: the
client's cost per byte is the kernel's copy, its cost per request a few Python lines, so
the same client measures nginx and our server alike. Time to first byte is taken when the
first bytes of the answer arrive, from when the request was written.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

__all__ = ["Answer", "Tablet", "percentile"]

_BUFFER = 256 * 1024


@dataclass(slots=True)
class Answer:
    status: int
    etag: str
    body: int
    ttfb: float
    took: float


class _Protocol(asyncio.BufferedProtocol):
    def __init__(self) -> None:
        self.buffer = bytearray(_BUFFER)
        self.view = memoryview(self.buffer)
        self.transport: asyncio.Transport | None = None
        self.head = bytearray()
        self.remaining = -1
        self.waiter: asyncio.Future[Answer] | None = None
        self.sent = 0.0
        self.first = 0.0
        self.status = 0
        self.etag = ""
        self.length = 0
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def get_buffer(self, sizehint: int) -> memoryview:
        return self.view

    def buffer_updated(self, nbytes: int) -> None:
        if self.first == 0.0:
            self.first = time.perf_counter()
        if self.remaining < 0:
            if not self.head:  # the usual case: the whole head is in the first read
                end = self.buffer.find(b"\r\n\r\n", 0, nbytes)
                if end >= 0:
                    self._headers(bytes(self.buffer[:end]))
                    self.remaining = self.length - (nbytes - end - 4)
                    if self.remaining <= 0:
                        self._done()
                    return
            self.head += self.view[:nbytes]
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            self._headers(bytes(self.head[:end]))
            self.remaining = self.length - (len(self.head) - end - 4)
        else:
            self.remaining -= nbytes
        if self.remaining <= 0:
            self._done()

    def _headers(self, raw: bytes) -> None:
        lines = raw.split(b"\r\n")
        self.status = int(lines[0].split(b" ", 2)[1])
        self.length, self.etag = 0, ""
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                self.length = int(value)
            elif name == b"etag":
                self.etag = value.strip().decode()
        if self.status in (204, 304):
            self.length = 0

    def _done(self) -> None:
        now = time.perf_counter()
        answer = Answer(
            self.status, self.etag, self.length, self.first - self.sent, now - self.sent
        )
        self.head.clear()
        self.remaining = -1
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(answer)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("the server closed the connection"))
        if not self.closed.done():
            self.closed.set_result(None)


@dataclass
class Tablet:
    """One tablet's connection to one server."""

    port: int
    headers: dict[str, str] = field(default_factory=dict)
    _proto: _Protocol | None = None

    async def connect(self) -> None:
        loop = asyncio.get_running_loop()
        _, proto = await loop.create_connection(_Protocol, "127.0.0.1", self.port)
        self._proto = proto

    async def get(self, path: str, **headers: str) -> Answer:
        proto = self._proto
        assert proto is not None and proto.transport is not None
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{k}: {v}" for k, v in {**self.headers, **headers}.items()]
        proto.waiter = asyncio.get_running_loop().create_future()
        proto.first = 0.0
        proto.sent = time.perf_counter()
        proto.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        return await asyncio.wait_for(proto.waiter, 120)

    async def close(self) -> None:
        if self._proto is not None and self._proto.transport is not None:
            self._proto.transport.close()
            await self._proto.closed


def percentile(values: list[float], q: float) -> float:
    """The `q`-th percentile (nearest rank) of `values`."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]
