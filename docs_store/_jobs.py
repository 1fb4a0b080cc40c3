"""What runs inside a worker process: reading a PDF (intake) and stamping a watermark.

This module is preloaded by the fork server, so a job starts without importing pypdf
again. Each job runs in a fresh child with its limits already set (`child_main`); anything
that goes wrong inside, an exception of any type, a MemoryError, a recursion too deep, is
turned into a refusal code here or, if the child dies, by the parent.
"""

from __future__ import annotations

import io
import logging
import os
import resource
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import FileNotDecryptedError, LimitReachedError
from pypdf.generic import DictionaryObject

from ._errors import Refused

__all__ = ["JOBS", "child_main"]

_MAX_WARNINGS = 200
"""pypdf repairs some damage with a logged warning; past this many, the file is refused."""


class _Abort(BaseException):
    """Raised from pypdf's logging to stop it at once (pypdf catches `Exception` in places)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class _Watch(logging.Handler):
    """Turns pypdf's warnings about loops into a refusal, and a flood of them too."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        message = record.getMessage()
        if "cycl" in message.lower():
            raise _Abort("pdf_cyclic", message[:200])
        if self.count > _MAX_WARNINGS:
            raise _Abort("pdf_invalid", f"more than {_MAX_WARNINGS} repairs needed")


@contextmanager
def _watched() -> Iterator[None]:
    logger = logging.getLogger("pypdf")
    watch = _Watch()
    logger.addHandler(watch)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(watch)


def _check_ends(path: str) -> None:
    with open(path, "rb") as f:
        head = f.read(1024)
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 2048))
        tail = f.read()
    if b"%PDF-" not in head:
        raise Refused("not_pdf")
    if b"%%EOF" not in tail:
        raise Refused("pdf_truncated")


def _outline_entries(outline: Any, depth: int = 0) -> int:
    if depth > 50:
        raise Refused("pdf_too_deep", "the outline is nested more than 50 levels")
    n = 0
    for entry in outline:
        n += _outline_entries(entry, depth + 1) if isinstance(entry, list) else 1
    return n


def _check_count(reader: PdfReader, max_pages: int) -> None:
    """Refuse at once a page tree that declares too many pages (true or not), before
    walking it."""
    tree = reader.root_object.get("/Pages")
    tree = tree.get_object() if tree is not None else None
    declared = tree.get("/Count") if isinstance(tree, DictionaryObject) else None
    if isinstance(declared, int) and declared > max_pages:
        raise Refused("pdf_too_many_pages", f"{declared} pages; at most {max_pages} are taken")


def intake(path: str, max_pages: int, max_text_chars: int) -> dict[str, Any]:
    """Read what an ingest reads (pages, text, outline) and return pages, title and texts."""
    _check_ends(path)
    with _watched():
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise Refused("pdf_encrypted")
        _check_count(reader, max_pages)
        pages = len(reader.pages)
        if pages == 0:
            raise Refused("pdf_invalid", "the PDF has no pages")
        if pages > max_pages:
            raise Refused("pdf_too_many_pages", f"{pages} pages; at most {max_pages} are taken")
        texts: list[str] = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            total += len(text)
            texts.append(text if total <= max_text_chars else "")
        _outline_entries(reader.outline)
        meta = reader.metadata
        title = meta.title if meta is not None else None
    title = " ".join(str(title).split())[:500] if title else None
    return {"pages": pages, "title": title or None, "texts": texts}


def stamp(path: str, lines: list[str], font_path: str) -> bytes:
    """The PDF with `lines` over every page: across it, large and faint, and at its foot."""
    from ._overlay import overlay_page

    with _watched():
        writer = PdfWriter(clone_from=PdfReader(path, strict=False))
        made: dict[tuple[int, int], Any] = {}
        for page in writer.pages:
            box = page.mediabox
            size = (round(float(box.width)), round(float(box.height)))
            if size not in made:
                made[size] = overlay_page(size, lines, font_path)
            page.merge_translated_page(made[size], float(box.left), float(box.bottom))
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


def ping() -> str:
    return "pong"


JOBS: dict[str, Callable[..., Any]] = {"intake": intake, "stamp": stamp, "ping": ping}


def _refusal(exc: BaseException) -> tuple[str, str]:
    """The refusal code and message for whatever stopped a job."""
    message = str(exc)[:300] or type(exc).__name__
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, MemoryError | RecursionError):
        cause = cause.__cause__ or cause.__context__  # pypdf wraps some of its failures
    exc = cause or exc
    if isinstance(exc, Refused | _Abort):
        return exc.code, exc.message
    if isinstance(exc, MemoryError):
        return "pdf_too_complex", "reading it needs more memory than allowed"
    if isinstance(exc, RecursionError):
        return "pdf_too_deep", "its objects are nested too deep"
    if isinstance(exc, FileNotDecryptedError):
        return "pdf_encrypted", message
    lowered = message.lower()
    if isinstance(exc, LimitReachedError):
        return ("pdf_too_deep" if "depth" in lowered else "pdf_too_complex"), message
    if "cycl" in lowered:
        return "pdf_cyclic", message
    return "pdf_invalid", f"{type(exc).__name__}: {message}"


def child_main(
    job: str, args: tuple[Any, ...], memory_bytes: int, seconds: float, conn: Connection
) -> None:
    """The worker's entry: set the limits, run the job, send ("ok", value) or
    ("refused", code, message). Never raises."""
    try:
        os.nice(10)  # the server's own work (votes) goes first
        cpu = max(1, int(seconds) + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        reply: tuple[Any, ...] = ("ok", JOBS[job](*args))
    except BaseException as exc:  # every failure is a refusal, whatever raised it
        reply = ("refused", *_refusal(exc))
    try:
        conn.send(reply)
    except BaseException as exc:  # e.g. MemoryError pickling a huge result
        conn.send(("refused", *_refusal(exc)))
    finally:
        conn.close()
