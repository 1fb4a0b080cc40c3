"""A session's papers, generated fast: 106 PDFs of 5–200 pages, about 6,000 pages in all.

Each page has a few hundred words of (ASCII-folded) Vietnamese in Helvetica and a gray
image of random bytes standing for a scanned figure, so that pages weigh about
`page_kib` KiB and do not compress. The PDFs are written byte by byte (no PDF library),
which makes the whole session in well under a second; pypdf reads them like any other.
"""

from __future__ import annotations

import os
import random
import unicodedata
from dataclasses import dataclass

__all__ = ["Paper", "session"]

_TEXT = (
    "Hội đồng nhân dân tỉnh xem xét tờ trình dự thảo nghị quyết về dự toán ngân sách nhà "
    "nước năm 2027, kế hoạch đầu tư công trung hạn, báo cáo thẩm tra của Ban kinh tế - "
    "ngân sách, ý kiến của đại biểu về giáo dục, y tế, giao thông và nông nghiệp"
)
_KINDS = ("Tờ trình", "Dự thảo nghị quyết", "Báo cáo", "Báo cáo thẩm tra")


@dataclass(frozen=True, slots=True)
class Paper:
    title: str
    pages: int
    data: bytes


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in folded if not unicodedata.combining(c) and c.isascii())


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii")


def _lines(rng: random.Random, count: int = 400) -> list[bytes]:
    words = [_ascii(w) for w in _TEXT.split()]
    return [b"T* (%s) Tj" % _escape(" ".join(rng.choices(words, k=12))) for _ in range(count)]


def _page_text(rng: random.Random, pool: list[bytes], title: str, n: int, lines: int) -> bytes:
    head = b"BT /F1 10 Tf 56 790 Td 13 TL (%s - trang %d) Tj" % (_escape(title), n)
    tail = b"ET q 400 0 0 120 100 60 cm /Im1 Do Q"
    return b"\n".join([head, *rng.choices(pool, k=lines), tail])


def _pdf(rng: random.Random, pool: list[bytes], title: str, pages: int, page_bytes: int) -> bytes:
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Title (%s) /Producer (bench.papers_gen) >>" % _escape(_ascii(title)),
    }
    kids = []
    for n in range(1, pages + 1):
        page, content, image = 4 + 3 * n - 2, 4 + 3 * n - 1, 4 + 3 * n
        kids.append(b"%d 0 R" % page)
        text = _page_text(rng, pool, _ascii(title), n, 40)
        side = max(8, int(max(64, page_bytes - len(text) - 400) ** 0.5))
        pixels = os.urandom(side * side)
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
            % (content, image)
        )
        objects[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
        objects[image] = (
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream"
            % (side, side, len(pixels), pixels)
        )
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[i] for i in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % size
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def page_counts(papers: int, total: int, seed: int) -> list[int]:
    """`papers` counts between 5 and 200 adding up to `total`; the first is 200 (the long
    paper PDF.js reads in ranges)."""
    rng = random.Random(seed)
    counts = [200] + [rng.randint(5, 110) for _ in range(papers - 1)]
    i = 1
    while sum(counts) != total:
        step = 1 if sum(counts) < total else -1
        if 5 <= counts[i] + step <= 200:
            counts[i] += step
        i = i % (papers - 1) + 1
    return counts


def session(papers: int = 106, total_pages: int = 6000, page_kib: float = 8.0,
            seed: int = 2026) -> list[Paper]:  # fmt: skip
    """The papers of one session, the same every time for the same arguments (but for the
    random pixels, so hashes differ between runs)."""
    rng = random.Random(seed)
    pool = _lines(rng)
    out = []
    for n, pages in enumerate(page_counts(papers, total_pages, seed)):
        title = f"{_KINDS[n % len(_KINDS)]} số {n + 1}/TTr-UBND về nội dung kỳ họp"
        out.append(Paper(title, pages, _pdf(rng, pool, title, pages, int(page_kib * 1024))))
    return out
