"""PDF intake and watermarks, each in a fresh worker process with limits.

`check_pdf` reads an uploaded file the way an ingest does (page count, every page's text,
the outline, the title) and refuses it with a `Refused` code when it is not a PDF, is
encrypted, truncated, too large once decompressed, nested too deep, cyclic, or too slow to
read. `stamp_pdf` returns a copy with a watermark on every page.

Both block the calling thread (call them through `asyncio.to_thread`) while the work runs
in a child forked from a fork server that has pypdf loaded. The child's memory is bounded
with `RLIMIT_AS`, its CPU with `RLIMIT_CPU`; the parent kills it at the wall-time limit.
Any exception, crash or timeout in the child is a refusal: nothing it read is trusted.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Any

from ._errors import Refused
from ._jobs import child_main

__all__ = ["PdfLimits", "check_pdf", "stamp_pdf", "warm_up"]


@dataclass(frozen=True, slots=True)
class PdfLimits:
    """Security limits of one PDF job (each is a named server setting)."""

    max_pages: int = 2000
    """More pages than this: `pdf_too_many_pages`."""
    memory_bytes: int = 1 << 30
    """The worker's address space (RLIMIT_AS); past it: `pdf_too_complex`."""
    seconds: float = 60.0
    """Wall time of one job, start to answer; past it the worker is killed: `pdf_timeout`."""
    max_text_chars: int = 20_000_000
    """Text kept from one PDF; pages past it are still read, their text is dropped."""


_lock = threading.Lock()
_context: ForkServerContext | None = None


def _ctx() -> ForkServerContext:
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["docs_store._jobs", "docs_store._overlay"])
            _context = ctx
        return _context


def _run(job: str, args: tuple[Any, ...], limits: PdfLimits) -> Any:
    ctx = _ctx()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=child_main,
        args=(job, args, limits.memory_bytes, limits.seconds, sender),
        name=f"docs-store-{job}",
        daemon=True,
    )
    try:
        child.start()
        sender.close()
        if not receiver.poll(limits.seconds):
            raise Refused("pdf_timeout", f"reading the PDF took more than {limits.seconds:g} s")
        try:
            reply = receiver.recv()
        except (EOFError, OSError):
            child.join(1.0)
            raise _died(child.exitcode) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if reply[0] == "ok":
        return reply[1]
    raise Refused(reply[1], reply[2])


def _died(exitcode: int | None) -> Refused:
    if exitcode == -signal.SIGXCPU:
        return Refused("pdf_timeout", "reading the PDF used more CPU time than allowed")
    return Refused("pdf_invalid", f"the PDF reader crashed (exit code {exitcode})")


def warm_up() -> None:
    """Start the fork server (it loads pypdf once), so the first upload does not wait."""
    _run("ping", (), PdfLimits(seconds=60.0))


def check_pdf(path: Path, limits: PdfLimits) -> dict[str, Any]:
    """`{"pages": n, "title": str | None, "texts": [one string per page]}`, or `Refused`."""
    with open(path, "rb") as f:
        if b"%PDF-" not in f.read(1024):
            raise Refused("not_pdf")  # spares a worker for the commonest mistake
    result: dict[str, Any] = _run(
        "intake", (str(path), limits.max_pages, limits.max_text_chars), limits
    )
    return result


def stamp_pdf(path: Path, lines: list[str], font: Path, limits: PdfLimits) -> bytes:
    """A copy of the PDF at `path` with `lines` stamped on every page, in the TrueType
    `font` (which must cover the text: DejaVu Sans covers Vietnamese)."""
    data: bytes = _run("stamp", (str(path), list(lines), str(font)), limits)
    return data
