"""Build sittings with the domain alone: a tiny in-memory engine for unit tests."""

from __future__ import annotations

from typing import Any

from meeting.domain import (
    EMPTY,
    Actor,
    Command,
    Context,
    Draft,
    Event,
    Meeting,
    apply,
    decide,
)
from meeting.domain.apply import apply_unlogged

ADMIN = Actor("admin", is_admin=True)
CHAIR = Actor("chair")
CLERK = Actor("clerk")
OBSERVER = Actor("obs")


def delegate(n: int) -> Actor:
    return Actor(f"d{n:02d}")


def roster(delegates: int = 5) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = [
        {"user_id": "chair", "name": "Trịnh Minh Châu", "roles": ["chair", "delegate"], "seat": 1},
        {"user_id": "clerk", "name": "Nguyễn Thị Hà", "roles": ["clerk"]},
        {"user_id": "obs", "name": "Màn hình hội trường", "roles": ["observer"]},
    ]
    for n in range(1, delegates + 1):
        people.append(
            {"user_id": f"d{n:02d}", "name": f"Đại biểu {n}", "roles": ["delegate"], "seat": n + 1}
        )
    return people


class Sitting:
    """A log and its folded state, driven through `decide` and `apply` like the engine."""

    def __init__(self, meeting_id: str = "m1") -> None:
        self.meeting_id = meeting_id
        self.state: Meeting = EMPTY
        self.log: list[Event] = []
        self.secret: list[Draft] = []
        """Secret drafts (running totals): applied like the engine does, never logged."""
        self._ids = 0

    def run(self, actor: Actor, name: str, /, **args: Any) -> list[Event]:
        self._ids += 1
        ctx = Context(self.meeting_id, f"2026-12-01T08:00:{self._ids % 60:02d}Z", f"i{self._ids}")
        drafts = decide(self.state, actor, Command(name, args), ctx)
        out = []
        for d in drafts:
            if d.secret:
                self.state = apply_unlogged(self.state, d)
                self.secret.append(d)
                continue
            e = Event.from_draft(
                d,
                meeting_id=self.meeting_id,
                seq=len(self.log) + 1,
                at=ctx.now,
                actor=actor.user_id,
            )
            self.state = apply(self.state, e)
            self.log.append(e)
            out.append(e)
        return out

    def roll_call(self) -> Sitting:
        """The clerk records every delegate present (the quorum votes need)."""
        for m in self.state.delegates:
            self.run(CLERK, "attendance.record", user_id=m.user_id, presence="present")
        return self

    def create(self, delegates: int = 5) -> Sitting:
        self.run(
            ADMIN,
            "meeting.create",
            body={"id": "hdnd", "name": "HĐND tỉnh Thanh Hóa", "seats": delegates + 1},
            title="Kỳ họp thứ 2, phiên 1",
            members=roster(delegates),
        )
        return self
