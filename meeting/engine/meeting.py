"""One writer per meeting: queue commands, decide, append in one transaction, publish, ack.

Commands that arrive while a transaction is in flight wait in `_pending` and are committed
together in the next one (group commit). A command is answered only after its batch is
durable; if the commit fails nothing is applied and every sender hears `unavailable`.

Several processes may write the same meeting: the log's compare-and-set on the head lets
one append at a time. A writer that lost the race, or hears from the hub that another
process committed (`follow`), reads the new events from the log in its own task (never in
the middle of a local commit), folds them, fans them out to its connections and decides
again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from meeting.domain import EMPTY, GENESIS, Actor, Audience, Deadline, Event, Meeting, snapshot
from meeting.hub import Hub, Subscriber
from meeting.hub.local import visible
from meeting.store import Conflict, EventLog, HeadMoved, SideWrites

from .batch import UNAVAILABLE, Batch, Outcome, Pending, recorded_outcome
from .clock import Clock, IdSource
from .deadlines import DeadlineTimer
from .replay import fold_rows, secret_vote_open, with_secret_totals
from .stats import EngineStats
from .window import RecentEvents

__all__ = ["Attached", "MeetingEngine", "Outcome"]

log = logging.getLogger("meeting.engine")

_SERVER = Actor(None, is_server=True)
_CONTENTION = 10.0
"""Seconds a batch keeps being decided again while other processes win the head: each loss
means they are making progress, so this bounds waiting, not failures."""
_ATTEMPTS = 3
"""Times a batch is decided again after any other conflict (claim, recorded command)."""
_RETRY_SYNC = 1.0
"""Seconds before reading the log again after a failed catch-up (database away)."""


@dataclass(frozen=True, slots=True)
class Attached:
    """What a new connection starts from: a replay after `since`, or a snapshot at `seq`."""

    seq: int
    snapshot: dict[str, Any] | None
    replay: list[Event]


class MeetingEngine:
    def __init__(
        self,
        meeting_id: str,
        log_store: EventLog,
        hub: Hub,
        *,
        clock: Clock,
        new_id: IdSource,
        max_batch: int = 1000,
        replay_window: int = 20_000,
        group_commit: bool = True,
        stats: EngineStats | None = None,
        on_commit: Callable[[str, list[Event]], None] | None = None,
    ) -> None:
        self.meeting_id = meeting_id
        self._log = log_store
        self._hub = hub
        self._clock = clock
        self._new_id = new_id
        self._max_batch = max_batch if group_commit else 1
        self.state: Meeting = EMPTY
        self.head_hash = GENESIS
        self._recent = RecentEvents(replay_window)
        self._outcomes: dict[tuple[str, str], Outcome] = {}
        self._pending: list[Pending] = []
        self._wakeup = asyncio.Event()
        self._changed = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._deadlines = DeadlineTimer(clock, lambda: self.state, self._send_deadline)
        self._stale = False
        self._resync: asyncio.TimerHandle | None = None
        self._stats = stats if stats is not None else EngineStats()
        self._on_commit = on_commit
        self.commits = 0

    # -- loading ---------------------------------------------------------------------------

    async def load(self) -> None:
        """Rebuild the state from the log, checking the hash chain, and start the writer."""
        await self._catch_up(publish=False)
        await self._load_secret_totals()
        for r in await self._log.outcomes(self.meeting_id):
            self._outcomes[(r.user_id, r.command_id)] = recorded_outcome(r)
        self._worker = asyncio.create_task(self._run(), name=f"meeting-writer-{self.meeting_id}")
        self._deadlines.running = True
        self._deadlines.arm()

    async def _load_secret_totals(self) -> None:
        totals = await self._log.secret_totals(self.meeting_id)
        self.state = with_secret_totals(self.state, totals)

    async def _catch_up(self, *, publish: bool = True) -> int:
        """Fold the events after our head from the log (and fan them out); how many."""
        rows = await self._log.read(self.meeting_id, since=self.state.seq)
        if not rows:
            return 0
        self.state, self.head_hash = fold_rows(self.state, self.head_hash, rows)
        events = [r.event for r in rows]
        self._recent.add(events)
        if publish:
            self._stats.caught_up(len(events))
            self._fan_out(events)
        return len(rows)

    async def stop(self) -> None:
        self._deadlines.running = False
        self._deadlines.cancel()
        if self._resync is not None:
            self._resync.cancel()
            self._resync = None
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker = None
        for p in self._pending:
            if not p.future.done():
                p.future.set_result(Outcome(None, UNAVAILABLE, "the server is stopping"))
        self._pending.clear()

    # -- commands --------------------------------------------------------------------------

    def submit(
        self, actor: Actor, command_id: str, name: str, args: dict[str, Any], *, source: str
    ) -> asyncio.Future[Outcome]:
        """Queue a command; the future resolves once its outcome is durable."""
        pending = Pending(actor, command_id, name, args, source)
        self._pending.append(pending)
        self._wakeup.set()
        started = time.perf_counter()
        pending.future.add_done_callback(lambda f: self._stats.answered(f, started))
        return pending.future

    def follow(self, seq: int | None = None) -> None:
        """Another process committed up to `seq` (None: it may have; look).

        The writer task reads the log after our head, folds it and fans it out to this
        process's connections, between two commits of its own.
        """
        if seq is not None and seq <= self.state.seq:
            return
        self._stale = True
        self._wakeup.set()

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            if self._stale:
                await self._sync()
            while self._pending:
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                try:
                    await self._commit(batch)
                except asyncio.CancelledError:
                    self._pending[:0] = batch
                    raise
                if self._stale:
                    await self._sync()

    async def _sync(self) -> bool:
        """Catch up with what other processes committed (the secret totals too); False if
        the log could not be read (it is tried again a moment later)."""
        self._stale = False
        try:
            if await self._catch_up():
                if secret_vote_open(self.state):
                    await self._load_secret_totals()
                self._deadlines.arm()
        except Exception:
            log.exception("meeting %s: catching up from the log failed", self.meeting_id)
            if self._resync is None:
                self._resync = asyncio.get_running_loop().call_later(_RETRY_SYNC, self._retry)
            return False
        return True

    def _retry(self) -> None:
        self._resync = None
        self.follow()

    async def _commit(self, pending: Sequence[Pending]) -> None:
        # A moved head means another process appended first: fold its events and decide
        # again. Any other failure answers `unavailable`; the sender retries with the same id.
        deadline, conflicts = time.monotonic() + _CONTENTION, 0
        while True:
            batch = Batch(self.meeting_id, self.state, self.head_hash)
            for p in pending:
                batch.add(p, known=self._outcomes, clock=self._clock, ids=self._new_id)
            try:
                await self._log.append(
                    self.meeting_id,
                    self.state.seq,
                    batch.rows,
                    batch.records,
                    batch.audits,
                    status=batch.state.status.value,
                    title=batch.state.title,
                    body_id=batch.state.body.id,
                    side=SideWrites(batch.claims, batch.totals, batch.cleared),
                )
            except HeadMoved:
                self._stats.conflicts += 1
                if time.monotonic() < deadline and await self._sync():
                    continue
            except Conflict as exc:
                log.warning("meeting %s: conflict, deciding again: %r", self.meeting_id, exc)
                await self._reload_after_failure()
                conflicts += 1
                if conflicts < _ATTEMPTS:
                    continue
            except Exception:
                log.exception("meeting %s: commit failed", self.meeting_id)
                await self._reload_after_failure()
            else:
                self._publish(batch)
                if batch.cleared:
                    await self._forget_history()
                return
            break
        for p in pending:
            if not p.future.done():
                p.future.set_result(Outcome(None, UNAVAILABLE, "not recorded; retry"))

    async def _forget_history(self) -> None:
        try:
            await self._log.forget_history()
        except Exception:
            log.exception("meeting %s: could not fold the write-ahead log", self.meeting_id)

    async def _reload_after_failure(self) -> None:
        # A failed commit may still have reached the disk; the log is the truth.
        try:
            if await self._catch_up():
                # Perhaps our own batch after all: the other processes must hear of it.
                self._hub.announce(self.meeting_id, self.state.seq)
            await self._load_secret_totals()
            for r in await self._log.outcomes(self.meeting_id):
                self._outcomes.setdefault((r.user_id, r.command_id), recorded_outcome(r))
        except Exception:
            log.exception("meeting %s: reload failed", self.meeting_id)

    def _publish(self, b: Batch) -> None:
        events = [r.event for r in b.rows]
        self.state, self.head_hash = b.state, b.head_hash
        self._outcomes.update(b.decided)
        self.commits += 1
        self._stats.commits += 1
        if events:
            self._stats.events_committed += len(events)
            self._recent.add(events)
            self._fan_out(events)
            self._hub.announce(self.meeting_id, self.state.seq)
        for p, outcome in b.answers:
            if not p.future.done():
                p.future.set_result(outcome)
        self._deadlines.arm()

    def _fan_out(self, events: list[Event]) -> None:
        self._hub.publish(self.meeting_id, events)
        if self._on_commit is not None:  # projections kept outside the engine (search, devices)
            self._on_commit(self.meeting_id, events)
        self._changed.set()
        self._changed = asyncio.Event()

    def _send_deadline(self, name: str, args: dict[str, Any]) -> asyncio.Future[Outcome]:
        # The server's own command; idempotent by the state it checks, not remembered by id.
        return self.submit(_SERVER, f"deadline:{name}", name, args, source="server")

    # -- reading ---------------------------------------------------------------------------

    @property
    def armed_deadline(self) -> Deadline | None:
        """The server's own command this engine's timer waits to send (None: no timer)."""
        return self._deadlines.armed

    def events_after(self, since: int) -> list[Event] | None:
        """The events after `since` from memory, or None when `since` is out of the window."""
        return self._recent.after(since, self.state.seq)

    def attach(
        self, sub: Subscriber, since: int | None, audience: Audience, user_id: str | None
    ) -> Attached:
        """Subscribe `sub` and say where it starts. Synchronous, so no event slips between."""
        events = self.events_after(since) if since is not None else None
        self._hub.subscribe(self.meeting_id, sub)
        if events is None:
            return Attached(self.state.seq, snapshot(self.state, audience, user_id), [])
        return Attached(self.state.seq, None, visible(events, audience, user_id))

    def detach(self, sub: Subscriber) -> None:
        self._hub.unsubscribe(self.meeting_id, sub)

    async def wait_after(self, since: int) -> None:
        """Return once the log is past `since`; the caller bounds the wait."""
        if self.state.seq <= since:
            await self._changed.wait()
