"""docs_store on its own: content addressing, atomic writes, a full disk, PDF intake and
watermarks in worker processes within their limits."""

from __future__ import annotations

import errno
import hashlib
import os
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from docs_store import (
    FileStore,
    PdfLimits,
    Refused,
    StorageFull,
    TooLarge,
    check_pdf,
    stamp_pdf,
)
from tests.pdfs import FONT, hostile, paper, text_of

LIMITS = PdfLimits(max_pages=500, memory_bytes=512 << 20, seconds=5.0)
CORPUS = hostile()


def _store(store: FileStore, data: bytes, found: dict[str, object] | None = None) -> str:
    upload = store.begin(10 << 20)
    for start in range(0, len(data), 4096):
        upload.write(data[start : start + 4096])
    upload.finish()
    meta = found or {"pages": 1, "title": None, "texts": ["x"]}
    return store.commit(upload, meta).sha256


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_document_is_its_hash_and_is_stored_once(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    data = paper(2)
    sha = _store(store, data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert _store(store, data) == sha
    assert [p.name for p in _files(tmp_path / "objects")] == [sha, f"{sha}.json"]
    assert _files(tmp_path / "tmp") == []
    assert store.read(sha) == data
    found = store.find(sha)
    assert found is not None and (found.size, found.pages) == (len(data), 1)
    assert store.find("0" * 64) is None and store.find("../etc/passwd") is None


def test_too_large_and_discarded_uploads_leave_nothing(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    upload = store.begin(1000)
    with pytest.raises(TooLarge):
        upload.write(bytes(1001))
    upload.discard()
    upload = store.begin(1000)
    upload.write(b"%PDF-1.7 half of it")
    upload.discard()  # a dropped connection
    assert _files(tmp_path) == []


def test_leftovers_of_a_crash_are_swept_at_start(tmp_path: Path) -> None:
    FileStore(tmp_path)
    stale, busy = tmp_path / "tmp" / "old.part", tmp_path / "tmp" / "new.part"
    stale.write_bytes(b"%PDF-1.7 interrupted")
    busy.write_bytes(b"%PDF-1.7 another process is writing this")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    FileStore(tmp_path)
    assert _files(tmp_path) == [busy]


class _Full:
    """A file that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, sink: BinaryIO, room: int) -> None:
        self.sink, self.room = sink, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.sink.write(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self.sink, name)

    def __enter__(self) -> _Full:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sink.close()


class FullDisk(FileStore):
    """A store whose disk fills up: each file it writes takes the next of `rooms` bytes."""

    def __init__(self, root: Path, *rooms: int) -> None:
        super().__init__(root)
        self.rooms = list(rooms)

    def _open_temp(self) -> tuple[Path, BinaryIO]:
        path, sink = super()._open_temp()
        room = self.rooms.pop(0) if self.rooms else 0
        return path, _Full(sink, room)  # type: ignore[return-value]


def test_a_full_disk_keeps_nothing_partial_and_spares_earlier_documents(tmp_path: Path) -> None:
    before = paper(2, tag="trước")
    sha = _store(FileStore(tmp_path), before)
    with pytest.raises(StorageFull) as raised:
        _store(FullDisk(tmp_path, 10_000), paper(30, tag="sau"))
    assert raised.value.code == "storage_full"
    assert _files(tmp_path / "tmp") == []
    with pytest.raises(StorageFull):  # the bytes fit, their description does not
        _store(FullDisk(tmp_path, 1 << 20, 10), paper(3, tag="sau"))
    assert [p.name for p in _files(tmp_path / "objects")] == [sha, f"{sha}.json"]
    assert _files(tmp_path / "tmp") == []
    assert FileStore(tmp_path).read(sha) == before


def test_derived_copies(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    sha = _store(store, paper(1))
    assert store.get_derived(sha, "wm-a.pdf") is None
    store.put_derived(sha, "wm-a.pdf", b"stamped")
    assert store.get_derived(sha, "wm-a.pdf") == b"stamped"
    with pytest.raises(ValueError):
        store.put_derived(sha, "../escape", b"x")


def test_intake_reads_pages_title_and_vietnamese_text(tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    path.write_bytes(paper(12, "Dự thảo nghị quyết về ngân sách"))
    found = check_pdf(path, LIMITS)
    assert found["pages"] == 12
    assert found["title"] == "Dự thảo nghị quyết về ngân sách"
    assert "trang 12" in found["texts"][11] and "Hội đồng nhân dân" in found["texts"][0]


def test_too_many_pages(tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    path.write_bytes(paper(12))
    with pytest.raises(Refused) as raised:
        check_pdf(path, PdfLimits(max_pages=10, seconds=10.0))
    assert raised.value.code == "pdf_too_many_pages"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_pdfs_are_refused_within_the_limit(tmp_path: Path, name: str) -> None:
    data, codes = CORPUS[name]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    # The worker is killed at the time limit (then the code is `pdf_timeout`): no clock here.
    with pytest.raises(Refused) as raised:
        check_pdf(path, LIMITS)
    assert raised.value.code in codes, raised.value


def test_a_watermark_names_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    path.write_bytes(paper(3))
    lines = ["Nguyễn Thị Hồng Nhung", "Ghế số 17 · Tài liệu mật", "01/12/2026 08:00 UTC"]
    stamped = stamp_pdf(path, lines, FONT, LIMITS)
    text = text_of(stamped)
    assert text.count("Nguyễn Thị Hồng Nhung") >= 3 and "Ghế số 17" in text
    assert "Hội đồng nhân dân" in text  # the paper itself is still there
