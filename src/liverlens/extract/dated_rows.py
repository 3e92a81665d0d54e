"""Results printed with their own date, earlier samples' among them: only this sample's
lines are read.

A GP record prints a patient's results as *dated rows* ("22-Oct-2025 | Serum ALT level |
23 IU/L | <41", each test once per date), or *by test*: each test's name alone on its line,
then its results one a line under it ("13-Jan-2026 | 13 U/L | <40" / "02-Sep-2025 | 10 U/L |
<40"), newest or oldest first. Read as printed, a dated row of each date was a reading of
its test and the first was kept, and a by-test name had no value at all: an earlier
sample's ALT could be given as this one's, or nothing read.

A *dated line* starts with a cell that is a date alone (``columns.heading_dates``, the
rule a cumulative table's dated heading is read by) and has a digit in another cell. A run
of dated lines under a test's name alone becomes one dated row per line (the date, the
name, the line's result cells), so both forms are rows. This sample's date is chosen as
``columns`` chooses a cumulative table's column: the report's collection date (``header``)
when a dated row carries it, else, with no collection date read, the latest date the rows
carry. Rows of any other date are earlier samples' and are not read. A collection date no
row carries, or a row's date the page leaves open ("03/04/25"), settles nothing: the rows
stay, and a test read more than once is marked for checking
(``report_checks.settle_duplicates``), as any repeated test is. A result line under a name
whose date OCR garbled ("22-0c1-2025") is still one of the name's rows, undated: a row with
no date is never left out, so the test it repeats stays a check.

The same record may print *request blocks* instead: each request's title, its own "Sample
date: 04-May-2024 09:05 · Filed: ..." line and its table, this request first and earlier
ones after it. A test's row takes the date of the block it is in. When the blocks carry
several dates and the report's collection date (the first block's, as ``header`` reads the
first label) is the latest, the rows of earlier blocks are not read: where OCR lost this
block's name ("SerumASTlevel"), an earlier block's AST was read alone, sure. A record
printed oldest first leaves open which block is this sample's: nothing is dropped then.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import partial

from liverlens.extract.columns import Order, heading_dates
from liverlens.extract.continued import name_alone
from liverlens.extract.header import collection_date
from liverlens.extract.parse import segments
from liverlens.extract.rows import Line, cell_of
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.report_words import ReportWords

# a cell that is a date as OCR may garble it: day, month (digits or letters), year, one
# separator twice ("22-0c1-2025", "O1/09/2025"), a time after it; never a range ("10.5 - 40")
_DATE_LIKE = re.compile(
    r"[0-9OolI]{1,2}([-/. ])[A-Za-z0-9]{1,4}\1[0-9OolI]{2,4}(?:\s+\d{1,2}:\d{2})?"
)


def line_dates(line: Line, order: Order) -> frozenset[date] | None:
    """The dates a dated line's first cell can mean, or ``None`` for a line that is no dated
    line (its first cell no date alone, or nothing with a digit after it)."""
    if len(line.cells) < 2 or not any(ch.isdigit() for c in line.cells[1:] for ch in c.text):
        return None
    return heading_dates(line.cells[0].text, order)


def _as_rows(kb: KnowledgeBase, lines: list[Line], order: Order) -> list[Line]:
    """``lines`` with each test name alone over a run of dated lines replaced by one dated
    row per line of the run: its date cell, the name's cells, its other cells."""
    out: list[Line] = []
    name: Line | None = None  # the name alone whose dated lines follow, while they do
    for line in map(partial(_date_apart, order), lines):
        if out and _result_line(kb, line, order):
            if name is None and out[-1].page == line.page and name_alone(kb, out[-1]):
                name = out.pop()  # the name is now in each of its rows
            if name is not None:
                out.append(Line(line.page, (line.cells[0], *name.cells, *line.cells[1:])))
                continue
        name = None
        out.append(line)
    return out


def _date_apart(order: Order, line: Line) -> Line:
    """``line`` with a date that opens its first cell before words ("27 Feb 2024 Serum ALT
    level": the date column set too close to the names) as a cell of its own."""
    first = line.cells[0]
    if len(first.words) < 2 or heading_dates(first.text, order) is not None:
        return line
    words = sorted(first.words, key=lambda t: t.box[0])
    for k in range(min(4, len(words) - 1), 0, -1):
        if heading_dates(" ".join(t.text for t in words[:k]), order) is not None:
            return Line(line.page, (cell_of(words[:k]), cell_of(words[k:]), *line.cells[1:]))
    return line


def _result_line(kb: KnowledgeBase, line: Line, order: Order) -> bool:
    """A dated line naming no test: one of a by-test run's results; also one whose date
    OCR garbled (``_unread_date``): its row is read, so the test read twice is a check."""
    dated = line_dates(line, order) is not None or (
        _unread_date(line, order) and len(line.cells) > 1
    )
    return dated and not segments(kb, line)


def this_sample(
    kb: KnowledgeBase,
    words: ReportWords,
    pages: Sequence[list[Line]],
    collected: date | None,
    order: Order,
) -> Sequence[list[Line]]:
    """Every page's lines, by-test runs as dated rows and the rows of earlier samples left
    out; ``pages`` itself, the same object, when nothing is left out or rewritten."""
    rows = [_as_rows(kb, lines, order) for lines in pages]
    printed = [[_row_dates(kb, line, order) for line in lines] for lines in rows]
    blocks = _block_dates(kb, words, rows)
    dated = [found for page in printed for found in page if found]
    day = _sample_day(dated, collected) if dated else None
    block_day = _block_day([found for page in blocks for found in page if found], collected)
    if day is None and block_day is None:
        return rows if dated else pages

    def kept(on_row: frozenset[date] | None, in_block: frozenset[date] | None) -> bool:
        if on_row is not None:
            return day is None or day in on_row
        return in_block is None or block_day is None or block_day in in_block

    return [
        [line for line, r, b in zip(lines, on_rows, in_blocks, strict=True) if kept(r, b)]
        for lines, on_rows, in_blocks in zip(rows, printed, blocks, strict=True)
    ]


def _block_dates(
    kb: KnowledgeBase, words: ReportWords, pages: list[list[Line]]
) -> list[list[frozenset[date] | None]]:
    """For each line, the date of the request block it is in: the collection date its block
    prints under the label ("Sample date: 04-May-2024 09:05 · Filed: ..."), for a line that
    names a test; ``None`` for any other line or a line before the first block's date."""
    out: list[list[frozenset[date] | None]] = []
    block: frozenset[date] | None = None
    for lines in pages:
        page: list[frozenset[date] | None] = []
        for line in lines:
            found = collection_date(line.text, words)
            names = (found is not None or block is not None) and bool(segments(kb, line))
            if found is not None and not names:
                block = frozenset({date.fromisoformat(found)})
            page.append(block if names else None)
        out.append(page)
    return out


def _block_day(dated: list[frozenset[date]], collected: date | None) -> date | None:
    """This sample's block date, only when the report prints blocks of several dates and
    its collection date (the first block's, ``header``) is the latest of them: a record
    printed oldest first leaves open which block is this sample's, so none is dropped."""
    days = {d for found in dated for d in found}
    if len(days) < 2 or collected is None or collected != max(days):
        return None
    return collected


def _unread_date(line: Line, order: Order) -> bool:
    """A line that opens with what looks like a date, unread ("22-0c1-2025", "O1/09/2025"):
    a row with no date is never left out, so a test it repeats stays a check."""
    first = line.cells[0].text if line.cells else ""
    return bool(_DATE_LIKE.fullmatch(first.strip())) and heading_dates(first, order) is None


def _row_dates(kb: KnowledgeBase, line: Line, order: Order) -> frozenset[date] | None:
    """A dated row's dates (a dated line naming a test), else ``None``."""
    found = line_dates(line, order)
    return found if found is not None and segments(kb, line) else None


def _sample_day(dated: list[frozenset[date]], collected: date | None) -> date | None:
    """This sample's date among the rows' (see the module's docstring), or ``None``."""
    if collected is not None:
        day = collected if any(collected in found for found in dated) else None
    elif all(len(found) == 1 for found in dated):
        day = max(min(found) for found in dated)
    else:
        return None
    if day is None or any(len(found) > 1 and day in found for found in dated):
        return None  # the page leaves open whether that row is this sample's
    return day
