"""meeting_client against a scripted fake server, over real sockets on 127.0.0.1.

The fake server hands each accepted connection to the test, which plays the server's
side of the protocol step by step. Nothing waits on a sleep: every step waits for a
frame, a future or a seq, and every test runs under ``LIMIT`` seconds.
"""

from __future__ import annotations

import ast
import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import meeting_client
import pytest
from meeting_client import (
    AuthError,
    CommandError,
    Disconnected,
    MeetingClient,
    MeetingClientError,
    ProtocolError,
    Timeout,
)
from meeting_client._backoff import Reconnect, after_close, backoff_delays
from websockets.asyncio.server import ServerConnection, serve

LIMIT = 5.0
YOU = {"user_id": "d07", "name": "Delegate 7", "roles": ["delegate"], "audience": "delegates"}


def event(seq: int, name: str = "agenda.item_opened") -> dict[str, Any]:
    return {"type": "event", "seq": seq, "name": name, "at": "2026-12-01T08:00:00Z", "data": {}}


class Peer:
    """The server's end of one client connection."""

    def __init__(self, socket: ServerConnection) -> None:
        self.socket = socket

    def header(self, name: str) -> str | None:
        assert self.socket.request is not None
        return self.socket.request.headers.get(name)

    async def recv(self) -> dict[str, Any]:
        frame: dict[str, Any] = json.loads(await self.socket.recv())
        return frame

    async def send(self, frame: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(frame))

    async def welcome(self, seq: int, snapshot: dict[str, Any] | None = None) -> dict[str, Any]:
        """Read the hello, answer with a welcome; return the hello."""
        hello = await self.recv()
        assert hello["type"] == "hello"
        replay = snapshot is None
        await self.send(
            {"type": "welcome", "you": YOU, "seq": seq, "snapshot": snapshot, "replay": replay}
        )
        return hello


class FakeServer:
    def __init__(self) -> None:
        self.base_url = ""
        self._arrivals: asyncio.Queue[ServerConnection] = asyncio.Queue()

    async def handler(self, socket: ServerConnection) -> None:
        await self._arrivals.put(socket)
        await socket.wait_closed()

    async def accept(self) -> Peer:
        return Peer(await self._arrivals.get())

    @asynccontextmanager
    async def session(
        self, *, seq: int = 0, snapshot: dict[str, Any] | None = None, **options: Any
    ) -> AsyncIterator[tuple[MeetingClient, Peer, dict[str, Any]]]:
        """A connected client, its peer and its hello; the block runs under LIMIT."""
        options.setdefault("min_backoff", 0.01)
        options.setdefault("max_backoff", 0.05)
        client = MeetingClient(self.base_url, "m1", "tok", **options)
        try:
            async with asyncio.timeout(LIMIT):
                connecting = asyncio.create_task(client.connect())
                peer = await self.accept()
                hello = await peer.welcome(seq, snapshot)
                await connecting
                yield client, peer, hello
        finally:
            await client.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeServer]:
    server = FakeServer()
    async with serve(server.handler, "127.0.0.1", 0, compression=None) as listening:
        port = listening.sockets[0].getsockname()[1]
        server.base_url = f"http://127.0.0.1:{port}"
        yield server


def test_public_api_is_exactly_all() -> None:
    exported = {name for name in vars(meeting_client) if not name.startswith("_")}
    assert exported == set(meeting_client.__all__)
    assert len(meeting_client.__all__) == len(set(meeting_client.__all__))
    for name in meeting_client.__all__:
        assert getattr(meeting_client, name) is not None


def test_the_client_never_imports_the_server() -> None:
    package = Path(meeting_client.__file__).parent
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] != "meeting", f"{module.name} imports {name}"


async def test_fresh_client_gets_a_snapshot(fake: FakeServer) -> None:
    snapshots: list[dict[str, Any]] = []
    snapshot = {"title": "Sitting 12", "items": []}
    async with fake.session(seq=7, snapshot=snapshot, on_snapshot=snapshots.append) as (
        client,
        peer,
        hello,
    ):
        assert hello == {"type": "hello", "token": "tok", "since": None}
        assert peer.header("Sec-WebSocket-Extensions") is None  # no compression
        assert client.connected
        assert client.you == YOU
        assert client.seq == 7
        assert client.snapshot == snapshot
        assert snapshots == [snapshot]
        assert client.events == []


async def test_replay_and_batches_apply_in_order_once(fake: FakeServer) -> None:
    seen: list[int] = []
    async with fake.session(seq=3, since=0, on_event=lambda e: seen.append(e["seq"])) as (
        client,
        peer,
        hello,
    ):
        assert hello["since"] == 0
        await peer.send(event(1))
        await peer.send({"type": "events", "events": [event(2), event(3)]})
        await peer.send(event(2))  # a duplicate is ignored
        await peer.send({"type": "events", "events": [event(3), event(4)]})
        assert await client.wait_for_seq(4) == 4
        assert [e["seq"] for e in client.events] == [1, 2, 3, 4]
        assert seen == [1, 2, 3, 4]
        assert client.frames_received == 4


async def test_unknown_frame_types_are_skipped(fake: FakeServer) -> None:
    async with fake.session(since=0) as (client, peer, _):
        await peer.send({"type": "presence", "who": ["d01"]})
        await peer.send(event(1))
        await client.wait_for_seq(1)
        assert client.frames_received == 2


async def test_command_is_acked_with_its_seq(fake: FakeServer) -> None:
    async with fake.session(since=0) as (client, peer, _):
        acked = asyncio.create_task(client.command("agenda.open_item", {"item_id": "a1"}))
        frame = await peer.recv()
        assert frame["type"] == "command"
        assert frame["name"] == "agenda.open_item"
        assert frame["args"] == {"item_id": "a1"}
        assert 1 <= len(frame["id"]) <= 64
        await peer.send({"type": "ack", "id": frame["id"], "seq": 12})
        assert await acked == 12

        chosen = asyncio.create_task(client.command("sitting.open", id="mine-1"))
        frame = await peer.recv()
        assert frame == {"type": "command", "id": "mine-1", "name": "sitting.open", "args": {}}
        await peer.send({"type": "ack", "id": "mine-1", "seq": 13})
        assert await chosen == 13


async def test_command_error_raises_command_error(fake: FakeServer) -> None:
    async with fake.session(since=0) as (client, peer, _):
        refused = asyncio.create_task(client.command("poll.cast_ballot", {"choice": "yes"}))
        frame = await peer.recv()
        message = "no poll is open"
        await peer.send(
            {"type": "error", "id": frame["id"], "code": "invalid_state", "message": message}
        )
        with pytest.raises(CommandError) as caught:
            await refused
        assert (caught.value.code, caught.value.message) == ("invalid_state", message)
        assert caught.value.id == frame["id"]
        assert not caught.value.retryable


async def test_a_dropped_connection_resumes_and_resends_the_command(fake: FakeServer) -> None:
    async with fake.session(seq=2, since=0) as (client, peer, _):
        await peer.send({"type": "events", "events": [event(1), event(2)]})
        await client.wait_for_seq(2)
        pending = asyncio.create_task(client.command("speakers.request_floor"))
        sent = await peer.recv()
        peer.socket.transport.abort()  # the network drops before the ack

        again = await fake.accept()
        hello = await again.welcome(3)
        assert hello["since"] == 2
        await again.send(event(3))
        resent = await again.recv()
        assert resent == sent  # the same id: the server answers with the original outcome
        await again.send({"type": "ack", "id": sent["id"], "seq": 3})
        assert await pending == 3
        assert [e["seq"] for e in client.events] == [1, 2, 3]
        assert client.connected


@pytest.mark.parametrize("code", [1012, 4008, 1011, 1001])
async def test_server_closes_that_call_for_a_resume(fake: FakeServer, code: int) -> None:
    async with fake.session(seq=1, since=0) as (client, peer, _):
        await peer.send(event(1))
        await client.wait_for_seq(1)
        await peer.socket.close(code)
        again = await fake.accept()
        assert (await again.welcome(1))["since"] == 1
        await again.send(event(2))
        assert await client.wait_for_seq(2) == 2


async def test_a_resume_answered_with_a_snapshot(fake: FakeServer) -> None:
    snapshots: list[dict[str, Any]] = []
    async with fake.session(since=0, on_snapshot=snapshots.append) as (client, peer, _):
        await peer.send(event(1))
        await client.wait_for_seq(1)
        await peer.socket.close(1012)
        again = await fake.accept()
        assert (await again.welcome(40, snapshot={"title": "now"}))["since"] == 1
        assert await client.wait_for_seq(40) == 40
        assert client.snapshot == {"title": "now"}
        assert snapshots == [{"title": "now"}]
        await again.send({"type": "events", "events": [event(39), event(41)]})
        await client.wait_for_seq(41)
        assert [e["seq"] for e in client.events] == [1, 41]


@pytest.mark.parametrize("code", [4004, 4002, 1009])
async def test_final_close_codes_stop_the_client(fake: FakeServer, code: int) -> None:
    async with fake.session(since=0) as (client, peer, _):
        pending = asyncio.create_task(client.command("sitting.open"))
        await peer.recv()
        await peer.socket.close(code, "bye")
        with pytest.raises(Disconnected) as caught:
            await pending
        assert caught.value.code == code
        assert not client.connected
        with pytest.raises(Disconnected):
            await client.wait_for_seq(1)


async def test_a_refused_token_raises_auth_error(fake: FakeServer) -> None:
    client = MeetingClient(fake.base_url, "m1", "expired")
    async with asyncio.timeout(LIMIT):
        connecting = asyncio.create_task(client.connect())
        peer = await fake.accept()
        await peer.recv()
        await peer.socket.close(4001, "bad token")
        with pytest.raises(AuthError):
            await connecting
        await client.close()


async def test_a_refused_token_on_resume_fails_what_waits(fake: FakeServer) -> None:
    async with fake.session(since=0) as (client, peer, _):
        waiting = asyncio.create_task(client.wait_for_seq(5))
        await peer.socket.close(1012)
        again = await fake.accept()
        await again.recv()
        await again.socket.close(4001)
        with pytest.raises(AuthError):
            await waiting


async def test_wait_for_finds_past_and_future_events(fake: FakeServer) -> None:
    async with fake.session(since=0) as (client, peer, _):
        await peer.send(event(1, "sitting.opened"))
        await client.wait_for_seq(1)
        found = await client.wait_for(lambda e: e["name"] == "sitting.opened")
        assert found["seq"] == 1
        later = asyncio.create_task(
            client.wait_for(lambda e: e["name"] == "sitting.opened", since=1)
        )
        await peer.send(event(2, "agenda.item_opened"))
        await peer.send(event(3, "sitting.opened"))
        assert (await later)["seq"] == 3


async def test_waits_end_with_timeout(fake: FakeServer) -> None:
    async with fake.session(since=0) as (client, peer, _):
        with pytest.raises(Timeout):
            await client.wait_for_seq(1, timeout=0.05)
        with pytest.raises(TimeoutError):  # Timeout is also the builtin
            await client.command("sitting.open", timeout=0.05)
        assert (await peer.recv())["type"] == "command"


async def test_close_ends_pending_commands(fake: FakeServer) -> None:
    async with fake.session(since=0) as (client, peer, _):
        pending = asyncio.create_task(client.command("sitting.open"))
        await peer.recv()
        await client.close()
        with pytest.raises(Disconnected) as caught:
            await pending
        assert caught.value.code == 1000
        assert not client.connected
        with pytest.raises(Disconnected):
            await client.command("sitting.open")


async def test_a_malformed_frame_stops_the_client(fake: FakeServer) -> None:
    async with fake.session(since=0) as (client, peer, _):
        waiting = asyncio.create_task(client.wait_for_seq(1))
        await peer.send({"type": "event", "seq": "one"})
        with pytest.raises(ProtocolError):
            await waiting
        await peer.socket.wait_closed()
        assert peer.socket.close_code == 1002


async def test_origin_is_sent_when_given(fake: FakeServer) -> None:
    async with fake.session(origin="https://hall.example") as (_, peer, _hello):
        assert peer.header("Origin") == "https://hall.example"


async def test_command_before_connect_is_a_programming_error() -> None:
    client = MeetingClient("http://127.0.0.1:1", "m1")
    with pytest.raises(RuntimeError):
        await client.command("sitting.open")


async def test_a_closed_port_raises_connect_error() -> None:
    client = MeetingClient("http://127.0.0.1:1", "m1", open_timeout=LIMIT)
    with pytest.raises(meeting_client.ConnectError):
        await client.connect()
    assert isinstance(meeting_client.ConnectError("x"), MeetingClientError)


def test_close_codes_map_to_a_plan() -> None:
    assert after_close(4001) is Reconnect.STOP
    assert after_close(4004) is Reconnect.STOP
    assert after_close(1012) is Reconnect.PROMPTLY
    assert after_close(4008) is Reconnect.PROMPTLY
    assert after_close(1006) is Reconnect.BACK_OFF
    assert after_close(1000) is Reconnect.BACK_OFF  # a close we did not ask for


def test_backoff_grows_is_capped_and_jittered() -> None:
    delays = backoff_delays(0.1, 1.0, rng=lambda: 1.0)
    assert [round(next(delays), 3) for _ in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    low = backoff_delays(0.1, 1.0, rng=lambda: 0.0)
    assert [round(next(low), 3) for _ in range(2)] == [0.05, 0.1]
    prompt = backoff_delays(0.1, 1.0, prompt=True, rng=lambda: 0.5)
    assert next(prompt) == pytest.approx(0.05)
