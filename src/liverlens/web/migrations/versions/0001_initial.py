"""Users, login sessions, panels and their values.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("ix_users_email", "users", ["email"], unique=True)
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sessions_token_hash", "sessions", ["token_hash"], unique=True)
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "panels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("collected_on", sa.Date, nullable=False),
        sa.Column("person", sa.JSON, nullable=False),
        sa.Column("context", sa.JSON, nullable=False),
        sa.Column("reference", sa.String(32), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("ix_panels_owner_id", "panels", ["owner_id"])
    op.create_index("ix_panels_collected_on", "panels", ["collected_on"])
    op.create_table(
        "panel_values",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "panel_id", sa.Integer, sa.ForeignKey("panels.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("analyte", sa.String(32), nullable=False),
        sa.Column("raw_value", sa.Float, nullable=False),
        sa.Column("raw_unit", sa.String(32), nullable=False),
        sa.Column("raw_upper_limit", sa.Float, nullable=True),
        sa.Column("raw_lower_limit", sa.Float, nullable=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
    )
    op.create_index("ix_panel_values_panel_id", "panel_values", ["panel_id"])
    op.create_index("ix_panel_values_owner_id", "panel_values", ["owner_id"])


def downgrade() -> None:
    op.drop_table("panel_values")
    op.drop_table("panels")
    op.drop_table("sessions")
    op.drop_table("users")
