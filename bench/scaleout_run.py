"""One deployment of `bench.scaleout`, measured: connect, fan-out, vote burst.

The tablets are the fan-out benchmark's (`bench.loadgen`): one asyncio process reads every
frame without a task per tablet. Delegate tablets also send their commands (check-in,
ballot) straight on their transport, as masked text frames.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from websockets.asyncio.client import ClientConnection

from bench.cluster import Deployment, infrastructure_cpu, infrastructure_delta
from bench.loadgen import Recorder, Tablet, connect_tablets, drop, open_chair
from bench.servers import PASSWORD, filler, user_ids

__all__ = ["Phase", "measure"]

WAIT_SECONDS = 120.0


@dataclass
class Phase:
    events: int = 0
    """Events the phase committed (fan-out: chair's events; burst: ballots)."""
    deliveries: int = 0
    """Events received by tablets, each event on each tablet counted once."""
    cpu_s: float = 0.0
    """CPU seconds of all server processes."""
    wall_s: float = 0.0
    completion_ms: list[float] = field(default_factory=list)
    commits: int = 0
    conflicts: int = 0
    redis_cpu_s: float = 0.0
    postgres_cpu_s: float = 0.0
    missing: int = 0

    @property
    def cpu_us_per_delivery(self) -> float:
        return self.cpu_s / max(self.deliveries, 1) * 1e6


class _Run(Protocol):
    tablets: int
    kib_per_connection: float
    fanout: Phase
    burst: Phase


class Answers(Recorder):
    """The fan-out recorder, which also counts events and keeps acks and errors apart."""

    def __init__(self) -> None:
        super().__init__()
        self.events = 0
        self.acks: list[int] = []
        self.errors: list[bytes] = []
        self._answered = asyncio.Event()
        self._expected = 0

    def frame(self, raw: bytes | bytearray, at: float) -> None:
        if raw.startswith(b'{"type":"ack"'):
            self.acks.append(int(re.findall(rb'"seq":(\d+)', raw)[-1]))
        elif raw.startswith(b'{"type":"error"'):
            self.errors.append(bytes(raw[:300]))
        else:
            self.events += raw.count(b'"seq":')
            super().frame(raw, at)
            return
        if len(self.acks) + len(self.errors) >= self._expected:
            self._answered.set()

    async def answered(self, count: int) -> None:
        """Wait until `count` answers (acks and errors) have arrived in all."""
        self._expected = count
        if len(self.acks) + len(self.errors) < count:
            self._answered.clear()
            await asyncio.wait_for(self._answered.wait(), WAIT_SECONDS)


def send(tablet: Tablet, message: dict[str, Any]) -> None:
    """A masked text frame (the zero mask leaves the payload as it is)."""
    payload = json.dumps(message, separators=(",", ":")).encode()
    n = len(payload)
    head = bytes((0x81, 0x80 | n)) if n < 126 else bytes((0x81, 0xFE)) + n.to_bytes(2, "big")
    tablet.transport.write(head + b"\0\0\0\0" + payload)


async def _command(
    chair: ClientConnection, cid: str, name: str, **args: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Send a command as the chair; its ack, and the events that came before it."""
    await chair.send(json.dumps({"type": "command", "id": cid, "name": name, "args": args}))
    events: list[dict[str, Any]] = []
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            message: dict[str, Any] = json.loads(await chair.recv())
            if message["type"] == "event":
                events.append(message)
            elif message["type"] == "events":
                events.extend(message["events"])
            elif message.get("id") == cid:
                if message["type"] != "ack":
                    raise RuntimeError(f"{name}: {message}")
                return message, events


async def _tokens(d: Deployment, users: list[str]) -> list[str]:
    limit = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=d.base(0), timeout=60) as http:

        async def one(user: str) -> str:
            async with limit:
                r = await http.post(
                    "/api/auth/login", json={"username": user, "password": PASSWORD}
                )
                r.raise_for_status()
                token: str = r.json()["token"]
                return token

        return list(await asyncio.gather(*(one(u) for u in users)))


async def _counters(d: Deployment) -> tuple[int, int]:
    """(commits, conflicts) summed over the processes, from /metrics."""
    commits = conflicts = 0
    async with httpx.AsyncClient(timeout=30) as http:
        for i in range(len(d.children)):
            text = (await http.get(f"{d.base(i)}/metrics")).text
            commits += int(float(re.findall(r"meeting_commits_total\{.*\} (\S+)", text)[0]))
            conflicts += int(
                float(re.findall(r"meeting_commit_conflicts_total\{.*\} (\S+)", text)[0])
            )
    return commits, conflicts


class _Window:
    """CPU of the servers and of Redis/PostgreSQL, and the commit counters, over a phase."""

    def __init__(self, d: Deployment, phase: Phase) -> None:
        self.d, self.phase = d, phase

    async def __aenter__(self) -> _Window:
        self.counters = await _counters(self.d)
        self.infra = infrastructure_cpu()
        self.cpu, self.wall = self.d.cpu(), time.perf_counter()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.phase.cpu_s = self.d.cpu() - self.cpu
        self.phase.wall_s = time.perf_counter() - self.wall
        spent = infrastructure_delta(self.infra, infrastructure_cpu())
        self.phase.redis_cpu_s, self.phase.postgres_cpu_s = spent["redis"], spent["postgres"]
        commits, conflicts = await _counters(self.d)
        self.phase.commits = commits - self.counters[0]
        self.phase.conflicts = conflicts - self.counters[1]


async def _connect(
    d: Deployment, tokens: list[str], observers: int, rec: Answers
) -> tuple[list[Tablet], list[Tablet]]:
    """Delegate tablet `i` and observer `j` on process `i % P` and `j % P`."""
    n = len(d.children)
    delegates: list[Tablet] = []
    others: list[Tablet] = []
    for p in range(n):
        mine: list[str | None] = list(tokens[p::n])
        delegates += await connect_tablets(d.url(p), mine, len(mine), rec)
        count = len(range(p, observers, n))
        others += await connect_tablets(d.url(p), [None], count, rec)
    return delegates, others


async def _burst(tablets: list[Tablet], rec: Answers, name: str, args: dict[str, Any]) -> int:
    """Every delegate sends `name` at once; the highest seq acknowledged."""
    rec.acks.clear()
    rec.errors.clear()
    for i, t in enumerate(tablets):
        send(t, {"type": "command", "id": f"{name}-{i}", "name": name, "args": args})
    await rec.answered(len(tablets))
    if rec.errors:
        raise RuntimeError(f"{name}: {len(rec.errors)} refused, e.g. {rec.errors[0]!r}")
    return max(rec.acks)


async def measure(d: Deployment, run: _Run, args: argparse.Namespace) -> None:
    delegates: list[Tablet] = []
    observers: list[Tablet] = []
    chair = None
    await d.start()
    try:
        users = user_ids(args.delegates)
        tokens = await _tokens(d, ["chair", *users])
        chair, welcome = await open_chair(d.url(0), tokens[0])
        item = welcome["snapshot"]["items"][0]["item_id"]
        await _command(chair, "open", "sitting.open")
        await asyncio.sleep(args.settle)
        before = d.rss_kib()
        rec = Answers()
        delegates, observers = await _connect(d, tokens[1:], args.observers, rec)
        n = len(delegates) + len(observers)
        await asyncio.sleep(args.settle)
        run.kib_per_connection = (d.rss_kib() - before) / n

        seq = await _burst(delegates, rec, "attendance.check_in", {})  # warm-up; quorum
        await rec.wait_for(seq, n, WAIT_SECONDS)

        async with _Window(d, run.fanout):
            rec.events = 0
            for k in range(args.events):
                description = filler(args.frame_bytes - 150, f"Lần sửa {k}: ")
                sent = time.perf_counter()
                ack, _ = await _command(chair, f"e{k}", "agenda.edit_item", item_id=item,
                                        description=description)  # fmt: skip
                complete = await rec.wait_for(ack["seq"], n, WAIT_SECONDS)
                run.fanout.completion_ms.append((max(rec.received(ack["seq"])) - sent) * 1e3)
                run.fanout.events += 1
                if not complete:
                    run.fanout.missing += n - len(rec.received(ack["seq"]))
                    break
            run.fanout.deliveries = rec.events

        _, seen = await _command(chair, "s", "vote.schedule", item_id=item,
                                 question="Nghị quyết", method="electronic_named")  # fmt: skip
        vote_id = next(e["data"]["vote_id"] for e in seen if e["name"] == "vote.scheduled")
        await _command(chair, "o", "vote.open", vote_id=vote_id)
        await asyncio.sleep(args.settle)
        async with _Window(d, run.burst):
            rec.events = 0
            sent = time.perf_counter()
            ballot = {"vote_id": vote_id, "choice": "tan_thanh"}
            last = await _burst(delegates, rec, "vote.cast", ballot)
            if not await rec.wait_for(last, n, WAIT_SECONDS):
                run.burst.missing = n - len(rec.received(last))
            run.burst.completion_ms.append((max(rec.received(last)) - sent) * 1e3)
            run.burst.events = len(delegates)
            run.burst.deliveries = rec.events
    finally:
        drop(delegates)
        drop(observers)
        if chair is not None:
            chair.transport.abort()
        await d.stop()
