"""The one number formatter (knowledge/numbers.py), property-tested: the number a person reads
is the number the engine compared. It once printed 560 as "56"."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

import liverlens
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.numbers import bounded, number

WHOLE = st.integers(min_value=-(10**9), max_value=10**9)
FINITE = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(WHOLE)
def test_whole_numbers_keep_their_zeros(n: int) -> None:
    assert number(n, 0) == str(n)
    assert number(float(n), 2) == str(n)
    assert number(n, 0, ",").replace(",", "") == str(n)


@given(FINITE, st.integers(min_value=0, max_value=4))
def test_decimals_round_half_up_without_trailing_zeros(x: float, decimals: int) -> None:
    text = number(x, decimals)
    want = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    assert Decimal(text) == want
    assert not ("." in text and text.endswith(("0", "."))), text
    assert text != "-0"


@given(FINITE)
def test_grouping_is_only_a_separator(x: float) -> None:
    grouped = number(x, 2, ",")
    assert grouped.replace(",", "") == number(x, 2)
    if abs(x) < 9_999.995:
        assert "," not in grouped
    else:
        whole = grouped.lstrip("-").split(".")[0]
        assert re.fullmatch(r"\d{1,3}(,\d{3})+", whole), grouped


def test_examples() -> None:
    assert number(560, 0) == "560"
    assert number(10, 0) == "10"
    assert number(2.675, 2) == "2.68"  # half up, not the binary float's 2.67
    assert number(2.50) == "2.5"
    assert number(-0.001, 2) == "0"
    assert number(4500, 0, ",") == "4500"
    assert number(12000, 0, ",") == "12,000"
    assert number(None) == "?"
    assert bounded(5, "<", 0) == "<5" and bounded(1000, ">=", 0) == "≥1000"


def test_each_language_formats_its_own_way(kb: KnowledgeBase) -> None:
    assert kb.number(12000, 0, "en") == "12,000"
    assert kb.number(12000, 0, "zh") == "12000"


def test_reports_print_the_numbers_given() -> None:
    """The defects seen: 560 g of alcohol printed as 56, 10 months as 1."""
    report = liverlens.interpret(
        {
            "person": {"sex": "male", "age": 50},
            "labs": {"alt": 70, "ast": 40},
            "collected_on": "2026-11-10",
            "history": [{"collected_on": "2026-01-10", "labs": {"alt": 80}}],
            "context": {"alcohol_grams_per_week": 560},
        }
    )
    text = " ".join(report.to_text().split())
    assert "about 560 g of alcohol a week" in text
    assert "about 10 months" in text
    zh = liverlens.interpret({"labs": {"alt": 12000}, "language": "zh"}).to_text()
    assert "12000" in zh
