"""The archive through the real server, on each database: exports for each audience,
search across the log as it is committed, and a paced replay of the sitting."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from meeting.api._openapi_archive import SearchResults
from meeting.api.search_index import SearchIndexer
from meeting.domain.times import parse
from meeting.minutes.exports._akn_xml import AKN_NS, MTG_NS
from meeting.minutes.verify import verify_bundle
from tests.live import Live, provision, serve, settings_for
from tests.pdfs import paper

CLOSED = "Công tác nhân sự"
NOTE = "Đại biểu đề nghị làm rõ nguồn vốn đầu tư công."


@pytest.fixture
async def hall(tmp_path: Path, db_url: str) -> AsyncIterator[Live]:
    settings = settings_for(tmp_path, database_url=db_url, replay_max_seconds=0.6,
                            command_rate=1000.0, command_burst=1000)  # fmt: skip
    async with serve(settings) as server:
        await provision(server, delegates=3, present=True)
        yield server


def _auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


async def _sitting(live: Live, http: httpx.AsyncClient) -> dict[str, str]:
    """Run a short sitting; the ids of its paper and its two votes."""
    clerk = _auth(await live.token("clerk"))
    data = paper(3, "Dự thảo nghị quyết về ngân sách", tag="bảo vệ rừng phòng hộ")
    uploaded = await http.post("/api/meetings/m1/papers", params={"filename": "du-thao.pdf"},
                               content=data, headers=clerk)  # fmt: skip
    assert uploaded.status_code == 201, uploaded.text
    sha = hashlib.sha256(data).hexdigest()
    async with live.socket("chair") as chair, live.socket("clerk") as desk:
        items = [i["item_id"] for i in chair.welcome["snapshot"]["items"]]
        assert (await chair.command("sitting.open"))["type"] == "ack"
        attach = await desk.command("paper.attach", item_id=items[1], sha256=sha,
                                    kind="draft_resolution", access="public")  # fmt: skip
        assert attach["type"] == "ack", attach
        await chair.command("agenda.open_item", item_id=items[1])
        assert (await desk.command("note.add", text=NOTE))["type"] == "ack"
        votes = {}
        for item, method in ((items[1], "electronic_named"), (items[2], "electronic_secret")):
            await chair.command("agenda.open_item", item_id=item)
            await chair.command("vote.schedule", item_id=item, question=f"Biểu quyết {method}",
                                method=method)  # fmt: skip
            scheduled = await chair.recv_until(
                lambda e, m=method: e["name"] == "vote.scheduled" and m in e["data"]["question"]
            )
            vote = votes[method] = scheduled["data"]["vote_id"]
            await chair.command("vote.open", vote_id=vote)
            for user, choice in (("d01", "khong_tan_thanh"), ("d02", "tan_thanh")):
                async with live.socket(user) as tablet:
                    cast = await tablet.command("vote.cast", vote_id=vote, choice=choice)
                    assert cast["type"] == "ack", cast
            assert (await chair.command("vote.close", vote_id=vote))["type"] == "ack"
        await chair.command("sitting.close")
    return {"sha": sha, **votes}


async def test_exports_for_each_audience(hall: Live) -> None:
    async with httpx.AsyncClient(base_url=hall.base, timeout=30) as http:
        ids = await _sitting(hall, http)
        public = await http.get("/api/meetings/m1/export/popolo")
        assert public.status_code == 200 and public.headers["x-audience"] == "public"
        events = public.json()["vote_events"]
        assert [e["id"] for e in events] == [ids["electronic_named"]]
        named = {v["voter_id"]: v["option"] for v in events[0]["votes"]}
        assert (named["d01"], named["d02"], named["d03"]) == ("no", "yes", "not voting")
        d01 = _auth(await hall.token("d01"))
        mine = (await http.get("/api/meetings/m1/export/popolo", headers=d01)).json()
        secret = next(e for e in mine["vote_events"] if e["id"] == ids["electronic_secret"])
        assert "votes" not in secret and mine["audience"] == "delegates"
        assert {c["option"]: c["value"] for c in secret["counts"]}["no"] == 1
        oparl = (await http.get("/api/meetings/m1/export/oparl")).json()
        (file,) = [p["mainFile"] for p in oparl["paper"]]
        assert file["sha256Checksum"] == ids["sha"] and file["accessUrl"].startswith(hall.base)
        download = await http.get(file["accessUrl"])
        assert hashlib.sha256(download.content).hexdigest() == ids["sha"]
        assert CLOSED not in json.dumps(oparl, ensure_ascii=False)
        akn = await http.get("/api/meetings/m1/export/akn", headers=d01)
        assert akn.headers["content-type"] == "application/akn+xml; charset=utf-8"
        root = ET.fromstring(akn.content)
        assert CLOSED in akn.text and root.tag == f"{{{AKN_NS}}}akomaNtoso"
        voters = {v.get("href") for v in root.iter(f"{{{MTG_NS}}}voter")}
        assert voters == {"#p_d01", "#p_d02"}  # from the named vote only
        secret_voting = [v for v in root.iter(f"{{{AKN_NS}}}voting")
                         if v.get("eId") == f"vote_{ids['electronic_secret']}"]  # fmt: skip
        assert len(secret_voting) == 1 and not list(secret_voting[0].iter(f"{{{MTG_NS}}}voter"))
        missing = await http.get("/api/meetings/m1/export/csv")
        assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
        assert (await http.get("/api/meetings/nope/export/akn")).status_code == 404
        bad = await http.get("/api/meetings/m1/export/akn", headers=_auth("forged"))
        assert bad.status_code == 401


async def _search(http: httpx.AsyncClient, q: str, token: str | None = None, **kw: str) -> Any:
    r = await http.get("/api/search", params={"q": q, **kw}, headers=_auth(token))
    assert r.status_code == 200, r.text
    return msgspec.convert(r.json(), SearchResults, strict=True)


async def test_search_as_events_are_committed(hall: Live) -> None:
    indexer: SearchIndexer = hall.app.state.search_indexer
    async with httpx.AsyncClient(base_url=hall.base, timeout=30) as http:
        ids = await _sitting(hall, http)
        for _ in range(100):  # indexed after the commits, without any search asking for it
            if not await hall.services.store.search.behind():
                break
            await asyncio.sleep(0.05)
        assert indexer.passes > 0
        found = await _search(http, "ngan sach")
        kinds = {r.kind for r in found.results}
        assert {"paper", "item"} <= kinds and found.words == ["ngan", "sach"]
        assert [r.kind for r in (await _search(http, "nghi quyet")).results] == ["paper"]
        text = await _search(http, "bao ve rung")  # words of the paper's pages only
        assert [r.key for r in text.results] == [r.key for r in text.results if r.kind == "paper"]
        assert "bảo vệ rừng" in text.results[0].snippet
        assert all(r.audience == "public" for r in (await _search(http, "bieu quyet")).results)
        assert (await _search(http, "nhan su")).results == []
        d01 = await hall.token("d01")
        closed = await _search(http, "nhan su", d01)
        assert [r.title for r in closed.results if r.kind == "item"] == [CLOSED]
        assert (await _search(http, "nguon von", d01)).results == []  # the clerk's note
        clerk = await hall.token("clerk")
        (note,) = (await _search(http, "nguon von dau tu", clerk)).results
        assert note.kind == "note" and NOTE in note.snippet
        secret = await _search(http, "electronic secret", d01)
        assert [r.key for r in secret.results] == [f"vote:{ids['electronic_secret']}"]
        assert (await _search(http, "nghi quyet", meeting="other")).results == []
        assert (await _search(http, "nghi quyet", body="hdnd", **{"from": "2000-01-01"})).results
        for params in ({"q": ""}, {"q": "x", "limit": "0"}, {"q": "x", "from": "01/12/2026"}):
            bad = await http.get("/api/search", params=params)
            assert (bad.status_code, bad.json()["code"]) == (400, "bad_message")


def _sse(raw: str) -> list[dict[str, Any]]:
    messages = []
    for block in raw.split("\n\n"):
        fields: dict[str, Any] = {}
        for line in block.splitlines():
            key, _, value = line.partition(": ")
            fields[key] = value
        if "data" in fields:
            fields["data"] = json.loads(fields["data"])
            messages.append(fields)
    return messages


async def test_replay_at_pace_resumes_and_ends(hall: Live) -> None:
    async with httpx.AsyncClient(base_url=hall.base, timeout=30) as http:
        await _sitting(hall, http)
        log = (await http.get("/api/meetings/m1/events", params={"since": 0})).json()
        seqs = [e["seq"] for e in log["events"]]
        fast = await http.get("/api/meetings/m1/replay", params={"speed": 10000})
        assert fast.headers["content-type"].startswith("text/event-stream")
        messages = _sse(fast.text)
        assert messages[0]["event"] == "replay" and messages[-1]["event"] == "end"
        played = [m for m in messages if m["event"] == "event"]
        assert [int(m["id"]) for m in played] == seqs  # exactly the public's events
        assert [m["data"] for m in played] == log["events"]
        head = log["seq"]
        done = await http.get("/api/meetings/m1/replay", headers={"Last-Event-ID": str(head)})
        assert done.status_code == 204
        middle = seqs[len(seqs) // 2]
        rest = _sse((await http.get("/api/meetings/m1/replay?speed=10000",
                                    headers={"Last-Event-ID": str(middle)})).text)  # fmt: skip
        assert [int(m["id"]) for m in rest if m["event"] == "event"] == [
            s for s in seqs if s > middle
        ]
        d01 = _auth(await hall.token("d01"))
        own = _sse((await http.get("/api/meetings/m1/replay?speed=10000", headers=d01)).text)
        names = [m["data"]["name"] for m in own if m["event"] == "event"]
        assert "vote.ballot_recorded" in names and len(names) > len(played)
        # At its own pace: the pauses are the sitting's (at most max_gap each); a response
        # ends after MEETING_REPLAY_MAX_SECONDS and the client resumes from its last id.
        began, got, since, rounds = time.monotonic(), [], 0, 0
        while True:
            rounds += 1
            r = await http.get("/api/meetings/m1/replay", params={"max_gap": 0.2},
                               headers={"Last-Event-ID": str(since)})  # fmt: skip
            if r.status_code == 204:
                break
            part = [m for m in _sse(r.text) if m["event"] == "event"]
            got += part
            since = int(part[-1]["id"]) if part else since
            if _sse(r.text)[-1]["event"] == "end":
                break
        elapsed = time.monotonic() - began
        assert [int(m["id"]) for m in got] == seqs
        paced = sum(
            min(max(b - a, 0.0), 0.2) for a, b in zip(_times(got), _times(got)[1:], strict=False)
        )
        assert paced > 0 and elapsed >= paced * 0.8
        assert rounds >= 2 or paced < 0.6
        for params in ({"speed": "0"}, {"speed": "fast"}, {"max_gap": "-1"}, {"since": "-2"}):
            bad = await http.get("/api/meetings/m1/replay", params=params)
            assert (bad.status_code, bad.json()["code"]) == (400, "bad_message")
        assert (await http.get("/api/meetings/nope/replay")).status_code == 404


def _times(messages: list[dict[str, Any]]) -> list[float]:
    return [parse(m["data"]["at"]).timestamp() for m in messages]


async def test_the_sealed_bundle_holds_the_papers_the_minutes_list(hall: Live) -> None:
    async with httpx.AsyncClient(base_url=hall.base, timeout=60) as http:
        ids = await _sitting(hall, http)
        async with hall.socket("chair") as chair:
            assert (await chair.command("minutes.approve"))["type"] == "ack"
        clerk = _auth(await hall.token("clerk"))
        minutes = (await http.get("/api/meetings/m1/minutes", headers=clerk)).json()
        listed = [p for item in minutes["items"] for p in item["papers"]]
        assert [(p["sha256"], p["kind"], p["pages"]) for p in listed] == [
            (ids["sha"], "draft_resolution", 3)
        ]
        sealed = await http.post("/api/meetings/m1/minutes/seal", headers=clerk)
        assert sealed.status_code == 200, sealed.text
        bundle = await http.get("/api/meetings/m1/minutes/bundle", headers=clerk)
    manifest = sealed.json()["manifest_sha256"]
    assert verify_bundle(bundle.content, manifest) == []
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    stored = archive.read(f"papers/{ids['sha']}.pdf")
    assert hashlib.sha256(stored).hexdigest() == ids["sha"]
