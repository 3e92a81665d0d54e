"""Annotate a table of panels with the engine's findings: the function every batch backend
(the CLI's chunks, Spark's Arrow batches, tests) calls.

Added columns are prefixed ``ll_`` so they never collide with the input's own. A row with a
reject reason keeps its input columns and gets ``ll_status = "rejected"`` and null findings.
"""

from __future__ import annotations

import polars as pl

from liverlens.batch.table import TableSpec, to_contract
from liverlens.engine import evaluate
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


def _top_causes(kb: KnowledgeBase) -> pl.Expr:
    """Up to three cause ids ranked by score (ties in knowledge order), possible or better."""
    possible = kb.likelihood.possible_at_least
    # Struct fields sort in order: the negated score first (highest score first), then the
    # cause's position in the knowledge files (the same tie-break as the single report).
    ranked = pl.concat_list(
        [
            pl.struct(
                (-pl.col(score_column(c))).alias("neg"), pl.lit(i).alias("i"), pl.lit(c).alias("c")
            )
            for i, c in enumerate(kb.causes)
        ]
    )
    # Two evals on purpose: sort+filter+head fused into one eval gave wrong rows (Polars 2.1).
    top = ranked.list.eval(pl.element().sort().head(TOP_CAUSES))
    return top.list.eval(
        pl.element().filter(pl.element().struct.field("neg") <= -possible).struct.field("c")
    )


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
        pl.col("red_flags").alias("ll_red_flags"),
        pl.col("urgency").alias("ll_urgency"),
        _top_causes(kb).alias("ll_top_causes"),
    ]
    return exprs


def annotate(
    kb: KnowledgeBase, df: pl.DataFrame, spec: TableSpec, cols: dict[str, str] | None = None
) -> pl.DataFrame:
    """``df`` with the findings of each row added as ``ll_*`` columns."""
    cols = cols if cols is not None else spec.resolve(kb, df.columns)
    contract = to_contract(kb, df, spec, cols)
    rejected = contract.get_column("ll_reject_reason").is_not_null()
    findings = evaluate(kb, contract.drop("ll_reject_reason"))
    analytes = [a for a in kb.analytes if a in cols]
    out = findings.select(output_columns(kb, analytes))
    out = out.with_columns(
        pl.when(pl.lit(rejected)).then(None).otherwise(pl.col(c)).alias(c) for c in out.columns
    )
    status = pl.when(pl.lit(rejected)).then(pl.lit("rejected")).otherwise(pl.lit("ok"))
    return pl.concat(
        [df, out, contract.select(status.alias("ll_status"), "ll_reject_reason")],
        how="horizontal",
    )
