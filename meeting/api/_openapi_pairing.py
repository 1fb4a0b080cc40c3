"""The pairing, device and roster routes for the OpenAPI document (`pairing`)."""

from __future__ import annotations

import msgspec

from ._components import Schema, ref
from ._openapi import _MEETING_ID, _REQUIRED, _op, _query
from .pairing import IssueBody, PairBody

__all__ = ["PAIRING_TYPES", "pairing_paths"]


class _Out(msgspec.Struct, forbid_unknown_fields=True):
    pass


class PairingCode(_Out):
    """A new pairing code for one delegate; earlier codes of hers in this meeting are void."""

    code: str
    """`ABCD-EFGH`: 8 characters without look-alikes (case, spaces and dashes are ignored)."""
    user_id: str
    name: str
    seat: int | None
    issued_at: str
    expires_at: str
    url: str
    """The delegate tablet's page with the code filled in (`?pair=…`)."""
    qr_svg: str
    """`url` as a QR code, an SVG document that scales to any size."""


class PairedUser(_Out):
    id: str
    name: str
    is_admin: bool


class PairedDeviceRef(_Out):
    id: str
    name: str


class PairResult(_Out):
    """The tablet's token (bound to its new device) and the meeting it was paired for."""

    token: str
    user: PairedUser
    meeting_id: str
    device: PairedDeviceRef


class DeviceInfo(_Out):
    device_id: str
    user_id: str
    user_name: str
    seat: int | None
    name: str
    paired_at: str
    paired_by: str
    revoked_at: str | None
    revoked_by: str | None


class DeviceList(_Out):
    devices: list[DeviceInfo]


class DeviceResult(_Out):
    device: DeviceInfo


class ImportFailure(_Out):
    row: int | None
    column: str | None
    message: str


class RosterResult(_Out):
    """What a roster import did: rows in the roster, fresh PINs to hand out (shown once),
    existing accounts left as they were."""

    imported: int
    failed: list[ImportFailure]
    pins: dict[str, str]
    kept: list[str]
    seq: int


PAIRING_TYPES = [
    IssueBody,
    PairBody,
    PairingCode,
    PairResult,
    DeviceList,
    DeviceResult,
    RosterResult,
]

_STAFF_CODES = ("not_found", "unauthorized", "not_allowed")
_PAIR_CODES = (
    "bad_json",
    "bad_message",
    "too_large",
    "pairing_invalid",
    "too_many_attempts",
    "not_found",
)
_ALL = _query("all", {"type": "string", "enum": ["1", "true"]}, "Include revoked devices.")
_DEVICE_ID = {
    "name": "device_id",
    "in": "path",
    "required": True,
    "description": "The device's id (from the device list).",
    "schema": {"type": "string"},
}


def pairing_paths() -> dict[str, Schema]:
    return {
        "/api/auth/pair": {
            "post": _op(
                "pair",
                "Sign a tablet in with a pairing code and the delegate's PIN.",
                {"200": ("paired: a token bound to a new device", ref("PairResult"))},
                (
                    "bad_json",
                    "bad_message",
                    "too_large",
                    "pairing_invalid",
                    "too_many_attempts",
                    "not_found",
                ),
                body="PairBody",
                security=None,
                description=(
                    "The code is single use and expires after MEETING_PAIRING_CODE_TTL "
                    "seconds. Wrong PINs void the code after MEETING_PAIRING_CODE_ATTEMPTS; "
                    "a client address with MEETING_PAIRING_CLIENT_ATTEMPTS failures in ten "
                    "minutes is refused. The delegate's earlier tablet in the meeting is "
                    "revoked. Neither the code nor the PIN is ever logged."
                ),
            )
        },
        "/api/meetings/{meeting_id}/pairing": {
            "post": _op(
                "issuePairingCode",
                "Staff: a pairing code (and its QR code) for one delegate of the meeting.",
                {"201": ("the code, to show on the clerk's desk", ref("PairingCode"))},
                (*_STAFF_CODES, "bad_json", "bad_message", "too_large"),
                body="IssueBody",
                params=[_MEETING_ID],
                security=_REQUIRED,
            )
        },
        "/api/meetings/{meeting_id}/devices": {
            "get": _op(
                "listDevices",
                "Staff: the meeting's paired tablets (with `all=1`, the revoked ones too).",
                {"200": ("the devices, oldest pairing first", ref("DeviceList"))},
                _STAFF_CODES,
                params=[
                    _MEETING_ID,
                    _query(
                        "all", {"type": "string", "enum": ["1", "true"]}, "Include revoked devices."
                    ),
                ],
                security=_REQUIRED,
            )
        },
        "/api/meetings/{meeting_id}/roster": {"post": _roster_op()},
        "/api/meetings/{meeting_id}/devices/{device_id}/revoke": {
            "post": _op(
                "revokeDevice",
                "Staff: revoke a tablet; its tokens stop and its WebSocket closes (4003).",
                {"200": ("revoked (or revoked before)", ref("DeviceResult"))},
                _STAFF_CODES,
                params=[_MEETING_ID, _DEVICE_ID],
                security=_REQUIRED,
            )
        },
    }


def _roster_op() -> Schema:
    op = _op(
        "importRoster",
        "The clerk imports delegates from a CSV or JSON file (seat, name, username, roles, pin).",
        {"200": ("imported", ref("RosterResult"))},
        (*_STAFF_CODES, "too_large", "invalid_import"),
        params=[_MEETING_ID],
        security=_REQUIRED,
        description=(
            "Checked whole first: a file with any problem is refused (422 `invalid_import`, "
            "every problem with its row and column) and nothing is kept. New people get an "
            "account with the file's PIN or a fresh one (returned once in `pins`); a clerk "
            "never changes an existing account (`kept`) and imports delegates and observers "
            "only. Each row becomes a `member.set` sent as the clerk."
        ),
    )
    text = {"schema": {"type": "string"}}
    op["requestBody"] = {"required": True, "content": {"text/csv": text, "application/json": text}}
    return op
