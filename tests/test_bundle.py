"""The sealed bundle verifies on its own, and any change anywhere is caught and named."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable

import pytest

from meeting.domain import chain_hash
from meeting.domain.chain import GENESIS
from meeting.minutes.bundle import canonical_json, make_bundle
from meeting.minutes.verify import verify_bundle
from tests.test_minutes import scripted

PAPER = b"%PDF-1.4\n% T\xe1\xbb\x9d tr\xc3\xacnh\n%%EOF\n"


def _rows():  # type: ignore[no-untyped-def]
    s = scripted()
    rows, prev = [], GENESIS
    for e in s.log:
        prev = chain_hash(prev, e)
        rows.append((e, prev))
    return rows


@pytest.fixture(scope="module")
def bundle():  # type: ignore[no-untyped-def]
    return make_bundle(_rows(), {hashlib.sha256(PAPER).hexdigest(): PAPER})


def _rezip(data: bytes, change: Callable[[dict[str, bytes]], None], *, fix_manifest: bool) -> bytes:
    files = {
        n: zipfile.ZipFile(io.BytesIO(data)).read(n)
        for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
    }
    change(files)
    if fix_manifest:  # a forger who also rewrites the manifest's file hashes
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = {
            n: hashlib.sha256(c).hexdigest() for n, c in files.items() if n != "manifest.json"
        }
        files["manifest.json"] = canonical_json(manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return out.getvalue()


def test_a_fresh_bundle_verifies(bundle) -> None:  # type: ignore[no-untyped-def]
    assert verify_bundle(bundle.data, bundle.manifest_sha256) == []
    names = zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()
    assert {"manifest.json", "minutes.json", "minutes.pdf", "log.jsonl"} <= set(names)
    again = make_bundle(_rows(), {hashlib.sha256(PAPER).hexdigest(): PAPER})
    assert again.data == bundle.data  # the same record gives the same bytes


def _edit_event(files: dict[str, bytes]) -> None:
    lines = files["log.jsonl"].decode().splitlines()
    lines[5] = lines[5].replace("Tờ trình", "Tờ trinh").replace("tan_thanh", "khong_tan_thanh")
    if lines[5] == files["log.jsonl"].decode().splitlines()[5]:
        event = json.loads(lines[5])
        event["at"] = "2026-12-01T09:59:59.000Z"
        lines[5] = json.dumps(event, ensure_ascii=False)
    files["log.jsonl"] = ("\n".join(lines) + "\n").encode()


def _drop_event(files: dict[str, bytes]) -> None:
    lines = files["log.jsonl"].decode().splitlines()
    files["log.jsonl"] = ("\n".join(lines[:-1]) + "\n").encode()


def _drop_middle_event(files: dict[str, bytes]) -> None:
    lines = files["log.jsonl"].decode().splitlines()
    files["log.jsonl"] = ("\n".join(lines[:10] + lines[11:]) + "\n").encode()


def _change_paper(files: dict[str, bytes]) -> None:
    name = next(n for n in files if n.startswith("papers/"))
    files[name] = files[name].replace(b"1.4", b"1.7")


def _change_result(files: dict[str, bytes]) -> None:
    minutes = json.loads(files["minutes.json"])
    vote = minutes["items"][0]["votes"][1]["result"]
    vote["counts"]["tan_thanh"] -= 1
    vote["counts"]["khong_tan_thanh"] += 1
    files["minutes.json"] = canonical_json(minutes)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_edit_event, "log.jsonl"),
        (_drop_event, "log.jsonl"),
        (_drop_middle_event, "log.jsonl"),
        (_change_paper, "papers/"),
        (_change_result, "minutes.json"),
    ],
)
@pytest.mark.parametrize("fix_manifest", [False, True])
def test_every_change_is_caught(bundle, change, expected, fix_manifest) -> None:  # type: ignore[no-untyped-def]
    forged = _rezip(bundle.data, change, fix_manifest=fix_manifest)
    problems = verify_bundle(forged, bundle.manifest_sha256)
    assert problems, "the forgery passed"
    if fix_manifest:
        assert "the manifest is not the one that was sealed" in problems
        if change is not _change_paper:
            assert any(expected in p for p in problems), problems
    else:
        assert any(p.startswith(expected) for p in problems), problems


def test_flipping_any_byte_fails(bundle) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(bundle.data)
    for position in range(0, len(data), max(1, len(data) // 60)):
        flipped = bytearray(data)
        flipped[position] ^= 0x01
        assert verify_bundle(bytes(flipped), bundle.manifest_sha256), f"byte {position}"
