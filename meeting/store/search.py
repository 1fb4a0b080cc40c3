"""The archive's search index: entries folded for Vietnamese, found by the database's own
full-text search.

An entry is one searchable thing of a meeting (an agenda item, a paper with its text, a
note, a question, a vote and its result), with the audience that may find it. Its text
is indexed *folded*: lower case, no diacritics, "đ" as "d" (`meeting.store.text`), so
that "nghi quyet" finds "nghị quyết"; the query is folded the same way. The folded words
are a column of `search_entries`, indexed by SQLite's FTS5 (`search_fts`, an
external-content table kept by triggers) or by PostgreSQL's `tsvector` with the `simple`
configuration (a generated column `tsv` and a GIN index); both are made by migration 0003.

`search_cursor` holds, per meeting, the `seq` of the log the entries stand at. A writer
moves it with a compare-and-set in the same transaction as the entries
(`SearchIndex.write`), so two indexers (two server processes) never both write from the
same starting point: the second gets `Conflict` and looks again.
"""

from __future__ import annotations

import asyncio
import hashlib
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import msgspec
from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    column,
    delete,
    insert,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from .log import Conflict
from .tables import meetings, metadata
from .text import MAX_WORDS, fold, query_words, snippet, words

__all__ = [
    "MAX_WORDS",
    "Found",
    "IndexEntry",
    "SearchIndex",
    "Stored",
    "fold",
    "query_words",
    "search_cursor",
    "search_entries",
    "snippet",
]

search_entries = Table(
    "search_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("meeting_id", String(64), nullable=False),
    Column("key", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("body_id", String(64), nullable=False),
    Column("audience", String(16), nullable=False),
    Column("at", String(32), nullable=False),
    Column("item_id", String(64), nullable=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("folded", Text, nullable=False),
    Column("digest", String(64), nullable=False),
)
Index("ix_search_entries_meeting_key", search_entries.c.meeting_id, search_entries.c.key,
      unique=True)  # fmt: skip
Index("ix_search_entries_body_at", search_entries.c.body_id, search_entries.c.at)

search_cursor = Table(
    "search_cursor",
    metadata,
    Column("meeting_id", String(64), primary_key=True),
    Column("seq", BigInteger, nullable=False),
)


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One searchable thing of a meeting, as the index keeps it.

    `key` is unique in the meeting (`item:<id>`, `vote:<id>`, …); `audience` is the least
    that may find it (`public`, `delegates`, `staff`); `at` is when it happened (ISO 8601,
    for the date filter). `file` names a paper's file whose extracted text the indexer
    adds to `text` when it writes the entry (the projection itself does no I/O).
    """

    meeting_id: str
    key: str
    kind: str
    body_id: str
    audience: str
    at: str
    title: str
    text: str
    item_id: str | None = None
    file: str | None = None

    @property
    def digest(self) -> str:
        """What the entry says: an entry with the same digest need not be written again."""
        return hashlib.sha256(msgspec.json.encode(asdict(self))).hexdigest()


@dataclass(frozen=True, slots=True)
class Found:
    """One search result."""

    meeting_id: str
    meeting_title: str
    key: str
    kind: str
    body_id: str
    audience: str
    at: str
    item_id: str | None
    title: str
    text: str


@dataclass(slots=True)
class Stored:
    """What the index holds for one meeting: its cursor (None: no row) and entry digests."""

    seq: int | None
    digests: dict[str, str] = field(default_factory=dict)


class SearchIndex:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    async def behind(self) -> dict[str, tuple[int, int]]:
        """Meetings whose log is ahead of the index: id → (head seq, indexed seq)."""
        query = (
            select(meetings.c.id, meetings.c.head_seq, search_cursor.c.seq)
            .select_from(
                meetings.outerjoin(search_cursor, search_cursor.c.meeting_id == meetings.c.id)
            )
            .where(or_(search_cursor.c.seq.is_(None), search_cursor.c.seq < meetings.c.head_seq))
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {r[0]: (int(r[1]), int(r[2] or 0)) for r in rows}

    async def stored(self, meeting_id: str) -> Stored:
        async with self._engine.connect() as conn:
            seq = (
                await conn.execute(
                    select(search_cursor.c.seq).where(search_cursor.c.meeting_id == meeting_id)
                )
            ).scalar()
            rows = await conn.execute(
                select(search_entries.c.key, search_entries.c.digest).where(
                    search_entries.c.meeting_id == meeting_id
                )
            )
            return Stored(None if seq is None else int(seq), {r.key: r.digest for r in rows})

    async def write(
        self,
        meeting_id: str,
        expected: int | None,
        seq: int,
        changed: Sequence[IndexEntry],
        gone: Collection[str],
        known: Collection[str],
        texts: Mapping[str, str],
    ) -> None:
        """Move the meeting's cursor from `expected` to `seq` and write its changes, in one
        transaction; `Conflict` (and nothing written) if the cursor is not at `expected`.

        `known` are the keys already stored (updated in place), `texts` the extracted text
        of the files `changed` entries name.
        """
        # Folding a paper's pages is work for a thread, not for the event loop.
        rows = await asyncio.to_thread(lambda: [_row(e, texts) for e in changed])
        async with self._engine.begin() as conn:
            if expected is None:
                try:
                    await conn.execute(insert(search_cursor).values(meeting_id=meeting_id, seq=seq))
                except IntegrityError as exc:
                    raise Conflict(meeting_id) from exc
            else:
                moved = await conn.execute(
                    update(search_cursor)
                    .where(
                        and_(
                            search_cursor.c.meeting_id == meeting_id,
                            search_cursor.c.seq == expected,
                        )
                    )
                    .values(seq=seq)
                )
                if moved.rowcount != 1:
                    raise Conflict(meeting_id)
            if gone:
                await conn.execute(
                    delete(search_entries).where(
                        and_(
                            search_entries.c.meeting_id == meeting_id,
                            search_entries.c.key.in_(list(gone)),
                        )
                    )
                )
            new = []
            for entry, row in zip(changed, rows, strict=True):
                if entry.key in known:
                    await conn.execute(
                        update(search_entries)
                        .where(
                            and_(
                                search_entries.c.meeting_id == meeting_id,
                                search_entries.c.key == entry.key,
                            )
                        )
                        .values(**row)
                    )
                else:
                    new.append(row)
            if new:
                await conn.execute(insert(search_entries), new)

    async def search(
        self,
        words: Sequence[str],
        *,
        public: bool,
        delegates_of: Collection[str] = (),
        staff_of: Collection[str] = (),
        body: str | None = None,
        meeting: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
    ) -> list[Found]:
        """Entries with every word of `words` (the last one as a prefix), best first.

        Everyone finds public entries (when `public`); delegates' entries are found in the
        meetings of `delegates_of` and `staff_of`, staff's in those of `staff_of` only.
        `since` and `until` bound `at` (ISO 8601 strings compared as text).
        """
        if not words:
            return []
        e = search_entries
        seen = [and_(e.c.meeting_id.in_(list(staff_of)))] if staff_of else []
        if delegates_of:
            seen.append(and_(e.c.meeting_id.in_(list(delegates_of)), e.c.audience != "staff"))
        if public:
            seen.append(e.c.audience == "public")
        if not seen:
            return []
        where = [or_(*seen)]
        if body is not None:
            where.append(e.c.body_id == body)
        if meeting is not None:
            where.append(e.c.meeting_id == meeting)
        if since is not None:
            where.append(e.c.at >= since)
        if until is not None:
            where.append(e.c.at < until)
        columns = [e.c.meeting_id, meetings.c.title.label("meeting_title"), e.c.key, e.c.kind,
                   e.c.body_id, e.c.audience, e.c.at, e.c.item_id, e.c.title, e.c.text]  # fmt: skip
        joined = e.join(meetings, meetings.c.id == e.c.meeting_id)
        params: dict[str, Any] = {}
        if self.dialect == "postgresql":
            terms = " & ".join([*words[:-1], words[-1] + ":*"])
            match = text("search_entries.tsv @@ to_tsquery('simple', :terms)")
            rank = text("ts_rank(search_entries.tsv, to_tsquery('simple', :terms)) DESC")
            params["terms"] = terms
            query = select(*columns).select_from(joined).where(match, *where).order_by(rank, e.c.at)
        else:
            terms = " ".join([*(f'"{w}"' for w in words[:-1]), f'"{words[-1]}"*'])
            fts = table("search_fts", column("rowid"))
            match = text("search_fts MATCH :terms")
            params["terms"] = terms
            query = (
                select(*columns)
                .select_from(joined.join(fts, fts.c.rowid == e.c.id))
                .where(match, *where)
                .order_by(text("bm25(search_fts)"), e.c.at)
            )
        async with self._engine.connect() as conn:
            rows = await conn.execute(query.limit(limit), params)
            return [Found(**r._mapping) for r in rows]


def _row(entry: IndexEntry, texts: Mapping[str, str]) -> dict[str, Any]:
    body = entry.text
    if entry.file is not None and texts.get(entry.file):
        body = f"{body}\n{texts[entry.file]}"
    body = unicodedata.normalize("NFC", body)
    title = unicodedata.normalize("NFC", entry.title)
    return {
        "meeting_id": entry.meeting_id,
        "key": entry.key,
        "kind": entry.kind,
        "body_id": entry.body_id,
        "audience": entry.audience,
        "at": entry.at,
        "item_id": entry.item_id,
        "title": title,
        "text": body,
        "folded": " ".join(words(f"{title}\n{body}")),
        "digest": entry.digest,
    }
