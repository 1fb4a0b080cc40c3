"""Start-up rebuilds every open sitting from its log and checks the hash chain."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import text

from meeting.store import Store
from tests.live import provision, serve, settings_for


async def test_restart_rebuilds_and_refuses_a_tampered_log(tmp_path: Path, db_url: str) -> None:
    settings = settings_for(tmp_path, database_url=db_url)
    async with serve(settings) as live:
        await provision(live)
        await provision(live, meeting_id="m2")
        async with live.socket("chair") as chair:
            await chair.command("sitting.open")
        engines = live.services.engines
        before = {m.meeting_id: m.state for m in engines.loaded()}

    async with serve(settings) as live:
        after = {m.meeting_id: m.state for m in live.services.engines.loaded()}
        assert after == before

    store = await Store.open(db_url)
    async with store.engine.begin() as conn:
        await conn.execute(
            text("UPDATE events SET data = replace(data, 'Tờ trình', 'Tờ trinh') "
                 "WHERE meeting_id = 'm2'")
        )  # fmt: skip
    await store.close()

    async with serve(settings) as live, httpx.AsyncClient(base_url=live.base) as http:
        health = (await http.get("/healthz")).json()
        assert health["broken_meetings"] == ["m2"]
        assert (await http.get("/api/meetings/m2")).status_code == 404
        assert (await http.get("/api/meetings/m1")).status_code == 200
