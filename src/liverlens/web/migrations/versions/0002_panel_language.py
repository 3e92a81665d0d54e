"""Panels remember the language their report was asked in.

Before this, a result saved from a Chinese report reopened as an English one. Existing rows
keep NULL, which reads as the default language, as before.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("panels") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("panels") as batch:
        batch.drop_column("language")
