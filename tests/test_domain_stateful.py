"""Stateful and property tests of a sitting, driven only through `decide` and `apply`.

A Hypothesis state machine sends valid and invalid commands from every kind of actor. A small
model predicts, for each command, the refusal code or acceptance; after every step the
invariants the rest of the server leans on are checked: a gapless log whose fold is the state,
a consistent agenda, nothing of a closed-session item shown to the public, and a hash chain
that verifies and breaks as soon as history is edited.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from meeting.domain import (
    EMPTY,
    GENESIS,
    RULES,
    Access,
    Actor,
    Audience,
    Command,
    Context,
    DomainError,
    Event,
    Meeting,
    Role,
    apply,
    chain_hash,
    decide,
    fold,
    project,
    snapshot,
    verify_chain,
)
from meeting.domain.chain import canonical_bytes
from meeting.domain.model import ItemStatus, SittingStatus
from tests.sitting import ADMIN, CHAIR, CLERK, OBSERVER, delegate, roster

MEETING = "m-stateful"
CODES = {"not_allowed", "invalid_state", "not_found", "invalid_args", "unknown_command"}
STRANGER = Actor("stranger")
ANONYMOUS = Actor(None)

STAFF = frozenset({Role.CHAIR, Role.CLERK, Role.ADMIN})
PERMITS: dict[str, frozenset[Role]] = {
    "meeting.create": frozenset({Role.ADMIN}),
    "member.set": frozenset({Role.ADMIN, Role.CLERK}),
    "member.remove": frozenset({Role.ADMIN, Role.CLERK}),
    "sitting.open": frozenset({Role.CHAIR}),
    "sitting.close": frozenset({Role.CHAIR}),
    "agenda.add_item": STAFF,
    "agenda.edit_item": STAFF,
    "agenda.reorder": STAFF,
    "agenda.remove_item": STAFF,
    "agenda.add_urgent_item": frozenset({Role.CHAIR}),
    "agenda.open_item": frozenset({Role.CHAIR}),
    "agenda.close_item": frozenset({Role.CHAIR}),
}
"""Who may send each command, written out here rather than read from `RULES`: a change of
who may do what must be deliberate and show up in this table."""

OTHERS = [ADMIN, CHAIR, CLERK, OBSERVER, delegate(1), delegate(2), STRANGER, ANONYMOUS]


def actors(favourite: Actor) -> st.SearchStrategy[Actor]:
    """Anyone at all, but mostly `favourite`, so that enough commands reach deep states."""
    return st.sampled_from([favourite] * len(OTHERS) + OTHERS)


def rarely(*flaws: str) -> st.SearchStrategy[str | None]:
    """Mostly None (well-formed arguments), sometimes one of `flaws`."""
    return st.sampled_from([None] * 2 * len(flaws) + list(flaws))


words = st.text(max_size=12)
flaws = rarely("empty", "number", "missing", "extra_field")
no_args = st.sampled_from([{}, {}, {}, {}, {"at": "now"}, []])


class Log:
    """A meeting's log, folded state and hash chain, driven the way the engine drives them."""

    def __init__(self) -> None:
        self.state: Meeting = EMPTY
        self.events: list[Event] = []
        self.hashes: list[str] = []
        self._ticks = 0

    def send(self, actor: Actor, name: str, args: Any) -> list[Event]:
        self._ticks += 1
        minutes, seconds = divmod(self._ticks, 60)
        ctx = Context(
            MEETING, f"2026-12-01T08:{minutes % 60:02d}:{seconds:02d}Z", f"it{self._ticks}"
        )
        drafts = decide(self.state, actor, Command(name, args), ctx)
        state, new = self.state, list[Event]()
        for draft in drafts:
            seq = len(self.events) + len(new) + 1
            new.append(
                Event.from_draft(
                    draft, meeting_id=MEETING, seq=seq, at=ctx.now, actor=actor.user_id
                )
            )
            state = apply(state, new[-1])
        self.state = state
        for e in new:
            self.hashes.append(chain_hash(self.hashes[-1] if self.hashes else GENESIS, e))
        self.events += new
        return new


def leaves(value: Any) -> Iterator[Any]:
    """Every key and scalar inside a JSON-like value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from leaves(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from leaves(v)
    else:
        yield value


def roles_of(state: Meeting, actor: Actor) -> frozenset[Role]:
    member = state.members.get(actor.user_id) if actor.user_id is not None else None
    roles = set(member.roles) if member is not None else set()
    if actor.is_admin:
        roles.add(Role.ADMIN)
    return frozenset(roles)


class SittingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.log = Log()
        self.log.send(ADMIN, "meeting.create", self.create_args())
        self.titles = 0
        self.removed: set[str] = set()
        self.opened_ever: set[str] = set()
        self.secret_ids: set[str] = set()
        self.secret_titles: set[str] = set()
        self.agenda_at_close: tuple[Any, ...] | None = None

    # -- helpers ---------------------------------------------------------------------------

    @property
    def state(self) -> Meeting:
        return self.log.state

    @staticmethod
    def create_args() -> dict[str, Any]:
        body = {"id": "hdnd", "name": "HĐND xã", "seats": 4}
        return {"body": body, "title": "Kỳ họp thứ 5", "members": roster(3)}

    def new_title(self, text: str) -> str:
        # Every title starts with a unique "#n": no other string of the meeting can equal it.
        self.titles += 1
        return f"#{self.titles} {text}"

    def item_ref(self, data: st.DataObject, prefer_current: bool = False) -> str:
        choices = [*sorted(self.state.items), *sorted(self.removed), "nope"]
        if prefer_current and self.state.current_item is not None:
            choices.insert(0, self.state.current_item)
        return data.draw(st.sampled_from(choices), label="item_id")

    @staticmethod
    def spoil(args: Any, key: str, flaw: str | None) -> Any:
        """Break `args` in the way `flaw` names; None leaves them as they are."""
        if flaw is None:
            return args
        args = dict(args)
        if flaw == "empty":
            args[key] = ""
        elif flaw == "number":
            args[key] = 7
        elif flaw == "missing":
            args.pop(key, None)
        else:
            args["colour"] = "red"
        return args

    def attempt(self, actor: Actor, name: str, args: Any, expected: str | None) -> list[Event]:
        """Send a command; `expected` is the handler's refusal the model predicts, or None."""
        if name not in RULES:
            expected = "unknown_command"
        elif not roles_of(self.state, actor) & PERMITS[name]:
            expected = "not_allowed"
        before_state, before_log = self.state, list(self.log.events)
        before_hashes = list(self.log.hashes)
        try:
            events = self.log.send(actor, name, args)
        except DomainError as exc:
            event(f"{name if name in RULES else '?'}: {exc.code}")
            assert exc.code in CODES, exc
            assert self.state is before_state
            assert self.log.events == before_log and self.log.hashes == before_hashes
            assert exc.code == expected, f"{name} {args!r} by {actor}: {exc!r}, want {expected}"
            return []
        event(f"{name}: accepted")
        assert expected is None, f"{name} {args!r} by {actor} was accepted, want {expected}"
        assert events, f"{name} was accepted but recorded nothing"
        for e in events:
            self.note_secrets(e)
        return events

    def note_secrets(self, e: Event) -> None:
        if e.name == "agenda.item_added" and e.data["item"]["access"] == Access.DELEGATES:
            self.secret_ids.add(e.data["item"]["item_id"])
            self.secret_titles.add(e.data["item"]["title"])
        edited = e.name == "agenda.item_edited" and e.data["item_id"] in self.secret_ids
        if edited and "title" in e.data:
            self.secret_titles.add(e.data["title"])
        if e.name == "agenda.item_opened":
            self.opened_ever.add(e.data["item_id"])

    # -- the agenda ------------------------------------------------------------------------

    @initialize(
        accesses=st.lists(st.sampled_from(["public", "delegates"]), max_size=4),
        progress=st.sampled_from(["scheduled", "open", "item_open"]),
        data=st.data(),
    )
    def load_agenda(self, accesses: list[str], progress: str, data: st.DataObject) -> None:
        """The clerk loads an agenda; the chair may open the sitting and one item. Starting
        from any of these states lets most rules find something to succeed at."""
        for access in accesses:
            args = {"title": self.new_title("tờ trình"), "access": access}
            self.attempt(CLERK, "agenda.add_item", args, None)
        if progress != "scheduled":
            self.attempt(CHAIR, "sitting.open", {}, None)
        if progress == "item_open" and self.state.order:
            item_id = data.draw(st.sampled_from(self.state.order), label="opened")
            self.attempt(CHAIR, "agenda.open_item", {"item_id": item_id}, None)

    @rule(
        actor=actors(CLERK),
        text=words,
        access=st.sampled_from([None, "public", "delegates", "delegates", "everyone"]),
        flaw=rarely("empty", "number", "missing", "extra_field", "negative_position"),
        data=st.data(),
    )
    def add_item(
        self, actor: Actor, text: str, access: str | None, flaw: str | None, data: st.DataObject
    ) -> None:
        position = data.draw(st.none() | st.integers(0, len(self.state.order) + 2))
        title = self.new_title(text)
        args: dict[str, Any] = {"title": title, "description": f"mô tả {text}"}
        if access is not None:
            args["access"] = access
        if position is not None:
            args["position"] = position
        if flaw == "negative_position":
            args["position"] = -1
        else:
            args = self.spoil(args, "title", flaw)
        order = list(self.state.order)
        if flaw or access == "everyone":
            expected: str | None = "invalid_args"
        elif self.state.status is SittingStatus.CLOSED:
            expected = "invalid_state"
        else:
            expected = None
        events = self.attempt(actor, "agenda.add_item", args, expected)
        if events:
            new_id = events[0].data["item"]["item_id"]
            order.insert(len(order) if position is None else min(position, len(order)), new_id)
            item = self.state.items[new_id]
            assert (item.title, item.access, item.status) == (
                title,
                Access(access or "public"),
                ItemStatus.PENDING,
            )
            assert self.state.order == tuple(order)

    @rule(
        actor=actors(CHAIR),
        text=words,
        access=st.sampled_from(["public", "delegates"]),
        open_it=st.sampled_from([False, True, "yes"]),
        flaw=flaws,
    )
    def add_urgent_item(
        self, actor: Actor, text: str, access: str, open_it: object, flaw: str | None
    ) -> None:
        title = self.new_title(text)
        args = self.spoil({"title": title, "access": access, "open": open_it}, "title", flaw)
        current = self.state.current_item
        if flaw or not isinstance(open_it, bool):
            expected: str | None = "invalid_args"
        elif self.state.status is not SittingStatus.OPEN:
            expected = "invalid_state"
        else:
            expected = None
        events = self.attempt(actor, "agenda.add_urgent_item", args, expected)
        if events:
            new_id = events[0].data["item"]["item_id"]
            assert self.state.items[new_id].urgent
            order = self.state.order
            if current is None:
                assert order[-1] == new_id
            else:
                assert order[order.index(current) + 1] == new_id
            if open_it:
                assert self.state.current_item == new_id
                if current is not None:
                    assert self.state.items[current].status is ItemStatus.CLOSED
            else:
                assert self.state.current_item == current

    @rule(
        actor=actors(CLERK),
        text=words,
        change=st.sampled_from(["title", "description", "both", "nothing"]),
        flaw=rarely("empty", "extra_field"),
        data=st.data(),
    )
    def edit_item(
        self, actor: Actor, text: str, change: str, flaw: str | None, data: st.DataObject
    ) -> None:
        item_id = self.item_ref(data)
        args: dict[str, Any] = {"item_id": item_id}
        if change in ("title", "both"):
            args["title"] = self.new_title(text)
        if change in ("description", "both"):
            args["description"] = f"mô tả {text}"
        args = self.spoil(args, "item_id", flaw)
        item = self.state.items.get(item_id)
        if flaw:
            expected: str | None = "invalid_args"
        elif self.state.status is SittingStatus.CLOSED:
            expected = "invalid_state"
        elif item is None:
            expected = "not_found"
        elif item.status is ItemStatus.CLOSED:
            expected = "invalid_state"
        elif change == "nothing":
            expected = "invalid_args"
        else:
            expected = None
        if self.attempt(actor, "agenda.edit_item", args, expected):
            edited = self.state.items[item_id]
            assert edited.title == args.get("title", edited.title)
            assert edited.description == args.get("description", edited.description)

    @rule(
        actor=actors(CLERK),
        how=st.sampled_from(
            ["permutation", "permutation", "drop", "repeat", "stranger", "text", "empty_id"]
        ),
        data=st.data(),
    )
    def reorder(self, actor: Actor, how: str, data: st.DataObject) -> None:
        order = list(self.state.order)
        ids: Any
        if how == "permutation":
            ids = data.draw(st.permutations(order), label="item_ids")
        elif how == "drop":
            ids = order[1:]
        elif how == "repeat":
            ids = order + order[:1] if order else ["nope", "nope"]
        elif how == "stranger":
            ids = [*order, "nope"]
        elif how == "text":
            ids = ",".join(order)
        else:
            ids = [*order, ""]
        if how in ("text", "empty_id"):
            expected: str | None = "invalid_args"
        elif self.state.status is SittingStatus.CLOSED:
            expected = "invalid_state"
        elif sorted(ids) != sorted(order) or len(ids) != len(order):
            expected = "invalid_args"
        else:
            expected = None
        if self.attempt(actor, "agenda.reorder", {"item_ids": ids}, expected):
            assert self.state.order == tuple(ids)

    @rule(actor=actors(CLERK), flaw=rarely("empty", "number"), data=st.data())
    def remove_item(self, actor: Actor, flaw: str | None, data: st.DataObject) -> None:
        item_id = self.item_ref(data)
        item = self.state.items.get(item_id)
        if flaw:
            expected: str | None = "invalid_args"
        elif self.state.status is SittingStatus.CLOSED:
            expected = "invalid_state"
        elif item is None:
            expected = "not_found"
        elif item_id in self.opened_ever:
            expected = "invalid_state"
        else:
            expected = None
        args = self.spoil({"item_id": item_id}, "item_id", flaw)
        if self.attempt(actor, "agenda.remove_item", args, expected):
            self.removed.add(item_id)
            assert item_id not in self.state.items and item_id not in self.state.order

    @rule(actor=actors(CHAIR), flaw=rarely("number", "missing"), data=st.data())
    def open_item(self, actor: Actor, flaw: str | None, data: st.DataObject) -> None:
        item_id = self.item_ref(data)
        previous = self.state.current_item
        if flaw:
            expected: str | None = "invalid_args"
        elif self.state.status is not SittingStatus.OPEN:
            expected = "invalid_state"
        elif item_id not in self.state.items:
            expected = "not_found"
        elif item_id == previous:
            expected = "invalid_state"
        else:
            expected = None
        args = self.spoil({"item_id": item_id}, "item_id", flaw)
        if self.attempt(actor, "agenda.open_item", args, expected):
            assert self.state.current_item == item_id
            assert self.state.items[item_id].status is ItemStatus.OPEN
            if previous is not None:
                assert self.state.items[previous].status is ItemStatus.CLOSED

    @rule(actor=actors(CHAIR), flaw=rarely("empty", "extra_field"), data=st.data())
    def close_item(self, actor: Actor, flaw: str | None, data: st.DataObject) -> None:
        item_id = self.item_ref(data, prefer_current=True)
        if flaw:
            expected: str | None = "invalid_args"
        elif item_id not in self.state.items:
            expected = "not_found"
        elif item_id != self.state.current_item:
            expected = "invalid_state"
        else:
            expected = None
        args = self.spoil({"item_id": item_id}, "item_id", flaw)
        if self.attempt(actor, "agenda.close_item", args, expected):
            assert self.state.current_item is None
            assert self.state.items[item_id].status is ItemStatus.CLOSED

    # -- the sitting -----------------------------------------------------------------------

    @rule(actor=actors(CHAIR), args=no_args)
    def open_sitting(self, actor: Actor, args: Any) -> None:
        if args != {}:
            expected: str | None = "invalid_args"
        elif self.state.status is not SittingStatus.SCHEDULED:
            expected = "invalid_state"
        else:
            expected = None
        if self.attempt(actor, "sitting.open", args, expected):
            assert self.state.status is SittingStatus.OPEN

    @rule(actor=actors(CHAIR), args=no_args)
    def close_sitting(self, actor: Actor, args: Any) -> None:
        if args != {}:
            expected: str | None = "invalid_args"
        elif self.state.status is not SittingStatus.OPEN:
            expected = "invalid_state"
        else:
            expected = None
        if self.attempt(actor, "sitting.close", args, expected):
            assert self.state.status is SittingStatus.CLOSED
            assert self.state.current_item is None

    # -- the roster ------------------------------------------------------------------------

    @rule(
        actor=actors(ADMIN),
        user_id=st.sampled_from(["d01", "d02", "d03", "d04", "newbie", "obs", "clerk"]),
        name=words,
        roles=st.lists(st.sampled_from([r.value for r in Role]), max_size=3),
        seat=st.none() | st.integers(1, 8),
        flaw=rarely("empty", "number", "extra_field"),
    )
    def set_member(
        self,
        actor: Actor,
        user_id: str,
        name: str,
        roles: list[str],
        seat: int | None,
        flaw: str | None,
    ) -> None:
        args = {"user_id": user_id, "name": f"Người {name}", "roles": roles, "seat": seat}
        args = self.spoil(args, "user_id", flaw)
        others = [m.seat for m in self.state.members.values() if m.user_id != user_id]
        clash = seat is not None and seat in others
        before = self.state.members.get(user_id)
        touched = set(roles) | ({r.value for r in before.roles} if before else set())
        if flaw or not roles or clash or {Role.ADMIN.value, Role.SERVER.value} & set(roles):
            expected: str | None = "invalid_args"
        elif not actor.is_admin and not touched <= {"delegate", "observer"}:
            expected = "not_allowed"  # a clerk keeps delegates and observers only
        else:
            expected = None
        if self.attempt(actor, "member.set", args, expected):
            member = self.state.members[user_id]
            assert (member.roles, member.seat) == (frozenset(map(Role, roles)), seat)

    @rule(
        actor=actors(ADMIN),
        user_id=st.sampled_from(["d02", "d03", "newbie", "obs", "nobody"]),
        flaw=rarely("missing"),
    )
    def remove_member(self, actor: Actor, user_id: str, flaw: str | None) -> None:
        if flaw:
            expected: str | None = "invalid_args"
        elif user_id not in self.state.members:
            expected = "not_found"
        elif not actor.is_admin and not {r.value for r in self.state.members[user_id].roles} <= {
            "delegate",
            "observer",
        }:
            expected = "not_allowed"  # a clerk keeps delegates and observers only
        else:
            expected = None
        args = self.spoil({"user_id": user_id}, "user_id", flaw)
        if self.attempt(actor, "member.remove", args, expected):
            assert user_id not in self.state.members

    @rule(
        actor=st.sampled_from(OTHERS),
        name=st.sampled_from(["meeting.create", "agenda.fly", "", "AGENDA.ADD_ITEM"]) | words,
        args=st.sampled_from([{}, {"title": "x"}, []]),
    )
    def odd_command(self, actor: Actor, name: str, args: Any) -> None:
        """An unknown command, or a second meeting.create."""
        if name == "meeting.create":
            self.attempt(actor, name, self.create_args(), "invalid_state")
        elif name not in RULES:
            self.attempt(actor, name, args, "unknown_command")

    # -- history ---------------------------------------------------------------------------

    @rule(data=st.data(), how=st.sampled_from(["add", "change", "drop"]))
    def edit_history(self, data: st.DataObject, how: str) -> None:
        """Changing the data of any logged event breaks the chain at that event."""
        events = self.log.events
        k = data.draw(st.integers(0, len(events) - 1), label="index")
        changed = dict(events[k].data)
        if how == "drop" and changed:
            changed.pop(data.draw(st.sampled_from(sorted(changed))))
        elif how == "change" and changed:
            key = data.draw(st.sampled_from(sorted(changed)))
            changed[key] = [changed[key]]
        else:
            changed["forged"] = True
        forged = [*events[:k], replace(events[k], data=changed), *events[k + 1 :]]
        with pytest.raises(ValueError, match=f"hash mismatch at seq {k + 1}$"):
            verify_chain(zip(forged, self.log.hashes, strict=True))

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def log_is_gapless_and_folds_to_state(self) -> None:
        events = self.log.events
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert {e.meeting_id for e in events} == {MEETING}
        assert self.state.seq == len(events)
        folded = fold(events)
        assert folded == self.state
        assert fold(events) == folded

    @invariant()
    def agenda_is_consistent(self) -> None:
        state = self.state
        assert sorted(state.order) == sorted(state.items)
        assert len(set(state.order)) == len(state.order)
        open_items = [i for i, item in state.items.items() if item.status is ItemStatus.OPEN]
        assert open_items == ([state.current_item] if state.current_item else [])
        if state.status is not SittingStatus.OPEN:
            assert state.current_item is None
        assert {i for i, item in state.items.items() if item.ever_opened} == (
            self.opened_ever & set(state.items)
        )

    @invariant()
    def closed_sitting_keeps_its_agenda(self) -> None:
        state = self.state
        if state.status is not SittingStatus.CLOSED:
            return
        agenda = (state.items, state.order, state.current_item)
        if self.agenda_at_close is None:
            self.agenda_at_close = agenda
        assert agenda == self.agenda_at_close

    @invariant()
    def public_never_sees_closed_session_items(self) -> None:
        secrets = self.secret_ids | self.secret_titles
        view = snapshot(self.state, Audience.PUBLIC)
        assert not secrets & set(leaves(view))
        public = [i for i in self.state.order if self.state.items[i].access is Access.PUBLIC]
        assert [i["item_id"] for i in view["items"]] == public
        for e in self.log.events:
            seen = project(e, Audience.PUBLIC)
            if seen is not None:
                assert not secrets & set(leaves(seen.data)), e
        delegates_view = snapshot(self.state, Audience.DELEGATES)
        assert [i["item_id"] for i in delegates_view["items"]] == list(self.state.order)

    @invariant()
    def public_events_say_when_a_closed_session_runs(self) -> None:
        """The public follows a closed session from its events alone, told only that it
        runs: the last `agenda.closed_session` it saw agrees with its snapshot."""
        told = False
        for e in self.log.events:
            seen = project(e, Audience.PUBLIC)
            if seen is not None and seen.name == "agenda.closed_session":
                assert set(seen.data) == {"in_progress"} and seen.data["in_progress"] != told
                told = seen.data["in_progress"]
        assert snapshot(self.state, Audience.PUBLIC)["closed_session"] is told

    @invariant()
    def chain_verifies(self) -> None:
        rows = list(zip(self.log.events, self.log.hashes, strict=True))
        assert verify_chain(rows) == (self.log.hashes[-1] if rows else GENESIS)


TestSitting = SittingMachine.TestCase
TestSitting.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)


# -- the hash chain on its own ---------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


chain_settings = settings(max_examples=50, deadline=None)


@st.composite
def chains(draw: st.DrawFn, min_size: int = 1) -> list[tuple[Event, str]]:
    """A valid log of arbitrary events with their stored hashes."""
    payloads = draw(
        st.lists(
            st.dictionaries(st.text(max_size=6), json_values, max_size=3),
            min_size=min_size,
            max_size=6,
        )
    )
    rows, prev = [], GENESIS
    for seq, data in enumerate(payloads, start=1):
        e = Event(
            meeting_id=draw(st.sampled_from(["m1", "hội-nghị"])),
            seq=seq,
            name=draw(st.sampled_from(["agenda.item_added", "sitting.opened", "x"])),
            at=draw(st.text(min_size=1, max_size=24)),
            actor=draw(st.none() | st.text(max_size=8)),
            data=data,
            audience=draw(st.sampled_from(Audience)),
            user=draw(st.none() | st.just("d01")),
        )
        prev = chain_hash(prev, e)
        rows.append((e, prev))
    return rows


@chain_settings
@given(chains(min_size=0))
def test_a_valid_chain_and_each_of_its_prefixes_verify(rows: list[tuple[Event, str]]) -> None:
    for n in range(len(rows) + 1):
        assert verify_chain(rows[:n]) == (rows[n - 1][1] if n else GENESIS)


@chain_settings
@given(chains(min_size=2), st.data())
def test_a_gap_is_refused(rows: list[tuple[Event, str]], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(rows) - 2))
    with pytest.raises(ValueError, match=f"seq {k + 2} found where {k + 1} was expected"):
        verify_chain(rows[:k] + rows[k + 1 :])


@chain_settings
@given(chains(min_size=2), st.data())
def test_a_reordering_is_refused(rows: list[tuple[Event, str]], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(rows) - 2))
    j = data.draw(st.integers(i + 1, len(rows) - 1))
    swapped = list(rows)
    swapped[i], swapped[j] = rows[j], rows[i]
    with pytest.raises(ValueError, match=f"where {i + 1} was expected"):
        verify_chain(swapped)


@chain_settings
@given(chains(min_size=1), st.data())
def test_a_replayed_loggedis_refused(rows: list[tuple[Event, str]], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(rows) - 1))
    with pytest.raises(ValueError, match="was expected"):
        verify_chain([*rows[: k + 1], rows[k], *rows[k + 1 :]])


@chain_settings
@given(chains(min_size=1), st.data())
def test_a_flipped_hash_digit_is_refused(
    rows: list[tuple[Event, str]], data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(rows) - 1))
    at = data.draw(st.integers(0, 63))
    logged, stored = rows[k]
    flipped = stored[:at] + format(int(stored[at], 16) ^ 1, "x") + stored[at + 1 :]
    with pytest.raises(ValueError, match=f"hash mismatch at seq {k + 1}$"):
        verify_chain([*rows[:k], (logged, flipped), *rows[k + 1 :]])


@chain_settings
@given(chains(min_size=1), st.data())
def test_a_flipped_character_in_an_loggedis_refused(
    rows: list[tuple[Event, str]], data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(rows) - 1))
    logged, stored = rows[k]
    at = data.draw(st.integers(0, len(logged.at) - 1))
    flipped = logged.at[:at] + chr(ord(logged.at[at]) ^ 1) + logged.at[at + 1 :]
    with pytest.raises(ValueError, match=f"hash mismatch at seq {k + 1}$"):
        verify_chain([*rows[:k], (replace(logged, at=flipped), stored), *rows[k + 1 :]])


@chain_settings
@given(chains(min_size=1))
def test_canonical_form_is_plain_json_and_ignores_key_order(rows: list[tuple[Event, str]]) -> None:
    for e, _ in rows:
        assert json.loads(canonical_bytes(e)) == e.canonical()
        reversed_data = dict(reversed(list(e.data.items())))
        assert chain_hash(GENESIS, replace(e, data=reversed_data)) == chain_hash(GENESIS, e)
        assert chain_hash(GENESIS, e) != chain_hash("f" * 64, e)
