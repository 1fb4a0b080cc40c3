"""The open WebSockets of paired tablets, by device: a revoked device is cut off at once.

Revocation reaches this registry twice, and either is enough: directly from the revoke
(and pair) routes of this process, and from the log (`device.revoked`, or `device.paired`
with the tablets it `replaced`) for revocations made by another server process. Each time
the device's cached tokens are forgotten and its connections closed with 4003.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from meeting.domain import Event

from .auth import Authenticator

__all__ = ["DeviceSockets"]

_REMEMBERED = 10_000
"""Revoked device ids kept to refuse a socket that was joining while its device was revoked."""


class DeviceConnection(Protocol):
    def device_revoked(self) -> None: ...


class DeviceSockets:
    def __init__(self, auth: Authenticator) -> None:
        self._auth = auth
        self._open: dict[str, set[DeviceConnection]] = {}
        self._revoked: dict[str, None] = {}

    def add(self, device_id: str, conn: DeviceConnection) -> bool:
        """Track a connection of `device_id`; False when that device is revoked already."""
        if device_id in self._revoked:
            return False
        self._open.setdefault(device_id, set()).add(conn)
        return True

    def remove(self, device_id: str, conn: DeviceConnection) -> None:
        conns = self._open.get(device_id)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del self._open[device_id]

    def count(self, device_id: str) -> int:
        return len(self._open.get(device_id, ()))

    def revoked(self, device_ids: Iterable[str]) -> None:
        """These devices are revoked: forget their tokens and close their connections."""
        for device_id in device_ids:
            self._auth.forget_device(device_id)
            self._revoked[device_id] = None
            if len(self._revoked) > _REMEMBERED:
                del self._revoked[next(iter(self._revoked))]
            for conn in self._open.pop(device_id, set()):
                conn.device_revoked()

    def committed(self, meeting_id: str, events: list[Event]) -> None:
        """`Engines.after_commit` observer: act on the revocations among a batch's events
        (this process's commits, and the batches it reads that other processes wrote)."""
        for e in events:
            if e.name == "device.revoked":
                self.revoked([e.data["device_id"]])
            elif e.name == "device.paired" and e.data["replaced"]:
                self.revoked(e.data["replaced"])
