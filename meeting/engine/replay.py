"""Folding what the log holds into a meeting's state: events after a head, secret totals.

Pure functions over rows already read; the engine decides when to read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from meeting.domain import Meeting, apply, chain_hash, verify_chain
from meeting.domain.apply import apply_unlogged
from meeting.domain.events import SECRET_TOTALS, Draft
from meeting.domain.vote_state import Method, VoteStatus
from meeting.store import LoggedEvent

__all__ = ["fold_rows", "secret_vote_open", "with_secret_totals"]


def fold_rows(state: Meeting, head_hash: str, rows: Sequence[LoggedEvent]) -> tuple[Meeting, str]:
    """`state` with `rows` applied, and the new head hash; ValueError if the chain breaks."""
    if not rows:
        return state, head_hash
    if state.seq == 0:
        verify_chain((r.event, r.hash) for r in rows)
    else:
        prev = head_hash
        for n, r in enumerate(rows, start=state.seq + 1):
            if r.event.seq != n or chain_hash(prev, r.event) != r.hash:
                raise ValueError(f"hash mismatch at seq {r.event.seq}")
            prev = r.hash
    for r in rows:
        state = apply(state, r.event)
    return state, rows[-1].hash


def with_secret_totals(state: Meeting, totals: Mapping[str, Mapping[str, int]]) -> Meeting:
    """Secret running totals are not events: they come back from their own table."""
    for tally, counts in totals.items():
        draft = Draft(SECRET_TOTALS, {"tally": tally, "set": dict(counts)}, secret=True)
        state = apply_unlogged(state, draft)
    return state


def secret_vote_open(state: Meeting) -> bool:
    """Whether running totals live outside the log now: only while a secret vote is open
    (its result, once logged, carries the counts)."""
    return any(
        v.method is Method.SECRET and v.status is VoteStatus.OPEN
        for v in state.votes.by_id.values()
    )
