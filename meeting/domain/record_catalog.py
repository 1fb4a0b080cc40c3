"""The record's events (notes, minutes) and its part of the snapshot, declared."""

from __future__ import annotations

import msgspec

from .catalog import declare, kind

__all__ = ["MinutesView", "NoteView"]

_STAFF = "the chair, the clerks and administrators"


class _Data(msgspec.Struct, forbid_unknown_fields=True):
    pass


class NoteAddedData(_Data):
    note_id: str
    item_id: str | None
    text: str


class NoteEditedData(_Data):
    note_id: str
    text: str


class SectionSetData(_Data):
    key: str
    text: str


class ApprovedData(_Data):
    """The chair approved the minutes as the log stood at `seq`."""

    seq: int


class SealedData(_Data):
    manifest_sha256: str
    log_seq: int
    log_head: str


class AddendumData(_Data):
    addendum_id: str
    text: str
    refers_to: str


class AddendumView(_Data):
    addendum_id: str
    text: str
    at: str


class MinutesView(_Data):
    approved_at: str | None
    sealed_at: str | None
    sealed_manifest: str | None
    addenda: list[AddendumView]


class NoteView(_Data):
    note_id: str
    item_id: str | None
    text: str
    at: str
    by: str | None
    edited_at: str | None


declare(
    kind("note.added", "The clerk took a note, on an item.", NoteAddedData, audience=_STAFF),
    kind("note.edited", "The clerk corrected a note.", NoteEditedData, audience=_STAFF),
    kind("minutes.section_set", "The clerk wrote a section of the draft minutes.",
         SectionSetData, audience=_STAFF),
    kind("minutes.approved", "The chair approved the minutes.", ApprovedData),
    kind("minutes.sealed", "The minutes are sealed with their archive bundle's hash.",
         SealedData),
    kind("minutes.addendum_added", "A correction was added to the sealed minutes.",
         AddendumData),
)  # fmt: skip
