"""What a meeting puts in the archive's search index: a pure projection of its state.

One entry per searchable thing, with the least audience that may find it:
- the meeting itself, and each agenda item (public, or delegates for a closed session);
- each paper but its text (the indexer adds the text of its current file): public,
  delegates, or staff for a confidential one (its named readers read it on their tablets,
  but search does not know them);
- each vote with its result in the minutes' words (its item's audience);
- each question not withdrawn, with its answer (delegates for a closed session);
- the clerk's notes and the draft sections of the minutes (staff).

Nothing private to one person (a delegate's notes on a paper, her own ballot) is indexed.
"""

from __future__ import annotations

from meeting.domain import Meeting
from meeting.domain.floor_state import QuestionStatus
from meeting.domain.model import Audience
from meeting.domain.papers_state import paper_audience
from meeting.store.search import IndexEntry

from .exports._scope import vote_view
from .text import vote_lines

__all__ = ["NOT_INDEXED", "index_entries"]

NOT_INDEXED = frozenset(
    {
        "attendance.checked_in",
        "attendance.checked_out",
        "attendance.recorded",
        "attendance.quorum_set",
        "floor.timing_set",
        "floor.requested",
        "floor.added",
        "floor.withdrawn",
        "floor.removed",
        "floor.reordered",
        "floor.granted",
        "floor.paused",
        "floor.resumed",
        "floor.extended",
        "floor.timer_warning",
        "floor.timer_overrun",
        "floor.speech_ended",
        "question.reordered",
        "question.called",
        "vote.ballot_cast",
        "vote.ballot_recorded",
        "paper.uploaded",
        "paper.opened",
        "paper.annotated",
        "paper.annotation_deleted",
        "presenter.shown",
        "presenter.stopped",
        "minutes.approved",
        "minutes.sealed",
    }
)
"""Events that change no entry: a batch of only these needs no new projection (the many
ballots and timer ticks of a sitting cost the indexer nothing)."""

_KINDS = {
    "submission": "Tờ trình",
    "draft_resolution": "Dự thảo nghị quyết",
    "report": "Báo cáo",
    "other": "Tài liệu",
}


def index_entries(state: Meeting) -> list[IndexEntry]:
    """Every entry of the meeting's search index, at the state's `seq`."""
    when = state.opened_at or state.scheduled_for or ""
    body = state.body.id

    def entry(
        key: str,
        kind: str,
        audience: Audience,
        at: str | None,
        title: str,
        text: str,
        item_id: str | None = None,
        file: str | None = None,
    ) -> IndexEntry:
        return IndexEntry(
            state.id, key, kind, body, audience.value, at or when, title, text, item_id, file
        )

    def name(user_id: str | None) -> str:
        member = state.members.get(user_id) if user_id else None
        return member.name if member else (user_id or "")

    out = [
        entry(
            "meeting",
            "meeting",
            Audience.PUBLIC,
            when,
            state.title,
            f"{state.body.name}\n{state.place}",
        )
    ]
    for item_id in state.order:
        item = state.items[item_id]
        out.append(
            entry(
                f"item:{item.id}",
                "item",
                item.access.audience,
                item.opened_at,
                item.title,
                item.description,
                item.id,
            )
        )
    for paper in state.papers.by_id.values():
        file = state.papers.files.get(paper.sha256)
        about = [
            _KINDS.get(paper.kind.value, ""),
            file.title or "" if file else "",
            file.filename if file else "",
        ]
        out.append(
            entry(
                f"paper:{paper.id}",
                "paper",
                paper_audience(state, paper),
                paper.replaced_at or paper.attached_at,
                paper.title,
                "\n".join(a for a in about if a),
                paper.item_id,
                paper.sha256,
            )
        )
    for vote_id in state.votes.order:
        vote = state.votes.by_id[vote_id]
        title = vote.question + (f" — {vote.number}" if vote.number else "")
        on = state.items.get(vote.item_id)
        lines = [on.title if on else "", *vote_lines(vote_view(vote))]
        out.append(
            entry(
                f"vote:{vote.id}",
                "vote",
                vote.access.audience,
                vote.closed_at or vote.opened_at,
                title,
                "\n".join(lines),
                vote.item_id,
            )
        )
    for question in state.floor.questions.values():
        if question.status is QuestionStatus.WITHDRAWN:
            continue
        audience = Audience.DELEGATES if question.closed_session else Audience.PUBLIC
        answer = [question.answered_by, question.summary, question.written_note]
        out.append(
            entry(
                f"question:{question.id}",
                "question",
                audience,
                question.submitted_at,
                f"Chất vấn: {name(question.asker)} → {question.addressee}",
                "\n".join([question.text, *answer]),
                question.item_id,
            )
        )
    for note in state.record.notes.values():
        out.append(
            entry(
                f"note:{note.id}",
                "note",
                Audience.STAFF,
                note.edited_at or note.at,
                "Ghi chú của thư ký",
                note.text,
                note.item_id,
            )
        )
    for key, text in state.record.sections.items():
        out.append(
            entry(
                f"section:{key}",
                "section",
                Audience.STAFF,
                state.closed_at,
                f"Dự thảo biên bản: {key}",
                text,
            )
        )
    return out
