"""The HTTP side: sign-in, snapshots, the log with long-poll, commands, refusals."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator

import httpx
import pytest

from meeting.api.auth import hash_token
from tests.live import PASSWORD, Live

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
async def http(live: Live) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.base, timeout=10) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_sign_in_and_out(live: Live, http: httpx.AsyncClient) -> None:
    bad = await http.post("/api/auth/login", json={"username": "chair", "password": "nope"})
    assert bad.status_code == 401 and bad.json()["code"] == "unauthorized"
    ghost = await http.post("/api/auth/login", json={"username": "ghost", "password": PASSWORD})
    assert ghost.status_code == 401
    ok = await http.post("/api/auth/login", json={"username": "Chair", "password": PASSWORD})
    assert ok.status_code == 200 and ok.json()["user"]["id"] == "chair"
    token = ok.json()["token"]
    listing = await http.get("/api/meetings", headers=bearer(token))
    assert [m["roles"] for m in listing.json()["meetings"]] == [["chair", "delegate"]]
    await http.post("/api/auth/logout", headers=bearer(token))
    after = await http.post(
        "/api/meetings/m1/commands", json={"id": "a", "name": "sitting.open"}, headers=bearer(token)
    )
    assert after.status_code == 401


async def test_commands_over_http_with_codes(live: Live, http: httpx.AsyncClient) -> None:
    chair, delegate = await live.token("chair"), await live.token("d01")
    url = "/api/meetings/m1/commands"
    before = (await http.get("/api/meetings/m1", headers=bearer(chair))).json()["seq"]
    cases = [
        ({"id": "x", "name": "sitting.open"}, None, 401, "unauthorized"),
        ({"id": "x", "name": "sitting.open"}, delegate, 403, "not_allowed"),
        (
            {"id": "x", "name": "agenda.open_item", "args": {"item_id": "z"}},
            chair,
            409,
            "invalid_state",
        ),
        ({"id": "y", "name": "agenda.warp"}, chair, 400, "unknown_command"),
        ({"id": "z", "name": "agenda.add_item", "args": {"title": 5}}, chair, 422, "invalid_args"),
        ({"name": "sitting.open"}, chair, 400, "bad_message"),
    ]
    for body, token, status, code in cases:
        r = await http.post(url, json=body, headers=bearer(token) if token else {})
        assert (r.status_code, r.json()["code"]) == (status, code), body
    r = await http.post(url, content=b"{oops", headers=bearer(chair))
    assert (r.status_code, r.json()["code"]) == (400, "bad_json")
    r = await http.post(url, content=b"x" * 100_000, headers=bearer(chair))
    assert (r.status_code, r.json()["code"]) == (413, "too_large")
    r = await http.post("/api/meetings/nope/commands", json={"id": "1", "name": "x"})
    assert r.status_code == 404
    assert (await http.get("/api/meetings/m1", headers=bearer(chair))).json()["seq"] == before
    first = await http.post(
        url, json={"id": "open-1", "name": "sitting.open"}, headers=bearer(chair)
    )
    again = await http.post(
        url, json={"id": "open-1", "name": "sitting.open"}, headers=bearer(chair)
    )
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"id": "open-1", "seq": before + 1}


async def test_public_snapshot_hides_closed_session_items(
    live: Live, http: httpx.AsyncClient
) -> None:
    public = (await http.get("/api/meetings/m1")).json()["snapshot"]
    staff = (await http.get("/api/meetings/m1", headers=bearer(await live.token("clerk")))).json()
    assert len(staff["snapshot"]["items"]) == 3
    assert len(public["items"]) == 2
    assert "nhân sự" not in repr(public).lower()
    events = (await http.get("/api/meetings/m1/events?since=0")).json()
    assert "nhân sự" not in repr(events).lower()
    assert events["until"] == staff["seq"]


async def test_long_poll_wakes_on_commit(live: Live, http: httpx.AsyncClient) -> None:
    head = (await http.get("/api/meetings/m1")).json()["seq"]
    waiting = asyncio.create_task(http.get(f"/api/meetings/m1/events?since={head}&wait=20"))
    chair = await live.token("chair")
    r = await http.post(
        "/api/meetings/m1/commands", json={"id": "o", "name": "sitting.open"}, headers=bearer(chair)
    )
    assert r.status_code == 200
    body = (await waiting).json()
    assert [e["name"] for e in body["events"]] == ["sitting.opened"]
    assert body["events"][0]["seq"] == head + 1
    future = (await http.get(f"/api/meetings/m1/events?since={head + 99}")).json()
    assert future["snapshot"]["status"] == "open"
    bad = await http.get("/api/meetings/m1/events?since=abc")
    assert bad.status_code == 400


async def test_the_log_and_the_snapshot_carry_the_servers_time(
    live: Live, http: httpx.AsyncClient
) -> None:
    """`now`, as in the WebSocket's `welcome`: a client on the HTTP fallback syncs its clock."""
    async with live.socket(None) as public:
        assert ISO.match(public.welcome["now"])
    snap = (await http.get("/api/meetings/m1")).json()
    assert ISO.match(snap["now"])
    head = snap["seq"]
    waiting = asyncio.create_task(http.get(f"/api/meetings/m1/events?since={head}&wait=20"))
    chair = await live.token("chair")
    sent = {"id": "open", "name": "sitting.open"}
    opened = await http.post("/api/meetings/m1/commands", json=sent, headers=bearer(chair))
    assert opened.is_success
    page = (await waiting).json()
    # Taken as the long-poll answers, after the commit that woke it: not before its event.
    assert ISO.match(page["now"]) and page["now"] >= page["events"][-1]["at"]
    ahead = (await http.get(f"/api/meetings/m1/events?since={head + 99}")).json()
    assert ISO.match(ahead["now"]) and ahead["now"] >= page["now"]


async def test_a_bad_token_reading_the_meeting_gets_401_not_the_public_view(
    live: Live, http: httpx.AsyncClient
) -> None:
    svc = live.services
    expired = secrets.token_urlsafe(32)
    await svc.store.accounts.add_token(
        hash_token(expired), "d01", now="2020-01-01T00:00:00.000Z",
        expires_at="2020-01-01T16:00:00.000Z",
    )  # fmt: skip
    revoked = await live.token("d01")
    assert (await http.post("/api/auth/logout", headers=bearer(revoked))).is_success
    unknown = secrets.token_urlsafe(32)
    valid = await live.token("d01")
    for path in ("/api/meetings/m1", "/api/meetings/m1/events?since=0",
                 "/api/meetings/m1/events?since=99999"):  # fmt: skip
        for token in (expired, revoked, unknown):
            r = await http.get(path, headers=bearer(token))
            assert (r.status_code, r.json()["code"]) == (401, "unauthorized"), (path, token)
        public = await http.get(path)
        assert public.status_code == 200
        delegate = await http.get(path, headers=bearer(valid))
        assert delegate.status_code == 200
        assert "nhân sự" in delegate.text.lower() and "nhân sự" not in public.text.lower()
    await svc.audit.flush()
    refusals = [a for a in await svc.store.log.audit_rows("m1") if a.code == "unauthorized"]
    assert [(a.source, a.message) for a in refusals] == [("http", "bad token")] * 9


async def test_health(http: httpx.AsyncClient) -> None:
    body = (await http.get("/healthz")).json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["meetings"] == 1


async def test_only_an_admin_creates_meetings_and_a_refusal_leaves_nothing(
    live: Live, http: httpx.AsyncClient
) -> None:
    args = {"body": {"id": "b2", "name": "Thường trực HĐND", "seats": 7}, "title": "Phiên họp"}
    clerk, admin = await live.token("clerk"), await live.token("admin")
    r = await http.post("/api/meetings", json={"id": "tt-1", "args": args}, headers=bearer(clerk))
    assert (r.status_code, r.json()["code"]) == (403, "not_allowed")
    bad = {**args, "body": {"id": "b2", "name": "x", "seats": 0}}
    r = await http.post("/api/meetings", json={"id": "tt-1", "args": bad}, headers=bearer(admin))
    assert (r.status_code, r.json()["code"]) == (422, "invalid_args")
    assert (await http.get("/api/meetings/tt-1")).status_code == 404
    r = await http.post("/api/meetings", json={"id": "tt-1", "args": args}, headers=bearer(admin))
    assert r.status_code == 201 and r.json() == {"id": "tt-1", "seq": 1}
    snapshot = (await http.get("/api/meetings/tt-1")).json()["snapshot"]
    assert snapshot["body"]["name"] == "Thường trực HĐND"
    r = await http.post("/api/meetings", json={"id": "Bad Id", "args": args}, headers=bearer(admin))
    assert r.status_code == 400
