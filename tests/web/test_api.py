"""The JSON API: interpret without an account, panels CRUD for the signed-in user."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import PANEL, api_sign_up


def test_interpret_follows_the_contract_and_needs_no_account(client: TestClient) -> None:
    response = client.post(
        "/api/v1/interpret", json={"labs": {"alt": 85}, "person": {"sex": "male"}}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["schema_version"] == "1" and body["alt_grade"] == "mild"
    assert "set-cookie" not in response.headers  # stores nothing, not even a cookie


def test_interpret_bad_input_is_422_with_field_messages(client: TestClient) -> None:
    response = client.post(
        "/api/v1/interpret",
        json={"labs": {"alt": {"value": 5, "unit": "g"}}, "person": {"age": 300}},
    )
    assert response.status_code == 422
    locs = {tuple(d["loc"]) for d in response.json()["detail"]}
    assert ("body", "person", "age") in locs
    messages = " ".join(d["msg"] for d in response.json()["detail"])
    assert "120" in messages


def test_interpret_rejects_non_json_and_huge_bodies(client: TestClient) -> None:
    assert (
        client.post(
            "/api/v1/interpret", content=b"not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )
    huge = b'{"labs": {"alt": 5}, "x": "' + b"a" * 400_000 + b'"}'
    response = client.post(
        "/api/v1/interpret", content=huge, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_panels_crud(client: TestClient) -> None:
    token = api_sign_up(client, "a@example.org")
    headers = {"x-csrf-token": token}
    created = client.post("/api/v1/panels", json=PANEL, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    panel_id = body["id"]
    assert body["labs"]["alt"] == {"value": 1.5, "unit": "ukat/L"}  # stored as entered
    assert body["report"]["analytes"]["alt"]["value"] == 90.0  # interpreted normalised
    listed = client.get("/api/v1/panels").json()
    assert [p["id"] for p in listed] == [panel_id]
    second = dict(PANEL, collected_on="2026-11-01", labs={"alt": 140})
    later = client.post("/api/v1/panels", json=second, headers=headers).json()
    assert later["report"]["trend"]["direction"] == "rising"  # uses the earlier panel
    changed: dict[str, Any] = dict(PANEL, labs={"alt": 30})
    updated = client.put(f"/api/v1/panels/{panel_id}", json=changed, headers=headers)
    assert updated.status_code == 200
    assert updated.json()["labs"]["alt"] == {"value": 30.0, "unit": "U/L"}
    assert client.get(f"/api/v1/panels/{panel_id}").json()["labs"]["alt"]["value"] == 30.0
    assert client.delete(f"/api/v1/panels/{panel_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/panels/{panel_id}").status_code == 404
    assert [p["id"] for p in client.get("/api/v1/panels").json()] == [later["id"]]


def test_panel_validation_errors_are_422(client: TestClient) -> None:
    token = api_sign_up(client, "b@example.org")
    bad = dict(PANEL, labs={"alt": {"value": 5, "unit": "mmol/L"}})
    response = client.post("/api/v1/panels", json=bad, headers={"x-csrf-token": token})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "labs", "alt", "unit"]
    missing_date = {k: v for k, v in PANEL.items() if k != "collected_on"}
    response = client.post("/api/v1/panels", json=missing_date, headers={"x-csrf-token": token})
    assert response.status_code == 422


def test_panels_need_a_session(client: TestClient) -> None:
    assert client.get("/api/v1/panels").status_code == 401
    assert client.post("/api/v1/panels", json=PANEL).status_code in (401, 403)


def test_sign_in_and_out(client: TestClient) -> None:
    api_sign_up(client, "c@example.org")
    client.cookies.clear()
    bad = client.post("/api/v1/session", json={"email": "c@example.org", "password": "wrong pass!"})
    assert bad.status_code == 401
    good = client.post(
        "/api/v1/session", json={"email": "C@Example.org", "password": "correct horse 1"}
    )
    assert good.status_code == 200
    token = good.json()["csrf_token"]
    assert client.get("/api/v1/panels").status_code == 200
    assert client.delete("/api/v1/session", headers={"x-csrf-token": token}).status_code == 204
    assert client.get("/api/v1/panels").status_code == 401


def test_duplicate_account_is_409(client: TestClient) -> None:
    api_sign_up(client, "d@example.org")
    again = client.post(
        "/api/v1/users", json={"email": "d@example.org", "password": "correct horse 1"}
    )
    assert again.status_code == 409


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/v1/interpret",
        "/api/v1/panels",
        "/api/v1/panels/{panel_id}",
        "/api/v1/session",
        "/api/v1/users",
    } <= paths.keys()
    assert client.get("/api/docs").status_code == 200
