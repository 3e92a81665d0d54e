"""The clinician-facing parts of the report: scores, serial results, work-up and medicines.

Each function returns the section (or ``None`` when it has nothing to say) and the matching
piece of the JSON output, both built from the same row of findings so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from liverlens.engine.columns import comparator
from liverlens.engine.reasoning import Reasoning, Statement, number
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import ScoreDef
from liverlens.report.document import Bullets, Paragraph, Section

Row = Mapping[str, Any]
FIBROSIS_SCORES = ("fib4", "apri", "nfs", "bard")


def _input_label(kb: KnowledgeBase, column: str, lang: str) -> str:
    if column in kb.analytes:
        return kb.analytes[column].short.get(lang)
    return kb.say(f"input.{column}", lang)


def _missing(score: ScoreDef, row: Row) -> list[str]:
    return [c for c in score.inputs if row.get(c) is None]


def _bounds(score: ScoreDef, row: Row) -> list[str]:
    """Inputs given only as a bound ("<5"): the score needs them exactly."""
    return [c for c in score.inputs if row.get(comparator(c)) is not None]


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
            entry["class" if score.id == "child_pugh" else "band"] = row.get(score.band)
        if score.id in FIBROSIS_SCORES and value is not None and row.get("scores_acute"):
            entry["not_valid"] = "acute_rise"
        if score.id == "meld":
            entry["meld"] = row.get("meld")
        if score.id == "fib4":
            entry["age_caveat"] = bool(row.get("fib4_age_caveat"))
        out[score.id] = entry
    return out


def scores_section(kb: KnowledgeBase, case: Case, row: Row, say: Any) -> Section | None:
    lang = case.language
    said: list[Statement] = []
    needs: list[Statement] = []
    for score in kb.scores.values():
        value = row.get(score.value)
        if value is None and _bounds(score, row) and row.get("any_abnormal"):
            labels = [_input_label(kb, c, lang) for c in _bounds(score, row)]
            joined = kb.say("join.comma", lang).join(labels)
            needs.append(
                say("scores.needs_exact", score.sources, score=score.name.get(lang), inputs=joined)
            )
            continue
        if value is None:
            missing = _missing(score, row)
            given = [c for c in score.inputs if c not in missing]
            mostly_given = len(given) * 2 >= len(score.inputs)
            if missing and (score.show_needs or mostly_given) and row.get("any_abnormal"):
                labels = [_input_label(kb, c, lang) for c in missing]
                joined = kb.say("join.comma", lang).join(labels)
                needs.append(
                    say("scores.needs", score.sources, score=score.name.get(lang), inputs=joined)
                )
            continue
        band = row.get(score.band) if score.band else None
        shown = number(value) if isinstance(value, float) else str(value)
        if score.id in FIBROSIS_SCORES and row.get("scores_acute"):
            said.append(say("scores.acute", score.sources, name=score.name.get(lang), value=shown))
            continue
        if band is None:
            said.append(
                say(
                    "scores.cirrhosis_only",
                    score.sources,
                    name=score.name.get(lang),
                    value=shown,
                    about=score.about.get(lang),
                )
            )
            continue
        said.append(
            say(
                "scores.value",
                score.sources,
                name=score.name.get(lang),
                value=shown,
                band=score.bands[band].get(lang),
            )
        )
        if score.id == "fib4" and row.get("fib4_age_caveat"):
            said.append(say("scores.fib4_young"))
        elif (
            score.id == "fib4"
            and row.get("age") is not None
            and row["age"] >= kb.threshold("fib4_older_age_from")
        ):
            said.append(say("scores.fib4_older"))
    if not said and not needs:
        return None
    blocks: list[Bullets | Paragraph] = []
    if said:
        blocks.append(Bullets(tuple(said)))
    if needs:
        blocks.append(Paragraph(tuple(needs)))
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
    kb: KnowledgeBase, case: Case, stats: Mapping[str, Any] | None, say: Any
) -> Section | None:
    if stats is None:
        return None
    lang = case.language
    said: list[Statement] = []
    history_alt = [labs["alt"].value for _, labs in case.history if "alt" in labs]
    if stats["change_percent"] is not None and history_alt:
        said.append(
            say(
                "trend.change",
                previous=number(history_alt[-1], 1),
                previous_on=stats["previous_on"].isoformat(),
                latest=number(case.labs["alt"].value, 1) if "alt" in case.labs else "?",
                latest_on=stats["latest_on"].isoformat(),
                change_percent=number(stats["change_percent"], 1),
            )
        )
        if stats["significant_change"]:
            said.append(
                say("trend.significant", direction=kb.say(f"direction.{stats['direction']}", lang))
            )
        else:
            said.append(say("trend.not_significant"))
    if stats["persistent"]:
        said.append(
            say(
                "trend.persistent",
                first_elevated_on=stats["first_elevated_on"].isoformat(),
                months_elevated=number(stats["months_elevated"], 0),
            )
        )
    elif (
        stats["first_elevated_on"] is not None and stats["first_elevated_on"] != stats["latest_on"]
    ):
        said.append(
            say(
                "trend.raised_not_yet_persistent",
                first_elevated_on=stats["first_elevated_on"].isoformat(),
                months_elevated=number(stats["months_elevated"], 0),
            )
        )
    if stats["normalised"]:
        said.append(say("trend.normalised"))
    if not said:
        return None
    return Section("trend", kb.say("heading.trend", lang), (Paragraph(tuple(said)),))


def workup_section(kb: KnowledgeBase, case: Case, reasoning: Reasoning, say: Any) -> Section | None:
    if not reasoning.workup:
        return None
    lang = case.language
    now = [w for w in reasoning.workup if w.timing == "now"]
    later = [w for w in reasoning.workup if w.timing != "now"]

    def items(group: list[Any]) -> Bullets:
        return Bullets(
            tuple(
                say("workup.item", w.statement.sources, name=w.name, reason=w.statement.text)
                for w in group
            )
        )

    blocks: list[Any] = []
    if now:
        blocks += [Paragraph((say("workup.intro_now"),)), items(now)]
    if later:
        blocks += [Paragraph((say("workup.intro_deferred"),)), items(later)]
    return Section("workup", kb.say("heading.workup", lang), tuple(blocks))


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
                "fuzzy_match": m.fuzzy,
            }
        )
    return out


def medicines_section(kb: KnowledgeBase, case: Case, say: Any) -> Section | None:
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
        said.append(
            say(
                "medicines.match",
                med.sources,
                name=display,
                category=med.livertox + (" [HD]" if med.high_dose_only else ""),
                meaning=kb.say(f"livertox.{med.livertox}", lang),
                pattern=kb.say(f"pattern_name.{med.pattern}", lang),
                latency=med.latency.get(lang),
            )
        )
        if med.high_dose_only:
            said.append(say("medicines.high_dose", med.sources, name=display))
    if unmatched:
        said.append(say("medicines.unmatched", names=kb.say("join.comma", lang).join(unmatched)))
    return Section("medicines", kb.say("heading.medicines", lang), (Bullets(tuple(said)),))
