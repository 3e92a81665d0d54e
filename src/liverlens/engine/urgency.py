"""Urgency and cause scores, vectorised, from the predicate columns.

Urgency is the highest level among the urgency rules that fire. A cause's score is its prior
plus the weights of its evidence that holds; ``likelihood`` maps the score through the cut-offs
in ``thresholds.yaml``. Causes are scored only for panels that have something to explain.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from liverlens.engine.predicates import column, evidence_holds
from liverlens.knowledge import KnowledgeBase

URGENCY_LEVELS = ("none", "routine", "soon", "urgent")


def rule_column(rule_id: str) -> str:
    return f"rule_{rule_id}"


def score_column(cause_id: str) -> str:
    return f"score_{cause_id}"


def likelihood_column(cause_id: str) -> str:
    return f"likelihood_{cause_id}"


def urgency_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    return [
        pl.col(column(r.when)).fill_null(False).alias(rule_column(r.id)) for r in kb.urgency_rules
    ]


def urgency_level(kb: KnowledgeBase) -> pl.Expr:
    rank = pl.max_horizontal(
        pl.lit(0),
        *[
            pl.when(pl.col(rule_column(r.id))).then(URGENCY_LEVELS.index(r.level)).otherwise(0)
            for r in kb.urgency_rules
        ],
    )
    level: Any = pl.when(rank == 0).then(pl.lit(URGENCY_LEVELS[0]))
    for i, name in enumerate(URGENCY_LEVELS[1:], start=1):
        level = level.when(rank == i).then(pl.lit(name))
    result: pl.Expr = level.otherwise(None).alias("urgency")
    return result


def red_flag_ids(kb: KnowledgeBase) -> pl.Expr:
    """The red-flag ids that fired, in knowledge order, as a list.

    Built by joining and splitting text: a list assembled from per-flag when/then is about
    ten times slower over millions of rows, and most rows have no flag at all.
    """
    flags = [r for r in kb.urgency_rules if r.red_flag]
    joined = pl.concat_str(
        [pl.when(pl.col(rule_column(r.id))).then(pl.lit(r.id)) for r in flags],
        separator=";",
        ignore_nulls=True,
    )
    empty = pl.lit([], dtype=pl.List(pl.String))
    return pl.when(joined == "").then(empty).otherwise(joined.str.split(";")).alias("red_flags")


def cause_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    urgent = [pl.col(rule_column(r.id)) for r in kb.urgency_rules if r.level == "urgent"]
    # an urgent finding needs explaining even when every number is normal (an overdose can
    # come before the enzymes rise)
    needs_explaining = pl.any_horizontal(
        pl.col("any_abnormal"), pl.col("alt_above_healthy"), *urgent
    )
    exprs: list[pl.Expr] = []
    for cause in kb.causes.values():
        score = pl.lit(cause.prior, dtype=pl.Int64)
        for ev in cause.evidence:
            score = score + pl.when(evidence_holds(ev)).then(ev.weight).otherwise(0)
        score = pl.when(needs_explaining).then(score).otherwise(None)
        exprs.append(score.alias(score_column(cause.id)))
    return exprs


def likelihood_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    likely = kb.likelihood.likely_at_least
    possible = kb.likelihood.possible_at_least
    return [
        pl.when(pl.col(score_column(c)).is_null())
        .then(None)
        .when(pl.col(score_column(c)) >= likely)
        .then(pl.lit("likely"))
        .when(pl.col(score_column(c)) >= possible)
        .then(pl.lit("possible"))
        .otherwise(pl.lit("less_likely"))
        .alias(likelihood_column(c))
        for c in kb.causes
    ]
