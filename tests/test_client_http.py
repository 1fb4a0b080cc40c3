"""meeting_client's HTTP side (sign_in, HttpMeetingClient) against httpx's mock transport."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from meeting_client import (
    AuthError,
    CommandError,
    HttpMeetingClient,
    HTTPStatusError,
    ProtocolError,
    TransportError,
    sign_in,
)

BASE = "http://hall.test"
Handler = Callable[[httpx.Request], httpx.Response]


def mock(handler: Handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_sign_in_returns_the_token() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url == f"{BASE}/api/auth/login"
        assert json.loads(request.content) == {"username": "d07", "password": "pw"}
        return httpx.Response(200, json={"token": "t-1", "user": {"user_id": "d07"}})

    async with mock(handler) as http:
        assert await sign_in(BASE, "d07", "pw", http=http) == "t-1"


async def test_sign_in_refused_raises_auth_error() -> None:
    async with mock(lambda _: httpx.Response(401, json={"code": "unauthorized"})) as http:
        with pytest.raises(AuthError):
            await sign_in(BASE, "d07", "wrong", http=http)


async def test_snapshot_and_events_carry_the_token() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer t-1"
        assert request.url.raw_path.startswith(b"/api/meetings/m%201")  # the id is quoted
        if request.url.path == "/api/meetings/m 1":
            return httpx.Response(200, json={"seq": 4, "snapshot": {"title": "x"}})
        assert request.url.path == "/api/meetings/m 1/events"
        assert dict(request.url.params) == {"since": "2", "wait": "1.5"}
        return httpx.Response(200, json={"seq": 4, "events": [{"seq": 3}, {"seq": 4}]})

    async with (
        mock(handler) as http,
        HttpMeetingClient(BASE, "m 1", "t-1", http=http) as meeting,
    ):
        view = await meeting.get_snapshot()
        assert (view.seq, view.snapshot) == (4, {"title": "x"})
        page = await meeting.read_events(2, wait=1.5)
        assert [e["seq"] for e in page.events] == [3, 4]
        assert page.snapshot is None


async def test_command_ack_and_refusal() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body["name"] == "sitting.open":
            return httpx.Response(200, json={"id": body["id"], "seq": 9})
        error = {"id": body["id"], "code": "not_allowed", "message": "chair only"}
        return httpx.Response(403, json=error)

    async with mock(handler) as http, HttpMeetingClient(BASE, "m1", "t", http=http) as meeting:
        assert await meeting.command("sitting.open", id="c-1") == 9
        with pytest.raises(CommandError) as caught:
            await meeting.command("sitting.close", id="c-2")
        assert (caught.value.code, caught.value.id) == ("not_allowed", "c-2")


async def test_unexpected_answers_and_failures_are_translated() -> None:
    def gateway(_: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>bad gateway</html>")

    def garbled(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"seq": "four"})

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with mock(gateway) as http, HttpMeetingClient(BASE, "m1", http=http) as meeting:
        with pytest.raises(HTTPStatusError) as caught:
            await meeting.command("sitting.open")
        assert caught.value.status_code == 502
    async with mock(garbled) as http, HttpMeetingClient(BASE, "m1", http=http) as meeting:
        with pytest.raises(ProtocolError):
            await meeting.get_snapshot()
    async with mock(down) as http, HttpMeetingClient(BASE, "m1", http=http) as meeting:
        with pytest.raises(TransportError):
            await meeting.read_events(0)


async def test_an_own_pool_is_closed() -> None:
    meeting = HttpMeetingClient(BASE, "m1")
    await meeting.aclose()
    assert meeting._http.is_closed
