"""The written record: the clerk's notes during the sitting, the draft minutes after it,
the chair's approval, the seal, and addenda once sealed.

Sealed minutes never change: after `minutes.sealed` every note and section edit is refused,
and a correction is an addendum that refers to the sealed manifest.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from . import errors
from .apply import on, set_in
from .commands import Id, Text
from .decide import CHAIR, CLERK, Context, command, returns
from .errors import DomainError
from .events import Draft, Event
from .model import Actor, Audience, Meeting, SittingStatus
from .record_state import Addendum, Note
from .views import snapshot_part

__all__: list[str] = []

NoteText = Annotated[str, Meta(min_length=1, max_length=20_000)]
SectionKey = Annotated[str, Meta(pattern=r"^(general|opening|closing|item:[A-Za-z0-9_-]{1,64})$")]
Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$")]


class _Args(msgspec.Struct, forbid_unknown_fields=True):
    pass


class AddNote(_Args):
    """A timestamped note, attached to `item_id` or else to the current item."""

    text: NoteText
    item_id: Id | None = None


class EditNote(_Args):
    note_id: Id
    text: NoteText


class SetSection(_Args):
    """Draft text of the minutes: `general`, `opening`, `closing` or `item:{item_id}`."""

    key: SectionKey
    text: Text


class Approve(_Args):
    """The chair approves the draft minutes as they stand at this `seq`."""


class Seal(_Args):
    """Record the seal: the archive bundle's manifest hash and the log head it covers."""

    manifest_sha256: Sha256
    log_seq: Annotated[int, Meta(ge=1)]
    log_head: Sha256


class AddAddendum(_Args):
    text: NoteText


def _not_sealed(state: Meeting) -> None:
    if state.record.sealed_manifest is not None:
        raise DomainError(errors.INVALID_STATE, "the minutes are sealed; add an addendum")


def _not_approved(state: Meeting) -> None:
    _not_sealed(state)
    if state.record.approved_at is not None:
        raise DomainError(errors.INVALID_STATE, "the minutes are approved; they cannot change")


@command("note.add", AddNote, CLERK, result=returns("note.added", "note_id"))
def _add(state: Meeting, actor: Actor, args: AddNote, ctx: Context) -> list[Draft]:
    """The clerk notes something, timestamped, on an item (the current one by default)."""
    _not_approved(state)
    item_id = args.item_id or state.current_item
    if item_id is not None and item_id not in state.items:
        raise DomainError(errors.NOT_FOUND, f"no agenda item {item_id!r}")
    data = {"note_id": ctx.new_id, "item_id": item_id, "text": args.text}
    return [Draft("note.added", data, Audience.STAFF)]


@command("note.edit", EditNote, CLERK)
def _edit(state: Meeting, actor: Actor, args: EditNote, ctx: Context) -> list[Draft]:
    """Correct a note's text (until the minutes are approved); the first text stays logged."""
    _not_approved(state)
    if args.note_id not in state.record.notes:
        raise DomainError(errors.NOT_FOUND, f"no note {args.note_id!r}")
    return [Draft("note.edited", {"note_id": args.note_id, "text": args.text}, Audience.STAFF)]


@command("minutes.set_section", SetSection, CLERK)
def _section(state: Meeting, actor: Actor, args: SetSection, ctx: Context) -> list[Draft]:
    """The clerk writes a section of the draft minutes."""
    _not_approved(state)
    if args.key.startswith("item:") and args.key[5:] not in state.items:
        raise DomainError(errors.NOT_FOUND, f"no agenda item {args.key[5:]!r}")
    return [Draft("minutes.section_set", {"key": args.key, "text": args.text}, Audience.STAFF)]


@command("minutes.approve", Approve, CHAIR)
def _approve(state: Meeting, actor: Actor, args: Approve, ctx: Context) -> list[Draft]:
    """The chair approves the draft minutes once the sitting is closed."""
    _not_approved(state)
    if state.status is not SittingStatus.CLOSED:
        raise DomainError(errors.INVALID_STATE, "the minutes are approved after the sitting")
    return [Draft("minutes.approved", {"seq": state.seq})]


@command("minutes.seal", Seal, CLERK)
def _seal(state: Meeting, actor: Actor, args: Seal, ctx: Context) -> list[Draft]:
    """Seal the approved minutes with the hash of their archive bundle."""
    _not_sealed(state)
    if state.record.approved_at is None:
        raise DomainError(errors.INVALID_STATE, "the chair must approve the minutes first")
    if args.log_seq != state.seq:
        raise DomainError(errors.INVALID_STATE, "the log moved since the bundle was built")
    data = {"manifest_sha256": args.manifest_sha256, "log_seq": args.log_seq,
            "log_head": args.log_head}  # fmt: skip
    return [Draft("minutes.sealed", data)]


@command(
    "minutes.add_addendum",
    AddAddendum,
    CLERK,
    result=returns("minutes.addendum_added", "addendum_id"),
)
def _addendum(state: Meeting, actor: Actor, args: AddAddendum, ctx: Context) -> list[Draft]:
    """A correction to sealed minutes: a new text that refers to them, never an edit."""
    sealed = state.record.sealed_manifest
    if sealed is None:
        raise DomainError(errors.INVALID_STATE, "only sealed minutes take addenda")
    data = {"addendum_id": ctx.new_id, "text": args.text, "refers_to": sealed}
    return [Draft("minutes.addendum_added", data)]


def _set(state: Meeting, **changes: Any) -> Meeting:
    return replace(state, record=replace(state.record, **changes))


@on("note.added")
def _added(state: Meeting, e: Event) -> Meeting:
    d = e.data
    note = Note(d["note_id"], d["item_id"], d["text"], e.at, e.actor, e.seq)
    return _set(state, notes=set_in(state.record.notes, note.id, note))


@on("note.edited")
def _edited(state: Meeting, e: Event) -> Meeting:
    note = replace(state.record.notes[e.data["note_id"]], text=e.data["text"], edited_at=e.at)
    return _set(state, notes=set_in(state.record.notes, note.id, note))


@on("minutes.section_set")
def _section_set(state: Meeting, e: Event) -> Meeting:
    return _set(state, sections=set_in(state.record.sections, e.data["key"], e.data["text"]))


@on("minutes.approved")
def _approved(state: Meeting, e: Event) -> Meeting:
    return _set(state, approved_at=e.at, approved_by=e.actor, approved_seq=e.data["seq"])


@on("minutes.sealed")
def _sealed(state: Meeting, e: Event) -> Meeting:
    return _set(state, sealed_at=e.at, sealed_manifest=e.data["manifest_sha256"],
                sealed_seq=e.seq)  # fmt: skip


@on("minutes.addendum_added")
def _addendum_added(state: Meeting, e: Event) -> Meeting:
    d = e.data
    addendum = Addendum(d["addendum_id"], d["text"], e.at, e.seq, d["refers_to"])
    return _set(state, addenda=(*state.record.addenda, addendum))


@snapshot_part
def _record_view(state: Meeting, audience: Audience, user_id: str | None) -> dict[str, object]:
    r = state.record
    view: dict[str, object] = {
        "minutes": {
            "approved_at": r.approved_at,
            "sealed_at": r.sealed_at,
            "sealed_manifest": r.sealed_manifest,
            "addenda": [{"addendum_id": a.id, "text": a.text, "at": a.at} for a in r.addenda],
        }
    }
    if audience is Audience.STAFF:
        view["notes"] = [
            {
                "note_id": n.id,
                "item_id": n.item_id,
                "text": n.text,
                "at": n.at,
                "by": n.by,
                "edited_at": n.edited_at,
            }
            for n in r.notes.values()
        ]
        view["sections"] = dict(r.sections)
    return view
