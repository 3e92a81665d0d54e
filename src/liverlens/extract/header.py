"""The patient header: sex, age and the date the sample was taken, each only from its label.

A lab report prints many dates (birth, collection, receipt, report, print) and numbers that
look like ages. Each value is taken only after its own label (report_words.yaml), and a date is
read only when its form settles day and month: "2026-03-14", "14 Mar 2026", "14.03.2026"
(day first by that convention), "03/14/2026" (14 cannot be a month). "03/04/2026" is left
unread rather than guessed. With a date of birth and a collection date both read, the age is
the age on the day of the test. A header set as a grid, the labels on one line and the values
on the line under them ("AGE  SEX" over "68 years  M"), is read label by label from the cell
under each (``header_texts``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise

from liverlens.extract.rows import Cell, Line
from liverlens.knowledge.names import fold
from liverlens.knowledge.report_words import ReportWords

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
    for m in (names,)
}
# a month's name as printed, or as OCR reads it with a zero for the o ("22-0ct-2025")
MONTH_NAME = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|[o0]ct|n[o0]v|dec)[a-z]*\.?"


def month_number(name: str) -> int:
    """The month a ``MONTH_NAME`` match names: "Oct", "0ct" and "October" are 10."""
    return MONTHS[name.lower()[:3].replace("0", "o")]


_DATES = [
    re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"),
    re.compile(rf"(?P<d>\d{{1,2}})[\s\-/]*{MONTH_NAME}[\s\-/,]*(?P<y>\d{{4}})", re.I),
    re.compile(rf"{MONTH_NAME}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y>\d{{4}})", re.I),
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),  # 14.03.2026: day first
    re.compile(r"(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<y>\d{4})"),  # 03/14/2026 or 14/03/2026
]


@dataclass(frozen=True)
class Header:
    sex: str | None = None
    age: float | None = None
    collected_on: str | None = None


def read_date(text: str) -> str | None:
    """An ISO date from the first date in ``text`` whose form settles day and month."""
    for pattern in _DATES:
        m = pattern.search(text)
        if not m:
            continue
        g = m.groupdict()
        year = int(g["y"])
        if g.get("mon"):
            month, day = month_number(g["mon"]), int(g["d"])
        elif g.get("a"):
            a, b = int(g["a"]), int(g["b"])
            if a == b:
                day = month = a  # 11/11/2025 reads the same either way
            elif a > 12 >= b:
                day, month = a, b
            elif b > 12 >= a:
                month, day = a, b
            else:
                return None  # 03/04/2026: March or April, the page does not say
        else:
            month, day = int(g["m"]), int(g["d"])
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    return None


def _spelled(label: str) -> str:
    """A label as a pattern: spaces allowed between its characters ("性 别"), and nothing
    but a space or a separator before it - a label of one character ("性", what OCR leaves
    of 性别) not inside a word either ("阴性")."""
    before = r"(?<![^\s|,，;；:：(（])" if len(label) == 1 else r"(?<![a-z])"
    return before + r"\s*".join(re.escape(ch) for ch in label)


def _after_label(text: str, labels: frozenset[str]) -> str | None:
    """The text after a label in ``text`` (a label, then an optional colon)."""
    for label in sorted(labels, key=len, reverse=True):
        # no guard after the label: OCR runs it into the next word ("Collectedon June 5")
        m = re.search(rf"{_spelled(label)}\s*[:：]?\s*", text, re.I)
        if m:
            return text[m.end() :]
    return None


def has_label(text: str, words: ReportWords) -> bool:
    """Whether ``text`` holds a label ``read_header`` reads a field after (sex, age, date of
    birth, collection date; "Age/Sex" holds two): a line that must be read whole."""
    return _any_label(words).search(text.lower()) is not None


def header_texts(lines: list[Line], words: ReportWords) -> list[str]:
    """The texts ``read_header`` reads: every line's, then each label of a grid with the one
    cell under it ("SEX" over "M" as "SEX: M"). A cell is a grid label only when it is a
    label and nothing else; its value is the next line's cell it overlaps most."""
    texts = [line.text for line in lines]
    label = _any_label(words)
    for above, below in pairwise(lines):
        if above.page != below.page:
            continue
        for cell in above.cells:
            if not label.fullmatch(cell.text.strip().lower().rstrip(":： ")):
                continue
            under = max(below.cells, key=lambda c: _shared(cell, c))
            if _shared(cell, under) > 0:
                texts.append(f"{cell.text.strip().rstrip(':： ')}: {under.text}")
    return texts


def _shared(a: Cell, b: Cell) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


@cache
def _any_label(words: ReportWords) -> re.Pattern[str]:
    """Every label as ``_after_label`` finds it, in one pattern."""
    groups = (words.sex_labels, words.age_labels, words.dob_labels, words.collected_labels)
    labels = sorted({f for group in groups for f in words.folded(group)}, key=len, reverse=True)
    return re.compile("|".join(_spelled(label) for label in labels), re.I)


def read_header(lines: list[str], words: ReportWords) -> Header:
    """Sex, age and collection date from the report's lines (each from its own label)."""
    sex_labels = words.folded(words.sex_labels)
    age_labels = words.folded(words.age_labels)
    date_labels = words.folded(words.collected_labels)
    dob_labels = words.folded(words.dob_labels)
    male, female = words.folded(words.sex_words.male), words.folded(words.sex_words.female)
    age_units = "|".join(sorted((re.escape(u) for u in words.age_units), key=len, reverse=True))
    sex: str | None = None
    age: float | None = None
    collected: str | None = None
    born: str | None = None
    for line in lines:
        low = line.lower()
        combined = re.search(
            rf"age\s*/\s*(?:sex|gender)\s*[:：]?\s*(\d{{1,3}})\s*(?:{age_units})?\s*/\s*([a-z]+)",
            low,
        )
        if combined:
            age = age if age is not None else float(combined.group(1))
            word = fold(combined.group(2))
            sex = sex or ("male" if word in male else "female" if word in female else None)
            continue
        flipped = re.search(  # "Sex/Age: F / 45Y", "Sex/Age: Female 45 years"
            rf"(?:sex|gender)\s*/\s*age\s*[:：]?\s*([a-z]+)\s*[/,]?\s*(\d{{1,3}})\s*(?:{age_units})?",
            low,
        )
        if flipped:
            word = fold(flipped.group(1))
            sex = sex or ("male" if word in male else "female" if word in female else None)
            age = age if age is not None else float(flipped.group(2))
            continue
        if sex is None and (rest := _after_label(low, sex_labels)) is not None:
            first = re.match(r"\s*([a-z]+|[\u4e00-\u9fff]{1,2})", rest)
            for word in (fold(first.group(1)), fold(first.group(1)[:1])) if first else ():
                sex = "male" if word in male else "female" if word in female else None
                if sex:
                    break
        if age is None and (rest := _after_label(low, age_labels)) is not None:
            m = re.match(rf"\s*(\d{{1,3}})\s*(?:{age_units})?(?![\d/.:-])", rest)
            if m and 0 < int(m.group(1)) <= 120:
                age = float(m.group(1))
        if collected is None:
            collected = _collected_after(low, date_labels)
        if born is None and (rest := _after_label(low, dob_labels)) is not None:
            born = read_date(rest[:40])
            beside = re.search(rf"\(\s*(\d{{1,3}})\s*(?:{age_units})\s*\)", rest[:40])
            if age is None and beside:  # "DOB: 19/10/1996 (28 Y)"
                age = float(beside.group(1))
    if age is None and born and collected:
        age = float(_years_between(born, collected))
    return Header(sex, age, collected)


def collection_date(text: str, words: ReportWords) -> str | None:
    """The collection date one line prints after its label (ISO), else ``None``: a request
    block's "Sample date: 04-May-2024 09:05 · Filed: 08-May-2024" (``dated_rows``)."""
    return _collected_after(text.lower(), words.folded(words.collected_labels))


def _collected_after(low: str, labels: frozenset[str]) -> str | None:
    rest = _after_label(low, labels)
    return read_date(rest[:40]) if rest is not None else None


def _years_between(born: str, on: str) -> int:
    b, d = date.fromisoformat(born), date.fromisoformat(on)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))
