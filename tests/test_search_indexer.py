"""The search indexer: writes only what changed, skips batches of ballots, recovers from
another process writing first, and replays pacing for the replay route."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from meeting.api.replay import pace
from meeting.api.search_index import SearchIndexer
from meeting.domain import Event, Meeting, fold
from meeting.store import Conflict
from meeting.store.search import IndexEntry, Stored
from tests.archive_sitting import PUBLIC_PDF, archive_sitting


@dataclass
class FakeEngine:
    log: list[Event]
    upto: int

    @property
    def state(self) -> Meeting:
        return fold(self.log[: self.upto])

    def events_after(self, since: int) -> list[Event] | None:
        return self.log[since : self.upto]


@dataclass
class FakeEngines:
    engine: FakeEngine

    async def get(self, meeting_id: str) -> FakeEngine | None:
        return self.engine if meeting_id == "m1" else None


@dataclass
class FakeIndex:
    """The store's side: a cursor and the entries' digests; `steal` moves the cursor as
    another process would have."""

    seq: int | None = None
    digests: dict[str, str] = field(default_factory=dict)
    writes: list[tuple[int | None, int, list[str], list[str], dict[str, str]]] = field(
        default_factory=list
    )
    steal: int | None = None

    async def stored(self, meeting_id: str) -> Stored:
        return Stored(self.seq, dict(self.digests))

    head: int = 0

    async def behind(self) -> dict[str, tuple[int, int]]:
        return {"m1": (self.head, self.seq or 0)} if (self.seq or 0) < self.head else {}

    async def write(
        self,
        meeting_id: str,
        expected: int | None,
        seq: int,
        changed: Sequence[IndexEntry],
        gone: Sequence[str],
        known: Any,
        texts: dict[str, str],
    ) -> None:
        if self.steal is not None:
            self.seq, self.steal = self.steal, None
        if expected != self.seq:
            raise Conflict(meeting_id)
        self.writes.append((expected, seq, [e.key for e in changed], list(gone), texts))
        self.seq = seq
        for key in gone:
            self.digests.pop(key)
        self.digests.update((e.key, e.digest) for e in changed)


async def _texts(sha: str) -> str | None:
    return "Nội dung trang 1 của tờ trình." if sha == PUBLIC_PDF else None


def _first(log: list[Event], name: str) -> int:
    return next(e.seq for e in log if e.name == name)


async def test_only_changes_are_written_and_ballots_cost_nothing() -> None:
    log = archive_sitting().log
    opened = _first(log, "vote.opened")
    engine = FakeEngine(log, opened)
    index = FakeIndex()
    indexer = SearchIndexer(index, FakeEngines(engine), _texts)  # type: ignore[arg-type]
    await indexer._meeting("m1")
    (first,) = index.writes
    assert first[0] is None and first[1] == opened and first[4] == {PUBLIC_PDF: _texts_sync()}
    assert "meeting" in first[2] and any(k.startswith("paper:") for k in first[2])
    engine.upto = _first(log, "vote.closed") - 1  # ballots only
    assert {e.name for e in log[opened : engine.upto]} == {
        "vote.ballot_cast",
        "vote.ballot_recorded",
    }
    await indexer._meeting("m1")
    assert len(index.writes) == 1 and indexer.passes == 1
    engine.upto += 1  # vote.closed: the vote's entry alone changes
    await indexer._meeting("m1")
    assert index.writes[-1][0] == opened and index.writes[-1][2] == [
        next(k for k in index.digests if k.startswith("vote:"))
    ]


async def test_catching_up_stores_the_cursor_after_ballots() -> None:
    log = archive_sitting().log
    opened = _first(log, "vote.opened")
    engine = FakeEngine(log, opened)
    index = FakeIndex()
    indexer = SearchIndexer(index, FakeEngines(engine), _texts)  # type: ignore[arg-type]
    await indexer._meeting("m1")
    engine.upto = index.head = _first(log, "vote.closed") - 1  # ballots only
    indexer.nudge("m1", engine.upto)
    await indexer._meeting("m1")
    assert index.seq == opened  # a ballot costs no write while the sitting runs
    await indexer.catch_up()  # before a search, or after a restart: the cursor is stored
    assert index.seq == engine.upto and index.writes[-1][1:4] == (engine.upto, [], [])
    writes = len(index.writes)
    await indexer.catch_up()
    assert len(index.writes) == writes


async def test_another_process_writing_first_is_read_back() -> None:
    log = archive_sitting().log
    engine = FakeEngine(log, 20)
    index = FakeIndex()
    indexer = SearchIndexer(index, FakeEngines(engine), _texts)  # type: ignore[arg-type]
    await indexer._meeting("m1")
    engine.upto = 30
    index.steal = 25  # its cursor moved meanwhile: ours is refused, then done again
    await indexer._meeting("m1")
    assert [(w[0], w[1]) for w in index.writes] == [(None, 20), (25, 30)]


async def test_nudges_wake_the_task_and_stop_is_clean() -> None:
    log = archive_sitting().log
    engine = FakeEngine(log, 10)
    index = FakeIndex()
    indexer = SearchIndexer(index, FakeEngines(engine), _texts)  # type: ignore[arg-type]
    indexer.start()
    indexer.nudge("m1", 10)
    for _ in range(100):
        if index.writes:
            break
        await asyncio.sleep(0.01)
    assert index.writes and index.seq == 10
    await indexer.stop()


def _texts_sync() -> str:
    return "Nội dung trang 1 của tờ trình."


def test_pace_keeps_the_sittings_pauses_divided_by_speed_and_capped() -> None:
    def event(seq: int, at: str) -> Event:
        return Event("m1", seq, "agenda.item_opened", f"2026-12-01T08:{at}Z", None, {})

    events = [
        event(1, "00:00.000"),
        event(2, "00:10.000"),
        event(3, "00:10.500"),
        event(4, "30:00.000"),
        event(5, "29:59.000"),
    ]
    assert pace(events, None, 1.0, 60.0) == [0.0, 10.0, 10.5, 70.5, 70.5]
    assert pace(events, None, 10.0, 5.0) == [0.0, 1.0, 1.05, 6.05, 6.05]
    assert pace(events[1:], "2026-12-01T08:00:00.000Z", 2.0, 60.0)[0] == 5.0
