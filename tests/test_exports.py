"""Open-data exports: Popolo, OParl and Akoma Ntoso, their structure, and what each
audience may see. A secret ballot never appears per delegate, in any format or variant."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meeting.domain.model import Audience
from meeting.domain.vote_state import Method
from meeting.minutes.exports import EXPORTS, akn, export, oparl, popolo
from meeting.minutes.exports._akn_xml import AKN_NS, MTG_NS
from tests.archive_sitting import (
    CLOSED_PDF,
    CLOSED_TITLE,
    CLOSED_WORDS,
    DELEGATES_PDF,
    PUBLIC_PDF,
    PUBLIC_TITLE,
    SECRET_PDF,
    UPLOADER,
    archive_sitting,
)
from tests.sitting import CHAIR, CLERK, Sitting, delegate

A = f"{{{AKN_NS}}}"
SECRET = "electronic_secret"


@pytest.fixture(scope="module")
def sitting() -> Sitting:
    return archive_sitting()


def _vote_ids(s: Sitting, method: str) -> list[str]:
    return [v.id for v in s.state.votes.by_id.values() if v.method.value == method]


def test_popolo_motions_vote_events_counts_and_named_votes(sitting: Sitting) -> None:
    doc = popolo(sitting.state, Audience.DELEGATES)
    assert doc["format"] == "meeting-popolo/1" and doc["organizations"][0]["id"] == "hdnd"
    assert {p["id"] for p in doc["persons"]} == {"chair", *(f"d0{n}" for n in range(1, 7))}
    assert len(doc["motions"]) == 2 and len(doc["vote_events"]) == 2
    named, secret = doc["vote_events"]
    motion = doc["motions"][0]
    assert (motion["text"], motion["identifier"], motion["result"]) == (
        "Thông qua Nghị quyết dự toán", "12/NQ-HĐND", "pass")  # fmt: skip
    assert motion["requirement"].startswith("more than 1/2 of the total number of delegates")
    assert named["motion_id"] == motion["id"] and named["result"] == "pass"
    assert {c["option"]: c["value"] for c in named["counts"]} == {"yes": 5, "no": 1, "abstain": 0}
    votes = {v["voter_id"]: v["option"] for v in named["votes"]}
    assert votes == {"d01": "yes", "d02": "yes", "d03": "yes", "d04": "yes", "d05": "yes",
                     "d06": "no", "chair": "not voting"}  # fmt: skip
    assert secret["method"] == SECRET and "votes" not in secret
    assert {c["option"]: c["value"] for c in secret["counts"]} == {"yes": 5, "no": 1, "abstain": 0}


def test_popolo_rerun_is_a_second_vote_event_of_the_same_motion() -> None:
    from tests.test_minutes import scripted

    doc = popolo(scripted().state, Audience.STAFF)
    first, rerun, _ = doc["vote_events"]
    assert first["motion_id"] == rerun["motion_id"]
    assert (first["result"], rerun["result"]) == ("annulled", "pass")
    assert first["annulled_reason"] == "Sai sót khi nhập số liệu"
    assert len(doc["motions"]) == 2 and doc["motions"][0]["result"] == "pass"


def test_oparl_meeting_agenda_papers_and_files_with_checksums(sitting: Sitting) -> None:
    doc = oparl(sitting.state, Audience.DELEGATES, "https://hdnd.example.vn/")
    meeting = doc["meeting"]
    assert meeting["type"] == "https://schema.oparl.org/1.1/Meeting"
    assert meeting["id"] == "https://hdnd.example.vn/api/meetings/m1"
    items = meeting["agendaItem"]
    assert [(i["number"], i["name"], i["public"]) for i in items] == [
        ("1", PUBLIC_TITLE, True), ("2", CLOSED_TITLE, False)]  # fmt: skip
    assert items[0]["result"] == "được thông qua" and "12/NQ-HĐND" in items[0]["resolutionText"]
    papers = {p["mainFile"]["sha256Checksum"]: p for p in doc["paper"]}
    assert set(papers) == {PUBLIC_PDF, DELEGATES_PDF, CLOSED_PDF}  # the confidential: no
    main = papers[PUBLIC_PDF]["mainFile"]
    assert main["accessUrl"] == f"https://hdnd.example.vn/api/meetings/m1/papers/{PUBLIC_PDF}"
    assert (main["size"], main["mimeType"], main["fileName"]) == (
        2048, "application/pdf", "to-trinh.pdf")  # fmt: skip
    assert papers[PUBLIC_PDF]["paperType"] == "Tờ trình"
    consultation = papers[PUBLIC_PDF]["consultation"][0]
    assert consultation["agendaItem"] == items[0]["id"]
    assert consultation["id"] in items[0]["consultation"]
    staff = oparl(sitting.state, Audience.STAFF, "http://x")
    assert SECRET_PDF in {p["mainFile"]["sha256Checksum"] for p in staff["paper"]}


def test_oparl_keeps_older_versions_as_auxiliary_files() -> None:
    s = Sitting().create(delegates=2)
    item = s.run(CLERK, "agenda.add_item", title="Báo cáo")[0].data["item"]["item_id"]
    for sha in (PUBLIC_PDF, DELEGATES_PDF):
        s.run(UPLOADER, "paper.upload", sha256=sha, size=10, pages=1, filename=f"{sha[0]}.pdf")
    attached = s.run(CLERK, "paper.attach", item_id=item, sha256=PUBLIC_PDF, access="public")
    s.run(CLERK, "paper.replace", paper_id=attached[0].data["paper_id"], sha256=DELEGATES_PDF)
    (paper,) = oparl(s.state, Audience.PUBLIC, "http://x")["paper"]
    assert paper["mainFile"]["sha256Checksum"] == DELEGATES_PDF
    assert [f["sha256Checksum"] for f in paper["auxiliaryFile"]] == [PUBLIC_PDF]


def _akn(s: Sitting, audience: Audience) -> ET.Element:
    data = akn(s.state, audience)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(data)


def test_akn_debate_with_roll_call_questions_and_votes_in_the_metadata(sitting: Sitting) -> None:
    data = akn(sitting.state, Audience.STAFF)
    assert "Thông qua Nghị quyết dự toán".encode() in data  # UTF-8, not character references
    root = ET.fromstring(data)
    assert root.tag == f"{A}akomaNtoso"
    debate = root.find(f"{A}debate")
    assert debate is not None
    assert [c.tag for c in debate] == [f"{A}meta", f"{A}preface", f"{A}debateBody"]
    work = debate.find(f"{A}meta/{A}identification/{A}FRBRWork/{A}FRBRuri")
    assert work is not None and work.get("value") == "/akn/vn/debate/hdnd/2026-12-01/m1"
    body = debate.find(f"{A}debateBody")
    assert body is not None
    roll = body.find(f"{A}rollCall")
    assert roll is not None and "có mặt: 7" in "".join(roll.itertext())
    sections = body.findall(f"{A}debateSection")
    assert [s.findtext(f"{A}heading") for s in sections] == [PUBLIC_TITLE, CLOSED_TITLE]
    questions = sections[0].find(f"{A}questions")
    assert questions is not None
    question = questions.find(f"{A}question")
    assert (
        question is not None
        and question.findtext(f"{A}p") == "Vì sao giải ngân vốn đầu tư công chậm?"
    )
    assert questions.find(f"{A}answer") is not None
    assert sections[0].find(f"{A}speech/{A}from") is not None
    votings = debate.findall(f"{A}meta/{A}analysis/{A}parliamentary/{A}voting")
    assert len(votings) == 2
    named, secret = votings
    assert named.get("href") == "#dbsect_1__vote_1" and named.get("outcome") == "#c_passed"
    counts = {c.get("refersTo"): c for c in named.findall(f"{A}count")}
    assert counts["#opt_tan_thanh"].get("value") == "5"
    voters = [v.get("href") for v in counts["#opt_khong_tan_thanh"].findall(f"{{{MTG_NS}}}voter")]
    assert voters == ["#p_d06"]
    assert secret.findall(f".//{{{MTG_NS}}}voter") == []
    assert {c.get("value") for c in secret.findall(f"{A}count")} == {"5", "1", "0"}
    refs = debate.find(f"{A}meta/{A}references")
    assert refs is not None
    people = {p.get("eId"): p.get("showAs") for p in refs.findall(f"{A}TLCPerson")}
    assert people["p_chair"] == "Trịnh Minh Châu"


@pytest.mark.parametrize("name", list(EXPORTS))
def test_the_public_variant_has_nothing_of_a_closed_session(sitting: Sitting, name: str) -> None:
    made = export(name, sitting.state, Audience.PUBLIC, "http://x")
    text = made.data.decode()
    for words in (*CLOSED_WORDS, CLOSED_PDF, DELEGATES_PDF, SECRET_PDF, "Miễn nhiệm", SECRET):
        assert words not in text, (name, words)
    assert PUBLIC_TITLE in text
    assert name != "akn" or "Vì sao giải ngân vốn đầu tư công chậm?" in text
    delegates = export(name, sitting.state, Audience.DELEGATES, "http://x").data.decode()
    assert "Miễn nhiệm" in delegates and SECRET_PDF not in delegates


def _secret_leaks(doc: Any, secret_ids: set[str]) -> list[str]:
    """Every place a per-delegate entry is tied to a secret vote, anywhere in the export."""
    found = []
    if isinstance(doc, dict):
        if doc.get("id") in secret_ids and ("votes" in doc or "ballots" in doc):
            found.append(str(doc["id"]))
        for value in doc.values():
            found += _secret_leaks(value, secret_ids)
    elif isinstance(doc, list):
        for value in doc:
            found += _secret_leaks(value, secret_ids)
    return found


@pytest.mark.parametrize("audience", list(Audience))
def test_a_secret_ballot_never_appears_per_delegate(sitting: Sitting, audience: Audience) -> None:
    secret_ids = set(_vote_ids(sitting, SECRET))
    assert _secret_leaks(popolo(sitting.state, audience), secret_ids) == []
    root = ET.fromstring(akn(sitting.state, audience))
    for voting in root.iter(f"{A}voting"):
        if voting.get("eId") in {f"vote_{v}" for v in secret_ids}:
            assert voting.findall(f".//{{{MTG_NS}}}voter") == []
    assert "ballots" not in json.dumps(oparl(sitting.state, audience, "http://x"))


def test_ballots_slipped_into_a_secret_result_are_still_not_exported(sitting: Sitting) -> None:
    """Defence in depth: only a named motion's ballots are ever read."""
    state = sitting.state
    (sid,) = _vote_ids(sitting, SECRET)
    vote = state.votes.by_id[sid]
    poisoned = replace(
        vote, result={**dict(vote.result or {}), "ballots": {"d01": "khong_tan_thanh"}}
    )
    votes = replace(state.votes, by_id={**state.votes.by_id, sid: poisoned})
    state = replace(state, votes=votes)
    assert _secret_leaks(popolo(state, Audience.STAFF), {sid}) == []
    assert b"p_d01" not in b"".join(
        ET.tostring(v) for v in ET.fromstring(akn(state, Audience.STAFF)).iter(f"{A}voting")
        if v.get("eId") == f"vote_{sid}"
    )  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["tan_thanh", "khong_tan_thanh", "khong_bieu_quyet", None]),
                min_size=4, max_size=4))  # fmt: skip
def test_named_votes_are_exported_as_cast_and_secret_ones_never(choices: list[str | None]) -> None:
    s = Sitting().create(delegates=4)
    item = s.run(CLERK, "agenda.add_item", title="Nghị quyết")[0].data["item"]["item_id"]
    s.run(CHAIR, "sitting.open")
    s.roll_call()
    s.run(CHAIR, "agenda.open_item", item_id=item)
    for method in (Method.NAMED, Method.SECRET):
        vid = s.run(CHAIR, "vote.schedule", item_id=item, question=method.value,
                    method=method.value)[-1].data["vote_id"]  # fmt: skip
        s.run(CHAIR, "vote.open", vote_id=vid)
        for n, choice in enumerate(choices, start=1):
            if choice is not None:
                s.run(delegate(n), "vote.cast", vote_id=vid, choice=choice)
        s.run(CHAIR, "vote.close", vote_id=vid)
    named, secret = popolo(s.state, Audience.PUBLIC)["vote_events"]
    cast = {f"d0{n}": c for n, c in enumerate(choices, start=1) if c is not None}
    options = {"tan_thanh": "yes", "khong_tan_thanh": "no", "khong_bieu_quyet": "abstain"}
    listed = {v["voter_id"]: v["option"] for v in named["votes"] if v["option"] != "not voting"}
    assert listed == {u: options[c] for u, c in cast.items()}
    assert "votes" not in secret
    assert sum(c["value"] for c in secret["counts"]) == len(cast)
