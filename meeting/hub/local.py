"""The in-process hub: encode each committed batch once per audience, write it to everyone.

Publishing is synchronous: for every connection it checks the bytes already waiting and
either hands over the shared frame or drops the connection (it will resume by `seq`). No
task or queue per connection, so a burst costs one encode per audience plus one write per
connection, and a stalled tablet never slows the others.

Between processes the hub only says *that* a meeting moved on (`announce`); the engines
read *what* happened from the log and hand it to `publish` here. With one process,
`announce` has no one to tell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from meeting.domain import Audience, Event, project

from .frames import BatchFrames, encode_batch, event_message

__all__ = ["Follower", "Hub", "Subscriber", "encode_batch", "event_message"]

_ROSTER_EVENTS = frozenset({"member.set", "member.removed"})


class Subscriber(Protocol):
    """A live connection as the hub sees it."""

    audience: Audience
    user_id: str | None

    def write(self, frame: bytes) -> bool:
        """Queue `frame` for sending; False when the connection is over its backlog limit."""
        ...

    def fell_behind(self) -> None:
        """Close the connection with the "resume" code; called once, after `write` failed."""
        ...

    def must_rejoin(self) -> None:
        """Close the connection so that it reconnects: its user's roles have changed."""
        ...


class Follower(Protocol):
    """What a hub between processes tells this process's engines."""

    def follow(self, meeting_id: str, seq: int) -> None:
        """Another process committed `meeting_id` up to `seq`."""
        ...

    def resync(self) -> None:
        """News may have been missed (the link was down): check every meeting's log."""
        ...


def visible(events: Iterable[Event], audience: Audience, user_id: str | None) -> list[Event]:
    out = []
    for e in events:
        seen = project(e, audience, user_id)
        if seen is not None:
            out.append(seen)
    return out


class Hub:
    """Subscribers by meeting, and the fan-out of committed batches to them."""

    distributed = False
    """True when other server processes append to the same logs."""

    def __init__(self) -> None:
        self._subs: dict[str, dict[int, Subscriber]] = {}
        self.frames_sent = 0
        self.dropped = 0
        self.events_published = 0

    async def start(self, follower: Follower) -> None:
        """Start hearing other processes (none here)."""

    async def stop(self) -> None:
        """Stop hearing other processes."""

    def announce(self, meeting_id: str, seq: int) -> None:
        """Tell other processes that this one committed `meeting_id` up to `seq`."""

    def status(self) -> tuple[bool, str]:
        """(healthy, description) for `/healthz`."""
        return True, "in-process"

    def link_counters(self) -> dict[str, tuple[int, str]]:
        """Counters of the link between processes, for `/metrics`: name → (value, meaning)."""
        return {}

    def subscribe(self, meeting_id: str, sub: Subscriber) -> None:
        self._subs.setdefault(meeting_id, {})[id(sub)] = sub

    def unsubscribe(self, meeting_id: str, sub: Subscriber) -> None:
        subs = self._subs.get(meeting_id)
        if subs is not None:
            subs.pop(id(sub), None)
            if not subs:
                del self._subs[meeting_id]

    def count(self, meeting_id: str | None = None) -> int:
        if meeting_id is not None:
            return len(self._subs.get(meeting_id, ()))
        return sum(len(s) for s in self._subs.values())

    def publish(self, meeting_id: str, events: Sequence[Event]) -> None:
        """Write `events` (committed together, in `seq` order) to this process's subscribers."""
        self.events_published += len(events)
        subs = self._subs.get(meeting_id)
        if not subs or not events:
            return
        frames = BatchFrames(events)
        behind: list[Subscriber] = []
        for sub in subs.values():
            frame = frames.frame(sub.audience, sub.user_id)
            if frame is None:
                continue
            if sub.write(frame):
                self.frames_sent += 1
            else:
                behind.append(sub)
        for sub in behind:
            self.dropped += 1
            self.unsubscribe(meeting_id, sub)
            sub.fell_behind()
        # A connection's audience is fixed when it joins; a user whose roles change rejoins.
        rejoin = {e.data["user_id"] for e in events if e.name in _ROSTER_EVENTS}
        if rejoin:
            for sub in [s for s in subs.values() if s.user_id in rejoin]:
                self.unsubscribe(meeting_id, sub)
                sub.must_rejoin()
