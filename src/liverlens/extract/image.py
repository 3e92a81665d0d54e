"""Photos and scans of a lab report, made ready for OCR.

A person gives what they have: a phone photo of the printed report lying on a table (the
common case: the page on a background, in perspective, a few degrees off, half in the shadow
of the phone), a scan, a screenshot, a TIFF from a fax. ``load_images`` turns the bytes into
upright RGB pictures; ``straighten`` turns each into a flat, evenly lit page at a size the OCR
models read well. Every step is conservative: a step that is not sure of itself does nothing,
because text cut off or warped away cannot be read back, while a page left a little crooked
still reads.

cv2, numpy, Pillow and pillow_heif come with the ``extract`` extra and are imported only
when a picture is read, so the core package imports without them.
"""

from __future__ import annotations

import io
import math
import warnings
from typing import TYPE_CHECKING, Any

from liverlens.errors import InputError, issue
from liverlens.extract.sheet import find_sheet
from liverlens.extras import require

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from PIL import Image


FEATURE = "reading photos of lab reports"
ACCEPTED = "PDF, JPEG, PNG, HEIC, WebP, TIFF"
MAX_PIXELS = 60_000_000  # per picture; larger is refused unread (decompression bombs)
MAX_TOTAL_PIXELS = 2 * MAX_PIXELS  # all the pages of one TIFF together
FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "TIFF", "HEIF", "BMP", "GIF")

LONG_SIDE = 2200  # the straightened page's long side at most, in pixels
SMALL_SIDE = 1600  # a smaller picture is enlarged up to this long side (at most 3x)
WORK_SIDE = 1000  # page finding and deskewing look at a copy this size: fast, enough
MAX_SKEW = 20.0  # degrees: a phone held loosely turns a page 10-15; never a page on its side


def _need(*modules: str) -> None:
    """Import the optional modules a step needs, or say which extra installs them."""
    for module in modules:
        require(module, FEATURE, "extract")


# --- loading ----------------------------------------------------------------------------------


def load_images(name: str, data: bytes) -> list[Image.Image]:
    """Every picture in ``data`` (every page of a TIFF), upright and RGB.

    JPEG, PNG, WebP and TIFF through Pillow, HEIC/HEIF (iPhone photos) through pillow_heif's
    opener; only these formats are tried, so no bytes reach a decoder nobody asked for (such
    as EPS, which Pillow hands to Ghostscript). The EXIF orientation is applied, because
    phones store the pixels as the sensor saw them and only note in EXIF that the picture is
    turned: read raw, a portrait photo of a report would lie on its side. The size is checked
    before the pixels are decoded, so a small file that unpacks to billions of pixels (a
    decompression bomb) is refused unread. Only a TIFF's frames are pages: the further
    frames of a phone's JPEG (MPO) or HEIC are previews and depth maps.
    """
    _need("PIL", "pillow_heif")
    import pillow_heif
    from PIL import Image, ImageOps, UnidentifiedImageError

    pillow_heif.register_heif_opener()
    Image.init()  # load every plugin, so ``formats`` can name them
    formats = [f for f in FORMATS if f in Image.OPEN]
    unreadable = InputError(
        [issue("file", "error.extract.unreadable", name=name, accepted=ACCEPTED)]
    )
    frames: list[Image.Image] = []
    total = 0
    try:
        with warnings.catch_warnings():
            # Pillow warns (then refuses) past its own limit; both mean "too large" here
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=formats)
        with picture:
            count = getattr(picture, "n_frames", 1) if picture.format == "TIFF" else 1
            for index in range(count):
                picture.seek(index)
                pixels = picture.size[0] * picture.size[1]
                total += pixels
                if pixels > MAX_PIXELS or total > MAX_TOTAL_PIXELS:
                    raise _too_large(name, pixels if pixels > MAX_PIXELS else total)
                frame = ImageOps.exif_transpose(picture.copy())
                frames.append(_rgb(frame if frame is not None else picture.copy()))
    except InputError:  # too large (an InputError is a ValueError too)
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_large(name, None) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise unreadable from None
    if not frames:
        raise unreadable
    return frames


def _too_large(name: str, pixels: int | None) -> InputError:
    limit = f"{MAX_PIXELS // 1_000_000} million"
    given = f"{pixels / 1e6:.0f} million" if pixels else f"over {limit}"
    return InputError(
        [issue("file", "error.extract.too_large", name=name, pixels=given, limit=limit)]
    )


def _rgb(frame: Image.Image) -> Image.Image:
    """RGB, with transparency laid on white (a PNG screenshot's clear parts are paper)."""
    from PIL import Image

    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        frame = frame.convert("RGBA")
        paper = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, frame).convert("RGB")
    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit scans: keep the top 8 bits
        frame = frame.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return frame.convert("RGB")


# --- straightening ----------------------------------------------------------------------------


def straighten(image: Image.Image | NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The page of a photo or scan, flat, upright, evenly lit and at a size OCR reads well.

    1. Find the page: a photo shows the sheet on a table, in perspective. When its outline is
       found, the four corners are pulled out to a rectangle (``_find_page``), which makes the
       text lines straight and parallel again; OCR reads straight lines far better, and the
       parser's columns only line up on a flat page.
    2. Otherwise (a scan, a screenshot, a sheet filling the frame) the text lines themselves
       give the angle, and only small ones (up to 20 degrees) are corrected (``_skew``), on a
       canvas grown so no corner is cut off (``_rotate``). After a warp the same check runs
       within 3 degrees, for a sheet printed crooked.
    3. Even out the light (``_even_light``): a phone's shadow or a lamp's falloff makes part
       of the paper grey, which hides faint print from the detector.
    4. Scale to at most ``LONG_SIDE`` pixels (a 12-megapixel photo is slower to read and no
       better), enlarging a small picture so its text is big enough to detect.

    Returns an RGB ``uint8`` array; token boxes of the OCR are in its pixels.
    """
    _need("numpy", "cv2")
    import numpy as np

    rgb = np.asarray(image.convert("RGB") if hasattr(image, "convert") else image)
    if rgb.ndim == 2:
        rgb = np.repeat(rgb[:, :, None], 3, axis=2)
    rgb = np.ascontiguousarray(rgb[:, :, :3], dtype=np.uint8)
    height, width = rgb.shape[:2]
    corners = _find_page(rgb)
    if corners is not None:
        page = _warp(rgb, corners)
        refine = 3.0
    else:
        page = _resize(rgb, _output_scale(width, height))
        refine = MAX_SKEW
    angle = _skew(page, refine)
    if angle:
        page = _rotate(page, angle)
    return _even_light(page)


def _output_scale(width: int, height: int) -> float:
    """Down to ``LONG_SIDE``, or up to ``SMALL_SIDE`` (at most 3x) for a small picture."""
    long_side = max(width, height)
    if long_side > LONG_SIDE:
        return LONG_SIDE / long_side
    if long_side < SMALL_SIDE:
        return min(SMALL_SIDE / long_side, 3.0)
    return 1.0


def _resize(rgb: NDArray[np.uint8], scale: float) -> NDArray[np.uint8]:
    """``rgb`` scaled by ``scale``: area averaging down (no aliasing), bicubic up."""
    import cv2

    if abs(scale - 1.0) < 1e-3:
        return rgb
    height, width = rgb.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    method = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return _u8(cv2.resize(rgb, size, interpolation=method))


def _u8(array: Any) -> NDArray[np.uint8]:
    """An OpenCV result as the uint8 array it is (no copy; for the type checker)."""
    import numpy as np

    return np.asarray(array, dtype=np.uint8)


def _find_page(rgb: NDArray[np.uint8]) -> NDArray[np.float32] | None:
    """The sheet's four corners (tl, tr, br, bl) in ``rgb`` pixels, or None when unsure;
    found on a small grey copy by ``sheet.find_sheet``. A corner may lie beyond the picture
    when the sheet runs out of it."""
    import cv2

    shrink = min(1.0, WORK_SIDE / max(rgb.shape[:2]))
    gray = _u8(cv2.cvtColor(_resize(rgb, shrink), cv2.COLOR_RGB2GRAY))
    corners = find_sheet(gray)
    return None if corners is None else (corners / shrink).astype(corners.dtype)


def _warp(rgb: NDArray[np.uint8], corners: NDArray[np.float32]) -> NDArray[np.uint8]:
    """The sheet pulled out to a rectangle with the sheet's own proportions.

    Width and height are the longer of each pair of opposite edges, so no part is shrunk
    below what the camera saw. A photo much larger than the output is first shrunk with
    area averaging (a perspective warp samples, and sampling a 12-megapixel photo down to
    a third would alias thin strokes away). The outline found on a small copy is a pixel or
    two off, so a rim of 0.4 % is left out: otherwise a dark line of table stays along the
    edges; a printed page's margin is ten times wider.
    """
    import cv2
    import numpy as np

    tl, tr, br, bl = corners
    width = max(float(np.linalg.norm(tr - tl)), float(np.linalg.norm(br - bl)))
    height = max(float(np.linalg.norm(bl - tl)), float(np.linalg.norm(br - tr)))
    factor = _output_scale(round(width), round(height))
    if factor < 0.8:
        rgb, corners = _resize(rgb, factor), corners * factor
        width, height, factor = width * factor, height * factor, 1.0
    out_w, out_h = max(1, round(width * factor)), max(1, round(height * factor))
    rim = round(0.004 * max(out_w, out_h))
    out_w, out_h = max(1, out_w - 2 * rim), max(1, out_h - 2 * rim)
    lo, right, bottom = -rim, out_w - 1 + rim, out_h - 1 + rim
    target = np.array([[lo, lo], [right, lo], [right, bottom], [lo, bottom]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return _u8(
        cv2.warpPerspective(
            rgb,
            matrix,
            (out_w, out_h),
            flags=cv2.INTER_CUBIC,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=(255, 255, 255),
        )
    )


def _skew(page: NDArray[np.uint8], limit: float) -> float:
    """The text lines' angle in degrees (positive: they fall to the right), 0.0 when unsure.

    Projection profiles: the ink's rows are summed along each candidate angle, and at the
    lines' true angle the rows of text and the gaps between them are sharpest (the profile's
    energy is highest). Only angles up to ``limit`` are tried, so a page is never turned
    over, and an angle that hardly beats 0 is not applied.
    """
    import cv2
    import numpy as np

    gray = cv2.cvtColor(_resize(page, min(1.0, 1200 / max(page.shape[:2]))), cv2.COLOR_RGB2GRAY)
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15
    )
    ys, xs = np.nonzero(ink)
    if len(xs) < 500:
        return 0.0
    if len(xs) > 120_000:
        pick = np.random.default_rng(0).choice(len(xs), 120_000, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float64) - gray.shape[1] / 2
    ys = ys.astype(np.float64)
    rows = gray.shape[0] + gray.shape[1]

    def energy(degrees: float) -> float:
        a = math.radians(degrees)
        projected = ys * math.cos(a) - xs * math.sin(a) + gray.shape[1] / 2
        profile = np.bincount(np.clip(projected, 0, rows - 1).astype(np.int64), minlength=rows)
        return float(np.sum(np.diff(profile.astype(np.float64)) ** 2))

    coarse = np.arange(-limit, limit + 1e-9, 0.5)
    best = float(coarse[int(np.argmax([energy(a) for a in coarse]))])
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    scores = [energy(a) for a in fine]
    best = float(fine[int(np.argmax(scores))])
    if abs(best) < 0.2 or abs(best) > limit or max(scores) < 1.1 * energy(0.0):
        return 0.0
    return best


def _rotate(page: NDArray[np.uint8], degrees: float) -> NDArray[np.uint8]:
    """``page`` turned by ``degrees`` on a canvas large enough that no corner is cut off;
    the new corners are filled with the paper's colour."""
    import cv2
    import numpy as np

    height, width = page.shape[:2]
    a = math.radians(degrees)
    new_w = round(width * abs(math.cos(a)) + height * abs(math.sin(a)))
    new_h = round(width * abs(math.sin(a)) + height * abs(math.cos(a)))
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    matrix[0, 2] += (new_w - width) / 2
    matrix[1, 2] += (new_h - height) / 2
    border = np.concatenate([page[0], page[-1], page[:, 0], page[:, -1]])
    paper = tuple(int(v) for v in np.median(border, axis=0))
    flags, border_mode = cv2.INTER_CUBIC, cv2.BORDER_CONSTANT
    size = (new_w, new_h)
    return _u8(
        cv2.warpAffine(page, matrix, size, flags=flags, borderMode=border_mode, borderValue=paper)
    )


def _even_light(page: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Each colour channel divided by its own blurred paper level.

    The paper level is the page with the print taken out (a local maximum over an area
    wider than a stroke, then a wide blur), so it follows shadows and the light's falloff but
    not the text. Dividing makes the paper evenly white, leaves the print as dark as it is
    against its own paper, and neutralises a yellow lamp. The gain is capped so a dark
    background (a table the page finder did not cut away) is not blown up into noise, and a
    dark picture (a dark-mode screenshot) is left as it is.
    """
    import cv2
    import numpy as np

    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    if float(np.median(gray)) < 110:
        return page
    height, width = page.shape[:2]
    small = _resize(page, 0.25)
    size = max(3, round(max(small.shape[:2]) / 60) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    paper = cv2.dilate(small, kernel)
    paper = cv2.GaussianBlur(paper, (0, 0), size)
    paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)
    gain = np.minimum(255.0 / np.maximum(paper.astype(np.float32), 1.0), 2.5)
    return np.clip(page.astype(np.float32) * gain, 0, 255).astype(np.uint8)
