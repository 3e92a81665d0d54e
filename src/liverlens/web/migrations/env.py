"""Alembic environment: runs on the connection LiverLens hands it (see web/migrate.py)."""

from __future__ import annotations

from alembic import context

from liverlens.web.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite has almost no ALTER TABLE
)
with context.begin_transaction():
    context.run_migrations()
