"""Minutes through the real server: read, approve, seal, download the bundle, verify it."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pypdf

from meeting.cli import main
from meeting.minutes.verify import verify_bundle
from tests.live import Live


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_seal_and_verify_the_bundle(live: Live, tmp_path: Path) -> None:
    async with live.socket("chair") as chair, live.socket("clerk") as clerk:
        items = [i["item_id"] for i in chair.welcome["snapshot"]["items"]]
        await chair.command("sitting.open")
        for user in ("chair", "d01", "d02", "d03"):
            roll = await clerk.command("attendance.record", user_id=user, presence="present")
            assert roll["type"] == "ack", roll
        await chair.command("agenda.open_item", item_id=items[0])
        assert (await clerk.command("note.add", text="Đại biểu Hà phát biểu về ngân sách."))[
            "type"
        ] == "ack"
        ack = await chair.command("vote.schedule", item_id=items[0], question="Thông qua báo cáo")
        vote = (await chair.recv_until(lambda e: e["name"] == "vote.scheduled"))["data"]["vote_id"]
        assert ack["type"] == "ack"
        await chair.command("vote.open", vote_id=vote)
        async with live.socket("d01") as d1:
            assert (await d1.command("vote.cast", vote_id=vote, choice="tan_thanh"))[
                "type"
            ] == "ack"
        await chair.command("vote.close", vote_id=vote)
        refused = await chair.command("minutes.approve")
        assert refused["code"] == "invalid_state"  # the sitting is still open
        await chair.command("sitting.close")
        await clerk.command("minutes.set_section", key="closing", text="Bế mạc lúc 11 giờ.")
        assert (await chair.command("minutes.approve"))["type"] == "ack"

    clerk_token, d_token = await live.token("clerk"), await live.token("d02")
    async with httpx.AsyncClient(base_url=live.base, timeout=30) as http:
        url = "/api/meetings/m1/minutes"
        assert (await http.get(url)).status_code == 401
        obs = await http.get(url, headers=bearer(await live.token("obs")))
        assert (obs.status_code, obs.json()["code"]) == (403, "not_allowed")
        minutes = (await http.get(url, headers=bearer(d_token))).json()
        assert minutes["items"][0]["votes"][0]["result"]["counts"]["tan_thanh"] == 1
        pdf = await http.get(url, params={"format": "pdf"}, headers=bearer(clerk_token))
        assert pdf.headers["content-type"] == "application/pdf"
        text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
        assert "BIÊN BẢN" in text and "Kỳ họp thứ 2" in text
        html = await http.get(url, params={"format": "html"}, headers=bearer(clerk_token))
        assert "Thông qua báo cáo" in html.text
        assert (await http.get(f"{url}/bundle", headers=bearer(clerk_token))).status_code == 404
        sealed = await http.post(f"{url}/seal", headers=bearer(clerk_token))
        assert sealed.status_code == 200, sealed.text
        manifest = sealed.json()["manifest_sha256"]
        again = await http.post(f"{url}/seal", headers=bearer(clerk_token))
        assert (again.status_code, again.json()["code"]) == (409, "invalid_state")
        bundle = await http.get(f"{url}/bundle", headers=bearer(d_token))
        assert bundle.status_code == 200 and bundle.headers["etag"] == f'"{manifest}"'
    assert verify_bundle(bundle.content, manifest) == []
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundle.content)
    assert main(["verify", str(path), "--manifest", manifest]) == 0
    tampered = bytearray(bundle.content)
    tampered[len(tampered) // 2] ^= 0xFF
    path.write_bytes(bytes(tampered))
    assert main(["verify", str(path), "--manifest", manifest]) == 1
    async with live.socket("clerk") as clerk:
        assert (await clerk.command("note.add", text="Muộn"))["code"] == "invalid_state"
        added = await clerk.command("minutes.add_addendum", text="Đính chính: số phiếu tán thành.")
        assert added["type"] == "ack"
