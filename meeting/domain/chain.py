"""The hash chain over a meeting's log: `hash = sha256(prev_hash + canonical event)`.

The canonical form is JSON with sorted keys, no spaces and UTF-8 text, so that anyone can
recompute it with any JSON library. The first event chains from `GENESIS`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from .events import Event

__all__ = ["GENESIS", "canonical_bytes", "chain_hash", "verify_chain"]

GENESIS = "0" * 64


def canonical_bytes(event: Event) -> bytes:
    return json.dumps(
        event.canonical(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def chain_hash(prev_hash: str, event: Event) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_bytes(event)).hexdigest()


def verify_chain(rows: Iterable[tuple[Event, str]]) -> str:
    """Check `seq` continuity and every hash; return the head hash.

    Raises ValueError naming the first event that does not verify.
    """
    prev = GENESIS
    expected_seq = 1
    for event, stored in rows:
        if event.seq != expected_seq:
            raise ValueError(f"seq {event.seq} found where {expected_seq} was expected")
        if chain_hash(prev, event) != stored:
            raise ValueError(f"hash mismatch at seq {event.seq}")
        prev = stored
        expected_seq += 1
    return prev
