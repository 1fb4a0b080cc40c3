"""Two writers of one meeting on one database, as two server processes would have.

Each `Engines` has its own connection pool and its own in-process hub; what one commits,
the other learns by `follow` (as the Redis hub would tell it) or by losing the head. On
SQLite and PostgreSQL alike: the compare-and-set is the same.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
import pytest

from meeting.cli.provision import create_meeting
from meeting.domain import Actor, Audience
from meeting.engine import Engines, MeetingEngine
from meeting.hub import Hub
from meeting.store import Store
from tests.sitting import roster

CLERK = Actor("clerk")


@dataclass
class Tablet:
    """A subscriber that keeps every event it is sent."""

    audience: Audience = Audience.STAFF
    user_id: str | None = "clerk"
    events: list[dict[str, Any]] = field(default_factory=list)

    def write(self, frame: bytes) -> bool:
        message = msgspec.json.decode(frame)
        self.events.extend(message["events"] if message["type"] == "events" else [message])
        return True

    def fell_behind(self) -> None:
        raise AssertionError("never slow")

    def must_rejoin(self) -> None:
        raise AssertionError("roles never change here")


@pytest.fixture
async def writers(db_url: str) -> AsyncIterator[tuple[Engines, Engines]]:
    stores = [await Store.open(db_url) for _ in range(2)]
    a, b = (Engines(s.log, Hub()) for s in stores)
    args = {"body": {"id": "b", "name": "HĐND", "seats": 4}, "title": "Phiên",
            "members": roster(3)}  # fmt: skip
    await create_meeting(a, "m1", args, [{"title": "Mục 1"}])
    try:
        yield a, b
    finally:
        for engines, store in zip((a, b), stores, strict=True):
            await engines.stop()
            await store.close()


async def _engine(engines: Engines) -> MeetingEngine:
    engine = await engines.get("m1")
    assert engine is not None
    return engine


async def _until(engine: MeetingEngine, seq: int) -> None:
    async with asyncio.timeout(10):
        while engine.state.seq < seq:
            await engine.wait_after(engine.state.seq)


def _add(engine: MeetingEngine, cid: str, title: str) -> asyncio.Future[Any]:
    return engine.submit(CLERK, cid, "agenda.add_item", {"title": title}, source="test")


async def test_follow_folds_and_fans_out_the_other_writers_events(
    writers: tuple[Engines, Engines],
) -> None:
    a, b = writers
    ea, eb = await _engine(a), await _engine(b)
    tablet = Tablet()
    start = eb.attach(tablet, None, tablet.audience, tablet.user_id).seq
    first = await _add(ea, "c1", "Một")
    second = await _add(ea, "c2", "Hai")
    b.follow("m1", second.seq)
    await _until(eb, second.seq)
    assert [e["seq"] for e in tablet.events] == list(range(start + 1, second.seq + 1))
    assert eb.state == ea.state
    assert first.ok and b.stats.catch_ups == 1 and b.stats.events_caught_up == 2
    b.follow("m1", second.seq)  # old news: nothing to read
    await asyncio.sleep(0.05)
    assert b.stats.catch_ups == 1


async def test_a_writer_behind_reads_the_log_and_decides_again(
    writers: tuple[Engines, Engines],
) -> None:
    a, b = writers
    ea, eb = await _engine(a), await _engine(b)
    tablet = Tablet()
    start = eb.attach(tablet, None, tablet.audience, tablet.user_id).seq
    done = await _add(ea, "c1", "Một")
    late = await _add(eb, "c2", "Hai")  # decided at a head that moved: decided again
    assert late.ok and late.seq == done.seq + 1
    assert b.stats.conflicts == 1
    assert [e["seq"] for e in tablet.events] == [start + 1, start + 2]
    assert [e["data"]["item"]["title"] for e in tablet.events] == ["Một", "Hai"]


async def test_a_retry_on_the_other_writer_gets_the_first_answer(
    writers: tuple[Engines, Engines], db_url: str
) -> None:
    a, b = writers
    ea, eb = await _engine(a), await _engine(b)
    first = await _add(ea, "same", "Ba")
    b.follow("m1", first.seq)
    await _until(eb, first.seq)
    again = await _add(eb, "same", "Ba")  # eb never saw this command's outcome
    assert again == first
    store = await Store.open(db_url, migrate_schema=False)
    try:
        rows = await store.log.read("m1")
    finally:
        await store.close()
    titles = [r.event.data["item"]["title"] for r in rows if r.event.name == "agenda.item_added"]
    assert titles.count("Ba") == 1


async def test_refusals_on_a_stale_state_are_decided_again(
    writers: tuple[Engines, Engines],
) -> None:
    a, b = writers
    ea, eb = await _engine(a), await _engine(b)
    chair = Actor("chair")
    opened = await ea.submit(chair, "o", "sitting.open", {}, source="test")
    assert opened.ok
    # eb still thinks the sitting is not open: closing it would be refused there, and that
    # refusal must not be recorded against a head that has moved.
    closed = await eb.submit(chair, "x", "sitting.close", {}, source="test")
    assert closed.ok, closed
    assert b.stats.conflicts == 1


async def test_three_busy_writers_all_get_their_commands_in(db_url: str) -> None:
    """Losing the head is not failing: each loss means another writer got in, so the
    loser keeps deciding again (bounded in time, not in attempts)."""
    stores = [await Store.open(db_url) for _ in range(3)]
    writers = [Engines(s.log, Hub()) for s in stores]
    args = {"body": {"id": "b", "name": "HĐND", "seats": 4}, "title": "Phiên",
            "members": roster(3)}  # fmt: skip
    await create_meeting(writers[0], "m1", args, [])
    try:
        engines = [await _engine(w) for w in writers]

        async def stream(w: int, engine: MeetingEngine) -> list[Any]:
            futures = []
            for n in range(20):
                futures.append(_add(engine, f"w{w}-{n}", f"w{w}-{n}"))
                await asyncio.sleep(0.002)  # a stream, not one batch
            return list(await asyncio.gather(*futures))

        outcomes = await asyncio.gather(*(stream(w, e) for w, e in enumerate(engines)))
        flat = [o for per_writer in outcomes for o in per_writer]
        assert [o.code for o in flat if not o.ok] == []
        assert len({o.seq for o in flat}) == 60
        assert sum(w.stats.conflicts for w in writers) > 0
    finally:
        for w, s in zip(writers, stores, strict=True):
            await w.stop()
            await s.close()
