"""One writer per meeting: queue commands, decide, append in one transaction, publish, ack.

Commands that arrive while a transaction is in flight wait in `_pending` and are committed
together in the next one (group commit). A command is answered only after its batch is
durable; if the commit fails nothing is applied and every sender hears `unavailable`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from meeting.domain import (
    EMPTY,
    GENESIS,
    Actor,
    Audience,
    Command,
    Context,
    DomainError,
    Event,
    Meeting,
    apply,
    chain_hash,
    deadlines,
    decide,
    snapshot,
    verify_chain,
)
from meeting.domain.times import seconds_between
from meeting.hub import Hub, Subscriber
from meeting.hub.local import visible
from meeting.store import AuditRecord, CommandRecord, EventLog, HeadMoved, LoggedEvent

from .clock import Clock, IdSource

__all__ = ["Attached", "MeetingEngine", "Outcome"]

log = logging.getLogger("meeting.engine")

_SERVER = Actor(None, is_server=True)
_TIMER_SLACK = 0.005
"""Seconds added to a deadline's delay, so the timer does not fire a hair early."""
_RETRY_REFUSED_DEADLINE = 1.0

UNAVAILABLE = "unavailable"
INTERNAL = "internal_error"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The answer to a command: `seq` when accepted, `code` and `message` when refused."""

    seq: int | None = None
    code: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.code is None


@dataclass(frozen=True, slots=True)
class Attached:
    """What a new connection starts from: a replay after `since`, or a snapshot at `seq`."""

    seq: int
    snapshot: dict[str, Any] | None
    replay: list[Event]


@dataclass(slots=True)
class _Pending:
    actor: Actor
    command_id: str
    name: str
    args: dict[str, Any]
    source: str
    future: asyncio.Future[Outcome] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


@dataclass(slots=True)
class _Batch:
    state: Meeting
    head_hash: str
    rows: list[LoggedEvent] = field(default_factory=list)
    records: list[CommandRecord] = field(default_factory=list)
    audits: list[AuditRecord] = field(default_factory=list)
    answers: list[tuple[_Pending, Outcome]] = field(default_factory=list)
    decided: dict[tuple[str, str], Outcome] = field(default_factory=dict)


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
        self._pending: list[_Pending] = []
        self._wakeup = asyncio.Event()
        self._changed = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self.commits = 0

    # -- loading ---------------------------------------------------------------------------

    async def load(self) -> None:
        """Rebuild the state from the log, checking the hash chain, and start the writer."""
        await self._catch_up()
        for r in await self._log.outcomes(self.meeting_id):
            self._outcomes[(r.user_id, r.command_id)] = Outcome(r.seq, r.code, r.message)
        self._worker = asyncio.create_task(self._run(), name=f"meeting-writer-{self.meeting_id}")
        self._schedule()

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
        pending = _Pending(actor, command_id, name, args, source)
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

    async def _commit(self, pending: Sequence[_Pending]) -> None:
        # A moved head means another process appended first: fold its events and decide
        # again. Any other failure answers `unavailable`; the sender retries with the same id.
        for _ in range(3):
            batch = self._decide(pending)
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
                )
            except HeadMoved:
                log.warning("meeting %s: another writer moved the head", self.meeting_id)
                await self._reload_after_failure()
                continue
            except Exception:
                log.exception("meeting %s: commit failed", self.meeting_id)
                await self._reload_after_failure()
                break
            self._publish(batch)
            return
        for p in pending:
            if not p.future.done():
                p.future.set_result(Outcome(None, UNAVAILABLE, "not recorded; retry"))

    async def _reload_after_failure(self) -> None:
        # A failed commit may still have reached the disk; the log is the truth.
        try:
            await self._catch_up()
            for r in await self._log.outcomes(self.meeting_id):
                self._outcomes.setdefault(
                    (r.user_id, r.command_id), Outcome(r.seq, r.code, r.message)
                )
        except Exception:
            log.exception("meeting %s: reload failed", self.meeting_id)

    def _decide(self, pending: Sequence[_Pending]) -> _Batch:
        b = _Batch(self.state, self.head_hash)
        for p in pending:
            key = (p.actor.user_id or "", p.command_id)
            prior = self._outcomes.get(key) or b.decided.get(key)
            if prior is not None and not p.actor.is_server:
                b.answers.append((p, prior))
                continue
            now = self._clock()
            outcome = self._decide_one(b, p, now)
            # The server's own deadline commands are idempotent by the state they check;
            # only the commands of people are remembered by id.
            if outcome.code != INTERNAL and not p.actor.is_server:
                b.decided[key] = outcome
                b.records.append(
                    CommandRecord(
                        self.meeting_id,
                        key[0],
                        p.command_id,
                        p.name[:64],
                        now,
                        outcome.seq,
                        outcome.code,
                        outcome.message,
                    )
                )
            b.answers.append((p, outcome))
        return b

    def _decide_one(self, b: _Batch, p: _Pending, now: str) -> Outcome:
        ctx = Context(self.meeting_id, now, self._new_id())
        try:
            drafts = decide(b.state, p.actor, Command(p.name, p.args), ctx)
            state, head, rows, seq = b.state, b.head_hash, [], b.state.seq
            for d in drafts:
                seq += 1
                event = Event.from_draft(
                    d, meeting_id=self.meeting_id, seq=seq, at=now, actor=p.actor.user_id
                )
                state = apply(state, event)
                head = chain_hash(head, event)
                rows.append(LoggedEvent(event, head))
        except DomainError as exc:
            if p.actor.is_server:
                log.info("meeting %s: deadline %s refused: %s", self.meeting_id, p.name, exc)
                return Outcome(None, exc.code, exc.message)
            b.audits.append(
                AuditRecord(
                    now,
                    exc.code,
                    exc.message,
                    p.source,
                    self.meeting_id,
                    p.actor.user_id,
                    p.command_id,
                    p.name[:64],
                )
            )
            return Outcome(None, exc.code, exc.message)
        except Exception:
            log.exception("meeting %s: %s failed", self.meeting_id, p.name)
            return Outcome(None, INTERNAL, "the server could not process this command")
        b.state, b.head_hash = state, head
        b.rows.extend(rows)
        return Outcome(state.seq)

    def _publish(self, b: _Batch) -> None:
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
