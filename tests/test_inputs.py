"""Bad input gets one clear line per problem: the field, what was given, what is accepted."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import liverlens
from liverlens import InputError, i18n

BASE: dict[str, Any] = {"labs": {"alt": 85}, "person": {"sex": "male", "age": 40}}


def issues_for(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as info:
        liverlens.interpret(data)
    return i18n.describe(info.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"labs": {"alt": 85}, "persn": {}}, ["persn: unknown field; accepted: person, labs"]),
        (
            {"labs": {"alt": 85}, "person": {"sex": "x"}},
            ["person.sex:", "'male' or 'female'", "given 'x'"],
        ),
        ({"labs": {"alt": 85}, "person": {"age": 130}}, ["person.age:", "120", "given 130"]),
        ({"labs": {"alt": -1}}, ["labs.alt: value must not be negative"]),
        ({"labs": {"alt": 100001}}, ["labs.alt:", "not a believable result", "100000"]),
        (
            {"labs": {"alt": {"value": 50, "unit": "mmol/L"}}},
            ["labs.alt.unit: 'mmol/L'", "accepted: U/L, IU/L, ukat/L"],
        ),
        ({"labs": {"alt": 50, "hba": 3}}, ["labs.hba: unknown test; accepted: alt, ast"]),
        ({"labs": {}}, ["labs: give at least one result; accepted tests: alt, ast"]),
        (
            {"labs": {"alt": 50}, "context": {"symptoms": ["headache"]}},
            ["context.symptoms: 'headache'", "accepted: jaundice"],
        ),
        (
            {"labs": {"alt": 50}, "context": {"known_conditions": ["flu"]}},
            ["context.known_conditions: 'flu'", "hepatitis_b"],
        ),
        ({"labs": {"alt": 50}, "reference": "nhs"}, ["reference: 'nhs'", "acg2017, cn-wst404"]),
        ({"labs": {"alt": 50}, "language": "fr"}, ["language:", "given 'fr'"]),
        ({"labs": {"alt": {"value": 50, "upper_limit": -3}}}, ["labs.alt.upper_limit:"]),
        ({"labs": {"alt": "high"}}, ["labs.alt: expected a number or an object"]),
        ({"labs": {"alt": 50}, "collected_on": "2026-13-45"}, ["collected_on:"]),
        (
            {"labs": {"alt": 50}, "person": {"sex": "male", "pregnant": True}},
            ["person.pregnant: true does not fit"],
        ),
        (
            {"labs": {"alt": 50}, "history": [{"labs": {"alt": 40}}]},
            ["history.0.collected_on: required field is missing"],
        ),
        (
            {"labs": {"alt": 50}, "person": {"sex": "male", "pregnancy_weeks": 12}},
            ["person.pregnancy_weeks: weeks of pregnancy were given", "'male'"],
        ),
        (
            {
                "labs": {"alt": 50},
                "person": {"sex": "female", "pregnant": False, "pregnancy_weeks": 12},
            },
            ["person.pregnancy_weeks:", "person.pregnant is false"],
        ),
        (
            {"labs": {"alt": 50}, "person": {"pregnancy_weeks": 50}},
            ["person.pregnancy_weeks:", "45"],
        ),
        (
            {
                "labs": {"alt": 50},
                "context": {
                    "medications": [
                        {
                            "name": "isoniazid",
                            "started_on": "2026-10-01",
                            "stopped_on": "2026-09-01",
                        }
                    ]
                },
            },
            ["context.medications.0: stopped_on is before started_on"],
        ),
        (
            {
                "labs": {"alt": 50},
                "context": {"medications": [{"name": "isoniazid", "started_on": "last week"}]},
            },
            ["context.medications.0.started_on:"],
        ),
        (
            {"labs": {"alt": 50}, "context": {"medications": [{"started_on": "2026-10-01"}]}},
            ["context.medications.0", "name"],
        ),
    ],
)
def test_bad_input_names_field_given_and_accepted(
    data: dict[str, Any], expected: list[str]
) -> None:
    message = "; ".join(issues_for(data))
    for fragment in expected:
        assert fragment in message, message


def test_all_problems_reported_at_once() -> None:
    issues = issues_for(
        {
            "labs": {"alt": {"value": 5, "unit": "g"}, "ast": -2},
            "context": {"symptoms": ["hiccups"]},
        }
    )
    assert len(issues) == 3


def test_input_error_is_a_value_error_and_pickles() -> None:
    err = InputError(["a: b", "c: d"])
    assert isinstance(err, ValueError)
    again = pickle.loads(pickle.dumps(err))
    assert i18n.describe(again) == ["a: b", "c: d"]


def test_sex_spellings_are_folded() -> None:
    for spelling in ("Male", " M ", "man"):
        out = liverlens.interpret({"labs": {"alt": 30}, "person": {"sex": spelling}}).to_dict()
        assert out["analytes"]["alt"]["upper_limit"] == 33


def test_bmi_from_height_and_weight() -> None:
    out = liverlens.interpret(
        {
            "labs": {"alt": 70},
            "person": {"sex": "male", "height_cm": 175, "weight_kg": 92},
        }
    ).to_dict()
    fatty = next(c for c in out["causes"] if c["id"] == "fatty_liver")
    assert any("BMI is 30" in r for r in fatty["reasons_for"])


def test_missing_labs_other_than_alt_is_fine() -> None:
    out = liverlens.interpret({"labs": {"alt": 50}}).to_dict()
    assert list(out["analytes"]) == ["alt"]
    assert out["enzyme_reading"] is None and out["pattern"] is None


def test_chinese_reports_use_the_chinese_preset_unless_told_otherwise() -> None:
    zh = liverlens.interpret({"labs": {"alt": 45}, "person": {"sex": "male"}, "language": "zh"})
    assert zh.reference == "cn-wst404"
    assert zh.to_dict()["analytes"]["alt"]["status"] == "normal"  # 45 <= 50 (WS/T 404)
    assert zh.alt_above_healthy_limit  # but above the ACG healthy 33
    assert "谷丙转氨酶" in zh.to_text()
    told = liverlens.interpret(
        {"labs": {"alt": 45}, "person": {"sex": "male"}, "language": "zh", "reference": "acg2017"}
    )
    assert told.reference == "acg2017"


def test_weeks_of_pregnancy_imply_pregnant() -> None:
    person = {"sex": "female", "age": 30, "pregnancy_weeks": 30}  # pregnant not given
    out = liverlens.interpret({"labs": {"alt": 80}, "person": person}).to_dict()
    # ACG 2016: a raised ALT in pregnancy needs the maternity team within days.
    assert out["urgency"] == "soon"
    assert "pregnancy_liver_tests" in [r["id"] for r in out["urgency_reasons"]]


def test_a_medicine_with_dates_is_read_like_a_name() -> None:
    named = {"labs": {"alt": 300, "alp": 90}, "context": {"medications": ["isoniazid"]}}
    dated = {
        "labs": {"alt": 300, "alp": 90},
        "context": {"medications": [{"name": "Isoniazid", "started_on": "2026-10-01"}]},
    }
    a, b = (liverlens.interpret(d).to_dict() for d in (named, dated))
    assert [c["id"] for c in a["causes"]] == [c["id"] for c in b["causes"]]
    assert a["causes"][0]["id"] == "drug_induced"
