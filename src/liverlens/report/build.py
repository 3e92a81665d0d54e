"""Assemble a ``Report`` from a checked case and its row of findings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from liverlens.engine.reasoning import reason
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase
from liverlens.report import clinical_sections as clinical
from liverlens.report.model import AnalyteFinding, Report
from liverlens.report.render.charts import CHART_WORDS
from liverlens.report.render.values import WORDS as VALUES_WORDS
from liverlens.report.sections import report_title, sections
from liverlens.vocabulary import Grade, Pattern, Status

# the words renderers need beyond the sections: list headings, the values box, the chart
CHROME = (
    "heading.sources",
    "heading.disclaimer",
    "source.reviewed_by",
    "source.file",
    *VALUES_WORDS,
    *CHART_WORDS,
    *(f"status.{s}" for s in Status),
    "status.unknown",
)


def build_report(
    kb: KnowledgeBase,
    case: Case,
    row: Mapping[str, Any],
    trend: Mapping[str, Any] | None = None,
    series: list[dict[str, Any]] | None = None,
) -> Report:
    lang = case.language
    reasoning = reason(kb, case, row)
    built = sections(kb, case, row, reasoning, trend)
    cited: list[str] = []
    for section in built:
        cited += [s for s in section.source_ids() if s not in cited]
    extra = [s for c in reasoning.causes for s in c.sources]
    cited += [s for s in dict.fromkeys(extra) if s not in cited]
    analytes = {
        a: AnalyteFinding(
            value=lab.value,
            unit=lab.unit,
            upper_limit=row[f"{a}_uln"],
            lower_limit=row[f"{a}_lln"],
            limit_source=row[f"{a}_limit_source"],
            fold_uln=row[f"{a}_fold"],
            status=None if row[f"{a}_status"] is None else Status(row[f"{a}_status"]),
            given_value=lab.raw_value,
            given_unit=lab.raw_unit,
            comparator=lab.comparator,
        )
        for a in kb.analytes
        if (lab := case.labs.get(a)) is not None
    }
    disclaimer = kb.text("disclaimer")
    return Report(
        language=lang,
        language_tag=kb.language_tag(lang),
        reference=case.reference,
        collected_on=case.collected_on,
        title=report_title(kb, case, row, reasoning),
        analytes=analytes,
        alt_grade=None if row["alt_grade"] is None else Grade(row["alt_grade"]),
        ast_alt_ratio=row["ast_alt_ratio"],
        r_ratio=row["r_ratio"],
        pattern=None if row["pattern"] is None else Pattern(row["pattern"]),
        enzyme_reading=row["enzyme_reading"],
        alt_above_healthy_limit=bool(row["alt_above_healthy"]),
        names={c: kb.causes[c].name.get(lang) for c in kb.causes},
        analyte_names={a: kb.analytes[a].short.get(lang) for a in kb.analytes},
        scores=clinical.scores_output(kb, row),
        trend=clinical.trend_output(trend),
        medications=tuple(clinical.medicines_output(case)),
        series=tuple(series or ()),
        reasoning=reasoning,
        sections=tuple(built),
        sources=tuple(kb.sources[s] for s in cited),
        disclaimer=disclaimer.text.get(lang),
        words={w: kb.text(w).text.get(lang) for w in CHROME},
    )
