"""All meetings of one server process: load them from the log, create new ones."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from meeting.domain import Actor, Event
from meeting.hub import Hub
from meeting.store import EventLog

from .batch import Outcome
from .clock import Clock, IdSource, new_id, utc_now
from .meeting import MeetingEngine
from .stats import EngineStats

__all__ = ["Engines"]

log = logging.getLogger("meeting.engine")


class Engines:
    """The per-meeting writers of this process, loaded on start-up or on first use.

    It is also what the hub tells about other processes' commits (`hub.Follower`).
    """

    def __init__(
        self,
        log_store: EventLog,
        hub: Hub,
        *,
        clock: Clock = utc_now,
        new_id: IdSource = new_id,
        max_batch: int = 1000,
        replay_window: int = 20_000,
        group_commit: bool = True,
    ) -> None:
        self._log = log_store
        self.hub = hub
        self.clock = clock
        self._new_id = new_id
        self._options = {
            "max_batch": max_batch,
            "replay_window": replay_window,
            "group_commit": group_commit,
        }
        self._engines: dict[str, MeetingEngine] = {}
        self._loading: dict[str, asyncio.Future[MeetingEngine | None]] = {}
        self.broken: dict[str, str] = {}
        self.stats = EngineStats()
        self.after_commit: list[Callable[[str, list[Event]], None]] = []
        """Told `(meeting_id, events)` after each batch this process commits or reads from
        the log; they must return at once (the search indexer only takes note)."""

    async def start(self) -> None:
        """Rebuild every meeting that is not closed, checking each hash chain."""
        for meeting_id in await self._log.meeting_ids(include_closed=False):
            await self.get(meeting_id)

    async def stop(self) -> None:
        for engine in list(self._engines.values()):
            await engine.stop()
        self._engines.clear()

    def loaded(self) -> list[MeetingEngine]:
        return list(self._engines.values())

    def follow(self, meeting_id: str, seq: int) -> None:
        """Another process committed `meeting_id` up to `seq`; a meeting not loaded here
        will read its log when it is."""
        engine = self._engines.get(meeting_id)
        if engine is not None:
            engine.follow(seq)

    def resync(self) -> None:
        """Every loaded meeting reads its log after its head (news may have been missed)."""
        for engine in self._engines.values():
            engine.follow()

    async def get(self, meeting_id: str) -> MeetingEngine | None:
        """The meeting's engine, or None if there is no such meeting (or its log is broken)."""
        engine = self._engines.get(meeting_id)
        if engine is not None:
            return engine
        if meeting_id in self.broken:
            return None
        loading = self._loading.get(meeting_id)
        if loading is not None:
            return await asyncio.shield(loading)
        future: asyncio.Future[MeetingEngine | None] = asyncio.get_running_loop().create_future()
        self._loading[meeting_id] = future
        try:
            engine = await self._load(meeting_id)
            future.set_result(engine)
            return engine
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here so that nobody is warned of it twice
            raise
        finally:
            del self._loading[meeting_id]

    async def _load(self, meeting_id: str) -> MeetingEngine | None:
        if await self._log.head(meeting_id) is None:
            return None
        engine = self._new(meeting_id)
        try:
            await engine.load()
        except ValueError as exc:
            log.error("meeting %s: log does not verify: %s", meeting_id, exc)
            self.broken[meeting_id] = str(exc)
            return None
        self._engines[meeting_id] = engine
        if self.hub.distributed:
            engine.follow()  # what was announced while it loaded found no engine to tell
        return engine

    async def create(
        self,
        meeting_id: str,
        actor: Actor,
        args: dict[str, Any],
        *,
        source: str,
        command_id: str | None = None,
    ) -> tuple[MeetingEngine | None, Outcome]:
        """Create a meeting with `meeting.create`; a refused creation leaves nothing behind."""
        existing = await self.get(meeting_id)
        engine = existing or self._new(meeting_id)
        if existing is None:
            await engine.load()
            self._engines[meeting_id] = engine
        command_id = command_id or f"create-{meeting_id}"
        outcome = await engine.submit(actor, command_id, "meeting.create", args, source=source)
        if not engine.state.created:
            await engine.stop()
            self._engines.pop(meeting_id, None)
            return None, outcome
        return engine, outcome

    def _new(self, meeting_id: str) -> MeetingEngine:
        return MeetingEngine(
            meeting_id,
            self._log,
            self.hub,
            clock=self.clock,
            new_id=self._new_id,
            max_batch=int(self._options["max_batch"]),
            replay_window=int(self._options["replay_window"]),
            group_commit=bool(self._options["group_commit"]),
            stats=self.stats,
            on_commit=self._committed,
        )

    def _committed(self, meeting_id: str, events: list[Event]) -> None:
        for observer in self.after_commit:
            observer(meeting_id, events)
