"""Concurrent appends from separate connection pools (as separate processes would make)
serialize on the meeting's head: per head exactly one wins, the others hear HeadMoved.

On PostgreSQL this is the row lock of `UPDATE meetings … WHERE head_seq = expected`: the
losers wait for the winner's commit, then match nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from meeting.domain import GENESIS, Event, chain_hash, verify_chain
from meeting.store import CommandRecord, CommandRecorded, HeadMoved, LoggedEvent, Store

WRITERS = 4
ROUNDS = 25
AT = "2026-12-01T08:00:00.000Z"


@pytest.fixture
async def stores(db_url: str) -> AsyncIterator[list[Store]]:
    opened = [await Store.open(db_url) for _ in range(WRITERS)]
    try:
        yield opened
    finally:
        for s in opened:
            await s.close()


def _row(seq: int, prev: str, writer: int) -> LoggedEvent:
    event = Event("m", seq, "test.noted", AT, f"w{writer}", {"writer": writer})
    return LoggedEvent(event, chain_hash(prev, event))


async def _append(store: Store, head: int, prev: str, writer: int, cid: str) -> None:
    record = CommandRecord("m", f"w{writer}", cid, "test.note", AT, head + 1)
    await store.log.append(
        "m", head, [_row(head + 1, prev, writer)], [record], [],
        status="scheduled", title="T", body_id="b",
    )  # fmt: skip


async def test_one_writer_wins_each_head(stores: list[Store]) -> None:
    prev, head = GENESIS, 0
    for rnd in range(ROUNDS):
        results = await asyncio.gather(
            *(_append(s, head, prev, w, f"r{rnd}") for w, s in enumerate(stores)),
            return_exceptions=True,
        )
        winners = [w for w, r in enumerate(results) if r is None]
        assert len(winners) == 1, results
        assert all(isinstance(r, HeadMoved) for r in results if r is not None), results
        stored = await stores[0].log.read("m", since=head)
        assert [r.event.data["writer"] for r in stored] == winners
        head, prev = head + 1, stored[-1].hash
    rows = await stores[0].log.read("m")
    assert [r.event.seq for r in rows] == list(range(1, ROUNDS + 1))
    verify_chain((r.event, r.hash) for r in rows)
    assert await stores[0].log.head("m") == (ROUNDS, prev)


async def test_a_second_outcome_for_one_command_is_a_conflict(stores: list[Store]) -> None:
    await _append(stores[0], 0, GENESIS, 0, "first")
    refusal = CommandRecord("m", "u", "same", "test.note", AT, None, "invalid_state", "no")
    results = await asyncio.gather(
        *(
            s.log.append("m", 1, [], [refusal], [], status="scheduled", title="T", body_id="b")
            for s in stores
        ),
        return_exceptions=True,
    )
    assert results.count(None) == 1, results
    assert all(isinstance(r, CommandRecorded) for r in results if r is not None), results
    # A refusal decided on an old head is refused too: the state it was decided on is gone.
    with pytest.raises(HeadMoved):
        await stores[1].log.append(
            "m", 0, [], [refusal], [], status="scheduled", title="T", body_id="b"
        )
