"""Paired devices, pairing codes (hashed), and the device of a token.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("paired_at", sa.String(32), nullable=False),
        sa.Column("paired_by", sa.String(64), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=True),
        sa.Column("revoked_by", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_devices_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
    )
    op.create_index("ix_devices_meeting_user", "devices", ["meeting_id", "user_id"])
    op.create_table(
        "pairing_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("issued_by", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("used_at", sa.String(32), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_pairing_codes_user_id_users"),
        sa.PrimaryKeyConstraint("code_hash", name="pk_pairing_codes"),
    )
    op.create_index("ix_pairing_codes_meeting_user", "pairing_codes", ["meeting_id", "user_id"])
    # SQLite cannot add a foreign key to an existing table without rebuilding it.
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("device_id", sa.String(64), nullable=True))
        batch.create_foreign_key("fk_tokens_device_id_devices", "devices", ["device_id"], ["id"])
        batch.create_index("ix_tokens_device_id", ["device_id"])


def downgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.drop_index("ix_tokens_device_id")
        batch.drop_constraint("fk_tokens_device_id_devices", type_="foreignkey")
        batch.drop_column("device_id")
    op.drop_index("ix_pairing_codes_meeting_user", table_name="pairing_codes")
    op.drop_table("pairing_codes")
    op.drop_index("ix_devices_meeting_user", table_name="devices")
    op.drop_table("devices")
