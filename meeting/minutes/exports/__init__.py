"""Open data from the log: Popolo (votes), OParl (meeting, agenda, papers, files) and an
Akoma Ntoso `debate`. Pure functions of a meeting's state and an audience (`_scope`):
the public variant has nothing of a closed session, and no export ever lists a delegate's
choice in anything but a named motion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from meeting.domain import Meeting
from meeting.domain.model import Audience

from .akn import AKN_FORMAT, akn
from .oparl import OPARL_FORMAT, oparl
from .popolo import POPOLO_FORMAT, popolo

__all__ = ["AKN_FORMAT", "EXPORTS", "OPARL_FORMAT", "POPOLO_FORMAT", "Export", "akn", "export",
           "oparl", "popolo"]  # fmt: skip

_encode = msgspec.json.Encoder(order="deterministic").encode


@dataclass(frozen=True, slots=True)
class Export:
    """One export's bytes, media type and file name."""

    data: bytes
    media_type: str
    filename: str


def _popolo(state: Meeting, audience: Audience, base_url: str) -> Export:
    data = _encode(popolo(state, audience))
    return Export(data, "application/json", f"{state.id}-popolo.json")


def _oparl(state: Meeting, audience: Audience, base_url: str) -> Export:
    data = _encode(oparl(state, audience, base_url))
    return Export(data, "application/json", f"{state.id}-oparl.json")


def _akn(state: Meeting, audience: Audience, base_url: str) -> Export:
    return Export(akn(state, audience), "application/akn+xml", f"{state.id}-akn.xml")


EXPORTS: dict[str, Callable[[Meeting, Audience, str], Export]] = {
    "popolo": _popolo,
    "oparl": _oparl,
    "akn": _akn,
}
"""The export formats by their name in `GET /api/meetings/{id}/export/{format}`."""


def export(name: str, state: Meeting, audience: Audience, base_url: str) -> Export:
    """The export `name` (a key of `EXPORTS`) of `state` for `audience`."""
    return EXPORTS[name](state, audience, base_url)
