"""Per-panel findings as vectorised Polars expressions.

Everything here is a pure function of the column contract (``columns.py``) and the knowledge
base, with no Python loop over rows: the single report, ``batch`` and Spark run this very code.
Boundaries follow design.md: a value equal to its upper limit is normal; exactly 2x ULN is a
mild rise; exactly 5x is moderate; exactly 15x is still moderate (severe is above 15x).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from liverlens.engine.columns import comparator
from liverlens.engine.limits import healthy_alt_uln, limit_columns
from liverlens.knowledge import KnowledgeBase
from liverlens.vocabulary import Grade, Pattern, Status

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl

FOLD_DECIMALS = 6  # folds are compared after rounding, so 66/33 is exactly 2 on every backend


def fold(analyte: str) -> pl.Expr:
    return pl.col(f"{analyte}_fold")


def _fold_and_status(kb: KnowledgeBase) -> list[pl.Expr]:
    """Fold of the upper limit and status. A result the lab gave only as a bound ("<5",
    ">1000") gets a status only where the bound settles it: ">1000" against a limit of 33 is
    high, "<5" is normal; "<50" against 33 could be either, so its status is unknown (null)
    and nothing is read from it. Its fold is the bound's ("at least" for ">")."""
    exprs: list[pl.Expr] = []
    for a in kb.analytes:
        value, uln, lln = pl.col(a), pl.col(f"{a}_uln"), pl.col(f"{a}_lln")
        cmp = pl.col(comparator(a))
        below = cmp.is_in(["<", "<="]).fill_null(False)
        above = cmp.is_in([">", ">="]).fill_null(False)
        exact = cmp.is_null()
        in_range = (value <= uln) & (lln.is_null() | (value >= lln))
        exprs.append((value / uln).round(FOLD_DECIMALS).alias(f"{a}_fold"))
        exprs.append(
            pl.when(value.is_null())
            .then(None)
            .when((value > uln) & ~below)
            .then(pl.lit(Status.HIGH.value))
            .when(lln.is_not_null() & (value < lln) & ~above)
            .then(pl.lit(Status.LOW.value))
            .when(exact & in_range)
            .then(pl.lit(Status.NORMAL.value))
            .when(below & (value <= uln) & lln.is_null())
            .then(pl.lit(Status.NORMAL.value))
            .otherwise(None)
            .alias(f"{a}_status")
        )
    return exprs


def _abnormal(kb: KnowledgeBase, analyte: str) -> pl.Expr:
    """True when the analyte is off on the side that matters for the liver question."""
    sides = kb.analytes[analyte].abnormal_when
    return pl.col(f"{analyte}_status").is_in([s.value for s in sides])


def _grade(kb: KnowledgeBase) -> pl.Expr:
    t = kb.threshold
    alt_fold = fold("alt")
    return (
        pl.when(pl.col("alt").is_null() | alt_fold.is_null() | pl.col("alt_status").is_null())
        .then(None)
        .when(pl.col("alt") > t("grade_massive_above"))
        .then(pl.lit(Grade.MASSIVE.value))
        .when(alt_fold > t("grade_severe_above"))
        .then(pl.lit(Grade.SEVERE.value))
        .when(alt_fold >= t("grade_moderate_from"))
        .then(pl.lit(Grade.MODERATE.value))
        .when(alt_fold >= t("grade_mild_from"))
        .then(pl.lit(Grade.MILD.value))
        .when(alt_fold > t("grade_borderline_above"))
        .then(pl.lit(Grade.BORDERLINE.value))
        .otherwise(pl.lit(Grade.NORMAL.value))
        .alias("alt_grade")
    )


def _alp_origin(kb: KnowledgeBase) -> pl.Expr:
    """Why a raised ALP may not be the liver's: "pregnancy" (the placenta makes it), "growth"
    (a teenager's bones) or "bone" (an adult's raised ALP beside a normal GGT). Null when the
    ALP can be read as liver ALP. A raised GGT beside it says the liver is involved after all."""
    t = kb.threshold
    alp_high = pl.col("alp_status") == Status.HIGH.value
    ggt_high = (pl.col("ggt_status") == Status.HIGH.value).fill_null(False)
    ggt_normal = (pl.col("ggt_status") == Status.NORMAL.value).fill_null(False)
    teen = pl.col("age").is_between(t("adolescent_from_age"), t("adult_from_age"), closed="left")
    return (
        pl.when(~alp_high.fill_null(False) | ggt_high)
        .then(None)
        .when(pl.col("pregnant").fill_null(False))
        .then(pl.lit("pregnancy"))
        .when(teen.fill_null(False))
        .then(pl.lit("growth"))
        .when(ggt_normal)
        .then(pl.lit("bone"))
        .otherwise(None)
        .alias("alp_origin")
    )


def _ratios(kb: KnowledgeBase) -> list[pl.Expr]:
    t = kb.threshold
    alt, ast = pl.col("alt"), pl.col("ast")
    r = (fold("alt") / fold("alp")).round(FOLD_DECIMALS)
    # ratios need exact values: a bound ("<5") gives no ratio
    exact = {a: pl.col(comparator(a)).is_null() for a in ("alt", "ast", "alp")}
    # on the rounded fold: an ALP so small that its fold rounds to 0 gives no ratio, not NaN
    r_ratio = pl.when((fold("alp") > 0) & exact["alt"] & exact["alp"]).then(r).otherwise(None)
    alt_high = pl.col("alt_status") == Status.HIGH.value
    # An ALP that is probably not the liver's (pregnancy, growth, bone: ``alp_origin``) says
    # nothing about the bile ducts, so the pattern is read as if it were normal.
    alp_high = (pl.col("alp_status") == Status.HIGH.value) & pl.col("alp_origin").is_null()
    # The R ratio classifies a panel where both enzymes are raised. When only one is raised the
    # pattern is that enzyme's: a lone ALT rise is hepatocellular even if R is below 5, and a
    # lone ALP rise is cholestatic (CIOMS/RUCAM practice). Calling a lone ALT rise "mixed"
    # would suggest bile-duct trouble that a normal ALP argues against. ``pattern_basis`` says
    # which of the three readings gave the pattern, so the report can say why.
    unknown = pl.col("alt_status").is_null() | pl.col("alp_status").is_null()
    basis = (
        pl.when(unknown | pl.col("alp").eq(0))
        .then(None)
        .when(~alt_high & ~alp_high)
        .then(None)
        .when(alt_high & ~alp_high)
        .then(pl.lit("alt_only"))
        .when(~alt_high & alp_high)
        .then(pl.lit("alp_only"))
        .when(r_ratio.is_not_null())
        .then(pl.lit("r_ratio"))
        .otherwise(None)
    )
    pattern = (
        pl.when(basis == "alt_only")
        .then(pl.lit(Pattern.HEPATOCELLULAR.value))
        .when(basis == "alp_only")
        .then(pl.lit(Pattern.CHOLESTATIC.value))
        .when(basis.is_null())
        .then(None)
        .when(r_ratio >= t("pattern_hepatocellular_from"))
        .then(pl.lit(Pattern.HEPATOCELLULAR.value))
        .when(r_ratio <= t("pattern_cholestatic_up_to"))
        .then(pl.lit(Pattern.CHOLESTATIC.value))
        .otherwise(pl.lit(Pattern.MIXED.value))
    )
    ast_high = pl.col("ast_status") == Status.HIGH.value
    reading = (
        pl.when(pl.col("alt_status").is_null() | pl.col("ast_status").is_null())
        .then(None)
        .when(alt_high & ast_high)
        .then(pl.lit("both"))
        .when(alt_high)
        .then(pl.lit("alt_only"))
        .when(ast_high)
        .then(pl.lit("ast_only"))
        .otherwise(pl.lit("neither"))
    )
    ratio = (
        pl.when((alt > 0) & exact["alt"] & exact["ast"])
        .then((ast / alt).round(FOLD_DECIMALS))
        .otherwise(None)
    )
    # the AST/ALT band, read only when one of the two is raised: in an all-normal panel the
    # ratio of two normal numbers means nothing
    band = (
        pl.when(ratio.is_null() | ~(alt_high | ast_high).fill_null(False))
        .then(None)
        .when(ratio > t("ast_alt_alcohol_above"))
        .then(pl.lit("over_2"))
        .when(ratio >= t("ast_alt_fibrosis_from"))
        .then(pl.lit("at_least_1"))
        .otherwise(pl.lit("below_1"))
    )
    direct_fraction = (
        pl.when(
            (pl.col("bilirubin") > 0)
            & pl.col(comparator("bilirubin")).is_null()
            & pl.col(comparator("direct_bilirubin")).is_null()
        )
        .then((pl.col("direct_bilirubin") / pl.col("bilirubin")).round(FOLD_DECIMALS))
        .otherwise(None)
    )
    return [
        ratio.alias("ast_alt_ratio"),
        band.alias("ast_alt_band"),
        r_ratio.alias("r_ratio"),
        pattern.alias("pattern"),
        basis.alias("pattern_basis"),
        reading.alias("enzyme_reading"),
        direct_fraction.alias("direct_fraction"),
    ]


def acute_rise(kb: KnowledgeBase) -> pl.Expr:
    """ALT or AST above 5 times its limit: an acute rise, in which fibrosis scores (built on
    chronic disease, swamped by a high AST) are not read. One definition for every reader:
    the scores' validity flag and the ``acute_rise`` predicate both use this column."""
    limit = kb.threshold("acute_rise_fold_above")
    return (
        pl.any_horizontal(fold("alt") > limit, fold("ast") > limit)
        .fill_null(False)
        .alias("acute_rise")
    )


def fibrosis_validity(kb: KnowledgeBase) -> list[pl.Expr]:
    """Whether fibrosis scores can be banded for this person, and if not, why: an acute rise
    (``acute_rise``) or pregnancy (platelets fall, stiffness rises; the scores were never
    validated there). Scores are still computed and shown with the reason, never banded."""
    pregnant = pl.col("pregnant").fill_null(False)
    reason = (
        pl.when(pl.col("acute_rise"))
        .then(pl.lit("acute_rise"))
        .when(pregnant)
        .then(pl.lit("pregnancy"))
        .otherwise(None)
    )
    return [reason.alias("fibrosis_not_valid"), reason.is_null().alias("fibrosis_scores_valid")]


def _panel_summary(kb: KnowledgeBase) -> list[pl.Expr]:
    abnormal = [_abnormal(kb, a).fill_null(False) for a in kb.analytes]
    above_healthy = (
        (pl.col("alt_status") == Status.NORMAL.value)
        & (pl.col("alt") > pl.col("alt_healthy_uln"))
        & (pl.col("alt_uln") > pl.col("alt_healthy_uln"))
    ).fill_null(False)
    return [
        pl.any_horizontal(abnormal).alias("any_abnormal"),
        above_healthy.alias("alt_above_healthy"),
    ]


@cache
def findings_stages(kb: KnowledgeBase) -> tuple[tuple[pl.Expr, ...], ...]:
    """The findings' expressions, stage by stage (each stage reads the columns of the ones
    before it), built once per knowledge base.

    Why cached: building them is a few thousand ``pl.lit`` and ``when`` calls, as long as the
    whole one-row evaluation, and they depend on nothing but the knowledge base (immutable,
    hashed by identity), never on a frame or a case; a Polars expression is an immutable
    value, so the same ones serve every frame, one row or a million."""
    return (
        (*limit_columns(kb), healthy_alt_uln(kb)),
        tuple(_fold_and_status(kb)),
        (_alp_origin(kb), acute_rise(kb)),
        # the panel summary reads only limits and statuses: one stage with the grade
        (_grade(kb), *_ratios(kb), *fibrosis_validity(kb), *_panel_summary(kb)),
    )


def apply_stages(df: pl.LazyFrame, stages: tuple[tuple[pl.Expr, ...], ...]) -> pl.LazyFrame:
    for exprs in stages:
        df = df.with_columns(exprs)
    return df


def add_findings(kb: KnowledgeBase, df: pl.LazyFrame) -> pl.LazyFrame:
    """Limits, folds, statuses, ALT grade, AST/ALT and its band, R ratio, pattern and why,
    the enzyme reading, the direct share of bilirubin, an acute rise and whether fibrosis
    scores can be read."""
    return apply_stages(df, findings_stages(kb))
