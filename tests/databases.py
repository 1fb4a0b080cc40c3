"""The databases the suite runs against: SQLite always, PostgreSQL when one is reachable.

In CI (`CI=true`) PostgreSQL is required: a missing server fails the run instead of
skipping. Elsewhere the PostgreSQL variants are left out with a message saying so.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

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
    admin = await asyncpg.connect(PG_ADMIN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
