"""Unread ink: a glyph the recogniser dropped marks the piece's numbers for checking.

The pictures are drawn with PIL; the character boxes are the ones RapidOCR would give for
the characters it read (measured from the font, as RapidOCR spreads its boxes over the ink of
what it read), so the check is tested on exactly the case it is for: "<3.0" read as "3.0".
"""

from __future__ import annotations

from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
cv2 = pytest.importorskip("cv2")
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from liverlens.extract import glyphs, ocr  # noqa: E402

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
if not FONT.exists():
    pytest.skip("the Noto CJK font is not installed", allow_module_level=True)

SIZE = 28


def _piece(text: str, read: str, *, rule_at: float | None = None) -> tuple[object, ...]:
    """A grey picture of ``text`` and a RapidOCR-like item saying ``read`` (a suffix or a
    prefix of ``text``), each read character boxed where the font draws it."""
    font = ImageFont.truetype(str(FONT), SIZE)
    picture = Image.new("L", (240, 60), 255)
    draw = ImageDraw.Draw(picture)
    left = 20
    draw.text((left, 10), text, font=font, fill=0)
    if rule_at is not None:  # a table's vertical rule just beside the piece
        draw.line([(rule_at, 8), (rule_at, 52)], fill=0, width=2)
    start = text.index(read)
    boxes = []
    for i in range(start, start + len(read)):
        x0 = left + font.getlength(text[:i])
        x1 = left + font.getlength(text[: i + 1])
        boxes.append([[x0, 12], [x1, 12], [x1, 48], [x0, 48]])
    ink = np.asarray(picture) < 128
    columns = ink.any(axis=0).nonzero()[0]
    x_from = min(float(columns[0]), boxes[0][0][0]) - 3
    x_to = max(float(columns[-1]), boxes[-1][1][0]) + 3
    polygon = [[x_from, 8], [x_to, 8], [x_to, 50], [x_from, 50]]
    gray = np.asarray(picture, dtype=np.uint8)
    return polygon, read, 0.98, boxes, list(read), [0.98] * len(read), gray


def _tokens(piece: tuple[object, ...]) -> list[ocr.Token]:
    *item, gray = piece
    return ocr._item_tokens(item, gray)  # type: ignore[arg-type]


def test_a_dropped_less_than_sign_is_found_and_marks_the_value() -> None:
    [token] = _tokens(_piece("<3.0", "3.0"))
    assert token.text == "3.0"
    assert token.confidence == pytest.approx(0.98 * glyphs.UNREAD_INK)


def test_a_dropped_arrow_after_the_value_is_found_too() -> None:
    [token] = _tokens(_piece("101↓", "101"))
    assert token.confidence < 0.85


def test_every_glyph_read_leaves_the_value_sure() -> None:
    for text in ("<3.0", "3.0", "101↓", "12.5", "0.2"):
        [token] = _tokens(_piece(text, text))
        assert token.confidence == pytest.approx(0.98), text


def test_a_table_rule_beside_the_value_is_not_a_glyph() -> None:
    piece = _piece("45.2", "45.2", rule_at=12)
    *_, gray = piece
    polygon = [[8, 8], [100, 8], [100, 50], [8, 50]]  # the detector took the rule in
    [token] = _tokens((polygon, *piece[1:]))
    assert token.confidence == pytest.approx(0.98)
    assert gray[30, 12] == 0  # the rule is there, inside the piece


def test_a_name_with_unread_ink_is_not_marked() -> None:
    """Only numbers are marked: a name's confidence comes from the knowledge base's match."""
    [token] = _tokens(_piece("<ALT", "ALT"))
    assert token.confidence == pytest.approx(0.98)


def test_runs_are_page_coordinates_of_the_unread_glyph() -> None:
    *item, gray = _piece("<3.0", "3.0")
    polygon, _, _, boxes = item[:4]
    xs = [p[0] for p in polygon]  # type: ignore[attr-defined]
    box = (min(xs), 8.0, max(xs), 50.0)
    [(a, b)] = glyphs.unread_runs(box, boxes, gray)  # type: ignore[arg-type]
    assert b <= boxes[0][0][0]  # type: ignore[index]
    assert 20 <= a < b


def test_a_neighbours_glyph_cut_by_the_box_side_is_not_marked() -> None:
    """A name set close to its result: the detector's box takes in the edge of the name's
    last glyph, which touches the box's side (the box is padded round the ink it found)."""
    piece = _piece("<3.0", "3.0")
    *_, gray = piece
    ink = (gray < 128).any(axis=0).nonzero()[0]
    cut = float(ink[0]) + 4  # the box begins inside the "<"
    polygon = [[cut, 8], [float(ink[-1]) + 3, 8], [float(ink[-1]) + 3, 50], [cut, 50]]
    [token] = _tokens((polygon, *piece[1:]))
    assert token.confidence == pytest.approx(0.98)
