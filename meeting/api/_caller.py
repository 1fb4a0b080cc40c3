"""Who is asking, for the routes open to everyone (exports, replay, search): an
anonymous caller is the public; a token must be valid, or the answer is 401."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from meeting.domain import Actor

from . import errors
from .http import fail
from .services import Services

__all__ = ["caller"]


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def caller(request: Request, svc: Services) -> Actor | Response:
    """The caller as an actor (`Actor(None)` without a token), or a 401 to send back."""
    token = _bearer(request)
    if token is None:
        return Actor(None)
    user = await svc.auth.user_for(token)
    if user is None:
        return fail(errors.UNAUTHORIZED, "the token is not valid (sign in again)")
    return Actor(user.id, user.is_admin)
