"""Which tests a doctor may arrange, vectorised: one boolean column per test in workup.yaml.

A test is suggested when any of its rules fires (all ``when`` predicates hold, no ``unless``
predicate holds). ``workup_deferred`` marks panels where the deferrable screen waits for a
repeat test: a small rise (borderline or mild) with a likely temporary trigger, no persistence
and nothing more urgent than routine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liverlens.engine.predicates import column
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import WorkupRule
from liverlens.vocabulary import Grade, Urgency

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl


def test_column(test_id: str) -> str:
    return f"wu_{test_id}"


def rule_fires(rule: WorkupRule) -> pl.Expr:
    holds = pl.all_horizontal([pl.col(column(p)) for p in rule.predicates]).fill_null(False)
    if not rule.unless:
        return holds
    blocked = pl.any_horizontal([pl.col(column(p)) for p in rule.unless]).fill_null(False)
    return holds & ~blocked


def workup_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    exprs = [
        pl.any_horizontal([rule_fires(r) for r in test.rules]).alias(test_column(test.id))
        for test in kb.workup.values()
    ]
    deferred = (
        pl.col(column("transient_trigger_likely")).fill_null(False)
        & pl.col("alt_grade").is_in([Grade.BORDERLINE.value, Grade.MILD.value])
        & (pl.col("urgency") == Urgency.ROUTINE.value)
        & ~pl.col("trend_persistent").fill_null(False)
    )
    return [*exprs, deferred.alias("workup_deferred")]


def workup_list(kb: KnowledgeBase) -> pl.Expr:
    """The suggested test ids in file order, as one list column (for batch output)."""
    return (
        pl.concat_list(
            [pl.when(pl.col(test_column(t))).then(pl.lit(t)).otherwise(None) for t in kb.workup]
        )
        .list.drop_nulls()
        .alias("workup")
    )
