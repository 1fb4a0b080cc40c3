"""The speakers' queue of each agenda item, through `decide` and `apply` alone."""

from __future__ import annotations

from typing import Any

import pytest

from meeting.domain import Actor, Audience, DomainError, fold, project, snapshot
from tests.floor_sitting import Clocked
from tests.sitting import CHAIR, CLERK, OBSERVER, delegate


def queue(s: Clocked) -> list[str]:
    """The current item's queue, as user ids."""
    return [r.user_id for r in s.state.floor.queue(s.state.current_item)]


def request_id(s: Clocked, user_id: str) -> str:
    return next(r.id for r in s.state.floor.queue(s.state.current_item) if r.user_id == user_id)


def test_queue_in_order_of_request_then_the_chairs_order() -> None:
    s = Clocked().opened()
    public, _ = s.items
    s.run(CHAIR, "agenda.open_item", item_id=public)
    (asked,) = s.run(delegate(1), "floor.request", topic="Thu ngân sách")
    assert asked.data["request"] == {
        "request_id": asked.data["request"]["request_id"],
        "user_id": "d01",
        "item_id": public,
        "topic": "Thu ngân sách",
        "reply_to": None,
        "added_by": None,
    }
    s.run(delegate(2), "floor.request", reply_to="d01")
    s.run(delegate(3), "floor.request")
    assert queue(s) == ["d01", "d02", "d03"]
    ids = [request_id(s, u) for u in ("d03", "d01", "d02")]
    (reordered,) = s.run(CHAIR, "floor.reorder", request_ids=ids)
    assert reordered.data == {"item_id": public, "queue": ids}
    assert queue(s) == ["d03", "d01", "d02"]
    s.run(CHAIR, "floor.add", user_id="d04", topic="Đầu tư công", position=1)
    assert queue(s) == ["d03", "d04", "d01", "d02"]
    assert s.state.floor.queue(public)[1].added_by == "chair"
    s.run(delegate(1), "floor.withdraw")
    s.run(CHAIR, "floor.remove", request_id=request_id(s, "d03"))
    (removed_event,) = s.log[-1:]
    assert removed_event.name == "floor.removed" and removed_event.data["queue"] == [
        request_id(s, "d04"),
        request_id(s, "d02"),
    ]
    assert queue(s) == ["d04", "d02"]
    assert fold(s.log) == s.state


def test_each_item_keeps_its_own_queue() -> None:
    s = Clocked().opened()
    first, second = s.items
    s.run(delegate(1), "floor.request")  # no item open yet: the sitting's own queue
    s.run(CHAIR, "agenda.open_item", item_id=first)
    s.run(delegate(1), "floor.request")
    s.run(CHAIR, "agenda.open_item", item_id=second)
    assert queue(s) == []
    s.run(delegate(2), "floor.request")
    floor = s.state.floor
    assert {k: [r.user_id for r in q] for k, q in floor.queues.items()} == {
        None: ["d01"],
        first: ["d01"],
        second: ["d02"],
    }
    view = snapshot(s.state, Audience.DELEGATES)["floor"]["queues"]
    assert [q["item_id"] for q in view] == [None, first, second]


def test_a_closed_session_queue_is_never_shown_to_the_public() -> None:
    s = Clocked().opened()
    public, closed = s.items
    s.run(CHAIR, "agenda.open_item", item_id=public)
    s.run(delegate(1), "floor.request")
    s.run(CHAIR, "agenda.open_item", item_id=closed)
    events = s.run(delegate(2), "floor.request", topic="Nhân sự bí mật")
    events += s.run(CHAIR, "floor.grant")
    assert all(e.audience is Audience.DELEGATES for e in events)
    assert all(project(e, Audience.PUBLIC) is None for e in events)
    view = snapshot(s.state, Audience.PUBLIC)["floor"]
    assert [q["item_id"] for q in view["queues"]] == [public]
    assert view["speech"] is None
    assert closed not in repr(view) and "bí mật" not in repr(view)
    staff = snapshot(s.state, Audience.STAFF)["floor"]
    assert staff["speech"]["user_id"] == "d02"


@pytest.mark.parametrize(
    ("actor", "name", "args", "code"),
    [
        (delegate(1), "floor.grant", {}, "not_allowed"),
        (delegate(1), "floor.reorder", {"request_ids": []}, "not_allowed"),
        (delegate(1), "floor.remove", {"request_id": "x"}, "not_allowed"),
        (delegate(1), "floor.add", {"user_id": "d02"}, "not_allowed"),
        (CLERK, "floor.grant", {}, "not_allowed"),
        (OBSERVER, "floor.request", {}, "not_allowed"),
        (delegate(1), "floor.request", {}, "invalid_state"),
        (delegate(1), "floor.request", {"reply_to": "nobody"}, "not_found"),
        (delegate(1), "floor.request", {"topic": "x" * 501}, "invalid_args"),
        (CHAIR, "floor.add", {"user_id": "nobody"}, "not_found"),
        (CHAIR, "floor.grant", {}, "not_found"),
        (CHAIR, "floor.reorder", {"request_ids": ["x"]}, "invalid_args"),
        (delegate(2), "floor.withdraw", {}, "invalid_state"),
    ],
)
def test_refusals_have_stable_codes(
    actor: Actor, name: str, args: dict[str, Any], code: str
) -> None:
    s = Clocked().opened()
    if (name, code) == ("floor.request", "invalid_state"):
        s.run(delegate(1), "floor.request")  # she is waiting already
    before = (s.state, len(s.log))
    with pytest.raises(DomainError) as info:
        s.run(actor, name, **args)
    assert info.value.code == code
    assert (s.state, len(s.log)) == before


def test_a_delegate_withdraws_only_her_own_request() -> None:
    s = Clocked().opened()
    s.run(delegate(1), "floor.request")
    theirs = request_id(s, "d01")
    with pytest.raises(DomainError) as info:
        s.run(delegate(2), "floor.withdraw", request_id=theirs)
    assert info.value.code == "not_allowed"
    s.run(delegate(1), "floor.withdraw", request_id=theirs)
    assert queue(s) == []


def test_nothing_joins_a_queue_before_the_sitting_opens() -> None:
    s = Clocked()
    s.create()
    with pytest.raises(DomainError) as info:
        s.run(delegate(1), "floor.request")
    assert info.value.code == "invalid_state"
