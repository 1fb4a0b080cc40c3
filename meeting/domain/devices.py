"""Paired tablets: the record of each pairing and revocation, and ballots bound to them.

A tablet is paired by the server's pairing route (a code the clerk issued, and the
delegate's PIN), and revoked by the staff's revoke route; each route then records what it
did with `device.pair` or `device.revoke`, which only the server itself may send. The code
and the PIN never reach these commands: the log says who, which device and by whom, nothing
that would sign anyone in.

`device.set_binding` is the sitting's setting "ballots only from the paired device". The
API knows which device a command comes from and adds the `PAIRED_DEVICE` proof when it is
the sender's own tablet paired for this meeting; `vote.cast` reads the setting and the
proof (`check_ballot_device`), like it reads the "pin" proof.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from . import errors
from .apply import on, set_in, without
from .commands import Id
from .decide import SERVER, STAFF, Context, command
from .devices_state import PairedDevice
from .errors import DomainError
from .events import Draft, Event
from .model import Actor, Audience, Meeting, Role
from .views import snapshot_part

__all__ = ["PAIRED_DEVICE", "BindBallots", "PairDevice", "RevokeDevice", "check_ballot_device"]

PAIRED_DEVICE = "paired_device"
"""The proof the API adds to a command sent with a token of the sender's paired tablet."""

DeviceName = Annotated[str, Meta(min_length=1, max_length=100)]


class _Args(msgspec.Struct, forbid_unknown_fields=True):
    pass


class PairDevice(_Args):
    """What the pairing route did: this device now speaks for this delegate."""

    device_id: Id
    user_id: Id
    name: DeviceName
    paired_by: Id


class RevokeDevice(_Args):
    """What the revoke route did: this device's tokens no longer work."""

    device_id: Id
    revoked_by: Id


class BindBallots(_Args):
    """`true`: a delegate's ballot counts only from her paired tablet."""

    ballots_from_paired_device: bool


def check_ballot_device(state: Meeting, actor: Actor) -> None:
    """Refuse a ballot from anything but the voter's paired tablet, when the sitting says so."""
    if state.devices.ballots_from_paired_device and PAIRED_DEVICE not in actor.proofs:
        raise DomainError(
            errors.DEVICE_NOT_PAIRED, "ballots in this sitting come only from your paired tablet"
        )


@command("device.pair", PairDevice, SERVER)
def _pair(state: Meeting, actor: Actor, args: PairDevice, ctx: Context) -> list[Draft]:
    """Record a tablet paired with a code and PIN (sent by `POST /api/auth/pair`)."""
    member = state.members.get(args.user_id)
    if member is None or Role.DELEGATE not in member.roles:
        raise DomainError(errors.NOT_FOUND, f"no delegate {args.user_id!r} in this meeting")
    if args.device_id in state.devices.paired:
        raise DomainError(errors.INVALID_STATE, "this device is paired already")
    # Pairing a new tablet retires the delegate's earlier one: one delegate, one tablet.
    replaced = sorted(
        d.device_id for d in state.devices.paired.values() if d.user_id == args.user_id
    )
    data = {
        "device_id": args.device_id,
        "user_id": args.user_id,
        "name": args.name,
        "paired_by": args.paired_by,
        "replaced": replaced,
    }
    return [Draft("device.paired", data, Audience.STAFF)]


@command("device.revoke", RevokeDevice, SERVER)
def _revoke(state: Meeting, actor: Actor, args: RevokeDevice, ctx: Context) -> list[Draft]:
    """Record a revoked tablet (sent by `POST …/devices/{device_id}/revoke`)."""
    device = state.devices.paired.get(args.device_id)
    if device is None:
        raise DomainError(errors.NOT_FOUND, f"no paired device {args.device_id!r}")
    data = {
        "device_id": device.device_id,
        "user_id": device.user_id,
        "revoked_by": args.revoked_by,
    }
    return [Draft("device.revoked", data, Audience.STAFF)]


@command("device.set_binding", BindBallots, STAFF)
def _bind(state: Meeting, actor: Actor, args: BindBallots, ctx: Context) -> list[Draft]:
    """Take ballots only from each delegate's paired tablet (or from any signed-in device)."""
    if args.ballots_from_paired_device == state.devices.ballots_from_paired_device:
        raise DomainError(errors.INVALID_STATE, "the setting is that already")
    data = {"ballots_from_paired_device": args.ballots_from_paired_device}
    return [Draft("device.binding_set", data)]


@on("device.paired")
def _paired(state: Meeting, e: Event) -> Meeting:
    d = e.data
    paired = state.devices.paired
    for old in d["replaced"]:
        paired = without(paired, old)
    device = PairedDevice(d["device_id"], d["user_id"], d["name"], e.at, d["paired_by"])
    paired = set_in(paired, device.device_id, device)
    return replace(state, devices=replace(state.devices, paired=paired))


@on("device.revoked")
def _revoked(state: Meeting, e: Event) -> Meeting:
    paired = without(state.devices.paired, e.data["device_id"])
    return replace(state, devices=replace(state.devices, paired=paired))


@on("device.binding_set")
def _binding_set(state: Meeting, e: Event) -> Meeting:
    bound = bool(e.data["ballots_from_paired_device"])
    return replace(state, devices=replace(state.devices, ballots_from_paired_device=bound))


@snapshot_part
def _devices_view(state: Meeting, audience: Audience, user_id: str | None) -> dict[str, Any]:
    paired = None
    if audience is Audience.STAFF:
        devices = sorted(state.devices.paired.values(), key=lambda d: (d.paired_at, d.device_id))
        paired = [
            {
                "device_id": d.device_id,
                "user_id": d.user_id,
                "name": d.name,
                "paired_at": d.paired_at,
                "paired_by": d.paired_by,
            }
            for d in devices
        ]
    view = {
        "ballots_from_paired_device": state.devices.ballots_from_paired_device,
        "paired": paired,
    }
    return {"devices": view}
