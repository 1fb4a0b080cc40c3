"""`GET /metrics`: this process's counters in the Prometheus text exposition format (0.0.4).

Every sample carries a `process` label (host and pid): behind a load balancer, or with
`meeting serve --workers N`, each process counts for itself. Only counts and durations are
exposed, never anything a command carried: no metric can tell how anyone voted.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable

from starlette.requests import Request
from starlette.responses import Response

from meeting.engine.stats import Histogram

from .services import Services, services

__all__ = ["CONTENT_TYPE", "metrics", "render"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

Labels = dict[str, str]


def _labels(labels: Labels) -> str:
    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    inner = ",".join(f'{k}="{escape(v)}"' for k, v in labels.items())
    return "{" + inner + "}"


class _Page:
    def __init__(self, process: str) -> None:
        self.process = process
        self.lines: list[str] = []

    def family(
        self, name: str, kind: str, what: str, samples: Iterable[tuple[Labels, float]]
    ) -> None:
        self.lines.append(f"# HELP {name} {what}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            self.sample(name, labels, value)

    def sample(self, name: str, labels: Labels, value: float) -> None:
        shown = repr(float(value)) if isinstance(value, float) else str(value)
        self.lines.append(f"{name}{_labels({'process': self.process, **labels})} {shown}")

    def one(self, name: str, kind: str, what: str, value: float) -> None:
        self.family(name, kind, what, [({}, value)])

    def histogram(self, name: str, what: str, by: str, series: dict[str, Histogram]) -> None:
        self.lines.append(f"# HELP {name} {what}")
        self.lines.append(f"# TYPE {name} histogram")
        for key, h in sorted(series.items()):
            for le, count in h.cumulative():
                self.sample(f"{name}_bucket", {by: key, "le": le}, count)
            self.sample(f"{name}_sum", {by: key}, h.total)
            self.sample(f"{name}_count", {by: key}, h.count)


def render(svc: Services) -> str:
    page = _Page(f"{socket.gethostname()}:{os.getpid()}")
    hub, stats = svc.hub, svc.engines.stats
    kind = "redis" if hub.distributed else "in-process"
    database = "sqlite" if svc.store.is_sqlite else svc.store.engine.dialect.name
    page.family(
        "meeting_info",
        "gauge",
        "This server process: its hub and database.",
        [({"hub": kind, "database": database}, 1)],
    )
    page.one("meeting_connections", "gauge", "Live WebSocket connections.", hub.count())
    page.one(
        "meeting_meetings_loaded",
        "gauge",
        "Meetings with a writer here.",
        len(svc.engines.loaded()),
    )
    page.one(
        "meeting_events_published_total",
        "counter",
        "Events fanned out to this process's connections (committed here or by another).",
        hub.events_published,
    )
    page.one(
        "meeting_frames_sent_total", "counter", "Frames written to connections.", hub.frames_sent
    )
    page.one(
        "meeting_connections_dropped_total",
        "counter",
        "Connections closed for a backlog over MEETING_MAX_BACKLOG_BYTES (they resume).",
        hub.dropped,
    )
    page.one("meeting_commits_total", "counter", "Group commits appended here.", stats.commits)
    page.one(
        "meeting_events_committed_total",
        "counter",
        "Events appended to logs by this process.",
        stats.events_committed,
    )
    page.one(
        "meeting_commit_conflicts_total",
        "counter",
        "Appends that found the head moved by another process (decided again).",
        stats.conflicts,
    )
    page.one(
        "meeting_catch_ups_total",
        "counter",
        "Reads of a log that found events committed by another process.",
        stats.catch_ups,
    )
    page.one(
        "meeting_events_caught_up_total",
        "counter",
        "Events read from logs after another process committed them.",
        stats.events_caught_up,
    )
    page.histogram(
        "meeting_command_seconds",
        "Seconds from a command's arrival at its meeting's writer to its outcome.",
        "result",
        stats.latency,
    )
    page.one(
        "meeting_audit_dropped_total",
        "counter",
        "Refusals not written to the audit table because its buffer was full.",
        svc.audit.overflow,
    )
    healthy, _ = hub.status()
    page.one(
        "meeting_hub_up", "gauge", "1 when the hub can reach the other processes.", int(healthy)
    )
    for name, (value, what) in hub.link_counters().items():
        page.one(f"meeting_hub_{name}_total", "counter", what, value)
    return "\n".join(page.lines) + "\n"


async def metrics(request: Request) -> Response:
    return Response(render(services(request)), media_type=CONTENT_TYPE)
