"""What the writers of one process count, for `/metrics`: commits, conflicts, catch-ups and
how long commands wait for their outcome.

Only counts and durations: nothing here knows a command's arguments, so nothing of a
secret ballot (not even which vote it was for) can reach the metrics.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from dataclasses import dataclass, field

from .batch import UNAVAILABLE, Outcome

__all__ = ["LATENCY_BUCKETS", "EngineStats", "Histogram"]

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Upper bounds, in seconds, of the command latency histogram (Prometheus `le`)."""


@dataclass(slots=True)
class Histogram:
    """Counts of observations per bucket (not cumulative), their sum and number."""

    bounds: tuple[float, ...] = LATENCY_BUCKETS
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * (len(self.bounds) + 1)

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.total += value
        self.count += 1

    def cumulative(self) -> list[tuple[str, int]]:
        """(`le`, count) pairs as Prometheus wants them, ending with `+Inf`."""
        out, running = [], 0
        for bound, n in zip((*self.bounds, float("inf")), self.counts, strict=True):
            running += n
            out.append(("+Inf" if bound == float("inf") else repr(bound), running))
        return out


@dataclass(slots=True)
class EngineStats:
    commits: int = 0
    """Transactions that appended to a log (group commits)."""
    events_committed: int = 0
    conflicts: int = 0
    """Appends refused because another process had moved the head first."""
    catch_ups: int = 0
    """Reads of the log that found events committed by another process."""
    events_caught_up: int = 0
    latency: dict[str, Histogram] = field(default_factory=dict)
    """Seconds from submit to outcome, by result: accepted, refused, unavailable."""

    def answered(self, future: asyncio.Future[Outcome], started: float) -> None:
        """A command's future is done: observe how long it took, by result."""
        if future.cancelled():
            return
        outcome = future.result()
        result = "accepted" if outcome.ok else "unavailable"
        if outcome.code not in (None, UNAVAILABLE):
            result = "refused"
        histogram = self.latency.get(result)
        if histogram is None:
            histogram = self.latency[result] = Histogram()
        histogram.observe(time.perf_counter() - started)

    def caught_up(self, events: int) -> None:
        self.catch_ups += 1
        self.events_caught_up += events
