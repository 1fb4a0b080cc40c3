"""The state of the written record: the clerk's notes and the minutes' lifecycle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["Addendum", "Note", "Record"]


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    item_id: str | None
    text: str
    at: str
    by: str | None
    seq: int
    edited_at: str | None = None


@dataclass(frozen=True, slots=True)
class Addendum:
    id: str
    text: str
    at: str
    seq: int
    refers_to: str


def _empty() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Record:
    """Notes by id (in the order taken), draft sections, approval, seal and addenda."""

    notes: Mapping[str, Note] = field(default_factory=_empty)  # type: ignore[arg-type]
    sections: Mapping[str, str] = field(default_factory=_empty)  # type: ignore[arg-type]
    approved_at: str | None = None
    approved_by: str | None = None
    approved_seq: int | None = None
    sealed_at: str | None = None
    sealed_manifest: str | None = None
    sealed_seq: int | None = None
    addenda: tuple[Addendum, ...] = ()
