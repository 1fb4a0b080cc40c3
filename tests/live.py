"""A real uvicorn server on a loopback port, in the test's own event loop.

The socket is bound before the server starts, so clients may connect at once: the kernel
holds them until uvicorn accepts, and uvicorn accepts only after the app's start-up.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import msgspec
import uvicorn
from starlette.applications import Starlette
from websockets.asyncio.client import ClientConnection, connect

from meeting.api import create_app
from meeting.api.services import Services
from meeting.cli.provision import create_meeting, put_user, record_attendance
from meeting.settings import Settings
from tests.sitting import roster

PASSWORD = "mật khẩu 1"


def settings_for(data_dir: Path, **overrides: Any) -> Settings:
    base = Settings(data_dir=data_dir, argon2_time_cost=1, argon2_memory_kib=1024)
    return replace(base, **overrides)


def uvicorn_config(app: Starlette, settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        ws_max_size=settings.max_message_bytes,
        lifespan="on",
        log_level="warning",
    )


@dataclass
class Endpoint:
    """A server somewhere on this machine's loopback, spoken to over real sockets."""

    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, meeting_id: str = "m1") -> str:
        return f"ws://127.0.0.1:{self.port}/ws/meetings/{meeting_id}"

    async def token(self, user: str) -> str:
        async with httpx.AsyncClient(base_url=self.base) as http:
            r = await http.post("/api/auth/login", json={"username": user, "password": PASSWORD})
            r.raise_for_status()
            token: str = r.json()["token"]
            return token

    @asynccontextmanager
    async def socket(
        self,
        user: str | None,
        since: int | None = None,
        meeting_id: str = "m1",
        token: str | None = None,
        **kw: Any,
    ) -> AsyncIterator[Wire]:
        if token is None and user:
            token = await self.token(user)
        kw.setdefault("max_size", 64 * 1024 * 1024)
        async with connect(self.ws_url(meeting_id), compression=None, **kw) as ws:
            wire = Wire(ws, since)
            await wire.send({"type": "hello", "token": token, "since": since})
            wire.welcome = await wire.recv()
            yield wire


@dataclass
class Live(Endpoint):
    """A server in this test's own event loop, with its services at hand."""

    app: Starlette
    settings: Settings

    @property
    def services(self) -> Services:
        svc: Services = self.app.state.services
        return svc


class Wire:
    """A raw protocol client: JSON in, JSON out, events flattened in arrival order."""

    def __init__(self, ws: ClientConnection, since: int | None = None) -> None:
        self.ws = ws
        self.since = since
        self.welcome: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = []
        self.frames = 0
        self._n = 0

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(msgspec.json.encode(message).decode())

    async def recv(self) -> dict[str, Any]:
        message: dict[str, Any] = msgspec.json.decode(await asyncio.wait_for(self.ws.recv(), 10))
        self.frames += 1
        if message["type"] == "event":
            self.events.append(message)
        elif message["type"] == "events":
            self.events.extend(message["events"])
        return message

    async def command(self, name: str, cid: str | None = None, **args: Any) -> dict[str, Any]:
        """Send a command and read until its answer (ack or error) arrives."""
        self._n += 1
        cid = cid or f"c{self._n}-{name}-{secrets.token_hex(4)}"
        await self.send({"type": "command", "id": cid, "name": name, "args": args})
        return await self.answer(cid)

    async def answer(self, cid: str) -> dict[str, Any]:
        while True:
            message = await self.recv()
            if message["type"] in ("ack", "error") and message.get("id") == cid:
                return message

    async def recv_until(self, match: Any) -> dict[str, Any]:
        """Read until an event for which `match(event)` is true has arrived; return it."""
        seen = 0
        while True:
            for e in self.events[seen:]:
                if match(e):
                    return e
            seen = len(self.events)
            await self.recv()

    async def until_seq(self, seq: int) -> None:
        while self.seq < seq:
            await self.recv()

    @property
    def seq(self) -> int:
        """The last seq applied: the newest event, else where the welcome left us."""
        if self.events:
            return int(self.events[-1]["seq"])
        if self.welcome.get("replay"):
            return self.since or 0
        return int(self.welcome.get("seq", 0))


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


@asynccontextmanager
async def serve(settings: Settings, **options: Any) -> AsyncIterator[Live]:
    """`options` go to `create_app` (a `clock` the test moves, …)."""
    app = create_app(settings, **options)
    sock = free_socket()
    server = uvicorn.Server(uvicorn_config(app, settings))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    live = Live(sock.getsockname()[1], app, settings)
    try:
        async with httpx.AsyncClient(base_url=live.base) as http:
            (await http.get("/healthz")).raise_for_status()
        yield live
    finally:
        server.should_exit = True
        await task
        sock.close()


async def provision(
    live: Live, delegates: int = 3, meeting_id: str = "m1", *, present: bool = False
) -> None:
    """Users (admin, chair, clerk, obs, d01…) and a meeting with three agenda items;
    with `present`, every delegate is recorded present (the roll call before votes)."""
    svc = live.services
    now = "2026-12-01T07:00:00.000Z"
    await put_user(svc.store, svc.auth, "admin", "Quản trị", PASSWORD, is_admin=True, now=now)
    people = roster(delegates)
    for person in people:
        await put_user(svc.store, svc.auth, person["user_id"], person["name"], PASSWORD, now=now)
    args = {
        "body": {"id": "hdnd", "name": "HĐND tỉnh Thanh Hóa", "seats": delegates + 1},
        "title": "Kỳ họp thứ 2 — phiên thứ nhất",
        "place": "Hội trường 25B",
        "members": people,
    }
    items = [
        {"title": "Báo cáo tình hình kinh tế - xã hội"},
        {"title": "Tờ trình dự toán ngân sách"},
        {"title": "Công tác nhân sự", "access": "delegates"},
    ]
    engine = await create_meeting(svc.engines, meeting_id, args, items)
    if present:
        delegates_ = [p["user_id"] for p in people if "delegate" in p["roles"]]
        await record_attendance(engine, dict.fromkeys(delegates_, "present"))
