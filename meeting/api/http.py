"""HTTP routes: sign-in, meetings, the log (with long-poll), commands, health."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import Annotated, Any

import msgspec
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import Response

from meeting.domain import Actor, Audience, snapshot
from meeting.domain import errors as domain_errors
from meeting.domain.devices import PAIRED_DEVICE
from meeting.engine import MeetingEngine
from meeting.hub.local import event_message, visible
from meeting.store import UserRow

from . import errors
from .messages import HttpCommand, ProtocolError, parse_as
from .services import Services, services
from .ws import ack, submit_with_pin

__all__ = [
    "bearer",
    "create_meeting",
    "get_events",
    "get_meeting",
    "health",
    "list_meetings",
    "login",
    "logout",
    "post_command",
    "read_body",
    "request_user",
]

_encode = msgspec.json.Encoder().encode
_PAGE = 1000


class LoginBody(msgspec.Struct, forbid_unknown_fields=True):
    username: str
    password: str


def json(body: Any, status: int = 200) -> Response:
    return Response(_encode(body), status, media_type="application/json")


def fail(code: str, message: str, command_id: str | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if command_id is not None:
        body["id"] = command_id
    return json(body, errors.HTTP_STATUS.get(code, 400))


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def read_body(request: Request, svc: Services) -> bytes:
    declared = request.headers.get("content-length")
    limit = svc.settings.max_message_bytes
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(errors.TOO_LARGE, f"body over {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ProtocolError(errors.TOO_LARGE, f"body over {limit} bytes")
    return bytes(body)


async def request_user(request: Request, svc: Services) -> UserRow | None:
    return await svc.auth.user_for(bearer(request))


async def _reader(request: Request, svc: Services, meeting_id: str) -> UserRow | None:
    """Who reads the meeting: None without a token (the public view).

    A token that is sent must be valid (not expired, revoked or unknown), or this raises
    `unauthorized`: a tablet whose token ran out must hear "sign in again", not quietly get
    the public view, where a closed session's items vanish as if they had never been.
    """
    token = bearer(request)
    if token is None:
        return None
    user = await svc.auth.user_for(token)
    if user is None:
        svc.audit.add(errors.UNAUTHORIZED, "bad token", "http", meeting_id=meeting_id)
        raise ProtocolError(errors.UNAUTHORIZED, "the token is not valid (sign in again)")
    return user


async def _meeting(request: Request, svc: Services) -> MeetingEngine | None:
    return await svc.engines.get(request.path_params["meeting_id"])


def _viewer(engine: MeetingEngine, user: UserRow | None) -> tuple[Actor, Audience]:
    actor = Actor(user.id if user else None, user.is_admin if user else False)
    return actor, engine.state.audience_of(actor)


async def login(request: Request) -> Response:
    svc = services(request)
    try:
        body = parse_as(await read_body(request, svc), LoginBody)
    except ProtocolError as exc:
        return fail(exc.code, exc.message)
    result = await svc.auth.sign_in(body.username, body.password)
    if result is None:
        svc.audit.add(errors.UNAUTHORIZED, "failed sign-in", "http", user_id=body.username[:64])
        return fail(errors.UNAUTHORIZED, "wrong username or password")
    token, user = result
    return json(
        {"token": token, "user": {"id": user.id, "name": user.name, "is_admin": user.is_admin}}
    )


async def logout(request: Request) -> Response:
    svc = services(request)
    token = bearer(request)
    if token:
        await svc.auth.sign_out(token)
    return json({"ok": True})


async def list_meetings(request: Request) -> Response:
    svc = services(request)
    user = await request_user(request, svc)
    out = []
    for meeting_id in await svc.store.log.meeting_ids():
        engine = await svc.engines.get(meeting_id)
        if engine is None:
            continue
        state = engine.state
        actor = Actor(user.id if user else None, user.is_admin if user else False)
        out.append(
            {
                "id": meeting_id,
                "title": state.title,
                "body": {"id": state.body.id, "name": state.body.name},
                "status": state.status.value,
                "scheduled_for": state.scheduled_for,
                "seq": state.seq,
                "roles": sorted(state.roles_of(actor)),
            }
        )
    return json({"meetings": out})


async def get_meeting(request: Request) -> Response:
    svc = services(request)
    engine = await _meeting(request, svc)
    if engine is None:
        return fail("not_found", "no such meeting")
    try:
        reader = await _reader(request, svc, engine.meeting_id)
    except ProtocolError as exc:
        return fail(exc.code, exc.message)
    actor, audience = _viewer(engine, reader)
    return json(_snapshot_body(svc, engine, actor, audience))


def _snapshot_body(
    svc: Services, engine: MeetingEngine, actor: Actor, audience: Audience
) -> dict[str, Any]:
    state = engine.state
    return {
        "seq": state.seq,
        "snapshot": snapshot(state, audience, actor.user_id),
        "now": svc.engines.clock(),
    }


async def get_events(request: Request) -> Response:
    """The log after `since`, filtered for the caller; waits up to `wait` seconds for news."""
    svc = services(request)
    engine = await _meeting(request, svc)
    if engine is None:
        return fail("not_found", "no such meeting")
    try:
        since = int(request.query_params.get("since", "0"))
        wait = float(request.query_params.get("wait", "0"))
    except ValueError:
        return fail(errors.BAD_MESSAGE, "since and wait must be numbers")
    if since < 0:
        return fail(errors.BAD_MESSAGE, "since must be ≥ 0")
    try:
        reader = await _reader(request, svc, engine.meeting_id)
    except ProtocolError as exc:
        return fail(exc.code, exc.message)
    actor, audience = _viewer(engine, reader)
    if since > engine.state.seq:
        return json(_snapshot_body(svc, engine, actor, audience))
    if wait > 0 and engine.state.seq <= since:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(min(wait, svc.settings.longpoll_max)):
                await engine.wait_after(since)
    events = engine.events_after(since)
    if events is None:
        events = [r.event for r in await svc.store.log.read(engine.meeting_id, since)]
    page = events[:_PAGE]
    shown = visible(page, audience, actor.user_id)
    last = page[-1].seq if page else since
    return json(
        {
            "seq": engine.state.seq,
            "until": last,
            "more": len(events) > _PAGE,
            "events": [event_message(e) for e in shown],
            # As it answers, after any wait: a client on the HTTP fallback takes its clock
            # offset from it, as a WebSocket client does from `welcome.now`.
            "now": svc.engines.clock(),
        }
    )


async def post_command(request: Request) -> Response:
    svc = services(request)
    engine = await _meeting(request, svc)
    if engine is None:
        return fail("not_found", "no such meeting")
    try:
        cmd = parse_as(await read_body(request, svc), HttpCommand)
    except ProtocolError as exc:
        svc.audit.add(exc.code, exc.message, "http", meeting_id=engine.meeting_id)
        return fail(exc.code, exc.message)
    found = await svc.auth.signed_in(bearer(request))
    user = found.user if found else None
    if user is None:
        svc.audit.add(
            errors.UNAUTHORIZED,
            "command without sign-in",
            "http",
            meeting_id=engine.meeting_id,
            command_id=cmd.id,
            name=cmd.name,
        )
        return fail(errors.UNAUTHORIZED, "sign in to send commands", cmd.id)
    paired = found is not None and found.device_meeting == engine.meeting_id
    actor = Actor(user.id, user.is_admin, proofs=frozenset({PAIRED_DEVICE} if paired else ()))
    if "pin" in cmd.args:
        outcome = await submit_with_pin(svc, engine, actor, cmd.id, cmd.name, cmd.args, "http")
    else:
        outcome = await engine.submit(actor, cmd.id, cmd.name, cmd.args, source="http")
    if outcome.ok:
        answer = ack(cmd.id, outcome)
        del answer["type"]
        return json(answer)
    return fail(outcome.code or errors.INTERNAL, outcome.message or "", cmd.id)


async def create_meeting(request: Request) -> Response:
    """`POST /api/meetings {id, args}`: an admin creates a meeting (`meeting.create`)."""
    svc = services(request)
    user = await request_user(request, svc)
    if user is None:
        return fail(errors.UNAUTHORIZED, "sign in first")
    try:
        body = parse_as(await read_body(request, svc), CreateBody)
    except ProtocolError as exc:
        return fail(exc.code, exc.message)
    if not user.is_admin:
        svc.audit.add(domain_errors.NOT_ALLOWED, "create a meeting", "http", user_id=user.id)
        return fail(domain_errors.NOT_ALLOWED, "only an administrator creates meetings")
    actor = Actor(user.id, user.is_admin)
    command_id = body.command_id or f"create-{body.id}-{secrets.token_hex(8)}"
    _, outcome = await svc.engines.create(
        body.id, actor, body.args, source="http", command_id=command_id
    )
    if outcome.ok:
        return json({"id": body.id, "seq": outcome.seq}, 201)
    return fail(outcome.code or errors.INTERNAL, outcome.message or "")


class CreateBody(msgspec.Struct, forbid_unknown_fields=True):
    id: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    args: dict[str, Any]
    command_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None
    """Makes a retried creation idempotent; without it each request is a new attempt."""


async def health(request: Request) -> Response:
    svc = services(request)
    database = "ok"
    try:
        async with svc.store.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        database = f"error: {type(exc).__name__}"
    # Without the hub this process still records commands and its tablets converge from
    # the database: degraded, but not to be taken out of a load balancer.
    hub_ok, hub = svc.hub.status()
    body = {
        "status": "ok" if database == "ok" and hub_ok else "degraded",
        "database": database,
        "hub": hub,
        "meetings": len(svc.engines.loaded()),
        "broken_meetings": sorted(svc.engines.broken),
        "connections": svc.hub.count(),
    }
    return json(body, 200 if database == "ok" else 503)
