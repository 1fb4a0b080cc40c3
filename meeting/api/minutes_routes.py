"""The minutes over HTTP: read them (JSON, HTML, PDF), seal them, fetch the sealed bundle.

The minutes include closed-session items: only delegates and staff may read them. Sealing
builds the archive bundle from the whole log and the papers the minutes list, stores it
(temporary file, fsync, rename), then records `minutes.seal` with the bundle's manifest
hash; the domain refuses it if the log moved meanwhile, and the clerk simply seals again.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from docs_store import DocsStoreError, DocumentStore
from meeting.domain import Actor, Audience
from meeting.domain import errors as domain_errors
from meeting.engine import MeetingEngine
from meeting.minutes import build
from meeting.minutes.bundle import make_bundle
from meeting.minutes.html import render_html
from meeting.minutes.papers_parts import listed_papers
from meeting.minutes.pdf import render_pdf

from . import errors
from .http import bearer, fail, json
from .papers_http import library
from .services import Services, services

__all__ = ["get_bundle", "get_minutes", "seal_minutes"]


async def _reader(request: Request, svc: Services) -> tuple[MeetingEngine, Actor] | Response:
    engine = await svc.engines.get(request.path_params["meeting_id"])
    if engine is None:
        return fail(domain_errors.NOT_FOUND, "no such meeting")
    user = await svc.auth.user_for(bearer(request))
    if user is None:
        return fail(errors.UNAUTHORIZED, "sign in to read the minutes")
    actor = Actor(user.id, user.is_admin)
    if engine.state.audience_of(actor) is Audience.PUBLIC:
        return fail(domain_errors.NOT_ALLOWED, "the minutes are for delegates and staff")
    return engine, actor


def _font_dir(svc: Services) -> Path | None:
    return Path(svc.settings.pdf_font_dir) if svc.settings.pdf_font_dir else None


async def get_minutes(request: Request) -> Response:
    """`GET /api/meetings/{id}/minutes?format=json|html|pdf` (the draft, or as sealed)."""
    svc = services(request)
    found = await _reader(request, svc)
    if isinstance(found, Response):
        return found
    engine, _ = found
    kind = request.query_params.get("format", "json")
    if kind not in ("json", "html", "pdf"):
        return fail(errors.BAD_MESSAGE, "format is json, html or pdf")
    events = [r.event for r in await svc.store.log.read(engine.meeting_id)]
    minutes = build(events)
    if kind == "json":
        return json(minutes)
    if kind == "html":
        return Response(render_html(minutes), media_type="text/html; charset=utf-8")
    pdf = await asyncio.to_thread(render_pdf, minutes, _font_dir(svc))
    name = f"bien-ban-{engine.meeting_id}.pdf"
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


def _archive(svc: Services, meeting_id: str, manifest: str) -> Path:
    return svc.settings.data_dir / "archive" / meeting_id / f"{manifest}.zip"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".seal-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def seal_minutes(request: Request) -> Response:
    """`POST /api/meetings/{id}/minutes/seal`: build, store and seal the archive bundle."""
    svc = services(request)
    found = await _reader(request, svc)
    if isinstance(found, Response):
        return found
    engine, actor = found
    rows = await svc.store.log.read(engine.meeting_id)
    listed = listed_papers(build([r.event for r in rows]))
    try:
        papers = await asyncio.to_thread(_read_papers, library(request).store, listed)
    except DocsStoreError as exc:
        return fail(errors.UNAVAILABLE, f"a paper of the minutes cannot be read: {exc.message}")
    bundle = await asyncio.to_thread(
        make_bundle, [(r.event, r.hash) for r in rows], papers, font_dir=_font_dir(svc)
    )
    path = _archive(svc, engine.meeting_id, bundle.manifest_sha256)
    await asyncio.to_thread(_write_atomically, path, bundle.data)
    args = {
        "manifest_sha256": bundle.manifest_sha256,
        "log_seq": rows[-1].event.seq,
        "log_head": rows[-1].hash,
    }
    command_id = f"seal-{bundle.manifest_sha256[:32]}"
    outcome = await engine.submit(actor, command_id, "minutes.seal", args, source="http")
    if not outcome.ok:
        return fail(outcome.code or errors.INTERNAL, outcome.message or "")
    url = f"/api/meetings/{engine.meeting_id}/minutes/bundle"
    return json({"manifest_sha256": bundle.manifest_sha256, "seq": outcome.seq, "bundle": url})


def _read_papers(store: DocumentStore, shas: Sequence[str]) -> dict[str, bytes]:
    return {sha: store.read(sha) for sha in shas}


async def get_bundle(request: Request) -> Response:
    """`GET /api/meetings/{id}/minutes/bundle`: the sealed archive bundle (a zip)."""
    svc = services(request)
    found = await _reader(request, svc)
    if isinstance(found, Response):
        return found
    engine, _ = found
    manifest = engine.state.record.sealed_manifest
    if manifest is None:
        return fail(domain_errors.NOT_FOUND, "the minutes are not sealed yet")
    data = await asyncio.to_thread(_archive(svc, engine.meeting_id, manifest).read_bytes)
    name = f"bien-ban-{engine.meeting_id}-{manifest[:12]}.zip"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "ETag": f'"{manifest}"'}
    return Response(data, media_type="application/zip", headers=headers)
