"""A sitting with a bit of everything the archive shows, built with the domain alone.

Item 1 (public) has papers of every access, a speech, an answered question, a note and a
named vote; item 2 (closed session) has a paper, a speech, a question and a secret vote
in which d01 votes against while everyone else votes for.
"""

from __future__ import annotations

from dataclasses import replace

from meeting.domain.papers import UPLOAD_PROOF
from tests.sitting import CHAIR, CLERK, Sitting, delegate

UPLOADER = replace(CLERK, proofs=frozenset({UPLOAD_PROOF}))
PUBLIC_PDF, DELEGATES_PDF, SECRET_PDF, CLOSED_PDF = ("a" * 64, "b" * 64, "c" * 64, "d" * 64)
PUBLIC_TITLE = "Tờ trình về dự thảo nghị quyết dự toán ngân sách năm 2027"
CLOSED_TITLE = "Công tác nhân sự: miễn nhiệm Phó Chủ tịch Ủy ban"
CLOSED_WORDS = ("nhân sự", "Phó Chủ tịch Ủy ban", "Hồ sơ nhân sự", "đánh giá cán bộ")


def archive_sitting() -> Sitting:
    s = Sitting().create(delegates=6)
    public = s.run(CLERK, "agenda.add_item", title=PUBLIC_TITLE,
                   description="Đại biểu thảo luận về nguồn vốn đầu tư công.")  # fmt: skip
    closed = s.run(CLERK, "agenda.add_item", title=CLOSED_TITLE, access="delegates")
    pub, clo = public[0].data["item"]["item_id"], closed[0].data["item"]["item_id"]
    for sha, name in ((PUBLIC_PDF, "to-trinh.pdf"), (DELEGATES_PDF, "bao-cao.pdf"),
                      (SECRET_PDF, "mat.pdf"), (CLOSED_PDF, "ho-so.pdf")):  # fmt: skip
        s.run(UPLOADER, "paper.upload", sha256=sha, size=2048, pages=4, filename=name)
    s.run(CLERK, "paper.attach", item_id=pub, sha256=PUBLIC_PDF, kind="submission",
          access="public", title="Tờ trình số 12/TTr-UBND")  # fmt: skip
    s.run(CLERK, "paper.attach", item_id=pub, sha256=DELEGATES_PDF, kind="report",
          access="delegates", title="Báo cáo thẩm tra của Ban kinh tế - ngân sách")  # fmt: skip
    s.run(CLERK, "paper.attach", item_id=pub, sha256=SECRET_PDF, kind="other",
          access="confidential", title="Tài liệu mật về quy hoạch", readers=["d01"])  # fmt: skip
    s.run(CLERK, "paper.attach", item_id=clo, sha256=CLOSED_PDF, kind="other",
          access="public", title="Hồ sơ nhân sự")  # fmt: skip
    s.run(CHAIR, "sitting.open")
    s.roll_call()
    s.run(CHAIR, "agenda.open_item", item_id=pub)
    _speech(s, 2, "Về nguồn vốn đầu tư công")
    asked = s.run(delegate(3), "question.submit", addressee="Giám đốc Sở Tài chính",
                  text="Vì sao giải ngân vốn đầu tư công chậm?")  # fmt: skip
    qid = asked[0].data["question_id"]
    s.run(CHAIR, "question.call", question_id=qid)
    s.run(CLERK, "question.record_answer", question_id=qid, answered_by="Giám đốc Sở Tài chính",
          summary="Do vướng mắc giải phóng mặt bằng.", seconds=120)  # fmt: skip
    s.run(CLERK, "note.add", text="Đại biểu đề nghị làm rõ nguồn vốn đầu tư công.")
    named = s.run(CHAIR, "vote.schedule", item_id=pub, question="Thông qua Nghị quyết dự toán",
                  number="12/NQ-HĐND")[-1].data["vote_id"]  # fmt: skip
    s.run(CHAIR, "vote.open", vote_id=named)
    for n in range(1, 7):
        s.run(delegate(n), "vote.cast", vote_id=named,
              choice="tan_thanh" if n != 6 else "khong_tan_thanh")  # fmt: skip
    s.run(CHAIR, "vote.close", vote_id=named)
    s.run(CHAIR, "agenda.open_item", item_id=clo)
    _speech(s, 4, "Hồ sơ nhân sự")
    s.run(delegate(5), "question.submit", addressee="Trưởng ban Tổ chức",
          text="Đề nghị làm rõ đánh giá cán bộ.")  # fmt: skip
    secret = s.run(CHAIR, "vote.schedule", item_id=clo, question="Miễn nhiệm Phó Chủ tịch",
                   method="electronic_secret", rule={"name": "two_thirds_of_seats"})  # fmt: skip
    sid = secret[-1].data["vote_id"]
    s.run(CHAIR, "vote.open", vote_id=sid)
    for n in range(1, 7):
        s.run(delegate(n), "vote.cast", vote_id=sid,
              choice="khong_tan_thanh" if n == 1 else "tan_thanh")  # fmt: skip
    s.run(CHAIR, "vote.close", vote_id=sid)
    s.run(CHAIR, "sitting.close")
    return s


def _speech(s: Sitting, n: int, topic: str) -> None:
    request = s.run(delegate(n), "floor.request", topic=topic)[0].data["request"]["request_id"]
    speech = s.run(CHAIR, "floor.grant", request_id=request)[0].data["speech"]["speech_id"]
    s.run(CHAIR, "floor.end", speech_id=speech)
