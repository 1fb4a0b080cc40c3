"""The commands sent and not yet answered, by their client-chosen id.

An entry keeps the encoded frame so that, after a reconnection, the very same command
(same id, same bytes) goes again: the server answers a repeated id with the original
outcome, so the caller waiting on it learns what happened to its one command.
"""

from __future__ import annotations

import asyncio

from ._exceptions import CommandError
from ._messages import Ack, CommandResult, ErrorReply

__all__ = ["InFlight"]


class InFlight:
    """Futures of commands awaiting their ``ack`` or ``error``."""

    def __init__(self) -> None:
        self._by_id: dict[str, tuple[bytes, asyncio.Future[CommandResult]]] = {}

    def add(self, command_id: str, frame: bytes) -> asyncio.Future[CommandResult]:
        if command_id in self._by_id:
            raise ValueError(f"command {command_id!r} is already in flight")
        future: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
        self._by_id[command_id] = (frame, future)
        return future

    def discard(self, command_id: str, future: asyncio.Future[CommandResult]) -> None:
        """Forget a command whose caller stopped waiting (answered, timed out, cancelled)."""
        entry = self._by_id.get(command_id)
        if entry is not None and entry[1] is future:
            del self._by_id[command_id]

    def frames(self) -> list[bytes]:
        """The frames to send again on a new connection, oldest first."""
        return [frame for frame, _ in self._by_id.values()]

    def answer(self, answer: Ack | ErrorReply) -> bool:
        """Resolve the command ``answer`` refers to; False when none is waiting."""
        entry = self._by_id.pop(answer.id, None) if answer.id is not None else None
        if entry is None:
            return False
        future = entry[1]
        if not future.done():
            if isinstance(answer, Ack):
                future.set_result(CommandResult(answer.id, answer.seq, answer.result))
            else:
                future.set_exception(CommandError(answer.code, answer.message, answer.id))
        return True

    def fail(self, error: BaseException) -> None:
        """End every command still waiting with ``error``."""
        for _, future in self._by_id.values():
            if not future.done():
                future.set_exception(error)
        self._by_id.clear()
