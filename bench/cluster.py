"""Deployments for `bench.scaleout`: one or more `meeting serve` processes on one database.

`sqlite×1` is the default deployment (SQLite, in-process hub); `postgres+redis×N` runs N
processes on a fresh PostgreSQL database with the Redis hub on a channel of its own. Each
is provisioned the way `bench.servers.provision` does it (users d0001…, meeting `bench`),
but on any database URL.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg

from bench.procstat import cpu_seconds, rss_kib
from bench.servers import MEETING, NOW, PASSWORD, Child, filler, user_ids

__all__ = [
    "PG_ADMIN",
    "REDIS_URL",
    "Deployment",
    "infrastructure_cpu",
    "infrastructure_delta",
    "postgres_database",
    "provision",
]

PG_ADMIN = os.environ.get("MEETING_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("MEETING_BENCH_REDIS", "redis://127.0.0.1:6379/0")


@contextlib.asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A fresh PostgreSQL database (SQLAlchemy URL), dropped afterwards."""
    name = f"meeting_bench_{secrets.token_hex(5)}"
    admin = await asyncpg.connect(PG_ADMIN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        yield f"{base}/{name}"
    finally:
        admin = await asyncpg.connect(PG_ADMIN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def provision(url: str, delegates: int, description_bytes: int) -> None:
    """Users (admin, chair, d0001…) and meeting `bench` with one agenda item."""
    from meeting.api.auth import Authenticator
    from meeting.cli.provision import create_meeting, put_user
    from meeting.engine import Engines
    from meeting.hub import Hub
    from meeting.store import Store

    store = await Store.open(url)
    try:
        auth = Authenticator(store.accounts, token_ttl=3600, time_cost=1, memory_kib=1024)
        people: list[dict[str, Any]] = [
            {"user_id": "chair", "name": "Chủ tọa", "roles": ["chair", "delegate"], "seat": 1}
        ]
        for n, uid in enumerate(user_ids(delegates), start=2):
            people.append({"user_id": uid, "name": f"Đại biểu {n - 1}", "roles": ["delegate"],
                           "seat": n})  # fmt: skip
        await put_user(store, auth, "admin", "Quản trị", PASSWORD, is_admin=True, now=NOW)
        for p in people:
            await put_user(store, auth, p["user_id"], p["name"], PASSWORD, now=NOW)
        body = {"id": "hdnd", "name": "HĐND tỉnh", "seats": delegates + 1}
        args = {"body": body, "title": "Kỳ họp (benchmark)", "members": people}
        item = {"title": "Mục 1", "description": filler(description_bytes, "Mục 1. ")}
        engines = Engines(store.log, Hub())
        await create_meeting(engines, MEETING, args, [item])
        await engines.stop()
    finally:
        await store.close()


class Deployment:
    """`processes` server processes on `database_url` (empty: SQLite in the data folder)."""

    def __init__(self, work: Path, processes: int, database_url: str = "") -> None:
        self.database_url = database_url
        self.distributed = bool(database_url)
        self.name = f"postgres+redis×{processes}" if database_url else f"sqlite×{processes}"
        self.data_dir = work / f"data-{secrets.token_hex(4)}"
        self.data_dir.mkdir(parents=True)
        env = dict(os.environ)
        env.update(
            MEETING_ARGON2_TIME_COST="1",
            MEETING_ARGON2_MEMORY_KIB="1024",
            MEETING_COMMAND_RATE="100000",
            MEETING_COMMAND_BURST="100000",
            MEETING_LOG_LEVEL="warning",
        )
        if database_url:
            env.update(
                DATABASE_URL=database_url,
                HUB_URL=REDIS_URL,
                MEETING_HUB_CHANNEL=f"meeting-bench-{secrets.token_hex(4)}",
            )
        argv = [sys.executable, "-m", "meeting", "--data", str(self.data_dir), "serve"]
        self.children = [Child([*argv, "--port", "{port}"], env) for _ in range(processes)]

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir.resolve()}/meeting.db"

    def url(self, i: int) -> str:
        return f"ws://127.0.0.1:{self.children[i].port}/ws/meetings/{MEETING}"

    def base(self, i: int) -> str:
        return f"http://127.0.0.1:{self.children[i].port}"

    async def start(self) -> None:
        for child in self.children:  # one at a time: the first migrates
            await child.start()

    async def stop(self) -> None:
        for child in self.children:
            await child.stop()

    def cpu(self) -> float:
        """CPU seconds of every server process, summed."""
        return sum(cpu_seconds(c.pid) for c in self.children)

    def rss_kib(self) -> int:
        return sum(rss_kib(c.pid) for c in self.children)


def _pids(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
    return found


def infrastructure_cpu() -> dict[tuple[str, int], float]:
    """CPU seconds so far of Redis and of each PostgreSQL process, by (name, pid)."""
    out = {}
    for name, comm in (("redis", "redis-server"), ("postgres", "postgres")):
        for pid in _pids(comm):
            with contextlib.suppress(OSError):
                out[(name, pid)] = cpu_seconds(pid)
    return out


def infrastructure_delta(
    before: dict[tuple[str, int], float], after: dict[tuple[str, int], float]
) -> dict[str, float]:
    """CPU seconds spent between two readings, by name, over the processes in both. For
    PostgreSQL this is the whole server: other users of this machine's server count too."""
    out = {"redis": 0.0, "postgres": 0.0}
    for key, seconds in after.items():
        if key in before:
            out[key[0]] += seconds - before[key]
    return out
