"""Requests that used to be a 500 are a 4xx with a reason, and a 500 tells the log nothing
about the person (issue 11, items 9 and 12)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from liverlens.web import create_app
from liverlens.web.settings import Settings
from tests.web.conftest import api_sign_up, post_form, sign_up
from tests.web.test_fhir_cds import call, signing_key, token

__all__ = ["signing_key"]  # the fixture, used by name
JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "body",
    [
        '{"labs": {"\\u00b2": 5}}',  # a superscript two: isdigit() is true, int() fails
        '{"labs": {"\\u2460": 5}}',  # a circled one
        '{"labs": {"alt": 40}, "context": {"medications": ["\\ud800"]}}',  # a lone surrogate
        '{"labs": {"\\udc00": 5}}',
        '{"labs": {"alt": 40}, "reference": "\\ud83d"}',
    ],
)
def test_strange_keys_and_text_are_a_422(client: TestClient, body: str) -> None:
    response = client.post("/api/v1/interpret", content=body, headers=JSON)
    assert response.status_code == 422, response.text
    response.json()  # and the answer itself is valid JSON


def test_a_lone_surrogate_in_credentials_is_refused(client: TestClient) -> None:
    body = '{"email": "a\\ud800@example.org", "password": "correct horse 1"}'
    assert client.post("/api/v1/users", content=body, headers=JSON).status_code == 422


@pytest.mark.parametrize("panel_id", [2**63, 2**64 + 5, -1, 0])
def test_panel_ids_out_of_range_are_not_found(client: TestClient, panel_id: int) -> None:
    api_sign_up(client, "ids@example.org")
    assert client.get(f"/api/v1/panels/{panel_id}").status_code in (404, 422)
    assert client.get(f"/panels/{panel_id}").status_code in (404, 422)


@pytest.mark.parametrize("payload", ["[]", '"x"', "null", "5", '{"labs": {"alt": "abc"}}', "{"])
def test_a_bad_saved_payload_is_a_422(client: TestClient, payload: str) -> None:
    sign_up(client, "payload@example.org")
    response = post_form(client, "/panels", {"payload": payload, "collected_on": "2026-01-01"})
    assert response.status_code == 422, response.text[:300]


@pytest.mark.parametrize(
    "prefetch",
    [
        {"observations": "a string", "patient": 5},
        {"observations": ["not", "a", "bundle"]},
        {"observations": {"resourceType": "Bundle", "entry": ["x", 5, {"resource": "y"}]}},
        {"observations": {"resourceType": "Bundle", "entry": "oops"}},
    ],
)
def test_cds_prefetch_that_is_not_fhir_is_not_a_500(
    client: TestClient, signing_key: Any, prefetch: dict[str, Any]
) -> None:
    response = call(client, token(signing_key), prefetch)
    assert response.status_code < 500, response.text


def test_a_jwt_whose_algorithm_does_not_fit_the_key_is_a_401(
    client: TestClient, signing_key: Any
) -> None:
    """The trusted key is EC; a token signed RS384 with another key must not crash."""
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(
        {"iss": "https://ehr.example.org", "aud": "x", "exp": 9e9, "iat": 0, "jti": "1"},
        other,
        algorithm="RS384",
        headers={"kid": "ehr-1"},
    )
    assert call(client, forged, {}).status_code == 401


def _chunks(size: int) -> Iterator[bytes]:
    sent = 0
    while sent < size:
        yield b" " * 65536
        sent += 65536


@pytest.mark.parametrize("path", ["/api/v1/interpret", "/fhir/$interpret", "/report"])
def test_a_streamed_body_over_the_limit_is_a_413(client: TestClient, path: str) -> None:
    response = client.post(path, content=_chunks(300 * 1024), headers=JSON)
    assert response.status_code == 413
    assert "content-security-policy" in response.headers  # security headers on a 413 too


def test_a_405_says_which_methods_are_allowed(client: TestClient) -> None:
    response = client.delete("/api/v1/interpret")
    assert response.status_code == 405
    assert "POST" in response.headers["allow"]


def test_a_500_logs_no_health_data(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Before, uvicorn printed the traceback of every 500, which quoted the input
    (``input_value={'alt': 412, 'ast': 388}``, "...rexate 15mg")."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("input_value={'alt': 412, 'ast': 388} methotrexate 15mg")

    monkeypatch.setattr("liverlens.web.routes.api.run_interpret", broken)
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        body = {"labs": {"alt": 412, "ast": 388}, "context": {"medications": ["methotrexate"]}}
        response = c.post("/api/v1/interpret", content=json.dumps(body), headers=JSON)
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error"}
    assert "content-security-policy" in response.headers
    logged = "\n".join(
        [r.getMessage() for r in caplog.records]
        + [str(r.exc_info) for r in caplog.records if r.exc_info]
    )
    assert "ValueError" in logged and "/api/v1/interpret" in logged
    for secret in ("412", "388", "methotrexate", "15mg", "Traceback"):
        assert secret not in logged, secret


# CDS Hooks tokens (issue 11, item 10) -----------------------------------------------------


def test_a_token_for_another_service_fails_whatever_the_host_header(
    client: TestClient, signing_key: Any
) -> None:
    """Before, the expected audience came from the request's Host header, so a token minted
    for another service passed when the caller sent that service's host name."""
    other = "https://other-service.example/cds-services/liverlens-patient-view"
    forged = token(signing_key, aud=other)
    body = {"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "p1"}}
    response = client.post(
        "/cds-services/liverlens-patient-view",
        json=body,
        headers={"authorization": f"Bearer {forged}", "host": "other-service.example"},
    )
    assert response.status_code == 401 and "aud" in response.text.lower()


def test_a_token_is_good_for_one_call(client: TestClient, signing_key: Any) -> None:
    from tests.web.test_fhir_cds import observations_prefetch

    once = token(signing_key)
    assert call(client, once, observations_prefetch()).status_code == 200
    replayed = call(client, once, observations_prefetch())
    assert replayed.status_code == 401 and "used before" in replayed.json()["detail"]


def test_a_long_lived_token_is_refused(client: TestClient, signing_key: Any) -> None:
    import time

    ten_years = token(signing_key, exp=int(time.time()) + 10 * 365 * 86400)
    response = call(client, ten_years, {})
    assert response.status_code == 401 and "lives too long" in response.json()["detail"]


def test_without_a_public_url_cds_calls_are_refused(client: TestClient, signing_key: Any) -> None:
    from dataclasses import replace

    app: Any = client.app
    app.state.settings = replace(app.state.settings, public_url=None)
    response = call(client, token(signing_key), {})
    assert response.status_code == 401 and "LIVERLENS_PUBLIC_URL" in response.json()["detail"]
