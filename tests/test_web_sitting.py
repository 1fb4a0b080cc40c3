"""The web apps in Chromium against a real server: the chair runs the sitting, tablets follow.

Each test is one scene of a sitting with several devices (browser contexts) at once; every
wait is on a condition of a page, never on time, and no page may log a console error.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser import Devices, assert_touch_targets

pytestmark = pytest.mark.asyncio(loop_scope="module")

ITEM_1 = "Báo cáo tình hình kinh tế - xã hội"
ITEM_2 = "Tờ trình dự toán ngân sách"
CLOSED_ITEM = "Công tác nhân sự"
CLOSED_SESSION = "Phiên họp kín đang diễn ra"
PUBLIC_Q = "Vì sao vốn đầu tư công giải ngân chậm?"
SECRET_Q = "Về quy hoạch cán bộ diện kín"


def current_title(page: Page) -> Any:
    return page.get_by_test_id("current-item").locator(".current-title")


def status(page: Page) -> Any:
    return page.locator(".conn")


async def open_item(chair: Page, title: str) -> None:
    row = chair.locator(".agenda-item", has_text=title)
    await row.locator("[data-action=open-item]").click()


async def server_snapshot(devices: Devices, user: str | None) -> dict[str, Any]:
    headers = {}
    if user:
        headers["Authorization"] = f"Bearer {await devices.server.token(user)}"
    async with httpx.AsyncClient(base_url=devices.base, headers=headers) as http:
        r = await http.get("/api/meetings/m1")
        r.raise_for_status()
        snapshot: dict[str, Any] = r.json()["snapshot"]
        return snapshot


async def assert_replica_matches_server(devices: Devices, page: Page, user: str | None) -> None:
    """What the page folded from events is what the server's snapshot says."""
    view: dict[str, Any] = await page.evaluate("window.meetingApp.replica.view()")
    server = await server_snapshot(devices, user)
    assert view["seq"] <= server["seq"]
    assert {k: v for k, v in view.items() if k != "seq"} == {
        k: server[k] for k in view if k != "seq"
    }


async def test_tablets_follow_the_chair_and_catch_up_after_a_network_cut(
    devices: Devices,
) -> None:
    chair = await devices.signed_in("chair", "chair")
    tablets = [await devices.signed_in("delegate", user) for user in ("d01", "d02")]
    for tablet in tablets:
        await tablet.evaluate("window.notReloaded = true")
        await expect(tablet.get_by_test_id("sitting-status")).to_have_text("Chưa khai mạc")
        await expect(tablet.locator(".agenda-item")).to_have_count(3)  # with the closed item

    await chair.click("[data-action=open-sitting]")
    for tablet in tablets:
        await expect(tablet.get_by_test_id("sitting-status")).to_have_text("Đang họp")
    await open_item(chair, ITEM_1)
    for tablet in tablets:
        await expect(current_title(tablet)).to_have_text(ITEM_1)
    await expect(current_title(chair)).to_have_text(ITEM_1)
    await devices.screenshot(chair, "chair-console")
    await devices.screenshot(tablets[0], "delegate-tablet")

    # One tablet loses its network; the chair moves on; the other tablet follows at once.
    cut, other = tablets
    await cut.context.set_offline(True)
    await expect(status(cut)).to_have_attribute("data-status", "offline")
    await expect(status(cut)).to_have_text("Mất kết nối mạng")
    await chair.click("[data-action=next-item]")
    await expect(current_title(other)).to_have_text(ITEM_2)
    await expect(current_title(cut)).to_have_text(ITEM_1)

    # The network comes back: the tablet resumes by seq and shows the new item, no reload.
    await cut.context.set_offline(False)
    await expect(status(cut)).to_have_attribute("data-status", "live")
    await expect(current_title(cut)).to_have_text(ITEM_2)
    assert await cut.evaluate("window.notReloaded") is True
    agenda = cut.get_by_test_id("agenda")
    await expect(agenda.locator(".status-closed")).to_have_count(1)
    await expect(agenda.locator(".is-current")).to_contain_text(ITEM_2)

    await assert_replica_matches_server(devices, cut, "d01")
    await assert_replica_matches_server(devices, chair, "chair")
    devices.assert_no_console_errors()


async def test_the_chair_adds_an_urgent_item_and_closes_the_sitting(devices: Devices) -> None:
    chair = await devices.signed_in("chair", "chair")
    tablet = await devices.signed_in("delegate", "d03")
    await chair.click("[data-action=open-sitting]")
    await chair.click("[data-action=next-item]")  # the first item
    await expect(current_title(tablet)).to_have_text(ITEM_1)

    await chair.click("[data-panel=urgent] summary")
    for page in (chair, tablet):
        await assert_touch_targets(page)
    await chair.fill("#urgent-title", "Nghị quyết về phòng, chống lũ lụt khẩn cấp")
    await chair.fill("#urgent-description", "Do Ủy ban nhân dân tỉnh trình")
    await chair.click("[data-panel=urgent] button[type=submit]")
    await expect(current_title(tablet)).to_have_text("Nghị quyết về phòng, chống lũ lụt khẩn cấp")
    await expect(tablet.get_by_test_id("current-item")).to_contain_text("Khẩn")
    await expect(tablet.get_by_test_id("current-item")).to_contain_text("Do Ủy ban nhân dân")
    # The urgent item sits right after the item it interrupted.
    titles = tablet.get_by_test_id("agenda").locator(".agenda-title")
    await expect(titles.nth(1)).to_contain_text("Nghị quyết về phòng, chống lũ lụt")

    await chair.click("[data-action=close-item]")
    await expect(tablet.get_by_test_id("current-item")).to_have_text(
        "Chưa có nội dung nào đang được thảo luận."
    )
    await chair.click("[data-action=close-sitting]")
    await chair.locator("dialog button[value=yes]").click()
    await expect(tablet.get_by_test_id("sitting-status")).to_have_text("Đã bế mạc")
    await expect(chair.locator("[data-action=open-item]").first).to_be_disabled()
    devices.assert_no_console_errors()


async def test_a_refused_command_says_why(devices: Devices) -> None:
    """The clerk is not the chair: the console warns, and the server's refusal is shown."""
    console = await devices.signed_in("chair", "clerk")
    await expect(console.locator(".notice-warn")).to_contain_text("không phải chủ tọa")
    await console.click("[data-action=open-sitting]")
    toast = console.locator(".toast-error")
    await expect(toast).to_contain_text("Bạn không có quyền thực hiện thao tác này.")
    await expect(console.get_by_test_id("sitting-status")).to_have_text("Chưa khai mạc")
    devices.assert_no_console_errors()


async def test_an_offline_reload_still_shows_the_app(devices: Devices) -> None:
    tablet = await devices.signed_in("delegate", "d01")
    await tablet.wait_for_function("navigator.serviceWorker.controller !== null")
    # The last state is kept on the device shortly after each change.
    await tablet.wait_for_function(
        "Object.keys(localStorage).some(k => k.startsWith('meeting.view.delegate.m1.'))"
    )
    await tablet.context.set_offline(True)
    await tablet.reload()
    await expect(status(tablet)).to_have_attribute("data-status", "offline")
    await expect(tablet.locator(".bar-app")).to_have_text("Máy tính bảng đại biểu")
    await expect(tablet.locator(".agenda-item")).to_have_count(3)
    await expect(tablet.locator(".bar-meeting")).to_contain_text("Kỳ họp thứ 2")
    await devices.screenshot(tablet, "delegate-offline")

    await tablet.context.set_offline(False)
    await expect(status(tablet)).to_have_attribute("data-status", "live")
    devices.assert_no_console_errors()


async def test_the_public_never_sees_the_closed_session(devices: Devices) -> None:
    public = await devices.open("/app/public/")
    hall = await devices.open("/app/display/")
    for page in (public, hall):
        await expect(status(page)).to_have_attribute("data-status", "live")
    await expect(public.locator(".agenda-item")).to_have_count(2)
    await assert_touch_targets(public)

    chair = await devices.signed_in("chair", "chair")
    await chair.click("[data-action=open-sitting]")
    await open_item(chair, ITEM_1)
    await expect(current_title(public)).to_have_text(ITEM_1)
    await expect(hall.locator(".hall-item")).to_have_text(ITEM_1)
    await devices.screenshot(public, "public-page")
    await devices.screenshot(hall, "hall-display")

    await open_item(chair, CLOSED_ITEM)
    await expect(current_title(chair)).to_have_text(CLOSED_ITEM)
    # Live, from the event: a closed session is in progress, and no more.
    for page in (public, hall):
        await expect(page.get_by_test_id("current-item")).not_to_contain_text(ITEM_1)
        await expect(page.get_by_test_id("closed-session")).to_have_text(CLOSED_SESSION)
        await expect(page.locator("body")).not_to_contain_text(CLOSED_ITEM)
    await devices.screenshot(public, "public-closed-session")
    await devices.screenshot(hall, "hall-closed-session")
    # A fresh start (a snapshot) says the same.
    for page in (public, hall):
        await page.reload()
        await expect(page.get_by_test_id("closed-session")).to_have_text(CLOSED_SESSION)
        await expect(page.locator("body")).not_to_contain_text(CLOSED_ITEM)
        state = await page.evaluate("JSON.stringify(window.meetingApp.replica.view())")
        assert CLOSED_ITEM not in state
    await assert_replica_matches_server(devices, public, None)

    await open_item(chair, ITEM_2)
    await expect(current_title(public)).to_have_text(ITEM_2)
    await expect(hall.locator(".hall-item")).to_have_text(ITEM_2)
    for page in (public, hall):
        await expect(page.get_by_test_id("closed-session")).to_have_count(0)
    await assert_replica_matches_server(devices, public, None)
    devices.assert_no_console_errors()


async def test_a_closed_sessions_question_takes_the_public_one_off_the_screens(
    devices: Devices,
) -> None:
    public = await devices.open("/app/public/")
    hall = await devices.open("/app/display/")
    polling = await devices.open("/app/public/", websockets=False)  # the HTTP fallback
    await expect(status(polling)).to_have_text("Trực tuyến (HTTP)")
    ids = {i["title"]: i["item_id"] for i in (await server_snapshot(devices, "chair"))["items"]}
    server = devices.server
    async with server.socket("chair") as chair, server.socket("d01") as d01:
        await chair.command("sitting.open")
        await chair.command("agenda.open_item", item_id=ids[ITEM_1])
        asked = await d01.command("question.submit", addressee="Sở Tài chính", text=PUBLIC_Q)
        await chair.command("question.call", question_id=asked["result"]["question_id"])
        for page in (public, hall, polling):
            await expect(page.get_by_test_id("current-question")).to_contain_text(PUBLIC_Q)

        await chair.command("agenda.open_item", item_id=ids[CLOSED_ITEM])
        for page in (public, hall, polling):
            await expect(page.get_by_test_id("closed-session")).to_have_text(CLOSED_SESSION)
        # Still asked, as far as the public knows, until the chair calls the next question.
        await expect(public.get_by_test_id("current-question")).to_contain_text(PUBLIC_Q)
        secret = await d01.command("question.submit", addressee="Sở Nội vụ", text=SECRET_Q)
        await chair.command("question.call", question_id=secret["result"]["question_id"])
        for page in (public, polling):
            await expect(page.get_by_test_id("current-question")).to_have_count(0)
            await expect(page.locator("body")).not_to_contain_text(SECRET_Q)
            await assert_replica_matches_server(devices, page, None)

    await public.click(".lang-btn[lang=en]")
    await expect(public.get_by_test_id("closed-session")).to_have_text("Closed session in progress")
    devices.assert_no_console_errors()


async def test_english_is_one_tap_away_and_remembered(devices: Devices) -> None:
    tablet = await devices.open("/app/delegate/")
    heading = tablet.locator(".signin h1")
    await expect(heading).to_have_text("Ghép nối máy tính bảng")  # a tablet pairs first
    await tablet.click(".lang-btn[lang=en]")
    await expect(heading).to_have_text("Pair this tablet")
    await tablet.click("[data-action=use-password]")
    await expect(heading).to_have_text("Sign in")
    await expect(tablet.locator("label[for=signin-password]")).to_have_text("Password or PIN")
    await tablet.fill("#signin-username", "d01")
    await tablet.fill("#signin-password", "mật khẩu 1")
    await tablet.click(".signin button[type=submit]")
    await expect(status(tablet)).to_have_text("Online")
    await expect(tablet.get_by_test_id("sitting-status")).to_have_text("Not yet opened")
    await expect(tablet.locator(".bar-app")).to_have_text("Delegate tablet")

    await tablet.reload()
    await expect(tablet.get_by_test_id("sitting-status")).to_have_text("Not yet opened")
    assert await tablet.evaluate("document.documentElement.lang") == "en"
    await tablet.click(".lang-btn[lang=vi]")
    await expect(tablet.get_by_test_id("sitting-status")).to_have_text("Chưa khai mạc")
    await expect(status(tablet)).to_have_text("Trực tuyến")
    devices.assert_no_console_errors()


async def test_without_websockets_the_apps_long_poll(devices: Devices) -> None:
    """Behind a proxy that refuses WebSockets, both reading and commands go over HTTP."""
    chair = await devices.signed_in("chair", "chair", websockets=False)
    tablet = await devices.signed_in("delegate", "d02", websockets=False)
    await expect(status(tablet)).to_have_text("Trực tuyến (HTTP)")
    await chair.click("[data-action=open-sitting]")
    await expect(tablet.get_by_test_id("sitting-status")).to_have_text("Đang họp")
    await open_item(chair, ITEM_2)
    await expect(current_title(tablet)).to_have_text(ITEM_2)
    await assert_replica_matches_server(devices, tablet, "d02")
    devices.assert_no_console_errors()
