"""Predicates about the person in context: isolated findings and what they mean, pregnancy,
age and build, and medicines (clinical-facts-2 sections 1-4).

Merged into ``predicates.PREDICATES``; the same three-valued logic applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liverlens.engine.columns import symptom
from liverlens.engine.predicate_logic import (
    DISCOMFORT,
    Predicate,
    alcohol_above_risk,
    any_of,
    any_symptom,
    fda_stop_rule,
    high,
    high_inr,
    hys_law,
    raised_aminotransferase,
    status_is,
    very_high,
)
from liverlens.knowledge import KnowledgeBase
from liverlens.vocabulary import Status

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl


def _not_high(analyte: str) -> pl.Expr:
    """Not known to be high: normal, low, or not measured (an isolated finding stays
    isolated until another test says otherwise)."""
    return ~status_is(analyte, Status.HIGH).fill_null(False)


def _conjugated(kb: KnowledgeBase) -> pl.Expr:
    """Direct bilirubin above its limit and at least 20% of the total: a conjugated rise,
    which comes from the liver or bile ducts, never from Gilbert syndrome."""
    share = pl.col("direct_fraction") >= kb.threshold("direct_fraction_conjugated_from")
    return status_is("direct_bilirubin", Status.HIGH) & share


def _unconjugated(kb: KnowledgeBase) -> pl.Expr:
    """Direct bilirubin measured and either within its limit or under 20% of the total."""
    share = pl.col("direct_fraction") < kb.threshold("direct_fraction_conjugated_from")
    measured = pl.col("direct_bilirubin").is_not_null()
    return measured & (status_is("direct_bilirubin", Status.NORMAL).fill_null(False) | share)


def _bilirubin_isolated_mild(kb: KnowledgeBase) -> pl.Expr:
    """Bilirubin raised up to 3x its limit with ALT normal and nothing else pointing at the
    liver: the picture of Gilbert syndrome until the direct share says otherwise."""
    mild = pl.col("bilirubin_fold") <= kb.threshold("gilbert_bilirubin_fold_up_to")
    others = [_not_high(a) for a in ("ast", "alp", "ggt", "inr")]
    synthesis = [~status_is(a, Status.LOW).fill_null(False) for a in ("albumin", "platelets")]
    return (
        status_is("bilirubin", Status.HIGH)
        & mild
        & status_is("alt", Status.NORMAL)
        & pl.all_horizontal(others + synthesis)
    )


def _albumin_markedly_low(kb: KnowledgeBase) -> pl.Expr:
    """Albumin below 28 g/L, the lowest band of Child-Pugh: low enough to matter alone."""
    below = kb.threshold("child_pugh_albumin_low_below")  # g/dL
    factor = next(u.factor for u in kb.family_of("albumin").units if u.unit == "g/dL")
    return pl.col("albumin") < below * factor


def _liver_tests_raised() -> pl.Expr:
    """A liver test above its limit: ALT, AST, GGT, bilirubin, or an ALP read as the liver's."""
    liver_alp = status_is("alp", Status.HIGH) & pl.col("alp_origin").is_null()
    return any_of(
        [*(status_is(a, Status.HIGH) for a in ("alt", "ast", "ggt", "bilirubin")), liver_alp]
    )


def _weeks(op: str, threshold_id: str) -> Predicate:
    def build(kb: KnowledgeBase) -> pl.Expr:
        weeks, limit = pl.col("pregnancy_weeks"), kb.threshold(threshold_id)
        return pl.col("pregnant") & (weeks < limit if op == "<" else weeks >= limit)

    return build


def _pregnancy_danger(kb: KnowledgeBase) -> pl.Expr:
    """In pregnancy with raised liver tests, the signs that need the maternity team the same
    day: high blood pressure, pain under the ribs, jaundice, confusion, severe headache,
    disturbed vision, the baby moving less, platelets under 100 or bile acids of 100 or more."""
    t = kb.threshold
    signs = [
        pl.col("high_blood_pressure"),
        pl.col(symptom("abdominal_pain")),
        any_symptom("jaundice", "dark_urine", "pale_stools")(kb),
        pl.col(symptom("confusion")),
        any_symptom("severe_headache", "visual_disturbance", "reduced_fetal_movement")(kb),
        pl.col("platelets") < t("hellp_platelets_below"),
        pl.col("bile_acids") >= t("icp_bile_acids_severe_from"),
    ]
    return any_of(signs)


def _lean_without_diabetes(kb: KnowledgeBase) -> pl.Expr:
    """BMI under 23 (the lowest overweight cut-off, the one for Asian ancestry) and no
    diabetes: clearly lean, with none of the metabolic risk factors that define fatty liver
    disease that we can see. Between 23 and 25 a non-Asian person may still meet another
    criterion (waist, blood pressure, blood fats) we do not know, so no penalty there."""
    lean = pl.col("bmi") < kb.threshold("bmi_overweight_asian_from")
    return lean & (pl.col("diabetes") == False)  # noqa: E712 - a column


def _statin_mild_rise(kb: KnowledgeBase) -> pl.Expr:
    """On a statin, ALT under 3x its limit, no symptoms, bilirubin normal: the rise for which
    the statin usually carries on."""
    under = pl.col("alt_fold") < kb.threshold("statin_continue_below_fold")
    calm = ~any_symptom(*DISCOMFORT, "jaundice", "dark_urine")(kb).fill_null(False)
    return (
        pl.col("med_statin") & status_is("alt", Status.HIGH) & under & calm & _not_high("bilirubin")
    )


CONTEXT_PREDICATES: dict[str, Predicate] = {
    # isolated findings and their patterns (clinical-facts-2 section 1)
    "alt_normal": lambda kb: status_is("alt", Status.NORMAL),
    "acute_rise": lambda kb: pl.col("acute_rise"),
    "fibrosis_scores_valid": lambda kb: pl.col("fibrosis_scores_valid"),
    "bilirubin_isolated_mild": _bilirubin_isolated_mild,
    "conjugated_bilirubin": _conjugated,
    "unconjugated_bilirubin": _unconjugated,
    "gilbert_pattern": lambda kb: _bilirubin_isolated_mild(kb) & _unconjugated(kb),
    "bilirubin_not_unconjugated": lambda kb: ~_unconjugated(kb).fill_null(False),
    # an isolated mild rise that is not conjugated: routine (Gilbert, or not yet split)
    "bilirubin_routine": lambda kb: (
        _bilirubin_isolated_mild(kb) & ~_conjugated(kb).fill_null(False)
    ),
    "direct_bilirubin_not_done": lambda kb: pl.col("direct_bilirubin").is_null(),
    "albumin_markedly_low": _albumin_markedly_low,
    "synthetic_signals": lambda kb: any_of(
        [
            status_is("albumin", Status.LOW)
            & any_of(
                [
                    status_is("inr", Status.HIGH),
                    status_is("bilirubin", Status.HIGH),
                    status_is("platelets", Status.LOW),
                ]
            ),
            _albumin_markedly_low(kb),
        ]
    ),
    "albumin_low_with_liver_signs": lambda kb: (
        status_is("albumin", Status.LOW)
        & any_of(
            [
                raised_aminotransferase(),
                status_is("platelets", Status.LOW),
                status_is("ggt", Status.HIGH),
                status_is("bilirubin", Status.HIGH),
            ]
        )
    ),
    "ast_dominant": lambda kb: (
        (pl.col("ast") > pl.col("alt"))
        & (pl.col("ast_fold") >= kb.threshold("ast_dominant_fold_from"))
        & status_is("ggt", Status.HIGH)
    ),
    "alcohol_pattern": lambda kb: (
        alcohol_above_risk(kb)
        & (pl.col("ast_alt_ratio") > kb.threshold("ast_alt_alcohol_above"))
        & raised_aminotransferase()
    ),
    "liver_tests_raised": lambda kb: _liver_tests_raised(),
    "something_to_explain": lambda kb: pl.col("any_abnormal") | pl.col("alt_above_healthy"),
    "alp_not_liver": lambda kb: pl.col("alp_origin").is_not_null(),
    "alp_from_pregnancy": lambda kb: pl.col("alp_origin") == "pregnancy",
    "alp_from_growth": lambda kb: pl.col("alp_origin") == "growth",
    "alp_from_bone": lambda kb: pl.col("alp_origin") == "bone",
    "pattern_from_r_ratio": lambda kb: pl.col("pattern_basis") == "r_ratio",
    "pattern_from_alt_alone": lambda kb: pl.col("pattern_basis") == "alt_only",
    "pattern_from_alp_alone": lambda kb: pl.col("pattern_basis") == "alp_only",
    # pregnancy (clinical-facts-2 section 2)
    "pregnancy_before_20_weeks": _weeks("<", "pregnancy_second_half_from_weeks"),
    "pregnancy_from_20_weeks": _weeks(">=", "pregnancy_second_half_from_weeks"),
    "pregnancy_third_trimester": _weeks(">=", "pregnancy_third_trimester_from_weeks"),
    "pregnancy_weeks_not_given": lambda kb: (
        pl.col("pregnant") & pl.col("pregnancy_weeks").is_null()
    ),
    "pregnancy_liver_tests_raised": lambda kb: (
        pl.col("pregnant") & any_of([_liver_tests_raised(), status_is("bile_acids", Status.HIGH)])
    ),
    "pregnancy_danger_signs": _pregnancy_danger,
    "pregnancy_danger": lambda kb: (
        pl.col("pregnant")
        & any_of([_liver_tests_raised(), status_is("bile_acids", Status.HIGH)])
        & _pregnancy_danger(kb)
    ),
    "high_blood_pressure": lambda kb: pl.col("high_blood_pressure"),
    "protein_in_urine": lambda kb: pl.col("protein_in_urine"),
    "itching": any_symptom("itching"),
    "vomiting": any_symptom("vomiting"),
    "headache_or_vision": any_symptom("severe_headache", "visual_disturbance"),
    "bile_acids_high": high("bile_acids"),
    "bile_acids_icp": lambda kb: pl.col("bile_acids") >= kb.threshold("icp_bile_acids_from"),
    "bile_acids_severe": lambda kb: (
        pl.col("bile_acids") >= kb.threshold("icp_bile_acids_severe_from")
    ),
    "bile_acids_not_done": lambda kb: pl.col("bile_acids").is_null(),
    "platelets_hellp": lambda kb: pl.col("platelets") < kb.threshold("hellp_platelets_below"),
    # age and build (clinical-facts-2 section 3)
    "adolescent": lambda kb: pl.col("age").is_between(
        kb.threshold("adolescent_from_age"), kb.threshold("adult_from_age"), closed="left"
    ),
    "lean_without_diabetes": _lean_without_diabetes,
    "female": lambda kb: pl.col("sex") == "female",
    # medicines (clinical-facts-2 section 4)
    "takes_statin": lambda kb: pl.col("med_statin"),
    "statin_mild_rise": _statin_mild_rise,
    "takes_likely_hepatotoxin": lambda kb: pl.col("med_top_category").is_in(["A", "B"]),
    "medicine_timing_fits": lambda kb: pl.col("med_timing") == "fits",
    "medicine_timing_incompatible": lambda kb: pl.col("med_timing") == "incompatible",
    "hys_law_with_medicine": lambda kb: hys_law(kb) & (pl.col("n_medications") > 0),
    "acetaminophen_usual_use": lambda kb: (
        pl.col("med_acetaminophen")
        & (pl.col("possible_overdose") == False)  # noqa: E712 - a column
        & ~very_high(kb).fill_null(False)
    ),
    "acetaminophen_with_very_high": lambda kb: pl.col("med_acetaminophen") & very_high(kb),
    # medicines: jaundice, Hy's law, an FDA stop rule or a high INR while taking one
    "serious_drug_injury": lambda kb: (
        (pl.col("n_medications") > 0)
        & any_of(
            [
                any_symptom("jaundice", "dark_urine", "pale_stools")(kb),
                hys_law(kb),
                fda_stop_rule(kb),
                high_inr(kb),
            ]
        )
    ),
    "poor_sleep": lambda kb: any_of([pl.col("late_nights"), pl.col("fatigue")]),
    "drinks_alcohol": lambda kb: any_of(
        [pl.col("alcohol_grams_per_week") > 0, pl.col("recent_heavy_drinking")]
    ),
}
