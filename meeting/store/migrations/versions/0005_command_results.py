"""What an accepted command returned (e.g. the id it created), kept with its outcome.

A retry with the same command id is answered from the outcomes table; it must get the same
`result` in its ack as the first answer did. Outcomes recorded before have none.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("commands", sa.Column("result", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commands") as batch:
        batch.drop_column("result")
