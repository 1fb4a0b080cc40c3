"""The minutes as a PDF in the usual layout of a Vietnamese biên bản (fpdf2, embedded font).

National heading, the body's name, the title, numbered sections, a results table per vote,
the attendance list, and signature blocks for the clerk and the chair. Text is NFC and the
font is embedded, so extracting the text gives back the Vietnamese exactly.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

from meeting.domain.majority import percent
from meeting.domain.times import parse

from .fonts import find_font
from .text import heading, vote_lines, when

__all__ = ["render_pdf"]

_F = "minutes"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class _Doc(FPDF):
    def __init__(self, font_dir: Path | None) -> None:
        super().__init__(format="A4")
        fonts = find_font(font_dir)
        self.add_font(_F, "", str(fonts.regular))
        self.add_font(_F, "B", str(fonts.bold))
        self.set_margins(20, 15, 15)
        self.set_auto_page_break(True, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_F, "", 8)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")

    def para(self, text: str, size: float = 11, bold: bool = False, align: str = "J") -> None:
        self.set_font(_F, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, _nfc(text), align=align, new_x="LMARGIN", new_y="NEXT")


def render_pdf(minutes: dict[str, Any], font_dir: Path | None = None) -> bytes:
    m = minutes["meeting"]
    doc = _Doc(font_dir)
    doc.set_title(_nfc(f"Biên bản — {m['title']}"))
    # The same minutes give the same bytes: the date is the sitting's, not the clock's.
    stamp = m["closed_at"] or m["opened_at"]
    doc.set_creation_date(parse(stamp) if stamp else datetime(2000, 1, 1, tzinfo=UTC))
    doc.set_creator("meeting server")
    doc.add_page()
    half = (doc.w - doc.l_margin - doc.r_margin) / 2
    top = doc.get_y()
    doc.set_font(_F, "B", 10)
    doc.multi_cell(half * 0.8, 5, _nfc(m["body"]["name"].upper()), align="C")
    doc.set_xy(doc.l_margin + half * 0.8, top)
    doc.multi_cell(half * 1.2, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                   align="C")  # fmt: skip
    doc.ln(8)
    doc.para("BIÊN BẢN", 15, bold=True, align="C")
    doc.para(m["title"], 12, bold=True, align="C")
    doc.ln(3)
    for line in heading(minutes):
        doc.para(line)
    _attendance(doc, minutes)
    section = 2 if minutes.get("attendance") else 1
    doc.ln(2)
    doc.para(f"{_roman(section)}. NỘI DUNG PHIÊN HỌP", 12, bold=True)
    for key in ("opening", "general"):
        if minutes["sections"].get(key):
            doc.para(minutes["sections"][key])
    for item in minutes["items"]:
        _item(doc, item)
    doc.ln(2)
    doc.para(f"{_roman(section + 1)}. KẾT THÚC", 12, bold=True)
    if minutes["sections"].get("closing"):
        doc.para(minutes["sections"]["closing"])
    doc.para(f"Phiên họp kết thúc lúc {when(m['closed_at'])}.")
    _signatures(doc, m, half)
    return bytes(doc.output())


def _roman(n: int) -> str:
    return ["", "I", "II", "III", "IV", "V"][n]


def _attendance(doc: _Doc, minutes: dict[str, Any]) -> None:
    att = minutes.get("attendance")
    if not att:
        return
    doc.ln(2)
    doc.para("I. THÀNH PHẦN THAM DỰ", 12, bold=True)
    doc.para(f"Tổng số đại biểu: {att['seats']}; có mặt: {att['present']}; vắng có lý do: "
             f"{len(att['excused'])}; vắng: {len(att['absent'])}.")  # fmt: skip
    for person in att["excused"]:
        doc.para(f"- Vắng có lý do: {person['name']} ({person.get('reason') or '—'}).")
    for person in att["absent"]:
        doc.para(f"- Vắng: {person['name']}.")


def _item(doc: _Doc, item: dict[str, Any]) -> None:
    closed = " (họp kín)" if item["access"] != "public" else ""
    doc.ln(1)
    doc.para(f"{item['number']}. {item['title']}{closed}", 11, bold=True)
    if item.get("opened_at"):
        doc.para(f"Bắt đầu {when(item['opened_at'])}; kết thúc {when(item['closed_at'])}.")
    if item["text"]:
        doc.para(item["text"])
    for paper in item.get("papers", []):
        doc.para(f"- Tài liệu: {paper['title']} ({paper['pages']} trang).")
    for speech in item.get("speeches", []):
        doc.para(f"- Phát biểu: {speech['name']}, {when(speech['started_at'])}, "
                 f"{speech['seconds']} giây.")  # fmt: skip
    for q in item.get("questions", []):
        doc.para(f"- Chất vấn của {q['asked_by_name']} gửi {q['addressed_to']}: {q['text']}")
        if q.get("answer"):
            doc.para(f"  Trả lời ({q['answer']['by']}): {q['answer']['summary']}")
    for vote in item["votes"]:
        title = vote["question"] + (f" — {vote['number']}" if vote["number"] else "")
        doc.para(f"Biểu quyết: {title}", bold=True)
        _results_table(doc, vote)
        for line in vote_lines(vote):
            doc.para(line, 10)
    for note in item["notes"]:
        doc.para(f"Ghi chú ({when(note['at'])}): {note['text']}", 10)


def _results_table(doc: _Doc, vote: dict[str, Any]) -> None:
    result = vote["result"]
    if not result or result.get("officials") or result.get("candidates"):
        return
    labels = {c["key"]: c["label"] for c in vote["choices"]}
    doc.set_font(_F, "", 10)
    with doc.table(col_widths=(70, 30, 40), text_align=("LEFT", "RIGHT", "RIGHT")) as table:
        table.row(["Phương án", "Số đại biểu", "Tỷ lệ/tổng số"])
        for key, n in result["counts"].items():
            share = f"{percent(n, result['seats'])}%"
            table.row([_nfc(labels.get(key, key)), str(n), share])


def _signatures(doc: _Doc, m: dict[str, Any], half: float) -> None:
    doc.ln(10)
    if doc.get_y() > doc.h - 60:
        doc.add_page()
    top = doc.get_y()
    doc.set_font(_F, "B", 11)
    clerks = "\n".join(p["name"] for p in m["clerks"])
    chairs = "\n".join(p["name"] for p in m["chairs"])
    doc.multi_cell(half, 6, _nfc(f"THƯ KÝ\n\n\n\n{clerks}"), align="C")
    doc.set_xy(doc.l_margin + half, top)
    doc.multi_cell(half, 6, _nfc(f"CHỦ TỌA\n\n\n\n{chairs}"), align="C")
