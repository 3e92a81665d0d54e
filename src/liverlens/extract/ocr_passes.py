"""OCR that recognises only the crops that matter: the page read in passes, not all at once.

Recognising the detected pieces is most of a page's OCR time (about 2 s of a dense page on two
cores), yet on a full chemistry panel most pieces are results of tests LiverLens does not read.
So the page is detected once and its crops recognised in passes, each crop exactly as the full
pass would (``recognise``: the same padding, so the same text, score and character boxes):

1. the name area of every line: its first two pieces, then the next while the line may still
   be naming its test (a code before the name, a name in two pieces) - but a row number and
   a name followed by a piece in a result column stop there: that piece is the result;
2. whole lines: every line above the first line that names a liver test (the header), the
   liver lines with the line above and below each (rows drift on photos; the guards look at
   neighbours), every line whose part read holds a header label, and every line that is no
   table row (a word, then a result): notes, dated footers, titles, wherever they are;
3. name columns: where the liver rows print their names, and where a word follows a
   result on a liver row, or on one of two lines with more pieces than any liver row (a
   second table beside the first), every piece is read; step 2 follows for the tests they
   name.

The result columns are where the liver rows print their results. A page where what may stay
unread is under ``WORTH`` of its recognition (a page of liver tests) is read whole at once.

Then the reading is checked against what the full pass could give (``ocr_settle``): every
line that reads a test, and its neighbours, must hold no unread piece where the unread
pieces are put back as blanks; the lines must not depend on the blanks or on the rows' tilt
a step either way; and the page's decimal mark must be settled without them, or every number
on a test's line must mean the same under any mark. What fails is read whole. A report with
a value read without its unit that the unit guard may still mark is read whole too
(``needs_everything``: the guard looks for other scales anywhere on it).

What this cannot see: a liver test named mid-line, after the results of a row that names
none, outside any name column found (step 3), or a header label there. Nothing read is
logged: only counts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from liverlens.extract.header import has_label
from liverlens.extract.model import Box, Extraction, Token
from liverlens.extract.names import match_name
from liverlens.extract.ocr_settle import settled
from liverlens.extract.parse import (
    NO_UNIT_SEVERAL,
    _ends_segment,
    is_text,
    segments,
    split_name,
)
from liverlens.extract.rows import (
    OCR_GAP,
    OCR_SHARE,
    UNREAD,
    Cell,
    Line,
    _cells,
    _level,
    group_lines,
)
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.report_words import ReportWords, load_report_words

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

BY_DEFAULT = False  # read_report's default: see docs/extract.md, "Accuracy and speed"
FIRST_PIECES = 2  # a row number or code, then the name
SAMPLE_LINES = 2  # table lines read whole to find a second name column
WORTH = 0.15  # the share of a page's recognition left unread below which it is read whole
_CJK = re.compile(r"[\u4e00-\u9fff]")
_VALUE = re.compile(r"\s*[<>≤≥＜＞]?\s*\d")


class Reader(Protocol):
    """A page's detected pieces and what has been recognised of them so far."""

    boxes: Sequence[Box]
    cost: Sequence[float]  # what recognising each piece costs (its padded width)
    tokens: dict[int, list[Token]]  # piece -> its tokens (none when read below the score)

    def read(self, wanted: Iterable[int]) -> None: ...


# --- the engine, split into detection and recognition ------------------------------------------


@dataclass
class Detected:
    """One page's detection: the crops to recognise and what the full pass needs to finish."""

    dt_boxes: list[Any]
    crops: list[Any]
    ratios: list[float]
    widths: list[float]  # the padded width ratio each crop gets in the full pass's batch
    op_record: dict[str, Any]
    shape: tuple[int, int]
    boxes: list[Box]


def detect(engine: Any, bgr: NDArray[np.uint8]) -> Detected | None:
    """RapidOCR's own ``__call__`` up to recognition (same preprocessing and order)."""
    import numpy as np

    img = engine.load_img(bgr)
    raw_h, raw_w = img.shape[:2]
    img, ratio_h, ratio_w = engine.preprocess(img)
    op_record: dict[str, Any] = {"preprocess": {"ratio_h": ratio_h, "ratio_w": ratio_w}}
    img, op_record = engine.maybe_add_letterbox(img, op_record)
    dt_boxes, _ = engine.auto_text_det(img)
    if dt_boxes is None:
        return None
    crops = engine.get_crop_img_list(img, dt_boxes)
    rec = engine.text_rec
    ratios = [c.shape[1] / float(c.shape[0]) for c in crops]
    order = np.argsort(np.array(ratios))
    _, height, width = rec.rec_image_shape[:3]
    widths = [0.0] * len(crops)
    for start in range(0, len(crops), rec.rec_batch_num):  # the full pass's batches
        batch = order[start : start + rec.rec_batch_num]
        widest = max([width / height] + [ratios[i] for i in batch])
        for i in batch:
            widths[i] = widest
    points = engine._get_origin_points(list(dt_boxes), op_record, raw_h, raw_w)
    boxes: list[Box] = [
        (float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max()))
        for p in points
    ]
    return Detected(list(dt_boxes), crops, ratios, widths, op_record, (raw_h, raw_w), boxes)


def recognise(engine: Any, found: Detected, wanted: Iterable[int], score: float) -> dict[int, Any]:
    """RapidOCR's result items (box, text, score, character boxes) for the ``wanted`` crops,
    ``None`` for those read below ``score``. Each crop is padded to the width its batch in
    the full pass gives it: the recogniser looks across the whole padded line, so another
    padding could change what it reads; crops of one width are batched together."""
    import numpy as np

    rec = engine.text_rec
    order = sorted(set(wanted), key=lambda i: (found.ratios[i], i))
    by_width: dict[float, list[int]] = {}
    for i in order:
        by_width.setdefault(found.widths[i], []).append(i)
    read: dict[int, Any] = {}
    for widest, group in by_width.items():
        for start in range(0, len(group), rec.rec_batch_num):
            part = group[start : start + rec.rec_batch_num]
            batch = [rec.resize_norm_img(found.crops[i], widest)[np.newaxis, :] for i in part]
            preds = rec.session(np.concatenate(batch).astype(np.float32))[0]
            wh = [found.ratios[i] for i in part]
            texts = rec.postprocess_op(preds, True, wh_ratio_list=wh, max_wh_ratio=widest)
            read.update(zip(part, texts, strict=True))
    keys = sorted(read)
    if not keys:
        return {}
    done = engine.cal_rec_boxes(
        [found.crops[i] for i in keys], [found.dt_boxes[i] for i in keys], [read[i] for i in keys]
    )
    raw_h, raw_w = found.shape
    for item in done:
        if item[2]:
            points = engine._get_origin_points(item[2], found.op_record, raw_h, raw_w)
            item[2] = points.astype(np.int32).tolist()
    boxes = engine._get_origin_points(
        [found.dt_boxes[i] for i in keys], found.op_record, raw_h, raw_w
    )
    return {
        i: [box.tolist(), *item] if float(item[1]) >= score else None
        for i, box, item in zip(keys, boxes, done, strict=True)
    }


# --- which pieces to read ------------------------------------------------------------------


def box_lines(boxes: Sequence[Box]) -> list[list[int]]:
    """The page's lines as piece indices, left to right, grouped as the parser groups OCR
    tokens (``rows``: levelled by the page's tilt, then by vertical overlap)."""
    marks = tuple(Token(UNREAD, box, 1.0) for box in boxes)
    level = _level(marks)
    index = {id(m): i for i, m in enumerate(level)}
    return [[index[id(t)] for t in line] for line in group_lines(level, OCR_SHARE)]


def _tokens(reader: Reader, pieces: Iterable[int]) -> list[Token]:
    found = [t for i in pieces for t in reader.tokens.get(i, ())]
    return sorted(found, key=lambda t: t.box[0])


def names_a_test(kb: KnowledgeBase, tokens: list[Token]) -> bool:
    """Whether these tokens of a line name a liver test for the parser, their pieces joined
    into cells as the full line would join them or each a cell of its own (a cell's
    joining depends on its neighbours' heights, which the full line may change)."""
    if not tokens:
        return False
    joined = Line(0, _cells(tokens, OCR_GAP))
    apart = Line(0, tuple(Cell(t.text, t.box, t.confidence) for t in tokens))
    return bool(segments(kb, joined) or segments(kb, apart))


def _word(text: str) -> bool:
    return bool(re.match(r"\s*[^\W\d_]", text))


def is_row(tokens: list[Token]) -> bool:
    """Whether a line as read so far is a table row: a word, then a piece of its own that
    starts with a number (a result)."""
    seen_word = False
    for t in tokens:
        if seen_word and _VALUE.match(t.text):
            return True
        seen_word = seen_word or _word(t.text)
    return False


Interval = tuple[float, float]


@dataclass
class _Columns:
    """What the whole table rows show of the page's columns: where results are printed,
    and where names are: a row's own name, and a name after a result (a second table beside
    the first). Every piece in a name column is read, wherever it sits in its line (a photo
    whose tilt runs a section title into the next row puts that row's name mid-line)."""

    values: list[Interval]
    names: list[Interval]

    def learn(self, kb: KnowledgeBase, tokens: list[Token]) -> None:
        if not is_row(tokens):
            return
        first_word = next(i for i, t in enumerate(tokens) if _word(t.text))
        found = []
        for t in tokens[first_word:]:
            if _VALUE.match(t.text):
                break
            found.append((t.box[0], t.box[2]))  # the row's own name
        for t in tokens[first_word + 1 :]:
            if _VALUE.match(t.text) and (t.box[0], t.box[2]) not in self.values:
                self.values.append((t.box[0], t.box[2]))
        found += _late_names(kb, tokens)
        self.names += [c for c in found if c not in self.names]

    def result(self, box: Box) -> bool:
        """A piece in a result column and in no name column: a result, not worth reading
        on a row that names no liver test."""
        middle = (box[0] + box[2]) / 2
        in_values = any(x0 <= middle <= x1 for x0, x1 in self.values)
        return in_values and not _in_column(box, self.names)


def _run_state(reader: Reader, run: list[int], at_start: bool, columns: _Columns, nxt: int) -> str:
    """What follows a run of read pieces of a line: "read" the next piece (the name may go
    on: a row number so far, a code before the name, a name in two pieces, a piece read
    below the score), "row" (a name, after its row number if any, and the next piece sits
    in a result column: the row's result, left unread) or "done" (the run ends in a
    result)."""
    last = reader.tokens.get(run[-1], [])
    if not last:
        return "read"
    tokens = _tokens(reader, run)
    words = [t for t in tokens if _word(t.text)]
    if not words:
        return "read" if at_start and len(run) < FIRST_PIECES + 1 else "done"
    if _VALUE.match(max(last, key=lambda t: t.box[0]).text):
        return "done"
    numbered = all(_VALUE.match(t.text) for t in tokens if t not in words)
    one_name = {i for i in run if any(t in words for t in reader.tokens.get(i, ()))}
    if numbered and len(one_name) == 1 and columns.result(reader.boxes[nxt]):
        return "row"
    return "read"


def _extend(reader: Reader, lines: list[list[int]], columns: _Columns) -> set[int]:
    """Read on from every run of read pieces whose name may go on; the lines left as rows
    whose result sits in a result column."""
    while True:
        wanted, rows = [], set()
        for index, line in enumerate(lines):
            run: list[int] = []
            for position, piece in enumerate(line):
                if piece in reader.tokens:
                    run.append(piece)
                    continue
                if run:
                    state = _run_state(reader, run, position == len(run), columns, piece)
                    if state == "read":
                        wanted.append(piece)
                    elif state == "row":
                        rows.add(index)
                run = []
        if not wanted:
            return rows
        reader.read(wanted)


def _late_names(kb: KnowledgeBase, tokens: list[Token]) -> list[Interval]:
    """Where a whole line holds a name after a result: a word after a name and a number that
    is neither unit, flag nor range (the parser's sign of another table's name,
    ``parse._ends_segment``) and either names a test or is a word of three letters or two
    Chinese characters (not a unit column's "fL" or "S")."""
    seen_name = seen_number = False
    found = []
    for cell in _cells(tokens, OCR_GAP) if tokens else ():
        text = is_text(cell)
        if seen_number and text and _ends_segment(cell.text) and _name_like(kb, cell.text):
            found.append((cell.x0, cell.x1))
        seen_number = seen_number or (seen_name and any(ch.isdigit() for ch in cell.text))
        seen_name = seen_name or text
    return found


def _name_like(kb: KnowledgeBase, text: str) -> bool:
    if match_name(kb, split_name(text)[0]) is not None:
        return True
    return len(re.findall(r"[a-zA-Z]", text)) >= 3 or len(_CJK.findall(text)) >= 2


def choose(reader: Reader, kb: KnowledgeBase, words: ReportWords) -> None:
    """Read the pieces of the page that can matter to the parser (module docstring)."""
    lines = box_lines(reader.boxes)
    reader.read(p for line in lines for p in line[:FIRST_PIECES])
    whole: set[int] = set()
    columns = _Columns([], [])
    sampled = False
    samples: set[int] = set()
    every = set(range(len(lines)))
    named: dict[tuple[tuple[str, Box], ...], bool] = {}

    def names(tokens: list[Token]) -> bool:  # the same line read again is not matched again
        key = tuple((t.text, t.box) for t in tokens)
        if key not in named:
            named[key] = names_a_test(kb, tokens)
        return named[key]

    while True:
        start = len(reader.tokens)
        known = [_tokens(reader, line) for line in lines]
        liver = {i for i, tokens in enumerate(known) if names(tokens)}
        if not liver:
            reader.read(range(len(reader.boxes)))  # no test on the page: read as it is
            return
        labelled = {i for i, tokens in enumerate(known) if has_label(_text(tokens), words)}
        wanted = set(range(min(liver))) | labelled
        wanted |= {j for i in liver for j in (i - 1, i, i + 1) if 0 <= j < len(lines)}
        if not sampled:  # lines with more pieces than a liver line: a second table beside?
            most = max(len(lines[i]) for i in liver)
            wider = [i for i in sorted(every - wanted, key=_size(lines)) if len(lines[i]) > most]
            samples = set(wider[:SAMPLE_LINES])
            wanted |= samples
            sampled = True
        if not _worth_it(reader, {p for i in wanted for p in lines[i]}):
            reader.read(range(len(reader.boxes)))
            return
        reader.read(p for i in wanted - whole for p in lines[i])
        whole |= wanted
        for i in sorted(liver | samples):  # table rows (not a header's "Label: date" pairs)
            columns.learn(kb, _tokens(reader, lines[i]))
        reader.read(
            p
            for i in sorted(every - whole)
            for p in lines[i]
            if _in_column(reader.boxes[p], columns.names)
        )
        rows = _extend(reader, lines, columns)
        rows |= {i for i in every if is_row(_tokens(reader, lines[i]))}
        reader.read(p for i in sorted(every - whole - rows) for p in lines[i])
        whole |= every - rows
        if len(reader.tokens) == start:
            return


def _worth_it(reader: Reader, wanted: set[int]) -> bool:
    """Whether what may stay unread, besides ``wanted``, saves ``WORTH`` of the page's
    recognition: less is not worth the checks (a page of liver tests is read whole)."""
    spare = sum(c for i, c in enumerate(reader.cost) if i not in reader.tokens and i not in wanted)
    return spare >= WORTH * sum(reader.cost)


def _text(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)


def _size(lines: list[list[int]]) -> Callable[[int], tuple[int, int]]:
    return lambda i: (-len(lines[i]), i)


def _in_column(box: Box, columns: list[Interval]) -> bool:
    return any(box[0] < x1 and x0 < box[2] for x0, x1 in columns)


def plan(reader: Reader, kb: KnowledgeBase | None = None) -> None:
    """Read what the page needs (``choose``), then whatever the checks ask for."""
    kb = kb or load_knowledge()
    words = load_report_words()
    choose(reader, kb, words)
    if not _worth_it(reader, set()) or not settled(reader, kb, words):
        reader.read(range(len(reader.boxes)))
    log.debug("read %d of %d pieces", len(reader.tokens), len(reader.boxes))


def needs_everything(extraction: Extraction, kb: KnowledgeBase | None = None) -> bool:
    """Whether a report read in passes must be read whole for ``report_checks.settle_units``: it
    marks a value read without its unit when its test has a unit on another scale printed
    anywhere, so a field it left unmarked (still above ``NO_UNIT_SEVERAL``) might be marked
    by a unit in a piece not read. One already marked, or too unsure for it to touch, is
    what the full reading gives too."""
    kb = kb or load_knowledge()
    for f in extraction.fields:
        if f.unit is None and f.analyte != "inr" and f.confidence > NO_UNIT_SEVERAL:
            if any(u.factor != 1 for u in kb.family_of(f.analyte).units):
                return True
    return False
