"""Uploading papers, and their text for search.

`POST /api/meetings/{meeting_id}/papers` takes one PDF as the raw request body (a client
uploads several at once with several requests, and shows each one's progress). The body
is streamed to a temporary file within `MEETING_MAX_PAPER_BYTES` while its SHA-256 is
computed; the PDF is read by pypdf in a worker process within its limits; only then is it
renamed into the store and recorded in the meeting's log with `paper.upload` (carrying the
"upload" proof, which no client can send). A refusal, a full disk or a dropped connection
leaves no file and no event behind. The same bytes are stored and read once.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from docs_store import DocsStoreError, Document, DocumentStore, FileStore, Upload, warm_up
from meeting.domain import Actor, Role
from meeting.domain import errors as domain_errors
from meeting.domain.papers import UPLOAD_PROOF
from meeting.domain.papers_state import grant
from meeting.settings import Settings

from . import errors
from ._caller import meeting_staff
from .http import bearer, fail, json
from .library import Library
from .paper_download import PaperDownload
from .services import Services, services

__all__ = ["library", "open_library", "paper_routes", "paper_text", "upload_paper"]

log = logging.getLogger("meeting.api")

_SHA = re.compile(r"^[0-9a-f]{64}$")
_STAFF = frozenset({Role.CHAIR, Role.CLERK, Role.ADMIN})
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


def library(request: Request) -> Library:
    lib: Library = request.app.state.library
    return lib


def _filename(raw: str | None) -> str:
    name = _UNSAFE.sub("_", (raw or "").strip()).strip("._ ")[:255]
    return name or "tai-lieu.pdf"


async def upload_paper(request: Request) -> Response:
    svc, lib = services(request), library(request)
    found = await meeting_staff(request, svc, _STAFF, "upload a paper",
                                "only the chair and the clerk upload papers")  # fmt: skip
    if isinstance(found, Response):
        return found
    engine, user = found
    actor = Actor(user.id, user.is_admin)
    limit = svc.settings.max_paper_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return fail(errors.PDF_TOO_LARGE, f"a paper is at most {limit} bytes")
    filename = _filename(request.query_params.get("filename"))
    try:
        stored = await _receive(request, lib, limit)
    except DocsStoreError as exc:
        where = {"meeting_id": engine.meeting_id, "user_id": user.id}
        svc.audit.add(exc.code, f"{filename}: {exc.message}", "http", **where)
        return fail(exc.code, exc.message)
    except ClientDisconnect:
        return fail(errors.BAD_MESSAGE, "the upload was interrupted")
    body: dict[str, Any] = {
        "sha256": stored.sha256,
        "size": stored.size,
        "pages": stored.pages,
        "title": stored.title,
        "filename": filename,
    }
    if stored.sha256 in engine.state.papers.files:
        return json({**body, "seq": engine.state.seq}, 200)
    proven = replace(actor, proofs=actor.proofs | {UPLOAD_PROOF})
    command_id = f"upload-{stored.sha256[:32]}-{secrets.token_hex(4)}"
    outcome = await engine.submit(proven, command_id, "paper.upload", body, source="http")
    if not outcome.ok and outcome.code != domain_errors.INVALID_STATE:  # not: a twin won
        return fail(outcome.code or errors.INTERNAL, outcome.message or "")
    return json({**body, "seq": engine.state.seq}, 201)


async def _receive(request: Request, lib: Library, limit: int) -> Document:
    """Stream the body to a temporary file, check it, keep it; nothing stays on failure."""
    upload: Upload = await asyncio.to_thread(lib.store.begin, limit)
    try:
        async for chunk in request.stream():
            if chunk:
                upload.write(chunk)
        sha = await asyncio.to_thread(upload.finish)
        known = await asyncio.to_thread(lib.store.find, sha)
        if known is not None:
            return known
        found = await lib.check(upload.path)
        return await asyncio.to_thread(lib.store.commit, upload, found)
    finally:
        await asyncio.to_thread(upload.discard)  # a no-op once the file is renamed


async def paper_text(request: Request) -> Response:
    """`GET …/papers/{sha256}/text`: each page's text, for search, with the download's rules."""
    svc, lib = services(request), library(request)
    engine = await svc.engines.get(request.path_params["meeting_id"])
    sha = request.path_params["sha256"]
    if engine is None or not _SHA.match(sha):
        return fail(domain_errors.NOT_FOUND, "no such paper")
    user = await svc.auth.user_for(bearer(request))
    actor = Actor(user.id, user.is_admin) if user is not None else Actor(None)
    if grant(engine.state, actor, sha) is None:
        return _refused(svc, engine.meeting_id, sha in engine.state.papers.files, actor)
    found = await asyncio.to_thread(lib.store.find, sha)
    if found is None:
        return fail(errors.UNAVAILABLE, "the paper cannot be read now")
    return json({"sha256": sha, "pages": found.pages, "texts": list(found.texts)})


def _refused(svc: Services, meeting_id: str, known: bool, actor: Actor) -> Response:
    if not known:
        return fail(domain_errors.NOT_FOUND, "no such paper")
    if actor.user_id is None:
        return fail(errors.UNAUTHORIZED, "sign in to read this paper")
    svc.audit.add(domain_errors.NOT_ALLOWED, "read a paper's text", "http",
                  meeting_id=meeting_id, user_id=actor.user_id)  # fmt: skip
    return fail(domain_errors.NOT_ALLOWED, "you may not read this paper")


def paper_routes() -> list[Route]:
    """The papers' HTTP routes, for `create_app`."""
    return [
        Route("/api/meetings/{meeting_id}/papers", upload_paper, methods=["POST"]),
        Route("/api/meetings/{meeting_id}/papers/{sha256}", PaperDownload(), methods=["GET"]),
        Route("/api/meetings/{meeting_id}/papers/{sha256}/text", paper_text),
    ]


def open_library(
    settings: Settings,
    documents: DocumentStore | None = None,
    clock: Callable[[], str] | None = None,
) -> Library:
    """The library over `documents` (default: files in `MEETING_DATA_DIR/documents`); the
    PDF workers' fork server starts in the background so the first upload does not wait."""
    store = documents if documents is not None else FileStore(settings.data_dir / "documents")
    threading.Thread(target=_warm_up, name="pdf-workers", daemon=True).start()
    return Library(store, settings, clock)


def _warm_up() -> None:
    try:
        warm_up()
    except Exception:
        log.exception("the PDF workers could not start; uploads will try again")
