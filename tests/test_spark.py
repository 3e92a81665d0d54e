"""Spark local mode runs the very same rules: its output equals the local engine's, column by
column and row by row, with the data split over two worker processes and several partitions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from benchmarks.generate import TEST_LABELS, events_chunk

from liverlens.batch import TableSpec, annotate
from liverlens.batch.cohort import cohort_worklist
from liverlens.knowledge import load_knowledge

pyspark = pytest.importorskip("pyspark", reason="install liverlens[spark]")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "spark_interpret.py"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers must use this venv (docs/spark.md)
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("liverlens-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "3")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield session
    session.stop()


def partitions_used(df: Any) -> int:
    """How many partitions hold at least one row (not merely how many exist)."""
    from pyspark.sql.functions import spark_partition_id

    return int(df.select(spark_partition_id().alias("p")).distinct().count())


def same(remote: pl.DataFrame, local: pl.DataFrame) -> None:
    assert remote.columns == local.columns
    assert remote.height == local.height
    for column in local.columns:
        assert remote.get_column(column).to_list() == local.get_column(column).to_list(), column


PANELS = pl.DataFrame(
    {
        "id": [1, 2, 3, 4, 5, 6, 7],
        "ALT": [95.0, 2500.0, 20.0, 60.0, None, 300.0, -1.0],
        "AST": [45.0, 1900.0, 22.0, 90.0, 50.0, 80.0, 10.0],
        "ALP": [None, 200.0, 80.0, 90.0, None, 400.0, None],
        "platelets": [240.0, 150.0, None, 110.0, 90.0, None, None],
        "gender": ["M", None, "F", "male", "F", "F", "M"],
        "age": [28, 30, 45, 66, 70, 50, 40],
    }
)


def test_interpret_on_spark_equals_local(spark: Any) -> None:
    from liverlens.batch.spark import interpret

    spec = TableSpec(mapping={"sex": "gender"})
    local = annotate(load_knowledge(), PANELS, spec).sort("id")
    df = spark.createDataFrame(PANELS.to_arrow()).repartition(3)
    assert partitions_used(df) >= 2
    remote = pl.DataFrame(pl.from_arrow(interpret(df, spec).toArrow())).sort("id")
    same(remote, local)
    assert remote.filter(pl.col("id") == 7).get_column("ll_status").item() == "rejected"


def events_without_ties(persons: int, seed: int) -> pl.DataFrame:
    """The benchmark's generated lab events, less its same-day repeats of a test.

    Which of two results of one test on the same day and time counts is not defined by the
    events alone (the local engine's pick follows its sort, not the file), so a split by person
    may pick the other one; docs/spark.md says so. Everything else must agree.
    """
    table = events_chunk(np.random.default_rng(seed), persons, 0, text=True)
    analyte = {label: test for test, labels in TEST_LABELS.items() for label in labels}
    return (
        pl.DataFrame(pl.from_arrow(table))
        .with_columns(pl.col("test").replace_strict(analyte).alias("_analyte"))
        .unique(["person_id", "collected_at", "_analyte"], keep="first", maintain_order=True)
        .drop("_analyte")
    )


def test_cohort_on_spark_equals_local(spark: Any) -> None:
    from liverlens.batch.spark import cohort, person_bucket

    events = events_without_ties(persons=300, seed=7)
    local, _ = cohort_worklist(load_knowledge(), events)
    assert local.height > 250 and local.get_column("persistent").any()
    df = spark.createDataFrame(events.to_arrow()).repartition(3)
    assert partitions_used(df) >= 2
    assert df.select(person_bucket(df["person_id"], 4)).distinct().count() == 4
    remote = pl.DataFrame(pl.from_arrow(cohort(df, buckets=4).toArrow()))
    # the worklist order too: most urgent first, as `liverlens cohort` writes it
    same(remote.cast(dict(local.schema)), local)  # type: ignore[arg-type]


def test_cohort_on_spark_small_table(spark: Any) -> None:
    """Codes and names mixed, a screen, text dates: the cases the generated data lacks."""
    from liverlens.batch.spark import cohort

    events = pl.DataFrame(
        {
            "person_id": ["a", "a", "a", "b", "b", "c"],
            "collected_at": [
                "2025-01-05",
                "2025-09-20",
                "2025-09-20",
                "2025-03-01",
                "2025-05-01",
                "2025-06-01",
            ],
            "test": ["1742-6", "ALT", "16128-1", "ALT", "ALT", "SGPT"],
            "value": ["80", "90", "0", "40", "20", "3000"],
            "unit": ["U/L", "U/L", None, "U/L", "U/L", "U/L"],
        }
    )
    local, _ = cohort_worklist(load_knowledge(), events)
    remote = pl.DataFrame(pl.from_arrow(cohort(spark.createDataFrame(events.to_arrow())).toArrow()))
    same(remote.cast(dict(local.schema)), local)  # type: ignore[arg-type]
    assert local.get_column("person_id").to_list()[0] == "c"  # 3000 U/L: urgent, first


def python_without_liverlens(where: Path) -> Path:
    """A worker Python that has pyspark, pyarrow and Polars but not LiverLens, as a cluster
    node with a stock PySpark set-up has: this venv's interpreter without ``site`` (so the
    editable install's ``.pth`` is not read) and with only site-packages on its path."""
    import pyarrow

    site_packages = Path(pyarrow.__file__).resolve().parents[1]
    script = where / "python-without-liverlens"
    script.write_text(
        f'#!/bin/sh\nPYTHONPATH="{site_packages}" exec "{sys.executable}" -S "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    found = subprocess.run(
        [str(script), "-c", "import pyspark, polars, pyarrow; import liverlens"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "No module named 'liverlens'" in found.stderr, found.stderr
    return script


def test_worker_without_liverlens_says_what_to_do(spark: Any, tmp_path: Path) -> None:
    """Not a bare ModuleNotFoundError deep in a worker traceback: the hint names the fix."""
    from pyspark.errors import PythonException

    from liverlens.batch.spark import interpret

    context = spark.sparkContext
    python = context.pythonExec  # what PYSPARK_PYTHON set; each UDF keeps the one it got
    context.pythonExec = str(python_without_liverlens(tmp_path))
    try:
        annotated = interpret(spark.createDataFrame(PANELS.to_arrow()))
    finally:
        context.pythonExec = python
    with pytest.raises(PythonException) as raised:
        annotated.collect()
    said = str(raised.value)
    assert "cannot import liverlens, which LiverLens needs" in said
    assert "PYSPARK_PYTHON" in said and "--archives" in said and "docs/spark.md" in said


def test_spark_submit_example(tmp_path: Path) -> None:
    """examples/spark_interpret.py as docs/spark.md runs it: spark-submit, local[2]."""
    submit = Path(sys.executable).parent / "spark-submit"
    if not submit.exists():
        pytest.skip("spark-submit is not next to this Python")
    panels, events = tmp_path / "panels.parquet", tmp_path / "events.parquet"
    PANELS.rename({"gender": "sex"}).write_parquet(panels)
    events_without_ties(persons=40, seed=3).write_parquet(events)
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    env.pop("PYSPARK_DRIVER_PYTHON", None)
    run = subprocess.run(
        [
            str(submit),
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            str(EXAMPLE),
            str(panels),
            str(tmp_path / "annotated"),
            "--events",
            str(events),
            "--worklist",
            str(tmp_path / "worklist"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    kb = load_knowledge()
    annotated = pl.read_parquet(tmp_path / "annotated" / "*.parquet").sort("id")
    local = annotate(kb, pl.read_parquet(panels), TableSpec()).sort("id")
    same(annotated.cast(dict(local.schema)), local)  # type: ignore[arg-type]
    worklist = pl.read_parquet(tmp_path / "worklist" / "*.parquet")
    expected, _ = cohort_worklist(kb, pl.read_parquet(events))
    same(worklist.cast(dict(expected.schema)), expected)  # type: ignore[arg-type]
    assert "7 panels" in run.stdout and f"{expected.height} people" in run.stdout


@pytest.mark.parametrize("buckets", [0, -3])
def test_cohort_refuses_buckets_below_one(spark: Any, buckets: int) -> None:
    """Before: 0 silently meant the default and a negative count reached Spark's pmod."""
    from liverlens.batch.spark import cohort
    from liverlens.errors import InputError

    events = pl.DataFrame(
        {"person_id": ["a"], "collected_at": ["2025-01-05"], "test": ["ALT"], "value": ["80"]}
    )
    with pytest.raises(InputError) as caught:
        cohort(spark.createDataFrame(events.to_arrow()), buckets=buckets)
    assert caught.value.details[0].message == "error.spark.buckets"
