"""LiverLens on Spark (``pip install liverlens[spark]``), through Arrow.

``interpret(df)`` runs ``batch.annotate`` on each Arrow batch with ``mapInArrow``;
``cohort(df)`` splits the events by a hash of the person id into buckets, runs
``batch.cohort.cohort_worklist`` on each bucket (every event of a person is in one bucket) with
``groupBy(...).applyInArrow`` and sorts the result as the local worklist is sorted. The rule
code is the same as the single report's: Spark only moves the data.

Every Python worker must be able to import LiverLens: docs/spark.md says how to ship it
(``PYSPARK_PYTHON`` on every node, or a packed virtual environment). The function Spark sends
to the workers (``_shipped``) imports LiverLens only when it runs, so a worker without it
raises an ``ImportError`` that says what to do instead of failing while unpickling it.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import polars as pl
import pyarrow as pa

from liverlens.batch.annotate import annotate
from liverlens.batch.cohort import WORKLIST_DESCENDING, WORKLIST_ORDER, CohortColumns
from liverlens.batch.table import TableSpec
from liverlens.errors import InputError, issue
from liverlens.extras import require
from liverlens.i18n import for_cli
from liverlens.knowledge import load_knowledge

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

WORKER_HINT = "error.spark.worker_import"


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


def _shipped(step: str, payload: bytes) -> Callable[[Any], Any]:
    """The function Spark pickles for its Python workers: it runs ``step`` of this module
    there on ``payload`` (the pickled arguments) and the worker's data.

    cloudpickle sends a nested function by value, with what it refers to. This one refers only
    to builtins and to text and bytes in its closure, so unpickling it needs nothing on the
    worker; LiverLens is imported when it runs, and a worker whose Python lacks LiverLens (or
    Polars) raises the catalogue's hint, worded here on the driver, with the worker's Python
    and the missing module filled in there.
    """
    hint = load_knowledge().say(WORKER_HINT, for_cli(), python="{python}", module="{module}")

    def on_worker(data: Any) -> Any:
        try:
            from liverlens.batch import spark as here
        except ImportError as err:
            import sys

            words = hint.replace("{python}", sys.executable).replace("{module}", str(err.name))
            raise ImportError(words) from err
        return getattr(here, step)(payload, data)

    return on_worker


def _annotate_batches(
    payload: bytes, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """On a worker: ``annotate`` each Arrow batch of a partition."""
    spec, cols, target = pickle.loads(payload)  # noqa: S301 (pickled by interpret, this job)
    kb = load_knowledge()
    for batch in batches:
        frame = pl.DataFrame(pl.from_arrow(batch))
        yield from annotate(kb, frame, spec, cols).to_arrow().cast(target).to_batches()


def _worklist_bucket(payload: bytes, table: pa.Table) -> pa.Table:
    """On a worker: the worklist rows of every person in one bucket of events."""
    from liverlens.batch.cohort import cohort_worklist

    names, target = pickle.loads(payload)  # noqa: S301 (pickled by cohort, this job)
    out, _ = cohort_worklist(load_knowledge(), pl.DataFrame(pl.from_arrow(table)), names)
    return out.to_arrow().cast(target)


def person_bucket(person_id: Column, buckets: int) -> Column:
    """Which of ``buckets`` groups a person's events go to: a hash of the id, so every event
    of one person lands in the same group."""
    functions = require("pyspark.sql.functions", "Spark", "spark")
    bucket: Column = functions.pmod(functions.xxhash64(person_id), functions.lit(buckets))
    return bucket


def interpret(df: DataFrame, spec: TableSpec | None = None) -> DataFrame:
    """``df`` with the ``ll_*`` findings columns of ``liverlens batch`` added."""
    spec = spec or TableSpec()
    kb = load_knowledge()
    empty = pl.DataFrame(pl.from_arrow(df.limit(0).toArrow()))
    cols = spec.resolve(kb, empty.columns)
    target = _plain_schema(annotate(kb, empty, spec, cols).to_arrow().schema)
    run = _shipped("_annotate_batches", pickle.dumps((spec, cols, target)))
    return df.mapInArrow(run, _spark_schema(target))


def cohort(
    df: DataFrame, names: CohortColumns | None = None, buckets: int | None = None
) -> DataFrame:
    """One worklist row per person from long lab events, sorted like ``liverlens cohort``.

    The events are split into ``buckets`` groups by a hash of the person id (default: the
    session's ``spark.sql.shuffle.partitions``), and each group becomes one worklist call. A
    group per person, as before, made one call per person: 100,000 generated events (5,945
    people) had not finished after 6 minutes in ``local[2]``, against 47 s in 4 buckets, both
    on a loaded 2-core machine. A bucket is held in one worker's memory, so for very large
    tables raise ``buckets`` until one fits.
    """
    from liverlens.batch.cohort import cohort_worklist

    names = names or CohortColumns()
    kb = load_knowledge()
    sample = pl.DataFrame(pl.from_arrow(df.limit(1).toArrow()))
    example, _ = cohort_worklist(kb, sample, names)
    target = _plain_schema(example.to_arrow().schema)
    if buckets is not None and buckets < 1:
        raise InputError(issue("buckets", "error.spark.buckets", given=buckets))
    n = buckets or int(df.sparkSession.conf.get("spark.sql.shuffle.partitions") or 200)
    bucket = person_bucket(df[names.person_id], n)
    run = _shipped("_worklist_bucket", pickle.dumps((names, target)))
    grouped = df.groupBy(bucket.alias("_ll_bucket")).applyInArrow(run, _spark_schema(target))
    # Polars sorts nulls first whether ascending or descending
    return grouped.orderBy(
        *[
            grouped[c].desc_nulls_first() if d else grouped[c].asc_nulls_first()
            for c, d in zip(WORKLIST_ORDER, WORKLIST_DESCENDING, strict=True)
        ]
    )
