"""The database schema, declared once for queries and for Alembic's first migration.

Every table that holds part of a sitting's record is append-only in practice; the
`meetings` row carries the head of each log so that one row lock orders its writers.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "audit",
    "bodies",
    "body_seats",
    "claims",
    "commands",
    "devices",
    "events",
    "meetings",
    "metadata",
    "pairing_codes",
    "secret_totals",
    "tokens",
    "users",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(500), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("device_id", String(64), ForeignKey("devices.id"), nullable=True, index=True),
)

# Tablets paired as one delegate of one meeting. A token made by pairing names its device;
# revoking the device revokes those tokens in the same transaction.
devices = Table(
    "devices",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("meeting_id", String(64), nullable=False),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("paired_at", String(32), nullable=False),
    Column("paired_by", String(64), nullable=False),
    Column("revoked_at", String(32), nullable=True),
    Column("revoked_by", String(64), nullable=True),
)
Index("ix_devices_meeting_user", devices.c.meeting_id, devices.c.user_id)

# Pairing codes the staff issued, by the SHA-256 of the code: a copy of the database holds
# no code that could be typed. One live code per delegate and meeting; a used, expired or
# replaced code is deleted or marked used.
pairing_codes = Table(
    "pairing_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("meeting_id", String(64), nullable=False),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("issued_by", String(64), nullable=False),
    Column("issued_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("failures", Integer, nullable=False, default=0),
    Column("used_at", String(32), nullable=True),
)
Index("ix_pairing_codes_meeting_user", pairing_codes.c.meeting_id, pairing_codes.c.user_id)

bodies = Table(
    "bodies",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(500), nullable=False),
    Column("seats", Integer, nullable=False),
)

body_seats = Table(
    "body_seats",
    metadata,
    Column("body_id", String(64), ForeignKey("bodies.id"), primary_key=True),
    Column("seat", Integer, primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
)

meetings = Table(
    "meetings",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("body_id", String(64), nullable=False),
    Column("title", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("head_seq", BigInteger, nullable=False, default=0),
    Column("head_hash", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("meeting_id", String(64), ForeignKey("meetings.id"), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(64), nullable=True),
    Column("audience", String(16), nullable=False),
    Column("user_id", String(64), nullable=True),
    Column("data", Text, nullable=False),
    Column("hash", String(64), nullable=False),
)

# The outcome of every command, refused or not, keyed by the sender's own id: a retry with
# the same id finds it and gets the same answer. The primary key stops a second effect even
# if two writers raced.
commands = Table(
    "commands",
    metadata,
    Column("meeting_id", String(64), primary_key=True),
    Column("user_id", String(64), primary_key=True),
    Column("command_id", String(64), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("seq", BigInteger, nullable=True),
    Column("code", String(32), nullable=True),
    Column("message", Text, nullable=True),
    Column("at", String(32), nullable=False),
    # What the accepted command returned (JSON, e.g. the id it created): a retry gets it too.
    Column("result", Text, nullable=True),
)

# Unique keys that events claim (one ballot per delegate and vote): the database refuses
# a second claim even if a rule in Python were wrong.
claims = Table(
    "claims",
    metadata,
    Column("meeting_id", String(64), primary_key=True),
    Column("claim", String(200), primary_key=True),
)

# Running totals of secret ballots, one row per choice, updated in place in the same
# transaction as the "has voted" events. No row links a delegate to a choice and nothing
# here is ordered by time; the rows are deleted when the vote's result is logged.
secret_totals = Table(
    "secret_totals",
    metadata,
    Column("meeting_id", String(64), primary_key=True),
    Column("tally", String(64), primary_key=True),
    Column("choice", String(200), primary_key=True),
    Column("count", Integer, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("meeting_id", String(64), nullable=True),
    Column("user_id", String(64), nullable=True),
    Column("command_id", String(64), nullable=True),
    Column("name", String(64), nullable=True),
    Column("code", String(32), nullable=False),
    Column("message", Text, nullable=False),
    Column("source", String(16), nullable=False),
)
Index("ix_audit_meeting_at", audit.c.meeting_id, audit.c.at)
