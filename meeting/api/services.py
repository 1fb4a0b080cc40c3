"""What the routes share: settings, store, engines, hub, authenticator, audit buffer, the
open sockets of paired tablets and the count of failed pairings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from meeting.engine import Engines, utc_now
from meeting.hub import Hub
from meeting.settings import Settings
from meeting.store import AuditRecord, Store

from .attempts import FailedAttempts
from .auth import Authenticator
from .device_sockets import DeviceSockets

__all__ = ["AuditBuffer", "Services", "services"]

log = logging.getLogger("meeting.api")


class AuditBuffer:
    """Refusals seen by the protocol layer, written in batches off the hot path.

    The buffer is bounded: under a flood, rows past the bound are counted, not stored, so
    that garbage can never grow memory or starve the writer of the sitting's log.
    """

    def __init__(self, store: Store, *, limit: int = 10_000) -> None:
        self._store = store
        self._rows: list[AuditRecord] = []
        self._limit = limit
        self.overflow = 0
        self._ready = asyncio.Event()
        self._writing = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    def add(
        self,
        code: str,
        message: str,
        source: str,
        *,
        meeting_id: str | None = None,
        user_id: str | None = None,
        command_id: str | None = None,
        name: str | None = None,
    ) -> None:
        if len(self._rows) >= self._limit:
            self.overflow += 1
            return
        row = AuditRecord(
            utc_now(),
            code,
            message[:500],
            source,
            meeting_id,
            user_id,
            command_id[:64] if command_id else None,
            name[:64] if name else None,
        )
        self._rows.append(row)
        self._ready.set()

    async def flush(self) -> None:
        """Write what is buffered; returns once every row added before the call is stored."""
        async with self._writing:
            rows, self._rows = self._rows, []
            await self._write(rows)

    async def _write(self, rows: list[AuditRecord]) -> None:
        if rows:
            try:
                await self._store.log.append_audit(rows)
            except Exception:
                log.exception("could not write %d audit rows", len(rows))

    async def _run(self) -> None:
        while True:
            await self._ready.wait()
            self._ready.clear()
            await self.flush()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()


@dataclass
class Services:
    settings: Settings
    store: Store
    hub: Hub
    engines: Engines
    auth: Authenticator
    audit: AuditBuffer
    device_sockets: DeviceSockets
    pairing_attempts: FailedAttempts


def services(conn: HTTPConnection) -> Services:
    svc: Services = conn.app.state.services
    return svc
