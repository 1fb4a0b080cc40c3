"""Stopping and starting the shared Redis and PostgreSQL servers of this machine (and CI's).

Only inside `tests.databases.exclusive_services()`, so that no test of any session is
using them. The window is kept short and the server is always started again, whatever
happened inside it. Where the servers cannot be restarted from here (no `redis-server`,
no `pg_ctlcluster`), the fault tests are skipped, or fail with `CI=true`.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from redis.asyncio import Redis

from tests.databases import in_ci, postgres_reachable
from tests.scaleout import REDIS_URL, redis_reachable

REDIS_SERVER = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip
_PG_CONF = Path("/etc/postgresql")


def _unavailable(what: str) -> None:
    if in_ci():
        pytest.fail(f"CI=true but {what}")
    pytest.skip(f"{what} (CI runs this test)")


def require_restartable(redis: bool = False, postgres: bool = False) -> None:
    if redis and shutil.which("redis-server") is None:
        _unavailable("redis-server is not here to restart Redis")
    if postgres and (shutil.which("pg_ctlcluster") is None or not _PG_CONF.is_dir()):
        _unavailable("pg_ctlcluster is not here to restart PostgreSQL")


async def _run(*argv: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{argv}: {err.decode(errors='replace')}")


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 30.0) -> None:
    """Poll `check` until it holds: what it asks is another process's business, so there is
    no event to wait on."""
    async with asyncio.timeout(seconds):
        while not await check():  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def _up() -> bool:
    return await redis_reachable()


async def _down() -> bool:
    return not await redis_reachable()


@asynccontextmanager
async def redis_down() -> AsyncIterator[None]:
    """Redis is stopped (it keeps nothing on disk) inside the block, started after it."""
    client = Redis.from_url(REDIS_URL)
    with contextlib.suppress(Exception):  # the server hangs up on the shutdown itself
        await client.shutdown(nosave=True)
    await client.aclose()
    try:
        await eventually(_down)
        yield
    finally:
        if not await redis_reachable():
            await _run(*REDIS_SERVER)
        await eventually(_up)


def _cluster(action: str, *options: str) -> list[str]:
    version = sorted(p.name for p in _PG_CONF.iterdir() if p.is_dir())[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", *options, version, "main", action]


@asynccontextmanager
async def postgres_down() -> AsyncIterator[None]:
    """PostgreSQL is stopped (fast: sessions are cut, open transactions roll back) inside
    the block, started after it."""
    await _run(*_cluster("stop", "--mode", "fast"))
    try:
        yield
    finally:
        if not await postgres_reachable():
            await _run(*_cluster("start"))
        await eventually(postgres_reachable)
