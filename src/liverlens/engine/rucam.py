"""Medicine timing and the updated RUCAM (Danan & Teschke 2016), per medicine with dates.

A temporal link is the strongest thing a person can tell us about a medicine: injury that
began 5 to 90 days after starting it fits; injury that began before it, or long after it was
stopped, rules it out. ``timing_column`` gives the engine that link as one column (the best
among the dated medicines) so cause ranking can weigh it; ``assess`` scores RUCAM item by item
for the report, the way a clinician would on a calculator, saying which items lack
information. Points, windows and bands live in ``rucam.yaml``; nothing here is a number of
its own.

The date of onset is the first raised test of the current run (``first_elevated_on`` from the
trend), else the date of this panel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from liverlens.engine.columns import CATEGORY_ORDER
from liverlens.engine.predicates import column
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.medicines import MedicineMatch
from liverlens.vocabulary import Pattern

HEPATOCELLULAR, CHOLESTATIC = "hepatocellular", "cholestatic"
LINKED = ("fits", "early_or_late", "after_stopping")


@dataclass(frozen=True)
class RucamLine:
    item: str
    outcome: str
    points: int
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RucamResult:
    """RUCAM for one medicine: its items, the total so far, the band, and the range the
    total could reach once the doctor has scored the alternative causes (item 5)."""

    given: str
    medicine_id: str | None
    version: str  # "hepatocellular" or "cholestatic" (also used for the mixed pattern)
    lines: tuple[RucamLine, ...]
    total: int
    band: str
    low: int
    high: int
    unrelated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "medicine": self.given,
            "matched": self.medicine_id,
            "version": self.version,
            "items": [
                {"item": ln.item, "finding": ln.outcome, "points": ln.points} for ln in self.lines
            ],
            "total": self.total,
            "range": [self.low, self.high],
            "band": self.band,
            "unrelated": self.unrelated,
        }


def onset_date(case: Case, trend: Mapping[str, Any] | None, day: date | None) -> date | None:
    """The first raised test of the current run, else the date of this panel."""
    first = (trend or {}).get("first_elevated_on")
    return first if isinstance(first, date) else (case.collected_on or day)


def _window(kb: KnowledgeBase, name: str) -> float:
    return kb.rucam.windows[name]


def onset_outcome(
    kb: KnowledgeBase, m: MedicineMatch, onset: date | None, version: str = HEPATOCELLULAR
) -> tuple[str, int | None]:
    """RUCAM item 1 for one medicine: (outcome id, days) from its dates and the onset."""
    if onset is None or m.started_on is None:
        return "no_dates", None
    from_start = (onset - m.started_on).days
    if from_start < 0:
        return "unrelated", None  # the rise came first
    if m.stopped_on is not None and m.stopped_on < onset:
        after = (onset - m.stopped_on).days
        limit = (
            "after_stop_cholestatic_days"
            if version == CHOLESTATIC
            else ("after_stop_hepatocellular_days")
        )
        return ("after_stopping", after) if after <= _window(kb, limit) else ("unrelated", None)
    low, high = _window(kb, "onset_from_days"), _window(kb, "onset_up_to_days")
    return ("fits" if low <= from_start <= high else "early_or_late"), from_start


def timing_column(kb: KnowledgeBase, case: Case, onset: date | None) -> str | None:
    """The best temporal link among the dated medicines, for cause ranking: "fits" (started
    5-90 days before onset and taken until then, or stopped within the window), "compatible"
    (earlier or later than that), "incompatible" (ruled out by the dates), or None."""
    found = [onset_outcome(kb, m, onset)[0] for m in case.medicines or ()]
    if "fits" in found:
        return "fits"
    if "early_or_late" in found or "after_stopping" in found:
        return "compatible"
    if "unrelated" in found:
        return "incompatible"
    return None


def _version(row: Mapping[str, Any]) -> str:
    pattern = row.get("pattern")
    if pattern == Pattern.HEPATOCELLULAR.value:
        return HEPATOCELLULAR
    if pattern in (Pattern.CHOLESTATIC.value, Pattern.MIXED.value):
        return CHOLESTATIC
    return (
        CHOLESTATIC
        if row.get("alp_status") == "high" and row.get("alt_status") != "high"
        else (HEPATOCELLULAR)
    )


def _series(case: Case, analyte: str, day: date | None) -> list[tuple[date, float]]:
    points = [(d, labs[analyte].value) for d, labs in case.history if analyte in labs]
    when = case.collected_on or day
    if analyte in case.labs and when is not None:
        points.append((when, case.labs[analyte].value))
    return sorted(points)


def course_outcome(
    kb: KnowledgeBase,
    m: MedicineMatch,
    version: str,
    case: Case,
    row: Mapping[str, Any],
    day: date | None,
) -> str:
    """RUCAM item 2: how ALT (or ALP) fell from its peak toward the limit after stopping."""
    if m.stopped_on is None:
        return "still_taking"
    analyte = "alt" if version == HEPATOCELLULAR else "alp"
    uln = row.get(f"{analyte}_uln")
    series = _series(case, analyte, day)
    before = [v for d, v in series if d <= m.stopped_on]
    after = [(d, v) for d, v in series if d > m.stopped_on]
    if not before or not after or uln is None or max(before) <= uln:
        return "no_results"
    peak = max(before)
    halve = _window(kb, "course_fall_percent") / 100

    def fell(value: float) -> bool:
        return bool((peak - value) / (peak - uln) >= halve)

    if version == CHOLESTATIC:
        window = _window(kb, "course_cholestatic_days")
        inside = [v for d, v in after if (d - m.stopped_on).days <= window]
        if not inside:
            return "no_results"
        return "alp_fall" if any(fell(v) for v in inside) else "alp_some_fall"
    values = [v for _, v in after]
    if any(later > earlier for earlier, later in pairwise(values)):
        return "no_fall"  # a recurrent rise
    for limit, outcome in (("course_fast_days", "fast_fall"), ("course_days", "fall")):
        if any(fell(v) and (d - m.stopped_on).days <= _window(kb, limit) for d, v in after):
            return outcome
    late = [(d, v) for d, v in after if (d - m.stopped_on).days > _window(kb, "course_days")]
    if any(fell(v) for _, v in late):
        return "late_fall"
    return "no_fall" if late else "no_results"


def _known(m: MedicineMatch) -> tuple[str, dict[str, str]]:
    med = m.medicine
    if med is None or med.livertox in ("E", "E*", "X"):
        return "unknown", {}
    outcome = "labelled" if CATEGORY_ORDER.index(med.livertox) <= 1 else "published"
    return outcome, {"category": med.livertox}


def _concomitant(
    kb: KnowledgeBase, m: MedicineMatch, others: Sequence[MedicineMatch], onset: date | None
) -> tuple[str, dict[str, str]]:
    linked = [o for o in others if onset_outcome(kb, o, onset)[0] in LINKED]
    if linked:
        names = ", ".join(o.given for o in linked)
        harmful = any(
            o.medicine is not None
            and not o.medicine.high_dose_only
            and CATEGORY_ORDER.index(o.medicine.livertox) <= 1
            for o in linked
        )
        return ("hepatotoxin" if harmful else "compatible"), {"names": names}
    undated = [o for o in others if o.started_on is None]
    if undated:
        return "undated", {"names": ", ".join(o.given for o in undated)}
    return "none", {}


def assess(
    kb: KnowledgeBase,
    case: Case,
    row: Mapping[str, Any],
    onset: date | None,
    day: date | None = None,
) -> tuple[RucamResult, ...]:
    """RUCAM for every medicine given with a start date, when there is an injury to score."""
    dated = [m for m in case.medicines or () if m.started_on is not None]
    if not dated or not row.get(column("liver_tests_raised")):
        return ()
    version = _version(row)
    defs = kb.rucam
    out: list[RucamResult] = []
    for m in dated:
        onset_id, days = onset_outcome(kb, m, onset, version)
        lines = [RucamLine("onset", onset_id, 0, {"days": str(days) if days is not None else "?"})]
        lines.append(RucamLine("course", course_outcome(kb, m, version, case, row, day), 0))
        alcohol = bool(row.get(column("alcohol_above_risk")))
        lines.append(RucamLine("risk_alcohol", "present" if alcohol else "absent", 0))
        old = case.person.age is not None and case.person.age >= _window(kb, "risk_age_from")
        lines.append(RucamLine("risk_age", "present" if old else "absent", 0))
        if version == CHOLESTATIC:
            lines.append(
                RucamLine("risk_pregnancy", "present" if case.person.pregnant else "absent", 0)
            )
        others = [o for o in case.medicines or () if o is not m]
        outcome, values = _concomitant(kb, m, others, onset)
        lines.append(RucamLine("concomitant", outcome, 0, values))
        lines.append(RucamLine("alternatives", "not_assessed", 0))
        outcome, values = _known(m)
        lines.append(RucamLine("known_hepatotoxicity", outcome, 0, values))
        lines.append(RucamLine("rechallenge", "not_done", 0))
        scored = tuple(
            RucamLine(ln.item, ln.outcome, defs.item(ln.item).outcome(ln.outcome).points, ln.values)
            for ln in lines
        )
        total = sum(ln.points for ln in scored)
        unrelated = onset_id == "unrelated"
        low, high = defs.not_assessed_range
        band = "excluded" if unrelated else defs.band(total).id
        out.append(
            RucamResult(
                given=m.given,
                medicine_id=None if m.medicine is None else m.medicine.id,
                version=version,
                lines=scored,
                total=total,
                band=band,
                low=total + low,
                high=total + high,
                unrelated=unrelated,
            )
        )
    return tuple(out)
