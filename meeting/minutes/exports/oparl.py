"""A meeting in OParl 1.1 (oparl.org): the body, the meeting with its agenda items, the
papers with their consultations, and every file with its size and checksum.

OParl objects are named by URLs. Ours point into the export itself
(`…/export/oparl#agendaItem-<id>`), except files, whose `accessUrl` and `downloadUrl` are
the papers' download route. A file's identity here is the SHA-256 of its bytes: it is
given as `sha256Checksum`, beside OParl's own fields (OParl 1.1 names only SHA-1 and
SHA-512 checksums). Older versions of a paper are its `auxiliaryFile`s, newest first. An
agenda item often has several papers (tờ trình, dự thảo nghị quyết, báo cáo thẩm tra), so
its `consultation` lists one per paper where OParl 1.1 has a single one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from meeting.domain import Meeting
from meeting.domain.model import Access, Audience
from meeting.domain.papers_state import Paper, PaperFile
from meeting.domain.vote_state import VoteKind, VoteStatus

from ..text import vote_lines
from ._scope import Scope, vote_view

__all__ = ["OPARL_FORMAT", "oparl"]

OPARL_FORMAT = "meeting-oparl/1"
_SCHEMA = "https://schema.oparl.org/1.1/"
_KINDS = {
    "submission": "Tờ trình",
    "draft_resolution": "Dự thảo nghị quyết",
    "report": "Báo cáo",
    "other": "Tài liệu",
}
_STATES = {"scheduled": "terminiert", "open": "durchgeführt", "closed": "durchgeführt"}


class _Ids:
    def __init__(self, base_url: str, meeting_id: str) -> None:
        self.meeting = f"{base_url.rstrip('/')}/api/meetings/{quote(meeting_id, safe='')}"
        self.doc = f"{self.meeting}/export/oparl"

    def of(self, kind: str, key: str) -> str:
        return f"{self.doc}#{kind}-{quote(key, safe='')}"

    def download(self, sha256: str) -> str:
        return f"{self.meeting}/papers/{sha256}"


def _file(ids: _Ids, sha: str, file: PaperFile | None, paper: Paper, at: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ids.of("file", sha),
        "type": _SCHEMA + "File",
        "name": paper.title,
        "mimeType": "application/pdf",
        "accessUrl": ids.download(sha),
        "downloadUrl": ids.download(sha),
        "sha256Checksum": sha,
        "paper": [ids.of("paper", paper.id)],
        "agendaItem": [ids.of("agendaItem", paper.item_id)],
        "date": at[:10],
    }
    if file is not None:
        out |= {"fileName": file.filename, "size": file.size, "date": file.uploaded_at[:10]}
    return out


def _paper(ids: _Ids, state: Meeting, paper: Paper, file: PaperFile | None) -> dict[str, Any]:
    older = [
        _file(ids, sha, state.papers.files.get(sha), paper, paper.attached_at)
        for sha in reversed(paper.versions[:-1])
    ]
    return {
        "id": ids.of("paper", paper.id),
        "type": _SCHEMA + "Paper",
        "body": ids.of("body", state.body.id),
        "name": paper.title,
        "reference": paper.id,
        "date": paper.attached_at[:10],
        "paperType": _KINDS.get(paper.kind.value, paper.kind.value),
        "mainFile": _file(ids, paper.sha256, file, paper, paper.attached_at),
        "auxiliaryFile": older,
        "consultation": [
            {
                "id": ids.of("consultation", paper.id),
                "type": _SCHEMA + "Consultation",
                "paper": ids.of("paper", paper.id),
                "agendaItem": ids.of("agendaItem", paper.item_id),
                "meeting": ids.meeting,
                "organization": [ids.of("organization", state.body.id)],
                "authoritative": False,
            }
        ],
    }


def _result(scope: Scope, item_id: str) -> tuple[str | None, str | None]:
    """The item's outcome in words, and the lines of every vote on it, from the minutes."""
    outcome = None
    lines = []
    for vote in scope.votes(item_id):
        title = vote.question + (f" — {vote.number}" if vote.number else "")
        lines.append(f"{title}: " + " ".join(vote_lines(vote_view(vote))))
        if vote.kind is VoteKind.MOTION and vote.status is VoteStatus.CLOSED and vote.result:
            outcome = "được thông qua" if vote.result.get("passed") else "không được thông qua"
    return outcome, "\n".join(lines) or None


def oparl(state: Meeting, audience: Audience, base_url: str) -> dict[str, Any]:
    """The OParl export of `state` as `audience` may see it; ids under `base_url`."""
    scope = Scope(state, audience)
    ids = _Ids(base_url, state.id)
    organization = ids.of("organization", state.body.id)
    items, papers = [], []
    for number, item in scope.items():
        outcome, text = _result(scope, item.id)
        shown = scope.papers(item.id)
        items.append(
            {
                "id": ids.of("agendaItem", item.id),
                "type": _SCHEMA + "AgendaItem",
                "meeting": ids.meeting,
                "number": str(number),
                "order": number,
                "name": item.title,
                "public": item.access is Access.PUBLIC,
                "consultation": [ids.of("consultation", p.id) for p, _ in shown],
                "result": outcome,
                "resolutionText": text,
                "start": item.opened_at,
                "end": item.closed_at,
            }
        )
        papers += [_paper(ids, state, p, f) for p, f in shown]
    return {
        "format": OPARL_FORMAT,
        "oparl": _SCHEMA,
        "audience": audience.value,
        "log": {"seq": state.seq},
        "body": {
            "id": ids.of("body", state.body.id),
            "type": _SCHEMA + "Body",
            "name": state.body.name,
            "shortName": state.body.id,
        },
        "organization": {
            "id": organization,
            "type": _SCHEMA + "Organization",
            "body": ids.of("body", state.body.id),
            "name": state.body.name,
            "organizationType": "council",
        },
        "meeting": {
            "id": ids.meeting,
            "type": _SCHEMA + "Meeting",
            "name": state.title,
            "meetingState": _STATES[state.status.value],
            "cancelled": False,
            "start": state.opened_at or state.scheduled_for or None,
            "end": state.closed_at,
            "location": {
                "id": ids.of("location", state.id),
                "type": _SCHEMA + "Location",
                "description": state.place or None,
            },
            "organization": [organization],
            "agendaItem": items,
        },
        "paper": papers,
    }
