"""The floor and its timer, through `decide` and `apply` alone, on a clock the test moves."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meeting.domain import Actor, DomainError, deadlines, fold
from meeting.domain.floor_view import floor_record
from meeting.domain.times import add_seconds, seconds_between
from tests.floor_sitting import SERVER, Clocked
from tests.sitting import CHAIR, CLERK, delegate


def speaking(seconds: int = 60, warning: int = 30) -> Clocked:
    """An open sitting in which d01 has just been given the floor for `seconds`."""
    s = Clocked().opened()
    s.run(CLERK, "floor.set_timing", speaking_seconds=seconds, warning_seconds=warning)
    s.run(CHAIR, "agenda.open_item", item_id=s.items[0])
    s.run(delegate(1), "floor.request")
    s.run(delegate(2), "floor.request")
    s.run(CHAIR, "floor.grant")
    return s


def refused(s: Clocked, code: str, actor: Actor, command: str, **args: Any) -> None:
    before = (s.state, len(s.log))
    with pytest.raises(DomainError) as info:
        s.run(actor, command, **args)
    assert info.value.code == code
    assert (s.state, len(s.log)) == before


def test_the_server_sends_the_warning_then_the_overrun_at_their_times() -> None:
    s = speaking(60, 30)
    granted = s.log[-1]
    assert granted.name == "floor.granted"
    start = granted.at
    assert granted.data["timer"] == {
        "allowed": 60,
        "remaining": 60.0,
        "running": True,
        "deadline": add_seconds(start, 60),
        "as_of": start,
    }
    speech_id = granted.data["speech"]["speech_id"]
    (due,) = deadlines(s.state)
    assert (due.at, due.name, due.args) == (
        add_seconds(start, 30),
        "floor.timer_due",
        {"speech_id": speech_id},
    )
    # Early, the server's own command is refused: the clock decides, not the timer.
    s.tick(29.9)
    refused(s, "invalid_state", SERVER, "floor.timer_due", speech_id=speech_id)
    refused(s, "not_allowed", CHAIR, "floor.timer_due", speech_id=speech_id)
    (warning,) = s.fire()
    assert warning.name == "floor.timer_warning" and warning.actor is None
    assert warning.data["timer"]["remaining"] == 30.0
    (overrun,) = s.fire()
    assert overrun.name == "floor.timer_overrun"
    assert overrun.at == add_seconds(start, 60)
    assert overrun.data["timer"]["remaining"] == 0.0
    assert deadlines(s.state) == []
    s.tick(15)
    (ended,) = s.run(CHAIR, "floor.end", speech_id=speech_id)
    assert ended.data == {
        "speech_id": speech_id,
        "user_id": "d01",
        "item_id": s.items[0],
        "started_at": start,
        "duration": 75.0,
        "allowed": 60,
        "overrun": True,
    }
    assert s.state.floor.speech is None
    assert fold(s.log) == s.state


def test_pause_resume_and_extend_count_only_the_time_spoken() -> None:
    s = speaking(100, 30)
    s.tick(40)
    (paused,) = s.run(CHAIR, "floor.pause")
    assert paused.data["timer"] == {
        "allowed": 100,
        "remaining": 60.0,
        "running": False,
        "deadline": None,
        "as_of": s.now,
    }
    assert deadlines(s.state) == []
    s.tick(1000)  # a long interruption does not count
    (resumed,) = s.run(CHAIR, "floor.resume")
    assert resumed.data["timer"]["deadline"] == add_seconds(s.now, 60)
    s.tick(10)
    (extended,) = s.run(CHAIR, "floor.extend", seconds=30)
    assert extended.data["seconds"] == 30
    assert extended.data["timer"]["remaining"] == 80.0
    s.tick(20)
    ended = s.run(CHAIR, "floor.end")[0]
    assert ended.data["duration"] == 70.0 and ended.data["allowed"] == 130
    refused(s, "invalid_state", CHAIR, "floor.pause")


def test_an_extension_after_the_overrun_arms_the_timer_again() -> None:
    s = speaking(60, 30)
    s.fire()
    s.fire()
    assert s.state.floor.speech is not None and s.state.floor.speech.overrun
    s.tick(5)
    s.run(CHAIR, "floor.extend", seconds=60)
    speech = s.state.floor.speech
    assert not speech.overrun and not speech.warned
    assert speech.remaining(s.now) == 55.0
    (warning,) = s.fire()
    assert warning.name == "floor.timer_warning"
    assert warning.data["timer"]["remaining"] == 30.0


def test_after_a_stall_the_server_sends_only_the_overrun() -> None:
    s = speaking(60, 30)
    speech_id = s.state.floor.speech.id if s.state.floor.speech else ""
    s.tick(90)
    (late,) = s.run(SERVER, "floor.timer_due", speech_id=speech_id)
    assert late.name == "floor.timer_overrun" and late.data["timer"]["remaining"] == -30.0
    assert deadlines(s.state) == []


def test_the_next_grant_ends_the_speech_and_records_its_duration() -> None:
    s = speaking(60, 0)
    assert [d.name for d in deadlines(s.state)] == ["floor.timer_due"]  # no warning: overrun
    s.tick(42.5)
    ended, granted = s.run(CHAIR, "floor.grant", seconds=120)
    assert ended.name == "floor.speech_ended" and ended.data["duration"] == 42.5
    assert granted.data["speech"]["user_id"] == "d02"
    assert granted.data["timer"]["allowed"] == 120 and granted.data["queue"] == []
    speeches = floor_record(s.state).speeches
    assert [(x.user_id, x.duration, x.ended_at) for x in speeches] == [
        ("d01", 42.5, s.now),
        ("d02", None, None),
    ]


def test_the_timer_commands_need_a_speech_and_the_chair() -> None:
    s = Clocked().opened()
    refused(s, "invalid_state", CHAIR, "floor.pause")
    refused(s, "invalid_state", CHAIR, "floor.end")
    s = speaking()
    refused(s, "not_allowed", delegate(1), "floor.pause")
    refused(s, "not_allowed", delegate(1), "floor.extend", seconds=10)
    refused(s, "not_allowed", delegate(1), "floor.end")
    refused(s, "invalid_state", CHAIR, "floor.resume")
    refused(s, "invalid_state", CHAIR, "floor.end", speech_id="an-old-one")
    refused(s, "invalid_args", CHAIR, "floor.extend", seconds=0)
    refused(s, "invalid_args", CHAIR, "floor.grant", seconds=0)


def test_closing_the_sitting_ends_the_speech_and_stops_the_server_timer() -> None:
    s = speaking(60, 30)
    speech_id = s.state.floor.speech.id if s.state.floor.speech else None
    s.tick(12.5)
    events = s.run(CHAIR, "sitting.close")
    names = [e.name for e in events]
    assert names == ["floor.speech_ended", "agenda.item_closed", "sitting.closed"]
    assert events[0].data["speech_id"] == speech_id and events[0].data["duration"] == 12.5
    assert s.state.floor.speech is None and deadlines(s.state) == []
    (line,) = floor_record(s.state).speeches
    assert (line.duration, line.ended_at) == (12.5, events[0].at)
    refused(s, "invalid_state", CHAIR, "floor.end")  # nothing left open on the record


def test_moving_to_another_item_ends_the_speech_on_the_one_closed() -> None:
    s = speaking(60, 30)
    speaker_item = s.state.current_item
    s.tick(20)
    other = next(i for i in s.state.order if i != speaker_item)
    events = s.run(CHAIR, "agenda.open_item", item_id=other)
    assert [e.name for e in events][:2] == ["floor.speech_ended", "agenda.item_closed"]
    assert events[0].data["item_id"] == speaker_item and events[0].data["duration"] == 20.0
    assert s.state.floor.speech is None and deadlines(s.state) == []
    # With no speech running, moving on says nothing of the floor.
    back = s.run(CHAIR, "agenda.close_item", item_id=other)
    assert "floor.speech_ended" not in [e.name for e in back]
    assert fold(s.log) == s.state


def test_a_paused_speech_ends_with_the_sitting_too() -> None:
    s = speaking(60, 30)
    s.tick(5)
    s.run(CHAIR, "floor.pause")
    s.tick(100)
    ended, *_, closed = s.run(CHAIR, "sitting.close")
    assert (ended.name, ended.data["duration"], closed.name) == (
        "floor.speech_ended",
        5.0,
        "sitting.closed",
    )


@given(st.lists(st.tuples(st.sampled_from(["pause", "resume", "extend"]), st.integers(0, 90))))
def test_time_left_is_always_allowed_minus_time_spoken(steps: list[tuple[str, int]]) -> None:
    s = speaking(100, 30)
    spoken, allowed, running = 0.0, 100, True
    for action, wait in steps:
        s.tick(wait)
        spoken += wait if running else 0
        name = f"floor.{action}"
        try:
            s.run(CHAIR, name, **({"seconds": wait + 1} if action == "extend" else {}))
        except DomainError as exc:
            assert exc.code == "invalid_state" and running == (action == "resume")
            continue
        running = {"pause": False, "resume": True}.get(action, running)
        allowed += wait + 1 if action == "extend" else 0
    speech = s.state.floor.speech
    assert speech is not None
    assert speech.allowed == allowed and speech.running == running
    assert speech.remaining(s.now) == allowed - spoken
    if running:
        assert speech.deadline is not None
        assert seconds_between(s.now, speech.deadline) == allowed - spoken
    assert fold(s.log) == s.state
