"""Spark local mode runs the very same rules: its output equals the local engine's."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest

from liverlens.batch import TableSpec, annotate
from liverlens.batch.cohort import cohort_worklist
from liverlens.knowledge import load_knowledge

pyspark = pytest.importorskip("pyspark", reason="install liverlens[spark]")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers must use this venv
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[1]")
        .appName("liverlens-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "3")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


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
    remote = pl.DataFrame(
        pl.from_arrow(interpret(spark.createDataFrame(PANELS.to_arrow()), spec).toArrow())
    ).sort("id")
    assert remote.columns == local.columns
    for column in local.columns:
        assert remote.get_column(column).to_list() == local.get_column(column).to_list(), column
    assert remote.filter(pl.col("id") == 7).get_column("ll_status").item() == "rejected"


def test_cohort_on_spark_equals_local(spark: Any) -> None:
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
    assert remote.get_column("person_id").to_list() == local.get_column("person_id").to_list()
    for column in (
        "latest_grade",
        "worst_grade",
        "persistent",
        "months_elevated",
        "urgency",
        "hcv_tested",
        "persistent_without_screen",
    ):
        assert remote.get_column(column).to_list() == local.get_column(column).to_list(), column
