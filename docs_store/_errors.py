"""The errors of the document store, each with a stable machine code.

```
DocsStoreError            code
├── StorageFull           storage_full: no space left (ENOSPC, EDQUOT); nothing was kept
├── StorageError          storage_error: any other failure of the disk or object store
├── TooLarge              pdf_too_large: more bytes than the limit
└── Refused               a file that is not an acceptable PDF; `code` says why:
                          not_pdf, pdf_encrypted, pdf_truncated, pdf_too_many_pages,
                          pdf_too_complex, pdf_too_deep, pdf_cyclic, pdf_timeout, pdf_invalid
```

Foreign exceptions (OSError, pypdf's own, MemoryError in a worker) are translated where
they happen; callers catch `DocsStoreError` and send its `code`.
"""

from __future__ import annotations

__all__ = [
    "REFUSALS",
    "DocsStoreError",
    "Refused",
    "StorageError",
    "StorageFull",
    "TooLarge",
]

REFUSALS = {
    "not_pdf": "the file is not a PDF",
    "pdf_encrypted": "the PDF is encrypted or password-protected",
    "pdf_truncated": "the PDF is cut short (no end-of-file marker)",
    "pdf_too_many_pages": "the PDF has more pages than MEETING_MAX_PAPER_PAGES",
    "pdf_too_complex": "reading the PDF needs more memory than MEETING_PDF_MEMORY_BYTES "
    "(a decompression bomb, or content too large)",
    "pdf_too_deep": "the PDF's objects are nested absurdly deep",
    "pdf_cyclic": "the PDF's page tree, outline or references loop back on themselves",
    "pdf_timeout": "reading the PDF took longer than MEETING_PDF_SECONDS",
    "pdf_invalid": "the PDF is damaged or malformed and cannot be read",
}
"""Why an upload is refused, by code; the PDF is never stored."""


class DocsStoreError(Exception):
    code = "storage_error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"


class StorageFull(DocsStoreError):
    code = "storage_full"


class StorageError(DocsStoreError):
    code = "storage_error"


class TooLarge(DocsStoreError):
    code = "pdf_too_large"


class Refused(DocsStoreError):
    """The file is not a PDF we accept; `code` is one of `REFUSALS`."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(message or REFUSALS.get(code, code), code)
