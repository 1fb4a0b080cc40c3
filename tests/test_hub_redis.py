"""The Redis hub against a real Redis: announcements, coalescing, garbage, a lost link.

Each test has a channel of its own. Needs Redis at 127.0.0.1:6379 (required in CI).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from redis.asyncio import Redis

from meeting.hub import open_hub
from meeting.hub.redis import RedisHub
from tests.databases import in_ci, shared_services
from tests.scaleout import REDIS_URL, redis_reachable


class Follower:
    def __init__(self) -> None:
        self.heard: list[tuple[str, int]] = []
        self.resyncs = 0
        self.changed = asyncio.Event()

    def follow(self, meeting_id: str, seq: int) -> None:
        self.heard.append((meeting_id, seq))
        self.changed.set()

    def resync(self) -> None:
        self.resyncs += 1
        self.changed.set()

    async def until(self, done: Callable[[], bool], seconds: float = 10.0) -> None:
        async with asyncio.timeout(seconds):
            while not done():
                self.changed.clear()
                await self.changed.wait()


@pytest.fixture
async def channel() -> AsyncIterator[str]:
    if not await redis_reachable():
        if in_ci():
            pytest.fail(f"CI=true but no Redis at {REDIS_URL}")
        pytest.skip(f"needs Redis at {REDIS_URL} (CI requires it)")
    async with shared_services():
        yield f"meeting-test-{secrets.token_hex(6)}"


@asynccontextmanager
async def running(channel: str, url: str = REDIS_URL) -> AsyncIterator[tuple[RedisHub, Follower]]:
    hub = RedisHub(url, channel, min_backoff=0.05, max_backoff=0.2)
    follower = Follower()
    await hub.start(follower)
    try:
        yield hub, follower
    finally:
        await hub.stop()


async def test_processes_hear_each_other_but_not_themselves(channel: str) -> None:
    async with running(channel) as (a, fa), running(channel) as (b, fb):
        assert a.status() == (True, "redis: ok") and b.status() == (True, "redis: ok")
        a.announce("m1", 7)
        await fb.until(lambda: ("m1", 7) in fb.heard)
        b.announce("m2", 3)
        await fa.until(lambda: ("m2", 3) in fa.heard)
        await asyncio.sleep(0.1)
        assert fa.heard == [("m2", 3)] and fb.heard == [("m1", 7)]
        assert a.announced == 1 and b.heard == 1


async def test_announcements_are_coalesced_per_meeting(channel: str) -> None:
    async with running(channel) as (a, _), running(channel) as (_, fb):
        for seq in range(1, 101):
            a.announce("m1", seq)
        a.announce("m1", 50)  # older than what waits: ignored
        await fb.until(lambda: ("m1", 100) in fb.heard)
        seqs = [s for _, s in fb.heard]
        assert seqs == sorted(seqs) and len(seqs) < 100


async def test_garbage_on_the_channel_is_ignored(channel: str) -> None:
    async with running(channel) as (a, fa):
        client = Redis.from_url(REDIS_URL)
        try:
            for junk in (b"not json", b'{"meeting": 1}', b"[]", b'{"seq": 5}'):
                await client.publish(channel, junk)
            await client.publish(channel, b'{"meeting": "m9", "seq": 4, "origin": "elsewhere"}')
        finally:
            await client.aclose()
        await fa.until(lambda: ("m9", 4) in fa.heard)
        assert fa.heard == [("m9", 4)] and a.garbled == 4


async def test_a_lost_link_reconnects_and_resyncs(channel: str) -> None:
    async with running(channel) as (a, fa), running(channel) as (b, fb):
        before = fb.resyncs
        admin = Redis.from_url(REDIS_URL, decode_responses=True)
        try:
            ours = [c for c in await admin.client_list() if c["name"] == f"meeting-hub:{b.origin}"]
            assert ours
            for c in ours:  # only b's own connections: other tests' hubs are untouched
                await admin.execute_command("CLIENT", "KILL", "ID", c["id"])
        finally:
            await admin.aclose()
        # b catches up from the database after resubscribing, and hears again.
        await fb.until(lambda: fb.resyncs > before and b.connected)
        assert b.reconnects >= 1
        a.announce("m1", 42)
        await fb.until(lambda: ("m1", 42) in fb.heard)
        b.announce("m1", 43)  # its publishing connection comes back too
        await fa.until(lambda: ("m1", 43) in fa.heard)


async def test_without_redis_the_database_is_polled(channel: str) -> None:
    dead = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    async with running(channel, dead) as (hub, follower):
        ok, text = hub.status()
        assert not ok and text.startswith("redis: error")
        await follower.until(lambda: follower.resyncs >= 3)
        hub.announce("m1", 1)  # kept, not lost, not blocking
        await asyncio.sleep(0.1)


def test_the_url_picks_the_hub() -> None:
    assert not open_hub("").distributed
    assert open_hub("").status() == (True, "in-process")
    hub = open_hub("redis://127.0.0.1:6379/0", "c")
    assert isinstance(hub, RedisHub) and hub.distributed
    with pytest.raises(ValueError, match="HUB_URL"):
        open_hub("http://127.0.0.1:6379")
