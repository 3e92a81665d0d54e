"""OCR of a straightened page (``image.straighten``) into a ``Page`` of ``Token`` s.

Two engines:

- ``rapidocr`` (the default): PP-OCRv4 detection and recognition through onnxruntime, with
  the Chinese + English models inside the ``rapidocr-onnxruntime`` wheel, so nothing is
  downloaded and no picture leaves the machine. One token per line piece it detects.
- ``tesseract``: the Debian ``tesseract`` binary (``chi_sim+eng``), for comparison and as a
  second opinion; one token per run of words close together on a line.

Neither engine's text is logged: it is health data. Only counts and timings are.
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import io
import itertools
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from liverlens.errors import ConfigurationError
from liverlens.extract import glyphs
from liverlens.extract.model import Box, Page, Token
from liverlens.extras import require

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

FEATURE = "reading photos of lab reports"
ENGINES = ("rapidocr", "tesseract")

# RapidOCR settings, measured on a dense A4 lab report (26 rows, ~125 pieces) straightened
# from a 12-megapixel phone photo to 2182 x 1532 px, on 2 cores, best of 15: 2.54 s a page
# (+0.23 s to straighten). Recognising the pieces dominates (~2 s), so the rest is trimmed:
# the detector looks at the page shrunk to DETECT_SIDE (1280: 2.39 s, 1920: 2.75 s, the full
# page as RapidOCR does by default: 3.27 s, with no better reading); MAX_SIDE keeps RapidOCR
# from shrinking the page itself, so the recogniser reads full-resolution crops; the angle
# classifier (+0.19 s) is off, since a straightened page has no upside-down lines.
DETECT_SIDE = 1600
MAX_SIDE = 2400
THREADS = 2
TEXT_SCORE = 0.3  # pieces read less surely are kept, with their low confidence, for checking
BOX_THRESH = 0.5
UNCLIP_RATIO = 1.6
SPLIT_GAP = 0.45  # a blank wider than this many piece heights inside a piece splits it

TESSERACT_PACKAGES = "tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim"
TESSERACT_GAP = 1.0  # words of a line closer than this many word heights are one token
TESSERACT_TIMEOUT = 300.0

_load_lock = threading.Lock()
_run_lock = threading.Lock()
_rapidocr: Any = None


def available_engines() -> list[str]:
    """The engines this machine can run, the default first (nothing is loaded to find out)."""
    found = []
    if importlib.util.find_spec("rapidocr_onnxruntime") is not None:
        found.append("rapidocr")
    if shutil.which("tesseract") is not None:
        found.append("tesseract")
    return found


def ocr_page(image: NDArray[np.uint8], number: int, *, engine: str = "rapidocr") -> Page:
    """Read a straightened RGB page: every text piece with its box (pixels of ``image``)."""
    if engine not in ENGINES:
        raise ConfigurationError(f"unknown OCR engine {engine!r}; known: {', '.join(ENGINES)}")
    if image.ndim == 2:  # a grey page: the engines and the snippets expect RGB
        image = image[:, :, None].repeat(3, axis=2)
    height, width = image.shape[:2]
    started = time.perf_counter()
    tokens = _read_rapidocr(image) if engine == "rapidocr" else _read_tesseract(image)
    tokens = _reading_order(tokens)
    log.info(
        "page %d: %d tokens by %s in %.2f s",
        number,
        len(tokens),
        engine,
        time.perf_counter() - started,
    )
    return Page(number, float(width), float(height), "ocr", tuple(tokens), image)


def _reading_order(tokens: list[Token]) -> list[Token]:
    """Top to bottom by line, left to right within a line: a token joins the line above when
    its middle lies within half a text height of that line's middle."""
    lines: list[tuple[float, float, list[Token]]] = []  # (middle, height, tokens)
    for token in sorted(tokens, key=lambda t: (t.box[1] + t.box[3]) / 2):
        middle, height = (token.box[1] + token.box[3]) / 2, token.box[3] - token.box[1]
        if lines and abs(middle - lines[-1][0]) <= 0.5 * min(height, lines[-1][1]):
            lines[-1][2].append(token)
        else:
            lines.append((middle, height, [token]))
    return [t for _, _, line in lines for t in sorted(line, key=lambda t: t.box[0])]


# --- RapidOCR ---------------------------------------------------------------------------------


def _engine() -> Any:
    """The process's one RapidOCR engine, made on first use (~0.2 s: three ONNX sessions).

    Made under a lock so two threads reading their first pages at once build one engine.
    """
    global _rapidocr
    with _load_lock:
        if _rapidocr is None:
            module = require("rapidocr_onnxruntime", FEATURE, "extract")
            engine = module.RapidOCR(
                use_cls=False,
                max_side_len=MAX_SIDE,
                text_score=TEXT_SCORE,
                intra_op_num_threads=min(THREADS, os.cpu_count() or 1),
                inter_op_num_threads=1,
            )
            _limit_detector(engine)
            _rapidocr = engine
        return _rapidocr


def _limit_detector(engine: Any) -> None:
    """Run the detector on the page shrunk to ``DETECT_SIDE``.

    RapidOCR 1.4's ``det_limit_side_len`` only counts with ``det_limit_type="min"`` (an
    upper bound is then never applied); with ``"max"`` it picks 960/1500/2000 by itself. Its
    normalisation also runs in float64 (its mean and std are float64 arrays), ~0.4 s on a
    full page. So the detector's preprocessing is replaced by the same class with our limit
    and float32 constants. If a later RapidOCR moves these, the engine keeps its default.
    """
    detector = getattr(engine, "text_det", None)
    try:
        from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess
    except ImportError:  # pragma: no cover - a RapidOCR that moved its internals
        return
    if detector is None or not hasattr(detector, "get_preprocess"):  # pragma: no cover
        return
    import numpy as np

    mean = np.asarray(detector.mean, dtype=np.float32)
    std = np.asarray(detector.std, dtype=np.float32)
    preprocess = DetPreProcess(DETECT_SIDE, "max", mean, std)
    preprocess.scale = np.float32(1 / 255.0)
    detector.get_preprocess = lambda _longest_side: preprocess


def _read_rapidocr(image: NDArray[np.uint8]) -> list[Token]:
    """Line pieces, split where RapidOCR's character boxes and the page show a column gap."""
    require("cv2", FEATURE, "extract")
    import cv2
    import numpy as np

    engine = _engine()
    bgr = np.ascontiguousarray(image[:, :, ::-1])  # RapidOCR takes arrays as OpenCV's BGR
    with _run_lock:  # one page at a time: the engine keeps per-call settings on itself
        result, _ = engine(
            bgr,
            return_word_box=True,
            # passing any keyword resets these three to RapidOCR's defaults: pass all
            box_thresh=BOX_THRESH,
            unclip_ratio=UNCLIP_RATIO,
            text_score=TEXT_SCORE,
        )
    gray = np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    return [token for item in result or () for token in _item_tokens(item, gray)]


def _item_tokens(item: Any, gray: NDArray[np.uint8]) -> list[Token]:
    """The tokens of one RapidOCR result item: the piece, or its cells split apart."""
    polygon, text, score = item[0], str(item[1]), float(item[2])
    xs, ys = [float(p[0]) for p in polygon], [float(p[1]) for p in polygon]
    box: Box = (min(xs), min(ys), max(xs), max(ys))
    pieces = _split_piece(text, box, item[3:], gray) if len(item) >= 6 else None
    tokens = [p for p in pieces or [Token(text.strip(), box, score)] if p.text]
    if len(item) < 6 or not any(_digit(t.text) for t in tokens):
        return tokens
    runs = glyphs.unread_runs(box, item[3], gray)
    reach = (box[3] - box[1]) / 2  # a glyph this near a token's edge belongs to it

    def near(t: Token) -> bool:
        return any(t.box[0] - reach < (a + b) / 2 < t.box[2] + reach for a, b in runs)

    return [
        dataclasses.replace(t, confidence=t.confidence * glyphs.UNREAD_INK)
        if _digit(t.text) and near(t)
        else t
        for t in tokens
    ]


def _digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


# --- RapidOCR in passes (``ocr_passes``) ------------------------------------------------------


class _PassReader:
    """A page detected once, its crops recognised as ``ocr_passes.plan`` asks."""

    def __init__(self, image: NDArray[np.uint8]) -> None:
        require("cv2", FEATURE, "extract")
        import cv2
        import numpy as np

        from liverlens.extract import ocr_passes

        self.engine = _engine()
        self.gray = np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        with _run_lock:
            detector = self.engine.text_det.postprocess_op
            detector.box_thresh, detector.unclip_ratio = BOX_THRESH, UNCLIP_RATIO
            self.found = ocr_passes.detect(self.engine, bgr)
        self.boxes: Sequence[Box] = self.found.boxes if self.found else []
        self.cost: Sequence[float] = self.found.widths if self.found else []
        self.tokens: dict[int, list[Token]] = {}

    def read(self, wanted: Any) -> None:
        from liverlens.extract import ocr_passes

        new = sorted({i for i in wanted if i not in self.tokens})
        if not new or self.found is None:
            return
        with _run_lock:
            items = ocr_passes.recognise(self.engine, self.found, new, TEXT_SCORE)
        for i in new:
            item = items.get(i)
            self.tokens[i] = _item_tokens(item, self.gray) if item is not None else []


def ocr_page_in_passes(
    image: NDArray[np.uint8], number: int
) -> tuple[Page, Callable[[], Page] | None]:
    """``ocr_page`` with RapidOCR recognising only the crops that matter (``ocr_passes``),
    and how to read the rest: a function giving the page as the full pass reads it, or
    ``None`` when every crop was read."""
    from liverlens.extract import ocr_passes
    from liverlens.extract.ocr_settle import page_tokens, unread_boxes

    if image.ndim == 2:
        image = image[:, :, None].repeat(3, axis=2)
    height, width = image.shape[:2]
    started = time.perf_counter()
    reader = _PassReader(image)
    ocr_passes.plan(reader)

    def page() -> Page:
        tokens = _reading_order(page_tokens(reader))
        unread = unread_boxes(reader)
        return Page(number, float(width), float(height), "ocr", tuple(tokens), image, unread)

    def rest() -> Page:
        begun, left = time.perf_counter(), len(reader.boxes) - len(reader.tokens)
        reader.read(range(len(reader.boxes)))
        log.info(
            "page %d: the other %d of %d pieces recognised in %.2f s",
            number,
            left,
            len(reader.boxes),
            time.perf_counter() - begun,
        )
        return page()

    log.info(
        "page %d: %d of %d pieces recognised by rapidocr in %.2f s",
        number,
        len(reader.tokens),
        len(reader.boxes),
        time.perf_counter() - started,
    )
    return page(), (rest if len(reader.tokens) < len(reader.boxes) else None)


def _split_piece(text: str, box: Box, words: Any, gray: NDArray[np.uint8]) -> list[Token] | None:
    """``text`` cut where the page is blank for over ``SPLIT_GAP`` text heights between two
    of its characters; None when there is nothing to cut (or the boxes do not fit the text).

    RapidOCR's detector joins table cells that sit close ("天门冬氨酸氨基转移酶(AST)45.2U/L");
    with ``return_word_box`` it gives a box per character, but those boxes are spread evenly
    from the recogniser's columns and do not show the real gap. So they only say where each
    character is; the gap is measured on the page: the widest run of ink-free pixel columns
    between two neighbouring characters' middles. On printed reports a word space is ~0.3
    and a gap between cells >= 0.5 of the detected piece's height, inner gaps of a word < 0.2.
    """
    import cv2
    import numpy as np

    char_boxes, chars, confidences = words
    if len(chars) < 2 or not (len(char_boxes) == len(chars) == len(confidences)):
        return None
    if "".join(chars) != text:
        return None
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(gray.shape[1], int(box[2]) + 1), min(gray.shape[0], int(box[3]) + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    _, ink = cv2.threshold(gray[y0:y1, x0:x1], 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    blank = ink.sum(axis=0) == 0
    middles = [(min(p[0] for p in b) + max(p[0] for p in b)) / 2 - x0 for b in char_boxes]
    shown = [i for i, c in enumerate(chars) if c.strip()]
    cuts: list[tuple[int, int, int]] = []  # (first char after the cut, gap start, gap end)
    for a, b in itertools.pairwise(shown):
        start, end = _widest_blank(blank, int(middles[a]), int(middles[b]))
        if end - start > SPLIT_GAP * (y1 - y0):
            cuts.append((b, start, end))
    if not cuts:
        return None
    tokens = []
    bounds = [(0, 0, 0), *cuts, (len(chars), x1 - x0, x1 - x0)]
    for (first, _, left), (last, right, _) in itertools.pairwise(bounds):
        kept = [i for i in range(first, last) if chars[i].strip()]
        piece = "".join(chars[first:last]).strip()
        if not piece or not kept:
            continue
        confidence = float(np.mean([float(confidences[i]) for i in kept]))
        tokens.append(
            Token(piece, (x0 + left, box[1], x0 + max(right, left + 1), box[3]), confidence)
        )
    log.debug("split a piece of %d characters into %d tokens", len(chars), len(tokens))
    return tokens


def _widest_blank(blank: NDArray[np.bool_], start: int, end: int) -> tuple[int, int]:
    """The widest run of blank columns in ``blank[start:end]`` as (first, past the last)."""
    best, run_start = (start, start), None
    for x in range(max(0, start), min(len(blank), end)):
        if blank[x]:
            run_start = x if run_start is None else run_start
            if x + 1 - run_start > best[1] - best[0]:
                best = (run_start, x + 1)
        else:
            run_start = None
    return best


# --- Tesseract --------------------------------------------------------------------------------

_tesseract_langs: str | None = None


def _tesseract() -> tuple[str, str]:
    """The tesseract binary and the languages to read with, or a ConfigurationError that
    names the Debian packages to install."""
    global _tesseract_langs
    binary = shutil.which("tesseract")
    if binary is None:
        raise ConfigurationError(
            f"the tesseract OCR engine needs the tesseract program: "
            f"apt-get install {TESSERACT_PACKAGES}"
        )
    if _tesseract_langs is None:
        listed = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
        have = set(listed.stdout.split()) | set(listed.stderr.split())
        if not {"chi_sim", "eng"} <= have:
            raise ConfigurationError(
                "the tesseract OCR engine needs its English and Simplified Chinese data: "
                f"apt-get install {TESSERACT_PACKAGES}"
            )
        _tesseract_langs = "chi_sim+eng"
    return binary, _tesseract_langs


def _read_tesseract(image: NDArray[np.uint8]) -> list[Token]:
    """Words from tesseract's TSV, joined into one token per run of close words on a line.

    ``--psm 6`` reads the page as one block of lines, which keeps a table row on one line;
    the words of a line are then joined while the gap to the next is under
    ``TESSERACT_GAP`` word heights ("Gamma GT" stays one token), and a wider gap (the next
    column) starts a new token. ``--psm 6`` read the test report best (``3`` splits the
    table into column blocks and lost 15 of 113 cells, ``11`` lost 10). One OpenMP thread
    (``OMP_THREAD_LIMIT=1``): with two, tesseract's spinning threads took 9-25 s instead of
    2.3 s a page on a 2-core machine with anything else running.
    """
    require("cv2", FEATURE, "extract")
    import cv2

    binary, langs = _tesseract()
    ok, png = cv2.imencode(".png", image[:, :, ::-1])
    if not ok:  # pragma: no cover - encoding an RGB array does not fail
        raise ConfigurationError("could not hand the page to tesseract")
    command = [binary, "stdin", "stdout", "-l", langs, "--psm", "6", "tsv"]
    try:
        done = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            command,
            input=png.tobytes(),
            capture_output=True,
            timeout=TESSERACT_TIMEOUT,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ConfigurationError(
            f"tesseract took over {TESSERACT_TIMEOUT:.0f} s on a page"
        ) from None
    if done.returncode != 0:
        raise ConfigurationError(f"tesseract stopped with exit status {done.returncode}")
    return _tsv_tokens(done.stdout.decode("utf-8", errors="replace"))


def _tsv_tokens(tsv: str) -> list[Token]:
    """Tokens from tesseract's TSV: words grouped by line, then split at wide gaps."""
    lines: dict[tuple[str, str, str, str], list[tuple[str, Box, float]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            left, top = float(row["left"]), float(row["top"])
            box: Box = (left, top, left + float(row["width"]), top + float(row["height"]))
            confidence = max(0.0, min(1.0, float(row["conf"]) / 100))
        except (KeyError, ValueError):
            continue
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append((text, box, confidence))
    tokens: list[Token] = []
    for words in lines.values():
        words.sort(key=lambda w: w[1][0])
        heights = sorted(w[1][3] - w[1][1] for w in words)
        gap = TESSERACT_GAP * heights[len(heights) // 2]
        run = [words[0]]
        for word in words[1:]:
            if word[1][0] - run[-1][1][2] > gap:
                tokens.append(_join(run))
                run = [word]
            else:
                run.append(word)
        tokens.append(_join(run))
    return tokens


def _join(words: list[tuple[str, Box, float]]) -> Token:
    """One token of adjacent words. Tesseract splits Chinese into words too, so a space is
    put back only where one was printed: always between two Latin words, between Chinese
    and Latin only across a space-wide gap, never between two Chinese characters."""
    text = words[0][0]
    for before, word in itertools.pairwise(words):
        gap = word[1][0] - before[1][2]
        height = max(1.0, min(before[1][3] - before[1][1], word[1][3] - word[1][1]))
        if _cjk(text[-1]) and _cjk(word[0][0]):
            text += word[0]
        elif (_cjk(text[-1]) or _cjk(word[0][0])) and gap < 0.2 * height:
            text += word[0]
        else:
            text += " " + word[0]
    box: Box = (
        min(w[1][0] for w in words),
        min(w[1][1] for w in words),
        max(w[1][2] for w in words),
        max(w[1][3] for w in words),
    )
    return Token(text, box, sum(w[2] for w in words) / len(words))


def _cjk(char: str) -> bool:
    """A Chinese character or full-width punctuation, which Chinese sets without spaces."""
    code = ord(char)
    return 0x3000 <= code <= 0x303F or 0x4E00 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF
