"""Serial results: is ALT rising, falling or stable, has it been raised for long, did it settle?

Written over a long frame (one row per person and date, with ``alt_status`` and ``alt_fold``
already computed by ``findings.add_findings``), grouped by person, so the single report and a
cohort of millions of lab events run the same expressions.

Definitions:
- change between the last two results, in percent; ``significant_change`` when its size reaches
  the ALT reference change value (about 30%, EuBIVAS); ``direction`` is rising or falling only
  when the change is significant, else stable.
- the trailing run of raised results: ``first_elevated_on`` is its first date and
  ``months_elevated`` its length up to the latest result (in 30.4-day months);
  ``persistent`` when it lasts more than 6 calendar months.
- ``normalised``: the latest result is within its limit after an earlier raised one.
- ``sustained_5x_days``: how long the trailing run at 5x ULN or more has lasted (FDA stop rule).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from liverlens.engine.columns import frame
from liverlens.engine.findings import add_findings
from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl

DAYS_PER_MONTH = 30.4375
PERSON = "person_key"


def _run_id(flag: pl.Expr) -> pl.Expr:
    """Number consecutive stretches of equal ``flag`` values within a person."""
    changed = (flag != flag.shift(1).over(PERSON)).fill_null(True)
    return changed.cast(pl.Int64).cum_sum().over(PERSON)


def trend_stats(kb: KnowledgeBase, long: pl.LazyFrame) -> pl.LazyFrame:
    """One row per ``person_key`` with the trend fields (needs ≥1 ALT result per person)."""
    rcv = kb.threshold("alt_reference_change_percent")
    persistent_after = kb.threshold("persistent_after_months")
    sustained_from = kb.threshold("fda_sustained_fold_from")
    df = (
        long.filter(pl.col("alt").is_not_null() & pl.col("collected_on").is_not_null())
        .sort(PERSON, "collected_on")
        .with_columns(
            (pl.col("alt_status") == "high").alias("_high"),
            (pl.col("alt_fold") >= sustained_from).alias("_ge5"),
        )
        .with_columns(
            _run_id(pl.col("_high")).alias("_run"), _run_id(pl.col("_ge5")).alias("_run5")
        )
    )
    per_person = df.group_by(PERSON).agg(
        pl.len().alias("n_results"),
        pl.col("collected_on").last().alias("latest_on"),
        pl.col("alt").last().alias("_latest"),
        pl.col("alt").shift(1).last().alias("_previous"),
        pl.col("collected_on").shift(1).last().alias("previous_on"),
        pl.col("_high").last().alias("_latest_high"),
        pl.col("_high").head(pl.len() - 1).any().alias("_earlier_high"),
        pl.col("collected_on")
        .filter(pl.col("_run") == pl.col("_run").last())
        .first()
        .alias("_run_start"),
        pl.col("_ge5").last().alias("_latest_ge5"),
        pl.col("collected_on")
        .filter(pl.col("_run5") == pl.col("_run5").last())
        .first()
        .alias("_run5_start"),
    )
    change = ((pl.col("_latest") - pl.col("_previous")) / pl.col("_previous") * 100).round(1)
    significant = change.abs() >= rcv
    months = (
        (pl.col("latest_on") - pl.col("first_elevated_on")).dt.total_days() / DAYS_PER_MONTH
    ).round(1)
    return (
        per_person.with_columns(
            change.alias("change_percent"),
            pl.when(pl.col("_latest_high"))
            .then(pl.col("_run_start"))
            .otherwise(None)
            .alias("first_elevated_on"),
        )
        .with_columns(
            pl.when(pl.col("_previous").is_null())
            .then(None)
            .otherwise(significant)
            .alias("significant_change"),
            pl.when(pl.col("_previous").is_null())
            .then(None)
            .when(significant & (pl.col("change_percent") > 0))
            .then(pl.lit("rising"))
            .when(significant & (pl.col("change_percent") < 0))
            .then(pl.lit("falling"))
            .otherwise(pl.lit("stable"))
            .alias("direction"),
            pl.when(pl.col("_latest_high")).then(months).otherwise(0.0).alias("_months"),
            (~pl.col("_latest_high") & pl.col("_earlier_high").fill_null(False)).alias(
                "normalised"
            ),
            pl.when(pl.col("_latest_ge5"))
            .then((pl.col("latest_on") - pl.col("_run5_start")).dt.total_days())
            .otherwise(0)
            .alias("sustained_5x_days"),
        )
        .with_columns(
            # "more than 6 months" in calendar months: 1 May to 1 November is not more
            pl.col("first_elevated_on")
            .dt.offset_by(f"{int(persistent_after)}mo")
            .lt(pl.col("latest_on"))
            .fill_null(False)
            .alias("persistent"),
            pl.col("_months").round(1).alias("months_elevated"),
        )
        .drop(pl.selectors.starts_with("_"))
    )


def case_trend(kb: KnowledgeBase, case: Case, today: date) -> dict[str, Any] | None:
    """The trend of one person's ALT from ``case.history`` plus the current panel.

    The current panel is dated ``case.collected_on``, or ``today`` when the input gave no
    date. Each earlier panel gets its limits exactly as the current one would (its own lab
    limit, else the preset for this person), so a change of laboratory is read correctly.
    """
    if not case.history:
        return None
    panels = [replace(case, labs=labs, history=()) for _, labs in case.history] + [case]
    dates = [d for d, _ in case.history] + [case.collected_on or today]
    rows = add_findings(kb, frame(kb, panels).lazy()).select("alt", "alt_status", "alt_fold")
    long = rows.with_columns(
        pl.Series("collected_on", dates, dtype=pl.Date), pl.lit(0).alias(PERSON)
    )
    stats = trend_stats(kb, long).collect()
    return stats.row(0, named=True) if stats.height else None


def trend_columns(kb: KnowledgeBase, stats: dict[str, Any] | None) -> dict[str, object]:
    """The trend facts the per-panel engine reads (predicates, urgency rules)."""
    if stats is None:
        return {}
    return {
        "trend_persistent": stats["persistent"],
        "trend_months_elevated": stats["months_elevated"],
        "trend_5x_over_2_weeks": stats["sustained_5x_days"]
        > kb.threshold("fda_sustained_days_above"),
    }


SERIES_ANALYTES = ("alt", "ast")


def series(
    kb: KnowledgeBase,
    panels: list[Case],
    dates: list[date],
    analytes: tuple[str, ...] = SERIES_ANALYTES,
) -> list[dict[str, Any]]:
    """Each analyte over time with the upper limit in force for that panel (for charts), in
    one engine pass over all the panels: each gets its own lab limit, else its preset's."""
    if not panels:
        return []
    wanted = [c for a in analytes for c in (a, f"{a}_uln")]
    rows = add_findings(kb, frame(kb, panels).lazy()).select(wanted).collect()
    out = []
    for on, row in zip(dates, rows.iter_rows(named=True), strict=True):
        for analyte in analytes:
            if row[analyte] is not None:
                out.append(
                    {
                        "analyte": analyte,
                        "on": on,
                        "value": row[analyte],
                        "upper": row[f"{analyte}_uln"],
                    }
                )
    return out


def case_series(kb: KnowledgeBase, case: Case, today: date) -> list[dict[str, Any]]:
    """ALT and AST over the case's history and its current panel.

    Empty without history: a single point is not a trend.
    """
    if not case.history:
        return []
    panels = [replace(case, labs=labs, history=()) for _, labs in case.history] + [case]
    dates = [d for d, _ in case.history] + [case.collected_on or today]
    return series(kb, panels, dates)
