"""The domain's refusals: one exception type with a stable machine code.

The codes are part of the wire protocol (`error.code`); never rename one.
"""

from __future__ import annotations

__all__ = [
    "ALREADY_VOTED",
    "DEVICE_NOT_PAIRED",
    "INVALID_ARGS",
    "INVALID_STATE",
    "NOT_ALLOWED",
    "NOT_ENTITLED",
    "NOT_FOUND",
    "NO_QUORUM",
    "PIN_REQUIRED",
    "UNKNOWN_COMMAND",
    "VOTE_CLOSED",
    "VOTE_OPEN",
    "DomainError",
]

NOT_ALLOWED = "not_allowed"
"""The actor's roles do not permit this command."""
INVALID_STATE = "invalid_state"
"""The command is well formed but the sitting is not in a state that accepts it."""
NOT_FOUND = "not_found"
"""The command names something (an item, a member) that does not exist."""
INVALID_ARGS = "invalid_args"
"""The command's arguments are missing, of the wrong type or out of range."""
UNKNOWN_COMMAND = "unknown_command"
"""No command has this name."""
VOTE_CLOSED = "vote_closed"
"""The ballot came after the vote closed (or before it opened); it was not counted."""
ALREADY_VOTED = "already_voted"
"""This delegate's ballot in this vote is recorded already and cannot be changed."""
NOT_ENTITLED = "not_entitled"
"""This person may not vote in this vote (not a delegate of it when it opened)."""
PIN_REQUIRED = "pin_required"
"""This vote asks for the delegate's PIN with the ballot."""
DEVICE_NOT_PAIRED = "device_not_paired"
"""This sitting takes ballots only from the delegate's paired tablet, and this is not it."""
NO_QUORUM = "no_quorum"
"""The vote cannot open: fewer delegates are present than the quorum requires."""
VOTE_OPEN = "vote_open"
"""The sitting cannot close while a vote is open: close it (or enter its counts) first."""


class DomainError(Exception):
    """A command was refused by the rules; nothing was recorded."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r})"
