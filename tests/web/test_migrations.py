"""Migrations run forward on an empty SQLite database, and on PostgreSQL when
LIVERLENS_TEST_POSTGRES_URL is set (.ci/run starts a server and sets it). The migrated schema
matches the models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from liverlens.web.db import make_engine
from liverlens.web.migrate import current_revision, upgrade
from liverlens.web.models import Base

POSTGRES = os.environ.get("LIVERLENS_TEST_POSTGRES_URL")
HEAD = "0003"  # the newest migration


def _check(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    assert current_revision(engine) == HEAD
    upgrade(engine)  # running again is a no-op
    tables = {"users", "sessions", "panels", "panel_values", "used_tokens", "sign_in_failures"}
    assert tables <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    engine.dispose()


def test_sqlite_from_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    _check(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
    assert oct((tmp_path / "fresh.db").stat().st_mode & 0o777) == "0o600"


def _empty_postgres() -> str:
    """The test database with its public schema dropped and made again: empty."""
    assert POSTGRES
    engine = make_engine(POSTGRES)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return POSTGRES


def _upgrade_keeps_rows(url: str) -> None:
    """A database made by 0001, with a saved panel, upgrades to head and keeps the panel."""
    engine = make_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, email, password_hash) VALUES (1, 'a@b.c', 'x')"))
        conn.execute(
            text(
                "INSERT INTO panels (id, owner_id, collected_on, person, context) "
                "VALUES (1, 1, '2026-01-02', '{}', '{}')"
            )
        )
    upgrade(engine)
    assert current_revision(engine) == HEAD
    with engine.connect() as conn:
        row = conn.execute(text("SELECT collected_on, language FROM panels WHERE id = 1")).one()
    assert str(row[0]) == "2026-01-02" and row[1] is None
    engine.dispose()


def test_sqlite_upgrade_from_0001_keeps_saved_panels(tmp_path: Path) -> None:
    _upgrade_keeps_rows(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.skipif(not POSTGRES, reason="set LIVERLENS_TEST_POSTGRES_URL to run on PostgreSQL")
def test_postgres_upgrade_from_0001_keeps_saved_panels() -> None:
    _upgrade_keeps_rows(_empty_postgres())


@pytest.mark.skipif(not POSTGRES, reason="set LIVERLENS_TEST_POSTGRES_URL to run on PostgreSQL")
def test_postgres_from_empty() -> None:
    _check(_empty_postgres())


@pytest.mark.skipif(not POSTGRES, reason="set LIVERLENS_TEST_POSTGRES_URL to run on PostgreSQL")
def test_the_app_stores_and_isolates_panels_on_postgres() -> None:
    from fastapi.testclient import TestClient

    from liverlens.web import create_app
    from liverlens.web.settings import Settings
    from tests.web.conftest import PANEL, api_sign_up

    assert POSTGRES
    app = create_app(Settings(database_url=POSTGRES, secret_key="pg-test"))
    alice = TestClient(app, base_url="http://127.0.0.1")
    bob = TestClient(app, base_url="http://127.0.0.1")
    token = api_sign_up(alice, "pg-alice@example.org")
    api_sign_up(bob, "pg-bob@example.org")
    created = alice.post("/api/v1/panels", json=PANEL, headers={"x-csrf-token": token})
    assert created.status_code == 201
    panel_id = created.json()["id"]
    assert (
        alice.get(f"/api/v1/panels/{panel_id}").json()["report"]["analytes"]["alt"]["value"] == 90
    )
    assert bob.get(f"/api/v1/panels/{panel_id}").status_code == 404
    app.state.engine.dispose()
