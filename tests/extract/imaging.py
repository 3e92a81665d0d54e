"""Turning a rendered report into what people upload: an image-only PDF, a scan, a phone photo.

Why each degradation: an image-only PDF (a portal that exports pictures) takes the text layer
away and nothing else; a scan adds what a flatbed or a copier does (a slight skew, grey paper,
soft edges, JPEG blocks, sensor noise); a photo adds what a phone on a kitchen table does (the
page smaller than the frame on a textured background, perspective, rotation, a soft shadow
across the sheet, uneven light, a colour cast). Amounts are kept where a person would still
take the picture as readable, because that is what the reader has to handle, not worse.

Everything is drawn from a ``numpy.random.Generator``, so a seed gives the same bytes.
"""

from __future__ import annotations

import io
import math
import time

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

BACKGROUNDS = (  # RGB of the table under the page
    (139, 98, 62),  # oak
    (92, 62, 42),  # walnut
    (122, 122, 128),  # grey desk
    (205, 200, 192),  # white laminate
    (58, 78, 108),  # blue cloth
    (72, 96, 80),  # green felt
    (168, 150, 128),  # linen
)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [tuple(doc[i].get_size()) for i in range(len(doc))]  # type: ignore[misc]
    finally:
        doc.close()


def rasterize(pdf: bytes, dpi: float) -> list[np.ndarray]:
    """Each page as an RGB ``uint8`` array at ``dpi``."""
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for i in range(len(doc)):
            bitmap = doc[i].render(scale=dpi / 72.0)
            pages.append(np.asarray(bitmap.to_pil().convert("RGB")))
        return pages
    finally:
        doc.close()


def image_pdf(pdf: bytes, dpi: int = 200, quality: int = 85) -> bytes:
    """The same pages as pictures only: no text layer for a reader to take the easy way."""
    images = [Image.fromarray(p) for p in rasterize(pdf, dpi)]
    out = io.BytesIO()
    fixed = time.gmtime(1_767_225_600)  # 2026-01-01, not now: the same seed, the same bytes
    images[0].save(
        out,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=dpi,
        quality=quality,
        creationDate=fixed,
        modDate=fixed,
    )
    return out.getvalue()


def jpeg(rgb: np.ndarray, quality: int) -> bytes:
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality]
    )
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return data.tobytes()


def _u8(img: np.ndarray) -> np.ndarray:
    return np.clip(img, 0, 255).astype(np.uint8)


def _gradient(h: int, w: int, rng: np.random.Generator, lo: float, hi: float) -> np.ndarray:
    """A linear light falloff in a random direction, ``lo`` at one side, ``hi`` at the other."""
    angle = rng.uniform(0, 2 * math.pi)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xs / w - 0.5) * math.cos(angle) + (ys / h - 0.5) * math.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    return (lo + (hi - lo) * t).astype(np.float32)


def scan(page: np.ndarray, rng: np.random.Generator, quality: int | None = None) -> bytes:
    """A flatbed or copier scan of ``page`` (already rendered at 150-200 dpi)."""
    h, w = page.shape[:2]
    img = page.astype(np.float32)
    tone = rng.uniform(0.90, 0.97) * np.array(
        [1.0, rng.uniform(0.98, 1.0), rng.uniform(0.94, 0.99)]
    )
    ink = rng.uniform(10, 35)  # toner is never quite black
    img = ink + img * (tone * 255 - ink) / 255
    img *= _gradient(h, w, rng, 1.0 - rng.uniform(0.02, 0.07), 1.0)[..., None]
    angle = rng.uniform(-2.0, 2.0)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    m[:, 2] += rng.uniform(-0.01, 0.01, 2) * (w, h)
    lid = float(rng.uniform(195, 240))
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(lid, lid, lid))
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 0.9))
    img += rng.normal(0, rng.uniform(2.0, 6.0), img.shape).astype(np.float32)
    if rng.random() < 0.4:  # scanned in grey
        grey = img @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        img = np.repeat(grey[..., None], 3, axis=2)
    drawn = int(rng.integers(55, 86))
    return jpeg(_u8(img), quality or drawn)


def _background(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    base = np.array(BACKGROUNDS[int(rng.integers(len(BACKGROUNDS)))], dtype=np.float32)
    base *= rng.uniform(0.85, 1.1)
    blotch = cv2.resize(
        rng.normal(0, 1, (6, 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
    )
    grain_rows = cv2.resize(rng.normal(0, 1, (h // 4, 1)).astype(np.float32), (1, h))
    freq = rng.uniform(20, 70)
    ys = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    xs = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    grain = np.sin(2 * math.pi * freq * (ys + 0.03 * np.sin(7 * xs)) + 3 * grain_rows)
    strength = rng.uniform(4, 14) if base.mean() < 180 else rng.uniform(1, 4)
    tex = 10 * blotch + strength * grain
    img = base[None, None, :] + tex[..., None]
    return img + rng.normal(0, 4, (h, w, 3)).astype(np.float32)


def _quad(pw: int, ph: int, fw: int, fh: int, rng: np.random.Generator) -> np.ndarray:
    """Where the page's corners land in the frame: rotated, jittered, fully inside."""
    angle = math.radians(rng.uniform(-6, 6))
    cx, cy = fw / 2 + rng.uniform(-0.03, 0.03) * fw, fh / 2 + rng.uniform(-0.03, 0.03) * fh
    corners = np.array([(-pw / 2, -ph / 2), (pw / 2, -ph / 2), (pw / 2, ph / 2), (-pw / 2, ph / 2)])
    corners += rng.uniform(-0.06, 0.06, (4, 2)) * (pw, ph)
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    quad = corners @ rot.T + (cx, cy)
    margin = 0.015 * min(fw, fh)
    lo, hi = quad.min(axis=0), quad.max(axis=0)
    scale = min(1.0, (fw / 2 - margin) / max(cx - lo[0], hi[0] - cx))
    scale = min(scale, (fh / 2 - margin) / max(cy - lo[1], hi[1] - cy))
    return ((quad - (cx, cy)) * scale + (cx, cy)).astype(np.float32)


def _page_for_photo(
    pdf: bytes, index: int, rng: np.random.Generator, long_side: int | None
) -> tuple[np.ndarray, int, int]:
    """The page rendered so it fills 78-90% of a 1600-2400 px frame of the page's orientation."""
    w_pt, h_pt = page_sizes(pdf)[index]
    drawn = int(rng.integers(1600, 2401))
    long_side = long_side or drawn
    portrait = h_pt >= w_pt
    fw, fh = (int(long_side * 0.75), long_side) if portrait else (long_side, int(long_side * 0.75))
    fill = rng.uniform(0.78, 0.9)
    dpi = min(fill * fh / (h_pt / 72), fill * fw / (w_pt / 72))
    doc = pdfium.PdfDocument(pdf)
    try:
        page = np.asarray(doc[index].render(scale=dpi / 72.0).to_pil().convert("RGB"))
    finally:
        doc.close()
    return page, fw, fh


def photo(
    pdf: bytes,
    index: int,
    rng: np.random.Generator,
    *,
    quality: int | None = None,
    long_side: int | None = None,
) -> bytes:
    """A phone photo of page ``index`` of ``pdf`` lying on a table (``quality`` and
    ``long_side`` fixed only to keep a checked-in sample small)."""
    page, fw, fh = _page_for_photo(pdf, index, rng, long_side)
    ph, pw = page.shape[:2]
    paper = page.astype(np.float32) * rng.uniform(0.93, 1.0)
    quad = _quad(pw, ph, fw, fh, rng)
    src = np.array([(0, 0), (pw, 0), (pw, ph), (0, ph)], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, quad)
    warped = cv2.warpPerspective(paper, m, (fw, fh), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (fw, fh), flags=cv2.INTER_LINEAR)
    bg = _background(fh, fw, rng)
    small = cv2.resize(mask, (fw // 4, fh // 4), interpolation=cv2.INTER_AREA)
    shift = np.float32([[1, 0, rng.uniform(2, 6)], [0, 1, rng.uniform(3, 8)]])
    drop = cv2.GaussianBlur(cv2.warpAffine(small, shift, small.shape[::-1]), (0, 0), 4)
    drop = cv2.resize(drop, (fw, fh), interpolation=cv2.INTER_LINEAR)
    bg *= (1 - rng.uniform(0.3, 0.55) * drop)[..., None]
    img = bg * (1 - mask[..., None]) + warped * mask[..., None]
    light = _gradient(fh, fw, rng, rng.uniform(0.68, 0.85), rng.uniform(1.0, 1.08))
    ys, xs = np.mgrid[0:fh, 0:fw].astype(np.float32)
    r2 = ((xs / fw - 0.5) ** 2 + (ys / fh - 0.5) ** 2) * 2
    light *= 1 - rng.uniform(0.08, 0.22) * r2
    img *= light[..., None]
    shadow = np.zeros((fh // 8, fw // 8), np.float32)  # the phone's (or a hand's) soft shadow
    side_x = float(rng.choice((0.0, 1.0))) * shadow.shape[1]
    centre = (int(side_x), int(rng.uniform(0.2, 0.9) * shadow.shape[0]))
    axes = (
        int(rng.uniform(0.25, 0.5) * shadow.shape[1]),
        int(rng.uniform(0.2, 0.45) * shadow.shape[0]),
    )
    cv2.ellipse(shadow, centre, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), shadow.shape[1] * 0.08)
    shadow = cv2.resize(shadow, (fw, fh), interpolation=cv2.INTER_LINEAR)
    img *= (1 - rng.uniform(0.15, 0.4) * shadow)[..., None]
    warm = rng.uniform(-0.06, 0.06)
    img *= np.array([1 + warm, 1.0, 1 - warm * 1.3], dtype=np.float32)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.6, 1.2))
    img += rng.normal(0, rng.uniform(1.5, 4.5), img.shape).astype(np.float32)
    drawn = int(rng.integers(76, 91))
    return jpeg(_u8(img), quality or drawn)
