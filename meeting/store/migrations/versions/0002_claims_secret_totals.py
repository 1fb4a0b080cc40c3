"""Unique claims of events, and secret running totals.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("meeting_id", sa.String(64), primary_key=True),
        sa.Column("claim", sa.String(200), primary_key=True),
    )
    op.create_table(
        "secret_totals",
        sa.Column("meeting_id", sa.String(64), primary_key=True),
        sa.Column("tally", sa.String(64), primary_key=True),
        sa.Column("choice", sa.String(200), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("secret_totals")
    op.drop_table("claims")
