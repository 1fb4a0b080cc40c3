"""`meeting serve --workers N`: N processes on one port, one log, the Redis hub between them."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest

from meeting.cli.main import main
from tests.databases import database_url, shared_services
from tests.faults import eventually
from tests.live import Endpoint
from tests.scaleout import REDIS_URL, provision, require_services
from tests.test_crash import _free_port


def test_workers_need_the_hub(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HUB_URL", raising=False)
    assert main(["--data", str(tmp_path), "serve", "--workers", "2"]) == 2
    assert "HUB_URL" in capsys.readouterr().err


def _workers(parent: int) -> list[int]:
    """The live child processes of `parent` that run a worker (multiprocessing spawn)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == parent and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


async def test_two_workers_share_one_port(tmp_path: Path) -> None:
    await require_services()
    async with shared_services(), database_url("postgres", tmp_path) as url:
        await provision(url, 3)
        port = _free_port()
        env = dict(os.environ)
        env.update(
            DATABASE_URL=url, HUB_URL=REDIS_URL, MEETING_HUB_CHANNEL=f"test-workers-{port}",
            MEETING_ARGON2_TIME_COST="1", MEETING_ARGON2_MEMORY_KIB="1024",
            MEETING_LOG_LEVEL="warning",
        )  # fmt: skip
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "meeting", "--data", str(tmp_path), "serve",
            "--workers", "2", "--port", str(port),
            env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        endpoint = Endpoint(port)
        try:
            await _two_workers(proc.pid, endpoint)
        finally:
            proc.terminate()
            await proc.wait()


async def _two_workers(parent: int, endpoint: Endpoint) -> None:
    async def healthy() -> bool:
        try:
            async with httpx.AsyncClient(base_url=endpoint.base) as http:
                return (await http.get("/healthz")).json()["hub"] == "redis: ok"
        except httpx.HTTPError:
            return False

    async def two() -> bool:
        return len(_workers(parent)) == 2

    await eventually(healthy, 60)
    await eventually(two, 30)
    seen = set()
    for _ in range(40):  # each request on a new connection: either worker may take it
        async with httpx.AsyncClient(base_url=endpoint.base) as http:
            text = (await http.get("/metrics")).text
        seen.update(re.findall(r'process="([^"]+)"', text))
    assert 1 <= len(seen) <= 2

    async with AsyncExitStack() as stack:
        chair = await stack.enter_async_context(endpoint.socket("chair"))
        tablets = [await stack.enter_async_context(endpoint.socket(None)) for _ in range(8)]
        ack = await chair.command("sitting.open")
        assert ack["type"] == "ack"
        for n in range(5):
            assert (await chair.command("agenda.add_item", title=f"Mục {n}"))["type"] == "ack"
        last = chair.seq
        async with asyncio.timeout(15):
            await asyncio.gather(*(t.until_seq(last) for t in tablets))
        assert all(t.events == tablets[0].events for t in tablets)
        first = chair.welcome["seq"] + 1
        assert [e["seq"] for e in tablets[0].events] == list(range(first, last + 1))

    # A worker killed without warning is replaced; the port keeps answering.
    victim = _workers(parent)[0]
    os.kill(victim, signal.SIGKILL)

    async def replaced() -> bool:
        workers = _workers(parent)
        return len(workers) == 2 and victim not in workers

    await eventually(replaced, 30)
    await eventually(healthy, 30)
