"""CSRF on every state-changing route, per-user isolation on every panel route, cookies,
and no health data in logs."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.conftest import PANEL, api_sign_up, csrf, post_form, sign_up

# Routes that change nothing stored for an existing session: interpret stores nothing, and
# the JSON sign-up/sign-in need a JSON body a cross-site form cannot send.
CSRF_EXEMPT = {
    ("POST", "/api/v1/interpret"),
    ("POST", "/api/v1/users"),
    ("POST", "/api/v1/session"),
    ("POST", "/api/v1/extract"),  # reads a file and answers; stores nothing, needs no session
}


def all_routes() -> list[APIRoute]:
    """Every route of every router the app mounts (so a new route is checked too)."""
    from liverlens.web.routes import api, auth, extract, pages

    return [
        r
        for router in (
            api.public,
            api.router,
            auth.router,
            pages.router,
            extract.api,
            extract.router,
        )
        for r in router.routes
        if isinstance(r, APIRoute)
    ]


def unsafe_routes(client: TestClient) -> list[tuple[str, str]]:
    routes = []
    for route in all_routes():
        for method in route.methods - {"GET", "HEAD"}:
            if (method, route.path) not in CSRF_EXEMPT:
                routes.append((method, route.path))
    return sorted(routes)


def test_the_route_list_is_what_we_think(client: TestClient) -> None:
    assert set(unsafe_routes(client)) == {
        ("POST", "/report"),
        ("POST", "/report.pdf"),
        ("POST", "/report.ics"),
        ("POST", "/read-report"),
        ("POST", "/signup"),
        ("POST", "/signin"),
        ("POST", "/signout"),
        ("POST", "/panels"),
        ("POST", "/panels/{panel_id}/edit"),
        ("POST", "/panels/{panel_id}/delete"),
        ("POST", "/api/v1/panels"),
        ("PUT", "/api/v1/panels/{panel_id}"),
        ("DELETE", "/api/v1/panels/{panel_id}"),
        ("DELETE", "/api/v1/session"),
    }


def test_every_state_changing_route_refuses_a_missing_or_wrong_token(client: TestClient) -> None:
    sign_up(client, "owner@example.org")
    for method, path in unsafe_routes(client):
        url = path.replace("{panel_id}", "1")
        for headers in ({}, {"x-csrf-token": "forged"}):
            response = client.request(
                method, url, headers=headers, data={"alt_value": "50"}, follow_redirects=False
            )
            assert response.status_code == 403, (method, path, headers, response.status_code)


def test_cross_site_origin_is_refused_even_with_a_token(client: TestClient) -> None:
    token = csrf(client)
    response = client.post(
        "/report",
        data={"csrf_token": token, "alt_value": "50"},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403


def test_session_cookie_flags(client: TestClient) -> None:
    response = post_form(
        client, "/signup", {"email": "f@example.org", "password": "correct horse battery"}
    )
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "ll_session=" in cookie


def _make_panel(client: TestClient, token: str) -> int:
    created = client.post("/api/v1/panels", json=PANEL, headers={"x-csrf-token": token})
    assert created.status_code == 201
    return int(created.json()["id"])


@pytest.fixture
def two_users(settings: Any) -> tuple[TestClient, TestClient, int, str]:
    from liverlens.web import create_app

    app = create_app(settings)
    alice = TestClient(app, base_url="http://127.0.0.1")
    bob = TestClient(app, base_url="http://127.0.0.1")
    alice_token = api_sign_up(alice, "alice@example.org")
    bob_token = api_sign_up(bob, "bob@example.org")
    panel_id = _make_panel(alice, alice_token)
    return alice, bob, panel_id, bob_token


def test_every_panel_route_hides_other_users_data(
    two_users: tuple[TestClient, TestClient, int, str],
) -> None:
    alice, bob, panel_id, bob_token = two_users
    routes = [r for r in all_routes() if "{panel_id}" in r.path]
    covered = set()
    bob_page_token = csrf(bob, "/")
    for route in routes:
        for method in route.methods - {"HEAD"}:
            url = route.path.replace("{panel_id}", str(panel_id))
            token = bob_token if url.startswith("/api/") else bob_page_token
            kwargs: dict[str, Any] = {"headers": {"x-csrf-token": token}, "follow_redirects": False}
            if method in ("PUT",):
                kwargs["json"] = PANEL
            elif method == "POST":
                kwargs["data"] = {"csrf_token": token, "alt_value": "10", "confirm": "yes"}
            response = bob.request(method, url, **kwargs)
            assert response.status_code == 404, (method, route.path, response.status_code)
            covered.add((method, route.path))
    assert len(covered) == 10  # 3 API + 7 page methods on a single panel
    # ...and Alice's panel is untouched
    assert alice.get(f"/api/v1/panels/{panel_id}").json()["labs"]["alt"]["value"] == 1.5


def test_lists_and_exports_show_only_your_own(
    two_users: tuple[TestClient, TestClient, int, str],
) -> None:
    alice, bob, panel_id, _ = two_users
    assert bob.get("/api/v1/panels").json() == []
    assert f"/panels/{panel_id}" not in bob.get("/panels").text
    assert bob.get("/export.json").json()["panels"] == []
    assert bob.get("/export.csv").text.count("\n") == 1  # header only
    assert f"/panels/{panel_id}" in alice.get("/panels").text


def test_pages_need_a_session(client: TestClient) -> None:
    for path in (
        "/panels",
        "/panels/1",
        "/panels/1/edit",
        "/panels/1/delete",
        "/export.csv",
        "/export.json",
    ):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/signin", path


def test_no_health_data_in_logs(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    token = api_sign_up(client, "logs@example.org")
    client.post(
        "/api/v1/panels", json=dict(PANEL, labs={"alt": 987.6}), headers={"x-csrf-token": token}
    )
    client.post("/api/v1/interpret", json={"labs": {"alt": 876.5}})
    text = caplog.text
    assert "987.6" not in text and "876.5" not in text and "logs@example.org" not in text
    assert re.search(r"POST /api/v1/panels 201", text)


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
