"""The archive over HTTP: open-data exports of a meeting, and search across every meeting.

Both answer as the caller's audience may see: an anonymous caller gets the public variant
of an export (nothing of a closed session) and finds public entries only; a delegate of a
meeting also gets its closed sessions, its staff everything. Audiences are per meeting,
so one search mixes them: a delegate of one council is the public in another's.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date, timedelta

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from meeting.domain import Actor, Audience
from meeting.domain import errors as domain_errors
from meeting.minutes.exports import EXPORTS, export
from meeting.store.search import query_words, snippet

from . import errors
from ._caller import caller
from .http import fail, json
from .replay import replay
from .search_index import SearchIndexer
from .services import Services, services

__all__ = ["archive_routes", "get_export", "search"]

log = logging.getLogger("meeting.api")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_QUERY = 500
"""Characters of a search query (its first `MAX_WORDS` words count)."""


def indexer(request: Request) -> SearchIndexer:
    found: SearchIndexer = request.app.state.search_indexer
    return found


async def get_export(request: Request) -> Response:
    """`GET /api/meetings/{id}/export/{popolo|oparl|akn}` for the caller's audience."""
    svc = services(request)
    name = request.path_params["format"]
    if name not in EXPORTS:
        return fail(domain_errors.NOT_FOUND, f"exports are {', '.join(EXPORTS)}")
    engine = await svc.engines.get(request.path_params["meeting_id"])
    if engine is None:
        return fail(domain_errors.NOT_FOUND, "no such meeting")
    actor = await caller(request, svc)
    if isinstance(actor, Response):
        return actor
    state = engine.state
    audience = state.audience_of(actor)
    base = str(request.base_url)
    made = await asyncio.to_thread(export, name, state, audience, base)
    headers = {
        "Content-Disposition": f'inline; filename="{made.filename}"',
        "Cache-Control": "no-cache" if audience is Audience.PUBLIC else "private, no-cache",
        "X-Audience": audience.value,
    }
    media = made.media_type + ("; charset=utf-8" if made.media_type.endswith("xml") else "")
    return Response(made.data, media_type=media, headers=headers)


def _day(raw: str | None, name: str, after: int = 0) -> str | None:
    """A date bound of the search, as the ISO 8601 prefix `at` is compared with."""
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw) if _DATE.match(raw) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"{name}: a date, YYYY-MM-DD")
    return (day + timedelta(days=after)).isoformat()


async def _audiences(svc: Services, actor: Actor, only: str | None) -> tuple[list[str], list[str]]:
    """The meetings where `actor` is a delegate, and those where she is staff."""
    delegates: list[str] = []
    staff: list[str] = []
    if actor.user_id is None:
        return delegates, staff
    ids = [only] if only is not None else await svc.store.log.meeting_ids()
    for meeting_id in ids:
        engine = await svc.engines.get(meeting_id)
        if engine is None:
            continue
        audience = engine.state.audience_of(actor)
        if audience is Audience.STAFF:
            staff.append(meeting_id)
        elif audience is Audience.DELEGATES:
            delegates.append(meeting_id)
    return delegates, staff


async def search(request: Request) -> Response:
    """`GET /api/search?q=…&body=…&meeting=…&from=…&to=…&limit=…`."""
    svc = services(request)
    params = request.query_params
    q = params.get("q", "")
    words = query_words(q)
    if len(q) > MAX_QUERY or not words:
        return fail(errors.BAD_MESSAGE, f"q: the words to find (at most {MAX_QUERY} characters)")
    most = svc.settings.search_max_results
    limit = params.get("limit", str(min(20, most)))
    if not limit.isdigit() or not 1 <= int(limit) <= most:
        return fail(errors.BAD_MESSAGE, f"limit: 1 to {most}")
    try:
        since = _day(params.get("from"), "from")
        until = _day(params.get("to"), "to", after=1)
    except ValueError as exc:
        return fail(errors.BAD_MESSAGE, str(exc))
    actor = await caller(request, svc)
    if isinstance(actor, Response):
        return actor
    meeting = params.get("meeting") or None
    delegates_of, staff_of = await _audiences(svc, actor, meeting)
    try:
        await indexer(request).catch_up()
    except Exception:  # search what is indexed; the indexer's task tries again
        log.exception("search index: catching up before a search failed")
    try:
        found = await svc.store.search.search(
            words,
            public=True,
            delegates_of=delegates_of,
            staff_of=staff_of,
            body=params.get("body") or None,
            meeting=meeting,
            since=since,
            until=until,
            limit=int(limit),
        )
    except SQLAlchemyError:
        log.exception("search failed")
        return fail(errors.UNAVAILABLE, "the search index cannot be read now; try again")
    results = [
        {
            "meeting_id": f.meeting_id,
            "meeting_title": f.meeting_title,
            "body_id": f.body_id,
            "kind": f.kind,
            "key": f.key,
            "item_id": f.item_id,
            "title": f.title,
            "snippet": snippet(f.text, words),
            "at": f.at,
            "audience": f.audience,
        }
        for f in found
    ]
    return json({"q": q, "words": words, "results": results})


def archive_routes() -> list[Route]:
    """The archive's HTTP routes, for `create_app`."""
    return [
        Route("/api/meetings/{meeting_id}/export/{format}", get_export),
        Route("/api/meetings/{meeting_id}/replay", replay),
        Route("/api/search", search),
    ]
