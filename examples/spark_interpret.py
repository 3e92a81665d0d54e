"""Annotate liver panels, and build a cohort worklist, with LiverLens on Spark.

    spark-submit --master local[2] examples/spark_interpret.py panels.parquet annotated \\
        [--events events.parquet --worklist worklist] [--map sex=Gender]

Reads Parquet and writes Parquet directories: the annotated panels one file per partition, the
worklist as one file in worklist order (most urgent first). Every Spark worker must be able
to import LiverLens: docs/spark.md says how to ship it.
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import SparkSession

from liverlens.batch import TableSpec
from liverlens.batch.spark import cohort, interpret


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("panels", help="Parquet of liver panels, one per row")
    parser.add_argument("output", help="directory for the annotated panels")
    parser.add_argument("--events", help="Parquet of long lab events, for a cohort worklist")
    parser.add_argument("--worklist", help="directory for the worklist")
    parser.add_argument("--map", default="", help="FIELD=COLUMN,... as `liverlens batch --map`")
    args = parser.parse_args(argv)
    if (args.events is None) != (args.worklist is None):
        parser.error("--events and --worklist go together")
    mapping = dict(pair.split("=", 1) for pair in args.map.split(",") if pair)

    spark = SparkSession.builder.appName("liverlens").getOrCreate()
    annotated = interpret(spark.read.parquet(args.panels), TableSpec(mapping=mapping))
    annotated.write.mode("overwrite").parquet(args.output)
    print(f"{spark.read.parquet(args.output).count()} panels -> {args.output}")  # noqa: T201 (a command's output)
    if args.events is not None:
        worklist = cohort(spark.read.parquet(args.events))
        # a worklist is one row per person: small enough for one file, which keeps its order
        worklist.coalesce(1).write.mode("overwrite").parquet(args.worklist)
        print(f"{spark.read.parquet(args.worklist).count()} people -> {args.worklist}")  # noqa: T201
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
