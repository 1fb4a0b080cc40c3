"""Events: what `decide` proposes (`Draft`) and what the log holds (`Event`).

An event's `audience` is the narrowest audience that may see it; `user`, when set, makes the
event private to that one user. Both are fixed when the event is decided and stored with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Audience

__all__ = ["SECRET_TOTALS", "Draft", "Event"]

SECRET_TOTALS = "secret.totals"
"""The name of secret drafts: `{"tally": id, "add": {choice: n}}` adds to running totals,
`{"tally": id, "set": {...}}` restores them from storage, `{"tally": id, "clear": true}`
drops them once the result is logged."""


@dataclass(frozen=True, slots=True)
class Draft:
    """An event proposed by `decide`, before the engine gives it a `seq` and a time."""

    name: str
    data: dict[str, Any]
    audience: Audience = Audience.PUBLIC
    user: str | None = None
    claim: str | None = None
    """A unique key stored with the event (e.g. one ballot per delegate and vote): the
    database refuses a second event with the same claim even if a rule had a bug."""
    secret: bool = False
    """Not an event: a change to secret running totals (named `SECRET_TOTALS`), applied to
    the state and stored only as sums, never in the log."""


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
