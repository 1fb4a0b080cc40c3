"""Failed attempts per client, in a sliding window: the brake on guessing pairing codes.

In memory, per server process: a client that fails too often is refused for a while, even
with a right code, so that guessing costs time. Bounded, like every limit: past
`max_clients` the oldest clients are forgotten first.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

__all__ = ["FailedAttempts"]


class FailedAttempts:
    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, client: str) -> deque[float] | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        horizon = self._clock() - self.window
        while failures and failures[0] <= horizon:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        return failures

    def blocked(self, client: str) -> bool:
        """True while `client` has `limit` failures within the window."""
        failures = self._recent(client)
        return failures is not None and len(failures) >= self.limit

    def fail(self, client: str) -> None:
        failures = self._recent(client)
        if failures is None:
            if len(self._failures) >= self._max_clients:
                del self._failures[next(iter(self._failures))]
            failures = self._failures[client] = deque(maxlen=self.limit)
        failures.append(self._clock())
