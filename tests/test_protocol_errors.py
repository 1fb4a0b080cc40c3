"""Every kind of bad input over the WebSocket gets its code, and the log is unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.live import Live, provision, serve, settings_for


@pytest.fixture
async def strict(tmp_path: Path, db_url: str) -> AsyncIterator[Live]:
    # A bucket that barely refills: a flood is a flood however slowly a loaded machine reads it.
    settings = settings_for(
        tmp_path,
        database_url=db_url,
        max_message_bytes=4096,
        hello_timeout=0.3,
        command_rate=0.01,
    )
    async with serve(settings) as server:
        await provision(server)
        yield server


async def _log_size(live: Live) -> int:
    return len(await live.services.store.log.read("m1"))


async def _closed_with(ws, code: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConnectionClosed) as info:
        while True:
            await ws.recv()
    assert info.value.rcvd is not None and info.value.rcvd.code == code


async def test_bad_frames_get_codes_and_change_nothing(strict: Live) -> None:
    before = await _log_size(strict)
    async with strict.socket("d01") as d:
        cases = [
            ("{not json", "bad_json"),
            ('{"no_type": 1}', "bad_message"),
            ('{"type": "launch"}', "bad_message"),
            ('{"type": "command", "name": "sitting.open"}', "bad_message"),
            ('{"type": "command", "id": "", "name": "sitting.open"}', "bad_message"),
            ('{"type": "command", "id": "x", "name": "sitting.open", "args": []}', "bad_message"),
            ('{"type": "hello", "token": null}', "bad_message"),
            ("[1, 2, 3]", "bad_message"),
        ]
        for frame, code in cases:
            await d.ws.send(frame)
            answer = await d.recv()
            assert (answer["type"], answer["code"]) == ("error", code), frame
        await d.ws.send(b"\xff\xfe binary")
        assert (await d.recv())["code"] == "bad_json"
        assert (await d.command("agenda.teleport"))["code"] == "unknown_command"
        assert (await d.command("sitting.open"))["code"] == "not_allowed"
        assert (await d.command("agenda.add_item", title=""))["code"] == "not_allowed"
    async with strict.socket("clerk") as clerk:
        assert (await clerk.command("agenda.add_item", title=""))["code"] == "invalid_args"
        assert (await clerk.command("agenda.open_item", item_id="x"))["code"] == "not_allowed"
        assert (await clerk.command("agenda.remove_item", item_id="x"))["code"] == "not_found"
    async with strict.socket(None) as public:
        assert (await public.command("sitting.open"))["code"] == "unauthorized"
    assert await _log_size(strict) == before
    await strict.services.audit.flush()
    codes = {r.code for r in await strict.services.store.log.audit_rows()}
    assert {"bad_json", "bad_message", "unknown_command", "not_allowed", "unauthorized"} <= codes


async def test_oversized_frame_closes_with_1009(strict: Live) -> None:
    before = await _log_size(strict)
    async with strict.socket("clerk") as clerk:
        big = {
            "type": "command",
            "id": "big",
            "name": "agenda.add_item",
            "args": {"title": "x" * 8000},
        }
        await clerk.ws.send(msgspec.json.encode(big).decode())
        await _closed_with(clerk.ws, 1009)
    assert await _log_size(strict) == before


async def test_handshake_and_hello_failures(strict: Live) -> None:
    url = strict.ws_url()
    async with connect(url, compression=None) as ws:
        await ws.send('{"type": "hello", "token": "forged"}')
        await _closed_with(ws, 4001)
    async with connect(url, compression=None) as ws:
        await ws.send('{"type": "command", "id": "1", "name": "sitting.open"}')
        await _closed_with(ws, 4002)
    async with connect(url, compression=None) as ws:
        await _closed_with(ws, 4002)  # says nothing: the hello timeout closes it
    async with connect(strict.ws_url("no-such-meeting"), compression=None) as ws:
        await ws.send('{"type": "hello"}')
        await _closed_with(ws, 4004)
    with pytest.raises(InvalidStatus) as info:
        async with connect(url, origin="https://evil.example", compression=None):  # type: ignore[arg-type]
            pass
    assert info.value.response.status_code == 403
    own = f"http://127.0.0.1:{strict.port}"
    async with connect(url, origin=own, compression=None) as ws:  # type: ignore[arg-type]
        await ws.send('{"type": "hello"}')
        assert msgspec.json.decode(await ws.recv())["type"] == "welcome"


async def test_flood_is_rate_limited_then_closed(strict: Live) -> None:
    before = await _log_size(strict)
    async with strict.socket("d01") as d:
        for _ in range(400):
            await d.ws.send("{flood")
        codes = []
        with pytest.raises(ConnectionClosed) as info:
            while True:
                codes.append((await d.recv())["code"])
        assert info.value.rcvd is not None and info.value.rcvd.code == 1008
        assert "bad_json" in codes and "rate_limited" in codes
    assert await _log_size(strict) == before
    async with strict.socket("d01") as again:
        assert again.welcome["type"] == "welcome"
