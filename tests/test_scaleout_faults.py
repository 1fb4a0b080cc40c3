"""Two server processes while the shared Redis or PostgreSQL restarts under them.

Redis away: ballots are still accepted (Redis is never on the path of a command), and the
tablets of both processes converge from the database while it is away and after it is
back. PostgreSQL away mid-burst: no command is acknowledged without its commit, what was
acknowledged survives, and everything refused as `unavailable` applies once on retry.

Marked `faults`: each takes the machine's shared servers for itself
(`tests.databases.exclusive_services`), so these run in the normal suite but one at a time,
and never while another session's test is using PostgreSQL or Redis.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.databases import exclusive_services
from tests.faults import eventually, postgres_down, redis_down, require_restartable
from tests.live import Endpoint, Wire
from tests.scaleout import (
    cast,
    check_in,
    choice,
    cluster,
    converge,
    expected_counts,
    gapless,
    require_services,
    seen_by,
    users,
    vote,
)

pytestmark = pytest.mark.faults

DELEGATES = 24


async def _health(endpoint: Endpoint) -> tuple[int, dict[str, Any]]:
    async with httpx.AsyncClient(base_url=endpoint.base, timeout=10) as http:
        r = await http.get("/healthz")
        return r.status_code, r.json()


async def _wave(tablets: list[Wire], who: range, vote_id: str) -> int:
    """Ballots of the delegates `who`, all at once; the highest seq acknowledged."""
    for n in who:
        await cast(tablets[n], "v", vote_id, choice(0, n))
    answers = await asyncio.gather(*(tablets[n].answer("v") for n in who))
    assert [a["type"] for a in answers] == ["ack"] * len(answers), answers
    return max(a["seq"] for a in answers)


async def test_redis_restart_mid_sitting(tmp_path: Path) -> None:
    await require_services()
    require_restartable(redis=True)
    async with exclusive_services(), cluster(tmp_path, 2, DELEGATES) as c, AsyncExitStack() as s:
        p0 = c.endpoints[0]
        voters = users(DELEGATES)
        tokens = {u: await p0.token(u) for u in [*voters, "chair"]}
        chair = await s.enter_async_context(p0.socket("chair", token=tokens["chair"]))
        public = [await s.enter_async_context(p.socket(None)) for p in c.endpoints]
        tablets = [
            await s.enter_async_context(c.endpoints[i % 2].socket(u, token=tokens[u]))
            for i, u in enumerate(voters)
        ]
        everyone = [chair, *public, *tablets]
        await chair.command("sitting.open")
        await check_in(tablets)
        vote_id = await vote(chair, 0, "electronic_named")
        third = DELEGATES // 3
        await converge(everyone, await _wave(tablets, range(0, third), vote_id))

        async with redis_down():
            for p in c.endpoints:
                status, health = await _health(p)
                assert status == 200 and health["status"] == "degraded", health
                assert health["hub"].startswith("redis: error"), health
            # Commands never wait for Redis; the tablets of both processes still converge,
            # from the database, while it is away.
            seq = await _wave(tablets, range(third, 2 * third), vote_id)
            await converge(everyone, seq, seconds=15)

        seq = await _wave(tablets, range(2 * third, DELEGATES), vote_id)
        await converge(everyone, seq, seconds=15)
        for p in c.endpoints:

            async def hub_back(p: Endpoint = p) -> bool:
                return (await _health(p))[1]["hub"] == "redis: ok"

            await eventually(hub_back, 15)
        close = await chair.command("vote.close", vote_id=vote_id)
        assert close["type"] == "ack", close
        closed = await chair.recv_until(lambda e: e["name"] == "vote.closed")
        assert closed["data"]["result"]["counts"] == expected_counts(0, DELEGATES)
        await converge(everyone, close["seq"])
        log = await c.log()
        for w in everyone:
            assert gapless(w.events)
            assert w.events == seen_by(log, w, w.welcome["seq"])


BURST = 80
"""Commands per sender (two senders); under MEETING_MAX_INFLIGHT."""


async def _reader(wire: Wire, prefix: str, answers: dict[str, dict[str, Any]]) -> None:
    while sum(1 for k in answers if k.startswith(prefix)) < BURST:
        message = await wire.recv()
        if message["type"] in ("ack", "error") and message.get("id"):
            answers[message["id"]] = message


async def _paced(
    wire: Wire, prefix: str, answers: dict[str, dict[str, Any]], started: asyncio.Event
) -> None:
    """Send BURST commands, one every 20 ms, while a reader collects every answer."""
    reader = asyncio.create_task(_reader(wire, prefix, answers))
    for n in range(BURST):
        await wire.send({"type": "command", "id": f"{prefix}{n}", "name": "agenda.add_item",
                         "args": {"title": f"{prefix}{n}"}})  # fmt: skip
        if n == BURST // 4:
            started.set()
        await asyncio.sleep(0.02)
    await reader


async def test_postgres_restart_mid_burst(tmp_path: Path) -> None:
    await require_services()
    require_restartable(postgres=True)
    async with exclusive_services(), cluster(tmp_path, 2, 3) as c, AsyncExitStack() as s:
        p0, p1 = c.endpoints
        clerk = await s.enter_async_context(p0.socket("clerk"))
        chair = await s.enter_async_context(p1.socket("chair"))
        public = [await s.enter_async_context(p.socket(None)) for p in c.endpoints]
        assert (await chair.command("sitting.open"))["type"] == "ack"
        answers: dict[str, dict[str, Any]] = {}
        started = asyncio.Event()
        senders = [
            asyncio.create_task(_paced(clerk, "a", answers, started)),
            asyncio.create_task(_paced(chair, "b", answers, asyncio.Event())),
        ]
        await started.wait()
        async with postgres_down():
            await asyncio.sleep(0.5)
        async with asyncio.timeout(60):
            await asyncio.gather(*senders)

        refused = {k: a for k, a in answers.items() if a["type"] == "error"}
        assert {a["code"] for a in refused.values()} <= {"unavailable"}, refused
        assert refused, "the restart fell between two commands: nothing was refused"
        acked = {k: a["seq"] for k, a in answers.items() if a["type"] == "ack"}
        # Retry what was refused, under the same ids, until the pool is back.
        for cid in sorted(refused):
            wire = clerk if cid.startswith("a") else chair
            async with asyncio.timeout(30):
                while True:
                    answer = await wire.command("agenda.add_item", cid=cid, title=cid)
                    if answer["type"] == "ack":
                        break
                    assert answer["code"] == "unavailable", answer
                    await asyncio.sleep(0.2)
            acked[cid] = answer["seq"]

        log = await c.log()
        last = log[-1].seq
        await converge([clerk, chair, *public], last)
        added = {e.seq: e.data["item"]["title"] for e in log if e.name == "agenda.item_added"}
        sent = {f"{p}{n}" for p in "ab" for n in range(BURST)}
        assert sorted(t for t in added.values() if t in sent) == sorted(sent)  # each once
        for cid, seq in acked.items():  # no ack without its commit
            assert added[seq] == cid
        for w in (clerk, chair, *public):
            assert gapless(w.events)
            assert w.events == seen_by(log, w, w.welcome["seq"])
