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

from liverlens.engine.columns import MIXED_ONLY, condition, symptom
from liverlens.errors import KnowledgeError
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import Evidence, condition_parts
from liverlens.vocabulary import Band, Likelihood, Pattern, Status, Urgency

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


def _not_high(analyte: str) -> pl.Expr:
    """Not known to be high: normal, low, or not measured (an isolated finding stays
    isolated until another test says otherwise)."""
    return ~_status(analyte, Status.HIGH).fill_null(False)


def _conjugated(kb: KnowledgeBase) -> pl.Expr:
    """Direct bilirubin above its limit and at least 20% of the total: a conjugated rise,
    which comes from the liver or bile ducts, never from Gilbert syndrome."""
    share = pl.col("direct_fraction") >= kb.threshold("direct_fraction_conjugated_from")
    return _status("direct_bilirubin", Status.HIGH) & share


def _unconjugated(kb: KnowledgeBase) -> pl.Expr:
    """Direct bilirubin measured and either within its limit or under 20% of the total."""
    share = pl.col("direct_fraction") < kb.threshold("direct_fraction_conjugated_from")
    measured = pl.col("direct_bilirubin").is_not_null()
    return measured & (_status("direct_bilirubin", Status.NORMAL).fill_null(False) | share)


def _bilirubin_isolated_mild(kb: KnowledgeBase) -> pl.Expr:
    """Bilirubin raised up to 3x its limit with ALT normal and nothing else pointing at the
    liver: the picture of Gilbert syndrome until the direct share says otherwise."""
    mild = pl.col("bilirubin_fold") <= kb.threshold("gilbert_bilirubin_fold_up_to")
    others = [_not_high(a) for a in ("ast", "alp", "ggt", "inr")]
    synthesis = [~_status(a, Status.LOW).fill_null(False) for a in ("albumin", "platelets")]
    return (
        _status("bilirubin", Status.HIGH)
        & mild
        & _status("alt", Status.NORMAL)
        & pl.all_horizontal(others + synthesis)
    )


def _albumin_markedly_low(kb: KnowledgeBase) -> pl.Expr:
    """Albumin below 28 g/L, the lowest band of Child-Pugh: low enough to matter alone."""
    below = kb.threshold("child_pugh_albumin_low_below")  # g/dL
    factor = next(u.factor for u in kb.family_of("albumin").units if u.unit == "g/dL")
    return pl.col("albumin") < below * factor


def _liver_tests_raised() -> pl.Expr:
    """A liver test above its limit: ALT, AST, GGT, bilirubin, or an ALP read as the liver's."""
    liver_alp = _status("alp", Status.HIGH) & pl.col("alp_origin").is_null()
    return _any_of(
        [*(_status(a, Status.HIGH) for a in ("alt", "ast", "ggt", "bilirubin")), liver_alp]
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
        _sym("jaundice", "dark_urine", "pale_stools")(kb),
        pl.col(symptom("confusion")),
        _sym("severe_headache", "visual_disturbance", "reduced_fetal_movement")(kb),
        pl.col("platelets") < t("hellp_platelets_below"),
        pl.col("bile_acids") >= t("icp_bile_acids_severe_from"),
    ]
    return _any_of(signs)


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
    calm = ~_sym(*DISCOMFORT, "jaundice", "dark_urine")(kb).fill_null(False)
    return (
        pl.col("med_statin") & _status("alt", Status.HIGH) & under & calm & _not_high("bilirubin")
    )


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
    # AST at or above ALT with low albumin or platelets, in a panel whose enzymes are raised:
    # with every enzyme normal, a ratio of two normal numbers is no sign of scarring
    "scarring_signals": lambda kb: (
        (pl.col("ast_alt_ratio") >= kb.threshold("ast_alt_fibrosis_from"))
        & _any_of([_status("albumin", Status.LOW), _status("platelets", Status.LOW)])
        & _raised_aminotransferase()
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
    # isolated findings and their patterns (clinical-facts-2 section 1)
    "alt_normal": lambda kb: _status("alt", Status.NORMAL),
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
    "synthetic_signals": lambda kb: _any_of(
        [
            _status("albumin", Status.LOW)
            & _any_of(
                [
                    _status("inr", Status.HIGH),
                    _status("bilirubin", Status.HIGH),
                    _status("platelets", Status.LOW),
                ]
            ),
            _albumin_markedly_low(kb),
        ]
    ),
    "albumin_low_with_liver_signs": lambda kb: (
        _status("albumin", Status.LOW)
        & _any_of(
            [
                _raised_aminotransferase(),
                _status("platelets", Status.LOW),
                _status("ggt", Status.HIGH),
                _status("bilirubin", Status.HIGH),
            ]
        )
    ),
    "ast_dominant": lambda kb: (
        (pl.col("ast") > pl.col("alt"))
        & (pl.col("ast_fold") >= kb.threshold("ast_dominant_fold_from"))
        & _status("ggt", Status.HIGH)
    ),
    "alcohol_pattern": lambda kb: (
        _alcohol_above_risk(kb)
        & (pl.col("ast_alt_ratio") > kb.threshold("ast_alt_alcohol_above"))
        & _raised_aminotransferase()
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
        pl.col("pregnant") & _any_of([_liver_tests_raised(), _status("bile_acids", Status.HIGH)])
    ),
    "pregnancy_danger_signs": _pregnancy_danger,
    "pregnancy_danger": lambda kb: (
        pl.col("pregnant")
        & _any_of([_liver_tests_raised(), _status("bile_acids", Status.HIGH)])
        & _pregnancy_danger(kb)
    ),
    "high_blood_pressure": lambda kb: pl.col("high_blood_pressure"),
    "protein_in_urine": lambda kb: pl.col("protein_in_urine"),
    "itching": _sym("itching"),
    "vomiting": _sym("vomiting"),
    "headache_or_vision": _sym("severe_headache", "visual_disturbance"),
    "bile_acids_high": _high("bile_acids"),
    "bile_acids_icp": lambda kb: pl.col("bile_acids") >= kb.threshold("icp_bile_acids_from"),
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
    "hys_law_with_medicine": lambda kb: _hys_law(kb) & (pl.col("n_medications") > 0),
    "acetaminophen_usual_use": lambda kb: (
        pl.col("med_acetaminophen")
        & (pl.col("possible_overdose") == False)  # noqa: E712 - a column
        & ~_very_high(kb).fill_null(False)
    ),
    "acetaminophen_with_very_high": lambda kb: pl.col("med_acetaminophen") & _very_high(kb),
    # medicines: jaundice, Hy's law, an FDA stop rule or a high INR while taking one
    "serious_drug_injury": lambda kb: (
        (pl.col("n_medications") > 0)
        & _any_of(
            [
                _sym("jaundice", "dark_urine", "pale_stools")(kb),
                _hys_law(kb),
                _fda_stop_rule(kb),
                _high_inr(kb),
            ]
        )
    ),
    "poor_sleep": lambda kb: _any_of([pl.col("late_nights"), pl.col("fatigue")]),
    "drinks_alcohol": lambda kb: _any_of(
        [pl.col("alcohol_grams_per_week") > 0, pl.col("recent_heavy_drinking")]
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
    "discomfort_with_raised_enzymes": lambda kb: _sym(*DISCOMFORT)(kb) & _raised_aminotransferase(),
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
    "exercise_considered": lambda kb: _any_of(
        [pl.col(column("recent_exercise")), _considered("strenuous_exercise")(kb)]
    ),
    "drinking_matters": lambda kb: _any_of(
        [
            pl.col(column("drinks_alcohol")),
            pl.col("likelihood_alcohol") == Likelihood.LIKELY.value,
        ]
    ),
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
