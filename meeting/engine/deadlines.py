"""One timer per meeting for the earliest deadline of its state (vote timers, speaking time).

The server's clock decides: when the timer fires, the server sends itself the deadline's
command through the meeting's writer, like anyone else's. A refusal (it fired a hair early,
or the deadline was met already, perhaps by another process) looks again a moment later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from meeting.domain import Deadline, Meeting, deadlines
from meeting.domain.times import seconds_between

from .batch import Outcome
from .clock import Clock

__all__ = ["DeadlineTimer"]

_TIMER_SLACK = 0.005
"""Seconds added to a deadline's delay, so the timer does not fire a hair early."""
_RETRY_REFUSED_DEADLINE = 1.0

Send = Callable[[str, dict[str, Any]], "asyncio.Future[Outcome]"]


class DeadlineTimer:
    def __init__(self, clock: Clock, state: Callable[[], Meeting], send: Send) -> None:
        self._clock = clock
        self._state = state
        self._send = send
        self._timer: asyncio.TimerHandle | None = None
        self.running = False
        """Armed only while the meeting's writer runs."""
        self.armed: Deadline | None = None
        """The deadline the timer waits for now (None: no timer is set)."""

    def arm(self) -> None:
        """(Re)arm for the earliest deadline of the current state, if there is one."""
        self.cancel()
        pending = deadlines(self._state())
        if not pending or not self.running:
            return
        first = pending[0]
        delay = max(0.0, seconds_between(self._clock(), first.at)) + _TIMER_SLACK
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(delay, self._fire, first.name, first.args)
        self.armed = first

    def cancel(self) -> None:
        self.armed = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fire(self, name: str, args: dict[str, Any]) -> None:
        self._timer = None
        self.armed = None
        self._send(name, args).add_done_callback(self._after)

    def _after(self, future: asyncio.Future[Outcome]) -> None:
        if not future.result().ok and self._timer is None and self.running:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(_RETRY_REFUSED_DEADLINE, self.arm)
