from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.browser import browser, devices, screens_dir  # noqa: F401 (fixtures of test_web_*)
from tests.databases import database_url, in_ci, postgres_reachable
from tests.live import Live, provision, serve, settings_for
from tests.scaleout import REDIS_URL, redis_reachable

_PG: bool | None = None


def _postgres() -> bool:
    global _PG
    if _PG is None:
        _PG = asyncio.run(postgres_reachable())
        if not _PG and in_ci():
            raise pytest.UsageError("CI=true but PostgreSQL is not reachable at 127.0.0.1:5432")
    return _PG


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = ["sqlite", "postgres"] if _postgres() else ["sqlite"]
        metafunc.parametrize("backend", backends, indirect=False)


def pytest_report_header() -> list[str]:
    if _postgres():
        lines = ["databases: sqlite, postgres"]
    else:
        lines = ["databases: sqlite only (no PostgreSQL at 127.0.0.1:5432; CI requires one)"]
    if not asyncio.run(redis_reachable()):
        lines.append(f"hub: no Redis at {REDIS_URL}: the scale-out tests skip (CI requires it)")
    return lines


@pytest.fixture
async def db_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    async with database_url(backend, tmp_path) as url:
        yield url


@pytest.fixture
async def live(tmp_path: Path, db_url: str) -> AsyncIterator[Live]:
    """A real server on a loopback port with a provisioned meeting `m1`, on each database."""
    async with serve(settings_for(tmp_path, database_url=db_url)) as server:
        await provision(server)
        yield server
