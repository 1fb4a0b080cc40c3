"""Papers in the domain alone: who is told what, versions, receipts, notes, the presenter."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import msgspec
import pytest

from meeting.domain import Actor, Audience, DomainError, Event, fold, project, snapshot
from meeting.domain.catalog import EVENTS
from meeting.domain.papers import UPLOAD_PROOF
from meeting.domain.papers_state import Grant, grant
from meeting.domain.snapshot_schema import Snapshot
from tests.sitting import CHAIR, CLERK, OBSERVER, Sitting, delegate

UPLOADER = replace(CLERK, proofs=frozenset({UPLOAD_PROOF}))
A, B, C = ("a" * 64, "b" * 64, "c" * 64)


def _sitting() -> tuple[Sitting, str, str]:
    s = Sitting().create(delegates=3)
    public = s.run(CLERK, "agenda.add_item", title="Ngân sách")[0].data["item"]["item_id"]
    closed = s.run(CLERK, "agenda.add_item", title="Nhân sự", access="delegates")
    for sha, pages in ((A, 10), (B, 12), (C, 3)):
        s.run(
            UPLOADER, "paper.upload", sha256=sha, size=1000, pages=pages, filename=f"{sha[0]}.pdf"
        )
    return s, public, closed[0].data["item"]["item_id"]


def _seen(events: list[Event], audience: Audience, user: str | None) -> list[str]:
    return [e.name for e in events if project(e, audience, user) is not None]


def test_only_the_upload_route_records_a_file() -> None:
    s, _, _ = _sitting()
    with pytest.raises(DomainError) as refused:
        s.run(CLERK, "paper.upload", sha256="d" * 64, size=1, pages=1, filename="x.pdf")
    assert refused.value.code == "not_allowed"
    with pytest.raises(DomainError) as twice:
        s.run(UPLOADER, "paper.upload", sha256=A, size=1, pages=1, filename="x.pdf")
    assert twice.value.code == "invalid_state"
    uploaded = [e for e in s.log if e.name == "paper.uploaded"]
    assert {e.audience for e in uploaded} == {Audience.STAFF}


def test_each_access_level_reaches_exactly_its_readers() -> None:
    s, public, closed = _sitting()
    shown = s.run(CLERK, "paper.attach", item_id=public, sha256=A, kind="submission",
                  access="public")  # fmt: skip
    assert _seen(shown, Audience.PUBLIC, None) == ["paper.attached"]
    inner = s.run(CLERK, "paper.attach", item_id=closed, sha256=A, access="public")
    assert _seen(inner, Audience.PUBLIC, None) == []  # a closed-session item's paper
    assert _seen(inner, Audience.DELEGATES, "d02") == ["paper.attached"]
    secret = s.run(CLERK, "paper.attach", item_id=public, sha256=B, kind="draft_resolution",
                   access="confidential", readers=["d01", "chair"])  # fmt: skip
    assert [(e.audience, e.user) for e in secret] == [(Audience.STAFF, None),
                                                      (Audience.DELEGATES, "d01")]  # fmt: skip
    assert _seen(secret, Audience.DELEGATES, "d02") == []
    assert _seen(secret, Audience.PUBLIC, None) == []
    assert _seen(secret, Audience.DELEGATES, "d01") == ["paper.attached"]
    assert "readers" not in secret[1].data and secret[0].data["readers"] == ["chair", "d01"]
    assert _seen(secret, Audience.STAFF, "clerk") == ["paper.attached"]
    assert fold(s.log) == s.state  # the reader's copy changes nothing

    def titles(audience: Audience, user: str | None) -> list[str]:
        view = snapshot(s.state, audience, user)["papers"]
        return sorted(p["sha256"][0] for p in view["papers"])

    assert titles(Audience.PUBLIC, None) == ["a"]
    assert titles(Audience.DELEGATES, "d02") == ["a", "a"]
    assert titles(Audience.DELEGATES, "d01") == ["a", "a", "b"]
    assert titles(Audience.STAFF, "clerk") == ["a", "a", "b"]
    assert snapshot(s.state, Audience.DELEGATES, "d01")["papers"]["files"] == []
    assert len(snapshot(s.state, Audience.STAFF, "clerk")["papers"]["files"]) == 3


def test_grants_for_download() -> None:
    s, public, closed = _sitting()
    s.run(CLERK, "paper.attach", item_id=closed, sha256=A)
    s.run(CLERK, "paper.attach", item_id=public, sha256=B, access="confidential", readers=["d01"])
    assert grant(s.state, OBSERVER, A) is None
    assert grant(s.state, Actor(None), A) is None
    assert grant(s.state, delegate(2), A) == Grant(public=False, watermark=False)
    assert grant(s.state, delegate(2), B) is None
    assert grant(s.state, delegate(1), B) == Grant(public=False, watermark=True)
    assert grant(s.state, CLERK, B) == Grant(public=False, watermark=False)
    assert grant(s.state, CLERK, C) == Grant(public=False, watermark=False)  # not attached
    assert grant(s.state, delegate(1), C) is None
    other = s.run(CLERK, "agenda.add_item", title="Khác")[0].data["item"]["item_id"]
    s.run(CLERK, "paper.attach", item_id=other, sha256=B, access="public")
    assert grant(s.state, Actor(None), B) == Grant(public=True, watermark=False)
    assert grant(s.state, delegate(1), B) == Grant(public=True, watermark=False)


def test_a_new_version_keeps_the_old_and_the_notes_made_on_it() -> None:
    s, public, _ = _sitting()
    paper = s.run(CLERK, "paper.attach", item_id=public, sha256=A)[0].data["paper_id"]
    note = s.run(delegate(1), "paper.annotate", paper_id=paper, page=10, x=0.5, y=0.25,
                 text="Xem lại số liệu ở trang này")  # fmt: skip
    assert [(e.user, e.audience) for e in note] == [("d01", Audience.DELEGATES)]
    s.run(CHAIR, "presenter.show", paper_id=paper, page=10)
    replaced = s.run(CLERK, "paper.replace", paper_id=paper, sha256=C, title="Bản sửa đổi")
    assert replaced[0].data["previous"] == A and replaced[0].data["pages"] == 3
    state = s.state.papers
    assert state.by_id[paper].versions == (A, C)
    assert state.presenter is not None and (state.presenter.sha256, state.presenter.page) == (C, 3)
    mine = snapshot(s.state, Audience.DELEGATES, "d01")["papers"]
    assert [(n["sha256"], n["page"]) for n in mine["annotations"]] == [(A, 10)]
    assert mine["papers"][0]["versions"][0]["sha256"] == A
    assert grant(s.state, delegate(2), A) is not None  # the archive stays readable
    assert snapshot(s.state, Audience.DELEGATES, "d02")["papers"]["annotations"] == []
    with pytest.raises(DomainError) as refused:  # page 10 does not exist in the new version
        s.run(delegate(1), "paper.annotate", paper_id=paper, page=10, text="x")
    assert refused.value.code == "invalid_args"
    s.run(delegate(1), "paper.annotate", paper_id=paper, sha256=A, page=10, text="cũ",
          annotation_id=note[0].data["annotation_id"])  # fmt: skip
    with pytest.raises(DomainError):
        s.run(delegate(2), "paper.annotation_delete", annotation_id=note[0].data["annotation_id"])
    s.run(delegate(1), "paper.annotation_delete", annotation_id=note[0].data["annotation_id"])
    assert s.state.papers.notes["d01"] == {}
    assert fold(s.log) == s.state


def test_read_receipts_record_the_first_opening_for_staff() -> None:
    s, public, _ = _sitting()
    paper = s.run(CLERK, "paper.attach", item_id=public, sha256=A)[0].data["paper_id"]
    opened = s.run(delegate(2), "paper.opened", paper_id=paper)
    assert [(e.name, e.audience) for e in opened] == [("paper.opened", Audience.STAFF)]
    assert s.run(delegate(2), "paper.opened", paper_id=paper) == []
    receipts = snapshot(s.state, Audience.STAFF, "clerk")["papers"]["receipts"]
    assert [(r["sha256"], r["user_id"]) for r in receipts] == [(A, "d02")]
    assert snapshot(s.state, Audience.DELEGATES, "d02")["papers"]["receipts"] == []
    with pytest.raises(DomainError) as refused:
        s.run(OBSERVER, "paper.opened", paper_id=paper)
    assert refused.value.code == "not_allowed"


def test_the_presenter_follows_the_paper_audience() -> None:
    s, public, _ = _sitting()
    a = s.run(CLERK, "paper.attach", item_id=public, sha256=A, access="public")[0]
    b = s.run(CLERK, "paper.attach", item_id=public, sha256=B, access="confidential",
              readers=["d03"])[0]  # fmt: skip
    shown = s.run(CHAIR, "presenter.show", paper_id=a.data["paper_id"], page=2)
    assert _seen(shown, Audience.PUBLIC, None) == ["presenter.shown"]
    switched = s.run(CHAIR, "presenter.show", paper_id=b.data["paper_id"], page=1)
    assert _seen(switched, Audience.PUBLIC, None) == ["presenter.stopped"]
    assert _seen(switched, Audience.DELEGATES, "d03") == ["presenter.stopped", "presenter.shown"]
    assert snapshot(s.state, Audience.PUBLIC, None)["papers"]["presenter"] is None
    assert snapshot(s.state, Audience.DELEGATES, "d03")["papers"]["presenter"]["page"] == 1
    with pytest.raises(DomainError) as refused:
        s.run(delegate(3), "presenter.show", paper_id=a.data["paper_id"])
    assert refused.value.code == "not_allowed"
    detached = s.run(CLERK, "paper.detach", paper_id=b.data["paper_id"])
    assert [e.name for e in detached if e.user is None] == ["presenter.stopped", "paper.detached"]
    assert s.state.papers.presenter is None and b.data["paper_id"] not in s.state.papers.by_id
    assert grant(s.state, delegate(3), B) is None
    assert fold(s.log) == s.state


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({"item_id": "nope", "sha256": A}, "not_found"),
        ({"sha256": "d" * 64}, "not_found"),
        ({"sha256": A, "access": "confidential"}, "invalid_args"),
        ({"sha256": A, "access": "confidential", "readers": ["clerk"]}, "invalid_args"),
        ({"sha256": A, "readers": ["d01"]}, "invalid_args"),
        ({"sha256": "A" * 64}, "invalid_args"),
    ],
)
def test_attach_refusals(args: dict[str, Any], code: str) -> None:
    s, public, _ = _sitting()
    with pytest.raises(DomainError) as refused:
        s.run(CLERK, "paper.attach", **{"item_id": public, **args})
    assert refused.value.code == code


def test_every_event_and_snapshot_matches_its_declaration() -> None:
    s, public, closed = _sitting()
    a = s.run(CLERK, "paper.attach", item_id=public, sha256=A)[0].data["paper_id"]
    s.run(CLERK, "paper.attach", item_id=closed, sha256=B, access="confidential",
          readers=["d01"])  # fmt: skip
    s.run(CLERK, "paper.replace", paper_id=a, sha256=C)
    s.run(delegate(1), "paper.opened", paper_id=a)
    s.run(delegate(1), "paper.annotate", paper_id=a, page=1, text="ghi chú")
    s.run(CHAIR, "presenter.show", paper_id=a)
    s.run(CHAIR, "presenter.stop", paper_id=a)
    s.run(CLERK, "paper.detach", paper_id=a)
    for e in s.log:
        msgspec.convert(e.data, EVENTS[e.name].data, strict=True)
    for audience, user in ((Audience.PUBLIC, None), (Audience.DELEGATES, "d01"),
                           (Audience.STAFF, "clerk")):  # fmt: skip
        msgspec.convert(snapshot(s.state, audience, user), Snapshot, strict=True)


def test_an_item_removed_from_the_agenda_takes_its_papers_with_it() -> None:
    s, _, _ = _sitting()
    item = s.run(CLERK, "agenda.add_item", title="Rút khỏi chương trình")[0].data["item"]["item_id"]
    s.run(CLERK, "paper.attach", item_id=item, sha256=C, access="public")
    assert grant(s.state, Actor(None), C) == Grant(public=True, watermark=False)
    s.run(CLERK, "agenda.remove_item", item_id=item)
    assert grant(s.state, Actor(None), C) is None and grant(s.state, delegate(1), C) is None
    assert grant(s.state, CLERK, C) is not None
    assert snapshot(s.state, Audience.PUBLIC, None)["papers"]["papers"] == []


def test_a_highlight_keeps_its_rectangles_private_to_its_author() -> None:
    s, public, _ = _sitting()
    paper = s.run(CLERK, "paper.attach", item_id=public, sha256=A)[0].data["paper_id"]
    rects = [[0.1, 0.2, 0.5, 0.02], [0.1, 0.22, 0.3, 0.02]]
    made = s.run(delegate(1), "paper.annotate", paper_id=paper, page=2, x=0.1, y=0.2, text="",
                 rects=rects)  # fmt: skip
    assert made[0].data["rects"] == rects and made[0].user == "d01"
    mine = snapshot(s.state, Audience.DELEGATES, "d01")["papers"]["annotations"]
    assert [n["rects"] for n in mine] == [rects]
    assert snapshot(s.state, Audience.STAFF, "clerk")["papers"]["annotations"] == []
    plain = s.run(delegate(1), "paper.annotate", paper_id=paper, page=1, text="ghi chú")
    assert "rects" not in plain[0].data  # a plain note's event is as before
    with pytest.raises(DomainError) as refused:  # a rectangle off the page
        s.run(delegate(1), "paper.annotate", paper_id=paper, page=2, text="",
              rects=[[0.1, 0.2, 1.5, 0.02]])  # fmt: skip
    assert refused.value.code == "invalid_args"
    assert fold(s.log) == s.state
