"""How frames reach one WebSocket: straight to uvicorn's transport, or through ASGI `send`.

Both keep the order of frames and refuse a frame once the bytes waiting pass the limit; the
caller then closes the connection with the resume code.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any, Protocol

from starlette.types import Send

__all__ = ["AsgiWriter", "DirectWriter", "Writer"]

_ABORT_AFTER = 2.0


class Writer(Protocol):
    def write(self, frame: bytes) -> bool: ...

    def close(self, code: int, reason: str) -> None: ...


class DirectWriter:
    """Writes frames on uvicorn's websockets-sansio protocol object, synchronously."""

    def __init__(self, proto: Any, limit: int) -> None:
        self._proto = proto
        self._limit = limit
        self.closed = False

    def write(self, frame: bytes) -> bool:
        if self.closed:
            return True
        transport = self._proto.transport
        if transport.is_closing():
            self.closed = True
            return True
        if transport.get_write_buffer_size() > self._limit:
            return False
        try:
            self._proto.conn.send_text(frame)
        except Exception:  # the peer is closing: nothing more to send
            self.closed = True
            return True
        transport.writelines(self._proto.conn.data_to_send())
        return True

    def close(self, code: int, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        transport = self._proto.transport
        with contextlib.suppress(Exception):
            self._proto.conn.send_close(code, reason)
            transport.writelines(self._proto.conn.data_to_send())
        # A peer that stopped reading will not read the close frame either.
        asyncio.get_running_loop().call_later(_ABORT_AFTER, transport.abort)


class AsgiWriter:
    """Portable fallback for other ASGI servers: one queue and one sending task."""

    def __init__(self, send: Send, limit: int) -> None:
        self._send = send
        self._limit = limit
        self._queue: deque[bytes | tuple[int, str]] = deque()
        self._waiting = 0
        self._ready = asyncio.Event()
        self._task = asyncio.create_task(self._drain())
        self.closed = False

    def write(self, frame: bytes) -> bool:
        if self.closed:
            return True
        if self._waiting > self._limit:
            return False
        self._queue.append(frame)
        self._waiting += len(frame)
        self._ready.set()
        return True

    def close(self, code: int, reason: str) -> None:
        if not self.closed:
            self.closed = True
            self._queue.append((code, reason))
            self._ready.set()

    async def _drain(self) -> None:
        while True:
            await self._ready.wait()
            self._ready.clear()
            while self._queue:
                item = self._queue.popleft()
                try:
                    if isinstance(item, bytes):
                        self._waiting -= len(item)
                        await self._send({"type": "websocket.send", "text": item.decode()})
                    else:
                        await self._send(
                            {"type": "websocket.close", "code": item[0], "reason": item[1]}
                        )
                        return
                except Exception:
                    self.closed = True
                    return

    async def aclose(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
