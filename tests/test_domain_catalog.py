"""The event catalogue: it names exactly the events `apply` folds, and their data as sent."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meeting.domain import (
    Actor,
    Audience,
    Command,
    Context,
    DomainError,
    Event,
    apply,
    decide,
    project,
    snapshot,
)
from meeting.domain.apply import APPLIERS
from meeting.domain.catalog import EVENTS
from meeting.domain.snapshot_schema import Snapshot
from tests.sitting import ADMIN, CHAIR, CLERK, Sitting, delegate


def send(s: Sitting, actor: Actor, command: str, **args: Any) -> list[Event]:
    """`Sitting.run` with the args as a dict: `member.set` has an argument called `name`."""
    return send_args(s, actor, command, args)


def send_args(s: Sitting, actor: Actor, command: str, args: dict[str, Any]) -> list[Event]:
    ctx = Context(s.meeting_id, "2026-12-01T09:00:00.000Z", f"x{len(s.log) + 1}")
    out = []
    for draft in decide(s.state, actor, Command(command, args), ctx):
        seq = len(s.log) + 1
        event = Event.from_draft(
            draft, meeting_id=s.meeting_id, seq=seq, at=ctx.now, actor=actor.user_id
        )
        s.state = apply(s.state, event)
        s.log.append(event)
        out.append(event)
    return out


def check(event: Event) -> None:
    """The logged data, and every audience's projection, match their declared Structs."""
    kind = EVENTS[event.name]
    for data in (event.data, msgspec.to_builtins(event.data)):
        msgspec.convert(data, kind.data, strict=True)
    for audience in Audience:
        seen = project(event, audience, None)
        if seen is not None:
            wire = msgspec.json.decode(msgspec.json.encode(seen.data))
            msgspec.convert(wire, kind.wire, strict=True)


def check_snapshots(s: Sitting) -> None:
    for audience in Audience:
        view = msgspec.json.decode(msgspec.json.encode(snapshot(s.state, audience)))
        msgspec.convert(view, Snapshot, strict=True)


def scripted() -> Sitting:
    s = Sitting().create()
    send(s, ADMIN, "member.set", user_id="d09", name="Đại biểu 9", roles=["delegate"], seat=20)
    send(s, ADMIN, "member.set", user_id="guest", name="Khách mời", roles=["observer"])
    s.run(ADMIN, "member.remove", user_id="d09")
    a = s.run(CLERK, "agenda.add_item", title="Báo cáo")[0].data["item"]["item_id"]
    b = s.run(CLERK, "agenda.add_item", title="Nhân sự", access="delegates", position=0)
    b_id = b[0].data["item"]["item_id"]
    c = s.run(CLERK, "agenda.add_item", title="Tờ trình", description="…")[0]
    s.run(CLERK, "agenda.edit_item", item_id=a, title="Báo cáo kinh tế")
    s.run(CLERK, "agenda.edit_item", item_id=b_id, description="Phiên kín")
    s.run(CLERK, "agenda.reorder", item_ids=[a, b_id, c.data["item"]["item_id"]])
    s.run(CLERK, "agenda.remove_item", item_id=c.data["item"]["item_id"])
    s.run(CHAIR, "sitting.open")
    s.run(CHAIR, "agenda.open_item", item_id=a)
    s.run(CHAIR, "agenda.open_item", item_id=b_id)
    s.run(CHAIR, "agenda.add_urgent_item", title="Khẩn", open=True)
    s.run(CHAIR, "agenda.close_item", item_id=s.state.current_item)
    s.run(CHAIR, "agenda.open_item", item_id=a)
    s.run(CHAIR, "sitting.close")
    return s


def test_catalogue_names_exactly_the_events_apply_knows() -> None:
    assert set(EVENTS) == set(APPLIERS)
    for kind in EVENTS.values():
        assert kind.doc.endswith("."), kind.name


def test_every_event_of_a_scripted_sitting_matches_its_declaration() -> None:
    s = scripted()
    agenda = {n for n in EVENTS if n.split(".")[0] in {"meeting", "member", "sitting", "agenda"}}
    assert {e.name for e in s.log} == agenda, "the script must meet every agenda event"
    for event in s.log:
        check(event)
    check_snapshots(s)


def test_declarations_refuse_other_shapes() -> None:
    kind = EVENTS["agenda.item_added"]
    event = scripted().log[4]
    assert event.name == "agenda.item_added"
    extra = {**event.data, "colour": "red"}
    for bad in (extra, {k: v for k, v in event.data.items() if k != "order"}):
        try:
            msgspec.convert(bad, kind.data, strict=True)
        except msgspec.ValidationError:
            continue
        raise AssertionError(f"accepted {bad}")


_title = st.text(min_size=1, max_size=20)
_SENDER = {"member": ADMIN, "sitting": CHAIR, "agenda.add_item": CLERK, "agenda.edit_item": CLERK}


@st.composite
def _step(draw: st.DrawFn) -> tuple[Any, str, dict[str, Any]]:
    """A command with plausible arguments; an `item_id` is an index into the items so far."""
    item = st.integers(0, 20)
    access = st.sampled_from(["public", "delegates"])
    name, args = draw(
        st.one_of(
            st.tuples(
                st.just("agenda.add_item"),
                st.fixed_dictionaries(
                    {"title": _title, "access": access},
                    optional={"description": st.text(max_size=20), "position": st.integers(0, 9)},
                ),
            ),
            st.tuples(
                st.just("agenda.add_urgent_item"),
                st.fixed_dictionaries({"title": _title, "access": access, "open": st.booleans()}),
            ),
            st.tuples(
                st.just("agenda.edit_item"),
                st.fixed_dictionaries({"item_id": item}, optional={"title": _title}),
            ),
            st.tuples(
                st.sampled_from(["agenda.open_item", "agenda.close_item", "agenda.remove_item"]),
                st.fixed_dictionaries({"item_id": item}),
            ),
            st.tuples(st.sampled_from(["sitting.open", "sitting.close"]), st.just({})),
            st.tuples(
                st.just("member.set"),
                st.fixed_dictionaries(
                    {
                        "user_id": st.sampled_from(["d01", "x1", "x2"]),
                        "name": _title,
                        "roles": st.lists(st.sampled_from(["delegate", "observer"]), min_size=1),
                    }
                ),
            ),
            st.tuples(st.just("member.remove"), st.just({"user_id": "x1"})),
        )
    )
    sender = _SENDER.get(name, _SENDER.get(name.split(".")[0], CHAIR))
    return draw(st.sampled_from([sender, sender, sender, delegate(1)])), name, args


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_step(), max_size=30), st.booleans())
def test_random_sittings_produce_only_declared_shapes(
    steps: list[tuple[Any, str, dict[str, Any]]], reorder: bool
) -> None:
    s = Sitting().create()
    for actor, name, args in steps:
        if isinstance(args.get("item_id"), int):
            ids = [*s.state.items, "gone"]
            args = {**args, "item_id": ids[args["item_id"] % len(ids)]}
        try:
            send_args(s, actor, name, args)
        except DomainError:
            continue
        if reorder and s.state.order and s.state.status.value != "closed":
            send(s, CLERK, "agenda.reorder", item_ids=list(reversed(s.state.order)))
    for event in s.log:
        check(event)
    check_snapshots(s)
