"""The knowledge files: strict schema, resolvable references, complete texts, our own words."""

from __future__ import annotations

import re
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from liverlens.engine.predicates import LATE_PREDICATES, PREDICATES
from liverlens.knowledge import KnowledgeBase, Text
from liverlens.knowledge.schema import Cause, Evidence, Limit, Note, condition_parts
from tests.conftest import SHARED

SRC = Path(__file__).parent.parent / "src" / "liverlens"
DATA = SRC / "knowledge" / "data"
SEED_CAUSES = {
    "strenuous_exercise",
    "sleep_deprivation",
    "alcohol",
    "hepatitis_b",
    "hepatitis_c",
    "fatty_liver",
    "drug_induced",
    "cirrhosis",
    "biliary_obstruction",
}


def test_all_nine_seed_causes_are_present(kb: KnowledgeBase) -> None:
    seed = {c.id for c in kb.causes.values() if c.origin == "seed"}
    assert seed == SEED_CAUSES


def test_every_seed_cause_is_complete(kb: KnowledgeBase) -> None:
    for cause in kb.causes.values():
        for part in (cause.mechanism, cause.what_to_do, cause.course, cause.retest):
            assert all(len(v.text.en) > 20 for v in part), cause.id
            assert not part[-1].when, f"{cause.id}: the last variant must fit everyone"
        assert cause.evidence, cause.id
        if cause.origin == "seed":
            assert any(s.startswith("seed:") for s in cause.sources), cause.id


def test_seed_medicines_are_named(kb: KnowledgeBase) -> None:
    named = {t for c in kb.causes.values() for t in c.treatments}
    for drug in (
        "entecavir",
        "tenofovir_alafenamide",
        "lamivudine",
        "silibinin",
        "polyene_phosphatidylcholine",
        "ursodeoxycholic_acid",
        "reduced_glutathione",
        "compound_glycyrrhizin",
        "tiopronin",
        "direct_acting_antivirals",
    ):
        assert drug in named


def test_every_seed_is_a_source_cited_by_title_never_a_file(kb: KnowledgeBase) -> None:
    seeds = {s.id for s in kb.sources.values() if s.kind == "article"}
    assert seeds == {f"seed:{i:03d}" for i in range(5)}
    if SHARED.exists():  # seed:NNN is the article whose file name starts with NNN_
        prefixes = {p.name[:3] for p in (SHARED / "reference" / "seeds").glob("*.txt")}
        assert {s.split(":")[1] for s in seeds} == prefixes
    for s in kb.sources.values():
        assert ".txt" not in s.title and s.title, s.id


def test_every_source_but_a_seed_can_be_found(kb: KnowledgeBase) -> None:
    """Guidelines, studies and references carry a DOI, a PMID or a URL; seeds carry a
    title (and a publisher where the article names one)."""
    for s in kb.sources.values():
        if s.kind != "article":
            assert s.link or s.standard, f"{s.id}: give a doi, a pmid, a url or a standard"
            assert s.link is None or s.link.startswith(("https://", "http://")), s.id


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Limit.model_validate({"analyte": "alt", "upper": 33, "source": "acg2017", "uper": 1})
    with pytest.raises(ValidationError):
        Evidence.model_validate({"when": "x", "weight": 0, "text": {"en": "t"}, "sources": []})


def test_text_placeholders_must_match_across_languages() -> None:
    with pytest.raises(ValidationError, match="different placeholders"):
        Text.model_validate({"en": "ALT {alt}", "zh": "谷丙转氨酶 {ast}"})


def test_every_predicate_named_in_knowledge_exists(kb: KnowledgeBase) -> None:
    named = {p for r in kb.urgency_rules for p in (*r.when, *r.unless)}
    named |= {p for c in kb.causes.values() for ev in c.evidence for p in ev.predicates}
    named = {condition_parts(p)[1] for p in named}
    assert named <= PREDICATES.keys()
    late = {p for cond in kb.conditions.values() for p in cond.predicates}
    assert late <= PREDICATES.keys() | LATE_PREDICATES.keys()


def test_every_threshold_is_used_by_the_engine(kb: KnowledgeBase) -> None:
    code = "\n".join(p.read_text() for p in SRC.rglob("*.py"))
    # a next step names the thresholds of its time window in next_steps.yaml
    windows = {t for s in kb.next_steps.values() for t in (s.within_days, s.ideal_from) if t}
    windows |= {t for s in kb.next_steps.values() for t in (s.after_days or ())}
    unused = [t for t in kb.thresholds if f'"{t}"' not in code and t not in windows]
    assert not unused, f"thresholds.yaml ids the engine never reads: {unused}"
    asked = set(re.findall(r'threshold\(\s*"([a-z0-9_]+)"', code))
    asked |= set(re.findall(r'\bt\(\s*"([a-z0-9_]+)"\)', code))
    assert asked <= kb.thresholds.keys(), asked - kb.thresholds.keys()


def test_every_text_id_the_code_asks_for_exists(kb: KnowledgeBase) -> None:
    code = "\n".join(p.read_text() for p in (SRC / "report").rglob("*.py"))
    fixed = set(re.findall(r'(?:say|word)\(\s*"([a-z_.0-9]+)"', code))
    assert fixed <= kb.texts.keys(), fixed - kb.texts.keys()


def _fields(text: Text) -> set[str]:
    return {n for _, n, _, _ in string.Formatter().parse(text.en) if n}


def test_cause_evidence_placeholders_are_all_provided(kb: KnowledgeBase) -> None:
    """Every placeholder a cause text names is one the reasoning step fills."""
    from liverlens.engine.reasoning import placeholders
    from liverlens.inputs import resolve

    case = resolve(kb, {"labs": {"alt": 50}})
    row: dict[str, Any] = {}
    provided = set(placeholders(kb, case, row))
    for cause in kb.causes.values():
        for ev in cause.evidence:
            assert _fields(ev.text) <= provided, (cause.id, ev.when, _fields(ev.text) - provided)


def test_no_dose_or_instruction_in_any_medicine_text(kb: KnowledgeBase) -> None:
    dose = re.compile(
        r"\b\d+(\.\d+)?\s*(mg|g|mcg|µg|ml|iu|tablets?|capsules?)\b|\b(once|twice|"
        r"three times) (a|per) day\b",
        re.IGNORECASE,
    )
    texts = [t.name.en for t in kb.treatments.values()]
    texts += [p.text.en for p in kb.texts.values() if p.id.startswith("causes.")]
    texts += [c.treatment_note.en for c in kb.causes.values() if c.treatment_note]
    for text in texts:
        assert not dose.search(text), text
    assert "doctor" in kb.texts["causes.intro"].text.en  # said above every medicine named


def test_causes_file_parses_as_plain_yaml() -> None:
    raw = yaml.safe_load((DATA / "causes.yaml").read_text())
    for entry in raw["causes"]:
        Cause.model_validate(entry)


@pytest.mark.skipif(
    not (SHARED / "tools" / "seed_overlap.py").exists(),
    reason="../shared is not beside this checkout",
)
def test_no_passage_repeats_a_seed_article() -> None:
    root = Path(__file__).parent.parent
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "seed_overlap.py"), str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("no passage"), result.stdout


def test_every_calculator_page_has_its_texts_in_both_languages(kb: KnowledgeBase) -> None:
    """Issue 14, item 6: each score's page (and RUCAM's) says when to use it and its
    pitfalls, every sentence in every language with sources that resolve; and every word the
    calculator pages ask for exists in every language."""
    pages = [*kb.scores.values(), kb.rucam]
    for defs in pages:
        assert defs.when_to_use and defs.pitfalls
        texts = [defs.name, defs.about, *(n.text for n in (*defs.when_to_use, *defs.pitfalls))]
        for lang in kb.languages:
            assert all(t.has(lang) for t in texts), (defs.name.en, lang)
        for note in (*defs.when_to_use, *defs.pitfalls):
            assert note.sources and set(note.sources) <= kb.sources.keys(), note.text.en
            assert len(note.text.en) > 30 and len(note.text.get("zh")) > 10, note.text.en
    web = SRC / "web"
    code = "\n".join(p.read_text() for p in web.glob("calculator*.py"))
    code += (web / "routes" / "calculators.py").read_text()
    code += "\n".join(p.read_text() for p in (web / "templates").glob("calculator*.html"))
    asked = set(re.findall(r'"(ui\.(?:calc|form|choice|nav)\.[a-z_.0-9]+)"', code))
    asked |= set(re.findall(r'"((?:scores|medicines|label)\.[a-z_.0-9]+)"', code))
    assert "ui.calc.needs" in asked
    assert asked <= kb.texts.keys(), asked - kb.texts.keys()
    for text_id in (t for t in kb.texts if t.startswith("ui.calc.")):
        for lang in kb.languages:
            assert kb.texts[text_id].text.has(lang), (text_id, lang)


def test_a_calculator_note_needs_a_source() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        Note.model_validate({"text": {"en": "Use it first.", "zh": "首选。"}, "sources": []})
