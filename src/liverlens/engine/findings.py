"""Per-panel findings as vectorised Polars expressions.

Everything here is a pure function of the column contract (``columns.py``) and the knowledge
base, with no Python loop over rows: the single report, ``batch`` and Spark run this very code.
Boundaries follow design.md: a value equal to its upper limit is normal; exactly 2x ULN is a
mild rise; exactly 5x is moderate; exactly 15x is still moderate (severe is above 15x).
"""

from __future__ import annotations

import polars as pl

from liverlens.engine.columns import comparator
from liverlens.engine.limits import healthy_alt_uln, limit_columns
from liverlens.knowledge import KnowledgeBase
from liverlens.vocabulary import Grade, Pattern, Status

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


def _ratios(kb: KnowledgeBase) -> list[pl.Expr]:
    t = kb.threshold
    alt, ast = pl.col("alt"), pl.col("ast")
    r = (fold("alt") / fold("alp")).round(FOLD_DECIMALS)
    # ratios need exact values: a bound ("<5") gives no ratio
    exact = {a: pl.col(comparator(a)).is_null() for a in ("alt", "ast", "alp")}
    # on the rounded fold: an ALP so small that its fold rounds to 0 gives no ratio, not NaN
    r_ratio = pl.when((fold("alp") > 0) & exact["alt"] & exact["alp"]).then(r).otherwise(None)
    alt_high = pl.col("alt_status") == Status.HIGH.value
    alp_high = pl.col("alp_status") == Status.HIGH.value
    # The R ratio classifies a panel where both enzymes are raised. When only one is raised the
    # pattern is that enzyme's: a lone ALT rise is hepatocellular even if R is below 5, and a
    # lone ALP rise is cholestatic (CIOMS/RUCAM practice). Calling a lone ALT rise "mixed"
    # would suggest bile-duct trouble that a normal ALP argues against.
    unknown = pl.col("alt_status").is_null() | pl.col("alp_status").is_null()
    pattern = (
        pl.when(unknown | pl.col("alp").eq(0))
        .then(None)
        .when(~alt_high & ~alp_high)
        .then(None)
        .when(alt_high & ~alp_high)
        .then(pl.lit(Pattern.HEPATOCELLULAR.value))
        .when(~alt_high & alp_high)
        .then(pl.lit(Pattern.CHOLESTATIC.value))
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
    return [
        pl.when((alt > 0) & exact["alt"] & exact["ast"])
        .then((ast / alt).round(FOLD_DECIMALS))
        .otherwise(None)
        .alias("ast_alt_ratio"),
        r_ratio.alias("r_ratio"),
        pattern.alias("pattern"),
        reading.alias("enzyme_reading"),
    ]


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


def add_findings(kb: KnowledgeBase, df: pl.LazyFrame) -> pl.LazyFrame:
    """Limits, folds, statuses, ALT grade, AST/ALT, R ratio, pattern and the enzyme reading."""
    return (
        df.with_columns(*limit_columns(kb), healthy_alt_uln(kb))
        .with_columns(_fold_and_status(kb))
        .with_columns(_grade(kb), *_ratios(kb))
        .with_columns(_panel_summary(kb))
    )
