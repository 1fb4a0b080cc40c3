"""Papers for the demo sitting: a report and the submissions with their draft resolutions,
written here as real PDFs in Vietnamese, so that a visitor opens them in the tablet's reader.

They go in the way a clerk's upload does: stored by hash in the documents folder after the
same PDF intake (`check_pdf`), recorded with `paper.upload` (the upload route's proof), then
attached to their items. Without a font that has Vietnamese letters (DejaVu, Noto,
Liberation, …; see `meeting.minutes.fonts`) there are no demo papers, and the demo says so.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from fpdf import FPDF

from docs_store import Document, FileStore, PdfLimits, check_pdf
from meeting.domain import Actor
from meeting.domain.papers import UPLOAD_PROOF
from meeting.engine import MeetingEngine
from meeting.minutes.fonts import FontNotFound, FontPair, find_font
from meeting.settings import Settings

from .provision import ProvisionError

__all__ = ["add_demo_papers"]

_ISSUER = "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"

# (item index, kind, access, title, the opening line, sections of (heading, paragraphs))
_PAPERS: tuple[tuple[int, str, str, str, str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    (
        1,
        "report",
        "public",
        "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2021",
        "Thực hiện chương trình kỳ họp, Ủy ban nhân dân tỉnh báo cáo Hội đồng nhân dân tỉnh "
        "tình hình kinh tế - xã hội, quốc phòng, an ninh 6 tháng đầu năm và nhiệm vụ, giải "
        "pháp 6 tháng cuối năm 2021 như sau.",
        (
            (
                "I. Kết quả đạt được",
                (
                    "Tốc độ tăng trưởng kinh tế (GRDP) 6 tháng đầu năm ước đạt 6,8%, cao hơn "
                    "cùng kỳ năm trước; trong đó khu vực công nghiệp - xây dựng tăng 9,2%, "
                    "khu vực dịch vụ tăng 5,1%, khu vực nông, lâm nghiệp và thủy sản tăng 3,4%.",
                    "Thu ngân sách nhà nước trên địa bàn ước đạt 58% dự toán Hội đồng nhân dân "
                    "tỉnh giao; giải ngân vốn đầu tư công đạt 41% kế hoạch, cao hơn bình quân "
                    "chung của cả nước.",
                    "Công tác phòng, chống dịch bệnh được triển khai quyết liệt; an sinh xã "
                    "hội được bảo đảm, các chính sách hỗ trợ người dân, doanh nghiệp gặp khó "
                    "khăn được thực hiện kịp thời, đúng đối tượng.",
                ),
            ),
            (
                "II. Hạn chế, khó khăn",
                (
                    "Tiến độ giải phóng mặt bằng một số dự án trọng điểm còn chậm; sản xuất, "
                    "kinh doanh của một bộ phận doanh nghiệp gặp nhiều khó khăn do tác động "
                    "của dịch bệnh; giá nguyên vật liệu xây dựng tăng cao.",
                ),
            ),
            (
                "III. Nhiệm vụ, giải pháp 6 tháng cuối năm",
                (
                    "Tập trung tháo gỡ khó khăn cho sản xuất, kinh doanh; đẩy nhanh tiến độ "
                    "giải ngân vốn đầu tư công; tăng cường quản lý thu, chống thất thu ngân "
                    "sách; bảo đảm quốc phòng, an ninh và trật tự, an toàn xã hội.",
                ),
            ),
        ),
    ),
    (
        4,
        "submission",
        "public",
        "Tờ trình về điều chỉnh, bổ sung dự toán thu, chi ngân sách địa phương năm 2021",
        "Căn cứ Luật Tổ chức chính quyền địa phương và Luật Ngân sách nhà nước năm 2015, Ủy "
        "ban nhân dân tỉnh kính trình Hội đồng nhân dân tỉnh xem xét, quyết định điều chỉnh, "
        "bổ sung dự toán thu, chi ngân sách địa phương năm 2021.",
        (
            (
                "I. Sự cần thiết",
                (
                    "Trong năm, Trung ương bổ sung có mục tiêu cho ngân sách tỉnh để thực hiện "
                    "các chương trình mục tiêu quốc gia và chính sách an sinh xã hội; một số "
                    "khoản thu tăng so với dự toán cần được phân bổ kịp thời.",
                ),
            ),
            (
                "II. Nội dung điều chỉnh",
                (
                    "Tăng dự toán thu ngân sách địa phương 1.250 tỷ đồng, trong đó thu bổ sung "
                    "có mục tiêu từ ngân sách Trung ương 830 tỷ đồng; tăng dự toán chi tương "
                    "ứng cho đầu tư phát triển, y tế và giáo dục.",
                    "Điều chỉnh giảm 120 tỷ đồng chi thường xuyên của các đơn vị chưa sử dụng "
                    "hết dự toán để bổ sung cho nhiệm vụ phòng, chống dịch bệnh.",
                ),
            ),
            (
                "III. Kiến nghị",
                (
                    "Ủy ban nhân dân tỉnh kính trình Hội đồng nhân dân tỉnh xem xét, thông qua "
                    "Nghị quyết điều chỉnh, bổ sung dự toán ngân sách địa phương năm 2021.",
                ),
            ),
        ),
    ),
    (
        4,
        "draft_resolution",
        "public",
        "Dự thảo Nghị quyết điều chỉnh, bổ sung dự toán ngân sách địa phương năm 2021",
        "HỘI ĐỒNG NHÂN DÂN TỈNH THANH HÓA, xét Tờ trình của Ủy ban nhân dân tỉnh, báo cáo "
        "thẩm tra của Ban Kinh tế - Ngân sách và ý kiến thảo luận của đại biểu tại kỳ họp,",
        (
            (
                "QUYẾT NGHỊ:",
                (
                    "Điều 1. Điều chỉnh, bổ sung dự toán thu, chi ngân sách địa phương năm 2021 "
                    "theo các phụ lục kèm theo Nghị quyết này.",
                    "Điều 2. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện; Thường trực, các "
                    "Ban và đại biểu Hội đồng nhân dân tỉnh giám sát việc thực hiện.",
                    "Nghị quyết này có hiệu lực kể từ ngày được thông qua.",
                ),
            ),
        ),
    ),
    (
        5,
        "submission",
        "delegates",
        "Tờ trình về kế hoạch đầu tư công trung hạn giai đoạn 2021–2025",
        "Ủy ban nhân dân tỉnh kính trình Hội đồng nhân dân tỉnh kế hoạch đầu tư công trung hạn "
        "giai đoạn 2021–2025 nguồn ngân sách địa phương.",
        (
            (
                "I. Tổng nguồn vốn",
                (
                    "Tổng nguồn vốn đầu tư công trung hạn giai đoạn 2021–2025 dự kiến 45.600 "
                    "tỷ đồng, trong đó vốn ngân sách địa phương 28.900 tỷ đồng.",
                ),
            ),
            (
                "II. Nguyên tắc phân bổ",
                (
                    "Ưu tiên bố trí vốn thanh toán nợ đọng xây dựng cơ bản, các dự án chuyển "
                    "tiếp, dự án trọng điểm có tính kết nối vùng; không bố trí vốn dàn trải.",
                ),
            ),
        ),
    ),
)


Sections = tuple[tuple[str, tuple[str, ...]], ...]


def _paper_pdf(font: FontPair, title: str, opening: str, sections: Sections) -> bytes:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_font("vn", fname=str(font.regular))
    pdf.add_font("vn", style="B", fname=str(font.bold))
    pdf.set_margins(22, 18, 18)
    pdf.add_page()
    pdf.set_font("vn", size=11)
    pdf.cell(0, 6, _ISSUER, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "Độc lập - Tự do - Hạnh phúc", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("vn", style="B", size=15)
    pdf.multi_cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("vn", size=12)
    pdf.multi_cell(0, 7, opening, new_x="LMARGIN", new_y="NEXT")
    for n, (heading, paragraphs) in enumerate(sections):
        # Each section after the first starts a page: a paper has pages to turn in the
        # reader, to search and to follow the chair through.
        if n:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font("vn", style="B", size=13)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("vn", size=12)
        for text in paragraphs:
            pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    return bytes(pdf.output())


async def add_demo_papers(engine: MeetingEngine, settings: Settings) -> int:
    """Store, record and attach the demo's papers; return how many (0 without a font)."""
    try:
        fonts = find_font(Path(settings.pdf_font_dir) if settings.pdf_font_dir else None)
    except FontNotFound:
        return 0
    store = FileStore(settings.data_dir / "documents")
    limits = PdfLimits(
        max_pages=settings.max_paper_pages,
        memory_bytes=settings.pdf_memory_bytes,
        seconds=settings.pdf_seconds,
    )
    items = list(engine.state.order)
    uploader = Actor("clerk", proofs=frozenset({UPLOAD_PROOF}))
    clerk = replace(uploader, proofs=frozenset())
    for n, (index, kind, access, title, opening, sections) in enumerate(_PAPERS, 1):
        data = _paper_pdf(fonts, title, opening, sections)
        document = await asyncio.to_thread(_store, store, data, limits, settings.max_paper_bytes)
        upload = {"sha256": document.sha256, "size": document.size, "pages": document.pages,
                  "title": title, "filename": f"tai-lieu-{n}.pdf"}  # fmt: skip
        attach = {"item_id": items[index], "sha256": document.sha256, "kind": kind,
                  "access": access, "title": title}  # fmt: skip
        for command_id, actor, name, args in (
            (f"demo-paper-upload-{n}", uploader, "paper.upload", upload),
            (f"demo-paper-attach-{n}", clerk, "paper.attach", attach),
        ):
            outcome = await engine.submit(actor, command_id, name, args, source="cli")
            if not outcome.ok:
                raise ProvisionError(f"{command_id}: {outcome.code}: {outcome.message}")
    return len(_PAPERS)


def _store(store: FileStore, data: bytes, limits: PdfLimits, max_bytes: int) -> Document:
    upload = store.begin(max_bytes)
    try:
        upload.write(data)
        sha = upload.finish()
        known = store.find(sha)
        if known is not None:
            return known
        return store.commit(upload, check_pdf(upload.path, limits))
    finally:
        upload.discard()
