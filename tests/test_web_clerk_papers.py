"""The clerk's papers and minutes in Chromium: upload real PDFs with progress, attach them
(one confidential), put up a new version, watch read receipts arrive, see a hostile upload
refused in words; then the chair approves the minutes, the clerk seals them and the bundle
she downloads passes the project's verifier."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from meeting.minutes.verify import verify_bundle
from tests.browser import Devices, assert_touch_targets
from tests.pdfs import paper

pytestmark = pytest.mark.asyncio(loop_scope="module")

ITEM_2 = "Tờ trình dự toán ngân sách"

DROP = """(files) => {
  const dt = new DataTransfer();
  for (const f of files) {
    const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
    dt.items.add(new File([bytes], f.name, { type: f.type }));
  }
  return dt;
}"""


async def drop(page: Page, *files: tuple[str, bytes]) -> None:
    """Drop files on the drop zone as a person drags them from the desktop."""
    wire = [
        {"name": name, "b64": base64.b64encode(data).decode(), "type": "application/pdf"}
        for name, data in files
    ]
    transfer = await page.evaluate_handle(DROP, wire)
    zone = page.get_by_test_id("dropzone")
    await zone.dispatch_event("dragenter", {"dataTransfer": transfer})
    await expect(zone).to_have_class("dropzone is-over")
    await zone.dispatch_event("drop", {"dataTransfer": transfer})


def upload(page: Page, name: str) -> Locator:
    return page.get_by_test_id("uploads").locator(".upload", has_text=name)


def paper_row(page: Page, title: str) -> Locator:
    return page.get_by_test_id("paper").filter(has_text=title)


async def command(devices: Devices, user: str, name: str, **args: Any) -> dict[str, Any]:
    """A command over HTTP, as a script or another device sends it."""
    headers = {"Authorization": f"Bearer {await devices.server.token(user)}"}
    body = {"id": f"t-{secrets.token_hex(6)}", "name": name, "args": args}
    async with httpx.AsyncClient(base_url=devices.base, headers=headers) as http:
        r = await http.post("/api/meetings/m1/commands", json=body)
        assert r.status_code == 200, r.text
        answer: dict[str, Any] = r.json()
        return answer


def paper_id(page_state: dict[str, Any], title: str) -> str:
    found = [p for p in page_state["papers"]["papers"] if p["title"] == title]
    assert len(found) == 1, page_state["papers"]["papers"]
    return str(found[0]["paper_id"])


async def test_the_clerk_uploads_attaches_replaces_and_sees_receipts(devices: Devices) -> None:
    clerk = await devices.signed_in("clerk", "clerk")
    await clerk.click("[data-tab=papers]")
    budget = paper(3, "Tờ trình dự toán ngân sách năm 2027", tag="bản 1")
    secret = paper(5, "Báo cáo thẩm tra nhân sự", tag="mật")

    # Two real PDFs dropped at once: each has its own bar, and both reach the end.
    await drop(clerk, ("to-trinh-du-toan.pdf", budget), ("bao-cao-nhan-su.pdf", secret))
    for name, pages in (("to-trinh-du-toan.pdf", 3), ("bao-cao-nhan-su.pdf", 5)):
        row = upload(clerk, name)
        await expect(row).to_have_attribute("data-state", "done")
        await expect(row.get_by_test_id("upload-status")).to_contain_text(
            f"Đã tải lên: {pages} trang"
        )
        await expect(row.locator("progress")).to_have_js_property("value", 100)

    # Attach the first to item 2 as a public submission.
    await upload(clerk, "to-trinh-du-toan.pdf").locator("[data-action=attach]").click()
    dialog = clerk.get_by_test_id("attach-dialog")
    await expect(dialog.locator("#attach-title")).to_have_value(
        "Tờ trình dự toán ngân sách năm 2027"
    )
    await dialog.locator("#attach-item").select_option(label=f"2. {ITEM_2}")
    await dialog.locator("[data-choice=access] [data-value=public]").click()
    await assert_touch_targets(clerk)
    await dialog.locator("button[type=submit]").click()
    await expect(dialog).to_have_count(0)
    await expect(upload(clerk, "to-trinh-du-toan.pdf")).to_contain_text("Đã gắn vào nội dung")
    await upload(clerk, "to-trinh-du-toan.pdf").locator("[data-action=hide]").click()
    await expect(upload(clerk, "to-trinh-du-toan.pdf")).to_have_count(0)

    # The second, confidential, for delegate 1 only, as a report.
    await upload(clerk, "bao-cao-nhan-su.pdf").locator("[data-action=attach]").click()
    await dialog.locator("#attach-item").select_option(label=f"2. {ITEM_2}")
    await dialog.locator("#attach-kind").select_option("report")
    await dialog.locator("[data-choice=access] [data-value=confidential]").click()
    await dialog.locator("button[type=submit]").click()
    await expect(dialog.get_by_role("alert")).to_have_text(
        "Chọn ít nhất một đại biểu được đọc tài liệu mật."
    )
    await dialog.get_by_test_id("readers").get_by_text("Đại biểu 1", exact=True).click()
    await devices.screenshot(clerk, "clerk-attach-confidential")
    await dialog.locator("button[type=submit]").click()
    await expect(dialog).to_have_count(0)

    item = clerk.locator(".paper-item", has_text=ITEM_2)
    await expect(item.get_by_test_id("paper")).to_have_count(2)
    budget_row = paper_row(clerk, "Tờ trình dự toán ngân sách năm 2027")
    secret_row = paper_row(clerk, "Báo cáo thẩm tra nhân sự")
    await expect(budget_row.locator(".paper-facts")).to_contain_text("Tờ trình")
    await expect(budget_row.locator(".paper-facts")).to_contain_text("Công khai")
    await expect(secret_row.locator(".paper-facts")).to_contain_text("Báo cáo")
    await expect(secret_row.locator(".paper-facts")).to_contain_text("Mật · 1 người đọc")

    # A new version of the submission, uploaded from the dialog; the old one is kept.
    await budget_row.locator("[data-action=replace]").click()
    replace = clerk.get_by_test_id("replace-dialog")
    newer = paper(4, "Tờ trình dự toán ngân sách năm 2027", tag="bản 2")
    await replace.locator("#replace-upload").set_input_files(
        files=[{"name": "to-trinh-du-toan-v2.pdf", "mimeType": "application/pdf", "buffer": newer}]
    )
    await expect(replace.locator(".upload")).to_have_attribute("data-state", "done")
    await expect(replace.locator("button[type=submit]")).to_be_enabled()
    await replace.locator("button[type=submit]").click()
    await expect(replace).to_have_count(0)
    await expect(budget_row.get_by_test_id("versions")).to_have_text("2 phiên bản")
    await expect(budget_row.locator(".paper-facts")).to_contain_text("4 trang")

    # Read receipts: of the four delegates (the chair is one), nobody has opened it yet.
    receipts = budget_row.get_by_test_id("receipt-count")
    await expect(receipts).to_have_text("0/4 đã mở")
    await expect(secret_row.get_by_test_id("receipt-count")).to_have_text("0/1 đã mở")
    state = await clerk.evaluate("window.meetingApp.replica.view()")
    budget_id = paper_id(state, "Tờ trình dự toán ngân sách năm 2027")
    secret_id = paper_id(state, "Báo cáo thẩm tra nhân sự")
    await command(devices, "d02", "paper.opened", paper_id=budget_id)
    await expect(receipts).to_have_text("1/4 đã mở")
    await command(devices, "d01", "paper.opened", paper_id=secret_id)
    await expect(secret_row.get_by_test_id("receipt-count")).to_have_text("1/1 đã mở")
    await receipts.click()
    await expect(budget_row.get_by_test_id("not-opened").locator("li")).to_have_text(
        ["Trịnh Minh Châu", "Đại biểu 1", "Đại biểu 3"]
    )
    await command(devices, "d03", "paper.opened", paper_id=budget_id)
    await expect(receipts).to_have_text("2/4 đã mở")  # still expanded, one name fewer
    await expect(budget_row.get_by_test_id("not-opened").locator("li")).to_have_count(2)

    # A file that is not a PDF: refused by the server, the reason in words, a retry.
    await drop(clerk, ("bao-cao.pdf", "<!doctype html><p>Báo cáo</p>".encode()))
    hostile = upload(clerk, "bao-cao.pdf")
    await expect(hostile).to_have_attribute("data-state", "failed")
    await expect(hostile.get_by_test_id("upload-status")).to_have_text("Đây không phải tệp PDF.")
    await hostile.locator("[data-action=retry]").click()
    await expect(hostile).to_have_attribute("data-state", "failed")
    await expect(hostile.locator("[data-action=retry]")).to_be_visible()

    await clerk.evaluate("document.querySelectorAll('.toast-close').forEach((b) => b.click())")
    await assert_touch_targets(clerk)
    await clerk.evaluate("window.scrollTo(0, 0)")
    await devices.screenshot(clerk, "clerk-papers")

    # The English desk says the same in English.
    await clerk.click(".lang-btn[lang=en]")
    await expect(receipts).to_have_text("2/4 opened")
    await expect(hostile.get_by_test_id("upload-status")).to_have_text("This is not a PDF file.")
    refused = r"papers\?filename=bao-cao\.pdf: Failed to load resource: .* 415"
    devices.assert_no_console_errors(refused)


async def test_the_chair_approves_and_the_clerk_seals_and_downloads_the_bundle(
    devices: Devices, tmp_path: Path
) -> None:
    chair = await devices.signed_in("chair", "chair")
    clerk = await devices.signed_in("clerk", "clerk")
    # A paper on the agenda, so that the bundle carries a PDF too (uploaded by a script).
    token = await devices.server.token("clerk")
    async with httpx.AsyncClient(base_url=devices.base) as http:
        r = await http.post(
            "/api/meetings/m1/papers?filename=to-trinh.pdf",
            content=paper(2, "Tờ trình dự toán ngân sách"),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/pdf"},
        )
        assert r.status_code == 201, r.text
        sha = r.json()["sha256"]
    state = await clerk.evaluate("window.meetingApp.replica.view()")
    item = next(i["item_id"] for i in state["items"] if i["title"] == ITEM_2)
    await command(devices, "clerk", "paper.attach", item_id=item, sha256=sha, kind="submission")

    await clerk.click("[data-tab=minutes]")
    status = clerk.get_by_test_id("minutes-status")
    await expect(status).to_have_attribute("data-status", "draft")
    await expect(clerk.locator("[data-panel=minutes]")).to_contain_text(
        "Chủ tọa thông qua sau khi bế mạc"
    )
    # The clerk writes the opening of the draft.
    await clerk.fill("#section-opening", "Phiên họp khai mạc lúc 8 giờ, chủ tọa điều hành.")
    await clerk.click("[data-panel=sections] button[type=submit]")
    await expect(clerk.locator(".toast-ok")).to_contain_text("Đã lưu 1 phần")

    # The chair opens and closes the sitting; the approval appears once it is closed.
    minutes_panel = chair.locator("[data-panel=minutes]")
    await expect(minutes_panel).to_be_hidden()
    await chair.click("[data-action=open-sitting]")
    await chair.click("[data-action=close-sitting]")
    await chair.locator("dialog button[value=yes]").click()
    await expect(minutes_panel).to_be_visible()
    await expect(clerk.locator("[data-panel=minutes]")).to_contain_text("chờ chủ tọa thông qua")
    await chair.click("[data-panel=minutes] [data-action=preview-minutes]")
    frame = chair.frame_locator("[data-panel=minutes] iframe")
    await expect(frame.locator("h1")).to_have_text("BIÊN BẢN")
    await expect(frame.locator("body")).to_contain_text("Phiên họp khai mạc lúc 8 giờ")
    await assert_touch_targets(chair)
    await devices.screenshot(chair, "chair-minutes")
    await chair.click("[data-action=approve-minutes]")
    await chair.locator("dialog button[value=yes]").click()
    await expect(chair.get_by_test_id("minutes-approved")).to_be_visible()
    await expect(chair.locator("[data-action=approve-minutes]")).to_have_count(0)

    # The clerk sees it approved at once (the sections lock), and seals.
    await expect(status).to_have_attribute("data-status", "approved")
    await expect(clerk.locator("#section-opening")).to_have_attribute("readonly", "")
    async with clerk.expect_download() as pdf_download:
        await clerk.click("[data-action=download-pdf]")
    pdf = await (await pdf_download.value).path()
    assert pdf.read_bytes().startswith(b"%PDF")
    await clerk.click("[data-action=seal]")
    await clerk.locator("dialog button[value=yes]").click()
    await expect(status).to_have_attribute("data-status", "sealed")
    manifest = await clerk.get_by_test_id("manifest").text_content()
    assert manifest is not None and len(manifest) == 64

    async with clerk.expect_download() as bundle_download:
        await clerk.click("[data-action=bundle]")
    download = await bundle_download.value
    assert download.suggested_filename.endswith(".zip")
    path = tmp_path / download.suggested_filename
    await download.save_as(path)
    assert verify_bundle(path.read_bytes(), manifest) == []

    # A correction after the seal is an addendum.
    await clerk.fill("#addendum-text", "Đính chính: phiên họp khai mạc lúc 8 giờ 15.")
    await clerk.click("[data-panel=addenda] button[type=submit]")
    await expect(clerk.get_by_test_id("addenda").locator("li")).to_contain_text(
        ["Đính chính: phiên họp khai mạc lúc 8 giờ 15."]
    )
    await clerk.click("[data-action=preview-minutes]")
    await expect(clerk.frame_locator("[data-panel=minutes] iframe").locator("h1")).to_have_text(
        "BIÊN BẢN"
    )
    await clerk.evaluate("document.querySelectorAll('.toast-close').forEach((b) => b.click())")
    await assert_touch_targets(clerk)
    await clerk.evaluate("window.scrollTo(0, 0)")
    await devices.screenshot(clerk, "clerk-minutes")
    devices.assert_no_console_errors()
