"""SIGKILL during ballot bursts, ten times: every acknowledged ballot is counted exactly once."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from meeting.api.auth import Authenticator
from meeting.cli.provision import create_meeting, put_user, record_attendance
from meeting.engine import Engines
from meeting.hub import Hub
from meeting.store import Store
from tests.live import PASSWORD, Wire, settings_for
from tests.sitting import roster
from tests.test_crash import ServerProcess

ROUNDS = 10
DELEGATES = 30
KILL_AFTER_ACKS = 10
OPTIONS = ["tan_thanh", "khong_tan_thanh", "khong_bieu_quyet"]


async def _provision(data_dir: Path, db_url: str) -> None:
    store = await Store.open(settings_for(data_dir, database_url=db_url).sqlalchemy_url)
    auth = Authenticator(store.accounts, token_ttl=3600, time_cost=1, memory_kib=1024)
    people = roster(DELEGATES)
    for p in people:
        await put_user(store, auth, p["user_id"], p["name"], PASSWORD, now="2026-12-01T07:00:00Z")
    engines = Engines(store.log, Hub())
    args = {"body": {"id": "b", "name": "HĐND", "seats": DELEGATES + 1}, "title": "Phiên",
            "members": people}  # fmt: skip
    engine = await create_meeting(engines, "m1", args, [{"title": "Biểu quyết các nghị quyết"}])
    voters = [p["user_id"] for p in people if "delegate" in p["roles"]]
    await record_attendance(engine, dict.fromkeys(voters, "present"))
    await engines.stop()
    await store.close()


@pytest.fixture
async def server(tmp_path: Path, db_url: str) -> Any:
    await _provision(tmp_path, db_url)
    proc = ServerProcess(tmp_path, db_url)
    yield proc
    await proc.stop()


def _named(name: str) -> Any:
    return lambda e: e["name"] == name


async def _collect(
    user: str, t: Wire, cid: str, acked: dict[str, int], enough: asyncio.Event
) -> None:
    answer = await t.answer(cid)
    assert answer["type"] == "ack", answer
    acked[user] = answer["seq"]
    if len(acked) >= KILL_AFTER_ACKS:
        enough.set()


def _choice(rnd: int, n: int) -> str:
    return OPTIONS[(rnd + n) % 3]


async def test_acknowledged_ballots_survive_ten_crashes(server: ServerProcess) -> None:
    endpoint = await server.start()
    users = [f"d{n:02d}" for n in range(1, DELEGATES + 1)]
    tokens = {u: await endpoint.token(u) for u in [*users, "chair"]}
    for rnd in range(ROUNDS):
        method = "electronic_secret" if rnd % 2 else "electronic_named"
        acked: dict[str, int] = {}
        async with AsyncExitStack() as stack:
            chair = await stack.enter_async_context(endpoint.socket("chair", token=tokens["chair"]))
            if rnd == 0:
                await chair.command("sitting.open")
            item = chair.welcome["snapshot"]["items"][0]["item_id"]
            ack = await chair.command(
                "vote.schedule", item_id=item, question=f"Nghị quyết số {rnd + 1}", method=method
            )
            assert ack["type"] == "ack", ack
            scheduled = await chair.recv_until(_named("vote.scheduled"))
            vote = scheduled["data"]["vote_id"]
            assert (await chair.command("vote.open", vote_id=vote))["type"] == "ack"
            tablets = [
                await stack.enter_async_context(endpoint.socket(u, token=tokens[u])) for u in users
            ]
            for n, t in enumerate(tablets):
                await t.send({"type": "command", "id": f"r{rnd}", "name": "vote.cast",
                              "args": {"vote_id": vote, "choice": _choice(rnd, n)}})  # fmt: skip
            enough = asyncio.Event()
            readers = [
                asyncio.create_task(_collect(u, t, f"r{rnd}", acked, enough))
                for u, t in zip(users, tablets, strict=True)
            ]
            await enough.wait()
            await server.kill()
            for r in readers:
                r.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
            for w in (chair, *tablets):
                w.ws.transport.abort()
        endpoint = await server.start()

        async with AsyncExitStack() as stack:
            # Every tablet retries its ballot with the same id: the server answers each with
            # the original outcome, or applies it now; none is applied twice.
            for n, u in enumerate(users):
                t = await stack.enter_async_context(endpoint.socket(u, token=tokens[u]))
                answer = await t.command(
                    "vote.cast", cid=f"r{rnd}", vote_id=vote, choice=_choice(rnd, n)
                )
                assert answer["type"] == "ack", (u, answer)
                if u in acked:
                    assert answer["seq"] == acked[u]
            chair = await stack.enter_async_context(endpoint.socket("chair", token=tokens["chair"]))
            close = await chair.command("vote.close", vote_id=vote)
            assert close["type"] == "ack"
            result = (await chair.recv_until(_named("vote.closed")))["data"]["result"]
            expected = {o: 0 for o in OPTIONS}
            for n in range(DELEGATES):
                expected[_choice(rnd, n)] += 1
            assert result["cast"] == DELEGATES and result["counts"] == expected, rnd
            if method == "electronic_named":
                assert sorted(result["ballots"]) == sorted(users)
