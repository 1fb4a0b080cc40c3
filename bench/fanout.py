"""Fan-out benchmark: N tablets on a real server, the chair sends K events of ~1 KiB.

For each N it runs our server (`python -m meeting serve`, fresh data folder) and then a
minimal `websockets` server (`bench.raw_server`) in child processes, one at a time, and
measures for each:

- fan-out completion latency: from the chair sending the command to the moment the last
  tablet has the event (p50 and p99 over the K events);
- the server's CPU time (utime + stime from /proc/PID/stat) per delivered event;
- the server's resident memory (VmRSS) per idle connection.

    .venv/bin/python -m bench.fanout                # N = 500, 1000, 5000; K = 100
    .venv/bin/python -m bench.fanout --quick        # N = 200, K = 5: a smoke run
    .venv/bin/python -m bench.fanout -n 1000 -k 50 --doc docs/performance.md

See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import platform
import resource
import shlex
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from websockets.asyncio.client import ClientConnection

from bench.loadgen import Recorder, Tablet, connect_tablets, drop, open_chair, open_tablet
from bench.procstat import cpu_seconds, cpu_ticks_seconds, raise_fd_limit, rss_kib
from bench.servers import MeetingTarget, RawTarget, Target, provision

__all__ = ["main"]

EVENT_SECONDS = 60.0
"""Longest wait for one event to reach every tablet before the run is called failed."""
WARMUP_GAP = 0.05
"""Seconds between warm-up events."""
GOAL_CPU_RATIO = 1.3
GOAL_KIB_PER_CONNECTION = 32.0
DOC_BEGIN = "<!-- fanout-results:begin -->"
DOC_END = "<!-- fanout-results:end -->"


class Interrupted(Exception):
    """SIGINT or SIGTERM: the servers are stopped and the benchmark ends."""


_stopping: list[int] = []


def _stop(task: asyncio.Task[list[Run]]) -> None:
    _stopping.append(1)
    task.cancel()


def _check_stop() -> None:
    if _stopping:
        raise Interrupted("interrupted")


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks; `q` in [0, 100]."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass
class Phase:
    """K events sent one after another, each waited for on every tablet."""

    events: int = 0
    completion_ms: list[float] = field(default_factory=list)
    delivery_p50_ms: float = 0.0
    delivery_p99_ms: float = 0.0
    server_cpu_s: float = 0.0
    server_cpu_ticks_s: float = 0.0
    """The same from utime + stime of /proc/PID/stat (10 ms ticks), as a cross-check."""
    loadgen_cpu_s: float = 0.0
    wall_s: float = 0.0
    missing: int = 0
    last_seq: int = 0

    @property
    def p50(self) -> float:
        return percentile(self.completion_ms, 50)

    @property
    def p99(self) -> float:
        return percentile(self.completion_ms, 99)


@dataclass
class Stall:
    """The same events twice: without, then with one tablet that never reads."""

    frame_bytes: int
    before: Phase
    during: Phase
    outcome: str


@dataclass
class Run:
    server: str
    n: int
    k: int
    frame_bytes: int = 0
    connect_s: float = 0.0
    idle_cpu_ms_per_event: float = 0.0
    idle_ack_ms: float = 0.0
    rss_before_kib: int = 0
    rss_after_kib: int = 0
    phase: Phase = field(default_factory=Phase)
    stall: Stall | None = None

    @property
    def cpu_us_per_delivery(self) -> float:
        return self.phase.server_cpu_s / (self.n * max(self.phase.events, 1)) * 1e6

    @property
    def kib_per_connection(self) -> float:
        return (self.rss_after_kib - self.rss_before_kib) / self.n


@dataclass
class Summary:
    """The runs of one server at one N (several with --repeat): medians, pooled latencies."""

    server: str
    n: int
    runs: list[Run]

    def median(self, value: Callable[[Run], float]) -> float:
        return statistics.median(value(r) for r in self.runs)

    @property
    def completion_ms(self) -> list[float]:
        return [c for r in self.runs for c in r.phase.completion_ms]

    @property
    def cpu_us(self) -> float:
        return self.median(lambda r: r.cpu_us_per_delivery)

    @property
    def kib(self) -> float:
        return self.median(lambda r: r.kib_per_connection)

    @property
    def fanout_us(self) -> float:
        """CPU per delivery without the fixed cost of an event (measured with no tablets)."""
        return self.median(lambda r: r.cpu_us_per_delivery - r.idle_cpu_ms_per_event * 1e3 / r.n)


def summaries(runs: list[Run]) -> list[Summary]:
    groups: dict[tuple[str, int], list[Run]] = {}
    for r in runs:
        groups.setdefault((r.server, r.n), []).append(r)
    order = {"meeting": 0}
    keys = sorted(groups, key=lambda key: (key[1], order.get(key[0], 1)))
    return [Summary(server, n, groups[(server, n)]) for server, n in keys]


def _loadgen_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def _events(
    target: Target,
    chair: ClientConnection,
    rec: Recorder,
    n: int,
    k: int,
    prefix: str,
    first: int,
    after_each: Callable[[int], None] | None = None,
) -> Phase:
    """Send `k` events; for each, wait until all `n` recording tablets have it."""
    pid = target.child.pid
    phase = Phase()
    deliveries: list[float] = []
    ticks0 = cpu_ticks_seconds(pid)
    cpu0, lg0, wall0 = cpu_seconds(pid), _loadgen_cpu(), time.perf_counter()
    for j in range(k):
        _check_stop()
        sent, seq = await target.round(chair, f"{prefix}{j}", first + j)
        phase.last_seq = seq
        complete = await rec.wait_for(seq, n, EVENT_SECONDS)
        times = rec.arrivals.pop(seq, [])
        phase.events += 1
        if times:
            phase.completion_ms.append((max(times) - sent) * 1e3)
            deliveries.extend((t - sent) * 1e3 for t in times)
        if not complete:
            phase.missing += n - len(times)
            break  # the server (or this machine) is stuck: stop, and say so
        if after_each is not None:
            after_each(j)
    phase.server_cpu_s = cpu_seconds(pid) - cpu0
    phase.server_cpu_ticks_s = cpu_ticks_seconds(pid) - ticks0
    phase.loadgen_cpu_s = _loadgen_cpu() - lg0
    phase.wall_s = time.perf_counter() - wall0
    phase.delivery_p50_ms = percentile(deliveries, 50)
    phase.delivery_p99_ms = percentile(deliveries, 99)
    return phase


async def _stalled_outcome(stalled: Tablet, last_seq: int, seconds: float = 15.0) -> str:
    """Let the stalled tablet read again: what does it get?"""
    rec = Recorder()
    stalled.resume(rec)
    got = asyncio.ensure_future(rec.wait_for(last_seq, 1, seconds))
    closed = stalled.reader.closed
    await asyncio.wait({got, closed}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    got.cancel()
    await asyncio.gather(got, return_exceptions=True)
    if rec.received(last_seq):
        return f"then read all {rec.frames} frames"
    if closed.done() or stalled.reader.close_code is not None:
        code = stalled.reader.close_code
        end = f"close code {code}" if code is not None else "a reset"
        return f"then read {rec.frames} frames (what the kernel held) and {end}"
    return f"then read {rec.frames} frames in {seconds:.0f} s, not the last one"


@contextlib.asynccontextmanager
async def _py_spy(pid: int, folder: Path | None, name: str) -> AsyncIterator[None]:
    """Sample the server with py-spy while the block runs (when `folder` is given)."""
    if folder is None:
        yield
        return
    out = folder / f"{name}-{int(time.time())}.txt"
    spy = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("py-spy")),
        *("record", "--pid", str(pid), "--rate", "250", "--format", "raw", "--output", str(out)),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await asyncio.sleep(1.0)  # let it attach
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        try:
            await asyncio.wait_for(spy.wait(), 30)
        except TimeoutError:
            spy.kill()
            await spy.wait()
        print(f"  py-spy samples: {out}", file=sys.stderr, flush=True)


async def _stall_test(
    target: Target,
    chair: ClientConnection,
    rec: Recorder,
    n: int,
    k: int,
    frame_bytes: int,
    first: int,
    stalled: list[Tablet],
) -> Stall:
    """`k` events, then `k` more while one extra tablet never reads; was it dropped?

    Bigger frames than the main test, so that the stalled tablet's backlog passes what
    the kernel buffers (a few MiB on loopback) and the server's limit well within the
    servers' keepalive timeout (a ping after 20 s, 20 s for the pong).
    """
    target.resize(frame_bytes)
    before = await _events(target, chair, rec, n, k, "a", first)
    if before.missing:
        return Stall(target.frame_bytes, before, Phase(), "not run (events missing)")
    token = target.tokens(1)[0]
    stalled.append(await open_tablet(target.url, token, Recorder(), stalled=True))
    tablet, since = stalled[0], time.perf_counter()
    gone: list[str] = []

    def check(j: int) -> None:
        if not gone and not tablet.server_kept():
            mib = (j + 1) * target.frame_bytes / 2**20
            elapsed = time.perf_counter() - since
            gone.append(f"dropped after {j + 1} events ({mib:.1f} MiB sent, {elapsed:.1f} s)")

    during = await _events(target, chair, rec, n, k, "b", first + k, check)
    outcome = "not checked (events missing)"
    if not during.missing:
        outcome = await _stalled_outcome(tablet, during.last_seq)
        outcome = f"{gone[0] if gone else 'kept'}; {outcome}"
    return Stall(target.frame_bytes, before, during, outcome)


async def measure(
    target: Target,
    n: int,
    k: int,
    *,
    warmup: int,
    settle: float,
    stall_k: int = 0,
    stall_bytes: int = 16 * 1024,
    profile: Path | None = None,
) -> Run:
    run = Run(target.name, n, k)
    tablets: list[Tablet] = []
    stalled: list[Tablet] = []
    chair = None
    await target.start()
    try:
        pid = target.child.pid
        chair, welcome = await open_chair(target.url, target.chair_token)
        await target.prepare(chair, welcome)
        # Warm-up with the chair alone: the fixed cost of an event (commit, ack).
        cpu0 = cpu_seconds(pid)
        acks = []
        for i in range(warmup):
            sent, _ = await target.round(chair, f"warm{i}", i)
            acks.append((time.perf_counter() - sent) * 1e3)
            # Spaced like the measured events, so that work the server does after a
            # commit (e.g. indexing) is done once per event here too, not once per burst.
            await asyncio.sleep(WARMUP_GAP)
        if warmup:
            run.idle_cpu_ms_per_event = (cpu_seconds(pid) - cpu0) / warmup * 1e3
            run.idle_ack_ms = statistics.median(acks)
        await asyncio.sleep(settle)
        run.rss_before_kib = rss_kib(pid)

        rec = Recorder()
        t0 = time.perf_counter()
        tablets = await connect_tablets(target.url, target.tokens(n), n, rec)
        run.connect_s = time.perf_counter() - t0
        await asyncio.sleep(settle)
        run.rss_after_kib = rss_kib(pid)

        first = warmup
        async with _py_spy(pid, profile, f"{target.name.replace(' ', '-')}-{n}"):
            run.phase = await _events(target, chair, rec, n, k, "ev", first)
        run.frame_bytes = target.frame_bytes
        first += k

        if stall_k and not run.phase.missing:
            run.stall = await _stall_test(
                target, chair, rec, n, stall_k, stall_bytes, first, stalled
            )
    finally:
        drop(tablets)
        drop(stalled)
        if chair is not None:
            chair.transport.abort()
        await target.stop()
    return run


# -- reporting ----------------------------------------------------------------------------


def _fmt(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


def table(runs: list[Run]) -> list[list[str]]:
    rows = [
        [
            "server",
            "N",
            "events",
            "frame B",
            "fan-out p50 ms",
            "fan-out p99 ms",
            "tablet p50 ms",
            "CPU µs/delivery",
            "KiB/conn",
            "CPU ms/event, no tablets",
            "server CPU %",
            "loadgen CPU %",
        ]
    ]
    for s in summaries(runs):
        completion = s.completion_ms
        missing = sum(r.phase.missing for r in s.runs)
        cpu = _fmt(s.cpu_us, 2)
        if len(s.runs) > 1:
            low = min(r.cpu_us_per_delivery for r in s.runs)
            high = max(r.cpu_us_per_delivery for r in s.runs)
            cpu += f" ({low:.2f}–{high:.2f})"
        rows.append(
            [
                s.server,
                str(s.n),
                str(len(completion)) + (f" ({missing} deliveries missing)" if missing else ""),
                str(s.runs[-1].frame_bytes),
                _fmt(percentile(completion, 50)),
                _fmt(percentile(completion, 99)),
                _fmt(s.median(lambda r: r.phase.delivery_p50_ms)),
                cpu,
                _fmt(s.kib),
                _fmt(s.median(lambda r: r.idle_cpu_ms_per_event), 2),
                _fmt(s.median(lambda r: 100 * r.phase.server_cpu_s / r.phase.wall_s), 0),
                _fmt(s.median(lambda r: 100 * r.phase.loadgen_cpu_s / r.phase.wall_s), 0),
            ]
        )
    return rows


def ratios(runs: list[Run]) -> list[list[str]]:
    rows = [
        [
            "N",
            "CPU/delivery ours ÷ raw",
            "goal ≤ 1.3×",
            "same, fixed cost per event left out",
            "KiB/conn ours",
            "goal ≤ 32",
            "ours ÷ raw",
        ]
    ]
    by = {(s.server, s.n): s for s in summaries(runs)}
    for n in sorted({r.n for r in runs}):
        ours, raw = by.get(("meeting", n)), by.get(("raw websockets", n))
        if ours is None or raw is None:
            continue
        cpu = ours.cpu_us / raw.cpu_us
        cpu_goal = "met" if cpu <= GOAL_CPU_RATIO else "MISSED"
        if n < 1000:
            cpu_goal = f"({cpu_goal}: the goal is set for N ≥ 1000)"
        mem_goal = "met" if ours.kib <= GOAL_KIB_PER_CONNECTION else "MISSED"
        rows.append(
            [
                str(n),
                f"{cpu:.2f}×",
                cpu_goal,
                f"{ours.fanout_us / raw.fanout_us:.2f}×",
                f"{ours.kib:.1f}",
                mem_goal,
                f"{ours.kib / max(raw.kib, 1e-9):.2f}×",
            ]
        )
    return rows


def stall_table(runs: list[Run]) -> list[list[str]]:
    rows = [
        [
            "server",
            "N",
            "frame B, events per phase",
            "p50 / p99 ms, no stalled tablet",
            "p50 / p99 ms, 1 stalled tablet",
            "the stalled tablet",
        ]
    ]
    for r in runs:
        if r.stall is None:
            continue
        a, b = r.stall.before, r.stall.during
        rows.append(
            [
                r.server,
                str(r.n),
                f"{r.stall.frame_bytes}, {b.events}",
                f"{a.p50:.1f} / {a.p99:.1f}" + (f" ({a.missing} missing)" if a.missing else ""),
                f"{b.p50:.1f} / {b.p99:.1f}" + (f" ({b.missing} missing)" if b.missing else ""),
                r.stall.outcome,
            ]
        )
    return rows


def render_text(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for j, r in enumerate(rows):
        lines.append(
            "  ".join(
                c.rjust(w) if j and i else c.ljust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(" --- " for _ in rows[0]) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out)


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import os

    import uvicorn
    from websockets.version import version as websockets_version

    return (
        f"{os.cpu_count()} CPUs ({model or platform.machine()}), Linux {platform.release()}, "
        f"Python {platform.python_version()}, uvicorn {uvicorn.__version__}, "
        f"websockets {websockets_version}"
    )


def markdown_section(runs: list[Run], meta: dict[str, str]) -> str:
    event = meta.get("event", "edit")
    what = (
        "`agenda.edit_item` with a fresh ~1 KiB description each time (one `agenda.item_edited` "
        "event per frame)"
        if event == "edit"
        else "`agenda.open_item` (an `agenda.item_closed` + `agenda.item_opened` frame)"
    )
    parts = [
        f"Run of {meta.get('started', '?')} on {meta.get('machine', '?')}.",
        "",
        "```",
        meta["command"],
        "```",
        "",
        f"Events: {what}. The raw baseline broadcasts frames of the same size.",
        "",
        render_markdown(table(runs)),
        "",
        "Ratios against the raw `websockets` baseline of the same run:",
        "",
        render_markdown(ratios(runs)),
    ]
    if any(r.stall for r in runs):
        parts += ["", "Stalled client:", "", render_markdown(stall_table(runs))]
    return "\n".join(parts)


def load_runs(path: Path) -> tuple[dict[str, str], list[Run]]:
    """The runs saved by --json, and what was recorded about them."""
    saved = json.loads(path.read_text())
    runs = []
    for raw in saved["runs"]:
        raw = {k: v for k, v in raw.items() if k in Run.__dataclass_fields__}
        raw["phase"] = Phase(**raw["phase"])
        if raw.get("stall"):
            st = raw["stall"]
            raw["stall"] = Stall(
                st["frame_bytes"], Phase(**st["before"]), Phase(**st["during"]), st["outcome"]
            )
        runs.append(Run(**raw))
    meta = {k: str(v) for k, v in saved.items() if k != "runs"}
    return meta, runs


def write_doc(path: Path, section: str, begin: str = DOC_BEGIN, end: str = DOC_END) -> None:
    """Put `section` between the `begin` and `end` markers of `path` (appended if absent)."""
    block = f"{begin}\n{section}\n{end}"
    text = path.read_text() if path.exists() else ""
    if begin in text and end in text:
        before = text[: text.index(begin)]
        after = text[text.index(end) + len(end) :]
        text = before + block + after
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    path.write_text(text)


# -- main ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--tablets", type=int, nargs="+", help="N values (default 500 1000 5000)")
    p.add_argument("-k", "--events", type=int, help="K: events per N (default 200)")
    p.add_argument("--repeat", type=int, default=1, help="rounds over every N and server")
    p.add_argument("--quick", action="store_true", help="smoke run: N=200, K=5")
    p.add_argument("--servers", default="meeting,raw", help="meeting,raw (default: both)")
    p.add_argument("--event", choices=("edit", "open"), default="edit", help="which command")
    p.add_argument("--frame-bytes", type=int, default=1024, help="event frame size target")
    p.add_argument("--delegates", type=int, default=100, help="delegate users (tokens)")
    p.add_argument(
        "--public-every", type=int, default=10, help="every Nth tablet is public (0: none)"
    )
    p.add_argument("--items", type=int, default=5, help="agenda items")
    p.add_argument("--warmup", type=int, default=50, help="events with the chair alone")
    p.add_argument("--settle", type=float, default=1.0, help="seconds before reading RSS")
    p.add_argument(
        "--stall-n", type=int, help="N of the stalled-client test (default 1000; 0: skip)"
    )
    p.add_argument(
        "--stall-k", type=int, help="events per phase of the stalled-client test (default 400)"
    )
    p.add_argument(
        "--stall-frame-bytes", type=int, default=16 * 1024, help="frame size in the stall test"
    )
    p.add_argument("--json", type=Path, help="write the raw results here")
    p.add_argument(
        "--py-spy",
        type=Path,
        metavar="DIR",
        help="sample the server with py-spy (pip install py-spy) during each measured phase",
    )
    p.add_argument("--doc", type=Path, help="put the results into this Markdown file")
    p.add_argument("--max-seconds", type=float, default=3600, help="stop after this long")
    p.add_argument(
        "--render", type=Path, metavar="JSON", help="no run: print (and --doc) saved results"
    )
    return p


async def _main(args: argparse.Namespace) -> list[Run]:
    ns: list[int] = args.tablets or ([200] if args.quick else [500, 1000, 5000])
    k: int = args.events or (5 if args.quick else 200)
    stall_n: int = args.stall_n if args.stall_n is not None else (200 if args.quick else 1000)
    stall_k: int = args.stall_k or (20 if args.quick else 400)
    if stall_n and stall_n not in ns:
        ns = sorted([*ns, stall_n])
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    if not servers or set(servers) - {"meeting", "raw"}:
        sys.exit(f"--servers: expected meeting and/or raw, got {args.servers!r}")
    limit = raise_fd_limit(65536)
    if limit < max(ns) + 200:
        sys.exit(f"RLIMIT_NOFILE is {limit}: too low for {max(ns)} tablets")
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        work = Path(tmp)
        template = work / "template"
        template.mkdir()
        if "meeting" in servers:
            await provision(template, args.delegates, args.items, args.frame_bytes)
        frame_bytes = args.frame_bytes
        plan = [(rep, n, name) for rep in range(args.repeat) for n in ns for name in servers]
        for rep, n, name in plan:
            _check_stop()
            target: Target
            if name == "meeting":
                target = MeetingTarget(
                    template,
                    work,
                    delegates=args.delegates,
                    event=args.event,
                    frame_target=args.frame_bytes,
                    public_every=args.public_every,
                )
            else:
                target = RawTarget(frame_bytes)
            print(f"… {target.name}: N={n}, K={k}, round {rep + 1}", file=sys.stderr, flush=True)
            run = await measure(
                target,
                n,
                k,
                warmup=args.warmup,
                settle=args.settle,
                stall_k=stall_k if n == stall_n else 0,
                stall_bytes=args.stall_frame_bytes,
                profile=args.py_spy,
            )
            if name == "meeting" and run.frame_bytes:
                frame_bytes = run.frame_bytes  # the baseline sends frames of our size
            runs.append(run)
            print(render_text(table([run])), file=sys.stderr, flush=True)
    return runs


def main() -> None:
    args = _parser().parse_args()
    started = time.strftime("%Y-%m-%d %H:%M")
    command = "python -m bench.fanout " + shlex.join(sys.argv[1:])

    async def bounded() -> list[Run]:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, _stop, task)
        async with asyncio.timeout(args.max_seconds):
            return await _main(args)

    meta = {"command": command, "started": started, "machine": machine(), "event": args.event}
    if args.py_spy:
        args.py_spy.mkdir(parents=True, exist_ok=True)
    if args.render:
        meta, runs = load_runs(args.render)
    else:
        try:
            runs = asyncio.run(bounded())
        except (Interrupted, asyncio.CancelledError):
            sys.exit("interrupted; the servers were stopped")
    print()
    print(render_text(table(runs)))
    print()
    print(render_text(ratios(runs)))
    if any(r.stall for r in runs):
        print()
        print(render_text(stall_table(runs)))
    if args.json:
        payload = [asdict(r) | {"cpu_us_per_delivery": r.cpu_us_per_delivery} for r in runs]
        args.json.write_text(json.dumps(meta | {"runs": payload}, indent=1))
    if args.doc:
        write_doc(args.doc, markdown_section(runs, meta))
        print(f"\nresults written to {args.doc}")


if __name__ == "__main__":
    main()
