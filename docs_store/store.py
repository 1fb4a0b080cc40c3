"""Content-addressed storage: a document's id is the SHA-256 of its bytes.

`DocumentStore` is the interface (an object store could implement it); `FileStore` keeps
documents on the local filesystem. Every write is atomic: bytes go to a temporary file,
are flushed and fsynced, and only then renamed into place, so a failed or interrupted
upload or a full disk leaves no partial document behind, and a document that `find`
returns is whole. The same bytes are stored once.

Layout under the root: `objects/ab/<sha256>` (the bytes, read-only) and
`objects/ab/<sha256>.json` (what the intake found), `derived/<sha256>/<key>` (copies made
from a document, such as watermarked ones), `tmp/` (uploads in progress).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from ._errors import StorageError, StorageFull, TooLarge

__all__ = ["Document", "DocumentStore", "FileStore", "Upload", "storage_error"]

_SHA = re.compile(r"^[0-9a-f]{64}$")
_KEY = re.compile(r"^[A-Za-z0-9._-]{1,200}$")
_FULL = {errno.ENOSPC, errno.EDQUOT}
STALE_SECONDS = 900.0
"""A temporary file untouched this long is a leftover of a crash (writes touch it)."""


def storage_error(exc: OSError, doing: str) -> StorageFull | StorageError:
    """Translate an OSError: a full disk is `StorageFull`, anything else `StorageError`."""
    if exc.errno in _FULL:
        return StorageFull(f"no space left while {doing}")
    return StorageError(f"{doing}: {exc.strerror or exc}")


@dataclass(frozen=True, slots=True)
class Document:
    """A stored document and what the intake found in it."""

    sha256: str
    size: int
    pages: int
    title: str | None
    texts: tuple[str, ...] = ()


class Upload:
    """An upload in progress: bytes go to a temporary file while their hash is computed.

    `write` refuses more than `max_bytes` (`TooLarge`); `finish` flushes and fsyncs and
    returns the hash; `discard` removes the temporary file (safe to call at any time, and
    called by `write` and `finish` themselves when they fail).
    """

    def __init__(self, path: Path, sink: BinaryIO, max_bytes: int) -> None:
        self.path = path
        self.size = 0
        self.sha256 = ""
        self._sink: BinaryIO | None = sink
        self._hash = hashlib.sha256()
        self._max = max_bytes

    def write(self, chunk: bytes) -> None:
        """Append `chunk`; on any failure the temporary file is gone before this raises."""
        if self._sink is None:
            raise StorageError("the upload is finished")
        self.size += len(chunk)
        if self.size > self._max:
            self.discard()
            raise TooLarge(f"more than {self._max} bytes")
        self._hash.update(chunk)
        try:
            self._sink.write(chunk)
        except OSError as exc:
            self.discard()
            raise storage_error(exc, "writing the upload") from exc

    def finish(self) -> str:
        """Make the bytes durable in the temporary file; return their SHA-256."""
        sink, self._sink = self._sink, None
        if sink is None:
            raise StorageError("the upload is finished")
        try:
            sink.flush()
            os.fsync(sink.fileno())
            sink.close()
        except OSError as exc:
            self._sink = sink
            self.discard()
            raise storage_error(exc, "writing the upload") from exc
        self.sha256 = self._hash.hexdigest()
        return self.sha256

    def discard(self) -> None:
        sink, self._sink = self._sink, None
        if sink is not None:
            with contextlib.suppress(OSError):
                sink.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


class DocumentStore(Protocol):
    """What the server needs of a document store."""

    def begin(self, max_bytes: int) -> Upload:
        """Start an upload (a local temporary file, whatever the backend)."""
        ...

    def commit(self, upload: Upload, found: dict[str, Any]) -> Document:
        """Keep a finished upload under its hash with what the intake `found` (pages, title,
        texts); if the hash is stored already, the upload is dropped. Atomic."""
        ...

    def find(self, sha256: str) -> Document | None:
        """The stored document, or None (also for a malformed id)."""
        ...

    def read(self, sha256: str) -> bytes:
        """All the bytes of a stored document."""
        ...

    def local_path(self, sha256: str) -> Path | None:
        """A path the intake worker can open, when the backend has one."""
        ...

    def put_derived(self, sha256: str, key: str, data: bytes) -> None:
        """Keep a copy made from a document (atomic; replaces one of the same key)."""
        ...

    def get_derived(self, sha256: str, key: str) -> bytes | None: ...


class FileStore:
    """Documents on the local filesystem (the default)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._tmp = self.root / "tmp"
        for folder in (self.root / "objects", self.root / "derived", self._tmp):
            folder.mkdir(parents=True, exist_ok=True)
        # Leftovers of uploads interrupted by a crash: never renamed, never referenced. Only
        # old ones: another server process may be writing its own right now.
        for stale in self._tmp.iterdir():
            with contextlib.suppress(OSError):
                if time.time() - stale.stat().st_mtime > STALE_SECONDS:
                    stale.unlink()

    # -- paths -----------------------------------------------------------------------------

    def _blob(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / "objects" / sha256[:2] / sha256

    def _derived(self, sha256: str, key: str) -> Path:
        if not _KEY.match(key) or key.startswith(".") or not _SHA.match(sha256):
            raise ValueError(f"not a derived copy: {sha256!r}, {key!r}")
        return self.root / "derived" / sha256 / key

    def _open_temp(self) -> tuple[Path, BinaryIO]:
        """A new temporary file; tests of a full disk replace what it returns."""
        path = self._tmp / f"{secrets.token_hex(12)}.part"
        return path, open(path, "xb")  # closed by Upload

    # -- writing ---------------------------------------------------------------------------

    def begin(self, max_bytes: int) -> Upload:
        try:
            path, sink = self._open_temp()
        except OSError as exc:
            raise storage_error(exc, "starting an upload") from exc
        return Upload(path, sink, max_bytes)

    def commit(self, upload: Upload, found: dict[str, Any]) -> Document:
        sha = upload.sha256 or upload.finish()
        blob = self._blob(sha)
        try:
            meta = {"sha256": sha, "size": upload.size, **found}
            if blob.exists():
                upload.discard()
                stored = self.find(sha)
                if stored is None:  # the same bytes, with a description lost: write it anew
                    self._write_atomic(blob.with_suffix(".json"), json.dumps(meta).encode())
                return stored or _document(meta)
            blob.parent.mkdir(parents=True, exist_ok=True)
            # The description first, the bytes last: a document exists once its bytes do.
            self._write_atomic(blob.with_suffix(".json"), json.dumps(meta).encode())
            os.chmod(upload.path, 0o444)
            os.replace(upload.path, blob)
            _fsync_dir(blob.parent)
        except OSError as exc:
            upload.discard()
            raise storage_error(exc, "storing the document") from exc
        return _document(meta)

    def put_derived(self, sha256: str, key: str, data: bytes) -> None:
        path = self._derived(sha256, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._write_atomic(path, data)
        except OSError as exc:
            raise storage_error(exc, "storing a derived copy") from exc

    def _write_atomic(self, path: Path, data: bytes) -> None:
        temp, sink = self._open_temp()
        try:
            with sink:
                sink.write(data)
                sink.flush()
                os.fsync(sink.fileno())
            os.replace(temp, path)
            _fsync_dir(path.parent)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise

    # -- reading ---------------------------------------------------------------------------

    def find(self, sha256: str) -> Document | None:
        if not _SHA.match(sha256):
            return None
        blob = self._blob(sha256)
        try:
            meta = json.loads(blob.with_suffix(".json").read_bytes())
            size = blob.stat().st_size
        except (OSError, ValueError):
            return None
        if size != meta.get("size"):
            return None
        return _document(meta)

    def read(self, sha256: str) -> bytes:
        try:
            return self._blob(sha256).read_bytes()
        except OSError as exc:
            raise storage_error(exc, "reading a document") from exc

    def local_path(self, sha256: str) -> Path | None:
        blob = self._blob(sha256)
        return blob if blob.exists() else None

    def get_derived(self, sha256: str, key: str) -> bytes | None:
        try:
            return self._derived(sha256, key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise storage_error(exc, "reading a derived copy") from exc


def _document(meta: dict[str, Any]) -> Document:
    texts = tuple(str(t) for t in meta.get("texts", ()))
    return Document(meta["sha256"], int(meta["size"]), int(meta["pages"]), meta.get("title"), texts)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
