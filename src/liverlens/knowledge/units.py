"""Unit spelling, lookup and conversion to each analyte's canonical unit.

Laboratories write the same unit many ways (``µmol/L``, ``umol/l``, ``μmol/L``, ``x10^9/L``).
Spelling is normalised once here; the units themselves, their factors and aliases live in
``knowledge/data/units.yaml``. An unknown unit is never guessed: the caller gets ``None`` and
reports the accepted units.
"""

from __future__ import annotations

import re
from functools import cache

from liverlens.knowledge.loader import KnowledgeBase
from liverlens.knowledge.schema import Unit, UnitFamily

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_POWER = re.compile("10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_CARET = re.compile(r"10\^(\d+)")
_MICRO = re.compile(r"(?<![A-Za-z])u(?=(?:mol|kat|L)\b)")


def unit_symbol(unit: str) -> str:
    """The contract's ASCII spelling as a person reads it: ``umol/L`` -> ``µmol/L``,
    ``10^9/L`` -> ``10⁹/L``, ``10^3/uL`` -> ``10³/µL``. For display only: the contract, the
    forms' values and every lookup keep the ASCII spelling."""
    out = _CARET.sub(lambda m: "10" + m.group(1).translate(_TO_SUPERSCRIPT), unit)
    return _MICRO.sub("µ", out)


def normalise_spelling(unit: str) -> str:
    """Fold case, spacing and the common typographic variants of a unit string."""
    s = _POWER.sub(lambda m: "10^" + m.group(1), unit.strip())
    s = s.translate(_SUPERSCRIPTS).lower()
    s = s.replace("µ", "u").replace("μ", "u").replace("×", "x").replace("·", "")
    s = s.replace(" ", "").replace("**", "^")
    if s.startswith(("x10", "*10")):
        s = s[1:]
    return s


@cache
def _index(family: UnitFamily) -> dict[str, Unit]:
    table: dict[str, Unit] = {}
    for unit in family.units:
        for spelling in (unit.unit, *unit.aliases):
            table[normalise_spelling(spelling)] = unit
    return table


def find_unit(family: UnitFamily, spelling: str | None) -> Unit | None:
    """The unit a spelling names within a family; ``None`` means the canonical unit."""
    if spelling is None:
        return next(u for u in family.units if u.unit == family.canonical)
    return _index(family).get(normalise_spelling(spelling))


def accepted_units(family: UnitFamily) -> list[str]:
    return [u.unit for u in family.units]


SIGNIFICANT_DIGITS = 12


def _clean(x: float) -> float:
    return float(f"{x:.{SIGNIFICANT_DIGITS}g}")


def to_canonical(value: float, unit: Unit) -> float:
    """Convert to the canonical unit, keeping 12 significant digits.

    Without the rounding, 0.55 µkat/L becomes 33.000000000000004 U/L and would read as above a
    33 U/L limit; no laboratory value carries that much precision, so nothing real is lost.
    """
    return _clean(value * unit.factor)


def from_canonical(value: float, unit: Unit) -> float:
    return _clean(value / unit.factor)


def unit_for(kb: KnowledgeBase, analyte_id: str, spelling: str | None) -> Unit | None:
    return find_unit(kb.family_of(analyte_id), spelling)
