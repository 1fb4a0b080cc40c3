"""Arithmetic on the server's timestamps (ISO 8601 UTC strings). Pure: never reads a clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["add_seconds", "iso", "parse", "seconds_between"]


def parse(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00"))


def iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def add_seconds(at: str, seconds: float) -> str:
    return iso(parse(at) + timedelta(seconds=seconds))


def seconds_between(start: str, end: str) -> float:
    """`end - start` in seconds (negative when `end` is earlier)."""
    return (parse(end) - parse(start)).total_seconds()
