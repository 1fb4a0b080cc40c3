"""The speakers' queue of each agenda item (đăng ký phát biểu).

A delegate asks to speak on the current item, on a topic or in reply to someone, and may
withdraw; the chair adds someone, removes a request and reorders the queue. Giving the
floor and its timer are in `speeches`. A queue belongs to the item that was current when
it was asked for (or to no item), and takes that item's audience: what happens on a
closed-session item is seen by delegates and staff only.
"""

from __future__ import annotations

from . import errors
from .apply import on, set_in, without
from .decide import CHAIR, DELEGATE, Context, command, returns
from .errors import DomainError
from .events import Draft, Event
from .floor import (
    here,
    is_closed,
    member,
    plain,
    require_open,
    seen_by,
    sender,
    set_floor,
)
from .floor_args import AddSpeaker, ReorderSpeakers, RequestFloor, RequestRef, WithdrawRequest
from .floor_shapes import QueueChangeData, QueuedData, QueueOrderData, RequestData
from .floor_state import SpeakRequest
from .model import Actor, Meeting

__all__ = ["queue_ids", "requeue"]


def queue_ids(queue: tuple[SpeakRequest, ...], leaving: str | None = None) -> list[str]:
    """The request ids of `queue` in order, without `leaving`."""
    return [r.id for r in queue if r.id != leaving]


def requeue(state: Meeting, item_id: str | None, ids: list[str], *new: SpeakRequest) -> Meeting:
    """The state with the queue of `item_id` set to `ids` (known requests and `new` ones)."""
    known = {r.id: r for r in (*state.floor.queue(item_id), *new)}
    queue = tuple(known[i] for i in ids)
    queues = state.floor.queues
    queues = set_in(queues, item_id, queue) if queue else without(queues, item_id)
    return set_floor(state, queues=queues)


def _request(state: Meeting, request_id: str) -> SpeakRequest:
    for queue in state.floor.queues.values():
        for r in queue:
            if r.id == request_id:
                return r
    raise DomainError(errors.NOT_FOUND, f"no request {request_id!r} is waiting")


def _enqueue(state: Meeting, name: str, request: RequestData, position: int | None) -> Draft:
    require_open(state)
    queue = state.floor.queue(request.item_id)
    if any(r.user_id == request.user_id for r in queue):
        raise DomainError(errors.INVALID_STATE, "already waiting to speak on this item")
    if request.reply_to is not None:
        member(state, request.reply_to)
    ids = queue_ids(queue)
    ids.insert(len(ids) if position is None else min(position, len(ids)), request.request_id)
    closed = is_closed(state, request.item_id)
    return Draft(name, plain(QueuedData(request, ids)), seen_by(closed))


def _leave(name: str, state: Meeting, request: SpeakRequest) -> Draft:
    ids = queue_ids(state.floor.queue(request.item_id), request.id)
    data = QueueChangeData(request.id, request.item_id, ids)
    return Draft(name, plain(data), seen_by(request.closed_session))


# -- commands -------------------------------------------------------------------------------


@command(
    "floor.request",
    RequestFloor,
    DELEGATE,
    result=returns("floor.requested", "request", "request_id"),
)
def _ask(state: Meeting, actor: Actor, args: RequestFloor, ctx: Context) -> list[Draft]:
    """Ask to speak on the current item (đăng ký phát biểu), on a topic or in reply to someone."""
    item_id, _ = here(state)
    request = RequestData(ctx.new_id, sender(actor), item_id, args.topic, args.reply_to, None)
    return [_enqueue(state, "floor.requested", request, None)]


@command("floor.withdraw", WithdrawRequest, DELEGATE)
def _withdraw(state: Meeting, actor: Actor, args: WithdrawRequest, ctx: Context) -> list[Draft]:
    """Withdraw one's own request to speak (by default the one on the current item)."""
    require_open(state)
    user_id = sender(actor)
    if args.request_id is None:
        mine = [r for r in state.floor.queue(state.current_item) if r.user_id == user_id]
        if not mine:
            raise DomainError(errors.INVALID_STATE, "you are not waiting to speak on this item")
        request = mine[0]
    else:
        request = _request(state, args.request_id)
        if request.user_id != user_id:
            raise DomainError(errors.NOT_ALLOWED, "only the chair may remove another's request")
    return [_leave("floor.withdrawn", state, request)]


@command("floor.add", AddSpeaker, CHAIR, result=returns("floor.added", "request", "request_id"))
def _add(state: Meeting, actor: Actor, args: AddSpeaker, ctx: Context) -> list[Draft]:
    """Put someone on the current item's list of speakers, at a place or at the end."""
    member(state, args.user_id)
    item_id, _ = here(state)
    by = actor.user_id
    request = RequestData(ctx.new_id, args.user_id, item_id, args.topic, args.reply_to, by)
    return [_enqueue(state, "floor.added", request, args.position)]


@command("floor.remove", RequestRef, CHAIR)
def _remove(state: Meeting, actor: Actor, args: RequestRef, ctx: Context) -> list[Draft]:
    """Take a request off the list of speakers."""
    require_open(state)
    return [_leave("floor.removed", state, _request(state, args.request_id))]


@command("floor.reorder", ReorderSpeakers, CHAIR)
def _reorder(state: Meeting, actor: Actor, args: ReorderSpeakers, ctx: Context) -> list[Draft]:
    """Put the current item's queue in a new order."""
    require_open(state)
    item_id, closed = here(state)
    if sorted(args.request_ids) != sorted(queue_ids(state.floor.queue(item_id))):
        raise DomainError(errors.INVALID_ARGS, "request_ids must list every waiting request once")
    data = QueueOrderData(item_id, list(args.request_ids))
    return [Draft("floor.reordered", plain(data), seen_by(closed))]


# -- folding the events ---------------------------------------------------------------------


@on("floor.requested")
@on("floor.added")
def _queued(state: Meeting, e: Event) -> Meeting:
    d = e.data["request"]
    request = SpeakRequest(
        id=d["request_id"],
        user_id=d["user_id"],
        item_id=d["item_id"],
        closed_session=is_closed(state, d["item_id"]),
        topic=d["topic"],
        reply_to=d["reply_to"],
        at=e.at,
        added_by=d["added_by"],
    )
    return requeue(state, request.item_id, e.data["queue"], request)


@on("floor.withdrawn")
@on("floor.removed")
@on("floor.reordered")
def _queue_changed(state: Meeting, e: Event) -> Meeting:
    return requeue(state, e.data["item_id"], e.data["queue"])
