"""One page's tests, read line by line: the step ``read_pages`` runs on every page and
``ocr_settle`` runs on a page read in passes to see whether it reads as it would whole.

Why one function: the passes check is only sound if it asks the very question the reader
asks. When the two kept their own copies of the loop, the check read a page without its
cumulative-table headings, so a page whose reading depends on a heading could be judged
steady on a reading the reader never gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from liverlens.extract.columns import Heading, Order, headings
from liverlens.extract.model import ReadField, Unread
from liverlens.extract.parse import read_line, segments
from liverlens.extract.report_checks import (
    check_beside_crowded,
    check_if_misaligned,
    holds_column_heads,
)
from liverlens.extract.rows import Line
from liverlens.extract.values import NumberStyle, number_style
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.report_words import ReportWords

# reads one line (``parse.read_line`` for this page's person, or a remembered copy of it)
LineReader = Callable[
    [Line, NumberStyle, Heading | None], tuple[list[ReadField], list[Unread], bool]
]


def line_reader(
    kb: KnowledgeBase, words: ReportWords, sex: str | None, age: float | None, ocr: bool
) -> LineReader:
    """``parse.read_line`` with the page's words and person fixed."""

    def read(
        line: Line, style: NumberStyle, heading: Heading | None
    ) -> tuple[list[ReadField], list[Unread], bool]:
        return read_line(kb, line, style, words, heading, sex, ocr, age)

    return read


def read_page_lines(
    kb: KnowledgeBase,
    words: ReportWords,
    lines: Sequence[Line],
    *,
    ocr: bool,
    collected: date | None,
    order: Order,
    read: LineReader,
) -> tuple[list[ReadField], list[Unread]]:
    """The fields and unread lines of one page's ``lines``: the page's decimal mark and its
    cumulative-table headings decided from the page, each line read under them, then the
    page-wide checks (rows beside a crowded row; on an OCR page, rows out of line)."""
    style = number_style([line.text for line in lines])
    tables = headings(lines, words, collected, order, lambda line: bool(segments(kb, line)))
    by_line: list[list[ReadField]] = []
    crowded: list[bool] = []
    unread: list[Unread] = []
    heads_in_a_row = False
    for line, heading in zip(lines, tables, strict=True):
        got, missed, run_together = read(line, style, heading)
        by_line.append(got)
        crowded.append(run_together and ocr)
        unread += missed
        heads_in_a_row = heads_in_a_row or (bool(got or missed) and holds_column_heads(line, words))
    fields = check_beside_crowded(by_line, crowded)
    if ocr:  # a text layer's rows are as printed
        fields = check_if_misaligned(fields, unread, heads_in_a_row)
    return fields, unread
