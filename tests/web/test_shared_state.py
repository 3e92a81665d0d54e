"""The CDS Hooks token memory and the sign-in throttle hold across server processes (issue 15):
both live in the database, so two app instances on one database file (as two workers of
``liverlens serve --workers 2`` are) refuse a replayed token and share one count of failed
sign-ins. Run on SQLite always, and on PostgreSQL when LIVERLENS_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from liverlens.web import cds_auth, create_app
from liverlens.web.db import make_engine
from liverlens.web.migrate import upgrade
from liverlens.web.models import SignInFailure, UsedToken
from liverlens.web.settings import Settings
from liverlens.web.throttle import FREE_TRIES, WINDOW_S, Throttle, Throttled
from tests.web.conftest import api_sign_up
from tests.web.test_fhir_cds import ISSUER, call, observations_prefetch, token
from tests.web.test_migrations import POSTGRES, _empty_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """One database for the whole test, migrated: a SQLite file, or the PostgreSQL test
    database emptied first."""
    if request.param == "postgresql":
        if not POSTGRES:
            pytest.skip("set LIVERLENS_TEST_POSTGRES_URL to run on PostgreSQL")
        url = _empty_postgres()
    else:
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def engines(database_url: str) -> Iterator[list[Engine]]:
    """Two engines on the one database, with their own connection pools: two processes."""
    made = [make_engine(database_url), make_engine(database_url)]
    yield made
    for engine in made:
        engine.dispose()


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# the token memory -------------------------------------------------------------------------


def test_a_jti_used_by_one_instance_is_a_replay_for_the_other(engines: list[Engine]) -> None:
    clock = Clock()
    one, other = (cds_auth.Replays(engine, clock) for engine in engines)
    expires = clock.now + 300
    assert one.first_use("jti-1", expires) is True
    assert other.first_use("jti-1", expires) is False
    assert one.first_use("jti-1", expires) is False
    assert other.first_use("jti-2", expires) is True


def test_racing_threads_with_one_jti_let_exactly_one_in(engines: list[Engine]) -> None:
    """Sixteen callers at once, half on each engine (each its own Replays, so no lock in
    this process serialises them): the database's unique key alone decides."""
    clock = Clock()
    replays = [cds_auth.Replays(engines[i % 2], clock) for i in range(16)]
    start = threading.Barrier(len(replays))
    results: list[bool] = []
    failures: list[BaseException] = []

    def race(memory: cds_auth.Replays) -> None:
        start.wait()
        try:
            results.append(memory.first_use("the-same-jti", clock.now + 300))
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=race, args=(memory,)) for memory in replays]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert sorted(results) == [False] * 15 + [True]


def test_one_shared_memory_is_safe_across_threads(engines: list[Engine]) -> None:
    """One Replays (as one worker holds) used by many threads: its pool, no lock of its own."""
    clock = Clock()
    memory = cds_auth.Replays(engines[0], clock)
    results: list[bool] = []
    start = threading.Barrier(12)

    def race() -> None:
        start.wait()
        results.append(memory.first_use("one-jti", clock.now + 300))

    threads = [threading.Thread(target=race) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [False] * 11 + [True]


def test_an_expired_jti_is_forgotten_and_only_a_digest_is_stored(engines: list[Engine]) -> None:
    clock = Clock()
    memory = cds_auth.Replays(engines[0], clock)
    assert memory.first_use("urn:jti:secret-looking", clock.now + 10)
    with engines[0].connect() as db:
        stored = db.execute(select(UsedToken.jti_hash)).scalars().all()
    assert len(stored) == 1 and "secret-looking" not in stored[0] and len(stored[0]) == 64
    clock.now += 10 + cds_auth.LEEWAY_S + 1  # the token is dead, its row not yet purged
    assert memory.first_use("urn:jti:secret-looking", clock.now + 5)  # taken over, once
    assert not cds_auth.Replays(engines[1], clock).first_use("urn:jti:secret-looking", 2e9)
    clock.now += cds_auth.PURGE_EVERY_S + 60
    memory.first_use("another", clock.now + 300)  # a minute on: the dead row is purged
    with engines[0].connect() as db:
        assert db.execute(select(UsedToken.expires_at)).scalars().all() == [clock.now + 300]


def test_without_an_engine_the_memory_is_the_process_s_own() -> None:
    memory = cds_auth.Replays()
    assert memory.first_use("j", 2e9) and not memory.first_use("j", 2e9)


def _cds_app(database_url: str, public_jwk: dict[str, Any]) -> FastAPI:
    settings = Settings(
        database_url=database_url,
        secret_key="shared-state",
        cds_trusted_issuers={ISSUER: {"keys": [public_jwk]}},
        public_url="http://127.0.0.1",
    )
    return create_app(settings)


def test_a_token_replayed_to_a_second_app_on_the_same_database_is_refused(
    database_url: str,
) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key())) | {"kid": "ehr-1"}
    apps = [_cds_app(database_url, public), _cds_app(database_url, public)]
    once = token(key)
    with (
        TestClient(apps[0], base_url="http://127.0.0.1") as first,
        TestClient(apps[1], base_url="http://127.0.0.1") as second,
    ):
        assert call(first, once, observations_prefetch()).status_code == 200
        replayed = call(second, once, observations_prefetch())
        assert replayed.status_code == 401 and "used before" in replayed.json()["detail"]
        assert call(second, token(key), observations_prefetch()).status_code == 200
    for app in apps:
        app.state.engine.dispose()


# the sign-in throttle ---------------------------------------------------------------------


def test_failures_counted_by_two_instances_add_up(engines: list[Engine]) -> None:
    clock = Clock()
    one, other = (Throttle(clock, engine, b"secret") for engine in engines)
    for i in range(FREE_TRIES["pair"]):
        (one if i % 2 else other).failed("a@x.org", "10.0.0.1")
    for throttle in (one, other):
        with pytest.raises(Throttled) as caught:
            throttle.check("a@x.org", "10.0.0.1")
        assert caught.value.seconds == 1
    other.succeeded("a@x.org", "10.0.0.1")  # a success through either clears both
    one.check("a@x.org", "10.0.0.1")


def test_racing_failures_are_all_counted(engines: list[Engine]) -> None:
    """Twenty failures at once from two instances: the upsert loses none of them."""
    clock = Clock()
    throttles = [Throttle(clock, engines[i % 2]) for i in range(20)]
    start = threading.Barrier(len(throttles))

    def fail(throttle: Throttle) -> None:
        start.wait()
        throttle.failed("b@x.org", "10.0.0.2")

    threads = [threading.Thread(target=fail, args=(t,)) for t in throttles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with engines[0].connect() as db:
        counts = db.execute(select(SignInFailure.kind, SignInFailure.failures)).all()
    assert sorted(counts) == [("account", 20), ("address", 20), ("pair", 20)]


def test_the_table_holds_no_e_mail_or_address(engines: list[Engine]) -> None:
    throttle = Throttle(Clock(), engines[0], b"secret")
    throttle.failed("someone@example.org", "198.51.100.7")
    with engines[0].connect() as db:
        rows = db.execute(text("SELECT * FROM sign_in_failures")).all()
    stored = " ".join(str(value) for row in rows for value in row)
    assert len(rows) == 3
    assert "someone" not in stored and "example.org" not in stored and "198.51" not in stored
    # keyed with the app's secret: another secret gives other digests
    with engines[0].connect() as db:
        ours = set(db.execute(select(SignInFailure.key_hash)).scalars())
    Throttle(Clock(), engines[0], b"another").failed("someone@example.org", "198.51.100.7")
    with engines[0].connect() as db:
        assert len(set(db.execute(select(SignInFailure.key_hash)).scalars()) - ours) == 3


def test_faded_counts_start_again_and_are_purged(engines: list[Engine]) -> None:
    clock = Clock()
    throttle = Throttle(clock, engines[0])
    for _ in range(FREE_TRIES["pair"] + 2):
        throttle.failed("c@x.org", "10.0.0.3")
    clock.now += WINDOW_S + 1
    throttle.failed("c@x.org", "10.0.0.3")  # the old run faded: this is failure one again
    throttle.check("c@x.org", "10.0.0.3")
    throttle.failed("other@x.org", "10.0.0.4")
    clock.now += WINDOW_S + 120
    throttle.failed("d@x.org", "10.0.0.5")  # past the purge interval: faded rows go
    with engines[0].connect() as db:
        assert db.execute(select(SignInFailure.last)).scalars().all() == [clock.now] * 3


def test_the_api_throttle_holds_across_two_apps_on_one_database(database_url: str) -> None:
    settings = Settings(database_url=database_url, secret_key="shared-state")
    apps = [create_app(settings), create_app(replace(settings))]
    wrong = {"email": "t@example.org", "password": "wrong password 1"}
    with (
        TestClient(apps[0], base_url="http://127.0.0.1") as first,
        TestClient(apps[1], base_url="http://127.0.0.1") as second,
    ):
        api_sign_up(first, "t@example.org")
        clients = [first, second]
        codes = [
            clients[i % 2].post("/api/v1/session", json=wrong).status_code
            for i in range(FREE_TRIES["pair"])
        ]
        assert codes == [401] * FREE_TRIES["pair"]
        assert first.post("/api/v1/session", json=wrong).status_code == 429
        assert second.post("/api/v1/session", json=wrong).status_code == 429
    for app in apps:
        app.state.engine.dispose()
