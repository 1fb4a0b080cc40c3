"""Several `meeting serve` processes on one PostgreSQL database and one Redis channel.

The scale-out tests need PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379
(`MEETING_TEST_REDIS` to change it). With `CI=true` both are required and a missing one
fails the test; elsewhere the test is skipped with a message naming what is missing. Each
test gets a fresh database and its own channel, so tests of other sessions never hear it.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from meeting.api.auth import Authenticator
from meeting.cli.provision import create_meeting, put_user
from meeting.domain import Audience, Event
from meeting.engine import Engines
from meeting.hub import Hub
from meeting.hub.local import event_message, visible
from meeting.store import Store
from tests.databases import database_url, in_ci, postgres_reachable, shared_services
from tests.live import PASSWORD, Endpoint, Wire
from tests.sitting import roster
from tests.test_crash import ServerProcess

REDIS_URL = os.environ.get("MEETING_TEST_REDIS", "redis://127.0.0.1:6379/0")
OPTIONS = ["tan_thanh", "khong_tan_thanh", "khong_bieu_quyet"]


async def redis_reachable() -> bool:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(await client.ping())
    except (OSError, ConnectionError, Exception):
        return False
    finally:
        await client.aclose()


async def require_services() -> None:
    """Skip (or fail, in CI) unless PostgreSQL and Redis answer."""
    checks = [
        ("PostgreSQL at 127.0.0.1:5432", await postgres_reachable()),
        (f"Redis at {REDIS_URL}", await redis_reachable()),
    ]
    missing = [what for what, ok in checks if not ok]
    if missing:
        message = f"scale-out test needs {' and '.join(missing)}"
        if in_ci():
            pytest.fail(f"CI=true but no {' and no '.join(missing)}")
        pytest.skip(message + " (CI requires them)")


def users(delegates: int) -> list[str]:
    """The delegates who vote in these tests (the chair, a delegate too, does not)."""
    return [f"d{n:02d}" for n in range(1, delegates + 1)]


async def provision(db_url: str, delegates: int) -> None:
    """Users (chair, clerk, d01…) and meeting `m1` with one agenda item."""
    store = await Store.open(db_url)
    try:
        auth = Authenticator(store.accounts, token_ttl=3600, time_cost=1, memory_kib=1024)
        people = roster(delegates)
        for p in people:
            await put_user(store, auth, p["user_id"], p["name"], PASSWORD, now="2026-12-01T07:00Z")
        engines = Engines(store.log, Hub())
        body = {"id": "b", "name": "HĐND", "seats": delegates + 1}
        args = {"body": body, "title": "Phiên toàn thể", "members": people}
        await create_meeting(engines, "m1", args, [{"title": "Biểu quyết các nghị quyết"}])
        await engines.stop()
    finally:
        await store.close()


class Cluster:
    """`n` server processes sharing one database and one Redis channel."""

    def __init__(self, root: Path, db_url: str, n: int) -> None:
        self.db_url = db_url
        self.channel = f"meeting-test-{secrets.token_hex(6)}"
        env = {"HUB_URL": REDIS_URL, "MEETING_HUB_CHANNEL": self.channel}
        self.procs = [ServerProcess(root / f"p{i}", db_url, env) for i in range(n)]
        self.endpoints: list[Endpoint] = []

    async def start(self) -> None:
        self.endpoints = list(await asyncio.gather(*(p.start() for p in self.procs)))

    async def stop(self) -> None:
        await asyncio.gather(*(p.stop() for p in self.procs), return_exceptions=True)

    async def log(self) -> list[Event]:
        store = await Store.open(self.db_url, migrate_schema=False)
        try:
            return [r.event for r in await store.log.read("m1")]
        finally:
            await store.close()


@asynccontextmanager
async def cluster(tmp_path: Path, n: int, delegates: int) -> AsyncIterator[Cluster]:
    await require_services()
    async with shared_services(), database_url("postgres", tmp_path) as url:
        await provision(url, delegates)
        c = Cluster(tmp_path, url, n)
        try:
            await c.start()
            yield c
        finally:
            await c.stop()


def choice(rnd: int, n: int) -> str:
    return OPTIONS[(rnd + n) % 3]


def expected_counts(rnd: int, delegates: int) -> dict[str, int]:
    counts = dict.fromkeys(OPTIONS, 0)
    for n in range(delegates):
        counts[choice(rnd, n)] += 1
    return counts


def seen_by(log: Iterable[Event], wire: Wire, after: int) -> list[dict[str, Any]]:
    """What `wire`'s audience must have received of `log` after seq `after`, as sent."""
    you = wire.welcome["you"]
    shown = visible([e for e in log if e.seq > after], Audience(you["audience"]), you["user_id"])
    return [event_message(e) for e in shown]


async def converge(wires: Iterable[Wire], seq: int, seconds: float = 30.0) -> None:
    """Wait until every wire has applied `seq` (each reads its own frames)."""
    async with asyncio.timeout(seconds):
        await asyncio.gather(*(w.until_seq(seq) for w in wires))


def gapless(events: list[dict[str, Any]]) -> bool:
    seqs = [e["seq"] for e in events]
    return seqs == sorted(set(seqs))


async def vote(chair: Wire, rnd: int, method: str) -> str:
    """Schedule and open a vote on the only item; its id."""
    item = chair.welcome["snapshot"]["items"][0]["item_id"]
    question = f"Nghị quyết số {rnd + 1}"
    ack = await chair.command("vote.schedule", item_id=item, question=question, method=method)
    assert ack["type"] == "ack", ack
    scheduled = await chair.recv_until(
        lambda e: e["name"] == "vote.scheduled" and e["data"]["question"] == question
    )
    vote_id: str = scheduled["data"]["vote_id"]
    opened = await chair.command("vote.open", vote_id=vote_id)
    assert opened["type"] == "ack", opened
    return vote_id


async def check_in(tablets: Iterable[Wire]) -> None:
    """Every delegate checks in from her own tablet, all at once (votes need a quorum)."""
    answers = await asyncio.gather(*(t.command("attendance.check_in") for t in tablets))
    assert [a["type"] for a in answers] == ["ack"] * len(answers), answers


async def cast(wire: Wire, cid: str, vote_id: str, option: str) -> None:
    await wire.send(
        {"type": "command", "id": cid, "name": "vote.cast",
         "args": {"vote_id": vote_id, "choice": option}}
    )  # fmt: skip
