"""The paired tablets of a meeting, as its log records them, and the ballot-binding setting.

Held in `Meeting.devices` and built only by the `apply` handlers of `devices`. The server's
store of devices and tokens is what signs a tablet in; this is the record of it for staff,
and the setting the rules read. This module imports nothing of ours, since `model` imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["Devices", "PairedDevice"]


@dataclass(frozen=True, slots=True)
class PairedDevice:
    """A tablet signed in with a pairing code as one delegate of this meeting."""

    device_id: str
    user_id: str
    name: str
    paired_at: str
    paired_by: str


def _no_devices() -> Mapping[str, PairedDevice]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Devices:
    ballots_from_paired_device: bool = False
    """When set, a delegate's ballot counts only from her paired tablet (not from a
    username-and-password sign-in on any browser)."""
    paired: Mapping[str, PairedDevice] = field(default_factory=_no_devices)
    """The devices in use, by id; a revoked or replaced device leaves."""
