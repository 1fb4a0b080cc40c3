"""A sitting over real sockets: one chair, three delegates, an observer."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

from meeting.domain import Event, fold
from meeting.domain.model import Audience
from tests.live import Live


def folded(events: list[dict], meeting_id: str = "m1"):  # type: ignore[no-untyped-def]
    return fold(
        Event(meeting_id, e["seq"], e["name"], e["at"], e["actor"], e["data"], Audience.STAFF)
        for e in events
    )


async def test_chair_opens_item_everyone_sees_same_seq(live: Live) -> None:
    async with AsyncExitStack() as stack:
        chair = await stack.enter_async_context(live.socket("chair", since=0))
        delegates = [
            await stack.enter_async_context(live.socket(f"d{n:02d}", since=0)) for n in (1, 2, 3)
        ]
        observer = await stack.enter_async_context(live.socket(None, since=0))
        assert chair.welcome["you"]["audience"] == "staff"
        assert delegates[0].welcome["you"]["audience"] == "delegates"
        assert observer.welcome["you"]["audience"] == "public"
        head = chair.welcome["seq"]
        await chair.until_seq(head)
        items = folded(chair.events).order
        ack = await chair.command("sitting.open")
        assert ack["type"] == "ack"
        ack = await chair.command("agenda.open_item", item_id=items[0])
        assert ack == {"type": "ack", "id": ack["id"], "seq": head + 2}
        for d in [*delegates, observer]:
            await d.until_seq(head + 2)
            opened = [e for e in d.events if e["name"] == "agenda.item_opened"]
            assert [e["seq"] for e in opened] == [head + 2]
            assert opened[0]["data"] == {"item_id": items[0]}

        # A closed-session item: delegates see it open; the public only that a closed
        # session starts and ends, nothing of the item.
        ack = await chair.command("agenda.open_item", item_id=items[2])
        await delegates[1].until_seq(ack["seq"])
        names = [e["name"] for e in delegates[1].events[-2:]]
        assert names == ["agenda.item_opened", "agenda.closed_session"]
        await chair.command("agenda.close_item", item_id=items[2])
        last = await chair.command("agenda.open_item", item_id=items[1])
        await observer.until_seq(last["seq"])
        seen = repr(observer.events)
        assert items[2] not in seen and "nhân sự" not in seen
        told = [(e["seq"], e["name"], e["data"]) for e in observer.events if e["seq"] > head + 2]
        assert told == [
            (head + 3, "agenda.item_closed", {"item_id": items[0]}),
            (head + 5, "agenda.closed_session", {"in_progress": True}),
            (head + 7, "agenda.closed_session", {"in_progress": False}),
            (last["seq"], "agenda.item_opened", {"item_id": items[1]}),
        ]


async def test_reconnect_with_since_converges_to_chair_state(live: Live) -> None:
    async with live.socket("chair", since=0) as chair:
        await chair.until_seq(chair.welcome["seq"])
        items = folded(chair.events).order
        await chair.command("sitting.open")
        async with live.socket("d01", since=0) as d:
            await d.until_seq(chair.seq)
            kept = list(d.events)
        for item in items:
            await chair.command("agenda.open_item", item_id=item)
        await chair.command("agenda.add_urgent_item", title="Nội dung khẩn", open=True)
        async with live.socket("d01", since=kept[-1]["seq"]) as d:
            assert d.welcome["replay"] is True and d.welcome["snapshot"] is None
            await d.until_seq(chair.seq)
            resumed = kept + d.events
        seqs = [e["seq"] for e in resumed]
        assert seqs == list(range(1, chair.seq + 1))
        assert folded(resumed) == folded(chair.events)
        assert folded(resumed) == live.services.engines.loaded()[0].state


async def test_same_command_id_twice_has_one_effect(live: Live) -> None:
    async with live.socket("clerk", since=None) as clerk:
        before = clerk.welcome["seq"]
        first = await clerk.command("agenda.add_item", cid="dup-1", title="Một lần thôi")
        second = await clerk.command("agenda.add_item", cid="dup-1", title="Một lần thôi")
        assert first == second and first["type"] == "ack"
        assert first["seq"] == before + 1
        engine = await live.services.engines.get("m1")
        assert engine is not None and engine.state.seq == before + 1
        titles = [i.title for i in engine.state.items.values()]
        assert titles.count("Một lần thôi") == 1
        # A refused command keeps its refusal on retry too.
        r1 = await clerk.command("sitting.open", cid="dup-2")
        r2 = await clerk.command("sitting.open", cid="dup-2")
        assert r1 == r2 and r1["code"] == "not_allowed"


async def test_events_committed_together_arrive_in_one_frame(live: Live) -> None:
    async with live.socket("chair", since=None) as chair, live.socket("d01") as d:
        head = chair.welcome["seq"]
        await chair.command("sitting.open")
        await d.until_seq(head + 1)
        frames_before = d.frames
        # Opening an item while another is open closes it: two events, one commit, one frame.
        engine = await live.services.engines.get("m1")
        assert engine is not None
        first, second = engine.state.order[0], engine.state.order[1]
        await chair.command("agenda.open_item", item_id=first)
        await chair.command("agenda.open_item", item_id=second)
        await d.until_seq(head + 4)
        assert d.frames - frames_before == 2
        names = [e["name"] for e in d.events[-3:]]
        assert names == ["agenda.item_opened", "agenda.item_closed", "agenda.item_opened"]


async def test_burst_of_commands_is_group_committed(live: Live) -> None:
    engine = await live.services.engines.get("m1")
    assert engine is not None
    async with live.socket("clerk") as clerk:
        commits_before = engine.commits
        for n in range(40):
            await clerk.send(
                {
                    "type": "command",
                    "id": f"b{n}",
                    "name": "agenda.add_item",
                    "args": {"title": f"Mục {n}"},
                }
            )
        answers = [await clerk.answer(f"b{n}") for n in range(40)]
        assert all(a["type"] == "ack" for a in answers)
        assert sorted(a["seq"] for a in answers) == list(
            range(answers[0]["seq"], answers[0]["seq"] + 40)
        )
        assert engine.commits - commits_before < 40
    await asyncio.sleep(0)
