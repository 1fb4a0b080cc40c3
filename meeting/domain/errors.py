"""The domain's refusals: one exception type with a stable machine code.

The codes are part of the wire protocol (`error.code`); never rename one.
"""

from __future__ import annotations

__all__ = [
    "INVALID_ARGS",
    "INVALID_STATE",
    "NOT_ALLOWED",
    "NOT_FOUND",
    "UNKNOWN_COMMAND",
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


class DomainError(Exception):
    """A command was refused by the rules; nothing was recorded."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r})"
