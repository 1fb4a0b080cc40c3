"""Questions (chất vấn): delegates' written questions to officials, and their answers.

A delegate submits a question addressed to an official or agency (before or during the
sitting) and may withdraw it until it is called. The chair or clerk orders the list; the
chair calls each question; the clerk records who answered, a short summary and how long
it took, or marks it for a written answer after the sitting.

Questions are public once submitted, since they are read out in a public sitting; one
submitted while a closed-session item is current belongs to that item and is seen by
delegates and staff only (in the list's order too, as for the agenda's closed items). When
such a question is called after a public one, the public is told only that the public one
is no longer being asked (`question.called_in_closed_session`).
"""

from __future__ import annotations

from dataclasses import replace

from . import errors
from .apply import on, set_in
from .decide import CHAIR, DELEGATE, STAFF, Context, command, returns
from .errors import DomainError
from .events import Draft, Event
from .floor import (
    here,
    is_closed,
    plain,
    require_not_closed,
    require_open,
    seen_by,
    sender,
    set_floor,
)
from .floor_args import MarkWritten, QuestionRef, RecordAnswer, ReorderQuestions, SubmitQuestion
from .floor_shapes import (
    AnsweredData,
    QuestionOrderData,
    QuestionRefData,
    QuestionSubmittedData,
    WrittenData,
)
from .floor_state import Question, QuestionStatus
from .model import Actor, Meeting
from .times import seconds_between

__all__: list[str] = []


def _question(state: Meeting, question_id: str) -> Question:
    question = state.floor.questions.get(question_id)
    if question is None:
        raise DomainError(errors.NOT_FOUND, f"no question {question_id!r}")
    return question


def _about(name: str, q: Question, data: QuestionRefData | AnsweredData | WrittenData) -> Draft:
    return Draft(name, plain(data), seen_by(q.closed_session))


# -- commands -------------------------------------------------------------------------------


@command(
    "question.submit", SubmitQuestion, DELEGATE, result=returns("question.submitted", "question_id")
)
def _submit(state: Meeting, actor: Actor, args: SubmitQuestion, ctx: Context) -> list[Draft]:
    """Submit a written question (chất vấn) to an official or agency."""
    require_not_closed(state)
    item_id, closed = here(state)
    data = QuestionSubmittedData(ctx.new_id, sender(actor), args.addressee, args.text, item_id)
    return [Draft("question.submitted", plain(data), seen_by(closed))]


@command("question.withdraw", QuestionRef, DELEGATE)
def _withdraw(state: Meeting, actor: Actor, args: QuestionRef, ctx: Context) -> list[Draft]:
    """Withdraw one's own question before it is called."""
    require_not_closed(state)
    q = _question(state, args.question_id)
    if q.asker != sender(actor):
        raise DomainError(errors.NOT_ALLOWED, "only the asker may withdraw a question")
    if q.status is not QuestionStatus.SUBMITTED:
        raise DomainError(errors.INVALID_STATE, f"the question is {q.status.value}")
    return [_about("question.withdrawn", q, QuestionRefData(q.id))]


@command("question.reorder", ReorderQuestions, STAFF)
def _reorder(state: Meeting, actor: Actor, args: ReorderQuestions, ctx: Context) -> list[Draft]:
    """Put the questions in the order they will be called."""
    require_not_closed(state)
    floor = state.floor
    if sorted(args.question_ids) != sorted(floor.question_order):
        raise DomainError(errors.INVALID_ARGS, "question_ids must list every question once")
    order = list(args.question_ids)
    restricted = [i for i in order if floor.questions[i].closed_session]
    return [Draft("question.reordered", plain(QuestionOrderData(order, restricted)))]


@command("question.call", QuestionRef, CHAIR)
def _call(state: Meeting, actor: Actor, args: QuestionRef, ctx: Context) -> list[Draft]:
    """Call a question: it is asked and answered now."""
    require_open(state)
    q = _question(state, args.question_id)
    if q.status is not QuestionStatus.SUBMITTED:
        raise DomainError(errors.INVALID_STATE, f"the question is {q.status.value}")
    drafts = []
    before = state.floor.questions.get(state.floor.current_question or "")
    if q.closed_session and before is not None and not before.closed_session:
        # Else the public goes on showing the question before as the one being asked. First,
        # so that everyone may fold it alike: "none is current", then (for those who may
        # see it) "this one is".
        drafts.append(Draft("question.called_in_closed_session", {}))
    return [*drafts, _about("question.called", q, QuestionRefData(q.id))]


def _record_open(state: Meeting) -> None:
    """The clerk completes the record of the questions until the chair approves the minutes:
    an answer given at the end of the sitting, or a question left to be answered in writing,
    is often written down after the closing."""
    if state.record.approved_at is not None:
        raise DomainError(errors.INVALID_STATE, "the minutes are approved; they cannot change")


@command("question.record_answer", RecordAnswer, STAFF)
def _answer(state: Meeting, actor: Actor, args: RecordAnswer, ctx: Context) -> list[Draft]:
    """Record the answer to a called question: who answered, a summary, how long it took
    (also after the sitting closes, until the minutes are approved)."""
    _record_open(state)
    q = _question(state, args.question_id)
    if q.status is not QuestionStatus.CALLED or q.called_at is None:
        raise DomainError(errors.INVALID_STATE, f"the question is {q.status.value}, not called")
    if args.seconds is None:
        took = round(seconds_between(q.called_at, ctx.now), 3)
    else:
        took = float(args.seconds)
    data = AnsweredData(q.id, args.answered_by, args.summary, took)
    return [_about("question.answered", q, data)]


@command("question.mark_written", MarkWritten, STAFF)
def _written(state: Meeting, actor: Actor, args: MarkWritten, ctx: Context) -> list[Draft]:
    """Mark a question to be answered in writing after the sitting (also once it has closed,
    until the minutes are approved)."""
    _record_open(state)
    q = _question(state, args.question_id)
    if q.status is QuestionStatus.WITHDRAWN:
        raise DomainError(errors.INVALID_STATE, "the question is withdrawn")
    if q.written:
        raise DomainError(errors.INVALID_STATE, "the question is marked for writing already")
    return [_about("question.marked_written", q, WrittenData(q.id, args.note))]


# -- folding the events ---------------------------------------------------------------------


def _set(state: Meeting, q: Question, **floor: object) -> Meeting:
    return set_floor(state, questions=set_in(state.floor.questions, q.id, q), **floor)


def _done(state: Meeting, question_id: str) -> str | None:
    current = state.floor.current_question
    return None if current == question_id else current


@on("question.submitted")
def _submitted(state: Meeting, e: Event) -> Meeting:
    d = e.data
    q = Question(
        id=d["question_id"],
        asker=d["asker"],
        addressee=d["addressee"],
        text=d["text"],
        item_id=d["item_id"],
        closed_session=is_closed(state, d["item_id"]),
        submitted_at=e.at,
    )
    return _set(state, q, question_order=(*state.floor.question_order, q.id))


@on("question.withdrawn")
def _withdrawn(state: Meeting, e: Event) -> Meeting:
    q = replace(state.floor.questions[e.data["question_id"]], status=QuestionStatus.WITHDRAWN)
    order = tuple(i for i in state.floor.question_order if i != q.id)
    return _set(state, q, question_order=order)


@on("question.reordered")
def _reordered(state: Meeting, e: Event) -> Meeting:
    return set_floor(state, question_order=tuple(e.data["order"]))


@on("question.called")
def _called(state: Meeting, e: Event) -> Meeting:
    q = state.floor.questions[e.data["question_id"]]
    q = replace(q, status=QuestionStatus.CALLED, called_at=e.at)
    return _set(state, q, current_question=q.id)


@on("question.called_in_closed_session")
def _called_unseen(state: Meeting, e: Event) -> Meeting:
    # For the public's sake only: `question.called` has moved the current question already.
    return state


@on("question.answered")
def _answered(state: Meeting, e: Event) -> Meeting:
    d = e.data
    q = replace(
        state.floor.questions[d["question_id"]],
        status=QuestionStatus.ANSWERED,
        answered_by=d["answered_by"],
        summary=d["summary"],
        answered_at=e.at,
        duration=d["duration"],
    )
    return _set(state, q, current_question=_done(state, q.id))


@on("question.marked_written")
def _marked_written(state: Meeting, e: Event) -> Meeting:
    q = state.floor.questions[e.data["question_id"]]
    q = replace(q, written=True, written_note=e.data["note"])
    return _set(state, q, current_question=_done(state, q.id))
