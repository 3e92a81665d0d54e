"""Clinical vignettes: one YAML file per case in tests/cases, input -> expected behaviour.

Only the keys a case lists under ``expect`` are checked, so a case states exactly the clinical
claim it is about. Keys:
  alt_grade, pattern, enzyme_reading, urgency      exact value (null allowed)
  red_flags                                        exact set of red-flag ids
  top_cause                                        id of the first-ranked cause
  likely                                           exact set of causes rated likely
  possible_includes / less_likely_includes         ids that must have that likelihood
  not_likely                                       ids that must not be rated likely
  causes_empty                                     true: nothing to explain, no causes
  next_steps                                       exact list of next-step ids, in order
  next_step_windows                                {step id: after_days [a, b] or within_days}
  statuses                                         {analyte: low|normal|high}
  limit_sources                                    {analyte: lab|acg2017|wst404|...}
  text_contains                                    phrases the text report must contain
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import liverlens
from tests.conftest import CASES

CASE_FILES = sorted(CASES.glob("*.yaml"))
KNOWN_KEYS = {
    "alt_grade",
    "pattern",
    "enzyme_reading",
    "urgency",
    "red_flags",
    "top_cause",
    "likely",
    "possible_includes",
    "less_likely_includes",
    "not_likely",
    "causes_empty",
    "next_steps",
    "next_step_windows",
    "statuses",
    "limit_sources",
    "text_contains",
}


def load(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(case) <= {"name", "about", "seed", "input", "expect"}, path.name
    assert set(case["expect"]) <= KNOWN_KEYS, f"{path.name}: {set(case['expect']) - KNOWN_KEYS}"
    assert case["expect"], f"{path.name} expects nothing"
    return case


def test_there_are_cases() -> None:
    assert len(CASE_FILES) >= 11


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_vignette(path: Path) -> None:
    case = load(path)
    exp = case["expect"]
    report = liverlens.interpret(case["input"])
    out = report.to_dict()
    for key in ("alt_grade", "pattern", "enzyme_reading", "urgency"):
        if key in exp:
            assert out[key] == exp[key], f"{key}: got {out[key]!r}"
    if "red_flags" in exp:
        assert {f["id"] for f in out["red_flags"]} == set(exp["red_flags"])
    by_likelihood: dict[str, set[str]] = {"likely": set(), "possible": set(), "less_likely": set()}
    for c in out["causes"]:
        by_likelihood[c["likelihood"]].add(c["id"])
    if "top_cause" in exp:
        assert out["causes"], "no causes ranked"
        assert out["causes"][0]["id"] == exp["top_cause"], [c["id"] for c in out["causes"]]
    if "likely" in exp:
        assert by_likelihood["likely"] == set(exp["likely"])
    for key, bucket in (("possible_includes", "possible"), ("less_likely_includes", "less_likely")):
        missing = set(exp.get(key, [])) - by_likelihood[bucket]
        assert not missing, f"{key}: {missing} not {bucket}; causes: {by_likelihood}"
    if "not_likely" in exp:
        assert not set(exp["not_likely"]) & by_likelihood["likely"]
    if exp.get("causes_empty"):
        assert out["causes"] == []
    if "next_steps" in exp:
        assert [s["id"] for s in out["next_steps"]] == exp["next_steps"]
    for step_id, window in exp.get("next_step_windows", {}).items():
        step = next(s for s in out["next_steps"] if s["id"] == step_id)
        got = step["after_days"] if isinstance(window, list) else step["within_days"]
        assert got == window, f"{step_id}: {got}"
    for analyte, status in exp.get("statuses", {}).items():
        assert out["analytes"][analyte]["status"] == status, analyte
    for analyte, source in exp.get("limit_sources", {}).items():
        assert out["analytes"][analyte]["limit_source"] == source, analyte
    text = report.to_text()
    for phrase in exp.get("text_contains", []):
        assert phrase in text, phrase
