"""The newest events of one meeting, kept in memory so that a tablet resumes without a read."""

from __future__ import annotations

from collections.abc import Sequence

from meeting.domain import Event

__all__ = ["RecentEvents"]


class RecentEvents:
    """At least the last `size` events (at most twice that: trimming is done in bulk)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._events: list[Event] = []

    def add(self, events: Sequence[Event]) -> None:
        self._events.extend(events)
        if len(self._events) > 2 * self._size:
            del self._events[: len(self._events) - self._size]

    def after(self, since: int, head: int) -> list[Event] | None:
        """The events after `since` up to `head`, or None when `since` is out of the window."""
        if since < 0 or since > head:
            return None
        if since == head:
            return []
        first = self._events[0].seq if self._events else head + 1
        if since + 1 < first:
            return None
        return self._events[since + 1 - first :]
