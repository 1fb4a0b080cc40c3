"""The papers' events and their part of the snapshot, declared for the documents and tests."""

from __future__ import annotations

import msgspec

from .catalog import declare, kind
from .papers_state import PaperAccess, PaperKind

__all__ = ["PapersView"]

_PAPER = (
    "those who may read the paper (a confidential one: staff, and each named reader "
    "in a copy of her own)"
)


class _Data(msgspec.Struct, forbid_unknown_fields=True):
    pass


class UploadedData(_Data):
    """A file the server stored and checked; `title` is the PDF's own, if it has one."""

    sha256: str
    size: int
    pages: int
    title: str | None
    filename: str


class AttachedData(_Data):
    """A paper on an item; `readers` (confidential papers, staff's copy only) names who
    may read it besides staff."""

    paper_id: str
    item_id: str
    kind: PaperKind
    access: PaperAccess
    title: str
    sha256: str
    size: int
    pages: int
    readers: list[str] | msgspec.UnsetType = msgspec.UNSET


class ReplacedData(_Data):
    """The paper's new version is `sha256`; `previous` stays in the archive."""

    paper_id: str
    item_id: str
    previous: str
    title: str
    sha256: str
    size: int
    pages: int


class PaperRefData(_Data):
    paper_id: str
    item_id: str


class OpenedData(_Data):
    paper_id: str
    sha256: str
    user_id: str


class AnnotatedData(_Data):
    """One's private note; `x`, `y` are fractions of the page from its top left. A
    highlight has `rects` (`[x, y, width, height]` per line, same fractions)."""

    annotation_id: str
    paper_id: str
    sha256: str
    page: int
    x: float
    y: float
    text: str
    rects: list[list[float]] | msgspec.UnsetType = msgspec.UNSET


class AnnotationRefData(_Data):
    annotation_id: str


class ShownData(_Data):
    paper_id: str
    sha256: str
    page: int


class StoppedData(_Data):
    paper_id: str


class VersionView(_Data):
    sha256: str
    size: int
    pages: int


class PaperView(_Data):
    """A paper as its readers see it; `readers` only for staff (else null)."""

    paper_id: str
    item_id: str
    kind: PaperKind
    access: PaperAccess
    title: str
    sha256: str
    size: int
    pages: int
    versions: list[VersionView]
    attached_at: str
    replaced_at: str | None
    readers: list[str] | None


class FileView(_Data):
    sha256: str
    size: int
    pages: int
    title: str | None
    filename: str
    uploaded_at: str


class ReceiptView(_Data):
    """Who first opened which version, and when (staff only)."""

    sha256: str
    user_id: str
    at: str


class AnnotationView(_Data):
    annotation_id: str
    paper_id: str
    sha256: str
    page: int
    x: float
    y: float
    text: str
    at: str
    rects: list[list[float]]


class PresenterView(_Data):
    paper_id: str
    sha256: str
    page: int
    at: str


class PapersView(_Data):
    """The papers one may read, the presenter's page, one's own notes; for staff also every
    uploaded file and the read receipts (empty lists for others). `audience` says which
    of these views it is (`public`, `delegates` or `staff`), so that a device folding
    later events knows what it may be shown."""

    audience: str
    papers: list[PaperView]
    presenter: PresenterView | None
    annotations: list[AnnotationView]
    files: list[FileView]
    receipts: list[ReceiptView]


declare(
    kind("paper.uploaded", "A file was uploaded, stored and checked (pages, title).",
         UploadedData, audience="staff"),
    kind("paper.attached", "A paper is on an agenda item, with its kind and access.",
         AttachedData, audience=_PAPER),
    kind("paper.replaced", "A paper has a new version; the old one stays in the archive.",
         ReplacedData, audience=_PAPER),
    kind("paper.detached", "A paper was taken off its item.", PaperRefData, audience=_PAPER),
    kind("paper.opened", "Read receipt: someone first opened this version of a paper.",
         OpenedData, audience="staff"),
    kind("paper.annotated", "Your private note on a page of a paper (sent to you alone).",
         AnnotatedData, audience="its author"),
    kind("paper.annotation_deleted", "Your private note was deleted (sent to you alone).",
         AnnotationRefData, audience="its author"),
    kind("presenter.shown", "The chair shows this page; tablets that follow turn to it.",
         ShownData, audience=_PAPER),
    kind("presenter.stopped", "The chair stopped showing the paper.", StoppedData,
         audience=_PAPER),
)  # fmt: skip
