"""Names that hold a liver test's name but are another test: never read as the liver test.

Found on heldout5's Indian layout, where a method column sits between the name and the result:
"Bilirubin (Indirect) | Calculated | 0.3" was read as total bilirubin (leaving the bracket out
and the method word "Calculated" as a qualifier gave "Bilirubin"), and "SGOT/SGPT Ratio |
Calculated | 1.67" as AST 1.67. Both were marked only because the test was read twice.
"""

from __future__ import annotations

import pytest

from liverlens.extract.names import match_name
from liverlens.knowledge import load_knowledge
from tests.extract.test_parse import read


@pytest.mark.parametrize(
    "name",
    [
        "Bilirubin (Indirect)  Calculated",
        "Bilirubin (Indirect)",
        "SGOT/SGPT Ratio",
        "SGOT/SGPT Ratio  Calculated",
        "AST/ALT比值",
        "Albumin/Globulin Ratio",
    ],
)
def test_another_test_or_a_ratio_is_no_liver_test(name: str) -> None:
    assert match_name(load_knowledge(), name) is None


@pytest.mark.parametrize(
    ("name", "analyte"),
    [
        ("INR (Ratio)", "inr"),
        ("International Normalised Ratio", "inr"),
        ("国际标准化比率", "inr"),
        ("Conjugated (Direct) Bilirubin", "direct_bilirubin"),
        ("Bilirubin (Total)", "bilirubin"),
    ],
)
def test_the_inrs_own_ratio_and_a_synonym_in_brackets_still_name_the_test(
    name: str, analyte: str
) -> None:
    match = match_name(load_knowledge(), name)
    assert match is not None and match.analyte == analyte


def test_a_method_column_beside_a_look_alike_reads_only_the_real_tests() -> None:
    found = read(
        [
            ["Serum Bilirubin (Total)", "Diazo", "0.31", "mg/dl", "0.3 - 1.2"],
            ["Bilirubin (Indirect)", "Calculated", "0.3", "mg/dL", "0.2 - 0.8"],
            ["S.G.O.T. (AST)", "IFCC with P5P", "36.2", "IU/L", "< 40"],
            ["SGOT/SGPT Ratio", "Calculated", "1.67"],
        ]
    )
    got = [(f.analyte, f.value, f.confidence) for f in found.fields]
    assert got == [("bilirubin", 0.31, 1.0), ("ast", 36.2, 1.0)]


@pytest.mark.parametrize(
    ("name", "analyte"),
    [
        ("Bili (total)", "bilirubin"),
        ("T. Bili", "bilirubin"),
        ("Bili (direct)", "direct_bilirubin"),
    ],
)
def test_bili_short_for_bilirubin_with_its_fraction(name: str, analyte: str) -> None:
    """heldout2's Australian layout prints "Bili (total)": its results were missed. "Bili"
    alone says neither fraction and stays unread."""
    match = match_name(load_knowledge(), name)
    assert match is not None and (match.analyte, match.confidence) == (analyte, 1.0)
    assert match_name(load_knowledge(), "Bili") is None
