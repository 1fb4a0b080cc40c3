"""The device events and the devices' part of the snapshot, declared for the documents."""

from __future__ import annotations

import msgspec

from .catalog import declare, kind

__all__ = ["DevicesView"]

_STAFF = "staff"


class _Data(msgspec.Struct, forbid_unknown_fields=True):
    pass


class DevicePairedData(_Data):
    """Who paired which tablet, and whom she asked; never the code or the PIN."""

    device_id: str
    user_id: str
    name: str
    paired_by: str
    replaced: list[str]
    """The delegate's earlier tablets, revoked by this pairing."""


class DeviceRevokedData(_Data):
    device_id: str
    user_id: str
    revoked_by: str


class BindingSetData(_Data):
    ballots_from_paired_device: bool


class PairedDeviceView(_Data):
    device_id: str
    user_id: str
    name: str
    paired_at: str
    paired_by: str


class DevicesView(_Data):
    """The sitting's ballot binding; for staff, the tablets paired and in use."""

    ballots_from_paired_device: bool
    paired: list[PairedDeviceView] | None


declare(
    kind("device.paired", "A tablet was paired with a delegate (by code and PIN).",
         DevicePairedData, audience=_STAFF),
    kind("device.revoked", "A paired tablet was revoked; its sign-in stopped working.",
         DeviceRevokedData, audience=_STAFF),
    kind("device.binding_set", "Ballots now come only from paired tablets (or from any).",
         BindingSetData),
)  # fmt: skip
