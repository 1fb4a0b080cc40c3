"""A sitting with a clock the test moves, for the floor's timers (domain only, no I/O)."""

from __future__ import annotations

from typing import Any

from meeting.domain import Actor, Command, Context, Event, apply, deadlines, decide
from meeting.domain.times import add_seconds, seconds_between
from tests.sitting import Sitting

SERVER = Actor(None, is_server=True)
START = "2026-12-01T08:00:00.000Z"


class Clocked(Sitting):
    """`Sitting` whose commands happen at `self.now`; `tick` moves it, `fire` runs the
    earliest deadline as the engine would (at its time, as the server)."""

    def __init__(self, meeting_id: str = "m1") -> None:
        super().__init__(meeting_id)
        self.now = START

    def tick(self, seconds: float) -> str:
        self.now = add_seconds(self.now, seconds)
        return self.now

    def run(self, actor: Actor, name: str, **args: Any) -> list[Event]:
        return self.send(actor, name, args)

    def send(self, actor: Actor, name: str, args: dict[str, Any]) -> list[Event]:
        self._ids += 1
        ctx = Context(self.meeting_id, self.now, f"i{self._ids}")
        out = []
        for draft in decide(self.state, actor, Command(name, args), ctx):
            seq = len(self.log) + 1
            event = Event.from_draft(
                draft, meeting_id=self.meeting_id, seq=seq, at=self.now, actor=actor.user_id
            )
            self.state = apply(self.state, event)
            self.log.append(event)
            out.append(event)
        return out

    def fire(self) -> list[Event]:
        """Move the clock to the earliest pending deadline and send its command."""
        first = deadlines(self.state)[0]
        if seconds_between(self.now, first.at) > 0:
            self.now = first.at
        return self.send(SERVER, first.name, first.args)

    def opened(self, delegates: int = 5) -> Clocked:
        """Created, with one public and one closed-session item, the sitting open."""
        self.create(delegates)
        self.run(Actor("clerk"), "agenda.add_item", title="Báo cáo kinh tế - xã hội")
        self.run(Actor("clerk"), "agenda.add_item", title="Nhân sự", access="delegates")
        self.run(Actor("chair"), "sitting.open")
        return self

    @property
    def items(self) -> list[str]:
        return list(self.state.order)
