"""The papers of a sitting (tài liệu): files, papers on agenda items, receipts, notes, presenter.

Frozen dataclasses held in `Meeting.papers`, built only by `papers_apply`. A file is known
by the SHA-256 of its bytes; a paper is one document on one agenda item whose versions are
files. Who may read a paper is decided here (`paper_audience`, `may_read`, `grant`) so that
the commands, the views and the download route all answer the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .model import Access, Actor, Audience, Role, audience_for

if TYPE_CHECKING:
    from .model import Meeting

__all__ = [
    "Annotation",
    "Grant",
    "Paper",
    "PaperAccess",
    "PaperFile",
    "PaperKind",
    "Papers",
    "Presenter",
    "grant",
    "may_read",
    "paper_audience",
]


class PaperKind(StrEnum):
    SUBMISSION = "submission"
    """tờ trình"""
    DRAFT_RESOLUTION = "draft_resolution"
    """dự thảo nghị quyết"""
    REPORT = "report"
    """báo cáo"""
    OTHER = "other"


class PaperAccess(StrEnum):
    """Who may read a paper, within those who may see its agenda item."""

    PUBLIC = "public"
    DELEGATES = "delegates"
    CONFIDENTIAL = "confidential"
    """tài liệu mật: staff and the delegates named in `readers`, each copy watermarked."""


@dataclass(frozen=True, slots=True)
class PaperFile:
    """An uploaded PDF, checked by the server: its hash, size, page count and title."""

    sha256: str
    size: int
    pages: int
    title: str | None
    filename: str
    uploaded_at: str
    uploaded_by: str | None


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper on one agenda item; `versions` are its files, oldest first."""

    id: str
    item_id: str
    kind: PaperKind
    access: PaperAccess
    title: str
    versions: tuple[str, ...]
    attached_at: str
    readers: frozenset[str] = frozenset()
    replaced_at: str | None = None

    @property
    def sha256(self) -> str:
        """The current version."""
        return self.versions[-1]


@dataclass(frozen=True, slots=True)
class Annotation:
    """A private note of one person, on one page of one version of a paper."""

    id: str
    paper_id: str
    sha256: str
    page: int
    x: float
    y: float
    text: str
    at: str
    rects: tuple[tuple[float, float, float, float], ...] = ()
    """A highlight's rectangles (x, y, width, height as fractions of the page); none for a
    plain note."""


@dataclass(frozen=True, slots=True)
class Presenter:
    """What the chair shows: a paper's page; tablets that follow turn to it."""

    paper_id: str
    sha256: str
    page: int
    at: str


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Papers:
    files: Mapping[str, PaperFile] = field(default_factory=_empty)
    by_id: Mapping[str, Paper] = field(default_factory=_empty)
    """Papers on the agenda, in the order they were attached (detached ones are dropped)."""
    by_hash: Mapping[str, frozenset[str]] = field(default_factory=_empty)
    """File hash → the papers (current or not) that have it as a version, for access checks."""
    receipts: Mapping[tuple[str, str], str] = field(default_factory=_empty)
    """(file hash, user) → when that user first opened that version."""
    notes: Mapping[str, Mapping[str, Annotation]] = field(default_factory=_empty)
    """user → annotation id → her note."""
    presenter: Presenter | None = None


STAFF_ROLES = frozenset({Role.CHAIR, Role.CLERK, Role.ADMIN})


def paper_audience(state: Meeting, paper: Paper) -> Audience:
    """The widest audience that may read the paper (confidential papers: staff, plus its
    named readers, who are told through events private to each of them)."""
    item = state.items.get(paper.item_id)
    if paper.access is PaperAccess.CONFIDENTIAL or item is None:
        return Audience.STAFF  # (an item removed from the agenda takes its papers with it)
    if paper.access is PaperAccess.DELEGATES or item.access is not Access.PUBLIC:
        return Audience.DELEGATES
    return Audience.PUBLIC


def may_read(state: Meeting, paper: Paper, audience: Audience, user_id: str | None) -> bool:
    """True when someone of `audience` (and, for named readers, `user_id`) may read it."""
    if audience.sees(paper_audience(state, paper)):
        return True
    if paper.access is not PaperAccess.CONFIDENTIAL or user_id is None:
        return False
    member = state.members.get(user_id)
    return user_id in paper.readers and member is not None and Role.DELEGATE in member.roles


@dataclass(frozen=True, slots=True)
class Grant:
    """May this person download this file, and how: `public` allows shared caches,
    `watermark` means each reader gets her own stamped copy."""

    public: bool
    watermark: bool


def grant(state: Meeting, actor: Actor, sha256: str) -> Grant | None:
    """How `actor` may download the file `sha256` of this meeting, or None.

    Staff may read every uploaded file (unstamped). Others read the versions of papers they
    may read; when the same bytes are both public and confidential, the widest grant wins.
    """
    if sha256 not in state.papers.files:
        return None
    roles = state.roles_of(actor)
    audience = audience_for(roles)
    best: Grant | None = None
    for paper_id in state.papers.by_hash.get(sha256, frozenset()):
        paper = state.papers.by_id.get(paper_id)
        if paper is None or not may_read(state, paper, audience, actor.user_id):
            continue
        public = paper_audience(state, paper) is Audience.PUBLIC
        stamp = paper.access is PaperAccess.CONFIDENTIAL and audience is not Audience.STAFF
        if best is None or (best.watermark and not stamp) or (public and not best.public):
            best = Grant(public=public, watermark=stamp)
    if best is None and roles & STAFF_ROLES:
        return Grant(public=False, watermark=False)
    return best
