"""Folding the papers' events into the state, and what each audience sees of the papers.

A confidential paper's events are logged once for staff and once more for each named
reader (a copy private to her, `Event.user` set): the staff event carries the change, the
copies change nothing here. Notes are the other way round: they exist only as events
private to their author.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Any

from .apply import on, set_in, without
from .events import Event
from .model import Audience, Meeting
from .papers_state import (
    Annotation,
    Paper,
    PaperAccess,
    PaperFile,
    PaperKind,
    Papers,
    Presenter,
    may_read,
)
from .views import snapshot_part

__all__: list[str] = []


def _with(state: Meeting, papers: Papers) -> Meeting:
    return replace(state, papers=papers)


def _put(papers: Papers, paper: Paper) -> Papers:
    by_hash = dict(papers.by_hash)
    for sha in paper.versions:
        by_hash[sha] = by_hash.get(sha, frozenset()) | {paper.id}
    return replace(
        papers, by_id=set_in(papers.by_id, paper.id, paper), by_hash=MappingProxyType(by_hash)
    )


@on("paper.uploaded")
def _uploaded(state: Meeting, e: Event) -> Meeting:
    d = e.data
    file = PaperFile(d["sha256"], d["size"], d["pages"], d["title"], d["filename"], e.at, e.actor)
    papers = state.papers
    return _with(state, replace(papers, files=set_in(papers.files, file.sha256, file)))


@on("paper.attached")
def _attached(state: Meeting, e: Event) -> Meeting:
    if e.user is not None:
        return state  # a named reader's copy of the staff event
    d = e.data
    paper = Paper(
        d["paper_id"],
        d["item_id"],
        PaperKind(d["kind"]),
        PaperAccess(d["access"]),
        d["title"],
        (d["sha256"],),
        e.at,
        frozenset(d.get("readers", ())),
    )
    return _with(state, _put(state.papers, paper))


@on("paper.replaced")
def _replaced(state: Meeting, e: Event) -> Meeting:
    if e.user is not None:
        return state
    d = e.data
    paper = state.papers.by_id[d["paper_id"]]
    paper = replace(paper, versions=(*paper.versions, d["sha256"]), title=d["title"],
                    replaced_at=e.at)  # fmt: skip
    papers = _put(state.papers, paper)
    shown = papers.presenter
    if shown is not None and shown.paper_id == paper.id:
        page = min(shown.page, d["pages"])
        papers = replace(papers, presenter=replace(shown, sha256=d["sha256"], page=page))
    return _with(state, papers)


@on("paper.detached")
def _detached(state: Meeting, e: Event) -> Meeting:
    if e.user is not None:
        return state
    papers = state.papers
    paper = papers.by_id[e.data["paper_id"]]
    by_hash = dict(papers.by_hash)
    for sha in paper.versions:
        left = by_hash.get(sha, frozenset()) - {paper.id}
        if left:
            by_hash[sha] = left
        else:
            by_hash.pop(sha, None)
    papers = replace(
        papers, by_id=without(papers.by_id, paper.id), by_hash=MappingProxyType(by_hash)
    )
    return _with(state, papers)


@on("paper.opened")
def _opened(state: Meeting, e: Event) -> Meeting:
    key = (e.data["sha256"], e.data["user_id"])
    papers = state.papers
    return _with(state, replace(papers, receipts=set_in(papers.receipts, key, e.at)))


@on("paper.annotated")
def _annotated(state: Meeting, e: Event) -> Meeting:
    d = e.data
    user = e.user or ""
    rects = tuple((r[0], r[1], r[2], r[3]) for r in d.get("rects", ()))
    note = Annotation(d["annotation_id"], d["paper_id"], d["sha256"], d["page"], d["x"], d["y"],
                      d["text"], e.at, rects)  # fmt: skip
    papers = state.papers
    mine = set_in(papers.notes.get(user, MappingProxyType({})), note.id, note)
    return _with(state, replace(papers, notes=set_in(papers.notes, user, mine)))


@on("paper.annotation_deleted")
def _unannotated(state: Meeting, e: Event) -> Meeting:
    user = e.user or ""
    papers = state.papers
    mine = without(papers.notes.get(user, MappingProxyType({})), e.data["annotation_id"])
    return _with(state, replace(papers, notes=set_in(papers.notes, user, mine)))


@on("presenter.shown")
def _shown(state: Meeting, e: Event) -> Meeting:
    if e.user is not None:
        return state
    d = e.data
    shown = Presenter(d["paper_id"], d["sha256"], d["page"], e.at)
    return _with(state, replace(state.papers, presenter=shown))


@on("presenter.stopped")
def _stopped(state: Meeting, e: Event) -> Meeting:
    if e.user is not None:
        return state
    shown = state.papers.presenter
    if shown is None or shown.paper_id != e.data["paper_id"]:
        return state
    return _with(state, replace(state.papers, presenter=None))


# -- views -----------------------------------------------------------------------------------


def _paper_view(state: Meeting, paper: Paper, staff: bool) -> dict[str, Any]:
    files = state.papers.files
    current = files[paper.sha256]
    return {
        "paper_id": paper.id,
        "item_id": paper.item_id,
        "kind": paper.kind.value,
        "access": paper.access.value,
        "title": paper.title,
        "sha256": paper.sha256,
        "size": current.size,
        "pages": current.pages,
        "versions": [
            {"sha256": v, "size": files[v].size, "pages": files[v].pages} for v in paper.versions
        ],
        "attached_at": paper.attached_at,
        "replaced_at": paper.replaced_at,
        "readers": sorted(paper.readers) if staff else None,
    }


def _file_view(f: PaperFile) -> dict[str, Any]:
    return {"sha256": f.sha256, "size": f.size, "pages": f.pages, "title": f.title,
            "filename": f.filename, "uploaded_at": f.uploaded_at}  # fmt: skip


def _note_view(n: Annotation) -> dict[str, Any]:
    return {"annotation_id": n.id, "paper_id": n.paper_id, "sha256": n.sha256, "page": n.page,
            "x": n.x, "y": n.y, "text": n.text, "at": n.at,
            "rects": [list(r) for r in n.rects]}  # fmt: skip


@snapshot_part
def _papers_view(state: Meeting, audience: Audience, user_id: str | None) -> dict[str, Any]:
    papers = state.papers
    staff = audience is Audience.STAFF
    shown = [p for p in papers.by_id.values() if may_read(state, p, audience, user_id)]
    visible = {p.id for p in shown}
    presenter = papers.presenter
    notes = papers.notes.get(user_id, MappingProxyType({})) if user_id else {}
    view: dict[str, Any] = {
        "audience": audience.value,
        "papers": [_paper_view(state, p, staff) for p in shown],
        "presenter": None,
        "annotations": [_note_view(n) for n in notes.values()],
        "files": [_file_view(f) for f in papers.files.values()] if staff else [],
        "receipts": [
            {"sha256": sha, "user_id": user, "at": at}
            for (sha, user), at in sorted(papers.receipts.items())
        ]
        if staff
        else [],
    }
    if presenter is not None and presenter.paper_id in visible:
        view["presenter"] = {"paper_id": presenter.paper_id, "sha256": presenter.sha256,
                             "page": presenter.page, "at": presenter.at}  # fmt: skip
    return {"papers": view}
