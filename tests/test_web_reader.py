"""The paper reader in Chromium against a real server: papers uploaded and attached by the
clerk appear on the tablets with their item, open on PDF.js with the first page drawn,
search without diacritics, zoom, follow the chair's page, take private highlights and notes
(made offline too), and stay readable offline once downloaded.

Every wait is on a condition of a page or of the server, never on time.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser import Devices, assert_touch_targets
from tests.pdfs import paper

pytestmark = pytest.mark.asyncio(loop_scope="module")

ITEM_1 = "Báo cáo tình hình kinh tế - xã hội"
BUDGET = "Tờ trình dự toán ngân sách năm 2027"
REPORT = "Báo cáo kinh tế - xã hội"

# A page drawn is not blank: some pixels of the canvas are ink, darker than paper white.
INKED = """(canvas) => {
  if (!canvas || !canvas.width) return false;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 3] > 0) dark++;
  return dark > 200;
}"""
CANVAS_INKED = f"""() => ({INKED})(
  document.querySelector(".reader:not([hidden]) [data-reader=canvas]"))"""


class Clerk:
    """The clerk's side over HTTP: upload, attach, present; and reading the server's view."""

    def __init__(self, devices: Devices, http: httpx.AsyncClient) -> None:
        self.devices = devices
        self.http = http
        self.n = 0

    async def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self.devices.server.token(user)}"}

    async def command(self, user: str, name: str, **args: Any) -> dict[str, Any]:
        self.n += 1
        body = {"id": f"t{self.n}-{name}", "name": name, "args": args}
        r = await self.http.post("/api/meetings/m1/commands", json=body,
                                 headers=await self.headers(user))  # fmt: skip
        assert r.status_code == 200, r.text
        answer: dict[str, Any] = r.json()
        return answer

    async def snapshot(self, user: str) -> dict[str, Any]:
        r = await self.http.get("/api/meetings/m1", headers=await self.headers(user))
        r.raise_for_status()
        snap: dict[str, Any] = r.json()["snapshot"]
        return snap

    async def item(self, title: str) -> str:
        items = (await self.snapshot("clerk"))["items"]
        found: str = next(i["item_id"] for i in items if i["title"] == title)
        return found

    async def attach(self, data: bytes, title: str, item: str, **args: Any) -> str:
        r = await self.http.post("/api/meetings/m1/papers", params={"filename": "giay.pdf"},
                                 content=data, headers=await self.headers("clerk"))  # fmt: skip
        assert r.status_code in (200, 201), r.text
        sha = r.json()["sha256"]
        await self.command("clerk", "paper.attach", item_id=item, sha256=sha, title=title,
                           kind="submission", **args)  # fmt: skip
        papers = (await self.snapshot("clerk"))["papers"]["papers"]
        paper_id: str = next(p["paper_id"] for p in papers if p["sha256"] == sha)
        return paper_id


# Through the page's service worker: the whole cached paper, its first 100 bytes, its last
# 10 (a suffix range) and a range past its end.
SW_RANGE = """async (url) => {
  const whole = await fetch(url);
  const bytes = new Uint8Array(await whole.arrayBuffer());
  const first = await fetch(url, {headers: {Range: "bytes=0-99"}});
  const head = new Uint8Array(await first.arrayBuffer());
  const last = await fetch(url, {headers: {Range: "bytes=-10"}});
  const tail = new Uint8Array(await last.arrayBuffer());
  const beyond = await fetch(url, {headers: {Range: `bytes=${bytes.length + 5}-`}});
  const same = tail.every((b, i) => b === bytes[bytes.length - 10 + i]);
  return {
    size: bytes.length,
    whole: [whole.status, bytes.length],
    range: [first.status, head.length, first.headers.get("Content-Range"),
            new TextDecoder().decode(head.slice(0, 5))],
    tail: [last.status, tail.length, same],
    beyond: beyond.status,
  };
}"""


async def sitting_with_papers(devices: Devices, http: httpx.AsyncClient) -> Clerk:
    clerk = Clerk(devices, http)
    item = await clerk.item(ITEM_1)
    await clerk.attach(paper(4, BUDGET, tag="A"), BUDGET, item)
    await clerk.attach(paper(2, REPORT, tag="B"), REPORT, item, access="public")
    await clerk.command("chair", "sitting.open")
    await clerk.command("chair", "agenda.open_item", item_id=item)
    return clerk


def reader(page: Page, part: str) -> Any:
    return page.locator(f".reader:not([hidden]) [data-reader={part}]")


async def open_paper(page: Page, title: str) -> None:
    await page.get_by_test_id("current-papers").locator(".paper-open", has_text=title).click()
    await page.wait_for_function(CANVAS_INKED)


async def select_text_on_page(page: Page, words: str) -> None:
    """Select `words` in the reader's text layer, as a finger would."""
    await page.wait_for_function(
        "(w) => [...document.querySelectorAll('.reader-text span')]"
        ".some(s => s.textContent.includes(w))",
        arg=words,
    )
    await page.evaluate(
        """(w) => {
          const span = [...document.querySelectorAll('.reader-text span')]
            .find((s) => s.textContent.includes(w));
          const node = span.firstChild;
          const at = node.textContent.indexOf(w);
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + w.length);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
        }""",
        words,
    )


async def test_a_paper_opens_page_one_first_and_searches_without_diacritics(
    devices: Devices,
) -> None:
    async with httpx.AsyncClient(base_url=devices.base) as http:
        clerk = await sitting_with_papers(devices, http)
        tablet = await devices.signed_in("delegate", "d01")
        papers = tablet.get_by_test_id("current-papers")
        await expect(papers.locator(".paper-entry")).to_have_count(2)
        await expect(papers).to_contain_text("Tờ trình")
        await expect(papers).to_contain_text("4 trang")
        await assert_touch_targets(tablet)
        await expect(papers.locator("[data-stored=true]")).to_have_count(2)  # downloaded
        await papers.scroll_into_view_if_needed()
        await devices.screenshot(tablet, "delegate-papers")

        await open_paper(tablet, BUDGET)
        await expect(reader(tablet, "page")).to_have_value("1")
        await expect(reader(tablet, "pages")).to_have_text("/ 4")
        await expect(reader(tablet, "status")).to_have_attribute("data-state", "stored")
        await devices.screenshot(tablet, "paper-reader")
        await assert_touch_targets(tablet)

        # The read receipt reaches the clerk's view.
        receipts = (await clerk.snapshot("clerk"))["papers"]["receipts"]
        await tablet.wait_for_function("window.meetingApp.outbox.pending.length === 0")
        receipts = (await clerk.snapshot("clerk"))["papers"]["receipts"]
        assert [r["user_id"] for r in receipts] == ["d01"]

        # Pages: next, previous, typed.
        await reader(tablet, "next").click()
        await expect(reader(tablet, "page")).to_have_value("2")
        await tablet.wait_for_function(CANVAS_INKED)
        await reader(tablet, "prev").click()
        await expect(reader(tablet, "page")).to_have_value("1")
        await expect(reader(tablet, "prev")).to_be_disabled()

        # Zoom: the page grows.
        width = await reader(tablet, "canvas").evaluate("(c) => c.getBoundingClientRect().width")
        await reader(tablet, "zoom-in").click()
        await expect(reader(tablet, "zoom")).to_have_text("125%")
        await tablet.wait_for_function(
            "(w) => document.querySelector('.reader:not([hidden]) [data-reader=canvas]')"
            ".getBoundingClientRect().width > w * 1.2",
            arg=width,
        )
        await reader(tablet, "zoom").click()  # back to the page's width
        await expect(reader(tablet, "zoom")).to_have_text("100%")

        # Search without diacritics: "trang 3" is on page 3 only, "hoi dong nhan dan" on all.
        await reader(tablet, "search-toggle").click()
        await reader(tablet, "search").fill("trang 3")
        await reader(tablet, "search-go").click()
        await expect(reader(tablet, "hits")).to_have_text("1 kết quả trên 1 trang")
        await expect(reader(tablet, "page")).to_have_value("3")
        await reader(tablet, "search").fill("HOI DONG NHAN DAN tinh thanh hoa")
        await reader(tablet, "search-go").click()
        await expect(reader(tablet, "hits")).to_have_text("4 kết quả trên 4 trang")
        await expect(reader(tablet, "results")).to_contain_text("Hội đồng nhân dân tỉnh Thanh Hóa")
        await expect(tablet.locator(".reader-text span.reader-hit").first).to_be_visible()
        await reader(tablet, "search").fill("không có trong tài liệu")
        await reader(tablet, "search-go").click()
        await expect(reader(tablet, "hits")).to_contain_text("Không tìm thấy")
        devices.assert_no_console_errors()


async def test_private_highlights_and_notes_reach_the_server_even_when_made_offline(
    devices: Devices,
) -> None:
    async with httpx.AsyncClient(base_url=devices.base) as http:
        clerk = await sitting_with_papers(devices, http)
        tablet = await devices.signed_in("delegate", "d01")
        await open_paper(tablet, BUDGET)

        await select_text_on_page(tablet, "dự toán ngân sách")
        await reader(tablet, "highlight").click()
        await expect(tablet.locator(".reader-highlight")).to_have_count(1)
        await tablet.wait_for_function("window.meetingApp.outbox.pending.length === 0")
        notes = (await clerk.snapshot("d01"))["papers"]["annotations"]
        assert len(notes) == 1 and notes[0]["text"] == "dự toán ngân sách"
        assert notes[0]["page"] == 1 and len(notes[0]["rects"]) == 1
        x, y, w, h = notes[0]["rects"][0]
        assert 0 < x < 1 and 0 < y < 0.5 and 0 < w < 1 and 0 < h < 0.1
        # No one else sees it, not even the clerk.
        assert (await clerk.snapshot("clerk"))["papers"]["annotations"] == []
        assert (await clerk.snapshot("d02"))["papers"]["annotations"] == []

        # Offline: a note is kept on the device, shown as waiting, and sent on return.
        await tablet.context.set_offline(True)
        await expect(tablet.locator(".conn")).to_have_attribute("data-status", "offline")
        await reader(tablet, "note-tool").click()
        sheet = tablet.locator(".reader:not([hidden]) .reader-sheet")
        await sheet.click(position={"x": 120, "y": 300})
        await tablet.locator("[data-reader=note-text]").fill("Hỏi lại Sở Tài chính về số liệu")
        await tablet.locator("[data-reader=note-save]").click()
        await expect(tablet.locator(".reader-pin.pending")).to_have_count(1)
        await devices.screenshot(tablet, "paper-notes")
        # Even a reload while offline keeps it.
        await tablet.reload()
        await expect(tablet.locator(".conn")).to_have_attribute("data-status", "offline")
        assert await tablet.evaluate("window.meetingApp.outbox.pending.length") == 1
        await tablet.context.set_offline(False)
        await expect(tablet.locator(".conn")).to_have_attribute("data-status", "live")
        await tablet.wait_for_function("window.meetingApp.outbox.pending.length === 0")
        notes = (await clerk.snapshot("d01"))["papers"]["annotations"]
        assert sorted(n["text"] for n in notes) == [
            "Hỏi lại Sở Tài chính về số liệu",
            "dự toán ngân sách",
        ]
        pin = next(n for n in notes if not n["rects"])
        assert pin["page"] == 1 and 0 < pin["x"] < 1 and 0 < pin["y"] < 1
        devices.assert_no_console_errors()


async def test_tablets_follow_the_page_the_chair_presents(devices: Devices) -> None:
    async with httpx.AsyncClient(base_url=devices.base) as http:
        await sitting_with_papers(devices, http)
        chair = await devices.signed_in("chair", "chair")
        following = await devices.signed_in("delegate", "d01")
        elsewhere = await devices.signed_in("delegate", "d02")
        hall = await devices.open("/app/display/")
        await expect(hall.locator(".conn")).to_have_attribute("data-status", "live")
        await open_paper(following, REPORT)  # follows the chair (the default)

        await open_paper(chair, BUDGET)
        await reader(chair, "present").click()
        await expect(reader(chair, "present")).to_have_attribute("aria-pressed", "true")
        # The tablet that reads turns to the presented paper; the other is told.
        await expect(reader(following, "page")).to_have_value("1")
        await expect(following.locator(".reader:not([hidden]) .reader-title")).to_have_text(BUDGET)
        await expect(elsewhere.get_by_test_id("presenter-banner")).to_contain_text(BUDGET)

        await reader(chair, "next").click()
        await reader(chair, "next").click()
        await expect(reader(chair, "page")).to_have_value("3")
        await expect(reader(following, "page")).to_have_value("3")
        await following.wait_for_function(CANVAS_INKED)
        await expect(elsewhere.get_by_test_id("presenter-banner")).to_contain_text("trang 3")
        await elsewhere.get_by_test_id("presenter-open").click()
        await expect(reader(elsewhere, "page")).to_have_value("3")
        await devices.screenshot(chair, "chair-presenting")

        # Not following: the tablet stays where it is and offers the chair's page.
        await reader(following, "follow").click()
        await expect(reader(following, "follow")).to_have_attribute("aria-pressed", "false")
        await reader(chair, "prev").click()
        await expect(reader(chair, "page")).to_have_value("2")
        await expect(following.locator("[data-reader=presenter]")).to_contain_text("trang 2")
        await expect(reader(following, "page")).to_have_value("3")
        # The hall display shows the public view: a delegates' paper is not on its screen.
        await expect(hall.get_by_test_id("current-item")).to_have_attribute("data-stage", "item")

        # A public paper presented: the hall shows its page, large, and turns with the chair.
        await reader(chair, "close").click()
        await expect(following.get_by_test_id("presenter-banner")).to_be_hidden()
        await open_paper(chair, REPORT)
        await reader(chair, "present").click()
        stage = hall.get_by_test_id("current-item")
        await expect(stage).to_have_attribute("data-stage", "page")
        await expect(hall.get_by_test_id("presented-page")).to_have_attribute("data-page", "1")
        await reader(chair, "next").click()
        await expect(hall.get_by_test_id("presented-page")).to_have_attribute("data-page", "2")
        assert await hall.get_by_test_id("presented-page").evaluate(INKED)
        await devices.screenshot(hall, "hall-presented-page")
        devices.assert_no_console_errors()


async def test_downloaded_papers_open_after_an_offline_reload(devices: Devices) -> None:
    async with httpx.AsyncClient(base_url=devices.base) as http:
        clerk = await sitting_with_papers(devices, http)
        tablet = await devices.signed_in("delegate", "d01")
        await tablet.wait_for_function("navigator.serviceWorker.controller !== null")
        # Both papers are downloaded in the background, the unopened one too.
        papers = tablet.get_by_test_id("current-papers")
        await expect(papers.locator("[data-stored=true]")).to_have_count(2)
        await tablet.wait_for_function(
            "Object.keys(localStorage).some(k => k.startsWith('meeting.view.delegate.m1.'))"
        )

        await tablet.context.set_offline(True)
        await tablet.reload()
        await expect(tablet.locator(".conn")).to_have_attribute("data-status", "offline")
        await open_paper(tablet, REPORT)
        await expect(reader(tablet, "pages")).to_have_text("/ 2")
        await reader(tablet, "next").click()
        await tablet.wait_for_function(CANVAS_INKED)
        await devices.screenshot(tablet, "paper-offline")
        await reader(tablet, "close").click()
        await open_paper(tablet, BUDGET)
        await expect(reader(tablet, "pages")).to_have_text("/ 4")
        # The service worker answers for a cached paper, ranges too, with no network.
        sha = (await clerk.snapshot("clerk"))["papers"]["papers"][0]["sha256"]
        served = await tablet.evaluate(SW_RANGE, f"/api/meetings/m1/papers/{sha}")
        assert served["whole"] == [200, served["size"]] and served["size"] > 1000
        assert served["range"] == [206, 100, f"bytes 0-99/{served['size']}", "%PDF-"]
        assert served["tail"] == [206, 10, True]
        assert served["beyond"] == 416
        await tablet.context.set_offline(False)
        await expect(tablet.locator(".conn")).to_have_attribute("data-status", "live")
        devices.assert_no_console_errors("papers/[0-9a-f]{64}: .* status of 416")  # asked for
