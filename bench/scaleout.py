"""Scale-out benchmark: the same sitting on one process and on two, in the same run.

For each deployment (`sqlite×1`: the default, SQLite and the in-process hub;
`postgres+redis×1` and `postgres+redis×2`: PostgreSQL and the Redis hub) it connects
500 delegate tablets and 5000 observers, spread over the processes, then measures:

- fan-out: the chair sends K events of ~1 KiB, each waited for on every tablet;
- vote burst: every delegate casts a ballot at once (from her own tablet, on whichever
  process it is connected to), until every tablet has the last ballot;

and for each phase the server CPU seconds per delivered event, summed over all processes
(`/proc`), plus the memory per idle connection. The goal: 2 processes ÷ `sqlite×1` ≤ 1.25.

    .venv/bin/python -m bench.scaleout --quick                  # a smoke run, ~2 minutes
    .venv/bin/python -m bench.scaleout --repeat 2 --doc docs/performance.md
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.cluster import Deployment, postgres_database, provision
from bench.fanout import machine, percentile, render_markdown, render_text
from bench.procstat import raise_fd_limit
from bench.scaleout_run import Phase, measure

__all__ = ["main"]

GOAL_CPU_RATIO = 1.25
GOAL_KIB_PER_CONNECTION = 64.0
DOC_BEGIN = "<!-- scaleout-results:begin -->"
DOC_END = "<!-- scaleout-results:end -->"


@dataclass
class Run:
    deployment: str
    processes: int
    tablets: int
    kib_per_connection: float = 0.0
    fanout: Phase = field(default_factory=Phase)
    burst: Phase = field(default_factory=Phase)


async def run_one(work: Path, kind: str, processes: int, args: argparse.Namespace) -> Run:
    run = Run(f"{kind}×{processes}", processes, args.delegates + args.observers)
    if kind == "sqlite":
        deployment = Deployment(work, processes)
        await provision(deployment.sqlalchemy_url, args.delegates, args.frame_bytes)
        await measure(deployment, run, args)
        return run
    async with postgres_database() as url:
        deployment = Deployment(work, processes, url)
        await provision(url, args.delegates, args.frame_bytes)
        await measure(deployment, run, args)
    return run


# -- reporting ----------------------------------------------------------------------------


def _median(runs: list[Run], value: Callable[[Run], float]) -> float:
    return statistics.median(value(r) for r in runs)


def _groups(runs: list[Run]) -> dict[str, list[Run]]:
    out: dict[str, list[Run]] = {}
    for r in runs:
        out.setdefault(r.deployment, []).append(r)
    return out


def table(runs: list[Run]) -> list[list[str]]:
    rows = [["deployment", "tablets", "phase", "events", "deliveries", "CPU µs/delivery",
             "p50 / p99 ms", "commits", "conflicts", "Redis CPU s", "KiB/conn"]]  # fmt: skip
    for name, group in _groups(runs).items():
        for phase in ("fanout", "burst"):
            phases: list[Phase] = [getattr(r, phase) for r in group]
            latencies = [c for p in phases for c in p.completion_ms]
            missing = sum(p.missing for p in phases)
            cpu = statistics.median(p.cpu_us_per_delivery for p in phases)
            rows.append(
                [
                    name,
                    str(group[0].tablets),
                    "fan-out" if phase == "fanout" else "vote burst",
                    str(phases[0].events),
                    f"{statistics.median(p.deliveries for p in phases):.0f}"
                    + (f" ({missing} missing)" if missing else ""),
                    f"{cpu:.2f}",
                    f"{percentile(latencies, 50):.0f} / {percentile(latencies, 99):.0f}",
                    f"{statistics.median(p.commits for p in phases):.0f}",
                    f"{statistics.median(p.conflicts for p in phases):.0f}",
                    f"{statistics.median(p.redis_cpu_s for p in phases):.2f}",
                    f"{_median(group, lambda r: r.kib_per_connection):.1f}",
                ]
            )
    return rows


def ratios(runs: list[Run]) -> list[list[str]]:
    rows = [["deployment", "phase", "CPU/delivery ÷ sqlite×1", f"goal ≤ {GOAL_CPU_RATIO}",
             "KiB/conn", f"goal ≤ {GOAL_KIB_PER_CONNECTION:.0f}"]]  # fmt: skip
    groups = _groups(runs)
    base = groups.get("sqlite×1")
    if base is None:
        return rows
    for name, group in groups.items():
        if name == "sqlite×1":
            continue
        kib = _median(group, lambda r: r.kib_per_connection)
        for phase in ("fanout", "burst"):
            ours = statistics.median(getattr(r, phase).cpu_us_per_delivery for r in group)
            theirs = statistics.median(getattr(r, phase).cpu_us_per_delivery for r in base)
            ratio = ours / theirs
            goal = "met" if ratio <= GOAL_CPU_RATIO else "MISSED"
            if not name.endswith("×2"):
                goal = f"({goal}; the goal is for 2 processes)"
            rows.append(
                [name, "fan-out" if phase == "fanout" else "vote burst", f"{ratio:.2f}×", goal,
                 f"{kib:.1f}", "met" if kib <= GOAL_KIB_PER_CONNECTION else "MISSED"]
            )  # fmt: skip
    return rows


def markdown_section(runs: list[Run], command: str, started: str) -> str:
    return "\n".join(
        [
            f"Run of {started} on this machine: {machine()}.",
            "",
            "```",
            command,
            "```",
            "",
            render_markdown(table(runs)),
            "",
            "Against `sqlite×1` (one process, SQLite, in-process hub) of the same run:",
            "",
            render_markdown(ratios(runs)),
        ]
    )


def write_doc(path: Path, section: str) -> None:
    block = f"{DOC_BEGIN}\n{section}\n{DOC_END}"
    text = path.read_text() if path.exists() else ""
    if DOC_BEGIN in text and DOC_END in text:
        before = text[: text.index(DOC_BEGIN)]
        after = text[text.index(DOC_END) + len(DOC_END) :]
        text = before + block + after
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    path.write_text(text)


# -- main ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.scaleout", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--delegates", type=int, default=500, help="delegate tablets (each votes)")
    p.add_argument("--observers", type=int, default=5000, help="public observer connections")
    p.add_argument("-k", "--events", type=int, default=40, help="fan-out events")
    p.add_argument("--frame-bytes", type=int, default=1024, help="size of a fan-out event")
    p.add_argument("--repeat", type=int, default=1, help="rounds over every deployment")
    p.add_argument("--quick", action="store_true", help="100 delegates, 900 observers, K=10")
    p.add_argument("--deployments", default="sqlite×1,postgres+redis×1,postgres+redis×2")
    p.add_argument("--settle", type=float, default=2.0, help="seconds before reading RSS")
    p.add_argument("--json", type=Path, help="write the raw results here")
    p.add_argument("--doc", type=Path, help="put the results into this Markdown file")
    p.add_argument("--max-seconds", type=float, default=3600, help="stop after this long")
    return p


async def _main(args: argparse.Namespace) -> list[Run]:
    if args.quick:
        args.delegates, args.observers, args.events = 100, 900, 10
    plan = []
    for item in args.deployments.split(","):
        kind, _, n = item.strip().partition("×")
        if kind not in ("sqlite", "postgres+redis") or not n.isdigit():
            sys.exit(f"--deployments: cannot read {item!r} (sqlite×1, postgres+redis×2, …)")
        plan.append(("sqlite" if kind == "sqlite" else "postgres+redis", int(n)))
    if raise_fd_limit(65536) < args.delegates + args.observers + 500:
        sys.exit("RLIMIT_NOFILE is too low for this many connections")
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-scaleout-") as tmp:
        for rep in range(args.repeat):
            for kind, n in plan:
                print(f"… {kind}×{n}, round {rep + 1}", file=sys.stderr, flush=True)
                run = await run_one(Path(tmp), kind, n, args)
                runs.append(run)
                print(render_text(table([run])), file=sys.stderr, flush=True)
    return runs


def main() -> None:
    args = _parser().parse_args()
    started = time.strftime("%Y-%m-%d %H:%M")
    command = "python -m bench.scaleout " + shlex.join(sys.argv[1:])

    async def bounded() -> list[Run]:
        async with asyncio.timeout(args.max_seconds):
            return await _main(args)

    runs = asyncio.run(bounded())
    print()
    print(render_text(table(runs)))
    print()
    print(render_text(ratios(runs)))
    if args.json:
        args.json.write_text(json.dumps({"command": command, "runs": [asdict(r) for r in runs]}))
    if args.doc:
        write_doc(args.doc, markdown_section(runs, command, started))
        print(f"\nresults written to {args.doc}")


if __name__ == "__main__":
    main()
