"""From a page's lines to liver tests read: each value with its unit, limits, flag and evidence.

A line may hold one test (the usual table), two (two tables side by side) or none. Each test
name (names.py) opens a segment that runs to the next test name or to a text cell that follows
a result (the next table's unrelated test); the segment's pieces (values.py) give the result,
the unit, the range and the flag. Then every read value passes the checks typed input passes
(``liverlens.inputs.resolve``): a value they refuse is shown as unread with the reason, never
filled in. Confidence starts from the reader's own (OCR) and drops for what a person should
look at: a near-match name, no printed unit where the test has several, a flag that disagrees
with the value, a result that had to be told apart from a range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from liverlens.errors import InputError
from liverlens.extract.columns import Heading
from liverlens.extract.model import ReadField, Unread
from liverlens.extract.names import NameMatch, match_name
from liverlens.extract.range_words import RANGES, is_range_word, patients_range
from liverlens.extract.rows import Cell, Line, union
from liverlens.extract.values import (
    LITRE_LOST,
    POWER,
    SLASH_LOST,
    NumberStyle,
    Piece,
    pieces,
    read_number,
)
from liverlens.inputs.resolve import resolve
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.report_words import ReportWords, load_report_words
from liverlens.knowledge.units import find_unit, normalise_spelling

# how much less sure a field is for each thing a person should look at
NO_UNIT_ONE_FAMILY = 0.9  # an enzyme without a unit is U/L almost always
NO_UNIT_SEVERAL = 0.5  # bilirubin without a unit: µmol/L or mg/dL is a factor of 17
FLAG_DISAGREES = 0.5
RESULT_AFTER_RANGE = 0.6
TWICE_DIFFERENT = 0.5
TWO_RESULTS = 0.5  # a number in the name's own cell and another in a cell of its own
SEVERAL_RESULTS = 0.5  # two or more plain results on a row: which one is this sample's?
JUNK_BEFORE_UNIT = 0.5  # an unread piece between the result and its unit
RUN_TOGETHER = 0.5  # on OCR pages, a line beside one that holds a second result
BARE_IN_NAME = 0.5  # a result run into its name, no unit, no range: a summary's or a sentence's
ARROW_AS_ONE = 0.5  # OCR: an unflagged high result ending in 1 may be "220↑" read as 2201
I_AS_ONE = 0.5  # OCR: a result ending in 1 run into "U/L" may be "71 IU/L" read as "711U/L"
NO_VALUE = "error.extract.no_value"  # the reason a line names a test and gives no result
MIXED_MARKS = 0.8  # a result with a decimal mark on a page that prints both marks
MISALIGNED_ROWS = 2  # rows with another kind of test's unit that make a whole OCR page a check
_RESULT_CELL = re.compile(r"^\s*[<>≤≥]?\s*\d[\d.,]*\s*(?:[HL↑↓*]|high|low)?\s*$", re.I)

_POWER = re.compile(rf"^\s*(?:[x×X*]\s*)?{POWER}\s*/")
_GLUED_POWER = re.compile(rf"(\d)({POWER}\s*/\s*(?:[uµμ]?l|mm3)(?![a-z]))", re.I)
# where a name ends and its result begins: before the first number, unless the number sits
# inside a word ("IFCC without P5P": letters on both sides, then a space or the end) or
# follows a unit label ("单位：1U/L", OCR's 1 for the I of IU/L)
_NAME_END = re.compile(
    r"(?<=[^\d\s.,<>≤≥(（\-])(?<!单位[:：])(?<![Uu]nit[:：])(?<![Uu]nits[:：])\s*"
    r"(?=[<>≤≥]?\s*\d)(?!(?<=[A-Za-z])\d+[A-Za-z]+(?:\s|$))"
)


@dataclass(frozen=True)
class _Segment:
    analyte: str
    name_confidence: float
    cells: list[Cell]  # the name's own cell first
    rest: list[str]  # cell texts after the name, the first may be the name cell's tail
    tail: str = ""  # what followed the name inside the name's own cell
    after: tuple[Cell, ...] = ()  # the cells after the name whose whole texts are in ``rest``
    loose: str = ""  # what ``rest`` holds from inside name cells (the tail, a name's tail)


def split_name(text: str) -> tuple[str, str]:
    """``"天门冬氨酸氨基转移酶(AST)45.2U/L"`` -> the name and what follows it. A digit inside
    brackets is part of the name or its method ("SGPT (IFCC without P5P)"), never a result."""
    depth, depths = 0, []
    for ch in text:
        depth = depth + (ch in "(（[【") - (ch in ")）]】" and depth > 0)
        depths.append(depth)
    for m in _NAME_END.finditer(text):
        if m.start() > 0 and depths[m.start() - 1] == 0:
            return text[: m.start()].strip(), text[m.end() :].strip()
    return text, ""


_SERIAL = re.compile(r"^\s*\d{1,2}[.)、]?\s+(?=[^\W\d_])")


def _name_text(cell: Cell) -> str:
    """The cell's text without a leading row number ("5 AST (SGOT)" -> "AST (SGOT)")."""
    return _SERIAL.sub("", cell.text)


def _is_word(cell: Cell) -> bool:
    """A cell that starts with a letter as printed (no row number, no result)."""
    return bool(re.match(r"[^\W\d_]|[(（]", cell.text.strip()))


def _exact(match: NameMatch | None) -> bool:
    return match is not None and match.confidence == 1.0


def is_text(cell: Cell) -> bool:
    return bool(re.match(r"[^\W\d_]", _name_text(cell).strip()))


_GLUED_SERIAL = re.compile(r"^\s*\d{1,2}(?=[^\W\d_])")


def _glued(kb: KnowledgeBase, cell: Cell) -> tuple[NameMatch | None, str]:
    """A test name with its row number run into it by OCR ("10ALT", "5Total Bilirubin"):
    read as a name only when what follows the number is one."""
    text = _GLUED_SERIAL.sub("", cell.text, count=1)
    if text == cell.text:
        return None, ""
    name, tail = split_name(text)
    return match_name(kb, name), tail


def segments(kb: KnowledgeBase, line: Line) -> list[_Segment]:
    """The tests a line names, each with the cells that belong to it."""
    cells = list(line.cells)
    found: list[_Segment] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        match = None
        tail = ""
        width = 1
        if is_text(cell):
            name, tail = split_name(_name_text(cell))
            alone = match_name(kb, name)
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if not tail and nxt is not None and _is_word(nxt) and not _exact(alone):
                joined = match_name(kb, f"{name} {split_name(nxt.text)[0]}")
                if _exact(joined):  # "Alanine" | "aminotransferase", "SGPT" | "(ALT)"
                    match, width = joined, 2
                    tail = split_name(nxt.text)[1]
            match = match or alone
        else:
            match, tail = _glued(kb, cell)
        if match is None:
            i += 1
            continue
        rest = [tail] if tail else []
        after: list[Cell] = []
        loose = tail
        j = i + width
        seen_number = bool(re.search(r"\d", tail))
        while j < len(cells):
            nxt = cells[j]
            if not is_text(nxt) and _glued(kb, nxt)[0] is not None:
                break  # the next test, its row number run into its name
            if is_text(nxt):
                named = match_name(kb, split_name(_name_text(nxt))[0])
                if named is not None and named.analyte == match.analyte and not seen_number:
                    # the same test named twice: a code column, then its name ("ALT" |
                    # "丙氨酸转氨酶"); the name is part of this test, not a second one
                    name_tail = split_name(_name_text(nxt))[1]
                    if name_tail:
                        rest.append(name_tail)
                        loose += " " + name_tail
                        seen_number = bool(re.search(r"\d", name_tail))
                    j += 1
                    continue
                if named is not None:
                    break  # the next test
                if seen_number and _ends_segment(nxt.text):
                    break  # the next table's own test, or a comment
            rest.append(nxt.text)
            after.append(nxt)
            seen_number = seen_number or bool(re.search(r"\d", nxt.text))
            j += 1
        found.append(
            _Segment(match.analyte, match.confidence, cells[i:j], rest, tail, tuple(after), loose)
        )
        i = j
    return found


def _ends_segment(text: str) -> bool:
    """A text cell after a result that is neither a unit, a flag nor a range word: the
    next column's (or the next table's) own name. A range's label and the sex a range is
    for ("参考范围: 男:9-50 女:7-40", "Male : < 50") are range words; a flag word in a cell of
    its own ("偏高") is a flag."""
    flags = load_report_words().flag_side
    kinds = {
        "flag" if p.kind == "other" and flags(p.text) else p.kind
        for p in pieces([text])
        if not is_range_word(p)
    }
    if unit_like(text.strip()):
        return False  # a unit garbled past reading is still the unit column's
    return kinds <= {"other"} or ("other" in kinds and not kinds & {"unit", "flag"})


@dataclass
class _Read:
    value: float | None = None
    comparator: str | None = None
    unit_text: str | None = None
    lower: float | None = None
    upper: float | None = None
    flag: str | None = None
    factor: float = 1.0
    problem: str | None = None
    crowded: bool = False  # a second plain number between the result and its unit or range
    printed: str = ""  # the result's digits as printed


_OPS = {"<": "<", "＜": "<", "<=": "<=", "≤": "<=", ">": ">", "＞": ">", ">=": ">=", "≥": ">="}


def _op(text: str) -> str:
    t = text.strip().lower()
    if t in _OPS:
        return _OPS[t]
    return "<=" if t.startswith(("up", "upto")) else ("<" if t[0] in "bul" else ">")


def read_pieces(
    ps: list[Piece],
    style: NumberStyle,
    words: ReportWords,
    sex: str | None = None,
    age: float | None = None,
) -> _Read:
    """Result, unit, range and flag from a segment's pieces; a range printed for each sex or
    age band is read for ``sex`` and ``age`` (the report header's)."""
    r = _Read()
    numbers = [p for p in ps if p.kind in {"number", "upper", "lower", "range"}]
    if not numbers:
        r.problem = NO_VALUE
        return r
    first = numbers[0]
    range_piece: Piece | None
    plain = [p for p in numbers if p.kind == "number"]
    if len(plain) > 1:
        # several results on one row (earlier results beside this one, cumulative columns):
        # which is this sample's only the column headings say, so a person checks it
        r.factor *= SEVERAL_RESULTS
    bound_then_range = any(p.kind in RANGES for p in numbers[1:])
    if first.kind in {"upper", "lower"} and plain and not bound_then_range:
        # "< 41  674  734": a bound before plain results is the range, not a result; not
        # when a range or a bound follows (">1000  U/L  9-50  8", "<3.0  umol/L  ≤26  17":
        # the last number is the next table's row number)
        value_piece, range_piece = plain[0], first
        r.factor *= RESULT_AFTER_RANGE
    elif first.kind == "range":
        later = [p for p in numbers[1:] if p.kind == "number"]
        if not later:
            r.problem = NO_VALUE
            return r
        value_piece, range_piece = later[0], first
        r.factor *= RESULT_AFTER_RANGE
    else:
        value_piece = first
        start = ps.index(value_piece) + 1
        at = [i for i in range(start, len(ps)) if ps[i].kind in RANGES]
        range_piece = patients_range(ps, at, sex, age) if at else None
    r.printed = value_piece.groups["n"]
    r.value = read_number(r.printed, style)
    if value_piece.kind in {"upper", "lower"}:
        r.comparator = _op(value_piece.groups["op"])
    if r.value is None:
        r.problem = "error.extract.ambiguous_number"
        return r
    if style is NumberStyle.MIXED and re.search(r"[.,]", r.printed):
        r.factor *= MIXED_MARKS  # one meaning, but the page's own mark is not settled
    if range_piece is not None:
        if range_piece.kind == "range":
            r.lower = read_number(range_piece.groups["lo"], style)
            r.upper = read_number(range_piece.groups["hi"], style)
        elif range_piece.kind == "upper":
            r.upper = read_number(range_piece.groups["n"], style)
        else:
            r.lower = read_number(range_piece.groups["n"], style)
    units = [p for p in ps if p.kind == "unit"]
    r.unit_text = units[0].text if units else _unit_unread(ps, ps.index(value_piece))
    closing = [
        p for p in ps[ps.index(value_piece) + 1 :] if p.kind != "number" and p.kind != "flag"
    ]
    until = ps.index(closing[0]) if closing else len(ps)
    r.crowded = any(p.kind == "number" for p in ps[ps.index(value_piece) + 1 : until])
    if units:
        between = ps[ps.index(value_piece) + 1 : ps.index(units[0])]
        unread = [p for p in between if not is_range_word(p) and not words.flag_side(p.text)]
        if any(p.kind in {"other", "number"} for p in unread):
            r.factor *= JUNK_BEFORE_UNIT  # "85 ~3 U/L": something between is not read
    for p in ps:
        side = words.flag_side(p.text) if p.kind in {"flag", "other"} else None
        if side:
            r.flag = side
            break
    return r


def _unit_unread(ps: list[Piece], value_at: int) -> str | None:
    """A word right after the result (its flag aside) that looks like a unit no pattern
    read (``unit_like``): the unit is printed but not understood, so the value is not the
    canonical unit's and is left for the person (``_unit`` finds no such unit)."""
    for p in ps[value_at + 1 :]:
        if p.kind == "flag":
            continue
        return p.text if p.kind == "other" and unit_like(p.text) else None
    return None


_STEM = re.compile(r"[µμu]?(?:kat|m?mol)", re.I)


def unit_like(text: str) -> bool:
    """A katal or mole unit OCR garbled past reading ("µkat|L", "μmo1/L"): the stem, then at
    most two letters. "Osmolality" is a word, not a unit."""
    if " " in text or not _STEM.search(text):
        return False
    return sum(ch.isalpha() for ch in _STEM.sub("", text, count=1)) <= 2


_SLASH_LOST = re.compile(rf"^{SLASH_LOST}$")


def _unit(kb: KnowledgeBase, analyte: str, printed: str | None) -> tuple[str | None, str | None]:
    """(the contract's unit spelling, a problem id) for a printed unit."""
    family = kb.family_of(analyte)
    if printed is None:
        return None, None
    printed = _POWER.sub(r"10^\1/", printed)  # OCR: "x10~3/uL", "×109/L" (superscript lost)
    printed = _SLASH_LOST.sub(r"\1/\2", printed)  # OCR: "μkatL", "IUL" (values.py)
    if re.fullmatch(LITRE_LOST, printed):
        printed = printed.replace(" ", "") + "L"  # OCR: "U/" at the cell's edge
    unit = find_unit(family, printed)
    if unit is None and normalise_spelling(printed).endswith(("/i", "/1", "/|")):
        unit = find_unit(family, printed[:-1] + "L")  # "U/I", "g/1": a lower-case l misread
    if unit is not None:
        return unit.unit, None
    others = [f for f in kb.unit_families.values() if find_unit(f, printed) is not None]
    if analyte == "inr" and printed.lower() in {"ratio"}:
        return None, None
    return None, "error.extract.wrong_unit" if others else "error.extract.unknown_unit"


def _i_as_one(printed: str) -> str:
    """The result's digits run into "U/L" (no space): OCR's reading of "71 IU/L" as well."""
    return rf"(?<![\d.,]){re.escape(printed)}U\s*/"


def _arrow_as_one(r: _Read) -> bool:
    """An unflagged result whose last digit is a 1 and which is high even without it: what
    OCR gives for "220↑" (2201), the arrow printed only beside a high result. Low the same
    way for "28.9↓" (28.91, heldout9), but only past a decimal's first place: "31" below a
    range is too often a low result as printed to make every such one a check."""
    if r.flag is not None or r.comparator or r.value is None:
        return False
    head = r.printed[:-1]
    if not r.printed.endswith("1") or not head or not head[-1].isdigit():
        return False
    shorter = read_number(head, NumberStyle.POINT)
    if shorter is None:
        return False
    if r.upper is not None and shorter > r.upper:
        return True
    return r.lower is not None and "." in head and r.value < r.lower and shorter < r.lower


def _flag_disagrees(r: _Read) -> bool:
    if r.flag not in {"high", "low"} or r.value is None or r.comparator:
        return False
    if r.flag == "high":
        return r.upper is not None and r.value <= r.upper
    return r.lower is not None and r.value >= r.lower


def _checked(kb: KnowledgeBase, analyte: str, lab: dict[str, object]) -> str | None:
    """The first problem the typed-input checks find with this value, as a message id."""
    try:
        resolve(kb, {"labs": {analyte: lab}})
    except InputError as exc:
        return exc.details[0].message if exc.details else NO_VALUE
    return None


def read_line(
    kb: KnowledgeBase,
    line: Line,
    style: NumberStyle,
    words: ReportWords,
    heading: Heading | None = None,
    sex: str | None = None,
    ocr: bool = False,
    age: float | None = None,
) -> tuple[list[ReadField], list[Unread], bool]:
    """The tests a line holds, read or unread, and whether a test on it showed a second
    result before its unit or range (``crowded``: the trace of two rows read as one). Under a
    cumulative table's ``heading`` (columns.py) a row's result is the cell under this sample's
    heading, the earlier results left out; a row that does not line up is read as it is.
    ``sex`` and ``age`` choose a range printed for each sex or age band; ``ocr`` says the
    line was read by OCR."""
    fields: list[ReadField] = []
    unread: list[Unread] = []
    crowded = False
    for seg in segments(kb, line):
        box = union(c.box for c in seg.cells)
        text = "  ".join(c.text for c in seg.cells)
        confidence = min(c.confidence for c in seg.cells) * seg.name_confidence
        picked = heading.pick(seg.after, seg.loose) if heading is not None else None
        rest = seg.rest
        if picked is not None and picked.rest is not None:
            rest = picked.rest  # an earlier result's OCR score says nothing of this one's
            named = [c for c in seg.cells if c not in seg.after]
            confidence = min(c.confidence for c in (*named, *picked.cells)) * seg.name_confidence
        stream = _GLUED_POWER.sub(r"\1 \2", " ".join(rest))  # "22310~3/uL": 223 10^3/uL
        r = read_pieces(pieces([stream]), style, words, sex, age)
        if picked is not None and picked.rest is None:
            r.factor *= SEVERAL_RESULTS  # earlier results, nothing under this sample's heading
        crowded = crowded or r.crowded
        unit, unit_problem = _unit(kb, seg.analyte, r.unit_text)
        known = find_unit(kb.family_of(seg.analyte), unit) if unit else None
        if known and known.least is not None and r.value is not None and r.value < known.least:
            unit_problem = "error.extract.unknown_unit"  # a power of ten lost in reading
        problem = r.problem or unit_problem
        if problem is None:
            given = {
                "value": r.value,
                "unit": unit,
                "comparator": r.comparator,
                "lower_limit": r.lower,
                "upper_limit": r.upper,
            }
            lab: dict[str, object] = {k: v for k, v in given.items() if v is not None}
            problem = _checked(kb, seg.analyte, lab)
            if problem is not None and (r.lower is not None or r.upper is not None):
                # the range may be what is wrong: keep the result, drop the limits, and say so
                bare = {k: v for k, v in lab.items() if k not in {"lower_limit", "upper_limit"}}
                if _checked(kb, seg.analyte, bare) is None:
                    r.lower = r.upper = None
                    r.factor *= RESULT_AFTER_RANGE
                    problem = None
        if problem is not None:
            unread.append(Unread(seg.analyte, problem, line.page, text, box))
            continue
        if unit is None and seg.analyte != "inr":
            several = len(kb.family_of(seg.analyte).units) > 1 and seg.analyte not in _ENZYMES
            r.factor *= NO_UNIT_SEVERAL if several else NO_UNIT_ONE_FAMILY
        if _flag_disagrees(r):
            r.factor *= FLAG_DISAGREES
        if re.search(r"\d", seg.tail) and any(_RESULT_CELL.match(c) for c in rest[1:]):
            r.factor *= TWO_RESULTS
        if re.search(r"\d", seg.tail) and not seg.after and unit is None and r.upper is None:
            r.factor *= BARE_IN_NAME  # "谷丙转氨酶8521": OCR read the summary's arrow as a 1
        if ocr and _arrow_as_one(r):
            r.factor *= ARROW_AS_ONE
        if ocr and r.printed.endswith("1") and re.search(_i_as_one(r.printed), stream):
            r.factor *= I_AS_ONE
        fields.append(
            ReadField(
                seg.analyte,
                r.value,
                unit,
                r.comparator,
                r.lower,
                r.upper,
                r.flag if r.flag in {"high", "low"} else None,
                confidence * r.factor,
                line.page,
                text,
                box,
            )
        )
    return fields, unread, crowded


_ENZYMES = frozenset({"alt", "ast", "alp", "ggt", "ck"})
