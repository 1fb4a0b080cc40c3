"""The clerk's desk in Chromium: build the agenda by hand and from a CSV file, while a
delegate's tablet follows every change."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser import Devices, assert_touch_targets

pytestmark = pytest.mark.asyncio(loop_scope="module")

BAD_CSV = "title,access\nTờ trình A,public\n,delegates\nTờ trình C,everyone\n"
GOOD_CSV = (
    "\ufefftitle;description;access\n"
    "Tờ trình về giá đất năm 2027;Ủy ban nhân dân tỉnh trình;public\n"
    '"Báo cáo thẩm tra; Ban Kinh tế - Ngân sách";"Hai dòng\nmô tả";\n'
    "Miễn nhiệm Ủy viên Ủy ban nhân dân tỉnh;;delegates\n"
)


def titles(page: Page) -> object:
    return page.get_by_test_id("agenda").locator(".agenda-title")


async def choose_file(page: Page, name: str, text: str) -> None:
    upload = {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    await page.set_input_files("#import-file", files=[upload])


async def test_the_clerk_builds_the_agenda(devices: Devices) -> None:
    clerk = await devices.signed_in("clerk", "clerk")
    tablet = await devices.signed_in("delegate", "d01")
    await expect(titles(tablet)).to_have_count(3)

    # Add one item by hand, in closed session, at position 1.
    await clerk.fill("#add-title", "Bầu Phó Chủ tịch Hội đồng nhân dân tỉnh")
    await clerk.fill("#add-description", "Bỏ phiếu kín")
    await clerk.check("#add-delegates")
    await clerk.fill("#add-position", "1")
    await clerk.click("[data-panel=add] button[type=submit]")
    await expect(titles(tablet)).to_have_count(4)
    await expect(titles(tablet).first).to_have_text(
        "Bầu Phó Chủ tịch Hội đồng nhân dân tỉnh Họp kín"
    )

    # Edit it.
    await clerk.locator(".agenda-item").first.locator("[data-action=edit]").click()
    dialog = clerk.get_by_test_id("edit-dialog")
    await dialog.locator("#edit-title").fill("Bầu bổ sung Phó Chủ tịch HĐND tỉnh")
    await dialog.locator("button[type=submit]").click()
    await expect(dialog).to_have_count(0)
    await expect(titles(tablet).first).to_contain_text("Bầu bổ sung Phó Chủ tịch HĐND tỉnh")

    # Move it down one place, then remove the last item.
    await clerk.locator(".agenda-item").first.locator("[data-action=down]").click()
    await expect(titles(tablet).nth(1)).to_contain_text("Bầu bổ sung Phó Chủ tịch HĐND tỉnh")
    await clerk.locator(".agenda-item").last.locator("[data-action=remove]").click()
    await clerk.locator("dialog button[value=yes]").click()
    await expect(titles(tablet)).to_have_count(3)
    await expect(tablet.get_by_test_id("agenda")).not_to_contain_text("Công tác nhân sự")

    # A file with mistakes imports nothing and names each mistake's row and column.
    await choose_file(clerk, "sai.csv", BAD_CSV)
    problems = clerk.get_by_test_id("import-problems").locator("li")
    await expect(problems).to_have_text(
        [
            "Hàng 3, cột title: thiếu tiêu đề",
            "Hàng 4, cột access: giá trị “everyone” không hợp lệ; dùng public hoặc delegates",
        ]
    )
    # A good file (semicolons, a BOM, a quoted cell over two lines) adds its rows in order.
    await choose_file(clerk, "chuong-trinh.csv", GOOD_CSV)
    await expect(clerk.locator(".import-preview li")).to_have_count(3)
    await clerk.locator("[data-action=import]").scroll_into_view_if_needed()
    await devices.screenshot(clerk, "clerk-import")
    await assert_touch_targets(clerk)
    await clerk.click("[data-action=import]")
    await expect(clerk.get_by_test_id("import-done")).to_have_text("Đã nhập 3 nội dung.")
    await expect(titles(tablet)).to_have_count(6)
    await expect(titles(tablet).nth(3)).to_have_text("Tờ trình về giá đất năm 2027")
    await expect(titles(tablet).nth(4)).to_have_text("Báo cáo thẩm tra; Ban Kinh tế - Ngân sách")
    await expect(titles(tablet).nth(5)).to_contain_text("Miễn nhiệm Ủy viên")
    await expect(titles(tablet).nth(5)).to_contain_text("Họp kín")
    await clerk.evaluate("document.querySelectorAll('.toast-close').forEach((b) => b.click())")
    await clerk.evaluate("window.scrollTo(0, 0)")
    await devices.screenshot(clerk, "clerk-desk")
    devices.assert_no_console_errors()


async def test_the_landing_page_links_every_app(devices: Devices) -> None:
    page = await devices.open("/")
    await expect(page.locator(".tile")).to_have_count(5)
    await assert_touch_targets(page)
    await devices.screenshot(page, "landing")
    await page.click("a.tile[href='public/']")
    await expect(page.locator(".conn")).to_have_attribute("data-status", "live")
    await expect(page.locator(".agenda-item")).to_have_count(2)
    devices.assert_no_console_errors()


ROSTER_BAD = "seat,name,username,pin\n5,Lê Văn Hùng,d10,12\n"
ROSTER_GOOD = "seat,name,username,pin\n5,Lê Văn Hùng,d10,\n6,Phạm Thị Thu Hà,d11,246810\n"


async def test_the_clerk_imports_the_delegates(devices: Devices) -> None:
    clerk = await devices.signed_in("clerk", "clerk")
    panel = clerk.locator("[data-panel=roster]")
    await expect(panel.locator(".roster-count")).to_contain_text("4 đại biểu")  # chair too

    async def choose(text: str) -> None:
        upload = {"name": "dai-bieu.csv", "mimeType": "text/csv", "buffer": text.encode()}
        await clerk.set_input_files("#roster-file", files=[upload])

    # A file with a problem: each problem on its row and column; nothing imported.
    await choose(ROSTER_BAD)
    problems = clerk.get_by_test_id("roster-problems")
    await expect(problems).to_contain_text("dòng 2, cột pin")
    await expect(panel.locator(".roster-count")).to_contain_text("4 đại biểu")

    await choose(ROSTER_GOOD)
    await expect(clerk.get_by_test_id("roster-done")).to_have_text("Đã nhập 2 người vào danh sách.")
    await expect(panel.locator(".roster-count")).to_contain_text("6 đại biểu")
    # The PIN the server made for d10 is shown once; d11's came with the file.
    pins = clerk.get_by_test_id("roster-pins")
    await expect(pins.locator("tbody tr")).to_have_count(1)
    pin = (await pins.locator(".roster-pin").inner_text()).strip()
    assert pin.isdigit() and len(pin) == 6
    await assert_touch_targets(clerk)
    await panel.scroll_into_view_if_needed()
    await devices.screenshot(clerk, "clerk-roster")
    # The new delegate signs in on a tablet with it.
    tablet = await devices.open("/app/delegate/")
    await tablet.locator("[data-action=use-password]").click()
    await tablet.fill("#signin-username", "d10")
    await tablet.fill("#signin-password", pin)
    await tablet.click(".signin button[type=submit]")
    await expect(tablet.locator(".bar-user-name")).to_have_text("Lê Văn Hùng")
    # A file that would make someone chair is the administrator's, not the clerk's.
    await choose("seat,name,username,roles\n,Người lạ,boss,chair\n")
    await expect(clerk.get_by_test_id("roster-result")).to_contain_text("quyền")
    devices.assert_no_console_errors("roster: .* status of (403|422)")
