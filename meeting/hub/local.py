"""The in-process hub: encode each committed batch once per audience, write it to everyone.

Publishing is synchronous: for every connection it checks the bytes already waiting and
either hands over the shared frame or drops the connection (it will resume by `seq`). No
task or queue per connection, so a burst costs one encode per audience plus one write per
connection, and a stalled tablet never slows the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import msgspec

from meeting.domain import Audience, Event, project

__all__ = ["Hub", "Subscriber", "encode_batch", "event_message"]

_encoder = msgspec.json.Encoder()
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


def event_message(event: Event) -> dict[str, Any]:
    return {
        "type": "event",
        "seq": event.seq,
        "name": event.name,
        "at": event.at,
        "actor": event.actor,
        "data": event.data,
    }


def encode_batch(events: Sequence[Event]) -> bytes:
    """One frame for events committed together: `event` for one, `events` for several."""
    if len(events) == 1:
        return _encoder.encode(event_message(events[0]))
    return _encoder.encode({"type": "events", "events": [event_message(e) for e in events]})


def visible(events: Iterable[Event], audience: Audience, user_id: str | None) -> list[Event]:
    out = []
    for e in events:
        seen = project(e, audience, user_id)
        if seen is not None:
            out.append(seen)
    return out


class Hub:
    """Subscribers by meeting, and the fan-out of committed batches to them."""

    def __init__(self) -> None:
        self._subs: dict[str, dict[int, Subscriber]] = {}
        self.frames_sent = 0
        self.dropped = 0

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
        subs = self._subs.get(meeting_id)
        if not subs or not events:
            return
        private = {e.user for e in events if e.user is not None}
        frames: dict[tuple[Audience, str | None], bytes | None] = {}
        behind: list[Subscriber] = []
        for sub in subs.values():
            key = (sub.audience, sub.user_id if sub.user_id in private else None)
            if key in frames:
                frame = frames[key]
            else:
                shown = visible(events, key[0], key[1])
                frame = frames[key] = encode_batch(shown) if shown else None
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
