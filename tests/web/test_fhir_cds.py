"""FHIR in and out (validated as R4B) and the CDS Hooks service, following the spec's
examples: discovery, calls with and without prefetch, JWTs accepted and rejected."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle

from liverlens import i18n
from liverlens.fhir import interpret_fhir
from liverlens.fhir.outbound import check_codes
from tests.web.conftest import TESTS_DIR

FIXTURES = TESTS_DIR / "fixtures" / "fhir"
ENDPOINT = "http://127.0.0.1/cds-services/liverlens-patient-view"
ISSUER = "https://ehr.example.org"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_us_core_shaped_bundle_round_trips_as_r4b() -> None:
    result = interpret_fhir(fixture("us-core-labs.json"))
    assert result.report.analytes["alt"].value == 85.0
    assert result.report.analytes["bilirubin"].value == pytest.approx(1.2 * 17.1)
    assert result.report.trend is not None  # an earlier ALT became history
    Bundle.model_validate(result.bundle)
    assert check_codes(result.bundle) == []
    kinds = [e["resource"]["resourceType"] for e in result.bundle["entry"]]
    assert kinds[0] == "DiagnosticReport" and "RiskAssessment" in kinds
    alt = next(
        e["resource"]
        for e in result.bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["code"] == "1742-6"
    )
    assert alt["interpretation"][0]["coding"][0]["code"] == "H"
    assert result.source.unrecognised == [
        {"system": "http://loinc.org", "code": "2093-3", "display": "Cholesterol"}
    ]


def test_chinese_lab_umol_bilirubin_and_reference_ranges() -> None:
    result = interpret_fhir(fixture("cn-lab-ndjson.ndjson"), language="en")
    report = result.report
    assert report.analytes["bilirubin"].given_unit == "umol/L"
    assert report.analytes["bilirubin"].status == "high"  # 35 umol/L against the lab's 26
    assert report.analytes["alt"].limit_source == "lab" and report.analytes["alt"].upper_limit == 50
    assert report.to_dict()["analytes"]["alt"]["status"] == "high"


def test_unknown_codes_only_is_a_clear_error() -> None:
    from liverlens.errors import InputError

    only_cholesterol = json.dumps(
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "2093-3"}]},
            "valueQuantity": {"value": 5},
        }
    )
    with pytest.raises(InputError) as caught:
        interpret_fhir(only_cholesterol)
    assert "no Observation with a LOINC code" in i18n.describe(caught.value)[0]


def test_invalid_fhir_is_refused_by_the_r4b_model() -> None:
    from liverlens.errors import InputError

    bad = json.dumps(
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {},
            "effectiveDateTime": "2025-13-45",
            "valueQuantity": {"value": 5},
        }
    )
    with pytest.raises(InputError) as caught:
        interpret_fhir(bad)
    assert i18n.describe(caught.value)[0].startswith("FHIR Observation")


def test_fhir_interpret_endpoint(client: TestClient) -> None:
    ok = client.post(
        "/fhir/$interpret",
        content=fixture("us-core-labs.json"),
        headers={"content-type": "application/fhir+json"},
    )
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("application/fhir+json")
    Bundle.model_validate(ok.json())
    bad = client.post("/fhir/$interpret", content=b"{}")
    assert bad.status_code == 422 and bad.json()["resourceType"] == "OperationOutcome"
    assert "is not accepted here" in bad.json()["issue"][0]["diagnostics"]
    zh = client.post("/fhir/$interpret?lang=zh", content=b"")
    assert zh.json()["issue"][0]["diagnostics"] == "FHIR: 输入为空"


# CDS Hooks -------------------------------------------------------------------------------


@pytest.fixture
def signing_key(client: TestClient) -> Any:
    """The EHR's key, trusted by the app's settings (LIVERLENS_CDS_TRUSTED_ISSUERS)."""
    key = ec.generate_private_key(ec.SECP384R1())
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    public["kid"] = "ehr-1"
    app: Any = client.app
    app.state.settings = replace(
        app.state.settings,
        cds_trusted_issuers={ISSUER: {"keys": [public]}},
        public_url="http://127.0.0.1",  # the service's own address: tokens name it as aud
    )
    return key


def token(key: Any, **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": ENDPOINT,
        "exp": now + 300,
        "iat": now,
        "jti": str(uuid.uuid4()),
    } | overrides
    return jwt.encode(claims, key, algorithm="ES384", headers={"kid": "ehr-1"})


def call(
    client: TestClient,
    auth: str | None,
    prefetch: dict[str, Any] | None = None,
    with_prefetch: bool = True,
) -> Any:
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/1", "patientId": "p1"},
    }
    if with_prefetch:
        body["prefetch"] = prefetch
    headers = {"authorization": f"Bearer {auth}"} if auth else {}
    return client.post("/cds-services/liverlens-patient-view", json=body, headers=headers)


def for_patient(bundle: dict[str, Any], patient_id: str) -> dict[str, Any]:
    """The fixture's resources as the record of ``patient_id`` (the id the calls name)."""
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Patient":
            resource["id"] = patient_id
        elif "subject" in resource:
            resource["subject"] = {"reference": f"Patient/{patient_id}"}
    return bundle


def observations_prefetch() -> dict[str, Any]:
    bundle = for_patient(json.loads(fixture("us-core-labs.json")), "p1")
    patient = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    return {"patient": patient, "observations": bundle}


def test_discovery(client: TestClient) -> None:
    services = client.get("/cds-services").json()["services"]
    assert services[0]["hook"] == "patient-view" and services[0]["id"] == "liverlens-patient-view"
    assert "{{context.patientId}}" in services[0]["prefetch"]["observations"]
    assert "http://loinc.org|1742-6" in services[0]["prefetch"]["observations"]


def test_call_with_prefetch_returns_one_card(client: TestClient, signing_key: Any) -> None:
    response = call(client, token(signing_key), observations_prefetch())
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert len(cards) == 1
    card = cards[0]
    assert len(card["summary"]) < 140 and card["summary"].startswith("LiverLens:")
    assert card["indicator"] in {"info", "warning", "critical"}
    assert card["source"]["label"] == "LiverLens" and card["source"]["url"].startswith("http")
    assert "**" in card["detail"]  # Markdown
    assert all(v not in (None, "", [], {}) for v in card.values())  # optional fields omitted


def test_urgent_panel_gives_a_critical_card(client: TestClient, signing_key: Any) -> None:
    prefetch = {
        "observations": {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [
                {
                    "resource": {
                        "resourceType": "Observation",
                        "status": "final",
                        "code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
                        "effectiveDateTime": "2026-11-20",
                        "valueQuantity": {
                            "value": 2400,
                            "unit": "U/L",
                            "system": "http://unitsofmeasure.org",
                            "code": "U/L",
                        },
                    }
                }
            ],
        }
    }
    card = call(client, token(signing_key), prefetch).json()["cards"][0]
    assert card["indicator"] == "critical" and card["summary"].startswith("LiverLens: URGENT")


def test_null_prefetch_means_no_data_and_no_card(client: TestClient, signing_key: Any) -> None:
    response = call(client, token(signing_key), {"patient": None, "observations": None})
    assert response.status_code == 200 and response.json() == {"cards": []}


def test_missing_prefetch_is_412(client: TestClient, signing_key: Any) -> None:
    assert call(client, token(signing_key), with_prefetch=False).status_code == 412
    assert call(client, token(signing_key), {"patient": None}).status_code == 412


@pytest.mark.parametrize(
    "make",
    [
        lambda key: None,  # no Authorization header
        lambda key: token(key, aud="https://elsewhere.example/cds-services/x"),
        lambda key: token(key, exp=int(time.time()) - 10),
        lambda key: token(key, iss="https://unknown.example"),
        lambda key: token(ec.generate_private_key(ec.SECP384R1())),  # signed by another key
        lambda key: jwt.encode(
            {
                "iss": ISSUER,
                "aud": ENDPOINT,
                "exp": int(time.time()) + 60,
                "iat": int(time.time()),
                "jti": "x",
            },
            "secret" * 6,
            algorithm="HS256",
        ),
        lambda key: jwt.encode(
            {"iss": ISSUER, "aud": ENDPOINT, "exp": int(time.time()) + 60},
            key,
            algorithm="ES384",
            headers={"kid": "ehr-1"},
        ),  # no iat/jti
    ],
)
def test_bad_jwts_are_rejected(client: TestClient, signing_key: Any, make: Any) -> None:
    response = call(client, make(signing_key), observations_prefetch())
    assert response.status_code == 401


def test_no_trusted_issuers_refuses_everything(client: TestClient) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    assert call(client, token(key), observations_prefetch()).status_code == 401


def test_fixture_files_exist() -> None:
    assert Path(FIXTURES / "us-core-labs.json").exists()


def test_fhir_export_keeps_the_codes_it_did_not_use() -> None:
    """`liverlens fhir export --fhir` goes through interpret_fhir, so its Bundle names the
    input codes it left out, like POST /fhir/$interpret (before, the CLI skipped that)."""
    from click.testing import CliRunner

    from liverlens.cli import cli

    path = FIXTURES / "us-core-labs.json"
    result = CliRunner().invoke(cli, ["fhir", "export", "--fhir", str(path)])
    assert result.exit_code == 0, result.stderr
    bundle = json.loads(result.stdout)
    report = bundle["entry"][0]["resource"]
    assert report["resourceType"] == "DiagnosticReport"
    assert report["extension"] == [
        {"url": "urn:liverlens:unrecognised-codes", "valueString": "http://loinc.org|2093-3"}
    ]
    assert "2093-3" in result.stderr  # and says so on stderr
    Bundle.model_validate(bundle)


def _subjects(bundle: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for entry in bundle["entry"]:
        r = entry["resource"]
        if r["resourceType"] != "Patient":
            out.setdefault(r["resourceType"], set()).add((r.get("subject") or {}).get("reference"))
    return out


def test_every_output_resource_names_the_patient_the_input_named() -> None:
    """The DiagnosticReport and Observations once had no subject, so an EHR could not file
    them under anyone."""
    result = interpret_fhir(fixture("us-core-labs.json"))
    assert _subjects(result.bundle) == {
        kind: {"Patient/example"} for kind in ("DiagnosticReport", "Observation", "RiskAssessment")
    }


def test_an_input_that_names_no_one_gets_one_anonymous_patient_in_the_bundle() -> None:
    from liverlens import interpret, load_knowledge
    from liverlens.fhir import to_bundle

    report = interpret({"labs": {"alt": {"value": 85, "unit": "U/L"}}, "person": {"sex": "male"}})
    bundle = to_bundle(load_knowledge(), report)
    patients = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert len(patients) == 1 and set(patients[0]["resource"]) == {"resourceType"}
    assert set().union(*_subjects(bundle).values()) == {patients[0]["fullUrl"]}
    Bundle.model_validate(bundle)


URGENT_PANEL = {
    "labs": {
        "alt": {"value": 420, "unit": "U/L", "upper_limit": 40},
        "ast": {"value": 300, "unit": "U/L", "upper_limit": 35},
        "alp": {"value": 130, "unit": "U/L", "upper_limit": 120},
        "bilirubin": {"value": 60, "unit": "umol/L", "upper_limit": 21},
        "inr": 1.8,
    },
    "person": {"sex": "male", "age": 50},
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_card_detail_speaks_to_the_clinician_with_numbers_not_to_the_patient(
    language: str,
) -> None:
    """The card detail once opened with "Your ALT is 420 U/L ..." and the lay summary."""
    from liverlens import interpret
    from liverlens.web.routes.cds import _detail

    detail = _detail(interpret(dict(URGENT_PANEL, language=language)))
    lay = ("Your ", "you ", "您的", "您")
    assert not any(word in detail for word in lay), detail
    # the values with their limits and folds, the pattern with R, the flags and the scores
    if language == "en":
        assert "ALT 420 U/L (10.5× ULN 40)" in detail
        assert "AST 300 U/L (8.6× ULN 35)" in detail
        # R = (420/40) / (130/120) = 9.7 (EASL DILI 2019)
        assert "hepatocellular" in detail and "R 9.7" in detail and "AST/ALT 0.71" in detail
        assert detail.startswith("**LiverLens: urgent**") and "INR 1.8" in detail
    else:
        assert "谷丙转氨酶 420 U/L（正常上限 40 的 10.5 倍）" in detail
        assert "肝细胞损伤型" in detail and "R 比值 9.7" in detail and "**危险信号：**" in detail
        assert detail.startswith("**LiverLens 解读：紧急**") and "国际标准化比值 1.8" in detail
    assert detail.count("**") >= 10
