"""The engine's stages as one Polars plan: ``stages``, ``evaluate_lazy`` and ``evaluate``.

Kept out of ``liverlens.engine``'s ``__init__`` so that importing any part of the engine (a
single report's reasoning, its statements) does not import Polars: a single report runs on
the row-wise backend (``rowwise.py``) from a stored plan and needs Polars only to build it.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from liverlens.engine.causes import cause_columns, likelihood_columns
from liverlens.engine.findings import apply_stages, findings_stages
from liverlens.engine.liver_scores import (
    exact_score_columns,
    score_band_columns,
    score_columns,
)
from liverlens.engine.predicates import late_predicate_columns, predicate_columns
from liverlens.engine.urgency import red_flag_ids, urgency_columns, urgency_level
from liverlens.engine.workup import workup_columns, workup_list
from liverlens.knowledge import KnowledgeBase


@cache
def stages(kb: KnowledgeBase) -> tuple[tuple[pl.Expr, ...], ...]:
    """Every engine expression, stage by stage, built once per knowledge base (see
    ``findings_stages`` for why that is safe). Expressions that read nothing of the stage
    before share its stage: each stage costs Polars a pass over the whole schema when it
    plans, which for one row is most of the work."""
    *head, last = findings_stages(kb)
    return (
        *head,
        (*last, *score_columns(kb)),  # scores read only limits and values
        tuple(exact_score_columns(kb)),
        tuple(score_band_columns(kb)),
        tuple(predicate_columns(kb)),
        tuple(urgency_columns(kb)),
        (urgency_level(kb), red_flag_ids(kb), *cause_columns(kb)),
        tuple(likelihood_columns(kb)),
        tuple(late_predicate_columns(kb)),
        tuple(workup_columns(kb)),
        (workup_list(kb),),
    )


def evaluate_lazy(kb: KnowledgeBase, df: pl.LazyFrame) -> pl.LazyFrame:
    return apply_stages(df, stages(kb))


def evaluate(kb: KnowledgeBase, df: pl.DataFrame) -> pl.DataFrame:
    """Add every finding column to a frame that follows ``columns.schema(kb)``."""
    return evaluate_lazy(kb, df.lazy()).collect()
