"""Short first: a patient report a person can read, over every vignette.

Words are counted as a reader counts them: tokens with a letter in them (or a Chinese
character), so citation marks like "[1,2]", the rules under headings and table borders do not
count, and neither do bare numbers.
"""

from __future__ import annotations

import re
import statistics

import pytest

from liverlens.report.document import Entry
from tests.reports import CASE_FILES, report

WORD = re.compile(r"[A-Za-z\u4e00-\u9fff]")
MEDIAN_WORDS = 1200
SUMMARY_WORDS = 80


def words(text: str) -> int:
    return sum(1 for token in text.split() if WORD.search(token))


def test_the_median_report_is_at_most_1200_words() -> None:
    counts = [words(report(p, "en").to_text()) for p in CASE_FILES]
    assert statistics.median(counts) <= MEDIAN_WORDS, statistics.median(counts)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_the_short_answer_is_short_and_causes_in_full_are_few(path) -> None:  # type: ignore[no-untyped-def]
    rep = report(path, "en")
    summary = next(s for s in rep.sections if s.id == "summary")
    said = " ".join(st.text for st in summary.statements())
    assert words(said) <= SUMMARY_WORDS, said
    causes = next((s for s in rep.sections if s.id == "causes"), None)
    if causes is not None:
        assert sum(isinstance(b, Entry) for b in causes.blocks) <= 3


@pytest.mark.parametrize("path", CASE_FILES[::7], ids=[p.stem for p in CASE_FILES[::7]])
def test_sources_are_named_and_findable_never_a_file(path) -> None:  # type: ignore[no-untyped-def]
    rep = report(path, "en")
    text, md, html = rep.to_text(), rep.to_markdown(), rep.to_html()
    for rendered in (text, md, html):
        assert ".txt" not in rendered
    listed = " ".join(text.split("\nSources\n")[1].split())
    for src in rep.listed_sources:
        assert src.title.rstrip(".") in listed
        if src.kind == "article":
            assert src.publisher or "publisher and link not stated" in listed
        else:
            assert (src.link or src.standard or "") in listed
