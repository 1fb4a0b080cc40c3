"""Replaying a sitting from its log to a display, at its original pace or faster.

`GET /api/meetings/{id}/replay?speed=S&since=N&until=U&max_gap=G` answers a stream of
server-sent events (`text/event-stream`), so that a browser's `EventSource` plays it and
resumes by itself: each event of the log the caller may see is one message whose `id` is
its `seq` and whose data is the WebSocket's `event` frame. Events come as far apart as
they were (by their `at`), divided by `speed`; a pause is never longer than `max_gap`
seconds (a lunch break is not replayed). The stream opens with a `replay` message and ends
with `end` once `until` (default: the log's head when the stream starts) has been sent.

A response lasts at most `MEETING_REPLAY_MAX_SECONDS`; then it simply ends and the client
asks again from where it was (`EventSource` does so by itself, sending `Last-Event-ID`,
which counts as `since`). A request with nothing left to send is answered 204, which tells
`EventSource` to stop. Bounding each response also bounds how long a server shutdown
waits for replays in progress.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence

import msgspec
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from meeting.domain import Event
from meeting.domain import errors as domain_errors
from meeting.domain.times import seconds_between
from meeting.hub.local import event_message, visible

from . import errors
from ._caller import caller
from .http import fail
from .services import services

__all__ = ["pace", "replay"]

_encode = msgspec.json.Encoder().encode
MAX_SPEED = 10_000.0
"""Fastest replay: at this speed an eight-hour sitting plays in three seconds."""
_CHUNK = 200
"""Events sent at once at most, when they follow each other without a pause."""


def pace(
    events: Sequence[Event], previous_at: str | None, speed: float, max_gap: float
) -> list[float]:
    """The replay's time of each event, in seconds from its start (pure)."""
    out, clock, last = [], 0.0, previous_at
    for e in events:
        if last is not None:
            clock += min(max(seconds_between(last, e.at), 0.0) / speed, max_gap)
        out.append(clock)
        last = e.at
    return out


def _message(kind: str, data: object, seq: int | None = None) -> bytes:
    head = f"id: {seq}\n" if seq is not None else ""
    return f"{head}event: {kind}\n".encode() + b"data: " + _encode(data) + b"\n\n"


def _number(raw: str | None, default: float) -> float:
    value = float(raw) if raw not in (None, "") else default
    if value != value:  # NaN
        raise ValueError(raw)
    return value


async def replay(request: Request) -> Response:
    """`GET /api/meetings/{id}/replay`: the log as server-sent events, paced."""
    svc = services(request)
    engine = await svc.engines.get(request.path_params["meeting_id"])
    if engine is None:
        return fail(domain_errors.NOT_FOUND, "no such meeting")
    params = request.query_params
    head = engine.state.seq
    try:
        speed = _number(params.get("speed"), 1.0)
        max_gap = _number(params.get("max_gap"), 5.0)
        since = int(request.headers.get("last-event-id") or params.get("since") or 0)
        until = int(params.get("until") or head)
    except ValueError:
        return fail(errors.BAD_MESSAGE, "speed, max_gap, since and until are numbers")
    if not 0 < speed <= MAX_SPEED or max_gap < 0 or since < 0:
        return fail(errors.BAD_MESSAGE, f"0 < speed ≤ {MAX_SPEED:g}, max_gap ≥ 0, since ≥ 0")
    actor = await caller(request, svc)
    if isinstance(actor, Response):
        return actor
    audience = engine.state.audience_of(actor)
    limit = svc.settings.replay_max_seconds
    max_gap = min(max_gap, limit / 2)  # so that every response sends something
    until = min(until, head)
    if since >= until:
        return Response(status_code=204)
    found = engine.events_after(max(since - 1, 0))
    if found is None:
        found = [r.event for r in await svc.store.log.read(engine.meeting_id, max(since - 1, 0))]
    previous = found[0].at if since > 0 and found and found[0].seq == since else None
    shown = visible([e for e in found if since < e.seq <= until], audience, actor.user_id)
    times = pace(shown, previous, speed, max_gap)
    start = {
        "meeting_id": engine.meeting_id,
        "since": since,
        "until": until,
        "speed": speed,
        "max_gap": max_gap,
        "events": len(shown),
        "seconds": times[-1] if times else 0.0,
    }

    async def stream() -> AsyncIterator[bytes]:
        yield b"retry: 1000\n" + _message("replay", start)
        began = time.monotonic()
        i = 0
        while i < len(shown):
            wait = times[i] - (time.monotonic() - began)
            if time.monotonic() + max(wait, 0.0) - began > limit:
                return  # the client resumes from the last id it got
            if wait > 0:
                await asyncio.sleep(wait)
            j = i + 1
            while j < len(shown) and j - i < _CHUNK and times[j] <= times[i]:
                j += 1
            yield b"".join(_message("event", event_message(e), e.seq) for e in shown[i:j])
            i = j
        yield _message("end", {"seq": until}, until)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
