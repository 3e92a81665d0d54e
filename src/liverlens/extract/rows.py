"""Rebuild a page's lines and table cells from where its words sit, not from reading order.

A PDF's character stream and an OCR engine's output both come in an order that need not follow
the table: a result may come before its test name, two side-by-side tables interleave. So a
line is the set of tokens whose vertical middles overlap, sorted left to right; and within a
line, tokens closer than about a letter's height are one cell ("Gamma" "GT" is "Gamma GT"),
wider gaps separate the table's columns. Nothing here knows what a test is.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from liverlens.extract.model import Box, Page, Token


@dataclass(frozen=True)
class Cell:
    """Neighbouring tokens of one line read as one table cell."""

    text: str
    box: Box
    confidence: float

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


def _same_line(line: list[Token], t: Token) -> bool:
    """The token and the line overlap vertically by most of the smaller one's height: a
    method note printed small under a test name ("Method: BCG") is a line of its own."""
    top = median(x.box[1] for x in line)
    bottom = median(x.box[3] for x in line)
    overlap = min(bottom, t.box[3]) - max(top, t.box[1])
    return overlap >= 0.6 * min(bottom - top, _height(t))


def group_lines(tokens: tuple[Token, ...]) -> list[list[Token]]:
    """Tokens in lines, top to bottom, each line left to right."""
    lines: list[list[Token]] = []
    for t in sorted(tokens, key=lambda t: ((t.box[1] + t.box[3]) / 2, t.box[0])):
        if not t.text.strip():
            continue
        for line in reversed(lines[-3:]):  # a token belongs to one of the last few lines
            if _same_line(line, t):
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
            cells.append(_cell(run))
            run = []
        run.append(t)
    if run:
        cells.append(_cell(run))
    return tuple(cells)


def _cell(run: list[Token]) -> Cell:
    text = " ".join(t.text.strip() for t in run)
    return Cell(text, union(t.box for t in run), min(t.confidence for t in run))


def lines_of(page: Page) -> list[Line]:
    """The page as lines of cells. A text layer gives single words, so words closer than
    a letter's height join (a space is about a third of one; table columns are set wider);
    OCR pieces are already runs of words, and only touching pieces join."""
    gap = 1.0 if page.kind == "text" else 0.25
    lines = [Line(page.number, _cells(line, gap)) for line in group_lines(page.tokens)]
    if page.kind == "text":
        return [_stack(band) for band in _bands(lines)]
    return _join_split_rows(lines)


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
        merged.append(Cell(text, union(c.box for c in col), min(c.confidence for c in col)))
    return Line(band[0].page, tuple(sorted(merged, key=lambda c: c.x0)))


def _overlaps(column: list[Cell], cell: Cell) -> bool:
    return any(c.x0 < cell.x1 and cell.x0 < c.x1 for c in column)


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
