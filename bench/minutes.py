"""The minutes of a whole session: how long building them (JSON and PDF), sealing them and
verifying the sealed bundle take, in-process and through the real server.

The sitting (`bench/minutes_sitting.py`): 95 delegates, 102 named votes, 20 speeches,
10 questions, 106 papers (6,000 pages, about 47 MiB), some 20,000 events. Goal (from the
issue): the minutes' build and the bundle's verification each under 3 s on this machine.

1. In-process, each phase `--repeat` times (the table gives the median and the best):
   folding the log, the minutes as JSON (fold, projection, canonical JSON), as PDF, as
   HTML, the bundle (minutes, log, the 106 papers, manifest, canonical zip), its offline
   verification (`verify_bundle`), the three open-data exports, the search entries.
2. Through `python -m meeting serve` on a data folder holding the same log and papers:
   `GET …/minutes` (JSON, PDF), `POST …/minutes/seal`, `GET …/minutes/bundle` and its
   verification here, the exports, and search (the first one waits for the whole session
   to be indexed, page texts included).

Run it from the repository root: `.venv/bin/python -m bench.minutes` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.minutes_sitting import Session, generate
from bench.servers import ROOT, Child
from meeting.domain import fold
from meeting.domain.model import Audience
from meeting.minutes import build
from meeting.minutes.bundle import canonical_json, make_bundle
from meeting.minutes.exports import akn, oparl, popolo
from meeting.minutes.html import render_html
from meeting.minutes.pdf import render_pdf
from meeting.minutes.search import index_entries
from meeting.minutes.verify import verify_bundle

__all__ = ["main"]

BEGIN, END = "<!-- minutes-results:begin -->", "<!-- minutes-results:end -->"
PASSWORD = "bench-mật-khẩu"
GOAL = 3.0


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), value


def in_process(s: Session, repeat: int) -> list[tuple[str, float, float, str]]:
    rows: list[tuple[str, float, float, str]] = []

    def add(name: str, fn: Callable[[], Any], note: Callable[[Any], str] = lambda _: "") -> Any:
        median, best, value = _timed(fn, repeat)
        rows.append((name, median, best, note(value)))
        return value

    add("fold the log", lambda: fold(s.log), lambda _: f"{len(s.log)} events")
    minutes = add(
        "minutes JSON (fold + build + encode)",
        lambda: canonical_json(build(s.log)),
        lambda v: f"{len(v) / 1024:.0f} KiB",
    )
    doc = json.loads(minutes)
    add("minutes PDF (render)", lambda: render_pdf(doc), lambda v: f"{len(v) / 1024:.0f} KiB")
    add("minutes HTML (render)", lambda: render_html(doc), lambda v: f"{len(v) / 1024:.0f} KiB")
    add("minutes PDF (fold + build + render)", lambda: render_pdf(build(s.log)))
    bundle = add(
        "bundle (minutes, log, papers, zip)",
        lambda: make_bundle(s.rows, s.papers),
        lambda b: f"{len(b.data) / 2**20:.1f} MiB",
    )
    add(
        "bundle verification (offline)",
        lambda: verify_bundle(bundle.data, bundle.manifest_sha256),
        lambda p: "sound" if p == [] else f"PROBLEMS: {p[:2]}",
    )
    state = s.state
    add("export: Popolo (staff)", lambda: popolo(state, Audience.STAFF))
    add("export: OParl (staff)", lambda: oparl(state, Audience.STAFF, "http://127.0.0.1"))
    add(
        "export: Akoma Ntoso (staff)",
        lambda: akn(state, Audience.STAFF),
        lambda v: f"{len(v) / 1024:.0f} KiB",
    )
    add("search entries (projection)", lambda: index_entries(state), lambda v: f"{len(v)}")
    return rows


def _page_texts(title: str, pages: int) -> list[str]:
    """What pypdf would give of each page: about 1 KiB of Vietnamese text."""
    line = "Hội đồng nhân dân tỉnh xem xét dự thảo nghị quyết về ngân sách, đầu tư công. "
    return [f"{title} — trang {n}. " + line * 12 for n in range(1, pages + 1)]


async def cold_index(s: Session) -> tuple[str, float, float, str]:
    """Writing the whole session into an empty search index (SQLite FTS5), page texts too."""
    from meeting.store import Store

    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        store = await Store.open(f"sqlite+aiosqlite:///{tmp}/index.db")
        try:
            entries = index_entries(s.state)
            texts = {sha: "\n".join(_page_texts(*s.titles[sha])) for sha in s.papers}
            start = time.perf_counter()
            await store.search.write(s.meeting_id, None, s.state.seq, entries, (), (), texts)
            spent = time.perf_counter() - start
        finally:
            await store.close()
    mib = sum(len(t.encode()) for t in texts.values()) / 2**20
    return (
        "search index, cold: the whole session (SQLite)",
        spent,
        spent,
        f"{len(entries)} entries, {mib:.1f} MiB of text",
    )


async def _provision(data: Path, s: Session) -> None:
    from docs_store import FileStore
    from meeting.api.auth import Authenticator
    from meeting.cli.provision import put_user
    from meeting.settings import Settings
    from meeting.store import LoggedEvent, Store

    settings = Settings(data_dir=data)
    store = await Store.open(settings.sqlalchemy_url)
    try:
        auth = Authenticator(store.accounts, token_ttl=3600, time_cost=1, memory_kib=1024)
        for uid in ("clerk", "chair"):
            await put_user(store, auth, uid, uid, PASSWORD, now="2026-12-01T07:00:00.000Z")
        rows = [LoggedEvent(e, h) for e, h in s.rows]
        state = s.state
        await store.log.append(
            s.meeting_id,
            0,
            rows,
            [],
            [],
            status=state.status.value,
            title=state.title,
            body_id=state.body.id,
        )
    finally:
        await store.close()
    documents = FileStore(data / "documents")
    for sha, content in s.papers.items():
        title, pages = s.titles[sha]
        upload = documents.begin(len(content))
        upload.write(content)
        upload.finish()
        text = _page_texts(title, pages)
        documents.commit(upload, {"pages": pages, "title": title, "texts": text})


async def through_server(s: Session, repeat: int) -> list[tuple[str, float, float, str]]:
    rows: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-minutes-") as tmp:
        data = Path(tmp)
        await _provision(data, s)
        env = {**os.environ, "MEETING_LOG_LEVEL": "warning"}
        child = Child(
            [
                str(ROOT / ".venv/bin/python"),
                "-m",
                "meeting",
                "--data",
                str(data),
                "serve",
                "--port",
                "{port}",
            ],
            env,
        )
        started = time.perf_counter()
        await child.start(seconds=300)
        rows.append(
            (
                "server start (load and check the log)",
                time.perf_counter() - started,
                time.perf_counter() - started,
                "",
            )
        )
        base = f"http://127.0.0.1:{child.port}"
        try:
            async with httpx.AsyncClient(base_url=base, timeout=600) as http:
                login = {"username": "clerk", "password": PASSWORD}
                token = (await http.post("/api/auth/login", json=login)).json()["token"]
                auth = {"Authorization": f"Bearer {token}"}
                url = f"/api/meetings/{s.meeting_id}"

                async def timed(
                    name: str, method: str, path: str, times: int = repeat, **kw: Any
                ) -> httpx.Response:
                    spent, answer = [], None
                    for _ in range(times):
                        start = time.perf_counter()
                        answer = await http.request(method, path, headers=auth, **kw)
                        spent.append(time.perf_counter() - start)
                        assert answer.status_code == 200, (path, answer.text[:300])
                    assert answer is not None
                    kib = len(answer.content) / 1024
                    size = f"{kib:.0f} KiB" if kib >= 1 else ""
                    rows.append((name, statistics.median(spent), min(spent), size))
                    return answer

                await timed(
                    "search, first (waits for the index)",
                    "GET",
                    "/api/search",
                    1,
                    params={"q": "nghi quyet"},
                )
                await timed(
                    "search, warm",
                    "GET",
                    "/api/search",
                    max(repeat, 5),
                    params={"q": "giai ngan von dau tu", "limit": 20},
                )
                await timed("GET minutes JSON", "GET", f"{url}/minutes")
                await timed("GET minutes PDF", "GET", f"{url}/minutes", params={"format": "pdf"})
                for name in ("popolo", "oparl", "akn"):
                    await timed(f"GET export {name}", "GET", f"{url}/export/{name}")
                sealed = await timed(
                    "POST minutes/seal (bundle with the papers)", "POST", f"{url}/minutes/seal", 1
                )
                manifest = sealed.json()["manifest_sha256"]
                bundle = await timed("GET minutes/bundle", "GET", f"{url}/minutes/bundle", 1)
                median, best, problems = _timed(
                    lambda: verify_bundle(bundle.content, manifest), repeat
                )
                rows.append(
                    (
                        "verify the downloaded bundle (here)",
                        median,
                        best,
                        "sound" if problems == [] else f"PROBLEMS {problems[:2]}",
                    )
                )
        finally:
            await child.stop()
    return rows


def _table(rows: list[tuple[str, float, float, str]]) -> list[str]:
    out = ["| phase | median | best | |", "| --- | ---: | ---: | --- |"]
    out += [f"| {n} | {m:.3f} s | {b:.3f} s | {note} |" for n, m, b, note in rows]
    return out


def report(s: Session, local: list[Any], served: list[Any], repeat: int, argv: str) -> str:
    votes = len(s.state.votes.by_id)
    pages = sum(p for _, p in s.titles.values())
    mib = sum(len(b) for b in s.papers.values()) / 2**20
    head = (
        f"{len(s.state.delegates)} delegates, {votes} named votes, "
        f"{len(s.state.floor.speeches)} speeches, {len(s.state.floor.questions)} questions, "
        f"{len(s.papers)} papers ({pages} pages, {mib:.1f} MiB): {len(s.log)} events."
    )
    build_s = next(r[1] for r in local if r[0].startswith("minutes PDF (fold"))
    verify_s = next(r[1] for r in local if r[0].startswith("bundle verification"))
    json_s = next(r[1] for r in local if r[0].startswith("minutes JSON"))
    verdict = (
        f"Goal (under {GOAL:g} s each): the minutes built in **{json_s:.2f} s** as JSON and in "
        f"**{build_s:.2f} s** as PDF (fold, build and render), the bundle verified in "
        f"**{verify_s:.2f} s**."
    )
    cpu = platform.processor() or platform.machine()
    lines = [
        BEGIN,
        head,
        "",
        "In-process (`--repeat " + str(repeat) + "`):",
        "",
        *_table(local),
        "",
    ]
    if served:
        lines += [
            "Through the server (`python -m meeting serve`, SQLite, default settings):",
            "",
            *_table(served),
            "",
        ]
    lines += [
        verdict,
        "",
        f"Python {platform.python_version()}, {cpu}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end; `{argv}`.",
        END,
    ]
    return "\n".join(lines)


def _write_doc(path: Path, text: str) -> None:
    doc = path.read_text(encoding="utf-8")
    if BEGIN in doc:
        doc = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: text, doc, flags=re.S)
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.minutes", description=__doc__)
    parser.add_argument("--delegates", type=int, default=95)
    parser.add_argument("--votes", type=int, default=102)
    parser.add_argument("--speeches", type=int, default=20)
    parser.add_argument("--papers", type=int, default=106)
    parser.add_argument("--pages", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-server", action="store_true", help="in-process phases only")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument("--doc", type=Path, help="write the tables into this Markdown file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    s = generate(args.delegates, args.votes, args.speeches, args.papers, pages=args.pages)
    print(f"sitting generated in {time.perf_counter() - started:.1f} s: {len(s.log)} events")
    local = in_process(s, args.repeat)
    local.append(asyncio.run(cold_index(s)))
    print("\n".join(_table(local)))
    served = [] if args.no_server else asyncio.run(through_server(s, args.repeat))
    if served:
        print("\n".join(_table(served)))
    command = "python -m bench.minutes " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(s, local, served, args.repeat, command.strip())
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"in_process": local, "server": served}, indent=2))
    if args.doc:
        _write_doc(args.doc, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
