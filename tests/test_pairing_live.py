"""Tablet pairing over real sockets, on SQLite and PostgreSQL: codes, PINs, devices, binding.

The server's clock is the test's (`Clock`): a code expires when the test moves the clock,
never after a real wait.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from sqlalchemy import inspect
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from meeting.api.pairing import ALPHABET, normalize_code
from meeting.domain.times import iso
from tests.live import PASSWORD, Live, Wire, provision, serve, settings_for

TTL = 120.0


class Clock:
    """The server's clock, moved by the test."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> str:
        return iso(self.at)

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def hall(tmp_path: Path, db_url: str, clock: Clock) -> AsyncIterator[Live]:
    settings = settings_for(
        tmp_path,
        database_url=db_url,
        pairing_code_ttl=TTL,
        pairing_code_attempts=3,
        pairing_client_attempts=6,
    )
    async with serve(settings, clock=clock) as server:
        await provision(server, present=True)
        yield server


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _issue(live: Live, user: str, by: str = "clerk") -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=live.base) as http:
        r = await http.post(
            "/api/meetings/m1/pairing", json={"user_id": user}, headers=_auth(await live.token(by))
        )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def _pair(live: Live, code: str, pin: str = PASSWORD, name: str = "Ghế 12") -> httpx.Response:
    async with httpx.AsyncClient(base_url=live.base) as http:
        return await http.post(
            "/api/auth/pair", json={"code": code, "pin": pin, "device_name": name}
        )


async def _devices(live: Live, query: str = "") -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=live.base) as http:
        r = await http.get(
            f"/api/meetings/m1/devices{query}", headers=_auth(await live.token("clerk"))
        )
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()["devices"]
    return found


async def _revoke(live: Live, device_id: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=live.base) as http:
        return await http.post(
            f"/api/meetings/m1/devices/{device_id}/revoke", headers=_auth(await live.token("clerk"))
        )


async def _closed(wire: Wire) -> int | None:
    """Read until the server closes the socket; its close code."""
    try:
        while True:
            await wire.recv()
    except ConnectionClosed as exc:
        return exc.rcvd.code if exc.rcvd else None


async def test_a_code_signs_one_tablet_in_as_its_delegate_once(hall: Live) -> None:
    issued = await _issue(hall, "d01")
    code = issued["code"]
    assert len(code) == 9 and code[4] == "-" and set(code.replace("-", "")) <= set(ALPHABET)
    assert issued["url"].endswith(f"/app/delegate/?m=m1&pair={code.replace('-', '')}")
    assert issued["qr_svg"].startswith("<svg") and "viewBox" in issued["qr_svg"]
    # Typed on a tablet: lower case, without the dash.
    r = await _pair(hall, code.replace("-", "").lower())
    assert r.status_code == 200, r.text
    paired = r.json()
    assert paired["user"]["id"] == "d01" and paired["meeting_id"] == "m1"
    async with hall.socket(None, token=paired["token"]) as tablet:
        assert tablet.welcome["you"]["user_id"] == "d01"
        assert tablet.welcome["you"]["roles"] == ["delegate"]
    (device,) = await _devices(hall)
    assert device["device_id"] == paired["device"]["id"]
    assert (device["user_id"], device["name"], device["paired_by"]) == ("d01", "Ghế 12", "clerk")
    # Single use: the same code again, even with the right PIN, is refused.
    again = await _pair(hall, code)
    assert (again.status_code, again.json()["code"]) == (401, "pairing_invalid")
    # The staff's log has the pairing, for staff only.
    async with hall.socket("clerk", since=0) as clerk, hall.socket("d02", since=0) as other:
        event = await clerk.recv_until(lambda e: e["name"] == "device.paired")
        expected = {"device_id": device["device_id"], "user_id": "d01", "name": "Ghế 12",
                    "paired_by": "clerk", "replaced": []}  # fmt: skip
        assert event["data"] == expected
        assert event["actor"] is None
        await other.until_seq(event["seq"] - 1)
        assert not [e for e in other.events if e["name"].startswith("device.")]


async def test_an_expired_code_is_refused(hall: Live, clock: Clock) -> None:
    code = (await _issue(hall, "d01"))["code"]
    clock.advance(TTL + 1)
    r = await _pair(hall, code)
    assert (r.status_code, r.json()["code"]) == (401, "pairing_invalid")
    clock.advance(-2)  # still within its time (the clock is the server's)
    fresh = await _issue(hall, "d01")
    assert (await _pair(hall, fresh["code"])).status_code == 200


async def test_a_new_code_replaces_the_previous_one(hall: Live) -> None:
    first = (await _issue(hall, "d02"))["code"]
    second = (await _issue(hall, "d02"))["code"]
    r = await _pair(hall, first)
    assert (r.status_code, r.json()["code"]) == (401, "pairing_invalid")
    assert (await _pair(hall, second)).json()["user"]["id"] == "d02"


async def test_wrong_pins_void_the_code_and_failures_slow_a_client(hall: Live) -> None:
    code = (await _issue(hall, "d01"))["code"]
    for _ in range(2):
        r = await _pair(hall, code, pin="0000")
        assert (r.status_code, r.json()["code"]) == (401, "pairing_invalid")
    r = await _pair(hall, code, pin="0000")  # the third wrong PIN: the code is void
    assert (r.status_code, r.json()["code"]) == (429, "too_many_attempts")
    r = await _pair(hall, code)
    assert (r.status_code, r.json()["code"]) == (401, "pairing_invalid")
    # Four failures so far from this address; two more wrong codes reach its limit (6) ...
    for guess in ("AAAA-AAAA", "not a code"):
        r = await _pair(hall, guess)
        assert (r.status_code, r.json()["code"]) == (401, "pairing_invalid")
    # ... and now even a right code with the right PIN waits.
    fresh = (await _issue(hall, "d02"))["code"]
    r = await _pair(hall, fresh)
    assert (r.status_code, r.json()["code"]) == (429, "too_many_attempts")
    await hall.services.audit.flush()
    codes = [a["code"] for a in await hall.services.store.log.raw_table("audit")]
    assert codes.count("pairing_invalid") == 5 and codes.count("too_many_attempts") == 2


async def test_only_the_meetings_staff_pair_and_see_devices(hall: Live) -> None:
    async with httpx.AsyncClient(base_url=hall.base) as http:
        delegate = _auth(await hall.token("d01"))
        r = await http.post("/api/meetings/m1/pairing", json={"user_id": "d02"}, headers=delegate)
        assert (r.status_code, r.json()["code"]) == (403, "not_allowed")
        r = await http.get("/api/meetings/m1/devices", headers=delegate)
        assert r.status_code == 403
        r = await http.post("/api/meetings/m1/pairing", json={"user_id": "d01"})
        assert r.status_code == 401
        clerk = _auth(await hall.token("clerk"))
        r = await http.post("/api/meetings/m1/pairing", json={"user_id": "obs"}, headers=clerk)
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
    # Nobody can claim a pairing in the log by sending the command.
    async with hall.socket("clerk") as clerk_ws:
        args = {"device_id": "x", "user_id": "d01", "name": "x", "paired_by": "clerk"}
        await clerk_ws.send({"type": "command", "id": "p1", "name": "device.pair", "args": args})
        answer = await clerk_ws.answer("p1")
        assert answer["code"] == "not_allowed"


async def test_revoking_a_tablet_stops_its_token_and_closes_its_socket(hall: Live) -> None:
    paired = (await _pair(hall, (await _issue(hall, "d01"))["code"])).json()
    token = paired["token"]
    async with hall.socket(None, token=token) as tablet:
        assert tablet.welcome["you"]["user_id"] == "d01"
        r = await _revoke(hall, paired["device"]["id"])
        assert r.status_code == 200 and r.json()["device"]["revoked_by"] == "clerk"
        assert await _closed(tablet) == 4003
    async with httpx.AsyncClient(base_url=hall.base) as http:
        check_in = {"id": "x1", "name": "attendance.check_in", "args": {}}
        r = await http.post("/api/meetings/m1/commands", headers=_auth(token), json=check_in)
        assert (r.status_code, r.json()["code"]) == (401, "unauthorized")
    async with connect(hall.ws_url(), compression=None) as again:
        await again.send(msgspec.json.encode({"type": "hello", "token": token}).decode())
        with pytest.raises(ConnectionClosed) as closed:
            await again.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001
    assert await _devices(hall) == []
    (gone,) = await _devices(hall, "?all=1")
    assert gone["revoked_at"] is not None
    async with hall.socket("clerk", since=0) as clerk:
        event = await clerk.recv_until(lambda e: e["name"] == "device.revoked")
        assert event["data"]["revoked_by"] == "clerk"


async def test_pairing_a_new_tablet_retires_the_delegates_earlier_one(hall: Live) -> None:
    first = (await _pair(hall, (await _issue(hall, "d03"))["code"])).json()
    async with hall.socket(None, token=first["token"]) as old_tablet:
        second = (await _pair(hall, (await _issue(hall, "d03"))["code"])).json()
        assert await _closed(old_tablet) == 4003
    (device,) = await _devices(hall)
    assert device["device_id"] == second["device"]["id"]
    async with hall.socket("clerk") as clerk:
        view = clerk.welcome["snapshot"]["devices"]["paired"]
        assert [d["device_id"] for d in view] == [second["device"]["id"]]


async def test_ballots_come_only_from_the_paired_tablet_when_the_sitting_says_so(
    hall: Live,
) -> None:
    paired = (await _pair(hall, (await _issue(hall, "d01"))["code"])).json()
    async with hall.socket("chair") as chair:
        assert (await chair.command("sitting.open"))["type"] == "ack"
        bound = await chair.command("device.set_binding", ballots_from_paired_device=True)
        assert bound["type"] == "ack"
        engine = hall.services.engines.loaded()[0]
        item = engine.state.order[0]
        await chair.command("vote.schedule", item_id=item, question="Thông qua?")
        vote = engine.state.votes.order[-1]
        assert (await chair.command("vote.open", vote_id=vote))["type"] == "ack"
        # The same delegate signed in with her password elsewhere: refused, and audited.
        async with hall.socket("d01") as laptop:
            refused = await laptop.command("vote.cast", vote_id=vote, choice="tan_thanh")
            assert refused["code"] == "device_not_paired"
        async with httpx.AsyncClient(base_url=hall.base) as http:
            r = await http.post(
                "/api/meetings/m1/commands",
                headers=_auth(await hall.token("d02")),
                json={"id": "h1", "name": "vote.cast",
                      "args": {"vote_id": vote, "choice": "tan_thanh"}},
            )  # fmt: skip
            assert (r.status_code, r.json()["code"]) == (403, "device_not_paired")
        async with hall.socket(None, token=paired["token"]) as tablet:
            ok = await tablet.command("vote.cast", vote_id=vote, choice="tan_thanh")
            assert ok["type"] == "ack", ok
        # A tablet paired over HTTP commands too.
        d2 = (await _pair(hall, (await _issue(hall, "d02"))["code"])).json()
        async with httpx.AsyncClient(base_url=hall.base) as http:
            r = await http.post(
                "/api/meetings/m1/commands",
                headers=_auth(d2["token"]),
                json={"id": "h2", "name": "vote.cast",
                      "args": {"vote_id": vote, "choice": "khong_tan_thanh"}},
            )  # fmt: skip
            assert r.status_code == 200, r.text
        # Unbound: any sign-in of hers votes again.
        unbound = await chair.command("device.set_binding", ballots_from_paired_device=False)
        assert unbound["type"] == "ack"
        async with hall.socket("d03") as laptop:
            ok = await laptop.command("vote.cast", vote_id=vote, choice="tan_thanh")
            assert ok["type"] == "ack", ok
    await hall.services.audit.flush()
    refusals = [a for a in await hall.services.store.log.audit_rows("m1")
                if a.code == "device_not_paired"]  # fmt: skip
    assert {(a.user_id, a.name) for a in refusals} == {("d01", "vote.cast"), ("d02", "vote.cast")}


async def test_no_code_and_no_pin_is_kept_in_clear(
    hall: Live, backend: str, tmp_path: Path
) -> None:
    issued = await _issue(hall, "d01")
    code = normalize_code(issued["code"])
    assert code is not None
    await _pair(hall, code, pin="sai-ma-pin-9")  # a wrong PIN, audited
    assert (await _pair(hall, code)).status_code == 200
    unused = normalize_code((await _issue(hall, "d02"))["code"])  # still waiting in the store
    assert unused is not None
    await hall.services.audit.flush()
    store = hall.services.store
    async with store.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    secrets = {code, issued["code"], unused, PASSWORD, "sai-ma-pin-9"}
    for table in tables:
        for row in await store.log.raw_table(table):
            text = repr(row)
            assert not [s for s in secrets if s in text], f"{table} keeps a secret: {row}"
    if backend == "sqlite":
        raw = _raw(tmp_path)
        for s in secrets:
            assert s.encode() not in raw


def _raw(data_dir: Path) -> bytes:
    """The SQLite files as an attacker copies them (deleted rows included)."""
    return b"".join(p.read_bytes() for p in data_dir.glob("meeting.db*") if p.is_file())


async def test_the_qr_code_names_the_public_address_behind_a_proxy(
    tmp_path: Path, db_url: str
) -> None:
    settings = settings_for(tmp_path, database_url=db_url, public_url="https://hop.hdnd.local/")
    async with serve(settings) as server:
        await provision(server)
        issued = await _issue(server, "d02")
    code = issued["code"].replace("-", "")
    assert issued["url"] == f"https://hop.hdnd.local/app/delegate/?m=m1&pair={code}"
