"""Cause scores and likelihoods, vectorised, from the predicate columns.

A cause's score is its prior plus the weights of its evidence that holds (``causes.yaml``);
``likelihood`` maps the score through the cut-offs in ``thresholds.yaml``. Causes are scored
only for panels that have something to explain: an abnormal value, an ALT above the healthy
limit, or an urgent finding (an overdose can come before the enzymes rise); and only for the
people a cause can concern (``applies``: the pregnancy causes only in pregnancy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liverlens.engine.predicates import all_hold, evidence_holds
from liverlens.engine.urgency import rule_column
from liverlens.knowledge import KnowledgeBase
from liverlens.vocabulary import Likelihood, Urgency

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl


def score_column(cause_id: str) -> str:
    return f"score_{cause_id}"


def likelihood_column(cause_id: str) -> str:
    return f"likelihood_{cause_id}"


def cause_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    urgent = [pl.col(rule_column(r.id)) for r in kb.urgency_rules if r.level == Urgency.URGENT]
    needs_explaining = pl.any_horizontal(
        pl.col("any_abnormal"), pl.col("alt_above_healthy"), *urgent
    )
    exprs: list[pl.Expr] = []
    for cause in kb.causes.values():
        score = pl.lit(cause.prior, dtype=pl.Int64)
        for ev in cause.evidence:
            score = score + pl.when(evidence_holds(ev)).then(ev.weight).otherwise(0)
        # a cause for some people only (the pregnancy causes) is not scored for others
        applies = all_hold(cause.applies).fill_null(False) if cause.applies else pl.lit(True)
        score = pl.when(needs_explaining & applies).then(score).otherwise(None)
        exprs.append(score.alias(score_column(cause.id)))
    return exprs


def likelihood_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    likely = kb.likelihood.likely_at_least
    possible = kb.likelihood.possible_at_least
    return [
        pl.when(pl.col(score_column(c)).is_null())
        .then(None)
        .when(pl.col(score_column(c)) >= likely)
        .then(pl.lit(Likelihood.LIKELY.value))
        .when(pl.col(score_column(c)) >= possible)
        .then(pl.lit(Likelihood.POSSIBLE.value))
        .otherwise(pl.lit(Likelihood.LESS_LIKELY.value))
        .alias(likelihood_column(c))
        for c in kb.causes
    ]
