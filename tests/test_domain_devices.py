"""Paired devices and ballots bound to them, through `decide` and `apply` alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from meeting.domain import Actor, Audience, DomainError, fold, snapshot
from meeting.domain.devices import PAIRED_DEVICE
from tests.sitting import CHAIR, CLERK, Sitting, delegate

SERVER = Actor(None, is_server=True)
FOR = "tan_thanh"


def paired(actor: Actor) -> Actor:
    return replace(actor, proofs=actor.proofs | {PAIRED_DEVICE})


def open_vote(s: Sitting) -> str:
    item = s.run(CLERK, "agenda.add_item", title="Nghị quyết")[0].data["item"]["item_id"]
    s.run(CHAIR, "sitting.open")
    s.roll_call()
    vote = s.run(CHAIR, "vote.schedule", item_id=item, question="Thông qua?")[-1]
    s.run(CHAIR, "vote.open", vote_id=vote.data["vote_id"])
    return str(vote.data["vote_id"])


def refused(s: Sitting, actor: Actor, name: str, /, **args: object) -> str:
    before = (s.state, len(s.log))
    with pytest.raises(DomainError) as info:
        s.run(actor, name, **args)
    assert (s.state, len(s.log)) == before
    return info.value.code


def test_a_bound_sitting_takes_ballots_only_with_the_paired_device_proof() -> None:
    s = Sitting().create(3)
    vote = open_vote(s)
    assert s.run(CLERK, "device.set_binding", ballots_from_paired_device=True)
    assert refused(s, delegate(1), "vote.cast", vote_id=vote, choice=FOR) == "device_not_paired"
    s.run(paired(delegate(1)), "vote.cast", vote_id=vote, choice=FOR)
    # The device is checked before the PIN: a bound sitting never asks an unpaired tablet.
    s.run(CLERK, "device.set_binding", ballots_from_paired_device=False)
    s.run(delegate(2), "vote.cast", vote_id=vote, choice=FOR)
    assert refused(s, CLERK, "device.set_binding", ballots_from_paired_device=False) == (
        "invalid_state"
    )
    assert fold(s.log) == s.state


def test_pairings_are_recorded_by_the_server_only_and_seen_by_staff() -> None:
    s = Sitting().create(3)
    args = {"device_id": "dev-1", "user_id": "d01", "name": "Ghế 2", "paired_by": "clerk"}
    assert refused(s, CLERK, "device.pair", **args) == "not_allowed"
    assert refused(s, SERVER, "device.pair", **{**args, "user_id": "clerk"}) == "not_found"
    s.run(SERVER, "device.pair", **args)
    second = s.run(SERVER, "device.pair", **{**args, "device_id": "dev-2"})[0]
    assert second.data["replaced"] == ["dev-1"] and second.audience is Audience.STAFF
    assert list(s.state.devices.paired) == ["dev-2"]
    staff = snapshot(s.state, Audience.STAFF)["devices"]
    assert [d["device_id"] for d in staff["paired"]] == ["dev-2"]
    assert snapshot(s.state, Audience.DELEGATES)["devices"]["paired"] is None
    s.run(SERVER, "device.revoke", device_id="dev-2", revoked_by="clerk")
    assert s.state.devices.paired == {}
    assert refused(s, SERVER, "device.revoke", device_id="dev-2", revoked_by="clerk") == (
        "not_found"
    )
    assert fold(s.log) == s.state
