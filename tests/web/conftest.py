"""A fresh app and database per test, and helpers to sign up and post forms with CSRF."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from liverlens.web import create_app
from liverlens.web.settings import Settings
from tests.live_server import serve

TESTS_DIR = Path(__file__).parent.parent
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'test.db'}", secret_key="test-secret")


@pytest.fixture
def live_server(settings: Settings) -> Iterator[str]:
    """The app on a real uvicorn (real threads, real concurrency), at its base URL."""
    with serve(settings) as url:
        yield url


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        yield c


def csrf(client: TestClient, path: str = "/") -> str:
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client: TestClient, path: str, data: dict[str, Any], **kw: Any) -> Any:
    token = csrf(client, "/")
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False, **kw)


def sign_up(client: TestClient, email: str, password: str = "correct horse battery") -> None:
    response = post_form(client, "/signup", {"email": email, "password": password})
    assert response.status_code == 303, response.text[:500]


def api_sign_up(client: TestClient, email: str) -> str:
    """Sign up through the API; returns the CSRF token for later calls."""
    response = client.post("/api/v1/users", json={"email": email, "password": "correct horse 1"})
    assert response.status_code == 201, response.text
    return str(response.json()["csrf_token"])


PANEL: dict[str, Any] = {
    "collected_on": "2026-05-01",
    "person": {"sex": "male", "age": 40},
    "labs": {"alt": {"value": 1.5, "unit": "ukat/L"}, "ast": 45},
    "context": {"alcohol_grams_per_week": 0},
}
