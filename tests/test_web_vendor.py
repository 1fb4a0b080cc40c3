"""scripts/web_vendor.py: the reader's PDF.js comes from the version and hash of npm's lock
file, and nothing else of a tarball lands on disk."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import sys
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("web_vendor", ROOT / "scripts" / "web_vendor.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["web_vendor"] = module
    spec.loader.exec_module(module)
    return module


def tarball(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_the_lock_pins_one_exact_version_of_pdfjs() -> None:
    script = load_script()
    version, sri = script.locked()
    manifest = json.loads((ROOT / "clients" / "web" / "package.json").read_text())
    assert manifest["dependencies"]["pdfjs-dist"] == version  # exact, no range
    assert sri.startswith("sha512-")
    assert script.tarball_url(version).endswith(f"/pdfjs-dist/-/pdfjs-dist-{version}.tgz")


def test_only_the_files_the_reader_loads_are_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = load_script()
    monkeypatch.setattr(script, "VENDOR", tmp_path / "vendor")
    monkeypatch.setattr(script, "TARGET", tmp_path / "vendor" / "pdfjs")
    data = tarball(
        {
            "package/legacy/build/pdf.min.mjs": b"export const lib = 1;",
            "package/legacy/build/pdf.worker.min.mjs": b"// worker",
            "package/LICENSE": b"Apache-2.0",
            "package/standard_fonts/FoxitSans.pfb": b"font",
            "package/wasm/openjpeg.wasm": b"\0asm",
            "package/wasm/quickjs-eval.wasm": b"scripting",  # never run: left out
            "package/build/pdf.mjs": b"the modern build",  # not used: left out
            "package/../../escape.txt": b"outside",  # a path out of the package
            "package/cmaps/../../../escape2.txt": b"outside",
        }
    )
    count = script.extract(data, "stamp")
    found = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert found == [
        "vendor/pdfjs/LICENSE",
        "vendor/pdfjs/VERSION",
        "vendor/pdfjs/pdf.min.mjs",
        "vendor/pdfjs/pdf.worker.min.mjs",
        "vendor/pdfjs/standard_fonts/FoxitSans.pfb",
        "vendor/pdfjs/wasm/openjpeg.wasm",
    ]
    assert count == 5
    # Run again with another package: the folder is replaced whole.
    again = tarball(
        {
            "package/legacy/build/pdf.min.mjs": b"2",
            "package/legacy/build/pdf.worker.min.mjs": b"2",
            "package/LICENSE": b"2",
        }
    )
    script.extract(again, "stamp 2")
    assert (tmp_path / "vendor" / "pdfjs" / "VERSION").read_text() == "stamp 2\n"
    assert not (tmp_path / "vendor" / "pdfjs" / "wasm").exists()


def test_a_tarball_that_differs_from_the_lock_is_refused() -> None:
    script = load_script()
    data = tarball({"package/LICENSE": b"x"})
    script.check_integrity(data, integrity(data))
    with pytest.raises(SystemExit, match="differs"):
        script.check_integrity(data + b"\0", integrity(data))
    with pytest.raises(SystemExit, match="unsupported"):
        script.check_integrity(data, "sha1-" + base64.b64encode(b"x" * 20).decode())


def test_a_package_without_the_reader_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = load_script()
    monkeypatch.setattr(script, "VENDOR", tmp_path / "vendor")
    monkeypatch.setattr(script, "TARGET", tmp_path / "vendor" / "pdfjs")
    with pytest.raises(SystemExit, match="has no"):
        script.extract(tarball({"package/LICENSE": b"x"}), "stamp")
    assert not (tmp_path / "vendor" / "pdfjs").exists()
