"""Who is asking. For the routes open to everyone (exports, replay, search) an anonymous
caller is the public and a token must be valid, or the answer is 401 (`caller`); the
routes of a meeting's staff (pairing, devices, the roster) want someone with one of their
roles in that meeting (`meeting_staff`)."""

from __future__ import annotations

from collections.abc import Set

from starlette.requests import Request
from starlette.responses import Response

from meeting.domain import Actor, Role
from meeting.domain import errors as domain_errors
from meeting.engine import MeetingEngine
from meeting.store import UserRow

from . import errors
from .http import bearer, fail, request_user
from .services import Services

__all__ = ["caller", "meeting_staff"]


async def caller(request: Request, svc: Services) -> Actor | Response:
    """The caller as an actor (`Actor(None)` without a token), or a 401 to send back."""
    token = bearer(request)
    if token is None:
        return Actor(None)
    user = await svc.auth.user_for(token)
    if user is None:
        return fail(errors.UNAUTHORIZED, "the token is not valid (sign in again)")
    return Actor(user.id, user.is_admin)


async def meeting_staff(
    request: Request, svc: Services, roles: Set[Role], what: str, refusal: str
) -> tuple[MeetingEngine, UserRow] | Response:
    """The meeting of the path and the signed-in user, if she has one of `roles` in it;
    else the answer to send (404, 401, or 403 `refusal`, recorded in the audit as `what`)."""
    engine = await svc.engines.get(request.path_params["meeting_id"])
    if engine is None:
        return fail(domain_errors.NOT_FOUND, "no such meeting")
    user = await request_user(request, svc)
    if user is None:
        return fail(errors.UNAUTHORIZED, "sign in first")
    if not engine.state.roles_of(Actor(user.id, user.is_admin)) & roles:
        where = {"meeting_id": engine.meeting_id, "user_id": user.id}
        svc.audit.add(domain_errors.NOT_ALLOWED, what, "http", **where)
        return fail(domain_errors.NOT_ALLOWED, refusal)
    return engine, user
