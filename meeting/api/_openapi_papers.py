"""The papers' HTTP routes for the OpenAPI document (`papers_http`, `paper_download`)."""

from __future__ import annotations

import msgspec

from ._components import Schema, ref
from ._openapi import _MEETING_ID, _OPTIONAL, _REQUIRED, _op, _query
from .errors import PAPER_CODES

__all__ = ["PAPER_TYPES", "PaperText", "PaperUploaded", "paper_paths"]


class PaperUploaded(msgspec.Struct, forbid_unknown_fields=True):
    """The stored and checked file; record it on an item with `paper.attach`."""

    sha256: str
    size: int
    pages: int
    title: str | None
    filename: str
    seq: int


class PaperText(msgspec.Struct, forbid_unknown_fields=True):
    """Each page's text as extracted at upload, for search (`texts[0]` is page 1)."""

    sha256: str
    pages: int
    texts: list[str]


PAPER_TYPES = [PaperUploaded, PaperText]

_SHA = {
    "name": "sha256",
    "in": "path",
    "required": True,
    "description": "The file's SHA-256, in lowercase hex (the paper's `sha256`).",
    "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
}
_PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
_READ_CODES = ("not_found", "unauthorized", "not_allowed", "unavailable")


def _header(name: str, description: str) -> Schema:
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string"},
            "description": description}  # fmt: skip


def _with(op: Schema, responses: dict[str, Schema]) -> Schema:
    op["responses"] = dict(sorted({**op["responses"], **responses}.items()))
    return op


def paper_paths() -> dict[str, Schema]:
    upload = _op(
        "uploadPaper",
        "Upload one PDF (raw body); it is checked, stored by its hash and recorded.",
        {
            "201": ("stored, checked and recorded in the meeting", ref("PaperUploaded")),
            "200": ("this meeting has the same bytes already (nothing new)", ref("PaperUploaded")),
        },
        ("not_found", "unauthorized", "not_allowed", "bad_message", *PAPER_CODES),
        params=[_MEETING_ID, _query("filename", {"type": "string"}, "The file's name.")],
        security=_REQUIRED,
        description=(
            "Chair, clerk or admin. The body is one PDF (`Content-Type: application/pdf`), "
            "at most MEETING_MAX_PAPER_BYTES; upload several papers with several requests. "
            "It is read by pypdf in a worker process within MEETING_MAX_PAPER_PAGES, "
            "MEETING_PDF_MEMORY_BYTES and MEETING_PDF_SECONDS; a refused, interrupted or "
            "unstorable upload leaves nothing behind. The same bytes are stored once."
        ),
    )
    upload["requestBody"] = {"required": True, "content": _PDF}
    download = _op(
        "downloadPaper",
        "A paper's bytes: ETag = hash, immutable, one Range, If-None-Match.",
        {},
        _READ_CODES,
        params=[
            _MEETING_ID,
            _SHA,
            _header("Range", "One range `bytes=a-b`, `a-` or `-n` gets 206; several get 200."),
            _header("If-None-Match", "The ETag held: 304 when it is the paper's."),
            _header("If-Range", "The Range applies only if this is the paper's ETag."),
        ],
        description=(
            "Public papers are readable by anyone (and shared caches); others need a token "
            "of someone who may read them (401 without one, 403 with the wrong one). A "
            "confidential paper is sent to each named delegate as her own copy, stamped "
            "with her name, seat and the time, with that copy's hash as its ETag. Also "
            "answers HEAD."
        ),
    )
    binary = {
        "ETag": {"schema": {"type": "string"}, "description": '`"<sha256>"`'},
        "Cache-Control": {
            "schema": {"type": "string"},
            "description": "`public, max-age=31536000, immutable` (`private, …` unless public)",
        },
    }
    _with(
        download,
        {
            "200": {"description": "the whole paper", "headers": binary, "content": _PDF},
            "206": {"description": "the range asked for (`Content-Range`)", "content": _PDF},
            "304": {"description": "not modified: If-None-Match holds the ETag"},
            "416": {"description": "the range starts past the end (`Content-Range: bytes */N`)"},
        },
    )
    text = _op(
        "paperText",
        "Each page's text, as extracted at upload (for search); the download's access rules.",
        {"200": ("the text of every page", ref("PaperText"))},
        _READ_CODES,
        params=[_MEETING_ID, _SHA],
        security=_OPTIONAL,
    )
    return {
        "/api/meetings/{meeting_id}/papers": {"post": upload},
        "/api/meetings/{meeting_id}/papers/{sha256}": {"get": download},
        "/api/meetings/{meeting_id}/papers/{sha256}/text": {"get": text},
    }
