"""Per-person reasoning: turn one row of findings into ranked causes, next steps and advice.

The vectorised engine has already decided every yes/no fact, the urgency and each cause's score.
This module only reads that row: it orders the causes, collects the evidence texts that fired
(with their sources), asks about what is unknown, and picks next steps and advice. No threshold
lives here; the few numbers it passes on (retest window, days to see a doctor) come from
``thresholds.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from liverlens.engine.causes import likelihood_column, score_column
from liverlens.engine.columns import comparator
from liverlens.engine.predicates import column
from liverlens.engine.urgency import rule_column
from liverlens.engine.workup import test_column
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase, Language, fill
from liverlens.vocabulary import Likelihood, Timing, Urgency

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Statement:
    """One sentence of the report with the sources that back it."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class UrgencyReason:
    id: str
    level: Urgency
    red_flag: bool
    statement: Statement


@dataclass(frozen=True)
class CauseFinding:
    id: str
    likelihood: Likelihood
    score: int
    reasons_for: tuple[Statement, ...]
    reasons_against: tuple[Statement, ...]
    questions: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    id: str
    statement: Statement
    after_days: tuple[int, int] | None = None
    within_days: int | None = None


@dataclass(frozen=True)
class AdviceItem:
    id: str
    statement: Statement


@dataclass(frozen=True)
class WorkupItem:
    id: str
    name: str
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
    placeholders: dict[str, str] = field(default_factory=dict)


BOUNDS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def bounded(x: float | None, comparator: str | None, decimals: int = 2) -> str:
    """A number as the lab gave it: ``<5``, ``≥1000`` for a bound, else ``number(x)``."""
    return BOUNDS.get(comparator or "", "") + number(x, decimals)


def number(x: float | None, decimals: int = 2) -> str:
    """Format a number for prose: no trailing zeros, no float noise."""
    if x is None:
        return "?"
    text = f"{round(x, decimals):.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _pattern_words(kb: KnowledgeBase, lang: Language, patterns: list[Any]) -> str:
    words = [kb.say(f"pattern_name.{p}", lang) for p in patterns if p]
    return kb.say("join.comma", lang).join(words) or "?"


def placeholders(kb: KnowledgeBase, case: Case, row: Row) -> dict[str, str]:
    """Values the knowledge texts may name, formatted once for every text of the report."""
    lang = case.language
    values: dict[str, str] = {}
    for a in kb.analytes:
        bound = row.get(comparator(a))
        values[a] = bounded(row.get(a), bound, 1)
        values[f"{a}_fold"] = bounded(row.get(f"{a}_fold"), bound, 1)
        values[f"{a}_uln"] = number(row.get(f"{a}_uln"), 1)
    male = case.person.sex == "male"
    values.update(
        ast_alt_ratio=number(row.get("ast_alt_ratio")),
        r_ratio=number(row.get("r_ratio")),
        exercise_days_ago=number(row.get("strenuous_exercise_days_ago"), 0),
        alcohol_g_week=number(row.get("alcohol_grams_per_week"), 0),
        alcohol_limit=number(
            kb.threshold("alcohol_risk_men_above" if male else "alcohol_risk_women_above"), 0
        ),
        bmi=number(row.get("bmi"), 1),
        bmi_cutoff=number(
            kb.threshold(
                "bmi_overweight_asian_from" if case.person.asian else "bmi_overweight_from"
            )
        ),
        medications=", ".join(case.context.medications or []) or "?",
        months_elevated=number(row.get("trend_months_elevated"), 0),
        pattern=_pattern_words(kb, lang, [row.get("pattern")]),
        medicine_patterns=_pattern_words(kb, lang, row.get("med_patterns") or []),
        hepatotoxins=kb.say("join.comma", lang).join(
            m.medicine.display_name(lang)
            for m in case.medicines or ()
            if m.medicine is not None and m.medicine.livertox == "A"
        )
        or "?",
    )
    return values


def _urgency_reasons(kb: KnowledgeBase, row: Row, lang: Language) -> tuple[UrgencyReason, ...]:
    fired = [r for r in kb.urgency_rules if row.get(rule_column(r.id))]
    fired.sort(key=lambda r: (-r.level.rank, not r.red_flag))
    return tuple(
        UrgencyReason(r.id, r.level, r.red_flag, Statement(r.text.get(lang), r.sources))
        for r in fired
    )


def all_of(values: list[Any]) -> bool | None:
    """Kleene AND, the same logic the vectorised engine uses: False wins, then unknown."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def _causes(
    kb: KnowledgeBase, row: Row, lang: Language, values: dict[str, str]
) -> tuple[CauseFinding, ...]:
    found: list[CauseFinding] = []
    for cause in kb.causes.values():
        score = row.get(score_column(cause.id))
        if score is None:
            continue
        pro: list[Statement] = []
        con: list[Statement] = []
        questions: list[str] = []
        if cause.prior > 0 and cause.prior_reason is not None:
            pro.append(Statement(cause.prior_reason.get(lang), cause.sources))
        for ev in cause.evidence:
            holds = all_of([row.get(column(p)) for p in ev.predicates])
            if holds is None:
                if ev.question is not None:
                    questions.append(ev.question.get(lang))
                continue
            if not holds:
                continue
            statement = Statement(fill(ev.text, lang, f"{cause.id}:{ev.key}", **values), ev.sources)
            (pro if ev.weight > 0 else con).append(statement)
        found.append(
            CauseFinding(
                id=cause.id,
                likelihood=Likelihood(row[likelihood_column(cause.id)]),
                score=int(score),
                reasons_for=tuple(pro),
                reasons_against=tuple(con),
                questions=tuple(questions),
                sources=cause.sources,
            )
        )
    order = list(kb.causes)
    found.sort(key=lambda c: (-c.score, order.index(c.id)))
    return tuple(found)


def _step(
    kb: KnowledgeBase, step_id: str, lang: Language, as_id: str | None = None, **kw: Any
) -> Step:
    """A next step; ``as_id`` gives the public id when several wordings share one step."""
    spec = kb.next_steps[step_id]
    after = kw.get("after_days")
    values: dict[str, object] = {}
    if after:
        ideal = int(kb.threshold("retest_after_exercise_ideal_from"))
        values.update(after_min=after[0], after_max=after[1], after_ideal=ideal)
    if kw.get("within_days") is not None:
        values["within_days"] = kw["within_days"]
    text = fill(spec.text, lang, f"next_steps:{step_id}", **values)
    return Step(as_id or step_id, Statement(text, spec.sources), **kw)


def _next_steps(
    kb: KnowledgeBase, row: Row, causes: tuple[CauseFinding, ...], lang: Language
) -> tuple[Step, ...]:
    urgency = Urgency(row["urgency"])
    t = kb.threshold
    window = (int(t("retest_after_days_min")), int(t("retest_after_days_max")))
    considered = {c.id for c in causes if c.likelihood >= Likelihood.POSSIBLE}
    steps: list[Step] = []
    if urgency == Urgency.URGENT:
        steps.append(_step(kb, "seek_care_today", lang, "see_doctor", within_days=0))
    elif urgency == Urgency.SOON:
        soon = int(t("see_doctor_soon_days"))
        steps.append(_step(kb, "see_doctor_soon", lang, "see_doctor", within_days=soon))
    elif urgency == Urgency.ROUTINE and row.get("trend_persistent"):
        routine = int(t("see_doctor_routine_days"))
        steps.append(_step(kb, "see_doctor_persistent", lang, "see_doctor", within_days=routine))
    elif urgency == Urgency.ROUTINE and row.get("any_abnormal"):
        likely = {c.id for c in causes if c.likelihood == Likelihood.LIKELY}
        exercise = bool(row.get(column("recent_exercise"))) or "strenuous_exercise" in considered
        if "alcohol" in likely:
            alcohol_window = (
                int(t("retest_after_alcohol_days_min")),
                int(t("retest_after_alcohol_days_max")),
            )
            steps.append(
                _step(
                    kb, "repeat_test_after_alcohol", lang, "repeat_test", after_days=alcohol_window
                )
            )
        else:
            repeat = "repeat_test_after_exercise" if exercise else "repeat_test"
            steps.append(_step(kb, repeat, lang, "repeat_test", after_days=window))
        routine = int(t("see_doctor_routine_days"))
        steps.append(_step(kb, "see_doctor_routine", lang, "see_doctor", within_days=routine))
    elif urgency == Urgency.ROUTINE:
        steps.append(_step(kb, "mention_at_next_visit", lang, "see_doctor"))
    else:
        return (_step(kb, "keep_routine_checks", lang),)
    if row.get(column("recent_exercise")):
        steps.append(_step(kb, "pause_strenuous_exercise", lang))
    drinks = (row.get("alcohol_grams_per_week") or 0) > 0 or bool(row.get("recent_heavy_drinking"))
    if drinks or any(c.id == "alcohol" and c.likelihood == Likelihood.LIKELY for c in causes):
        steps.append(_step(kb, "stop_alcohol", lang))
    if row.get("late_nights") or row.get("fatigue"):
        steps.append(_step(kb, "restore_sleep", lang))
    if row.get(column("takes_medication")):
        steps.append(_step(kb, "review_medicines", lang))
    return tuple(steps)


def _advice(
    kb: KnowledgeBase, causes: tuple[CauseFinding, ...], lang: Language
) -> tuple[AdviceItem, ...]:
    first: list[str] = []
    for c in causes:
        if c.likelihood == Likelihood.LESS_LIKELY:
            continue
        for advice_id in kb.causes[c.id].advice:
            if advice_id not in first:
                first.append(advice_id)
    ordered = first + [a for a in kb.advice if a not in first]
    return tuple(
        AdviceItem(a, Statement(kb.advice[a].text.get(lang), kb.advice[a].sources)) for a in ordered
    )


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
                test.id, test.name.get(lang), Statement(rule.reason.get(lang), rule.sources), timing
            )
        )
    return tuple(items)


def reason(kb: KnowledgeBase, case: Case, row: Row) -> Reasoning:
    """Everything the report says about one person beyond the raw findings."""
    lang = case.language
    values = placeholders(kb, case, row)
    causes = _causes(kb, row, lang, values)
    return Reasoning(
        urgency=Urgency(row["urgency"]),
        urgency_reasons=_urgency_reasons(kb, row, lang),
        causes=causes,
        next_steps=_next_steps(kb, row, causes, lang),
        advice=_advice(kb, causes, lang),
        workup=_workup(kb, row, lang),
        placeholders=values,
    )
