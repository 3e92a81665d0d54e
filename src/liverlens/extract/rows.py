"""Rebuild a page's lines and table cells from where its words sit, not from reading order.

A PDF's character stream and an OCR engine's output both come in an order that need not follow
the table: a result may come before its test name, two side-by-side tables interleave. So a
line is the set of tokens whose vertical middles overlap, sorted left to right; and within a
line, tokens closer than about a letter's height are one cell ("Gamma" "GT" is "Gamma GT"),
wider gaps separate the table's columns. Nothing here knows what a test is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

from liverlens.extract.model import Box, Page, Token


@dataclass(frozen=True)
class Cell:
    """Neighbouring tokens of one line read as one table cell."""

    text: str
    box: Box
    confidence: float
    words: tuple[Token, ...] = field(default=(), compare=False)  # its tokens, as placed

    @property
    def x0(self) -> float:
        return self.box[0]

    @property
    def x1(self) -> float:
        return self.box[2]


@dataclass(frozen=True)
class Line:
    page: int
    cells: tuple[Cell, ...]

    @property
    def text(self) -> str:
        return "  ".join(c.text for c in self.cells)

    @property
    def box(self) -> Box:
        return union(c.box for c in self.cells)


def union(boxes: object) -> Box:
    bs = list(boxes)  # type: ignore[call-overload]
    return (
        min(b[0] for b in bs),
        min(b[1] for b in bs),
        max(b[2] for b in bs),
        max(b[3] for b in bs),
    )


def _height(t: Token) -> float:
    return max(t.box[3] - t.box[1], 1e-6)


def _same_line(line: list[Token], t: Token, share: float) -> bool:
    """The token and the line overlap vertically by ``share`` of the smaller one's height: on
    a text layer most of it, so a method note printed small under a test name ("Method: BCG")
    is a line of its own; under OCR less, as a photo's rows are rarely quite level."""
    top = median(x.box[1] for x in line)
    bottom = median(x.box[3] for x in line)
    overlap = min(bottom, t.box[3]) - max(top, t.box[1])
    return overlap >= share * min(bottom - top, _height(t))


def group_lines(tokens: tuple[Token, ...], share: float = 0.6) -> list[list[Token]]:
    """Tokens in lines, top to bottom, each line left to right."""
    lines: list[list[Token]] = []
    for t in sorted(tokens, key=lambda t: ((t.box[1] + t.box[3]) / 2, t.box[0])):
        if not t.text.strip():
            continue
        for line in reversed(lines[-3:]):  # a token belongs to one of the last few lines
            if _same_line(line, t, share):
                line.append(t)
                break
        else:
            lines.append([t])
    return [sorted(line, key=lambda t: t.box[0]) for line in lines]


def _cells(line: list[Token], gap_factor: float) -> tuple[Cell, ...]:
    height = median(_height(t) for t in line)
    cells: list[Cell] = []
    run: list[Token] = []
    for t in line:
        if run and t.box[0] - run[-1].box[2] > gap_factor * height:
            cells.append(cell_of(run))
            run = []
        run.append(t)
    if run:
        cells.append(cell_of(run))
    return tuple(cells)


def cell_of(run: list[Token]) -> Cell:
    """Words of one cell, in reading order. Words stacked over each other (a method note set
    under the name, both caught in one line of a photo) are not one phrase: the lower ones
    follow in brackets, "SerumAlbumin (Method:BCG)", so the name matcher reads them apart."""
    rows: list[list[Token]] = []
    for t in sorted(run, key=lambda t: t.box[1]):
        row = next((r for r in rows if not any(_stacked(x, t) for x in r)), None)
        if row is None:
            rows.append([t])
        else:
            row.append(t)
    words = [" ".join(t.text.strip() for t in sorted(r, key=lambda t: t.box[0])) for r in rows]
    text = words[0] + "".join(f" ({w})" for w in words[1:])
    return Cell(text, union(t.box for t in run), min(t.confidence for t in run), tuple(run))


def _stacked(a: Token, b: Token) -> bool:
    """One word over the other: they share most of their width and little of their height."""
    shared = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
    tall = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    narrow = min(a.box[2] - a.box[0], b.box[2] - b.box[0])
    return shared > 0.3 * narrow and tall < 0.5 * min(_height(a), _height(b))


UNREAD = "\u2063"  # the text of a piece not recognised, while lines are grouped
OCR_SHARE = 0.45  # how much of a token's height an OCR line must share
OCR_GAP = 0.25  # OCR tokens closer than this many heights are one cell


Groups = Callable[[list[Line]], list[tuple[bool, list[Line]]]]


def lines_of(page: Page, groups: Groups | None = None) -> list[Line]:
    """The page as lines of cells. A text layer gives single words, so words closer than
    a letter's height join (a space is about a third of one; table columns are set wider);
    OCR pieces are already runs of words, and only touching pieces join. ``groups``
    (``card_grid.card_groups``) orders the lines card by card where cards stand side by
    side; on a text layer before rows are stacked, and a card's lines are never stacked."""
    if page.kind == "text":
        lines = [Line(page.number, _cells(line, 1.0)) for line in group_lines(page.tokens, 0.6)]
        parts = groups(lines) if groups is not None else [(False, lines)]
        return [
            line
            for card, part in parts
            for line in (_regroup(part) if card else [_stack(band) for band in _bands(part)])
        ]
    lines = ocr_lines(page.number, page.tokens, page.unread)
    return lines if groups is None else [line for _, part in groups(lines) for line in part]


def _regroup(card: list[Line]) -> list[Line]:
    """A card's lines from its own words: grouped across the page, a card's large value beside
    the next card's wrapped name joined that name's line and left its small unit on a line of
    its own ("77" / "IU/L"); apart from the other cards, value and unit share one line."""
    words = tuple(w for line in card for c in line.cells for w in c.words)
    return [Line(card[0].page, _cells(line, 1.0)) for line in group_lines(words, 0.6)]


def ocr_lines(
    number: int,
    tokens: tuple[Token, ...],
    unread: tuple[Box, ...] = (),
    slope: float | None = None,
) -> list[Line]:
    """An OCR page's lines: the tokens levelled (by ``slope`` when given) and grouped, then
    each line built from its tokens' own boxes. The pieces the page left unread
    (``Page.unread``, ``ocr_passes``) are levelled and grouped with the tokens, as the whole
    page's tokens would be, then left out of the lines."""
    every = tokens + tuple(Token(UNREAD, box, 0.0) for box in unread)
    level = _level(every, slope)
    own = {id(moved): t for moved, t in zip(level, every, strict=True)}
    grouped = [
        kept
        for line in group_lines(level, OCR_SHARE)
        if (kept := [own[id(t)] for t in line if own[id(t)].text != UNREAD])
    ]
    return _join_split_rows([Line(number, _cells(line, OCR_GAP)) for line in grouped])


def _bands(lines: list[Line]) -> list[list[Line]]:
    """Lines whose boxes overlap vertically form one table row. A text layer's boxes are tight
    around the glyphs, so separate rows never overlap, while a row whose name wraps over two
    lines ("Aspartate Aminotransferase" / "(AST)") has its result set between them, touching
    both."""
    bands: list[list[Line]] = []
    for line in lines:
        if bands and line.box[1] < max(x.box[3] for x in bands[-1]):
            bands[-1].append(line)
        else:
            bands.append([line])
    return bands


def _stack(band: list[Line]) -> Line:
    """One line from a band: cells stacked in one column (they overlap horizontally) are one
    cell, the lower lines' text in brackets after the first ("Albumin, (Serum)"), so the name
    matcher reads each line of a wrapped name as a part of it."""
    if len(band) == 1:
        return band[0]
    cells = sorted((c for line in band for c in line.cells), key=lambda c: (c.x0, c.box[1]))
    columns: list[list[Cell]] = []
    for cell in cells:
        home = next((col for col in columns if _overlaps(col, cell)), None)
        if home is None:
            columns.append([cell])
        else:
            home.append(cell)
    merged = []
    for col in columns:
        col.sort(key=lambda c: c.box[1])
        text = col[0].text + "".join(f" ({c.text})" for c in col[1:])
        words = tuple(w for c in col for w in c.words)
        merged.append(Cell(text, union(c.box for c in col), min(c.confidence for c in col), words))
    return Line(band[0].page, tuple(sorted(merged, key=lambda c: c.x0)))


def _overlaps(column: list[Cell], cell: Cell) -> bool:
    return any(c.x0 < cell.x1 and cell.x0 < c.x1 for c in column)


def _level(tokens: tuple[Token, ...], slope: float | None = None) -> tuple[Token, ...]:
    """Tokens of a photo with the rows made level: what a straightened photo keeps of its tilt
    (a degree is 35 px across a page, more than a row's height apart at its ends) is found as
    the slope under which the tokens' middles line up best (the sharpest histogram of their
    heights), and each token is shifted by it. Only the grouping sees the shift (``lines_of``
    builds the cells from the tokens' own boxes, which are what the person is shown). A
    ``slope`` given is used instead of the one found (``ocr_passes`` tries its neighbours)."""
    if len(tokens) < 8:
        return tokens
    best = level_slope(tokens) if slope is None else slope
    middles = [(t.box[0] + t.box[2]) / 2 for t in tokens]
    return tuple(
        Token(
            t.text, (t.box[0], t.box[1] - best * cx, t.box[2], t.box[3] - best * cx), t.confidence
        )
        for t, cx in zip(tokens, middles, strict=True)
    )


def level_slope(tokens: tuple[Token, ...]) -> float:
    """The slope ``_level`` takes out of a photo's rows (0 for fewer than 8 tokens): the one
    under which the tokens' middles make the sharpest histogram of heights."""
    if len(tokens) < 8:
        return 0.0
    heights = sorted(_height(t) for t in tokens)
    bin_size = max(heights[len(heights) // 2] / 2, 1.0)
    middles = [((t.box[0] + t.box[2]) / 2, (t.box[1] + t.box[3]) / 2) for t in tokens]

    def sharpness(slope: float) -> float:
        counts: dict[int, int] = {}
        for x, y in middles:
            key = int((y - slope * x) // bin_size)
            counts[key] = counts.get(key, 0) + 1
        return sum(c * c for c in counts.values())

    slopes = [i / 1000 for i in range(-40, 41, 2)]
    return max(slopes, key=lambda m: (sharpness(m), -abs(m)))


def _has_digit(cell: Cell) -> bool:
    return any(ch.isdigit() for ch in cell.text)


def _join_split_rows(lines: list[Line]) -> list[Line]:
    """A table row whose name cell holds two lines (the name, then a small method note) is
    set with the name higher than the result, so the two read as separate lines: a line of
    text only, then, less than a line lower, a line whose cells start right of it with a
    number. Those two are one row."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and _continues(line, nxt):
            cells = tuple(sorted(line.cells + nxt.cells, key=lambda c: c.x0))
            out.append(Line(line.page, cells))
            i += 2
            continue
        out.append(line)
        i += 1
    return out


def _continues(line: Line, nxt: Line) -> bool:
    if any(_has_digit(c) for c in line.cells) or not _has_digit(nxt.cells[0]):
        return False
    height = line.box[3] - line.box[1]
    starts_right = nxt.cells[0].x0 > line.cells[-1].x1
    return starts_right and 0 < nxt.box[1] - line.box[1] < 0.8 * height
