"""From an arbitrary lab table to the engine's column contract, vectorised.

A table names its columns its own way (``ALT_U_L``, ``SGPT``, ``gender``) and may carry units
per column or per row. ``TableSpec`` says which input column feeds which field; ``to_contract``
converts values to canonical units with the factors in ``units.yaml`` and writes one reason per
problem into ``ll_reject_reason`` instead of failing: a bad row is kept, marked and counted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from liverlens.engine.columns import lab_uln, schema
from liverlens.errors import InputError
from liverlens.knowledge import KnowledgeBase
from liverlens.units import accepted_units, unit_for

PERSON_FIELDS = ("sex", "age", "bmi", "diabetes", "reference")
SEX_WORDS = {
    "male": "male",
    "m": "male",
    "man": "male",
    "female": "female",
    "f": "female",
    "woman": "female",
}
SIGNIFICANT_DIGITS = 12  # the same rounding as units.to_canonical


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", name.lower())


def fields(kb: KnowledgeBase) -> list[str]:
    """Every field a table can feed: analytes, their units and upper limits, person fields."""
    out: list[str] = []
    for a in kb.analytes:
        out += [a, f"{a}_unit", f"{a}_upper"]
    return out + list(PERSON_FIELDS)


@dataclass(frozen=True)
class TableSpec:
    """Which input column feeds which field, and the unit of each analyte column.

    ``mapping`` is field -> input column; fields not mapped are found by name (the field id or
    one of the analyte's aliases, ignoring case and punctuation). ``units`` is analyte -> unit
    for whole columns; a mapped ``<analyte>_unit`` column gives units row by row instead.
    """

    mapping: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    reference: str | None = None

    def resolve(self, kb: KnowledgeBase, columns: list[str]) -> dict[str, str]:
        """Field -> input column, checking the spec against the table and the knowledge base."""
        problems: list[str] = []
        known = set(fields(kb))
        for f, col in self.mapping.items():
            if f not in known:
                problems.append(f"--map {f}: unknown field; accepted: {', '.join(sorted(known))}")
            elif col not in columns:
                problems.append(f"--map {f}={col}: the input has no column {col!r}")
        for analyte, unit in self.units.items():
            if analyte not in kb.analytes:
                problems.append(
                    f"--unit {analyte}: unknown test; accepted: {', '.join(kb.analytes)}"
                )
            elif unit_for(kb, analyte, unit) is None:
                accepted = ", ".join(accepted_units(kb.family_of(analyte)))
                problems.append(f"--unit {analyte}={unit}: unknown unit; accepted: {accepted}")
        if self.reference is not None and self.reference not in kb.presets:
            problems.append(f"--reference {self.reference}: accepted: {', '.join(kb.presets)}")
        if problems:
            raise InputError(problems)
        by_key = {_key(c): c for c in columns}
        resolved = dict(self.mapping)
        for f in known - resolved.keys():
            names = [f]
            if f in kb.analytes:
                names += list(kb.analytes[f].aliases)
            for name in names:
                if _key(name) in by_key and by_key[_key(name)] not in resolved.values():
                    resolved[f] = by_key[_key(name)]
                    break
        if not any(a in resolved for a in kb.analytes):
            raise InputError(
                "the input has no lab column LiverLens recognises; name them (alt, ast, ...) "
                "or map them with --map alt=COLUMN"
            )
        return resolved


def _reason(cond: pl.Expr, text: pl.Expr | str) -> pl.Expr:
    return pl.when(cond).then(text if isinstance(text, pl.Expr) else pl.lit(text))


def _factor_expr(
    kb: KnowledgeBase, analyte: str, spec: TableSpec, cols: Mapping[str, str], df: pl.DataFrame
) -> tuple[pl.Expr, pl.Expr | None]:
    """The factor to canonical units, and (for row units) a reason where a unit is unknown.

    Row units are looked up once per distinct spelling in the chunk, not once per row.
    """
    unit_col = cols.get(f"{analyte}_unit")
    if unit_col is None:
        unit = unit_for(kb, analyte, spec.units.get(analyte))
        if unit is None:  # pragma: no cover - TableSpec.resolve refuses unknown units first
            raise InputError(f"--unit {analyte}: unknown unit")
        return pl.lit(unit.factor), None
    raw = pl.col(unit_col).cast(pl.String)
    factors: dict[str, float] = {}
    for spelling in df.get_column(unit_col).cast(pl.String).drop_nulls().unique().to_list():
        found = unit_for(kb, analyte, spelling)
        if found is not None:
            factors[spelling] = found.factor
    factor = raw.replace_strict(factors, default=None, return_dtype=pl.Float64)
    default = pl.lit(1.0)  # an empty unit cell means the canonical unit
    factor = pl.when(raw.is_null() | (raw.str.strip_chars() == "")).then(default).otherwise(factor)
    unknown = raw.is_not_null() & (raw.str.strip_chars() != "") & factor.is_null()
    reason = _reason(unknown, pl.format(f"{analyte}: unknown unit '{{}}'", raw))
    return factor, reason


def to_contract(
    kb: KnowledgeBase, df: pl.DataFrame, spec: TableSpec, cols: Mapping[str, str]
) -> pl.DataFrame:
    """The engine's column contract for ``df`` plus ``ll_reject_reason`` (null when fine)."""
    exprs: list[pl.Expr] = []
    reasons: list[pl.Expr] = []
    for a in kb.analytes:
        col = cols.get(a)
        if col is None:
            continue
        raw = pl.col(col)
        number = raw.cast(pl.Float64, strict=False)
        factor, unit_reason = _factor_expr(kb, a, spec, cols, df)
        value = (number * factor).round_sig_figs(SIGNIFICANT_DIGITS)
        top = kb.analytes[a].plausible_max
        reasons += [
            _reason(
                raw.is_not_null() & number.is_null(),
                pl.format(f"{a}: '{{}}' is not a number", raw.cast(pl.String)),
            ),
            _reason(number < 0, f"{a}: negative value"),
            _reason(value > top, f"{a}: above {top:g}, not a believable result"),
        ]
        if unit_reason is not None:
            reasons.append(unit_reason)
        exprs.append(value.alias(a))
        upper_col = cols.get(f"{a}_upper")
        if upper_col is not None:
            upper = pl.col(upper_col).cast(pl.Float64, strict=False)
            reasons.append(_reason(upper <= 0, f"{a}: upper limit must be above 0"))
            exprs.append((upper * factor).round_sig_figs(SIGNIFICANT_DIGITS).alias(lab_uln(a)))
    if "sex" in cols:
        raw_sex = pl.col(cols["sex"]).cast(pl.String)
        sex = (
            raw_sex.str.strip_chars()
            .str.to_lowercase()
            .replace_strict(SEX_WORDS, default=None, return_dtype=pl.String)
        )
        reasons.append(
            _reason(
                raw_sex.is_not_null() & (raw_sex.str.strip_chars() != "") & sex.is_null(),
                pl.format("sex: '{}' is not male or female", raw_sex),
            )
        )
        exprs.append(sex.alias("sex"))
    for name, low, high in (("age", 0, 120), ("bmi", 10, 90)):
        if name in cols:
            raw = pl.col(cols[name])
            number = raw.cast(pl.Float64, strict=False)
            bad = raw.is_not_null() & (number.is_null() | (number < low) | (number > high))
            reasons.append(
                _reason(
                    bad, pl.format(f"{name}: '{{}}' is outside {low}-{high}", raw.cast(pl.String))
                )
            )
            exprs.append(pl.when(bad).then(None).otherwise(number).alias(name))
    if "diabetes" in cols:
        exprs.append(pl.col(cols["diabetes"]).cast(pl.Boolean, strict=False).alias("diabetes"))
    reference = pl.lit(spec.reference or kb.default_preset)
    if "reference" in cols:
        given = pl.col(cols["reference"]).cast(pl.String)
        bad_ref = given.is_not_null() & ~given.is_in(list(kb.presets))
        reasons.append(_reason(bad_ref, pl.format("reference: '{}' is not a preset", given)))
        reference = pl.coalesce(given, reference)
    exprs.append(reference.alias("reference"))
    reasons.append(pl.lit(None, dtype=pl.String))  # concat_str needs at least one input
    reason = pl.concat_str(reasons, separator="; ", ignore_nulls=True)
    exprs.append(pl.when(reason == "").then(None).otherwise(reason).alias("ll_reject_reason"))
    contract = df.select(exprs)
    full = schema(kb)
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in full.items()
        if name not in contract.columns
    ]
    return contract.with_columns(missing).select([*full, "ll_reject_reason"])
