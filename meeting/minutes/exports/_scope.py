"""What one audience may see of a meeting, for every export: the one place that filters.

- The public sees public agenda items only, and on them the votes, speeches and questions
  of the open session and the public papers. Nothing of a closed session (họp kín), not
  even that an item exists: public items are numbered among themselves.
- Delegates see every item and every paper but the confidential ones (a delegate who is
  not a named reader must not learn that such a paper exists).
- Staff see everything.

Per-delegate ballots are never taken from here for anything but a closed named vote
(`named_ballots`): a secret ballot's choice is not in the state at all, and a vote by show
of hands or paper has only counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from meeting.domain import Meeting
from meeting.domain.floor_state import Question, QuestionStatus, Speech
from meeting.domain.model import AgendaItem, Audience
from meeting.domain.papers_state import Paper, PaperFile, may_read
from meeting.domain.vote_state import Method, Vote, VoteKind, VoteStatus

__all__ = ["Scope", "named_ballots", "vote_view"]


def _sees(audience: Audience, closed_session: bool) -> bool:
    return audience.sees(Audience.DELEGATES if closed_session else Audience.PUBLIC)


@dataclass(frozen=True, slots=True)
class Scope:
    """A meeting's state as `audience` may see it."""

    state: Meeting
    audience: Audience

    def items(self) -> list[tuple[int, AgendaItem]]:
        """The agenda items this audience sees, numbered in agenda order among themselves."""
        shown = [self.state.items[i] for i in self.state.order]
        shown = [i for i in shown if self.audience.sees(i.access.audience)]
        return list(enumerate(shown, start=1))

    def votes(self, item_id: str) -> list[Vote]:
        votes = (self.state.votes.by_id[v] for v in self.state.votes.order)
        return [v for v in votes if v.item_id == item_id and self.audience.sees(v.access.audience)]

    def speeches(self, item_id: str) -> list[Speech]:
        return [
            s
            for s in self.state.floor.speeches
            if s.item_id == item_id and _sees(self.audience, s.closed_session)
        ]

    def questions(self, item_id: str) -> list[Question]:
        out = []
        for qid in self.state.floor.question_order:
            q = self.state.floor.questions[qid]
            if q.status is QuestionStatus.WITHDRAWN or q.item_id != item_id:
                continue
            if _sees(self.audience, q.closed_session):
                out.append(q)
        return out

    def papers(self, item_id: str) -> list[tuple[Paper, PaperFile | None]]:
        out = []
        for paper in self.state.papers.by_id.values():
            if paper.item_id == item_id and may_read(self.state, paper, self.audience, None):
                out.append((paper, self.state.papers.files.get(paper.sha256)))
        return out

    def name(self, user_id: str | None) -> str:
        member = self.state.members.get(user_id) if user_id else None
        return member.name if member else (user_id or "")


def named_ballots(vote: Vote) -> Mapping[str, Any] | None:
    """Each delegate's choice in a closed named motion, as its `vote.closed` published it;
    None for every other vote (secret, paper, show of hands, elections, ratings, open)."""
    if vote.method is not Method.NAMED or vote.kind is not VoteKind.MOTION:
        return None
    if vote.status not in (VoteStatus.CLOSED, VoteStatus.ANNULLED) or vote.result is None:
        return None
    ballots = vote.result.get("ballots")
    return ballots if isinstance(ballots, Mapping) else {}


def vote_view(vote: Vote) -> dict[str, Any]:
    """A vote as the minutes' words (`text.vote_lines`) read it."""
    return {
        "method": vote.method.value,
        "status": vote.status.value,
        "choices": [{"key": c.key, "label": c.label} for c in vote.choices],
        "result": dict(vote.result) if vote.result is not None else None,
        "annulled_reason": vote.annulled_reason,
    }
