"""The arguments of the papers' commands (`paper.*`, `presenter.*`).

msgspec Structs that refuse unknown fields, like `commands`; the protocol documents are
generated from them.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from .papers_state import PaperAccess, PaperKind

__all__ = [
    "Annotate",
    "AnnotationRef",
    "AttachPaper",
    "OpenedPaper",
    "PaperRef",
    "ReplacePaper",
    "ShowPage",
    "UploadedFile",
]

Id = Annotated[str, Meta(min_length=1, max_length=64)]
Sha256 = Annotated[str, Meta(pattern="^[0-9a-f]{64}$")]
Title = Annotated[str, Meta(min_length=1, max_length=500)]
Page = Annotated[int, Meta(ge=1, le=1_000_000)]
Fraction = Annotated[float, Meta(ge=0.0, le=1.0)]

MAX_NOTE_CHARS = 4000
"""Longest private note, in characters."""
MAX_RECTS = 64
"""Most rectangles in one highlight (one per line of the highlighted text)."""
Rect = Annotated[list[Fraction], Meta(min_length=4, max_length=4)]


class _Args(msgspec.Struct, forbid_unknown_fields=True):
    pass


class UploadedFile(_Args):
    """A file the server has stored and checked; sent by the upload route only."""

    sha256: Sha256
    size: Annotated[int, Meta(ge=1)]
    pages: Annotated[int, Meta(ge=1)]
    filename: Annotated[str, Meta(max_length=255)]
    title: Annotated[str, Meta(max_length=500)] | None = None


class AttachPaper(_Args):
    """Attach an uploaded file to an agenda item as a paper of some kind and access.

    `readers` names the delegates who may read a confidential paper (and no one else's
    paper takes it). `title` defaults to the file's own title, else its file name.
    """

    item_id: Id
    sha256: Sha256
    kind: PaperKind = PaperKind.OTHER
    access: PaperAccess = PaperAccess.DELEGATES
    title: Title | None = None
    readers: Annotated[list[Id], Meta(max_length=10_000)] = []


class ReplacePaper(_Args):
    """A new version of a paper: another uploaded file; the old one stays in the archive."""

    paper_id: Id
    sha256: Sha256
    title: Title | None = None


class PaperRef(_Args):
    paper_id: Id


class OpenedPaper(_Args):
    """A read receipt: the tablet opened this version (the current one when left out)."""

    paper_id: Id
    sha256: Sha256 | None = None


class Annotate(_Args):
    """A private note on a page of one version of a paper (the current one when left out).

    `x` and `y` place it on the page as fractions of its width and height from the top
    left. A highlight also has `rects`: `[x, y, width, height]` per line of highlighted
    text, in the same fractions; its `text` may be empty. With `annotation_id`, the note of
    that id (one's own) is changed.
    """

    paper_id: Id
    page: Page
    text: Annotated[str, Meta(max_length=MAX_NOTE_CHARS)]
    x: Fraction = 0.0
    y: Fraction = 0.0
    sha256: Sha256 | None = None
    annotation_id: Id | None = None
    rects: Annotated[list[Rect], Meta(max_length=MAX_RECTS)] = []


class AnnotationRef(_Args):
    annotation_id: Id


class ShowPage(_Args):
    """The page the chair shows (1 is the first)."""

    paper_id: Id
    page: Page = 1
