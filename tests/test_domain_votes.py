"""Votes through `decide` and `apply` alone: rules, refusals, results, secrecy."""

from __future__ import annotations

from typing import Any

import pytest

from meeting.domain import Actor, Command, Context, DomainError, deadlines, decide, fold
from meeting.domain.vote_state import VoteStatus
from tests.sitting import CHAIR, CLERK, Sitting, delegate

FOR, AGAINST, ABSTAIN = "tan_thanh", "khong_tan_thanh", "khong_bieu_quyet"


def sitting(delegates: int = 5, seats: int | None = None) -> tuple[Sitting, str]:
    s = Sitting().create(delegates)
    item = s.run(CLERK, "agenda.add_item", title="Dự thảo nghị quyết")[0].data["item"]["item_id"]
    if seats is not None:
        s.run(CLERK, "body.set_seats", seats=seats, reason="theo số đại biểu được bầu")
    s.run(CHAIR, "sitting.open")
    s.roll_call()
    return s, item


def schedule(s: Sitting, item: str, **args: Any) -> str:
    events = s.run(CHAIR, "vote.schedule", item_id=item, question="Thông qua?", **args)
    return str(events[-1].data["vote_id"])


def voters(s: Sitting) -> list[Actor]:
    return [Actor(m.user_id) for m in s.state.delegates]


def refused(s: Sitting, actor: Actor, name: str, **args: Any) -> str:
    before = (s.state, len(s.log))
    with pytest.raises(DomainError) as info:
        s.run(actor, name, **args)
    assert (s.state, len(s.log)) == before
    return info.value.code


def test_named_vote_counts_every_ballot_and_applies_the_rule() -> None:
    s, item = sitting(delegates=49, seats=50)  # 50 delegates with the chair
    vote = schedule(s, item)
    s.run(CHAIR, "vote.open", vote_id=vote)
    people = voters(s)
    for n, actor in enumerate(people[:30]):
        s.run(actor, "vote.cast", vote_id=vote, choice=FOR if n < 25 else AGAINST)
    closed = s.run(CHAIR, "vote.close", vote_id=vote)[-1]
    result = closed.data["result"]
    # 50 seats, 30 voting, 25 for: not more than half of the total, so it fails.
    assert result["counts"] == {FOR: 25, AGAINST: 5, ABSTAIN: 0}
    assert result["base"] == {"name": "seats", "value": 50} and result["needed"] == 26
    assert result["passed"] is False
    assert len(result["ballots"]) == 30 and result["ballots"][people[0].user_id] == FOR
    assert s.state.votes.by_id[vote].status is VoteStatus.CLOSED
    assert fold(s.log) == s.state


def test_one_person_one_ballot() -> None:
    s, item = sitting()
    vote = schedule(s, item)
    d = delegate(1)
    assert refused(s, d, "vote.cast", vote_id=vote, choice=FOR) == "vote_closed"
    s.run(CHAIR, "vote.open", vote_id=vote)
    s.run(d, "vote.cast", vote_id=vote, choice=FOR)
    assert refused(s, d, "vote.cast", vote_id=vote, choice=AGAINST) == "already_voted"
    assert refused(s, CLERK, "vote.cast", vote_id=vote, choice=FOR) == "not_allowed"
    assert refused(s, delegate(2), "vote.cast", vote_id=vote, choice="maybe") == "invalid_args"
    assert refused(s, delegate(2), "vote.cast", vote_id="nope", choice=FOR) == "not_found"
    assert refused(s, d, "vote.open", vote_id=vote) == "not_allowed"
    s.run(
        Actor("admin", is_admin=True), "member.set",
        user_id="late", name="Đến muộn", roles=["delegate"], seat=99,
    )  # fmt: skip
    assert refused(s, Actor("late"), "vote.cast", vote_id=vote, choice=FOR) == "not_entitled"
    s.run(CHAIR, "vote.close", vote_id=vote)
    assert refused(s, delegate(2), "vote.cast", vote_id=vote, choice=FOR) == "vote_closed"
    claims = [e for e in s.log if e.name == "vote.ballot_cast"]
    assert len(claims) == 1


def test_secret_ballot_choice_is_never_in_an_event() -> None:
    s, item = sitting(delegates=6)
    vote = schedule(s, item, method="electronic_secret")
    s.run(CHAIR, "vote.open", vote_id=vote)
    first_secret = len(s.log)
    for n, actor in enumerate(voters(s)):
        s.run(actor, "vote.cast", vote_id=vote, choice=[FOR, AGAINST, ABSTAIN][n % 3])
    logged = s.log[first_secret:]
    assert {e.name for e in logged} == {"vote.ballot_cast"}
    for e in logged:
        assert set(e.data) == {"vote_id", "user_id", "cast", "changed"}
    assert refused(s, delegate(1), "vote.cast", vote_id=vote, choice=FOR) == "already_voted"
    with pytest.raises(DomainError):
        s.run(CHAIR, "vote.schedule", item_id=item, question="?", method="electronic_secret",
              allow_change=True)  # fmt: skip


def test_secret_drafts_carry_only_sums() -> None:
    s, item = sitting(delegates=3)
    vote = schedule(s, item, method="electronic_secret")
    s.run(CHAIR, "vote.open", vote_id=vote)
    ctx = Context("m1", "2026-12-01T08:10:00.000Z", "z")
    drafts = decide(
        s.state, delegate(2), Command("vote.cast", {"vote_id": vote, "choice": AGAINST}), ctx
    )
    secret = [d for d in drafts if d.secret]
    public = [d for d in drafts if not d.secret]
    assert [d.data for d in secret] == [{"tally": vote, "add": {AGAINST: 1}}]
    assert AGAINST not in repr([d.data for d in public])
    assert public[0].claim == f"ballot:{vote}:d02"


def test_allow_change_replaces_a_named_ballot() -> None:
    s, item = sitting()
    vote = schedule(s, item, allow_change=True, live_counts=True)
    s.run(CHAIR, "vote.open", vote_id=vote)
    first = s.run(delegate(1), "vote.cast", vote_id=vote, choice=FOR)
    assert first[-1].data["counts"] == {FOR: 1}
    again = s.run(delegate(1), "vote.cast", vote_id=vote, choice=AGAINST)
    assert again[-1].data["changed"] is True
    assert again[-1].data["counts"] == {FOR: 0, AGAINST: 1}
    result = s.run(CHAIR, "vote.close", vote_id=vote)[-1].data["result"]
    assert result["counts"][FOR] == 0 and result["counts"][AGAINST] == 1 and result["cast"] == 1


def test_timer_closes_at_the_servers_deadline() -> None:
    s, item = sitting()
    vote = schedule(s, item, duration=60)
    s.run(CHAIR, "vote.open", vote_id=vote)
    [deadline] = deadlines(s.state)
    assert deadline.name == "vote.expire" and deadline.at == s.state.votes.by_id[vote].closes_at
    server = Actor(None, is_server=True)
    early = Context("m1", "2026-12-01T08:00:01.000Z", "t")
    with pytest.raises(DomainError) as info:
        decide(s.state, server, Command("vote.expire", {"vote_id": vote}), early)
    assert info.value.code == "invalid_state"
    assert refused(s, CHAIR, "vote.expire", vote_id=vote) == "not_allowed"
    late = Context("m1", "2026-12-01T09:00:00.000Z", "t")
    [closed] = decide(s.state, server, Command("vote.expire", {"vote_id": vote}), late)
    assert closed.data["closed_by"] == "timer"


def test_annul_keeps_both_and_series_opens_the_next() -> None:
    s, item = sitting()
    first = schedule(s, item, series="nq", number="01/NQ-HĐND")
    second = schedule(s, item, series="nq", number="02/NQ-HĐND")
    events = s.run(CHAIR, "vote.next")
    assert [e.name for e in events] == ["vote.opened"] and s.state.votes.open_vote == first
    s.run(delegate(1), "vote.cast", vote_id=first, choice=FOR)
    events = s.run(CHAIR, "vote.next")
    assert [e.name for e in events] == ["vote.closed", "vote.opened"]
    assert s.state.votes.open_vote == second
    s.run(CHAIR, "vote.close", vote_id=second)
    events = s.run(CHAIR, "vote.annul", vote_id=first, reason="Lỗi kỹ thuật")
    assert [e.name for e in events] == ["vote.annulled", "vote.scheduled"]
    rerun = events[-1].data["vote_id"]
    assert events[-1].data["rerun_of"] == first
    assert s.state.votes.by_id[first].status is VoteStatus.ANNULLED
    assert s.state.votes.by_id[first].result is not None
    assert refused(s, CHAIR, "vote.annul", vote_id=rerun, reason="x") == "invalid_state"


def test_paper_ballot_counts_entered_by_the_clerk() -> None:
    s, item = sitting(delegates=9)  # 10 seats
    vote = schedule(s, item, method="paper")
    s.run(CHAIR, "vote.open", vote_id=vote)
    assert refused(s, delegate(1), "vote.cast", vote_id=vote, choice=FOR) == "invalid_state"
    assert refused(s, CHAIR, "vote.close", vote_id=vote) == "invalid_state"
    bad = {FOR: 6, AGAINST: 1}
    sheet = {"issued": 10, "returned": 9, "valid": 8, "invalid": 1}
    assert (
        refused(s, CLERK, "vote.enter_counts", vote_id=vote, counts=bad, **sheet) == "invalid_args"
    )
    counts = {FOR: 6, AGAINST: 1, ABSTAIN: 1}
    closed = s.run(CLERK, "vote.enter_counts", vote_id=vote, counts=counts, **sheet)[-1]
    result = closed.data["result"]
    assert result["cast"] == 8 and result["paper"] == sheet
    assert result["passed"] is True  # 6 of 10 seats is more than half


def test_show_of_hands_and_rules_by_base() -> None:
    s, item = sitting(delegates=9)
    vote = schedule(s, item, method="show_of_hands", rule={"name": "majority_of_cast"})
    s.run(CHAIR, "vote.open", vote_id=vote)
    result = s.run(CLERK, "vote.enter_counts", vote_id=vote, counts={FOR: 4, AGAINST: 3})[-1]
    assert result.data["result"]["base"] == {"name": "cast", "value": 7}
    assert result.data["result"]["passed"] is True


def test_election_top_k_over_threshold() -> None:
    s, item = sitting(delegates=9)  # 10 seats: more than half is 6
    people = [{"key": k, "label": f"Ứng viên {k.upper()}"} for k in ("a", "b", "c", "d")]
    vote = schedule(s, item, kind="election", candidates=people, seats_to_fill=2,
                    method="electronic_secret")  # fmt: skip
    s.run(CHAIR, "vote.open", vote_id=vote)
    assert (
        refused(s, delegate(1), "vote.cast", vote_id=vote, choice=["a", "b", "c"]) == "invalid_args"
    )
    assert refused(s, delegate(1), "vote.cast", vote_id=vote, choice=["a", "a"]) == "invalid_args"
    counts = {"a": 9, "b": 7, "c": 7, "d": 2}
    vote_state = s.state.votes.by_id[vote]
    from meeting.domain.ballots import vote_result

    result = vote_result(vote_state, counts, 10)
    # b and c tie for the second place: neither is elected, the tie is flagged.
    assert result["elected"] == ["a"] and result["tie"] is True
    clear = vote_result(vote_state, {"a": 9, "b": 7, "c": 6, "d": 2}, 10)
    assert clear["elected"] == ["a", "b"] and clear["tie"] is False
    low = vote_result(vote_state, {"a": 9, "b": 5, "c": 5, "d": 2}, 10)
    assert low["elected"] == ["a"]  # 5 of 10 seats is not more than half


def test_confidence_rating_per_official_with_flags() -> None:
    s, item = sitting(delegates=8)  # 9 seats
    officials = [
        {"key": "ct", "label": "Chủ tịch UBND tỉnh"},
        {"key": "gd", "label": "Giám đốc Sở"},
    ]
    vote = schedule(s, item, kind="confidence", officials=officials, method="electronic_secret")
    s.run(CHAIR, "vote.open", vote_id=vote)
    assert (
        refused(s, delegate(1), "vote.cast", vote_id=vote, choice={"ct": "tin_nhiem"})
        == "invalid_args"
    )
    from meeting.domain.ballots import vote_result

    v = s.state.votes.by_id[vote]
    counts = {"ct:tin_nhiem_cao": 8, "ct:tin_nhiem": 1, "gd:tin_nhiem_thap": 6, "gd:tin_nhiem": 3}
    result = vote_result(v, counts, 9)
    ct, gd = result["officials"]
    assert ct["percent_of_seats"]["tin_nhiem_cao"] == "88.89" and ct["flag"] is None
    assert (
        gd["levels"]["tin_nhiem_thap"] == 6 and gd["percent_of_seats"]["tin_nhiem_thap"] == "66.67"
    )
    assert gd["flag"] == "confidence_vote"  # 6 of 9 is two-thirds: a confidence vote follows
    five = vote_result(v, {"gd:tin_nhiem_thap": 5}, 9)["officials"][1]
    assert five["flag"] == "may_resign"  # more than half, less than two-thirds
    from dataclasses import replace

    old = replace(v, confidence_rules="85/2014")
    assert vote_result(old, counts, 9)["officials"][1]["flag"] is None  # 6/9 is not more than 2/3
    assert (
        vote_result(old, {"gd:tin_nhiem_thap": 7}, 9)["officials"][1]["flag"] == "confidence_vote"
    )


def test_seat_changes_move_later_bases_only() -> None:
    s, item = sitting(delegates=5, seats=6)
    first = schedule(s, item)
    s.run(CHAIR, "vote.open", vote_id=first)
    s.run(CHAIR, "vote.close", vote_id=first)
    s.run(CLERK, "body.set_seats", seats=5, reason="Một đại biểu bị bãi nhiệm")
    second = schedule(s, item)
    s.run(CHAIR, "vote.open", vote_id=second)
    result = s.run(CHAIR, "vote.close", vote_id=second)[-1].data["result"]
    assert result["seats"] == 5
    assert s.state.votes.by_id[first].result is not None
    assert s.state.votes.by_id[first].result["seats"] == 6


def test_quorum_refuses_or_flags_a_vote() -> None:
    s = Sitting().create(delegates=5)  # 6 seats: quorum is at least 4 present
    item = s.run(CLERK, "agenda.add_item", title="Nghị quyết")[0].data["item"]["item_id"]
    s.run(CHAIR, "sitting.open")
    for n in (1, 2, 3):
        s.run(CLERK, "attendance.record", user_id=f"d{n:02d}", presence="present")
    vote = schedule(s, item)
    assert refused(s, CHAIR, "vote.open", vote_id=vote) == "no_quorum"
    s.run(delegate(4), "attendance.check_in")
    opened = s.run(CHAIR, "vote.open", vote_id=vote)[-1]
    assert (opened.data["present"], opened.data["quorum_met"]) == (4, True)
    s.run(CHAIR, "vote.close", vote_id=vote)
    # The body may choose to let a vote open without quorum, flagged in its result.
    s.run(delegate(4), "attendance.check_out")
    s.run(CLERK, "attendance.set_quorum", numerator=2, denominator=3, refuse_votes=False)
    flagged = schedule(s, item)
    s.run(CHAIR, "vote.open", vote_id=flagged)
    result = s.run(CHAIR, "vote.close", vote_id=flagged)[-1].data["result"]
    assert (result["present"], result["quorum_met"]) == (3, False)


def test_a_named_rule_is_stored_with_its_own_fraction() -> None:
    s, item = sitting()
    vote = schedule(s, item, rule={"name": "two_thirds_of_seats"})
    stored = dict(s.state.votes.by_id[vote].rule)
    assert stored == {"name": "two_thirds_of_seats", "num": 2, "den": 3, "base": "seats",
                      "strict": False}  # fmt: skip


def test_the_sitting_cannot_close_while_a_vote_is_open() -> None:
    s, item = sitting()
    electronic, paper = schedule(s, item), schedule(s, item, method="paper")
    s.run(CHAIR, "vote.open", vote_id=electronic)
    assert refused(s, CHAIR, "sitting.close") == "vote_open"
    s.run(CHAIR, "vote.close", vote_id=electronic)
    s.run(CHAIR, "vote.open", vote_id=paper)
    assert refused(s, CHAIR, "sitting.close") == "vote_open"  # its counts are entered first
    counts = {FOR: 4, AGAINST: 1, ABSTAIN: 0}
    sheet = {"issued": 5, "returned": 5, "valid": 5, "invalid": 0}
    s.run(CLERK, "vote.enter_counts", vote_id=paper, counts=counts, **sheet)
    assert [e.name for e in s.run(CHAIR, "sitting.close")] == ["sitting.closed"]
    assert s.state.votes.open_vote is None and deadlines(s.state) == []
