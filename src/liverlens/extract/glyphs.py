"""Ink in an OCR piece that none of its recognised characters accounts for.

RapidOCR's detector finds a piece by its ink, the recogniser then reads it, and now and then
the recogniser drops a glyph at the piece's edge that the detector did see: "<3.0" read as
"3.0", "101↓" as "101", "<0.2" as "0.2". A dropped "<" changes what the value means (a bound
read as a measurement) and nothing in the text shows it, so the field would be shown as sure.
The picture still shows it: the recogniser's character boxes (``return_word_box``) say where
each character it read sits, and a glyph-sized run of ink columns outside all of them is a
character it did not read. Such a piece's numbers are kept but marked for checking
(``UNREAD_INK``): nothing is guessed about what the glyph was.

Only the piece's first and last runs of ink columns are looked at: the recogniser drops a
glyph at an edge, and inside a piece its boxes, spread over what it read, cover any ink. A
run counts as a glyph when it is at least ``GLYPH_WIDTH`` of the read characters' ink height
wide and its own ink spans at least ``GLYPH_HEIGHT`` of that height ("<" is about 0.55 of a
digit's height, an arrow more), so a table rule (a few pixels wide), a speck of noise, a
dash or an underline (one or two rows tall) does not; and it is unread when the character
boxes cover at most ``COVERED`` of its width. The boxes are a few pixels off (a narrow "1"
gets a box narrower than its ink, and the next digit's box starts early), so a read glyph's
run sticks out of them a little; a dropped "<" or arrow lies wholly beside them. Ink that
touches the box's side is not looked at: the detector pads its box around the ink it found,
so that is a neighbouring cell's glyph the box cut (a Chinese name set close to its result).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

UNREAD_INK = 0.5  # a value's confidence is multiplied by this when its piece has unread ink
GLYPH_WIDTH = 0.25
GLYPH_HEIGHT = 0.4
COVERED = 0.2
EDGE = 1  # pixels: ink this near the box's side is a neighbour's glyph cut by the box


def unread_runs(
    box: tuple[float, float, float, float], char_boxes: Sequence[Any], gray: NDArray[np.uint8]
) -> list[tuple[float, float]]:
    """The glyph-sized runs of ink (page x from, x to) at the ends of the piece in ``box``
    that its character boxes leave uncovered: the glyphs the recogniser did not read."""
    import cv2
    import numpy as np

    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(gray.shape[1], int(box[2]) + 1), min(gray.shape[0], int(box[3]) + 1)
    height = y1 - y0
    if x1 - x0 < 4 or height < 4 or not char_boxes:
        return []
    _, otsu = cv2.threshold(gray[y0:y1, x0:x1], 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink: NDArray[np.bool_] = np.asarray(otsu, dtype=bool)
    spans = [(min(p[0] for p in b) - x0, max(p[0] for p in b) - x0) for b in char_boxes]
    runs = _runs(np.asarray(ink.any(axis=0), dtype=bool))
    read: list[tuple[int, int]] = []
    unread: list[tuple[int, int]] = []
    for start, end in runs:
        covered = sum(max(0.0, min(end, right) - max(start, left)) for left, right in spans)
        (unread if covered <= COVERED * (end - start) else read).append((start, end))
    tall = _ink_height(ink, read) or height  # the read characters' height: the yardstick
    found = []
    ends = {runs[0], runs[-1]}
    inside = [r for r in unread if r in ends and r[0] > EDGE and r[1] < x1 - x0 - EDGE]
    for start, end in inside:
        if (
            end - start >= GLYPH_WIDTH * tall
            and _ink_height(ink, [(start, end)]) >= GLYPH_HEIGHT * tall
        ):
            found.append((float(x0 + start), float(x0 + end)))
    return found


def _ink_height(ink: NDArray[np.bool_], runs: list[tuple[int, int]]) -> int:
    """Rows from the highest to the lowest ink in the columns of ``runs`` (0: no ink)."""
    import numpy as np

    rows = [int(r) for a, b in runs for r in np.flatnonzero(ink[:, a:b].any(axis=1))]
    return max(rows) + 1 - min(rows) if rows else 0


def _runs(filled: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """The runs of true columns as (first, past the last)."""
    runs, start = [], None
    for x, on in enumerate(filled.tolist()):
        if on and start is None:
            start = x
        elif not on and start is not None:
            runs.append((start, x))
            start = None
    if start is not None:
        runs.append((start, len(filled)))
    return runs
