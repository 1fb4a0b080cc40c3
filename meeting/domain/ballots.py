"""What a ballot may say, how it counts, and what a closed vote's result is, per kind.

Pure functions over `Vote`. A motion's ballot is one option key; an election's is a list
of up to `seats_to_fill` candidate keys; a confidence rating's maps every official to one
of three levels. Tally keys: the option, the candidate, or `official:level`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import errors
from .errors import DomainError
from .majority import Base, Threshold, percent, threshold
from .vote_state import Vote, VoteKind

__all__ = [
    "DEFAULT_OPTIONS",
    "LEVELS",
    "ballot_keys",
    "check_ballot",
    "rule_of",
    "tally_keys",
    "vote_result",
]

DEFAULT_OPTIONS = (
    ("tan_thanh", "Tán thành"),
    ("khong_tan_thanh", "Không tán thành"),
    ("khong_bieu_quyet", "Không biểu quyết"),
)
"""The options of a council's vote; the first one is "in favour"."""

LEVELS = (
    ("tin_nhiem_cao", "Tín nhiệm cao"),
    ("tin_nhiem", "Tín nhiệm"),
    ("tin_nhiem_thap", "Tín nhiệm thấp"),
)
"""The three levels of a confidence rating."""
_LOW = "tin_nhiem_thap"


def rule_of(vote: Vote) -> Threshold:
    r = vote.rule
    return threshold(
        str(r["name"]),
        num=int(r.get("num", 0)),
        den=int(r.get("den", 0)),
        base=Base(r.get("base", "seats")),
        strict=bool(r.get("strict", True)),
    )


def tally_keys(vote: Vote) -> list[str]:
    if vote.kind is VoteKind.CONFIDENCE:
        return [f"{c.key}:{level}" for c in vote.choices for level, _ in LEVELS]
    return vote.keys


def check_ballot(vote: Vote, choice: object) -> None:
    """Refuse a ballot that this vote's kind cannot count (`invalid_args`)."""
    keys = set(vote.keys)
    if vote.kind is VoteKind.MOTION:
        if not isinstance(choice, str) or choice not in keys:
            raise DomainError(errors.INVALID_ARGS, f"choose one of {sorted(keys)}")
    elif vote.kind is VoteKind.ELECTION:
        if not isinstance(choice, list) or not all(isinstance(c, str) for c in choice):
            raise DomainError(errors.INVALID_ARGS, "an election ballot lists candidate keys")
        if len(set(choice)) != len(choice) or not set(choice) <= keys:
            raise DomainError(errors.INVALID_ARGS, "unknown or repeated candidate")
        if len(choice) > vote.seats_to_fill:
            raise DomainError(
                errors.INVALID_ARGS, f"approve at most {vote.seats_to_fill} candidate(s)"
            )
    else:
        levels = {level for level, _ in LEVELS}
        if not isinstance(choice, dict) or set(choice) != keys:
            raise DomainError(errors.INVALID_ARGS, "rate every official on the ballot once")
        if not all(v in levels for v in choice.values()):
            raise DomainError(errors.INVALID_ARGS, f"levels are {sorted(levels)}")


def ballot_keys(vote: Vote, choice: Any) -> list[str]:
    """The tally keys one (checked) ballot adds to."""
    if vote.kind is VoteKind.MOTION:
        return [choice]
    if vote.kind is VoteKind.ELECTION:
        return list(choice)
    return [f"{official}:{level}" for official, level in sorted(choice.items())]


def vote_result(
    vote: Vote, counts: Mapping[str, int], cast: int, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The result of a closed vote from its totals: counts, base, rule and outcome."""
    rule = rule_of(vote)
    base_value = {Base.SEATS: vote.seats, Base.PRESENT: vote.present or 0, Base.CAST: cast}
    base = base_value[rule.base]
    full = {k: int(counts.get(k, 0)) for k in tally_keys(vote)}
    result: dict[str, Any] = {
        "counts": full,
        "cast": cast,
        "entitled": len(vote.entitled),
        "seats": vote.seats,
        "present": vote.present,
        "quorum_met": vote.quorum_met,
        "rule": rule.describe(),
        "base": {"name": rule.base.value, "value": base},
        "needed": rule.needed(base),
        "method": vote.method.value,
    }
    if extra:
        result.update(extra)
    if vote.kind is VoteKind.MOTION:
        in_favour = full[vote.choices[0].key]
        result["passed"] = rule.passes(in_favour, base)
    elif vote.kind is VoteKind.ELECTION:
        result.update(_election(vote, full, rule, base))
    else:
        result.update(_confidence(vote, full))
    return result


def _election(vote: Vote, counts: dict[str, int], rule: Threshold, base: int) -> dict[str, Any]:
    """Elected: passes the threshold, and among those the top `seats_to_fill` by votes.

    A tie at the last place to fill elects none of the tied candidates (`tie` is set): the
    body decides how to break it, usually by another round.
    """
    passing = sorted((c for c in vote.choices if rule.passes(counts[c.key], base)),
                     key=lambda c: -counts[c.key])  # fmt: skip
    elected: set[str] = set()
    tie = False
    if len(passing) <= vote.seats_to_fill:
        elected = {c.key for c in passing}
    else:
        line = counts[passing[vote.seats_to_fill - 1].key]
        above = [c for c in passing if counts[c.key] > line]
        at_line = [c for c in passing if counts[c.key] == line]
        elected = {c.key for c in above}
        if len(above) + len(at_line) <= vote.seats_to_fill:
            elected |= {c.key for c in at_line}
        else:
            tie = True
    candidates = [
        {
            "key": c.key,
            "name": c.label,
            "votes": counts[c.key],
            "percent_of_seats": percent(counts[c.key], vote.seats),
            "elected": c.key in elected,
        }
        for c in vote.choices
    ]
    return {"candidates": candidates, "tie": tie, "elected": sorted(elected)}


def _confidence(vote: Vote, counts: dict[str, int]) -> dict[str, Any]:
    """Per official: count and percentage of total seats per level, and the legal flag.

    Rule sets (DOMAIN.md, rule 6):
    - "96/2023" (Nghị quyết 96/2023/QH15, the default): more than half but less than
      two-thirds of total seats rating "tín nhiệm thấp" → the official may resign
      (`may_resign`); two-thirds or more → a confidence vote follows (`confidence_vote`).
    - "85/2014" (Nghị quyết 85/2014/QH13, Art. 11): more than two-thirds → a confidence
      vote follows. (Its other trigger, more than half two years running, needs the
      previous year's result and is left to the clerk.)
    """
    seats = vote.seats
    officials = []
    for c in vote.choices:
        levels = {level: counts[f"{c.key}:{level}"] for level, _ in LEVELS}
        low = levels[_LOW]
        flag: str | None = None
        if vote.confidence_rules == "85/2014":
            if low * 3 > 2 * seats:
                flag = "confidence_vote"
        elif low * 3 >= 2 * seats:
            flag = "confidence_vote"
        elif low * 2 > seats:
            flag = "may_resign"
        officials.append(
            {
                "key": c.key,
                "name": c.label,
                "levels": levels,
                "percent_of_seats": {k: percent(v, seats) for k, v in levels.items()},
                "flag": flag,
            }
        )
    return {"officials": officials, "rule_set": vote.confidence_rules}
