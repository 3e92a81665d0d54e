"""The report's questions know the fields that answer them, and a second report says what
the answers changed (issue 14, item 2).

Expectations come from the evidence files: an unknown drinking amount is asked with the
alcohol field (and sex, when it is unknown, since the ACG limit depends on it: 210 g a week
for men, 140 for women); a BMI question with BMI, height and weight (and Asian ancestry,
which moves the cut-off); a known-condition question with the list of conditions; a question
only a run of results can answer ("raised for six months?") with no field.
"""

from __future__ import annotations

from typing import Any

import liverlens
from liverlens.engine.columns import filled_by
from liverlens.knowledge import load_knowledge
from liverlens.report.changes import what_changed
from liverlens.report.sections import MAX_QUESTIONS, asked

PLAIN: dict[str, Any] = {"labs": {"alt": 85, "ast": 40}, "person": {"sex": "male", "age": 45}}


def _fields(data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    report = liverlens.interpret(data)
    return {q.text: q.fields for c in report.reasoning.causes for q in c.questions}


def test_each_question_names_the_fields_that_answer_it() -> None:
    found = _fields(PLAIN)
    assert found["About how much alcohol do you drink in a week?"] == ("alcohol_grams_per_week",)
    assert found["What are your height and weight (or BMI)?"] == (
        "bmi",
        "height_cm",
        "weight_kg",
        "asian",
    )
    assert found["Have you ever tested positive for hepatitis B?"] == ("known_conditions",)
    medicines = (
        "What medicines, supplements or herbal products have you taken in the last three months?"
    )
    assert found[medicines] == ("medications",)


def test_a_field_already_given_is_not_asked_again() -> None:
    """Without sex the drinking limit is unknown too, so sex is asked with the amount."""
    no_sex = _fields({"labs": {"alt": 85, "ast": 40}})
    assert no_sex["About how much alcohol do you drink in a week?"] == (
        "alcohol_grams_per_week",
        "sex",
    )
    known = _fields({**PLAIN, "person": {**PLAIN["person"], "bmi": 31}})
    assert "What are your height and weight (or BMI)?" not in known


def test_a_question_only_results_can_answer_has_no_field() -> None:
    """Iron overload's "persistent rise" needs earlier results, not a form field."""
    assert filled_by("trend_persistent") == ()
    assert filled_by("alt") == ()
    assert filled_by("sym_jaundice") == ("symptoms",)
    assert filled_by("cond_hepatitis_b") == ("known_conditions",)
    assert filled_by("n_medications") == ("medications",)


def test_three_questions_reach_three_causes() -> None:
    """Taken in turns: the best fit's first question, then the next cause's first..."""
    report = liverlens.interpret(PLAIN)
    questions = asked(report.reasoning)
    assert len(questions) == MAX_QUESTIONS
    owners = []
    for q in questions:
        owner = next(
            c.id for c in report.reasoning.causes if q.text in [x.text for x in c.questions]
        )
        owners.append(owner)
    assert len(set(owners)) == MAX_QUESTIONS
    assert owners[0] == report.reasoning.causes[0].id


def test_an_answer_that_moves_a_cause_says_so_with_the_reason() -> None:
    """280 g a week for a man is above the ACG's 210 g: alcohol goes from possible to likely,
    and the change gives the sentence that moved it, with its source."""
    kb = load_knowledge()
    before = liverlens.interpret(PLAIN)
    after = liverlens.interpret({**PLAIN, "context": {"alcohol_grams_per_week": 280}})
    changes = what_changed(kb, before, after)
    moved = [c for c in changes if c.said.text.startswith("Alcohol moved")]
    assert len(moved) == 1
    assert moved[0].said.text == "Alcohol moved from possible to likely."
    assert moved[0].because is not None
    assert "280 g" in moved[0].because.text and "210 g" in moved[0].because.text
    assert moved[0].because.sources == ("acg2017",)


def test_a_no_to_recent_heavy_drinking_leaves_alcohol_possible() -> None:
    """The weekly amount is still unknown, and it is what the ACG's limit is about: alcohol
    stays possible (it fell to less likely before the fix, as if the person had been asked)."""
    report = liverlens.interpret({**PLAIN, "context": {"recent_heavy_drinking": False}})
    alcohol = next(c for c in report.reasoning.causes if c.id == "alcohol")
    assert alcohol.likelihood == "possible"
    assert any("we do not know how much you drink" in r.text for r in alcohol.reasons_for)


def test_an_answer_that_moves_nothing_says_that() -> None:
    kb = load_knowledge()
    before = liverlens.interpret(PLAIN)
    after = liverlens.interpret({**PLAIN, "context": {"recent_heavy_drinking": False}})
    changes = what_changed(kb, before, after)
    assert [c.said.ref for c in changes] == ["text:change.none"]


def test_a_red_flag_answer_says_what_to_do_changed_first_in_chinese_too() -> None:
    """Confusion with a raised ALT is a same-day finding: the change in what to do comes
    before any cause that moved."""
    kb = load_knowledge()
    zh = {**PLAIN, "language": "zh"}
    before = liverlens.interpret(zh)
    after = liverlens.interpret({**zh, "context": {"symptoms": ["confusion"]}})
    assert after.urgency > before.urgency
    changes = what_changed(kb, before, after)
    assert changes[0].said.ref == "text:change.urgency"
    assert "当天就医" in changes[0].said.text
