"""Short first, detail on demand (issue 14, item 1): the order every format shares, the cause
cards, and what folds under "more detail".

The first read is the answer, the values, what to do and by when, and when to see a doctor;
then the causes that fit best as cards (why, what to do, when to retest), each with its
details (what happens in the body, what a doctor may prescribe, its sources); then the
questions and daily life. The numbers, the pattern, scores, medicines and work-up are
"more detail": folded on the web page, open in the PDF, in the same order everywhere.
"""

from __future__ import annotations

import re
import statistics
from typing import Any

import pytest

import liverlens
from liverlens.report.document import Entry
from liverlens.report.render import pdf
from tests.reports import CASE_FILES, case_input, report
from tests.test_report_length import words

SHORT = ["urgent", "summary", "next_steps", "see_doctor", "causes", "questions", "daily_life"]
DETAIL = ["numbers", "trend", "reading", "scores", "medicines", "workup"]
PLAIN: dict[str, Any] = {"labs": {"alt": 85, "ast": 40}, "person": {"sex": "male", "age": 45}}


def _card(rep: liverlens.Report, cause_name: str) -> Entry:
    causes = next(s for s in rep.sections if s.id == "causes")
    return next(b for b in causes.blocks if isinstance(b, Entry) and cause_name in b.title)


def _labels(entry: Entry) -> list[str]:
    return [p.label for p in entry.parts]


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_the_short_report_comes_first_and_the_rest_is_more_detail(path) -> None:  # type: ignore[no-untyped-def]
    rep = report(path, "en")
    ids = [s.id for s in rep.sections]
    short = [i for i in ids if i in SHORT]
    assert ids[: len(short)] == short, ids  # no detail section before a short one
    assert short == [i for i in SHORT if i in ids]
    assert [i for i in ids if i not in SHORT] == [i for i in DETAIL if i in ids]
    assert all(s.detail == (s.id in DETAIL) for s in rep.sections)


def test_the_first_read_is_short() -> None:
    """What a person reads before opening anything: the sections outside "more detail",
    without the cards' details. Half the length the whole report may have."""

    def first_read(rep: liverlens.Report) -> int:
        said = [st for s in rep.sections if not s.detail for st in s.statements()]
        folded = [
            st
            for s in rep.sections
            for b in s.blocks
            if isinstance(b, Entry)
            for p in b.details
            for st in p.statements
        ]
        return words(" ".join(st.text for st in said)) - words(" ".join(f.text for f in folded))

    counts = [first_read(report(p, "en")) for p in CASE_FILES]
    assert statistics.median(counts) <= 600, statistics.median(counts)


def test_a_card_says_why_what_to_do_and_when_to_retest_and_folds_the_rest() -> None:
    rep = liverlens.interpret(PLAIN)
    fatty = _card(rep, "Fatty liver")
    assert _labels(fatty) == ["Why it fits", "What to do", "When to retest"]
    assert "a few months of diet and exercise" in fatty.parts[-1].statements[0].text
    folded = [p.label for p in fatty.details]
    assert folded == ["What happens in the body", "What to expect", "What a doctor may prescribe"]
    second = next(
        b
        for s in rep.sections
        if s.id == "causes"
        for b in s.blocks
        if isinstance(b, Entry) and b.number == 2
    )
    # what to expect and each medicine's note only for the best fit, to keep it short
    assert "What to expect" not in [p.label for p in second.details]
    assert "What happens in the body" in [p.label for p in second.details]


def test_a_card_does_not_repeat_the_retest_the_next_steps_already_give() -> None:
    """Hard exercise the day before: "what to do now" already says to repeat after a week
    without strenuous exercise (next_steps.yaml ``retest_for``), so its card does not."""
    rep = liverlens.interpret(
        {
            "labs": {"alt": 95, "ast": 45},
            "person": {"sex": "male", "age": 24},
            "context": {"strenuous_exercise_days_ago": 1},
        }
    )
    steps = [s.statement.text for s in rep.reasoning.next_steps]
    assert any("without strenuous exercise" in s for s in steps)
    assert "When to retest" not in _labels(_card(rep, "exercise"))
    assert "When to retest" in _labels(_card(rep, "Fatty liver"))


def test_no_card_offers_a_retest_when_a_repeat_alone_is_not_enough() -> None:
    """A rise that has lasted eight months: the next steps say to see a doctor for the
    cause screen, not to repeat the test; a card saying "repeat after..." would contradict it."""
    path = next(p for p in CASE_FILES if p.stem == "issue3_trend_persistent_over_8_months")
    rep = report(path, "en")
    assert not any(s.after_days for s in rep.reasoning.next_steps)
    causes = next(s for s in rep.sections if s.id == "causes")
    cards = [b for b in causes.blocks if isinstance(b, Entry)]
    assert cards
    assert all("When to retest" not in _labels(c) for c in cards)


def test_the_web_page_folds_detail_and_the_pdf_opens_it_in_the_same_order() -> None:
    rep = liverlens.interpret(PLAIN)
    page = str(rep.to_html())
    more = page.index('<details class="more-detail"')
    for shown in ('id="summary"', 'class="values"', 'id="next_steps"', 'id="causes"'):
        assert page.index(shown) < more, shown
    for folded in ('id="numbers"', 'id="reading"', 'id="scores"', 'id="workup"'):
        assert page.index(folded) > more, folded
    assert '<details class="card-details">' in page  # closed on the page
    assert '<details class="card-details" open>' not in page
    document = pdf.html_document(rep)
    assert '<details class="more-detail" id="more-detail" open>' in document
    assert document.count('<details class="card-details" open>') == page.count(
        '<details class="card-details">'
    )
    order = [m.group(1) for m in re.finditer(r'<section id="(\w+)"', document)]
    assert order == [m.group(1) for m in re.finditer(r'<section id="(\w+)"', page)]


def test_a_card_lists_its_own_sources_in_its_details() -> None:
    rep = liverlens.interpret(PLAIN)
    page = str(rep.to_html())
    card = page[page.index('<article class="cause card">') :]
    card = card[: card.index("</article>")]
    listed = re.search(r'<p class="cause-sources">Sources: (.*?)</p>', card)
    assert listed is not None
    numbers = re.findall(r'href="#src-(\d+)"', listed.group(1))
    cited = set(re.findall(r'href="#src-(\d+)"', card[: listed.start()]))
    assert numbers and set(numbers) == cited
    assert numbers == sorted(numbers, key=int)


def test_text_and_markdown_print_the_detail_under_its_heading() -> None:
    rep = liverlens.interpret({**PLAIN, "language": "zh"})
    text = rep.to_text()
    first_detail = next(s.heading for s in rep.sections if s.detail)
    causes = next(s.heading for s in rep.sections if s.id == "causes")
    assert text.index(causes) < text.index("更多细节") < text.index(first_detail)
    md = rep.to_markdown()
    assert "## 更多细节" in md
    numbers = next(s.heading for s in rep.sections if s.id == "numbers")
    assert f"### {numbers}" in md


def test_the_json_says_which_sections_are_detail() -> None:
    path = CASE_FILES[0]
    out = liverlens.interpret(case_input(path)).to_dict()
    assert {s["id"]: s["detail"] for s in out["sections"]}["summary"] is False
    assert {s["id"]: s["detail"] for s in out["sections"]}["numbers"] is True
