"""The words and figures of the minutes, shared by the HTML and PDF renderers (Vietnamese)."""

from __future__ import annotations

from typing import Any

from meeting.domain.majority import percent

__all__ = ["METHODS", "STATUS", "heading", "vote_lines", "when"]

METHODS = {
    "electronic_named": "biểu quyết điện tử, công khai",
    "electronic_secret": "bỏ phiếu kín điện tử",
    "paper": "bỏ phiếu kín bằng phiếu giấy",
    "show_of_hands": "giơ tay",
}
STATUS = {"closed": "đã kết thúc", "annulled": "đã hủy kết quả", "open": "đang biểu quyết",
          "scheduled": "chưa biểu quyết"}  # fmt: skip
_BASES = {
    "seats": "tổng số đại biểu",
    "present": "số đại biểu có mặt",
    "cast": "số phiếu biểu quyết",
}
_FLAGS = {"may_resign": "có thể xin từ chức", "confidence_vote": "đưa ra bỏ phiếu tín nhiệm"}


def when(at: str | None) -> str:
    """`2026-12-01T08:03:12.345Z` → `08:03, ngày 01/12/2026` (UTC, as the log keeps it)."""
    if not at:
        return "—"
    date, _, clock = at.partition("T")
    year, month, day = date.split("-")
    return f"{clock[:5]}, ngày {day}/{month}/{year}"


def heading(minutes: dict[str, Any]) -> list[str]:
    m = minutes["meeting"]
    chairs = ", ".join(p["name"] for p in m["chairs"]) or "—"
    clerks = ", ".join(p["name"] for p in m["clerks"]) or "—"
    return [
        f"Thời gian: khai mạc {when(m['opened_at'])}; bế mạc {when(m['closed_at'])}",
        f"Địa điểm: {m['place'] or '—'}",
        f"Chủ tọa: {chairs}",
        f"Thư ký: {clerks}",
    ]


def vote_lines(vote: dict[str, Any]) -> list[str]:
    """The result of one vote, as the minutes state it, one line each."""
    lines = [f"Hình thức: {METHODS.get(vote['method'], vote['method'])}."]
    result = vote["result"]
    if result is None:
        return [*lines, f"Trạng thái: {STATUS.get(vote['status'], vote['status'])}."]
    base = result["base"]
    rule = result["rule"]
    more = "quá" if rule["strict"] else "ít nhất"
    lines.append(
        f"Quy tắc: {more} {rule['num']}/{rule['den']} {_BASES[base['name']]} "
        f"({base['value']}); cần {result['needed']} phiếu."
    )
    labels = {c["key"]: c["label"] for c in vote["choices"]}
    seats = result["seats"]
    if result.get("officials"):
        for o in result["officials"]:
            levels = "; ".join(
                f"{k.replace('_', ' ')}: {n} ({o['percent_of_seats'][k]}%)"
                for k, n in o["levels"].items()
            )
            flag = f" — {_FLAGS[o['flag']]}" if o["flag"] else ""
            lines.append(f"{o['name']}: {levels}{flag}.")
    elif result.get("candidates"):
        for c in result["candidates"]:
            mark = "trúng cử" if c["elected"] else "không trúng cử"
            share = f"{c['percent_of_seats']}% tổng số đại biểu"
            lines.append(f"{c['name']}: {c['votes']} phiếu ({share}), {mark}.")
    else:
        for key, n in result["counts"].items():
            pct = _pct(n, seats)
            lines.append(f"{labels.get(key, key)}: {n} đại biểu ({pct}% tổng số đại biểu).")
        verdict = "được thông qua" if result.get("passed") else "không được thông qua"
        lines.append(f"Kết quả: {verdict}.")
    if vote["status"] == "annulled":
        lines.append(f"Kết quả đã bị hủy: {vote['annulled_reason']}.")
    return lines


def _pct(n: int, seats: int) -> str:
    return percent(n, seats)
