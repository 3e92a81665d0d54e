"""Non-invasive fibrosis and severity scores, as vectorised Polars expressions.

Formulas are the published ones (sources in ``scores.yaml``); every cut-off they are banded with
comes from ``thresholds.yaml``. Unit conversions (bilirubin and creatinine to mg/dL, albumin to
g/dL) use the factors in ``units.yaml``. A score whose inputs are missing is null; the report
says what it needs.

Rounding: FIB-4 and APRI are banded on their value rounded to 2 decimals and the NAFLD fibrosis
score on 3 decimals, the precision the cut-offs are published with, so the number a person sees
and the band it is given never disagree. MELD follows the UNOS rule: the unscaled score is
rounded to one decimal and multiplied by 10; MELD-Na is rounded to a whole number, capped at 40.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liverlens.engine.columns import comparator
from liverlens.errors import KnowledgeError
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import ScoreDef
from liverlens.knowledge.units import unit_for
from liverlens.vocabulary import Band

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl


def _in(kb: KnowledgeBase, analyte: str, unit: str) -> pl.Expr:
    """The analyte's column in another unit, rounded to 6 decimals so that an entered
    3.0 mg/dL (51.3 µmol/L) is compared as exactly 3.0, not 3.0000000000000004."""
    return (pl.col(analyte) / _factor(kb, analyte, unit)).round(6)


def _factor(kb: KnowledgeBase, analyte: str, unit: str) -> float:
    found = unit_for(kb, analyte, unit)
    if found is None:  # pragma: no cover - guarded by the knowledge tests
        raise KnowledgeError(f"units.yaml lacks {unit} for {analyte}")
    return found.factor


def _round_half_up(x: pl.Expr, decimals: int) -> pl.Expr:
    scale = 10**decimals
    rounded: pl.Expr = (x * scale + 0.5).floor() / scale
    return rounded


def _older(kb: KnowledgeBase) -> pl.Expr:
    return pl.col("age") >= kb.threshold("fib4_older_age_from")


def _band(name: str, low_below: pl.Expr | float, high_above: float) -> pl.Expr:
    value = pl.col(name)
    return (
        pl.when(value.is_null() | ~pl.col("fibrosis_scores_valid"))
        .then(None)
        .when(value < low_below)
        .then(pl.lit(Band.LOW.value))
        .when(value > high_above)
        .then(pl.lit(Band.HIGH.value))
        .otherwise(pl.lit(Band.INDETERMINATE.value))
    )


def fib4(kb: KnowledgeBase) -> list[pl.Expr]:
    t = kb.threshold
    raw = pl.col("age") * pl.col("ast") / (pl.col("platelets") * pl.col("alt").sqrt())
    value = pl.when(pl.col("platelets") > 0).then(raw.round(2)).otherwise(None)
    return [
        value.alias("fib4"),
        (pl.col("age") <= t("fib4_unreliable_up_to_age")).alias("fib4_age_caveat"),
        _older(kb).alias("fib4_older_cutoff"),
    ]


def fib4_band(kb: KnowledgeBase) -> pl.Expr:
    t = kb.threshold
    low = pl.when(_older(kb)).then(t("fib4_low_below_from_65")).otherwise(t("fib4_low_below"))
    return _band("fib4", low, t("fib4_high_above")).alias("fib4_band")


def apri(kb: KnowledgeBase) -> list[pl.Expr]:
    raw = (pl.col("ast") / pl.col("ast_uln")) / pl.col("platelets") * 100
    return [pl.when(pl.col("platelets") > 0).then(raw.round(2)).otherwise(None).alias("apri")]


def apri_band(kb: KnowledgeBase) -> pl.Expr:
    t = kb.threshold
    value = pl.col("apri")
    return (
        pl.when(value.is_null() | ~pl.col("fibrosis_scores_valid"))
        .then(None)
        .when(value <= t("apri_low_up_to"))
        .then(pl.lit(Band.LOW.value))
        .when(value > t("apri_high_above"))
        .then(pl.lit(Band.HIGH.value))
        .otherwise(pl.lit(Band.INDETERMINATE.value))
        .alias("apri_band")
    )


def nafld_fibrosis_score(kb: KnowledgeBase) -> list[pl.Expr]:
    albumin_g_dl = _in(kb, "albumin", "g/dL")
    raw = (
        -1.675
        + 0.037 * pl.col("age")
        + 0.094 * pl.col("bmi")
        + 1.13 * pl.col("diabetes").cast(pl.Float64)
        + 0.99 * (pl.col("ast") / pl.col("alt"))
        - 0.013 * pl.col("platelets")
        - 0.66 * albumin_g_dl
    )
    return [raw.round(3).alias("nfs")]


def nfs_band(kb: KnowledgeBase) -> pl.Expr:
    t = kb.threshold
    low = pl.when(_older(kb)).then(t("nfs_low_below_from_65")).otherwise(t("nfs_low_below"))
    return _band("nfs", low, t("nfs_high_above")).alias("nfs_band")


def bard(kb: KnowledgeBase) -> list[pl.Expr]:
    t = kb.threshold
    points = (
        pl.when(pl.col("bmi") >= t("bard_bmi_from")).then(1).otherwise(0)
        + pl.when(pl.col("ast") / pl.col("alt") >= t("bard_ratio_from")).then(2).otherwise(0)
        + pl.when(pl.col("diabetes")).then(1).otherwise(0)
    )
    known = (
        pl.col("bmi").is_not_null()
        & pl.col("ast").is_not_null()
        & pl.col("alt").is_not_null()
        & pl.col("diabetes").is_not_null()
    )
    return [pl.when(known).then(points).otherwise(None).cast(pl.Int64).alias("bard")]


def bard_band(kb: KnowledgeBase) -> pl.Expr:
    t = kb.threshold
    value = pl.col("bard")
    return (
        pl.when(value.is_null() | ~pl.col("fibrosis_scores_valid"))
        .then(None)
        .when(value >= t("bard_high_from"))
        .then(pl.lit(Band.HIGH.value))
        .otherwise(pl.lit(Band.LOW.value))
        .alias("bard_band")
    )


def meld(kb: KnowledgeBase) -> list[pl.Expr]:
    t = kb.threshold
    floor = t("meld_floor")
    creat_mg = _in(kb, "creatinine", "mg/dL")
    creat = (
        pl.when(pl.col("dialysis_twice_past_week").fill_null(False))
        .then(pl.lit(t("meld_creatinine_cap")))
        .otherwise(creat_mg.clip(floor, t("meld_creatinine_cap")))
    )
    bili = _in(kb, "bilirubin", "mg/dL").clip(lower_bound=floor)
    inr = pl.col("inr").clip(lower_bound=floor)
    unscaled = 0.957 * creat.log() + 0.378 * bili.log() + 1.120 * inr.log() + 0.643
    meld_i = _round_half_up(unscaled, 1) * 10
    sodium = pl.col("sodium").clip(t("meld_sodium_min"), t("meld_sodium_max"))
    gap = t("meld_sodium_max") - sodium
    with_na = meld_i + 1.32 * gap - 0.033 * meld_i * gap
    meld_na = pl.when(meld_i > t("meld_na_applies_above")).then(with_na).otherwise(meld_i)
    meld_na = _round_half_up(meld_na, 0).clip(upper_bound=t("meld_max"))
    return [
        _round_half_up(meld_i, 0).clip(upper_bound=t("meld_max")).cast(pl.Int64).alias("meld"),
        meld_na.cast(pl.Int64).alias("meld_na"),
    ]


def child_pugh(kb: KnowledgeBase) -> list[pl.Expr]:
    t = kb.threshold
    bili = _in(kb, "bilirubin", "mg/dL")
    albumin = _in(kb, "albumin", "g/dL")
    inr = pl.col("inr")

    def three(low_ok: pl.Expr, high_bad: pl.Expr) -> pl.Expr:
        return pl.when(low_ok).then(1).when(high_bad).then(3).otherwise(2)

    bili_pts = three(
        bili < t("child_pugh_bilirubin_mid_from"), bili > t("child_pugh_bilirubin_high_above")
    )
    alb_pts = three(
        albumin > t("child_pugh_albumin_mid_up_to"), albumin < t("child_pugh_albumin_low_below")
    )
    inr_pts = three(inr < t("child_pugh_inr_mid_from"), inr > t("child_pugh_inr_high_above"))
    ascites_pts = pl.col("ascites").replace_strict(
        {"none": 1, "slight": 2, "moderate": 3}, default=None, return_dtype=pl.Int64
    )
    enceph_pts = pl.col("encephalopathy").replace_strict(
        {"none": 1, "grade_1_2": 2, "grade_3_4": 3}, default=None, return_dtype=pl.Int64
    )
    known = (
        bili.is_not_null()
        & albumin.is_not_null()
        & inr.is_not_null()
        & ascites_pts.is_not_null()
        & enceph_pts.is_not_null()
    )
    total = bili_pts + alb_pts + inr_pts + ascites_pts + enceph_pts
    return [pl.when(known).then(total).otherwise(None).cast(pl.Int64).alias("child_pugh")]


def child_pugh_class(kb: KnowledgeBase) -> pl.Expr:
    t = kb.threshold
    points = pl.col("child_pugh")
    return (
        pl.when(points.is_null())
        .then(None)
        .when(points >= t("child_pugh_class_c_from"))
        .then(pl.lit("C"))
        .when(points >= t("child_pugh_class_b_from"))
        .then(pl.lit("B"))
        .otherwise(pl.lit("A"))
        .alias("child_pugh_class")
    )


def score_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    """The scores' values. Their bands come after, from ``score_band_columns``."""
    return [
        *fib4(kb),
        *apri(kb),
        *nafld_fibrosis_score(kb),
        *bard(kb),
        *meld(kb),
        *child_pugh(kb),
    ]


# every column a score writes besides its ``value`` (scores.yaml), masked with it
EXTRA_OUTPUTS = {"meld_na": ("meld",)}


def censored_input(kb: KnowledgeBase, score: ScoreDef) -> pl.Expr:
    """True when one of the score's lab inputs was given only as a bound ("<5")."""
    bounds = [pl.col(comparator(c)).is_not_null() for c in score.inputs if c in kb.analytes]
    return pl.any_horizontal(bounds) if bounds else pl.lit(False)


def exact_score_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    """A score needs exact values: one computed from a bound ("<5", ">1000") is withdrawn,
    and the report says which input it needs exactly."""
    out = []
    for score in kb.scores.values():
        for column in (score.value, *EXTRA_OUTPUTS.get(score.value, ())):
            masked = pl.when(censored_input(kb, score)).then(None).otherwise(pl.col(column))
            out.append(masked.alias(column))
    return out


def score_band_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    """Bands read the score columns rather than repeat their formulas: Polars does not share
    a sub-expression between a value and the when/then chain that bands it, so embedding the
    formula computed every score twice. Needs ``fibrosis_scores_valid`` (findings) and
    ``score_columns`` first."""
    return [fib4_band(kb), apri_band(kb), nfs_band(kb), bard_band(kb), child_pugh_class(kb)]
