"""Events: what `decide` proposes (`Draft`) and what the log holds (`Event`).

An event's `audience` is the narrowest audience that may see it; `user`, when set, makes the
event private to that one user. Both are fixed when the event is decided and stored with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Audience

__all__ = ["Draft", "Event"]


@dataclass(frozen=True, slots=True)
class Draft:
    """An event proposed by `decide`, before the engine gives it a `seq` and a time."""

    name: str
    data: dict[str, Any]
    audience: Audience = Audience.PUBLIC
    user: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of a meeting's log."""

    meeting_id: str
    seq: int
    name: str
    at: str
    actor: str | None
    data: dict[str, Any]
    audience: Audience = Audience.PUBLIC
    user: str | None = None

    @classmethod
    def from_draft(
        cls, draft: Draft, *, meeting_id: str, seq: int, at: str, actor: str | None
    ) -> Event:
        return cls(meeting_id, seq, draft.name, at, actor, draft.data, draft.audience, draft.user)

    def canonical(self) -> dict[str, Any]:
        """The fields covered by the hash chain, as plain JSON values."""
        return {
            "meeting_id": self.meeting_id,
            "seq": self.seq,
            "name": self.name,
            "at": self.at,
            "actor": self.actor,
            "audience": self.audience.value,
            "user": self.user,
            "data": self.data,
        }
