"""Attendance and quorum, through `decide` and `apply` alone."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meeting.domain import Actor, Audience, DomainError, fold, snapshot
from meeting.domain.floor import QuorumStatus, present_delegates, quorum_status
from meeting.domain.floor_state import Presence, QuorumRule
from meeting.domain.floor_view import floor_record
from tests.floor_sitting import Clocked
from tests.sitting import ADMIN, CHAIR, CLERK, OBSERVER, delegate


def sitting(delegates: int = 5) -> Clocked:
    s = Clocked()
    s.create(delegates)
    return s


def test_quorum_crosses_the_threshold_as_delegates_check_in_and_out() -> None:
    s = sitting(5)  # 6 seats (the chair holds seat 1): at least two-thirds is 4
    assert quorum_status(s.state) == QuorumStatus(0, 6, 4, False)
    seen = []
    for n in (1, 2, 3, 4):
        (event,) = s.run(delegate(n), "attendance.check_in")
        assert event.name == "attendance.checked_in"
        seen.append(event.data["quorum"])
        assert event.data["quorum"] == quorum_status(s.state)._asdict()
    assert [q["met"] for q in seen] == [False, False, False, True]
    (out,) = s.run(delegate(2), "attendance.check_out")
    assert out.data == {"user_id": "d02", "quorum": {**seen[-1], "present": 3, "met": False}}
    assert present_delegates(s.state) == {"d01", "d03", "d04"}
    s.run(CHAIR, "attendance.check_in")  # the chair is a delegate too
    assert quorum_status(s.state).met
    view = snapshot(s.state, Audience.PUBLIC)["floor"]["quorum"]
    assert view == {
        "present": 4,
        "seats": 6,
        "required": 4,
        "met": True,
        "rule": {"numerator": 2, "denominator": 3, "strict": False, "refuse_votes": True},
    }
    assert fold(s.log) == s.state


def test_clerk_records_and_corrects_attendance_and_the_record_keeps_both() -> None:
    s = sitting(3)
    s.run(CLERK, "attendance.record", user_id="d01", presence="absent")
    s.run(CLERK, "attendance.record", user_id="d02", presence="excused", reason="Đi công tác")
    (fix,) = s.run(CLERK, "attendance.record", user_id="d01", presence="present")
    assert fix.data["previous"] == "absent" and fix.data["quorum"]["present"] == 1
    assert present_delegates(s.state) == {"d01"}
    record = floor_record(s.state)
    lines = {a.user_id: a for a in record.attendance}
    assert list(lines) == ["chair", "d01", "d02", "d03"]  # seat order
    assert lines["d01"].presence is Presence.PRESENT
    assert (lines["d02"].presence, lines["d02"].reason) == (Presence.EXCUSED, "Đi công tác")
    assert lines["d03"].presence is None
    changes = [(c.user_id, c.presence, c.previous, c.by) for c in record.attendance_changes]
    assert changes == [
        ("d01", Presence.ABSENT, None, "clerk"),
        ("d02", Presence.EXCUSED, None, "clerk"),
        ("d01", Presence.PRESENT, Presence.ABSENT, "clerk"),
    ]


def test_quorum_rule_is_a_setting_of_the_meeting() -> None:
    s = sitting(5)  # 6 seats
    for n in (1, 2, 3):
        s.run(delegate(n), "attendance.check_in")
    assert not quorum_status(s.state).met
    (e,) = s.run(CLERK, "attendance.set_quorum", numerator=1, denominator=2)
    assert e.data["quorum"] == {"present": 3, "seats": 6, "required": 3, "met": True}
    s.run(ADMIN, "attendance.set_quorum", numerator=1, denominator=2, strict=True)
    assert quorum_status(s.state) == QuorumStatus(3, 6, 4, False)
    assert s.state.floor.quorum == QuorumRule(1, 2, strict=True)
    assert fold(s.log) == s.state


@pytest.mark.parametrize(
    ("actor", "name", "args", "code"),
    [
        (
            delegate(1),
            "attendance.record",
            {"user_id": "d02", "presence": "present"},
            "not_allowed",
        ),
        (OBSERVER, "attendance.check_in", {}, "not_allowed"),
        (CLERK, "attendance.check_in", {}, "not_allowed"),
        (CHAIR, "attendance.set_quorum", {"numerator": 1, "denominator": 2}, "not_allowed"),
        (delegate(1), "attendance.set_quorum", {"numerator": 1, "denominator": 2}, "not_allowed"),
        (CLERK, "attendance.set_quorum", {"numerator": 3, "denominator": 2}, "invalid_args"),
        (CLERK, "attendance.set_quorum", {"numerator": 0, "denominator": 2}, "invalid_args"),
        (
            CLERK,
            "attendance.set_quorum",
            {"numerator": 1, "denominator": 1, "strict": True},
            "invalid_args",
        ),
        (CLERK, "attendance.set_quorum", {"numerator": 2, "denominator": 3}, "invalid_state"),
        (CLERK, "attendance.record", {"user_id": "clerk", "presence": "present"}, "not_found"),
        (CLERK, "attendance.record", {"user_id": "nobody", "presence": "present"}, "not_found"),
        (CLERK, "attendance.record", {"user_id": "d01", "presence": "excused"}, "invalid_args"),
        (CLERK, "attendance.record", {"user_id": "d01", "presence": "late"}, "invalid_args"),
        (delegate(1), "attendance.check_out", {}, "invalid_state"),
    ],
)
def test_refusals_have_stable_codes(
    actor: Actor, name: str, args: dict[str, Any], code: str
) -> None:
    s = sitting(3)
    before = (s.state, len(s.log))
    with pytest.raises(DomainError) as info:
        s.run(actor, name, **args)
    assert info.value.code == code
    assert (s.state, len(s.log)) == before


def test_twice_the_same_is_refused_and_a_closed_sitting_takes_no_attendance() -> None:
    s = sitting(3)
    s.run(delegate(1), "attendance.check_in")
    s.run(CLERK, "attendance.record", user_id="d02", presence="excused", reason="Ốm")
    for actor, name, args in [
        (delegate(1), "attendance.check_in", {}),
        (CLERK, "attendance.record", {"user_id": "d02", "presence": "excused", "reason": "Ốm"}),
    ]:
        with pytest.raises(DomainError) as info:
            s.run(actor, name, **args)
        assert info.value.code == "invalid_state"
    s.run(CHAIR, "sitting.open")
    s.run(CHAIR, "sitting.close")
    with pytest.raises(DomainError) as info:
        s.run(delegate(2), "attendance.check_in")
    assert info.value.code == "invalid_state"


def test_only_delegates_on_the_roster_count() -> None:
    s = sitting(3)
    s.run(delegate(1), "attendance.check_in")
    s.run(delegate(2), "attendance.check_in")
    s.run(ADMIN, "member.remove", user_id="d01")
    s.send(ADMIN, "member.set", {"user_id": "d02", "name": "Đại biểu 2", "roles": ["observer"]})
    assert present_delegates(s.state) == frozenset()
    assert quorum_status(s.state).present == 0


@given(
    seats=st.integers(0, 600),
    fraction=st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=100),
    strict=st.booleans(),
)
def test_required_is_the_fewest_present_that_meet_the_rule(
    seats: int, fraction: Fraction, strict: bool
) -> None:
    rule = QuorumRule(fraction.numerator, fraction.denominator, strict)

    def meets(present: int) -> bool:
        share = Fraction(present, 1)
        return share > fraction * seats if strict else share >= fraction * seats

    required = rule.required(seats)
    assert meets(required)
    assert required == 0 or not meets(required - 1)
