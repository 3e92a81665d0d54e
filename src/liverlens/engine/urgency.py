"""Urgency and red flags, vectorised, from the predicate columns.

A panel's urgency is the highest level among the urgency rules (``urgency.yaml``) that fire;
with none it is ``none``. Red flags are the rules marked ``red_flag``, listed in file order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liverlens.engine.predicates import all_hold, column
from liverlens.knowledge import KnowledgeBase
from liverlens.vocabulary import Urgency

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl


def rule_column(rule_id: str) -> str:
    return f"rule_{rule_id}"


def urgency_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    """One column per rule of the triage table: every ``when`` holds and no ``unless`` does.
    A rule whose condition is unknown does not fire (the report asks instead)."""
    exprs = []
    for r in kb.urgency_rules:
        fires = all_hold(r.when).fill_null(False)
        if r.unless:
            blocked = pl.any_horizontal([pl.col(column(p)) for p in r.unless]).fill_null(False)
            fires = fires & ~blocked
        exprs.append(fires.alias(rule_column(r.id)))
    return exprs


def urgency_level(kb: KnowledgeBase) -> pl.Expr:
    rank = pl.max_horizontal(
        pl.lit(0),
        *[
            pl.when(pl.col(rule_column(r.id))).then(r.level.rank).otherwise(0)
            for r in kb.urgency_rules
        ],
    )
    level: Any = pl.when(rank == 0).then(pl.lit(Urgency.NONE.value))
    for member in list(Urgency)[1:]:
        level = level.when(rank == member.rank).then(pl.lit(member.value))
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
