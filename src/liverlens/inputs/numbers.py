"""Reading a number a person typed, or a lab sheet printed, without guessing its separators.

"1,000" is a thousand to one reader and one (with three decimals) to another. Read the wrong
way, an urgent ALT of 1,000 U/L becomes a normal 1 U/L. So a number is read only when its
separators can mean one thing:

- ``85``, ``0.9``, ``0,9``, ``12.5``: plain, or one decimal separator that cannot be grouping;
- ``1,234.5``, ``1.234,5``, ``1 234``, ``1,000,000``: grouping in threes beside a different
  decimal separator, spaces, or more than one group;
- ``1,000`` or ``1.500`` (one separator followed by exactly three digits, after 1-3 digits
  that do not start with 0) could be either, and is refused with both readings named.

Not finite (``nan``, ``inf``, ``1e999``) is refused too. The caller words the refusal.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from liverlens.errors import Issue, issue

_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED = {
    ",": re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?"),
    ".": re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?"),
}
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")


@dataclass(frozen=True)
class NotANumber(ValueError):
    """Why ``text`` could not be read: ``reason`` is ``not_number``, ``not_finite`` or
    ``ambiguous`` (then ``readings`` holds the two numbers it could be)."""

    text: str
    reason: str
    readings: tuple[float, float] | None = None


def read_number(text: str) -> float:
    """The number ``text`` stands for, or ``NotANumber`` saying why not."""
    raw = text.strip()
    s = _SPACES.sub("", raw)
    if _AMBIGUOUS.fullmatch(s):
        sep = "," if "," in s else "."
        whole, part = s.split(sep)
        raise NotANumber(raw, "ambiguous", (float(whole + part), float(f"{whole}.{part}")))
    if _GROUPED[","].fullmatch(s) and s.count(",") > (0 if "." in s else 1):
        value = float(s.replace(",", ""))
    elif _GROUPED["."].fullmatch(s) and s.count(".") > (0 if "," in s else 1):
        value = float(s.replace(".", "").replace(",", "."))
    elif s.count(",") == 1 and "." not in s and _PLAIN.fullmatch(s.replace(",", ".")):
        value = float(s.replace(",", "."))  # a decimal comma that cannot be grouping
    elif _PLAIN.fullmatch(s) or s.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        value = float(s)
    else:
        raise NotANumber(raw, "not_number")
    if not math.isfinite(value):
        raise NotANumber(raw, "not_finite")
    return value


# A result a lab gives only as a bound, as printed or typed: "<5", "≥ 1000", "＞1000"
_BOUND = re.compile(r"\s*(<=|>=|<|>|≤|≥|＜|＞)\s*(.*)", re.DOTALL)
_BOUND_WORDS = {"≤": "<=", "≥": ">=", "＜": "<", "＞": ">"}


def split_bound(text: str) -> tuple[str | None, str]:
    """``"<5"`` -> ``("<", "5")``; ``"85"`` -> ``(None, "85")``. The comparator is one of the
    contract's (``<``, ``<=``, ``>``, ``>=``); the rest is left for ``read_number``."""
    bound = _BOUND.fullmatch(text)
    if bound is None:
        return None, text
    return _BOUND_WORDS.get(bound[1], bound[1]), bound[2]


def read_result(text: str) -> tuple[float, str | None]:
    """A lab result as written: its number and, for a bound (``<5``, ``>1000``), the
    comparator. ``NotANumber`` when either part cannot be read (a bare ``<`` too)."""
    comparator, rest = split_bound(text)
    if comparator is not None and not rest.strip():
        raise NotANumber(text.strip(), "not_number")
    return read_number(rest), comparator


def number_issue(field: str, problem: NotANumber) -> Issue:
    """The refusal as an ``Issue`` for ``field``, naming both readings when ambiguous."""
    if problem.reason == "ambiguous" and problem.readings is not None:
        thousands, decimal = problem.readings
        return issue(
            field,
            "error.number.ambiguous",
            given=problem.text,
            thousands=f"{thousands:g}",
            decimal=f"{decimal:g}",
        )
    if problem.reason == "not_finite":
        return issue(field, "error.input.finite", given=problem.text)
    return issue(field, "error.form.not_number", given=problem.text)
