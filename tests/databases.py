"""The databases the suite runs against: SQLite always, PostgreSQL when one is reachable.

In CI (`CI=true`) PostgreSQL is required: a missing server fails the run instead of
skipping. Elsewhere the PostgreSQL variants are left out with a message saying so.

The PostgreSQL and Redis servers are shared by every session of the suite on this machine,
and the fault tests restart them. A lock file keeps those apart: a test holds it shared
while it uses a PostgreSQL database (`database_url`) or Redis (`shared_services`), a fault
test holds it exclusively (`exclusive_services`) and announces that it waits, so that no
new test starts meanwhile.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import secrets
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

import asyncpg

PG_ADMIN = os.environ.get("MEETING_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


async def postgres_reachable() -> bool:
    try:
        conn = await asyncpg.connect(PG_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


@asynccontextmanager
async def database_url(backend: str, data_dir: Path) -> AsyncIterator[str]:
    """A fresh, empty database of `backend` for one test; dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{data_dir / 'meeting.db'}"
        return
    name = f"meeting_test_{secrets.token_hex(6)}"
    async with shared_services():
        admin = await asyncpg.connect(PG_ADMIN)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        try:
            base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
            yield f"{base}/{name}"
        finally:
            # A new connection: the test may have restarted the server meanwhile.
            admin = await asyncpg.connect(PG_ADMIN)
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await admin.close()


_LOCK = Path(tempfile.gettempdir()) / "meeting-tests-services.lock"
_WANTED = "meeting-tests-services.wanted."
_STALE = 120.0
"""Seconds after which a "waiting for exclusive use" mark is a leftover of a dead run."""
_held = {"shared": 0, "exclusive": 0}


def _flock(f: IO[str], how: int) -> bool:
    try:
        fcntl.flock(f, how | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _someone_waits() -> bool:
    now = time.time()
    for mark in _LOCK.parent.glob(_WANTED + "*"):
        try:
            if now - mark.stat().st_mtime < _STALE:
                return True
        except FileNotFoundError:
            continue
    return False


@asynccontextmanager
async def shared_services() -> AsyncIterator[None]:
    """Use the shared PostgreSQL and Redis; no fault test restarts them meanwhile."""
    if _held["shared"] or _held["exclusive"]:  # nested, or inside this process's fault test
        _held["shared"] += 1
        try:
            yield
        finally:
            _held["shared"] -= 1
        return
    with _LOCK.open("a") as f:
        # Another process holds it: there is nothing to await but time.
        while _someone_waits() or not _flock(f, fcntl.LOCK_SH):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        _held["shared"] += 1
        try:
            yield
        finally:
            _held["shared"] -= 1
            fcntl.flock(f, fcntl.LOCK_UN)


@asynccontextmanager
async def exclusive_services() -> AsyncIterator[None]:
    """Restart the shared PostgreSQL or Redis: wait until no test of any session uses them."""
    assert not _held["shared"], "take exclusive use before any database of the test"
    mark = _LOCK.parent / f"{_WANTED}{os.getpid()}"
    with _LOCK.open("a") as f:
        try:
            while not _flock(f, fcntl.LOCK_EX):
                mark.touch()
                await asyncio.sleep(0.05)
        finally:
            mark.unlink(missing_ok=True)
        _held["exclusive"] += 1
        try:
            yield
        finally:
            _held["exclusive"] -= 1
            fcntl.flock(f, fcntl.LOCK_UN)
