#!/usr/bin/env python3
"""Copy the web apps' third-party files (PDF.js) into clients/web/vendor/, with Python alone.

The version and its SHA-512 come from clients/web/package-lock.json (npm's own lock file, so
`npm install` in clients/web would fetch exactly the same package). This script downloads
that tarball from the npm registry (`NPM_CONFIG_REGISTRY` to use a mirror), refuses it if
its hash differs from the lock's, and extracts only the files the apps load: no Node.js, no
npm, no build step on the machine that runs the server. It does nothing when the files of
that version are there already (`make demo` and `make test` run it every time).

    python3 scripts/web_vendor.py            # fetch if missing or outdated
    python3 scripts/web_vendor.py --check    # exit 1 if missing or outdated
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "clients" / "web"
LOCK = WEB / "package-lock.json"
VENDOR = WEB / "vendor"
PACKAGE = "pdfjs-dist"
TARGET = VENDOR / "pdfjs"
STAMP = TARGET / "VERSION"
MAX_BYTES = 64 * 1024 * 1024

# What the reader loads, from the package's own folders (the legacy build runs on the older
# Safari and Chrome of tablets that are not updated often).
FILES = {
    "legacy/build/pdf.min.mjs": "pdf.min.mjs",
    "legacy/build/pdf.worker.min.mjs": "pdf.worker.min.mjs",
    "LICENSE": "LICENSE",
}
FOLDERS = {
    "standard_fonts/": "standard_fonts/",  # the 14 standard fonts when a PDF does not embed them
    "cmaps/": "cmaps/",  # character maps of CJK fonts
    "wasm/": "wasm/",  # JPEG 2000, JBIG2 and colour decoders
}
SKIP = ("wasm/quickjs",)  # PDF scripting is never run


def locked() -> tuple[str, str]:
    """The locked version and integrity (`sha512-…`) of the package."""
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{PACKAGE}"]
    return entry["version"], entry["integrity"]


def tarball_url(version: str) -> str:
    registry = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/").rstrip("/")
    return f"{registry}/{PACKAGE}/-/{PACKAGE}-{version}.tgz"


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        data: bytes = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise SystemExit(f"{url}: larger than {MAX_BYTES} bytes")
    return data


def check_integrity(data: bytes, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise SystemExit(f"unsupported integrity {algorithm!r} in {LOCK}")
    found = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if found != expected:
        raise SystemExit(f"{PACKAGE}: the download's SHA-512 differs from the lock file's")


def destination(member: str) -> str | None:
    """Where a member of the tarball goes under TARGET, or None to leave it out."""
    name = member.removeprefix("package/")
    if name.startswith(SKIP) or ".." in name.split("/"):
        return None
    if name in FILES:
        return FILES[name]
    for folder, into in FOLDERS.items():
        if name.startswith(folder) and name != folder:
            return into + name[len(folder) :]
    return None


def extract(data: bytes, stamp: str) -> int:
    """Extract into a fresh folder beside TARGET, then swap it in (never half a copy)."""
    VENDOR.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".pdfjs-", dir=VENDOR))
    count = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar.getmembers():
                into = destination(member.name)
                if into is None or not member.isfile():
                    continue
                source = tar.extractfile(member)
                assert source is not None
                path = fresh / into
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(source.read())
                count += 1
        missing = [into for into in FILES.values() if not (fresh / into).is_file()]
        if missing:
            raise SystemExit(f"{PACKAGE}: the package has no {', '.join(missing)}")
        (fresh / "VERSION").write_text(stamp + "\n", encoding="utf-8")
        old = VENDOR / ".pdfjs-old"
        shutil.rmtree(old, ignore_errors=True)
        if TARGET.exists():
            TARGET.rename(old)
        fresh.rename(TARGET)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    args = parser.parse_args()
    version, integrity = locked()
    stamp = f"{PACKAGE} {version} {integrity}"
    current = STAMP.is_file() and STAMP.read_text(encoding="utf-8").strip() == stamp
    if args.check or current:
        if not current:
            print(f"{TARGET} is missing or not {PACKAGE} {version}: run {sys.argv[0]}")
        return 0 if current else 1
    url = tarball_url(version)
    print(f"== fetching {PACKAGE} {version} for the paper reader ({url})")
    data = download(url)
    check_integrity(data, integrity)
    count = extract(data, stamp)
    print(f"   {count} files in {TARGET.relative_to(WEB.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
