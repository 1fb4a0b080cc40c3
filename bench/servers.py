"""The two servers under test, each in its own child process on 127.0.0.1.

`MeetingTarget` is the real thing: `python -m meeting --data DIR serve` on a freshly
provisioned data folder, spoken to through the public protocol (HTTP sign-in, WebSocket
`hello`, chair commands). `RawTarget` is `bench.raw_server`, the `websockets` baseline.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import os
import shutil
import socket
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection

__all__ = ["Child", "MeetingTarget", "RawTarget", "Target", "provision"]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-mật-khẩu"
MEETING = "bench"
NOW = "2026-12-01T07:00:00.000Z"
ANSWER_TIMEOUT = 60.0

_SENTENCE = (
    "Hội đồng nhân dân tỉnh xem xét báo cáo tình hình kinh tế - xã hội, dự toán ngân sách "
    "và kế hoạch đầu tư công trung hạn; các đại biểu thảo luận và cho ý kiến. "
)


def filler(nbytes: int, tag: str = "") -> str:
    """Vietnamese text of exactly `nbytes` UTF-8 bytes (or one less), starting with `tag`."""
    text = (tag + _SENTENCE * (nbytes // len(_SENTENCE) + 2)).encode()[:nbytes]
    return text.decode("utf-8", errors="ignore")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def user_ids(delegates: int) -> list[str]:
    return [f"d{n:04d}" for n in range(1, delegates + 1)]


async def provision(
    data_dir: Path, delegates: int, items: int, description_bytes: int, *, present: bool = False
) -> None:
    """Users (admin, chair, clerk, d0001…), and meeting `bench` with `items` agenda items;
    with `present`, every delegate (the chair too) is recorded present, so votes can open."""
    from meeting.api.auth import Authenticator
    from meeting.cli.provision import create_meeting, put_user, record_attendance
    from meeting.engine import Engines
    from meeting.hub import Hub
    from meeting.settings import Settings
    from meeting.store import Store

    settings = Settings(data_dir=data_dir, argon2_time_cost=1, argon2_memory_kib=1024)
    store = await Store.open(settings.sqlalchemy_url)
    try:
        auth = Authenticator(store.accounts, token_ttl=3600, time_cost=1, memory_kib=1024)
        people: list[dict[str, Any]] = [
            {"user_id": "chair", "name": "Trịnh Minh Châu", "roles": ["chair", "delegate"]},
            {"user_id": "clerk", "name": "Nguyễn Thị Hà", "roles": ["clerk"]},
        ]
        people[0]["seat"] = 1
        for n, uid in enumerate(user_ids(delegates), start=2):
            people.append({"user_id": uid, "name": f"Đại biểu {n - 1}", "roles": ["delegate"]})
            people[-1]["seat"] = n
        await put_user(store, auth, "admin", "Quản trị", PASSWORD, is_admin=True, now=NOW)
        for p in people:
            await put_user(store, auth, p["user_id"], p["name"], PASSWORD, now=NOW)
        args = {
            "body": {"id": "hdnd", "name": "HĐND tỉnh", "seats": delegates + 1},
            "title": "Kỳ họp thứ 2 — phiên toàn thể (benchmark)",
            "place": "Hội trường",
            "members": people,
        }
        agenda = [
            {"title": f"Mục {i + 1}", "description": filler(description_bytes, f"Mục {i + 1}. ")}
            for i in range(items)
        ]
        engines = Engines(store.log, Hub())
        engine = await create_meeting(engines, MEETING, args, agenda)
        if present:
            roll = {p["user_id"]: "present" for p in people if "delegate" in p["roles"]}
            await record_attendance(engine, roll)
        await engines.stop()
    finally:
        await store.close()


class Child:
    """A server in a child process: started, waited for (port open), stopped."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.port = free_port()
        self.argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.env = env
        self.proc: asyncio.subprocess.Process | None = None
        self.stderr: collections.deque[str] = collections.deque(maxlen=40)
        self._drain: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def start(self, seconds: float = 60.0) -> None:
        # RLIMIT_NOFILE is inherited: the load generator raised it before starting us.
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            cwd=ROOT,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._drain = asyncio.create_task(self._keep_tail())
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.returncode is not None:
                break
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return
        await self.stop()
        raise RuntimeError(f"{self.argv} did not start:\n" + "".join(self.stderr))

    async def _keep_tail(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            self.stderr.append(line.decode(errors="replace"))

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        if self._drain is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._drain, 5)


class Target:
    """A server under test, as the benchmark drives it."""

    name = ""

    def __init__(self, child: Child) -> None:
        self.child = child
        self.chair_token: str | None = None
        self.tablet_tokens: list[str | None] = [None]
        self.frame_bytes = 0
        """Size of the last event frame the chair received."""

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.child.port}/ws/meetings/{MEETING}"

    async def start(self) -> None:
        await self.child.start()

    async def stop(self) -> None:
        await self.child.stop()

    async def prepare(self, chair: ClientConnection, welcome: dict[str, Any]) -> None:
        """Get ready to send events (after the chair's welcome)."""

    def command(self, cid: str, i: int) -> dict[str, Any]:
        raise NotImplementedError

    def resize(self, frame_bytes: int) -> None:
        """Send event frames of about this size from now on."""
        raise NotImplementedError

    def tokens(self, count: int) -> list[str | None]:
        return [self.tablet_tokens[i % len(self.tablet_tokens)] for i in range(count)]

    async def round(self, chair: ClientConnection, cid: str, i: int) -> tuple[float, int]:
        """Send event `i`; return when it was sent and the `seq` the server acknowledged."""
        payload = json.dumps(self.command(cid, i), ensure_ascii=False)
        sent = time.perf_counter()
        await chair.send(payload)
        async with asyncio.timeout(ANSWER_TIMEOUT):
            while True:
                raw = await chair.recv()
                message = json.loads(raw)
                kind = message.get("type")
                if kind in ("event", "events"):
                    self.frame_bytes = len(raw.encode() if isinstance(raw, str) else raw)
                elif kind == "ack" and message.get("id") == cid:
                    return sent, int(message["seq"])
                elif kind == "error":
                    raise RuntimeError(f"{self.name}: {message}")


class MeetingTarget(Target):
    """Our server: SQLite log, group commit, audiences, the in-process hub."""

    name = "meeting"

    def __init__(
        self,
        template: Path,
        workdir: Path,
        *,
        delegates: int,
        event: str,
        frame_target: int,
        public_every: int,
        env: dict[str, str] | None = None,
    ) -> None:
        """`env`: more settings for the server (say `MEETING_GROUP_COMMIT=false`), over ours."""
        self.data_dir = workdir / f"data-{time.monotonic_ns()}"
        shutil.copytree(template, self.data_dir)
        extra = env or {}
        env = dict(os.environ)
        env.update(
            MEETING_ARGON2_TIME_COST="1",
            MEETING_ARGON2_MEMORY_KIB="1024",
            MEETING_COMMAND_RATE="100000",
            MEETING_COMMAND_BURST="100000",
            MEETING_LOG_LEVEL="warning",
        )
        env.update(extra)
        argv = [sys.executable, "-m", "meeting", "--data", str(self.data_dir)]
        super().__init__(Child([*argv, "serve", "--port", "{port}"], env))
        self.delegates = delegates
        self.event = event
        self.frame_target = frame_target
        self.public_every = public_every
        self.items: list[str] = []

    async def start(self) -> None:
        await super().start()
        base = f"http://127.0.0.1:{self.child.port}"
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            (await http.get("/healthz")).raise_for_status()
            self.chair_token = await self._login(http, "chair")
            limit = asyncio.Semaphore(8)

            async def one(uid: str) -> str:
                async with limit:
                    return await self._login(http, uid)

            ids = user_ids(self.delegates)
            self.tablet_tokens = list(await asyncio.gather(*(one(u) for u in ids)))

    def tokens(self, count: int) -> list[str | None]:
        """Mostly delegates (sharing the signed-in tokens); every `public_every`-th tablet
        is the public view (`hello` with no token)."""
        every = self.public_every
        return [
            None
            if every and i % every == every - 1
            else self.tablet_tokens[i % len(self.tablet_tokens)]
            for i in range(count)
        ]

    @staticmethod
    async def _login(http: httpx.AsyncClient, user: str) -> str:
        r = await http.post("/api/auth/login", json={"username": user, "password": PASSWORD})
        r.raise_for_status()
        token: str = r.json()["token"]
        return token

    async def stop(self) -> None:
        await super().stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    async def prepare(self, chair: ClientConnection, welcome: dict[str, Any]) -> None:
        snapshot = welcome["snapshot"]
        self.items = [i["item_id"] for i in snapshot["items"]]
        if self.event == "open":
            await self._once(chair, "bench-open-sitting", "sitting.open", {})

    async def _once(
        self, chair: ClientConnection, cid: str, name: str, args: dict[str, Any]
    ) -> None:
        await chair.send(json.dumps({"type": "command", "id": cid, "name": name, "args": args}))
        async with asyncio.timeout(ANSWER_TIMEOUT):
            while True:
                message = json.loads(await chair.recv())
                if message.get("id") == cid:
                    if message["type"] != "ack":
                        raise RuntimeError(f"{name}: {message}")
                    return

    def resize(self, frame_bytes: int) -> None:
        self.frame_target = frame_bytes

    def command(self, cid: str, i: int) -> dict[str, Any]:
        item = self.items[i % len(self.items)]
        if self.event == "open":
            return {
                "type": "command",
                "id": cid,
                "name": "agenda.open_item",
                "args": {"item_id": item},
            }
        # The frame is the description plus this much JSON around it.
        shell = json.dumps(
            {
                "type": "event",
                "seq": 10_000,
                "name": "agenda.item_edited",
                "at": NOW,
                "actor": "chair",
                "data": {"item_id": item, "description": ""},
            },
            separators=(",", ":"),
        )
        text = filler(max(1, self.frame_target - len(shell)), f"Lần sửa {i}: ")
        args = {"item_id": item, "description": text}
        return {"type": "command", "id": cid, "name": "agenda.edit_item", "args": args}


class RawTarget(Target):
    """`bench.raw_server`: hello → welcome, trigger → `websockets.broadcast` + ack."""

    name = "raw websockets"

    def __init__(self, frame_bytes: int) -> None:
        argv = [sys.executable, "-m", "bench.raw_server", "--port", "{port}"]
        super().__init__(Child(argv, dict(os.environ)))
        self.size = frame_bytes

    def resize(self, frame_bytes: int) -> None:
        self.size = frame_bytes

    def command(self, cid: str, i: int) -> dict[str, Any]:
        return {"type": "trigger", "id": cid, "size": self.size}
