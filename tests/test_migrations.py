"""The migrations build exactly the schema `meeting.store.tables` declares, on each database.

What only a migration knows (the search index's own: SQLite FTS5 and its shadow tables,
PostgreSQL's generated `tsvector` and its index) is the one expected difference.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from meeting.store import Store
from meeting.store.tables import metadata


def _search_only(diff: Any) -> bool:
    """A table, column or index of the search index that only its migration declares."""
    kind = diff[0]
    if kind == "remove_table":
        return str(diff[1].name).startswith("search_fts")
    if kind == "remove_index":
        return str(diff[1].name) == "ix_search_entries_tsv"
    if kind == "remove_column":
        return (diff[2], diff[3].name) == ("search_entries", "tsv")
    return False


async def test_the_migrated_schema_matches_the_declared_tables(db_url: str) -> None:
    store = await Store.open(db_url)
    try:
        async with store.engine.connect() as conn:
            diffs = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), metadata)
            )
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await store.close()
    unexpected = [d for d in diffs if not _search_only(d)]
    assert unexpected == []
    assert {"devices", "pairing_codes"} <= names
