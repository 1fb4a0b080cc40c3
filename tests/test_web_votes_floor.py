"""Votes and the floor in Chromium against a real server: the chair console, delegate
tablets, the clerk's desk, the hall display and the public page, each its own device.

Every wait is on a condition of a page, never on time (a countdown is seen to decrease by
waiting for its shown seconds to change), and no page may log a console error.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.browser import Devices, assert_touch_targets
from tests.live import PASSWORD

pytestmark = pytest.mark.asyncio(loop_scope="module")

ITEM = "Tờ trình dự toán ngân sách"
QUESTION = "Thông qua Nghị quyết về dự toán ngân sách địa phương năm 2027"


async def open_sitting_on(chair: Page, title: str) -> None:
    await chair.click("[data-action=open-sitting]")
    await chair.locator(".agenda-item", has_text=title).locator("[data-action=open-item]").click()
    await expect(chair.get_by_test_id("current-item").locator(".current-title")).to_have_text(title)


async def schedule(page: Page, question: str, **fields: str) -> None:
    """Fill the schedule form (chair or clerk) on the current item and send it."""
    await page.click("[data-tab=votes]")
    form = page.locator("[data-panel=schedule-vote]")
    await form.locator("#sv-question").fill(question)
    for name, value in fields.items():
        field = form.locator(f"#sv-{name}")
        if await field.evaluate("el => el.tagName") == "SELECT":
            await field.select_option(value)
        elif value == "check":
            await field.check()
        else:
            await field.fill(value)
    await form.locator("[data-action=schedule-vote]").click()
    await expect(page.locator("[data-panel=votes] .vote-row", has_text=question)).to_have_count(1)


async def vote_on(tablet: Page, choice: str) -> None:
    ballot = tablet.locator("[data-panel=ballot]")
    await ballot.locator(f"[data-choice={choice}]").click()
    await ballot.locator("[data-action=confirm-ballot]").click()
    await expect(ballot.get_by_test_id("ballot-ack")).to_be_visible()


async def shot(devices: Devices, page: Page, name: str) -> None:
    """A screenshot for the documentation: from the top of the page, without toasts."""
    await page.evaluate("document.querySelectorAll('.toast').forEach((t) => t.remove())")
    await page.evaluate("window.scrollTo(0, 0)")
    await devices.screenshot(page, name)


def seconds(page: Page) -> Any:
    return page.get_by_test_id("speaker").get_by_test_id("countdown")


async def test_the_chair_opens_a_vote_the_tablets_vote_and_the_hall_shows_the_result(
    devices: Devices,
) -> None:
    await devices.roll_call()
    chair = await devices.signed_in("chair", "chair")
    tablets = [await devices.signed_in("delegate", user) for user in ("d01", "d02")]
    hall = await devices.open("/app/display/")
    public = await devices.open("/app/public/")
    await open_sitting_on(chair, ITEM)
    await expect(chair.get_by_test_id("quorum")).to_have_attribute("data-met", "true")

    await schedule(chair, QUESTION, number="NQ 12")
    live = chair.locator("[data-panel=live-vote]")
    await expect(live).to_contain_text("Sẵn sàng biểu quyết")
    await live.locator("[data-action=open-vote]").click()

    # Both tablets show the ballot, with big buttons, at once.
    for tablet in tablets:
        ballot = tablet.locator("[data-panel=ballot]")
        await expect(ballot.locator(".ballot-question")).to_have_text(QUESTION)
        await expect(ballot.locator(".ballot-btn")).to_have_count(3)
        await expect(ballot.locator("[data-choice=tan_thanh]")).to_have_text("✓Tán thành")
    await expect(hall.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 0/4")
    await expect(hall.locator(".hall-vote-question")).to_have_text(QUESTION)
    await assert_touch_targets(tablets[0])
    await shot(devices, tablets[0], "delegate-vote")
    box = await tablets[0].locator("[data-choice=tan_thanh]").bounding_box()
    assert box is not None and box["height"] >= 120 and box["width"] >= 300

    # English is one tap away, mid-vote, and back.
    await tablets[0].click(".lang-btn[lang=en]")
    await expect(tablets[0].locator("[data-choice=tan_thanh]")).to_have_text("✓In favour")
    await tablets[0].click(".lang-btn[lang=vi]")

    # A confirmation step, then the acknowledgement and her recorded (named) choice.
    first = tablets[0].locator("[data-panel=ballot]")
    await first.locator("[data-choice=khong_tan_thanh]").click()
    await expect(first.locator(".ballot-confirm")).to_contain_text("Không tán thành")
    await first.locator("[data-action=ballot-back]").click()
    await first.locator("[data-choice=tan_thanh]").click()
    await expect(first.locator(".ballot-confirm")).to_contain_text("Tán thành")
    await shot(devices, tablets[0], "delegate-vote-confirm")
    await first.locator("[data-action=confirm-ballot]").click()
    await expect(first.get_by_test_id("ballot-ack")).to_contain_text(
        "Phiếu của bạn đã được ghi nhận"
    )
    await expect(first.get_by_test_id("my-ballot")).to_contain_text("Tán thành")
    await vote_on(tablets[1], "khong_tan_thanh")
    await expect(tablets[1].get_by_test_id("my-ballot")).to_contain_text("Không tán thành")
    await shot(devices, tablets[0], "delegate-vote-recorded")

    # The chair sees the count and who has not voted; the hall sees the count only.
    await expect(live.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 2/4")
    await expect(live.get_by_test_id("not-voted")).to_have_text(
        "Chưa biểu quyết (2): Trịnh Minh Châu, Đại biểu 3"
    )
    await expect(hall.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 2/4")
    await expect(public.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 2/4")
    await shot(devices, chair, "chair-vote")
    await shot(devices, hall, "hall-vote-open")

    # Two more ballots from other devices (the protocol client, as any tablet would).
    engine = devices.server.services.engines.loaded()[0]
    vote_id = engine.state.votes.open_vote
    for user in ("d03", "chair"):
        async with devices.server.socket(user) as wire:
            ack = await wire.command("vote.cast", vote_id=vote_id, choice="tan_thanh")
            assert ack["type"] == "ack", ack
    await expect(live.get_by_test_id("not-voted")).to_have_text("Tất cả đại biểu đã biểu quyết.")
    await live.locator("[data-action=close-vote]").click()

    # The result: a bar chart with the rule and the verdict, on every screen.
    result = hall.get_by_test_id("vote-result")
    await expect(result.get_by_test_id("verdict")).to_have_text("✓ ĐƯỢC THÔNG QUA")
    await expect(result.get_by_test_id("bar")).to_have_count(3)
    await expect(result.get_by_test_id("bar").first).to_contain_text("Tán thành3")
    await expect(result.get_by_test_id("vote-rule")).to_contain_text("Quá nửa tổng số đại biểu")
    await expect(result.get_by_test_id("vote-rule")).to_contain_text("cần 3 phiếu")
    width = await result.locator(".bar-fill").first.evaluate("el => el.style.width")
    assert width == "75%"
    for page in (*tablets, chair, public):
        await expect(page.get_by_test_id("verdict").first).to_have_text("✓ ĐƯỢC THÔNG QUA")
    await expect(tablets[0].get_by_test_id("my-ballot")).to_have_count(0)  # the result now
    await expect(tablets[0].locator(".ballot-mine")).to_contain_text("Tán thành")
    await shot(devices, hall, "hall-vote-result")
    await shot(devices, tablets[1], "delegate-vote-result")
    await shot(devices, public, "public-vote-result")
    await assert_touch_targets(chair)
    devices.assert_no_console_errors()


async def test_a_delegate_asks_to_speak_and_the_hall_counts_down_her_time(
    devices: Devices,
) -> None:
    chair = await devices.signed_in("chair", "chair")
    tablet = await devices.signed_in("delegate", "d01")
    hall = await devices.open("/app/display/")
    await open_sitting_on(chair, ITEM)

    # She checks in from her tablet; the chair's quorum follows.
    floor = tablet.locator("[data-panel=floor]")
    await floor.locator("[data-action=check-in]").click()
    await expect(floor.get_by_test_id("checked-in")).to_be_visible()
    await expect(chair.get_by_test_id("quorum")).to_contain_text("Có mặt 1/4 · cần 3")
    await expect(chair.get_by_test_id("quorum")).to_have_attribute("data-met", "false")

    # She asks to speak, on a topic; the chair gives her the floor.
    await floor.locator("[data-action=request-floor]").click()
    await expect(floor.get_by_test_id("my-request")).to_contain_text("thứ tự số 1")
    await floor.locator("[data-action=withdraw-floor]").click()
    await expect(floor.get_by_test_id("my-request")).to_have_count(0)
    async with devices.server.socket("d02") as d02, devices.server.socket("d03") as d03:
        for wire in (d02, d03):
            assert (await wire.command("floor.request"))["type"] == "ack"
    await floor.locator("#floor-topic").fill("Về dự toán chi thường xuyên")
    await floor.locator("[data-action=request-floor]").click()
    await expect(floor.get_by_test_id("my-request")).to_contain_text("thứ tự số 3")

    # The chair moves her up twice and takes another off the list, then gives her the floor.
    await chair.click("[data-tab=floor]")
    queue = chair.get_by_test_id("speaker-queue")
    await expect(chair.locator("[data-tab=floor]")).to_have_text("Phát biểu (3)")
    mine = queue.locator(".row", has_text="Đại biểu 1")
    await expect(mine).to_contain_text("Về dự toán chi thường xuyên")
    await mine.locator("[data-action=speaker-up]").click()
    await expect(floor.get_by_test_id("my-request")).to_contain_text("thứ tự số 2")
    await mine.locator("[data-action=speaker-up]").click()
    await expect(floor.get_by_test_id("my-request")).to_contain_text("thứ tự số 1")
    await (
        queue.locator(".row", has_text="Đại biểu 3").locator("[data-action=remove-speaker]").click()
    )
    await chair.locator("dialog button[value=yes]").click()
    await expect(queue.locator(".row")).to_have_count(2)
    await expect(chair.locator("[data-panel=speaker] .next-speaker")).to_contain_text(
        "Tiếp theo: Đại biểu 1"
    )
    await chair.locator("[data-panel=speaker] [data-action=grant-next]").click()

    # The hall shows her name and a countdown from the server's deadline, decreasing.
    speaker = hall.get_by_test_id("speaker")
    await expect(speaker.locator(".speaker-name")).to_have_text("Đại biểu 1")
    await expect(speaker).to_contain_text("Về dự toán chi thường xuyên")
    countdown = seconds(hall)
    first = int(await countdown.get_attribute("data-seconds") or 0)
    assert 295 <= first <= 300
    await hall.wait_for_function(
        f"document.querySelector('.hall-main [data-testid=countdown]').dataset.seconds < {first}"
    )
    shown = await countdown.locator(".countdown-time").text_content()
    assert shown is not None and shown.startswith("4:5")
    await expect(countdown).not_to_have_class("is-warning")
    await expect(tablet.get_by_test_id("speaker")).to_contain_text("Bạn đang phát biểu")
    await shot(devices, hall, "hall-speaker")
    await shot(devices, tablet, "delegate-floor")

    # Pause and resume: the hall says so; extend: more time.
    panel = chair.locator("[data-panel=speaker]")
    await panel.locator("[data-action=pause]").click()
    await expect(speaker.locator(".tag-paused")).to_have_text("Tạm dừng")
    await expect(countdown).to_have_attribute("data-running", "false")
    await panel.locator("[data-action=resume]").click()
    await expect(speaker.locator(".tag-paused")).to_have_count(0)
    await panel.locator("[data-action=extend]").click()
    await expect(countdown).to_have_attribute("data-seconds", re.compile(r"^35\d$"))
    await shot(devices, chair, "chair-floor")
    await assert_touch_targets(chair)
    await assert_touch_targets(tablet)
    await panel.locator("[data-action=end-speech]").click()
    await expect(hall.get_by_test_id("speaker")).to_have_count(0)

    # A short speaking time: amber in the warning period, red on overrun (the server's).
    async with devices.server.socket("clerk") as clerk:
        ack = await clerk.command("floor.set_timing", speaking_seconds=3, warning_seconds=2)
        assert ack["type"] == "ack", ack
    await panel.locator("[data-action=grant-next]").click()
    await expect(speaker.locator(".speaker-name")).to_have_text("Đại biểu 2")
    await expect(countdown).to_have_class("countdown countdown-speaker is-warning")
    await expect(countdown).to_have_class("countdown countdown-speaker is-over")
    await expect(countdown).to_have_attribute("data-overrun", "true")  # the server's event
    await expect(countdown.locator(".countdown-time")).to_have_text(re.compile(r"^−0:0[1-9]$"))
    await shot(devices, hall, "hall-speaker-overrun")

    # A question (chất vấn): submitted from the tablet, called by the chair.
    await tablet.click("[data-panel=ask] summary")
    await tablet.fill("#question-to", "Giám đốc Sở Tài chính")
    await tablet.fill("#question-text", "Vì sao giải ngân vốn đầu tư công chậm?")
    await tablet.click("[data-action=submit-question]")
    await expect(tablet.locator("[data-panel=my-questions]")).to_contain_text("Chờ chất vấn")
    await chair.click("[data-tab=questions]")
    await chair.locator("[data-action=call-question]").click()
    await expect(tablet.locator("[data-panel=my-questions]")).to_contain_text("Đang trả lời")
    await expect(chair.get_by_test_id("current-question")).to_contain_text(
        "Đại biểu 1 hỏi Giám đốc Sở Tài chính"
    )
    devices.assert_no_console_errors()


async def test_a_secret_election_with_pin_and_a_paper_ballot_counted_by_the_clerk(
    devices: Devices,
) -> None:
    await devices.roll_call()
    chair = await devices.signed_in("chair", "chair")
    clerk = await devices.signed_in("clerk", "clerk")
    tablet = await devices.signed_in("delegate", "d01")
    await open_sitting_on(chair, ITEM)

    # The clerk schedules a secret election that asks for the PIN; the chair opens it.
    await schedule(
        clerk,
        "Bầu Ủy viên Ủy ban nhân dân tỉnh",
        kind="election",
        method="electronic_secret",
        candidates="Nguyễn Văn An\nTrần Thị Bình\nLê Văn Cường",
        seats="2",
        pin="check",
    )
    live = chair.locator("[data-panel=live-vote]")
    await live.locator("[data-action=open-vote]").click()
    ballot = tablet.locator("[data-panel=ballot]")
    await expect(ballot.locator(".ballot-candidate")).to_have_count(3)
    for name in ("Nguyễn Văn An", "Lê Văn Cường", "Trần Thị Bình"):
        await ballot.locator(".ballot-candidate", has_text=name).click()
    await expect(ballot.get_by_test_id("chosen-count")).to_have_text("đã chọn 2/2")
    await expect(tablet.locator(".toast-error")).to_contain_text("tối đa 2")
    await shot(devices, tablet, "delegate-election")
    await ballot.locator("[data-action=ballot-next]").click()
    await expect(ballot.locator(".choice-list li")).to_have_count(2)
    await ballot.locator("#ballot-pin").fill("sai")
    await ballot.locator("[data-action=confirm-ballot]").click()
    await expect(ballot.get_by_test_id("ballot-error")).to_contain_text("Mã PIN không đúng")
    await ballot.locator("#ballot-pin").fill(PASSWORD)
    await ballot.locator("[data-action=confirm-ballot]").click()
    await expect(ballot.get_by_test_id("ballot-ack")).to_contain_text("Bỏ phiếu kín")
    await expect(ballot.get_by_test_id("my-ballot")).to_have_count(0)
    await expect(live.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 1/4")
    await live.locator("[data-action=close-vote]").click()
    await chair.locator("dialog button[value=yes]").click()
    await expect(ballot.get_by_test_id("verdict")).to_have_text("Không ai trúng cử")
    await expect(ballot.get_by_test_id("bar")).to_have_count(3)
    # The tablet never held a secret ballot's choice, not even its own.
    view = await tablet.evaluate("JSON.stringify(window.meetingApp.replica.view().votes)")
    assert "my_ballot" not in view

    # A paper ballot: the chair opens it, the clerk enters the count, which closes it.
    await schedule(clerk, "Thông qua Nghị quyết về giá đất", kind="motion", method="paper")
    await live.locator("[data-action=next-vote]").click()
    await expect(ballot).to_contain_text("phiếu giấy")
    await clerk.click("[data-tab=votes]")
    counts = clerk.locator("[data-panel=counts]")
    for name, value in [("issued", "4"), ("returned", "4"), ("valid", "4"), ("invalid", "0")]:
        await counts.locator(f"#count-sheet-{name}").fill(value)
    await counts.locator("#count-tan_thanh").fill("3")
    await counts.locator("[data-action=enter-counts]").click()
    await expect(counts.locator(".form-error")).to_contain_text("bằng số phiếu hợp lệ")
    await counts.locator("#count-khong_tan_thanh").fill("1")
    await expect(counts.get_by_test_id("counts-total")).to_have_text("Tổng các lựa chọn: 4")
    await assert_touch_targets(clerk)
    await shot(devices, clerk, "clerk-counts")
    await counts.locator("[data-action=enter-counts]").click()
    await clerk.locator("dialog button[value=yes]").click()
    await expect(live.get_by_test_id("verdict")).to_have_text("✓ ĐƯỢC THÔNG QUA")
    await expect(live).to_contain_text("Phiếu phát ra 4, thu về 4, hợp lệ 4, không hợp lệ 0")

    # A question: called by the chair, its answer recorded by the clerk.
    async with devices.server.socket("d01") as d01:
        ack = await d01.command(
            "question.submit", addressee="Giám đốc Sở Xây dựng", text="Khi nào xong nhà ở xã hội?"
        )
        assert ack["type"] == "ack", ack
    await chair.click("[data-tab=questions]")
    await chair.locator("[data-action=call-question]").click()
    await clerk.click("[data-tab=questions]")
    await clerk.locator("[data-action=record-answer]").click()
    answer = clerk.get_by_test_id("answer-dialog")
    await expect(answer.locator("#answer-by")).to_have_value("Giám đốc Sở Xây dựng")
    await answer.locator("#answer-summary").fill("Quý II năm 2027 bàn giao 500 căn.")
    await answer.locator("[data-action=save-answer]").click()
    await expect(tablet.locator("[data-panel=my-questions]")).to_contain_text("Đã trả lời")
    await expect(tablet.locator("[data-panel=my-questions]")).to_contain_text("500 căn")

    # The chair annuls it, with the reason on record; it is scheduled again.
    await live.locator("[data-action=annul-vote]").click()
    dialog = chair.get_by_test_id("annul-dialog")
    await dialog.locator("#annul-reason").fill("Phát nhầm mẫu phiếu")
    await dialog.locator("[data-action=confirm-annul]").click()
    await expect(live.get_by_test_id("verdict")).to_have_text("KẾT QUẢ ĐÃ BỊ HỦY")
    await expect(live).to_contain_text("Lý do hủy: Phát nhầm mẫu phiếu")
    await chair.click("[data-tab=votes]")
    rows = chair.locator("[data-panel=votes] .vote-row", has_text="Thông qua Nghị quyết về giá đất")
    await expect(rows).to_have_count(2)
    devices.assert_no_console_errors()
