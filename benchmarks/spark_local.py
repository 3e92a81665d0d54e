"""Spark local mode next to the local engine, on the same generated Parquet, in one run.

What is timed, in one process, the repetitions interleaved (local, Spark, Spark, local, ...)
so that a change in the machine's load falls on both engines alike:

- ``local batch``: ``liverlens.batch.files.run_batch``, Parquet to Parquet (run.py's
  ``child_batch``, called in this process);
- ``Spark interpret``: ``spark.read.parquet -> liverlens.batch.spark.interpret ->
  write.parquet`` in ``local[N]``, once with Spark's default Arrow batch of 10,000 rows and
  once with batches of ``CHUNK_ROWS`` (what ``run_batch`` uses), since every ``annotate`` call
  has a fixed cost;
- ``Spark no rules``: the local engine's output file read by Spark, passed through its Python
  workers unchanged (``mapInArrow`` of the identity) and written: what Spark costs for moving
  the same 50 columns through Python and writing them, without the rules. Not a strict floor
  of ``interpret`` (which reads 11 columns, not 50), but the size of Spark's own share;
- ``local cohort`` (run.py's ``child_cohort``) and ``Spark cohort``
  (``liverlens.batch.spark.cohort``, then ``write.parquet``) on a lab-events file;
- the Spark session's start-up (JVM, session), and then the Python workers' (their start,
  Polars and LiverLens imported, the knowledge base loaded: a small job of each kind), once,
  apart from the rest: a cluster job pays them once, whatever the data.

The data files are generated with row groups of ``CHUNK_ROWS``, so Spark can split them over
its cores (a single 1M-row row group would be one partition, one core).

Usage:
    python benchmarks/spark_local.py                  # 1M panels, 1M events, 3 runs each
    python benchmarks/spark_local.py --rows 200000 --events-rows 200000 --repeat 1
    python benchmarks/run.py --spark                  # the same, after run.py's own tables
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.run import DEFAULT_DATA, GENERATE, SEED, child_batch, child_cohort, fmt_rate

CHUNK_ROWS = 250_000
SPARK_DEFAULT_BATCH = 10_000  # spark.sql.execution.arrow.maxRecordsPerBatch's default


def data_file(kind: str, rows: int, data_dir: Path) -> Path:
    """The seeded file, in row groups of CHUNK_ROWS (generated once, then reused)."""
    path = data_dir / f"{kind}-{rows}-seed{SEED}-rg{CHUNK_ROWS}.parquet"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(GENERATE),
                kind,
                "--rows",
                str(rows),
                "--chunk-rows",
                str(CHUNK_ROWS),
                "-o",
                str(path),
            ],
            check=True,
        )
    return path


def start_spark(cores: int, shuffle_partitions: int) -> tuple[Any, float]:
    """A local[cores] session and the seconds it took to start."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers need this venv
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    started = time.perf_counter()
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("liverlens-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .getOrCreate()
    )
    spark.range(1).collect()  # the first job starts the executor side too
    return spark, time.perf_counter() - started


def warm_workers(spark: Any, panels: Path, events: Path, cores: int) -> float:
    """Seconds for the first Python workers to start and import LiverLens (one small job of
    each kind on every core): paid once per session, so not in the timed runs."""
    from liverlens.batch.spark import cohort, interpret

    started = time.perf_counter()
    interpret(spark.read.parquet(str(panels)).limit(1000).repartition(cores)).collect()
    cohort(spark.read.parquet(str(events)).limit(1000).repartition(cores)).collect()
    return time.perf_counter() - started


def spark_interpret(spark: Any, source: Path, target: Path, batch_rows: int) -> float:
    from liverlens.batch.spark import interpret

    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_rows))
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    interpret(spark.read.parquet(str(source))).write.mode("overwrite").parquet(str(target))
    return time.perf_counter() - started


def spark_floor(spark: Any, source: Path, target: Path) -> float:
    """Spark's own share: read the local engine's output (the same 50 columns ``interpret``
    writes), pass it through Python workers unchanged, write it."""
    shutil.rmtree(target, ignore_errors=True)
    df = spark.read.parquet(str(source))
    started = time.perf_counter()
    df.mapInArrow(lambda batches: batches, df.schema).write.mode("overwrite").parquet(str(target))
    return time.perf_counter() - started


def spark_cohort(spark: Any, source: Path, target: Path) -> float:
    from liverlens.batch.spark import cohort

    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    cohort(spark.read.parquet(str(source))).write.mode("overwrite").parquet(str(target))
    return time.perf_counter() - started


def interleaved(runs: dict[str, Callable[[], float]], repeat: int) -> dict[str, list[float]]:
    """Each measurement ``repeat`` times, in turn, reversing the order every round."""
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for round_ in range(repeat):
        for name in names if round_ % 2 == 0 else reversed(names):
            took = runs[name]()
            seconds[name].append(took)
            load = os.getloadavg()[0]
            print(f"  {name}: {took:.2f}s (load {load:.1f})", file=sys.stderr)
    return seconds


def table(rows: dict[str, int], seconds: dict[str, list[float]], peers: dict[str, str]) -> str:
    lines = [
        "| Measurement | Rows | Median s | Runs | Rows/s | vs local engine |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for name, runs in seconds.items():
        median = statistics.median(runs)
        peer = peers.get(name)
        vs = ""
        if peer is not None:
            vs = f"{statistics.median(seconds[peer]) / median:.2f}x"
        cells = ", ".join(f"{s:.1f}" for s in runs)
        lines.append(
            f"| {name} | {rows[name]:,} | {median:.2f} | {cells} | "
            f"{fmt_rate(rows[name] / median)} | {vs or '1.00x'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="panels")
    parser.add_argument("--events-rows", type=int, default=1_000_000, help="lab events")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median)")
    parser.add_argument("--cores", type=int, default=2, help="local[N]")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)

    out = args.data_dir / "out-spark"
    out.mkdir(parents=True, exist_ok=True)
    panels = data_file("panels", args.rows, args.data_dir)
    events = data_file("events", args.events_rows, args.data_dir)
    load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    spark, startup = start_spark(args.cores, shuffle_partitions=4 * args.cores)
    warm = warm_workers(spark, panels, events, args.cores)
    print(
        f"Spark local[{args.cores}] start-up: {startup:.1f}s, workers {warm:.1f}s", file=sys.stderr
    )

    def local_batch() -> float:
        return float(child_batch({"source": panels, "target": out / "local.parquet"})["seconds"])

    def local_cohort() -> float:
        report = child_cohort({"source": events, "target": out / "worklist.parquet"})
        return float(report["seconds"])

    spark_small = f"Spark local[{args.cores}] interpret, Arrow batches of {SPARK_DEFAULT_BATCH:,}"
    spark_big = f"Spark local[{args.cores}] interpret, Arrow batches of {CHUNK_ROWS:,}"
    spark_io = f"Spark local[{args.cores}] no rules: the output read, through Python, written"
    batch_runs: dict[str, Callable[[], float]] = {
        "local engine: run_batch": local_batch,
        spark_small: lambda: spark_interpret(spark, panels, out / "a", SPARK_DEFAULT_BATCH),
        spark_big: lambda: spark_interpret(spark, panels, out / "b", CHUNK_ROWS),
        spark_io: lambda: spark_floor(spark, out / "local.parquet", out / "f"),
    }
    cohort_runs: dict[str, Callable[[], float]] = {
        "local engine: cohort_worklist": local_cohort,
        f"Spark local[{args.cores}] cohort": lambda: spark_cohort(spark, events, out / "c"),
    }
    print(f"{args.rows:,} panels:", file=sys.stderr)
    seconds = interleaved(batch_runs, args.repeat)
    print(f"{args.events_rows:,} lab events:", file=sys.stderr)
    seconds.update(interleaved(cohort_runs, args.repeat))
    spark.stop()

    rows = dict.fromkeys(batch_runs, args.rows) | dict.fromkeys(cohort_runs, args.events_rows)
    peers = dict.fromkeys((spark_small, spark_big, spark_io), "local engine: run_batch")
    peers[f"Spark local[{args.cores}] cohort"] = "local engine: cohort_worklist"
    load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        "\n".join(
            [
                f"## Spark local[{args.cores}] next to the local engine",
                "",
                f"- cpus (nproc): {os.cpu_count()}; load average at start {load_start}, "
                f"at end {load_end}",
                f"- Spark session start-up (JVM, session, first job): {startup:.1f} s; then "
                f"the Python workers' start and LiverLens import (a small interpret and cohort "
                f"job): {warm:.1f} s. Both are paid once per session and are not in the rows below",
                f"- shuffle partitions (cohort buckets): {4 * args.cores}",
                "",
                table(rows, seconds, peers),
                "",
                "vs local engine: rows/s of the line over rows/s of the local engine on the "
                "same file (below 1: slower). Runs: every run's seconds, in the order run.",
            ]
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
