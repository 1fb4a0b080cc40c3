"""The sitting as an Akoma Ntoso 3.0 `debate` document (OASIS LegalDocML), in UTF-8.

`<meta>` identifies the work (`/akn/vn/debate/<body>/<date>/<meeting>`), holds the roll
call's quorum and every vote in `<analysis><parliamentary>` (`quorumVerification`,
`voting` with a `quorum` and one `count` per option, pointing at the section of the
debate it belongs to), and names every person, option and outcome in `<references>`.
For a named motion each `count` lists its voters as `<mtg:voter href="#p_…"/>` (the
`countType` of AKN admits elements of other namespaces); no other vote ever lists a
voter. The `<debateBody>` has the roll call, then one `debateSection` per agenda item
with its speeches, questions (and answers) and votes, in the minutes' words.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from meeting.domain import Meeting
from meeting.domain.floor import quorum_status
from meeting.domain.floor_state import Presence
from meeting.domain.model import Audience, Role
from meeting.domain.vote_state import Vote, VoteStatus

from ..text import vote_lines, when
from ._akn_xml import AKN_NS, MTG_NS, Refs, eid_of, el
from ._scope import Scope, named_ballots, vote_view

__all__ = ["AKN_FORMAT", "akn"]

AKN_FORMAT = "meeting-akn/1"


def _identification(meta: ET.Element, state: Meeting, date: str) -> None:
    work = f"/akn/vn/debate/{state.body.id}/{date}/{state.id}"
    expression = f"{work}/vie@"
    ident = el(meta, "identification", source="#server")
    for level, uri, this, extra in (
        ("FRBRWork", work, f"{work}/!main", ("FRBRcountry", {"value": "vn"})),
        (
            "FRBRExpression",
            expression,
            f"{expression}/!main",
            ("FRBRlanguage", {"language": "vie"}),
        ),
        ("FRBRManifestation", f"{expression}/!main.xml", f"{expression}/!main.xml", None),
    ):
        frbr = el(ident, level)
        el(frbr, "FRBRthis", value=this)
        el(frbr, "FRBRuri", value=uri)
        el(frbr, "FRBRdate", date=date, name="sitting")
        el(frbr, "FRBRauthor", href="#body" if level != "FRBRManifestation" else "#server")
        if extra is not None:
            el(frbr, extra[0], **extra[1])


def _roll_call(body: ET.Element, parliamentary: ET.Element, scope: Scope, refs: Refs) -> None:
    state = scope.state
    status = quorum_status(state)
    roll = el(body, "rollCall", eId="rollcall_1")
    el(roll, "heading", "Điểm danh")
    el(
        roll,
        "narrative",
        f"Tổng số đại biểu: {status.seats}; có mặt: {status.present}; "
        f"cần có mặt: {status.required}.",
    )
    by_presence: dict[Presence | None, list[tuple[str, str]]] = {}
    for m in state.delegates:
        entry = state.floor.attendance.get(m.user_id)
        presence = entry.presence if entry is not None else None
        shown = f"{m.name} ({entry.reason})" if entry and entry.reason else m.name
        by_presence.setdefault(presence, []).append((refs.person(m.user_id, m.name), shown))
    for presence, label in (
        (Presence.PRESENT, "Có mặt"),
        (Presence.EXCUSED, "Vắng có lý do"),
        (Presence.ABSENT, "Vắng"),
        (None, "Chưa điểm danh"),
    ):
        people = by_presence.get(presence, [])
        if not people:
            continue
        line = el(roll, "narrative", f"{label} ({len(people)}): ")
        for i, (ref, name) in enumerate(people):
            person = el(line, "person", name, refersTo=ref, as_="#delegate")
            person.tail = ", " if i < len(people) - 1 else "."
    outcome = "quorum_met" if status.met else "quorum_not_met"
    check = el(
        parliamentary,
        "quorumVerification",
        eId="quorum_1",
        href="#rollcall_1",
        outcome=refs.concept(outcome, outcome.replace("_", " "), "c"),
    )
    el(
        check,
        "quorum",
        eId="quorum_1__quorum",
        value=status.required,
        refersTo=refs.concept("required", "required present"),
    )
    el(
        check,
        "count",
        eId="quorum_1__count_1",
        value=status.present,
        refersTo=refs.concept("present", "present"),
    )


def _voting(parliamentary: ET.Element, vote: Vote, href: str, refs: Refs) -> None:
    result = vote.result
    if vote.status is VoteStatus.ANNULLED:
        outcome = "annulled"
    elif result is None:
        outcome = vote.status.value
    else:
        outcome = "passed" if result.get("passed") else "not_passed"
    voting = el(
        parliamentary,
        "voting",
        eId=eid_of("vote", vote.id),
        href=href,
        outcome=refs.concept(outcome, outcome.replace("_", " ")),
    )
    if result is None:
        return
    el(
        voting,
        "quorum",
        eId=f"{eid_of('vote', vote.id)}__quorum",
        value=result.get("needed", 0),
        refersTo=refs.concept("needed", "votes needed"),
    )
    labels = {c.key: c.label for c in vote.choices}
    ballots = named_ballots(vote) or {}
    for n, (key, value) in enumerate(result.get("counts", {}).items(), start=1):
        official, _, level = key.partition(":")  # a confidence rating counts official:level
        label = labels.get(official, official) + (f" — {level}" if level else "")
        count = el(
            voting,
            "count",
            eId=f"{eid_of('vote', vote.id)}__count_{n}",
            value=value,
            refersTo=refs.concept(key, label, "opt"),
        )
        for user_id in sorted(u for u, choice in ballots.items() if choice == key):
            voter = ET.SubElement(count, f"{{{MTG_NS}}}voter")
            member = refs.state.members.get(user_id)
            voter.set("href", refs.person(user_id, member.name if member else user_id))


def _item(
    body: ET.Element,
    parliamentary: ET.Element,
    scope: Scope,
    refs: Refs,
    number: int,
    item_id: str,
) -> None:
    item = scope.state.items[item_id]
    eid = f"dbsect_{number}"
    section = el(body, "debateSection", name="agendaItem", eId=eid)
    el(section, "num", f"{number}.")
    el(section, "heading", item.title)
    if item.description:
        el(section, "narrative", item.description)
    if item.opened_at:
        el(
            section,
            "narrative",
            f"Bắt đầu {when(item.opened_at)}; kết thúc {when(item.closed_at)}.",
        )
    for k, s in enumerate(scope.speeches(item.id), start=1):
        speech = el(
            section,
            "speech",
            eId=f"{eid}__spch_{k}",
            by=refs.person(s.user_id, scope.name(s.user_id)),
            as_="#delegate",
        )
        el(speech, "from", scope.name(s.user_id))
        seconds = f", {round(s.duration)} giây" if s.duration is not None else ""
        el(speech, "p", (s.topic or "Phát biểu") + f" ({when(s.started_at)}{seconds}).")
    questions = scope.questions(item.id)
    if questions:
        block = el(section, "questions", eId=f"{eid}__questions_1")
        el(block, "heading", "Chất vấn")
        for k, q in enumerate(questions, start=1):
            asked = el(
                block,
                "question",
                eId=f"{eid}__questions_1__quest_{k}",
                by=refs.person(q.asker, scope.name(q.asker)),
                to=refs.other(q.addressee),
            )
            el(asked, "from", scope.name(q.asker))
            el(asked, "p", q.text)
            if q.answered_at is not None:
                who = q.answered_by or q.addressee
                answer = el(
                    block,
                    "answer",
                    eId=f"{eid}__questions_1__answ_{k}",
                    by=refs.other(who),
                    to=refs.person(q.asker, scope.name(q.asker)),
                )
                el(answer, "from", who)
                el(answer, "p", q.summary or "—")
    for k, vote in enumerate(scope.votes(item.id), start=1):
        vid = f"{eid}__vote_{k}"
        part = el(section, "debateSection", name="vote", eId=vid)
        el(
            part,
            "heading",
            "Biểu quyết: " + vote.question + (f" — {vote.number}" if vote.number else ""),
        )
        for line in vote_lines(vote_view(vote)):
            el(part, "narrative", line)
        _voting(parliamentary, vote, f"#{vid}", refs)


def akn(state: Meeting, audience: Audience) -> bytes:
    """The Akoma Ntoso debate of `state` as `audience` may see it: UTF-8 XML bytes."""
    scope = Scope(state, audience)
    refs = Refs(state)
    date = (state.opened_at or state.scheduled_for or "2000-01-01")[:10]
    root = el(None, "akomaNtoso", xmlns=AKN_NS)
    debate = el(root, "debate", name="sitting")
    meta = el(debate, "meta")
    _identification(meta, state, date)
    analysis = el(meta, "analysis", source="#server")
    parliamentary = el(analysis, "parliamentary")
    preface = el(debate, "preface")
    el(preface, "p", state.body.name.upper(), class_="body")
    el(
        preface,
        "p",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc",
        class_="nation",
    )
    el(el(preface, "p"), "docTitle", "BIÊN BẢN")
    el(el(preface, "p"), "docTitle", state.title)
    el(el(preface, "p"), "docDate", when(state.opened_at), date=date)
    if state.place:
        el(preface, "p", f"Địa điểm: {state.place}")
    for m in sorted(state.members.values(), key=lambda m: (m.seat or 10_000, m.name)):
        if Role.CHAIR in m.roles or Role.CLERK in m.roles:
            role = "chair" if Role.CHAIR in m.roles else "clerk"
            line = el(preface, "p", "Chủ tọa: " if role == "chair" else "Thư ký: ")
            el(line, "person", m.name, refersTo=refs.person(m.user_id, m.name), as_=f"#{role}")
    body = el(debate, "debateBody")
    _roll_call(body, parliamentary, scope, refs)
    for number, item in scope.items():
        _item(body, parliamentary, scope, refs, number, item.id)
    refs.write(meta)
    proprietary = el(meta, "proprietary", source="#server")
    ET.SubElement(
        proprietary,
        f"{{{MTG_NS}}}export",
        {
            "format": AKN_FORMAT,
            "audience": audience.value,
            "seq": str(state.seq),
            "meeting": state.id,
        },
    )
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + text.encode("utf-8") + b"\n"
