"""The papers as the HTTP routes need them: the document store, the PDF workers, and the
bytes of recently sent papers kept ready in memory (least recently used out first).

A `Ready` paper carries its bytes (or, for one too large for the cache, its file, read with
`os.pread`) and its response headers, prepared once: answering a range or a
revalidation costs a slice and a header list, never a database query or a `stat`.
Confidential copies are stamped once per reader in a worker process and kept on disk
beside the original (`derived/`), so a reader's copy is the same bytes after a restart.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docs_store import DocumentStore, PdfLimits, check_pdf, stamp_pdf
from meeting.domain import Member
from meeting.settings import Settings

__all__ = ["Library", "Ready"]

Headers = list[tuple[bytes, bytes]]
_YEAR = b"max-age=31536000, immutable"


@dataclass(slots=True)
class Ready:
    """One paper ready to send: its bytes (or an open file) and its headers."""

    etag: bytes
    size: int
    data: bytes | None
    path: Path | None
    public: Headers = field(default_factory=list)
    private: Headers = field(default_factory=list)

    def read(self, start: int, end: int) -> bytes:
        """Bytes `start` to `end` (exclusive)."""
        if self.data is not None:
            return self.data[start:end] if (start, end) != (0, self.size) else self.data
        assert self.path is not None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            return os.pread(fd, end - start, start)
        finally:
            os.close(fd)


def _headers(etag: bytes, cache: bytes, vary: bool = False) -> Headers:
    out = [
        (b"content-type", b"application/pdf"),
        (b"etag", etag),
        (b"cache-control", cache),
        (b"accept-ranges", b"bytes"),
        (b"x-content-type-options", b"nosniff"),
    ]
    if vary:
        out.append((b"vary", b"authorization"))
    return out


def _ready(etag_hex: str, size: int, data: bytes | None, path: Path | None, vary: bool) -> Ready:
    etag = b'"' + etag_hex.encode() + b'"'
    return Ready(
        etag,
        size,
        data,
        path,
        public=_headers(etag, b"public, " + _YEAR),
        private=_headers(etag, b"private, " + _YEAR, vary),
    )


class Library:
    def __init__(
        self, store: DocumentStore, settings: Settings, clock: Callable[[], str] | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self._clock = clock
        self.limits = PdfLimits(
            max_pages=settings.max_paper_pages,
            memory_bytes=settings.pdf_memory_bytes,
            seconds=settings.pdf_seconds,
        )
        self._workers = asyncio.Semaphore(max(1, settings.pdf_workers))
        self._budget = settings.paper_cache_bytes
        self._cache: OrderedDict[str, Ready] = OrderedDict()
        self._cached_bytes = 0
        self._loading: dict[str, asyncio.Future[Ready]] = {}

    # -- intake ----------------------------------------------------------------------------

    async def check(self, path: Path) -> dict[str, Any]:
        """Read an uploaded PDF in a worker (at most `pdf_workers` at once), or `Refused`."""
        async with self._workers:
            return await asyncio.to_thread(check_pdf, path, self.limits)

    # -- ready to send ---------------------------------------------------------------------

    async def ready(self, sha256: str) -> Ready:
        """The stored paper `sha256`, ready to send (`StorageError` if it cannot be read)."""
        return self._hit(sha256) or await self._once(sha256, lambda: self._load(sha256))

    async def stamped(self, sha256: str, reader: Member) -> Ready:
        """The reader's own watermarked copy of a confidential paper."""
        key = "wm-" + hashlib.sha256(reader.user_id.encode()).hexdigest()[:32] + ".pdf"
        cached = self._hit(f"{sha256}/{key}")
        return cached or await self._once(
            f"{sha256}/{key}", lambda: self._stamp(sha256, key, reader)
        )

    def _hit(self, key: str) -> Ready | None:
        ready = self._cache.get(key)
        if ready is not None:
            self._cache.move_to_end(key)
        return ready

    async def _once(self, key: str, make: Any) -> Ready:
        """Make the entry once, however many requests ask for it meanwhile."""
        loading = self._loading.get(key)
        if loading is None:
            loading = asyncio.get_running_loop().create_future()
            self._loading[key] = loading
            try:
                ready: Ready = await make()
                self._keep(key, ready)
                loading.set_result(ready)
            except BaseException as exc:
                loading.set_exception(exc)
                loading.exception()  # retrieved: the waiters get it, nobody is warned
                raise
            finally:
                del self._loading[key]
        return await asyncio.shield(loading)

    def _keep(self, key: str, ready: Ready) -> None:
        self._cache[key] = ready
        self._cached_bytes += _cost(ready)
        while self._cached_bytes > self._budget and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached_bytes -= _cost(old)

    async def _load(self, sha256: str) -> Ready:
        found = await asyncio.to_thread(self.store.find, sha256)
        if found is None:
            raise FileNotFoundError(sha256)
        path = self.store.local_path(sha256)
        if path is not None and found.size > self._budget // 8:
            return _ready(sha256, found.size, None, path, vary=False)
        data = await asyncio.to_thread(self.store.read, sha256)
        return _ready(sha256, len(data), data, None, vary=False)

    async def _stamp(self, sha256: str, key: str, reader: Member) -> Ready:
        data = await asyncio.to_thread(self.store.get_derived, sha256, key)
        if data is None:
            path = self.store.local_path(sha256)
            if path is None:
                raise FileNotFoundError(sha256)
            seat = f"Ghế số {reader.seat}" if reader.seat is not None else "Đại biểu"
            lines = [reader.name, f"{seat} · Tài liệu mật", self._now()]
            font = self.settings.watermark_font
            async with self._workers:
                data = await asyncio.to_thread(stamp_pdf, path, lines, font, self.limits)
            await asyncio.to_thread(self.store.put_derived, sha256, key, data)
        etag = hashlib.sha256(data).hexdigest()
        return _ready(etag, len(data), data, None, vary=True)

    def _now(self) -> str:
        """The time for a watermark, from the server's clock: "01/12/2026 08:03 UTC"."""
        now = self._clock() if self._clock else datetime.now(UTC).isoformat()
        at = datetime.fromisoformat(now.replace("Z", "+00:00"))
        return at.astimezone(UTC).strftime("%d/%m/%Y %H:%M UTC")

    def close(self) -> None:
        self._cache.clear()
        self._cached_bytes = 0


def _cost(ready: Ready) -> int:
    """What an entry counts against the budget (a file read on demand: its headers)."""
    return ready.size if ready.data is not None else 1024
