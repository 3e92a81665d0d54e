"""Prose that cannot lie: over every vignette, in every language, each text the report says
holds for the person (its ``when``), and no two texts that exclude each other appear together.

A text's ``when`` lists the engine predicates it assumes ("ALT is normal", "pregnant"); the
report tags every statement with the knowledge text it says (``Statement.ref``). A sentence
true in general but wrong for this person is exactly a statement whose condition is false.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from liverlens.engine.statements import clashes, holds
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.loader import MAX_CITED
from tests.reports import CASE_FILES, languages, report

PAIRS = [(p, lang) for p in CASE_FILES for lang in languages()]
IDS = [f"{p.stem}-{lang}" for p, lang in PAIRS]


def _statements(path: Path, lang: str) -> list:
    rep = report(path, lang)
    said = [st for section in rep.sections for st in section.statements()]
    said += [r.statement for r in rep.reasoning.urgency_reasons]
    return said


@pytest.mark.parametrize(("path", "lang"), PAIRS, ids=IDS)
def test_every_text_said_holds_for_the_person(kb: KnowledgeBase, path: Path, lang: str) -> None:
    rep = report(path, lang)
    facts = rep.reasoning.facts
    for st in _statements(path, lang):
        if st.ref is None:
            continue
        condition = kb.conditions[st.ref]
        assert holds(condition.when, facts), f"{st.ref} said although {condition.when} fails"
        assert not any(facts.get(p) for p in condition.unless), f"{st.ref}: unless holds"


@pytest.mark.parametrize(("path", "lang"), PAIRS, ids=IDS)
def test_no_two_texts_that_exclude_each_other(kb: KnowledgeBase, path: Path, lang: str) -> None:
    refs = list(dict.fromkeys(st.ref for st in _statements(path, lang) if st.ref))
    refs += [
        f"step:{s.statement.ref.removeprefix('step:')}"
        for s in report(path, lang).next_steps
        if s.statement.ref
    ]
    for i, ref in enumerate(refs):
        other = clashes(kb, ref, refs[:i])
        assert other is None, f"{ref} stands beside {other}, which it excludes"


@pytest.mark.parametrize(("path", "lang"), PAIRS, ids=IDS)
def test_at_most_three_citations_a_sentence(path: Path, lang: str) -> None:
    for st in _statements(path, lang):
        assert len(st.sources) <= MAX_CITED, st.text


def test_texts_are_tagged(kb: KnowledgeBase) -> None:
    """The check above can only fail if statements carry their references: most do."""
    tagged = untagged = 0
    for path in CASE_FILES:
        for st in _statements(path, "en"):
            if st.sources:
                tagged += st.ref is not None
                untagged += st.ref is None
    assert tagged > 20 * untagged


def test_a_false_condition_is_caught(kb: KnowledgeBase) -> None:
    """The mechanism itself: a pregnancy text in a man's report would fail the check."""
    path = next(p for p in CASE_FILES if p.stem == "guide_labs_only_mild_alt")
    facts = report(path, "en").reasoning.facts
    assert not holds(kb.conditions["text:numbers.pregnancy"].when, facts)
    assert (
        clashes(kb, "advice:keep_alcohol_low", ["advice:avoid_alcohol"]) == "advice:avoid_alcohol"
    )
    assert clashes(kb, "advice:avoid_alcohol", ["advice:keep_alcohol_low"]) is not None


@pytest.mark.parametrize("pregnant", [False, True])
def test_in_pregnancy_a_non_pregnancy_cause_names_no_medicines(pregnant: bool) -> None:
    """Entecavir, semaglutide and the hepatoprotectants are listed for people who are not
    pregnant; in pregnancy one sentence says the team weighs medicines again (ACG 2016)."""
    import liverlens

    person = {"sex": "female", "age": 30, "pregnant": pregnant}
    data = {
        "labs": {"alt": 120, "ast": 80},
        "person": person,
        "context": {"known_conditions": ["hepatitis_b"]},
    }
    text = liverlens.interpret(data).render("text")
    assert ("entecavir" in text) is not pregnant
    assert ("medicines for this are weighed again" in text) is pregnant
