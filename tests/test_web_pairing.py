"""Tablet pairing in Chromium: the clerk issues a code, a tablet opens its QR URL, types
the PIN and is the delegate's tablet; the clerk sees it paired and revokes it."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser import Devices, assert_touch_targets
from tests.live import PASSWORD

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_the_clerk_pairs_a_tablet_by_code_and_qr(devices: Devices) -> None:
    clerk = await devices.signed_in("clerk", "clerk")
    await clerk.click("[data-tab=devices]")
    await expect(clerk.locator("[data-panel=devices]")).to_contain_text("Chưa có máy tính bảng")
    await clerk.select_option("#pair-delegate", "d02")
    await clerk.click("[data-action=issue-code]")
    issued = clerk.get_by_test_id("pair-issued")
    await expect(issued).to_contain_text("Đại biểu 2")
    code = await clerk.get_by_test_id("pair-code").inner_text()
    assert len(code) == 9 and code[4] == "-"
    qr = clerk.get_by_test_id("pair-qr")
    await expect(qr).to_be_visible()
    assert await qr.evaluate("img => img.complete && img.naturalWidth > 0")
    await expect(clerk.get_by_test_id("pair-expiry")).to_contain_text(":")
    await assert_touch_targets(clerk)
    await devices.screenshot(clerk, "clerk-pairing")

    # The tablet opens the URL of the QR code: the code is there, only the PIN is asked.
    url = await issued.get_attribute("data-url")
    assert url is not None and url.startswith(devices.base)
    tablet = await devices.open(url.removeprefix(devices.base))
    await expect(tablet.locator("#pair-code")).to_have_value(code)
    await expect(tablet.locator(".signin h1")).to_have_text("Ghép nối máy tính bảng")
    await assert_touch_targets(tablet)
    await tablet.fill("#pair-pin", PASSWORD)
    await devices.screenshot(tablet, "delegate-pairing")
    await tablet.click(".pairing-signin button[type=submit]")
    await expect(tablet.locator(".conn")).to_have_attribute("data-status", "live")
    await expect(tablet.locator(".bar-user-name")).to_have_text("Đại biểu 2")
    assert "pair=" not in tablet.url

    # The clerk's desk sees it paired at once, and may revoke it: the tablet is signed out.
    await expect(clerk.get_by_test_id("pair-done")).to_be_visible()
    rows = clerk.get_by_test_id("device-list").locator(".device-row")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Đại biểu 2")
    await rows.first.locator("[data-action=revoke]").click()
    await clerk.locator("dialog button[value=yes]").click()
    await expect(clerk.locator("[data-panel=devices]")).to_contain_text("Chưa có máy tính bảng")
    await expect(tablet.locator("#pair-code")).to_be_visible()
    devices.assert_no_console_errors()


async def test_a_wrong_pin_says_so_and_the_username_form_is_one_tap_away(
    devices: Devices,
) -> None:
    tablet = await devices.open("/app/delegate/?pair=ABCDEFGH")
    await expect(tablet.locator("#pair-code")).to_have_value("ABCD-EFGH")
    await tablet.fill("#pair-pin", "0000")
    await tablet.click(".pairing-signin button[type=submit]")
    await expect(tablet.locator(".form-error")).to_have_text(
        "Sai mã ghép nối hoặc mã PIN, hoặc mã đã hết hạn."
    )
    await tablet.click("[data-action=use-password]")
    await expect(tablet.locator("#signin-username")).to_be_visible()
    # Chromium reports the refused pairing (the 401 this test asked for) on the console.
    devices.errors = [e for e in devices.errors if "/api/auth/pair: Failed to load" not in e]
    devices.assert_no_console_errors()
