"""Named yes/no facts about a panel and its person, as Polars expressions.

Knowledge files refer to these by name (``when: recent_exercise``) in urgency rules and cause
evidence; the loader-side check ``check_references`` fails if a file names one that is not here.
Predicates follow three-valued logic: ``null`` means "unknown" (the person did not say, or the
test was not done). Unknown evidence counts neither for nor against a cause, and the engine turns
it into a question instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import polars as pl

from liverlens.engine.columns import condition, symptom
from liverlens.errors import KnowledgeError
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import Evidence
from liverlens.vocabulary import Band, Likelihood, Pattern, Status

Predicate = Callable[[KnowledgeBase], pl.Expr]


def _status(analyte: str, value: Status) -> pl.Expr:
    return pl.col(f"{analyte}_status") == value.value


def _any_of(exprs: list[pl.Expr]) -> pl.Expr:
    """Kleene OR: true if any is true, null if none is true but some are unknown."""
    return pl.any_horizontal(exprs)


def _high(analyte: str) -> Predicate:
    return lambda kb: _status(analyte, Status.HIGH)


def _low(analyte: str) -> Predicate:
    return lambda kb: _status(analyte, Status.LOW)


def _sym(*terms: str) -> Predicate:
    return lambda kb: _any_of([pl.col(symptom(t)) for t in terms])


def _cond(term: str) -> Predicate:
    return lambda kb: pl.col(condition(term))


def _raised_aminotransferase() -> pl.Expr:
    return _any_of([_status("alt", Status.HIGH), _status("ast", Status.HIGH)])


def _at_least_fold(kb: KnowledgeBase, threshold_id: str) -> pl.Expr:
    limit = kb.threshold(threshold_id)
    return _any_of([pl.col("alt_fold") >= limit, pl.col("ast_fold") >= limit])


def _very_high(kb: KnowledgeBase) -> pl.Expr:
    fold_limit = kb.threshold("very_high_fold_above")
    absolute = kb.threshold("very_high_absolute_above")
    return _any_of(
        [
            pl.col("alt_fold") > fold_limit,
            pl.col("ast_fold") > fold_limit,
            pl.col("alt") > absolute,
            pl.col("ast") > absolute,
        ]
    )


def _hys_law(kb: KnowledgeBase) -> pl.Expr:
    t = kb.threshold
    amino = _any_of(
        [
            pl.col("alt_fold") > t("hys_aminotransferase_above"),
            pl.col("ast_fold") > t("hys_aminotransferase_above"),
        ]
    )
    bili = pl.col("bilirubin_fold") > t("hys_bilirubin_above")
    # Without ALP the "no initial cholestasis" part cannot be checked; flag rather than miss it.
    no_cholestasis = (pl.col("alp_fold") < t("hys_alp_below")) | pl.col("alp").is_null()
    return amino & bili & no_cholestasis


def _high_inr(kb: KnowledgeBase) -> pl.Expr:
    return (pl.col("inr") >= kb.threshold("high_inr_from")) & _raised_aminotransferase()


def _alcohol_above_risk(kb: KnowledgeBase) -> pl.Expr:
    limit = (
        pl.when(pl.col("sex") == "male")
        .then(pl.lit(kb.threshold("alcohol_risk_men_above")))
        .otherwise(pl.lit(kb.threshold("alcohol_risk_women_above")))
    )
    return pl.col("alcohol_grams_per_week") > limit


def _fda_stop_rule(kb: KnowledgeBase) -> pl.Expr:
    """FDA 2009 stopping rules, applied when the person takes a medicine."""
    t = kb.threshold

    def over(limit: float) -> pl.Expr:
        return _any_of([pl.col("alt_fold") > limit, pl.col("ast_fold") > limit])

    symptoms = _sym("nausea", "vomiting", "abdominal_pain", "fever", "rash")
    combined = over(t("fda_combined_fold_above")) & _any_of(
        [
            pl.col("bilirubin_fold") > t("fda_combined_bilirubin_fold_above"),
            pl.col("inr") > t("fda_combined_inr_above"),
            symptoms(kb),
            pl.col("fatigue"),
        ]
    )
    rules = _any_of([over(t("fda_stop_fold_above")), pl.col("trend_5x_over_2_weeks"), combined])
    return (pl.col("n_medications") > 0) & rules


def _acetaminophen_overdose(kb: KnowledgeBase) -> pl.Expr:
    suspected = pl.col("possible_overdose") & (
        pl.col("med_acetaminophen") | pl.col("n_medications").is_null()
    )
    return _any_of([suspected, pl.col("med_acetaminophen") & _very_high(kb)])


HEPATOCELLULAR, CHOLESTATIC = Pattern.HEPATOCELLULAR.value, Pattern.CHOLESTATIC.value


def _medicine_pattern_fits(kb: KnowledgeBase) -> pl.Expr:
    meds, pattern = pl.col("med_patterns"), pl.col("pattern")
    return pattern.is_not_null() & (
        meds.list.contains(pattern)
        | (
            (pattern == Pattern.MIXED.value)
            & (meds.list.contains(HEPATOCELLULAR) | meds.list.contains(CHOLESTATIC))
        )
        | (meds.list.contains(Pattern.MIXED.value) & pattern.is_in([HEPATOCELLULAR, CHOLESTATIC]))
    )


def _age_between(low_id: str, high_id: str) -> Predicate:
    return lambda kb: pl.col("age").is_between(
        kb.threshold(low_id), kb.threshold(high_id), closed="none"
    )


def _overweight(kb: KnowledgeBase) -> pl.Expr:
    cutoff = (
        pl.when(pl.col("asian").fill_null(False))
        .then(pl.lit(kb.threshold("bmi_overweight_asian_from")))
        .otherwise(pl.lit(kb.threshold("bmi_overweight_from")))
    )
    return pl.col("bmi") >= cutoff


DISCOMFORT = ("abdominal_pain", "fever", "nausea", "vomiting", "itching", "loss_of_appetite")

PREDICATES: dict[str, Predicate] = {
    # single analytes
    "alt_high": _high("alt"),
    "ast_high": _high("ast"),
    "alp_high": _high("alp"),
    "ggt_high": _high("ggt"),
    "ck_high": _high("ck"),
    "bilirubin_high": _high("bilirubin"),
    "direct_bilirubin_high": _high("direct_bilirubin"),
    "albumin_low": _low("albumin"),
    "platelets_low": _low("platelets"),
    # combinations of analytes
    "any_abnormal": lambda kb: pl.col("any_abnormal"),
    "alt_above_healthy": lambda kb: pl.col("alt_above_healthy"),
    "ast_gt_alt": lambda kb: pl.col("ast") > pl.col("alt"),
    "alt_above_ast": lambda kb: pl.col("alt") > pl.col("ast"),
    "ast_gt_alt_with_normal_ggt": lambda kb: (
        (pl.col("ast") > pl.col("alt")) & _status("ggt", Status.NORMAL)
    ),
    "ggt_and_alp_high": lambda kb: _status("ggt", Status.HIGH) & _status("alp", Status.HIGH),
    "ast_alt_ratio_over_2": lambda kb: (
        pl.col("ast_alt_ratio") > kb.threshold("ast_alt_alcohol_above")
    ),
    "ast_above_alcohol_ceiling": lambda kb: pl.col("ast") > kb.threshold("alcohol_ast_ceiling"),
    "alt_at_least_2x": lambda kb: pl.col("alt_fold") >= kb.threshold("grade_mild_from"),
    "aminotransferase_at_least_5x": lambda kb: _at_least_fold(kb, "grade_moderate_from"),
    "very_high_aminotransferases": _very_high,
    "hys_law_pattern": _hys_law,
    "high_inr": _high_inr,
    "pattern_hepatocellular": lambda kb: pl.col("pattern") == Pattern.HEPATOCELLULAR.value,
    "pattern_mixed": lambda kb: pl.col("pattern") == Pattern.MIXED.value,
    "pattern_cholestatic": lambda kb: pl.col("pattern") == Pattern.CHOLESTATIC.value,
    "synthesis_normal": lambda kb: (
        _status("albumin", Status.NORMAL) & _status("platelets", Status.NORMAL)
    ),
    "scarring_signals": lambda kb: (
        (pl.col("ast_alt_ratio") >= kb.threshold("ast_alt_fibrosis_from"))
        & _any_of([_status("albumin", Status.LOW), _status("platelets", Status.LOW)])
    ),
    # the person and their context
    "recent_exercise": lambda kb: (
        pl.col("strenuous_exercise_days_ago") <= kb.threshold("exercise_recent_within_days")
    ),
    "late_nights": lambda kb: pl.col("late_nights"),
    "fatigue": lambda kb: pl.col("fatigue"),
    "alcohol_above_risk": _alcohol_above_risk,
    "no_alcohol": lambda kb: pl.col("alcohol_grams_per_week") == 0,
    "recent_heavy_drinking": lambda kb: pl.col("recent_heavy_drinking"),
    "overweight": _overweight,
    "diabetes": lambda kb: pl.col("diabetes"),
    "takes_medication": lambda kb: pl.col("n_medications") > 0,
    "no_medication": lambda kb: pl.col("n_medications") == 0,
    "pregnant_with_raised_alt": lambda kb: pl.col("pregnant") & _status("alt", Status.HIGH),
    "known_hepatitis_b": _cond("hepatitis_b"),
    "known_hepatitis_c": _cond("hepatitis_c"),
    "known_fatty_liver": _cond("fatty_liver"),
    "known_cirrhosis": _cond("cirrhosis"),
    "known_gallstones": _cond("gallstones"),
    "jaundice_signs": _sym("jaundice", "dark_urine", "pale_stools"),
    "confusion": lambda kb: _any_of(
        [pl.col(symptom("confusion")), pl.col("encephalopathy") == "grade_3_4"]
    ),
    "bleeding": _sym("bleeding"),
    "abdominal_pain": _sym("abdominal_pain"),
    "fever_with_abdominal_pain": lambda kb: (
        pl.col(symptom("fever")) & pl.col(symptom("abdominal_pain")) & pl.col("any_abnormal")
    ),
    "alcohol_not_asked": lambda kb: (
        pl.col("alcohol_grams_per_week").is_null() & pl.col("recent_heavy_drinking").is_null()
    ),
    "medications_not_asked": lambda kb: pl.col("n_medications").is_null(),
    "ggt_normal": lambda kb: _status("ggt", Status.NORMAL),
    "alt_massive": lambda kb: pl.col("alt") > kb.threshold("grade_massive_above"),
    "aminotransferase_raised": lambda kb: _raised_aminotransferase(),
    "muscle_pain": _sym("muscle_pain"),
    "viral_prodrome": _sym("fever", "nausea", "vomiting", "loss_of_appetite"),
    "known_autoimmune_disease": _cond("autoimmune_disease"),
    "known_thyroid_disease": _cond("thyroid_disease"),
    "known_celiac_disease": _cond("celiac_disease"),
    "known_heart_failure": _cond("heart_failure"),
    "pregnant": lambda kb: pl.col("pregnant"),
    "persistent_elevation": lambda kb: pl.col("trend_persistent"),
    "age_3_to_40": _age_between("ceruloplasmin_age_from", "ceruloplasmin_age_up_to"),
    "takes_acetaminophen": lambda kb: pl.col("med_acetaminophen"),
    "possible_overdose": lambda kb: pl.col("possible_overdose"),
    "acetaminophen_overdose": _acetaminophen_overdose,
    "takes_well_known_hepatotoxin": lambda kb: pl.col("med_top_category") == "A",
    # "mixed" overlaps both other patterns; a medicine whose pattern "varies" is neutral
    "medicine_pattern_fits": _medicine_pattern_fits,
    "medicine_pattern_differs": lambda kb: (
        pl.col("pattern").is_not_null()
        & (pl.col("med_patterns").list.len() > 0)
        & ~_medicine_pattern_fits(kb)
        & ~pl.col("med_patterns").list.contains("varies")
    ),
    "medicine_stop_rule": _fda_stop_rule,
    "fibrosis_score_high": lambda kb: _any_of(
        [
            pl.col("fib4_band") == Band.HIGH.value,
            pl.col("apri_band") == Band.HIGH.value,
            pl.col("nfs_band") == Band.HIGH.value,
        ]
    ),
    "fibrosis_score_indeterminate": lambda kb: _any_of(
        [
            pl.col("fib4_band") == Band.INDETERMINATE.value,
            pl.col("nfs_band") == Band.INDETERMINATE.value,
        ]
    ),
    "ck_not_done": lambda kb: pl.col("ck").is_null(),
    "ggt_not_done": lambda kb: pl.col("ggt").is_null(),
    "inr_not_done": lambda kb: pl.col("inr").is_null(),
    "discomfort_with_raised_enzymes": lambda kb: _sym(*DISCOMFORT)(kb) & _raised_aminotransferase(),
}


def _considered(cause_id: str) -> Predicate:
    return lambda kb: pl.col(f"likelihood_{cause_id}").is_in(
        [Likelihood.LIKELY.value, Likelihood.POSSIBLE.value]
    )


# Predicates that read cause likelihoods, so they are computed after scoring.
LATE_PREDICATES: dict[str, Predicate] = {
    "fatty_liver_considered": _considered("fatty_liver"),
    "transient_trigger_likely": lambda kb: _any_of(
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
    same one could only repeat the first."""
    named = {r.when for r in kb.urgency_rules}
    named |= {p for c in kb.causes.values() for ev in c.evidence for p in ev.predicates}
    late = {p for t in kb.workup.values() for r in t.rules for p in (*r.predicates, *r.unless)}
    unknown = sorted(
        (named - PREDICATES.keys()) | (late - PREDICATES.keys() - LATE_PREDICATES.keys())
    )
    if unknown:
        raise KnowledgeError(f"knowledge files name unknown predicates: {unknown}")


def evidence_holds(ev: Evidence) -> pl.Expr:
    """Kleene AND of the evidence's predicate columns (null when unknown, never guessed)."""
    return pl.all_horizontal([pl.col(column(p)) for p in ev.predicates])


def predicate_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    check_references(kb)
    return [build(kb).alias(column(pid)) for pid, build in PREDICATES.items()]


def late_predicate_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    return [build(kb).alias(column(pid)) for pid, build in LATE_PREDICATES.items()]
