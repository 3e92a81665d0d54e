"""Match the medicines and supplements a person lists against ``medicines.yaml``.

People write "Tylenol 500mg", "co-amoxiclav", "amoxicillin/clavulanate", "异烟肼片" or
"atorvastatine". Matching folds case, punctuation, spaces, doses and dosage forms, then allows a
small typo (difflib ratio >= 0.85 on names of 7+ letters, and only misspelling-shaped
differences: see ``looks_like_a_typo``). A name that still does not match is
reported back as unmatched, never dropped and never guessed further.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from liverlens.knowledge.loader import KnowledgeBase
from liverlens.knowledge.schema_medicines import Medicine

FUZZY_CUTOFF = 0.85
FUZZY_MIN_LENGTH = 7
VOWELS = set("aeiouy")
_DOSE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|g|ml|iu|units?|%)\b", re.IGNORECASE)
_FORMS = re.compile(
    r"\b(?:tablets?|tabs?|capsules?|caps?|enteric[- ]coated|extended[- ]release|"
    r"er|xr|sr|cr|oral|injection|syrup|suspension|cream|gel)\b",
    re.IGNORECASE,
)
_ZH_FORMS = (
    "肠溶胶囊",
    "肠溶片",
    "缓释片",
    "缓释胶囊",
    "分散片",
    "注射液",
    "胶囊",
    "颗粒",
    "口服液",
    "片",
)
_NOT_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def normalise(name: str) -> str:
    """Fold a medicine name to letters and digits (CJK kept), without dose or dosage form."""
    s = _DOSE.sub(" ", name.lower())
    s = _FORMS.sub(" ", s)
    s = _NOT_WORD.sub("", s)
    for suffix in _ZH_FORMS:
        if s.endswith(suffix) and len(s) > len(suffix) + 1:
            s = s[: -len(suffix)]
            break
    return s


@dataclass(frozen=True)
class MedicineMatch:
    """A name a person gave, what it matched (or ``None``), and the dates they gave."""

    given: str
    medicine: Medicine | None
    fuzzy: bool = False
    started_on: date | None = None
    stopped_on: date | None = None


@cache
def _index(kb: KnowledgeBase) -> dict[str, str]:
    table: dict[str, str] = {}
    for med in kb.medicines.values():
        for spelling in med.spellings:
            table[normalise(spelling)] = med.id
    return table


def looks_like_a_typo(given: str, known: str) -> bool:
    """True when ``given`` differs from ``known`` only the way misspellings do.

    Allowed: a letter added or dropped, and one vowel written for another ("ibuprofin",
    "atorvastatine", "paracetomol"). Not allowed: a different consonant or digit, which names
    another substance ("vitamin d3" is not "vitamin b3").
    """
    ops = difflib.SequenceMatcher(None, given, known).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        changed = given[i1:i2] + known[j1:j2]
        if any(ch.isdigit() for ch in changed):
            return False
        if tag == "replace" and not set(changed) <= VOWELS:
            return False
    return True


def match(kb: KnowledgeBase, given: str) -> MedicineMatch:
    index = _index(kb)
    key = normalise(given)
    if key in index:
        return MedicineMatch(given, kb.medicines[index[key]])
    if len(key) >= FUZZY_MIN_LENGTH:
        for close in difflib.get_close_matches(key, list(index), n=3, cutoff=FUZZY_CUTOFF):
            if looks_like_a_typo(key, close):
                return MedicineMatch(given, kb.medicines[index[close]], fuzzy=True)
    return MedicineMatch(given, None)
