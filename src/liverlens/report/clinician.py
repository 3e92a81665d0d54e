"""The clinician register, said once: a small structured summary of a ``Report`` that the
one-page summary (its PDF and the web's clinician view) and the CDS Hooks card detail all
render.

Why one module: a doctor may meet the same panel three ways, as the page the patient brings,
on the web and as a card in the EHR, and each must give the same numbers, flags, scores, causes
and work-up in the same words. What is said, and in which order, is chosen here from the report
and the knowledge files' ``clinician.*`` words; ``report/render/summary.py`` only lays it out.

The register is a clinician's: values against the limit used and its source, red flags in
clinical wording (each rule's own sources), scores with their band, the causes *to consider*
with their top reasons, the work-up grouped by why. No lay explanation, no dose, no diagnosis;
the patient-entered details are labelled as such. Nothing here compares a number of its own:
grades, flags, bands and likelihoods all come from the engine through the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from liverlens.engine.statements import Statement
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.units import unit_symbol
from liverlens.vocabulary import Likelihood, Timing, Urgency

if TYPE_CHECKING:
    from liverlens.inputs import Case
    from liverlens.report.model import AnalyteFinding, Report

MAX_CAUSES = 4  # causes shown with their reasons (likely first, then possible)
MAX_REASONS = 2  # reasons shown per cause (the JSON and the full report keep them all)
MAX_ALSO = 4  # further possible causes named on one line
MAX_MEDICINES = 12  # named one by one; the rest counted (the full report names them all)
BARE_UNITS = {"", "INR", "ratio"}  # a result read against its limit without a fold of ULN


@dataclass(frozen=True)
class Cited:
    """A line of the summary and the numbers of the sources behind it (the full report's
    numbering, so the summary and the report cite a source by the same number)."""

    text: str
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class ValueRow:
    """One result as a clinician reads it: value and unit, the limit used and where it came
    from, the fold of the upper limit and the status."""

    analyte: str
    name: str
    value: str
    unit: str  # the unit's symbol (µmol/L, 10⁹/L); "" for INR and ratios
    upper: str
    limit: str  # "≤ 33 U/L" or "7–40 U/L"
    source: str  # "lab", or the preset's short name
    fold: str  # "" when a fold of ULN means nothing (INR)
    status: str  # high, normal, low or unknown
    status_word: str
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Detail:
    """A patient-entered detail: its label (with its colon) and what the patient said."""

    label: str
    value: str


@dataclass(frozen=True)
class CauseLine:
    id: str
    name: str
    likelihood: Likelihood
    likelihood_word: str  # "likely"
    likelihood_note: str  # the same after a name: " (likely)", "（可能性大）"
    reasons: tuple[Cited, ...]


@dataclass(frozen=True)
class WorkupBlock:
    """The tests for one moment (now, or if the repeat test is still raised), one line per
    reason they are done (the work-up groups of workup.yaml)."""

    timing: Timing
    heading: str
    groups: tuple[Cited, ...]


@dataclass(frozen=True)
class ClinicianSummary:
    language: str
    language_tag: str
    heading: str
    date_line: str  # the test date, or that it was not given
    prepared: str
    urgency: Urgency
    urgency_word: str
    urgency_line: str
    flags: tuple[Cited, ...]
    details: tuple[Detail, ...]
    values: tuple[ValueRow, ...]
    notes: tuple[Cited, ...]  # beside the values: ALT inside the limit but above healthy
    pattern: tuple[str, ...]  # ALT grade, pattern, R, AST/ALT
    trend: tuple[str, ...]
    scores: tuple[Cited, ...]
    not_calculated: str | None
    causes: tuple[CauseLine, ...]
    also: str | None  # further causes to consider, named only
    workup: tuple[WorkupBlock, ...]
    sources: tuple[tuple[int, str], ...]  # number, compact description
    full_report: str
    disclaimer: str
    words: Mapping[str, str]  # headings and column labels the renderers need


# headings and column labels a renderer needs, by the short key it uses
WORDS = {
    "details": "clinician.details",
    "results": "cds.results",
    "pattern": "cds.pattern",
    "trend": "clinician.trend",
    "scores": "heading.scores",
    "causes": "cds.causes",
    "workup": "cds.workup",
    "red_flag": "cds.red_flag",
    "sources": "heading.sources",
    "separator": "cds.separator",
    "col.test": "clinician.col.test",
    "col.result": "clinician.col.result",
    "col.limit": "clinician.col.limit",
    "col.fold": "clinician.col.fold",
    "col.status": "clinician.col.status",
}


LABELLED = ("pattern", "red_flag")  # also said as a label ("Pattern:"), words["pattern:"]


class _Say:
    """The knowledge base's words in the report's language, and the report's numbering."""

    def __init__(self, kb: KnowledgeBase, report: Report) -> None:
        self.kb, self.lang, self.report = kb, report.language, report
        self.numbering = report.citation_numbers()

    def __call__(self, text_id: str, /, **values: object) -> str:
        return self.kb.say(text_id, self.lang, **values)

    def number(self, x: float | None, places: int = 2) -> str:
        return self.kb.number(x, places, self.lang)

    def join(self, items: Iterable[str]) -> str:
        return self("join.comma").join(items)

    def numbers(self, sources: Iterable[str]) -> tuple[int, ...]:
        """Citation numbers in order of first mention; a source the report does not list
        (none should be missing) is left out rather than numbered differently."""
        found = [self.numbering[s] for s in sources if s in self.numbering]
        return tuple(dict.fromkeys(found))

    def cited(self, statement: Statement) -> Cited:
        return Cited(statement.text, self.numbers(statement.sources))


def _bare(analyte: str, f: AnalyteFinding) -> bool:
    return f.unit in BARE_UNITS or analyte == "inr"


def _value_rows(say: _Say, kb: KnowledgeBase) -> tuple[ValueRow, ...]:
    report = say.report
    rows = []
    for analyte, f in report.analytes.items():
        bare = _bare(analyte, f)
        unit = "" if bare else unit_symbol(f.unit)
        upper = say.number(f.upper_limit)
        span = upper if f.lower_limit is None else f"{say.number(f.lower_limit)}–{upper}"
        limit = (f"≤ {span}" if f.lower_limit is None else span) + (f" {unit}" if unit else "")
        if f.limit_source == "lab":
            source = say("clinician.limit_source.lab")
        else:
            src = kb.sources.get(f.limit_source)
            source = src.short.get(say.lang) if src and src.short else f.limit_source
        state = f.status or "unknown"
        rows.append(
            ValueRow(
                analyte=analyte,
                name=report.analyte_names.get(analyte, analyte),
                value=kb.bounded(f.value, f.comparator, 2, say.lang),
                unit=unit,
                upper=upper,
                limit=limit,
                source=source,
                fold="" if bare else kb.bounded(f.fold_uln, f.comparator, 1, say.lang),
                status=state,
                status_word=say(f"status.{state}"),
                numbers=() if f.limit_source == "lab" else say.numbers([f.limit_source]),
            )
        )
    return tuple(rows)


def _details(say: _Say, kb: KnowledgeBase, case: Case | None) -> tuple[Detail, ...]:
    """What the patient entered, only what was given, each labelled as theirs."""
    if case is None:
        return ()
    p, ctx, out = case.person, case.context, []

    def add(label: str, value: str) -> None:
        out.append(Detail(say("clinician.label", label=say(f"clinician.detail.{label}")), value))

    def yes_no(flag: bool) -> str:
        return say("clinician.detail.yes" if flag else "clinician.detail.no")

    if p.sex is not None:
        add("sex", say(f"clinician.detail.{p.sex}"))
    if p.age is not None:
        add("age", say("clinician.detail.years", age=say.number(p.age, 0)))
    if p.pregnancy_weeks is not None:
        weeks = say("clinician.detail.pregnant_weeks", weeks=say.number(p.pregnancy_weeks, 0))
        add("pregnancy", weeks)
    elif p.pregnant is not None and (p.pregnant or p.sex == "female"):
        add("pregnancy", yes_no(p.pregnant))
    if case.bmi is not None:
        add("bmi", say("clinician.detail.bmi_value", bmi=say.number(case.bmi, 1)))
    if p.diabetes is not None:
        add("diabetes", yes_no(p.diabetes))
    if ctx.alcohol_grams_per_week is not None:
        grams = say.number(ctx.alcohol_grams_per_week, 0)
        add("alcohol", say("clinician.detail.alcohol_value", grams=grams))
    if ctx.recent_heavy_drinking:
        add("heavy_drinking", yes_no(True))
    if ctx.strenuous_exercise_days_ago is not None:
        days = say.number(ctx.strenuous_exercise_days_ago, 0)
        add("exercise", say("clinician.detail.exercise_value", days=days))
    if ctx.possible_overdose:
        add("overdose", yes_no(True))
    if case.medicines is not None:
        named = [_medicine(say, m) for m in case.medicines[:MAX_MEDICINES]]
        if len(case.medicines) > MAX_MEDICINES:
            named.append(say("label.and_others", count=len(case.medicines) - MAX_MEDICINES))
        add("medicines", say.join(named) or _none(say))
    if case.symptoms_known:
        words = {s.id: s.label.get(say.lang) for s in kb.vocabulary.symptoms}
        add("symptoms", say.join(words[s] for s in words if s in case.symptoms) or _none(say))
    if case.conditions_known:
        words = {c.id: c.label.get(say.lang) for c in kb.vocabulary.conditions}
        found = [words[c] for c in words if c in case.conditions]
        add("conditions", say.join(found) or _none(say))
    return tuple(out)


def _none(say: _Say) -> str:
    return say("clinician.detail.none")


def _medicine(say: _Say, m: Any) -> str:
    """A medicine as given, by its name in the report's language when it was recognised,
    with the dates the patient gave."""
    name = m.given if m.medicine is None else m.medicine.display_name(say.lang)
    if m.started_on is not None and m.stopped_on is not None:
        return say(
            "clinician.detail.medicine_dates",
            name=name,
            started=m.started_on.isoformat(),
            stopped=m.stopped_on.isoformat(),
        )
    if m.started_on is not None:
        return say("clinician.detail.medicine_from", name=name, started=m.started_on.isoformat())
    return str(name)


def _pattern(say: _Say) -> tuple[str, ...]:
    report, out = say.report, []
    if report.alt_grade is not None:
        out.append(say("clinician.grade", grade=say(f"cds.grade.{report.alt_grade}")))
    if report.pattern is not None:
        out.append(say(f"pattern_name.{report.pattern}"))
    if report.r_ratio is not None:
        out.append(say("cds.r_ratio", r=say.number(report.r_ratio, 1)))
    if report.ast_alt_ratio is not None:
        out.append(say("cds.ast_alt", ratio=say.number(report.ast_alt_ratio)))
    return tuple(out)


def _trend(say: _Say) -> tuple[str, ...]:
    """Direction and change since the previous result, and how long ALT has been raised
    (persistent or not yet), from the engine's trend (``report.trend``)."""
    t = say.report.trend
    if not t:
        return ()
    out = []
    if t.get("change_percent") is not None and t.get("previous_on"):
        change = t["change_percent"]
        signed = ("+" if change > 0 else "") + say.number(change, 1)
        verdict = "significant" if t.get("significant_change") else "not_significant"
        line = say(
            "clinician.trend.change",
            direction=say(f"direction.{t['direction']}"),
            change=signed,
            previous_on=t["previous_on"],
            count=t["n_results"],
            verdict=say(f"clinician.trend.{verdict}"),
        )
        out.append(line)
    first = t.get("first_elevated_on")
    if first and (t.get("persistent") or first != t.get("latest_on")):
        which = "persistent" if t.get("persistent") else "not_yet_persistent"
        months = say.number(t["months_elevated"], 1)
        out.append(say(f"clinician.trend.{which}", months=months, first_on=first))
    if t.get("normalised"):
        out.append(say("clinician.trend.normalised"))
    return tuple(out)


def _input_name(say: _Say, kb: KnowledgeBase, column: str) -> str:
    if column in kb.analytes:
        return kb.analytes[column].name.get(say.lang)
    return say(f"clinician.input.{column}")


def _scores(say: _Say, kb: KnowledgeBase) -> tuple[tuple[Cited, ...], str | None]:
    """Each calculated score with its band, and one line for those that could not be: only
    where the full report also says so (a score always shown, or one mostly given, on a
    panel with something abnormal), so the summary lists no score nobody would ask for."""
    report = say.report
    said, needs = [], []
    for score in kb.scores.values():
        out = report.scores.get(score.id)
        if out is None:
            continue
        name = score.name.get(say.lang)
        value = out.get("value")
        numbers = say.numbers(score.sources)
        if value is None:
            if not report.reasoning.facts.get("any_abnormal"):
                continue  # the engine's own fact, the one the full report asks
            if out.get("needs_exact"):
                inputs = say.join(_input_name(say, kb, c) for c in out["needs_exact"])
                needs.append(say("clinician.needs_exact", score=name, inputs=inputs))
                continue
            missing = list(out.get("needs") or ())
            mostly_given = (len(score.inputs) - len(missing)) * 2 >= len(score.inputs)
            if missing and (score.show_needs or mostly_given):
                inputs = say.join(_input_name(say, kb, c) for c in missing)
                needs.append(say("clinician.needs", score=name, inputs=inputs))
            continue
        shown = say.number(value) if isinstance(value, float) else str(value)
        band = out.get(score.band_key) if score.band is not None else None
        if out.get("not_valid"):
            band_word = say(f"clinician.score_not_valid.{out['not_valid']}")
        elif band is None:
            said.append(Cited(say("clinician.score_bare", name=name, value=shown), numbers))
            continue
        elif score.band_key == "class":
            band_word = say("clinician.band.class", name=band)
        else:
            band_word = say(f"clinician.band.{band}")
        if out.get("age_caveat"):
            band_word = f"{band_word}{say('cds.separator')}{say('clinician.score_age_caveat')}"
        line = say("clinician.score", name=name, value=shown, band=band_word)
        said.append(Cited(line, numbers))
    missing_line = say("clinician.not_calculated", items=say.join(needs)) if needs else None
    return tuple(said), missing_line


def _causes(say: _Say) -> tuple[tuple[CauseLine, ...], str | None]:
    report = say.report
    considered = [c for c in report.causes if c.likelihood >= Likelihood.POSSIBLE]
    shown = considered[:MAX_CAUSES]
    lines = tuple(
        CauseLine(
            id=c.id,
            name=report.names[c.id],
            likelihood=c.likelihood,
            likelihood_word=say(f"likelihood.{c.likelihood}"),
            likelihood_note=say(
                "clinician.likelihood", likelihood=say(f"likelihood.{c.likelihood}")
            ),
            reasons=tuple(say.cited(st) for st in c.reasons_for[:MAX_REASONS]),
        )
        for c in shown
    )
    rest = [report.names[c.id] for c in considered[MAX_CAUSES : MAX_CAUSES + MAX_ALSO]]
    return lines, (say("clinician.more_causes", causes=say.join(rest)) if rest else None)


def _workup(say: _Say, kb: KnowledgeBase) -> tuple[WorkupBlock, ...]:
    blocks = []
    for timing in (Timing.NOW, Timing.IF_REPEAT_RAISED):
        items = [w for w in say.report.reasoning.workup if w.timing == timing]
        groups = []
        for group_id, group in kb.workup_groups.items():
            tests = [w for w in items if w.group == group_id]
            if not tests:
                continue
            line = say(
                "clinician.workup_group",
                group=group.name.get(say.lang),
                tests=say.join(t.name for t in tests),
            )
            sources = [*group.sources, *(s for t in tests for s in t.statement.sources)]
            groups.append(Cited(line, say.numbers(sources)))
        if groups:
            heading = say(f"clinician.workup.{timing}")
            blocks.append(WorkupBlock(timing, heading, tuple(groups)))
    return tuple(blocks)


def _sources(say: _Say, numbers: Iterable[int]) -> tuple[tuple[int, str], ...]:
    """The sources the summary cites, by the full report's numbers: title and journal."""
    by_number = dict(enumerate(say.report.sources, start=1))
    out = []
    for n in sorted(set(numbers)):
        src = by_number[n]
        text = src.title.rstrip(".")
        if src.publisher:
            text += f". {src.publisher}"
        out.append((n, text))
    return tuple(out)


def summarize(
    report: Report,
    case: Case | None = None,
    *,
    knowledge: KnowledgeBase | None = None,
    today: date | None = None,
) -> ClinicianSummary:
    """The clinician summary of ``report``, in its language. ``case`` (the checked input
    the report came from) gives the patient-entered details; without it (a CDS card, where
    the EHR holds the patient) there are none."""
    kb = knowledge or load_knowledge()
    say = _Say(kb, report)
    flags = tuple(
        Cited(say(f"clinician.flag.{f.id}"), say.numbers(f.statement.sources))
        for f in report.red_flags
    )
    values = _value_rows(say, kb)
    scores, not_calculated = _scores(say, kb)
    causes, also = _causes(say)
    workup = _workup(say, kb)
    notes = (
        (
            Cited(
                say("clinician.above_healthy"),
                say.numbers(kb.presets[kb.healthy_preset].sources[:1]),
            ),
        )
        if report.alt_above_healthy_limit
        else ()
    )
    cited = [n for f in flags for n in f.numbers]
    cited += [n for note in notes for n in note.numbers]
    cited += [n for v in values for n in v.numbers]
    cited += [n for s in scores for n in s.numbers]
    cited += [n for c in causes for r in c.reasons for n in r.numbers]
    cited += [n for b in workup for g in b.groups for n in g.numbers]
    collected = report.collected_on
    urgency_word = say(f"cds.urgency.{report.urgency}")
    return ClinicianSummary(
        language=report.language,
        language_tag=report.language_tag,
        heading=say("clinician.heading"),
        date_line=say("clinician.test_date", date=collected.isoformat())
        if collected
        else say("clinician.no_test_date"),
        prepared=say("clinician.prepared", date=(today or date.today()).isoformat()),
        urgency=report.urgency,
        urgency_word=urgency_word,
        urgency_line=say("clinician.urgency", urgency=urgency_word),
        flags=flags,
        details=_details(say, kb, case),
        values=values,
        notes=notes,
        pattern=_pattern(say),
        trend=_trend(say),
        scores=scores,
        not_calculated=not_calculated,
        causes=causes,
        also=also,
        workup=workup,
        sources=_sources(say, cited),
        full_report=say("clinician.full_report"),
        disclaimer=say("clinician.disclaimer"),
        words={key: say(text_id) for key, text_id in WORDS.items()}
        | {f"{key}:": say("clinician.label", label=say(WORDS[key])) for key in LABELLED},
    )
