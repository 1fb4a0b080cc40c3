"""The sealed archive bundle: a zip with the minutes, the log, the papers and a manifest.

```
manifest.json        format, meeting, log head (seq, hash), sha256 of every other file
minutes.json         the minutes as built from the log (`build`)
minutes.pdf          the minutes as signed on paper
minutes.html         the minutes to read in a browser
log.jsonl            every event, canonical JSON plus its `hash`, one per line
papers/<sha256>.pdf  every paper the minutes list, by content
```

The bundle's identity is the SHA-256 of `manifest.json`, which the `minutes.sealed` event
records. The zip is canonical: entries stored uncompressed, in a fixed order, with a fixed
date, so the same files always give the same bytes and the verifier can rebuild the zip and
notice a change even in its headers.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from meeting.domain import Event

from .build import build
from .html import render_html
from .pdf import render_pdf

__all__ = ["BUNDLE_FORMAT", "Bundle", "canonical_json", "canonical_zip", "log_lines", "make_bundle"]

BUNDLE_FORMAT = "meeting-bundle/1"
_DATE = (2000, 1, 1, 0, 0, 0)


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def log_lines(rows: Sequence[tuple[Event, str]]) -> bytes:
    """The log as JSON lines: each event's canonical fields and its chain `hash`."""
    return b"".join(canonical_json({**e.canonical(), "hash": h}) + b"\n" for e, h in rows)


class Bundle:
    def __init__(self, data: bytes, manifest: dict[str, Any]) -> None:
        self.data = data
        self.manifest = manifest
        self.manifest_sha256 = hashlib.sha256(canonical_json(manifest)).hexdigest()


def make_bundle(
    rows: Sequence[tuple[Event, str]],
    papers: Mapping[str, bytes] | None = None,
    *,
    font_dir: Path | None = None,
) -> Bundle:
    """Build the bundle of a meeting from its whole log (`(event, hash)` from seq 1)."""
    events = [e for e, _ in rows]
    minutes = build(events)
    files: dict[str, bytes] = {
        "minutes.json": canonical_json(minutes),
        "minutes.pdf": render_pdf(minutes, font_dir),
        "minutes.html": render_html(minutes).encode(),
        "log.jsonl": log_lines(rows),
    }
    for sha, content in sorted((papers or {}).items()):
        files[f"papers/{sha}.pdf"] = content
    manifest = {
        "format": BUNDLE_FORMAT,
        "meeting_id": events[0].meeting_id if events else "",
        "log": {"seq": rows[-1][0].seq if rows else 0, "head": rows[-1][1] if rows else ""},
        "chain": "hash = sha256(previous hash + canonical event JSON); the first follows 64 zeros",
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in files.items()},
    }
    entries = [("manifest.json", canonical_json(manifest)), *files.items()]
    return Bundle(canonical_zip(entries), manifest)


def canonical_zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """The one zip of these entries: stored, in this order, dated 2000-01-01."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return out.getvalue()
