"""The minutes as an HTML page (to read in the browser), every text escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from .text import heading, vote_lines, when

__all__ = ["render_html"]

_STYLE = """
body{font-family:"Times New Roman","Noto Serif","DejaVu Serif",serif;max-width:52em;
margin:2em auto;padding:0 1em;line-height:1.5;color:#111}
.top{display:flex;justify-content:space-between;text-align:center;font-weight:bold}
h1{text-align:center;margin:1.5em 0 .2em}.sub{text-align:center;margin:0 0 1.5em}
.sign{display:flex;justify-content:space-around;margin-top:3em;text-align:center}
.sign div{min-height:8em;font-weight:bold}.seq{color:#777;font-size:.8em}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}
"""


def _p(text: str, seq: int | None = None) -> str:
    mark = f' <span class="seq">[#{seq}]</span>' if seq else ""
    return f"<p>{escape(text)}{mark}</p>"


def render_html(minutes: dict[str, Any]) -> str:
    m = minutes["meeting"]
    body = m["body"]["name"]
    parts = [
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">',
        f"<title>Biên bản — {escape(m['title'])}</title><style>{_STYLE}</style></head><body>",
        '<div class="top"><div>',
        escape(body.upper()),
        "</div><div>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</div></div>",
        "<h1>BIÊN BẢN</h1>",
        f'<p class="sub">{escape(m["title"])}</p>',
    ]
    parts += [_p(line) for line in heading(minutes)]
    parts += _attendance(minutes)
    for key, label in (("opening", "Khai mạc"), ("general", "Nội dung chung")):
        if minutes["sections"].get(key):
            parts.append(f"<h2>{label}</h2>{_p(minutes['sections'][key])}")
    parts.append("<h2>NỘI DUNG PHIÊN HỌP</h2>")
    for item in minutes["items"]:
        parts += _item(item)
    if minutes["sections"].get("closing"):
        parts.append(f"<h2>Bế mạc</h2>{_p(minutes['sections']['closing'])}")
    parts.append(_p(f"Phiên họp kết thúc lúc {when(m['closed_at'])}."))
    chairs = "<br>".join(escape(p["name"]) for p in m["chairs"])
    clerks = "<br>".join(escape(p["name"]) for p in m["clerks"])
    parts.append(
        f'<div class="sign"><div>THƯ KÝ<br><br><br>{clerks}</div>'
        f"<div>CHỦ TỌA<br><br><br>{chairs}</div></div></body></html>"
    )
    return "".join(parts)


def _attendance(minutes: dict[str, Any]) -> list[str]:
    att = minutes.get("attendance")
    if not att:
        return []
    out = ["<h2>THÀNH PHẦN THAM DỰ</h2>"]
    out.append(_p(f"Có mặt: {att['present']}/{att['seats']} đại biểu; vắng có lý do: "
                  f"{len(att['excused'])}; vắng: {len(att['absent'])}."))  # fmt: skip
    for person in att["excused"]:
        out.append(_p(f"Vắng có lý do: {person['name']} ({person.get('reason') or '—'})."))
    return out


def _item(item: dict[str, Any]) -> list[str]:
    closed = " (họp kín)" if item["access"] != "public" else ""
    out = [f"<h3>{item['number']}. {escape(item['title'])}{closed}</h3>"]
    if item.get("opened_at"):
        out.append(
            _p(
                f"Bắt đầu {when(item['opened_at'])}; kết thúc {when(item['closed_at'])}.",
                item["seq"],
            )
        )
    if item["text"]:
        out.append(_p(item["text"]))
    for paper in item.get("papers", []):
        out.append(
            _p(f"Tài liệu: {paper['title']} ({paper['pages']} trang, SHA-256 {paper['sha256']}).")
        )
    for speech in item.get("speeches", []):
        out.append(_p(f"Phát biểu: {speech['name']}, {when(speech['started_at'])}, "
                      f"{speech['seconds']} giây.", speech.get("seq")))  # fmt: skip
    for q in item.get("questions", []):
        out.append(
            _p(
                f"Chất vấn của {q['asked_by_name']} gửi {q['addressed_to']}: {q['text']}",
                q.get("seq"),
            )
        )
        if q.get("answer"):
            out.append(_p(f"Trả lời ({q['answer']['by']}): {q['answer']['summary']}"))
    for vote in item["votes"]:
        title = vote["question"] + (f" — {vote['number']}" if vote["number"] else "")
        out.append(f"<h4>Biểu quyết: {escape(title)}</h4>")
        out += [_p(line) for line in vote_lines(vote)]
        out.append(f'<p class="seq">[#{vote["seq"]}]</p>')
    for note in item["notes"]:
        out.append(_p(f"Ghi chú của thư ký ({when(note['at'])}): {note['text']}", note["seq"]))
    return out
