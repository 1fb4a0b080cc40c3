"""The floor over real sockets: quorum, speakers and the server's timer, questions.

Timers are short (2 s to speak, a warning 1 s before the end) and the tests wait for the
server's own events; nothing here sleeps to synchronise or asserts on how long things took.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from meeting.domain.floor_view import floor_record
from meeting.domain.times import add_seconds, seconds_between
from tests.live import Live, Wire
from tests.test_live_sitting import folded


async def event(wire: Wire, name: str, after: int = 0) -> dict[str, Any]:
    """The first event called `name` after seq `after`, reading until it arrives."""
    while True:
        for e in wire.events:
            if e["name"] == name and e["seq"] > after:
                return e
        await wire.recv()


def floor_events(wire: Wire, after: int) -> list[dict[str, Any]]:
    return [e for e in wire.events if e["seq"] > after and e["name"].startswith("floor.")]


async def agenda(live: Live) -> list[str]:
    engine = await live.services.engines.get("m1")
    assert engine is not None
    return list(engine.state.order)


async def test_queue_grant_and_the_servers_timer_events_in_order(live: Live) -> None:
    items = await agenda(live)
    async with AsyncExitStack() as stack:
        chair = await stack.enter_async_context(live.socket("chair"))
        d1 = await stack.enter_async_context(live.socket("d01"))
        d2 = await stack.enter_async_context(live.socket("d02"))
        hall = await stack.enter_async_context(live.socket(None))
        await chair.command("sitting.open")
        await chair.command("agenda.open_item", item_id=items[0])
        await chair.command("floor.set_timing", speaking_seconds=2, warning_seconds=1)
        first = await d1.command("floor.request", topic="Dự toán ngân sách")
        second = await d2.command("floor.request", reply_to="d01")
        assert first["type"] == second["type"] == "ack"
        await chair.until_seq(second["seq"])
        asked = [e for e in chair.events if e["name"] == "floor.requested"]
        r1, r2 = (e["data"]["request"]["request_id"] for e in asked)
        assert asked[-1]["data"]["queue"] == [r1, r2]  # in order of request
        assert asked[-1]["data"]["request"]["reply_to"] == "d01"

        reordered = await chair.command("floor.reorder", request_ids=[r2, r1])
        grant = await chair.command("floor.grant")
        assert reordered["type"] == grant["type"] == "ack"
        for wire in (chair, d1, d2, hall):
            overrun = await event(wire, "floor.timer_overrun", grant["seq"])
            names = [e["name"] for e in floor_events(wire, reordered["seq"] - 1)]
            assert names == [
                "floor.reordered",
                "floor.granted",
                "floor.timer_warning",
                "floor.timer_overrun",
            ]
        granted = await event(hall, "floor.granted")
        warning = await event(hall, "floor.timer_warning")
        speech = granted["data"]["speech"]
        assert (speech["user_id"], speech["item_id"]) == ("d02", items[0])
        assert granted["data"]["queue"] == [r1]
        deadline = granted["data"]["timer"]["deadline"]
        assert deadline == add_seconds(granted["at"], 2)
        # The warning and the overrun come from the server itself, at or after their times,
        # and say how much time was left at their own server time.
        for e, due in ((warning, add_seconds(deadline, -1)), (overrun, deadline)):
            assert e["actor"] is None
            assert seconds_between(due, e["at"]) >= 0
            timer = e["data"]["timer"]
            assert timer["deadline"] == deadline and timer["as_of"] == e["at"]
            assert timer["remaining"] == round(seconds_between(e["at"], deadline), 3)
        assert warning["data"]["timer"]["remaining"] <= 1.0
        assert overrun["data"]["timer"]["remaining"] <= 0.0

        end = await chair.command("floor.end")
        ended = await event(chair, "floor.speech_ended")
        assert ended["seq"] == end["seq"]
        assert ended["data"]["duration"] == round(seconds_between(granted["at"], ended["at"]), 3)
        assert ended["data"]["duration"] >= 2 and ended["data"]["overrun"] is True
        engine = await live.services.engines.get("m1")
        assert engine is not None
        (line,) = floor_record(engine.state).speeches
        assert (line.user_id, line.item_id) == ("d02", items[0])
        assert line.duration == ended["data"]["duration"]
        assert line.started_at == granted["at"] and line.ended_at == ended["at"]


async def test_a_tablet_back_mid_speech_counts_down_from_the_servers_times(live: Live) -> None:
    async with live.socket("chair") as chair, live.socket("d01") as speaker:
        await chair.command("sitting.open")
        await speaker.command("floor.request")
        grant = await chair.command("floor.grant", seconds=600)
        granted = await event(chair, "floor.granted")
        deadline = granted["data"]["timer"]["deadline"]

        async with live.socket("d02") as tablet:  # a fresh snapshot mid-speech
            shown = tablet.welcome["snapshot"]["floor"]["speech"]
            assert shown["user_id"] == "d01" and shown["timer"]["deadline"] == deadline
            assert tablet.welcome["seq"] >= grant["seq"]
            await chair.command("floor.pause")
            paused = await event(tablet, "floor.paused")
            # From the snapshot's deadline and the pause's server time alone, the tablet
            # computes exactly the time left the server computed: no local clock involved.
            left = round(seconds_between(paused["at"], shown["timer"]["deadline"]), 3)
            assert left == paused["data"]["timer"]["remaining"]

        async with live.socket("d02") as tablet:  # back during the pause
            timer = tablet.welcome["snapshot"]["floor"]["speech"]["timer"]
            assert timer == paused["data"]["timer"]
            assert timer["running"] is False and timer["deadline"] is None

        resume = await chair.command("floor.resume")
        resumed = await event(chair, "floor.resumed")
        async with live.socket("d02") as tablet:  # back after the pause
            timer = tablet.welcome["snapshot"]["floor"]["speech"]["timer"]
            assert timer == resumed["data"]["timer"]
            assert timer["deadline"] == add_seconds(resumed["at"], timer["remaining"])
        async with live.socket("d02", since=0) as tablet:  # or by replaying the log
            await tablet.until_seq(resume["seq"])
            speech = folded(tablet.events).floor.speech
            assert speech is not None and speech.deadline == timer["deadline"]
            assert speech.remaining(resumed["at"]) == timer["remaining"]


async def test_quorum_crosses_the_threshold_live(live: Live) -> None:
    # Four seats (the chair and three delegates): at least two-thirds is three present.
    async with live.socket(None) as hall, live.socket("clerk") as clerk:
        shown = hall.welcome["snapshot"]["floor"]["quorum"]
        assert (shown["present"], shown["seats"], shown["required"]) == (0, 4, 3)
        last = 0
        for user, name in [
            ("chair", "attendance.check_in"),
            ("d01", "attendance.check_in"),
            ("d02", "attendance.check_in"),
            ("d02", "attendance.check_out"),
        ]:
            async with live.socket(user) as tablet:
                last = (await tablet.command(name))["seq"]
        recorded = await clerk.command("attendance.record", user_id="d03", presence="present")
        await hall.until_seq(recorded["seq"])
        seen = [
            (e["name"], e["data"]["quorum"]["present"], e["data"]["quorum"]["met"])
            for e in hall.events
            if e["name"].startswith("attendance.")
        ]
        assert seen == [
            ("attendance.checked_in", 1, False),
            ("attendance.checked_in", 2, False),
            ("attendance.checked_in", 3, True),
            ("attendance.checked_out", 2, False),
            ("attendance.recorded", 3, True),
        ]
        assert last < recorded["seq"]
        rule = await clerk.command("attendance.set_quorum", numerator=4, denominator=5)
        await hall.until_seq(rule["seq"])
        assert hall.events[-1]["data"]["quorum"] == {
            "present": 3,
            "seats": 4,
            "required": 4,
            "met": False,
        }
    async with live.socket(None) as hall:
        shown = hall.welcome["snapshot"]["floor"]["quorum"]
        assert (shown["present"], shown["required"], shown["met"]) == (3, 4, False)


async def test_a_delegate_cannot_run_the_floor_or_answer(live: Live) -> None:
    async with live.socket("chair") as chair, live.socket("d01") as d1, live.socket("d02") as d2:
        await chair.command("sitting.open")
        await d2.command("floor.request")
        asked = await event(d2, "floor.requested")
        theirs = asked["data"]["request"]["request_id"]
        await d2.command("question.submit", addressee="Giám đốc Sở Y tế", text="Thuốc?")
        question = (await event(d2, "question.submitted"))["data"]["question_id"]
        for name, args in [
            ("floor.grant", {}),
            ("floor.grant", {"request_id": theirs}),
            ("floor.reorder", {"request_ids": [theirs]}),
            ("floor.remove", {"request_id": theirs}),
            ("floor.withdraw", {"request_id": theirs}),
            ("floor.timer_due", {"speech_id": "x"}),
            ("question.record_answer", {"question_id": question, "answered_by": "Tôi"}),
            ("question.call", {"question_id": question}),
            ("question.withdraw", {"question_id": question}),
            ("attendance.record", {"user_id": "d02", "presence": "absent"}),
        ]:
            answer = await d1.command(name, **args)
            assert (answer["type"], answer["code"]) == ("error", "not_allowed"), name
        await d1.command("floor.request")
        answer = await d1.command("floor.request")
        assert answer["code"] == "invalid_state"


async def test_questions_from_submission_to_answer_live(live: Live) -> None:
    async with AsyncExitStack() as stack:
        chair = await stack.enter_async_context(live.socket("chair", since=0))
        clerk = await stack.enter_async_context(live.socket("clerk"))
        hall = await stack.enter_async_context(live.socket(None))
        d1 = await stack.enter_async_context(live.socket("d01"))
        d2 = await stack.enter_async_context(live.socket("d02"))
        await chair.command("sitting.open")
        await d1.command("question.submit", addressee="Giám đốc Sở Xây dựng", text="Nhà ở?")
        sent = await d2.command("question.submit", addressee="Giám đốc Sở Tài chính", text="Nợ?")
        await hall.until_seq(sent["seq"])
        q1, q2 = (
            e["data"]["question_id"] for e in hall.events if e["name"] == "question.submitted"
        )
        await clerk.command("question.reorder", question_ids=[q2, q1])
        await chair.command("question.call", question_id=q2)
        answer = await clerk.command(
            "question.record_answer",
            question_id=q2,
            answered_by="Bà Nguyễn Thị B, Giám đốc Sở Tài chính",
            summary="Nợ đọng giảm 30% so với cùng kỳ.",
        )
        written = await clerk.command("question.mark_written", question_id=q1)
        await hall.until_seq(written["seq"])
        names = [e["name"] for e in hall.events if e["name"].startswith("question.")]
        assert names == [
            "question.submitted",
            "question.submitted",
            "question.reordered",
            "question.called",
            "question.answered",
            "question.marked_written",
        ]
        answered = next(e for e in hall.events if e["seq"] == answer["seq"])
        called = next(e for e in hall.events if e["name"] == "question.called")
        duration = answered["data"]["duration"]
        assert duration == round(seconds_between(called["at"], answered["at"]), 3)
        await chair.until_seq(written["seq"])
        engine = await live.services.engines.get("m1")
        assert engine is not None
        record = floor_record(engine.state)
        assert record == floor_record(folded(chair.events))
        assert [(q.question_id, q.status.value, q.written) for q in record.questions] == [
            (q2, "answered", False),
            (q1, "submitted", True),
        ]
        assert record.questions[0].called_at == called["at"]
        assert record.questions[0].answered_at == answered["at"]
        async with live.socket(None) as late:
            listed = late.welcome["snapshot"]["floor"]["questions"]
            assert [q["question_id"] for q in listed] == [q2, q1]
            assert listed[0]["summary"].startswith("Nợ đọng")


async def test_closing_the_sitting_ends_the_speech_and_the_servers_timer(live: Live) -> None:
    engine = await live.services.engines.get("m1")
    assert engine is not None
    async with live.socket("chair") as chair, live.socket("d01") as speaker:
        async with live.socket(None) as hall:
            await chair.command("sitting.open")
            await speaker.command("floor.request")
            grant = await chair.command("floor.grant", seconds=600)
            await chair.until_seq(grant["seq"])
            armed = engine.armed_deadline
            assert armed is not None and armed.name == "floor.timer_due"
            close = await chair.command("sitting.close")
            assert close["type"] == "ack"
            for wire in (chair, speaker, hall):
                await wire.until_seq(close["seq"])
                names = [e["name"] for e in wire.events if e["seq"] > grant["seq"]]
                assert names == ["floor.speech_ended", "sitting.closed"]
        ended = await event(chair, "floor.speech_ended", grant["seq"])
        granted = await event(chair, "floor.granted")
        assert ended["data"]["speech_id"] == grant["result"]["speech_id"]
        assert ended["data"]["duration"] == round(seconds_between(granted["at"], ended["at"]), 3)
        assert engine.armed_deadline is None and engine.state.floor.speech is None
        async with live.socket("d02") as tablet:
            assert tablet.welcome["snapshot"]["floor"]["speech"] is None
        (line,) = floor_record(engine.state).speeches
        assert line.ended_at == ended["at"] and line.duration == ended["data"]["duration"]


async def test_the_sitting_does_not_close_during_a_vote(live: Live) -> None:
    items = await agenda(live)
    async with live.socket("chair") as chair:
        await chair.command("sitting.open")
        for user in ("chair", "d01", "d02", "d03"):
            await chair.command("attendance.record", user_id=user, presence="present")
        vote = {"item_id": items[0], "question": "Thông qua nghị quyết?"}
        scheduled = await chair.command("vote.schedule", **vote)
        vote_id = scheduled["result"]["vote_id"]
        assert (await chair.command("vote.open", vote_id=vote_id))["type"] == "ack"
        refused = await chair.command("sitting.close")
        assert (refused["type"], refused["code"]) == ("error", "vote_open")
        await chair.command("vote.close", vote_id=vote_id)
        assert (await chair.command("sitting.close"))["type"] == "ack"
