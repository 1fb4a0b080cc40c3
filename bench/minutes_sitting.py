"""A whole session's sitting, generated with the domain alone: the log the minutes of
`bench/minutes.py` are built from.

95 delegates (the chair among them) checked in; 34 agenda items; 106 papers (from
`bench.papers_gen`: 5–200 pages, 6,000 in all) uploaded and attached, three or four per
item; 102 resolutions, each by a named electronic vote of every delegate; 20 speeches and
10 questions (chất vấn) with their answers; notes; the sitting closed, the closing section
written and the minutes approved, ready to seal. Times advance as in a real sitting.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from typing import Any

from meeting.domain import EMPTY, Actor, Command, Context, Event, Meeting, apply, chain_hash, decide
from meeting.domain.apply import apply_unlogged
from meeting.domain.chain import GENESIS
from meeting.domain.papers import UPLOAD_PROOF
from meeting.domain.times import add_seconds

__all__ = ["Session", "generate"]

ADMIN, CHAIR, CLERK = Actor("admin", is_admin=True), Actor("chair"), Actor("clerk")
UPLOADER = replace(CLERK, proofs=frozenset({UPLOAD_PROOF}))
_KINDS = ("submission", "draft_resolution", "report", "other")
_TOPICS = ("ngân sách", "đầu tư công", "giáo dục", "y tế", "giao thông", "nông nghiệp")


@dataclass
class Session:
    meeting_id: str
    log: list[Event]
    rows: list[tuple[Event, str]]
    """Every event with its chain hash, as the store keeps them."""
    papers: dict[str, bytes]
    """sha256 → bytes of every paper."""
    titles: dict[str, tuple[str, int]]
    """sha256 → (title, pages)."""
    state: Meeting


class _Writer:
    def __init__(self, meeting_id: str, start: str) -> None:
        self.meeting_id, self.now, self.state = meeting_id, start, EMPTY
        self.log: list[Event] = []
        self._ids = 0

    def run(self, actor: Actor, name: str, step: float = 0.5, /, **args: Any) -> list[Event]:
        self._ids += 1
        self.now = add_seconds(self.now, step)
        ctx = Context(self.meeting_id, self.now, f"x{self._ids:06d}")
        out = []
        for d in decide(self.state, actor, Command(name, args), ctx):
            if d.secret:
                self.state = apply_unlogged(self.state, d)
                continue
            e = Event.from_draft(
                d,
                meeting_id=self.meeting_id,
                seq=len(self.log) + 1,
                at=self.now,
                actor=actor.user_id,
            )
            self.state = apply(self.state, e)
            self.log.append(e)
            out.append(e)
        return out


def _roster(delegates: int) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = [
        {"user_id": "chair", "name": "Trịnh Minh Châu", "roles": ["chair", "delegate"], "seat": 1},
        {"user_id": "clerk", "name": "Nguyễn Thị Hà", "roles": ["clerk"]},
    ]
    for n in range(2, delegates + 1):
        people.append(
            {
                "user_id": f"d{n:03d}",
                "name": f"Đại biểu Lê Văn {n}",
                "roles": ["delegate"],
                "seat": n,
            }
        )
    return people


def generate(
    delegates: int = 95,
    votes: int = 102,
    speeches: int = 20,
    papers: int = 106,
    questions: int = 10,
    items: int = 34,
    pages: int = 6000,
    meeting_id: str = "bench",
) -> Session:
    from bench.papers_gen import session as paper_session

    rng = random.Random(2026)
    w = _Writer(meeting_id, "2026-12-01T07:30:00.000Z")
    body = {"id": "hdnd-th", "name": "HĐND tỉnh Thanh Hóa", "seats": delegates}
    w.run(
        ADMIN,
        "meeting.create",
        body=body,
        title="Kỳ họp thứ 12 — phiên toàn thể",
        place="Hội trường 25B",
        members=_roster(delegates),
    )
    order = []
    for n in range(items):
        title = f"Tờ trình về dự thảo nghị quyết số {n + 1} về {_TOPICS[n % len(_TOPICS)]}"
        added = w.run(
            CLERK,
            "agenda.add_item",
            title=title,
            description=f"Ủy ban nhân dân tỉnh trình; Ban thẩm tra báo cáo ({n + 1}).",
        )
        order.append(added[0].data["item"]["item_id"])
    stored: dict[str, bytes] = {}
    titles: dict[str, tuple[str, int]] = {}
    for n, paper in enumerate(paper_session(papers, pages)):
        sha = hashlib.sha256(paper.data).hexdigest()
        stored[sha], titles[sha] = paper.data, (paper.title, paper.pages)
        w.run(
            UPLOADER,
            "paper.upload",
            sha256=sha,
            size=len(paper.data),
            pages=paper.pages,
            filename=f"tai-lieu-{n + 1:03d}.pdf",
            title=paper.title,
        )
        w.run(
            CLERK,
            "paper.attach",
            item_id=order[n % items],
            sha256=sha,
            kind=_KINDS[n % len(_KINDS)],
            access="delegates" if n % 9 == 8 else "public",
        )
    w.run(CHAIR, "sitting.open", 60)
    for m in w.state.delegates:
        w.run(CLERK, "attendance.record", 0.3, user_id=m.user_id, presence="present")
    voters = [m.user_id for m in w.state.delegates]
    spoken = asked = 0
    for n, item in enumerate(order):
        w.run(CHAIR, "agenda.open_item", 20, item_id=item)
        w.run(CLERK, "note.add", text=f"Đại biểu thảo luận mục {n + 1}, đề nghị làm rõ nguồn vốn.")
        while spoken < speeches * (n + 1) // items:
            speaker = voters[1 + (spoken * 7) % (len(voters) - 1)]
            request = w.run(
                Actor(speaker),
                "floor.request",
                5,
                topic=f"Ý kiến về {_TOPICS[spoken % len(_TOPICS)]}",
            )
            speech = w.run(
                CHAIR, "floor.grant", 5, request_id=request[0].data["request"]["request_id"]
            )
            w.run(
                CHAIR,
                "floor.end",
                rng.uniform(90, 290),
                speech_id=speech[0].data["speech"]["speech_id"],
            )
            spoken += 1
        while asked < questions * (n + 1) // items:
            asker = Actor(voters[2 + (asked * 11) % (len(voters) - 2)])
            q = w.run(
                asker,
                "question.submit",
                10,
                addressee="Giám đốc Sở Tài chính",
                text=f"Đề nghị cho biết tiến độ giải ngân vốn đầu tư công ({asked + 1})?",
            )
            qid = q[0].data["question_id"]
            w.run(CHAIR, "question.call", 5, question_id=qid)
            w.run(
                CLERK,
                "question.record_answer",
                180,
                question_id=qid,
                seconds=170,
                answered_by="Giám đốc Sở Tài chính",
                summary="Sẽ hoàn thành trong quý IV.",
            )
            asked += 1
        for k in range(votes * n // items, votes * (n + 1) // items):
            vote = w.run(
                CHAIR,
                "vote.schedule",
                10,
                item_id=item,
                question=f"Thông qua Nghị quyết số {k + 1}",
                number=f"{k + 1}/NQ-HĐND",
            )[-1].data["vote_id"]
            w.run(CHAIR, "vote.open", 5, vote_id=vote)
            for voter in voters:
                choice = rng.choices(
                    ("tan_thanh", "khong_tan_thanh", "khong_bieu_quyet"), (90, 6, 4)
                )[0]
                w.run(Actor(voter), "vote.cast", 0.05, vote_id=vote, choice=choice)
            w.run(CHAIR, "vote.close", 5, vote_id=vote)
    w.run(CHAIR, "sitting.close", 60)
    w.run(CLERK, "minutes.set_section", key="closing", text="Chủ tọa bế mạc kỳ họp.")
    w.run(CHAIR, "minutes.approve", 600)
    rows, prev = [], GENESIS
    for e in w.log:
        prev = chain_hash(prev, e)
        rows.append((e, prev))
    return Session(meeting_id, w.log, rows, stored, titles, w.state)
