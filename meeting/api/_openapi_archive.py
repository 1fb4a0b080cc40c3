"""The archive's HTTP routes for the OpenAPI document: exports, replay and search."""

from __future__ import annotations

from typing import Literal

import msgspec

from ._components import Schema, ref
from ._openapi import _MEETING_ID, _OPTIONAL, _op, _query

__all__ = ["ARCHIVE_TYPES", "SearchResult", "SearchResults", "archive_paths"]


class SearchResult(msgspec.Struct, forbid_unknown_fields=True):
    """One thing found: where (meeting, item), what (`kind`, `key`), when, and a snippet."""

    meeting_id: str
    meeting_title: str
    body_id: str
    kind: Literal["meeting", "item", "paper", "vote", "question", "note", "section"]
    key: str
    """Unique in the meeting: `item:<item_id>`, `paper:<paper_id>`, `vote:<vote_id>`, …"""
    item_id: str | None
    title: str
    snippet: str
    """The text around the first word found, with its diacritics."""
    at: str
    audience: Literal["public", "delegates", "staff"]
    """The least audience that may find it: `delegates` marks a closed session."""


class SearchResults(msgspec.Struct, forbid_unknown_fields=True):
    """The best matches first (at most `limit`)."""

    q: str
    words: list[str]
    """The query's words as searched: lower case, without diacritics, "đ" as "d"."""
    results: list[SearchResult]


ARCHIVE_TYPES = [SearchResults]

_FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "`popolo` (votes), `oparl` (meeting, agenda, papers, files) or `akn` "
    "(Akoma Ntoso debate).",
    "schema": {"enum": ["popolo", "oparl", "akn"]},
}


def _with(op: Schema, responses: dict[str, Schema]) -> Schema:
    op["responses"] = dict(sorted({**op["responses"], **responses}.items()))
    return op


def archive_paths() -> dict[str, Schema]:
    export = _op(
        "getExport",
        "Open data of the meeting for the caller's audience: Popolo, OParl or Akoma Ntoso.",
        {},
        ("unauthorized", "not_found"),
        params=[_MEETING_ID, _FORMAT],
        security=_OPTIONAL,
        description=(
            "Anyone gets the public variant (nothing of a closed session); delegates also "
            "get closed sessions and papers for delegates; staff everything. Each delegate's "
            "vote is listed for named motions only, never for a secret or paper ballot. "
            "The header `X-Audience` says which variant this is."
        ),
    )
    any_json = {"type": "object", "description": "`meeting-popolo/1` or `meeting-oparl/1`"}
    _with(
        export,
        {
            "200": {
                "description": "the export",
                "content": {
                    "application/json": {"schema": any_json},
                    "application/akn+xml": {"schema": {"type": "string"}},
                },
            }
        },
    )
    replay = _op(
        "replay",
        "The log as server-sent events at its original pace (or `speed` times faster).",
        {},
        ("bad_message", "unauthorized", "not_found"),
        params=[
            _MEETING_ID,
            _query(
                "speed",
                {"type": "number", "exclusiveMinimum": 0, "maximum": 10000, "default": 1},
                "How many times faster than the sitting.",
            ),
            _query(
                "since",
                {"type": "integer", "minimum": 0, "default": 0},
                "Replay the events after this `seq` (`Last-Event-ID` wins).",
            ),
            _query(
                "until",
                {"type": "integer", "minimum": 0},
                "The last `seq` to replay (default: the log's head now).",
            ),
            _query(
                "max_gap",
                {"type": "number", "minimum": 0, "default": 5},
                "Longest pause between two events, in seconds of the replay.",
            ),
        ],
        security=_OPTIONAL,
        description=(
            "`text/event-stream`: a `replay` message, then one `event` message per event "
            "the caller may see (`id` = its `seq`, data = the WebSocket's event frame), "
            "then `end`. A response streams at most MEETING_REPLAY_MAX_SECONDS; the client "
            "resumes with `Last-Event-ID`. Nothing left to send: 204."
        ),
    )
    _with(
        replay,
        {
            "200": {
                "description": "the replay",
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
            },
            "204": {"description": "nothing after `since` (an `EventSource` stops)"},
        },
    )
    search = _op(
        "search",
        "Search every meeting: items, papers and their text, votes, questions, notes.",
        {"200": ("the best matches first", ref("SearchResults"))},
        ("bad_message", "unauthorized", "unavailable"),
        params=[
            _query(
                "q",
                {"type": "string", "maxLength": 500},
                "Words to find, with or without diacritics; the last may be cut short.",
            ),
            _query("body", {"type": "string"}, "Only this body's meetings (its id)."),
            _query("meeting", {"type": "string"}, "Only this meeting (its id)."),
            _query("from", {"type": "string", "format": "date"}, "From this day on."),
            _query("to", {"type": "string", "format": "date"}, "Up to this day, included."),
            _query(
                "limit",
                {"type": "integer", "minimum": 1, "default": 20},
                "At most this many (MEETING_SEARCH_MAX_RESULTS at most).",
            ),
        ],
        security=_OPTIONAL,
        description=(
            "Each meeting's entries as the caller's audience in that meeting may see them: "
            "nothing of a closed session for the public, no notes but for staff."
        ),
    )
    return {
        "/api/meetings/{meeting_id}/export/{format}": {"get": export},
        "/api/meetings/{meeting_id}/replay": {"get": replay},
        "/api/search": {"get": search},
    }
