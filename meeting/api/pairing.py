"""Tablet pairing: a short code from the clerk's desk and the delegate's PIN sign a tablet in.

A hall of 60 to 500 delegates cannot type usernames. The staff of a meeting issue a code
for one delegate (`POST …/pairing`): 8 characters from an alphabet without look-alikes,
shown large and as a QR code of the tablet's URL with the code filled in. The tablet sends
the code with the delegate's PIN (`POST /api/auth/pair`) and gets a token bound to a new
device record. Codes are single use, expire after `MEETING_PAIRING_CODE_TTL`, are stored
only as SHA-256, and a new code for the same delegate voids the earlier one. Wrong codes
and PINs are counted per code (`MEETING_PAIRING_CODE_ATTEMPTS`, then the code is void) and
per client address (`MEETING_PAIRING_CLIENT_ATTEMPTS` in ten minutes).

The code and the PIN are never logged, audited or stored in clear: the log records only
`device.paired` / `device.revoked` (who, which device, by whom), for staff.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from meeting.domain import Actor, Role
from meeting.domain import errors as domain_errors
from meeting.domain.times import add_seconds
from meeting.engine import MeetingEngine
from meeting.store import DeviceRow, UserRow

from . import errors
from ._caller import meeting_staff
from .http import fail, json, read_body
from .messages import ProtocolError, parse_as
from .qr import qr_svg
from .services import Services, services

__all__ = ["ALPHABET", "CODE_LENGTH", "normalize_code", "pairing_routes"]

log = logging.getLogger("meeting.api")

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read off a screen across a hall is typed right the first time."""
CODE_LENGTH = 8
"""31⁸ ≈ 8.5 · 10¹¹ codes: with the limits per code and per client, guessing is hopeless."""
CLIENT_WINDOW = 600.0
"""Seconds over which a client's failed pairings are counted."""
_SERVER = Actor(None, is_server=True)
_STAFF = frozenset({Role.CHAIR, Role.CLERK, Role.ADMIN})


class IssueBody(msgspec.Struct, forbid_unknown_fields=True):
    user_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class PairBody(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(max_length=32)]
    pin: Annotated[str, msgspec.Meta(max_length=200)]
    device_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] = "Máy tính bảng"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str | None:
    """The code as issued, from what a person typed (any case, spaces or dashes), or None."""
    code = "".join(c for c in typed.upper() if c not in " -\t")
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def shown(code: str) -> str:
    """`ABCD-EFGH`: two groups of four are read out and typed more easily."""
    return f"{code[:4]}-{code[4:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _staff(request: Request, svc: Services) -> tuple[MeetingEngine, UserRow] | Response:
    """The meeting and its staff member behind the request, or the refusal to send."""
    return await meeting_staff(request, svc, _STAFF, "pairing and devices",
                               "only the meeting's staff manage its tablets")  # fmt: skip


async def issue_code(request: Request) -> Response:
    """`POST /api/meetings/{meeting_id}/pairing {user_id}`: a new code for one delegate."""
    svc = services(request)
    found = await _staff(request, svc)
    if isinstance(found, Response):
        return found
    engine, clerk = found
    try:
        body = parse_as(await read_body(request, svc), IssueBody)
    except ProtocolError as exc:
        return fail(exc.code, exc.message)
    member = engine.state.members.get(body.user_id)
    if member is None or Role.DELEGATE not in member.roles:
        return fail(domain_errors.NOT_FOUND, f"no delegate {body.user_id!r} in this meeting")
    if await svc.store.accounts.user(member.user_id) is None:
        return fail(domain_errors.NOT_FOUND, f"{body.user_id!r} has no account to sign in with")
    code = new_code()
    now = svc.engines.clock()
    expires_at = add_seconds(now, svc.settings.pairing_code_ttl)
    await svc.store.devices.issue_code(
        _hash(code),
        engine.meeting_id,
        member.user_id,
        issued_by=clerk.id,
        now=now,
        expires_at=expires_at,
    )
    # Behind a TLS proxy the request's own address may be http:// or an inside name: the
    # setting, when given, is the one tablets can reach.
    base = (svc.settings.public_url or str(request.base_url)).rstrip("/")
    query = urlencode({"m": engine.meeting_id, "pair": code})
    url = f"{base}/app/delegate/?{query}"
    return json(
        {
            "code": shown(code),
            "user_id": member.user_id,
            "name": member.name,
            "seat": member.seat,
            "issued_at": now,
            "expires_at": expires_at,
            "url": url,
            "qr_svg": qr_svg(url, title=member.name),
        },
        201,
    )


async def pair(request: Request) -> Response:
    """`POST /api/auth/pair {code, pin, device_name}`: sign a tablet in as the code's delegate."""
    svc = services(request)
    client = _client(request)
    attempts = svc.pairing_attempts
    if attempts.blocked(client):
        svc.audit.add(errors.TOO_MANY_ATTEMPTS, f"pairing from {client}", "http")
        return fail(errors.TOO_MANY_ATTEMPTS, "too many failed pairings; ask the clerk")
    try:
        body = parse_as(await read_body(request, svc), PairBody)
    except ProtocolError as exc:
        return fail(exc.code, exc.message)
    code = normalize_code(body.code)
    code_hash = _hash(code) if code else None
    row = await svc.store.devices.code(code_hash) if code_hash else None
    now = svc.engines.clock()
    live = row is not None and not row.used and row.expires_at > now
    # The PIN is checked even without a live code, so that both take the same time.
    pin_ok = await svc.auth.check_pin(row.user_id if row and live else "", body.pin)
    if row is None or code_hash is None or not live or not pin_ok:
        attempts.fail(client)
        where = {"meeting_id": row.meeting_id, "user_id": row.user_id} if row else {}
        if row is not None and code_hash is not None and live:
            failures = await svc.store.devices.count_failure(
                code_hash, limit=svc.settings.pairing_code_attempts
            )
            if failures >= svc.settings.pairing_code_attempts:
                svc.audit.add(errors.TOO_MANY_ATTEMPTS, "pairing code void", "http", **where)
                return fail(errors.TOO_MANY_ATTEMPTS, "too many wrong PINs: ask for a new code")
        svc.audit.add(errors.PAIRING_INVALID, "failed pairing", "http", **where)
        return fail(errors.PAIRING_INVALID, "the code is wrong or expired, or the PIN is wrong")
    engine = await svc.engines.get(row.meeting_id)
    user = await svc.store.accounts.user(row.user_id)
    member = engine.state.members.get(row.user_id) if engine else None
    if engine is None or user is None or member is None or Role.DELEGATE not in member.roles:
        return fail(domain_errors.NOT_FOUND, "the code's delegate is no longer in the meeting")
    token, token_hash, _, token_expires = svc.auth.new_token()
    device = DeviceRow(
        f"dev-{secrets.token_hex(8)}",
        row.meeting_id,
        row.user_id,
        body.device_name.strip() or "Máy tính bảng",
        now,
        row.issued_by,
    )
    paired = await svc.store.devices.pair(
        code_hash, device, token_hash, token_expires_at=token_expires
    )
    if paired is None:  # another tablet used the code a moment before
        attempts.fail(client)
        svc.audit.add(errors.PAIRING_INVALID, "pairing code used", "http",
                      meeting_id=row.meeting_id, user_id=row.user_id)  # fmt: skip
        return fail(errors.PAIRING_INVALID, "the code is wrong or expired, or the PIN is wrong")
    svc.device_sockets.revoked(paired.replaced)
    args = {"device_id": device.id, "user_id": device.user_id, "name": device.name,
            "paired_by": device.paired_by}  # fmt: skip
    await _record(engine, f"pair-{device.id}", "device.pair", args)
    return json(
        {
            "token": token,
            "user": {"id": user.id, "name": user.name, "is_admin": user.is_admin},
            "meeting_id": engine.meeting_id,
            "device": {"id": device.id, "name": device.name},
        }
    )


async def _record(engine: MeetingEngine, command_id: str, name: str, args: dict[str, Any]) -> None:
    """Log what a route did; the route's effect stands even if the log refuses (it says why)."""
    outcome = await engine.submit(_SERVER, command_id, name, args, source="http")
    if not outcome.ok:
        log.warning("meeting %s: %s not logged: %s", engine.meeting_id, name, outcome.code)


def _device_view(engine: MeetingEngine, d: DeviceRow) -> dict[str, Any]:
    member = engine.state.members.get(d.user_id)
    return {
        "device_id": d.id,
        "user_id": d.user_id,
        "user_name": member.name if member else d.user_id,
        "seat": member.seat if member else None,
        "name": d.name,
        "paired_at": d.paired_at,
        "paired_by": d.paired_by,
        "revoked_at": d.revoked_at,
        "revoked_by": d.revoked_by,
    }


async def list_devices(request: Request) -> Response:
    """`GET /api/meetings/{meeting_id}/devices[?all=1]`: the paired tablets (staff)."""
    svc = services(request)
    found = await _staff(request, svc)
    if isinstance(found, Response):
        return found
    engine, _ = found
    everything = request.query_params.get("all") in {"1", "true"}
    rows = await svc.store.devices.devices(engine.meeting_id, include_revoked=everything)
    return json({"devices": [_device_view(engine, d) for d in rows]})


async def revoke_device(request: Request) -> Response:
    """`POST /api/meetings/{meeting_id}/devices/{device_id}/revoke`: its tokens stop now."""
    svc = services(request)
    found = await _staff(request, svc)
    if isinstance(found, Response):
        return found
    engine, clerk = found
    device_id = request.path_params["device_id"]
    device = await svc.store.devices.device(device_id)
    if device is None or device.meeting_id != engine.meeting_id:
        return fail(domain_errors.NOT_FOUND, f"no device {device_id!r} in this meeting")
    done = await svc.store.devices.revoke(device_id, by=clerk.id, now=svc.engines.clock())
    svc.device_sockets.revoked([device_id])
    if done:
        args = {"device_id": device_id, "revoked_by": clerk.id}
        await _record(engine, f"revoke-{device_id}", "device.revoke", args)
    after = await svc.store.devices.device(device_id)
    return json({"device": _device_view(engine, after or device)})


def pairing_routes() -> list[Route]:
    return [
        Route("/api/auth/pair", pair, methods=["POST"]),
        Route("/api/meetings/{meeting_id}/pairing", issue_code, methods=["POST"]),
        Route("/api/meetings/{meeting_id}/devices", list_devices),
        Route(
            "/api/meetings/{meeting_id}/devices/{device_id}/revoke",
            revoke_device,
            methods=["POST"],
        ),
    ]
