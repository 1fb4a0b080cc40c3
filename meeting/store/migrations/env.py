"""Alembic environment: runs on the connection the store hands over (sync or async)."""

from __future__ import annotations

from alembic import context

from meeting.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `meeting migrate` (Store.migrate)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
