"""Where the sheet of paper lies in a photo: its four corners, or nothing when unsure.

``image.straighten`` pulls the sheet out to a rectangle when its outline is found, which
makes perspective-bent text lines straight and parallel again; otherwise it can only turn
the picture, which straightens nothing a slant has bent. So finding the sheet matters, and
taking something else for it (a table's ruled border inside a scan, a white card of a
screenshot, the edge of a shadow on the paper) would crop text away. Every test here keeps
one of those from being taken for the sheet.

A phone held close often cuts a corner of the sheet off (heldout8: three photos in 32, each
read rows off by the turn-only fallback). The frame's edge is then part of the outline, so
the sheet's sides are fitted to the rest of it and meet beyond the picture
(``_beyond_the_frame``); a side the picture does not show at all cannot be fitted, and such
a photo is left to the fallback.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Gray = NDArray[np.uint8]
    Corners = NDArray[np.float32]

ON_FRAME = 1.5  # pixels: an outline point this close to the picture's edge is the frame's
SIDE_SEEN = 0.4  # a side's line is fitted only when this share of it lies in the picture
BEYOND = 0.25  # a corner beyond the picture by more than this share of its size: unsure


def find_sheet(gray: Gray) -> Corners | None:
    """The sheet's corners (tl, tr, br, bl) in ``gray``'s pixels, or None when unsure.

    Looks at ``gray`` with the print closed away (a morphological close turns dark text on
    light paper into plain paper), so only the sheet's edge is left as an edge, found by
    Canny and, for a low-contrast edge, by Otsu's threshold. The sheet is the largest convex
    four-cornered outline covering a fifth of the frame or more whose corners are angles a
    sheet seen at a slant has (``_angles_plausible``) and that ``_is_sheet`` accepts. An
    outline that meets the frame is the sheet running out of the picture (or the frame
    itself): its corners are then those of ``_beyond_the_frame``, or it is passed over.
    """
    import cv2
    import numpy as np

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    paper = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel, iterations=2)
    paper = cv2.GaussianBlur(paper, (5, 5), 0)
    h, w = gray.shape
    frame_area = float(h * w)
    masks = [
        cv2.dilate(cv2.Canny(paper, 30, 90), np.ones((3, 3), np.uint8)),
        cv2.threshold(paper, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1],
    ]
    print_ = _print_mask(gray)
    best: tuple[float, Any] | None = None
    for mask in masks:
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            hull = cv2.convexHull(contour)
            area = cv2.contourArea(hull)
            if area < 0.2 * frame_area or area > 0.98 * frame_area:
                continue
            quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
            if len(quad) != 4 or not cv2.isContourConvex(quad):
                continue
            points: Corners | None = _order(quad.reshape(4, 2).astype(np.float32))
            if points is not None and not _inside(points, w, h):
                points = _beyond_the_frame(hull, points, w, h)
                if points is not None and not _sides_are_edges(gray, points):
                    points = None
            if points is None or not _angles_plausible(points):
                continue
            if not _is_sheet(gray, print_, points):
                continue
            if best is None or area > best[0]:
                best = (area, points)
    return None if best is None else best[1]


def _order(points: Corners) -> Corners | None:
    """Corners as top-left, top-right, bottom-right, bottom-left (None unless distinct)."""
    import numpy as np

    if len({(round(float(x)), round(float(y))) for x, y in points}) != 4:
        return None
    total, diff = points.sum(axis=1), points[:, 1] - points[:, 0]
    order = [np.argmin(total), np.argmin(diff), np.argmax(total), np.argmax(diff)]
    if len({int(i) for i in order}) != 4:
        return None
    return np.array([points[i] for i in order], dtype=np.float32)


def _angles_plausible(points: Corners) -> bool:
    """Each corner an angle a sheet seen at a slant can have (45-135 degrees)."""
    import numpy as np

    for i in range(4):
        a, b, c = points[i - 1], points[i], points[(i + 1) % 4]
        u, v = a - b, c - b
        cosine = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if abs(cosine) > math.cos(math.radians(45)):
            return False
    return True


def _inside(points: Corners, width: int, height: int) -> bool:
    """No corner on the frame's edge (within 1% of the picture's size)."""
    margin = 0.01 * max(width, height)
    xs, ys = points[:, 0], points[:, 1]
    return bool(
        xs.min() > margin
        and ys.min() > margin
        and xs.max() < width - 1 - margin
        and ys.max() < height - 1 - margin
    )


def _beyond_the_frame(hull: Any, quad: Corners, width: int, height: int) -> Corners | None:
    """The corners of a sheet the frame cuts: each side's line fitted to the outline points
    near it that are not on the frame's edge, and the corners where neighbouring sides meet.

    None when a side is mostly out of the picture (its line would be a guess), when the
    outline is the frame itself (no side is seen), or when a corner lands far outside.
    """
    import cv2
    import numpy as np

    outline = _along(hull.reshape(-1, 2).astype(np.float64), step=2.0)
    xs, ys = outline[:, 0], outline[:, 1]
    on_frame = (
        (xs <= ON_FRAME)
        | (ys <= ON_FRAME)
        | (xs >= width - 1 - ON_FRAME)
        | (ys >= height - 1 - ON_FRAME)
    )
    seen = outline[~on_frame]
    near = 0.02 * max(width, height)
    lines = []
    for i in range(4):
        a, b = quad[i].astype(np.float64), quad[(i + 1) % 4].astype(np.float64)
        d = b - a
        length = float(np.linalg.norm(d))
        normal = np.array([-d[1], d[0]]) / length
        along = (seen - a) @ d / length**2
        side = seen[(np.abs((seen - a) @ normal) < near) & (along > -0.05) & (along < 1.05)]
        if len(side) * 2.0 < SIDE_SEEN * length:
            return None
        vx, vy, x0, y0 = cv2.fitLine(side.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((float(x0), float(y0), float(vx), float(vy)))
    corners = []
    for i in range(4):
        corner = _meet(lines[i - 1], lines[i])
        if corner is None:
            return None
        x, y = corner
        if not (-BEYOND * width <= x <= (1 + BEYOND) * width):
            return None
        if not (-BEYOND * height <= y <= (1 + BEYOND) * height):
            return None
        corners.append(corner)
    return np.array(corners, dtype=np.float32)


def _sides_are_edges(gray: Gray, points: Corners) -> bool:
    """Each side, where the picture shows it, runs along a step from paper to table.

    An outline can meet the frame because a line of the background (a shadow's edge, the
    grain of a table) runs from the sheet to the edge of the picture; the hull then takes
    that line for a side, and the sides fitted to it overshoot the sheet. Along a true side
    the paper just inside is brighter than the table just outside; along an overshooting one
    both are table for much of its length.
    """
    import cv2
    import numpy as np

    h, w = gray.shape
    soft = cv2.blur(gray, (5, 5)).astype(np.float64)
    offset = max(3.0, 0.008 * max(h, w))
    centre = points.mean(axis=0).astype(np.float64)
    for i in range(4):
        a, b = points[i].astype(np.float64), points[(i + 1) % 4].astype(np.float64)
        d = b - a
        length = float(np.linalg.norm(d))
        normal = np.array([-d[1], d[0]]) / length
        if float(np.dot(centre - a, normal)) < 0:
            normal = -normal  # pointing into the sheet
        t = np.linspace(0.05, 0.95, max(8, round(length / 3)))[:, None]
        on_side = a + t * d
        inner, outer = on_side + offset * normal, on_side - offset * normal
        shown = np.all((inner >= 0) & (inner < (w, h)) & (outer >= 0) & (outer < (w, h)), axis=1)
        if shown.sum() < SIDE_SEEN * len(t):
            return False
        ii, oo = inner[shown].astype(np.int64), outer[shown].astype(np.int64)
        step = soft[ii[:, 1], ii[:, 0]] - soft[oo[:, 1], oo[:, 0]]
        if float(np.median(step)) <= 20.0:
            return False
    return True


def _along(polygon: NDArray[np.float64], step: float) -> NDArray[np.float64]:
    """Points every ``step`` pixels along a closed polygon's edges (a hull keeps only its
    vertices, and a side's line is fitted to the points along it)."""
    import numpy as np

    pieces = []
    for a, b in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        n = max(1, math.ceil(float(np.linalg.norm(b - a)) / step))
        t = np.arange(n, dtype=np.float64)[:, None] / n
        pieces.append(a + t * (b - a))
    return np.concatenate(pieces)


def _meet(
    first: tuple[float, float, float, float], second: tuple[float, float, float, float]
) -> tuple[float, float] | None:
    """Where two lines (a point and a direction each) cross; None when they are parallel."""
    x1, y1, dx1, dy1 = first
    x2, y2, dx2, dy2 = second
    det = dx1 * dy2 - dy1 * dx2
    if abs(det) < 1e-6:
        return None
    t = ((x2 - x1) * dy2 - (y2 - y1) * dx2) / det
    return (x1 + t * dx1, y1 + t * dy1)


def _is_sheet(gray: Gray, print_: Gray, points: Corners) -> bool:
    """Paper inside, table outside: the band just inside the outline is clearly brighter
    than the band just outside, and outside the outline there is (next to) no print.

    The second test keeps a white card of a screenshot, or a sheet lying on another
    printed sheet, from being cut out of what holds the rest of the text. Where the sheet
    runs out of the picture there is no band outside, and the bands are measured on the
    sides the picture shows.
    """
    import cv2
    import numpy as np

    h, w = gray.shape
    band = max(3, round(0.02 * max(h, w)))
    inside = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(inside, np.round(points).astype(np.int32), 255)
    kernel = np.ones((2 * band + 1, 2 * band + 1), np.uint8)
    grown = cv2.dilate(inside, kernel)
    ring_in = (inside > 0) & (cv2.erode(inside, kernel) == 0)
    ring_out = (grown > 0) & (inside == 0)
    if ring_in.sum() < 50 or ring_out.sum() < 50:
        return False
    if float(np.median(gray[ring_in])) - float(np.median(gray[ring_out])) <= 25.0:
        return False
    printed_inside = int(np.count_nonzero(print_[inside > 0]))
    printed_outside = int(np.count_nonzero(print_[grown == 0]))
    return printed_outside <= 0.02 * max(printed_inside, 1)


def _print_mask(gray: Gray) -> Gray:
    """Pixels that look like print: darker than their surroundings, on a light ground (a dark
    or busy table's texture is not print)."""
    import cv2
    import numpy as np

    dark = cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 20)
    light = cv2.blur(gray, (25, 25)) > 140
    return np.asarray(dark * light.astype(np.uint8), dtype=np.uint8)
