"""Papers over real sockets: upload, dedupe, 200/206/304, access on every path, watermarked
confidential copies, and tablets told at once."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import Live, Wire, provision, serve, settings_for
from tests.pdfs import paper, text_of

NHUNG = "Nguyễn Thị Hồng Nhung"


@pytest.fixture
async def hall(tmp_path: Path, db_url: str) -> AsyncIterator[Live]:
    settings = settings_for(
        tmp_path,
        database_url=db_url,
        pdf_seconds=4.0,
        pdf_memory_bytes=512 << 20,
        max_paper_bytes=4 << 20,
        command_burst=1000,
        command_rate=1000.0,
    )
    async with serve(settings) as server:
        await provision(server, delegates=3)
        async with server.socket("admin") as admin:
            me = {"user_id": "d01", "name": NHUNG, "roles": ["delegate"], "seat": 2}
            await admin.send({"type": "command", "id": "nhung", "name": "member.set", "args": me})
            assert (await admin.answer("nhung"))["type"] == "ack"
        yield server


class Client:
    """One person's HTTP view of meeting m1."""

    def __init__(self, live: Live, http: httpx.AsyncClient, token: str | None) -> None:
        self.live, self.http = live, http
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def upload(self, data: bytes, name: str = "to-trinh.pdf") -> httpx.Response:
        return await self.http.post("/api/meetings/m1/papers", params={"filename": name},
                                    content=data, headers=self.headers)  # fmt: skip

    async def get(self, sha: str, suffix: str = "", **headers: str) -> httpx.Response:
        url = f"/api/meetings/m1/papers/{sha}{suffix}"
        return await self.http.get(url, headers={**self.headers, **headers})

    async def command(self, name: str, **args: Any) -> dict[str, Any]:
        body = {"id": f"{name}-{hashlib.sha256(repr(args).encode()).hexdigest()[:12]}",
                "name": name, "args": args}  # fmt: skip
        r = await self.http.post("/api/meetings/m1/commands", json=body, headers=self.headers)
        assert r.status_code == 200, r.text
        result: dict[str, Any] = r.json()
        return result


async def _client(live: Live, http: httpx.AsyncClient, user: str | None) -> Client:
    return Client(live, http, await live.token(user) if user else None)


def _items(live: Live) -> tuple[str, ...]:
    return live.services.engines.loaded()[0].state.order


async def _attached(wire: Wire, sha: str) -> dict[str, Any]:
    event = await wire.recv_until(
        lambda e: e["name"] == "paper.attached" and e["data"]["sha256"] == sha
    )
    return dict(event["data"])


async def test_upload_dedupe_and_download_with_ranges_and_revalidation(hall: Live) -> None:
    data = paper(30, "Báo cáo kinh tế - xã hội")
    sha = hashlib.sha256(data).hexdigest()
    async with httpx.AsyncClient(base_url=hall.base, timeout=30) as http, hall.socket("d02") as tab:
        clerk, public = await _client(hall, http, "clerk"), await _client(hall, http, None)
        first = await clerk.upload(data, "bao-cao.pdf")
        assert first.status_code == 201, first.text
        body = first.json()
        assert (body["sha256"], body["pages"], body["size"]) == (sha, 30, len(data))
        assert body["title"] == "Báo cáo kinh tế - xã hội" and body["filename"] == "bao-cao.pdf"
        again = await clerk.upload(data, "lan-hai.pdf")
        assert again.status_code == 200 and again.json()["sha256"] == sha
        stored = [p for p in (hall.settings.data_dir / "documents").rglob(sha) if p.is_file()]
        assert len(stored) == 1
        assert (await public.get(sha)).status_code == 401  # on no item yet: staff only
        await clerk.command("paper.attach", item_id=_items(hall)[0], sha256=sha, kind="report",
                            access="public")  # fmt: skip
        told = await _attached(tab, sha)
        assert (told["pages"], told["kind"], told["access"]) == (30, "report", "public")

        full = await public.get(sha)
        assert full.status_code == 200 and full.content == data
        etag = full.headers["etag"]
        assert etag == f'"{sha}"' and full.headers["content-type"] == "application/pdf"
        assert full.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert full.headers["accept-ranges"] == "bytes"
        cached = await public.get(sha, **{"If-None-Match": etag})
        assert (cached.status_code, cached.content, cached.headers["etag"]) == (304, b"", etag)
        part = await public.get(sha, Range="bytes=100-20099")
        assert part.status_code == 206 and part.content == data[100:20100]
        assert part.headers["content-range"] == f"bytes 100-20099/{len(data)}"
        tail = await public.get(sha, Range="bytes=-10")
        assert (tail.status_code, tail.content) == (206, data[-10:])
        assert (await public.get(sha, Range="bytes=0-1,5-9")).content == data  # several: all
        beyond = await public.get(sha, Range=f"bytes={len(data)}-")
        assert (
            beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(data)}"
        )
        stale = await public.get(sha, Range="bytes=0-9", **{"If-Range": '"old"'})
        assert stale.status_code == 200
        head = await http.head(f"/api/meetings/m1/papers/{sha}")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(data))
        text = await public.get(sha, "/text")
        assert text.status_code == 200 and "trang 30" in text.json()["texts"][29]
        assert (await public.get("f" * 64)).status_code == 404
        assert (await public.get("not-a-hash")).status_code == 404


async def test_every_path_refuses_a_wrong_role(hall: Live) -> None:
    async with httpx.AsyncClient(base_url=hall.base, timeout=30) as http:
        clerk = await _client(hall, http, "clerk")
        observer, d02 = await _client(hall, http, "obs"), await _client(hall, http, "d02")
        anonymous = await _client(hall, http, None)
        inner = (await clerk.upload(paper(2, tag="delegates"))).json()["sha256"]
        secret = (await clerk.upload(paper(2, tag="mật"))).json()["sha256"]
        item = _items(hall)[1]
        await clerk.command("paper.attach", item_id=item, sha256=inner, access="delegates")
        await clerk.command("paper.attach", item_id=item, sha256=secret, access="confidential",
                            readers=["d01"])  # fmt: skip
        refused = await d02.upload(paper(1, tag="d02"))
        assert (refused.status_code, refused.json()["code"]) == (403, "not_allowed")
        assert (await anonymous.upload(paper(1))).status_code == 401
        checks = [(observer, inner), (d02, secret), (observer, secret)]
        for who, sha in checks:
            tries = [("", {}), ("", {"Range": "bytes=0-99"}), ("/text", {})]
            for suffix, headers in [*tries, ("", {"If-None-Match": f'"{sha}"'})]:
                r = await who.get(sha, suffix, **headers)
                assert (r.status_code, r.json()["code"]) == (403, "not_allowed"), (sha, headers)
            head = await http.head(f"/api/meetings/m1/papers/{sha}", headers=who.headers)
            assert head.status_code == 403
        assert (await anonymous.get(inner)).status_code == 401
        assert (await d02.get(inner)).status_code == 200
    await hall.services.audit.flush()
    audit = await hall.services.store.log.audit_rows("m1")
    assert len([a for a in audit if a.code == "not_allowed"]) >= 13


async def test_a_confidential_paper_is_stamped_for_each_reader(hall: Live) -> None:
    data = paper(5, "Dự thảo nghị quyết nhân sự")
    async with (
        httpx.AsyncClient(base_url=hall.base, timeout=30) as http,
        hall.socket("d01") as tab1,
        hall.socket("d03") as tab3,
    ):
        clerk = await _client(hall, http, "clerk")
        d01, d02, d03 = [await _client(hall, http, u) for u in ("d01", "d02", "d03")]
        sha = (await clerk.upload(data)).json()["sha256"]
        await clerk.command("paper.attach", item_id=_items(hall)[0], sha256=sha,
                            kind="draft_resolution", access="confidential",
                            readers=["d01", "d02"])  # fmt: skip
        told = await _attached(tab1, sha)
        assert "readers" not in told and told["access"] == "confidential"
        public = await clerk.command("agenda.edit_item", item_id=_items(hall)[0], title="Sau")
        await tab3.until_seq(public["seq"])  # d03 has everything up to here, and not the paper
        assert not [e for e in tab3.events if e["name"] == "paper.attached"]

        one, two = await d01.get(sha), await d02.get(sha)
        assert one.status_code == two.status_code == 200
        assert one.content != two.content != data and one.headers["etag"] != two.headers["etag"]
        assert one.headers["cache-control"] == "private, max-age=31536000, immutable"
        assert NHUNG in text_of(one.content) and "Ghế số 2" in text_of(one.content)
        assert "Đại biểu 2" in text_of(two.content) and NHUNG not in text_of(two.content)
        assert "Dự thảo nghị quyết nhân sự" in text_of(one.content)
        assert (await d01.get(sha)).content == one.content  # cached: the same copy again
        again = await d01.get(sha, **{"If-None-Match": one.headers["etag"]})
        assert again.status_code == 304
        piece = await d01.get(sha, Range="bytes=1000-1999")
        assert piece.status_code == 206 and piece.content == one.content[1000:2000]
        assert (await clerk.get(sha)).content == data  # staff read the original
        assert (await d03.get(sha)).status_code == 403


async def test_versions_receipts_notes_and_the_presenter(hall: Live) -> None:
    old, new = paper(4, "Tờ trình"), paper(6, "Tờ trình (sửa đổi)")
    async with (
        httpx.AsyncClient(base_url=hall.base, timeout=30) as http,
        hall.socket("d01") as tab1,
        hall.socket("d02") as tab2,
        hall.socket("clerk") as desk,
    ):
        clerk = await _client(hall, http, "clerk")
        first = (await clerk.upload(old)).json()["sha256"]
        second = (await clerk.upload(new)).json()["sha256"]
        attach = await desk.command("paper.attach", item_id=_items(hall)[0], sha256=first,
                                    access="delegates")  # fmt: skip
        assert attach["type"] == "ack"
        paper_id = (await _attached(tab1, first))["paper_id"]
        assert (await tab1.command("paper.opened", paper_id=paper_id))["type"] == "ack"
        note = await tab1.command("paper.annotate", paper_id=paper_id, page=3, x=0.1, y=0.9,
                                  text="Đề nghị làm rõ khoản chi này")  # fmt: skip
        assert note["type"] == "ack"
        replaced = await desk.command("paper.replace", paper_id=paper_id, sha256=second)
        event = await tab2.recv_until(lambda e: e["name"] == "paper.replaced")
        assert (event["data"]["previous"], event["data"]["sha256"]) == (first, second)
        await tab2.until_seq(replaced["seq"])
        assert not [e for e in tab2.events if e["name"] == "paper.annotated"]
        mine = await tab1.recv_until(lambda e: e["name"] == "paper.annotated")
        assert mine["data"]["sha256"] == first and mine["data"]["page"] == 3
        shown = await desk.command("presenter.show", paper_id=paper_id, page=5)
        assert shown["type"] == "ack"
        turn = await tab2.recv_until(lambda e: e["name"] == "presenter.shown")
        assert (turn["data"]["sha256"], turn["data"]["page"]) == (second, 5)
        d01 = await _client(hall, http, "d01")
        assert (await d01.get(first)).content == old  # the old version stays readable
        view = (await http.get("/api/meetings/m1", headers=clerk.headers)).json()["snapshot"]
        assert [(r["user_id"], r["sha256"]) for r in view["papers"]["receipts"]] == [("d01", first)]
        assert view["papers"]["annotations"] == []  # the clerk never sees a delegate's notes
        own = (await http.get("/api/meetings/m1", headers=d01.headers)).json()["snapshot"]
        assert [n["text"] for n in own["papers"]["annotations"]] == ["Đề nghị làm rõ khoản chi này"]


async def test_a_paper_over_the_size_limit(hall: Live) -> None:
    async with httpx.AsyncClient(base_url=hall.base, timeout=30) as http:
        clerk = await _client(hall, http, "clerk")
        r = await clerk.upload(b"%PDF-1.7\n" + bytes(5 << 20))
        assert (r.status_code, r.json()["code"]) == (413, "pdf_too_large")

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
            for _ in range(5):
                yield bytes(1 << 20)

        r = await http.post("/api/meetings/m1/papers", content=chunks(), headers=clerk.headers)
        assert (r.status_code, r.json()["code"]) == (413, "pdf_too_large")
    assert list((hall.settings.data_dir / "documents" / "tmp").iterdir()) == []
