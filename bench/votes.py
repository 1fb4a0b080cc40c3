"""Vote burst benchmark: N delegates cast one ballot each at the same moment.

A real server (`python -m meeting serve`, SQLite, `synchronous=FULL`) in a child process; N
delegates, each signed in as herself on her own WebSocket, plus observers (the public view)
watching the "has voted" count. The chair schedules and opens a fresh vote; every delegate's
`vote.cast` is written to her socket in one go; then the chair closes the vote and the result
is checked against the ballots sent. For each burst:

- the time from the first ballot written to the last `ack` (every ballot durable);
- the time until every tablet and observer has the `vote.ballot_cast` event whose `cast`
  is N (the final count), and how many event frames each received until then;
- durable ballots per second (N over the time to the last ack), transactions (commits)
  and the server's CPU time.

The same bursts run on a second server started with `MEETING_GROUP_COMMIT=false` (one
transaction per ballot), for the ratio.

    .venv/bin/python -m bench.votes --quick          # N = 85, 2 bursts per mode: a smoke run
    .venv/bin/python -m bench.votes                  # N = 85 and 500, 5 bursts per mode
    .venv/bin/python -m bench.votes --doc docs/performance.md --json votes.json

See bench/README.md and docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection

from bench.fanout import (
    _loadgen_cpu,
    _py_spy,
    machine,
    percentile,
    render_markdown,
    render_text,
    write_doc,
)
from bench.loadgen import Recorder, Tablet, connect_tablets, drop, open_chair
from bench.procstat import cpu_seconds, raise_fd_limit
from bench.servers import ANSWER_TIMEOUT, MeetingTarget, provision, user_ids

__all__ = ["main"]

FOR, AGAINST, ABSTAIN = "tan_thanh", "khong_tan_thanh", "khong_bieu_quyet"
MODES = {"group": "group commit", "single": "one tx per ballot"}
SINGLE_ENV = {"MEETING_GROUP_COMMIT": "false"}
BURST_SECONDS = 120.0
"""Longest wait for one burst (every ack, the final count on every screen)."""
OPENED_SECONDS = 30.0
"""Longest wait for every screen to have the new vote before its burst."""
GOAL_SECONDS = 1.0
GOAL_SPEEDUP = 5.0
GOAL_FRAMES_FRACTION = 0.1
"""The goal "far fewer frames per tablet than ballots", read as at most one per ten."""
DOC_BEGIN = "<!-- votes-results:begin -->"
DOC_END = "<!-- votes-results:end -->"

_EVENT = b'{"type":"event'  # `event` and `events` frames alike
_ACK = b'{"type":"ack"'
_ERROR = b'{"type":"error"'
_SEQ = b'"seq":'


def loop_seconds(pid: int) -> tuple[float, float]:
    """(running, waiting for a CPU) of the main thread of `pid` (its event loop), seconds.

    The first two fields of /proc/PID/task/PID/schedstat. Over a burst, the wall time less
    these two is what the loop spent idle: waiting for the disk (the commit runs in a
    thread) or for the network.
    """
    fields = Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()
    return int(fields[0]) / 1e9, int(fields[1]) / 1e9


def choice_of(i: int) -> str:
    return (FOR, FOR, AGAINST, ABSTAIN)[i % 4]


def text_frame(payload: bytes) -> bytes:
    """A client text frame (masked with a zero mask, which leaves the payload as it is)."""
    n = len(payload)
    if n < 126:
        head = bytes((0x81, 0x80 | n))
    elif n < 1 << 16:
        head = bytes((0x81, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x81, 0x80 | 127)) + n.to_bytes(8, "big")
    return head + b"\0\0\0\0" + payload


class Burst:
    """One burst in flight: the acks and final counts still awaited, and when all are in."""

    def __init__(self, ballots: int, screens: int) -> None:
        # `vote.ballot_cast` data is {"vote_id", "user_id", "cast", "changed"} in this order;
        # nothing else the server sends has `"cast":N,"changed":`.
        self.marker = f'"cast":{ballots},"changed":'.encode()
        self.acks_left = ballots
        self.finals_left = screens
        self.refused: list[str] = []
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def answered(self, error: str | None) -> None:
        self.acks_left -= 1
        if error is not None:
            # A refused ballot means the final count never comes: stop waiting now.
            self.refused.append(error)
            self._finish()
        elif self.acks_left <= 0 and self.finals_left <= 0:
            self._finish()

    def reached(self) -> None:
        self.finals_left -= 1
        if self.acks_left <= 0 and self.finals_left <= 0:
            self._finish()

    def _finish(self) -> None:
        if not self.done.done():
            self.done.set_result(None)

    async def wait(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(asyncio.shield(self.done), seconds)
        except TimeoutError:
            return False
        return True


class Screen:
    """What one tablet (or observer) got: fed by its `FrameReader` in place of a `Recorder`.

    Outside a burst it only notes the newest `seq`; armed with a burst it stamps its ack
    (voters), counts event frames, and stamps the frame holding the final count.
    """

    __slots__ = ("ack_at", "burst", "error", "final_at", "frames", "seq")

    def __init__(self) -> None:
        self.seq = 0
        self.burst: Burst | None = None
        self.ack_at: float | None = None
        self.final_at: float | None = None
        self.error: str | None = None
        self.frames = 0

    def arm(self, burst: Burst | None) -> None:
        self.burst = burst
        self.ack_at = self.final_at = self.error = None
        self.frames = 0

    def frame(self, raw: bytes | bytearray, at: float) -> None:
        burst = self.burst
        if raw.startswith(_EVENT):
            i = raw.rfind(_SEQ)
            if i >= 0:
                start = end = i + len(_SEQ)
                while end < len(raw) and 48 <= raw[end] <= 57:
                    end += 1
                if end > start:
                    self.seq = int(raw[start:end])
            if burst is not None and self.final_at is None:
                self.frames += 1
                if burst.marker in raw:
                    self.final_at = at
                    burst.reached()
        elif burst is not None and self.ack_at is None:
            if raw.startswith(_ACK):
                self.ack_at = at
                burst.answered(None)
            elif raw.startswith(_ERROR):
                self.ack_at = at
                self.error = bytes(raw[:300]).decode(errors="replace")
                burst.answered(self.error)


@dataclass
class BurstResult:
    """One vote: N ballots at once, and what every screen saw."""

    mode: str
    n: int
    screens: int
    round: int
    index: int
    warmup: bool
    write_ms: float = 0.0
    """Time the load generator took to write the N ballots to their sockets."""
    last_ack_ms: float = float("nan")
    ack_p50_ms: float = float("nan")
    final_ms: float = float("nan")
    """Until the last screen had the final count."""
    final_p50_ms: float = float("nan")
    frames_p50: float = float("nan")
    frames_max: int = 0
    acked: int = 0
    refused: int = 0
    missing_acks: int = 0
    missing_finals: int = 0
    counted: int = 0
    """`cast` in the result of `vote.close`."""
    result_ok: bool = False
    commits: int = 0
    server_cpu_ms: float = 0.0
    loop_cpu_ms: float = 0.0
    """CPU time of the server's event loop thread (the rest is the database's threads)."""
    loop_wait_ms: float = 0.0
    """Time the server's event loop was runnable but waiting for a CPU (other jobs)."""
    loadgen_cpu_ms: float = 0.0
    loadgen_wait_ms: float = 0.0
    wall_ms: float = 0.0
    error: str = ""

    @property
    def complete_ms(self) -> float:
        """All acked and every screen showing the final count."""
        return max(self.last_ack_ms, self.final_ms)

    @property
    def ballots_per_s(self) -> float:
        return self.n / (self.last_ack_ms / 1e3) if self.last_ack_ms > 0 else float("nan")

    @property
    def lost(self) -> int:
        """Ballots acked but not counted in the result."""
        return max(0, self.acked - self.counted)


@dataclass
class Config:
    method: str
    observers: int
    repeat: int
    warmup: int
    settle: float
    burst_seconds: float
    profile: Path | None = None
    results: list[BurstResult] = field(default_factory=list)


# -- the chair ----------------------------------------------------------------------------


async def command(
    chair: ClientConnection, cid: str, name: str, args: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Send a command as the chair; its ack and the `vote.*` events read up to it."""
    await chair.send(json.dumps({"type": "command", "id": cid, "name": name, "args": args}))
    events: list[dict[str, Any]] = []
    async with asyncio.timeout(ANSWER_TIMEOUT):
        while True:
            raw = await chair.recv()
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "event":
                batch = [message]
            elif kind == "events":
                batch = message["events"]
            else:
                batch = []
            events += [e for e in batch if e["name"] in ("vote.scheduled", "vote.closed")]
            if message.get("id") == cid:
                if kind != "ack":
                    raise RuntimeError(f"{name}: {message}")
                return message, events


async def commits(http: httpx.AsyncClient) -> int:
    """`meeting_commits_total` from the server's /metrics."""
    text = (await http.get("/metrics")).raise_for_status().text
    for line in text.splitlines():
        if line.startswith("meeting_commits_total"):
            return int(float(line.split()[-1]))
    return -1


async def all_at(screens: Sequence[Screen], seq: int, seconds: float) -> None:
    """Return once every screen has seen `seq`."""
    deadline = time.monotonic() + seconds
    while True:
        behind = sum(1 for s in screens if s.seq < seq)
        if not behind:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{behind} screens did not get seq {seq} in {seconds:.0f} s")
        await asyncio.sleep(0.01)


def check_result(result: dict[str, Any], n: int, method: str) -> bool:
    expected = {FOR: 0, AGAINST: 0, ABSTAIN: 0}
    for i in range(n):
        expected[choice_of(i)] += 1
    ok = result.get("cast") == n and result.get("counts") == expected
    if method == "named":
        ballots = {uid: choice_of(i) for i, uid in enumerate(user_ids(n))}
        ok = ok and result.get("ballots") == ballots
    return bool(ok)


# -- one burst ----------------------------------------------------------------------------


async def one_vote(
    cfg: Config,
    target: MeetingTarget,
    chair: ClientConnection,
    http: httpx.AsyncClient,
    tablets: list[Tablet],
    screens: list[Screen],
    r: BurstResult,
) -> None:
    n, pid = r.n, target.child.pid
    item = target.items[r.index % len(target.items)]
    method = "electronic_named" if cfg.method == "named" else "electronic_secret"
    schedule = {"item_id": item, "question": f"Thông qua nghị quyết số {r.index + 1}?"}
    _, events = await command(
        chair, f"sch-{r.round}-{r.index}", "vote.schedule", schedule | {"method": method}
    )
    vote_id = next(e["data"]["vote_id"] for e in events if e["name"] == "vote.scheduled")
    ack, _ = await command(chair, f"open-{r.round}-{r.index}", "vote.open", {"vote_id": vote_id})
    await all_at(screens, int(ack["seq"]), OPENED_SECONDS)
    ballots = [
        text_frame(
            json.dumps(
                {
                    "type": "command",
                    "id": f"b-{r.round}-{r.index}-{i}",
                    "name": "vote.cast",
                    "args": {"vote_id": vote_id, "choice": choice_of(i)},
                }
            ).encode()
        )
        for i in range(n)
    ]
    await asyncio.sleep(cfg.settle)
    commits0 = await commits(http)
    burst = Burst(n, len(screens))
    for s in screens:
        s.arm(burst)
    cpu0, lg0 = cpu_seconds(pid), _loadgen_cpu()
    (loop0, wait0), (_, lgwait0) = loop_seconds(pid), loop_seconds(os.getpid())
    t0 = time.perf_counter()
    for tablet, frame in zip(tablets[:n], ballots, strict=True):
        tablet.transport.write(frame)
    r.write_ms = (time.perf_counter() - t0) * 1e3
    finished = await burst.wait(cfg.burst_seconds)
    r.wall_ms = (time.perf_counter() - t0) * 1e3
    r.server_cpu_ms = (cpu_seconds(pid) - cpu0) * 1e3
    r.loadgen_cpu_ms = (_loadgen_cpu() - lg0) * 1e3
    loop1, wait1 = loop_seconds(pid)
    r.loop_cpu_ms, r.loop_wait_ms = (loop1 - loop0) * 1e3, (wait1 - wait0) * 1e3
    r.loadgen_wait_ms = (loop_seconds(os.getpid())[1] - lgwait0) * 1e3
    for s in screens:
        s.burst = None
    r.commits = (await commits(http)) - commits0

    acks = [s.ack_at for s in screens[:n] if s.ack_at is not None]
    finals = [s.final_at for s in screens if s.final_at is not None]
    r.refused = len(burst.refused)
    r.acked = len(acks) - r.refused
    r.missing_acks = n - len(acks)
    r.missing_finals = len(screens) - len(finals)
    if acks:
        r.last_ack_ms = (max(acks) - t0) * 1e3
        r.ack_p50_ms = percentile([(a - t0) * 1e3 for a in acks], 50)
    if finals:
        r.final_ms = (max(finals) - t0) * 1e3
        r.final_p50_ms = percentile([(f - t0) * 1e3 for f in finals], 50)
    counts = [s.frames for s in screens if s.final_at is not None]
    if counts:
        r.frames_p50 = percentile([float(c) for c in counts], 50)
        r.frames_max = max(counts)
    if not finished or burst.refused:
        r.error = burst.refused[0] if burst.refused else "timed out"
        r.last_ack_ms = r.final_ms = float("nan")

    _, events = await command(
        chair, f"close-{r.round}-{r.index}", "vote.close", {"vote_id": vote_id}
    )
    closed = [e for e in events if e["name"] == "vote.closed"]
    if closed:
        result = closed[-1]["data"]["result"]
        r.counted = int(result.get("cast", 0))
        r.result_ok = check_result(result, n, cfg.method)


async def measure(cfg: Config, template: Path, work: Path, n: int, mode: str, rnd: int) -> None:
    target = MeetingTarget(
        template,
        work,
        delegates=n,
        event="edit",
        frame_target=1024,
        public_every=0,
        env=SINGLE_ENV if mode == "single" else None,
    )
    tablets: list[Tablet] = []
    chair = None
    await target.start()
    try:
        chair, welcome = await open_chair(target.url, target.chair_token)
        await target.prepare(chair, welcome)  # the agenda's items
        await command(chair, "bench-sitting-open", "sitting.open", {})
        # Each delegate signed in as herself; then the observers (the public view).
        tokens = [*target.tablet_tokens[:n], *([None] * cfg.observers)]
        tablets = await connect_tablets(target.url, tokens, len(tokens), Recorder())
        screens = [Screen() for _ in tablets]
        for tablet, screen in zip(tablets, screens, strict=True):
            tablet.reader.recorder = screen  # type: ignore[assignment]  # same `frame()`
        base = f"http://127.0.0.1:{target.child.port}"
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            name = f"votes-{MODES[mode].replace(' ', '-')}-{n}"
            for index in range(cfg.warmup + cfg.repeat):
                warm = index < cfg.warmup
                r = BurstResult(MODES[mode], n, len(screens), rnd, index, warm)
                spy = _py_spy(target.child.pid, None if warm else cfg.profile, f"{name}-{index}")
                async with spy:
                    await one_vote(cfg, target, chair, http, tablets, screens, r)
                cfg.results.append(r)
                print("  " + line(r), file=sys.stderr, flush=True)
                if r.error:
                    break  # the server (or this machine) is stuck: stop, and say so
    except Exception:
        print("".join(target.child.stderr), file=sys.stderr)
        raise
    finally:
        drop(tablets)
        if chair is not None:
            chair.transport.abort()
        await target.stop()


def line(r: BurstResult) -> str:
    tag = "warm-up" if r.warmup else f"burst {r.index}"
    text = (
        f"{r.mode}, N={r.n}, {tag}: last ack {r.last_ack_ms:.0f} ms, final count on all "
        f"{r.screens} screens {r.final_ms:.0f} ms, {r.ballots_per_s:.0f} ballots/s, "
        f"frames/screen p50 {r.frames_p50:.0f} max {r.frames_max}, {r.commits} commits, "
        f"server CPU {r.server_cpu_ms:.0f} ms (loop {r.loop_cpu_ms:.0f} ms, waited "
        f"{r.loop_wait_ms:.0f} ms for a CPU), "
        f"result {'ok' if r.result_ok else 'WRONG'}"
    )
    return text + (f" — {r.error}" if r.error else "")


# -- reporting ----------------------------------------------------------------------------


def groups(results: list[BurstResult]) -> dict[tuple[int, str], list[BurstResult]]:
    out: dict[tuple[int, str], list[BurstResult]] = {}
    for r in results:
        if not r.warmup:
            out.setdefault((r.n, r.mode), []).append(r)
    order = list(MODES.values())
    return {k: out[k] for k in sorted(out, key=lambda k: (k[0], order.index(k[1])))}


def _p(values: list[float], q: float) -> float:
    return percentile([v for v in values if v == v], q)  # NaN (failed bursts) left out


def table(results: list[BurstResult]) -> list[list[str]]:
    rows = [
        [
            "mode",
            "N",
            "screens",
            "bursts",
            "last ack p50 / p99 ms",
            "final count on every screen p50 / p99 ms",
            "durable ballots/s p50",
            "frames per screen p50 (max)",
            "commits per burst",
            "server CPU ms/burst",
            "event loop: CPU / waiting for a CPU ms/burst",
            "loadgen CPU ms/burst",
            "ballots lost / refused / results wrong",
        ]
    ]
    for (n, mode), rs in groups(results).items():
        acks = [r.last_ack_ms for r in rs]
        finals = [r.final_ms for r in rs]
        failed = sum(1 for r in rs if r.error)
        rows.append(
            [
                mode,
                str(n),
                str(rs[0].screens),
                str(len(rs)) + (f" ({failed} failed)" if failed else ""),
                f"{_p(acks, 50):.0f} / {_p(acks, 99):.0f}",
                f"{_p(finals, 50):.0f} / {_p(finals, 99):.0f}",
                f"{_p([r.ballots_per_s for r in rs], 50):.0f}",
                f"{_p([r.frames_p50 for r in rs], 50):.0f} ({max(r.frames_max for r in rs)})",
                f"{statistics.median(r.commits for r in rs):.0f}",
                f"{_p([r.server_cpu_ms for r in rs], 50):.0f}",
                f"{_p([r.loop_cpu_ms for r in rs], 50):.0f} / "
                f"{_p([r.loop_wait_ms for r in rs], 50):.0f}",
                f"{_p([r.loadgen_cpu_ms for r in rs], 50):.0f}",
                f"{sum(r.lost for r in rs)} / {sum(r.refused for r in rs)} / "
                f"{sum(1 for r in rs if not r.result_ok)}",
            ]
        )
    return rows


def goals(results: list[BurstResult]) -> list[list[str]]:
    rows = [
        [
            "N",
            "all acked and shown, p50 / p99 ms",
            f"goal < {GOAL_SECONDS * 1e3:.0f} ms",
            "group ÷ one tx per ballot (ballots/s)",
            f"goal ≥ {GOAL_SPEEDUP:.0f}×",
            "frames per screen (max) ÷ ballots, group commit",
            f"goal ≤ {GOAL_FRAMES_FRACTION:g}",
        ]
    ]
    by = groups(results)
    for n in sorted({n for n, _ in by}):
        group, single = by.get((n, MODES["group"])), by.get((n, MODES["single"]))
        if group is None:
            continue
        complete = [r.complete_ms for r in group]
        p50, p99 = _p(complete, 50), _p(complete, 99)
        if p99 < GOAL_SECONDS * 1e3:
            verdict = "met"
        elif p50 < GOAL_SECONDS * 1e3:
            verdict = "met at p50, MISSED at p99"
        else:
            verdict = "MISSED"
        if any(r.error for r in group):
            verdict = "MISSED (bursts failed)"
        speed, speed_goal = "–", "–"
        if single:
            ratio = _p([r.ballots_per_s for r in group], 50) / _p(
                [r.ballots_per_s for r in single], 50
            )
            speed = f"{ratio:.1f}×"
            speed_goal = "met" if ratio >= GOAL_SPEEDUP else "MISSED"
        frames = max(r.frames_max for r in group)
        rows.append(
            [
                str(n),
                f"{p50:.0f} / {p99:.0f}",
                verdict,
                speed,
                speed_goal,
                f"{frames} ÷ {n} = {frames / n:.3f}",
                "met" if frames <= GOAL_FRAMES_FRACTION * n else "MISSED",
            ]
        )
    return rows


def markdown_section(results: list[BurstResult], meta: dict[str, str]) -> str:
    return "\n".join(
        [
            f"Run of {meta.get('started', '?')} on {meta.get('machine', '?')}.",
            "",
            "```",
            meta.get("command", "?"),
            "```",
            "",
            f"Load average (1, 5, 15 min) {meta.get('load_start', '?')} at the start, "
            f"{meta.get('load_end', '?')} at the end.",
            "",
            f"{meta.get('method', 'named')} ballots (`electronic_"
            f"{meta.get('method', 'named')}`); {meta.get('observers', '?')} observers (the "
            f"public view) besides the N delegates' tablets; {meta.get('per_server', '?')}. "
            "p99 over a handful of bursts is close to their maximum.",
            "",
            render_markdown(table(results)),
            "",
            "Against the goals:",
            "",
            render_markdown(goals(results)),
        ]
    )


# -- main ---------------------------------------------------------------------------------


def _load() -> str:
    """The machine's load average (1, 5, 15 minutes)."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _parser() -> argparse.ArgumentParser:
    doc = (__doc__ or "").split("\n\n")[0]
    p = argparse.ArgumentParser(prog="python -m bench.votes", description=doc)
    p.add_argument("-n", "--delegates", type=int, nargs="+", help="N values (default 85 500)")
    p.add_argument("--observers", type=int, default=100, help="observers (public view)")
    p.add_argument("--repeat", type=int, help="measured bursts per server (default 5)")
    p.add_argument("--warmup", type=int, default=1, help="bursts before the measured ones")
    p.add_argument("--rounds", type=int, default=1, help="servers started per N and mode")
    p.add_argument("--modes", default="group,single", help="group,single (default: both)")
    p.add_argument("--method", choices=("named", "secret"), default="named", help="ballots")
    p.add_argument("--quick", action="store_true", help="smoke run: N=85, 2 bursts")
    p.add_argument("--settle", type=float, default=0.5, help="seconds of quiet before a burst")
    p.add_argument("--burst-seconds", type=float, default=BURST_SECONDS, help="burst time limit")
    p.add_argument("--py-spy", type=Path, metavar="DIR", help="sample the server with py-spy")
    p.add_argument("--json", type=Path, help="write every burst's figures here")
    p.add_argument("--doc", type=Path, help="put the results into this Markdown file")
    p.add_argument("--render", type=Path, metavar="JSON", help="no run: print saved results")
    p.add_argument("--max-seconds", type=float, default=3600, help="stop after this long")
    return p


async def _main(args: argparse.Namespace, cfg: Config) -> None:
    ns: list[int] = args.delegates or ([85] if args.quick else [85, 500])
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or set(modes) - set(MODES):
        sys.exit(f"--modes: expected group and/or single, got {args.modes!r}")
    if cfg.profile is not None:
        cfg.profile.mkdir(parents=True, exist_ok=True)
    limit = raise_fd_limit(65536)
    if limit < max(ns) + cfg.observers + 100:
        sys.exit(f"RLIMIT_NOFILE is {limit}: too low")
    with tempfile.TemporaryDirectory(prefix="bench-votes-") as tmp:
        work = Path(tmp)
        templates: dict[int, Path] = {}
        for n in ns:
            templates[n] = work / f"template-{n}"
            templates[n].mkdir()
            await provision(templates[n], n, 3, 200, present=True)
        for rnd in range(args.rounds):
            for n in ns:
                for mode in modes:
                    print(f"… {MODES[mode]}: N={n}, round {rnd + 1}", file=sys.stderr, flush=True)
                    await measure(cfg, templates[n], work, n, mode, rnd)


def main() -> None:
    args = _parser().parse_args()
    repeat = args.repeat or (2 if args.quick else 5)
    cfg = Config(
        args.method,
        args.observers,
        repeat,
        args.warmup,
        args.settle,
        args.burst_seconds,
        args.py_spy,
    )
    per_server = f"{args.warmup} warm-up and {repeat} measured bursts per server"
    if args.rounds > 1:
        per_server += f", {args.rounds} servers per N and mode"
    meta = {
        "command": "python -m bench.votes " + shlex.join(sys.argv[1:]),
        "started": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "method": args.method,
        "observers": str(args.observers),
        "per_server": per_server,
        "load_start": _load(),
    }
    if args.render:
        saved = json.loads(args.render.read_text())
        meta = {k: str(v) for k, v in saved.items() if k != "bursts"}
        fields = BurstResult.__dataclass_fields__
        cfg.results = [
            BurstResult(**{k: v for k, v in b.items() if k in fields}) for b in saved["bursts"]
        ]
    else:

        async def bounded() -> None:
            async with asyncio.timeout(args.max_seconds):
                await _main(args, cfg)

        try:
            asyncio.run(bounded())
        except (TimeoutError, RuntimeError) as exc:
            print(f"stopped: {exc!r}", file=sys.stderr)
    results = cfg.results
    if not args.render:
        meta["load_end"] = _load()
    print()
    print(render_text(table(results)))
    print()
    print(render_text(goals(results)))
    if args.json and not args.render:
        payload = [asdict(r) | {"ballots_per_s": r.ballots_per_s} for r in results]
        args.json.write_text(json.dumps(meta | {"bursts": payload}, indent=1))
    if args.doc:
        write_doc(args.doc, markdown_section(results, meta), DOC_BEGIN, DOC_END)
        print(f"\nresults written to {args.doc}")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
