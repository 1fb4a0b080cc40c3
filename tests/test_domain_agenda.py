from __future__ import annotations

from typing import Any

import pytest

from meeting.domain import Audience, DomainError, Event, fold, project, snapshot
from meeting.domain.model import ItemStatus, SittingStatus
from tests.sitting import ADMIN, CHAIR, CLERK, OBSERVER, Sitting, delegate

BODY = {"id": "b", "name": "n", "seats": 1}


def items(s: Sitting) -> list[str]:
    return [s.state.items[i].title for i in s.state.order]


def test_clerk_builds_agenda_and_chair_runs_it() -> None:
    s = Sitting().create()
    a = s.run(CLERK, "agenda.add_item", title="Tờ trình ngân sách")[0].data["item"]["item_id"]
    b = s.run(CLERK, "agenda.add_item", title="Dự thảo nghị quyết", position=0)[0]
    b_id = b.data["item"]["item_id"]
    assert items(s) == ["Dự thảo nghị quyết", "Tờ trình ngân sách"]
    s.run(CLERK, "agenda.reorder", item_ids=[a, b_id])
    s.run(CHAIR, "sitting.open")
    s.run(CHAIR, "agenda.open_item", item_id=a)
    assert s.state.current_item == a
    events = s.run(CHAIR, "agenda.open_item", item_id=b_id)
    assert [e.name for e in events] == ["agenda.item_closed", "agenda.item_opened"]
    assert s.state.items[a].status is ItemStatus.CLOSED
    s.run(CHAIR, "sitting.close")
    assert s.state.status is SittingStatus.CLOSED
    assert s.state.current_item is None
    assert fold(s.log) == s.state


@pytest.mark.parametrize(
    ("actor", "name", "args", "code"),
    [
        (delegate(1), "agenda.add_item", {"title": "x"}, "not_allowed"),
        (OBSERVER, "sitting.open", {}, "not_allowed"),
        (CLERK, "sitting.open", {}, "not_allowed"),
        (CHAIR, "agenda.open_item", {"item_id": "nope"}, "invalid_state"),
        (CLERK, "agenda.edit_item", {"item_id": "nope", "title": "x"}, "not_found"),
        (CLERK, "agenda.add_item", {"title": ""}, "invalid_args"),
        (CLERK, "agenda.add_item", {"title": "x", "colour": "red"}, "invalid_args"),
        (CLERK, "agenda.add_item", {"title": 7}, "invalid_args"),
        (CHAIR, "agenda.fly", {}, "unknown_command"),
        (ADMIN, "meeting.create", {"title": "x", "body": BODY}, "invalid_state"),
    ],
)
def test_refusals_have_stable_codes(actor, name, args, code) -> None:  # type: ignore[no-untyped-def]
    s = Sitting().create()
    before = (s.state, len(s.log))
    with pytest.raises(DomainError) as info:
        s.run(actor, name, **args)
    assert info.value.code == code
    assert (s.state, len(s.log)) == before


def test_opened_item_cannot_be_removed_and_urgent_item_lands_after_current() -> None:
    s = Sitting().create()
    ids = [s.run(CLERK, "agenda.add_item", title=t)[0].data["item"]["item_id"] for t in "ABC"]
    s.run(CHAIR, "sitting.open")
    s.run(CHAIR, "agenda.open_item", item_id=ids[0])
    with pytest.raises(DomainError) as info:
        s.run(CLERK, "agenda.remove_item", item_id=ids[0])
    assert info.value.code == "invalid_state"
    s.run(CHAIR, "agenda.add_urgent_item", title="Khẩn", open=True)
    assert items(s) == ["A", "Khẩn", "B", "C"]
    assert s.state.items[s.state.current_item or ""].urgent
    s.run(CLERK, "agenda.remove_item", item_id=ids[2])
    assert items(s) == ["A", "Khẩn", "B"]


def test_public_never_sees_a_closed_session_item() -> None:
    s = Sitting().create()
    pub = s.run(CLERK, "agenda.add_item", title="Công khai")[0].data["item"]["item_id"]
    secret_event = s.run(CLERK, "agenda.add_item", title="Nhân sự (họp kín)", access="delegates")
    secret = secret_event[0].data["item"]["item_id"]
    reorder = s.run(CLERK, "agenda.reorder", item_ids=[secret, pub])[0]
    s.run(CHAIR, "sitting.open")
    s.run(CHAIR, "agenda.open_item", item_id=secret)
    assert project(secret_event[0], Audience.PUBLIC) is None
    assert project(secret_event[0], Audience.DELEGATES) is not None
    public_reorder = project(reorder, Audience.PUBLIC)
    assert public_reorder is not None and public_reorder.data == {"order": [pub]}
    view = snapshot(s.state, Audience.PUBLIC)
    assert [i["item_id"] for i in view["items"]] == [pub]
    assert view["current_item"] is None and view["closed_session"] is True
    assert "Nhân sự" not in repr(view)
    staff = snapshot(s.state, Audience.STAFF)
    assert staff["current_item"] == secret


def test_the_public_is_told_when_a_closed_session_starts_and_ends_and_nothing_more() -> None:
    s = Sitting().create()
    add = [("Công khai", "public"), ("Nhân sự (họp kín)", "delegates"), ("Kỷ luật", "delegates")]
    pub, secret, other = (
        s.run(CLERK, "agenda.add_item", title=t, access=a)[0].data["item"]["item_id"]
        for t, a in add
    )
    s.run(CHAIR, "sitting.open")

    def public(events: list[Event]) -> list[tuple[str, dict[str, Any]]]:
        seen = [project(e, Audience.PUBLIC) for e in events]
        return [(e.name, e.data) for e in seen if e is not None]

    started = [("agenda.closed_session", {"in_progress": True})]
    ended = [("agenda.closed_session", {"in_progress": False})]
    opened = s.run(CHAIR, "agenda.open_item", item_id=pub)
    assert public(opened) == [("agenda.item_opened", {"item_id": pub})]
    to_secret = s.run(CHAIR, "agenda.open_item", item_id=secret)
    assert public(to_secret) == [("agenda.item_closed", {"item_id": pub}), *started]
    assert [e.name for e in to_secret][1:] == ["agenda.item_opened", "agenda.closed_session"]
    for view in (snapshot(s.state, a) for a in Audience):
        assert view["closed_session"] is True
    assert snapshot(s.state, Audience.PUBLIC)["current_item"] is None
    assert public(s.run(CHAIR, "agenda.open_item", item_id=other)) == []  # still closed
    assert public(s.run(CHAIR, "agenda.close_item", item_id=other)) == ended
    assert snapshot(s.state, Audience.PUBLIC)["closed_session"] is False
    urgent = s.run(CHAIR, "agenda.add_urgent_item", title="Khẩn", access="delegates", open=True)
    assert public(urgent) == started
    back = s.run(CHAIR, "agenda.open_item", item_id=pub)
    assert public(back) == [*ended, ("agenda.item_opened", {"item_id": pub})]
    s.run(CHAIR, "agenda.open_item", item_id=secret)
    closing = s.run(CHAIR, "sitting.close")
    assert public(closing) == [*ended, ("sitting.closed", {})]
    assert snapshot(s.state, Audience.PUBLIC)["closed_session"] is False
    everything = repr([project(e, Audience.PUBLIC) for e in s.log])
    assert secret not in everything and other not in everything and "Kỷ luật" not in everything


def test_the_clerk_keeps_the_delegates_of_the_roster_and_no_more() -> None:
    s = Sitting().create(delegates=3)
    s.run(CLERK, "member.set", user_id="d04", name="Hà Thị Lan", roles=["delegate"], seat=9)
    s.run(CLERK, "member.set", user_id="d04", name="Hà Thị Lan", roles=["delegate"], seat=10)
    s.run(CLERK, "member.set", user_id="press", name="Báo Thanh Hóa", roles=["observer"])
    assert s.state.members["d04"].seat == 10 and "press" in s.state.members
    s.run(CLERK, "member.remove", user_id="press")
    refused = [
        ("member.set", {"user_id": "d04", "name": "Hà Thị Lan", "roles": ["delegate", "clerk"]}),
        ("member.set", {"user_id": "d05", "name": "Người mới", "roles": ["chair"]}),
        ("member.set", {"user_id": "chair", "name": "Chủ tọa", "roles": ["delegate"], "seat": 1}),
        ("member.remove", {"user_id": "clerk"}),
    ]
    for name, args in refused:
        with pytest.raises(DomainError) as exc:
            s.run(CLERK, name, **args)
        assert exc.value.code == "not_allowed", (name, args)
    s.run(
        ADMIN, "member.set", user_id="d04", name="Hà Thị Lan", roles=["delegate", "clerk"], seat=10
    )
    assert {r.value for r in s.state.members["d04"].roles} == {"delegate", "clerk"}
    with pytest.raises(DomainError):  # a clerk now, so the clerk cannot take her off either
        s.run(CLERK, "member.remove", user_id="d04")
    assert fold(s.log) == s.state
