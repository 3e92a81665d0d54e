"""Result cards set two or three to a row, read card column by card column.

A home test's dashboard (heldout9, blind: English text PDFs 24.6% of values right) prints
each test as a card: the name, under it the value with its unit and a status word, the
range bar's limits, "Normal range 0-35". Cards side by side share their lines, so a line
read across the page held three names ("Creatinine  eGFR  Urea") and the next three values,
and no value met its name. Split at the gutters between the cards, each card's lines follow
one another, and ``continued`` joins them as it joins any card.

A run of lines is a grid only when the cut cannot break a table row:

- it starts at a line of the cards' names: two cells or more, a test among them, no number;
- its gutters are the x-ranges at least ``GUTTER`` line heights wide that no cell of its
  first ``MIN_LINES`` lines touches (names, values, ranges), and it goes on while all of
  them stay open (a section's subtitle across two cards ends it);
- no band of a line holds a test name and a number (a table's row, two tables side by side),
  and no line holds a name in one band and a number in a later band that no line above has
  named a test in (a table whose result column lies across the gutter). A card named above
  may hold its value beside another card's wrapped name: "Alanine" / "Aminotransferase
  (ALT)" beside "77 IU/L".

A grid's lines are not stacked into rows (``rows.lines_of``): a card's large value overlaps
its wrapped name's second line, which stacking would join into one cell. An OCR page's
lines (already levelled and grouped, never stacked) are put in the same order
(``card_order``), also where ``ocr_settle`` reads a page read in passes as the reader would.
"""

from __future__ import annotations

import statistics

from liverlens.extract.parse import segments
from liverlens.extract.range_words import status_word
from liverlens.extract.rows import Line
from liverlens.knowledge import KnowledgeBase

GUTTER = 2.0  # line heights: the narrowest gap between two cards (a badge sits 1.5 off)
MIN_LINES = 3  # a grid's run holds at least a name line, a value line and a range line

Interval = tuple[float, float]


def card_groups(kb: KnowledgeBase, lines: list[Line]) -> list[tuple[bool, list[Line]]]:
    """``lines`` (a text layer's before rows are stacked, or an OCR page's) in groups read
    one after another: each grid band's lines as ``(True, lines)``, left band first; other
    lines as ``(False, lines)`` in runs, as they were."""
    out: list[tuple[bool, list[Line]]] = []
    if not lines:
        return out
    height = statistics.median(line.box[3] - line.box[1] for line in lines)
    i = 0
    while i < len(lines):
        end, cuts = _run(lines, i, GUTTER * height) if _name_row(kb, lines[i]) else (i, [])
        if end - i >= MIN_LINES and cuts and (bands := _bands_if_grid(kb, lines[i:end], cuts)):
            out += [(True, band) for band in bands]
            i = end
            continue
        if out and not out[-1][0]:
            out[-1][1].append(lines[i])
        else:
            out.append((False, [lines[i]]))
        i += 1
    return out


def card_order(kb: KnowledgeBase, lines: list[Line]) -> list[Line]:
    """An OCR page's ``lines`` with each grid read band by band (nothing to stack there)."""
    return [line for _, part in card_groups(kb, lines) for line in part]


def _name_row(kb: KnowledgeBase, line: Line) -> bool:
    """A grid's first line: the cards' names side by side, a test among them, no number."""
    return (
        len(line.cells) >= 2
        and not any(ch.isdigit() for ch in line.text)
        and bool(segments(kb, line))
    )


def _run(lines: list[Line], start: int, width: float) -> tuple[int, list[float]]:
    """The end of the grid run from ``start`` and its gutters' middles (none: no grid).

    The gutters are those of the first ``MIN_LINES`` lines together (names, values, ranges:
    a gap inside a card, between a name and its status badge, closes within them, or is
    passed over: ``_starts_a_card``), and the run goes on while every one of them stays
    open. Its cuts are in those gutters only: a gap that opens later, inside a card (a range
    bar's two limits), is no gutter."""
    if len(lines) - start < MIN_LINES:
        return start, []
    core = _gutters(lines[start : start + MIN_LINES], width)
    core = [g for g in core if _starts_a_card(lines[start], g, core)]
    end, kept = start + MIN_LINES, core
    for stop in range(end + 1, len(lines) + 1):
        found = _gutters(lines[start:stop], width)
        meeting = [[f for f in found if _meet(g, f)] for g in core]
        if not all(meeting):
            break
        end, kept = stop, [max(fs, key=lambda f: f[1] - f[0]) for fs in meeting]
    return end, [(lo + hi) / 2 for lo, hi in kept] if core else []


def _starts_a_card(first: Line, gutter: Interval, gutters: list[Interval]) -> bool:
    """Whether the first line (the cards' names) holds a word other than a status word
    ("Normal", "High") between ``gutter`` and the next gutter. When a card's value comes
    after the first three lines (its name wrapped onto two), a gap inside the card is still
    open there: before the status badge at its right edge, or between the value and the
    range bar's upper limit under it."""
    until = min((g[0] for g in gutters if g[0] > gutter[0]), default=float("inf"))
    texts = [c.text for c in first.cells if gutter[1] <= c.x0 < until]
    return not all(status_word(t) for t in texts) if texts else False


def _meet(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gutters(run: list[Line], width: float) -> list[Interval]:
    """The gaps at least ``width`` wide that no cell of ``run`` touches, between the run's
    leftmost and rightmost cell."""
    spans = sorted((c.x0, c.x1) for line in run for c in line.cells)
    gaps: list[Interval] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= width:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    return gaps


def _bands_if_grid(kb: KnowledgeBase, run: list[Line], cuts: list[float]) -> list[list[Line]]:
    """``run`` cut into its bands' lines when it is a grid of cards, else []. Every band
    holds a cell (the gutters lie between cells) and the first line names a test
    (``_name_row``), so only the table vetoes are left to check."""
    bands: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
    named = [False for _ in bands]  # the bands a line so far has named a test in
    for line in run:
        parts = [Line(line.page, ()) for _ in bands]
        for cell in line.cells:
            k = sum(cell.x0 > cut for cut in cuts)
            parts[k] = Line(line.page, (*parts[k].cells, cell))
        name_before = False
        names = [bool(part.cells) and bool(segments(kb, part)) for part in parts]
        for k, part in enumerate(parts):
            if not part.cells:
                continue
            has_digit = any(ch.isdigit() for ch in part.text)
            if has_digit and (names[k] or (name_before and not named[k])):
                return []  # a table's row in a band, or a table row across the gutter
            name_before = name_before or names[k]
            bands[k].append(part)
        named = [a or b for a, b in zip(named, names, strict=True)]
    return bands
