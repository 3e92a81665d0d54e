"""Numbers in prose: the one formatter every sentence, table and title uses.

A number in a report is read by a person deciding what to do, so it must be the number the
engine compared: ``560`` stays ``560`` (an earlier formatter stripped the zero of whole numbers
and printed "56"), ``2.675`` rounds half up to ``2.68`` the way people round (not the way binary
floats happen to fall), no ``-0`` and no float noise. Large numbers are grouped with the
language's own separator (``languages.yaml``: ``thousands``) from 10,000 up, the point from
which style guides group four-digit numbers too; a language without one prints digits only.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

BOUNDS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
GROUP_FROM = 10_000
UNKNOWN = "?"


@lru_cache(maxsize=4096)  # a report formats some 80 numbers, mostly the same few
def number(x: float | None, decimals: int = 2, thousands: str = "") -> str:
    """``x`` rounded half up to at most ``decimals`` places, without trailing zeros after the
    decimal point (``2.50`` -> ``2.5``, ``560`` -> ``560``), grouped from 10,000 with
    ``thousands`` when given. ``None`` (and a non-finite value) is shown as ``?``."""
    if x is None or not math.isfinite(x):
        return UNKNOWN
    exact = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if exact == 0:
        exact = abs(exact)  # never "-0"
    text = f"{exact:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if thousands and abs(exact) >= GROUP_FROM:
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        whole, dot, fraction = digits.partition(".")
        groups = [whole[max(0, i - 3) : i] for i in range(len(whole), 0, -3)][::-1]
        text = sign + thousands.join(groups) + dot + fraction
    return text


def bounded(x: float | None, comparator: str | None, decimals: int = 2, thousands: str = "") -> str:
    """A number as the lab gave it: ``<5``, ``≥1000`` for a bound, else ``number(x)``."""
    return BOUNDS.get(comparator or "", "") + number(x, decimals, thousands)
