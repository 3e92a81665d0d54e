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
    """The token's vertical middle falls inside the line's middle band."""
    top = median(x.box[1] for x in line)
    bottom = median(x.box[3] for x in line)
    middle = (t.box[1] + t.box[3]) / 2
    slack = (bottom - top) * 0.25
    return top - slack <= middle <= bottom + slack


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
    0.6 of a letter's height join (a space); OCR pieces are already runs of words, and only
    touching pieces join."""
    gap = 0.6 if page.kind == "text" else 0.25
    return [Line(page.number, _cells(line, gap)) for line in group_lines(page.tokens)]
