"""Futures parked until the client reaches a ``seq`` or applies a matching event.

The reader resolves them as frames are applied, so a wait costs nothing until the thing
it waits for happens: no polling, no sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TypeVar

from ._exceptions import Timeout
from ._messages import Event

__all__ = ["EventPredicate", "Waiters", "bounded"]

EventPredicate = Callable[[Event], bool]
T = TypeVar("T")


class Waiters:
    """The open waits of one client."""

    def __init__(self) -> None:
        self._for_seq: list[tuple[int, asyncio.Future[int]]] = []
        self._for_event: list[tuple[EventPredicate, asyncio.Future[Event]]] = []

    def for_seq(self, seq: int) -> asyncio.Future[int]:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._for_seq.append((seq, future))
        return future

    def for_event(self, predicate: EventPredicate) -> asyncio.Future[Event]:
        future: asyncio.Future[Event] = asyncio.get_running_loop().create_future()
        self._for_event.append((predicate, future))
        return future

    def notify(self, seq: int, applied: Sequence[Event]) -> None:
        """Resolve the waits satisfied now that ``seq`` is reached and ``applied`` is in."""
        if self._for_seq:
            waiting = []
            for target, future in self._for_seq:
                if future.done():
                    continue
                if seq >= target:
                    future.set_result(seq)
                else:
                    waiting.append((target, future))
            self._for_seq = waiting
        if self._for_event and applied:
            self._for_event = [
                (predicate, future)
                for predicate, future in self._for_event
                if not _settle(predicate, future, applied)
            ]

    def fail(self, error: BaseException) -> None:
        """End every open wait with ``error``."""
        for _, seq_future in self._for_seq:
            if not seq_future.done():
                seq_future.set_exception(error)
        for _, event_future in self._for_event:
            if not event_future.done():
                event_future.set_exception(error)
        self._for_seq = []
        self._for_event = []


def _settle(
    predicate: EventPredicate, future: asyncio.Future[Event], applied: Sequence[Event]
) -> bool:
    """Resolve ``future`` with the first event of ``applied`` that matches; True if done."""
    if future.done():
        return True
    for event in applied:
        try:
            matched = predicate(event)
        except Exception as exc:
            # The caller's predicate is broken: tell the caller, not the reader.
            future.set_exception(exc)
            return True
        if matched:
            future.set_result(event)
            return True
    return False


async def bounded(future: asyncio.Future[T], seconds: float, what: str) -> T:
    """Await ``future`` for at most ``seconds``, else raise ``Timeout``."""
    try:
        async with asyncio.timeout(seconds):
            return await future
    except TimeoutError as exc:
        raise Timeout(f"{what} did not come within {seconds} s") from exc
