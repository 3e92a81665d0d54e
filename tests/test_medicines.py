"""The medicines file and tolerant matching of a person's list."""

from __future__ import annotations

import pytest

import liverlens
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.medicines import match, normalise


def test_at_least_60_medicines_with_chinese_names(kb: KnowledgeBase) -> None:
    assert len(kb.medicines) >= 60
    assert all(m.local_names.get("zh") for m in kb.medicines.values())


def test_fact_sheet_agents_are_present(kb: KnowledgeBase) -> None:
    for med_id in (
        "acetaminophen",
        "isoniazid",
        "amoxicillin_clavulanate",
        "atorvastatin",
        "valproate",
        "methotrexate",
        "nitrofurantoin",
        "green_tea_extract",
    ):
        assert med_id in kb.medicines, med_id


def test_no_spelling_is_shared_between_medicines(kb: KnowledgeBase) -> None:
    seen: dict[str, str] = {}
    for med in kb.medicines.values():
        for spelling in med.spellings:
            key = normalise(spelling)
            assert seen.setdefault(key, med.id) == med.id, (spelling, seen[key], med.id)


@pytest.mark.parametrize(
    ("given", "expected", "fuzzy"),
    [
        ("Tylenol 500 mg", "acetaminophen", False),
        ("paracetamol tablets", "acetaminophen", False),
        ("PARACETAMOL", "acetaminophen", False),
        ("对乙酰氨基酚片", "acetaminophen", False),
        ("Augmentin", "amoxicillin_clavulanate", False),
        ("co-amoxiclav", "amoxicillin_clavulanate", False),
        ("amoxicillin-clavulanate", "amoxicillin_clavulanate", False),
        ("异烟肼", "isoniazid", False),
        ("atorvastatine", "atorvastatin", True),
        ("Lipitor 20mg", "atorvastatin", False),
        ("rifampin", "rifampicin", False),
    ],
)
def test_matching_is_tolerant(kb: KnowledgeBase, given: str, expected: str, fuzzy: bool) -> None:
    found = match(kb, given)
    assert found.medicine is not None, given
    assert found.medicine.id == expected
    assert found.fuzzy is fuzzy


@pytest.mark.parametrize("given", ["xyzzy", "vitamin q", "abc"])
def test_unknown_names_are_not_guessed(kb: KnowledgeBase, given: str) -> None:
    assert match(kb, given).medicine is None


def test_unmatched_names_are_reported_not_dropped() -> None:
    report = liverlens.interpret(
        {
            "labs": {"alt": 120},
            "person": {"sex": "female"},
            "context": {"medications": ["isoniazid", "xyzzy"]},
        }
    )
    meds = report.to_dict()["medications"]
    assert [(m["given"], m["matched"]) for m in meds] == [
        ("isoniazid", "isoniazid"),
        ("xyzzy", None),
    ]
    text = " ".join(report.to_text().split())
    assert "xyzzy: not in LiverLens's list of medicines" in text
    assert "isoniazid: LiverTox category A" in text


def test_a_known_hepatotoxin_makes_drug_injury_likely_and_explains_the_pattern() -> None:
    out = liverlens.interpret(
        {
            "labs": {"alt": 300, "alp": 100},
            "person": {"sex": "male"},
            "context": {"medications": ["isoniazid"], "alcohol_grams_per_week": 0},
        }
    ).to_dict()
    drug = next(c for c in out["causes"] if c["id"] == "drug_induced")
    assert drug["likelihood"] == "likely"
    assert any("category A" in r for r in drug["reasons_for"])
    assert any("pattern" in r for r in drug["reasons_for"])


def test_pattern_mismatch_counts_against() -> None:
    out = liverlens.interpret(
        {
            "labs": {"alt": 300, "alp": 100},
            "person": {"sex": "male"},
            "context": {"medications": ["chlorpromazine"]},  # usually cholestatic
        }
    ).to_dict()
    drug = next(c for c in out["causes"] if c["id"] == "drug_induced")
    assert any("pattern" in r for r in drug["reasons_against"])
