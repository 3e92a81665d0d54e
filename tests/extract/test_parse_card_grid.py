"""Result cards two or three to a row (a home blood test's dashboard saved as PDF), read card
by card (``extract/card_grid.py`` with the card reading of ``continued.py``).

Found on the ninth held-out set (heldout9, blind: English text PDFs 24.6% right; development
data since): a line across the page held three cards' names and the next their values, so
no value met its name. Each card here is laid out as that page prints it: the name (wrapped
in brackets on some), the value with its unit and a status badge, the range bar's limits as
bare numbers, then "Normal range 0-35". Expectations are what each card says, decided before
the code.
"""

from __future__ import annotations

import pytest

from liverlens.extract import read_pages
from liverlens.extract.model import Page, Token

HEIGHT = 9.0
CARD = 170.0  # from one card's left edge to the next's


def card(x: float, y: float, name: list[str], value: str, badge: str, ticks: list[str], rng: str):
    """One card's tokens at (x, y): name lines, value and badge, bar limits, range line."""
    out = []
    for i, line in enumerate(name):
        out.append((line, x, y + 11 * i))
    y += 11 * len(name) + 3
    out.append((value, x, y))
    out.append((badge, x + 5.0 * len(value) + 12, y))
    for k, tick in enumerate(ticks):
        out.append((tick, x + 90 * k, y + 19))
    out.append((rng, x, y + 28))
    return out


def grid(cards: list[list[tuple[str, float, float]]], kind: str = "text") -> Page:
    tokens = [
        Token(text, (x, y, x + 5.0 * len(text), y + HEIGHT), 1.0)
        for placed in cards
        for text, x, y in placed
    ]
    return Page(1, 600.0, 800.0, kind, tuple(sorted(tokens, key=lambda t: t.box[1])))  # type: ignore[arg-type]


ROW_1 = [
    card(
        40,
        100,
        ["ALT (alanine", "aminotransferase)"],
        "53 U/L",
        "High",
        ["0", "35"],
        "Normal range 0-35",
    ),
    card(
        40 + CARD,
        100,
        ["Alkaline phosphatase"],
        "74 U/L",
        "Normal",
        ["35", "104"],
        "Normal range 35-104",
    ),
    card(40 + 2 * CARD, 100, ["Gamma GT"], "56 U/L", "High", ["6", "42"], "Normal range 6-42"),
]
ROW_2 = [
    card(40, 200, ["AST"], "39 U/L", "High", ["32"], "Normal range Below 32"),
    card(
        40 + CARD,
        200,
        ["Total bilirubin"],
        "12.1 µmol/L",
        "Normal",
        ["0", "21"],
        "Normal range 0-21",
    ),
    card(40 + 2 * CARD, 200, ["Albumin"], "43 g/L", "Normal", ["35", "50"], "Normal range 35-50"),
]


@pytest.mark.parametrize("kind", ["text", "ocr"])
def test_each_card_of_a_grid_is_read_with_its_own_value_and_range(kind: str) -> None:
    """On a text layer and on an OCR page (a photo or scan of the same dashboard)."""
    found = read_pages([grid(ROW_1 + ROW_2, kind)])
    got = {f.analyte: (f.value, f.unit, f.lower_limit, f.upper_limit, f.flag) for f in found.fields}
    assert got == {
        "alt": (53, "U/L", 0, 35, "high"),
        "alp": (74, "U/L", 35, 104, None),
        "ggt": (56, "U/L", 6, 42, "high"),
        "ast": (39, "U/L", None, 32, "high"),
        "bilirubin": (12.1, "umol/L", 0, 21, None),
        "albumin": (43, "g/L", 35, 50, None),
    }
    assert found.unread == ()


@pytest.mark.parametrize("badge", ["Normal", "Borderline"])
def test_a_status_word_for_a_result_inside_its_range_marks_nothing(badge: str) -> None:
    page = grid([card(40, 100, ["Albumin"], "43 g/L", badge, ["35", "50"], "Normal range 35-50")])
    (field,) = read_pages([page]).fields
    assert (field.value, field.lower_limit, field.upper_limit, field.flag) == (43, 35, 50, None)


def test_a_table_whose_result_column_lies_across_a_wide_gap_is_not_cut() -> None:
    """Names on the left, results far to the right (a gap wider than a card's gutter). The
    first row holds no number ("see note"), as a grid's name row does; the rows under it
    hold a name alone in one band and numbers in the next, so it is a table, not cut."""
    rows = [
        ("ALT", "see note", "", ""),
        ("AST", "45", "U/L", "13-35"),
        ("GGT", "60", "U/L", "7-45"),
        ("ALP", "99", "U/L", "40-150"),
    ]
    tokens = [
        Token(text, (x, 100 + 20 * r, x + 5.0 * len(text), 100 + 20 * r + HEIGHT), 1.0)
        for r, row in enumerate(rows)
        for text, x in zip(row, (40, 300, 360, 420), strict=True)
        if text
    ]
    found = read_pages([Page(1, 600.0, 800.0, "text", tuple(tokens))])
    assert {f.analyte: (f.value, f.upper_limit) for f in found.fields} == {
        "ast": (45, 35),
        "ggt": (60, 45),
        "alp": (99, 150),
    }
