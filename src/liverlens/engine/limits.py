"""Which limits apply to each row: the laboratory's own, else the chosen preset's.

Written as Polars expressions generated from ``limits.yaml`` so a million rows resolve their
limits in one pass. Within a preset, a sex-specific entry beats ``any`` and an age-banded entry
beats an unbanded one; every preset has an ``any`` entry per analyte (checked at load).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liverlens.engine.columns import lab_lln, lab_uln
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import Limit

if TYPE_CHECKING:
    import polars as pl
else:
    from liverlens.deferred import polars as pl


def _specificity(lim: Limit) -> tuple[int, int]:
    return (0 if lim.sex != "any" else 1, 0 if (lim.age_min, lim.age_max) != (None, None) else 1)


def _matches(lim: Limit, preset_id: str | None) -> pl.Expr:
    cond = pl.lit(True) if preset_id is None else pl.col("reference") == preset_id
    if lim.sex != "any":
        cond = cond & (pl.col("sex") == lim.sex)
    if lim.age_min is not None:
        cond = cond & (pl.col("age") >= lim.age_min)
    if lim.age_max is not None:
        cond = cond & (pl.col("age") <= lim.age_max)
    return cond


def _preset_chain(
    kb: KnowledgeBase, analyte: str, pick: str, fixed_preset: str | None = None
) -> pl.Expr:
    """A when/then chain over the preset entries for one analyte.

    ``pick`` is ``upper``, ``lower`` or ``source``. With ``fixed_preset`` the row's own
    ``reference`` is ignored (used for the ACG healthy-limit comparison).
    """
    presets = [kb.presets[fixed_preset]] if fixed_preset else list(kb.presets.values())
    chain: Any = None  # polars' when/then builder types are not public
    for preset in presets:
        entries = sorted((x for x in preset.limits if x.analyte == analyte), key=_specificity)
        for lim in entries:
            value: float | str | None = getattr(lim, pick)
            cond = _matches(lim, None if fixed_preset else preset.id)
            lit = pl.lit(value, dtype=pl.String if pick == "source" else pl.Float64)
            chain = pl.when(cond).then(lit) if chain is None else chain.when(cond).then(lit)
    if chain is None:
        return pl.lit(None, dtype=pl.String if pick == "source" else pl.Float64)
    result: pl.Expr = chain.otherwise(None)
    return result


def limit_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    """``<a>_uln``, ``<a>_lln``, ``<a>_limit_source`` (of the upper limit) and
    ``<a>_lower_source`` for every analyte."""
    exprs: list[pl.Expr] = []
    for a in kb.analytes:
        lab_given = pl.col(lab_uln(a)).is_not_null()
        exprs.append(
            pl.when(lab_given)
            .then(pl.col(lab_uln(a)))
            .otherwise(_preset_chain(kb, a, "upper"))
            .alias(f"{a}_uln")
        )
        exprs.append(
            pl.coalesce(pl.col(lab_lln(a)), _preset_chain(kb, a, "lower")).alias(f"{a}_lln")
        )
        exprs.append(
            pl.when(lab_given)
            .then(pl.lit("lab"))
            .otherwise(_preset_chain(kb, a, "source"))
            .alias(f"{a}_limit_source")
        )
        # where the lower limit came from: a lab that printed only "<= 40" lends no lower
        # limit, so the report must not say "15-40 (your lab)"
        preset_lower = _preset_chain(kb, a, "lower")
        exprs.append(
            pl.when(pl.col(lab_lln(a)).is_not_null())
            .then(pl.lit("lab"))
            .when(preset_lower.is_not_null())
            .then(_preset_chain(kb, a, "source"))
            .otherwise(None)
            .alias(f"{a}_lower_source")
        )
    return exprs


def healthy_alt_uln(kb: KnowledgeBase) -> pl.Expr:
    """The ACG 2017 healthy ALT limit for the row's sex, whatever preset the row uses."""
    return _preset_chain(kb, "alt", "upper", fixed_preset=kb.healthy_preset).alias(
        "alt_healthy_uln"
    )
