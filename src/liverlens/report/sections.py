"""Compose the article the seeds model, for one person, short first.

Order: anything urgent; the short answer; what to do now and by when; when to see a doctor;
the causes that fit best as cards (why each fits, what to do, when to retest; each card's
details say what happens in the body, what to expect and what a doctor may prescribe), the
rest one line each; the questions that would sharpen the ranking; daily life. Then "more
detail" (``Section.detail``): the numbers, the trend, ALT beside AST, scores, medicines, and
the tests a doctor may arrange, grouped by why. The JSON keeps everything.

Every sentence comes from the knowledge files with its sources (at most three) and the
reference of the text it says (``Statement.ref``), so a test can check over every vignette
that each text's ``when`` holds and that no two texts that exclude each other appear together.
The report chooses *which* text by engine columns only; it compares no number of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from itertools import zip_longest
from typing import Any

from liverlens.engine.columns import comparator
from liverlens.engine.reasoning import CauseFinding, Question, Reasoning
from liverlens.engine.statements import Statement, cited, holds
from liverlens.errors import KnowledgeError
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import Cause
from liverlens.report import clinical_sections as clinical
from liverlens.report.document import Block, Bullets, Entry, Paragraph, Part, Section, Table
from liverlens.report.writer import Writer
from liverlens.vocabulary import Grade, Likelihood, Status, Urgency

Row = Mapping[str, Any]
IN_FULL = 3  # at most this many causes in full (the likely ones); the rest one line each
IN_FULL_OPEN = 2  # when fewer are likely, the best-fitting ones up to this many
TOP_REASONS = 2  # reasons for a cause shown in full (all are in the JSON)
TOP_AGAINST = 1
MAX_QUESTIONS = 3  # "tell us to sharpen this", from the causes that fit best first
MAX_ALSO = 3  # further possible causes, one line each
EXPLAINED = 1  # cards whose details also say what to expect (the best fit's)
MAX_NAMED = 4  # less-likely causes named one by one; the rest are counted
MAX_ADVICE = 4


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


def title(w: Writer, row: Row) -> str:
    if row["alt"] is None:
        return w.say("title.no_alt").text
    found = w.first("title.alt_high", "title.alt_normal_urgent", "title.alt_normal_soon")
    found = found or w.first("title.alt_normal", "title.alt_bound")
    if found is None:  # pragma: no cover - the when lists cover every case
        raise KnowledgeError("no title fits this panel")
    return found.text


def _abnormal_others(kb: KnowledgeBase, case: Case, row: Row) -> list[str]:
    return [
        inline(kb.analytes[a].short.get(case.language))
        for a in _given(kb, case)
        if a != "alt" and row[f"{a}_status"] in kb.analytes[a].abnormal_when
    ]


def _urgent(w: Writer, reasoning: Reasoning) -> Section | None:
    flags = [r.statement for r in reasoning.urgency_reasons if r.level == Urgency.URGENT]
    if not flags:
        return None
    return w.section("urgent", [Bullets(tuple(flags)), Paragraph((w.say("see_doctor.urgent"),))])


def _summary(w: Writer, case: Case, row: Row, reasoning: Reasoning) -> Section:
    """At most about 80 words: the grade, what else is off, what fits best, and by when."""
    kb = w.kb
    grade = row["alt_grade"]
    if grade:
        said = [w.say(f"summary.grade.{grade}")]
    else:
        said = [w.say("summary.no_alt" if row["alt"] is None else "summary.alt_bound")]
    others = _abnormal_others(kb, case, row)
    if others:
        which = w.first(
            "summary.also_abnormal",
            "summary.others_abnormal",
            "summary.abnormal_without_alt",
            analytes=w.word("join.comma").join(others),
        )
        said += [which] if which else []
    considered = [c for c in reasoning.causes if c.likelihood >= Likelihood.POSSIBLE]
    likely = [c for c in considered if c.likelihood == Likelihood.LIKELY]
    if likely:
        top = kb.causes[likely[0].id]
        names = [inline(kb.causes[c.id].name.get(w.lang)) for c in likely[:IN_FULL]]
        if len(likely) == 1:
            said.append(w.say("summary.top_cause", backing(likely[:1]), cause=names[0]))
        else:
            said.append(w.say("summary.top_causes", backing(likely[:3]), causes=w.join(names)))
        if top.kind == "physiological" and w.allowed("summary.transient"):
            said.append(w.say("summary.transient"))
    elif considered:
        names = [inline(kb.causes[c.id].name.get(w.lang)) for c in considered[:IN_FULL]]
        said.append(w.say("summary.open_causes", backing(considered[:3]), causes=w.join(names)))
    elif w.allowed("summary.all_normal"):
        said.append(w.say("summary.all_normal"))
    soon = int(kb.threshold("see_doctor_soon_days"))
    found = w.first(
        "summary.urgency.urgent",
        "summary.urgency.soon",
        "summary.urgency.persistent",
        "summary.urgency.gilbert",
        "summary.urgency.routine",
        "summary.urgency.above_healthy",
        "summary.urgency.none",
        within_days=soon,
    )
    said += [found] if found else []
    return w.section("summary", [Paragraph(tuple(said))])


def _unit_label(kb: KnowledgeBase, analyte: str) -> str:
    family = kb.family_of(analyte)
    return "" if family.id == "ratio" else f" {family.canonical}"


def _source_label(w: Writer, source_id: str) -> str:
    if source_id == "lab":
        return w.word("limit_source.lab")
    src = w.kb.sources[source_id]
    return src.short.get(w.lang) if src.short else src.id


def _limit_label(w: Writer, row: Row, analyte: str) -> str:
    """Where the limits came from, both of them when they came from different places:
    "your lab" only when the lab gave both, else "upper: your lab; lower: WS/T 404"."""
    upper, lower = row[f"{analyte}_limit_source"], row[f"{analyte}_lower_source"]
    if lower is None or lower == upper:
        return _source_label(w, upper)
    return w.word(
        "limit_source.split", upper=_source_label(w, upper), lower=_source_label(w, lower)
    )


def _range(w: Writer, row: Row, analyte: str) -> str:
    """``9-50`` when a lower limit is known, else ``<= 33``."""
    lower, upper = row[f"{analyte}_lln"], row[f"{analyte}_uln"]
    if lower is None:
        return f"≤ {w.number(upper)}"
    return f"{w.number(lower)}–{w.number(upper)}"


def _numbers(w: Writer, case: Case, row: Row) -> Section:
    kb, lang = w.kb, w.lang
    rows: list[tuple[str, ...]] = []
    notes: list[Statement] = []
    for a in _given(kb, case):
        unit = _unit_label(kb, a)
        rows.append(
            (
                kb.analytes[a].short.get(lang),
                f"{kb.bounded(row[a], row[comparator(a)], 2, lang)}{unit}",
                f"{_range(w, row, a)}{unit} ({_limit_label(w, row, a)})",
                kb.bounded(row[f"{a}_fold"], row[comparator(a)], 2, lang),
                w.word(f"status.{row[f'{a}_status'] or 'unknown'}"),
            )
        )
        lab = case.labs[a]
        if lab.comparator is not None:
            given = kb.bounded(lab.raw_value, lab.comparator, 3, lang)
            notes.append(
                w.say(
                    "numbers.bound",
                    analyte=kb.analytes[a].short.get(lang),
                    given=given,
                    unit=lab.raw_unit,
                )
            )
        if lab.raw_unit != lab.unit:
            notes.append(
                w.say(
                    "numbers.converted",
                    analyte=kb.analytes[a].short.get(lang),
                    raw=w.number(lab.raw_value, 3),
                    raw_unit=lab.raw_unit,
                    value=w.number(lab.value, 2),
                    unit=lab.unit,
                )
            )
        if row[f"{a}_status"] == Status.LOW and Status.LOW not in kb.analytes[a].abnormal_when:
            notes.append(w.say("numbers.low_not_liver", analyte=kb.analytes[a].short.get(lang)))
    header = tuple(w.word(f"label.{k}") for k in ("test", "value", "limit", "fold", "status"))
    sources_used = {row[f"{a}_limit_source"] for a in _given(kb, case)}
    sources_used |= {row[f"{a}_lower_source"] for a in _given(kb, case)} - {None}
    if sources_used - {"lab"}:
        preset = kb.presets[case.reference]
        lent = sorted(sources_used - {"lab"})
        notes.insert(
            0,
            Statement(
                kb.say(
                    "numbers.preset",
                    lang,
                    preset=preset.label.get(lang),
                    preset_description=preset.description.get(lang),
                ),
                # the preset's own sources and the source of every limit it lent this panel
                cited(kb, [*preset.sources, *lent]),
                "text:numbers.preset",
            ),
        )
    if "lab" in sources_used:
        notes.insert(0, w.say("numbers.lab_limits"))
    if case.person.sex is None:
        notes.append(w.say("numbers.sex_unknown"))
    if w.allowed("numbers.above_healthy"):
        notes.append(
            w.say(
                "numbers.above_healthy",
                uln=w.number(row["alt_uln"], 1),
                healthy=w.number(row["alt_healthy_uln"], 1),
                sex_group=w.word(f"sex_group.{case.person.sex or 'any'}"),
            )
        )
    for text_id in ("numbers.pregnancy", "numbers.adolescent", "numbers.albumin_alone"):
        if w.allowed(text_id):
            notes.append(w.say(text_id))
    return w.section("numbers", [Table(header, tuple(rows)), Paragraph(tuple(notes))])


def _reading(w: Writer, row: Row) -> Section:
    said: list[Statement] = []
    reading = row["enzyme_reading"]
    if reading:
        said.append(w.say(f"reading.{reading}"))
    else:
        found = w.first("reading.alt_missing", "reading.ast_missing")
        said += [found] if found else []
    band = w.first("ratio.over_2", "ratio.at_least_1", "ratio.below_1")
    said += [band] if band else []
    if row["alt_grade"] in (Grade.SEVERE, Grade.MASSIVE):  # the summary words the others
        said.append(w.say(f"grade.{row['alt_grade']}"))
    for text_id in ("pattern.alp_pregnancy", "pattern.alp_growth", "pattern.alp_bone"):
        if w.allowed(text_id):
            said.append(w.say(text_id))
    pattern = w.first(
        "pattern.hepatocellular",
        "pattern.mixed",
        "pattern.cholestatic",
        "pattern.alt_alone",
        "pattern.alp_alone",
    )
    if pattern is None and row["alt_status"] == Status.HIGH:
        pattern = w.first("pattern.alp_missing")
    said += [pattern] if pattern else []
    return w.section("reading", [Paragraph(tuple(said))])


def _treatment_names(w: Writer, cause: Cause, line: str) -> list[str]:
    return [
        w.kb.treatments[t].name.get(w.lang)
        for t in cause.treatments
        if w.kb.treatments[t].line == line
    ]


def _pregnancy_reweighs(w: Writer, cause: Cause) -> bool:
    """In pregnancy, a cause that is not itself a disease of pregnancy names no medicines:
    a list made for people who are not pregnant (semaglutide, entecavir, the hepatoprotectants)
    would be wrong for this person, so one sentence says who weighs them instead."""
    return w.facts.get("pregnant") is True and "pregnant" not in cause.applies


def _prescribed(w: Writer, cause: Cause) -> list[Statement]:
    """What a doctor may prescribe for a cause: one line for the guideline options, one for
    what the seed articles name, then the cause's own note (medicines come after weight
    loss; a transplant when the liver is destroyed). A medicine the seed articles name comes
    with its caveat beside it ("ursodeoxycholic acid (a two-year trial found it no better
    than placebo...)"), medicines that share one named together: named bare, it would read
    as endorsed. Guideline options are named only, to keep the report short. None when the
    cause's ``treatments_when`` does not hold (never in an overdose)."""
    kb = w.kb
    if not cause.treatments or not holds(cause.treatments_when, w.facts):
        return []
    ref = f"cause:{cause.id}:treatments"
    if _pregnancy_reweighs(w, cause):
        return [replace(w.say("causes.treatments_pregnancy"), ref=ref)]
    said: list[Statement] = []
    for line, text_id in (("guideline", "causes.treatments"), ("seed", "causes.treatments_seed")):
        ids = [t for t in cause.treatments if kb.treatments[t].line == line]
        if not ids:
            continue
        plain: list[str] = []
        by_note: dict[str, list[str]] = {}  # medicines that share a note are named together
        for tid in ids:
            name, evidence = kb.treatments[tid].name.get(w.lang), kb.treatments[tid].evidence
            if line == "seed" and evidence is not None:
                by_note.setdefault(evidence.get(w.lang), []).append(name)
            else:
                plain.append(name)
        noted = [
            w.word("label.treatment_with_note", name=w.join(names), note=note)
            for note, names in by_note.items()
        ]
        listed = w.word("join.semicolon").join([*noted, *plain]) if noted else w.join(plain)
        sources = tuple(s for t in ids for s in kb.treatments[t].sources)
        said.append(replace(w.say(text_id, sources, treatments=listed), ref=ref))
    if cause.treatment_note:
        note = cause.treatment_note.get(w.lang)
        said.append(Statement(note, cited(kb, cause.sources), ref))
    return said


def _cause_entry(w: Writer, n: int, found: CauseFinding) -> Entry:
    """A cause as a card: why it fits (and what argues against it), what to do and, when a
    repeat test is the plan, when to retest; its details say what happens in the body and
    what a doctor may prescribe, and for the best fit (to keep the report short) what to
    expect."""
    kb, lang = w.kb, w.lang
    cause = kb.causes[found.id]
    heading = kb.say(
        "label.cause_heading",
        lang,
        name=cause.name.get(lang),
        likelihood=w.word(f"likelihood.{found.likelihood}"),
        kind=w.word(f"kind.{cause.kind}"),
    )
    parts = [Part(w.word("label.why"), found.reasons_for[:TOP_REASONS], as_list=True)]
    if found.reasons_against:
        parts.append(
            Part(w.word("label.against"), found.reasons_against[:TOP_AGAINST], as_list=True)
        )
    parts.append(Part(w.word("label.todo"), (w.cause_text(cause, "what_to_do"),)))
    steps = w.reasoning.next_steps
    # only when the plan is a repeat test (for a persistent rise, or one that needs a doctor
    # soon, the next steps say a repeat alone is not enough), and not twice
    planned = any(s.after_days is not None for s in steps)
    if planned and all(s.retest_for != cause.id for s in steps):
        parts.append(Part(w.word("label.retest"), (w.cause_text(cause, "retest"),)))
    details = [Part(w.word("label.body"), (w.cause_text(cause, "mechanism"),))]
    explained = n <= EXPLAINED  # the JSON keeps every cause's course
    if explained:
        details.append(Part(w.word("label.course"), (w.cause_text(cause, "course"),)))
    prescribed = _prescribed(w, cause)
    if prescribed:
        details.append(Part(w.word("label.treatments"), tuple(prescribed), as_list=True))
    return Entry(
        n,
        heading,
        tuple(p for p in parts if p.statements),
        cited(kb, cause.sources),
        f"cause:{cause.id}:name",
        tuple(p for p in details if p.statements),
    )


def in_full(reasoning: Reasoning) -> list[CauseFinding]:
    """The causes explained in full: the likely ones (at most three), or, when fewer than
    two are likely, the best-fitting ones up to two."""
    considered = [c for c in reasoning.causes if c.likelihood >= Likelihood.POSSIBLE]
    likely = [c for c in considered if c.likelihood == Likelihood.LIKELY]
    if len(likely) >= IN_FULL_OPEN:
        return likely[:IN_FULL]
    return considered[:IN_FULL_OPEN]


def _causes(w: Writer, reasoning: Reasoning) -> Section | None:
    if not reasoning.causes:
        return None
    full = in_full(reasoning)
    shown = [c for c in reasoning.causes if c.likelihood >= Likelihood.POSSIBLE]
    rest = [c for c in reasoning.causes if c.likelihood == Likelihood.LESS_LIKELY]
    blocks: list[Block] = [Paragraph((w.say("causes.intro"),))]
    blocks += [_cause_entry(w, i, c) for i, c in enumerate(full, start=1)]
    also = []
    for c in [c for c in shown if c not in full][:MAX_ALSO]:
        reason = c.reasons_for[0] if c.reasons_for else None
        also.append(
            w.say(
                "causes.also",
                reason.sources if reason else w.kb.causes[c.id].sources,
                name=w.kb.causes[c.id].name.get(w.lang),
                likelihood=w.word(f"likelihood.{c.likelihood}"),
                reason=reason.text if reason else "",
            )
        )
    if also:
        blocks += [Paragraph((Statement(w.word("label.also_possible")),)), Bullets(tuple(also))]
    if rest:
        named = [inline(w.kb.causes[c.id].name.get(w.lang)) for c in rest[:MAX_NAMED]]
        if len(rest) > MAX_NAMED:
            named.append(w.word("label.and_others", count=len(rest) - MAX_NAMED))
        said = w.say("causes.less_likely", backing(rest[:MAX_NAMED]), causes=w.join(named))
        blocks.append(Paragraph((said,)))
    return w.section("causes", blocks)


def _next_steps(w: Writer, reasoning: Reasoning) -> Section:
    return w.section("next_steps", [Bullets(tuple(s.statement for s in reasoning.next_steps))])


def _see_doctor(w: Writer, reasoning: Reasoning) -> Section:
    """Why the panel needs a doctor at the level it does (when is in "what to do now"), and
    the signs that need care the same day whatever the numbers say."""
    level = reasoning.urgency
    # the reasons that set the level (the urgent ones head the report already)
    why = tuple(r.statement for r in reasoning.urgency_reasons if r.level == level < Urgency.URGENT)
    blocks: list[Block] = [Bullets(why)] if why else []
    if not why:  # an urgent panel says "today" at the top already
        when = w.first("see_doctor.none")
        blocks += [Paragraph((when,))] if when else []
    signs = w.first("see_doctor.warning_signs_pregnancy", "see_doctor.warning_signs")
    blocks += [Paragraph((signs,))] if signs else []
    return w.section("see_doctor", blocks)


def _daily_life(w: Writer, reasoning: Reasoning) -> Section:
    """The advice that fits best first (the person's own causes), at most four items."""
    items = tuple(a.statement for a in reasoning.advice[:MAX_ADVICE])
    return w.section("daily_life", [Bullets(items)])


def asked(reasoning: Reasoning) -> list[Question]:
    """The questions that would sharpen the ranking, each once with every field that
    answers it; the web page asks them in place. Taken in turns from the causes in rank
    order (each one's first question, then each one's second...), so three questions reach
    three causes rather than all asking about the best fit."""
    found: dict[str, tuple[str, ...]] = {}
    turns = zip_longest(*(c.questions for c in reasoning.causes))
    for question in (q for turn in turns for q in turn if q is not None):
        before = found.get(question.text, ())
        found[question.text] = tuple(dict.fromkeys(before + question.fields))
    return [Question(text, fields) for text, fields in found.items()][:MAX_QUESTIONS]


def _questions(w: Writer, reasoning: Reasoning) -> Section | None:
    questions = asked(reasoning)
    if not questions:
        return None
    return w.section("questions", [Bullets(tuple(Statement(q.text) for q in questions))])


def _detail(section: Section | None) -> Section | None:
    return None if section is None else replace(section, detail=True)


def sections(
    kb: KnowledgeBase,
    case: Case,
    row: Row,
    reasoning: Reasoning,
    trend: Mapping[str, Any] | None = None,
) -> list[Section]:
    w = Writer(kb, case.language, reasoning)
    built = [
        _urgent(w, reasoning),
        _summary(w, case, row, reasoning),
        _next_steps(w, reasoning),
        _see_doctor(w, reasoning),
        _causes(w, reasoning),
        _questions(w, reasoning),
        _daily_life(w, reasoning),
        *(
            _detail(s)
            for s in (
                _numbers(w, case, row),
                clinical.trend_section(kb, case, trend, w),
                _reading(w, row),
                clinical.scores_section(kb, case, row, w),
                clinical.medicines_section(kb, case, reasoning, w),
                clinical.workup_section(kb, case, reasoning, w),
            )
        ),
    ]
    return [s for s in built if s is not None]


def report_title(kb: KnowledgeBase, case: Case, row: Row, reasoning: Reasoning) -> str:
    return title(Writer(kb, case.language, reasoning), row)
