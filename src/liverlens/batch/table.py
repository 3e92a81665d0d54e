"""From an arbitrary lab table to the engine's column contract, vectorised.

A table names its columns its own way (``ALT_U_L``, ``SGPT``, ``gender``) and may carry units
per column or per row. ``TableSpec`` says which input column feeds which field; ``to_contract``
converts values to canonical units with the factors in ``units.yaml`` and writes one reason per
problem into ``ll_reject_reason`` instead of failing: a bad row is kept, marked and counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from math import inf

import polars as pl

from liverlens.batch.matching import ColumnMatch, match_columns
from liverlens.engine.columns import comparator, lab_uln, schema
from liverlens.errors import InputError, Issue, issue
from liverlens.inputs import InputField, scalar_fields
from liverlens.inputs.numbers import NotANumber, read_result
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.names import fold
from liverlens.knowledge.table_words import load_table_words
from liverlens.knowledge.units import accepted_units, unit_for

YES = ("true", "yes", "y", "1", "是")
NO = ("false", "no", "n", "0", "否")
SIGNIFICANT_DIGITS = 12  # the same rounding as units.to_canonical
# names batch uses for itself while it works (see batch/annotate.py)
PRIVATE_COLUMN = re.compile(r"__input_\d+|__rejected|__cause_(?:rank|key)_\d+|__reading_\w+")


def fields(kb: KnowledgeBase) -> list[str]:
    """Every field a table can feed: analytes with their units and upper limits, the person
    and context fields of the input contract (``inputs.fields``), and the preset."""
    out: list[str] = []
    for a in kb.analytes:
        out += [a, f"{a}_unit", f"{a}_upper"]
    return out + [f.name for f in scalar_fields()] + ["reference"]


def _names(kb: KnowledgeBase, field_name: str) -> list[str]:
    """The column names a field is found by when not mapped: its name, an analyte's aliases,
    a contract field's short name, and the names tables use (``table_words.yaml``: ``Gender``
    for sex; ``ALT_ULN`` for alt_upper, ``SGPT unit`` for alt_unit)."""
    words = load_table_words()
    if field_name in kb.analytes:
        return [field_name, *kb.analytes[field_name].aliases]
    for companion in ("unit", "upper"):
        analyte = field_name.removesuffix(f"_{companion}")
        if analyte != field_name and analyte in kb.analytes:
            return [field_name, *words.companion_names(_names(kb, analyte), companion)]
    shorts = [f.short for f in scalar_fields() if f.name == field_name and f.short != field_name]
    return [field_name, *shorts, *words.field_names(field_name)]


def field_names(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Every field a table can feed, in order, with the names it is found by."""
    return {f: _names(kb, f) for f in fields(kb)}


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
        problems: list[Issue] = []
        ours = [c for c in columns if c.startswith("ll_") or PRIVATE_COLUMN.fullmatch(c)]
        if ours:  # most likely a file LiverLens already annotated
            problems.append(issue("", "error.batch.own_columns", columns=", ".join(ours[:5])))
        known = set(fields(kb))
        for f, col in self.mapping.items():
            if f not in known:
                accepted = ", ".join(sorted(known))
                problems.append(issue(f"--map {f}", "error.input.unknown_field", accepted=accepted))
            elif col not in columns:
                problems.append(
                    issue(f"--map {f}={col}", "error.batch.no_column", column=repr(col))
                )
        for analyte, unit in self.units.items():
            if analyte not in kb.analytes:
                accepted = ", ".join(kb.analytes)
                problems.append(
                    issue(f"--unit {analyte}", "error.lab.unknown_test", accepted=accepted)
                )
            elif unit_for(kb, analyte, unit) is None:
                accepted = ", ".join(accepted_units(kb.family_of(analyte)))
                problems.append(
                    issue(f"--unit {analyte}={unit}", "error.batch.unknown_unit", accepted=accepted)
                )
        if self.reference is not None and self.reference not in kb.presets:
            problems.append(
                issue(
                    "--reference",
                    "error.input.unknown_preset",
                    given=repr(self.reference),
                    accepted=", ".join(kb.presets),
                )
            )
        if problems:
            raise InputError(problems)
        by_key = {fold(c): c for c in columns}
        resolved = dict(self.mapping)
        for f, names in field_names(kb).items():  # in a fixed order: the same table, the same map
            if f in resolved:
                continue
            for name in names:
                if fold(name) in by_key and by_key[fold(name)] not in resolved.values():
                    resolved[f] = by_key[fold(name)]
                    break
        if not any(a in resolved for a in kb.analytes):
            raise InputError(issue("", "error.batch.no_lab_column"))
        return resolved


@dataclass(frozen=True)
class Check:
    """One reason a row can be rejected: where it fails, and the words that say why.

    ``failed`` is cheap and runs on every row; ``reason`` builds text and runs only on the
    rows that failed some check (formatting a message for every row of a million-row chunk
    cost more than the whole engine).
    """

    failed: pl.Expr
    reason: pl.Expr
    kind: str  # the reason without the cell: what a summary counts rows by


def _check(failed: pl.Expr, template: str, cell: pl.Expr | None = None) -> Check:
    """A check whose reason is ``template`` with the cell in place of ``{}``."""
    if cell is None:
        return Check(failed, pl.lit(template), template)
    return Check(failed, pl.format(template, cell), template.replace("{}", "…"))


UnitFactors = Mapping[str, Mapping[str, float]]
"""analyte -> unit spelling as written in the table -> factor to the canonical unit."""


def row_unit_columns(cols: Mapping[str, str], kb: KnowledgeBase) -> dict[str, str]:
    """analyte -> the input column that gives its unit row by row."""
    return {a: cols[f"{a}_unit"] for a in kb.analytes if f"{a}_unit" in cols}


def unit_factors(
    kb: KnowledgeBase, cols: Mapping[str, str], spellings: Mapping[str, list[str]]
) -> dict[str, dict[str, float]]:
    """Factors for the unit spellings a table uses, looked up once per distinct spelling.

    ``spellings`` is input column -> its distinct values; a spelling ``units.yaml`` does not
    know is left out, and the rows that carry it are rejected with the spelling in the reason.
    """
    out: dict[str, dict[str, float]] = {}
    for analyte, column in row_unit_columns(cols, kb).items():
        found = {s: unit_for(kb, analyte, s) for s in spellings.get(column, [])}
        out[analyte] = {s: u.factor for s, u in found.items() if u is not None}
    return out


def distinct_units(
    df: pl.DataFrame, kb: KnowledgeBase, cols: Mapping[str, str]
) -> dict[str, list[str]]:
    """The distinct unit spellings of each row-unit column of ``df``."""
    return {
        c: df.get_column(c).cast(pl.String).drop_nulls().unique().to_list()
        for c in row_unit_columns(cols, kb).values()
    }


@dataclass(frozen=True)
class CellReadings:
    """What a chunk's cells say that an expression cannot work out alone: the factor of each
    unit spelling, and the number (and bound) of each lab cell written as text that is not a
    plain number (``<5``, ``>1000``, `` 45 ``, ``1.234,5``), read by the single report's own
    parser (``inputs.numbers.read_result``), once per distinct cell. ``ambiguous`` holds the
    cells that parser refuses because they read two ways (``1,000``)."""

    factors: UnitFactors
    results: Mapping[str, Mapping[str, tuple[float, str | None]]]
    ambiguous: Mapping[str, tuple[str, ...]]


def _lab_columns(kb: KnowledgeBase, cols: Mapping[str, str]) -> list[str]:
    """The input columns that hold lab values or a lab's upper limits."""
    keys = [k for a in kb.analytes for k in (a, f"{a}_upper")]
    return [cols[k] for k in keys if k in cols]


def read_cells(kb: KnowledgeBase, df: pl.DataFrame, cols: Mapping[str, str]) -> CellReadings:
    """``CellReadings`` for ``df``; text columns only (a typed column has no such cells)."""
    results: dict[str, dict[str, tuple[float, str | None]]] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    for column in _lab_columns(kb, cols):
        if df.schema[column] != pl.String:
            continue
        cells = df.get_column(column)
        odd = cells.filter(cells.cast(pl.Float64, strict=False).is_null()).drop_nulls().unique()
        read: dict[str, tuple[float, str | None]] = {}
        twofold: list[str] = []
        for cell in odd.to_list():
            try:
                read[cell] = read_result(cell)
            except NotANumber as problem:
                if problem.reason == "ambiguous":
                    twofold.append(cell)
        results[column], ambiguous[column] = read, tuple(twofold)
    return CellReadings(unit_factors(kb, cols, distinct_units(df, kb, cols)), results, ambiguous)


def _factor(
    kb: KnowledgeBase, analyte: str, spec: TableSpec, cols: Mapping[str, str], factors: UnitFactors
) -> tuple[pl.Expr, Check | None]:
    """The factor to canonical units, and (for row units) the check for unknown units."""
    unit_col = cols.get(f"{analyte}_unit")
    if unit_col is None:
        unit = unit_for(kb, analyte, spec.units.get(analyte))
        if unit is None:  # pragma: no cover - TableSpec.resolve refuses unknown units first
            raise InputError(f"--unit {analyte}: unknown unit")
        return pl.lit(unit.factor), None
    raw = pl.col(unit_col).cast(pl.String)
    known = dict(factors.get(analyte, {}))
    factor = raw.replace_strict(known, default=None, return_dtype=pl.Float64)
    blank = raw.is_null() | (raw.str.strip_chars() == "")
    factor = pl.when(blank).then(pl.lit(1.0)).otherwise(factor)  # empty cell: canonical unit
    unknown = ~blank & factor.is_null()
    return factor, _check(unknown, f"{analyte}: unknown unit '{{}}'", raw)


def _finite(number: pl.Expr) -> pl.Expr:
    """``number`` with NaN and infinity as null: a CSV "nan" casts to NaN, which would pass
    every comparison the wrong way."""
    return pl.when(number.is_finite()).then(number).otherwise(None)


def refuse_flag_columns(
    kb: KnowledgeBase, schema: Mapping[str, pl.DataType], cols: Mapping[str, str]
) -> None:
    """A yes/no (boolean) column cannot feed a number: ``true`` would count as 1 U/L."""
    numbers = [*kb.analytes, *(f"{a}_upper" for a in kb.analytes)]
    numbers += [f.name for f in scalar_fields() if f.kind == "number"]
    problems = [
        issue(
            name, "error.batch.column_type", column=repr(cols[name]), type=str(schema[cols[name]])
        )
        for name in numbers
        if name in cols and cols[name] in schema and schema[cols[name]] == pl.Boolean
    ]
    if problems:
        raise InputError(problems)


def _reading(what: str, name: str) -> str:
    """The private column a contract reading lives in while the contract is built."""
    return f"__reading_{what}_{name}"


def _field_column(f: InputField, raw: pl.Expr) -> tuple[list[pl.Expr], pl.Expr, Check]:
    """A person or context field from a table column, and the check that rejects a bad cell.

    Numbers keep the contract's bounds; yes/no reads true/false, yes/no, 1/0 (and 是/否);
    a choice reads its words and their spellings (sex: M, woman, 男 ...). A bad cell becomes
    null in the contract and the row is rejected with the cell in the reason. Returns the
    readings (the cell as trimmed text, then the field's value), the value and the check, the
    last two over the readings: the text is trimmed and the value read once per row, not once
    for the contract and again for the check."""
    text_col, value_col = _reading("text", f.name), _reading("value", f.name)
    text, value = pl.col(text_col), pl.col(value_col)
    given = raw.is_not_null() & (text != "")
    readings = [raw.cast(pl.String).str.strip_chars().alias(text_col)]
    if f.kind == "number":
        number = _finite(raw.cast(pl.Float64, strict=False))
        low, high = f.low if f.low is not None else -inf, f.high if f.high is not None else inf
        bad = given & (value.is_null() | (value < low) | (value > high))
        reason = f"{f.name}: '{{}}' is outside {low:g}-{high:g}"
        readings.append(number.alias(value_col))
        return readings, pl.when(bad).then(None).otherwise(value), _check(bad, reason, text)
    if f.kind == "flag":
        words = dict.fromkeys(YES, True) | dict.fromkeys(NO, False)
        flag = text.str.to_lowercase().replace_strict(words, default=None, return_dtype=pl.Boolean)
        readings.append(flag.alias(value_col))
        check = _check(given & value.is_null(), f"{f.name}: '{{}}' is not yes or no", text)
        return readings, value, check
    spellings = {c: c for c in f.choices} | dict(f.aliases)
    choice = text.str.to_lowercase().replace_strict(spellings, default=None, return_dtype=pl.String)
    reason = f"{f.name}: '{{}}' is not one of {', '.join(f.choices)}"
    readings.append(choice.alias(value_col))
    return readings, value, _check(given & value.is_null(), reason, text)


def _as_number(raw: pl.Expr, column: str, cells: CellReadings) -> tuple[pl.Expr, pl.Expr]:
    """A lab column as numbers (a plain number as it stands, a text cell as ``cells`` read
    it), and the comparator of a bound (null for a measured value)."""
    cast = raw.cast(pl.Float64, strict=False)
    read = cells.results.get(column, {})
    if not read:
        return cast, pl.lit(None, dtype=pl.String)
    numbers = {cell: number for cell, (number, _) in read.items()}
    bounds = {cell: cmp for cell, (_, cmp) in read.items() if cmp is not None}
    text = raw.cast(pl.String)
    number = pl.coalesce(cast, text.replace_strict(numbers, default=None, return_dtype=pl.Float64))
    if not bounds:
        return number, pl.lit(None, dtype=pl.String)
    return number, text.replace_strict(bounds, default=None, return_dtype=pl.String)


def _not_read(
    a: str, raw: pl.Expr, number: pl.Expr, column: str, cells: CellReadings
) -> list[Check]:
    """A cell that is neither a number nor a bound the single report would read; one that
    reads two ways (``1,000``: a thousand, or one) says so, as the single report does."""
    text = raw.cast(pl.String)
    twofold = list(cells.ambiguous.get(column, ()))
    unread = raw.is_not_null() & number.is_null()
    if not twofold:
        return [_check(unread, f"{a}: '{{}}' is not a number", text)]
    is_twofold = text.is_in(twofold)
    reason = f"{a}: '{{}}' reads two ways (a thousands separator or a decimal comma)"
    return [
        _check(unread & ~is_twofold, f"{a}: '{{}}' is not a number", text),
        _check(is_twofold, reason, text),
    ]


@dataclass(frozen=True)
class Contract:
    """The engine's column contract over an input table, as expressions.

    ``readings`` are stages of private columns (``__reading_*``) added to the input, each
    stage over the ones before: a cell read as a number, then converted and rounded, a text
    trimmed. ``exprs`` (the contract's columns) and every check's ``failed`` and ``reason``
    read those columns, so each costly step runs once per row; computed inside both, each
    analyte's 12-digit rounding ran twice, about a third of the contract's time on a 1M-row
    chunk (2026-12-02).
    Evaluate any of them over ``with_readings(frame)``.
    """

    readings: tuple[tuple[pl.Expr, ...], ...]
    exprs: list[pl.Expr]
    checks: list[Check]

    def with_readings(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        for stage in self.readings:
            if stage:
                frame = frame.with_columns(stage)
        return frame


def contract_columns(
    kb: KnowledgeBase, spec: TableSpec, cols: Mapping[str, str], cells: CellReadings
) -> Contract:
    """The engine's column contract over the input table, and the checks that reject a row.
    Lazy-friendly: what they need from the data is in ``cells``."""
    reads: list[pl.Expr] = []  # stage 1: over the input
    values: list[pl.Expr] = []  # stage 2: over stage 1
    exprs: list[pl.Expr] = []
    checks: list[Check] = []
    for a in kb.analytes:
        col = cols.get(a)
        if col is None:
            continue
        raw = pl.col(col)
        read_expr, bound = _as_number(raw, col, cells)
        read = pl.col(_reading("read", a))
        number = _finite(read)
        factor, unit_check = _factor(kb, a, spec, cols, cells.factors)
        value = pl.col(_reading("value", a))
        reads.append(read_expr.alias(_reading("read", a)))
        values.append(
            (number * factor).round_sig_figs(SIGNIFICANT_DIGITS).alias(value.meta.output_name())
        )
        top = kb.analytes[a].plausible_max
        checks += [
            *_not_read(a, raw, read, col, cells),
            _check(
                read.is_not_null() & number.is_null(),
                f"{a}: '{{}}' is not a finite number",
                raw.cast(pl.String),
            ),
            _check(number < 0, f"{a}: negative value"),
            _check(value > top, f"{a}: above {top:g}, not a believable result"),
        ]
        if unit_check is not None:
            checks.append(unit_check)
        exprs += [value.alias(a), bound.alias(comparator(a))]
        upper_col = cols.get(f"{a}_upper")
        if upper_col is not None:
            # a limit as labs print it: "40", or "< 40" (up to 40); "> 40" is no upper limit
            upper_read, upper_bound = _as_number(pl.col(upper_col), upper_col, cells)
            canonical = pl.col(_reading("upper", a))
            values.append(
                (_finite(upper_read) * factor)
                .round_sig_figs(SIGNIFICANT_DIGITS)
                .alias(canonical.meta.output_name())
            )
            lowest, highest = kb.analytes[a].limit_range
            unbelievable = pl.col(upper_col).is_not_null() & (
                canonical.is_null()
                | (canonical < lowest)
                | (canonical > highest)
                | upper_bound.is_in([">", ">="]).fill_null(False)
            )
            reason = (
                f"{a}: upper limit '{{}}' is not a believable reference limit "
                f"({lowest:g}-{highest:g} in the canonical unit)"
            )
            checks.append(_check(unbelievable, reason, pl.col(upper_col).cast(pl.String)))
            exprs.append(canonical.alias(lab_uln(a)))
    for f in scalar_fields():
        if f.name in cols:
            (text, field_value), value, check = _field_column(f, pl.col(cols[f.name]))
            reads.append(text)
            values.append(field_value)
            exprs.append(value.alias(f.name))
            checks.append(check)
    reference = pl.lit(spec.reference or kb.default_preset)
    if "reference" in cols:
        given = pl.col(cols["reference"]).cast(pl.String)
        bad_ref = given.is_not_null() & ~given.is_in(list(kb.presets))
        checks.append(_check(bad_ref, "reference: '{}' is not a preset", given))
        reference = pl.coalesce(given, reference)
    exprs.append(reference.alias("reference"))
    given_names = {e.meta.output_name() for e in exprs}
    exprs += [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in schema(kb).items()
        if name not in given_names
    ]
    return Contract((tuple(reads), tuple(values)), exprs, checks)


def rejected(checks: list[Check]) -> pl.Expr:
    """True where any check fails (an unknown, e.g. a missing value, is not a failure)."""
    if not checks:
        return pl.lit(False)
    return pl.any_horizontal([c.failed for c in checks]).fill_null(False)


def reasons(checks: list[Check]) -> pl.Expr:
    """Every failed check's words, ``; ``-separated; run it on the rejected rows only."""
    parts = [pl.when(c.failed).then(c.reason) for c in checks]
    return pl.concat_str([*parts, pl.lit(None, dtype=pl.String)], separator="; ", ignore_nulls=True)


def _rejected_rows(df: pl.DataFrame, is_rejected: pl.Series, contract: Contract) -> pl.DataFrame:
    """The rejected rows of ``df`` with the contract's readings, for wording and counting."""
    return contract.with_readings(df.filter(is_rejected).lazy()).collect()


def reject_counts(df: pl.DataFrame, is_rejected: pl.Series, contract: Contract) -> Counter[str]:
    """How many rejected rows of ``df`` fail each kind of check (a row may fail several)."""
    checks = contract.checks
    if not checks or not is_rejected.any():
        return Counter()
    sums = _rejected_rows(df, is_rejected, contract).select(
        c.failed.fill_null(False).sum().alias(str(i)) for i, c in enumerate(checks)
    )
    out: Counter[str] = Counter()
    for check, count in zip(checks, sums.row(0), strict=True):
        if count:
            out[check.kind] += int(count)
    return out


def reject_reasons(df: pl.DataFrame, is_rejected: pl.Series, contract: Contract) -> pl.Series:
    """``ll_reject_reason`` for ``df``: the reasons where rejected, null elsewhere.

    Text is built for the rejected rows alone and scattered back into place.
    """
    out = pl.repeat(None, df.height, dtype=pl.String, eager=True).alias("ll_reject_reason")
    where = is_rejected.arg_true()
    if where.len():
        words = _rejected_rows(df, is_rejected, contract).select(reasons(contract.checks))
        out = out.scatter(where, words.to_series())
    return out


def to_contract(
    kb: KnowledgeBase, df: pl.DataFrame, spec: TableSpec, cols: Mapping[str, str]
) -> tuple[pl.DataFrame, Counter[str]]:
    """The engine's column contract for ``df`` plus ``ll_reject_reason`` (null when fine),
    and the rejected rows counted by kind of check (``Check.kind``, the reason without the
    cell), as ``batch`` counts them."""
    contract = contract_columns(kb, spec, cols, read_cells(kb, df, cols))
    read = contract.with_readings(df.lazy())
    is_rejected = read.select(rejected(contract.checks)).collect().to_series()
    table = read.select(contract.exprs).select(list(schema(kb))).collect()
    counts = reject_counts(df, is_rejected, contract)
    return table.with_columns(reject_reasons(df, is_rejected, contract)), counts


def describe(kb: KnowledgeBase, spec: TableSpec, columns: list[str]) -> ColumnMatch:
    """What ``spec`` reads from a table with ``columns``: the fields and their columns, the
    key fields not found and the look-alike columns (``batch.matching``)."""
    return match_columns(kb, columns, spec.resolve(kb, columns), field_names(kb))


def refuse_lookalikes(match: ColumnMatch) -> None:
    """``--strict``: a column that looks like a field but is not read stops the run."""
    problems = [
        issue(repr(x.column), "error.batch.lookalike", column=repr(x.column), what=x.field)
        for x in match.lookalikes
    ]
    if problems:
        raise InputError(problems)
