"""The client's copy of one meeting: the last applied ``seq``, the events, the snapshot.

Pure and synchronous: it is told what arrived and decides what to keep. It owns the one
rule that makes resuming safe, "apply in order, ignore any ``seq`` at or below the last
one applied", and must never do I/O or know about sockets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._messages import Event, Welcome

__all__ = ["Replica"]


class Replica:
    """What a client has applied of one meeting, by ``seq``."""

    def __init__(self, since: int | None = None) -> None:
        self.seq = since if since is not None else 0
        self.you: dict[str, Any] | None = None
        self.snapshot: dict[str, Any] | None = None
        self.events: list[Event] = []
        # Without a ``since`` the first hello asks for a snapshot, later ones resume.
        self._resuming = since is not None

    @property
    def since(self) -> int | None:
        """The ``since`` to put in the next ``hello``."""
        return self.seq if self._resuming else None

    def welcome(self, welcome: Welcome) -> dict[str, Any] | None:
        """Take a ``welcome``; return its snapshot when it carries one."""
        self.you = welcome.you
        self._resuming = True
        if welcome.snapshot is None:
            return None
        # A snapshot is the whole truth at its seq, even one below ours (lost server data).
        self.snapshot = welcome.snapshot
        self.seq = welcome.seq
        return welcome.snapshot

    def apply(self, batch: Iterable[Event]) -> list[Event]:
        """Apply the events newer than ``seq``, in order; return those applied."""
        applied: list[Event] = []
        for event in batch:
            seq: int = event["seq"]
            if seq > self.seq:
                self.seq = seq
                self.events.append(event)
                applied.append(event)
        return applied
