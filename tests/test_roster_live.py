"""`POST …/roster` over a real socket: the clerk imports delegates from a file, checked whole
first, with accounts for the new people and nothing more than a clerk may do."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import PASSWORD, Live, provision, serve, settings_for

ROSTER = """seat,name,username,pin
5,Lê Văn Hùng,d10,246810
6,Phạm Thị Thu Hà,d11,
7,Nguyễn Đức Anh,d01,999999
"""


@pytest.fixture
async def hall(tmp_path: Path, db_url: str) -> AsyncIterator[Live]:
    async with serve(settings_for(tmp_path, database_url=db_url)) as server:
        await provision(server)
        yield server


async def post(live: Live, user: str, text: str, kind: str = "text/csv") -> httpx.Response:
    headers = {"Authorization": f"Bearer {await live.token(user)}", "Content-Type": kind}
    async with httpx.AsyncClient(base_url=live.base) as http:
        return await http.post("/api/meetings/m1/roster", content=text.encode(), headers=headers)


async def sign_in(live: Live, user: str, pin: str) -> int:
    async with httpx.AsyncClient(base_url=live.base) as http:
        r = await http.post("/api/auth/login", json={"username": user, "password": pin})
        return r.status_code


def members(live: Live) -> dict[str, Any]:
    engine = next(e for e in live.services.engines.loaded() if e.meeting_id == "m1")
    return dict(engine.state.members)


async def test_the_clerk_imports_delegates_with_their_accounts(hall: Live) -> None:
    r = await post(hall, "clerk", ROSTER)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["imported"] == 3 and body["failed"] == []
    assert set(body["pins"]) == {"d11"} and len(body["pins"]["d11"]) == 6  # shown once
    assert body["kept"] == ["d01"]  # an existing account keeps its PIN
    roster = members(hall)
    assert (roster["d10"].name, roster["d10"].seat) == ("Lê Văn Hùng", 5)
    assert roster["d11"].name == "Phạm Thị Thu Hà" and roster["d01"].seat == 7
    assert await sign_in(hall, "d10", "246810") == 200
    assert await sign_in(hall, "d11", body["pins"]["d11"]) == 200
    assert await sign_in(hall, "d01", "999999") == 401  # not taken over by the file
    assert await sign_in(hall, "d01", PASSWORD) == 200
    # The log says the clerk did it, and no PIN is in it.
    engine = next(e for e in hall.services.engines.loaded() if e.meeting_id == "m1")
    rows = await hall.services.store.log.read("m1")
    sets = [row.event for row in rows if row.event.name == "member.set"][-3:]
    assert {e.actor for e in sets} == {"clerk"}
    assert "246810" not in repr(rows) and body["pins"]["d11"] not in repr(rows)
    # The same file again changes nothing and creates no one twice.
    again = (await post(hall, "clerk", ROSTER)).json()
    assert (
        again["imported"] == 3
        and again["pins"] == {}
        and set(again["kept"]) == {"d10", "d11", "d01"}
    )
    assert engine.state.seq == (await hall.services.store.log.read("m1"))[-1].event.seq


async def test_a_file_with_problems_is_refused_whole(hall: Live) -> None:
    bad = "seat,name,username,pin\n5,Lê Văn Hùng,d10,12\n5,,D 11!,\n"
    r = await post(hall, "clerk", bad)
    assert r.status_code == 422 and r.json()["code"] == "invalid_import"
    problems = {(p["row"], p["column"]) for p in r.json()["problems"]}
    assert {(2, "pin"), (3, "name"), (3, "username"), (3, "seat")} <= problems
    assert "d10" not in members(hall)
    assert await hall.services.store.accounts.user("d10") is None


async def test_a_clerk_cannot_give_staff_roles_but_an_administrator_can(hall: Live) -> None:
    chairs = "seat,name,username,roles,pin\n,Người lạ,boss,chair,123456\n"
    r = await post(hall, "clerk", chairs)
    assert r.status_code == 403 and r.json()["code"] == "not_allowed"
    assert await hall.services.store.accounts.user("boss") is None
    # The chair is in the roster: a clerk's file cannot touch her either.
    r = await post(hall, "clerk", "seat,name,username\n9,Chủ tọa,chair\n")
    assert r.status_code == 403
    # Nor may a delegate or an observer import at all.
    r = await post(hall, "d01", ROSTER)
    assert r.status_code == 403
    r = await post(hall, "admin", chairs)
    assert r.status_code == 200 and r.json()["imported"] == 1
    assert {role.value for role in members(hall)["boss"].roles} == {"chair"}


async def test_json_rosters_and_size_limits(hall: Live) -> None:
    rows = '[{"seat": 12, "name": "Trần Thị Mai", "username": "d20", "pin": "555555"}]'
    r = await post(hall, "clerk", rows, "application/json")
    assert r.status_code == 200 and members(hall)["d20"].seat == 12
    r = await post(hall, "clerk", "seat,name,username\n" + "x" * (3 * 1024 * 1024))
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    r = await post(hall, "clerk", "")
    assert r.status_code == 422 and r.json()["code"] == "invalid_import"
