"""The building blocks of the predicates: three-valued tests on the engine's columns.

``null`` means unknown (the person did not say, or the test was not done); ``any_of`` is a
Kleene OR, so an unknown part leaves the whole unknown unless another part is true. The named
predicates are in ``predicates.py`` (panel findings) and ``context_predicates.py`` (the person
and their context); knowledge files refer to them by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from liverlens.engine.columns import MIXED_ONLY, condition, symptom
from liverlens.knowledge import KnowledgeBase
from liverlens.vocabulary import Pattern, Status

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl

Predicate = Callable[[KnowledgeBase], "pl.Expr"]


def status_is(analyte: str, value: Status) -> pl.Expr:
    return pl.col(f"{analyte}_status") == value.value


def any_of(exprs: list[pl.Expr]) -> pl.Expr:
    """Kleene OR: true if any is true, null if none is true but some are unknown."""
    return pl.any_horizontal(exprs)


def high(analyte: str) -> Predicate:
    return lambda kb: status_is(analyte, Status.HIGH)


def low(analyte: str) -> Predicate:
    return lambda kb: status_is(analyte, Status.LOW)


def any_symptom(*terms: str) -> Predicate:
    return lambda kb: any_of([pl.col(symptom(t)) for t in terms])


def known_condition(term: str) -> Predicate:
    return lambda kb: pl.col(condition(term))


def not_known_condition(term: str) -> Predicate:
    """Not known to have it (never told, or said not): true while it is unknown, so a
    reason to test for a condition holds until the person says they have it."""
    return lambda kb: ~pl.col(condition(term)).fill_null(False)


def raised_aminotransferase() -> pl.Expr:
    return any_of([status_is("alt", Status.HIGH), status_is("ast", Status.HIGH)])


def at_least_fold(kb: KnowledgeBase, threshold_id: str) -> pl.Expr:
    limit = kb.threshold(threshold_id)
    return any_of([pl.col("alt_fold") >= limit, pl.col("ast_fold") >= limit])


def very_high(kb: KnowledgeBase) -> pl.Expr:
    fold_limit = kb.threshold("very_high_fold_above")
    absolute = kb.threshold("very_high_absolute_above")
    return any_of(
        [
            pl.col("alt_fold") > fold_limit,
            pl.col("ast_fold") > fold_limit,
            pl.col("alt") > absolute,
            pl.col("ast") > absolute,
        ]
    )


def hys_law(kb: KnowledgeBase) -> pl.Expr:
    t = kb.threshold
    amino = any_of(
        [
            pl.col("alt_fold") > t("hys_aminotransferase_above"),
            pl.col("ast_fold") > t("hys_aminotransferase_above"),
        ]
    )
    bili = pl.col("bilirubin_fold") > t("hys_bilirubin_above")
    # Without ALP the "no initial cholestasis" part cannot be checked; flag rather than miss it.
    no_cholestasis = (pl.col("alp_fold") < t("hys_alp_below")) | pl.col("alp").is_null()
    return amino & bili & no_cholestasis


def high_inr(kb: KnowledgeBase) -> pl.Expr:
    return (pl.col("inr") >= kb.threshold("high_inr_from")) & raised_aminotransferase()


def alcohol_above_risk(kb: KnowledgeBase) -> pl.Expr:
    limit = (
        pl.when(pl.col("sex") == "male")
        .then(pl.lit(kb.threshold("alcohol_risk_men_above")))
        .otherwise(pl.lit(kb.threshold("alcohol_risk_women_above")))
    )
    return pl.col("alcohol_grams_per_week") > limit


def fda_stop_rule(kb: KnowledgeBase) -> pl.Expr:
    """FDA 2009 stopping rules, applied when the person takes a medicine."""
    t = kb.threshold

    def over(limit: float) -> pl.Expr:
        return any_of([pl.col("alt_fold") > limit, pl.col("ast_fold") > limit])

    symptoms = any_symptom("nausea", "vomiting", "abdominal_pain", "fever", "rash")
    combined = over(t("fda_combined_fold_above")) & any_of(
        [
            pl.col("bilirubin_fold") > t("fda_combined_bilirubin_fold_above"),
            pl.col("inr") > t("fda_combined_inr_above"),
            symptoms(kb),
            pl.col("fatigue"),
        ]
    )
    rules = any_of([over(t("fda_stop_fold_above")), pl.col("trend_5x_over_2_weeks"), combined])
    return (pl.col("n_medications") > 0) & rules


def acetaminophen_overdose(kb: KnowledgeBase) -> pl.Expr:
    suspected = pl.col("possible_overdose") & (
        pl.col("med_acetaminophen") | pl.col("n_medications").is_null()
    )
    return any_of([suspected, pl.col("med_acetaminophen") & very_high(kb)])


HEPATOCELLULAR, CHOLESTATIC = Pattern.HEPATOCELLULAR.value, Pattern.CHOLESTATIC.value


def medicine_pattern_fits(kb: KnowledgeBase) -> pl.Expr:
    """The panel's pattern is one the person's medicines are known to cause. A mixed panel
    fits a hepatocellular or cholestatic medicine; a medicine whose only pattern is mixed
    ("mixed_only", engine/columns.py) fits either; "varies" fits nothing and nothing fails it."""
    meds, pattern = pl.col("med_patterns"), pl.col("pattern")
    return pattern.is_not_null() & (
        meds.list.contains(pattern)
        | (
            (pattern == Pattern.MIXED.value)
            & (meds.list.contains(HEPATOCELLULAR) | meds.list.contains(CHOLESTATIC))
        )
        | (meds.list.contains(MIXED_ONLY) & pattern.is_in([HEPATOCELLULAR, CHOLESTATIC]))
    )


def age_between(low_id: str, high_id: str) -> Predicate:
    return lambda kb: pl.col("age").is_between(
        kb.threshold(low_id), kb.threshold(high_id), closed="none"
    )


def overweight(kb: KnowledgeBase) -> pl.Expr:
    cutoff = (
        pl.when(pl.col("asian").fill_null(False))
        .then(pl.lit(kb.threshold("bmi_overweight_asian_from")))
        .otherwise(pl.lit(kb.threshold("bmi_overweight_from")))
    )
    return pl.col("bmi") >= cutoff


DISCOMFORT = ("abdominal_pain", "fever", "nausea", "vomiting", "itching", "loss_of_appetite")
