"""The floor given to one speaker, and the speaking timer the server keeps.

The chair grants the floor to a request of the current item's queue, pauses, resumes and
extends the speaker's time, and ends the speech (or the next grant does). Every timer event
carries the time left as of its own server time and the deadline, so clients count down
from the server's times, never from their own clocks. The warning before the end and the
overrun are events the server sends itself: `_speech_deadlines` gives the engine the next
`Deadline`, and `floor.timer_due` checks it again against the server's clock. Each speech
ends in the log with its duration, for the minutes.
"""

from __future__ import annotations

from dataclasses import replace

import msgspec

from . import errors
from .agenda import on_item_close, on_sitting_close
from .apply import on
from .decide import (
    CHAIR,
    SERVER,
    STAFF,
    Context,
    Deadline,
    command,
    deadline_source,
    returns,
)
from .errors import DomainError
from .events import Draft, Event
from .floor import here, is_closed, plain, require_not_closed, require_open, seen_by, set_floor
from .floor_args import ExtendSpeech, GrantFloor, SetTiming, SpeechRef, TimerDue
from .floor_shapes import (
    ExtendedData,
    GrantedData,
    SpeechData,
    SpeechEndedData,
    TimerData,
    TimerEventData,
    TimingData,
)
from .floor_state import Speech, Timing
from .model import Actor, Meeting, SittingStatus
from .speakers import queue_ids, requeue
from .times import add_seconds, seconds_between

__all__ = ["OVERRUN", "WARNING", "checkpoints", "timer_data"]

WARNING = "floor.timer_warning"
OVERRUN = "floor.timer_overrun"


def timer_data(speech: Speech, now: str) -> TimerData:
    """The timer as of the server time `now`."""
    return TimerData(speech.allowed, speech.remaining(now), speech.running, speech.deadline, now)


def checkpoints(speech: Speech, timing: Timing) -> list[tuple[str, str]]:
    """The timer events still to come for a running speech: (server time, event name)."""
    deadline = speech.deadline
    if deadline is None or speech.overrun:
        return []
    due = [(deadline, OVERRUN)]
    if not speech.warned and timing.warning_seconds > 0:
        due.insert(0, (add_seconds(deadline, -timing.warning_seconds), WARNING))
    return due


# -- what each command does to the timer (the same functions fold the events) --------------


def _paused(speech: Speech, now: str) -> Speech:
    return replace(speech, used=speech.spoken(now), running_since=None, timer_at=now)


def _resumed(speech: Speech, now: str) -> Speech:
    return replace(speech, running_since=now, timer_at=now)


def _extended(speech: Speech, seconds: int, now: str, timing: Timing) -> Speech:
    # A warning or overrun already sent stands only while the new time left is still within it.
    longer = replace(speech, allowed=speech.allowed + seconds, timer_at=now)
    left = longer.remaining(now)
    warned = speech.warned and left <= timing.warning_seconds
    return replace(longer, warned=warned, overrun=speech.overrun and left <= 0)


def _ended(speech: Speech, now: str) -> Speech:
    spoken = speech.spoken(now)
    ended = replace(speech, used=spoken, running_since=None, timer_at=now, ended_at=now)
    return replace(ended, duration=spoken)


def _speech(state: Meeting, speech_id: str | None) -> Speech:
    speech = state.floor.speech
    if speech is None:
        raise DomainError(errors.INVALID_STATE, "nobody has the floor")
    if speech_id is not None and speech_id != speech.id:
        raise DomainError(errors.INVALID_STATE, "that speech has ended")
    return speech


def _timer_event(name: str, speech: Speech, now: str) -> Draft:
    data = TimerEventData(speech.id, timer_data(speech, now))
    return Draft(name, plain(data), seen_by(speech.closed_session))


def _end(speech: Speech, now: str) -> Draft:
    s = speech
    spoken = s.spoken(now)
    data = SpeechEndedData(s.id, s.user_id, s.item_id, s.started_at, spoken, s.allowed, s.overrun)
    return Draft("floor.speech_ended", plain(data), seen_by(s.closed_session))


# -- commands -------------------------------------------------------------------------------


@command("floor.set_timing", SetTiming, STAFF)
def _set_timing(state: Meeting, actor: Actor, args: SetTiming, ctx: Context) -> list[Draft]:
    """Set the sitting's default speaking time and the warning before its end."""
    require_not_closed(state)
    data = TimingData(args.speaking_seconds, args.warning_seconds)
    return [Draft("floor.timing_set", plain(data))]


@command("floor.grant", GrantFloor, CHAIR, result=returns("floor.granted", "speech", "speech_id"))
def _grant(state: Meeting, actor: Actor, args: GrantFloor, ctx: Context) -> list[Draft]:
    """Give the floor to the next speaker (or a chosen request); the current speech ends."""
    require_open(state)
    item_id, closed = here(state)
    queue = state.floor.queue(item_id)
    chosen = [r for r in queue if args.request_id in (None, r.id)][:1]
    if not chosen:
        what = "nobody is waiting" if args.request_id is None else "no such request is waiting"
        raise DomainError(errors.NOT_FOUND, f"{what} to speak on this item")
    r = chosen[0]
    seconds = state.floor.timing.speaking_seconds if args.seconds is None else args.seconds
    granted = SpeechData(ctx.new_id, r.id, r.user_id, item_id, r.topic, r.reply_to)
    speech = _new_speech(state, granted, ctx.now, seconds)
    data = GrantedData(granted, timer_data(speech, ctx.now), queue_ids(queue, r.id))
    ending = [_end(state.floor.speech, ctx.now)] if state.floor.speech is not None else []
    return [*ending, Draft("floor.granted", plain(data), seen_by(closed))]


@command("floor.pause", SpeechRef, CHAIR)
def _pause(state: Meeting, actor: Actor, args: SpeechRef, ctx: Context) -> list[Draft]:
    """Stop the speaker's clock (the speaker keeps the floor)."""
    require_open(state)
    speech = _speech(state, args.speech_id)
    if not speech.running:
        raise DomainError(errors.INVALID_STATE, "the timer is paused already")
    return [_timer_event("floor.paused", _paused(speech, ctx.now), ctx.now)]


@command("floor.resume", SpeechRef, CHAIR)
def _resume(state: Meeting, actor: Actor, args: SpeechRef, ctx: Context) -> list[Draft]:
    """Start the speaker's clock again."""
    require_open(state)
    speech = _speech(state, args.speech_id)
    if speech.running:
        raise DomainError(errors.INVALID_STATE, "the timer is running")
    return [_timer_event("floor.resumed", _resumed(speech, ctx.now), ctx.now)]


@command("floor.extend", ExtendSpeech, CHAIR)
def _extend(state: Meeting, actor: Actor, args: ExtendSpeech, ctx: Context) -> list[Draft]:
    """Give the speaker more time."""
    require_open(state)
    speech = _speech(state, args.speech_id)
    longer = _extended(speech, args.seconds, ctx.now, state.floor.timing)
    data = ExtendedData(speech.id, args.seconds, timer_data(longer, ctx.now))
    return [Draft("floor.extended", plain(data), seen_by(speech.closed_session))]


@command("floor.end", SpeechRef, CHAIR)
def _end_speech(state: Meeting, actor: Actor, args: SpeechRef, ctx: Context) -> list[Draft]:
    """End the current speech; its duration goes on record."""
    return [_end(_speech(state, args.speech_id), ctx.now)]


@command("floor.timer_due", TimerDue, SERVER)
def _due(state: Meeting, actor: Actor, args: TimerDue, ctx: Context) -> list[Draft]:
    """The server's own check of the speaking time: the warning, then the overrun."""
    require_open(state)
    speech = state.floor.speech
    if speech is None or speech.id != args.speech_id:
        raise DomainError(errors.INVALID_STATE, "that speech has ended")
    due = checkpoints(speech, state.floor.timing)
    passed = [name for at, name in due if seconds_between(at, ctx.now) >= 0]
    if not passed:
        raise DomainError(errors.INVALID_STATE, "the timer has nothing due yet")
    # After a stall only the latest checkpoint is sent: an overrun implies the warning.
    return [_timer_event(passed[-1], speech, ctx.now)]


@on_item_close
def _end_with_item(state: Meeting, item_id: str, ctx: Context) -> list[Draft]:
    # The chair moves on: a speech on the item being closed ends (its time goes on record).
    speech = state.floor.speech
    return [_end(speech, ctx.now)] if speech is not None and speech.item_id == item_id else []


@on_sitting_close
def _end_at_close(state: Meeting, ctx: Context) -> list[Draft]:
    # The record must not keep a speech open forever; its timer stops with it.
    speech = state.floor.speech
    return [_end(speech, ctx.now)] if speech is not None else []


@deadline_source
def _speech_deadlines(state: Meeting) -> list[Deadline]:
    speech = state.floor.speech
    if speech is None or state.status is not SittingStatus.OPEN:
        return []
    due = checkpoints(speech, state.floor.timing)
    return [Deadline(due[0][0], "floor.timer_due", {"speech_id": speech.id})] if due else []


# -- folding the events ---------------------------------------------------------------------


def _new_speech(state: Meeting, d: SpeechData, at: str, seconds: int) -> Speech:
    return Speech(
        id=d.speech_id,
        user_id=d.user_id,
        item_id=d.item_id,
        closed_session=is_closed(state, d.item_id),
        topic=d.topic,
        reply_to=d.reply_to,
        request_id=d.request_id,
        started_at=at,
        allowed=seconds,
        running_since=at,
        timer_at=at,
    )


def _current(state: Meeting) -> Speech:
    speech = state.floor.speech
    if speech is None:
        raise ValueError("a timer event without a speech")
    return speech


@on("floor.timing_set")
def _timing_set(state: Meeting, e: Event) -> Meeting:
    return set_floor(state, timing=Timing(e.data["speaking_seconds"], e.data["warning_seconds"]))


@on("floor.granted")
def _granted(state: Meeting, e: Event) -> Meeting:
    granted = msgspec.convert(e.data["speech"], SpeechData)
    speech = _new_speech(state, granted, e.at, e.data["timer"]["allowed"])
    return set_floor(requeue(state, speech.item_id, e.data["queue"]), speech=speech)


@on("floor.paused")
def _on_paused(state: Meeting, e: Event) -> Meeting:
    return set_floor(state, speech=_paused(_current(state), e.at))


@on("floor.resumed")
def _on_resumed(state: Meeting, e: Event) -> Meeting:
    return set_floor(state, speech=_resumed(_current(state), e.at))


@on("floor.extended")
def _on_extended(state: Meeting, e: Event) -> Meeting:
    longer = _extended(_current(state), e.data["seconds"], e.at, state.floor.timing)
    return set_floor(state, speech=longer)


@on(WARNING)
def _on_warning(state: Meeting, e: Event) -> Meeting:
    return set_floor(state, speech=replace(_current(state), warned=True))


@on(OVERRUN)
def _on_overrun(state: Meeting, e: Event) -> Meeting:
    return set_floor(state, speech=replace(_current(state), warned=True, overrun=True))


@on("floor.speech_ended")
def _on_ended(state: Meeting, e: Event) -> Meeting:
    ended = _ended(_current(state), e.at)
    return set_floor(state, speech=None, speeches=(*state.floor.speeches, ended))
