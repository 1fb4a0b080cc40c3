"""One group commit, decided in memory before anything is written.

`Batch.add` runs each queued command through `decide` against the state left by the
commands before it, numbers and chains the events, and collects everything the commit must
write in the same transaction: events, command outcomes, audit rows for refusals, unique
claims (one ballot per delegate and vote), and secret running totals, which are applied to
the state but never logged. No I/O here: the engine writes the batch, then publishes it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import msgspec

from meeting.domain import (
    Actor,
    Command,
    Context,
    DomainError,
    Draft,
    Event,
    Meeting,
    apply,
    chain_hash,
    decide,
)
from meeting.domain.apply import apply_unlogged
from meeting.domain.decide import result_of
from meeting.store import AuditRecord, CommandRecord, LoggedEvent

from .clock import Clock, IdSource

__all__ = [
    "INTERNAL",
    "UNAVAILABLE",
    "Batch",
    "Outcome",
    "Pending",
    "encode_result",
    "recorded_outcome",
]

log = logging.getLogger("meeting.engine")

UNAVAILABLE = "unavailable"
INTERNAL = "internal_error"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The answer to a command: `seq` (and what it `result`s in, e.g. the id it created) when
    accepted, `code` and `message` when refused."""

    seq: int | None = None
    code: str | None = None
    message: str | None = None
    result: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.code is None


def encode_result(result: dict[str, Any] | None) -> str | None:
    """A command's result as the outcomes table keeps it (JSON text)."""
    return None if result is None else msgspec.json.encode(result).decode()


def recorded_outcome(r: CommandRecord) -> Outcome:
    """The outcome stored for a command: a retry with its id gets exactly this answer."""
    result = None if r.result is None else msgspec.json.decode(r.result)
    return Outcome(r.seq, r.code, r.message, result)


@dataclass(slots=True)
class Pending:
    """A command waiting for its batch; `future` resolves once the outcome is durable."""

    actor: Actor
    command_id: str
    name: str
    args: dict[str, Any]
    source: str
    future: asyncio.Future[Outcome] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @property
    def key(self) -> tuple[str, str]:
        return (self.actor.user_id or "", self.command_id)


@dataclass(slots=True)
class Batch:
    meeting_id: str
    state: Meeting
    head_hash: str
    rows: list[LoggedEvent] = field(default_factory=list)
    records: list[CommandRecord] = field(default_factory=list)
    audits: list[AuditRecord] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    totals: Counter[tuple[str, str]] = field(default_factory=Counter)
    cleared: set[str] = field(default_factory=set)
    answers: list[tuple[Pending, Outcome]] = field(default_factory=list)
    decided: dict[tuple[str, str], Outcome] = field(default_factory=dict)

    def add(
        self, p: Pending, *, known: dict[tuple[str, str], Outcome], clock: Clock, ids: IdSource
    ) -> None:
        """Decide one command on top of the batch so far, or answer it from `known`."""
        # The server's own deadline commands are idempotent by the state they check; only
        # the commands of people are remembered by id.
        remembered = not p.actor.is_server
        prior = known.get(p.key) or self.decided.get(p.key)
        if prior is not None and remembered:
            self.answers.append((p, prior))
            return
        now = clock()
        outcome = self._decide(p, Context(self.meeting_id, now, ids()))
        if outcome.code != INTERNAL and remembered:
            self.decided[p.key] = outcome
            self.records.append(
                CommandRecord(
                    self.meeting_id,
                    p.key[0],
                    p.command_id,
                    p.name[:64],
                    now,
                    outcome.seq,
                    outcome.code,
                    outcome.message,
                    encode_result(outcome.result),
                )
            )
        self.answers.append((p, outcome))

    def _decide(self, p: Pending, ctx: Context) -> Outcome:
        try:
            drafts = decide(self.state, p.actor, Command(p.name, p.args), ctx)
            staged = _Staged(self.state, self.head_hash)
            for d in drafts:
                staged.take(d, self.meeting_id, ctx.now, p.actor.user_id)
        except DomainError as exc:
            if p.actor.is_server:
                log.info("meeting %s: deadline %s refused: %s", self.meeting_id, p.name, exc)
            else:
                self.audits.append(
                    AuditRecord(
                        ctx.now,
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
        self.state, self.head_hash = staged.state, staged.head
        self.rows.extend(staged.rows)
        self.claims.extend(staged.claims)
        self.totals.update(staged.totals)
        self.cleared.update(staged.cleared)
        return Outcome(self.state.seq, result=result_of(p.name, drafts))


@dataclass(slots=True)
class _Staged:
    """The effects of one command, kept apart until all its drafts applied cleanly."""

    state: Meeting
    head: str
    rows: list[LoggedEvent] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    totals: Counter[tuple[str, str]] = field(default_factory=Counter)
    cleared: set[str] = field(default_factory=set)

    def take(self, d: Draft, meeting_id: str, now: str, actor: str | None) -> None:
        if d.secret:
            # Secret running totals: applied and stored as sums, never as an event.
            self.state = apply_unlogged(self.state, d)
            tally = d.data["tally"]
            if d.data.get("clear"):
                self.cleared.add(tally)
            for choice, n in d.data.get("add", {}).items():
                self.totals[(tally, choice)] += n
            return
        seq = self.state.seq + 1
        event = Event.from_draft(d, meeting_id=meeting_id, seq=seq, at=now, actor=actor)
        self.state = apply(self.state, event)
        self.head = chain_hash(self.head, event)
        self.rows.append(LoggedEvent(event, self.head))
        if d.claim is not None:
            self.claims.append(d.claim)
