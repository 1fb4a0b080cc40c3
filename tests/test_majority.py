"""The rule table: every threshold at, just below and just above its line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meeting.domain.majority import Base, percent, threshold


@pytest.mark.parametrize(
    ("rule", "votes", "base", "passes"),
    [
        # More than half of 50 seats: 25 is not more than 25.
        ("majority_of_seats", 25, 50, False),
        ("majority_of_seats", 26, 50, True),
        ("majority_of_seats", 24, 50, False),
        ("majority_of_seats", 43, 85, True),
        ("majority_of_seats", 42, 85, False),
        # At least two-thirds of 60 seats is 40; of 85 it is 57 (56.67 rounded up).
        ("two_thirds_of_seats", 40, 60, True),
        ("two_thirds_of_seats", 39, 60, False),
        ("two_thirds_of_seats", 41, 60, True),
        ("two_thirds_of_seats", 57, 85, True),
        ("two_thirds_of_seats", 56, 85, False),
        ("majority_of_cast", 10, 20, False),
        ("majority_of_cast", 11, 20, True),
        ("majority_of_cast", 9, 20, False),
        ("two_thirds_of_present", 20, 30, True),
        ("two_thirds_of_present", 19, 30, False),
        ("two_thirds_of_present", 21, 30, True),
    ],
)
def test_rule_table(rule: str, votes: int, base: int, passes: bool) -> None:
    assert threshold(rule).passes(votes, base) is passes


def test_fifty_seats_thirty_present_twenty_five_for_fails() -> None:
    rule = threshold("majority_of_seats")
    assert rule.base is Base.SEATS
    assert not rule.passes(25, 50)
    # The same 25 would pass against those present: the base is what decides.
    assert threshold("majority_of_cast").passes(25, 30)


def test_custom_rule_over_chosen_base() -> None:
    three_quarters = threshold("custom", num=3, den=4, base=Base.PRESENT, strict=False)
    assert three_quarters.passes(30, 40) and not three_quarters.passes(29, 40)
    strict = threshold("custom", num=3, den=4, base=Base.PRESENT, strict=True)
    assert not strict.passes(30, 40) and strict.passes(31, 40)
    with pytest.raises(ValueError):
        threshold("custom", num=5, den=4)
    with pytest.raises(ValueError):
        threshold("plurality")


@given(
    st.sampled_from(["majority_of_seats", "two_thirds_of_seats", "majority_of_cast"]),
    st.integers(1, 2000),
)
def test_needed_is_the_exact_line(rule: str, base: int) -> None:
    t = threshold(rule)
    need = t.needed(base)
    assert t.passes(need, base)
    assert not t.passes(need - 1, base)


def test_percent_rounds_half_up() -> None:
    assert percent(1, 8) == "12.50"
    assert percent(1, 3) == "33.33"
    assert percent(2, 3) == "66.67"
    assert percent(1, 200) == "0.50"
    assert percent(1, 400) == "0.25"
    assert percent(5, 800) == "0.63"  # 0.625 → 0.63, where round() would give 0.62
    assert percent(3, 0) == "0.00"
