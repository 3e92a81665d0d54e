"""Compose the article the seeds model, for one person, from findings and reasoning.

Order follows the seed articles with one safety change: anything urgent comes first. Then the
short answer, what each number means, how to read ALT beside AST, the ranked causes (why, what
happens in the body, what to do, when to retest, what a doctor may prescribe), next steps, when
to see a doctor and daily life. Every sentence comes from the knowledge files with its sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from liverlens.engine.columns import comparator
from liverlens.engine.reasoning import CauseFinding, Reasoning, Statement, bounded, number
from liverlens.errors import KnowledgeError
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase, Language
from liverlens.report import clinical_sections as clinical
from liverlens.report.document import Block, Bullets, Entry, Paragraph, Part, Section, Table
from liverlens.vocabulary import Grade, Likelihood, Status, Urgency

Row = Mapping[str, Any]


class _Writer:
    """Small helper binding the knowledge base, language and placeholder values."""

    def __init__(self, kb: KnowledgeBase, lang: Language, values: dict[str, str]) -> None:
        self.kb, self.lang, self.values = kb, lang, values

    def say(self, text_id: str, sources: tuple[str, ...] = (), **extra: object) -> Statement:
        """A statement from texts.yaml; ``sources`` back texts marked ``sourced_at_use``."""
        phrase = self.kb.text(text_id)
        if phrase.sourced_at_use and not sources:
            raise KnowledgeError(f"text {text_id} must be given its sources where it is used")
        text = self.kb.say(text_id, self.lang, **{**self.values, **extra})
        return Statement(text, sources or phrase.sources)

    def word(self, text_id: str) -> str:
        return self.kb.say(text_id, self.lang)

    def join(self, items: list[str]) -> str:
        """``a, b and c`` in the report's language."""
        if len(items) < 2:
            return "".join(items)
        return self.word("join.comma").join(items[:-1]) + self.word("join.and") + items[-1]

    def section(self, section_id: str, blocks: list[Block]) -> Section:
        return Section(section_id, self.word(f"heading.{section_id}"), tuple(blocks))


def inline(name: str) -> str:
    """A cause name inside a sentence: "Hepatitis B" -> "hepatitis B", acronyms kept."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def backing(causes: list[CauseFinding]) -> tuple[str, ...]:
    """The sources behind naming these causes: the evidence that made them fit."""
    ids = [s for c in causes for st in c.reasons_for for s in st.sources]
    return tuple(dict.fromkeys(ids or [s for c in causes for s in c.sources]))


def _given(kb: KnowledgeBase, case: Case) -> list[str]:
    return [a for a in kb.analytes if a in case.labs]


def title(w: _Writer, row: Row) -> str:
    if row["alt"] is None:
        return w.say("title.no_alt").text
    if row["alt_status"] is None:  # a bound ("<50") that does not settle it
        return w.say("title.alt_bound").text
    return w.say("title.alt_high" if row["alt_status"] == Status.HIGH else "title.alt_normal").text


def _abnormal_others(kb: KnowledgeBase, case: Case, row: Row) -> list[str]:
    return [
        kb.analytes[a].short.get(case.language)
        for a in _given(kb, case)
        if a != "alt" and row[f"{a}_status"] in kb.analytes[a].abnormal_when
    ]


def _urgent(w: _Writer, reasoning: Reasoning) -> Section | None:
    flags = [r.statement for r in reasoning.urgency_reasons if r.level == Urgency.URGENT]
    if not flags:
        return None
    return w.section("urgent", [Bullets(tuple(flags)), Paragraph((w.say("see_doctor.urgent"),))])


def _summary(w: _Writer, case: Case, row: Row, reasoning: Reasoning) -> Section:
    kb = w.kb
    grade = row["alt_grade"]
    if grade:
        said = [w.say(f"summary.grade.{grade}")]
    else:
        said = [w.say("summary.no_alt" if row["alt"] is None else "summary.alt_bound")]
    others = _abnormal_others(kb, case, row)
    if others:
        which = {
            Status.HIGH: "summary.also_abnormal",
            Status.NORMAL: "summary.others_abnormal",
        }.get(row["alt_status"], "summary.abnormal_without_alt")
        said.append(w.say(which, analytes=", ".join(others)))
    considered = [c for c in reasoning.causes if c.likelihood >= Likelihood.POSSIBLE]
    likely = [c for c in considered if c.likelihood == Likelihood.LIKELY]
    if likely:
        top = kb.causes[likely[0].id]
        if len(likely) == 1:
            said.append(
                w.say("summary.top_cause", backing(likely[:1]), cause=inline(top.name.get(w.lang)))
            )
        else:
            names = [inline(kb.causes[c.id].name.get(w.lang)) for c in likely[:3]]
            said.append(w.say("summary.top_causes", backing(likely[:3]), causes=w.join(names)))
        if top.kind == "physiological":
            said.append(w.say("summary.transient"))
    elif considered:
        names = [inline(kb.causes[c.id].name.get(w.lang)) for c in considered[:3]]
        said.append(w.say("summary.open_causes", backing(considered[:3]), causes=w.join(names)))
    elif (
        not row["any_abnormal"]
        and not row["alt_above_healthy"]
        and reasoning.urgency == Urgency.NONE
    ):
        said.append(w.say("summary.all_normal"))
    said.append(w.say(f"summary.urgency.{reasoning.urgency}"))
    return w.section("summary", [Paragraph(tuple(said))])


def _unit_label(kb: KnowledgeBase, analyte: str) -> str:
    family = kb.family_of(analyte)
    return "" if family.id == "ratio" else f" {family.canonical}"


def _limit_label(w: _Writer, source_id: str) -> str:
    if source_id == "lab":
        return w.word("limit_source.lab")
    src = w.kb.sources[source_id]
    return src.short.get(w.lang) if src.short else src.id


def _range(row: Row, analyte: str) -> str:
    """``9-50`` when a lower limit is known, else ``<= 33``."""
    lower, upper = row[f"{analyte}_lln"], row[f"{analyte}_uln"]
    if lower is None:
        return f"≤ {number(upper, 2)}"
    return f"{number(lower, 2)}–{number(upper, 2)}"


def _numbers(w: _Writer, case: Case, row: Row) -> Section:
    kb, lang = w.kb, w.lang
    rows: list[tuple[str, ...]] = []
    notes: list[Statement] = []
    for a in _given(kb, case):
        unit = _unit_label(kb, a)
        rows.append(
            (
                kb.analytes[a].short.get(lang),
                f"{bounded(row[a], row[comparator(a)], 2)}{unit}",
                f"{_range(row, a)}{unit} ({_limit_label(w, row[f'{a}_limit_source'])})",
                bounded(row[f"{a}_fold"], row[comparator(a)], 2),
                w.word(f"status.{row[f'{a}_status'] or 'unknown'}"),
            )
        )
        lab = case.labs[a]
        if lab.comparator is not None:
            notes.append(
                w.say(
                    "numbers.bound",
                    analyte=kb.analytes[a].short.get(lang),
                    given=bounded(lab.raw_value, lab.comparator, 3),
                    unit=lab.raw_unit,
                )
            )
        if lab.raw_unit != lab.unit:
            notes.append(
                w.say(
                    "numbers.converted",
                    analyte=kb.analytes[a].short.get(lang),
                    raw=number(lab.raw_value, 3),
                    raw_unit=lab.raw_unit,
                    value=number(lab.value, 2),
                    unit=lab.unit,
                )
            )
        if row[f"{a}_status"] == Status.LOW and Status.LOW not in kb.analytes[a].abnormal_when:
            notes.append(w.say("numbers.low_not_liver", analyte=kb.analytes[a].short.get(lang)))
    header = tuple(w.word(f"label.{k}") for k in ("test", "value", "limit", "fold", "status"))
    sources_used = {row[f"{a}_limit_source"] for a in _given(kb, case)}
    if sources_used - {"lab"}:
        preset = kb.presets[case.reference]
        notes.insert(
            0,
            Statement(
                w.kb.say(
                    "numbers.preset",
                    lang,
                    preset=preset.label.get(lang),
                    preset_description=preset.description.get(lang),
                ),
                # the preset's own sources and the source of every limit it lent this panel
                # (cn-wst404 borrows INR from the typical adult range, for example)
                tuple(dict.fromkeys([*preset.sources, *sorted(sources_used - {"lab"})])),
            ),
        )
    if "lab" in sources_used:
        notes.insert(0, w.say("numbers.lab_limits"))
    if case.person.sex is None:
        notes.append(w.say("numbers.sex_unknown"))
    if row["alt_above_healthy"]:
        notes.append(
            w.say(
                "numbers.above_healthy",
                uln=number(row["alt_uln"], 1),
                healthy=number(row["alt_healthy_uln"], 1),
                sex_group=w.word(f"sex_group.{case.person.sex or 'any'}"),
            )
        )
    return w.section("numbers", [Table(header, tuple(rows)), Paragraph(tuple(notes))])


def _reading(w: _Writer, row: Row) -> Section:
    said: list[Statement] = []
    reading = row["enzyme_reading"]
    if reading:
        said.append(w.say(f"reading.{reading}"))
    else:
        said.append(w.say("reading.alt_missing" if row["alt"] is None else "reading.ast_missing"))
    ratio = row["ast_alt_ratio"]
    if ratio is not None and Status.HIGH in (row["alt_status"], row["ast_status"]):
        t = w.kb.threshold
        if ratio > t("ast_alt_alcohol_above"):
            said.append(w.say("ratio.over_2"))
        elif ratio >= t("ast_alt_fibrosis_from"):
            said.append(w.say("ratio.at_least_1"))
        else:
            said.append(w.say("ratio.below_1"))
    if row["alt_grade"] not in (None, Grade.NORMAL):
        said.append(w.say(f"grade.{row['alt_grade']}"))
        if row["pattern"]:
            said.append(w.say(f"pattern.{row['pattern']}"))
        elif row["alp"] is None:
            said.append(w.say("pattern.alp_missing"))
    elif row["pattern"]:
        said.append(w.say(f"pattern.{row['pattern']}"))
    return w.section("reading", [Paragraph(tuple(said))])


def _cause_entry(w: _Writer, n: int, found: CauseFinding) -> Entry:
    kb, lang = w.kb, w.lang
    cause = kb.causes[found.id]
    heading = w.kb.say(
        "label.cause_heading",
        lang,
        name=cause.name.get(lang),
        likelihood=w.word(f"likelihood.{found.likelihood}"),
        kind=w.word(f"kind.{cause.kind}"),
    )
    src: tuple[str, ...] = ()  # the entry cites the cause's sources once, on its title
    parts = [Part(w.word("label.why"), found.reasons_for, as_list=True)]
    if found.reasons_against:
        parts.append(Part(w.word("label.against"), found.reasons_against, as_list=True))
    parts += [
        Part(w.word("label.body"), (Statement(cause.mechanism.get(lang), src),)),
        Part(w.word("label.todo"), (Statement(cause.what_to_do.get(lang), src),)),
        Part(w.word("label.course"), (Statement(cause.course.get(lang), src),)),
        Part(w.word("label.retest"), (Statement(cause.retest.get(lang), src),)),
    ]
    if cause.treatments:
        names = [kb.treatments[t].name.get(lang) for t in cause.treatments]
        tr_sources = tuple(
            dict.fromkeys(s for t in cause.treatments for s in kb.treatments[t].sources)
        )
        said = [w.say("causes.treatments", tr_sources, treatments=w.join(names))]
        if cause.treatment_note:
            said.append(Statement(cause.treatment_note.get(lang), cause.sources))
        parts.append(Part(w.word("label.treatments"), tuple(said)))
    if found.questions:
        parts.append(
            Part(
                w.word("label.questions"),
                tuple(Statement(q) for q in found.questions),
                as_list=True,
            )
        )
    return Entry(n, heading, tuple(p for p in parts if p.statements), cause.sources)


def _causes(w: _Writer, reasoning: Reasoning) -> Section | None:
    if not reasoning.causes:
        return None
    shown = [c for c in reasoning.causes if c.likelihood >= Likelihood.POSSIBLE]
    rest = [c for c in reasoning.causes if c.likelihood == Likelihood.LESS_LIKELY]
    blocks: list[Block] = [Paragraph((w.say("causes.intro"),))]
    blocks += [_cause_entry(w, i, c) for i, c in enumerate(shown, start=1)]
    if rest:
        names = w.join([inline(w.kb.causes[c.id].name.get(w.lang)) for c in rest])
        blocks.append(Paragraph((w.say("causes.less_likely", backing(rest), causes=names),)))
    return w.section("causes", blocks)


def _next_steps(w: _Writer, reasoning: Reasoning) -> Section:
    return w.section("next_steps", [Bullets(tuple(s.statement for s in reasoning.next_steps))])


def _see_doctor(w: _Writer, reasoning: Reasoning) -> Section:
    blocks: list[Block] = [Paragraph((w.say(f"see_doctor.{reasoning.urgency}"),))]
    why = tuple(r.statement for r in reasoning.urgency_reasons if r.level < Urgency.URGENT)
    if why:
        blocks.append(Bullets(why))
    blocks.append(Paragraph((w.say("see_doctor.warning_signs"),)))
    return w.section("see_doctor", blocks)


def _daily_life(w: _Writer, reasoning: Reasoning) -> Section:
    return w.section("daily_life", [Bullets(tuple(a.statement for a in reasoning.advice))])


def sections(
    kb: KnowledgeBase,
    case: Case,
    row: Row,
    reasoning: Reasoning,
    trend: Mapping[str, Any] | None = None,
) -> list[Section]:
    w = _Writer(kb, case.language, reasoning.placeholders)
    built = [
        _urgent(w, reasoning),
        _summary(w, case, row, reasoning),
        _numbers(w, case, row),
        clinical.trend_section(kb, case, trend, w.say),
        _reading(w, row),
        clinical.scores_section(kb, case, row, w.say),
        _causes(w, reasoning),
        clinical.medicines_section(kb, case, w.say),
        _next_steps(w, reasoning),
        clinical.workup_section(kb, case, reasoning, w.say),
        _see_doctor(w, reasoning),
        _daily_life(w, reasoning),
    ]
    return [s for s in built if s is not None]


def report_title(kb: KnowledgeBase, case: Case, row: Row, reasoning: Reasoning) -> str:
    return title(_Writer(kb, case.language, reasoning.placeholders), row)
