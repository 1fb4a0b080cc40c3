"""A closed session (họp kín) over real sockets, as the public sees it: that it runs, no more.

The public's screens hear `agenda.closed_session` when one starts and ends (by WebSocket and
by the HTTP log alike), a screen that connects meanwhile finds `closed_session` in its
snapshot, and a question called in the closed session takes the public question before it
off their screens. Nothing of the closed item, its questions or their text reaches them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from meeting.domain import Audience, Event, fold
from tests.live import Live, Wire

SECRET = ("nhân sự", "cán bộ")


def public_state(snapshot: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """What a public screen shows of the current moment, folded as the web apps do."""
    shown = {
        "current_item": snapshot["current_item"],
        "closed_session": snapshot["closed_session"],
        "current_question": snapshot["floor"]["current_question"],
    }
    for e in events:
        name, data = e["name"], e["data"]
        if name == "agenda.item_opened":
            shown["current_item"] = data["item_id"]
        elif name == "agenda.item_closed" and shown["current_item"] == data["item_id"]:
            shown["current_item"] = None
        elif name == "agenda.closed_session":
            shown["closed_session"] = data["in_progress"]
        elif name == "question.called":
            shown["current_question"] = data["question_id"]
        elif name == "question.called_in_closed_session":
            shown["current_question"] = None
    return shown


def staff_fold(wire: Wire) -> Any:
    events = wire.events
    return fold(
        Event("m1", e["seq"], e["name"], e["at"], e["actor"], e["data"], Audience.STAFF)
        for e in events
    )


async def test_the_public_follows_a_closed_session_without_learning_of_it(live: Live) -> None:
    async with (
        live.socket("chair", since=0) as chair,
        live.socket("d01") as d01,
        live.socket("d02") as d02,
        live.socket(None) as hall,
        httpx.AsyncClient(base_url=live.base, timeout=30) as http,
    ):
        await chair.until_seq(chair.welcome["seq"])
        public_item, _, closed_item = staff_fold(chair).order
        start = hall.welcome["snapshot"]
        await chair.command("sitting.open")
        await chair.command("agenda.open_item", item_id=public_item)
        asked = await d01.command("question.submit", addressee="Sở Tài chính", text="Vốn đầu tư?")
        public_q = asked["result"]["question_id"]
        await chair.command("question.call", question_id=public_q)

        opened = await chair.command("agenda.open_item", item_id=closed_item)
        secret = await d02.command("question.submit", addressee="Sở Nội vụ", text="Về cán bộ?")
        called = await chair.command("question.call", question_id=secret["result"]["question_id"])
        unseen = await hall.recv_until(lambda e: e["name"] == "question.called_in_closed_session")
        assert unseen["seq"] == called["seq"] - 1 and unseen["data"] == {}
        now = public_state(start, hall.events)
        assert now == {"current_item": None, "closed_session": True, "current_question": None}

        # Screens that connect now: a WebSocket snapshot, the HTTP snapshot, the HTTP log.
        async with live.socket(None) as late:
            view = late.welcome["snapshot"]
            assert public_state(view, []) == now
        view = (await http.get("/api/meetings/m1")).json()["snapshot"]
        assert public_state(view, []) == now
        page = (await http.get("/api/meetings/m1/events?since=0")).json()
        assert public_state(start, page["events"]) == now

        # The log's reader waits on the HTTP fallback; the closed session's end wakes it.
        head = page["until"]
        waiting = asyncio.create_task(http.get(f"/api/meetings/m1/events?since={head}&wait=20"))
        ending = await chair.command("agenda.close_item", item_id=closed_item)
        woken = (await waiting).json()["events"]
        assert [(e["name"], e["data"]) for e in woken] == [
            ("agenda.closed_session", {"in_progress": False})
        ]
        await hall.until_seq(ending["seq"])
        assert public_state(start, hall.events)["closed_session"] is False

        # Nothing of the closed item reached the public, in any of these ways.
        for text in (repr(hall.events), repr(page), repr(woken), repr(view)):
            assert closed_item not in text and secret["result"]["question_id"] not in text
            assert not any(word in text.lower() for word in SECRET)
        # The delegates saw all of it.
        await d01.until_seq(ending["seq"])
        agenda = [e for e in d01.events if e["name"].startswith("agenda.item_")]
        closed = [e["name"] for e in agenda if e["data"]["item_id"] == closed_item]
        assert closed == ["agenda.item_opened", "agenda.item_closed"]
        assert opened["seq"] < ending["seq"]
