"""Per-person reasoning: turn one row of findings into ranked causes, next steps and advice.

The vectorised engine has already decided every yes/no fact, the urgency and each cause's score.
This module only reads that row: it orders the causes, collects the evidence texts that fired
(with their sources), asks about what is unknown, and picks the next steps and advice whose
conditions hold (``when`` in the knowledge files), never two that exclude each other. No
threshold lives here; the time windows a step gives come from ``thresholds.yaml`` by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from liverlens.engine.causes import likelihood_column, score_column
from liverlens.engine.columns import MIXED_ONLY, comparator, filled_by
from liverlens.engine.predicates import column, read_columns
from liverlens.engine.rucam import RucamResult, assess
from liverlens.engine.statements import Facts, Statement, cited, clashes, facts, holds
from liverlens.engine.urgency import rule_column
from liverlens.engine.workup import test_column
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase, Language, fill
from liverlens.knowledge.schema import Cause, Evidence
from liverlens.vocabulary import Likelihood, Timing, Urgency

Row = Mapping[str, Any]


@dataclass(frozen=True)
class UrgencyReason:
    id: str
    level: Urgency
    red_flag: bool
    statement: Statement


@dataclass(frozen=True)
class Question:
    """A question whose answer would settle a piece of unknown evidence, with the person and
    context fields (contract names) that answer it; none when only a test or an earlier
    result can (a rise that has lasted six months)."""

    text: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class CauseFinding:
    id: str
    likelihood: Likelihood
    score: int
    reasons_for: tuple[Statement, ...]
    reasons_against: tuple[Statement, ...]
    questions: tuple[Question, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    id: str
    statement: Statement
    after_days: tuple[int, int] | None = None
    within_days: int | None = None
    retest_for: str | None = None  # the cause whose own retest advice this step gives


@dataclass(frozen=True)
class AdviceItem:
    id: str
    statement: Statement


@dataclass(frozen=True)
class WorkupItem:
    id: str
    name: str
    group: str
    statement: Statement
    timing: Timing


@dataclass(frozen=True)
class Reasoning:
    urgency: Urgency
    urgency_reasons: tuple[UrgencyReason, ...]
    causes: tuple[CauseFinding, ...]
    next_steps: tuple[Step, ...]
    advice: tuple[AdviceItem, ...]
    workup: tuple[WorkupItem, ...] = ()
    rucam: tuple[RucamResult, ...] = ()
    placeholders: dict[str, str] = field(default_factory=dict)
    facts: Facts = field(default_factory=dict)


def _pattern_words(kb: KnowledgeBase, lang: Language, patterns: list[Any]) -> str:
    named = dict.fromkeys("mixed" if p == MIXED_ONLY else p for p in patterns if p)
    words = [kb.say(f"pattern_name.{p}", lang) for p in named]
    return kb.say("join.comma", lang).join(words) or "?"


def placeholders(kb: KnowledgeBase, case: Case, row: Row) -> dict[str, str]:
    """Values the knowledge texts may name, formatted once for every text of the report."""
    lang = case.language
    num, bounded = kb.number, kb.bounded
    values: dict[str, str] = {}
    for a in kb.analytes:
        bound = row.get(comparator(a))
        values[a] = bounded(row.get(a), bound, 1, lang)
        values[f"{a}_fold"] = bounded(row.get(f"{a}_fold"), bound, 1, lang)
        values[f"{a}_uln"] = num(row.get(f"{a}_uln"), 1, lang)
    male = case.person.sex == "male"
    values.update(
        ast_alt_ratio=num(row.get("ast_alt_ratio"), 2, lang),
        r_ratio=num(row.get("r_ratio"), 2, lang),
        exercise_days_ago=num(row.get("strenuous_exercise_days_ago"), 0, lang),
        alcohol_g_week=num(row.get("alcohol_grams_per_week"), 0, lang),
        alcohol_limit=num(
            kb.threshold("alcohol_risk_men_above" if male else "alcohol_risk_women_above"), 0, lang
        ),
        bmi=num(row.get("bmi"), 1, lang),
        bmi_cutoff=num(
            kb.threshold(
                "bmi_overweight_asian_from" if case.person.asian else "bmi_overweight_from"
            ),
            1,
            lang,
        ),
        lean_bmi=num(kb.threshold("bmi_overweight_asian_from"), 1, lang),
        medications=kb.say("join.comma", lang).join(m.given for m in case.medicines or ()) or "?",
        months_elevated=num(row.get("trend_months_elevated"), 0, lang),
        pregnancy_weeks=num(case.person.pregnancy_weeks, 0, lang),
        pattern=_pattern_words(kb, lang, [row.get("pattern")]),
        medicine_patterns=_pattern_words(kb, lang, row.get("med_patterns") or []),
        hepatotoxins=kb.say("join.comma", lang).join(
            f"{m.medicine.display_name(lang)} ({m.medicine.livertox})"
            for m in case.medicines or ()
            if m.medicine is not None
            and m.medicine.livertox in ("A", "B")
            and not m.medicine.high_dose_only
        )
        or "?",
    )
    return values


def _urgency_reasons(kb: KnowledgeBase, row: Row, lang: Language) -> tuple[UrgencyReason, ...]:
    fired = [r for r in kb.urgency_rules if row.get(rule_column(r.id))]
    fired.sort(key=lambda r: (-r.level.rank, not r.red_flag))
    return tuple(
        UrgencyReason(
            r.id, r.level, r.red_flag, Statement(r.text.get(lang), r.sources, f"urgency:{r.id}")
        )
        for r in fired
    )


def all_of(values: list[Any]) -> bool | None:
    """Kleene AND, the same logic the vectorised engine uses: False wins, then unknown."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def _answering_fields(kb: KnowledgeBase, predicates: tuple[str, ...], row: Row) -> tuple[str, ...]:
    """The fields whose answer would settle these predicates: those behind the columns the
    predicates read that are still unknown in this row (the sex a drinking limit depends on
    is not asked again when it was given)."""
    fields: list[str] = []
    for name in predicates:
        for col in read_columns(kb, name):
            if row.get(col) is None:
                fields += [f for f in filled_by(col) if f not in fields]
    return tuple(fields)


_Evidence = tuple[Evidence, tuple[str, ...], str]  # evidence, its columns, its reference


@cache
def _evidence(
    kb: KnowledgeBase, cause_id: str
) -> tuple[tuple[Evidence, tuple[str, ...], str], ...]:
    """A cause's evidence with the columns of its predicates and its reference, named once
    per knowledge base (hashed by identity, as the engine's stages are cached) rather than
    once per report."""
    return tuple(
        (ev, tuple(column(p) for p in ev.predicates), f"cause:{cause_id}:evidence:{ev.key}")
        for ev in kb.causes[cause_id].evidence
    )


def _cause_finding(
    kb: KnowledgeBase, cause: Cause, row: Row, lang: Language, values: dict[str, str]
) -> CauseFinding | None:
    score = row.get(score_column(cause.id))
    if score is None:
        return None
    pro: list[Statement] = []
    con: list[Statement] = []
    questions: dict[str, tuple[str, ...]] = {}
    if cause.prior > 0 and cause.prior_reason is not None:
        pro.append(
            Statement(
                cause.prior_reason.get(lang), cited(kb, cause.sources), f"cause:{cause.id}:name"
            )
        )
    for ev, columns, where in _evidence(kb, cause.id):
        holding = all_of([row.get(c) for c in columns])
        if holding is None:
            if ev.question is not None:
                asked = questions.get(ev.question.get(lang), ())
                found = _answering_fields(kb, ev.predicates, row)
                questions[ev.question.get(lang)] = tuple(dict.fromkeys(asked + found))
            continue
        if not holding:
            continue
        statement = Statement(fill(ev.text, lang, where, **values), ev.sources, where)
        (pro if ev.weight > 0 else con).append(statement)
    return CauseFinding(
        id=cause.id,
        likelihood=Likelihood(row[likelihood_column(cause.id)]),
        score=int(score),
        reasons_for=tuple(pro),
        reasons_against=tuple(con),
        questions=tuple(Question(text, fields) for text, fields in questions.items()),
        sources=cause.sources,
    )


def _causes(
    kb: KnowledgeBase, row: Row, lang: Language, values: dict[str, str]
) -> tuple[CauseFinding, ...]:
    found = [_cause_finding(kb, c, row, lang, values) for c in kb.causes.values()]
    ranked = [c for c in found if c is not None]
    order = list(kb.causes)
    ranked.sort(key=lambda c: (-c.score, order.index(c.id)))
    return tuple(ranked)


def _next_steps(kb: KnowledgeBase, known: Facts, lang: Language) -> tuple[Step, ...]:
    """Every step whose conditions hold, in file order, skipping one that a step already
    said excludes (the same-day wording of "see a doctor" wins over the others)."""
    t = kb.threshold
    steps: list[Step] = []
    said: list[str] = []
    for spec in kb.next_steps.values():
        ref = f"step:{spec.id}"
        if not holds(spec.when, known) or clashes(kb, ref, said):
            continue
        values: dict[str, object] = {}
        after = None
        if spec.after_days is not None:
            after = (int(t(spec.after_days[0])), int(t(spec.after_days[1])))
            values.update(after_min=after[0], after_max=after[1])
        if spec.ideal_from is not None:
            values["after_ideal"] = int(t(spec.ideal_from))
        within = None if spec.within_days is None else int(t(spec.within_days))
        if within is not None:
            values["within_days"] = within
        text = fill(spec.text, lang, ref, **values)
        statement = Statement(text, spec.sources, ref)
        steps.append(
            Step(
                spec.output_id,
                statement,
                after_days=after,
                within_days=within,
                retest_for=spec.retest_for,
            )
        )
        said.append(ref)
    return tuple(steps)


def _advice(
    kb: KnowledgeBase,
    causes: tuple[CauseFinding, ...],
    known: Facts,
    lang: Language,
    steps: tuple[Step, ...] = (),
) -> tuple[AdviceItem, ...]:
    """Advice whose conditions hold: first what the person's own causes point to, then the
    rest in file order; one of two that exclude each other ("keep alcohol low", "avoid it
    completely") is never said beside the other."""
    first: list[str] = []
    for c in causes:
        if c.likelihood == Likelihood.LESS_LIKELY:
            continue
        for advice_id in kb.causes[c.id].advice:
            if advice_id not in first:
                first.append(advice_id)
    out: list[AdviceItem] = []
    said: list[str] = [s.statement.ref for s in steps if s.statement.ref]
    for advice_id in first + [a for a in kb.advice if a not in first]:
        spec = kb.advice[advice_id]
        ref = f"advice:{advice_id}"
        if not holds(spec.when, known) or clashes(kb, ref, said):
            continue
        out.append(AdviceItem(advice_id, Statement(spec.text.get(lang), spec.sources, ref)))
        said.append(ref)
    return tuple(out)


def _workup(kb: KnowledgeBase, row: Row, lang: Language) -> tuple[WorkupItem, ...]:
    deferred = bool(row.get("workup_deferred"))
    items: list[WorkupItem] = []
    for test in kb.workup.values():
        if not row.get(test_column(test.id)):
            continue
        rule = next(
            r
            for r in test.rules
            if all_of([row.get(column(p)) for p in r.predicates])
            and not any(row.get(column(p)) for p in r.unless)
        )
        timing = Timing.IF_REPEAT_RAISED if deferred and test.deferrable else Timing.NOW
        items.append(
            WorkupItem(
                test.id,
                test.name.get(lang),
                test.group,
                Statement(rule.reason.get(lang), rule.sources),
                timing,
            )
        )
    return tuple(items)


def reason(
    kb: KnowledgeBase,
    case: Case,
    row: Row,
    onset: date | None = None,
    day: date | None = None,
) -> Reasoning:
    """Everything the report says about one person beyond the raw findings."""
    lang = case.language
    values = placeholders(kb, case, row)
    known = facts(row)
    causes = _causes(kb, row, lang, values)
    steps = _next_steps(kb, known, lang)
    return Reasoning(
        urgency=Urgency(row["urgency"]),
        urgency_reasons=_urgency_reasons(kb, row, lang),
        causes=causes,
        next_steps=steps,
        advice=_advice(kb, causes, known, lang, steps),
        workup=_workup(kb, row, lang),
        rucam=assess(kb, case, row, onset or case.collected_on or day, day),
        placeholders=values,
        facts=known,
    )
