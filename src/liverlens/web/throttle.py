"""Sign-in throttling: failed tries cost a growing wait, per account and per address.

Each failed sign-in is counted three ways: for the account from this address, for this
address (across accounts), and for the account from anywhere. Past a few free tries, the next
try from that key must wait 1 s, then 2, 4, ... up to 15 minutes; a success clears the
account's own counts. The checks run before the password is hashed, so a flood of tries
costs this service nothing.

The real user keeps a way in: someone guessing from elsewhere slows only their own address
and, far later, the account everywhere; the user's own address has its own count. Counts fade
after ``WINDOW_S`` without a failure.

The counts live in the table ``sign_in_failures`` of the app's database, so every server
process (``liverlens serve --workers N``) sees the same ones, and each failure is one atomic
upsert (INSERT ... ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike): two processes
counting at once lose no failure. The table holds no e-mail or address in clear, only their
HMAC-SHA-256 under the app's secret key, and no health data. The times are wall-clock Unix
seconds (``time.time``), the one clock that processes share; tests pass their own clock.
Between a check and the failure it counts, a burst of tries at once may each pass the check,
as before: the wait they earn applies to the next ones.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import Engine, and_, case, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from liverlens.errors import ConfigurationError
from liverlens.web.db import digest, memory_engine, writing
from liverlens.web.models import SignInFailure

WINDOW_S = 15 * 60
MAX_WAIT_S = 15 * 60
FREE_TRIES = {"pair": 5, "address": 20, "account": 50}
PURGE_EVERY_S = 60  # how often one process clears the counts that have faded


class Throttled(Exception):
    """Too many failed tries: ``seconds`` to wait (a 429 with Retry-After)."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(seconds)


class Throttle:
    """Failed sign-ins by key, in ``engine`` (the app's database) or, without one, in a private
    in-memory database for this process alone. ``secret`` keys the digests of the keys."""

    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        engine: Engine | None = None,
        secret: bytes = b"",
    ) -> None:
        self._clock = clock
        self._engine = engine if engine is not None else memory_engine(SignInFailure)
        # the private database has one connection, which its threads must take in turn
        self._lock: AbstractContextManager[Any] = (
            threading.Lock() if engine is None else nullcontext()
        )
        self._secret = secret
        self._purged = float("-inf")
        dialect = self._engine.dialect.name
        if dialect not in ("sqlite", "postgresql"):
            raise ConfigurationError(
                f"the sign-in throttle needs SQLite or PostgreSQL, not {dialect}"
            )
        self._insert = sqlite.insert if dialect == "sqlite" else postgresql.insert

    def _keys(self, account: str, address: str) -> list[tuple[str, str]]:
        """(kind, digest) for the account from this address, the address, the account."""
        plain = [("pair", f"{account}|{address}"), ("address", address), ("account", account)]
        return [(kind, digest(f"{kind}:{value}", self._secret)) for kind, value in plain]

    def wait(self, account: str, address: str) -> int:
        """Seconds before another try may be made (0: try now)."""
        now = self._clock()
        keys = self._keys(account, address)
        wanted = or_(*(and_(SignInFailure.kind == k, SignInFailure.key_hash == h) for k, h in keys))
        query = select(SignInFailure.kind, SignInFailure.failures, SignInFailure.last)
        with self._lock, self._engine.connect() as db:
            rows = db.execute(query.where(wanted)).all()
        longest = 0.0
        for kind, failures, last in rows:
            if now - last > WINDOW_S:
                continue
            over = failures - FREE_TRIES[kind]
            if over >= 0:
                longest = max(longest, min(2.0**over, MAX_WAIT_S) - (now - last))
        return max(0, int(longest + 0.999))

    def failed(self, account: str, address: str) -> None:
        """Count one failure for each key: one statement, atomic whoever else counts."""
        now = self._clock()
        rows = [
            {"kind": k, "key_hash": h, "failures": 1, "last": now}
            for k, h in self._keys(account, address)
        ]
        insert = self._insert(SignInFailure).values(rows)
        faded = insert.excluded.last - SignInFailure.last > WINDOW_S
        upsert = insert.on_conflict_do_update(
            index_elements=[SignInFailure.kind, SignInFailure.key_hash],
            set_={
                "failures": case((faded, 1), else_=SignInFailure.failures + 1),
                "last": insert.excluded.last,
            },
        )
        with self._lock:
            with writing(self._engine) as db:
                db.execute(upsert)
            if now - self._purged >= PURGE_EVERY_S:
                self._purged = now
                with writing(self._engine) as db:
                    db.execute(delete(SignInFailure).where(SignInFailure.last < now - WINDOW_S))

    def check(self, account: str, address: str) -> None:
        """Raise ``Throttled`` when a try from here must wait."""
        seconds = self.wait(account, address)
        if seconds:
            raise Throttled(seconds)

    def succeeded(self, account: str, address: str) -> None:
        """Clear the account's own counts (this address's for the account, and everywhere's);
        the address's count across accounts stays."""
        keys = [k for k in self._keys(account, address) if k[0] != "address"]
        wanted = or_(*(and_(SignInFailure.kind == k, SignInFailure.key_hash == h) for k, h in keys))
        with self._lock, writing(self._engine) as db:
            db.execute(delete(SignInFailure).where(wanted))
