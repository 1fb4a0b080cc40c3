"""Papers on agenda items: upload, attach, replace, detach; read receipts, private notes and
the presenter's page.

A file enters the sitting only through the upload route, which stores and checks it first
and then sends `paper.upload` with the "upload" proof: no client can claim a file the
server has not stored. Events about a confidential paper go to staff, and to each named
reader as a copy private to her (`Draft.user`); such copies change nothing when folded.
Notes are events private to their author, never seen by anyone else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import errors
from .decide import STAFF, Context, command, returns
from .errors import DomainError
from .events import Draft
from .model import Actor, Audience, Meeting, Role, SittingStatus
from .papers_args import (
    Annotate,
    AnnotationRef,
    AttachPaper,
    OpenedPaper,
    PaperRef,
    ReplacePaper,
    ShowPage,
    UploadedFile,
)
from .papers_state import Paper, PaperAccess, may_read, paper_audience

__all__ = ["MAX_NOTES", "UPLOAD_PROOF"]

UPLOAD_PROOF = "upload"
"""The proof the upload route adds once the file is stored and checked."""
MAX_NOTES = 5000
"""Most private notes one person keeps in one meeting."""

READERS = frozenset({Role.DELEGATE, Role.CHAIR, Role.CLERK, Role.ADMIN})
PRESENTERS = frozenset({Role.CHAIR, Role.CLERK})


def _paper(state: Meeting, paper_id: str) -> Paper:
    paper = state.papers.by_id.get(paper_id)
    if paper is None:
        raise DomainError(errors.NOT_FOUND, f"no paper {paper_id!r}")
    return paper


def _readable(state: Meeting, actor: Actor, paper_id: str) -> Paper:
    """The paper, if the actor may read it; else not found (its existence stays hidden)."""
    paper = _paper(state, paper_id)
    if not may_read(state, paper, state.audience_of(actor), actor.user_id):
        raise DomainError(errors.NOT_FOUND, f"no paper {paper_id!r}")
    return paper


def _file(state: Meeting, sha256: str) -> dict[str, object]:
    f = state.papers.files.get(sha256)
    if f is None:
        raise DomainError(errors.NOT_FOUND, "no uploaded file with this hash: upload it first")
    return {"sha256": f.sha256, "size": f.size, "pages": f.pages}


def _not_closed(state: Meeting) -> None:
    if state.status is SittingStatus.CLOSED:
        raise DomainError(errors.INVALID_STATE, "the sitting is closed")


def to_readers(state: Meeting, paper: Paper, name: str, data: Mapping[str, Any]) -> list[Draft]:
    """One event for the paper's audience; for a confidential paper, one for staff (with
    `readers`) and a private copy for each named delegate who is not staff."""
    if paper.access is not PaperAccess.CONFIDENTIAL:
        return [Draft(name, dict(data), paper_audience(state, paper))]
    copy = {k: v for k, v in data.items() if k != "readers"}
    drafts = [Draft(name, dict(data), Audience.STAFF)]
    for user in sorted(paper.readers):
        member = state.members.get(user)
        if member is not None and member.audience is not Audience.STAFF:
            drafts.append(Draft(name, copy, Audience.DELEGATES, user=user))
    return drafts


@command("paper.upload", UploadedFile, STAFF)
def _upload(state: Meeting, actor: Actor, args: UploadedFile, ctx: Context) -> list[Draft]:
    """Record a file the server stored and checked (sent by `POST …/papers`, not by clients)."""
    if UPLOAD_PROOF not in actor.proofs:
        raise DomainError(errors.NOT_ALLOWED, "upload the file with POST /api/meetings/…/papers")
    if args.sha256 in state.papers.files:
        raise DomainError(errors.INVALID_STATE, "this file is uploaded already")
    data = {
        "sha256": args.sha256,
        "size": args.size,
        "pages": args.pages,
        "title": args.title,
        "filename": args.filename,
    }
    return [Draft("paper.uploaded", data, Audience.STAFF)]


@command("paper.attach", AttachPaper, STAFF, result=returns("paper.attached", "paper_id"))
def _attach(state: Meeting, actor: Actor, args: AttachPaper, ctx: Context) -> list[Draft]:
    """Attach an uploaded file to an agenda item: kind, access and, if confidential, readers."""
    _not_closed(state)
    if args.item_id not in state.items:
        raise DomainError(errors.NOT_FOUND, f"no agenda item {args.item_id!r}")
    file = _file(state, args.sha256)
    readers = sorted(set(args.readers))
    if args.access is PaperAccess.CONFIDENTIAL:
        if not readers:
            raise DomainError(errors.INVALID_ARGS, "a confidential paper names its readers")
        for user in readers:
            member = state.members.get(user)
            if member is None or Role.DELEGATE not in member.roles:
                raise DomainError(errors.INVALID_ARGS, f"{user!r} is not a delegate")
    elif readers:
        raise DomainError(errors.INVALID_ARGS, "only a confidential paper names readers")
    for other in state.papers.by_id.values():
        if other.item_id == args.item_id and other.sha256 == args.sha256:
            raise DomainError(errors.INVALID_STATE, "this file is on the item already")
    uploaded = state.papers.files[args.sha256]
    title = args.title or uploaded.title or uploaded.filename or "Tài liệu"
    paper = Paper(ctx.new_id, args.item_id, args.kind, args.access, title, (args.sha256,),
                  ctx.now, frozenset(readers))  # fmt: skip
    data: dict[str, object] = {
        "paper_id": paper.id,
        "item_id": paper.item_id,
        "kind": paper.kind.value,
        "access": paper.access.value,
        "title": title,
        **file,
    }
    if readers:
        data["readers"] = readers
    return to_readers(state, paper, "paper.attached", data)


@command("paper.replace", ReplacePaper, STAFF)
def _replace(state: Meeting, actor: Actor, args: ReplacePaper, ctx: Context) -> list[Draft]:
    """Put a new version of a paper on its item; the old one stays in the archive."""
    _not_closed(state)
    paper = _paper(state, args.paper_id)
    file = _file(state, args.sha256)
    if args.sha256 == paper.sha256:
        raise DomainError(errors.INVALID_STATE, "this file is the current version already")
    data = {"paper_id": paper.id, "item_id": paper.item_id, "previous": paper.sha256,
            "title": args.title or paper.title, **file}  # fmt: skip
    return to_readers(state, paper, "paper.replaced", data)


@command("paper.detach", PaperRef, STAFF)
def _detach(state: Meeting, actor: Actor, args: PaperRef, ctx: Context) -> list[Draft]:
    """Take a paper off its item (its files stay in the archive; the presenter stops)."""
    _not_closed(state)
    paper = _paper(state, args.paper_id)
    drafts = []
    presenter = state.papers.presenter
    if presenter is not None and presenter.paper_id == paper.id:
        drafts += to_readers(state, paper, "presenter.stopped", {"paper_id": paper.id})
    data = {"paper_id": paper.id, "item_id": paper.item_id}
    return drafts + to_readers(state, paper, "paper.detached", data)


@command("paper.opened", OpenedPaper, READERS)
def _opened(state: Meeting, actor: Actor, args: OpenedPaper, ctx: Context) -> list[Draft]:
    """Read receipt: the tablet opened a paper; the chair and clerk see who opened what."""
    paper = _readable(state, actor, args.paper_id)
    sha = args.sha256 or paper.sha256
    if sha not in paper.versions:
        raise DomainError(errors.NOT_FOUND, "no such version of this paper")
    user = actor.user_id or ""
    if (sha, user) in state.papers.receipts:
        return []  # opened before: the first time is the one on record
    data = {"paper_id": paper.id, "sha256": sha, "user_id": user}
    return [Draft("paper.opened", data, Audience.STAFF)]


@command("paper.annotate", Annotate, READERS, result=returns("paper.annotated", "annotation_id"))
def _annotate(state: Meeting, actor: Actor, args: Annotate, ctx: Context) -> list[Draft]:
    """Add or change one's private note on a page of a paper (seen by no one else)."""
    paper = _readable(state, actor, args.paper_id)
    sha = args.sha256 or paper.sha256
    if sha not in paper.versions:
        raise DomainError(errors.NOT_FOUND, "no such version of this paper")
    pages = state.papers.files[sha].pages
    if args.page > pages:
        raise DomainError(errors.INVALID_ARGS, f"the paper has {pages} pages")
    user = actor.user_id or ""
    mine = state.papers.notes.get(user, {})
    if args.annotation_id is not None and args.annotation_id not in mine:
        raise DomainError(errors.NOT_FOUND, f"no note {args.annotation_id!r} of yours")
    if args.annotation_id is None and len(mine) >= MAX_NOTES:
        raise DomainError(errors.INVALID_STATE, f"at most {MAX_NOTES} notes per person")
    data = {
        "annotation_id": args.annotation_id or ctx.new_id,
        "paper_id": paper.id,
        "sha256": sha,
        "page": args.page,
        "x": args.x,
        "y": args.y,
        "text": args.text,
    }
    if args.rects:
        data["rects"] = [list(r) for r in args.rects]
    return [Draft("paper.annotated", data, Audience.DELEGATES, user=user)]


@command("paper.annotation_delete", AnnotationRef, READERS)
def _unannotate(state: Meeting, actor: Actor, args: AnnotationRef, ctx: Context) -> list[Draft]:
    """Delete one's own private note."""
    user = actor.user_id or ""
    if args.annotation_id not in state.papers.notes.get(user, {}):
        raise DomainError(errors.NOT_FOUND, f"no note {args.annotation_id!r} of yours")
    data = {"annotation_id": args.annotation_id}
    return [Draft("paper.annotation_deleted", data, Audience.DELEGATES, user=user)]


@command("presenter.show", ShowPage, PRESENTERS)
def _show(state: Meeting, actor: Actor, args: ShowPage, ctx: Context) -> list[Draft]:
    """Show a paper's page to the hall; tablets that follow the presenter turn to it."""
    paper = _paper(state, args.paper_id)
    pages = state.papers.files[paper.sha256].pages
    if args.page > pages:
        raise DomainError(errors.INVALID_ARGS, f"the paper has {pages} pages")
    drafts = []
    shown = state.papers.presenter
    if shown is not None and shown.paper_id != paper.id and shown.paper_id in state.papers.by_id:
        before = state.papers.by_id[shown.paper_id]
        drafts += to_readers(state, before, "presenter.stopped", {"paper_id": before.id})
    data = {"paper_id": paper.id, "sha256": paper.sha256, "page": args.page}
    return drafts + to_readers(state, paper, "presenter.shown", data)


@command("presenter.stop", PaperRef, PRESENTERS)
def _stop(state: Meeting, actor: Actor, args: PaperRef, ctx: Context) -> list[Draft]:
    """Stop showing the paper; tablets stay on the page they are on."""
    shown = state.papers.presenter
    if shown is None or shown.paper_id != args.paper_id:
        raise DomainError(errors.INVALID_STATE, "this paper is not being shown")
    paper = _paper(state, args.paper_id)
    return to_readers(state, paper, "presenter.stopped", {"paper_id": paper.id})
