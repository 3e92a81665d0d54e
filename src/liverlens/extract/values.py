"""The pieces printed after a test name: result, unit, reference range and flag.

A row's cells are read as one stream of typed pieces (``Piece``), so a row read cell by cell
from a PDF and the same row merged by OCR into "45.2U/L13-35H" give the same pieces. Which
number is the result is decided by order (labs print the result before its range) with one
ambiguity kept in sight: "<5" first is a result given as a bound, "<35" after a result is the
range. Numbers are read with the page's decimal convention (``NumberStyle``), decided once for
the page from its own numbers, never per value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from liverlens.knowledge.report_words import load_report_words

NUM = r"\d+(?:[.,]\d+)*"
# a power of ten as labs print it and OCR reads it: 10^9, 10⁹, 10*9, 10e9, and OCR's 10~3,
# 10-3, 10'9, 109 (superscript lost); the exponent is group 1 of the pattern
POWER = r"10\s*[\^*eE~～˜'’°`-]?\s*([0-9⁰¹²³⁴-⁹]{1,2})"
_SEP = "\u2502"  # joins cells in a stream; never printed on a report
# a unit whose slash OCR lost: "μkatL", "IUL", "umolL" (``parse._unit`` puts it back between
# the two groups of ``SLASH_LOST``)
UNIT_STEM = r"(?:I?U|[uµμ]?mol|mmol|mg|g|[uµμ]kat)"
SLASH_LOST = rf"({UNIT_STEM})(d?[lL])"
_SLASH_LOST = rf"(?<![A-Za-z]){UNIT_STEM}d?[lL](?![A-Za-z])"
# and an enzyme unit whose litre OCR lost at the cell's edge ("U/", "IU/": nothing else ends so)
LITRE_LOST = r"I?U\s*/"
_LITRE_LOST = rf"(?<![A-Za-z]){LITRE_LOST}(?![\w/])"
# the unit column's headings (report_words.yaml ``headers.unit``: "Unit", "Units", "单位"),
# longest first, as the label before a unit ("单位：IU/L")
_UNIT_LABELS = "|".join(
    re.escape(w) for w in sorted(load_report_words().headers.unit, key=len, reverse=True)
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "range",
        re.compile(
            rf"[(\[（]?\s*(?P<lo>{NUM})\s*(?:-{{1,2}}|–|—|~|～|〜|至|to)\s*(?P<hi>{NUM})(?!\s*/)"
            r"\s*[)\]）]?",
            re.I,
        ),
    ),
    (
        "upper",
        re.compile(
            rf"[(\[（]?\s*(?P<op><=|≤|<|＜|up\s*to|upto|below|less\s*than|under)\s*(?P<n>{NUM})"
            r"\s*[)\]）]?",
            re.I,
        ),
    ),
    (
        "lower",
        re.compile(
            rf"[(\[（]?\s*(?P<op>>=|≥|>|＞|above|more\s*than|over)\s*(?P<n>{NUM})\s*[)\]）]?", re.I
        ),
    ),
    # a flag letter OCR ran into the unit after a result ("58.8HU/L"): the flag, then the unit;
    # and after the unit ("150U/LH", "168μmol/LHigh"): the unit, then the flag (an "other"
    # piece, read as a flag word)
    (
        "unit",
        re.compile(
            rf"{UNIT_STEM}\s*/\s*d?[lL]"
            r"(?=(?:[HL]|High|Low|HIGH|LOW)(?![A-Za-z]))"
        ),
    ),
    ("flag", re.compile(r"(?<=[\d.])[HL](?=(?:I?U|[uµμm]?mol|mg|g|[uµμ]kat)\s*/)")),
    # a unit whose slash OCR lost ("μkatL", "IUL", "umolL"): a unit still, read with the slash
    # put back (``parse._unit``), never a word after the result that leaves it unitless
    ("unit", re.compile(_SLASH_LOST)),
    ("unit", re.compile(_LITRE_LOST)),
    (
        "unit",
        re.compile(
            rf"(?:[x×X*]\s*)?{POWER}\s*/\s*(?:[uµμ]?l|mm3)(?![a-z])"
            r"|(?:[a-zA-Zµμ]{1,8}|\[iu\])\s*/\s*(?:100\s*ml|mm3|[a-zA-Zµμ]{1,3}|[1|](?![\d.,]))(?![a-zA-Z])"
            r"|/\s*(?:[uµμ]l|mm3)(?![a-z])"
            r"|(?<![a-zA-Z])(?:INR|ratio)(?![a-zA-Z])",
            re.I,
        ),
    ),
    # a digit between letters is part of a word, never a result: "IFCC without P5P" (a
    # method column) read as ALT 5
    ("other", re.compile(r"[(\[（]?[A-Za-z]+\d+[A-Za-z]+")),
    # so is a digit between hyphens in a chemical name ("L-Gamma-glutamyl-3-carboxy-4-
    # nitroanilide", wrapped over lines, read GGT 3), and a number after a bracket the cell
    # never closes ("Kinetic UV (37" with "°C)" on the next line, read ALT 37)
    ("other", re.compile(r"[(\[（]?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*-\d+-[-A-Za-z0-9]*")),
    ("other", re.compile(r"[(（]\d+(?:[.,]\d+)?(?=\s|$)(?![^()（）]*[)）])")),
    # what follows a unit label is the unit, never a result: a phone app's "单位：IU/L", read
    # by OCR as "单位：1U/L", gave AST 1 U/L shown as sure. The label, and a 1 (l, |) read for
    # the I of IU, are no piece of their own; the unit after them is read as a unit
    ("label", re.compile(rf"(?:{_UNIT_LABELS})\s*[:：]\s*(?:[1l|](?=\s*[uU]\s*/))?", re.I)),
    # a temperature is a method's, never a result: "Kinetic UV (37 °C)" read as AST 37
    ("other", re.compile(r"\d+(?:[.,]\d+)?\s*(?:°\s*[CF]|℃)")),
    ("number", re.compile(rf"(?P<n>{NUM})")),
    ("flag", re.compile(r"↑|↓|\*+|!|(?<![A-Za-z])(?:HIGH|LOW|High|Low|HI|LO|H|L|A)(?![A-Za-z])")),
    ("space", re.compile(rf"[\s{_SEP}:：,;]+")),
    # a word ends at a space, a colon or a number (with its comparator: "参考范围：<40")
    ("other", re.compile(rf"[^\s{_SEP}]+?(?=[\s{_SEP}:：]|[<>≤≥＜＞]?\d|$)|[^\s{_SEP}]+")),
]


@dataclass(frozen=True)
class Piece:
    kind: str  # range, upper, lower, unit, number, flag, other
    text: str
    cell: int  # which cell of the stream it came from
    groups: dict[str, str]


def pieces(cells: list[str]) -> list[Piece]:
    """Typed pieces of the cells after a test name, in reading order."""
    out: list[Piece] = []
    for index, cell in enumerate(cells):
        pos = 0
        while pos < len(cell):
            for kind, pattern in _PATTERNS:
                m = pattern.match(cell, pos)
                if m and m.end() > pos:
                    if kind not in ("space", "label"):
                        groups = {k: v for k, v in m.groupdict().items() if v is not None}
                        out.append(Piece(kind, m.group(0).strip(), index, groups))
                    pos = m.end()
                    break
            else:  # pragma: no cover - "other" matches any character
                pos += 1
    return out


class NumberStyle(Enum):
    """How the page writes numbers: a decimal point with comma thousands (``1,234.5``), a
    decimal comma (``12,5``), or both kinds of evidence on one page. On a mixed page only a
    numeral with one meaning under either mark is read ("4,1" and "0.70": a thousands group
    has three digits); one that could be a thousands group or three decimals ("1,234",
    "1.234") or holds two marks is left for the person to type."""

    POINT = "point"
    COMMA = "comma"
    MIXED = "mixed"


_DATE_OR_TIME = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}(?::\d{2})?")
_UNITISH = re.compile(rf"[a-zA-Zµμ]\s*/\s*[a-zA-Zµμ]|10\s*[\^*]\s*\d|INR|%|{_SLASH_LOST}")
_IN_UNIT = re.compile(r"/\s*\d+(?:[.,]\d+)?")  # mL/min/1.73m2: a number inside a unit
_COMMA_DECIMAL = re.compile(r"(?<![\d,.])\d+,\d{1,2}(?![\d,])")
_POINT_DECIMAL = re.compile(r"(?<![\d,.])\d+\.\d+(?![\d,])")


def number_style(texts: list[str]) -> NumberStyle:
    """Decide the page's decimal mark from the numbers of its result lines (a line with a
    unit), dates and times left out."""
    commas = points = 0
    for text in texts:
        if not _UNITISH.search(text):
            continue  # only result lines count: IDs, times ("09.16") and dates are not decimals
        t = _IN_UNIT.sub(" ", _DATE_OR_TIME.sub(" ", text))
        commas += len(_COMMA_DECIMAL.findall(t))
        points += len(_POINT_DECIMAL.findall(t))
    if commas and points:
        return NumberStyle.MIXED
    return NumberStyle.COMMA if commas else NumberStyle.POINT


_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_THOUSANDS_POINT = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_THOUSANDS_GROUP = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")  # 1,234: thousands or decimals


def read_number(text: str, style: NumberStyle) -> float | None:
    """The number a printed numeral means on this page, or ``None`` when the page does not
    settle it ("1,234" on a page that also prints "2.5" and "4,1")."""
    if style is NumberStyle.MIXED:
        if text.count(",") + text.count(".") > 1 or _THOUSANDS_GROUP.fullmatch(text):
            return None
        return float(text.replace(",", "."))
    if "," not in text:
        if style is NumberStyle.COMMA and _THOUSANDS_POINT.fullmatch(text):
            return float(text.replace(".", ""))
        return float(text) if text.count(".") <= 1 else None
    if style is NumberStyle.POINT:
        return float(text.replace(",", "")) if _THOUSANDS_COMMA.fullmatch(text) else None
    if _THOUSANDS_POINT.fullmatch(text):  # a decimal comma page
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", ".")) if text.count(",") == 1 else None


SEP = _SEP
