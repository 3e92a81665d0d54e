"""CDS Hooks without prefetch: the service reads the client's FHIR server itself, with the
client's bearer token, as CDS Hooks 2.0 allows, and answers 412 when it cannot.

The FHIR server here is a real HTTP server on 127.0.0.1 that serves the US Core-shaped
fixture as a paged search and refuses any other token."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.test_fhir_cds import (
    call,
    fixture,
    for_patient,
    observations_prefetch,
    signing_key,
    token,
)

__all__ = ["signing_key"]  # the fixture, used by name
TOKEN = "ehr-issued-token"


class FhirServer:
    """Patient/p1 and a two-page Observation search, for one bearer token."""

    def __init__(self) -> None:
        bundle = for_patient(json.loads(fixture("us-core-labs.json")), "p1")
        resources = [e["resource"] for e in bundle["entry"]]
        self.patient = next(r for r in resources if r["resourceType"] == "Patient")
        observations = [r for r in resources if r["resourceType"] == "Observation"]
        self.pages = [observations[:3], observations[3:]]
        self.seen: list[tuple[str, str | None]] = []
        self.next_link: str | None = None  # None: the server's own page 2
        self.redirect_to: str | None = None  # answer every request with a 302 to this
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                owner.seen.append((self.path, self.headers.get("Authorization")))
                if owner.redirect_to is not None:
                    self.send_response(302)
                    self.send_header("Location", owner.redirect_to + self.path)
                    self.end_headers()
                    return
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._send(401, {"resourceType": "OperationOutcome", "issue": []})
                    return
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                if url.path == "/fhir/Patient/p1":
                    self._send(200, owner.patient)
                elif url.path == "/fhir/Observation" and query.get("patient") == ["p1"]:
                    page = int(query.get("page", ["1"])[0])
                    links = []
                    if page == 1:
                        here = f"http://127.0.0.1:{owner.port}/fhir/Observation?patient=p1&page=2"
                        links.append({"relation": "next", "url": owner.next_link or here})
                    entries = [{"resource": r} for r in owner.pages[page - 1]]
                    self._send(
                        200,
                        {
                            "resourceType": "Bundle",
                            "type": "searchset",
                            "link": links,
                            "entry": entries,
                        },
                    )
                else:
                    self._send(404, {"resourceType": "OperationOutcome", "issue": []})

            def _send(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}/fhir"


@pytest.fixture
def fhir_server() -> Iterator[FhirServer]:
    server = FhirServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def call_with_server(
    client: TestClient, key: Any, server: str, prefetch: dict[str, Any] | None, **auth: Any
) -> Any:
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": server,
        "fhirAuthorization": {
            "access_token": TOKEN,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/Patient.read patient/Observation.read",
            "subject": "cds-service",
        }
        | auth,
        "context": {"userId": "Practitioner/1", "patientId": "p1"},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return client.post(
        "/cds-services/liverlens-patient-view",
        json=body,
        headers={"authorization": f"Bearer {token(key)}"},
    )


def test_without_prefetch_the_service_reads_the_fhir_server(
    client: TestClient, signing_key: Any, fhir_server: FhirServer
) -> None:
    response = call_with_server(client, signing_key, fhir_server.base, None)
    assert response.status_code == 200, response.text
    [card] = response.json()["cards"]
    prefetched = call(client, token(signing_key), observations_prefetch()).json()["cards"][0]
    assert card["summary"] == prefetched["summary"]  # same data, same card
    assert card["indicator"] == prefetched["indicator"]
    paths = [path for path, _ in fhir_server.seen]
    assert paths[0] == "/fhir/Patient/p1"
    assert paths[1].startswith("/fhir/Observation?patient=p1&code=http")  # the discovery query
    assert "1742-6" in urllib.parse.unquote(paths[1])
    assert paths[2] == "/fhir/Observation?patient=p1&page=2"  # followed the next link
    assert all(auth == f"Bearer {TOKEN}" for _, auth in fhir_server.seen)


def test_an_operation_outcome_in_prefetch_is_fetched_again(
    client: TestClient, signing_key: Any, fhir_server: FhirServer
) -> None:
    failed = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "timeout"}],
    }
    response = call_with_server(
        client, signing_key, fhir_server.base, {"patient": None, "observations": failed}
    )
    assert response.status_code == 200 and len(response.json()["cards"]) == 1
    assert [p.split("?")[0] for p, _ in fhir_server.seen] == ["/fhir/Observation"] * 2


def test_no_authorization_means_412_and_no_request(
    client: TestClient, signing_key: Any, fhir_server: FhirServer
) -> None:
    body_without_auth = call(client, token(signing_key), with_prefetch=False)
    assert body_without_auth.status_code == 412
    assert "fhirAuthorization" in body_without_auth.json()["detail"]
    assert fhir_server.seen == []


def test_a_refused_token_is_412_with_the_reason(
    client: TestClient, signing_key: Any, fhir_server: FhirServer
) -> None:
    response = call_with_server(client, signing_key, fhir_server.base, None, access_token="stolen")
    assert response.status_code == 412 and "answered 401" in response.json()["detail"]


def test_the_token_never_leaves_the_named_server(
    client: TestClient, signing_key: Any, fhir_server: FhirServer
) -> None:
    fhir_server.next_link = "http://127.0.0.2:9/fhir/Observation?page=2"
    response = call_with_server(client, signing_key, fhir_server.base, None)
    assert response.status_code == 412 and "another server" in response.json()["detail"]


def test_redirects_are_not_followed(
    client: TestClient, signing_key: Any, fhir_server: FhirServer
) -> None:
    """urllib would forward the bearer token to a redirect's target; the service refuses."""
    elsewhere = FhirServer()  # a second server the token must never reach
    thread = threading.Thread(target=elsewhere.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        fhir_server.redirect_to = f"http://127.0.0.1:{elsewhere.port}"
        response = call_with_server(client, signing_key, fhir_server.base, None)
        assert response.status_code == 412 and "answered 302" in response.json()["detail"]
        assert elsewhere.seen == []
    finally:
        elsewhere.httpd.shutdown()
        elsewhere.httpd.server_close()


@pytest.mark.parametrize(
    ("server", "reason"),
    [
        ("http://ehr.example.org/fhir", "https"),  # plain http only to this machine
        ("file:///etc/passwd", "https"),
        ("https://user:pw@ehr.example.org/fhir", "plain"),
    ],
)
def test_unsafe_fhir_servers_are_refused(
    client: TestClient, signing_key: Any, server: str, reason: str
) -> None:
    response = call_with_server(client, signing_key, server, None)
    assert response.status_code == 412 and reason in response.json()["detail"]


@pytest.mark.parametrize("patient_id", ["../Patient/p1", "p1\n", "p1?_count=1000", ""])
def test_a_patient_id_that_is_not_a_fhir_id_is_refused(
    client: TestClient, signing_key: Any, fhir_server: FhirServer, patient_id: str
) -> None:
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2eb",
        "fhirServer": fhir_server.base,
        "fhirAuthorization": {"access_token": TOKEN, "token_type": "Bearer"},
        "context": {"userId": "Practitioner/1", "patientId": patient_id},
    }
    response = client.post(
        "/cds-services/liverlens-patient-view",
        json=body,
        headers={"authorization": f"Bearer {token(signing_key)}"},
    )
    assert response.status_code == 412 and "FHIR id" in response.json()["detail"]
    assert fhir_server.seen == []


def test_cards_speak_the_clients_language(client: TestClient, signing_key: Any) -> None:
    """CDS Hooks has no language field: the client's Accept-Language chooses."""
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ec",
        "context": {"userId": "Practitioner/1", "patientId": "p1"},
        "prefetch": observations_prefetch(),
    }
    headers = {"authorization": f"Bearer {token(signing_key)}", "accept-language": "zh-CN"}
    response = client.post("/cds-services/liverlens-patient-view", json=body, headers=headers)
    [card] = response.json()["cards"]
    assert card["summary"].startswith("LiverLens: ALT 为正常上限的") and len(card["summary"]) < 140
    assert "谷丙转氨酶" in card["detail"]
