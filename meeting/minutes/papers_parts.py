"""What the papers add to the minutes: each item's papers, with every version's hash.

Confidential papers (tài liệu mật) are left out: the minutes are read by every delegate,
and a delegate who is not a named reader must never learn that such a paper exists.
"""

from __future__ import annotations

from typing import Any

from meeting.domain import Meeting
from meeting.domain.model import AgendaItem
from meeting.domain.papers_state import PaperAccess

from .build import Sources, item_part

__all__ = ["listed_papers"]


@item_part
def _papers(state: Meeting, item: AgendaItem, sources: Sources) -> dict[str, Any]:
    papers = []
    for paper in state.papers.by_id.values():
        if paper.item_id != item.id or paper.access is PaperAccess.CONFIDENTIAL:
            continue
        file = state.papers.files.get(paper.sha256)
        papers.append(
            {
                "paper_id": paper.id,
                "title": paper.title,
                "kind": paper.kind.value,
                "access": paper.access.value,
                "sha256": paper.sha256,
                "versions": list(paper.versions),
                "pages": file.pages if file else None,
                "size": file.size if file else None,
                "attached_at": paper.attached_at,
                "replaced_at": paper.replaced_at,
                "seq": sources.of("paper.replaced", paper.id)
                or sources.of("paper.attached", paper.id),
            }
        )
    return {"papers": papers}


def listed_papers(minutes: dict[str, Any]) -> list[str]:
    """The hash of every version of every paper the minutes list (what a bundle holds)."""
    found = {
        sha for item in minutes["items"] for p in item.get("papers", ()) for sha in p["versions"]
    }
    return sorted(found)
