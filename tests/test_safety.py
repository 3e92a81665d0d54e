"""Medical-safety promises: urgent first, no false reassurance, no doses, never a diagnosis."""

from __future__ import annotations

from typing import Any

import pytest

import liverlens

URGENT_CASES: list[dict[str, Any]] = [
    {"labs": {"alt": 2500, "ast": 1800}, "person": {"sex": "male"}},
    {"labs": {"alt": 150}, "context": {"symptoms": ["confusion"]}},
    # pregnancy with raised ALT and high blood pressure (a raised ALT alone is "soon")
    {
        "labs": {"alt": 90},
        "person": {"sex": "female", "pregnant": True, "high_blood_pressure": True},
    },
    {"labs": {"alt": 200, "bilirubin": 60, "alp": 100}, "context": {"medications": ["isoniazid"]}},
]


@pytest.mark.parametrize("data", URGENT_CASES)
def test_urgent_findings_come_first_in_every_format(data: dict[str, Any]) -> None:
    report = liverlens.interpret(data)
    assert report.urgency == "urgent"
    assert report.sections[0].id == "urgent"
    text, md = report.to_text(), report.to_markdown()
    first_heading = text.split("\n\n")[1].splitlines()[0]
    assert first_heading == "Act on this first"
    assert md.split("\n## ")[1].startswith("Act on this first")
    assert report.to_dict()["sections"][0]["id"] == "urgent"
    assert next(s.id for s in report.next_steps) == "see_doctor"
    assert report.next_steps[0].within_days == 0
    assert "repeat_test" not in [s.id for s in report.next_steps]


@pytest.mark.parametrize(
    "labs",
    [
        {"alt": 20, "ast": 80},
        {"alt": 20, "ggt": 200},
        {"alt": 20, "bilirubin": 45},
        {"alt": 20, "albumin": 28},
        {"alt": 20, "platelets": 90},
    ],
)
def test_normal_alt_never_reassures_when_the_panel_is_abnormal(labs: dict[str, Any]) -> None:
    report = liverlens.interpret({"labs": labs, "person": {"sex": "male", "age": 55}})
    out = report.to_dict()
    assert out["alt_grade"] == "normal"
    assert out["urgency"] != "none"
    summary = next(s["text"] for s in out["sections"] if s["id"] == "summary")
    summary = " ".join(summary.split())
    assert "a normal ALT does not by itself mean the liver is fine" in summary
    assert next(s["id"] for s in out["next_steps"]) != "keep_routine_checks"


def test_cirrhosis_signs_with_normal_alt_are_not_routine() -> None:
    out = liverlens.interpret(
        {
            "labs": {"alt": 30, "ast": 60, "platelets": 95, "albumin": 30},
            "person": {"sex": "male", "age": 60},
        }
    ).to_dict()
    assert out["urgency"] == "soon"
    cirrhosis = next(c for c in out["causes"] if c["id"] == "cirrhosis")
    assert cirrhosis["likelihood"] == "likely"


def test_medicines_appear_only_as_a_doctors_option() -> None:
    text = liverlens.interpret(
        {
            "labs": {"alt": 90},
            "person": {"sex": "male"},
            "context": {"known_conditions": ["hepatitis_b"]},
        }
    ).to_text()
    lines = text.splitlines()
    at = next(i for i, ln in enumerate(lines) if "entecavir" in ln)
    # the medicines sit in the cause's "What a doctor may prescribe" list, nowhere else
    assert lines[at].strip().startswith("- Guidelines name entecavir")
    label = next(ln for ln in reversed(lines[:at]) if not ln.strip().startswith("-"))
    assert label.strip() == "What a doctor may prescribe:"
    assert sum("entecavir" in ln for ln in lines) == 1
    assert "Medicines named here are for a doctor to choose and dose" in text


def test_medicine_review_never_says_stop_a_prescription_alone() -> None:
    out = liverlens.interpret(
        {
            "labs": {"alt": 120},
            "person": {"sex": "female"},
            "context": {"medications": ["atorvastatin"]},
        }
    ).to_dict()
    review = next(s for s in out["next_steps"] if s["id"] == "review_medicines")
    assert "ask before stopping" in review["text"]


def test_the_report_never_claims_a_diagnosis() -> None:
    for data in [*URGENT_CASES, {"labs": {"alt": 60}}]:
        text = liverlens.interpret(data).to_text().lower()
        for phrase in (
            "you have hepatitis",
            "you have cirrhosis",
            "you have fatty liver",
            "diagnosis is",
            "you are diagnosed",
        ):
            assert phrase not in text
        assert "does not diagnose" in text
