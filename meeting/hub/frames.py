"""The frames of one committed batch: each event encoded once per audience, spliced per user.

A batch of 500 named ballots holds 500 events private to one voter each: encoding a whole
frame for every voter cost a quarter of the burst. Here every event is encoded once (per
audience that sees it) and each connection's frame is the join of the pieces it may see.
The bytes are exactly those of `encode_batch` over the same events.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from meeting.domain import Audience, Event, project

__all__ = ["BatchFrames", "encode_batch", "event_message"]

_encoder = msgspec.json.Encoder()
_HEAD = b'{"type":"events","events":['
_TAIL = b"]}"


def event_message(event: Event) -> dict[str, object]:
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
    return _join([_encoder.encode(event_message(e)) for e in events])


def _join(pieces: list[bytes]) -> bytes:
    if len(pieces) == 1:
        return pieces[0]
    return _HEAD + b",".join(pieces) + _TAIL


class BatchFrames:
    """Frames of `events` for (audience, user) pairs, built lazily and kept for reuse."""

    def __init__(self, events: Sequence[Event]) -> None:
        self._events = events
        self._private = {e.user for e in events if e.user is not None}
        self._shared: dict[Audience, list[tuple[int, bytes]]] = {}
        self._mine: dict[str, list[tuple[int, bytes]]] = {}
        self._frames: dict[tuple[Audience, str | None], bytes | None] = {}

    def frame(self, audience: Audience, user_id: str | None) -> bytes | None:
        key = (audience, user_id if user_id in self._private else None)
        if key not in self._frames:
            pieces = self._pieces(audience, key[1])
            self._frames[key] = _join([p for _, p in pieces]) if pieces else None
        return self._frames[key]

    def _pieces(self, audience: Audience, user_id: str | None) -> list[tuple[int, bytes]]:
        shared = self._shared.get(audience)
        if shared is None:
            shared = self._shared[audience] = [
                (e.seq, _encoder.encode(event_message(seen)))
                for e in self._events
                if e.user is None and (seen := project(e, audience)) is not None
            ]
        if user_id is None:
            return shared
        mine = self._mine.get(user_id)
        if mine is None:
            mine = self._mine[user_id] = [
                (e.seq, _encoder.encode(event_message(e)))
                for e in self._events
                if e.user == user_id
            ]
        return sorted(shared + mine)
