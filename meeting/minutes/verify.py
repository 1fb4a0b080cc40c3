"""Checking a sealed bundle with nothing but the bundle: no server, no database.

`verify_bundle` answers the list of problems found (empty when the bundle is sound):
- every file listed in the manifest is there, unchanged (SHA-256), and nothing else is;
- the log is gapless from seq 1 and its hash chain verifies up to the manifest's head;
- the minutes are exactly what the log gives (`build` again): every result follows from
  the ballots in the log for named votes, and from the logged totals for secret ones;
- each named vote's counts equal a recount of the ballots logged for it;
- every version of every paper the minutes list is in the bundle.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from collections import Counter
from typing import Any

from meeting.domain import Event, Meeting, fold, verify_chain
from meeting.domain.ballots import ballot_keys
from meeting.domain.model import Audience

from .build import build
from .bundle import canonical_json, canonical_zip
from .papers_parts import listed_papers

__all__ = ["verify_bundle"]


def verify_bundle(data: bytes, manifest_sha256: str | None = None) -> list[str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        order = archive.namelist()
        contents = {name: archive.read(name) for name in order}
        raw_manifest = contents["manifest.json"]
        manifest = json.loads(raw_manifest)
    except (zipfile.BadZipFile, KeyError, ValueError, zlib.error, EOFError, OSError) as exc:
        return [f"not a readable bundle: {exc}"]
    names = set(contents)
    problems: list[str] = []
    if canonical_zip([(name, contents[name]) for name in order]) != data:
        problems.append("the zip is not in its sealed form (its headers or layout changed)")
    if manifest_sha256 is not None:
        actual = hashlib.sha256(canonical_json(manifest)).hexdigest()
        if actual != manifest_sha256 or raw_manifest != canonical_json(manifest):
            problems.append("the manifest is not the one that was sealed")
    files: dict[str, str] = manifest.get("files", {})
    for name in sorted(names - set(files) - {"manifest.json"}):
        problems.append(f"{name}: not listed in the manifest")
    for name, digest in sorted(files.items()):
        if name not in names:
            problems.append(f"{name}: missing")
        elif hashlib.sha256(contents[name]).hexdigest() != digest:
            problems.append(f"{name}: changed (its SHA-256 differs from the manifest)")
    if "log.jsonl" not in names:
        return [*problems, "log.jsonl: missing"]
    events, chain_problems = _log(contents["log.jsonl"], manifest)
    problems += chain_problems
    if chain_problems or "minutes.json" not in names:
        return problems
    state = fold(events)
    rebuilt = canonical_json(build(events, state))
    if contents["minutes.json"] != rebuilt:
        problems.append("minutes.json does not follow from the log (" + _first_difference(
            json.loads(contents["minutes.json"]), json.loads(rebuilt)) + ")")  # fmt: skip
    minutes = json.loads(contents["minutes.json"])
    problems += _recount(state, events, minutes)
    for sha in listed_papers(minutes):
        if f"papers/{sha}.pdf" not in names:
            problems.append(f"papers/{sha}.pdf: listed in the minutes, missing from the bundle")
    return problems


def _log(raw: bytes, manifest: dict[str, Any]) -> tuple[list[Event], list[str]]:
    rows: list[tuple[Event, str]] = []
    try:
        for line in raw.decode().splitlines():
            d = json.loads(line)
            event = Event(d["meeting_id"], d["seq"], d["name"], d["at"], d["actor"], d["data"],
                          Audience(d["audience"]), d["user"])  # fmt: skip
            rows.append((event, d["hash"]))
    except (ValueError, KeyError, TypeError) as exc:
        return [], [f"log.jsonl: unreadable line ({exc})"]
    try:
        head = verify_chain(rows)
    except ValueError as exc:
        return [], [f"log.jsonl: {exc}"]
    log = manifest.get("log", {})
    if rows and (rows[-1][0].seq != log.get("seq") or head != log.get("head")):
        return [], ["log.jsonl: its head is not the manifest's (events removed at the end?)"]
    return [e for e, _ in rows], []


def _recount(state: Meeting, events: list[Event], minutes: dict[str, Any]) -> list[str]:
    """Named votes: the counts in the minutes equal the ballots logged for each vote."""
    ballots: dict[str, dict[str, Any]] = {}
    for e in events:
        if e.name == "vote.ballot_recorded":
            ballots.setdefault(e.data["vote_id"], {})[e.data["user_id"]] = e.data["choice"]
    problems = []
    for item in minutes.get("items", []):
        for vote in item.get("votes", []):
            result = vote.get("result")
            if vote["method"] != "electronic_named" or not result:
                continue
            v = state.votes.by_id.get(vote["vote_id"])
            if v is None:
                problems.append(f"vote {vote['vote_id']}: not in the log")
                continue
            counted: Counter[str] = Counter()
            for choice in ballots.get(v.id, {}).values():
                counted.update(ballot_keys(v, choice))
            stated = {k: n for k, n in result["counts"].items() if n}
            if dict(counted) != stated:
                problems.append(f"vote {v.id}: the counts are not the logged ballots")
    return problems


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    if type(a) is not type(b):
        return path or "/"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{path}/{key}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path} (length)"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{path}/{i}")
    return path or "/"
