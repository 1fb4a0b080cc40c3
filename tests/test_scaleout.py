"""Three server processes, one PostgreSQL log, the Redis hub between them.

Tablets are spread over the processes and commands go to all of them (WebSocket and HTTP);
every tablet must receive exactly its audience's view of the log, in `seq` order, with no
gap. Then one process is killed (SIGKILL) in the middle of a ballot burst: its tablets
resume on another process, retry under their ids, and every acknowledged ballot counts once.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest

from meeting.cli.main import main
from tests.live import Endpoint, Wire
from tests.scaleout import (
    REDIS_URL,
    Cluster,
    cast,
    check_in,
    choice,
    cluster,
    converge,
    expected_counts,
    gapless,
    seen_by,
    users,
    vote,
)

DELEGATES = 30


async def _tablets(
    stack: AsyncExitStack, endpoints: list[Endpoint], tokens: dict[str, str], who: list[str]
) -> list[Wire]:
    """One tablet per user, tablet `i` on process `i % n`."""
    return [
        await stack.enter_async_context(endpoints[i % len(endpoints)].socket(u, token=tokens[u]))
        for i, u in enumerate(who)
    ]


async def test_tablets_on_three_processes_see_one_log(tmp_path: Path) -> None:
    async with cluster(tmp_path, 3, DELEGATES) as c:
        p0, p1, p2 = c.endpoints
        voters = users(DELEGATES)
        tokens = {u: await p0.token(u) for u in [*voters, "chair", "clerk"]}
        async with AsyncExitStack() as stack:
            chair = await stack.enter_async_context(p0.socket("chair", token=tokens["chair"]))
            clerk = await stack.enter_async_context(p1.socket("clerk", token=tokens["clerk"]))
            public = [await stack.enter_async_context(p.socket(None)) for p in c.endpoints]
            tablets = await _tablets(stack, c.endpoints, tokens, voters)
            everyone = [chair, clerk, *public, *tablets]
            start = chair.welcome["seq"]
            assert {w.welcome["seq"] for w in everyone} == {start}

            assert (await chair.command("sitting.open"))["type"] == "ack"
            ack = await clerk.command("agenda.add_item", title="Mục bổ sung (p1, WebSocket)")
            assert ack["type"] == "ack", ack
            async with httpx.AsyncClient(base_url=p2.base) as http:
                r = await http.post(
                    "/api/meetings/m1/commands",
                    json={"id": "h1", "name": "agenda.add_item",
                          "args": {"title": "Mục bổ sung (p2, HTTP)"}},
                    headers={"Authorization": f"Bearer {tokens['clerk']}"},
                )  # fmt: skip
                assert r.status_code == 200, r.text

            await check_in(tablets)
            for rnd, method in enumerate(("electronic_named", "electronic_secret")):
                vote_id = await vote(chair, rnd, method)
                for n, t in enumerate(tablets):
                    await cast(t, f"v{rnd}", vote_id, choice(rnd, n))
                answers = await asyncio.gather(*(t.answer(f"v{rnd}") for t in tablets))
                assert [a["type"] for a in answers] == ["ack"] * DELEGATES, answers
                # The close is decided on p0 from what p1 and p2 committed: the secret
                # running totals must have come back from the database too.
                close = await chair.command("vote.close", vote_id=vote_id)
                assert close["type"] == "ack", close
                closed = await chair.recv_until(
                    lambda e, v=vote_id: e["name"] == "vote.closed" and e["data"]["vote_id"] == v
                )
                result = closed["data"]["result"]
                assert result["cast"] == DELEGATES
                assert result["counts"] == expected_counts(rnd, DELEGATES)

            await converge(everyone, close["seq"])
            log = await c.log()
            assert log[-1].seq == close["seq"]
            for w in everyone:
                assert gapless(w.events)
                assert w.events == seen_by(log, w, start), w.welcome["you"]

        # Every process holds the same state: the same snapshot for the same viewer.
        async with httpx.AsyncClient() as http:
            answers = [(await http.get(f"{p.base}/api/meetings/m1")).json() for p in c.endpoints]
        # `now` is each process's clock as it answered; the rest is the meeting's state.
        views = [{k: v for k, v in a.items() if k != "now"} for a in answers]
        assert views[0]["seq"] == close["seq"]
        assert views[1] == views[0] and views[2] == views[0]


async def test_sigkill_one_process_mid_burst(tmp_path: Path) -> None:
    async with cluster(tmp_path, 3, DELEGATES) as c:
        voters = users(DELEGATES)
        tokens = {u: await c.endpoints[0].token(u) for u in [*voters, "chair"]}
        for rnd, method in enumerate(("electronic_named", "electronic_secret")):
            await _kill_during_ballots(c, tokens, voters, rnd, method)
            c.endpoints[1] = await c.procs[1].start()
        ballots = [e for e in await c.log() if e.name == "vote.ballot_cast"]
        assert len({(e.data["vote_id"], e.data["user_id"]) for e in ballots}) == len(ballots)
        assert len(ballots) == 2 * DELEGATES


async def _kill_during_ballots(
    c: Cluster, tokens: dict[str, str], voters: list[str], rnd: int, method: str
) -> None:
    """Ballots on three processes; SIGKILL p1 after a third are acknowledged; its
    tablets resume on p2 and retry; the result counts every ballot once."""
    p0, _, p2 = c.endpoints
    cid = f"r{rnd}"
    acked: dict[str, int] = {}
    async with AsyncExitStack() as stack:
        chair = await stack.enter_async_context(p0.socket("chair", token=tokens["chair"]))
        tablets = await _tablets(stack, c.endpoints, tokens, voters)
        if rnd == 0:
            assert (await chair.command("sitting.open"))["type"] == "ack"
            await check_in(tablets)
        vote_id = await vote(chair, rnd, method)
        enough = asyncio.Event()

        async def collect(user: str, t: Wire) -> None:
            answer = await t.answer(cid)
            assert answer["type"] == "ack", answer
            acked[user] = answer["seq"]
            if len(acked) >= DELEGATES // 3:
                enough.set()

        for n, t in enumerate(tablets):
            await cast(t, cid, vote_id, choice(rnd, n))
        doomed = {i for i in range(len(voters)) if i % 3 == 1}
        readers = [asyncio.create_task(collect(u, t)) for u, t in zip(voters, tablets, strict=True)]
        await enough.wait()
        await c.procs[1].kill()
        for i in doomed:
            readers[i].cancel()
        await asyncio.gather(*(readers[i] for i in doomed), return_exceptions=True)
        # The other processes' tablets are answered as if nothing had happened.
        await asyncio.gather(*(r for i, r in enumerate(readers) if i not in doomed))

        # p1's tablets resume on p2 from the last seq they had, and retry under the same id.
        resumed: dict[int, Wire] = {}
        for i in sorted(doomed):
            tablets[i].ws.transport.abort()
            user = voters[i]
            since = tablets[i].seq
            t = await stack.enter_async_context(p2.socket(user, since=since, token=tokens[user]))
            assert t.welcome["replay"] is True
            resumed[i] = t
            answer = await t.command("vote.cast", cid=cid, vote_id=vote_id, choice=choice(rnd, i))
            assert answer["type"] == "ack", (user, answer)
            assert acked.setdefault(user, answer["seq"]) == answer["seq"]

        close = await chair.command("vote.close", vote_id=vote_id)
        assert close["type"] == "ack", close
        closed = await chair.recv_until(lambda e: e["name"] == "vote.closed")
        result = closed["data"]["result"]
        assert result["cast"] == len(voters)
        assert result["counts"] == expected_counts(rnd, len(voters))
        if method == "electronic_named":
            assert sorted(result["ballots"]) == sorted(voters)

        alive = [t for i, t in enumerate(tablets) if i not in doomed]
        await converge([chair, *alive, *resumed.values()], close["seq"])
        log = await c.log()
        for i, t in enumerate(tablets):
            events = t.events + (resumed[i].events if i in resumed else [])
            assert gapless(events), voters[i]
            assert events == seen_by(log, t, t.welcome["seq"]), voters[i]
        by_seq = {e.seq: e for e in log}
        for user, seq in acked.items():
            assert by_seq[seq].name == "vote.ballot_cast"
            assert by_seq[seq].data["user_id"] == user


async def test_the_cli_announces_what_it_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`meeting import agenda` during a sitting: with HUB_URL set, the tablets of every
    process get the new items at once, with no other commit to wake their process."""
    async with cluster(tmp_path, 2, 3) as c, AsyncExitStack() as stack:
        tablets = [await stack.enter_async_context(p.socket(None)) for p in c.endpoints]
        agenda = tmp_path / "agenda.csv"
        agenda.write_text("title\nMục bổ sung từ dòng lệnh\n", encoding="utf-8")
        monkeypatch.setenv("DATABASE_URL", c.db_url)
        monkeypatch.setenv("HUB_URL", REDIS_URL)
        monkeypatch.setenv("MEETING_HUB_CHANNEL", c.channel)
        argv = ["--data", str(tmp_path / "cli"), "import", "agenda", str(agenda), "--meeting", "m1"]
        assert await asyncio.to_thread(main, argv) == 0
        for t in tablets:
            added = await t.recv_until(lambda e: e["name"] == "agenda.item_added")
            assert added["data"]["item"]["title"] == "Mục bổ sung từ dòng lệnh"
