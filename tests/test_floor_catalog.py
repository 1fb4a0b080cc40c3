"""The floor's events against the catalogue, on a scripted sitting and on random ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meeting.domain import Actor, Audience, DomainError, deadlines, fold, project, snapshot
from meeting.domain.apply import APPLIERS
from meeting.domain.floor import quorum_status
from tests.floor_sitting import Clocked
from tests.sitting import ADMIN, CHAIR, CLERK, OBSERVER, delegate
from tests.test_domain_catalog import check, check_snapshots

FLOOR_MODULES = {
    "meeting.domain.floor",
    "meeting.domain.speakers",
    "meeting.domain.speeches",
    "meeting.domain.questions",
}
FLOOR_EVENTS = {name for name, fn in APPLIERS.items() if fn.__module__ in FLOOR_MODULES}


def floor_script() -> Clocked:
    s = Clocked().opened()
    public, closed = s.items
    s.run(CLERK, "attendance.set_quorum", numerator=1, denominator=2, strict=True)
    s.run(delegate(1), "attendance.check_in")
    s.run(delegate(2), "attendance.check_in")
    s.run(delegate(2), "attendance.check_out")
    s.run(CLERK, "attendance.record", user_id="d03", presence="excused", reason="Đi công tác")
    s.run(CLERK, "floor.set_timing", speaking_seconds=120, warning_seconds=20)
    s.run(CHAIR, "agenda.open_item", item_id=public)
    s.run(delegate(1), "floor.request", topic="Ngân sách")
    s.run(delegate(2), "floor.request", reply_to="d01")
    s.run(CHAIR, "floor.add", user_id="d03", position=0)
    queue = [r.id for r in s.state.floor.queue(public)]
    s.run(CHAIR, "floor.reorder", request_ids=list(reversed(queue)))
    s.run(delegate(2), "floor.withdraw")
    s.run(CHAIR, "floor.remove", request_id=queue[0])
    s.run(CHAIR, "floor.grant", seconds=60)
    s.tick(10)
    s.run(CHAIR, "floor.pause")
    s.tick(10)
    s.run(CHAIR, "floor.resume")
    s.run(CHAIR, "floor.extend", seconds=30)
    s.fire()  # the warning
    s.fire()  # the overrun
    s.run(CHAIR, "floor.end")
    first = s.run(delegate(4), "question.submit", addressee="Giám đốc Sở Y tế", text="Thuốc?")
    s.run(CHAIR, "agenda.open_item", item_id=closed)
    second = s.run(delegate(5), "question.submit", addressee="Sở Nội vụ", text="Biên chế?")
    ids = [first[0].data["question_id"], second[0].data["question_id"]]
    s.run(CHAIR, "question.reorder", question_ids=list(reversed(ids)))
    s.run(CHAIR, "question.call", question_id=ids[0])  # the public one, then the closed one
    s.run(CHAIR, "question.call", question_id=ids[1])
    s.tick(95)
    s.run(CLERK, "question.record_answer", question_id=ids[1], answered_by="Giám đốc Sở")
    s.run(CLERK, "question.mark_written", question_id=ids[0], note="Trả lời sau kỳ họp")
    s.run(delegate(1), "question.submit", addressee="UBND tỉnh", text="Đê điều?")
    s.run(delegate(1), "question.withdraw", question_id=s.state.floor.question_order[-1])
    s.run(CHAIR, "sitting.close")
    return s


def test_every_floor_event_of_a_scripted_sitting_matches_its_declaration() -> None:
    s = floor_script()
    met = {e.name for e in s.log}
    assert met >= FLOOR_EVENTS, f"the script must meet {sorted(FLOOR_EVENTS - met)}"
    for event in s.log:
        check(event)
    check_snapshots(s)
    assert fold(s.log) == s.state


# -- random sittings ------------------------------------------------------------------------

_PEOPLE = [CHAIR, CLERK, OBSERVER, ADMIN, *(delegate(n) for n in range(1, 6))]
_SMALL = st.integers(0, 9)
_BY_DELEGATES = {
    "attendance.check_in",
    "attendance.check_out",
    "floor.request",
    "floor.withdraw",
    "question.submit",
    "question.withdraw",
}
_BY_CLERK = {
    "attendance.record",
    "attendance.set_quorum",
    "floor.set_timing",
    "question.reorder",
    "question.record_answer",
    "question.mark_written",
}


_COMMANDS = st.one_of(
    st.tuples(st.sampled_from(["attendance.check_in", "attendance.check_out"]), st.just({})),
    st.tuples(
        st.just("attendance.record"),
        st.fixed_dictionaries(
            {
                "user_id": st.sampled_from(["d01", "d02", "d03", "chair"]),
                "presence": st.sampled_from(["present", "excused", "absent"]),
                "reason": st.sampled_from(["", "Ốm"]),
            }
        ),
    ),
    st.tuples(
        st.just("attendance.set_quorum"),
        st.fixed_dictionaries(
            {"numerator": st.integers(1, 3), "denominator": st.just(3)},
            optional={"strict": st.booleans()},
        ),
    ),
    st.tuples(
        st.just("floor.set_timing"),
        st.fixed_dictionaries(
            {"speaking_seconds": st.integers(1, 90), "warning_seconds": st.integers(0, 30)}
        ),
    ),
    st.tuples(
        st.sampled_from(["floor.request", "floor.add"]),
        st.fixed_dictionaries(
            {"user_id": st.sampled_from(["d01", "d02", "d03"])},
            optional={"reply_to": st.just("d01"), "topic": st.just("Đất đai")},
        ),
    ),
    st.tuples(st.sampled_from(["floor.withdraw", "floor.remove"]), st.just({"index": 0})),
    st.tuples(st.just("floor.reorder"), st.just({"reverse": True})),
    st.tuples(
        st.just("floor.grant"),
        st.fixed_dictionaries({}, optional={"seconds": st.integers(1, 60)}),
    ),
    st.tuples(st.sampled_from(["floor.pause", "floor.resume", "floor.end", "fire"]), st.just({})),
    st.tuples(st.just("floor.extend"), st.fixed_dictionaries({"seconds": st.integers(1, 30)})),
    st.tuples(st.just("question.submit"), st.just({"addressee": "Sở", "text": "?"})),
    st.tuples(
        st.sampled_from(["question.call", "question.withdraw", "question.mark_written"]),
        st.fixed_dictionaries({"index": _SMALL}),
    ),
    st.tuples(
        st.just("question.record_answer"),
        st.fixed_dictionaries({"index": _SMALL, "answered_by": st.just("Sở")}),
    ),
    st.tuples(st.just("question.reorder"), st.just({"reverse": True})),
    st.tuples(
        st.sampled_from(["agenda.open_item", "agenda.close_item"]),
        st.fixed_dictionaries({"index": st.integers(0, 1)}),
    ),
)
"""A command with plausible arguments; ids are indices resolved by `_resolve`."""


@st.composite
def _step(draw: st.DrawFn) -> tuple[float, Actor, str, dict[str, Any]]:
    """(how long to wait, who, which command, args)."""
    name, args = draw(_COMMANDS)
    wait = draw(st.sampled_from([0.0, 0.5, 7.0, 45.0]))
    if name in _BY_DELEGATES:
        sender = draw(st.sampled_from([CHAIR, *(delegate(n) for n in range(1, 6))]))
    else:
        sender = CLERK if name in _BY_CLERK else CHAIR
    if draw(st.integers(0, 3)) == 0:  # now and then, someone who may not
        sender = draw(st.sampled_from(_PEOPLE))
    return wait, sender, name, args


def _resolve(s: Clocked, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Turn the drawn indices into the ids of the sitting as it stands."""
    args = dict(args)
    floor = s.state.floor
    queue = floor.queue(s.state.current_item)
    if name == "floor.request":
        args.pop("user_id")
    if name == "floor.remove" and queue:
        args = {"request_id": queue[0].id}
    elif name == "floor.withdraw":
        args = {}
    elif name == "floor.reorder":
        args = {"request_ids": [r.id for r in reversed(queue)]}
    elif name == "question.reorder":
        args = {"question_ids": list(reversed(floor.question_order))}
    elif "index" in args:
        pool = list(s.state.order) if name.startswith("agenda.") else list(floor.questions)
        index = args.pop("index")
        args["item_id" if name.startswith("agenda.") else "question_id"] = (
            pool[index % len(pool)] if pool else "none"
        )
    return args


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_step(), min_size=10, max_size=60))
def test_random_floors_keep_their_shapes_and_invariants(
    steps: list[tuple[float, Actor, str, dict[str, Any]]],
) -> None:
    s = Clocked().opened()
    for wait, actor, name, raw in steps:
        s.tick(wait)
        try:
            if name == "fire":
                if deadlines(s.state):
                    s.fire()
                continue
            s.send(actor, name, _resolve(s, name, raw))
        except DomainError:
            continue
    for event in s.log:
        check(event)
    check_snapshots(s)
    assert fold(s.log) == s.state
    floor = s.state.floor
    for item_id, queue in floor.queues.items():
        users = [r.user_id for r in queue]
        assert queue and len(users) == len(set(users)) and {r.item_id for r in queue} == {item_id}
    assert sorted(floor.question_order) == sorted(
        q.id for q in floor.questions.values() if q.status.value != "withdrawn"
    )
    status = quorum_status(s.state)
    assert status.met == (status.present >= status.required)
    # Nothing of a closed-session item reaches the public, in the snapshot or any event.
    closed = {i for i, item in s.state.items.items() if item.access.value != "public"}
    secret = closed | {q.id for q in floor.questions.values() if q.closed_session}
    assert not secret & set(_leaves(snapshot(s.state, Audience.PUBLIC)))
    for event in s.log:
        seen = project(event, Audience.PUBLIC)
        assert seen is None or not secret & set(_leaves(seen.data)), event
