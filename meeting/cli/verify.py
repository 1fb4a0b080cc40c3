"""`meeting verify BUNDLE`: check a sealed archive bundle, offline."""

from __future__ import annotations

import sys
from pathlib import Path

from meeting.minutes.verify import verify_bundle

__all__ = ["verify_bundle_file"]


def verify_bundle_file(path: Path, manifest_sha256: str | None) -> int:
    """Print what is wrong with the bundle, or that it verifies; exit 0 only when it does."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"meeting: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    problems = verify_bundle(data, manifest_sha256)
    if problems:
        for problem in problems:
            print(f"FAIL {problem}")
        return 1
    checked = "against the sealed manifest" if manifest_sha256 else "(manifest not pinned)"
    print(f"OK {path}: files, hash chain and minutes verify {checked}")
    return 0
