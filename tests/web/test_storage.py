"""An acknowledged save is never lost (issue 11, items 5 and 6).

Seen before: the 201 was sent before the commit (a dependency's code after ``yield`` runs after
the response), so a failed commit still answered ``201 {"id": 2}`` with no row written; and
under 20 concurrent savers on SQLite 13% of saves failed with "database is locked", because
the write lock was held from the INSERT through the whole report computation.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from tests.web.conftest import PANEL, api_sign_up


@pytest.fixture
def failing_commits(client: TestClient) -> Iterator[list[int]]:
    """Make the next commits fail as a locked SQLite database does; yields a counter."""
    failures = [0]

    def fail(session: Any) -> None:
        if failures[0] > 0:
            failures[0] -= 1
            raise OperationalError("COMMIT", {}, Exception("database is locked"))

    app: Any = client.app
    event.listen(app.state.sessions, "before_commit", fail)
    yield failures
    event.remove(app.state.sessions, "before_commit", fail)


def test_a_failed_commit_is_never_acknowledged(
    client: TestClient, failing_commits: list[int]
) -> None:
    token = api_sign_up(client, "a@example.org")
    headers = {"x-csrf-token": token}
    failing_commits[0] = 1
    refused = client.post("/api/v1/panels", json=PANEL, headers=headers)
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "1"
    assert client.get("/api/v1/panels").json() == []  # nothing was stored, nothing claimed
    saved = client.post("/api/v1/panels", json=PANEL, headers=headers)
    assert saved.status_code == 201
    panel_id = saved.json()["id"]
    assert client.get(f"/api/v1/panels/{panel_id}").status_code == 200  # readable at once


def test_a_failed_commit_on_a_form_save_is_not_a_redirect_to_nothing(
    client: TestClient, failing_commits: list[int]
) -> None:
    from tests.web.conftest import post_form, sign_up

    sign_up(client, "b@example.org")
    failing_commits[0] = 1
    response = post_form(client, "/panels", {"alt_value": "60", "collected_on": "2026-06-01"})
    assert response.status_code == 503
    assert client.get("/api/v1/panels").json() == []


def _post(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any, Any]:
    """POST JSON; (status, parsed answer or text, response headers)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers


def test_twenty_concurrent_savers_all_land(live_server: str) -> None:
    """20 clients save at once on SQLite: every save is acknowledged and then readable."""
    status, answer, sent = _post(
        f"{live_server}/api/v1/users", {"email": "c@example.org", "password": "correct horse 1"}, {}
    )
    assert status == 201, answer
    cookie = sent["set-cookie"].split(";")[0]
    headers = {"x-csrf-token": answer["csrf_token"], "cookie": cookie}
    results: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def save(n: int) -> None:
        body = dict(PANEL, collected_on=f"2026-01-{n + 1:02d}")
        code, answer, _ = _post(f"{live_server}/api/v1/panels", body, headers)
        with lock:
            results.append((code, answer))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in results)
    assert codes == [201] * 20, codes
    ids = {body["id"] for _, body in results}
    request = urllib.request.Request(f"{live_server}/api/v1/panels", headers={"cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        stored = {p["id"] for p in json.loads(response.read())}
    assert ids == stored


def test_ten_sign_ups_with_one_email_at_once_are_one_account(live_server: str) -> None:
    """Before: 1 x 201 and 9 x 500 (the unique index fired after the existence check)."""
    body = {"email": "same@example.org", "password": "correct horse 1"}
    codes: list[int] = []
    lock = threading.Lock()

    def sign_up() -> None:
        code, _, _ = _post(f"{live_server}/api/v1/users", body, {})
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=sign_up) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201] + [409] * 9, codes
