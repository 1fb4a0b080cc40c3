"""Papers on every tablet: the hall downloads a session's papers at once; our server next
to nginx (one worker, sendfile) serving the same files, in the same run.

Phases, each with every tablet on its own keep-alive connection:

1. full: every tablet downloads all the papers (106 papers, about 6,000 pages), in agenda
   order, one after another (after one tablet's warm-up pass);
2. ranges: every tablet reads the 200-page paper the way PDF.js does, in 64 KiB pieces;
3. revalidation: every tablet asks again for every paper with the ETag it got (all 304).

Reported per phase: throughput, time to first byte (p50, p99), and the server process's
CPU per MiB and per request; the intake's pages per second from the uploads. Run it from
the repository root: `.venv/bin/python -m bench.papers` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import platform
import re
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.http_load import Answer, Tablet, percentile
from bench.papers_gen import Paper, session
from bench.papers_targets import MeetingPapers, NginxPapers, paper_path
from bench.procstat import cpu_seconds, raise_fd_limit

__all__ = ["main"]

PIECE = 64 * 1024
MiB = 1024 * 1024
BEGIN, END = "<!-- papers-results:begin -->", "<!-- papers-results:end -->"


@dataclass
class Phase:
    server: str
    phase: str
    requests: int
    mib: float
    seconds: float
    cpu: float
    ttfb_p50_ms: float
    ttfb_p99_ms: float

    @property
    def mib_s(self) -> float:
        return self.mib / self.seconds

    @property
    def req_s(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms_per_mib(self) -> float:
        return 1000 * self.cpu / self.mib if self.mib else float("nan")

    @property
    def cpu_us_per_request(self) -> float:
        return 1e6 * self.cpu / self.requests


async def _phase(name: str, server: Any, tablets: list[Tablet],
                 plan: list[list[tuple[str, dict[str, str]]]], want: int) -> Phase:  # fmt: skip
    """Each tablet sends its list of requests in order; all tablets at once."""
    answers: list[list[Answer]] = [[] for _ in tablets]

    async def run(i: int) -> None:
        for path, headers in plan[i]:
            answers[i].append(await tablets[i].get(path, **headers))

    cpu0, started = cpu_seconds(server.pid), time.perf_counter()
    await asyncio.gather(*(run(i) for i in range(len(tablets))))
    seconds, cpu = time.perf_counter() - started, cpu_seconds(server.pid) - cpu0
    flat = [a for per in answers for a in per]
    wrong = [a.status for a in flat if a.status != want]
    if wrong:
        raise RuntimeError(f"{server.name} {name}: {len(wrong)} answers were {set(wrong)}")
    ttfb = [a.ttfb * 1000 for a in flat]
    server.answers = answers
    mib = sum(a.body for a in flat) / MiB
    return Phase(server.name, name, len(flat), mib, seconds, cpu,
                 percentile(ttfb, 50), percentile(ttfb, 99))  # fmt: skip


async def measure(server: Any, papers: list[Paper], rounds: int) -> list[Phase]:
    paths = [paper_path(hashlib.sha256(p.data).hexdigest()) for p in papers]
    tablets = [Tablet(server.port, {"Authorization": f"Bearer {t}"}) for t in server.tokens]
    for tablet in tablets:
        await tablet.connect()
    try:
        for path in paths:  # warm-up: one tablet reads everything once
            await tablets[0].get(path)
        full = [[(p, {}) for p in paths] for _ in tablets]
        phases = [await _phase("full", server, tablets, full, 200)]
        etags = [{p: a.etag for p, a in zip(paths, per, strict=True)} for per in server.answers]
        long = paths[0]  # the 200-page paper
        size = len(papers[0].data)
        pieces = [(s, min(s + PIECE, size) - 1) for s in range(0, size, PIECE)]
        ranged = [
            [(long, {"Range": f"bytes={a}-{b}"}) for a, b in pieces] * rounds for _ in tablets
        ]
        phases.append(await _phase("ranges", server, tablets, ranged, 206))
        again = [[(p, {"If-None-Match": etags[i][p]}) for p in paths] for i in range(len(tablets))]
        phases.append(await _phase("revalidation", server, tablets, again, 304))
        return phases
    finally:
        for tablet in tablets:
            await tablet.close()


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "–"


def report(phases: list[Phase], intake: Any, args: argparse.Namespace, papers: list[Paper]) -> str:
    by = {(p.server, p.phase): p for p in phases}
    total = sum(len(p.data) for p in papers) / MiB
    lines = [
        f"{len(papers)} papers, {sum(p.pages for p in papers)} pages, {total:.1f} MiB "
        f"(the long one: {papers[0].pages} pages, {len(papers[0].data) / MiB:.2f} MiB); "
        f"{args.tablets} tablets; ranges: {args.rounds} reads of the long paper per tablet "
        f"in {PIECE // 1024} KiB pieces.",
        "",
        "| phase | server | requests | MiB/s | req/s | TTFB p50 | TTFB p99 | CPU ms/MiB "
        "| CPU µs/req |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in phases:
        lines.append(
            f"| {p.phase} | {p.server} | {p.requests} | {p.mib_s:.0f} | {p.req_s:.0f} "
            f"| {p.ttfb_p50_ms:.1f} ms | {p.ttfb_p99_ms:.1f} ms | {p.cpu_ms_per_mib:.2f} "
            f"| {p.cpu_us_per_request:.0f} |"
        )
    lines += ["", "| ratio (ours ÷ nginx) | throughput | CPU per MiB | CPU per request | goal |",
              "| --- | ---: | ---: | ---: | --- |"]  # fmt: skip
    goals = {"full": "≥ 0.6× throughput, ≤ 2× CPU/MiB", "ranges": "≤ 3× CPU/request",
             "revalidation": "≤ 3× CPU/request"}  # fmt: skip
    for phase in ("full", "ranges", "revalidation"):
        ours, theirs = by.get(("meeting", phase)), by.get(("nginx", phase))
        if ours is None or theirs is None:
            continue
        lines.append(
            f"| {phase} | {_ratio(ours.req_s, theirs.req_s)} "
            f"| {_ratio(ours.cpu_ms_per_mib, theirs.cpu_ms_per_mib) if ours.mib else '–'} "
            f"| {_ratio(ours.cpu_us_per_request, theirs.cpu_us_per_request)} | {goals[phase]} |"
        )
    if intake is not None:
        lines += ["", f"PDF intake through `POST …/papers`: {intake.pages} pages in "
                  f"{intake.seconds:.1f} s with {intake.workers} workers: "
                  f"**{intake.pages_per_second:.0f} pages/s**."]  # fmt: skip
    import uvicorn

    lines += ["", f"Python {platform.python_version()}, uvicorn {uvicorn.__version__}, "
              f"{platform.machine()}, `{' '.join(args.argv)}`."]  # fmt: skip
    return "\n".join(lines) + "\n"


def write_doc(path: Path, text: str) -> None:
    doc = path.read_text(encoding="utf-8")
    if BEGIN not in doc:
        raise SystemExit(f"{path} has no {BEGIN} … {END} block")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    path.write_text(pattern.sub(lambda _: f"{BEGIN}\n{text}{END}", doc), encoding="utf-8")


async def run(args: argparse.Namespace) -> tuple[str, list[Phase], Any]:
    raise_fd_limit(4096)
    papers = session(args.papers, args.pages, args.page_kib)
    phases: list[Phase] = []
    intake = None
    with tempfile.TemporaryDirectory(prefix="bench-papers-") as tmp:
        for name in args.servers.split(","):
            if name == "meeting":
                ours = MeetingPapers(Path(tmp), args.tablets, args.pdf_workers)
                try:
                    await ours.start(papers)
                    intake = ours.intake
                    phases += await measure(ours, papers, args.rounds)
                finally:
                    await ours.stop()
            elif name == "nginx":
                nginx = NginxPapers(Path(tmp))
                try:
                    await nginx.start(papers, args.tablets)
                    phases += await measure(nginx, papers, args.rounds)
                finally:
                    await nginx.stop()
    return report(phases, intake, args, papers), phases, intake


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.papers", description=__doc__)
    parser.add_argument("--tablets", type=int, default=95)
    parser.add_argument("--papers", type=int, default=106)
    parser.add_argument("--pages", type=int, default=6000, help="pages in all")
    parser.add_argument("--page-kib", type=float, default=8.0, help="average page weight")
    parser.add_argument("--rounds", type=int, default=4, help="reads of the long paper")
    parser.add_argument("--pdf-workers", type=int, default=2)
    parser.add_argument("--servers", default="meeting,nginx")
    parser.add_argument("--json", help="write the raw figures here")
    parser.add_argument("--doc", help="write the results into this Markdown file's block")
    parser.add_argument("--quick", action="store_true", help="20 tablets, 30 papers, 1500 pages")
    args = parser.parse_args(argv)
    args.argv = ["python -m bench.papers", *(argv if argv is not None else [])]
    if args.quick:
        args.tablets, args.papers, args.pages, args.rounds = 20, 30, 1500, 1
    text, phases, intake = asyncio.run(run(args))
    print(text)
    if args.json:
        raw = {"phases": [asdict(p) for p in phases], "intake": vars(intake) if intake else None}
        Path(args.json).write_text(json.dumps(raw, indent=2))
    if args.doc:
        write_doc(Path(args.doc), text)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
