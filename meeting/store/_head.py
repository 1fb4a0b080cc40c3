"""The compare-and-set on a meeting's head, which orders every writer of its log.

A batch that appends events moves `meetings.head_seq` from the `seq` its commands were
decided on (`UPDATE … WHERE head_seq = expected`), as the first write of its transaction.
On PostgreSQL that UPDATE takes the row's lock: a concurrent writer of the same meeting,
in any process, waits for our commit, re-reads the row and matches nothing (HeadMoved).
SQLite lets one writing transaction in at a time. Everything else the batch writes is
written under that lock. A batch of refusals only holds the head the same way, so that no
command is refused on a state another process has moved past.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from meeting.domain import Event

from .errors import HeadMoved
from .tables import meetings

__all__ = ["hold_head", "move_head"]


class _Row(Protocol):
    @property
    def event(self) -> Event: ...

    @property
    def hash(self) -> str: ...


async def move_head(
    conn: AsyncConnection,
    meeting_id: str,
    expected_head: int,
    rows: Sequence[_Row],
    *,
    status: str,
    title: str,
    body_id: str,
) -> None:
    """Point the head at the last of `rows`, if it is still at `expected_head`."""
    last = rows[-1]
    if expected_head == 0:
        row = insert(meetings).values(
            id=meeting_id,
            body_id=body_id,
            title=title,
            status=status,
            head_seq=last.event.seq,
            head_hash=last.hash,
            created_at=rows[0].event.at,
        )
        try:
            await conn.execute(row)
        except IntegrityError as exc:  # created meanwhile, by another process
            raise HeadMoved(meeting_id) from exc
        return
    result = await conn.execute(
        update(meetings)
        .where(and_(meetings.c.id == meeting_id, meetings.c.head_seq == expected_head))
        .values(head_seq=last.event.seq, head_hash=last.hash, status=status, title=title)
    )
    if result.rowcount != 1:
        raise HeadMoved(meeting_id)


async def hold_head(conn: AsyncConnection, meeting_id: str, expected_head: int) -> None:
    """Keep the head at `expected_head` until our commit (a no-op update takes the lock)."""
    if expected_head == 0:
        query = select(meetings.c.id).where(meetings.c.id == meeting_id)
        if (await conn.execute(query)).first() is not None:
            raise HeadMoved(meeting_id)
        return
    result = await conn.execute(
        update(meetings)
        .where(and_(meetings.c.id == meeting_id, meetings.c.head_seq == expected_head))
        .values(head_seq=meetings.c.head_seq)
    )
    if result.rowcount != 1:
        raise HeadMoved(meeting_id)
