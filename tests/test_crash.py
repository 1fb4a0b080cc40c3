"""SIGKILL the server mid-burst: every acknowledged command survives, once, and clients resume."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from meeting.api.auth import Authenticator
from meeting.cli.provision import create_meeting, put_user
from meeting.domain import verify_chain
from meeting.engine import Engines
from meeting.hub import Hub
from meeting.store import Store
from tests.live import PASSWORD, Endpoint, settings_for
from tests.sitting import roster

ROUNDS = 3
BURST = 90  # under MEETING_MAX_INFLIGHT
KILL_AFTER_ACKS = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ServerProcess:
    """`python -m meeting serve` in a child process, killed without warning on demand."""

    def __init__(self, data_dir: Path, db_url: str, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.db_url = db_url
        self.env = env or {}
        self.port = _free_port()
        self.proc: asyncio.subprocess.Process | None = None
        self._drain: asyncio.Task[None] | None = None

    async def start(self) -> Endpoint:
        env = dict(os.environ)
        env.update(
            MEETING_ARGON2_TIME_COST="1",
            MEETING_ARGON2_MEMORY_KIB="1024",
            MEETING_COMMAND_RATE="100000",
            MEETING_COMMAND_BURST="1000",
            MEETING_LOG_LEVEL="info",
            DATABASE_URL=self.db_url,
        )
        env.update(self.env)
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "meeting", "--data", str(self.data_dir),
            "serve", "--port", str(self.port),
            env=env, stderr=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        assert self.proc.stderr is not None
        seen = []
        async with asyncio.timeout(60):
            while True:
                line = await self.proc.stderr.readline()
                seen.append(line)
                if not line:
                    raise RuntimeError(b"".join(seen).decode())
                if b"Uvicorn running on" in line:
                    break
        self._drain = asyncio.create_task(self._discard(self.proc.stderr))
        return Endpoint(self.port)

    @staticmethod
    async def _discard(stream: asyncio.StreamReader) -> None:
        while await stream.readline():
            pass

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        if self._drain is not None:
            await self._drain

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            await self.proc.wait()
        if self._drain is not None:
            await self._drain


async def _provision(data_dir: Path, db_url: str) -> None:
    settings = settings_for(data_dir, database_url=db_url)
    store = await Store.open(settings.sqlalchemy_url)
    auth = Authenticator(store.accounts, token_ttl=3600, time_cost=1, memory_kib=1024)
    now = "2026-12-01T07:00:00.000Z"
    for p in roster(3):
        await put_user(store, auth, p["user_id"], p["name"], PASSWORD, now=now)
    engines = Engines(store.log, Hub())
    args = {"body": {"id": "b", "name": "HĐND", "seats": 4}, "title": "Phiên", "members": roster(3)}
    await create_meeting(engines, "m1", args, [])
    await engines.stop()
    await store.close()


def _titles(events: list[dict[str, Any]]) -> list[str]:
    return [e["data"]["item"]["title"] for e in events if e["name"] == "agenda.item_added"]


@pytest.fixture
async def server(tmp_path: Path, db_url: str) -> Any:
    await _provision(tmp_path, db_url)
    proc = ServerProcess(tmp_path, db_url)
    yield proc
    await proc.stop()


async def test_sigkill_mid_burst_loses_no_acknowledged_command(server: ServerProcess) -> None:
    endpoint = await server.start()
    acked: dict[str, int] = {}
    last_seen = 0
    for rnd in range(ROUNDS):
        async with endpoint.socket("clerk", since=last_seen) as clerk:
            for n in range(BURST):
                await clerk.send(
                    {"type": "command", "id": f"r{rnd}-{n}", "name": "agenda.add_item",
                     "args": {"title": f"Vòng {rnd} mục {n}"}}
                )  # fmt: skip
            this_round = 0
            while this_round < KILL_AFTER_ACKS:
                message = await clerk.recv()
                if message["type"] == "ack":
                    acked[message["id"]] = message["seq"]
                    this_round += 1
                assert message["type"] != "error", message
            await server.kill()
            last_seen = clerk.seq
            clerk.ws.transport.abort()  # no closing handshake with a dead server
        endpoint = await server.start()

    # Resume from the last seq seen before the last crash: a gapless tail.
    async with endpoint.socket("clerk", since=last_seen) as clerk:
        assert clerk.welcome["replay"] is True
        await clerk.until_seq(clerk.welcome["seq"])
        assert [e["seq"] for e in clerk.events] == list(
            range(last_seen + 1, clerk.welcome["seq"] + 1)
        )

    async with endpoint.socket("clerk", since=0) as clerk:
        await clerk.until_seq(clerk.welcome["seq"])
        log = {e["seq"]: e for e in clerk.events}
        assert sorted(log) == list(range(1, clerk.welcome["seq"] + 1))
        for cid, seq in acked.items():
            rnd, n = cid[1:].split("-")
            assert log[seq]["data"]["item"]["title"] == f"Vòng {rnd} mục {n}"
        # Retrying every command of every burst: acknowledged ones answer as before, the
        # others apply now; each title ends up exactly once.
        for rnd in range(ROUNDS):
            for n in range(BURST):
                answer = await clerk.command(
                    "agenda.add_item", cid=f"r{rnd}-{n}", title=f"Vòng {rnd} mục {n}"
                )
                assert answer["type"] == "ack"
                if f"r{rnd}-{n}" in acked:
                    assert answer["seq"] == acked[f"r{rnd}-{n}"]
        await clerk.until_seq(clerk.seq)
        titles = _titles(clerk.events)
        assert sorted(titles) == sorted(
            f"Vòng {r} mục {n}" for r in range(ROUNDS) for n in range(BURST)
        )

    await server.kill()
    store = await Store.open(server.db_url)
    try:
        rows = await store.log.read("m1")
        verify_chain((r.event, r.hash) for r in rows)
        assert len(rows) == len(log) + sum(1 for t in titles) - len(_titles(list(log.values())))
    finally:
        await store.close()
