"""The Python client against the real server: resume, role changes, HTTP fallback."""

from __future__ import annotations

import asyncio

from meeting_client import HttpMeetingClient, MeetingClient, sign_in

from tests.live import PASSWORD, Live


async def test_client_resumes_after_the_server_drops_it(live: Live) -> None:
    chair_token = await sign_in(live.base, "chair", PASSWORD)
    token = await sign_in(live.base, "d01", PASSWORD)
    async with (
        MeetingClient(live.base, "m1", chair_token, since=0) as chair,
        MeetingClient(live.base, "m1", token, since=0) as tablet,
    ):
        await chair.command("sitting.open")
        await tablet.wait_for_seq(chair.seq)
        # The hall Wi-Fi drops: the server side of the tablet's connection goes away.
        hub = live.services.hub
        for sub in list(hub._subs["m1"].values()):
            if sub.user_id == "d01":
                sub.fell_behind()
        items = [i for i in live.services.engines.loaded()[0].state.order]
        last = 0
        for item in items:
            last = await chair.command("agenda.open_item", {"item_id": item})
        await tablet.wait_for_seq(last)
        assert [e["seq"] for e in tablet.events] == list(range(1, last + 1))
        assert tablet.events == [e for e in chair.events if e["seq"] <= last]


async def test_role_change_makes_the_user_rejoin_with_the_new_audience(live: Live) -> None:
    admin = await sign_in(live.base, "admin", PASSWORD)
    obs = await sign_in(live.base, "obs", PASSWORD)
    staff = asyncio.Event()

    def welcomed(you: dict[str, object]) -> None:
        if you["audience"] == "staff":
            staff.set()

    async with MeetingClient(live.base, "m1", obs, since=0, on_welcome=welcomed) as watcher:
        assert watcher.you is not None and watcher.you["audience"] == "public"
        hidden = [e for e in watcher.events if "Công tác nhân sự" in repr(e)]
        assert hidden == []
        async with HttpMeetingClient(live.base, "m1", admin) as http:
            seq = await http.command(
                "member.set",
                {"user_id": "obs", "name": "Thư ký phụ", "roles": ["clerk"]},
            )
        await watcher.wait_for(lambda e: e["seq"] == seq, timeout=10)
        await asyncio.wait_for(staff.wait(), 10)
        assert watcher.you is not None and watcher.you["roles"] == ["clerk"]
        # As staff it now sees closed-session events.
        hidden_item = next(
            i.id
            for i in live.services.engines.loaded()[0].state.items.values()
            if i.access != "public"
        )
        async with HttpMeetingClient(live.base, "m1", admin) as http:
            seq = await http.command(
                "agenda.edit_item", {"item_id": hidden_item, "title": "Nhân sự"}
            )
        event = await watcher.wait_for(lambda e: e["seq"] == seq, timeout=10)
        assert event["data"]["title"] == "Nhân sự"


async def test_submit_returns_what_the_command_created(live: Live) -> None:
    clerk = await sign_in(live.base, "clerk", PASSWORD)
    async with (
        MeetingClient(live.base, "m1", clerk, since=0) as socket,
        HttpMeetingClient(live.base, "m1", clerk) as http,
    ):
        added = await socket.submit("agenda.add_item", {"title": "Tờ trình bổ sung"}, id="add-1")
        assert added.id == "add-1" and added.result is not None
        item_id = added.result["item_id"]
        event = await socket.wait_for(lambda e: e["seq"] == added.seq, timeout=10)
        assert event["name"] == "agenda.item_added"
        assert event["data"]["item"]["item_id"] == item_id
        args = {"item_id": item_id, "question": "Thông qua tờ trình?"}
        scheduled = await http.submit("vote.schedule", args, id="vote-1")
        assert scheduled.result is not None and set(scheduled.result) == {"vote_id"}
        # The same id again: the same answer, nothing recorded twice.
        again = await http.submit("vote.schedule", args, id="vote-1")
        assert again == scheduled
        later = await socket.command("agenda.add_item", {"title": "Báo cáo thẩm tra"})
        assert later > scheduled.seq  # `command` gives the seq alone
