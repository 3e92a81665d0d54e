"""FHIR input that used to give a wrong answer or a 500 (issue 11, items 4 and 8).

Seen before: two patients' Observations merged into one report (patient 2's AST 900 made
patient 1 urgent); a referenceRange in µkat/L read against a U/L value (150 times the limit,
urgent); `comparator` ignored; a second same-day result silently replacing the first; a
valueString dropped without a word; partial dates ("1970", "2024-05") a TypeError.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from liverlens import i18n
from liverlens.cli import cli
from liverlens.errors import InputError
from liverlens.fhir import interpret_fhir
from tests.web.test_fhir_cds import signing_key

__all__ = ["signing_key"]  # the fixture, used by name

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def obs(
    code: str, value: Any = None, *, when: str = "2026-09-10", patient: str = "p1", **extra: Any
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": when,
    }
    if value is not None:
        resource["valueQuantity"] = {"value": value, "unit": "U/L", "system": UCUM, "code": "U/L"}
    return resource | extra


def bundle(*resources: dict[str, Any]) -> str:
    return json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": r} for r in resources],
        }
    )


def messages(text: str) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        interpret_fhir(text)
    return {d.message: i18n.line(d, "en") for d in caught.value.details}


def test_two_patients_in_one_bundle_are_refused() -> None:
    text = bundle(obs("1742-6", 40, patient="p1"), obs("1920-8", 900, patient="p2"))
    found = messages(text)
    assert "error.fhir.many_patients" in found
    assert "Patient/p1" in found["error.fhir.many_patients"]
    assert "Patient/p2" in found["error.fhir.many_patients"]


def test_a_patient_resource_for_someone_else_is_refused() -> None:
    patient = {"resourceType": "Patient", "id": "p9", "gender": "male", "birthDate": "1970-01-01"}
    assert "error.fhir.many_patients" in messages(bundle(patient, obs("1742-6", 40)))


def test_a_reference_range_in_another_unit_is_converted() -> None:
    alt = obs(
        "1742-6",
        90,
        referenceRange=[
            {"high": {"value": 0.6, "unit": "ukat/L", "system": UCUM, "code": "ukat/L"}}
        ],
    )
    found = interpret_fhir(bundle(alt)).report.analytes["alt"]
    assert found.upper_limit == pytest.approx(36) and found.fold_uln == pytest.approx(2.5)


def test_a_reference_range_in_a_unit_not_known_is_left_out_and_said() -> None:
    alt = obs("1742-6", 90, referenceRange=[{"high": {"value": 0.6, "unit": "mmol/L"}}])
    result = interpret_fhir(bundle(alt))
    assert result.report.analytes["alt"].limit_source != "lab"
    assert any("mmol/L" in i18n.line(n, "en") for n in result.source.notes)


@pytest.mark.parametrize(
    ("comparator", "value", "status", "urgency"),
    [("<", 5, "normal", "none"), (">", 1000, "high", "urgent"), ("<", 50, None, None)],
)
def test_a_comparator_makes_the_value_a_bound(
    comparator: str, value: float, status: str | None, urgency: str | None
) -> None:
    alt = obs("1742-6")
    alt["valueQuantity"] = {
        "value": value,
        "comparator": comparator,
        "unit": "U/L",
        "system": UCUM,
        "code": "U/L",
    }
    report = interpret_fhir(
        bundle(alt, {"resourceType": "Patient", "id": "p1", "gender": "male"})
    ).report
    found = report.analytes["alt"]
    assert found.comparator == comparator and found.status == status
    if urgency is not None:
        assert report.urgency == urgency
    assert report.to_dict()["analytes"]["alt"]["comparator"] == comparator


def test_a_second_same_day_result_keeps_the_later_one_and_says_so() -> None:
    early = obs("1742-6", 300, when="2026-09-10T08:00:00Z", id="a")
    late = obs("1742-6", 90, when="2026-09-10T18:00:00Z", id="b")
    result = interpret_fhir(bundle(late, early))
    assert result.report.analytes["alt"].value == 90
    assert any("300" in i18n.line(n, "en") for n in result.source.notes)


def test_two_different_results_at_the_same_moment_are_refused() -> None:
    one = obs("1742-6", 300, when="2026-09-10T08:00:00Z", id="a")
    two = obs("1742-6", 90, when="2026-09-10T08:00:00Z", id="b")
    assert "error.fhir.conflicting_results" in messages(bundle(one, two))


def test_a_value_string_is_read_when_it_is_a_number_and_said_when_not() -> None:
    numeric = obs("1742-6", valueString="85")
    bound = obs("1920-8", valueString="<5")
    words = obs("6768-6", valueString="see comment")
    result = interpret_fhir(bundle(numeric, bound, words))
    assert result.report.analytes["alt"].value == 85
    assert result.report.analytes["ast"].comparator == "<"
    assert "alp" not in result.report.analytes
    assert any("see comment" in i18n.line(n, "en") for n in result.source.notes)


@pytest.mark.parametrize("birth", ["1970", "1970-05", "1970-05-03"])
@pytest.mark.parametrize("when", ["2026", "2026-09", "2026-09-10"])
def test_partial_dates_are_read_not_a_crash(birth: str, when: str) -> None:
    patient = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": birth}
    report = interpret_fhir(bundle(patient, obs("1742-6", 60, when=when))).report
    assert report.analytes["alt"].status == "high"
    age = report.to_dict()["scores"]["fib4"]["inputs_used"].get("age")
    assert age in (55, 56)  # the youngest the partial date allows, or the exact age


def test_fhir_routes_answer_bad_fhir_with_a_422_not_a_500(client: TestClient) -> None:
    text = bundle(obs("1742-6", 40, patient="p1"), obs("1920-8", 900, patient="p2"))
    response = client.post("/fhir/$interpret", content=text)
    assert response.status_code == 422
    assert response.json()["resourceType"] == "OperationOutcome"
    partial = bundle(
        {"resourceType": "Patient", "id": "p1", "birthDate": "1970"}, obs("1742-6", 60, when="2024")
    )
    assert client.post("/fhir/$interpret", content=partial).status_code == 200


def test_explain_fhir_reads_partial_dates(tmp_path: Any) -> None:
    path = tmp_path / "b.json"
    path.write_text(
        bundle(
            {"resourceType": "Patient", "id": "p1", "birthDate": "1970-05"},
            obs("1742-6", 60, when="2026-09"),
        )
    )
    result = CliRunner().invoke(cli, ["explain", "--fhir", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "Your ALT is 60 U/L" in result.stdout


def test_a_cds_card_reads_only_its_own_patient(client: TestClient, signing_key: Any) -> None:
    """Another patient's AST of 900 in the prefetch must not make this patient's card urgent."""
    from tests.web.test_fhir_cds import call, observations_prefetch, token

    prefetch = observations_prefetch()
    alone = call(client, token(signing_key), prefetch).json()["cards"][0]
    other = obs("1920-8", 900, patient="someone-else", when="2026-09-10")
    prefetch["observations"]["entry"].append({"resource": other})
    mixed = call(client, token(signing_key), prefetch).json()["cards"][0]
    assert mixed["indicator"] == alone["indicator"] != "critical"
    assert mixed["summary"] == alone["summary"]
