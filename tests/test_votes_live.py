"""Votes over real sockets: 55 tablets, named and secret, races, refusals, secrecy."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import Live, Wire, provision, serve, settings_for

DELEGATES = 54  # and the chair, who is a delegate too: 55 tablets
FOR, AGAINST, ABSTAIN = "tan_thanh", "khong_tan_thanh", "khong_bieu_quyet"


@pytest.fixture
async def hall(tmp_path: Path, db_url: str) -> AsyncIterator[Live]:
    settings = settings_for(tmp_path, database_url=db_url, command_burst=500, command_rate=1000.0)
    async with serve(settings) as server:
        await provision(server, delegates=DELEGATES, present=True)
        yield server


async def _tablets(live: Live, stack: AsyncExitStack) -> list[Wire]:
    names = [f"d{n:02d}" for n in range(1, DELEGATES + 1)]
    return [await stack.enter_async_context(live.socket(n)) for n in names]


async def _schedule(chair: Wire, live: Live, **args: Any) -> str:
    engine = live.services.engines.loaded()[0]
    item = engine.state.order[0]
    ack = await chair.command(
        "vote.schedule", item_id=item, question="Thông qua nghị quyết?", **args
    )
    assert ack["type"] == "ack", ack
    return next(
        v
        for v in engine.state.votes.order
        if engine.state.votes.by_id[v].status.value == "scheduled"
    )


def _choice(n: int) -> str:
    return [FOR, FOR, AGAINST, ABSTAIN][n % 4]


async def _cast_all(tablets: list[Wire], vote: str) -> list[dict[str, Any]]:
    for n, t in enumerate(tablets):
        await t.send({"type": "command", "id": f"b-{vote}", "name": "vote.cast",
                      "args": {"vote_id": vote, "choice": _choice(n)}})  # fmt: skip
    return list(await asyncio.gather(*(t.answer(f"b-{vote}") for t in tablets)))


async def _result(wire: Wire, vote: str) -> dict[str, Any]:
    while True:
        for e in wire.events:
            if e["name"] == "vote.closed" and e["data"]["vote_id"] == vote:
                return dict(e["data"]["result"])
        await wire.recv()


@pytest.mark.parametrize("method", ["electronic_named", "electronic_secret"])
async def test_a_hall_votes_and_everyone_sees_the_same_result(hall: Live, method: str) -> None:
    async with AsyncExitStack() as stack:
        chair = await stack.enter_async_context(hall.socket("chair"))
        observer = await stack.enter_async_context(hall.socket(None))
        tablets = await _tablets(hall, stack)
        await chair.command("sitting.open")
        vote = await _schedule(chair, hall, method=method)
        assert (await chair.command("vote.open", vote_id=vote))["type"] == "ack"
        answers = await _cast_all(tablets, vote)
        assert all(a["type"] == "ack" for a in answers), answers
        async with httpx.AsyncClient(base_url=hall.base) as http:
            token = await hall.token("clerk")
            view = (
                await http.get("/api/meetings/m1", headers={"Authorization": f"Bearer {token}"})
            ).json()
        open_vote = next(v for v in view["snapshot"]["votes"] if v["vote_id"] == vote)
        assert open_vote["cast"] == DELEGATES and "chair" not in open_vote["voted"]
        assert open_vote["counts"] is None  # no live counts unless the vote says so
        await chair.command("vote.close", vote_id=vote)
        expected = {FOR: 0, AGAINST: 0, ABSTAIN: 0}
        for n in range(DELEGATES):
            expected[_choice(n)] += 1
        results = [await _result(w, vote) for w in (chair, observer, *tablets[:5])]
        assert all(r == results[0] for r in results)
        result = results[0]
        assert result["counts"] == expected and result["cast"] == DELEGATES
        assert result["seats"] == DELEGATES + 1
        assert result["passed"] is (expected[FOR] * 2 > DELEGATES + 1)
        if method == "electronic_named":
            assert result["ballots"]["d03"] == _choice(2)
            mine = [e for e in tablets[2].events if e["name"] == "vote.ballot_recorded"]
            assert [e["data"]["choice"] for e in mine] == [_choice(2)]
            assert not [
                e
                for e in tablets[3].events
                if e["name"] == "vote.ballot_recorded" and e["data"]["user_id"] != "d04"
            ]
        else:
            assert "ballots" not in result
            for w in (chair, observer, *tablets):
                assert not [e for e in w.events if e["name"] == "vote.ballot_recorded"]


async def test_ballots_racing_the_close(hall: Live) -> None:
    async with AsyncExitStack() as stack:
        chair = await stack.enter_async_context(hall.socket("chair"))
        tablets = await _tablets(hall, stack)
        await chair.command("sitting.open")
        vote = await _schedule(chair, hall)
        await chair.command("vote.open", vote_id=vote)
        half = len(tablets) // 2
        for n, t in enumerate(tablets):
            await t.send({"type": "command", "id": "race", "name": "vote.cast",
                          "args": {"vote_id": vote, "choice": _choice(n)}})  # fmt: skip
            if n == half:
                await chair.send({"type": "command", "id": "close", "name": "vote.close",
                                  "args": {"vote_id": vote}})  # fmt: skip
        answers = await asyncio.gather(*(t.answer("race") for t in tablets))
        assert (await chair.answer("close"))["type"] == "ack"
        acked = [t for t, a in zip(tablets, answers, strict=True) if a["type"] == "ack"]
        refused = [a for a in answers if a["type"] == "error"]
        assert all(a["code"] == "vote_closed" for a in refused)
        result = await _result(chair, vote)
        assert result["cast"] == len(acked)
        assert sorted(result["ballots"]) == sorted(t.welcome["you"]["user_id"] for t in acked)


async def test_refusals_over_websocket_and_http(hall: Live) -> None:
    async with hall.socket("chair") as chair, hall.socket("d01") as d1:
        await chair.command("sitting.open")
        vote = await _schedule(chair, hall, require_pin=True)
        assert (await d1.command("vote.open", vote_id=vote))["code"] == "not_allowed"
        assert (await d1.command("vote.cast", vote_id=vote, choice=FOR))["code"] == "vote_closed"
        await chair.command("vote.open", vote_id=vote)
        assert (await d1.command("vote.cast", vote_id=vote, choice=FOR))["code"] == "pin_required"
        wrong = await d1.command("vote.cast", vote_id=vote, choice=FOR, pin="0000")
        assert wrong["code"] == "pin_invalid"
        ok = await d1.command("vote.cast", vote_id=vote, choice=FOR, pin="mật khẩu 1")
        assert ok["type"] == "ack"
        again = await d1.command("vote.cast", vote_id=vote, choice=AGAINST, pin="mật khẩu 1")
        assert again["code"] == "already_voted"
        async with httpx.AsyncClient(base_url=hall.base) as http:
            url = "/api/meetings/m1/commands"

            async def post(user: str, cid: str, **args: Any) -> httpx.Response:
                token = await hall.token(user)
                body = {"id": cid, "name": "vote.cast", "args": {"vote_id": vote, **args}}
                return await http.post(url, json=body, headers={"Authorization": f"Bearer {token}"})

            r = await post("d01", "h1", choice=FOR, pin="mật khẩu 1")
            assert (r.status_code, r.json()["code"]) == (409, "already_voted")
            r = await post("d02", "h2", choice=FOR)
            assert (r.status_code, r.json()["code"]) == (403, "pin_required")
            r = await post("d02", "h3", choice=FOR, pin="1")
            assert (r.status_code, r.json()["code"]) == (403, "pin_invalid")
            r = await post("clerk", "h4", choice=FOR)
            assert (r.status_code, r.json()["code"]) == (403, "not_allowed")
            r = await post("d02", "h5", choice="có lẽ", pin="mật khẩu 1")
            assert (r.status_code, r.json()["code"]) == (422, "invalid_args")
            r = await post("d02", "h6", choice=FOR, pin="mật khẩu 1")
            assert r.status_code == 200
            await chair.command("vote.close", vote_id=vote)
            r = await post("d03", "h7", choice=FOR, pin="mật khẩu 1")
            assert (r.status_code, r.json()["code"]) == (409, "vote_closed")
    await hall.services.audit.flush()
    audit = await hall.services.store.log.audit_rows("m1")
    codes = {a.code for a in audit}
    assert {"pin_required", "pin_invalid", "already_voted", "vote_closed", "not_allowed"} <= codes
    assert not [a for a in audit if "mật khẩu" in a.message]  # a PIN is never written down
