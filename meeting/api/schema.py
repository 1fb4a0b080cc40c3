"""The protocol documents, generated from the code's declarations: AsyncAPI and OpenAPI.

`asyncapi()` describes the WebSocket (the server's side of it), `openapi()` the HTTP routes
of `app.py`. Both are built from the msgspec Structs that parse or describe the wire
(`messages`, `wire`, `http`, the domain's command args and event catalogue), never written
by hand; `meeting schema` writes them to `docs/` and a test checks the committed copies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from meeting import __version__
from meeting.domain.catalog import EVENTS
from meeting.domain.decide import RULES

from . import errors, wire
from ._components import (
    CLOSE_MEANINGS,
    ERROR_MEANINGS,
    Schema,
    close_codes,
    needs_args,
    ref,
    returns_note,
    roles_of,
)
from ._components import schemas as _schemas
from ._openapi import paths
from ._openapi_archive import ARCHIVE_TYPES, archive_paths
from ._openapi_pairing import PAIRING_TYPES, pairing_paths
from ._openapi_papers import PAPER_TYPES, paper_paths
from .http import CreateBody, LoginBody
from .messages import CommandMessage, Hello, HttpCommand

__all__ = ["asyncapi", "command_table", "event_table", "openapi", "write_docs"]

_CHANNEL = "/ws/meetings/{meeting_id}"
_INTRO = (
    "One WebSocket per device. Text frames, each a JSON object with a `type`. The client "
    "sends `hello` first, then `command` frames; the server answers `welcome`, then sends "
    "`event`/`events` frames as the log grows and one `ack` or `error` per command. "
    "See docs/protocol.md for resume by `seq`, audiences and idempotent retries."
)


def _close_codes() -> str:
    rows = [f"| {c} | {CLOSE_MEANINGS[c][0]} | {CLOSE_MEANINGS[c][1]} |" for c in close_codes()]
    return "\n".join(["| close code | meaning | the client |", "| --- | --- | --- |", *rows])


def _message(key: str, schema: str, summary: str, description: str = "") -> Schema:
    message: Schema = {"name": key, "title": key, "summary": summary, "payload": ref(schema)}
    if description:
        message["description"] = description
    return message


def _command_messages() -> dict[str, Schema]:
    out = {}
    for rule in RULES.values():
        key = f"command.{rule.name}"
        roles = roles_of(rule)
        note = "" if needs_args(rule) else " `args` may be left out."
        note += returns_note(rule)
        message = _message(
            key, f"CommandMessage.{rule.name}", rule.doc, f"Roles: {', '.join(roles)}.{note}"
        )
        message["x-roles"] = roles
        out[key] = message
    return out


def asyncapi() -> Schema:
    """The AsyncAPI 3.0 document of `/ws/meetings/{meeting_id}`."""
    types = [Hello, CommandMessage, wire.Welcome, wire.EventFrame, wire.EventsFrame]
    components = _schemas([*types, wire.Ack, wire.ErrorFrame], commands=["CommandMessage"])
    codes = "\n".join(f"- `{c}`: {ERROR_MEANINGS[c]}" for c in errors.CODES)
    messages: dict[str, Schema] = {
        "hello": _message("hello", "Hello", "Credentials and the last `seq` applied."),
        "welcome": _message(
            "welcome", "Welcome", "Who you are, the current `seq`, a snapshot or a replay."
        ),
        "event": _message("event", "EventFrame", "One event of the log, as you may see it."),
        "events": _message("events", "EventsFrame", "Events committed together, in order."),
        **_command_messages(),
        "ack": _message("ack", "Ack", "The command is durably recorded."),
        "error": _message("error", "ErrorFrame", "A refusal with a stable code.", codes),
    }

    def pick(*keys: str) -> list[Schema]:
        return [{"$ref": f"#/channels/meeting/messages/{k}"} for k in keys]

    channel = {"$ref": "#/channels/meeting"}
    commands = [k for k in messages if k.startswith("command.")]
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Meeting server: WebSocket protocol",
            "version": __version__,
            "description": _INTRO,
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:8000",
                "protocol": "ws",
                "description": "`meeting serve` with the default settings",
            }
        },
        "channels": {
            "meeting": {
                "address": _CHANNEL,
                "title": "A meeting's live channel",
                "description": f"How a connection ends:\n\n{_close_codes()}",
                "parameters": {"meeting_id": {"description": "The meeting's id."}},
                "messages": {k: {"$ref": f"#/components/messages/{k}"} for k in messages},
            }
        },
        "operations": {
            "receiveHello": {
                "action": "receive",
                "channel": channel,
                "summary": "The first frame of every connection.",
                "messages": pick("hello"),
                "reply": {"channel": channel, "messages": pick("welcome")},
            },
            "receiveCommand": {
                "action": "receive",
                "channel": channel,
                "summary": "A command; answered by one `ack` or one `error` with its `id`.",
                "messages": pick(*commands),
                "reply": {"channel": channel, "messages": pick("ack", "error")},
            },
            "sendEvents": {
                "action": "send",
                "channel": channel,
                "summary": "The log as it grows, filtered for the connection's audience.",
                "messages": pick("event", "events"),
            },
            "sendError": {
                "action": "send",
                "channel": channel,
                "summary": "A frame that could not be read as a command (`id` is null).",
                "messages": pick("error"),
            },
        },
        "components": {"messages": messages, "schemas": components},
    }


def openapi() -> Schema:
    """The OpenAPI 3.1 document of the HTTP routes."""
    responses = [wire.Health, wire.LoginResult, wire.LogoutResult, wire.MeetingList]
    responses += [wire.MeetingView, wire.EventsPage, wire.CommandResult, wire.Failure]
    responses += PAPER_TYPES
    responses += ARCHIVE_TYPES
    responses += PAIRING_TYPES
    types = [LoginBody, CreateBody, HttpCommand, *responses]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Meeting server: HTTP API",
            "version": __version__,
            "description": (
                "Sign-in, meetings, the log (with long-poll) and commands over HTTP, for "
                "integrations and scripts. All bodies are JSON. The live protocol is the "
                "WebSocket described in docs/asyncapi.json."
            ),
        },
        "servers": [{"url": "http://127.0.0.1:8000", "description": "`meeting serve`"}],
        "paths": {**paths(), **paper_paths(), **archive_paths(), **pairing_paths()},
        "components": {
            "schemas": _schemas(types, commands=["HttpCommand"]),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `POST /api/auth/login`.",
                }
            },
        },
    }


def command_table() -> str:
    """The Markdown table of every command, its roles, what it does and what its ack
    returns, for `protocol.md`."""
    lines = ["| command | roles | what it does | ack `result` |", "| --- | --- | --- | --- |"]
    for rule in RULES.values():
        result = f"`{rule.returns.key}`" if rule.returns else ""
        doc = " ".join(rule.doc.split())  # one table row, whatever the docstring's lines
        lines.append(f"| `{rule.name}` | {', '.join(roles_of(rule))} | {doc} | {result} |")
    return "\n".join(lines) + "\n"


def event_table() -> str:
    """The Markdown table of every event, who sees it and what it says, for `protocol.md`."""
    lines = ["| event | seen by | what it says |", "| --- | --- | --- |"]
    for kind in EVENTS.values():
        lines.append(f"| `{kind.name}` | {kind.audience} | {' '.join(kind.doc.split())} |")
    return "\n".join(lines) + "\n"


def dumps(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_docs(out: Path) -> list[Path]:
    """Write `asyncapi.json` and `openapi.json` into `out`, and refresh the command and
    event tables of `protocol.md` there if it exists; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in (("asyncapi.json", asyncapi()), ("openapi.json", openapi())):
        path = out / name
        path.write_text(dumps(document), encoding="utf-8")
        written.append(path)
    protocol = out / "protocol.md"
    if protocol.exists():
        text = protocol.read_text(encoding="utf-8")
        text = _replace_table(text, "## Commands", command_table())
        text = _replace_table(text, "## Events", event_table())
        protocol.write_text(text, encoding="utf-8")
        written.append(protocol)
    return written


def _replace_table(text: str, heading: str, table: str) -> str:
    """Put `table` in place of the first Markdown table under `heading`."""
    lines = text.split("\n")
    start = lines.index(heading)
    first = next(i for i in range(start, len(lines)) if lines[i].startswith("|"))
    last = first
    while last < len(lines) and lines[last].startswith("|"):
        last += 1
    return "\n".join([*lines[:first], table.rstrip("\n"), *lines[last:]])
