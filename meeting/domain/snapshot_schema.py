"""The snapshot's shape: the meeting as one audience sees it (`views.snapshot`).

Declared apart from the event catalogue because every area of the rules adds its part.
"""

from __future__ import annotations

import msgspec

from .catalog import BodyData, MemberData, SnapshotItem
from .devices_catalog import DevicesView
from .floor_shapes import FloorView
from .model import SittingStatus
from .papers_catalog import PapersView
from .record_catalog import MinutesView, NoteView
from .votes_catalog import VoteView

__all__ = ["Snapshot"]


class _Data(msgspec.Struct, forbid_unknown_fields=True):
    pass


class Snapshot(_Data):
    """The whole meeting as one audience sees it at `seq` (`views.snapshot`).

    `closed_session` is true while a closed-session item is current: the public's
    `current_item` is then null, and it is told nothing else of the item.
    """

    meeting_id: str
    seq: int
    body: BodyData
    title: str
    place: str
    scheduled_for: str
    status: SittingStatus
    opened_at: str | None
    closed_at: str | None
    members: list[MemberData]
    items: list[SnapshotItem]
    current_item: str | None
    closed_session: bool
    floor: FloorView
    votes: list[VoteView]
    open_vote: str | None
    papers: PapersView
    minutes: MinutesView
    devices: DevicesView
    notes: list[NoteView] | None = None
    """Staff only: the clerk's notes."""
    sections: dict[str, str] | None = None
    """Staff only: the draft sections of the minutes."""
