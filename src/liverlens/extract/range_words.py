"""The words around a printed reference range: its label and the sex it is printed for.

A row may print its range after a label ("参考范围:", "Reference Range:") and, where the
limits differ by sex, once for each ("男:9-50 女:7-40", "Male : < 50 / Female : < 35"). Those
words belong to the range, so they never end a row as the next column's name would
(``parse._ends_segment``), and the range read is the patient's own (``patients_range``). The
words themselves are data: the range headings and sex words of ``report_words.yaml``.
"""

from __future__ import annotations

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
    return not folded or folded in _range_words()[0] or bool(sex_word(piece))


RANGES = frozenset({"range", "upper", "lower"})


def patients_range(ps: list[Piece], at: list[int], sex: str | None) -> Piece | None:
    """Of the ranges at positions ``at`` (after the result), the one for this person. A range
    printed for one sex ("男:9-50 女:7-40") is the patient's by the header's sex; with the sex
    not printed, only ranges the same for both sexes are read, else the limits stay unread."""
    if sex_word(ps[at[0] - 1]) is None:  # the positions follow the result: never 0
        return ps[at[0]]
    sexed = [(i, sex_word(ps[i - 1])) for i in at if sex_word(ps[i - 1])]
    mine = [ps[i] for i, s in sexed if s == sex]
    if mine:
        return mine[0]
    both = {s for _, s in sexed} == {"male", "female"}
    if both and len({(ps[i].kind, ps[i].text) for i, _ in sexed}) == 1:
        return ps[sexed[0][0]]
    return None  # another sex's range only ("Male : 10 - 49", the women's on a line unread)
