"""Error codes of the protocol layer (the domain's own codes live in `meeting.domain.errors`).

Every code here is part of the public contract; `docs/protocol.md` lists them all and a
test checks that it does.
"""

from __future__ import annotations

from docs_store import REFUSALS
from meeting.domain import errors as domain

__all__ = ["CLOSE", "CODES", "HTTP_STATUS"]

BAD_JSON = "bad_json"
BAD_MESSAGE = "bad_message"
UNAUTHORIZED = "unauthorized"
RATE_LIMITED = "rate_limited"
UNAVAILABLE = "unavailable"
INTERNAL = "internal_error"
TOO_LARGE = "too_large"
FORBIDDEN_ORIGIN = "forbidden_origin"
PIN_INVALID = "pin_invalid"
PAIRING_INVALID = "pairing_invalid"
TOO_MANY_ATTEMPTS = "too_many_attempts"
INVALID_IMPORT = "invalid_import"
PDF_TOO_LARGE = "pdf_too_large"
STORAGE_FULL = "storage_full"
STORAGE_ERROR = "storage_error"
PAPER_CODES = (PDF_TOO_LARGE, *REFUSALS, STORAGE_FULL, STORAGE_ERROR)
"""Refusals of a paper's upload (HTTP only): its size, what the PDF intake found, the disk."""

CODES = (
    domain.NOT_ALLOWED,
    domain.INVALID_STATE,
    domain.NOT_FOUND,
    domain.INVALID_ARGS,
    domain.UNKNOWN_COMMAND,
    domain.VOTE_CLOSED,
    domain.ALREADY_VOTED,
    domain.NOT_ENTITLED,
    domain.PIN_REQUIRED,
    domain.NO_QUORUM,
    domain.DEVICE_NOT_PAIRED,
    domain.VOTE_OPEN,
    PIN_INVALID,
    PAIRING_INVALID,
    TOO_MANY_ATTEMPTS,
    BAD_JSON,
    BAD_MESSAGE,
    UNAUTHORIZED,
    RATE_LIMITED,
    UNAVAILABLE,
    INTERNAL,
    TOO_LARGE,
    INVALID_IMPORT,
    *PAPER_CODES,
)

HTTP_STATUS = {
    domain.NOT_ALLOWED: 403,
    domain.INVALID_STATE: 409,
    domain.NOT_FOUND: 404,
    domain.INVALID_ARGS: 422,
    domain.UNKNOWN_COMMAND: 400,
    domain.VOTE_CLOSED: 409,
    domain.ALREADY_VOTED: 409,
    domain.NOT_ENTITLED: 403,
    domain.PIN_REQUIRED: 403,
    domain.NO_QUORUM: 409,
    domain.DEVICE_NOT_PAIRED: 403,
    domain.VOTE_OPEN: 409,
    PIN_INVALID: 403,
    PAIRING_INVALID: 401,
    TOO_MANY_ATTEMPTS: 429,
    BAD_JSON: 400,
    BAD_MESSAGE: 400,
    UNAUTHORIZED: 401,
    RATE_LIMITED: 429,
    UNAVAILABLE: 503,
    INTERNAL: 500,
    TOO_LARGE: 413,
    INVALID_IMPORT: 422,
    **dict.fromkeys(REFUSALS, 422),
    "not_pdf": 415,
    PDF_TOO_LARGE: 413,
    STORAGE_FULL: 507,
    STORAGE_ERROR: 503,
}


class CLOSE:
    """WebSocket close codes."""

    NORMAL = 1000
    POLICY = 1008
    TOO_BIG = 1009
    RESTART = 1012
    UNAUTHORIZED = 4001
    DEVICE_REVOKED = 4003
    HELLO_EXPECTED = 4002
    NO_MEETING = 4004
    RESUME = 4008
    REJOIN = 4009
