"""The event log: append a committed batch, read a meeting's log, find command outcomes.

A batch (events, the outcomes of the commands that made them, and audit rows for refusals)
is written in one transaction, behind the compare-and-set on the meeting's head (`_head`),
so two writers, even in two processes, can never both append after the same `seq`. The
primary keys of events, claims and command outcomes refuse what got past it anyway; each
refusal is a `Conflict` (`errors`): the writer reads the log again and decides again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import msgspec
from sqlalchemy import and_, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from meeting.domain import Event
from meeting.domain.model import Audience

from ._head import hold_head, move_head
from .errors import ClaimTaken, CommandRecorded, Conflict, HeadMoved
from .tables import audit, claims, commands, events, meetings, metadata, secret_totals

__all__ = [
    "AuditRecord",
    "ClaimTaken",
    "CommandRecord",
    "CommandRecorded",
    "Conflict",
    "EventLog",
    "HeadMoved",
    "LoggedEvent",
    "SideWrites",
]

log = logging.getLogger("meeting.store")

_CHECKPOINT_TRIES = 50
_CHECKPOINT_PAUSE = 0.05


@dataclass(frozen=True, slots=True)
class CommandRecord:
    """The outcome of one command: `seq` (and `result`) when accepted, `code` and `message`
    when refused."""

    meeting_id: str
    user_id: str
    command_id: str
    name: str
    at: str
    seq: int | None = None
    code: str | None = None
    message: str | None = None
    result: str | None = None
    """What the accepted command returned (JSON text, e.g. `{"vote_id": …}`), or None."""


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """A refused request: who, what, when and why. Kept apart from the sitting's log."""

    at: str
    code: str
    message: str
    source: str
    meeting_id: str | None = None
    user_id: str | None = None
    command_id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class SideWrites:
    """What a batch writes besides events: claims and secret totals (see `tables`)."""

    claims: Sequence[str] = ()
    totals: Mapping[tuple[str, str], int] = field(default_factory=dict)
    cleared: Collection[str] = ()


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    event: Event
    hash: str


def _event_row(row: LoggedEvent) -> dict[str, object]:
    e = row.event
    return {
        "meeting_id": e.meeting_id,
        "seq": e.seq,
        "name": e.name,
        "at": e.at,
        "actor": e.actor,
        "audience": e.audience.value,
        "user_id": e.user,
        "data": msgspec.json.encode(e.data).decode(),
        "hash": row.hash,
    }


class EventLog:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def append(
        self,
        meeting_id: str,
        expected_head: int,
        rows: Sequence[LoggedEvent],
        outcomes: Sequence[CommandRecord],
        audits: Sequence[AuditRecord],
        *,
        status: str,
        title: str,
        body_id: str,
        side: SideWrites = SideWrites(),
    ) -> None:
        """Write one batch atomically, or raise and write nothing."""
        async with self._engine.begin() as conn:
            if not rows and outcomes:
                await hold_head(conn, meeting_id, expected_head)
            if rows:
                shown = {"status": status, "title": title, "body_id": body_id}
                await move_head(conn, meeting_id, expected_head, rows, **shown)
                try:
                    await conn.execute(insert(events), [_event_row(r) for r in rows])
                except IntegrityError as exc:
                    raise HeadMoved(meeting_id) from exc
            if side.claims:
                try:
                    async with conn.begin_nested():
                        rows_ = [{"meeting_id": meeting_id, "claim": c} for c in side.claims]
                        await conn.execute(insert(claims), rows_)
                except IntegrityError as exc:
                    raise ClaimTaken(str(exc.orig)) from exc
            await _write_totals(conn, meeting_id, side)
            if outcomes:
                try:
                    await conn.execute(insert(commands), [asdict(o) for o in outcomes])
                except IntegrityError as exc:
                    raise CommandRecorded(meeting_id) from exc
            if audits:
                await conn.execute(insert(audit), [asdict(a) for a in audits])

    async def forget_history(self) -> None:
        """Fold SQLite's write-ahead log into the database file and empty it.

        Called after secret totals are deleted: until then the WAL holds the earlier page
        images of those rows. PostgreSQL keeps dead row versions until VACUUM reuses them;
        see docs/secrecy.md.
        """
        if self._engine.dialect.name != "sqlite":
            return
        for _ in range(_CHECKPOINT_TRIES):
            async with self._engine.connect() as conn:
                result = await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                busy = result.first()
            if busy is not None and busy[0] == 0:
                return
            # A reader still holds an older snapshot: the WAL cannot be emptied yet.
            await asyncio.sleep(_CHECKPOINT_PAUSE)
        log.warning("the write-ahead log could not be emptied after a secret vote")

    async def secret_totals(self, meeting_id: str) -> dict[str, dict[str, int]]:
        query = select(secret_totals).where(secret_totals.c.meeting_id == meeting_id)
        out: dict[str, dict[str, int]] = {}
        async with self._engine.connect() as conn:
            for r in await conn.execute(query):
                out.setdefault(r.tally, {})[r.choice] = r._mapping["count"]
        return out

    async def raw_table(self, name: str) -> list[dict[str, Any]]:
        """Every row of a table, for tests that read the store as an attacker would (also
        the tables only a migration knows, such as SQLite's full-text index)."""
        table = metadata.tables.get(name)
        query = select(table) if table is not None else text(f'SELECT * FROM "{name}"')
        async with self._engine.connect() as conn:
            return [dict(r._mapping) for r in await conn.execute(query)]

    async def append_audit(self, audits: Sequence[AuditRecord]) -> None:
        if audits:
            async with self._engine.begin() as conn:
                await conn.execute(insert(audit), [asdict(a) for a in audits])

    async def read(self, meeting_id: str, since: int = 0) -> list[LoggedEvent]:
        query = (
            select(events)
            .where(and_(events.c.meeting_id == meeting_id, events.c.seq > since))
            .order_by(events.c.seq)
        )
        async with self._engine.connect() as conn:
            result = await conn.execute(query)
            return [
                LoggedEvent(
                    Event(
                        meeting_id=r.meeting_id,
                        seq=r.seq,
                        name=r.name,
                        at=r.at,
                        actor=r.actor,
                        data=msgspec.json.decode(r.data),
                        audience=Audience(r.audience),
                        user=r.user_id,
                    ),
                    r.hash,
                )
                for r in result
            ]

    async def meeting_ids(self, *, include_closed: bool = True) -> list[str]:
        query = select(meetings.c.id).order_by(meetings.c.created_at, meetings.c.id)
        if not include_closed:
            query = query.where(meetings.c.status != "closed")
        async with self._engine.connect() as conn:
            return [r.id for r in await conn.execute(query)]

    async def head(self, meeting_id: str) -> tuple[int, str] | None:
        query = select(meetings.c.head_seq, meetings.c.head_hash).where(meetings.c.id == meeting_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return (row.head_seq, row.head_hash) if row else None

    async def outcomes(self, meeting_id: str) -> list[CommandRecord]:
        query = select(commands).where(commands.c.meeting_id == meeting_id)
        async with self._engine.connect() as conn:
            return [CommandRecord(**r._mapping) for r in await conn.execute(query)]

    async def audit_rows(self, meeting_id: str | None = None) -> list[AuditRecord]:
        query = select(audit).order_by(audit.c.id)
        if meeting_id is not None:
            query = query.where(audit.c.meeting_id == meeting_id)
        async with self._engine.connect() as conn:
            return [
                AuditRecord(**{k: v for k, v in r._mapping.items() if k != "id"})
                for r in await conn.execute(query)
            ]


async def _write_totals(conn: AsyncConnection, meeting_id: str, side: SideWrites) -> None:
    """Add the batch's secret sums in place; drop the rows of tallies that were closed."""
    if side.totals:
        keys = {(t, c) for t, c in side.totals}
        where = and_(
            secret_totals.c.meeting_id == meeting_id,
            secret_totals.c.tally.in_({t for t, _ in keys}),
        )
        found = {
            (r.tally, r.choice): r._mapping["count"]
            for r in await conn.execute(select(secret_totals).where(where))
        }
        for (tally, choice), n in sorted(side.totals.items()):
            if (tally, choice) in found:
                await conn.execute(
                    update(secret_totals)
                    .where(
                        and_(
                            secret_totals.c.meeting_id == meeting_id,
                            secret_totals.c.tally == tally,
                            secret_totals.c.choice == choice,
                        )
                    )
                    .values(count=found[(tally, choice)] + n)
                )
            else:
                await conn.execute(
                    insert(secret_totals).values(
                        meeting_id=meeting_id, tally=tally, choice=choice, count=n
                    )
                )
    for tally in side.cleared:
        await conn.execute(
            delete(secret_totals).where(
                and_(secret_totals.c.meeting_id == meeting_id, secret_totals.c.tally == tally)
            )
        )
