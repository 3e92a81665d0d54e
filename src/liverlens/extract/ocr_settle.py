"""Whether a page read in passes (``ocr_passes``) reads as it would read whole.

The pieces left unread are not known, only where they are. So they are put back as blanks
where they sit, and the page is checked against every way the full pass could hold them
that matters to the parser: no line that reads a test, nor the line beside one, may hold a
blank (those are read, and the check runs again); what the page reads (fields, unread lines,
header) must not change if the full pass finds the rows' tilt a step either side or holds an
unread piece as two tokens; and the page's decimal mark must be settled by what was read, or
no number on a test's line may read differently under another mark. A page that fails is
read whole (``ocr_passes.plan``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from liverlens.extract.card_grid import card_order
from liverlens.extract.columns import Heading, page_order
from liverlens.extract.continued import join_continued
from liverlens.extract.dated_rows import this_sample
from liverlens.extract.header import header_texts, read_header
from liverlens.extract.model import Box, Page, Token
from liverlens.extract.page_reading import LineReader, line_reader, read_page_lines
from liverlens.extract.rows import UNREAD, Line, level_slope, lines_of, ocr_lines
from liverlens.extract.values import NumberStyle, number_style
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.report_words import ReportWords

if TYPE_CHECKING:
    from liverlens.extract.ocr_passes import Reader

_BLANK = 0xE000  # an unread piece stands as one private-use character (never printed)
_RISKY_NUMBER = re.compile(r"\d,\d|(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])")
TILT_STEP = 0.002  # rows.level_slope's step


def page_tokens(reader: Reader) -> list[Token]:
    """The tokens read, in the order the full pass gives them (the detector's)."""
    return [t for i in sorted(reader.tokens) for t in reader.tokens[i]]


def settled(reader: Reader, kb: KnowledgeBase, words: ReportWords) -> bool:
    """Whether the parser reads this page as it would read it whole; reads more when not.

    The unread pieces are put back as blanks (one private-use character each, which no
    parser rule reads) to place them as the full pass would. A line that reads a test, or
    its neighbour, holding one has them read, and the check runs again. Then what the page
    reads must not depend on how the full pass holds what the blanks stand for (``_steady``;
    the page is parsed with them among its tokens, ``Page.unread``). And the page's decimal
    mark must be settled without them, unless no number on a test's line reads differently
    under another mark (no comma, no thousands point)."""
    memo: dict[tuple[Any, ...], Any] = {}
    plain = _remembered(kb, words, (None, None), memo)  # which lines name a test: no person
    while True:
        unread = unread_boxes(reader)
        if not unread:
            return True
        read = page_tokens(reader)
        if len(read) < 8:
            return False  # too little read to level the rows as the whole page would
        blanks = [Token(chr(_BLANK + i), reader.boxes[i], 1.0) for i in _unread(reader)]
        blank = range(_BLANK, _BLANK + len(reader.boxes))
        page = Page(0, 0.0, 0.0, "ocr", tuple(read + blanks))
        lines = join_continued(kb, card_order(kb, lines_of(page)))
        style = number_style([line.text for line in lines])
        wanted: set[int] = set()
        risky = False
        for i, line in enumerate(lines):
            got, missed, _ = plain(line, style, None)  # no heading known yet
            if not (got or missed):
                continue
            risky = risky or bool(_RISKY_NUMBER.search(line.text))
            for j in (i - 1, i, i + 1):
                if 0 <= j < len(lines):
                    wanted |= {ord(c) - _BLANK for c in lines[j].text if ord(c) in blank}
        if wanted:
            reader.read(wanted)
            continue
        shown = ocr_lines(0, tuple(read), unread)
        if risky and number_style([line.text for line in shown]).value != "mixed":
            return False  # a comma or a thousands point read under a mark still unsettled
        return _steady(kb, words, read, unread, memo)


def unread_boxes(reader: Reader) -> tuple[Box, ...]:
    """The boxes of the pieces not recognised, for ``Page.unread``: the parser levels and
    groups the page's rows with them, as the full pass's tokens would be (on a tilted photo
    the pieces read alone can give another tilt, and other lines)."""
    return tuple(reader.boxes[i] for i in _unread(reader))


def _unread(reader: Reader) -> list[int]:
    return [i for i in range(len(reader.boxes)) if i not in reader.tokens]


def _steady(
    kb: KnowledgeBase,
    words: ReportWords,
    read: list[Token],
    unread: tuple[Box, ...],
    memo: dict[tuple[Any, ...], Any],
) -> bool:
    """Whether the page reads the same (fields, unread lines, header) if the full pass finds
    its tilt a step either side, or holds an unread piece as two tokens: the full pass has
    its own pieces where the blanks are, split or not."""
    blanks = tuple(Token(UNREAD, box, 0.0) for box in unread)
    slope = level_slope(tuple(read) + blanks)
    parsed = _outcome(kb, words, read, unread, None, memo)
    halves = tuple(half for box in unread for half in _halves(box))
    variants: list[tuple[tuple[Box, ...], float | None]] = [(halves, None), (halves, slope)]
    variants += [(unread, slope - TILT_STEP), (unread, slope + TILT_STEP)]
    return all(_outcome(kb, words, read, boxes, s, memo) == parsed for boxes, s in variants)


def _outcome(
    kb: KnowledgeBase,
    words: ReportWords,
    read: list[Token],
    unread: tuple[Box, ...],
    slope: float | None,
    memo: dict[tuple[Any, ...], Any],
) -> tuple[Any, ...]:
    """What ``read_pages`` reads from this one page with its lines grouped so (the same
    per-page step, ``page_reading.read_page_lines``)."""
    grouped = card_order(kb, ocr_lines(0, tuple(read), unread, slope))
    lines = join_continued(kb, grouped)
    header = read_header(header_texts(lines, words), words)
    collected = date.fromisoformat(header.collected_on) if header.collected_on else None
    order = page_order([line.text for line in lines])
    page = [grouped]
    if (kept := this_sample(kb, words, page, collected, order)) is not page:
        lines = join_continued(kb, kept[0])  # as ``read_pages`` does
    fields, missed = read_page_lines(
        kb,
        words,
        lines,
        ocr=True,
        collected=collected,
        order=order,
        read=_remembered(kb, words, (header.sex, header.age), memo),
    )
    return fields, missed, header


def _remembered(
    kb: KnowledgeBase,
    words: ReportWords,
    person: tuple[str | None, float | None],
    memo: dict[tuple[Any, ...], Any],
) -> LineReader:
    """``read_line`` for the person's (sex, age), remembered: most lines are the same in
    every grouping tried."""
    fresh = line_reader(kb, words, person[0], person[1], ocr=True)

    def read(line: Line, style: NumberStyle, heading: Heading | None) -> Any:
        key = (style, person, heading, line.cells)
        if key not in memo:
            memo[key] = fresh(line, style, heading)
        return memo[key]

    return read


def _halves(box: Box) -> tuple[Box, Box]:
    x0, y0, x1, y1 = box
    middle = (x0 + x1) / 2
    return (x0, y0, middle, y1), (middle, y0, x1, y1)
