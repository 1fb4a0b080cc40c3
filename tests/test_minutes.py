"""The minutes of a scripted sitting: every line traced to the log; PDF text exact."""

from __future__ import annotations

import io
from typing import Any

import pypdf

from meeting.minutes import build
from meeting.minutes.html import render_html
from meeting.minutes.pdf import render_pdf
from tests.sitting import CHAIR, CLERK, Sitting, delegate

FOR, AGAINST = "tan_thanh", "khong_tan_thanh"


def scripted() -> Sitting:
    s = Sitting().create(delegates=6)
    budget = s.run(CLERK, "agenda.add_item", title="Tờ trình dự toán ngân sách năm 2027")
    staff = s.run(CLERK, "agenda.add_item", title="Công tác nhân sự", access="delegates")
    b = budget[0].data["item"]["item_id"]
    p = staff[0].data["item"]["item_id"]
    s.run(CHAIR, "sitting.open")
    s.roll_call()
    s.run(CHAIR, "agenda.open_item", item_id=b)
    s.run(CLERK, "note.add", text="Đại biểu đề nghị làm rõ nguồn vốn đầu tư công.")
    vote = s.run(CHAIR, "vote.schedule", item_id=b, question="Thông qua Nghị quyết dự toán",
                 number="12/NQ-HĐND")[-1].data["vote_id"]  # fmt: skip
    s.run(CHAIR, "vote.open", vote_id=vote)
    for n in range(1, 7):
        s.run(delegate(n), "vote.cast", vote_id=vote, choice=FOR if n < 6 else AGAINST)
    s.run(CHAIR, "vote.close", vote_id=vote)
    s.run(CHAIR, "vote.annul", vote_id=vote, reason="Sai sót khi nhập số liệu", rerun=True)
    rerun = s.state.votes.order[-1]
    s.run(CHAIR, "vote.open", vote_id=rerun)
    for n in range(1, 7):
        s.run(delegate(n), "vote.cast", vote_id=rerun, choice=FOR)
    s.run(CHAIR, "vote.close", vote_id=rerun)
    s.run(CHAIR, "agenda.open_item", item_id=p)
    secret = s.run(CHAIR, "vote.schedule", item_id=p, question="Miễn nhiệm Phó Chủ tịch",
                   method="electronic_secret", rule={"name": "two_thirds_of_seats"})  # fmt: skip
    sid = secret[-1].data["vote_id"]
    s.run(CHAIR, "vote.open", vote_id=sid)
    for n in range(1, 6):
        s.run(delegate(n), "vote.cast", vote_id=sid, choice=FOR)
    s.run(CHAIR, "vote.close", vote_id=sid)
    s.run(CHAIR, "sitting.close")
    s.run(CLERK, "minutes.set_section", key="closing", text="Chủ tọa bế mạc phiên họp.")
    s.run(CHAIR, "minutes.approve")
    return s


def _lines(minutes: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for item in minutes["items"]:
        out.append(item)
        out += item["votes"] + item["notes"]
    return out


def test_every_line_traces_to_the_log() -> None:
    s = scripted()
    minutes = build(s.log)
    by_seq = {e.seq: e for e in s.log}
    lines = _lines(minutes)
    assert len(lines) == 2 + 3 + 1
    for line in lines:
        event = by_seq[line["seq"]]
        ids = {v for v in event.data.values() if isinstance(v, str)} | {
            event.data.get("item", {}).get("item_id")
        }
        assert {line.get("item_id"), line.get("vote_id"), line.get("note_id")} & ids, line
    first, rerun = minutes["items"][0]["votes"]
    assert first["status"] == "annulled" and first["annulled_reason"] == "Sai sót khi nhập số liệu"
    assert rerun["rerun_of"] == first["vote_id"] and rerun["result"]["passed"] is True
    secret = minutes["items"][1]["votes"][0]
    assert secret["result"]["counts"]["tan_thanh"] == 5
    assert secret["result"]["passed"] is True  # 5 of 7 seats is at least two-thirds
    assert "ballots" not in secret["result"]
    assert minutes["approval"]["approved_at"] is not None
    assert build(s.log) == minutes  # a projection: the same log, the same minutes


def test_pdf_text_has_the_vietnamese_exactly() -> None:
    s = scripted()
    pdf = render_pdf(build(s.log))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "HĐND TỈNH THANH HÓA",
        "Tờ trình dự toán ngân sách năm 2027",
        "Công tác nhân sự (họp kín)",
        "Đại biểu đề nghị làm rõ nguồn vốn đầu tư công.",
        "Thông qua Nghị quyết dự toán — 12/NQ-HĐND",
        "Kết quả đã bị hủy: Sai sót khi nhập số liệu.",
        "bỏ phiếu kín điện tử",
        "Trịnh Minh Châu",
        "Nguyễn Thị Hà",
        "THƯ KÝ",
        "CHỦ TỌA",
    ):
        assert expected in flat, expected


def test_html_escapes_and_names_everything() -> None:
    s = Sitting().create()
    s.run(CLERK, "agenda.add_item", title="<script>alert(1)</script> & Tờ trình")
    html = render_html(build(s.log))
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "BIÊN BẢN" in html and "Tờ trình" in html
