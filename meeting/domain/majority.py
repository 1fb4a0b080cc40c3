"""Thresholds: when a vote passes. Each rule is a named, pure function with its legal source.

A threshold compares the votes in favour with a fraction of a base: the statutory seats
at that moment, the delegates present, or the ballots cast. "More than" and "at least" are
kept apart (`strict`), and everything is integer arithmetic: 25 of 50 seats is not "more
than half" (25 × 2 = 50 is not > 50). Ties therefore fail unless a rule says "at least".
Every result stores the rule and the base it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "NAMED_RULES",
    "Base",
    "Threshold",
    "majority_of_cast",
    "majority_of_seats",
    "percent",
    "threshold",
    "two_thirds_of_present",
    "two_thirds_of_seats",
]


class Base(StrEnum):
    """What a threshold is a fraction of."""

    SEATS = "seats"
    """The statutory number of delegates at the moment the vote opened."""
    PRESENT = "present"
    """The delegates recorded present when the vote opened."""
    CAST = "cast"
    """The ballots cast (valid ballots, for paper)."""


@dataclass(frozen=True, slots=True)
class Threshold:
    """`votes` passes when votes/base is more than (`strict`) or at least `num/den`."""

    name: str
    num: int
    den: int
    base: Base
    strict: bool
    source: str

    def needed(self, base_count: int) -> int:
        """The smallest number of votes that passes, for this base."""
        # strict: v*den > num*base  ⇔ v ≥ floor(num*base/den) + 1
        # at least: v*den ≥ num*base ⇔ v ≥ ceil(num*base/den)
        if self.strict:
            return self.num * base_count // self.den + 1
        return -(-self.num * base_count // self.den)

    def passes(self, votes: int, base_count: int) -> bool:
        if self.strict:
            return votes * self.den > self.num * base_count
        return votes * self.den >= self.num * base_count

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "num": self.num,
            "den": self.den,
            "base": self.base.value,
            "strict": self.strict,
            "source": self.source,
        }


def majority_of_seats() -> Threshold:
    """More than half of the total number of delegates (the council's default).

    Source: Luật Tổ chức chính quyền địa phương 2015 (Law on the Organisation of Local
    Government, No. 77/2015/QH13), on the adoption of the People's Council's resolutions:
    a resolution passes when more than half of the total number of delegates vote in favour.
    The base is the statutory seat count at that moment, not those present or voting.
    """
    return Threshold("majority_of_seats", 1, 2, Base.SEATS, True, "Luật 77/2015/QH13")


def two_thirds_of_seats() -> Threshold:
    """At least two-thirds of the total number of delegates (dismissing a delegate).

    Source: Luật Tổ chức chính quyền địa phương 2015 (No. 77/2015/QH13), on dismissing
    (bãi nhiệm) a delegate of the People's Council: at least two-thirds of the total number
    of delegates must vote in favour ("ít nhất hai phần ba": at least, not more than).
    """
    return Threshold("two_thirds_of_seats", 2, 3, Base.SEATS, False, "Luật 77/2015/QH13")


def majority_of_cast() -> Threshold:
    """More than half of the votes cast (for procedural votes a body's rules allow it).

    Source: the body's own rules of procedure (quy chế làm việc); not a statutory rule for
    resolutions of a People's Council.
    """
    return Threshold("majority_of_cast", 1, 2, Base.CAST, True, "quy chế làm việc")


def two_thirds_of_present() -> Threshold:
    """At least two-thirds of the delegates present.

    Source: the body's own rules of procedure (quy chế làm việc), where they call for it.
    """
    return Threshold("two_thirds_of_present", 2, 3, Base.PRESENT, False, "quy chế làm việc")


NAMED_RULES = {
    r.name: r
    for r in (
        majority_of_seats(),
        two_thirds_of_seats(),
        majority_of_cast(),
        two_thirds_of_present(),
    )
}


def threshold(
    name: str, *, num: int = 0, den: int = 0, base: Base = Base.SEATS, strict: bool = True
) -> Threshold:
    """A named rule, or `custom`: a fraction over a chosen base, with its own strictness."""
    if name in NAMED_RULES:
        return NAMED_RULES[name]
    if name != "custom":
        raise ValueError(f"unknown rule {name!r}")
    if not (0 < num <= den):
        raise ValueError("a custom rule needs 0 < num ≤ den")
    return Threshold("custom", num, den, base, strict, "quy định riêng của cơ quan")


def percent(count: int, base_count: int) -> str:
    """`count` as a percentage of `base_count`, two decimals, rounded half up as people do."""
    if base_count <= 0:
        return "0.00"
    value = Decimal(count * 100) / Decimal(base_count)
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
