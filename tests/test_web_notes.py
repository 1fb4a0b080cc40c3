"""The clerk's notes in Chromium against a real server: written on the item under
discussion, corrected, kept on the device through a network cut and a reload, sent when the
network returns, and closed once the chair approves the minutes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.browser import Devices, assert_touch_targets

pytestmark = pytest.mark.asyncio(loop_scope="module")

ITEM_1 = "Báo cáo tình hình kinh tế - xã hội"
FIRST = "Đại biểu Trịnh Minh Châu đề nghị làm rõ số liệu thu ngân sách."
CORRECTED = "Đại biểu Trịnh Minh Châu đề nghị làm rõ số liệu thu, chi ngân sách."
OFFLINE = "Chủ tọa đề nghị biểu quyết sau giờ nghỉ."


async def server_notes(devices: Devices, http: httpx.AsyncClient) -> list[dict[str, Any]]:
    token = await devices.server.token("clerk")
    r = await http.get("/api/meetings/m1", headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    notes: list[dict[str, Any]] = r.json()["snapshot"]["notes"]
    return notes


async def command(devices: Devices, http: httpx.AsyncClient, user: str, name: str,
                  **args: Any) -> None:  # fmt: skip
    token = await devices.server.token(user)
    body = {"id": f"{name}-{len(args)}-{user}", "name": name, "args": args}
    r = await http.post("/api/meetings/m1/commands", json=body,
                        headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert r.status_code == 200, r.text


async def test_the_clerk_takes_notes_online_and_offline(devices: Devices) -> None:
    async with httpx.AsyncClient(base_url=devices.base) as http:
        clerk = await devices.signed_in("clerk", "clerk")
        await command(devices, http, "chair", "sitting.open")
        snap = (await http.get("/api/meetings/m1")).json()["snapshot"]
        item = next(i["item_id"] for i in snap["items"] if i["title"] == ITEM_1)
        await command(devices, http, "chair", "agenda.open_item", item_id=item)

        await clerk.click("[data-tab=notes]")
        await expect(clerk.locator(".note-where")).to_contain_text(ITEM_1)
        await clerk.get_by_test_id("note-text").fill(FIRST)
        await clerk.click("[data-action=add-note]")
        notes = clerk.get_by_test_id("notes")
        await expect(notes.locator(".note:not(.pending)")).to_have_count(1)
        await expect(clerk.get_by_test_id("note-text")).to_have_value("")
        await assert_touch_targets(clerk)
        saved = await server_notes(devices, http)
        assert [(n["item_id"], n["text"]) for n in saved] == [(item, FIRST)]

        # A correction: the new text is shown; the log keeps the first.
        await notes.locator("[data-action=edit-note]").click()
        await clerk.get_by_test_id("note-edit").fill(CORRECTED)
        await clerk.click("[data-action=save-note]")
        await expect(notes.locator(".note-text")).to_have_text(CORRECTED)
        await expect(notes.locator(".note-time")).to_contain_text("sửa lúc")

        # Offline: the note waits on the device, through a reload, and goes when back.
        await clerk.wait_for_function("navigator.serviceWorker.controller !== null")
        await clerk.wait_for_function(
            "Object.keys(localStorage).some(k => k.startsWith('meeting.view.clerk.m1.'))"
        )
        await clerk.context.set_offline(True)
        await expect(clerk.locator(".conn")).to_have_attribute("data-status", "offline")
        await clerk.get_by_test_id("note-text").fill(OFFLINE)
        await clerk.click("[data-action=add-note]")
        await expect(clerk.get_by_test_id("note-pending")).to_have_count(1)
        await expect(clerk.locator("[data-tab=notes]")).to_contain_text("1 chờ gửi")
        await devices.screenshot(clerk, "clerk-notes")
        await clerk.reload()
        await clerk.click("[data-tab=notes]")
        await expect(clerk.get_by_test_id("note-pending")).to_have_count(1)
        # Signing out now would delete it from the device: the desk asks first.
        await clerk.locator(".bar-user button").click()
        await expect(clerk.locator("dialog")).to_contain_text("Còn 1 ghi chú")
        await clerk.locator("dialog button[value=no]").click()
        await expect(clerk.get_by_test_id("note-pending")).to_have_count(1)
        await clerk.context.set_offline(False)
        await expect(clerk.get_by_test_id("note-pending")).to_have_count(0)
        await expect(notes.locator(".note")).to_have_count(2)
        texts = sorted(n["text"] for n in await server_notes(devices, http))
        assert texts == [
            OFFLINE,
            CORRECTED,
        ]

        # Once the chair approves the minutes, notes are closed.
        await command(devices, http, "chair", "sitting.close")
        await command(devices, http, "chair", "minutes.approve")
        await expect(clerk.locator("[data-action=add-note]")).to_be_disabled()
        await expect(notes.locator("[data-action=edit-note]")).to_have_count(0)
        devices.assert_no_console_errors()
