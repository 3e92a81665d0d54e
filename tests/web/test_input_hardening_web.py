"""The web surfaces refuse what the library refuses: NaN and infinity, true as a number, a
thousands separator that could be a decimal point (issue 11, items 1-3)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf, post_form


@pytest.mark.parametrize(
    "body",
    [
        '{"labs": {"alt": NaN}}',
        '{"labs": {"alt": Infinity}}',
        '{"labs": {"alt": {"value": 40, "upper_limit": -Infinity}}}',
        '{"labs": {"platelets": NaN, "alt": 40}}',
        '{"labs": {"alt": true}}',
    ],
)
def test_the_api_refuses_what_is_not_a_finite_number(client: TestClient, body: str) -> None:
    response = client.post(
        "/api/v1/interpret", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    ids = {p["id"] for p in response.json()["detail"]}
    assert ids <= {"error.input.finite", "error.input.number_not_bool"} and ids


@pytest.mark.parametrize("typed", ["nan", "inf", "-Infinity", "1e999"])
def test_the_form_refuses_nan(client: TestClient, typed: str) -> None:
    response = post_form(client, "/report", {"alt_value": typed})
    assert response.status_code == 422
    assert "finite number" in response.text and "10,000" not in response.text


def test_the_form_asks_about_a_thousands_separator(client: TestClient) -> None:
    """'1,000' was read as 1 U/L, 'within its limit': now it is asked about."""
    response = post_form(client, "/report", {"alt_value": "1,000"})
    assert response.status_code == 422
    assert "could mean 1000 or 1" in response.text
    assert 'value="1,000"' in response.text  # what was typed is kept
    assert post_form(client, "/report", {"alt_value": "1000"}).status_code == 200
    decimal_comma = post_form(client, "/report", {"alt_value": "0,9", "alt_unit": "ukat/L"})
    assert decimal_comma.status_code == 200 and "54 U/L" in decimal_comma.text


def test_the_pdf_route_refuses_a_nan_payload(client: TestClient) -> None:
    token = csrf(client)
    payload = json.dumps({"labs": {"alt": float("nan")}})  # json.dumps writes NaN
    response = client.post("/report.pdf", data={"csrf_token": token, "payload": payload})
    assert response.status_code == 422
