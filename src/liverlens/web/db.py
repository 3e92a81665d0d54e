"""Engine and sessions. SQLite gets WAL, foreign keys and a busy timeout on every connection;
PostgreSQL needs nothing special. Parameters are hidden from SQLAlchemy's logs and errors so no
health data reaches a log line.

Also here: what the shared security memory (``cds_auth.Replays``, ``throttle.Throttle``) needs
from a database: a private in-memory one when no engine is given, keyed digests so its tables
hold no identifier in clear, and one short write transaction whose lock timeout becomes
``StorageBusyError``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool

from liverlens.errors import StorageBusyError


def make_engine(url: str) -> Engine:
    is_sqlite = url.startswith("sqlite")
    kwargs: dict[str, Any] = {"hide_parameters": True, "future": True}
    if is_sqlite:
        kwargs["connect_args"] = {"check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not Path(path).exists():
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).touch(mode=0o600)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def database_file(url: str) -> str | None:
    """The SQLite file behind ``url``; None for another database or an in-memory one
    (``sqlite://`` as well as ``sqlite:///:memory:``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    name = parsed.database
    if not name or name == ":memory:" or parsed.query.get("mode") == "memory":
        return None
    return os.path.abspath(name)


def is_busy(exc: OperationalError) -> bool:
    """Whether a failed statement only met a lock (worth sending again) rather than a fault."""
    text = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None)
    # SQLite: "database is locked" / "busy"; PostgreSQL: serialization failure, deadlock
    return "locked" in text or "busy" in text or code in ("40001", "40P01")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One short transaction, committed on exit; a lock held past the wait rolls it back and
    raises ``StorageBusyError``, so the caller answers 503 instead of guessing."""
    try:
        with engine.begin() as connection:
            yield connection
    except OperationalError as exc:
        if is_busy(exc):
            raise StorageBusyError("the database is busy; nothing was written") from exc
        raise


def memory_engine(*models: type[DeclarativeBase]) -> Engine:
    """A private in-memory SQLite database holding the tables of ``models``, for one process
    (tests, the library used without a server). All threads share its single connection, so
    its user must serialise its own calls."""
    engine = create_engine(
        "sqlite://",
        poolclass=StaticPool,
        connect_args={"check_same_thread": False},
        hide_parameters=True,
    )
    for model in models:
        cast(Table, model.__table__).create(engine)
    return engine


def digest(value: str, key: bytes = b"") -> str:
    """The hex HMAC-SHA-256 of ``value`` under ``key`` (a plain SHA-256 keyed with nothing):
    what the security tables store in place of a token id, e-mail or address. With the app's
    secret as the key, a copy of the table cannot even be checked against a guessed e-mail."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
