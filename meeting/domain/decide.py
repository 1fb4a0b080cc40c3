"""`decide(state, actor, command, ctx) -> drafts`: the registry of commands and its entry.

Pure: no I/O, no clock, no randomness. The engine passes the time and a fresh id in `ctx`.
Each area of the rules (`agenda`, …) registers its commands here with `command(...)`: the
roles allowed to send it, its argument schema and its handler. A refusal raises
`DomainError` with a stable code and changes nothing.

A command that creates something names what its ack returns (`Returns`): the id it made,
read from the events it produced (`result_of`), so that a client need not dig it out of the
events, which may arrive before or after the ack, or not at all when a retry is answered
from the recorded outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from . import errors
from .commands import Command
from .errors import DomainError
from .events import Draft
from .model import Actor, Meeting, Role

__all__ = [
    "ADMIN",
    "CHAIR",
    "CLERK",
    "DELEGATE",
    "RULES",
    "SERVER",
    "STAFF",
    "Context",
    "Deadline",
    "Returns",
    "Rule",
    "command",
    "deadline_source",
    "deadlines",
    "decide",
    "result_of",
    "returns",
]


@dataclass(frozen=True, slots=True)
class Context:
    """What the engine passes in: the meeting id, the server's time and a fresh unique id."""

    meeting_id: str
    now: str
    new_id: str


A = TypeVar("A", bound=msgspec.Struct)
Handler = Callable[[Meeting, Actor, Any, Context], list[Draft]]


@dataclass(frozen=True, slots=True)
class Returns:
    """What a command's ack carries: `{key: value}`, the value found at `path` in the `data`
    of the first event named `event` that the command produced (none: no result)."""

    event: str
    path: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.path[-1]

    def of(self, drafts: list[Draft]) -> dict[str, Any] | None:
        for draft in drafts:
            if draft.name == self.event and not draft.secret:
                value: Any = draft.data
                for step in self.path:
                    value = value[step]
                return {self.key: value}
        return None


def returns(event: str, *path: str) -> Returns:
    """`returns("vote.scheduled", "vote_id")`: the ack gives the new vote's id."""
    return Returns(event, path)


@dataclass(frozen=True, slots=True)
class Rule:
    """One command: who may send it, what arguments it takes, what it does, what it returns."""

    name: str
    args: type[msgspec.Struct]
    roles: frozenset[Role]
    handler: Handler
    doc: str
    returns: Returns | None = None


RULES: dict[str, Rule] = {}

STAFF = frozenset({Role.CHAIR, Role.CLERK, Role.ADMIN})
"""Who prepares the agenda: the chair, the clerk, and an administrator setting up."""
CHAIR = frozenset({Role.CHAIR})
ADMIN = frozenset({Role.ADMIN})
CLERK = frozenset({Role.CLERK, Role.ADMIN})
"""Who keeps the record and the body's data: the clerk, and an administrator."""
DELEGATE = frozenset({Role.DELEGATE})
SERVER = frozenset({Role.SERVER})


def command(
    name: str, args: type[A], roles: frozenset[Role], *, result: Returns | None = None
) -> Callable[[Callable[[Meeting, Actor, A, Context], list[Draft]]], Handler]:
    def register(fn: Callable[[Meeting, Actor, A, Context], list[Draft]]) -> Handler:
        handler: Handler = fn
        RULES[name] = Rule(name, args, roles, handler, (fn.__doc__ or "").strip(), result)
        return handler

    return register


def result_of(name: str, drafts: list[Draft]) -> dict[str, Any] | None:
    """What the ack of command `name` returns, given the events it produced."""
    rule = RULES.get(name)
    if rule is None or rule.returns is None:
        return None
    return rule.returns.of(drafts)


def decide(state: Meeting, actor: Actor, command: Command, ctx: Context) -> list[Draft]:
    """Check `command` against the rules and return the events it produces."""
    rule = RULES.get(command.name)
    if rule is None:
        raise DomainError(errors.UNKNOWN_COMMAND, f"unknown command {command.name!r}")
    if not state.created and command.name != "meeting.create":
        raise DomainError(errors.NOT_FOUND, "the meeting does not exist")
    if not (state.roles_of(actor) & rule.roles):
        allowed = ", ".join(sorted(rule.roles))
        raise DomainError(errors.NOT_ALLOWED, f"{command.name} needs the role: {allowed}")
    try:
        args = msgspec.convert(command.args, rule.args)
    except msgspec.ValidationError as exc:
        raise DomainError(errors.INVALID_ARGS, str(exc)) from None
    return rule.handler(state, actor, args, ctx)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A command the server sends itself at `at` (a vote's time is up, a timer runs out).

    The command's handler checks the time again: the server's clock decides, and a deadline
    that fires early is refused and set again.
    """

    at: str
    name: str
    args: dict[str, Any]


DeadlineSource = Callable[[Meeting], list[Deadline]]
DEADLINE_SOURCES: list[DeadlineSource] = []


def deadline_source(fn: DeadlineSource) -> DeadlineSource:
    """Register a function that lists the pending deadlines of one area of the rules."""
    DEADLINE_SOURCES.append(fn)
    return fn


def deadlines(state: Meeting) -> list[Deadline]:
    """Every pending deadline of the meeting, earliest first."""
    found = [d for source in DEADLINE_SOURCES for d in source(state)]
    return sorted(found, key=lambda d: d.at)
