"""Sign-in cannot be guessed at speed, and a password or an e-mail must be one (issue 11,
item 11). Seen before: 200 wrong passwords in 22 s, no lockout; ten spaces or NUL bytes
accepted as a password; " @ " accepted as an e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from liverlens.web.throttle import FREE_TRIES, Throttle, Throttled
from tests.web.conftest import api_sign_up, post_form


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_wait_grows_after_the_free_tries_and_fades() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(FREE_TRIES["pair"]):
        throttle.check("a@x.org", "10.0.0.1")
        throttle.failed("a@x.org", "10.0.0.1")
    waits = []
    for _ in range(4):
        with pytest.raises(Throttled) as caught:
            throttle.check("a@x.org", "10.0.0.1")
        waits.append(caught.value.seconds)
        clock.now += caught.value.seconds
        throttle.failed("a@x.org", "10.0.0.1")
    assert waits == [1, 2, 4, 8]
    clock.now += 16 * 60  # a quiet quarter hour: the counts fade
    throttle.check("a@x.org", "10.0.0.1")


def test_the_real_user_keeps_a_way_in_from_their_own_address() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(FREE_TRIES["address"] + 5):  # an attacker elsewhere, guessing this account
        throttle.failed("victim@x.org", "203.0.113.9")
    with pytest.raises(Throttled):
        throttle.check("victim@x.org", "203.0.113.9")
    throttle.check("victim@x.org", "192.0.2.1")  # the user's own address is not held up


def test_a_success_clears_the_account_s_own_count() -> None:
    throttle = Throttle(Clock())
    for _ in range(FREE_TRIES["pair"]):
        throttle.failed("a@x.org", "10.0.0.1")
    throttle.succeeded("a@x.org", "10.0.0.1")
    throttle.failed("a@x.org", "10.0.0.1")
    throttle.check("a@x.org", "10.0.0.1")


def test_the_api_answers_429_with_retry_after(client: TestClient) -> None:
    api_sign_up(client, "t@example.org")
    wrong = {"email": "t@example.org", "password": "wrong password 1"}
    codes = [client.post("/api/v1/session", json=wrong).status_code for _ in range(7)]
    assert codes[: FREE_TRIES["pair"]] == [401] * FREE_TRIES["pair"]
    assert codes[-1] == 429
    last = client.post("/api/v1/session", json=wrong)
    assert last.status_code == 429 and int(last.headers["retry-after"]) >= 1
    assert "wait" in last.json()["detail"]


def test_the_sign_in_page_says_how_long_to_wait(client: TestClient) -> None:
    api_sign_up(client, "p@example.org")
    for _ in range(FREE_TRIES["pair"]):
        post_form(client, "/signin", {"email": "p@example.org", "password": "not it at all"})
    response = post_form(client, "/signin", {"email": "p@example.org", "password": "nope nope!"})
    assert response.status_code == 429 and "wait" in response.text
    assert response.headers["retry-after"]


@pytest.mark.parametrize("password", [" " * 12, "\x00" * 12, "abc\x00defghij", "short"])
def test_a_password_must_be_one(client: TestClient, password: str) -> None:
    api = client.post("/api/v1/users", json={"email": "pw@example.org", "password": password})
    assert api.status_code == 422
    page = post_form(client, "/signup", {"email": "pw@example.org", "password": password})
    assert page.status_code == 422


@pytest.mark.parametrize(
    "email", [" @ ", "@example.org", "name@", "a b@example.org", "x" * 250 + "@e.org", "a@b"]
)
def test_an_email_must_be_one(client: TestClient, email: str) -> None:
    body: dict[str, Any] = {"email": email, "password": "correct horse 1"}
    assert client.post("/api/v1/users", json=body).status_code == 422
    assert post_form(client, "/signup", body).status_code == 422
