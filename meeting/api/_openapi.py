"""The HTTP operations of `app.py` for the OpenAPI document: bodies, statuses, codes.

Each route of `create_app` has one entry here (a test checks that none is missing). Refusals
are listed by code; their HTTP status comes from `errors.HTTP_STATUS`.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import errors
from ._components import ERROR_MEANINGS, Schema, ref

__all__ = ["paths"]

_JSON = "application/json"
_OPTIONAL: list[Schema] = [{}, {"bearer": []}]
_REQUIRED: list[Schema] = [{"bearer": []}]
_COMMAND_CODES = (
    "bad_json",
    "bad_message",
    "too_large",
    "unauthorized",
    "not_found",
    "not_allowed",
    "invalid_state",
    "invalid_args",
    "unknown_command",
    "unavailable",
    "internal_error",
)
_READER = (
    "Without a token the answer is the public view; a token that is sent must be valid "
    "(401 `unauthorized` when it expired, was revoked or is unknown). `now` is the server's "
    "time as it answers, for the client's clock offset."
)
_MEETING_ID = {
    "name": "meeting_id",
    "in": "path",
    "required": True,
    "description": "The meeting's id.",
    "schema": {"type": "string"},
}


def _content(schema: Schema) -> Schema:
    return {_JSON: {"schema": schema}}


def _op(
    op_id: str,
    summary: str,
    ok: dict[str, tuple[str, Schema]],
    fails: Iterable[str] = (),
    *,
    body: str | None = None,
    params: Iterable[Schema] = (),
    security: list[Schema] | None = _OPTIONAL,
    description: str = "",
) -> Schema:
    responses: dict[str, Schema] = {}
    for status, (what, schema) in ok.items():
        responses[status] = {"description": what, "content": _content(schema)}
    by_status: dict[int, list[str]] = {}
    for code in fails:
        by_status.setdefault(errors.HTTP_STATUS[code], []).append(code)
    for status_code, codes in sorted(by_status.items()):
        what = "; ".join(f"`{c}`: {ERROR_MEANINGS[c]}" for c in codes)
        responses[str(status_code)] = {"description": what, "content": _content(ref("Failure"))}
    op: Schema = {"operationId": op_id, "summary": summary}
    if description:
        op["description"] = description
    if params:
        op["parameters"] = list(params)
    if body is not None:
        op["requestBody"] = {"required": True, "content": _content(ref(body))}
    op["responses"] = responses
    if security is not None:
        op["security"] = security
    return op


def _query(name: str, schema: Schema, description: str) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def paths() -> dict[str, Schema]:
    """Every HTTP route of `create_app`, keyed by path then method."""
    snapshot = ("the meeting as the caller's audience sees it", ref("MeetingView"))
    log_params = [
        _MEETING_ID,
        _query(
            "since",
            {"type": "integer", "minimum": 0, "default": 0},
            "The last `seq` the caller has; events after it are returned.",
        ),
        _query(
            "wait",
            {"type": "number", "minimum": 0, "default": 0},
            "Seconds to wait for news when there is none (at most MEETING_LONGPOLL_MAX).",
        ),
    ]
    page = {"oneOf": [ref("EventsPage"), ref("MeetingView")]}
    return {
        "/": {
            "get": {
                "operationId": "home",
                "summary": "Redirect to the web apps at `/app/` (when they are installed).",
                "responses": {"307": {"description": "redirect to `/app/`"}},
            }
        },
        "/healthz": {
            "get": _op(
                "health",
                "Liveness, database and hub status.",
                {
                    "200": ("the database answers", ref("Health")),
                    "503": ("the database fails (`status` is `degraded`)", ref("Health")),
                },
                security=None,
            )
        },
        "/metrics": {
            "get": {
                "operationId": "metrics",
                "summary": "This process's counters, in the Prometheus text format (0.0.4).",
                "responses": {
                    "200": {
                        "description": "connections, events, commits, command latency, drops",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/api/auth/login": {
            "post": _op(
                "login",
                "Sign in with a username and password; get a bearer token.",
                {"200": ("signed in", ref("LoginResult"))},
                ("bad_json", "bad_message", "unauthorized", "too_large"),
                body="LoginBody",
                security=None,
            )
        },
        "/api/auth/logout": {
            "post": _op(
                "logout",
                "Revoke the bearer token (a missing token is not an error).",
                {"200": ("signed out", ref("LogoutResult"))},
            )
        },
        "/api/meetings": {
            "get": _op(
                "listMeetings",
                "The meetings, with the caller's roles in each.",
                {"200": ("the meetings", ref("MeetingList"))},
            ),
            "post": _op(
                "createMeeting",
                "Create a meeting (admin): runs `meeting.create` with `args`.",
                {"201": ("created", ref("CommandResult"))},
                [c for c in _COMMAND_CODES if c not in ("not_found", "unknown_command")],
                body="CreateBody",
                security=_REQUIRED,
            ),
        },
        "/api/meetings/{meeting_id}": {
            "get": _op(
                "getMeeting",
                "A snapshot of the meeting for the caller's audience.",
                {"200": snapshot},
                ("unauthorized", "not_found"),
                params=[_MEETING_ID],
                description=_READER,
            )
        },
        "/api/meetings/{meeting_id}/events": {
            "get": _op(
                "getEvents",
                "The log after `since` for the caller's audience, with long-poll.",
                {"200": ("events after `since`, or a snapshot when `since` is ahead", page)},
                ("bad_message", "unauthorized", "not_found"),
                params=log_params,
                description=(
                    "At most 1000 events per answer: when `more` is true, ask again with "
                    "`since` = `until`. A `since` beyond the meeting's `seq` gets "
                    "`{seq, snapshot, now}` instead. " + _READER
                ),
            )
        },
        "/api/meetings/{meeting_id}/commands": {
            "post": _op(
                "postCommand",
                "Send a command; answered once its events are durable.",
                {"200": ("recorded (or recorded before, under the same id)", ref("CommandResult"))},
                _COMMAND_CODES,
                body="HttpCommand",
                params=[_MEETING_ID],
                security=_REQUIRED,
                description="Retrying with the same `id` never applies the command twice.",
            )
        },
        **_minutes_paths(),
    }


def _minutes_paths() -> dict[str, Schema]:
    reader_fails = ["unauthorized", "not_allowed", "not_found"]
    minutes_doc = {
        "200": {
            "description": "the minutes, built from the log",
            "content": {
                _JSON: {"schema": {"type": "object", "description": "format meeting-minutes/1"}},
                "text/html": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
    get_minutes = _op(
        "getMinutes",
        "The minutes (biên bản) as they stand: JSON, HTML or PDF; delegates and staff only.",
        {},
        [*reader_fails, "bad_message"],
        params=[
            _MEETING_ID,
            _query("format", {"enum": ["json", "html", "pdf"], "default": "json"}, "Which form."),
        ],
        security=_REQUIRED,
    )
    get_minutes["responses"] = {**minutes_doc, **get_minutes["responses"]}
    sealed = {
        "type": "object",
        "required": ["manifest_sha256", "seq", "bundle"],
        "properties": {
            "manifest_sha256": {"type": "string"},
            "seq": {"type": "integer"},
            "bundle": {"type": "string"},
        },
    }
    bundle = _op(
        "getBundle",
        "The sealed archive bundle (zip): minutes, log, papers, manifest.",
        {},
        reader_fails,
        params=[_MEETING_ID],
        security=_REQUIRED,
    )
    bundle["responses"] = {
        "200": {
            "description": "the zip; its manifest's SHA-256 is the ETag",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        },
        **bundle["responses"],
    }
    return {
        "/api/meetings/{meeting_id}/minutes": {"get": get_minutes},
        "/api/meetings/{meeting_id}/minutes/seal": {
            "post": _op(
                "sealMinutes",
                "Build and store the archive bundle, then record `minutes.seal` with its hash.",
                {"200": ("sealed", sealed)},
                [*reader_fails, "invalid_state"],
                params=[_MEETING_ID],
                security=_REQUIRED,
                description="The chair must have approved the minutes; the clerk seals.",
            )
        },
        "/api/meetings/{meeting_id}/minutes/bundle": {"get": bundle},
    }
