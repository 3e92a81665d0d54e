"""The triage table (urgency.yaml): every row is sourced, fires in the vignettes it names, and
the mild isolated deviations the pathways call routine never reach "soon"."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

import liverlens
from liverlens.knowledge import KnowledgeBase, load_knowledge
from tests.conftest import CASES

RULES = load_knowledge().urgency_rules


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_is_sourced_and_fires_in_its_vignettes(kb: KnowledgeBase, rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.sources and all(s in kb.sources for s in rule.sources)
    assert rule.vignettes, f"{rule.id} names no vignette"
    for name in rule.vignettes:
        path = CASES / f"{name}.yaml"
        assert path.exists(), f"{rule.id}: vignette {name} is missing"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))["input"]
        out = liverlens.interpret(data, today=date(2026, 11, 21)).to_dict()
        fired = {u["id"] for u in out["urgency_reasons"]}
        assert rule.id in fired, f"{rule.id} does not fire in {name}: {sorted(fired)}"
        assert out["urgency"] in {
            rule.level.value,
            *(u.value for u in type(rule.level) if u.rank > rule.level.rank),
        }


def test_the_table_is_a_guideline_table(kb: KnowledgeBase) -> None:
    """Every row cites at least one guideline or pathway, not only a study or an article."""
    for rule in RULES:
        kinds = {kb.sources[s].kind for s in rule.sources}
        assert kinds & {"guideline", "reference"}, rule.id


ROUTINE = {
    "a Gilbert-pattern bilirubin": {
        "alt": 20,
        "ast": 22,
        "alp": 70,
        "ggt": 20,
        "bilirubin": 35,
        "direct_bilirubin": 4,
    },
    "a slightly low albumin": {"alt": 18, "ast": 20, "alp": 70, "albumin": 33, "platelets": 220},
    "an isolated raised GGT": {"alt": 20, "ast": 20, "ggt": 90},
    "a borderline ALT": {"alt": 40, "ast": 25},
    "a teenager's bone ALP": {"alt": 20, "alp": 350, "ggt": 15},
}


@pytest.mark.parametrize("labs", ROUTINE.values(), ids=list(ROUTINE))
def test_a_mild_isolated_deviation_is_routine(labs: dict[str, float]) -> None:
    person = {"sex": "male", "age": 14 if "alp" in labs and labs["alp"] > 300 else 40}
    out = liverlens.interpret({"person": person, "labs": labs}).to_dict()
    assert out["urgency"] == "routine", out["urgency_reasons"]
