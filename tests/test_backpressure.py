"""A tablet that stops reading is cut off with the resume code; nobody else waits for it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest
from websockets.asyncio.client import connect

from tests.live import Live, provision, serve, settings_for


@pytest.fixture
async def tight(tmp_path: Path, db_url: str) -> AsyncIterator[Live]:
    settings = settings_for(
        tmp_path,
        database_url=db_url,
        max_backlog_bytes=64 * 1024,
        command_rate=10_000.0,
        command_burst=1000,
    )
    async with serve(settings) as server:
        await provision(server)
        yield server


def _small_socket(port: int) -> socket.socket:
    # A small receive buffer, set before connecting, keeps the kernel from absorbing megabytes.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    return sock


async def test_stalled_client_is_dropped_and_others_get_everything(tight: Live) -> None:
    engine = await tight.services.engines.get("m1")
    assert engine is not None
    item = engine.state.order[0]
    token = await tight.token("d02")
    stalled = await connect(
        tight.ws_url(), sock=_small_socket(tight.port), compression=None, max_queue=1
    ).__aenter__()
    await stalled.send(msgspec.json.encode({"type": "hello", "token": token}).decode())
    async with tight.socket("clerk") as clerk, tight.socket("d01", since=None) as watcher:
        start = watcher.seq
        hub = tight.services.hub
        description = "Tài liệu " * 1500  # about 15 KB per event
        sent = 0
        while hub.dropped == 0 and sent < 600:
            for n in range(20):
                await clerk.send(
                    {
                        "type": "command",
                        "id": f"e{sent + n}",
                        "name": "agenda.edit_item",
                        "args": {"item_id": item, "description": f"{sent + n} {description}"},
                    }
                )
            await clerk.answer(f"e{sent + 19}")
            sent += 20
        assert hub.dropped == 1, f"no drop after {sent} large events"
        await watcher.until_seq(engine.state.seq)
        seqs = [e["seq"] for e in watcher.events]
        assert seqs == list(range(start + 1, engine.state.seq + 1))
    # The stalled tablet never reads its close frame; it gives up, resumes and converges.
    stalled.transport.abort()
    await stalled.wait_closed()
    async with tight.socket("d02", since=start) as resumed:
        await resumed.until_seq(engine.state.seq)
        assert [e["seq"] for e in resumed.events] == list(range(start + 1, engine.state.seq + 1))
