"""Checks across a page's or a whole report's fields, after each line has been read.

A line read alone cannot see what its neighbours say: a row that gained a result on a tilted
photo (``check_beside_crowded``), a page whose rows are off by one (``check_if_misaligned``),
a value read without its unit on a report that prints another scale for that test
(``settle_units``), the same test read twice (``settle_duplicates``). Each only lowers a
field's confidence, so the person checks it; none changes what was read. And a line that
names a test read elsewhere, with no value, is no result missed (``drop_headings``).
"""

from __future__ import annotations

from dataclasses import replace

from liverlens.extract.model import ReadField, Unread
from liverlens.extract.parse import (
    MISALIGNED_ROWS,
    NO_UNIT_SEVERAL,
    NO_VALUE,
    RUN_TOGETHER,
    TWICE_DIFFERENT,
)
from liverlens.extract.rows import Line
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.report_words import ReportWords
from liverlens.knowledge.units import normalise_spelling

HEADS_IN_A_ROW = 2  # column heads on a test's line that mean the line crossed rows


def check_beside_crowded(lines: list[list[ReadField]], crowded: list[bool]) -> list[ReadField]:
    """On a photo or scan, the fields of a crowded line and of the lines just above and below
    it are lowered to ``RUN_TOGETHER``: when OCR lines tilt, a row that gained a result took it
    from a neighbour, which may now show another row's value as its own."""
    out = []
    for i, fields in enumerate(lines):
        beside = any(crowded[j] for j in (i - 1, i, i + 1) if 0 <= j < len(lines))
        for f in fields:
            out.append(replace(f, confidence=min(f.confidence, RUN_TOGETHER)) if beside else f)
    return out


def check_if_misaligned(
    fields: list[ReadField], unread: list[Unread], heads_in_a_row: bool = False
) -> list[ReadField]:
    """Every field of an OCR page is lowered to ``RUN_TOGETHER`` when names and results do not
    line up (a photo whose name column sits a row off its results, where a row that looks
    whole may hold its neighbour's value). Two signs say so: ``MISALIGNED_ROWS`` or more of
    its liver rows refused for a unit of another kind of test (one may be an OCR slip), or
    ``heads_in_a_row``, a line naming a test that also holds the table's column heads
    ("结果 单位 参考值"): the heads stand above every result, so a test's name grouped with
    them took the line of the row above its own, and the rows below may be a row off too."""
    wrong_units = sum(u.reason == "error.extract.wrong_unit" for u in unread)
    if wrong_units < MISALIGNED_ROWS and not heads_in_a_row:
        return fields
    return [replace(f, confidence=min(f.confidence, RUN_TOGETHER)) for f in fields]


def holds_column_heads(line: Line, words: ReportWords) -> bool:
    """Whether ``line`` holds ``HEADS_IN_A_ROW`` or more of a table's column heads
    (``report_words.yaml`` ``headers``: "Result", "Units", "结果", "参考值" ...)."""
    return sum(words.header_column(c.text) is not None for c in line.cells) >= HEADS_IN_A_ROW


def settle_units(kb: KnowledgeBase, fields: list[ReadField], texts: list[str]) -> list[ReadField]:
    """A value read without its unit is sure only while the report gives no sign of a unit on
    another scale for that test: an enzyme with no unit on a report that prints µkat/L
    anywhere (another row, a note) is a check, since read as U/L it would be 60 times too
    small."""
    printed = normalise_spelling(" ".join(texts))
    out = []
    for f in fields:
        if f.unit is None and f.analyte != "inr" and f.confidence > NO_UNIT_SEVERAL:
            family = kb.family_of(f.analyte)
            scaled = [u for u in family.units if u.factor != 1]
            spellings = {normalise_spelling(s) for u in scaled for s in (u.unit, *u.aliases)}
            in_fields = any(
                g.unit in {u.unit for u in scaled}
                for g in fields
                if kb.family_of(g.analyte) is family
            )
            if in_fields or any(s in printed for s in spellings):
                f = replace(f, confidence=NO_UNIT_SEVERAL)
        out.append(f)
    return out


def settle_duplicates(fields: list[ReadField]) -> list[ReadField]:
    """A test read twice with the same value is one field (the fuller reading, with unit and
    limits, is kept); with two values both stay, each marked for checking: the person knows
    which is today's and which a previous result."""
    out: list[ReadField] = []
    for f in fields:
        same = [i for i, g in enumerate(out) if g.analyte == f.analyte]
        twin = next((i for i in same if _same_reading(out[i], f)), None)
        if twin is not None:
            if _fullness(f) > _fullness(out[twin]):
                # a third reading the same as a second stays marked when a first differs
                differs = any(not _same_reading(out[i], f) for i in same)
                out[twin] = _lowered(f) if differs else f
            continue
        if same:
            out = [_lowered(g) if g.analyte == f.analyte else g for g in out]
            f = _lowered(f)
        out.append(f)
    return out


def drop_headings(unread: list[Unread], fields: list[ReadField]) -> list[Unread]:
    """The unread lines without a line that names, with no value, a test read elsewhere on
    the report: a block's title ("GAMMA GLUTAMYL TRANSFERASE (GGT)" over its card) or a
    mention, not a result missed; listed, it would ask the person for a value they have."""
    read = {f.analyte for f in fields}
    return [u for u in unread if not (u.reason == NO_VALUE and u.analyte in read)]


def _same_reading(a: ReadField, b: ReadField) -> bool:
    """The same value, or the same value with an arrow after it read by OCR as a final 1
    ("852↑" as 8521) in a bare reading (no unit, no limits: a summary's) beside a full one."""
    if a.value == b.value:
        return True
    bare, full = (a, b) if _fullness(a)[0] < _fullness(b)[0] else (b, a)
    if bare.unit is not None or bare.upper_limit is not None or full.unit is None:
        return False
    return f"{bare.value:g}" == f"{full.value:g}1"


def _fullness(f: ReadField) -> tuple[int, float]:
    known = (f.unit, f.lower_limit, f.upper_limit, f.flag)
    return sum(v is not None for v in known), f.confidence


def _lowered(f: ReadField) -> ReadField:
    return replace(f, confidence=min(f.confidence, TWICE_DIFFERENT))
