"""Named yes/no facts about a panel and its person, as Polars expressions.

Knowledge files refer to these by name (``when: recent_exercise``) in urgency rules and cause
evidence; the loader-side check ``check_references`` fails if a file names one that is not here.
Predicates follow three-valued logic: ``null`` means "unknown" (the person did not say, or the
test was not done). Unknown evidence counts neither for nor against a cause, and the engine turns
it into a question instead.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from liverlens.engine.columns import symptom
from liverlens.engine.context_predicates import CONTEXT_PREDICATES
from liverlens.engine.predicate_logic import (
    DISCOMFORT,
    Predicate,
    acetaminophen_overdose,
    age_between,
    alcohol_above_risk,
    any_of,
    any_symptom,
    at_least_fold,
    fda_stop_rule,
    high,
    high_inr,
    hys_law,
    known_condition,
    low,
    medicine_pattern_fits,
    not_known_condition,
    overweight,
    raised_aminotransferase,
    status_is,
    very_high,
)
from liverlens.errors import KnowledgeError
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import Evidence, condition_parts
from liverlens.vocabulary import Band, Likelihood, Pattern, Status, Urgency

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl

PREDICATES: dict[str, Predicate] = {
    # single analytes
    "alt_high": high("alt"),
    "ast_high": high("ast"),
    "alp_high": high("alp"),
    "ggt_high": high("ggt"),
    "ck_high": high("ck"),
    "bilirubin_high": high("bilirubin"),
    "direct_bilirubin_high": high("direct_bilirubin"),
    "albumin_low": low("albumin"),
    "platelets_low": low("platelets"),
    # combinations of analytes
    "any_abnormal": lambda kb: pl.col("any_abnormal"),
    "alt_above_healthy": lambda kb: pl.col("alt_above_healthy"),
    "ast_gt_alt": lambda kb: pl.col("ast") > pl.col("alt"),
    "alt_above_ast": lambda kb: pl.col("alt") > pl.col("ast"),
    "ast_gt_alt_with_normal_ggt": lambda kb: (
        (pl.col("ast") > pl.col("alt")) & status_is("ggt", Status.NORMAL)
    ),
    "ggt_and_alp_high": lambda kb: status_is("ggt", Status.HIGH) & status_is("alp", Status.HIGH),
    "ast_alt_ratio_over_2": lambda kb: (
        pl.col("ast_alt_ratio") > kb.threshold("ast_alt_alcohol_above")
    ),
    "ast_above_alcohol_ceiling": lambda kb: pl.col("ast") > kb.threshold("alcohol_ast_ceiling"),
    "alt_at_least_2x": lambda kb: pl.col("alt_fold") >= kb.threshold("grade_mild_from"),
    "aminotransferase_at_least_5x": lambda kb: at_least_fold(kb, "grade_moderate_from"),
    "very_high_aminotransferases": very_high,
    "hys_law_pattern": hys_law,
    "high_inr": high_inr,
    "pattern_hepatocellular": lambda kb: pl.col("pattern") == Pattern.HEPATOCELLULAR.value,
    "pattern_mixed": lambda kb: pl.col("pattern") == Pattern.MIXED.value,
    "pattern_cholestatic": lambda kb: pl.col("pattern") == Pattern.CHOLESTATIC.value,
    "synthesis_normal": lambda kb: (
        status_is("albumin", Status.NORMAL) & status_is("platelets", Status.NORMAL)
    ),
    # AST at or above ALT with low albumin or platelets, in a panel whose enzymes are raised:
    # with every enzyme normal, a ratio of two normal numbers is no sign of scarring
    "scarring_signals": lambda kb: (
        (pl.col("ast_alt_ratio") >= kb.threshold("ast_alt_fibrosis_from"))
        & any_of([status_is("albumin", Status.LOW), status_is("platelets", Status.LOW)])
        & raised_aminotransferase()
    ),
    # the person and their context
    "recent_exercise": lambda kb: (
        pl.col("strenuous_exercise_days_ago") <= kb.threshold("exercise_recent_within_days")
    ),
    "late_nights": lambda kb: pl.col("late_nights"),
    "fatigue": lambda kb: pl.col("fatigue"),
    "alcohol_above_risk": alcohol_above_risk,
    "no_alcohol": lambda kb: pl.col("alcohol_grams_per_week") == 0,
    "recent_heavy_drinking": lambda kb: pl.col("recent_heavy_drinking"),
    "overweight": overweight,
    "diabetes": lambda kb: pl.col("diabetes"),
    "takes_medication": lambda kb: pl.col("n_medications") > 0,
    "no_medication": lambda kb: pl.col("n_medications") == 0,
    "known_hepatitis_b": known_condition("hepatitis_b"),
    "known_hepatitis_c": known_condition("hepatitis_c"),
    # not already known to have it: a reason to test for it holds only then
    "hepatitis_b_not_known": not_known_condition("hepatitis_b"),
    "hepatitis_c_not_known": not_known_condition("hepatitis_c"),
    "known_fatty_liver": known_condition("fatty_liver"),
    "known_cirrhosis": known_condition("cirrhosis"),
    "known_gallstones": known_condition("gallstones"),
    "jaundice_signs": any_symptom("jaundice", "dark_urine", "pale_stools"),
    "confusion": lambda kb: any_of(
        [pl.col(symptom("confusion")), pl.col("encephalopathy") == "grade_3_4"]
    ),
    "bleeding": any_symptom("bleeding"),
    "abdominal_pain": any_symptom("abdominal_pain"),
    "fever_with_abdominal_pain": lambda kb: (
        pl.col(symptom("fever")) & pl.col(symptom("abdominal_pain")) & pl.col("any_abnormal")
    ),
    # how much a person drinks is unknown, and no recent heavy drinking says it already: a
    # "no" to the recent binge alone leaves the weekly amount, the ACG's measure, unknown
    "alcohol_not_asked": lambda kb: (
        pl.col("alcohol_grams_per_week").is_null()
        & ~pl.col("recent_heavy_drinking").fill_null(False)
    ),
    "medications_not_asked": lambda kb: pl.col("n_medications").is_null(),
    "ggt_normal": lambda kb: status_is("ggt", Status.NORMAL),
    "alt_massive": lambda kb: pl.col("alt") > kb.threshold("grade_massive_above"),
    "aminotransferase_raised": lambda kb: raised_aminotransferase(),
    "muscle_pain": any_symptom("muscle_pain"),
    "viral_prodrome": any_symptom("fever", "nausea", "vomiting", "loss_of_appetite"),
    "known_autoimmune_disease": known_condition("autoimmune_disease"),
    "known_thyroid_disease": known_condition("thyroid_disease"),
    "known_celiac_disease": known_condition("celiac_disease"),
    "known_heart_failure": known_condition("heart_failure"),
    "pregnant": lambda kb: pl.col("pregnant"),
    "persistent_elevation": lambda kb: pl.col("trend_persistent"),
    "age_3_to_40": age_between("ceruloplasmin_age_from", "ceruloplasmin_age_up_to"),
    "takes_acetaminophen": lambda kb: pl.col("med_acetaminophen"),
    "possible_overdose": lambda kb: pl.col("possible_overdose"),
    "acetaminophen_overdose": acetaminophen_overdose,
    "takes_well_known_hepatotoxin": lambda kb: pl.col("med_top_category") == "A",
    # "mixed" overlaps both other patterns; a medicine whose pattern "varies" is neutral
    "medicine_pattern_fits": medicine_pattern_fits,
    "medicine_pattern_differs": lambda kb: (
        pl.col("pattern").is_not_null()
        & (pl.col("med_patterns").list.len() > 0)
        & ~medicine_pattern_fits(kb)
        & ~pl.col("med_patterns").list.contains("varies")
    ),
    "medicine_stop_rule": fda_stop_rule,
    "fibrosis_score_high": lambda kb: any_of(
        [
            pl.col("fib4_band") == Band.HIGH.value,
            pl.col("apri_band") == Band.HIGH.value,
            pl.col("nfs_band") == Band.HIGH.value,
        ]
    ),
    "fibrosis_score_indeterminate": lambda kb: any_of(
        [
            pl.col("fib4_band") == Band.INDETERMINATE.value,
            pl.col("nfs_band") == Band.INDETERMINATE.value,
        ]
    ),
    "ast_alt_band_over_2": lambda kb: pl.col("ast_alt_band") == "over_2",
    "ast_alt_band_at_least_1": lambda kb: pl.col("ast_alt_band") == "at_least_1",
    "ast_alt_band_below_1": lambda kb: pl.col("ast_alt_band") == "below_1",
    "fib4_young": lambda kb: pl.col("fib4").is_not_null() & pl.col("fib4_age_caveat"),
    "fib4_older": lambda kb: pl.col("fib4").is_not_null() & pl.col("fib4_older_cutoff"),
    "alt_not_done": lambda kb: pl.col("alt").is_null(),
    "ast_not_done": lambda kb: pl.col("ast").is_null(),
    "alp_not_done": lambda kb: pl.col("alp").is_null(),
    "ck_not_done": lambda kb: pl.col("ck").is_null(),
    "ggt_not_done": lambda kb: pl.col("ggt").is_null(),
    "inr_not_done": lambda kb: pl.col("inr").is_null(),
    "discomfort_with_raised_enzymes": lambda kb: (
        any_symptom(*DISCOMFORT)(kb) & raised_aminotransferase()
    ),
    **CONTEXT_PREDICATES,
}


def _considered(cause_id: str) -> Predicate:
    return lambda kb: pl.col(f"likelihood_{cause_id}").is_in(
        [Likelihood.LIKELY.value, Likelihood.POSSIBLE.value]
    )


# Predicates that read cause likelihoods, so they are computed after scoring.
def _urgency_is(level: Urgency) -> Predicate:
    return lambda kb: pl.col("urgency") == level.value


LATE_PREDICATES: dict[str, Predicate] = {
    "urgent_finding": _urgency_is(Urgency.URGENT),
    "soon_finding": _urgency_is(Urgency.SOON),
    "routine_finding": _urgency_is(Urgency.ROUTINE),
    "nothing_found": _urgency_is(Urgency.NONE),
    "alcohol_likely": lambda kb: pl.col("likelihood_alcohol") == Likelihood.LIKELY.value,
    "drug_considered": _considered("drug_induced"),
    "cirrhosis_considered": _considered("cirrhosis"),
    "fatty_liver_considered": _considered("fatty_liver"),
    "exercise_considered": lambda kb: any_of(
        [pl.col(column("recent_exercise")), _considered("strenuous_exercise")(kb)]
    ),
    "drinking_matters": lambda kb: any_of(
        [
            pl.col(column("drinks_alcohol")),
            pl.col("likelihood_alcohol") == Likelihood.LIKELY.value,
        ]
    ),
    "transient_trigger_likely": lambda kb: any_of(
        [
            pl.col("likelihood_strenuous_exercise") == Likelihood.LIKELY.value,
            pl.col("likelihood_sleep_deprivation") == Likelihood.LIKELY.value,
        ]
    ),
}


def column(predicate_id: str) -> str:
    return f"p_{predicate_id}"


@cache
def check_references(kb: KnowledgeBase) -> None:
    """Fail loudly when a knowledge file names a predicate the engine does not define.

    Once per knowledge base (cached): the knowledge is immutable, so a second check of the
    same one could only repeat the first. Urgency rules and cause evidence are evaluated
    before cause scores, so they may not read the late (likelihood) predicates."""
    early = {p for r in kb.urgency_rules for p in (*r.when, *r.unless)}
    early |= {p for c in kb.causes.values() for ev in c.evidence for p in ev.predicates}
    early |= {p for c in kb.causes.values() for p in c.applies}
    early = {condition_parts(p)[1] for p in early}
    late = {p for t in kb.workup.values() for r in t.rules for p in (*r.predicates, *r.unless)}
    late |= {p for cond in kb.conditions.values() for p in cond.predicates}
    late |= {condition_parts(p)[1] for c in kb.causes.values() for p in c.treatments_when}
    unknown = sorted(
        (early - PREDICATES.keys()) | (late - PREDICATES.keys() - LATE_PREDICATES.keys())
    )
    if unknown:
        raise KnowledgeError(f"knowledge files name unknown predicates: {unknown}")


@cache
def read_columns(kb: KnowledgeBase, condition: str) -> tuple[str, ...]:
    """The columns a predicate (or ``not`` predicate) reads: its expression's root names,
    so a question about an unknown predicate can name the field that answers it."""
    from liverlens.engine.stored_plan import predicate_roots

    pid = condition_parts(condition)[1]
    planned = predicate_roots(kb)  # the same roots, stored with the plan: no Polars needed
    if planned is not None:
        return planned.get(pid, ())
    build = PREDICATES.get(pid) or LATE_PREDICATES.get(pid)
    return () if build is None else tuple(dict.fromkeys(build(kb).meta.root_names()))


def condition_holds(condition: str) -> pl.Expr:
    """A knowledge condition as a column: ``x`` holds when the predicate is true; ``not x``
    when it is not known to be true (false or unknown)."""
    negated, pid = condition_parts(condition)
    col = pl.col(column(pid))
    return ~col.fill_null(False) if negated else col


def all_hold(conditions: tuple[str, ...]) -> pl.Expr:
    """Every condition holds (Kleene AND: null while one is unknown and none is false)."""
    if not conditions:
        return pl.lit(True)
    return pl.all_horizontal([condition_holds(c) for c in conditions])


def evidence_holds(ev: Evidence) -> pl.Expr:
    """Kleene AND of the evidence's predicate columns (null when unknown, never guessed)."""
    return pl.all_horizontal([pl.col(column(p)) for p in ev.predicates])


def predicate_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    check_references(kb)
    return [build(kb).alias(column(pid)) for pid, build in PREDICATES.items()]


def late_predicate_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    return [build(kb).alias(column(pid)) for pid, build in LATE_PREDICATES.items()]
