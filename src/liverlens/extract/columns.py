"""Which result column of a cumulative table is this sample's, from the table's own headings.

A cumulative report prints earlier results beside this one: "Alanine aminotransferase  iu/L
< 41  674  734" under "Test  Units  Ref. range  12/02/25  03/05/25  12/08/25", or a row's
previous result with its date on the right under "Previous  Date". The numbers of such a row
alone cannot say which is today's (an NHS cumulative report prints the earliest first, others
print this sample first), so the parser marks every row with several results for checking
(``parse.SEVERAL_RESULTS``). The heading line says it: its result columns are headed by dates,
or by words ("This sample", "本次"; "Previous", "上次": report_words.yaml ``columns``).

This sample's column is the one headed by a current word, or by the report's collection date
(``header.py``), or, when no collection date is read, by the latest date; a heading marked
previous never is. Dates are read under the page's own day/month order (a "19/10/1996"
anywhere on the page makes it day first); a heading whose date the page leaves open
("03/04/25") settles nothing. Only a choice that is certain is used: exactly one column, and
on each row a result cell under it by its x position with the other results each under an
earlier column. Anything else leaves the row as the parser reads it (several results: a check).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

from liverlens.extract.header import MONTH_NAME, has_label, month_number
from liverlens.extract.model import Token
from liverlens.extract.rows import Cell, Line
from liverlens.knowledge.names import fold
from liverlens.knowledge.report_words import ReportWords

_YEAR = r"(?P<y>\d{4}|\d{2})"
_MON = MONTH_NAME
_TIME = r"(?:[\sT(（]*\d{1,2}:\d{2}(?::\d{2})?[)）]?)?"
_HEADING_DATES = [  # (pattern, order): a whole heading cell, optionally with its time
    (
        re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"),
        "ymd",
    ),
    (re.compile(rf"(?P<d>\d{{1,2}})[\s\-/]*{_MON}[\s\-/,]*{_YEAR}", re.I), "name"),
    (re.compile(rf"{_MON}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s*{_YEAR}", re.I), "name"),
    (re.compile(rf"(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.{_YEAR}"), "dmy"),  # dotted: day first
    (re.compile(rf"(?P<a>\d{{1,2}})[/-](?P<b>\d{{1,2}})[/-]{_YEAR}"), "slash"),
]
_SLASH = re.compile(r"(?<!\d)(\d{1,2})[/-](\d{1,2})[/-](?:\d{4}|\d{2})(?!\d)")
_LABEL_COLON = re.compile(r"(?<!\d)\s*[:：]")  # "Reported:", "审核时间："; not a time's "09:14"
_FLAG_IN_BRACKETS = re.compile(r"\(\s*([HL])\s*\)", re.I)
_RESULT = re.compile(
    r"^\s*[<>≤≥＜＞]?\s*\d[\d.,]*\s*(?:[HL↑↓*]|\(\s*[HL]\s*\)|high|low)?\s*$", re.I
)

Order = str | None  # "dmy", "mdy", or None when the page does not settle it


def page_order(texts: Sequence[str]) -> Order:
    """Day first or month first, from the page's own numeric dates: a first number over 12
    ("19/10/1996") makes the page day first, a second one over 12 month first; both, or
    neither, leave it open."""
    day_first = month_first = False
    for text in texts:
        for a, b in _SLASH.findall(text):
            day_first = day_first or int(a) > 12 >= int(b)
            month_first = month_first or int(b) > 12 >= int(a)
    if day_first == month_first:
        return None
    return "dmy" if day_first else "mdy"


def heading_dates(text: str, order: Order) -> frozenset[date] | None:
    """Every date a heading cell can mean ("12/08/25", "12-Aug-25", "2025-08-12 09:14"), or
    ``None`` when the cell is not a date alone. Two dates for "03/04/25" on a page whose order
    is open; one where a month name, the year first, a dot, a number over 12 or the page's
    order settles it."""
    t = text.strip()
    for pattern, form in _HEADING_DATES:
        m = re.fullmatch(rf"{pattern.pattern}{_TIME}", t, pattern.flags)
        if not m:
            continue
        g = m.groupdict()
        year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
        if form == "name":
            options = [(month_number(g["mon"]), int(g["d"]))]
        elif form == "slash":
            a, b = int(g["a"]), int(g["b"])
            options = {"dmy": [(b, a)], "mdy": [(a, b)]}.get(order or "", [(b, a), (a, b)])
        else:
            options = [(int(g["m"]), int(g["d"]))]
        found = set()
        for month, day in options:
            try:
                found.add(date(year, month, day))
            except ValueError:
                continue
        return frozenset(found) if found else None
    return None


@dataclass(frozen=True)
class Word:
    """A word of a cell with its horizontal place."""

    text: str
    x0: float
    x1: float


def words_of(cell: Cell) -> list[Word]:
    """The cell's words, left to right, each with its x span: a text layer's word is a token
    of its own; a token holding several (an OCR piece, "Result Units") shares its width out
    by characters, which places a word within about a character."""
    tokens = cell.words or (Token(cell.text, cell.box, cell.confidence),)
    out = []
    for t in sorted(tokens, key=lambda t: t.box[0]):
        per = (t.box[2] - t.box[0]) / max(len(t.text), 1)
        for m in re.finditer(r"\S+", t.text):
            out.append(Word(m.group(), t.box[0] + per * m.start(), t.box[0] + per * m.end()))
    return out


@dataclass(frozen=True)
class Column:
    x0: float
    x1: float
    current: bool  # this sample's column; the others are earlier results (or their dates)


@dataclass(frozen=True)
class Picked:
    """A row read through the headings: ``rest`` is this sample's result first, then the
    row's words outside the result columns (unit, range, flag) cell by cell, or ``None`` when
    the row holds earlier results but nothing under this sample's heading (a check)."""

    rest: list[str] | None
    cells: tuple[Cell, ...] = ()  # the cells ``rest`` was read from (their OCR scores count)


@dataclass(frozen=True)
class Heading:
    """A cumulative table's heading: its result columns, left to right. ``certain`` when
    exactly one is this sample's; an uncertain heading changes nothing on its rows."""

    columns: tuple[Column, ...]

    @property
    def certain(self) -> bool:
        return sum(c.current for c in self.columns) == 1

    def pick(self, cells: Sequence[Cell], tail: str) -> Picked | None:
        """This sample's result on a row of the table (``cells`` after the test's name,
        ``tail`` what followed the name inside its own cell), or ``None`` when the row does
        not line up with the headings: a number beside the name, a word with a digit
        half under this sample's column, or under an earlier heading something that is neither a
        result nor a date. A word under no result column (unit, range) is kept as it is; a
        stray number among those makes the parser's several-results check."""
        if not self.certain or re.search(r"\d", tail):
            return None
        under: dict[int, list[str]] = {i: [] for i in range(len(self.columns))}
        others: list[str] = []
        used: dict[int, list[Cell]] = {i: [] for i in range(len(self.columns))}
        read: list[Cell] = []
        for cell in cells:
            kept = []
            for word in words_of(cell):
                column = _under(word, self.columns)
                if column is False:
                    kept.append(word.text)
                    continue
                if column is None:
                    if re.search(r"\d", word.text):
                        return None  # half under this sample's column: alignment unclear
                    continue
                under[self.columns.index(column)].append(word.text)
                used[self.columns.index(column)].append(cell)
            if kept:
                others.append(" ".join(kept))
                read.append(cell)
        current = ""
        earlier = 0
        for i, texts in under.items():
            text = " ".join(texts)
            if not re.search(r"\d", text):
                continue
            if self.columns[i].current:
                if not _RESULT.match(text):
                    return None
                current = _FLAG_IN_BRACKETS.sub(r"\1", text)  # "62 (H)": the flag, H
                read += used[i]
            elif _earlier(text):
                earlier += 1
            else:
                return None  # a unit or range under an earlier result: not lined up
        if not current:
            return Picked(None) if earlier else None
        return Picked([current, *others], tuple(dict.fromkeys(read)))


def _earlier(text: str) -> bool:
    """An earlier result, its date, or both ("56 H 14/07/24" under "Previous Date")."""
    words = text.split()
    for cut in range(len(words), -1, -1):
        result, when = " ".join(words[:cut]), " ".join(words[cut:])
        if (not result or _RESULT.match(result)) and (
            not when or heading_dates(when, None) is not None
        ):
            return True
    return False


def _under(word: Word, columns: Sequence[Column]) -> Column | Literal[False] | None:
    """The column a word sits under: this sample's when it shares most of the narrower of the
    two and next to nothing of another column; an earlier one when it shares most of one of
    those and next to nothing of this sample's (which earlier one does not matter); ``False``
    when it sits under none; ``None`` when it is unclear whether it is this sample's."""
    width = max(word.x1 - word.x0, 1e-6)

    def share(c: Column) -> float:
        return max(min(word.x1, c.x1) - max(word.x0, c.x0), 0.0)

    current = next(c for c in columns if c.current)
    earlier = max((c for c in columns if not c.current), key=share, default=None)
    if share(current) > 0.1 * width:
        mostly = share(current) >= 0.5 * min(width, current.x1 - current.x0)
        alone = earlier is None or share(earlier) <= 0.1 * width
        return current if mostly and alone else None
    if earlier is not None and share(earlier) >= 0.5 * min(width, earlier.x1 - earlier.x0):
        return earlier
    return False


def _phrases(cell: Cell, known: Callable[[str], bool]) -> list[Word]:
    """A heading cell's words joined into the phrases the headings are made of ("Prev.
    result", "12 Aug 2025 09:14"), longest first; other words one by one."""
    words = words_of(cell)
    out: list[Word] = []
    i = 0
    while i < len(words):
        j = next(
            (
                j
                for j in range(min(len(words), i + 4), i + 1, -1)
                if known(" ".join(w.text for w in words[i:j]))
            ),
            i + 1,
        )
        out.append(Word(" ".join(w.text for w in words[i:j]), words[i].x0, words[j - 1].x1))
        i = j
    return out


def heading_of(
    line: Line,
    words: ReportWords,
    collected: date | None,
    order: Order,
) -> Heading | None:
    """The line as a cumulative table's heading, or ``None`` when it is none: it needs two
    dated columns, a previous column, or a current word beside a date, in two cells or more
    (a comment in prose is one), and no label ("Collected:", "审核时间：": a colon after
    anything but a digit), which would make it the report's header."""
    if len(line.cells) < 2 or has_label(line.text, words) or _LABEL_COLON.search(line.text):
        return None
    current_words = words.folded(words.columns.current)
    previous_words = words.folded(words.columns.previous)
    result_words = words.folded(words.headers.result)
    vocabulary = current_words | previous_words | result_words

    def known(text: str) -> bool:
        return fold(text) in vocabulary or heading_dates(text, order) is not None

    dated: list[tuple[Word, frozenset[date]]] = []
    now: list[Word] = []
    before: list[Word] = []
    generic: list[Word] = []
    for cell in line.cells:
        phrases = _phrases(cell, known)
        for phrase in phrases:
            f = fold(phrase.text)
            if f in previous_words:
                before.append(phrase)
            elif f in current_words:
                now.append(phrase)
            elif f in result_words:
                generic.append(phrase)
            elif len(phrases) == 1 and (readings := heading_dates(phrase.text, order)):
                dated.append((phrase, readings))  # a date heads a column alone in its cell
    if not (len(dated) >= 2 or before or (now and dated)):
        return None
    chosen = list(now)
    if collected is not None:
        matches = [(w, r) for w, r in dated if collected in r]
        if any(len(r) > 1 for _, r in matches):
            return _heading(dated, before, None)  # the page leaves the date open
        chosen += [w for w, _ in matches]
    elif not now and dated and all(len(r) == 1 for _, r in dated):
        latest = max(min(r) for _, r in dated)
        chosen += [w for w, r in dated if min(r) == latest]
    if not chosen and before and not dated:
        chosen = generic  # "Result | Previous | Date": the plain result column is this one
    return _heading(dated, before, chosen[0] if len(chosen) == 1 else None)


def _heading(
    dated: list[tuple[Word, frozenset[date]]], before: list[Word], current: Word | None
) -> Heading:
    words = [w for w, _ in dated] + before
    words += [current] if current is not None and current not in words else []
    columns = tuple(Column(w.x0, w.x1, w is current) for w in sorted(words, key=lambda w: w.x0))
    overlapping = any(a.x1 > b.x0 for a, b in pairwise(columns))
    if overlapping:  # headings that run into each other place nothing
        columns = tuple(Column(c.x0, c.x1, False) for c in columns)
    return Heading(columns)


def headings(
    lines: Sequence[Line],
    words: ReportWords,
    collected: date | None,
    order: Order,
    names_a_test: Callable[[Line], bool],
) -> list[Heading | None]:
    """For each line of a page, the heading of the cumulative table it sits in (the last
    heading line above it), or ``None``. A plain table heading ("Test | Result | Units",
    two cells or more of report_words.yaml ``headers``) ends a cumulative table."""
    out: list[Heading | None] = []
    active: Heading | None = None
    for line in lines:
        if not names_a_test(line):
            found = heading_of(line, words, collected, order)
            if found is not None:
                active = found
            elif sum(words.header_column(c.text) is not None for c in line.cells) >= 2:
                active = None
        out.append(active)
    return out
