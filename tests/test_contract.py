"""The JSON output contract of design.md: keys, vocabularies and sources that resolve."""

from __future__ import annotations

from typing import Any

import pytest

import liverlens
from liverlens.knowledge import KnowledgeBase

CONTRACT_KEYS = {
    "schema_version",
    "analytes",
    "alt_grade",
    "ast_alt_ratio",
    "r_ratio",
    "pattern",
    "scores",
    "red_flags",
    "urgency",
    "causes",
    "next_steps",
    "workup",
    "advice",
    "trend",
    "sections",
    "sources",
    "disclaimer",
}
GRADES = {"normal", "borderline", "mild", "moderate", "severe", "massive"}
PATTERNS = {"hepatocellular", "mixed", "cholestatic", None}
URGENCY = {"none", "routine", "soon", "urgent"}
RED_FLAGS = {
    "hys_law",
    "very_high_aminotransferases",
    "high_inr",
    "jaundice",
    "confusion",
    "bleeding",
    "acetaminophen_overdose",
    "pregnancy_with_raised_alt",
}

SAMPLES: list[dict[str, Any]] = [
    {"labs": {"alt": 85}},
    {
        "person": {"sex": "male", "age": 34, "bmi": 24.5, "diabetes": False, "pregnant": False},
        "labs": {
            "alt": {"value": 85, "unit": "U/L", "upper_limit": 50},
            "ast": 28,
            "alp": 90,
            "ggt": 30,
            "bilirubin": {"value": 12, "unit": "umol/L"},
            "direct_bilirubin": 3,
            "albumin": {"value": 44, "unit": "g/L"},
            "platelets": 240,
            "inr": 1.0,
            "ck": 900,
        },
        "collected_on": "2026-11-01",
        "context": {
            "strenuous_exercise_days_ago": 2,
            "late_nights": True,
            "fatigue": True,
            "alcohol_grams_per_week": 0,
            "recent_heavy_drinking": False,
            "medications": ["amoxicillin-clavulanate"],
            "symptoms": ["jaundice"],
            "known_conditions": ["hepatitis_b"],
        },
        "history": [{"collected_on": "2026-05-02", "labs": {"alt": 70, "ast": 30}}],
        "reference": "acg2017",
        "language": "en",
    },
    {"labs": {"alt": 3000, "ast": 2500, "inr": 2.0, "bilirubin": 60}},
    {"labs": {"alt": 20, "ggt": 150}, "person": {"sex": "female"}},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_output_contract(kb: KnowledgeBase, data: dict[str, Any]) -> None:
    out = liverlens.interpret(data).to_dict()
    assert CONTRACT_KEYS <= out.keys()
    assert out["schema_version"] == "1"
    assert out["alt_grade"] in GRADES
    assert out["pattern"] in PATTERNS
    assert out["urgency"] in URGENCY
    assert {f["id"] for f in out["red_flags"]} <= RED_FLAGS
    for a in out["analytes"].values():
        assert a["status"] in {"low", "normal", "high"}
        assert {"value", "unit", "upper_limit", "limit_source", "fold_uln"} <= a.keys()
    for c in out["causes"]:
        assert c["id"] in kb.causes
        assert c["likelihood"] in {"likely", "possible", "less_likely"}
        assert c["sources"]
    cited = {s["id"] for s in out["sources"]}
    for group in ("next_steps", "advice", "red_flags", "sections"):
        for item in out[group]:
            assert set(item["sources"]) <= cited, (group, item)
    for c in out["causes"]:
        assert set(c["sources"]) <= cited
    assert all(s["id"] in kb.sources for s in out["sources"])
    assert out["disclaimer"]


def test_the_design_example_reads_sensibly() -> None:
    """The design.md input: jaundice makes it urgent, and the red flag comes first."""
    report = liverlens.interpret(SAMPLES[1])
    out = report.to_dict()
    assert out["urgency"] == "urgent"
    assert out["sections"][0]["id"] == "urgent"
    assert out["next_steps"][0] == out["next_steps"][0] | {"id": "see_doctor", "within_days": 0}
    assert out["analytes"]["ck"]["status"] == "high"
    assert out["enzyme_reading"] == "alt_only"


def test_every_statement_in_sections_has_a_numbered_source() -> None:
    report = liverlens.interpret(SAMPLES[1])
    numbers = report.citation_numbers()
    for section in report.sections:
        for st in section.statements():
            assert all(s in numbers for s in st.sources)
