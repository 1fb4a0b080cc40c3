"""The minutes list each item's papers (never a confidential one), and a sealed bundle
must hold every version of every paper they list."""

from __future__ import annotations

import io
import zipfile

from meeting.domain import chain_hash
from meeting.domain.chain import GENESIS
from meeting.minutes import build
from meeting.minutes.bundle import make_bundle
from meeting.minutes.html import render_html
from meeting.minutes.papers_parts import listed_papers
from meeting.minutes.verify import verify_bundle
from tests.archive_sitting import (
    CLOSED_PDF,
    DELEGATES_PDF,
    PUBLIC_PDF,
    SECRET_PDF,
    UPLOADER,
    archive_sitting,
)
from tests.sitting import CLERK, Sitting

FILES = {
    sha: f"%PDF-1.4 {sha[0]}\n%%EOF\n".encode()
    for sha in (PUBLIC_PDF, DELEGATES_PDF, SECRET_PDF, CLOSED_PDF)
}


def test_each_item_lists_its_papers_but_never_a_confidential_one() -> None:
    s = archive_sitting()
    minutes = build(s.log)
    first, second = minutes["items"]
    assert [(p["sha256"], p["kind"], p["access"], p["pages"]) for p in first["papers"]] == [
        (PUBLIC_PDF, "submission", "public", 4),
        (DELEGATES_PDF, "report", "delegates", 4),
    ]
    assert [p["sha256"] for p in second["papers"]] == [CLOSED_PDF]
    assert SECRET_PDF not in str(minutes)
    by_seq = {e.seq: e for e in s.log}
    assert all(by_seq[p["seq"]].data["paper_id"] == p["paper_id"] for p in first["papers"])
    assert listed_papers(minutes) == sorted([PUBLIC_PDF, DELEGATES_PDF, CLOSED_PDF])
    assert "Tờ trình số 12/TTr-UBND (4 trang, SHA-256" in render_html(minutes)


def test_a_replaced_paper_lists_every_version() -> None:
    s = Sitting().create(delegates=2)
    item = s.run(CLERK, "agenda.add_item", title="Báo cáo")[0].data["item"]["item_id"]
    for sha in (PUBLIC_PDF, DELEGATES_PDF):
        s.run(UPLOADER, "paper.upload", sha256=sha, size=10, pages=1, filename="x.pdf")
    paper = s.run(CLERK, "paper.attach", item_id=item, sha256=PUBLIC_PDF, access="public")
    replaced = s.run(
        CLERK, "paper.replace", paper_id=paper[0].data["paper_id"], sha256=DELEGATES_PDF
    )
    (listed,) = build(s.log)["items"][0]["papers"]
    assert listed["versions"] == [PUBLIC_PDF, DELEGATES_PDF] and listed["sha256"] == DELEGATES_PDF
    assert listed["seq"] == replaced[0].seq


def test_a_bundle_without_a_listed_paper_does_not_verify() -> None:
    s = archive_sitting()
    rows, prev = [], GENESIS
    for e in s.log:
        prev = chain_hash(prev, e)
        rows.append((e, prev))
    whole = make_bundle(rows, FILES)
    assert verify_bundle(whole.data, whole.manifest_sha256) == []
    names = zipfile.ZipFile(io.BytesIO(whole.data)).namelist()
    assert f"papers/{SECRET_PDF}.pdf" in names  # given, not listed: kept, not required
    short = make_bundle(rows, {k: v for k, v in FILES.items() if k != DELEGATES_PDF})
    assert verify_bundle(short.data, short.manifest_sha256) == [
        f"papers/{DELEGATES_PDF}.pdf: listed in the minutes, missing from the bundle"
    ]
