"""JSON Schemas of the wire, built from the msgspec declarations for both protocol documents.

Generic envelopes become unions of precise variants here: `EventFrame` becomes one variant
per event name (with that event's `data`), a command message one variant per command name
(with its `args`), and every error `code` the enum of `errors.CODES`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import msgspec

from docs_store import REFUSALS
from meeting.domain.catalog import EVENTS
from meeting.domain.decide import RULES, Rule

from . import errors
from .errors import CLOSE

__all__ = [
    "CLOSE_MEANINGS",
    "ERROR_MEANINGS",
    "Schema",
    "close_codes",
    "needs_args",
    "ref",
    "returns_note",
    "roles_of",
    "schemas",
]

Schema = dict[str, Any]
_REF = "#/components/schemas/{name}"

ERROR_MEANINGS = {
    "not_allowed": "the sender's roles do not permit the command",
    "invalid_state": "the sitting is not in a state that accepts it",
    "not_found": "it names a meeting, item or member that does not exist",
    "invalid_args": "arguments missing, of the wrong type or out of range",
    "unknown_command": "no command has this name",
    "vote_closed": "the ballot came after the vote closed (or before it opened): not counted",
    "already_voted": "this delegate's ballot in this vote is recorded and cannot be changed",
    "not_entitled": "not a delegate entitled to this vote when it opened",
    "pin_required": "this vote asks for the delegate's PIN with the ballot",
    "pin_invalid": "the PIN sent with the ballot is wrong",
    "no_quorum": "the vote cannot open: fewer delegates present than the quorum",
    "device_not_paired": "this sitting takes ballots only from the delegate's paired tablet",
    "pairing_invalid": "the pairing code is wrong, used or expired, or the PIN is wrong",
    "too_many_attempts": "too many failed pairings with this code or from this client",
    "invalid_import": "the file has problems (each with its row and column); nothing imported",
    "vote_open": "the sitting cannot close while a vote is open: close it or enter its counts",
    "bad_json": "the frame or body is not valid JSON",
    "bad_message": "valid JSON but not a message of this protocol",
    "unauthorized": "no valid token (commands need one)",
    "rate_limited": "too many commands in a short time; try again shortly",
    "unavailable": "the server could not make the command durable; retry with the same id",
    "internal_error": "the server failed on this command; nothing was recorded",
    "too_large": "the HTTP body exceeds MEETING_MAX_MESSAGE_BYTES",
    "pdf_too_large": "the paper exceeds MEETING_MAX_PAPER_BYTES; nothing was kept",
    **REFUSALS,
    "storage_full": "the server's disk is full; nothing was kept, papers stored before are intact",
    "storage_error": "the document store failed; nothing was kept",
}
"""One line per code of `errors.CODES`, for the documents' descriptions."""

CLOSE_MEANINGS = {
    CLOSE.NORMAL: ("normal close", "nothing"),
    CLOSE.POLICY: (
        "origin refused before the handshake (HTTP 403), or a flood of rate-limited frames",
        "fix the client",
    ),
    CLOSE.TOO_BIG: ("a frame exceeded MEETING_MAX_MESSAGE_BYTES", "fix the client"),
    CLOSE.RESTART: ("the server is restarting", "reconnect with since"),
    CLOSE.UNAUTHORIZED: ("bad or expired token", "sign in again"),
    CLOSE.DEVICE_REVOKED: ("this paired tablet was revoked by the staff", "pair again"),
    CLOSE.HELLO_EXPECTED: ("hello expected first (or not within the time limit)", "fix the client"),
    CLOSE.NO_MEETING: ("no such meeting", "stop"),
    CLOSE.RESUME: (
        "the client fell behind (backlog over MEETING_MAX_BACKLOG_BYTES)",
        "reconnect with since",
    ),
    CLOSE.REJOIN: (
        "the user's roles in this meeting changed (an audience is fixed when a connection joins)",
        "reconnect with since",
    ),
}
"""WebSocket close codes: (meaning, what the client does)."""


def close_codes() -> list[int]:
    """Every code of `errors.CLOSE`; raises when one has no meaning in `CLOSE_MEANINGS`."""
    codes = sorted(v for k, v in vars(CLOSE).items() if k.isupper() and isinstance(v, int))
    missing = set(codes) - set(CLOSE_MEANINGS)
    if missing:
        raise LookupError(f"close codes without a meaning: {sorted(missing)}")
    return codes


def ref(name: str) -> Schema:
    return {"$ref": _REF.format(name=name)}


def roles_of(rule: Rule) -> list[str]:
    return sorted(str(r) for r in rule.roles)


def returns_note(rule: Rule) -> str:
    """The sentence that says what the command's ack returns (empty when nothing)."""
    if rule.returns is None:
        return ""
    return f" The ack's `result` is `{{{rule.returns.key}}}`."


def needs_args(rule: Rule) -> bool:
    """True when the command's args have a required field (else `args` may be left out)."""
    return any(f.required for f in msgspec.structs.fields(rule.args))


def schemas(types: Iterable[Any], commands: Iterable[str] = ()) -> dict[str, Schema]:
    """Component schemas of `types`, every command's args and every event's wire data.

    Each name in `commands` is a generic command envelope (a Struct with `id`, `name`,
    `args`) to be replaced by one variant per command, keyed `<name>.<command>`.
    """
    every = [*types, *(r.args for r in RULES.values()), *(k.wire for k in EVENTS.values())]
    _, components = msgspec.json.schema_components(every, ref_template=_REF)
    if "EventFrame" in components:
        _events(components)
    for envelope in commands:
        _commands(components, envelope)
    if "CreateBody" in components:
        components["CreateBody"]["properties"]["args"] = ref("CreateMeeting")
    _error_codes(components)
    return dict(sorted(components.items()))


def _union(components: dict[str, Schema], name: str, base: Schema, keys: list[str]) -> None:
    components[name] = {
        "title": name,
        "description": base.get("description", ""),
        "oneOf": [ref(k) for k in keys],
    }


def _events(components: dict[str, Schema]) -> None:
    base = components.pop("EventFrame")
    keys = []
    for kind in EVENTS.values():
        variant = copy.deepcopy(base)
        variant["title"] = kind.name
        variant["description"] = f"{kind.doc} Seen by {kind.audience}."
        variant["properties"]["name"] = {"const": kind.name}
        variant["properties"]["data"] = ref(kind.wire.__name__)
        keys.append(f"event.{kind.name}")
        components[keys[-1]] = variant
    _union(components, "EventFrame", base, keys)


def _commands(components: dict[str, Schema], envelope: str) -> None:
    base = components.pop(envelope)
    keys = []
    for rule in RULES.values():
        variant = copy.deepcopy(base)
        variant["title"] = rule.name
        roles = ", ".join(roles_of(rule))
        variant["description"] = f"{rule.doc} Roles: {roles}.{returns_note(rule)}"
        variant["properties"]["name"] = {"const": rule.name}
        variant["properties"]["args"] = ref(rule.args.__name__)
        if needs_args(rule):
            variant["required"] = [*variant["required"], "args"]
        keys.append(f"{envelope}.{rule.name}")
        components[keys[-1]] = variant
    _union(components, envelope, base, keys)


def _error_codes(components: dict[str, Schema]) -> None:
    missing = set(errors.CODES) - set(ERROR_MEANINGS)
    if missing:
        raise LookupError(f"error codes without a meaning: {sorted(missing)}")
    lines = [f"- `{code}`: {ERROR_MEANINGS[code]}" for code in errors.CODES]
    components["ErrorCode"] = {
        "title": "ErrorCode",
        "description": "Stable machine codes of refusals:\n" + "\n".join(lines),
        "enum": list(errors.CODES),
    }
    for name in ("ErrorFrame", "Failure"):
        if name in components:
            components[name]["properties"]["code"] = ref("ErrorCode")
