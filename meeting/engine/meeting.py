"""One writer per meeting: queue commands, decide, append in one transaction, publish, ack.

Commands that arrive while a transaction is in flight wait in `_pending` and are committed
together in the next one (group commit). A command is answered only after its batch is
durable; if the commit fails nothing is applied and every sender hears `unavailable`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from meeting.domain import (
    EMPTY,
    GENESIS,
    Actor,
    Audience,
    Event,
    Meeting,
    apply,
    chain_hash,
    deadlines,
    snapshot,
    verify_chain,
)
from meeting.domain.apply import apply_unlogged
from meeting.domain.events import SECRET_TOTALS, Draft
from meeting.domain.times import seconds_between
from meeting.hub import Hub, Subscriber
from meeting.hub.local import visible
from meeting.store import Conflict, EventLog, SideWrites

from .batch import UNAVAILABLE, Batch, Outcome, Pending
from .clock import Clock, IdSource

__all__ = ["Attached", "MeetingEngine", "Outcome"]

log = logging.getLogger("meeting.engine")

_SERVER = Actor(None, is_server=True)
_TIMER_SLACK = 0.005
"""Seconds added to a deadline's delay, so the timer does not fire a hair early."""
_RETRY_REFUSED_DEADLINE = 1.0


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
    ) -> None:
        self.meeting_id = meeting_id
        self._log = log_store
        self._hub = hub
        self._clock = clock
        self._new_id = new_id
        self._max_batch = max_batch if group_commit else 1
        self._window = replay_window
        self.state: Meeting = EMPTY
        self.head_hash = GENESIS
        self._recent: list[Event] = []
        self._outcomes: dict[tuple[str, str], Outcome] = {}
        self._pending: list[Pending] = []
        self._wakeup = asyncio.Event()
        self._changed = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self.commits = 0

    # -- loading ---------------------------------------------------------------------------

    async def load(self) -> None:
        """Rebuild the state from the log, checking the hash chain, and start the writer."""
        await self._catch_up()
        await self._load_secret_totals()
        for r in await self._log.outcomes(self.meeting_id):
            self._outcomes[(r.user_id, r.command_id)] = Outcome(r.seq, r.code, r.message)
        self._worker = asyncio.create_task(self._run(), name=f"meeting-writer-{self.meeting_id}")
        self._schedule()

    async def _load_secret_totals(self) -> None:
        # Secret running totals are not events: they come back from their own table.
        state = self.state
        for tally, counts in (await self._log.secret_totals(self.meeting_id)).items():
            draft = Draft(SECRET_TOTALS, {"tally": tally, "set": counts}, secret=True)
            state = apply_unlogged(state, draft)
        self.state = state

    async def _catch_up(self) -> None:
        rows = await self._log.read(self.meeting_id, since=self.state.seq)
        if not rows:
            return
        if self.state.seq == 0:
            verify_chain((r.event, r.hash) for r in rows)
        else:
            prev = self.head_hash
            for r in rows:
                if chain_hash(prev, r.event) != r.hash:
                    raise ValueError(f"hash mismatch at seq {r.event.seq}")
                prev = r.hash
        state = self.state
        for r in rows:
            state = apply(state, r.event)
        self.state, self.head_hash = state, rows[-1].hash
        self._remember([r.event for r in rows])

    async def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
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
        return pending.future

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._pending:
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                try:
                    await self._commit(batch)
                except asyncio.CancelledError:
                    self._pending[:0] = batch
                    raise

    async def _commit(self, pending: Sequence[Pending]) -> None:
        # A moved head means another process appended first: fold its events and decide
        # again. Any other failure answers `unavailable`; the sender retries with the same id.
        for _ in range(3):
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
            except Conflict as exc:
                log.warning("meeting %s: conflict, deciding again: %r", self.meeting_id, exc)
                await self._reload_after_failure()
                continue
            except Exception:
                log.exception("meeting %s: commit failed", self.meeting_id)
                await self._reload_after_failure()
                break
            self._publish(batch)
            if batch.cleared:
                await self._forget_history()
            return
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
            await self._catch_up()
            await self._load_secret_totals()
            for r in await self._log.outcomes(self.meeting_id):
                self._outcomes.setdefault(
                    (r.user_id, r.command_id), Outcome(r.seq, r.code, r.message)
                )
        except Exception:
            log.exception("meeting %s: reload failed", self.meeting_id)

    def _publish(self, b: Batch) -> None:
        events = [r.event for r in b.rows]
        self.state, self.head_hash = b.state, b.head_hash
        self._outcomes.update(b.decided)
        self.commits += 1
        if events:
            self._remember(events)
            self._hub.publish(self.meeting_id, events)
            self._changed.set()
            self._changed = asyncio.Event()
        for p, outcome in b.answers:
            if not p.future.done():
                p.future.set_result(outcome)
        self._schedule()

    # -- deadlines -------------------------------------------------------------------------

    def _schedule(self) -> None:
        """Arm one timer for the earliest deadline of the state; the server's clock decides."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        pending = deadlines(self.state)
        if not pending or self._worker is None:
            return
        first = pending[0]
        delay = max(0.0, seconds_between(self._clock(), first.at)) + _TIMER_SLACK
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(delay, self._fire, first.name, first.args)

    def _fire(self, name: str, args: dict[str, Any]) -> None:
        self._timer = None
        future = self.submit(_SERVER, f"deadline:{name}", name, args, source="server")
        future.add_done_callback(self._after_deadline)

    def _after_deadline(self, future: asyncio.Future[Outcome]) -> None:
        if not future.result().ok and self._timer is None and self._worker is not None:
            # Refused (fired early, or already done): look again a moment later.
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(_RETRY_REFUSED_DEADLINE, self._schedule)

    # -- reading ---------------------------------------------------------------------------

    def _remember(self, events: Sequence[Event]) -> None:
        self._recent.extend(events)
        if len(self._recent) > 2 * self._window:
            del self._recent[: len(self._recent) - self._window]

    def events_after(self, since: int) -> list[Event] | None:
        """The events after `since` from memory, or None when `since` is out of the window."""
        head = self.state.seq
        if since < 0 or since > head:
            return None
        if since == head:
            return []
        first = self._recent[0].seq if self._recent else head + 1
        if since + 1 < first:
            return None
        return self._recent[since + 1 - first :]

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
