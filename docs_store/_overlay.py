"""The watermark as a one-page PDF of a given size, made with fpdf2 in a TrueType font.

The font is embedded (subset), so Vietnamese diacritics print and extract correctly; the
text is normalised to NFC first, since DejaVu has the precomposed letters. Runs inside a
worker process (see `_jobs.stamp`).
"""

from __future__ import annotations

import io
import math
import unicodedata
from typing import Any

from fpdf import FPDF
from pypdf import PdfReader

__all__ = ["overlay_page"]


def overlay_page(size: tuple[int, int], lines: list[str], font_path: str) -> Any:
    """A pypdf page of `size` (points) with `lines` large and faint across it, and in
    small print at its foot."""
    width, height = size
    lines = [unicodedata.normalize("NFC", line) for line in lines]
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_margin(0)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("watermark", fname=font_path)
    angle = math.degrees(math.atan2(height, width))
    big = max(10.0, min(width, height) / 16)
    pdf.set_font("watermark", size=big)
    faint = pdf.local_context(fill_opacity=0.18, text_color=(190, 20, 20))
    with faint, pdf.rotation(angle, x=width / 2, y=height / 2):
        top = height / 2 - big * 0.8 * len(lines)
        for n, line in enumerate(lines):
            pdf.set_xy(0, top + n * big * 1.6)
            pdf.cell(width, big * 1.4, line, align="C")
    small = max(6.0, min(9.0, width / 80))
    pdf.set_font("watermark", size=small)
    with pdf.local_context(text_color=(150, 20, 20)):
        pdf.set_xy(0, height - small * 2.2)
        pdf.cell(width, small * 1.5, " — ".join(lines), align="C")
    return PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0]
