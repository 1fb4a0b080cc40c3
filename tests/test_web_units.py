"""The web apps' pure modules, checked against the server's own code in one Chromium page.

- The replica (core/replica.js + areas/agenda.js, floor.js, votes.js, papers.js,
  record.js) folds the events of random sittings (agenda, attendance, speakers and their
  timer, questions, votes of every kind and method, papers, notes and the minutes), as each
  audience receives them, into exactly the server's snapshot (`views.snapshot`).
- The CSV reader of the clerk's desk reads agenda files as `meeting import agenda` does.
- The translation table is complete in both languages, and every key the code names exists.
- The service worker caches every file of the apps.
"""

from __future__ import annotations

import contextlib
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
import pytest
from playwright.async_api import Page

from meeting.api.errors import CODES, PAPER_CODES
from meeting.api.importing import ImportProblem, parse_agenda
from meeting.domain import (
    Actor,
    Audience,
    Command,
    Context,
    DomainError,
    Event,
    apply,
    deadlines,
    decide,
    snapshot,
)
from meeting.domain.apply import apply_unlogged
from meeting.domain.ballots import DEFAULT_OPTIONS, LEVELS
from meeting.domain.floor_state import Presence, QuestionStatus
from meeting.domain.majority import NAMED_RULES, Base
from meeting.domain.papers import UPLOAD_PROOF
from meeting.domain.papers_state import PaperAccess, PaperKind
from meeting.domain.times import add_seconds, seconds_between
from meeting.domain.vote_state import Method, VoteKind, VoteStatus
from meeting.hub.local import event_message, visible
from tests.browser import Devices
from tests.sitting import ADMIN, CHAIR, CLERK, Sitting

WEB = Path(__file__).resolve().parents[1] / "clients" / "web"
module_loop = pytest.mark.asyncio(loop_scope="module")


async def modules_page(devices: Devices) -> Page:
    page = await devices.open("/app/")
    await page.wait_for_load_state("load")
    return page


# -- the replica folds as the domain does ------------------------------------------------

START = "2026-12-01T08:00:00.000Z"
SERVER = Actor(None, is_server=True)


class Ticking(Sitting):
    """A `Sitting` on a clock that moves forward: commands happen at `now`, and the server's
    own deadlines (speaking-time warning and overrun, a timed vote's end) fire at their time
    as the engine fires them, so the timer events are in the log as in a real sitting."""

    def __init__(self) -> None:
        super().__init__()
        self.now = START

    def run(self, actor: Actor, name: str, /, **args: Any) -> list[Event]:
        self._ids += 1
        ctx = Context(self.meeting_id, self.now, f"i{self._ids}")
        out = []
        for d in decide(self.state, actor, Command(name, args), ctx):
            if d.secret:
                self.state = apply_unlogged(self.state, d)
                continue
            seq = len(self.log) + 1
            e = Event.from_draft(
                d, meeting_id=self.meeting_id, seq=seq, at=self.now, actor=actor.user_id
            )
            self.state = apply(self.state, e)
            self.log.append(e)
            out.append(e)
        return out

    def tick(self, seconds: float) -> None:
        """Move the clock on, firing every deadline that falls due on the way."""
        until = add_seconds(self.now, seconds)
        while True:
            due = [d for d in deadlines(self.state) if seconds_between(d.at, until) >= 0]
            if not due:
                break
            if seconds_between(self.now, due[0].at) > 0:
                self.now = due[0].at
            try:
                self.run(SERVER, due[0].name, **due[0].args)
            except DomainError:
                break
        self.now = until


COMMANDS = {
    # the agenda
    "add": 6, "urgent": 2, "edit": 2, "reorder": 2, "remove": 1, "open": 5, "close": 2,
    "sitting": 1, "member": 1,
    # attendance and quorum
    "record": 4, "check": 3, "quorum": 1, "seats": 1,
    # speakers and the timer
    "request": 5, "add_speaker": 2, "withdraw": 2, "remove_speaker": 1, "reorder_speakers": 2,
    "grant": 4, "pause": 2, "resume": 2, "extend": 2, "end": 2, "timing": 1,
    # questions
    "ask": 3, "unask": 1, "order_questions": 1, "call": 2, "answer": 2, "written": 1,
    # votes
    "schedule": 4, "open_vote": 5, "cast": 14, "close_vote": 2, "next_vote": 2, "counts": 2,
    "annul": 1,
    # papers
    "upload": 2, "attach": 3, "replace": 2, "detach": 1, "opened": 2, "annotate": 3,
    "unannotate": 1, "present": 2, "unpresent": 1,
}  # fmt: skip
RECORD = {"note": 2, "edit_note": 1, "section": 2, "approve": 1, "seal": 1, "addendum": 1,
          "none": 12}  # fmt: skip
"""The record's commands, drawn from a random source of their own so that adding them left
the other areas' random sittings as they were."""
CHOICES = [["tan_thanh", "khong_tan_thanh", "khong_bieu_quyet"]]
LEVEL_KEYS = ["tin_nhiem_cao", "tin_nhiem", "tin_nhiem_thap"]


def random_sitting(seed: int, steps: int = 200) -> tuple[Sitting, Any, int]:
    """A sitting driven by random commands of every area the web apps fold (agenda,
    attendance, speakers and timer, questions, votes) on a clock that moves on and fires the
    server's deadlines; also its state and log length half-way."""
    rnd = random.Random(seed)
    s = Ticking().create(delegates=4)
    if seed % 4:
        s.run(CHAIR, "sitting.open")  # most sittings are open, so that votes and speeches run
    if seed % 3:
        s.roll_call()
    mid: tuple[Any, int] = (s.state, len(s.log))
    titles = iter(f"Nội dung số {n}" for n in range(10_000))
    kinds, weights = list(COMMANDS), list(COMMANDS.values())
    writer = random.Random(-seed - 1)

    def some_item() -> str:
        return rnd.choice(s.state.order) if s.state.order else "nothing"

    def some_delegate() -> Actor:
        return Actor(rnd.choice([m.user_id for m in s.state.delegates]))

    def queue() -> list[str]:
        return [r.id for r in s.state.floor.queue(s.state.current_item)]

    def some_vote(*statuses: str) -> str:
        found = [v for v in s.state.votes.order if s.state.votes.by_id[v].status in statuses]
        return rnd.choice(found) if found else "nothing"

    def some_question() -> str:
        return rnd.choice(list(s.state.floor.questions) or ["nothing"])

    for step in range(steps):
        if step == steps // 2:
            mid = (s.state, len(s.log))
        s.tick(rnd.choice([0.25, 1.5, 4, 12, 40, 95]))
        kind = rnd.choices(kinds, weights)[0]
        try:
            step_agenda(s, rnd, kind, step, steps, titles, some_item)
            step_floor(s, rnd, kind, some_delegate, queue, some_question)
            step_votes(s, rnd, kind, some_delegate, some_vote, some_item)
            step_papers(s, rnd, kind, some_delegate, some_item)
        except DomainError:
            pass
        with contextlib.suppress(DomainError):
            record = writer.choices(list(RECORD), list(RECORD.values()))[0]
            step_record(s, writer, record, some_item)
    if seed % 3 == 0:  # the end of a sitting: closed, the minutes approved, sealed, corrected
        for kind in ["close", "approve", "seal", "addendum"][: 1 + seed % 4]:
            with contextlib.suppress(DomainError):
                step_record(s, writer, kind, some_item)
    return s, mid[0], mid[1]


def step_agenda(s: Ticking, rnd: random.Random, kind: str, step: int, steps: int,
                titles: Any, some_item: Any) -> None:  # fmt: skip
    if kind == "add":
        position = rnd.choice([None, rnd.randint(0, len(s.state.order))])
        access = rnd.choice(["public", "public", "delegates"])
        s.run(CLERK, "agenda.add_item", title=next(titles), access=access, position=position)
    elif kind == "urgent":
        access = rnd.choice(["public", "delegates"])
        s.run(CHAIR, "agenda.add_urgent_item", title=next(titles), access=access,
              open=rnd.random() < 0.5)  # fmt: skip
    elif kind == "edit":
        change = rnd.choice([{"title": next(titles)}, {"description": "Mô tả mới"}])
        s.run(CLERK, "agenda.edit_item", item_id=some_item(), **change)
    elif kind == "reorder":
        order = list(s.state.order)
        rnd.shuffle(order)
        s.run(CLERK, "agenda.reorder", item_ids=order)
    elif kind == "remove":
        s.run(CLERK, "agenda.remove_item", item_id=some_item())
    elif kind == "open":
        s.run(CHAIR, "agenda.open_item", item_id=some_item())
    elif kind == "close":
        s.run(CHAIR, "agenda.close_item", item_id=s.state.current_item or some_item())
    elif kind == "sitting":
        s.run(CHAIR, "sitting.open" if step < steps * 0.9 else "sitting.close")
    elif kind == "member":
        n = rnd.randint(3, 9)
        roles = rnd.choice([["delegate"], ["delegate"], ["observer"]])
        s.run(ADMIN, "member.set", user_id=f"d{n:02d}", name=f"Đại biểu {n}", roles=roles,
              seat=n + 1)  # fmt: skip
    elif kind == "seats":
        s.run(CLERK, "body.set_seats", seats=rnd.randint(4, 8), reason="Miễn nhiệm")


def step_floor(s: Ticking, rnd: random.Random, kind: str, some_delegate: Any, queue: Any,
               some_question: Any) -> None:  # fmt: skip
    if kind == "record":
        presence = rnd.choice(["present", "present", "present", "absent", "excused"])
        s.run(rnd.choice([CLERK, CHAIR]), "attendance.record", user_id=some_delegate().user_id,
              presence=presence, reason="Đi công tác" if presence == "excused" else "")  # fmt: skip
    elif kind == "check":
        s.run(some_delegate(), rnd.choice(["attendance.check_in", "attendance.check_out"]))
    elif kind == "quorum":
        s.run(CLERK, "attendance.set_quorum", numerator=rnd.choice([1, 2]), denominator=3,
              strict=rnd.random() < 0.3, refuse_votes=rnd.random() < 0.7)  # fmt: skip
    elif kind == "timing":
        s.run(CLERK, "floor.set_timing", speaking_seconds=rnd.choice([20, 60, 180]),
              warning_seconds=rnd.choice([0, 10, 30]))  # fmt: skip
    elif kind == "request":
        s.run(some_delegate(), "floor.request", topic=rnd.choice(["", "Về ngân sách"]))
    elif kind == "add_speaker":
        position = rnd.choice([None, 0, 1])
        s.run(CHAIR, "floor.add", user_id=some_delegate().user_id, position=position)
    elif kind == "withdraw":
        s.run(some_delegate(), "floor.withdraw")
    elif kind == "remove_speaker":
        s.run(CHAIR, "floor.remove", request_id=rnd.choice(queue() or ["nothing"]))
    elif kind == "reorder_speakers":
        order = queue()
        rnd.shuffle(order)
        s.run(CHAIR, "floor.reorder", request_ids=order)
    elif kind == "grant":
        s.run(CHAIR, "floor.grant", seconds=rnd.choice([None, None, 15, 45]))
    elif kind in ("pause", "resume", "end"):
        s.run(CHAIR, f"floor.{kind}")
    elif kind == "extend":
        s.run(CHAIR, "floor.extend", seconds=rnd.choice([10, 30, 60]))
    elif kind == "ask":
        s.run(some_delegate(), "question.submit", addressee="Giám đốc Sở Tài chính",
              text="Vì sao giải ngân vốn đầu tư công chậm?")  # fmt: skip
    elif kind == "unask":
        q = some_question()
        asker = s.state.floor.questions[q].asker if q in s.state.floor.questions else "d01"
        s.run(Actor(asker), "question.withdraw", question_id=q)
    elif kind == "order_questions":
        order = list(s.state.floor.question_order)
        rnd.shuffle(order)
        s.run(CLERK, "question.reorder", question_ids=order)
    elif kind == "call":
        s.run(CHAIR, "question.call", question_id=some_question())
    elif kind == "answer":
        s.run(CLERK, "question.record_answer", question_id=some_question(),
              answered_by="Giám đốc Sở Tài chính", summary="Sẽ đẩy nhanh",
              seconds=rnd.choice([None, 90]))  # fmt: skip
    elif kind == "written":
        s.run(CLERK, "question.mark_written", question_id=some_question(), note="Trả lời sau")


UPLOADER = Actor("clerk", proofs=frozenset({UPLOAD_PROOF}))


def step_papers(s: Ticking, rnd: random.Random, kind: str, some_delegate: Any,
                some_item: Any) -> None:  # fmt: skip
    papers = s.state.papers

    def some_file() -> str:
        return rnd.choice(list(papers.files) or ["0" * 64])

    def some_paper() -> str:
        return rnd.choice(list(papers.by_id) or ["nothing"])

    if kind == "upload":
        n = len(papers.files) + 1
        title = rnd.choice([None, f"Tờ trình số {n}"])
        s.run(UPLOADER, "paper.upload", sha256=f"{n:064x}", size=1000 * n,
              pages=rnd.randint(1, 9), filename=f"to-trinh-{n}.pdf", title=title)  # fmt: skip
    elif kind == "attach":
        access = rnd.choice(["public", "delegates", "confidential"])
        readers = ["d01", "d02"] if access == "confidential" else []
        paper_kind = rnd.choice(["draft_resolution", "report", "other"])
        s.run(CLERK, "paper.attach", item_id=some_item(), sha256=some_file(), access=access,
              readers=readers, kind=paper_kind)  # fmt: skip
    elif kind == "replace":
        paper_id = some_paper()
        current = papers.by_id[paper_id].sha256 if paper_id in papers.by_id else ""
        others = [f for f in papers.files if f != current] or ["0" * 64]
        s.run(CLERK, "paper.replace", paper_id=paper_id, sha256=rnd.choice(others))
    elif kind == "detach":
        s.run(CLERK, "paper.detach", paper_id=some_paper())
    elif kind == "opened":
        s.run(rnd.choice([Actor("d01"), some_delegate()]), "paper.opened", paper_id=some_paper())
    elif kind == "annotate":
        rects = rnd.choice([[], [[0.1, 0.2, 0.5, 0.03], [0.1, 0.24, 0.2, 0.03]]])
        mine = list(papers.notes.get("d01", {}))
        again = rnd.choice(mine) if mine and rnd.random() < 0.3 else None
        text = rnd.choice(["", "Xem lại số liệu"])
        s.run(Actor("d01"), "paper.annotate", paper_id=some_paper(), page=1, x=0.5, y=0.5,
              text=text, rects=rects, annotation_id=again)  # fmt: skip
    elif kind == "unannotate":
        mine = list(papers.notes.get("d01", {})) or ["nothing"]
        s.run(Actor("d01"), "paper.annotation_delete", annotation_id=rnd.choice(mine))
    elif kind == "present":
        s.run(rnd.choice([CHAIR, CLERK]), "presenter.show", paper_id=some_paper(),
              page=rnd.randint(1, 3))  # fmt: skip
    elif kind == "unpresent":
        shown = papers.presenter
        s.run(CHAIR, "presenter.stop", paper_id=shown.paper_id if shown else "nothing")


def step_record(s: Ticking, rnd: random.Random, kind: str, some_item: Any) -> None:
    record = s.state.record
    if kind == "close":
        s.run(CHAIR, "sitting.close")
    elif kind == "note":
        item = rnd.choice([None, some_item()])
        s.run(CLERK, "note.add", text="Đại biểu phát biểu về ngân sách", item_id=item)
    elif kind == "edit_note":
        note = rnd.choice(list(record.notes) or ["nothing"])
        s.run(CLERK, "note.edit", note_id=note, text="Đính chính: về đầu tư công")
    elif kind == "section":
        key = rnd.choice(["general", "opening", "closing", f"item:{some_item()}"])
        s.run(CLERK, "minutes.set_section", key=key, text=rnd.choice(["", "Khai mạc lúc 8 giờ"]))
    elif kind == "approve":
        s.run(CHAIR, "minutes.approve")
    elif kind == "seal":
        s.run(CLERK, "minutes.seal", manifest_sha256=f"{s.state.seq:064x}",
              log_seq=s.state.seq, log_head="f" * 64)  # fmt: skip
    elif kind == "addendum":
        s.run(CLERK, "minutes.add_addendum", text="Đính chính số phiếu tán thành")


def schedule_args(rnd: random.Random, item: str) -> dict[str, Any]:
    kind = rnd.choice(["motion", "motion", "motion", "election", "confidence"])
    method = rnd.choice(["electronic_named", "electronic_named", "electronic_secret", "paper",
                         "show_of_hands"])  # fmt: skip
    if kind != "motion" and method == "show_of_hands":
        method = "paper"
    args: dict[str, Any] = {
        "item_id": item,
        "question": "Thông qua nghị quyết?",
        "kind": kind,
        "method": method,
        "rule": rnd.choice([{}, {"name": "majority_of_cast"}, {"name": "two_thirds_of_present"},
                            {"name": "custom", "num": 3, "den": 5, "base": "present",
                             "strict": False}]),
        "duration": rnd.choice([None, None, 30]) if method.startswith("electronic") else None,
        "series": rnd.choice([None, "nq"]),
    }  # fmt: skip
    if method == "electronic_named":
        args["live_counts"] = rnd.random() < 0.5
        args["allow_change"] = rnd.random() < 0.4
    if kind == "election":
        args["candidates"] = [{"key": f"c{n}", "label": f"Ứng viên {n}"} for n in range(1, 4)]
        args["seats_to_fill"] = rnd.choice([1, 2])
    elif kind == "confidence":
        args["officials"] = [{"key": f"o{n}", "label": f"Chức danh {n}"} for n in range(1, 3)]
    return args


def random_ballot(rnd: random.Random, vote: Any) -> Any:
    keys = [c.key for c in vote.choices]
    if vote.kind.value == "motion":
        return rnd.choice(keys)
    if vote.kind.value == "election":
        return rnd.sample(keys, rnd.randint(0, vote.seats_to_fill))
    return {k: rnd.choice(LEVEL_KEYS) for k in keys}


def step_votes(s: Ticking, rnd: random.Random, kind: str, some_delegate: Any, some_vote: Any,
               some_item: Any) -> None:  # fmt: skip
    if kind == "schedule":
        s.run(rnd.choice([CLERK, CHAIR]), "vote.schedule", **schedule_args(rnd, some_item()))
    elif kind == "open_vote":
        s.run(CHAIR, "vote.open", vote_id=some_vote("scheduled"))
    elif kind == "cast":
        vote_id = s.state.votes.open_vote
        if vote_id is None:
            return
        vote = s.state.votes.by_id[vote_id]
        waiting = sorted(vote.entitled - vote.voted)
        voter = rnd.choice(waiting if waiting and rnd.random() < 0.9 else sorted(vote.entitled))
        if "d01" in waiting and rnd.random() < 0.3:
            voter = "d01"  # the delegate whose view is checked votes too (her own ballot)
        s.run(Actor(voter, proofs=frozenset({"pin"})), "vote.cast", vote_id=vote_id,
              choice=random_ballot(rnd, vote))  # fmt: skip
    elif kind == "close_vote":
        s.run(CHAIR, "vote.close", vote_id=some_vote("open"))
    elif kind == "next_vote":
        s.run(CHAIR, "vote.next")
    elif kind == "counts":
        vote_id = some_vote("open")
        vote = s.state.votes.by_id.get(vote_id)
        if vote is None:
            return
        keys = [f"{c.key}:{lv}" for c in vote.choices for lv in LEVEL_KEYS] \
            if vote.kind.value == "confidence" else [c.key for c in vote.choices]  # fmt: skip
        counts = {k: rnd.randint(0, 3) for k in keys}
        valid = sum(counts.values()) if vote.kind.value == "motion" else 4
        sheet = {"issued": valid + 2, "returned": valid + 1, "valid": valid, "invalid": 1}
        extra = sheet if vote.method.value == "paper" else {}
        s.run(CLERK, "vote.enter_counts", vote_id=vote_id, counts=counts, **extra)
    elif kind == "annul":
        s.run(CHAIR, "vote.annul", vote_id=some_vote("closed"), reason="Sai sót kỹ thuật",
              rerun=rnd.random() < 0.5)  # fmt: skip


VIEWERS = [(Audience.PUBLIC, None), (Audience.DELEGATES, "d01"), (Audience.STAFF, "clerk")]


def fold_cases() -> list[dict[str, Any]]:
    cases = []
    for seed in range(12):
        s, mid_state, mid_len = random_sitting(seed)
        for audience, user in VIEWERS:
            events = visible(s.log[mid_len:], audience, user)
            cases.append(
                {
                    "audience": audience.value,
                    "start": snapshot(mid_state, audience, user),
                    "events": [event_message(e) for e in events],
                    "end": snapshot(s.state, audience, user),
                    "seq": s.state.seq,
                }
            )
    # Through JSON, as the wire carries them.
    plain: list[dict[str, Any]] = msgspec.json.decode(msgspec.json.encode(cases))
    return plain


FOLD = """async (cases) => {
  const { Replica } = await import("/app/core/replica.js");
  await import("/app/areas/agenda.js");
  await import("/app/areas/floor.js");
  await import("/app/areas/votes.js");
  await import("/app/areas/papers.js");
  await import("/app/areas/record.js");
  return cases.map((c) => {
    const replica = new Replica("m1");
    replica.load(c.start, c.start.seq);
    // In two frames, then everything again: what was applied already is ignored.
    const half = Math.floor(c.events.length / 2);
    replica.apply(c.events.slice(0, half));
    replica.apply(c.events);
    replica.apply(c.events.slice(half));
    replica.advance(c.seq);
    const view = replica.view();
    // And from its own view, as a tablet reloaded offline starts from what it kept.
    const again = new Replica("m1");
    again.load(JSON.parse(JSON.stringify(view)), view.seq);
    return { view, stale: replica.stale, reloaded: again.view() };
  });
}"""


def comparable(view: dict[str, Any]) -> dict[str, Any]:
    # Every audience, the public included, folds to the server's own snapshot: a closed
    # session's start and end and its questions' calls reach the public as events too.
    return {k: v for k, v in view.items() if k != "seq"}


@module_loop
async def test_the_replica_folds_events_into_the_servers_snapshot(devices: Devices) -> None:
    cases = fold_cases()
    names = Counter(e["name"] for c in cases for e in c["events"])
    assert sum(names.values()) > 1500
    # Every event the apps fold happens, the server's own timer events too.
    wanted = {"vote.ballot_recorded", "vote.ballot_cast", "vote.closed", "vote.annulled",
              "floor.timer_warning", "floor.timer_overrun", "floor.extended", "floor.paused",
              "question.answered", "question.reordered", "attendance.checked_in",
              "body.seats_changed", "floor.reordered", "agenda.item_removed",
              "paper.uploaded", "paper.attached", "paper.replaced", "paper.detached",
              "paper.opened", "paper.annotated", "paper.annotation_deleted", "presenter.shown",
              "presenter.stopped", "note.added", "note.edited", "minutes.section_set",
              "minutes.approved", "minutes.sealed", "minutes.addendum_added",
              "agenda.closed_session", "question.called_in_closed_session"}  # fmt: skip
    assert wanted <= set(names), wanted - set(names)
    assert any(i["access"] == "delegates" for c in cases for i in c["end"]["items"])
    assert any(v["result"] and v["result"].get("ballots") for c in cases for v in c["end"]["votes"])
    page = await modules_page(devices)
    folded = await page.evaluate(FOLD, cases)
    for case, out in zip(cases, folded, strict=True):
        view, end = out["view"], case["end"]
        assert not out["stale"]
        assert set(view) <= set(end)
        assert {"floor", "votes", "open_vote", "papers", "minutes"} <= set(view)
        assert ("notes" in view) == (case["audience"] == "staff")
        assert comparable(view) == comparable({k: end[k] for k in view})
        assert out["reloaded"] == view
    devices.assert_no_console_errors()


# -- the clerk's CSV reader reads as the server does ---------------------------------------

CSV_FILES = [
    "title\nMột\nHai\n",
    "Title,Description,Access\nA,mô tả,public\nB,,DELEGATES\n",
    'title;description\n"x;y";"hai\ndòng"\nz;\n',
    "title\tdescription\nA\tB\n",
    "\ufefftitle\n  Có   nhiều   khoảng trắng  \n",
    "title,access\n,public\nB,secret\n",
    "description\nkhông có cột title\n",
    "title,title\nA,B\n",
    "title,khác\nA,x\n",
    "title\nA,thừa\n",
    "",
    "\n\n",
    "title\n\n\nA\n\nB",
    'title\n"ab"c\n"chưa đóng ngoặc\n',
    "title\r\nA\r\nB\rC\n",
    "title\n" + "x" * 501 + "\n",
    "title,description\nA," + "y" * 20_001 + "\n",
    "title\nCo\u0301 da\u0302\u0301u\n",
    " title , access \n A , delegates \n",
]


def server_reading(text: str) -> dict[str, Any]:
    try:
        rows = parse_agenda(text, "csv")
    except ImportProblem as e:
        return {"rows": [], "problems": [[p.row, p.column] for p in e.problems]}
    return {
        "rows": [[r.title, r.description, r.access.value] for r in rows],
        "problems": [],
    }


READ_CSV = """async (files) => {
  const { parseAgenda } = await import("/app/clerk/agenda-csv.js");
  return files.map((text) => {
    const { rows, problems } = parseAgenda(text);
    return {
      rows: rows.map((r) => [r.title, r.description, r.access]),
      problems: problems.map((p) => [p.row, p.column]),
    };
  });
}"""


@module_loop
async def test_the_csv_reader_reads_agenda_files_as_the_server_does(devices: Devices) -> None:
    page = await modules_page(devices)
    readings = await page.evaluate(READ_CSV, CSV_FILES)
    for text, reading in zip(CSV_FILES, readings, strict=True):
        assert reading == server_reading(text), text[:60]
    devices.assert_no_console_errors()


# -- strings, small pure helpers -----------------------------------------------------------

CHECK_STRINGS = """async () => {
  const { STRINGS, DUPLICATE_KEYS } = await import("/app/core/strings.js");
  const { backoffDelay } = await import("/app/core/backoff.js");
  const { newCommandId } = await import("/app/core/connection.js");
  const { chooseMeeting } = await import("/app/core/session.js");
  const { ServerClock, formatSeconds } = await import("/app/core/clock.js");
  const { foldText } = await import("/app/views/pdf.js");
  const { formatSize } = await import("/app/views/papers.js");
  const clock = new ServerClock();
  const local = Date.now();
  clock.sync(new Date(local + 60_000).toISOString()); // the server is a minute ahead
  const synced = clock.now() - Date.now();
  clock.observe(new Date(local).toISOString()); // an old event (a replay) changes nothing
  const kept = clock.now() - Date.now();
  clock.observe(new Date(Date.now() + 90_000).toISOString()); // a later sample raises it
  const raised = clock.now() - Date.now();
  const ids = new Set(Array.from({ length: 1000 }, () => newCommandId()));
  const meetings = [
    { id: "a", roles: [] },
    { id: "b", roles: ["delegate"] },
  ];
  return {
    strings: STRINGS,
    duplicates: DUPLICATE_KEYS,
    nfc: Object.values(STRINGS).flatMap((table) =>
      Object.entries(table).filter(([, s]) => s !== s.normalize("NFC")).map(([k]) => k)),
    backoff: [backoffDelay(0, () => 0), backoffDelay(0, () => 1), backoffDelay(3, () => 1),
              backoffDelay(50, () => 1), backoffDelay(1000, () => 0.5)],
    ids: { unique: ids.size, longest: Math.max(...[...ids].map((i) => i.length)) },
    times: [300, 299.2, 60, 59.001, 0.3, 0, -0.3, -75, 3725].map(formatSeconds),
    folded: ["Nghị  Quyết về Đà Nẵng", "Co\u0301 da\u0302\u0301u", "ĐỒNG Ý \\t tán thành"]
      .map(foldText),
    sizes: [1, 350_000, 1_234_567, 25_000_000].map(formatSize),
    clock: [synced, kept, raised].map((o) => Math.round(o / 1000)),
    choose: [
      chooseMeeting(meetings, { wanted: "a", role: "delegate" }),
      chooseMeeting(meetings, { wanted: "zz", remembered: "a", role: "delegate" }),
      chooseMeeting(meetings, { role: "delegate" }),
      chooseMeeting(meetings, { role: "chair" }),
      chooseMeeting([meetings[0]], {}),
    ],
  };
}"""


@module_loop
async def test_the_translation_table_and_helpers(devices: Devices) -> None:
    page = await modules_page(devices)
    found = await page.evaluate(CHECK_STRINGS)
    vi, en = found["strings"]["vi"], found["strings"]["en"]
    assert set(vi) == set(en)
    assert all(text.strip() for text in [*vi.values(), *en.values()])
    assert found["nfc"] == []
    assert found["duplicates"] == []
    for key in vi:
        assert set(re.findall(r"\{\w+\}", vi[key])) == set(re.findall(r"\{\w+\}", en[key])), key
    used = keys_named_in_code()
    assert used, "no t('…') found: the pattern is out of date"
    assert sorted(used - set(vi)) == []
    assert found["backoff"] == [250, 500, 4000, 10_000, 7500]
    assert found["ids"] == {"unique": 1000, "longest": 26}
    assert found["choose"] == ["a", "a", "b", None, "a"]
    assert found["times"] == [
        "5:00", "5:00", "1:00", "1:00", "0:01", "0:00", "−0:01", "−1:15", "1:02:05"
    ]  # fmt: skip
    assert found["clock"] == [60, 60, 90]
    # Search folds diacritics, đ, case and spaces, composed or not.
    assert found["folded"] == ["nghi quyet ve da nang", "co dau", "dong y tan thanh"]
    assert found["sizes"] == ["1 kB", "350 kB", "1,2 MB", "25 MB"]
    devices.assert_no_console_errors()


def keys_named_in_code() -> set[str]:
    """Every translation key written out in the apps' code and markup."""
    keys: set[str] = set()
    for path in WEB.rglob("*"):
        if path.suffix == ".js":
            keys |= set(re.findall(r"\bt\(\s*\"([\w.]+)\"", path.read_text()))
            keys |= set(re.findall(r"\"data-i18n\":\s*\"([\w.]+)\"", path.read_text()))
        elif path.suffix == ".html":
            keys |= set(re.findall(r"data-i18n=\"([\w.]+)\"", path.read_text()))
    return keys


# -- the service worker ----------------------------------------------------------------------


NOT_SHELL = {"sw.js", "package.json", "package-lock.json", "vendor", "node_modules"}
"""Not part of the shell: the worker itself, npm's files, and the vendored PDF.js, whose two
modules SHELL lists by name (its fonts and decoders are cached the first time they load)."""
VENDORED = ["vendor/pdfjs/pdf.min.mjs", "vendor/pdfjs/pdf.worker.min.mjs"]


def test_the_service_worker_caches_every_file_of_the_apps() -> None:
    source = (WEB / "sw.js").read_text()
    listed = re.search(r"const SHELL = \[(.*?)\];", source, re.S)
    assert listed is not None
    shell = set(re.findall(r"\"([^\"]+)\"", listed.group(1)))
    files = {
        p.relative_to(WEB).as_posix()
        for p in WEB.rglob("*")
        if p.is_file() and p.name not in NOT_SHELL and p.relative_to(WEB).parts[0] not in NOT_SHELL
    }
    missing = sorted(files - shell) + sorted(set(VENDORED) - shell)
    assert missing == [], f"add to SHELL in clients/web/sw.js: {missing}"
    for entry in shell:
        target = WEB / entry / "index.html" if entry.endswith("/") else WEB / entry
        assert target.is_file(), entry


# -- words the apps build from the server's own values ----------------------------------------


def table_keys() -> tuple[set[str], set[str]]:
    """The keys of the translation table (strings.js and its parts in strings/), by language,
    read from the sources (each `vi: {…}` before its `en: {…}`)."""
    vi: set[str] = set()
    en: set[str] = set()
    for path in [WEB / "core" / "strings.js", *sorted((WEB / "strings").glob("*.js"))]:
        vi_part, en_part = path.read_text().split("\n  en: {", 1)
        vi |= set(re.findall(r'^\s+"([\w.]+)":', vi_part, re.M))
        en |= set(re.findall(r'^\s+"([\w.]+)":', en_part, re.M))
    return vi, en


def test_every_value_the_apps_name_has_its_words() -> None:
    """Keys built from the server's values (`vote.method.${method}`, `error.${code}`,
    `upload.error.${code}`, `papers.kind.${kind}`, …) exist in both languages (the base table
    and its parts) for every value the server may send: a new method, level, kind or refusal
    on the server fails here until the apps can say it."""
    vi, en = table_keys()
    wanted = {f"vote.method.{m.value}" for m in Method}
    wanted |= {f"vote.kind.{k.value}" for k in VoteKind}
    wanted |= {f"vote.status.{s.value}" for s in VoteStatus}
    wanted |= {f"vote.level.{level}" for level, _ in LEVELS}
    wanted |= {f"vote.option.{key}" for key, _ in DEFAULT_OPTIONS}
    wanted |= {f"vote.base.{b.value}" for b in Base}
    wanted |= {f"vote.rule.{name}" for name in NAMED_RULES}
    wanted |= {"vote.rule.custom_more", "vote.rule.custom_least"}
    wanted |= {f"vote.flag.{f}" for f in ("may_resign", "confidence_vote")}
    wanted |= {
        f"vote.{p}_{m.value}" for m in Method if not m.electronic for p in ("by", "counting")
    }
    wanted |= {f"question.status_{s.value}" for s in QuestionStatus} | {"question.status_written"}
    wanted |= {f"attendance.{p.value}" for p in Presence}
    wanted |= {f"counts.{n}" for n in ("issued", "returned", "valid", "invalid")}
    wanted |= {f"tab.{n}" for n in ("agenda", "floor", "votes", "questions", "attendance")}
    wanted |= {"quorum.rule", "quorum.rule_strict", "vote.rule_set_96", "vote.rule_set_85"}
    wanted |= {f"error.{code}" for code in CODES if code not in PAPER_CODES}
    wanted |= {f"upload.error.{code}" for code in PAPER_CODES}
    wanted |= {f"papers.kind.{k.value}" for k in PaperKind}
    wanted |= {f"papers.access.{a.value}" for a in PaperAccess}
    wanted |= {f"minutes.step.{s}" for s in ("draft", "approved", "sealed")}
    wanted |= {"tab.papers", "tab.minutes"}
    assert sorted(wanted - vi) == []
    assert sorted(wanted - en) == []


def test_every_stylesheet_closes_its_blocks() -> None:
    """A brace lost in a merge silently drops every rule after it: count them."""
    for path in sorted(WEB.rglob("*.css")):
        if "vendor" in path.relative_to(WEB).parts:
            continue
        text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
        depth = 0
        for n, line in enumerate(text.splitlines(), 1):
            depth += line.count("{") - line.count("}")
            assert depth >= 0, f"{path.name}:{n}: a '}}' closes nothing"
        assert depth == 0, f"{path.name}: {depth} block(s) left open"


OUTBOX = """async () => {
  const { Outbox } = await import("/app/core/outbox.js");
  const { CommandError } = await import("/app/core/connection.js");
  // A connection that answers as told: first no answer (offline), then the server.
  const conn = new EventTarget();
  conn.connected = false;
  const sent = [];
  let mode = "offline";
  conn.command = (name, args, { id }) => {
    sent.push([id, name, args.text ?? null]);
    if (mode === "offline") return Promise.reject(new CommandError("timeout", "no answer"));
    if (args.text === "bad") return Promise.reject(new CommandError("invalid_args", "bad"));
    return Promise.resolve({ seq: sent.length, result: null });
  };
  localStorage.removeItem("t.outbox");
  const refused = [];
  const box = new Outbox("t.outbox", conn, { onRefused: (entry, err) => refused.push(err.code) });
  await box.add("note.add", { text: "một" });
  await box.add("note.add", { text: "bad" });
  const waiting = box.pending.length;
  const kept = JSON.parse(localStorage.getItem("t.outbox")).map((e) => e.args.text);
  // A reload: a new outbox on the same key still has both, with their ids.
  const reloaded = new EventTarget();  // the page's next connection
  reloaded.command = conn.command;
  const again = new Outbox("t.outbox", reloaded, {
    onRefused: (entry, err) => refused.push(err.code),
  });
  const sameIds = again.pending.map((e) => e.id).join() === box.pending.map((e) => e.id).join();
  mode = "online";
  reloaded.connected = true;
  reloaded.dispatchEvent(new Event("status"));  // the connection is back: it sends them
  const during = sent.length;
  await again.flush();  // the answers to those sends (nothing is sent twice at once)
  const ids = sent.filter(([, , text]) => text === "một").map(([id]) => id);
  return {
    waiting, kept, sameIds, left: again.pending.length, refused,
    stored: localStorage.getItem("t.outbox"),
    resentWithSameId: ids.length === 2 && ids[0] === ids[1],
    sentOnStatus: during - 2,
  };
}"""


@module_loop
async def test_the_outbox_keeps_commands_until_the_server_answers(devices: Devices) -> None:
    page = await modules_page(devices)
    found = await page.evaluate(OUTBOX)
    assert found["waiting"] == 2 and found["kept"] == ["một", "bad"]
    assert found["sameIds"] is True  # a reload keeps the commands and their ids
    assert found["resentWithSameId"] is True  # so the server records them once
    assert found["left"] == 0 and found["stored"] is None
    assert found["refused"] == ["invalid_args"]  # a refusal is final, and said
    assert found["sentOnStatus"] == 2  # the new connection itself sent both
    devices.assert_no_console_errors()
