"""The CDS Hooks replay memory and the sign-in throttle move into the database.

They lived in one process's memory, so a second server process (``serve --workers 2``) would
have accepted a token the first had already seen and let a password be guessed twice as
often. Both tables hold SHA-256 digests only: no token id, e-mail or address in clear, and
no health data.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "used_tokens",
        sa.Column("jti_hash", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    op.create_index("ix_used_tokens_expires_at", "used_tokens", ["expires_at"])
    op.create_table(
        "sign_in_failures",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last", sa.Float, nullable=False),
    )
    op.create_index("ix_sign_in_failures_last", "sign_in_failures", ["last"])


def downgrade() -> None:
    op.drop_table("sign_in_failures")
    op.drop_table("used_tokens")
