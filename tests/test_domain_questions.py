"""Questions (chất vấn) from submission to answer, through `decide` and `apply` alone."""

from __future__ import annotations

from typing import Any

import pytest

from meeting.domain import Actor, Audience, DomainError, fold, project, snapshot
from meeting.domain.floor_state import QuestionStatus
from meeting.domain.floor_view import floor_record
from tests.floor_sitting import Clocked
from tests.sitting import CHAIR, CLERK, delegate

SO_XAY_DUNG = "Giám đốc Sở Xây dựng"


def submit(s: Clocked, who: int, addressee: str = SO_XAY_DUNG, text: str = "Vì sao?") -> str:
    (e,) = s.run(delegate(who), "question.submit", addressee=addressee, text=text)
    question_id: str = e.data["question_id"]
    return question_id


def test_questions_from_submission_to_answer_and_into_the_record() -> None:
    s = Clocked()
    s.create()
    q1 = submit(s, 1, text="Tiến độ nhà ở xã hội chậm, trách nhiệm thuộc về ai?")
    s.run(CHAIR, "sitting.open")
    s.run(CHAIR, "agenda.add_urgent_item", title="Chất vấn và trả lời chất vấn", open=True)
    q2 = submit(s, 2, addressee="Giám đốc Sở Tài chính", text="Nợ đọng thuế?")
    q3 = submit(s, 3)
    s.run(CLERK, "question.reorder", question_ids=[q2, q1, q3])
    assert s.state.floor.question_order == (q2, q1, q3)
    s.tick(60)
    s.run(CHAIR, "question.call", question_id=q2)
    assert s.state.floor.current_question == q2
    s.tick(185.5)
    (answered,) = s.run(
        CLERK,
        "question.record_answer",
        question_id=q2,
        answered_by="Ông Lê Văn A, Giám đốc Sở Tài chính",
        summary="Đã thu hồi 80% nợ đọng; phần còn lại trong quý IV.",
    )
    assert answered.data["duration"] == 185.5
    assert s.state.floor.current_question is None
    s.run(CHAIR, "question.call", question_id=q1)
    s.run(CLERK, "question.record_answer", question_id=q1, answered_by="Sở Xây dựng", seconds=240)
    s.run(CLERK, "question.mark_written", question_id=q1, note="Bổ sung số liệu bằng văn bản")
    s.run(delegate(3), "question.withdraw", question_id=q3)
    record = {q.question_id: q for q in floor_record(s.state).questions}
    assert list(record) == [q2, q1, q3]
    assert record[q2].status is QuestionStatus.ANSWERED
    assert record[q2].answered_by.startswith("Ông Lê Văn A")
    assert record[q2].called_at is not None and record[q2].answered_at == answered.at
    assert (record[q1].duration, record[q1].written) == (240.0, True)
    assert record[q1].item_id is None and record[q2].item_id == s.state.current_item
    assert record[q3].status is QuestionStatus.WITHDRAWN
    view = snapshot(s.state, Audience.PUBLIC)["floor"]["questions"]
    assert [q["question_id"] for q in view] == [q2, q1]
    assert fold(s.log) == s.state


def test_a_closed_session_question_is_seen_by_delegates_only() -> None:
    s = Clocked().opened()
    public, closed = s.items
    s.run(CHAIR, "agenda.open_item", item_id=public)
    open_q = submit(s, 1)
    s.run(CHAIR, "agenda.open_item", item_id=closed)
    secret_q = submit(s, 2, text="Về công tác cán bộ (họp kín)")
    (submitted,) = s.log[-1:]
    assert project(submitted, Audience.PUBLIC) is None
    (reordered,) = s.run(CHAIR, "question.reorder", question_ids=[secret_q, open_q])
    seen = project(reordered, Audience.PUBLIC)
    assert seen is not None and seen.data == {"order": [open_q]}
    delegates_view = project(reordered, Audience.DELEGATES)
    assert delegates_view is not None and delegates_view.data == {"order": [secret_q, open_q]}
    s.run(CHAIR, "question.call", question_id=secret_q)
    view = snapshot(s.state, Audience.PUBLIC)["floor"]
    assert [q["question_id"] for q in view["questions"]] == [open_q]
    assert view["current_question"] is None and "họp kín" not in repr(view)
    assert [q.question_id for q in floor_record(s.state, Audience.PUBLIC).questions] == [open_q]
    staff = snapshot(s.state, Audience.STAFF)["floor"]
    assert staff["current_question"] == secret_q


def test_calling_a_closed_session_question_ends_the_publics_current_question() -> None:
    s = Clocked().opened()
    public, closed = s.items
    s.run(CHAIR, "agenda.open_item", item_id=public)
    open_q = submit(s, 1)
    s.run(CHAIR, "agenda.open_item", item_id=closed)
    secret_q = submit(s, 2, text="Về công tác cán bộ (họp kín)")
    other_q = submit(s, 3, text="Về kỷ luật (họp kín)")
    s.run(CHAIR, "question.call", question_id=open_q)
    assert snapshot(s.state, Audience.PUBLIC)["floor"]["current_question"] == open_q
    called = s.run(CHAIR, "question.call", question_id=secret_q)
    names = [e.name for e in called]
    assert names == ["question.called_in_closed_session", "question.called"]
    seen = [p for p in (project(e, Audience.PUBLIC) for e in called) if p is not None]
    assert [(p.name, p.data) for p in seen] == [("question.called_in_closed_session", {})]
    assert snapshot(s.state, Audience.PUBLIC)["floor"]["current_question"] is None
    # Already nothing current for the public: calling another closed one tells it nothing.
    again = s.run(CHAIR, "question.call", question_id=other_q)
    assert [project(e, Audience.PUBLIC) for e in again] == [None]
    assert fold(s.log) == s.state


@pytest.mark.parametrize(
    ("actor", "name", "args", "code"),
    [
        (delegate(2), "question.record_answer", {"answered_by": "Tôi"}, "not_allowed"),
        (delegate(2), "question.call", {}, "not_allowed"),
        (delegate(2), "question.reorder", {"question_ids": []}, "not_allowed"),
        (delegate(2), "question.mark_written", {}, "not_allowed"),
        (delegate(2), "question.withdraw", {}, "not_allowed"),
        (CLERK, "question.submit", {"addressee": "x", "text": "y"}, "not_allowed"),
        (CLERK, "question.call", {}, "not_allowed"),
        (CLERK, "question.record_answer", {"answered_by": "Sở"}, "invalid_state"),
        (delegate(1), "question.submit", {"addressee": "", "text": "y"}, "invalid_args"),
        (delegate(1), "question.submit", {"addressee": "x", "text": ""}, "invalid_args"),
        (CHAIR, "question.reorder", {"question_ids": []}, "invalid_args"),
        (CHAIR, "question.call", {"question_id": "nope"}, "not_found"),
    ],
)
def test_refusals_have_stable_codes(
    actor: Actor, name: str, args: dict[str, Any], code: str
) -> None:
    s = Clocked().opened()
    question_id = submit(s, 1)
    if name not in ("question.submit", "question.reorder"):
        args = {"question_id": question_id, **args}
    before = (s.state, len(s.log))
    with pytest.raises(DomainError) as info:
        s.run(actor, name, **args)
    assert info.value.code == code
    assert (s.state, len(s.log)) == before


def test_a_question_moves_forward_only() -> None:
    s = Clocked().opened()
    q = submit(s, 1)
    s.run(CHAIR, "question.call", question_id=q)
    for actor, name in [
        (delegate(1), "question.withdraw"),
        (CHAIR, "question.call"),
    ]:
        with pytest.raises(DomainError) as info:
            s.run(actor, name, question_id=q)
        assert info.value.code == "invalid_state"
    s.run(CLERK, "question.mark_written", question_id=q)
    with pytest.raises(DomainError) as info:
        s.run(CLERK, "question.mark_written", question_id=q)
    assert info.value.code == "invalid_state"


def test_the_record_of_a_question_is_completed_after_the_closing_until_approval() -> None:
    s = Clocked().opened()
    answered, written = submit(s, 1), submit(s, 2)
    s.run(CHAIR, "question.call", question_id=answered)
    s.run(CHAIR, "sitting.close")
    # After the closing the clerk writes down the answer given at the end, and which
    # question is to be answered in writing.
    s.run(CLERK, "question.record_answer", question_id=answered, answered_by="Sở Xây dựng",
          summary="Sẽ báo cáo bằng văn bản bổ sung", seconds=180)  # fmt: skip
    s.run(CLERK, "question.mark_written", question_id=written, note="Trả lời sau kỳ họp")
    assert s.state.floor.questions[answered].answered_by == "Sở Xây dựng"
    assert s.state.floor.current_question is None
    with pytest.raises(DomainError) as info:  # nothing new is asked after the closing
        submit(s, 3)
    assert info.value.code == "invalid_state"
    s.run(CHAIR, "minutes.approve")
    with pytest.raises(DomainError) as info:
        s.run(CLERK, "question.mark_written", question_id=answered, note="Muộn")
    assert info.value.code == "invalid_state"
    assert fold(s.log) == s.state
