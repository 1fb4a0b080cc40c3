"""Keeping the archive's search index up to date with the logs, after each commit.

The engines tell the indexer that a meeting moved on (`committed`, then `nudge`, after every batch
this process commits or reads from the log); its task then projects the meeting's state
(`meeting.minutes.search.index_entries`), compares each entry with what the index holds
(by digest, mirrored in memory), and writes only the changes, with the meeting's cursor,
in one transaction (`SearchIndex.write`). A batch of ballots or timer ticks
(`NOT_INDEXED`) costs nothing. On start-up, and before each search (`catch_up`), meetings
whose log is ahead of their cursor are indexed first, so a search always sees what was
committed before it, in this process or another.

Indexing is off the writer's path: a failure is logged and retried, and never delays or
refuses a command.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from docs_store import DocumentStore
from meeting.domain import Event
from meeting.engine import Engines
from meeting.minutes.search import NOT_INDEXED, index_entries
from meeting.store import Conflict, SearchIndex

__all__ = ["SearchIndexer", "paper_texts"]

log = logging.getLogger("meeting.api")

Texts = Callable[[str], Awaitable[str | None]]
"""The extracted text of a stored file (by its SHA-256), or None."""
_RETRY = 1.0
"""Seconds before indexing again after a failure (the database away)."""
_ATTEMPTS = 3


@dataclass(slots=True)
class _Mirror:
    """What the index holds for one meeting: up to `seq` (`stored`: its cursor row)."""

    seq: int
    stored: int | None
    digests: dict[str, str] = field(default_factory=dict)


class SearchIndexer:
    def __init__(self, index: SearchIndex, engines: Engines, texts: Texts) -> None:
        self._index = index
        self._engines = engines
        self._texts = texts
        self._mirrors: dict[str, _Mirror] = {}
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.passes = 0
        """Meetings projected and written (for tests and benchmarks)."""

    def committed(self, meeting_id: str, events: list[Event]) -> None:
        """`Engines.after_commit` observer: a batch reached the log."""
        self.nudge(meeting_id, events[-1].seq)

    def nudge(self, meeting_id: str, seq: int) -> None:
        """The meeting's log reached `seq`: index it soon. Never blocks, never raises."""
        mirror = self._mirrors.get(meeting_id)
        if mirror is None or seq > mirror.seq:
            self._dirty.add(meeting_id)
            self._wake.set()

    def start(self) -> None:
        self._wake.set()  # the first round catches up with every meeting
        self._task = asyncio.create_task(self._run(), name="search-indexer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def catch_up(self) -> None:
        """Index every meeting whose log is ahead of the index (one query when none is)."""
        async with self._lock:
            for meeting_id, (head, _) in (await self._index.behind()).items():
                mirror = self._mirrors.get(meeting_id)
                if mirror is None or mirror.seq < head or mirror.stored != mirror.seq:
                    await self._meeting(meeting_id, settle=True)

    async def _run(self) -> None:
        caught_up = False
        while True:
            await self._wake.wait()
            self._wake.clear()
            dirty, self._dirty = self._dirty, set()
            try:
                if not caught_up:
                    await self.catch_up()
                    caught_up = True
                async with self._lock:
                    for meeting_id in sorted(dirty):
                        await self._meeting(meeting_id)
                        dirty.discard(meeting_id)
            except Exception:
                log.exception("search index: indexing failed; trying again")
                self._dirty |= dirty
                await asyncio.sleep(_RETRY)
                self._wake.set()

    async def _meeting(self, meeting_id: str, *, settle: bool = False) -> None:
        for _ in range(_ATTEMPTS):
            try:
                await self._write(meeting_id, settle)
                return
            except Conflict:  # another process wrote it first: read what it wrote, again
                self._mirrors.pop(meeting_id, None)

    async def _mirror(self, meeting_id: str) -> _Mirror:
        mirror = self._mirrors.get(meeting_id)
        if mirror is None:
            stored = await self._index.stored(meeting_id)
            mirror = _Mirror(stored.seq or 0, stored.seq, stored.digests)
            self._mirrors[meeting_id] = mirror
        return mirror

    async def _write(self, meeting_id: str, settle: bool) -> None:
        """Bring the meeting's entries to its state. A batch that changes no entry moves
        only the mirror; `settle` (catching up) also stores the cursor, so that the
        meeting is not looked at again after a restart."""
        engine = await self._engines.get(meeting_id)
        if engine is None:
            return
        state = engine.state
        mirror = await self._mirror(meeting_id)
        if mirror.stored is not None:
            news = [] if state.seq <= mirror.seq else engine.events_after(mirror.seq)
            if news is not None and all(e.name in NOT_INDEXED for e in news):
                mirror.seq = max(mirror.seq, state.seq)
                if settle and mirror.stored < mirror.seq:
                    await self._index.write(meeting_id, mirror.stored, mirror.seq, [], [], (), {})
                    mirror.stored = mirror.seq
                return
        entries = index_entries(state)
        keys = {e.key for e in entries}
        changed = [e for e in entries if mirror.digests.get(e.key) != e.digest]
        gone = [k for k in mirror.digests if k not in keys]
        texts: dict[str, str] = {}
        for sha in sorted({e.file for e in changed if e.file is not None}):
            found = await self._texts(sha)
            if found:
                texts[sha] = found
        await self._index.write(
            meeting_id, mirror.stored, state.seq, changed, gone, set(mirror.digests), texts
        )
        self.passes += 1
        mirror.seq = mirror.stored = state.seq
        for key in gone:
            del mirror.digests[key]
        mirror.digests.update((e.key, e.digest) for e in changed)


def paper_texts(store: DocumentStore) -> Texts:
    """The text pypdf extracted from each page of a stored paper, read off the event loop."""

    async def texts(sha256: str) -> str | None:
        found = await asyncio.to_thread(store.find, sha256)
        return "\n".join(found.texts) if found is not None else None

    return texts
