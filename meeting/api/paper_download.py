"""`GET /api/meetings/{meeting_id}/papers/{sha256}`: a paper's bytes, fast.

A plain ASGI endpoint (no Request object, no FileResponse): access is decided from the
meeting's state in memory and the token cache, the bytes come from `Library` (memory, or
`os.pread` for a very large paper), the headers were prepared when the paper was loaded.
ETag is the hash, so `If-None-Match` gets 304 and one `Range` gets 206; several ranges get
the whole paper (200), as RFC 9110 allows. Confidential papers are sent to each delegate as
her own watermarked copy (its ETag is that copy's hash).
"""

from __future__ import annotations

import logging
import re

import msgspec
from starlette.types import ASGIApp, Receive, Scope, Send

from docs_store import DocsStoreError
from meeting.domain import Actor
from meeting.domain import errors as domain_errors
from meeting.domain.papers_state import grant

from . import errors
from .library import Headers, Library, Ready
from .services import Services

__all__ = ["PaperDownload", "PaperFastPath", "parse_range"]

log = logging.getLogger("meeting.api")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_PATH = re.compile(r"^/api/meetings/([^/]+)/papers/([0-9a-f]{64})$")
_CHUNK = 1 << 20
"""Bytes read from disk at a time, for a paper too large for the memory cache."""
_PIECE = 256 * 1024
"""Bytes handed to the server at a time from memory (a view, not a copy)."""
_encode = msgspec.json.Encoder().encode


def parse_range(header: bytes, size: int) -> tuple[int, int] | bool | None:
    """One `bytes=a-b` range as (start, end exclusive); None to send everything (no range,
    several ranges or one that cannot be read); False when it is unsatisfiable (416)."""
    unit, _, spec = header.partition(b"=")
    if unit.strip().lower() != b"bytes" or b"," in spec:
        return None
    first, dash, last = spec.strip().partition(b"-")
    if not dash:
        return None
    try:
        if not first:  # the last N bytes
            n = int(last)
            if n <= 0:
                return False
            return max(0, size - n), size
        start = int(first)
        end = int(last) + 1 if last else size
    except ValueError:
        return None
    if start < 0 or (last and end <= start):
        return None
    if start >= size:
        return False
    return start, min(end, size)


def _matches(header: bytes, etag: bytes) -> bool:
    if header.strip() == b"*":
        return True
    return any(tag.strip().removeprefix(b"W/") == etag for tag in header.split(b","))


class PaperDownload:
    """The ASGI endpoint; it reads the app's services and library from `app.state`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope["app"].state
        svc: Services = state.services
        library: Library = state.library
        params = scope["path_params"]
        meeting_id, sha = params["meeting_id"], params["sha256"]
        token = none_match = ranged = if_range = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, rest = value.partition(b" ")
                if scheme.lower() == b"bearer" and rest.strip():
                    token = rest.strip().decode("latin-1")
            elif name == b"if-none-match":
                none_match = value
            elif name == b"range":
                ranged = value
            elif name == b"if-range":
                if_range = value
        engine = await svc.engines.get(meeting_id)
        if engine is None or not _SHA.match(sha):
            await _fail(send, errors.HTTP_STATUS["not_found"], "not_found", "no such paper")
            return
        user = await svc.auth.user_for(token) if token else None
        actor = Actor(user.id, user.is_admin) if user is not None else Actor(None)
        state_now = engine.state
        allowed = grant(state_now, actor, sha)
        if allowed is None:
            if sha not in state_now.papers.files:
                await _fail(send, 404, domain_errors.NOT_FOUND, "no such paper")
            elif user is None:
                await _fail(send, 401, errors.UNAUTHORIZED, "sign in to read this paper")
            else:
                svc.audit.add(domain_errors.NOT_ALLOWED, f"paper {sha[:16]}", "http",
                              meeting_id=meeting_id, user_id=actor.user_id)  # fmt: skip
                await _fail(send, 403, domain_errors.NOT_ALLOWED, "you may not read this paper")
            return
        try:
            reader = state_now.members.get(actor.user_id or "")
            if allowed.watermark and reader is not None:
                ready = await library.stamped(sha, reader)
            else:
                ready = await library.ready(sha)
        except (DocsStoreError, OSError) as exc:
            log.error("paper %s of %s cannot be sent: %r", sha, meeting_id, exc)
            await _fail(send, 503, errors.UNAVAILABLE, "the paper cannot be read now")
            return
        headers = ready.public if allowed.public else ready.private
        head = scope["method"] == "HEAD"
        if none_match is not None and _matches(none_match, ready.etag):
            await _start(send, 304, headers[1:3])
            await send({"type": "http.response.body", "body": b""})
            return
        window = None
        if ranged is not None and (if_range is None or if_range.strip() == ready.etag):
            window = parse_range(ranged, ready.size)
        if window is False:
            extra = [(b"content-range", b"bytes */%d" % ready.size), (b"content-length", b"0")]
            await _start(send, 416, [*headers, *extra])
            await send({"type": "http.response.body", "body": b""})
            return
        if isinstance(window, tuple):
            start, end = window
            extra = [
                (b"content-range", b"bytes %d-%d/%d" % (start, end - 1, ready.size)),
                (b"content-length", b"%d" % (end - start)),
            ]
            await _start(send, 206, [*headers, *extra])
            await send(
                {"type": "http.response.body", "body": b"" if head else ready.read(start, end)}
            )
            return
        await _start(send, 200, [*headers, (b"content-length", b"%d" % ready.size)])
        await _body(send, ready, head)


class PaperFastPath:
    """Middleware that hands paper downloads to `PaperDownload` before Starlette's exception
    middleware and router, which would cost a 304 a third again; the route stays declared
    (for the documents) and every other request passes through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.download = PaperDownload()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            match = _PATH.match(scope["path"])
            if match is not None:
                scope["path_params"] = {"meeting_id": match[1], "sha256": match[2]}
                await self.download(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _start(send: Send, status: int, headers: Headers) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})


async def _body(send: Send, ready: Ready, head: bool) -> None:
    if head:
        await send({"type": "http.response.body", "body": b""})
        return
    if ready.data is not None and ready.size <= _PIECE:
        await send({"type": "http.response.body", "body": ready.data})
        return
    # In pieces, so that each one is written straight to the socket once the previous has
    # drained, instead of being copied into the transport's buffer and shifted there.
    view = memoryview(ready.data) if ready.data is not None else None
    step = _PIECE if view is not None else _CHUNK
    for start in range(0, ready.size, step):
        end = min(start + step, ready.size)
        piece = view[start:end] if view is not None else ready.read(start, end)
        await send({"type": "http.response.body", "body": piece, "more_body": end < ready.size})


async def _fail(send: Send, status: int, code: str, message: str) -> None:
    body = _encode({"code": code, "message": message})
    await _start(send, status, [(b"content-type", b"application/json"),
                                (b"content-length", b"%d" % len(body))])  # fmt: skip
    await send({"type": "http.response.body", "body": body})
