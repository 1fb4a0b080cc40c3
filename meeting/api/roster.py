"""`POST /api/meetings/{meeting_id}/roster`: the clerk's desk imports delegates from a file.

The file is the one `meeting import delegates` reads (CSV or JSON: seat, name, username,
roles, pin; `importing.parse_delegates`), checked whole before anything is written: a file
with any problem is refused with every problem listed (row, column, message), and nothing
of it is kept. A clean file then gives each new person an account (with the file's PIN, or
a fresh six-digit one, returned once in the answer so the clerk can hand it out) and puts
every row in the meeting's roster with `member.set`, sent by the clerk herself, so the log
says who did it and the domain's rule holds: a clerk keeps delegates and observers only.

A clerk never changes an existing account: a person who can already sign in keeps her PIN
(the answer says so), because otherwise a roster file could take over anyone's account.
An administrator's import sets the file's PINs, like the command line.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from meeting.domain import Actor, Role
from meeting.domain import errors as domain_errors
from meeting.domain.agenda import ROSTER_ROLES

from . import errors
from ._caller import meeting_staff
from .http import fail, json
from .importing import DelegateRow, Format, ImportProblem, decode_text, parse_delegates
from .services import Services, services

__all__ = ["MAX_ROSTER_BYTES", "roster_routes"]

MAX_ROSTER_BYTES = 2 * 1024 * 1024
"""Largest roster file (a National Assembly of 500 is about 40 KB)."""
_KEEPERS = frozenset({Role.CLERK, Role.ADMIN})


async def _read(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_ROSTER_BYTES:
        raise ValueError
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_ROSTER_BYTES:
            raise ValueError
    return bytes(body)


def _problems(exc: ImportProblem) -> list[dict[str, Any]]:
    return [{"row": p.row, "column": p.column, "message": p.message} for p in exc.problems]


async def import_roster(request: Request) -> Response:
    """Check the whole file, then create the accounts and send one `member.set` a row."""
    svc = services(request)
    found = await meeting_staff(request, svc, _KEEPERS, "roster import",
                                "only the meeting's clerk imports its roster")  # fmt: skip
    if isinstance(found, Response):
        return found
    engine, user = found
    actor = Actor(user.id, user.is_admin)
    try:
        data = await _read(request)
    except ValueError:
        return fail(errors.TOO_LARGE, f"a roster file is at most {MAX_ROSTER_BYTES} bytes")
    kind: Format = "json" if "json" in request.headers.get("content-type", "") else "csv"
    try:
        rows = parse_delegates(decode_text(data), kind)
    except ImportProblem as exc:
        body = {"code": errors.INVALID_IMPORT, "message": str(exc).splitlines()[0],
                "problems": _problems(exc)}  # fmt: skip
        return json(body, errors.HTTP_STATUS[errors.INVALID_IMPORT])
    refused = _not_for_a_clerk(engine.state, user.is_admin, rows)
    if refused:
        return fail(domain_errors.NOT_ALLOWED, refused)
    pins, kept = await _accounts(svc, user.is_admin, rows)
    batch = hashlib.sha256(data).hexdigest()[:12]
    futures = [
        engine.submit(actor, f"roster-{batch}-{n}", "member.set", _member(row), source="http")
        for n, row in enumerate(rows, 1)
    ]
    results = await asyncio.gather(*futures)
    failed = [
        {"row": n, "column": None, "message": f"{r.code}: {r.message}"}
        for n, r in enumerate(results, 1)
        if not r.ok
    ]
    return json(
        {
            "imported": len(rows) - len(failed),
            "failed": failed,
            "pins": pins,
            "kept": kept,
            "seq": engine.state.seq,
        }
    )


def _member(row: DelegateRow) -> dict[str, Any]:
    args = row.member_args()
    out: dict[str, Any] = {"user_id": args.user_id, "name": args.name,
                           "roles": [r.value for r in args.roles]}  # fmt: skip
    if args.seat is not None:
        out["seat"] = args.seat
    return out


def _not_for_a_clerk(state: Any, is_admin: bool, rows: list[DelegateRow]) -> str | None:
    """Why a clerk may not import this file (a chair's or clerk's role in it), or None."""
    if is_admin:
        return None
    for n, row in enumerate(rows, 1):
        before = state.members.get(row.username)
        touched = set(row.roles) | (set(before.roles) if before is not None else set())
        if not touched <= ROSTER_ROLES:
            return f"row {n}: only an administrator gives or changes a chair's or clerk's role"
    return None


async def _accounts(
    svc: Services, is_admin: bool, rows: list[DelegateRow]
) -> tuple[dict[str, str], list[str]]:
    """Create the accounts the file needs: new people get the file's PIN or a fresh one
    (returned); existing accounts are kept as they are, unless an administrator imports."""
    now = svc.engines.clock()
    pins: dict[str, str] = {}
    kept: list[str] = []
    for row in rows:
        existing = await svc.store.accounts.user(row.username)
        if existing is not None and (not is_admin or row.pin is None):
            kept.append(row.username)
            continue
        pin = row.pin or f"{secrets.randbelow(10**6):06d}"
        if row.pin is None:
            pins[row.username] = pin
        password_hash = await asyncio.to_thread(svc.auth.hash_password, pin)
        admin = existing.is_admin if existing is not None else False
        await svc.store.accounts.put_user(row.username, row.name, password_hash,
                                          is_admin=admin, now=now)  # fmt: skip
    return pins, kept


def roster_routes() -> list[Route]:
    return [Route("/api/meetings/{meeting_id}/roster", import_roster, methods=["POST"])]
