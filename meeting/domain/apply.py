"""`apply(state, event) -> state`: fold one logged event into the meeting's state.

Pure and total over the events `decide` produces; each area of the rules registers its
handlers here with `on(name)`. Unknown event names raise, since a log that the code cannot
read must never be folded silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TypeVar

from .events import Draft, Event
from .model import EMPTY, Meeting

__all__ = ["APPLIERS", "apply", "apply_unlogged", "fold", "on", "set_in", "without"]

K = TypeVar("K")
V = TypeVar("V")

Applier = Callable[[Meeting, Event], Meeting]
APPLIERS: dict[str, Applier] = {}
UNLOGGED: dict[str, Applier] = {}
"""Handlers of secret drafts: changes to the state that are never logged as events."""


def on(name: str, *, logged: bool = True) -> Callable[[Applier], Applier]:
    def register(fn: Applier) -> Applier:
        (APPLIERS if logged else UNLOGGED)[name] = fn
        return fn

    return register


def apply(state: Meeting, event: Event) -> Meeting:
    applier = APPLIERS.get(event.name)
    if applier is None:
        raise ValueError(f"unknown event {event.name!r} at seq {event.seq}")
    return replace(applier(state, event), seq=event.seq)


def apply_unlogged(state: Meeting, draft: Draft) -> Meeting:
    """Fold a secret draft (running totals) into the state; `seq` does not move."""
    applier = UNLOGGED.get(draft.name)
    if applier is None or not draft.secret:
        raise ValueError(f"{draft.name!r} is not an unlogged change")
    event = Event(state.id, state.seq, draft.name, "", None, draft.data, draft.audience)
    return applier(state, event)


def fold(events: Iterable[Event], state: Meeting = EMPTY) -> Meeting:
    for event in events:
        state = apply(state, event)
    return state


def set_in(mapping: Mapping[K, V], key: K, value: V) -> Mapping[K, V]:
    copy = dict(mapping)
    copy[key] = value
    return MappingProxyType(copy)


def without(mapping: Mapping[K, V], key: K) -> Mapping[K, V]:
    copy = dict(mapping)
    copy.pop(key, None)
    return MappingProxyType(copy)
