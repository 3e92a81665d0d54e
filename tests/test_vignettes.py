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
  scores                                           {score id: {field: value}}; numbers compare
                                                   to 2 decimals (field: value, band, class,
                                                   needs, meld, age_caveat)
  workup_includes / workup_excludes                test ids that must / must not be suggested
  workup_timing                                    {test id: now|if_repeat_raised}
  trend                                            {field: value} subset of the trend output
                                                   (or `trend: null` for no trend)
  medications                                      {given name: matched medicine id or null}
  text_excludes                                    phrases the text report must not contain
  urgency_reasons_include                          triage rule ids that must fire
  step_rules_include / step_rules_exclude          next-step wordings (next_steps.yaml ids)
  advice_includes / advice_excludes                advice ids
  fibrosis_not_valid                               acute_rise | pregnancy | null
  rucam                                            {given name: {field: value}} (total, band,
                                                   version, low, high, unrelated, and
                                                   item ids with their finding)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import liverlens
from tests.conftest import CASES

CASE_FILES = sorted(CASES.glob("*.yaml"))
TODAY = date(2026, 11, 21)  # dates the current panel when a case gives no collected_on
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
    "scores",
    "workup_includes",
    "workup_excludes",
    "workup_timing",
    "trend",
    "medications",
    "text_excludes",
    "urgency_reasons_include",
    "step_rules_include",
    "step_rules_exclude",
    "advice_includes",
    "advice_excludes",
    "fibrosis_not_valid",
    "rucam",
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
    report = liverlens.interpret(case["input"], today=TODAY)
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
    text = " ".join(report.to_text().split())
    for phrase in exp.get("text_contains", []):
        assert phrase in text, phrase
    for score_id, fields in exp.get("scores", {}).items():
        got = out["scores"][score_id]
        for field, want in fields.items():
            if isinstance(want, float):
                assert got[field] == pytest.approx(want, abs=0.005), (score_id, field, got)
            else:
                assert got[field] == want, (score_id, field, got)
    suggested = {w["id"]: w for w in out["workup"]}
    missing = set(exp.get("workup_includes", [])) - suggested.keys()
    assert not missing, f"work-up lacks {missing}; got {sorted(suggested)}"
    extra = set(exp.get("workup_excludes", [])) & suggested.keys()
    assert not extra, f"work-up should not suggest {extra}"
    for test_id, timing in exp.get("workup_timing", {}).items():
        assert suggested[test_id]["timing"] == timing, test_id
    if "trend" in exp:
        if exp["trend"] is None:
            assert out["trend"] is None
        else:
            for field, want in exp["trend"].items():
                assert out["trend"][field] == want, (field, out["trend"])
    for given, matched in exp.get("medications", {}).items():
        entry = next(m for m in out["medications"] if m["given"] == given)
        assert entry["matched"] == matched, entry
    for phrase in exp.get("text_excludes", []):
        assert phrase not in text, phrase
    fired = {u["id"] for u in out["urgency_reasons"]}
    missing = set(exp.get("urgency_reasons_include", [])) - fired
    assert not missing, f"rules {missing} did not fire; fired: {sorted(fired)}"
    rules = {s["rule"] for s in out["next_steps"]}
    assert set(exp.get("step_rules_include", [])) <= rules, sorted(rules)
    assert not set(exp.get("step_rules_exclude", [])) & rules, sorted(rules)
    advice = {a["id"] for a in out["advice"]}
    assert set(exp.get("advice_includes", [])) <= advice, sorted(advice)
    assert not set(exp.get("advice_excludes", [])) & advice, sorted(advice)
    if "fibrosis_not_valid" in exp:
        states = {
            s.get("not_valid")
            for k, s in out["scores"].items()
            if s.get("value") is not None and k in ("fib4", "apri", "nfs", "bard")
        }
        assert states == {exp["fibrosis_not_valid"]}, states
    for given, fields in exp.get("rucam", {}).items():
        entry = next(r for r in out["rucam"] if r["medicine"] == given)
        items = {i["item"]: i["finding"] for i in entry["items"]}
        for field, want in fields.items():
            got = entry[field] if field in entry else items[field]
            assert got == want, (given, field, entry)
