"""Unit spelling, conversion factors and round trips (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import liverlens
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.units import (
    find_unit,
    from_canonical,
    normalise_spelling,
    to_canonical,
    unit_for,
)


@pytest.mark.parametrize(
    ("analyte", "spelling", "value", "canonical"),
    [
        ("alt", "U/L", 60, 60),
        ("alt", "IU/L", 60, 60),
        ("alt", "ukat/L", 1, 60),
        ("alt", "µkat/L", 0.5, 30),
        ("alt", "μkat/l", 0.5, 30),  # Greek mu, lower case
        ("bilirubin", "mg/dL", 1, 17.1),
        ("bilirubin", "µmol/L", 17.1, 17.1),
        ("albumin", "g/dL", 4.2, 42),
        ("albumin", "g/L", 42, 42),
        ("platelets", "10^3/uL", 240, 240),
        ("platelets", "×10⁹/L", 240, 240),
        ("platelets", "10*9/L", 240, 240),
        ("platelets", "/uL", 240000, 240),
        ("inr", None, 1.1, 1.1),
        ("inr", "{INR}", 1.1, 1.1),
    ],
)
def test_known_units_convert(
    kb: KnowledgeBase, analyte: str, spelling: str | None, value: float, canonical: float
) -> None:
    unit = unit_for(kb, analyte, spelling)
    assert unit is not None
    assert to_canonical(value, unit) == pytest.approx(canonical)


@pytest.mark.parametrize(
    ("analyte", "spelling"),
    [("alt", "mmol/L"), ("bilirubin", "U/L"), ("albumin", "mg/dL"), ("platelets", "g/dL")],
)
def test_wrong_unit_is_not_guessed(kb: KnowledgeBase, analyte: str, spelling: str) -> None:
    assert unit_for(kb, analyte, spelling) is None


def test_spelling_normalisation() -> None:
    assert normalise_spelling(" µmol / L ") == "umol/l"
    assert normalise_spelling("x10^9/L") == "10^9/l"
    assert normalise_spelling("×10⁹/L") == "10^9/l"


@given(value=st.floats(min_value=0, max_value=5000, allow_nan=False))
def test_round_trip_every_unit(value: float) -> None:
    for family in load_knowledge().unit_families.values():
        for unit in family.units:
            back = from_canonical(to_canonical(value, unit), unit)
            assert back == pytest.approx(value, rel=1e-6, abs=1e-5)


@given(ukat=st.integers(min_value=1, max_value=3000).map(lambda n: n / 100))
def test_status_does_not_depend_on_the_unit(ukat: float) -> None:
    """The same ALT in µkat/L and in U/L gets the same fold, grade and status."""
    in_ukat = liverlens.interpret(
        {"labs": {"alt": {"value": ukat, "unit": "ukat/L"}}, "person": {"sex": "male"}}
    ).to_dict()
    in_u = liverlens.interpret(
        {"labs": {"alt": round(ukat * 60, 6)}, "person": {"sex": "male"}}
    ).to_dict()
    assert in_ukat["alt_grade"] == in_u["alt_grade"]
    assert in_ukat["analytes"]["alt"]["status"] == in_u["analytes"]["alt"]["status"]
    assert in_ukat["analytes"]["alt"]["fold_uln"] == in_u["analytes"]["alt"]["fold_uln"]


def test_exact_limit_after_conversion_is_normal() -> None:
    """0.55 µkat/L is exactly 33 U/L, the men's limit: normal, not a float-noise 'high'."""
    out = liverlens.interpret(
        {"labs": {"alt": {"value": 0.55, "unit": "ukat/L"}}, "person": {"sex": "male"}}
    ).to_dict()
    assert out["analytes"]["alt"]["value"] == 33
    assert out["analytes"]["alt"]["status"] == "normal"


def test_find_unit_defaults_to_canonical(kb: KnowledgeBase) -> None:
    family = kb.unit_families["bilirubin"]
    unit = find_unit(family, None)
    assert unit is not None and unit.unit == "umol/L"


def test_every_unit_has_a_symbol_that_reads_back_as_itself() -> None:
    """Issue 14: the form showed umol/L and 10^9/L. The symbol is for the eye only; read back
    through the spelling rules it must name the same unit."""
    from liverlens.knowledge.units import find_unit, unit_symbol

    shown = {}
    for family in load_knowledge().unit_families.values():
        for unit in family.units:
            symbol = unit_symbol(unit.unit)
            assert find_unit(family, symbol) is unit, (unit.unit, symbol)
            assert "^" not in symbol and "umol" not in symbol and "uL" not in symbol
            shown[unit.unit] = symbol
    assert shown["umol/L"] == "µmol/L" and shown["10^9/L"] == "10⁹/L"
    assert shown["10^3/uL"] == "10³/µL" and shown["ukat/L"] == "µkat/L"
    assert shown["U/L"] == "U/L" and shown["mg/dL"] == "mg/dL"
