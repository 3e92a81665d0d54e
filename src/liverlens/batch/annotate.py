"""Annotate a table of panels with the engine's findings: the function every batch backend
(the CLI's chunks, Spark's Arrow batches, tests) calls.

Added columns are prefixed ``ll_`` so they never collide with the input's own. A row with a
reject reason keeps its input columns and gets ``ll_status = "rejected"`` and null findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, Literal

import polars as pl

from liverlens.batch.table import (
    TableSpec,
    contract_columns,
    read_cells,
    refuse_flag_columns,
    reject_counts,
    reject_reasons,
    rejected,
)
from liverlens.engine import evaluate_lazy
from liverlens.engine.causes import score_column
from liverlens.engine.columns import case_from_row
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.units import unit_for
from liverlens.report.build import build_report
from liverlens.vocabulary import Band, Grade, Ordered, Pattern, Status, Urgency

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
# ``--columns core``: what a data team's SQL of the core rules gives (the DuckDB peer of
# benchmarks/run.py), so the two can be timed like for like; ``full`` is every finding.
ColumnSet = Literal["full", "core"]
COLUMN_SETS: tuple[ColumnSet, ...] = ("full", "core")
CORE_COLUMNS = (
    "alt_fold",
    "alt_grade",
    "ast_alt_ratio",
    "r_ratio",
    "pattern",
    "fib4",
    "fib4_band",
    "hys_law",
    "urgency",
)
HYS_LAW = "p_hys_law_pattern"  # the predicate urgency.yaml's hys_law rule reads
WORDS: dict[str, type[Ordered]] = {
    "alt_grade": Grade,
    "pattern": Pattern,
    "fib4_band": Band,
    "apri_band": Band,
    "nfs_band": Band,
    "bard_band": Band,
    "urgency": Urgency,
}
ROW_STATUS = pl.Enum(["ok", "rejected"])
TOP_CAUSES = 3
SCORE_OFFSET = 10**6  # below any cause score, so every ranking key is positive
REJECTED = "__rejected"


def _rank_key(i: int) -> str:
    return f"__cause_rank_{i}"


def rank_causes(kb: KnowledgeBase, plan: pl.LazyFrame) -> pl.LazyFrame:
    """Add the ranking keys of the three best causes, one step each.

    Each cause gets one integer key, (score + OFFSET) * SLOTS + (SLOTS - 1 - position), so keys
    never tie, are never negative, and a higher key ranks first, exactly as the single report
    orders causes. The best key is the row's maximum, the second the maximum below it, and so
    on: plain column arithmetic, so it streams. Each step reads the previous one as a column;
    nesting the expressions instead would grow the plan 19-fold per step.
    """
    names = list(kb.causes)
    slots = len(names)
    keys = [
        (pl.col(score_column(c)).fill_null(-SCORE_OFFSET).cast(pl.Int64) + SCORE_OFFSET) * slots
        + (slots - 1 - i)
        for i, c in enumerate(names)
    ]
    plan = plan.with_columns(k.alias(f"__cause_key_{i}") for i, k in enumerate(keys))
    key_columns = [pl.col(f"__cause_key_{i}") for i in range(slots)]
    for step in range(TOP_CAUSES):
        previous = pl.col(_rank_key(step - 1))
        below = [pl.when(k < previous).then(k) for k in key_columns] if step else key_columns
        plan = plan.with_columns(pl.max_horizontal(below).alias(_rank_key(step)))
    return plan


def top_causes(kb: KnowledgeBase) -> pl.Expr:
    """Up to three cause ids per row, possible or better, best first, from the keys of
    ``rank_causes``, as one ``;``-separated text (empty when none). Text rather than a list:
    building lists row by row is far slower over millions of rows, and text reads the same
    in CSV and Parquet."""
    names = list(kb.causes)
    slots = len(names)
    floor = (kb.likelihood.possible_at_least + SCORE_OFFSET) * slots
    lookup = {slots - 1 - i: c for i, c in enumerate(names)}
    named = [
        pl.when(pl.col(_rank_key(step)) >= floor).then(
            (pl.col(_rank_key(step)) % slots).replace_strict(
                lookup, default=None, return_dtype=pl.String
            )
        )
        for step in range(TOP_CAUSES)
    ]
    return pl.concat_str(named, separator=";", ignore_nulls=True)


def _word(column: str) -> pl.Expr:
    """An engine column of vocabulary words as a Polars Enum (a dictionary column in Parquet):
    the words in their order, and a fraction of the bytes of text."""
    vocabulary = WORDS.get(column) or (Status if column.endswith("_status") else None)
    e = pl.col(column)
    return e if vocabulary is None else e.cast(pl.Enum(vocabulary.ids()))


def output_columns(
    kb: KnowledgeBase, analytes: list[str], columns: ColumnSet = "full"
) -> list[pl.Expr]:
    """The ``ll_*`` findings of one column set (``COLUMN_SETS``)."""
    if columns == "core":
        return [_word(c).alias(f"ll_{c}") for c in CORE_COLUMNS[:-2]] + [
            pl.col(HYS_LAW).alias("ll_hys_law"),
            _word("urgency").alias("ll_urgency"),
        ]
    exprs: list[pl.Expr] = []
    for a in analytes:
        exprs += [
            pl.col(f"{a}_fold").alias(f"ll_{a}_fold"),
            _word(f"{a}_status").alias(f"ll_{a}_status"),
        ]
    exprs += [_word(c).alias(f"ll_{c}") for c in PANEL_COLUMNS]
    exprs += [_word(c).alias(f"ll_{c}") for c in SCORE_COLUMNS]
    exprs += [
        pl.col("red_flags").list.join(";").alias("ll_red_flags"),
        pl.col(HYS_LAW).alias("ll_hys_law"),
        _word("urgency").alias("ll_urgency"),
        top_causes(kb).alias("ll_top_causes"),
    ]
    return exprs


def _input(i: int) -> str:
    return f"__input_{i}"


def _given(
    kb: KnowledgeBase,
    row: Mapping[str, Any],
    spec: TableSpec,
    columns: list[str],
    cols: Mapping[str, str],
) -> dict[str, tuple[float, str]]:
    """Analyte -> (value, unit) as the table wrote them, for a report's "converted" note."""
    out: dict[str, tuple[float, str]] = {}
    for a in kb.analytes:
        if a not in cols or row.get(a) is None:
            continue
        cell = row[_input(columns.index(cols[a]))]
        unit_cell = row[_input(columns.index(cols[f"{a}_unit"]))] if f"{a}_unit" in cols else None
        spelling = str(unit_cell).strip() if unit_cell not in (None, "") else spec.units.get(a)
        unit = unit_for(kb, a, spelling)
        if unit is not None:
            out[a] = (float(cell), unit.unit)
    return out


def explanations(
    kb: KnowledgeBase,
    full: pl.DataFrame,
    spec: TableSpec,
    columns: list[str],
    cols: Mapping[str, str],
) -> pl.Series:
    """The text report of each accepted row, built from the very row the engine evaluated
    (``engine.columns.case_from_row``), so a row's text and its columns cannot disagree."""
    texts: list[str | None] = []
    for row in full.iter_rows(named=True):
        if row[REJECTED]:
            texts.append(None)
            continue
        case = case_from_row(kb, row, _given(kb, row, spec, columns, cols))
        texts.append(build_report(kb, case, row).to_text() if case.labs else None)
    return pl.Series("ll_explanation", texts, dtype=pl.String)


def annotate(
    kb: KnowledgeBase,
    df: pl.DataFrame,
    spec: TableSpec,
    cols: Mapping[str, str] | None = None,
    explain: bool = False,
    columns: ColumnSet = "full",
) -> pl.DataFrame:
    """``df`` with the findings of each row added as ``ll_*`` columns (``annotate_counting``
    without the counts)."""
    return annotate_counting(kb, df, spec, cols, explain, columns)[0]


def annotate_counting(
    kb: KnowledgeBase,
    df: pl.DataFrame,
    spec: TableSpec,
    cols: Mapping[str, str] | None = None,
    explain: bool = False,
    columns: ColumnSet = "full",
) -> tuple[pl.DataFrame, Counter[str]]:
    """``df`` with the findings of each row added as ``ll_*`` columns (and, with
    ``explain``, each accepted row's text report as ``ll_explanation``).

    Contract, engine and ranking run as one lazy plan on Polars' streaming engine, so every
    core works on the chunk. The input columns are carried under private names, because the
    engine's contract reuses names such as ``alt`` for the converted values; they get their
    own names back at the end. Reject reasons are worded afterwards, for rejected rows only,
    and counted by kind (``table.Check.kind``) for the run's summary. ``columns`` picks the
    findings written (``COLUMN_SETS``); Polars computes only what they need.
    """
    cols = cols if cols is not None else spec.resolve(kb, df.columns)
    refuse_flag_columns(kb, df.schema, cols)
    table = contract_columns(kb, spec, cols, read_cells(kb, df, cols))
    carried = [pl.col(c).alias(_input(i)) for i, c in enumerate(df.columns)]
    contract = table.with_readings(df.lazy()).select(
        *carried, *table.exprs, rejected(table.checks).alias(REJECTED)
    )
    analytes = [a for a in kb.analytes if a in cols]
    dropped = pl.col(REJECTED)
    findings = [
        pl.when(dropped).then(None).otherwise(e).alias(e.meta.output_name())
        for e in output_columns(kb, analytes, columns)
    ]
    status = pl.when(dropped).then(pl.lit("rejected")).otherwise(pl.lit("ok")).cast(ROW_STATUS)
    plan = rank_causes(kb, evaluate_lazy(kb, contract))
    outputs = [
        *[pl.col(_input(i)).alias(c) for i, c in enumerate(df.columns)],
        *findings,
        status.alias("ll_status"),
        dropped,
    ]
    if explain:  # the slow path: keep every evaluated column for the reports
        full = plan.collect()
        out = full.select(outputs).with_columns(explanations(kb, full, spec, df.columns, cols))
    else:
        out = plan.select(outputs).collect(engine="streaming")
    # The reasons read the input columns by their own names, from ``df`` itself: worded over
    # the streaming engine's output instead, a filtered text column made Polars 2.1 panic
    # ("assertion failed: i < self.len()") on a table with a bad sex and a bad age.
    is_rejected = out.get_column(REJECTED)
    reasons = reject_reasons(df, is_rejected, table)
    counts = reject_counts(df, is_rejected, table)
    return out.with_columns(reasons).drop(REJECTED), counts
