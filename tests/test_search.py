"""The archive's search: folding Vietnamese, the entries of a meeting and who may find
them, and the database's own full-text index (FTS5 on SQLite, tsvector on PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from sqlalchemy import insert

from meeting.minutes.search import NOT_INDEXED, index_entries
from meeting.store import Conflict, Store
from meeting.store.search import IndexEntry, fold, query_words, snippet
from meeting.store.tables import meetings
from tests.archive_sitting import CLOSED_PDF, PUBLIC_PDF, SECRET_PDF, archive_sitting

PAGE = "Trang 3. Ủy ban đề nghị điều chỉnh kế hoạch giải phóng mặt bằng của dự án."


def test_fold_drops_diacritics_and_keeps_the_length() -> None:
    assert fold("Nghị quyết") == "nghi quyet"
    assert fold("ĐẠI BIỂU Đoàn") == "dai bieu doan"
    assert fold("Hội đồng nhân dân tỉnh Thanh Hóa") == "hoi dong nhan dan tinh thanh hoa"
    text = "Tờ trình về dự thảo nghị quyết — năm 2027, ¼ ﬁ ß"
    assert len(fold(text)) == len(text)
    assert query_words("  nghi   QUYET ") == ["nghi", "quyet"]
    assert query_words("12/NQ-HĐND") == ["12", "nq", "hdnd"]
    assert query_words("Nghi\u0323 quye\u0302\u0301t") == ["nghi", "quyet"]  # decomposed (NFD)
    assert len(query_words(" ".join(["từ"] * 40))) == 16


def test_snippet_shows_the_words_found_with_their_diacritics() -> None:
    text = "Phần mở đầu. " * 30 + PAGE + " Phần kết." * 30
    cut = snippet(text, query_words("giai phong mat"), width=80)
    assert "giải phóng mặt bằng" in cut and cut.startswith("…") and cut.endswith("…")
    assert snippet("Ngắn gọn.", ["khong"]) == "Ngắn gọn."


def test_entries_and_their_audiences() -> None:
    s = archive_sitting()
    entries = {e.key: e for e in index_entries(s.state)}
    kinds = sorted({e.kind for e in entries.values()})
    assert kinds == ["item", "meeting", "note", "paper", "question", "vote"]
    closed = [e for e in entries.values() if e.item_id == s.state.order[1]]
    assert closed and {e.audience for e in closed} == {"delegates"}
    assert {e.audience for e in entries.values() if e.kind == "note"} == {"staff"}
    papers = {e.file: e.audience for e in entries.values() if e.kind == "paper"}
    assert papers[PUBLIC_PDF] == "public" and papers[SECRET_PDF] == "staff"
    assert papers[CLOSED_PDF] == "delegates"  # a public paper on a closed-session item
    vote = next(e for e in entries.values() if e.kind == "vote" and e.audience == "public")
    assert "Kết quả: được thông qua." in vote.text and vote.title.endswith("12/NQ-HĐND")
    assert {"vote.ballot_cast", "vote.ballot_recorded"} <= NOT_INDEXED
    assert "vote.closed" not in NOT_INDEXED and "paper.attached" not in NOT_INDEXED


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    store = await Store.open(db_url)
    async with store.engine.begin() as conn:
        for mid, title in (("m1", "Kỳ họp thứ 2, phiên 1"), ("m2", "Phiên họp khác")):
            await conn.execute(insert(meetings).values(id=mid, body_id="hdnd", title=title,
                               status="closed", head_seq=60, head_hash="0" * 64,
                               created_at="2026-12-01T08:00:00Z"))  # fmt: skip
    try:
        yield store
    finally:
        await store.close()


async def _indexed(store: Store) -> list[IndexEntry]:
    entries = index_entries(archive_sitting().state)
    await store.search.write("m1", None, 60, entries, (), (), {PUBLIC_PDF: PAGE})
    return entries


async def test_search_folds_filters_and_respects_audiences(store: Store) -> None:
    await _indexed(store)
    find = store.search.search

    async def keys(q: str, **kw: object) -> list[str]:
        return [f.key.split(":")[0] for f in await find(query_words(q), **kw)]  # type: ignore[arg-type]

    public = await keys("nghi quyet", public=True)
    assert sorted(public) == ["item", "vote"]
    assert await keys("nhan su", public=True) == []  # the closed session, for the public
    assert set(await keys("nhan su", public=True, delegates_of=["m1"])) >= {"item", "vote"}
    assert await keys("lam ro nguon von", public=True, delegates_of=["m1"]) == []  # note
    assert await keys("lam ro nguon von", public=True, staff_of=["m1"]) == ["note"]
    assert await keys("quy hoach", public=True, delegates_of=["m1"]) == []  # confidential
    assert await keys("quy hoach", public=True, staff_of=["m1"]) == ["paper"]
    assert await keys("dieu chinh ke hoach", public=True) == ["paper"]  # the text
    assert await keys("Điều chỉnh kế hoạch", public=True) == ["paper"]
    assert "item" in await keys("ngan sa", public=True)  # the last word as a prefix
    assert await keys("danh gia can bo", public=True, delegates_of=["m1"]) == ["question"]
    assert await keys("nghi quyet", public=True, body="other") == []
    assert await keys("nghi quyet", public=True, meeting="m2") == []
    assert await keys("nghi quyet", public=True, since="2026-12-02") == []
    assert await keys("nghi quyet", public=True, until="2026-12-01") == []
    assert len(await keys("nghi quyet", public=True, since="2026-12-01", until="2026-12-02")) == 2
    assert len(await keys("nghi quyet", public=True, limit=1)) == 1
    found = (await find(["dieu", "chinh"], public=True))[0]
    assert (found.meeting_title, found.title) == (
        "Kỳ họp thứ 2, phiên 1",
        "Tờ trình số 12/TTr-UBND",
    )


async def test_the_cursor_moves_by_compare_and_set(store: Store) -> None:
    entries = await _indexed(store)
    stored = await store.search.stored("m1")
    assert stored.seq == 60 and set(stored.digests) == {e.key for e in entries}
    with pytest.raises(Conflict):  # another indexer wrote first: nothing of ours is kept
        await store.search.write("m1", 50, 70, entries[:1], [entries[1].key], set(), {})
    with pytest.raises(Conflict):
        await store.search.write("m1", None, 70, entries[:1], (), set(), {})
    assert (await store.search.stored("m1")).digests == stored.digests
    assert await store.search.behind() == {"m2": (60, 0)}
    note = next(e for e in entries if e.kind == "note")
    item = next(e for e in entries if e.kind == "item")
    edited = replace(item, title="Báo cáo công tác phòng chống thiên tai", text="")
    await store.search.write("m1", 60, 61, [edited], [note.key], set(stored.digests), {})
    after = await store.search.stored("m1")
    assert after.seq == 61 and note.key not in after.digests
    assert after.digests[item.key] == edited.digest != item.digest
    staff = {"public": True, "staff_of": ["m1"]}
    assert await store.search.search(query_words("lam ro nguon von"), **staff) == []  # type: ignore[arg-type]
    (found,) = await store.search.search(query_words("thien tai"), **staff)  # type: ignore[arg-type]
    assert found.key == item.key
