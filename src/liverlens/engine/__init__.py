"""The engine: pure functions from the column contract to findings, urgency and cause scores.

``evaluate`` is the one entry point every backend calls (single report, batch, Spark). It adds
columns and never drops any, so callers keep their own columns beside the findings.
"""

from __future__ import annotations

import polars as pl

from liverlens.engine.causes import cause_columns, likelihood_columns
from liverlens.engine.findings import add_findings
from liverlens.engine.liver_scores import (
    exact_score_columns,
    score_band_columns,
    score_columns,
)
from liverlens.engine.predicates import late_predicate_columns, predicate_columns
from liverlens.engine.urgency import red_flag_ids, urgency_columns, urgency_level
from liverlens.engine.workup import workup_columns, workup_list
from liverlens.knowledge import KnowledgeBase


def evaluate_lazy(kb: KnowledgeBase, df: pl.LazyFrame) -> pl.LazyFrame:
    return (
        add_findings(kb, df)
        .with_columns(score_columns(kb))
        .with_columns(exact_score_columns(kb))
        .with_columns(score_band_columns(kb))
        .with_columns(predicate_columns(kb))
        .with_columns(urgency_columns(kb))
        .with_columns(urgency_level(kb), red_flag_ids(kb), *cause_columns(kb))
        .with_columns(likelihood_columns(kb))
        .with_columns(late_predicate_columns(kb))
        .with_columns(workup_columns(kb))
        .with_columns(workup_list(kb))
    )


def evaluate(kb: KnowledgeBase, df: pl.DataFrame) -> pl.DataFrame:
    """Add every finding column to a frame that follows ``columns.schema(kb)``."""
    return evaluate_lazy(kb, df.lazy()).collect()


__all__ = ["evaluate", "evaluate_lazy"]
