"""Table rows printed over several lines, joined into one line before they are read.

A phone app or a narrow column prints one test over two or three lines: the name and the
result, then "参考范围: 男:5-40 女:5-35  单位: IU/L"; or a long name wrapped ("天门冬氨酸氨基" /
"转移酶") with its code under it ("AST"). Read line by line, the result had no unit and no
limits yet looked sure, the wrapped name's result was lost, and each code line was listed
as a test with no value. Each kind of line below is joined to its row only when nothing else
can be meant by it:

- a *name line* (one cell of words, no digit, under the row's name) completes a name that
  names no test yet, when the two together name one exactly and the line alone names none,
  or is the same test's code;
- a *detail line* (no test name, no result of its own, only a range, a unit and their
  labels) gives the row what it lacks, never what the row printed itself; but the other
  sex's or age band's range under the row's ("Male : 10 - 49" over "Female : 7 - 38",
  "Men ≥40 y: < 1,90") joins it;
- a *card* (a patient portal's: the name alone on its line, then flush left under it the
  value, "Value" / "Result:" labels and the range on lines of their own, in either order)
  is one row: the value line is one result with its unit and flag and nothing else. A card
  a page end cut before its value (a browser prints a portal page by page) is finished by
  the card lines that open the next page, past the browser's head and foot lines
  (``join_pages``).

Nothing here reads a value; the joined line goes through the same reading as any other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from liverlens.extract.names import match_name
from liverlens.extract.parse import is_text, segments, split_name
from liverlens.extract.range_words import (
    RANGES,
    in_range_words,
    is_range_word,
    label_words,
    printed_ranges,
)
from liverlens.extract.rows import Cell, Line, union
from liverlens.extract.values import Piece, pieces
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.names import fold
from liverlens.knowledge.report_words import load_report_words
from liverlens.knowledge.units import normalise_spelling

NEAR = 1.5  # a continued line starts within this many of the row's line heights below it
EDGE = 3  # lines at a page's foot or head between a cut card and its rest (date, address)
_CJK_END = re.compile(r"[\u4e00-\u9fff]$")
_CJK_START = re.compile(r"^[\u4e00-\u9fff]")


def join_continued(kb: KnowledgeBase, lines: list[Line]) -> list[Line]:
    """The page's lines with each row's continuation lines joined to it."""
    return _join(kb, lines)[0]


@dataclass(frozen=True)
class _Cut:
    """A card still without its value when its page ended: where it is among the page's
    joined lines, what it holds so far, and how many cells its name has."""

    at: int
    row: Line
    cells: int
    last: Line  # its last line so far: a value set under it keeps the card's place
    labelled: bool  # a "Your Value" / "Result" line came: a bare number may be the value


def join_pages(kb: KnowledgeBase, pages: Sequence[list[Line]]) -> list[list[Line]]:
    """Every page's lines joined, a card cut by a page end finished on the next page: the
    card lines (value, labels, range) that open it, after at most ``EDGE`` lines naming no
    test (the browser's date and title), before anything else. Without its value there,
    the card stays its name alone, as on any page."""
    out: list[list[Line]] = []
    cut: _Cut | None = None
    for lines in pages:
        rest = list(lines)
        if cut is not None and out:
            rest = _finish(kb, cut, out[-1], rest)
        joined, cut = _join(kb, rest)
        out.append(joined)
    return out


def _join(kb: KnowledgeBase, lines: list[Line]) -> tuple[list[Line], _Cut | None]:
    out: list[Line] = []
    last: Line | None = None  # the line joined last: the next must be just below it
    card = 0  # while out[-1] is a card still without its value: how many cells its name has
    name: Line | None = None  # that card's name line alone
    closed: _Cut | None = None  # the card closed last without its value, and lines after it
    after = 0
    labelled = False
    valued = False  # out[-1] is a card that has just taken its value
    for line in lines:
        row = out[-1] if out else None
        if row is not None and last is not None and _just_below(last, line):
            if valued and _bar_limits(line):
                last = line  # the range bar's limits under the value: the range says them
                continue
            if card and name is not None and (whole := _bracket_closed(row, line)) is not None:
                out[-1] = name = whole  # "ALT (alanine" / "aminotransferase)": one name
                last = line
                continue
            if card and (kind := _card_line(kb, row, line)) is not None:
                if kind == "value":  # the value right after the name: the range may precede
                    value = tuple(c for c in line.cells if fold(c.text) not in in_range_words())
                    out[-1] = Line(row.page, row.cells[:card] + value + row.cells[card:])
                    card, valued = 0, True
                elif kind == "range":
                    out[-1] = Line(row.page, row.cells + line.cells)
                labelled = labelled or kind == "label"
                last = line
                continue
            if not card and (whole := _card_name_wrapped(kb, row, line)) is not None:
                out[-1] = name = whole
                card, labelled, last = len(whole.cells), False, line
                continue
            joined = _name_continues(kb, row, line) or _details_below(kb, row, line)
            valued = False
            if joined is not None:
                out[-1], last = joined, line
                continue
        valued = False
        if card and name is not None and row is not None and last is not None:
            closed, after = _Cut(len(out) - 1, row, card, last, labelled), 0
            out[-1] = name  # a card that ended without its value: its range is no result
        after += 1
        if segments(kb, line):
            closed = None  # the table goes on: that card was not cut by the page end
        out.append(line)
        last = line
        card = len(line.cells) if name_alone(kb, line) else 0
        name, labelled = (line if card else None), False
    if card and name is not None and out and last is not None:
        closed, after = _Cut(len(out) - 1, out[-1], card, last, labelled), 0
        out[-1] = name
    return out, closed if closed is not None and after <= EDGE else None


def _finish(kb: KnowledgeBase, cut: _Cut, before: list[Line], lines: list[Line]) -> list[Line]:
    """``lines`` (the next page's) without the card lines that finish ``cut``, which is then
    put back whole on its own page (``before``); ``lines`` as they are when no value is
    found there."""
    row, value, labelled = cut.row, False, cut.labelled
    used: list[int] = []
    for i, line in enumerate(lines[: 2 * EDGE]):
        kind = _card_line(kb, row, line)
        if kind is None:
            if used or segments(kb, line) or i >= EDGE:
                break
            continue  # the browser's head line ("2/24/24, 8:27 PM  Portal - Test Details")
        cells = _under(cut.last, line)
        kinds = {p.kind for p in pieces([c.text for c in line.cells])}
        if kind == "value" and not (labelled or "unit" in kinds):
            break  # a bare number opening a page may be its number, not the card's value
        labelled = labelled or kind == "label"
        if kind == "value":
            row, value = (
                Line(row.page, row.cells[: cut.cells] + cells + row.cells[cut.cells :]),
                True,
            )
        elif kind == "range":
            row = Line(row.page, row.cells + cells)
        used.append(i)
        if value:
            break
    if not value:
        return lines
    before[cut.at] = row
    return [line for i, line in enumerate(lines) if i not in used]


def _under(last: Line, line: Line) -> tuple[Cell, ...]:
    """``line``'s cells moved from the next page to just under ``last``, the card's last line
    (a field's box, and a photo's snippet of it, stay on the card's own page)."""
    dy = last.box[3] + 2.0 - line.box[1]
    moved = []
    for c in line.cells:
        x0, y0, x1, y1 = c.box
        words = tuple(
            replace(w, box=(w.box[0], w.box[1] + dy, w.box[2], w.box[3] + dy)) for w in c.words
        )
        moved.append(replace(c, box=(x0, y0 + dy, x1, y1 + dy), words=words))
    return tuple(moved)


def _just_below(row: Line, line: Line) -> bool:
    height = row.box[3] - row.box[1]
    gap = line.box[1] - row.box[3]
    return row.page == line.page and line.box[1] > row.box[1] and gap < NEAR * height


def name_alone(kb: KnowledgeBase, line: Line) -> bool:
    """A line that is one test's name and nothing else: a card's first line."""
    found = segments(kb, line)
    return len(found) == 1 and not any(ch.isdigit() for ch in line.text)


@cache
def _result_labels() -> frozenset[str]:
    """The words of a result's label ("Result:", "Your Value"), folded."""
    return label_words(load_report_words().headers.result)  # and "YourValue": OCR's


def _bracket_closed(row: Line, line: Line) -> Line | None:
    """A card's name whose bracket its own line left open, closed by the line under it (one
    cell of words, no digit): the name as one cell. None when the name is whole."""
    head = row.cells[-1]
    if head.text.count("(") <= head.text.count(")") or len(line.cells) != 1:
        return None
    tail = line.cells[0]
    if any(ch.isdigit() for ch in tail.text) or ")" not in tail.text:
        return None
    cell = Cell(
        f"{head.text} {tail.text}",
        union([head.box, tail.box]),
        min(head.confidence, tail.confidence),
        head.words + tail.words,
    )
    return Line(row.page, (*row.cells[:-1], cell))


def _bar_limits(line: Line) -> bool:
    """A line of one to three bare numbers: a card's range bar with its limits printed under
    it ("0  35"), which the card's range line says again."""
    found = pieces([c.text for c in line.cells])
    return 0 < len(found) <= 3 and all(p.kind == "number" for p in found)


def _card_line(kb: KnowledgeBase, row: Line, line: Line) -> str | None:
    """What a line under a card's name is: ``"value"`` (one result with its unit and flag:
    "2.7 g/dL Low", "Result: 70 (H)", also with its labelled range after it), ``"range"``
    ("Normal Range: 3.4 - 4.8 g/dL"), ``"label"`` (a label with nothing to read: "Value",
    "Reference Range: —"), or ``None``: not a card's line. A card is set flush left, so the
    line must start under the name."""
    height = row.box[3] - row.box[1]
    if not row.cells[0].x0 - height <= line.cells[0].x0 <= row.cells[0].x1 or segments(kb, line):
        return None
    flags = load_report_words().flag_side
    result_label = range_label = False
    left: list[Piece] = []
    for p in pieces([c.text for c in line.cells]):
        if p.kind == "other" and fold(p.text) in _result_labels():
            result_label = True
        elif p.kind == "other" and fold(p.text) in in_range_words():
            continue  # a card's status badge beside a result inside its range
        elif is_range_word(p):
            range_label = range_label or bool(fold(p.text))
        elif not (p.kind == "flag" or (p.kind == "other" and flags(p.text))):
            left.append(p)
    kinds = [p.kind for p in left if p.kind != "unit"]
    if not kinds:
        return "label" if result_label or range_label else None
    if kinds == ["number"] or (result_label and kinds in (["upper"], ["lower"])):
        return None if range_label else "value"
    if result_label and range_label and len(kinds) == 2 and kinds[1] in RANGES:
        return "value"  # "Value: 0.5 mg/dL (Normal Range: <=1.2 mg/dL)": both on one line
    if range_label and all(k in RANGES for k in kinds):
        return "range"
    return None


def _name_continues(kb: KnowledgeBase, row: Line, line: Line) -> Line | None:
    if len(line.cells) != 1 or any(ch.isdigit() for ch in line.text):
        return None
    below, first = line.cells[0], row.cells[0]
    height = row.box[3] - row.box[1]
    if not first.x0 - height <= below.x0 <= first.x1 or not is_text(below):
        return None
    found = segments(kb, row)
    if found:  # the row's test's code or the rest of its name: part of the row
        same = match_name(kb, below.text)
        return row if same is not None and same.analyte in {s.analyte for s in found} else None
    if not is_text(first) or not any(ch.isdigit() for ch in row.text):
        return None
    return _whole_name(kb, row, below)


def _card_name_wrapped(kb: KnowledgeBase, row: Line, line: Line) -> Line | None:
    """A card's name wrapped onto the line under it, the first line no name alone ("Alkaline
    NORMAL" / "Phosphatase", "Gamma-Glutamyl" / "Transferase (GGT)"): the card's first line
    with the whole name, else None."""
    if len(line.cells) != 1 or any(ch.isdigit() for ch in row.text + line.text):
        return None
    below, first = line.cells[0], row.cells[0]
    height = row.box[3] - row.box[1]
    if not first.x0 - height <= below.x0 <= first.x1 or not is_text(below) or not is_text(first):
        return None
    if segments(kb, row):
        return None
    whole = _whole_name(kb, row, below, card=True)
    return whole if whole is not None and name_alone(kb, whole) else None


def _whole_name(kb: KnowledgeBase, row: Line, below: Cell, *, card: bool = False) -> Line | None:
    """``row`` with its first cell's name and the line under it as one name: only a whole
    name known for sure. A lower line that is a name on its own is its own row's (a photo
    sets names a row off their results); on a card it may be the end of the name above,
    "Gamma-Glutamyl" / "Transferase (GGT)", when the whole names the same test."""
    first = row.cells[0]
    alone = match_name(kb, below.text)
    if alone is not None and not card:
        return None
    name, tail = split_name(first.text)
    glue = "" if _CJK_END.search(name) and _CJK_START.search(below.text) else " "
    whole = f"{name}{glue}{below.text.strip()}"
    match = match_name(kb, whole)
    if match is None or match.confidence < 1.0:
        return None
    if alone is not None and alone.analyte != match.analyte:
        return None
    text = f"{whole} {tail}".strip()
    cell = Cell(
        text,
        union((first.box, below.box)),
        min(first.confidence, below.confidence),
        first.words + below.words,
    )
    return Line(row.page, (cell, *row.cells[1:]))


def _details_below(kb: KnowledgeBase, row: Line, line: Line) -> Line | None:
    found = segments(kb, row)
    if len(found) != 1 or segments(kb, line):
        return None
    given = [p for p in pieces([c.text for c in line.cells]) if not is_range_word(p)]
    kinds = {p.kind for p in given}
    if not kinds or not kinds <= RANGES | {"unit"}:
        return None  # a result of its own ("上次 98.3"), or words that are no range
    own = pieces(found[0].rest)
    numbers = [i for i, p in enumerate(own) if p.kind in RANGES | {"number"}]
    if not numbers:
        return None  # no result on the row to give a range to
    units = {normalise_spelling(p.text) for p in own if p.kind == "unit"}
    ranges = [i for i in range(numbers[0] + 1, len(own)) if own[i].kind in RANGES]
    if units and {normalise_spelling(p.text) for p in given if p.kind == "unit"} - units:
        return None  # never another unit in place of what the row printed (the same may repeat)
    if kinds & RANGES and ranges and not (_for_someone(own, ranges) and _for_someone_below(line)):
        return None  # a range of its own; but "Male : 10 - 49" over "Female : 7 - 38" is one,
        # and so are "Men 18-39 y: < 1,30" / "Men ≥40 y: < 1,90" under "Women: < 0,75"
    return Line(row.page, _after_range(row, line.cells))


def _after_range(row: Line, cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """``row``'s cells with ``cells`` set after its last range (a cell after its result), so
    a method column printed after the range ("男:45-125 | 速率法") does not end the row
    before the ranges joined; with no range, at the end."""
    kinds = [{p.kind for p in pieces([c.text])} for c in row.cells]
    numbered = [i for i, k in enumerate(kinds) if k & (RANGES | {"number"})]
    ranged = [i for i in numbered[1:] if kinds[i] & RANGES]
    at = ranged[-1] + 1 if ranged else len(row.cells)
    return row.cells[:at] + cells + row.cells[at:]


def _for_someone(ps: list[Piece], at: list[int]) -> bool:
    """Every range at ``at`` is printed for a sex or an age band ("Women: < 0,75")."""
    printed = printed_ranges(ps, at)
    return bool(printed) and all(p.qualified for p in printed)


def _for_someone_below(line: Line) -> bool:
    ps = pieces([c.text for c in line.cells])
    at = [i for i, p in enumerate(ps) if p.kind in RANGES]
    return bool(at) and _for_someone(ps, at)
