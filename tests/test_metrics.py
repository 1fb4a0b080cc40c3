"""`GET /metrics` in the Prometheus text format, and `/healthz` naming the hub."""

from __future__ import annotations

import re
from contextlib import AsyncExitStack

import httpx

from tests.live import Live

_SAMPLE = re.compile(r'^([a-z_]+)\{([a-z_]+="[^"\\]*",?)*\} (-?[0-9.e+-]+|\+Inf)$')


def _samples(text: str) -> dict[str, float]:
    """`name{labels}` → value; fails on any line that is not valid exposition format."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        assert _SAMPLE.match(line), line
        key, value = line.rsplit(" ", 1)
        assert 'process="' in key
        out[re.sub(r'process="[^"]*",?', "", key)] = float(value)
    return out


async def test_metrics_count_and_never_tell_a_ballot(live: Live) -> None:
    async with httpx.AsyncClient(base_url=live.base) as http, AsyncExitStack() as stack:
        chair = await stack.enter_async_context(live.socket("chair"))
        tablets = [await stack.enter_async_context(live.socket(f"d0{n}")) for n in (1, 2, 3)]
        await chair.command("sitting.open")
        for t in tablets:
            assert (await t.command("attendance.check_in"))["type"] == "ack"
        item = chair.welcome["snapshot"]["items"][0]["item_id"]
        await chair.command("vote.schedule", item_id=item, question="Q", method="electronic_secret")
        vote = (await chair.recv_until(lambda e: e["name"] == "vote.scheduled"))["data"]
        assert (await chair.command("vote.open", vote_id=vote["vote_id"]))["type"] == "ack"
        for t, choice in zip(tablets, ("khong_tan_thanh", "tan_thanh", "tan_thanh"), strict=True):
            answer = await t.command("vote.cast", vote_id=vote["vote_id"], choice=choice)
            assert answer["type"] == "ack"
        refused = await tablets[0].command("sitting.close")
        assert refused["type"] == "error"

        r = await http.get("/metrics")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
        text = r.text
        samples = _samples(text)
        assert samples["meeting_connections{}"] == 4
        assert samples["meeting_commits_total{}"] >= 8
        assert samples["meeting_events_published_total{}"] >= 8
        assert samples["meeting_hub_up{}"] == 1
        database = "sqlite" if live.settings.sqlalchemy_url.startswith("sqlite") else "postgresql"
        assert samples[f'meeting_info{{hub="in-process",database="{database}"}}'] == 1
        assert samples['meeting_command_seconds_count{result="accepted"}'] >= 8
        assert samples['meeting_command_seconds_count{result="refused"}'] == 1
        assert samples['meeting_command_seconds_bucket{result="accepted",le="+Inf"}'] >= 8
        # Counts and durations only: no choice, no voter, no vote.
        for secret in ("tan_thanh", "d01", "d02", vote["vote_id"], "chair"):
            assert secret not in text

        health = (await http.get("/healthz")).json()
        assert health["hub"] == "in-process" and health["status"] == "ok"
