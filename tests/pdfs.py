"""PDFs for the tests, made here: real papers in Vietnamese, and a corpus of hostile files.

Papers are written with fpdf2 in DejaVu Sans (embedded), so their text extracts with its
diacritics. The hostile files are written byte by byte (`raw_pdf` keeps the cross-reference
table right, so that only the intended flaw is there).
"""

from __future__ import annotations

import functools
import io
import zlib
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SENTENCE = (
    "Hội đồng nhân dân tỉnh Thanh Hóa xem xét tờ trình về dự toán ngân sách nhà nước, "
    "báo cáo tình hình kinh tế - xã hội và dự thảo nghị quyết của kỳ họp."
)


def paper(pages: int = 3, title: str = "Tờ trình dự toán ngân sách", tag: str = "") -> bytes:
    """A text PDF of `pages` pages; each page says its number and `tag` (to vary the hash)."""
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=12)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{title} {tag} — trang {n}. {SENTENCE}")
    return bytes(pdf.output())


def raw_pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF of the given objects (number → body) with a correct xref table and trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def _stream(data: bytes, flate: bool = False) -> bytes:
    head = b"<< /Length %d%s >>" % (len(data), b" /Filter /FlateDecode" if flate else b"")
    return head + b"\nstream\n" + data + b"\nendstream"


def _one_page(content: bytes = b"", **extra: bytes) -> dict[int, bytes]:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: _stream(content),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    objects.update({int(k[1:]): v for k, v in extra.items()})
    return objects


def _encrypted(source: bytes) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(source))
    writer.encrypt("mật-khẩu", "chủ", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@functools.cache
def hostile() -> dict[str, tuple[bytes, set[str]]]:
    """Hostile or broken files: name → (bytes, the refusal codes that are right for it)."""
    good = paper(40, "Báo cáo thẩm tra")
    corpus: dict[str, tuple[bytes, set[str]]] = {
        "png": (b"\x89PNG\r\n\x1a\n" + bytes(4000), {"not_pdf"}),
        "html": ("<!doctype html><p>Tờ trình</p>".encode(), {"not_pdf"}),
        "encrypted": (_encrypted(good), {"pdf_encrypted"}),
        "truncated": (good[: len(good) * 6 // 10], {"pdf_truncated"}),
        "no_end": (good[:-30], {"pdf_truncated"}),
    }
    # 256 MiB of zeros deflated to 256 KiB (a thousand to one): never to be inflated whole.
    bomb = zlib.compress(bytes(256 << 20), 9)
    objects = _one_page()
    objects[4] = _stream(bomb, flate=True)
    corpus["deflate_bomb"] = (raw_pdf(objects), {"pdf_too_complex"})
    objects = _one_page()
    objects[2] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    corpus["cyclic_pages"] = (raw_pdf(objects), {"pdf_cyclic"})
    objects = _one_page(
        o6=b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 2 >>",
        o7=b"<< /Title (a) /Parent 6 0 R /Next 8 0 R /First 8 0 R /Dest [3 0 R /Fit] >>",
        o8=b"<< /Title (b) /Parent 7 0 R /Next 7 0 R /First 7 0 R /Dest [3 0 R /Fit] >>",
    )
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>"
    corpus["cyclic_outline"] = (raw_pdf(objects), {"pdf_cyclic"})
    depth = 100_000
    objects = _one_page()
    objects[3] = objects[3][:-2] + b" /Junk " + b"[" * depth + b"]" * depth + b" >>"
    corpus["deep_arrays"] = (raw_pdf(objects), {"pdf_too_deep", "pdf_invalid"})
    objects = _one_page()
    objects[3] = objects[3][:-2] + b" /Junk " + b"<< /A " * depth + b">>" * depth + b" >>"
    corpus["deep_dicts"] = (raw_pdf(objects), {"pdf_too_deep", "pdf_invalid"})
    objects = {1: b"<< /Type /Catalog /Pages 10 0 R >>"}
    for n in range(3000):  # a page tree 3000 levels deep
        objects[10 + n] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (11 + n)
    objects[3010] = b"<< /Type /Page /Parent 3009 0 R /MediaBox [0 0 595 842] >>"
    corpus["deep_page_tree"] = (raw_pdf(objects), {"pdf_too_deep"})
    kids = b" ".join([b"3 0 R"] * 50_000)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + kids + b"] /Count 50000 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }
    corpus["fifty_thousand_pages"] = (raw_pdf(objects), {"pdf_too_many_pages"})
    # Millions of text operators: cheap to send, slow to read. Whichever comes first stops
    # it: the wall-time limit, or pypdf's own cap on tokens per stream (on a fast machine).
    content = zlib.compress(b"BT /F1 1 Tf " + b"(a) Tj " * 3_000_000 + b"ET")
    objects = _one_page()
    objects[4] = _stream(content, flate=True)
    corpus["text_flood"] = (raw_pdf(objects), {"pdf_timeout", "pdf_too_complex"})
    return corpus


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
