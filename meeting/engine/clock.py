"""The engine's edges to time and randomness, injectable for tests."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "IdSource", "new_id", "utc_now"]

Clock = Callable[[], str]
IdSource = Callable[[], str]


def utc_now() -> str:
    """The server's time as ISO 8601 UTC with milliseconds: `2026-12-01T08:03:12.345Z`."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def new_id() -> str:
    """A short random id for things a command creates (agenda items, …)."""
    return secrets.token_hex(6)
