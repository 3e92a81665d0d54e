"""Annotate a table of panels with the engine's findings: the function every batch backend
(the CLI's chunks, Spark's Arrow batches, tests) calls.

Added columns are prefixed ``ll_`` so they never collide with the input's own. A row with a
reject reason keeps its input columns and gets ``ll_status = "rejected"`` and null findings.
"""

from __future__ import annotations

import polars as pl

from liverlens.batch.table import TableSpec, to_contract
from liverlens.engine import evaluate_lazy
from liverlens.engine.scoring import score_column
from liverlens.knowledge import KnowledgeBase

SCORE_COLUMNS = (
    "fib4",
    "fib4_band",
    "apri",
    "apri_band",
    "nfs",
    "nfs_band",
    "bard",
    "bard_band",
    "meld",
    "meld_na",
    "child_pugh",
    "child_pugh_class",
)
PANEL_COLUMNS = (
    "alt_grade",
    "ast_alt_ratio",
    "r_ratio",
    "pattern",
    "enzyme_reading",
    "alt_above_healthy",
)
TOP_CAUSES = 3


def top_causes(kb: KnowledgeBase, scores: pl.DataFrame) -> pl.Series:
    """Up to three cause ids per row, ranked by score (ties in knowledge order), possible or
    better, from the ``score_<cause>`` columns.

    Each cause gets one integer key, score * SLOTS + (SLOTS - 1 - position), so keys never tie
    and a higher key ranks first, exactly as the single report orders causes. Three passes of
    NumPy argmax pick the top three. Like ``ll_red_flags`` the result is one ``;``-separated
    text (empty when nothing fits): building Polars lists row by row is far slower over
    millions of rows, and text reads the same in CSV and Parquet.
    """
    import numpy as np

    names = list(kb.causes)
    slots = len(names)
    matrix = scores.select(
        pl.col(score_column(c)).fill_null(-(10**6)).cast(pl.Int64) for c in names
    ).to_numpy(order="c")  # row-major: argmax runs along each row
    keys = matrix * slots + (slots - 1 - np.arange(slots))
    floor = kb.likelihood.possible_at_least * slots
    picks = {}
    for k in range(TOP_CAUSES):
        best = np.argmax(keys, axis=1)
        top = keys[np.arange(keys.shape[0]), best]
        picks[f"t{k}"] = np.where(top >= floor, best, -1)
        keys[np.arange(keys.shape[0]), best] = np.iinfo(np.int64).min
    lookup = dict(enumerate(names))
    named = [
        pl.when(pl.col(c) >= 0).then(
            pl.col(c).replace_strict(lookup, default=None, return_dtype=pl.String)
        )
        for c in picks
    ]
    joined = pl.concat_str(named, separator=";", ignore_nulls=True)
    return pl.DataFrame(picks).select(joined.alias("top_causes")).to_series()


def output_columns(kb: KnowledgeBase, analytes: list[str]) -> list[pl.Expr]:
    exprs: list[pl.Expr] = []
    for a in analytes:
        exprs += [
            pl.col(f"{a}_fold").alias(f"ll_{a}_fold"),
            pl.col(f"{a}_status").alias(f"ll_{a}_status"),
        ]
    exprs += [pl.col(c).alias(f"ll_{c}") for c in PANEL_COLUMNS]
    exprs += [pl.col(c).alias(f"ll_{c}") for c in SCORE_COLUMNS]
    exprs += [
        pl.col("red_flags").list.join(";").alias("ll_red_flags"),
        pl.col("urgency").alias("ll_urgency"),
    ]
    return exprs


def annotate(
    kb: KnowledgeBase, df: pl.DataFrame, spec: TableSpec, cols: dict[str, str] | None = None
) -> pl.DataFrame:
    """``df`` with the findings of each row added as ``ll_*`` columns."""
    cols = cols if cols is not None else spec.resolve(kb, df.columns)
    contract = to_contract(kb, df, spec, cols)
    rejected = contract.get_column("ll_reject_reason").is_not_null()
    analytes = [a for a in kb.analytes if a in cols]
    # Lazy on purpose: Polars then computes only what the output columns need (no work-up,
    # no per-rule columns), which is most of the speed of a batch run.
    findings = evaluate_lazy(kb, contract.drop("ll_reject_reason").lazy())
    scores = [score_column(c) for c in kb.causes]
    both = findings.select(*output_columns(kb, analytes), *scores).collect()
    out = both.drop(scores).with_columns(top_causes(kb, both).alias("ll_top_causes"))
    out = out.with_columns(
        pl.when(pl.lit(rejected)).then(None).otherwise(pl.col(c)).alias(c) for c in out.columns
    )
    status = pl.when(pl.lit(rejected)).then(pl.lit("rejected")).otherwise(pl.lit("ok"))
    return pl.concat(
        [df, out, contract.select(status.alias("ll_status"), "ll_reject_reason")],
        how="horizontal",
    )
