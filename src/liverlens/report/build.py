"""Assemble a ``Report`` from a checked case and its row of findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from liverlens.engine.reasoning import reason
from liverlens.engine.statements import SOURCE_RANK, Statement
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase
from liverlens.report import clinical_sections as clinical
from liverlens.report.document import Block, Bullets, Entry, Paragraph, Part, Section
from liverlens.report.model import AnalyteFinding, Report
from liverlens.report.render.charts import CHART_WORDS
from liverlens.report.render.values import WORDS as VALUES_WORDS
from liverlens.report.sections import report_title, sections
from liverlens.vocabulary import Grade, Pattern, Status

# the words renderers need beyond the sections: list headings, the values box, the chart
CHROME = (
    "heading.sources",
    "heading.disclaimer",
    "heading.more_detail",
    "label.card_details",
    "source.reviewed_by",
    "source.unlinked",
    *VALUES_WORDS,
    *CHART_WORDS,
    *(f"status.{s}" for s in Status),
    "status.unknown",
)


PER_SENTENCE = 2  # citations a report sentence keeps: enough to check it, few enough to read
NAMED_IN_TABLE = {"text:numbers.preset"}


def _rebacked(
    statement: Statement, used: list[str], rank: Mapping[str, tuple[int, int]]
) -> Statement:
    """The statement backed by at most two of its own sources. A source new to the report
    is added only when none the report already cites backs the sentence; sources cited
    often across the report come first, then guidelines before studies, references and
    articles. The source list stays short, every sentence is still backed only by sources
    that support it, and the JSON keeps every source of a cause."""
    if statement.ref in NAMED_IN_TABLE:  # it names the sources the table's limits came from
        used += [s for s in statement.sources if s not in used]
        return statement
    ordered = sorted(statement.sources, key=lambda s: (s not in used, rank[s]))
    known = [s for s in ordered if s in used]
    keep = known[:PER_SENTENCE] if known else ordered[:1]
    kept = tuple(s for s in statement.sources if s in keep)
    used += [s for s in kept if s not in used]
    return Statement(statement.text, kept, statement.ref)


def _statements(built: list[Section]) -> list[Statement]:
    return [st for sec in built for st in sec.statements()]


def budget_citations(kb: KnowledgeBase, built: list[Section]) -> list[Section]:
    """Every statement of the sections, in reading order, with its citations budgeted."""
    used: list[str] = []
    counts = Counter(s for st in _statements(built) for s in st.sources)
    rank = {s: (-counts[s], SOURCE_RANK[src.kind]) for s, src in kb.sources.items()}

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return Paragraph(tuple(_rebacked(st, used, rank) for st in b.statements))
        if isinstance(b, Bullets):
            return Bullets(tuple(_rebacked(st, used, rank) for st in b.items))
        if isinstance(b, Entry):
            title = _rebacked(Statement(b.title, b.sources, b.ref), used, rank)

            def parts(given: tuple[Part, ...]) -> tuple[Part, ...]:
                return tuple(
                    replace(p, statements=tuple(_rebacked(st, used, rank) for st in p.statements))
                    for p in given
                )

            card = parts(b.parts)  # the card before its details: citations in reading order
            return replace(b, parts=card, details=parts(b.details), sources=title.sources)
        return b

    return [replace(sec, blocks=tuple(block(b) for b in sec.blocks)) for sec in built]


def build_report(
    kb: KnowledgeBase,
    case: Case,
    row: Mapping[str, Any],
    trend: Mapping[str, Any] | None = None,
    series: list[dict[str, Any]] | None = None,
    onset: date | None = None,
    day: date | None = None,
) -> Report:
    lang = case.language
    reasoning = reason(kb, case, row, onset, day)
    built = budget_citations(kb, sections(kb, case, row, reasoning, trend))
    cited: list[str] = []
    for section in built:
        cited += [s for s in section.source_ids() if s not in cited]
    listed = len(cited)
    # the JSON's evidence trail names more (every source of a cause, a rule, a step): they
    # follow the cited ones, so the JSON resolves every id it gives and numbering is unchanged
    trail = [s for c in reasoning.causes for s in c.sources]
    trail += [
        s for c in reasoning.causes for st in c.reasons_for + c.reasons_against for s in st.sources
    ]
    trail += [s for r in reasoning.urgency_reasons for s in r.statement.sources]
    trail += [s for st in reasoning.next_steps for s in st.statement.sources]
    trail += [s for a in reasoning.advice for s in a.statement.sources]
    trail += [s for w in reasoning.workup for s in w.statement.sources]
    trail += [s for score in kb.scores.values() for s in score.sources]
    trail += [s for r in reasoning.rucam for s in kb.rucam.sources]
    cited += [s for s in dict.fromkeys(trail) if s not in cited]
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
        listed=listed,
        disclaimer=disclaimer.text.get(lang),
        words={w: kb.text(w).text.get(lang) for w in CHROME},
    )
