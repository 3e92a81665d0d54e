"""The words around a printed reference range: its label and the sex it is printed for.

A row may print its range after a label ("参考范围:", "Reference Range:") and, where the
limits differ by sex, once for each ("男:9-50 女:7-40", "Male : < 50 / Female : < 35"). Those
words belong to the range, so they never end a row as the next column's name would
(``parse._ends_segment``), and the range read is the patient's own (``patients_range``). The
words themselves are data: the range headings and sex words of ``report_words.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from liverlens.extract.values import Piece
from liverlens.knowledge.names import fold
from liverlens.knowledge.report_words import load_report_words


def label_words(labels: tuple[str, ...]) -> frozenset[str]:
    """Labels folded word by word ("Reference" "range") and whole ("ReferenceRange": OCR
    runs a label's words together), so a piece of either kind is known as part of one."""
    each = {fold(w) for text in labels for w in text.split() if fold(w)}
    return frozenset(each | {fold(text) for text in labels if fold(text)})


@cache
def _range_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(words of a range's label, male words, female words), folded: the range headings
    of report_words.yaml word by word ("Reference" "range", "参考范围") and whole
    ("ReferenceRange", OCR's), and its sex words."""
    words = load_report_words()
    label = label_words(words.headers.range)
    return label, words.folded(words.sex_words.male), words.folded(words.sex_words.female)


@cache
def in_range_words() -> frozenset[str]:
    """A card's status words for a result inside its range ("Normal", "正常"), folded."""
    words = load_report_words()
    return words.folded(words.flags.in_range)


def status_word(text: str) -> bool:
    """Whether ``text`` is a result's status word alone: a flag ("High", "H", "(L)") or a
    word for a result inside its range. Cards print one as a badge."""
    return fold(text) in in_range_words() or load_report_words().flag_side(text) is not None


def sex_word(piece: Piece) -> str | None:
    """``"male"`` or ``"female"`` for a piece that is a sex word ("男:", "Female"), else None."""
    if piece.kind != "other":
        return None
    _, male, female = _range_words()
    f = fold(piece.text)
    return "male" if f in male else "female" if f in female else None


def is_range_word(piece: Piece) -> bool:
    """A range's label, the sex it is printed for or a mark between two ranges ("/", "；"):
    part of the range, not a next cell."""
    if piece.kind != "other":
        return False
    folded = fold(piece.text)
    return not folded or folded in _range_words()[0] or bool(sex_word(piece)) or age_word(piece)


RANGES = frozenset({"range", "upper", "lower"})


@cache
def _age_words() -> frozenset[str]:
    return load_report_words().folded(load_report_words().age_units)


def age_word(piece: Piece) -> bool:
    """A piece that is an age's unit ("y", "years", "岁)"): the number before it is an age."""
    return piece.kind == "other" and bool(fold(piece.text)) and fold(piece.text) in _age_words()


_STRICT = frozenset(
    {"<", "＜", "below", "less than", "under", ">", "＞", "above", "more than", "over"}
)
Band = tuple[float, float]  # ages from, to (years, both ends included)


@dataclass(frozen=True)
class Printed:
    """One range of a row as printed: where it is, and the sex and ages it is for."""

    at: int
    sex: str | None = None
    ages: Band | None = None
    unclear: bool = False  # an age band that could not be read: the range is nobody's

    @property
    def qualified(self) -> bool:
        return self.sex is not None or self.ages is not None or self.unclear


def printed_ranges(ps: list[Piece], at: list[int]) -> list[Printed]:
    """The limits among the ranges at positions ``at``, each with what it is printed for. A
    range or bound followed by an age unit is an age band, not a limit ("Men 18-39 y: < 1,30",
    "女(≥50岁):50-135"): it and the sex word before it qualify the range after it."""
    out: list[Printed] = []
    band: Band | None = None
    band_sex: str | None = None
    pending = False  # a band was read and waits for its range
    for i in at:
        before = sex_word(ps[i - 1]) if i > 0 else None
        if i + 1 < len(ps) and age_word(ps[i + 1]):
            band, band_sex, pending = _band(ps[i]), before, True
            continue
        if pending:
            out.append(Printed(i, band_sex or before, band, unclear=band is None))
            pending = False
        else:
            out.append(Printed(i, before))
    return out


def _band(piece: Piece) -> Band | None:
    """The ages a band piece covers: "18-39" 18 to 39, "≥40" 40 on, "<18" up to 17, ">60"
    61 on (ages are whole years); None for a band that is not whole numbers."""
    try:
        if piece.kind == "range":
            return float(int(piece.groups["lo"])), float(int(piece.groups["hi"]))
        n = float(int(piece.groups["n"]))
    except (KeyError, ValueError):
        return None
    op = " ".join(piece.groups.get("op", "").lower().split())
    strict = op in _STRICT
    if piece.kind == "upper":
        return 0.0, n - 1 if strict else n
    return (n + 1 if strict else n), 200.0


def patients_range(
    ps: list[Piece], at: list[int], sex: str | None, age: float | None = None
) -> Piece | None:
    """Of the ranges at positions ``at`` (after the result), the one for this person. A range
    printed for one sex or one age band ("男:9-50 女:7-40", "Men ≥40 y: < 1,90") is the
    patient's by the header's sex and age; where those are not printed, the ranges they
    would choose between must be the same, else the limits stay unread."""
    printed = printed_ranges(ps, at)
    if not printed:
        return None
    if not printed[0].qualified:
        return ps[printed[0].at]
    fits = [
        p
        for p in printed
        if not p.unclear
        and (p.sex is None or sex is None or p.sex == sex)
        and (p.ages is None or age is None or p.ages[0] <= age <= p.ages[1])
    ]
    if fits and len({(ps[p.at].kind, ps[p.at].text) for p in fits}) == 1:
        return ps[fits[0].at]
    return None  # another sex's range only ("Male : 10 - 49", the women's on a line unread)
