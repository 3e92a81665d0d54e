"""The clinician-facing parts of the report: scores, serial results, work-up and medicines.

Each function returns the section (or ``None`` when it has nothing to say) and the matching
piece of the JSON output, both built from the same row of findings so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from liverlens.engine.columns import comparator
from liverlens.engine.reasoning import Reasoning
from liverlens.engine.statements import Statement
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import ScoreDef
from liverlens.report.document import Block, Bullets, Paragraph, Section

if TYPE_CHECKING:
    from liverlens.report.writer import Writer

Row = Mapping[str, Any]


def _input_label(kb: KnowledgeBase, column: str, lang: str) -> str:
    """An input as a phrase inside a sentence: "platelet count", "your age"."""
    if column in kb.analytes:
        return kb.analytes[column].name.get(lang)
    return kb.say(f"input.{column}", lang)


def _missing(score: ScoreDef, row: Row) -> list[str]:
    return [c for c in score.inputs if row.get(c) is None]


def _bounds(score: ScoreDef, row: Row) -> list[str]:
    """Inputs given only as a bound ("<5"): the score needs them exactly."""
    return [c for c in score.inputs if row.get(comparator(c)) is not None]


# columns a score reports beside its value: MELD before the sodium adjustment; FIB-4's caveat
EXTRA_FIELDS = {"meld": ("meld",), "fib4": ("fib4_age_caveat",)}


def scores_output(kb: KnowledgeBase, row: Row) -> dict[str, dict[str, Any]]:
    """``scores.<id>``: value, band or class, inputs used, what is missing, sources."""
    out: dict[str, dict[str, Any]] = {}
    for score in kb.scores.values():
        value = row.get(score.value)
        entry: dict[str, Any] = {
            "value": value,
            "inputs_used": {c: row.get(c) for c in score.inputs if row.get(c) is not None},
            "needs": _missing(score, row) if value is None else [],
            "sources": list(score.sources),
        }
        if value is None and _bounds(score, row):
            entry["needs_exact"] = _bounds(score, row)
        if score.band is not None:
            entry[score.band_key] = row.get(score.band)
        if score.fibrosis and value is not None and row.get("fibrosis_not_valid"):
            entry["not_valid"] = row["fibrosis_not_valid"]
        for extra in EXTRA_FIELDS.get(score.id, ()):
            key = "age_caveat" if extra == "fib4_age_caveat" else extra
            entry[key] = bool(row.get(extra)) if key == "age_caveat" else row.get(extra)
        out[score.id] = entry
    return out


def scores_section(kb: KnowledgeBase, case: Case, row: Row, w: Writer) -> Section | None:
    lang = case.language
    said: list[Statement] = []
    needs: list[Statement] = []
    for score in kb.scores.values():
        value = row.get(score.value)
        name = score.name.get(lang)
        if value is None and _bounds(score, row) and row.get("any_abnormal"):
            joined = w.join([_input_label(kb, c, lang) for c in _bounds(score, row)])
            needs.append(w.say("scores.needs_exact", score.sources[:1], score=name, inputs=joined))
            continue
        if value is None:
            missing = _missing(score, row)
            given = [c for c in score.inputs if c not in missing]
            mostly_given = len(given) * 2 >= len(score.inputs)
            if missing and (score.show_needs or mostly_given) and row.get("any_abnormal"):
                joined = w.join([_input_label(kb, c, lang) for c in missing])
                needs.append(w.say("scores.needs", score.sources[:1], score=name, inputs=joined))
            continue
        band = row.get(score.band) if score.band else None
        shown = w.number(value) if isinstance(value, float) else str(value)
        invalid = row.get("fibrosis_not_valid") if score.fibrosis else None
        if invalid:
            said.append(w.say(f"scores.not_valid.{invalid}", score.sources, name=name, value=shown))
            continue
        if band is None:
            about = score.about.get(lang)
            said.append(
                w.say("scores.cirrhosis_only", score.sources, name=name, value=shown, about=about)
            )
            continue
        said.append(
            w.say(
                "scores.value",
                score.sources,
                name=name,
                value=shown,
                band=score.bands[band].get(lang),
            )
        )
        if score.id == "fib4":
            caveat = w.first("scores.fib4_young", "scores.fib4_older")
            said += [caveat] if caveat else []
    if not said and not needs:
        return None
    blocks: list[Block] = []
    if said:
        blocks.append(Bullets(tuple(said)))
    if needs:
        blocks.append(Bullets(tuple(needs)))
    return Section("scores", kb.say("heading.scores", lang), tuple(blocks))


def trend_output(stats: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if stats is None:
        return None

    def iso(d: object) -> object:
        return d.isoformat() if isinstance(d, date) else d

    keys = (
        "direction",
        "persistent",
        "months_elevated",
        "first_elevated_on",
        "change_percent",
        "significant_change",
        "normalised",
        "n_results",
        "latest_on",
        "previous_on",
    )
    return {k: iso(stats[k]) for k in keys}


def trend_section(
    kb: KnowledgeBase, case: Case, stats: Mapping[str, Any] | None, w: Writer
) -> Section | None:
    if stats is None:
        return None
    lang = case.language
    said: list[Statement] = []
    history_alt = [labs["alt"].value for _, labs in case.history if "alt" in labs]
    if stats["change_percent"] is not None and history_alt:
        said.append(
            w.say(
                "trend.change",
                previous=w.number(history_alt[-1], 1),
                previous_on=stats["previous_on"].isoformat(),
                latest=w.number(case.labs["alt"].value, 1) if "alt" in case.labs else "?",
                latest_on=stats["latest_on"].isoformat(),
                change_percent=w.number(stats["change_percent"], 1),
            )
        )
        if stats["significant_change"]:
            said.append(
                w.say(
                    "trend.significant", direction=kb.say(f"direction.{stats['direction']}", lang)
                )
            )
        else:
            said.append(w.say("trend.not_significant"))
    if stats["persistent"]:
        said.append(
            w.say(
                "trend.persistent",
                first_elevated_on=stats["first_elevated_on"].isoformat(),
                months_elevated=w.number(stats["months_elevated"], 0),
            )
        )
    elif (
        stats["first_elevated_on"] is not None and stats["first_elevated_on"] != stats["latest_on"]
    ):
        said.append(
            w.say(
                "trend.raised_not_yet_persistent",
                first_elevated_on=stats["first_elevated_on"].isoformat(),
                months_elevated=w.number(stats["months_elevated"], 0),
            )
        )
    if stats["normalised"]:
        said.append(w.say("trend.normalised"))
    if not said:
        return None
    return Section("trend", kb.say("heading.trend", lang), (Paragraph(tuple(said)),))


def workup_section(
    kb: KnowledgeBase, case: Case, reasoning: Reasoning, w: Writer
) -> Section | None:
    """The tests a doctor may arrange, one line per reason they are done (workup groups)."""
    if not reasoning.workup:
        return None
    now = [t for t in reasoning.workup if t.timing == "now"]
    later = [t for t in reasoning.workup if t.timing != "now"]

    def grouped(items: list[Any]) -> Bullets:
        lines = []
        for group_id, group in kb.workup_groups.items():
            tests = [t for t in items if t.group == group_id]
            if not tests:
                continue
            lines.append(
                w.say(
                    "workup.group",
                    (*group.sources, *(s for t in tests for s in t.statement.sources)),
                    group=group.name.get(case.language),
                    tests=kb.say("join.comma", case.language).join(t.name for t in tests),
                    reason=group.reason.get(case.language),
                )
            )
        return Bullets(tuple(lines))

    blocks: list[Block] = []
    if now:
        blocks += [Paragraph((w.say("workup.intro_now"),)), grouped(now)]
    if later:
        blocks += [Paragraph((w.say("workup.intro_deferred"),)), grouped(later)]
    return Section("workup", kb.say("heading.workup", case.language), tuple(blocks))


def medicines_output(case: Case) -> list[dict[str, Any]]:
    out = []
    for m in case.medicines or ():
        med = m.medicine
        out.append(
            {
                "given": m.given,
                "matched": None if med is None else med.id,
                "name": None if med is None else med.names[0],
                "livertox": None if med is None else med.livertox,
                "high_dose_only": None if med is None else med.high_dose_only,
                "pattern": None if med is None else med.pattern,
                "patterns": None if med is None else list(med.patterns),
                "livertox_record": None if med is None else med.livertox_record,
                "checked_on": None
                if med is None or med.checked_on is None
                else med.checked_on.isoformat(),
                "started_on": None if m.started_on is None else m.started_on.isoformat(),
                "stopped_on": None if m.stopped_on is None else m.stopped_on.isoformat(),
                "fuzzy_match": m.fuzzy,
            }
        )
    return out


def _rucam_lines(kb: KnowledgeBase, result: Any, w: Writer) -> list[Statement]:
    defs, lang = kb.rucam, w.lang
    name = result.given
    if result.unrelated:
        return [w.say("medicines.rucam_unrelated", defs.sources, name=name)]
    version = w.word(f"label.rucam_{result.version}")
    band = defs.band(result.total).name.get(lang)
    said = [
        w.say(
            "medicines.rucam",
            defs.sources,
            name=name,
            version=version,
            total=result.total,
            band=band,
            low=result.low,
            high=result.high,
        )
    ]
    for line in result.lines:
        item = defs.item(line.item)
        finding = item.outcome(line.outcome).text.get(lang).format(**line.values)
        points = f"{line.points:+d}" if line.points else "0"
        said.append(
            Statement(
                w.word("label.rucam_item", item=item.name.get(lang), finding=finding, points=points)
            )
        )
    return said


def medicines_section(
    kb: KnowledgeBase, case: Case, reasoning: Reasoning, w: Writer
) -> Section | None:
    if not case.medicines:
        return None
    lang = case.language
    said: list[Statement] = []
    unmatched: list[str] = []
    for m in case.medicines:
        med = m.medicine
        if med is None:
            unmatched.append(m.given)
            continue
        display = med.display_name(lang)
        patterns = kb.say("join.comma", lang).join(
            kb.say(f"pattern_name.{p}", lang) for p in med.patterns
        )
        said.append(
            w.say(
                "medicines.match",
                med.sources,
                name=display,
                category=med.livertox + (" [HD]" if med.high_dose_only else ""),
                meaning=kb.say(f"livertox.{med.livertox}", lang),
                pattern=patterns,
                latency=med.latency.get(lang),
            )
        )
        if med.high_dose_only:
            said.append(w.say("medicines.high_dose", med.sources, name=display))
    if unmatched:
        said.append(w.say("medicines.unmatched", names=kb.say("join.comma", lang).join(unmatched)))
    blocks: list[Block] = [Bullets(tuple(said))]
    for result in reasoning.rucam:
        lines = _rucam_lines(kb, result, w)
        head, items = tuple(lines[:1]), tuple(lines[1:])
        blocks += [Paragraph(head), Bullets(items)] if items else [Paragraph(head)]
    return Section("medicines", kb.say("heading.medicines", lang), tuple(blocks))
