"""LiverLens on Spark (``pip install liverlens[spark]``), through Arrow.

``interpret(df)`` runs ``batch.annotate`` on each Arrow batch with ``mapInArrow``;
``cohort(df)`` runs ``batch.cohort.cohort_worklist`` on each person's events with
``groupBy(...).applyInArrow`` and sorts the result as the local worklist is sorted. The rule
code is the same as the single report's: Spark only moves the data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import polars as pl
import pyarrow as pa

from liverlens.batch.annotate import annotate
from liverlens.batch.cohort import WORKLIST_DESCENDING, WORKLIST_ORDER, CohortColumns
from liverlens.batch.table import TableSpec
from liverlens.extras import require
from liverlens.knowledge import load_knowledge

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def _plain(t: pa.DataType) -> pa.DataType:
    """Arrow types Spark reads: dictionary, large and view strings and lists become their plain
    forms."""
    if pa.types.is_dictionary(t):  # vocabulary words (Enum columns) as plain text
        return _plain(t.value_type)
    if pa.types.is_large_string(t) or pa.types.is_string_view(t) or pa.types.is_null(t):
        return pa.string()
    if pa.types.is_large_list(t) or pa.types.is_list(t):
        return pa.list_(_plain(t.value_type))
    if pa.types.is_unsigned_integer(t):
        return pa.int64()
    return t


def _plain_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema(pa.field(f.name, _plain(f.type)) for f in schema)


def _spark_schema(schema: pa.Schema) -> Any:
    types = require("pyspark.sql.pandas.types", "Spark", "spark")
    return types.from_arrow_schema(schema)


def interpret(df: DataFrame, spec: TableSpec | None = None) -> DataFrame:
    """``df`` with the ``ll_*`` findings columns of ``liverlens batch`` added."""
    spec = spec or TableSpec()
    kb = load_knowledge()
    empty = pl.DataFrame(pl.from_arrow(df.limit(0).toArrow()))
    cols = spec.resolve(kb, empty.columns)
    target = _plain_schema(annotate(kb, empty, spec, cols).to_arrow().schema)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        knowledge = load_knowledge()
        for batch in batches:
            frame = pl.DataFrame(pl.from_arrow(batch))
            table = annotate(knowledge, frame, spec, cols).to_arrow().cast(target)
            yield from table.to_batches()

    return df.mapInArrow(run, _spark_schema(target))


def cohort(df: DataFrame, names: CohortColumns | None = None) -> DataFrame:
    """One worklist row per person from long lab events, sorted like ``liverlens cohort``."""
    from liverlens.batch.cohort import cohort_worklist

    names = names or CohortColumns()
    kb = load_knowledge()
    sample = pl.DataFrame(pl.from_arrow(df.limit(1).toArrow()))
    example, _ = cohort_worklist(kb, sample, names)
    target = _plain_schema(example.to_arrow().schema)

    def per_person(table: pa.Table) -> pa.Table:
        out, _ = cohort_worklist(load_knowledge(), pl.DataFrame(pl.from_arrow(table)), names)
        return out.to_arrow().cast(target)

    grouped = df.groupBy(names.person_id).applyInArrow(per_person, _spark_schema(target))
    return grouped.orderBy(
        *[
            grouped[c].desc() if d else grouped[c].asc()
            for c, d in zip(WORKLIST_ORDER, WORKLIST_DESCENDING, strict=True)
        ]
    )
