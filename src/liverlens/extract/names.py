"""Which test a printed name is: exact where it can be, close only when nothing else is close.

A lab prints "SGPT (ALT)", "丙氨酸氨基转移酶(ALT)", "Bilirubin, Total", "ALT 谷丙转氨酶". The
name is split at its brackets (and slashes, commas, a spaced dash) into parts and each part
is folded (knowledge/names.py); the name is a test when a part is one of that test's aliases
(analytes.yaml) and no part names another test.
OCR misreads a character now and then ("天内冬氨酸…" for "天门冬氨酸…"), so a part that is no alias
may still match one edit away; but only when it is clearly closer to that test than to any
look-alike that is *not* a LiverLens test (report_words.yaml ``not_tests``: "间接胆红素" is one
edit from "直接胆红素"). A near match carries lower confidence, so the person checks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.names import fold
from liverlens.knowledge.report_words import load_report_words

# a name's parts: at brackets, slashes, commas, and a dash set between spaces ("INR -
# international normalised ratio", SNOMED CT's "Platelet count - observation")
_PARTS = re.compile(r"[()（）\[\]【】/／,，]|\s[-–—]\s")
# a specimen prefix (Nordic style: P-ALT, S-ALT, fP-Glucose, B-Platelets); U- is urine
_SPECIMEN = re.compile(r"^\s*(?:f?P|S|B|Pt|fS|Se)\s*-\s*(?=\S)")
_URINE = re.compile(r"^\s*(?:U|dU|cU)\s*-\s*\S")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SCRIPT_RUNS = re.compile(r"[\u4e00-\u9fff]+|[^\u4e00-\u9fff]+")
_METHOD = ("method", "方法")
NEAR_MATCH_CONFIDENCE = 0.8
_RATIO = re.compile(r"ratio|比值|比率")  # in a folded part that is no test's own name


@dataclass(frozen=True)
class NameMatch:
    analyte: str
    confidence: float  # 1.0 exact, lower for a near match


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) once it cannot be within ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _allowed_edits(part: str) -> int:
    """For a Chinese name (each character a word) one edit from 4 characters; for a Latin
    name one edit from 7 letters and two from 14. None for anything shorter: one edit turns
    an abbreviation into another test (ALT/AST, GGT/GPT, UREA/CREA)."""
    if _CJK.search(part):
        return 1 if len(part) >= 4 else 0
    if len(part) < 7:
        return 0
    return 1 if len(part) < 14 else 2


_BRACKETED = re.compile(r"[(（\[【][^()（）\[\]【】]*[)）\]】]")


def _without_one_bracket(name: str) -> list[str]:
    """The name with each of its bracketed pieces left out in turn: a bracket may hold a
    synonym inside the name ("Conjugated (Direct) Bilirubin" is "Conjugated Bilirubin")."""
    return [name[: m.start()] + " " + name[m.end() :] for m in _BRACKETED.finditer(name)]


@dataclass(frozen=True)
class NameIndex:
    tests: dict[str, str]  # folded alias -> analyte
    others: frozenset[str]  # folded names of tests LiverLens does not read
    qualifiers: tuple[str, ...]

    def _parts(self, name: str) -> list[str]:
        parts = []
        for raw in _PARTS.split(name):
            words = raw.split()
            while words and fold(words[0]) in self.qualifiers and len(words) > 1:
                words = words[1:]
            while words and fold(words[-1]) in self.qualifiers and len(words) > 1:
                words = words[:-1]  # "Albumin Level", "GGT, Serum"
            f = fold(" ".join(words))
            if f.startswith(_METHOD):
                continue  # "Method : BCG", printed under the name: not part of it
            f = self._bare(f)
            runs = [fold(r) for r in _SCRIPT_RUNS.findall(f)] if _CJK.search(f) else []
            runs = [r for r in runs if r and r not in self.qualifiers]
            # "ALB 白蛋白": the abbreviation and the Chinese name, each a part; the two run
            # together are no unknown word beside the name when each names a test
            whole_known = len(runs) > 1 and all(r in self.tests for r in runs)
            if f and f not in self.qualifiers and not whole_known:
                parts.append(f)
            if len(runs) > 1:
                parts += runs
        return parts

    def _bare(self, folded: str) -> str:
        """A folded name without the qualifiers run into it: "serumalbumin" (OCR lost the
        space after "Serum"), "albuminlevel" and "serumastlevel" (both) are the test's name;
        a test's own name is left as it is."""
        if folded in self.tests:
            return folded
        long = [q for q in self.qualifiers if len(q) > 3]
        heads = [folded] + [folded[len(q) :] for q in long if folded.startswith(q)]
        for head in heads:
            if head in self.tests:
                return head
            for q in long:
                if head.endswith(q) and head[: -len(q)] in self.tests:
                    return head[: -len(q)]  # "albuminlevel"
        return folded

    def match(self, name: str) -> NameMatch | None:
        """The test a printed name means, or ``None`` (not a test LiverLens reads)."""
        if _URINE.match(name):
            return None  # a urine test: never the blood test of the same name
        name = _SPECIMEN.sub("", name)
        whole = fold(name)
        if not whole or whole in self.others:
            return None
        if whole in self.tests:
            return NameMatch(self.tests[whole], 1.0)
        if self._bare(whole) in self.tests:  # "SERUMALBUMIN": OCR lost the space
            return NameMatch(self.tests[self._bare(whole)], 1.0)
        if (both := self._both_sides(name)) is not None:
            return NameMatch(both, 1.0)
        parts = self._parts(name)
        # a part that is another test ("Bilirubin (Indirect)") or a ratio ("SGOT/SGPT
        # Ratio", but not the INR's own "(Ratio)"): not a test LiverLens reads, even with a
        # bracket left out below
        ratio = any(p not in self.tests and _RATIO.search(p) for p in parts)
        if ratio and "inr" not in {self.tests.get(p) for p in parts}:
            return None
        if any(p in self.others for p in parts):
            return None
        for shorter in _without_one_bracket(name):  # "Conjugated (Direct) Bilirubin"
            if fold(shorter) in self.others:
                return None  # "Indirect (Unconjugated) Bilirubin"
            found = self.tests.get(self._bare(fold(shorter)))
            if found is not None:
                return NameMatch(found, 1.0)
        exact = {self.tests[p] for p in parts if p in self.tests}
        if len(exact) == 1:
            # a word beside the name that is neither the test nor a qualifier may change the
            # test ("Bilirubin, neonatal"): read it, but for checking
            analyte = exact.pop()
            unknown = [p for p in parts if p not in self.tests and self._near(p) != analyte]
            return NameMatch(analyte, NEAR_MATCH_CONFIDENCE if unknown else 1.0)
        if exact:
            return None  # two tests named on one line: not one of them
        near = {m for p in parts if (m := self._near(p)) is not None}
        return NameMatch(near.pop(), NEAR_MATCH_CONFIDENCE) if len(near) == 1 else None

    def _both_sides(self, name: str) -> str | None:
        """The test both sides of one dash name, with no space around it (OCR dropped the
        spaces: "INR-internationalnormalisedratio"), else ``None``; "Gamma-GT" is left to
        the rest of ``match``."""
        sides = name.split("-")
        if len(sides) != 2:
            return None
        found = {self.tests.get(self._bare(fold(side))) for side in sides}
        return found.pop() if len(found) == 1 and None not in found else None

    def _near(self, part: str) -> str | None:
        limit = _allowed_edits(part)
        if limit == 0:
            return None
        best: dict[str, int] = {}
        for alias, analyte in self.tests.items():
            d = _distance(part, alias, limit)
            if d <= limit and d < best.get(analyte, limit + 1):
                best[analyte] = d
        if len(best) != 1:
            return None
        ((analyte, d),) = best.items()
        if any(_distance(part, other, d) <= d for other in self.others):
            return None  # as close to a test we do not read: not guessed
        return analyte


@cache
def _index(kb: KnowledgeBase) -> NameIndex:
    words = load_report_words()
    return NameIndex(
        tests=dict(kb.analyte_names),
        others=words.folded(words.not_tests),
        qualifiers=tuple(words.folded(words.qualifiers)),
    )


def match_name(kb: KnowledgeBase, name: str) -> NameMatch | None:
    return _index(kb).match(name)
