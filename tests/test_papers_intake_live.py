"""Hostile PDFs and a full disk against a real server, while the hall keeps voting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from docs_store import FileStore
from tests.live import Live, Wire, provision, serve, settings_for
from tests.pdfs import hostile, paper
from tests.test_docs_store import FullDisk

LIMIT = 5.0
CORPUS = hostile()


@pytest.fixture
async def hall(tmp_path: Path, db_url: str) -> AsyncIterator[Live]:
    settings = settings_for(
        tmp_path,
        database_url=db_url,
        pdf_seconds=LIMIT,
        pdf_memory_bytes=512 << 20,
        pdf_workers=2,
        max_paper_bytes=8 << 20,
        command_burst=1000,
        command_rate=1000.0,
    )
    async with serve(settings) as server:
        await provision(server, delegates=3)
        yield server


def _objects(live: Live) -> list[str]:
    root = live.settings.data_dir / "documents"
    return sorted(p.name for p in (root / "objects").rglob("*") if p.is_file())


async def _keep_voting(tablet: Wire, vote: str, stop: asyncio.Event) -> list[float]:
    """Cast (and change) a ballot again and again; the time each ack took."""
    waits = []
    n = 0
    while not stop.is_set():
        n += 1
        started = time.monotonic()
        choice = "tan_thanh" if n % 2 else "khong_tan_thanh"
        answer = await tablet.command("vote.cast", vote_id=vote, choice=choice)
        assert answer["type"] == "ack", answer
        waits.append(time.monotonic() - started)
        await asyncio.sleep(0.02)
    return waits


async def _open_vote(live: Live) -> str:
    async with live.socket("chair") as chair:
        return await _open_vote_with(live, chair)


async def _open_vote_with(live: Live, chair: Wire) -> str:
    engine = live.services.engines.loaded()[0]
    await chair.command("sitting.open")
    for user in ("chair", "d01", "d02", "d03"):  # the quorum is met
        await chair.command("attendance.record", user_id=user, presence="present")
    ack = await chair.command("vote.schedule", item_id=engine.state.order[0],
                              question="Thông qua nghị quyết?", allow_change=True)  # fmt: skip
    assert ack["type"] == "ack", ack
    vote = engine.state.votes.order[-1]
    opened = await chair.command("vote.open", vote_id=vote)
    assert opened["type"] == "ack", opened
    return vote


async def test_hostile_pdfs_are_refused_in_time_while_votes_are_acked(hall: Live) -> None:
    good = paper(3, tag="trước")
    async with (
        httpx.AsyncClient(base_url=hall.base, timeout=60) as http,
        hall.socket("d01") as tablet,
    ):
        headers = {"Authorization": f"Bearer {await hall.token('clerk')}"}
        url = "/api/meetings/m1/papers"
        assert (await http.post(url, content=good, headers=headers)).status_code == 201
        before = _objects(hall)
        vote = await _open_vote(hall)
        stop = asyncio.Event()
        voting = asyncio.create_task(_keep_voting(tablet, vote, stop))
        workers = asyncio.Semaphore(hall.settings.pdf_workers)

        async def upload(name: str) -> tuple[str, int, str]:
            async with workers:
                r = await http.post(url, params={"filename": f"{name}.pdf"},
                                    content=CORPUS[name][0], headers=headers)  # fmt: skip
                return name, r.status_code, r.json()["code"]

        results = await asyncio.gather(*(upload(name) for name in CORPUS))
        stop.set()
        waits = await voting
    for name, status, code in results:
        assert code in CORPUS[name][1], (name, code)
        assert status in (415, 422), (name, status)
    # Votes kept being acknowledged while every hostile file was read and refused.
    assert len(waits) >= 10, waits
    assert _objects(hall) == before
    assert list((hall.settings.data_dir / "documents" / "tmp").iterdir()) == []
    engine = hall.services.engines.loaded()[0]
    assert len(engine.state.papers.files) == 1


async def test_a_full_disk_refuses_the_upload_and_keeps_the_earlier_papers(hall: Live) -> None:
    earlier = paper(3, tag="trước")
    async with httpx.AsyncClient(base_url=hall.base, timeout=60) as http:
        headers = {"Authorization": f"Bearer {await hall.token('clerk')}"}
        url = "/api/meetings/m1/papers"
        sha = (await http.post(url, content=earlier, headers=headers)).json()["sha256"]
        library = hall.app.state.library
        root = hall.settings.data_dir / "documents"
        seq = hall.services.engines.loaded()[0].state.seq
        library.store = FullDisk(root, 20_000)
        r = await http.post(url, content=paper(80, tag="sau"), headers=headers)
        assert (r.status_code, r.json()["code"]) == (507, "storage_full")
        library.store = FullDisk(root, 1 << 20, 50)  # the bytes fit, their description does not
        r = await http.post(url, content=paper(4, tag="sau"), headers=headers)
        assert (r.status_code, r.json()["code"]) == (507, "storage_full")
        assert _objects(hall) == sorted([sha, f"{sha}.json"])
        assert list((root / "tmp").iterdir()) == []
        assert hall.services.engines.loaded()[0].state.seq == seq  # no event for either
        library.store = FileStore(root)
        r = await http.get(f"/api/meetings/m1/papers/{sha}", headers=headers)
        assert r.status_code == 200 and r.content == earlier
        assert (
            await http.post(url, content=paper(4, tag="sau"), headers=headers)
        ).status_code == 201
