"""When to reconnect after a close, and how long to wait first: pure policy, no sleeping.

The close codes are those of ``docs/protocol.md``. A code that reconnecting cannot fix
(bad token, no such meeting, a broken client) stops the client; a restart or a "fell
behind" reconnects at once; anything else (a dropped network) backs off.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Iterator

from ._exceptions import AuthError, Disconnected, MeetingClientError

__all__ = ["Reconnect", "after_close", "backoff_delays", "error_for_close"]

CLOSE_NORMAL = 1000
CLOSE_ABNORMAL = 1006  # no close frame: the network dropped
CLOSE_TOO_BIG = 1009
CLOSE_RESTART = 1012
CLOSE_BAD_TOKEN = 4001
CLOSE_HELLO_EXPECTED = 4002
CLOSE_NO_MEETING = 4004
CLOSE_FELL_BEHIND = 4008
CLOSE_REJOIN = 4009  # the user's roles changed: rejoin to get the new audience

# 1009 is not retried: the same oversized frame would be sent or replayed again.
_FINAL = frozenset({CLOSE_BAD_TOKEN, CLOSE_HELLO_EXPECTED, CLOSE_NO_MEETING, CLOSE_TOO_BIG})
_PROMPT = frozenset({CLOSE_RESTART, CLOSE_FELL_BEHIND, CLOSE_REJOIN})


class Reconnect(enum.Enum):
    STOP = "stop"
    PROMPTLY = "promptly"
    BACK_OFF = "back_off"


def after_close(code: int) -> Reconnect:
    """What to do after the server (or the network) closed the connection with ``code``."""
    if code in _FINAL:
        return Reconnect.STOP
    if code in _PROMPT:
        return Reconnect.PROMPTLY
    return Reconnect.BACK_OFF


def error_for_close(code: int, reason: str) -> MeetingClientError:
    """The error that ends a client stopped by close ``code``."""
    if code == CLOSE_BAD_TOKEN:
        return AuthError(f"the server refused the token (close {code}) {reason}".rstrip())
    return Disconnected(code, reason)


def backoff_delays(
    first: float,
    cap: float,
    *,
    prompt: bool = False,
    rng: Callable[[], float] = random.random,
) -> Iterator[float]:
    """Yield the wait before each reconnection attempt, without end.

    Exponential from ``first``, never above ``cap``, each wait jittered into its upper
    half so that a hall of tablets dropped together does not return together. With
    ``prompt`` the first attempt comes within ``first`` seconds.
    """
    if prompt:
        yield min(first, cap) * rng()
    delay = first
    while True:
        yield min(delay, cap) * (0.5 + rng() / 2)
        delay *= 2
