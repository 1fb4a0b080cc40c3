"""Content-addressed document storage and PDF intake. Knows nothing about meetings.

A document's id is the SHA-256 of its bytes (`FileStore`, or any `DocumentStore`); every
upload is read by pypdf in a worker process within `PdfLimits` before it is kept
(`check_pdf`), and confidential copies are stamped per reader (`stamp_pdf`). Errors form
one tree under `DocsStoreError`, each with a stable `code`.
"""

from ._errors import REFUSALS, DocsStoreError, Refused, StorageError, StorageFull, TooLarge
from .pdf import PdfLimits, check_pdf, stamp_pdf, warm_up
from .store import Document, DocumentStore, FileStore, Upload

__all__ = [
    "REFUSALS",
    "DocsStoreError",
    "Document",
    "DocumentStore",
    "FileStore",
    "PdfLimits",
    "Refused",
    "StorageError",
    "StorageFull",
    "TooLarge",
    "Upload",
    "check_pdf",
    "stamp_pdf",
    "warm_up",
]
