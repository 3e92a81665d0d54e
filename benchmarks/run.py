"""Throughput and peak memory of LiverLens at population scale, next to two peers on the same data.

What is measured, each in its own child process so that peak memory belongs to one run:

- ``batch``: ``liverlens.batch.files.run_batch``, Parquet in, Parquet out (what
  ``liverlens batch`` does, without the progress bar);
- ``findings``: ``liverlens.batch.annotate`` over an in-memory frame in the same chunks
  ``run_batch`` uses, so the difference to ``batch`` is the file I/O;
- ``duckdb``: one SQL query with CASE WHEN for the core rules (ALT grade with the ACG limits,
  R ratio and pattern, AST/ALT, FIB-4 and its bands, Hy's law, urgency), Parquet to Parquet
  with ``COPY ... TO``: what a data team would write instead of using LiverLens;
- ``pandas``: the same core rules in Python, ``DataFrame.apply(f, axis=1)``, on the first
  100,000 rows and extrapolated linearly (a row-wise apply is linear in rows, and 10M rows
  would take a quarter of an hour per run);
- ``cohort``: ``liverlens.batch.cohort_file.cohort_file`` over long lab events, Parquet to
  Parquet (what ``liverlens cohort`` does: split by person into partitions on disk, one
  worklist per partition, merged), at several sizes to show the time per event stays flat.

The peers compute fewer columns than LiverLens (no APRI, NFS, BARD, MELD, Child-Pugh, cause
scores, per-analyte folds and statuses), so a ratio below 1 against DuckDB is a real gap, and a
ratio above 1 would flatter LiverLens less than it seems. ``agreement`` compares the columns
both compute, row by row, so the peers are known to implement the same rules.

Peak memory: ``os.wait4`` returns the rusage of that one child. ``RUSAGE_CHILDREN`` would not
do: its ``ru_maxrss`` is the largest child reaped so far, so a small run after a large one
would report the large one's peak.

Usage:
    python benchmarks/run.py              # 1M rows (3 runs each, median) and 1M lab events
    python benchmarks/run.py --large      # also 10M rows, and 10M and 50M lab events (one run each)
    python benchmarks/run.py --cohort-only --cohort-sizes 10000000,20000000
    python benchmarks/run.py --spark      # then Spark local[2] next to the local engine
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GENERATE = HERE / "generate.py"
PANDAS_ROWS = 100_000
SEED = 20240501
KIB_PER_MIB = 1024
DEFAULT_DATA = Path(tempfile.gettempdir()) / "liverlens-bench"

# The targets (issue 5, "Targets").
TARGET_VS_DUCKDB = 1.0
TARGET_VS_PANDAS = 100.0
TARGET_ROWS_PER_S = 5_000_000
TARGET_PEAK_MIB = 2 * 1024
TARGET_COHORT_S = 30.0  # issue 15: 10M events in < 30 s, peak < 2 GiB, linear beyond
TARGET_COHORT_LINEAR = 1.25  # seconds per event at the largest size / at 10M (noise ±20%)

# The core rules, hand-written as a data team would: ACG 2017 limits for ALT (33 U/L men,
# 25 U/L women and sex unknown), the default preset's limits for the other tests, thresholds
# from thresholds.yaml, plausible maxima from analytes.yaml.
LABS = ("alt", "ast", "alp", "ggt", "bilirubin", "platelets", "albumin", "inr")
PLAUSIBLE_MAX = {
    "alt": 100_000,
    "ast": 100_000,
    "alp": 20_000,
    "ggt": 20_000,
    "bilirubin": 1_500,
    "platelets": 3_000,
    "albumin": 80,
    "inr": 20,
}
SEX_WORDS = {
    "m": "male",
    "male": "male",
    "man": "male",
    "f": "female",
    "female": "female",
    "woman": "female",
}
# Urgency from the core rules: urgent for a very high ALT/AST, Hy's law or a high INR; soon for
# 5x ULN, raised bilirubin or signs of scarring; routine for a FIB-4 not in its low band or any
# result outside its limit on the side that matters.
URGENCY_SQL = """CASE
      WHEN _very_high OR _hys OR _high_inr THEN 'urgent'
      WHEN COALESCE(_alt_fold >= 5 OR _ast_fold >= 5, FALSE) OR COALESCE(_bili_fold > 1, FALSE)
        OR COALESCE(_ast_alt >= 1 AND (_albumin < 35 OR _platelets < 150), FALSE) THEN 'soon'
      WHEN _fib4_band IN ('high', 'indeterminate')
        OR COALESCE(_alt_high OR _ast_high OR _alp_high OR _bili_fold > 1
          OR _ggt > CASE WHEN _sex = 'male' THEN 60 ELSE 40 END
          OR _albumin < 35 OR _platelets < 150 OR _inr > 1.2, FALSE) THEN 'routine'
      ELSE 'none' END"""
COMPARED = ("alt_grade", "pattern", "ast_alt_ratio", "fib4", "fib4_band", "hys_law", "urgency")


def duckdb_sql(source: Path, target: Path, input_columns: Sequence[str]) -> str:
    """One COPY statement: read the panels, apply the core rules, write Parquet (zstd)."""
    nums = ",\n      ".join(f"TRY_CAST({a} AS DOUBLE) AS _{a}" for a in LABS)
    bad_labs = " OR ".join(
        f"({a} IS NOT NULL AND _{a} IS NULL) OR _{a} < 0 OR _{a} > {PLAUSIBLE_MAX[a]}" for a in LABS
    )
    sex_cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in SEX_WORDS.items())
    keep = ", ".join(f'"{c}"' for c in input_columns)

    def ok(expr: str) -> str:  # a rejected row keeps its columns and gets no findings
        return f"CASE WHEN _rejected THEN NULL ELSE {expr} END"

    return f"""
COPY (
  WITH raw AS (
    SELECT *,
      {nums},
      CASE lower(trim(CAST(sex AS VARCHAR))) {sex_cases} END AS _sex,
      TRY_CAST(age AS DOUBLE) AS _age
    FROM read_parquet('{source}')
  ),
  checked AS (
    SELECT *,
      COALESCE({bad_labs}
        OR (sex IS NOT NULL AND trim(CAST(sex AS VARCHAR)) <> '' AND _sex IS NULL)
        OR (age IS NOT NULL AND (_age IS NULL OR _age < 0 OR _age > 120)), FALSE) AS _rejected,
      ROUND(_alt / CASE WHEN _sex = 'male' THEN 33 ELSE 25 END, 6) AS _alt_fold,
      ROUND(_ast / CASE WHEN _sex = 'male' THEN 40 ELSE 35 END, 6) AS _ast_fold,
      ROUND(_alp / 130, 6) AS _alp_fold,
      ROUND(_bilirubin / 21, 6) AS _bili_fold
    FROM raw
  ),
  facts AS (
    SELECT *,
      _alt_fold > 1 AS _alt_high,
      _ast_fold > 1 AS _ast_high,
      _alp_fold > 1 AS _alp_high,
      CASE WHEN _alt > 0 THEN ROUND(_ast / _alt, 6) END AS _ast_alt,
      CASE WHEN _alp > 0 THEN ROUND(_alt_fold / _alp_fold, 6) END AS _r,
      CASE WHEN _platelets > 0 THEN ROUND(_age * _ast / (_platelets * sqrt(_alt)), 2) END AS _fib4,
      COALESCE(_alt_fold > 15 OR _ast_fold > 15 OR _alt > 1000 OR _ast > 1000, FALSE)
        AS _very_high,
      COALESCE((_alt_fold > 3 OR _ast_fold > 3) AND _bili_fold > 2
        AND (_alp_fold < 2 OR _alp IS NULL), FALSE) AS _hys
    FROM checked
  ),
  findings AS (
    SELECT *,
      CASE WHEN _alt IS NULL THEN NULL
        WHEN _alt > 10000 THEN 'massive' WHEN _alt_fold > 15 THEN 'severe'
        WHEN _alt_fold >= 5 THEN 'moderate' WHEN _alt_fold >= 2 THEN 'mild'
        WHEN _alt_fold > 1 THEN 'borderline' ELSE 'normal' END AS _grade,
      CASE WHEN _alt IS NULL OR _alp IS NULL OR _alp = 0 THEN NULL
        WHEN NOT _alt_high AND NOT _alp_high THEN NULL
        WHEN _alt_high AND NOT _alp_high THEN 'hepatocellular'
        WHEN NOT _alt_high AND _alp_high THEN 'cholestatic'
        WHEN _r >= 5 THEN 'hepatocellular' WHEN _r <= 2 THEN 'cholestatic'
        ELSE 'mixed' END AS _pattern,
      CASE WHEN _fib4 IS NULL OR _very_high THEN NULL
        WHEN _fib4 < CASE WHEN _age >= 65 THEN 2.0 ELSE 1.3 END THEN 'low'
        WHEN _fib4 > 2.67 THEN 'high' ELSE 'indeterminate' END AS _fib4_band,
      COALESCE(_inr >= 1.5 AND (_alt_high OR _ast_high), FALSE) AS _high_inr
    FROM facts
  )
  SELECT {keep},
    {ok("_alt_fold")} AS alt_fold,
    {ok("_grade")} AS alt_grade,
    {ok("_ast_alt")} AS ast_alt_ratio,
    {ok("_r")} AS r_ratio,
    {ok("_pattern")} AS pattern,
    {ok("_fib4")} AS fib4,
    {ok("_fib4_band")} AS fib4_band,
    {ok("_hys")} AS hys_law,
    {ok(URGENCY_SQL)} AS urgency,
    CASE WHEN _rejected THEN 'rejected' ELSE 'ok' END AS status
  FROM findings
) TO '{target}' (FORMAT parquet, COMPRESSION zstd)
"""


# The pandas peer: the same rules, one Python call per row -------------------------------------


def _number(cell: Any) -> float | None:
    """A cell as a float; None when empty; NaN marks a bad cell ("abc", "<5")."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    try:
        return float(cell)
    except ValueError:
        return math.nan


def core_rules_row(row: Any) -> tuple[Any, ...]:
    """The core rules for one panel: what a pandas user writes and runs with ``apply``."""
    v = {a: _number(row[a]) for a in LABS}
    sex_cell = row["sex"]
    sex = SEX_WORDS.get(sex_cell.strip().lower()) if isinstance(sex_cell, str) else None
    age = _number(row["age"])
    rejected = any(
        x is not None and (math.isnan(x) or x < 0 or x > PLAUSIBLE_MAX[a]) for a, x in v.items()
    )
    rejected |= isinstance(sex_cell, str) and sex_cell.strip() != "" and sex is None
    rejected |= age is not None and (math.isnan(age) or not 0 <= age <= 120)
    if rejected:
        return (None, None, None, None, None, None, None, None, None, "rejected")
    alt, ast, alp, bili = v["alt"], v["ast"], v["alp"], v["bilirubin"]
    plt, alb, inr, ggt = v["platelets"], v["albumin"], v["inr"], v["ggt"]
    male = sex == "male"
    alt_fold = None if alt is None else round(alt / (33 if male else 25), 6)
    ast_fold = None if ast is None else round(ast / (40 if male else 35), 6)
    alp_fold = None if alp is None else round(alp / 130, 6)
    bili_fold = None if bili is None else round(bili / 21, 6)
    alt_high = alt_fold is not None and alt_fold > 1
    ast_high = ast_fold is not None and ast_fold > 1
    alp_high = alp_fold is not None and alp_fold > 1

    if alt is None or alt_fold is None:
        grade = None
    elif alt > 10000:
        grade = "massive"
    elif alt_fold > 15:
        grade = "severe"
    elif alt_fold >= 5:
        grade = "moderate"
    elif alt_fold >= 2:
        grade = "mild"
    elif alt_fold > 1:
        grade = "borderline"
    else:
        grade = "normal"

    ast_alt = round(ast / alt, 6) if ast is not None and alt is not None and alt > 0 else None
    r = None
    if alt_fold is not None and alp_fold is not None and alp is not None and alp > 0:
        r = round(alt_fold / alp_fold, 6)
    pattern = None
    if alt is not None and alp is not None and alp != 0 and (alt_high or alp_high):
        if alt_high and not alp_high:
            pattern = "hepatocellular"
        elif alp_high and not alt_high:
            pattern = "cholestatic"
        elif r is not None and r >= 5:
            pattern = "hepatocellular"
        elif r is not None and r <= 2:
            pattern = "cholestatic"
        else:
            pattern = "mixed"

    very_high = any(
        x is not None and x > limit
        for x, limit in ((alt_fold, 15), (ast_fold, 15), (alt, 1000), (ast, 1000))
    )
    fib4 = band = None
    if age is not None and ast is not None and alt and plt is not None and plt > 0:
        fib4 = round(age * ast / (plt * math.sqrt(alt)), 2)
        low = 2.0 if age >= 65 else 1.3
        if not very_high:
            band = "low" if fib4 < low else "high" if fib4 > 2.67 else "indeterminate"
    hys = (
        ((alt_fold or 0) > 3 or (ast_fold or 0) > 3)
        and (bili_fold or 0) > 2
        and (alp is None or (alp_fold is not None and alp_fold < 2))
    )
    high_inr = inr is not None and inr >= 1.5 and (alt_high or ast_high)
    bili_high = bili_fold is not None and bili_fold > 1
    if very_high or hys or high_inr:
        urgency = "urgent"
    elif (
        (alt_fold or 0) >= 5
        or (ast_fold or 0) >= 5
        or bili_high
        or (
            ast_alt is not None
            and ast_alt >= 1
            and ((alb is not None and alb < 35) or (plt is not None and plt < 150))
        )
    ):
        urgency = "soon"
    elif (
        band in ("high", "indeterminate")
        or alt_high
        or ast_high
        or alp_high
        or bili_high
        or (ggt is not None and ggt > (60 if male else 40))
        or (alb is not None and alb < 35)
        or (plt is not None and plt < 150)
        or (inr is not None and inr > 1.2)
    ):
        urgency = "routine"
    else:
        urgency = "none"
    return (alt_fold, grade, ast_alt, r, pattern, fib4, band, hys, urgency, "ok")


PANDAS_OUTPUT = (
    "alt_fold",
    "alt_grade",
    "ast_alt_ratio",
    "r_ratio",
    "pattern",
    "fib4",
    "fib4_band",
    "hys_law",
    "urgency",
    "status",
)


# Child processes: one measurement each ------------------------------------------------------


def child_batch(p: dict[str, Any]) -> dict[str, Any]:
    from liverlens.batch.files import run_batch
    from liverlens.batch.table import TableSpec
    from liverlens.knowledge import load_knowledge

    kb = load_knowledge()
    started = time.perf_counter()
    summary = run_batch(kb, Path(p["source"]), Path(p["target"]), TableSpec())
    return {
        "seconds": time.perf_counter() - started,
        "rows": summary.rows,
        "rejected": summary.rejected,
    }


def child_findings(p: dict[str, Any]) -> dict[str, Any]:
    import polars as pl

    from liverlens.batch import TableSpec, annotate
    from liverlens.batch.files import CHUNK_ROWS
    from liverlens.knowledge import load_knowledge

    kb = load_knowledge()
    df = pl.read_parquet(p["source"])
    spec = TableSpec()
    cols = spec.resolve(kb, df.columns)
    started = time.perf_counter()
    rejected = 0
    for start in range(0, df.height, CHUNK_ROWS):
        out = annotate(kb, df.slice(start, CHUNK_ROWS), spec, cols)
        rejected += int((out.get_column("ll_status") == "rejected").sum())
    return {"seconds": time.perf_counter() - started, "rows": df.height, "rejected": rejected}


def child_duckdb(p: dict[str, Any]) -> dict[str, Any]:
    import duckdb
    import pyarrow.parquet as pq

    source, target = Path(p["source"]), Path(p["target"])
    columns = pq.ParquetFile(source).schema_arrow.names
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(duckdb_sql(source, target, columns))
    seconds = time.perf_counter() - started
    threads = con.execute("SELECT current_setting('threads')").fetchone()
    return {
        "seconds": seconds,
        "rows": pq.ParquetFile(target).metadata.num_rows,
        "threads": threads[0] if threads else None,
    }


def child_pandas(p: dict[str, Any]) -> dict[str, Any]:
    """Read the first rows, apply the rules row by row, write Parquet; time each part."""
    import pandas as pd
    import pyarrow.parquet as pq

    started = time.perf_counter()
    batch = next(pq.ParquetFile(p["source"]).iter_batches(batch_size=p["rows"]))
    df = batch.to_pandas()
    read = time.perf_counter()
    findings = df.apply(core_rules_row, axis=1, result_type="expand")
    findings.columns = list(PANDAS_OUTPUT)
    applied = time.perf_counter()
    out = pd.concat([df, findings], axis=1)
    out.to_parquet(p["target"], compression="zstd", index=False)
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "apply_seconds": applied - read,
        "rows": len(df),
        "rejected": int((findings["status"] == "rejected").sum()),
    }


def child_cohort(p: dict[str, Any]) -> dict[str, Any]:
    from liverlens.batch.cohort_file import SPLIT, cohort_file
    from liverlens.knowledge import load_knowledge

    kb = load_knowledge()
    split_done: list[float] = []

    def progress(stage: str, _: int) -> None:
        if stage == SPLIT:  # the last call is the end of the split
            split_done[:] = [time.perf_counter()]

    started = time.perf_counter()
    summary = cohort_file(
        kb, Path(p["source"]), Path(p["target"]), partitions=p.get("partitions"), progress=progress
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "split_seconds": split_done[0] - started if split_done else 0.0,
        "rows": summary.events,
        "partitions": summary.partitions,
        "people": summary.people,
        "not_assessed": summary.not_assessed,
        "panels": summary.panels,
        "rejected_panels": summary.rejected_panels,
        "unusable_events": summary.unusable_events,
    }


CHILDREN: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "batch": child_batch,
    "findings": child_findings,
    "duckdb": child_duckdb,
    "pandas": child_pandas,
    "cohort": child_cohort,
}


# The parent: data, measurements, tables -------------------------------------------------------


@dataclass
class Result:
    """One measurement (the median of its repeats) as the tables print it."""

    name: str
    kind: str
    rows: int  # rows the number stands for (the full size, also when extrapolated)
    seconds: float
    peak_mib: float
    measured_rows: int
    extrapolated: bool = False
    runs: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds


def run_child(kind: str, params: dict[str, Any]) -> tuple[dict[str, Any], float, float]:
    """Run one measurement in a fresh interpreter; return its report, peak RSS (MiB) and
    wall seconds of the whole process (interpreter start and imports included).

    The report also gets the 1-minute load average after the run (the child itself adds up to
    about 2 on this machine, so a clearly higher load means something else competed for the
    cores and the timing is pessimistic) and the cores it kept busy on average.
    """
    with tempfile.TemporaryFile(mode="w+") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(params)],
            stdout=out,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"benchmark child {kind} failed with exit code {proc.returncode}")
        out.seek(0)
        report: dict[str, Any] = json.loads(out.read())
    report["load_after"] = round(os.getloadavg()[0], 2)
    # CPU seconds over wall seconds: how many of the cores the process kept busy
    report["cores_used"] = round((usage.ru_utime + usage.ru_stime) / wall, 2)
    return report, usage.ru_maxrss / KIB_PER_MIB, wall


def measure(
    name: str, kind: str, params: dict[str, Any], repeat: int, scale_to: int | None = None
) -> Result:
    """Median seconds over ``repeat`` runs and the largest peak; ``scale_to`` extrapolates
    linearly from the measured rows to that many."""
    reports, peaks, walls = [], [], []
    for _ in range(repeat):
        report, peak, wall = run_child(kind, params)
        reports.append(report)
        peaks.append(peak)
        walls.append(wall)
    seconds = statistics.median(r["seconds"] for r in reports)
    measured = int(reports[0]["rows"])
    rows = scale_to or measured
    extra = {k: v for k, v in reports[0].items() if k not in ("seconds", "rows")}
    extra["process_seconds"] = round(statistics.median(walls), 2)
    extra["load_after"] = max(r["load_after"] for r in reports)
    extra["cores_used"] = statistics.median(r["cores_used"] for r in reports)
    result = Result(
        name=name,
        kind=kind,
        rows=rows,
        seconds=seconds * rows / measured,
        peak_mib=max(peaks),
        measured_rows=measured,
        extrapolated=rows != measured,
        runs=[round(r["seconds"], 3) for r in reports],
        extra=extra,
    )
    flag = f" (measured on {measured:,}, scaled)" if result.extrapolated else ""
    print(
        f"  {name} @ {rows:,}: {result.seconds:.2f}s, {result.rows_per_s:,.0f} rows/s, "
        f"peak {result.peak_mib:,.0f} MiB{flag}",
        file=sys.stderr,
    )
    return result


def ensure_data(kind: str, rows: int, data_dir: Path) -> Path:
    """The seeded file for ``kind`` and ``rows``, generated once and reused afterwards."""
    path = data_dir / f"{kind}-{rows}-seed{SEED}.parquet"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(GENERATE), kind, "--rows", str(rows), "-o", str(path)],
            check=True,
        )
    return path


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import duckdb
    import pandas
    import polars
    import pyarrow

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as info:
        mem_kib = int(next(line for line in info if line.startswith("MemTotal")).split()[1])
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "polars": polars.__version__,
        "polars threads": str(polars.thread_pool_size()),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(not set)"),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def fmt_rate(rows_per_s: float) -> str:
    if rows_per_s >= 1e6:
        return f"{rows_per_s / 1e6:.2f}M"
    return f"{rows_per_s / 1e3:.0f}k"


def ratio(a: Result | None, b: Result | None) -> str:
    """How many times faster ``a`` is than ``b`` (rows per second)."""
    if a is None or b is None:
        return ""
    return f"{a.rows_per_s / b.rows_per_s:.2f}x"


def results_table(results: list[Result]) -> str:
    by = {(r.kind, r.rows): r for r in results}
    lines = [
        "| Measurement | Rows | Seconds | Rows/s | Peak RSS MiB | vs DuckDB | vs pandas | Cores "
        "used | Load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        duck = by.get(("duckdb", r.rows)) if r.kind != "cohort" else None
        pandas = by.get(("pandas", r.rows)) if r.kind != "cohort" else None
        name = r.name + (
            f" (measured on {r.measured_rows:,} rows, scaled)" if r.extrapolated else ""
        )
        peak = f"{r.peak_mib:,.0f}" + (f" (at {r.measured_rows:,})" if r.extrapolated else "")
        lines.append(
            f"| {name} | {r.rows:,} | {r.seconds:.2f} | {fmt_rate(r.rows_per_s)} | {peak} | "
            f"{ratio(r, duck) if r.kind != 'duckdb' else '1.00x'} | "
            f"{ratio(r, pandas) if r.kind != 'pandas' else '1.00x'} | "
            f"{r.extra['cores_used']:.2f} | {r.extra['load_after']:.1f} |"
        )
    return "\n".join(lines)


def targets_table(results: list[Result]) -> str:
    """Each target of the issue, met or not, with the number that decides it."""
    by = {(r.kind, r.rows): r for r in results}
    sizes = sorted({r.rows for r in results if r.kind == "batch"})
    big = sizes[-1] if sizes else None
    lines = ["| Target | Measured | Met? |", "|---|---|---|"]

    def row(target: str, measured: str, met: bool | None) -> None:
        verdict = "not measured" if met is None else ("met" if met else "**not met**")
        lines.append(f"| {target} | {measured} | {verdict} |")

    for n in sizes:
        batch, duck, pandas = by.get(("batch", n)), by.get(("duckdb", n)), by.get(("pandas", n))
        if batch and duck:
            x = batch.rows_per_s / duck.rows_per_s
            row(
                f"batch ≥ DuckDB peer at {n:,} rows (ratio ≥ {TARGET_VS_DUCKDB:g})",
                f"{x:.2f}x ({batch.seconds:.1f}s vs {duck.seconds:.1f}s)",
                x >= TARGET_VS_DUCKDB,
            )
        if batch and pandas:
            x = batch.rows_per_s / pandas.rows_per_s
            row(
                f"batch ≥ {TARGET_VS_PANDAS:g}x pandas row-wise at {n:,} rows",
                f"{x:.1f}x (pandas extrapolated from {pandas.measured_rows:,} rows)",
                x >= TARGET_VS_PANDAS,
            )
    ten_m = by.get(("batch", 10_000_000))
    row(
        f"batch ≥ {TARGET_ROWS_PER_S / 1e6:g}M rows/s end to end at 10M rows",
        f"{fmt_rate(ten_m.rows_per_s)} rows/s" if ten_m else "run with --large",
        ten_m.rows_per_s >= TARGET_ROWS_PER_S if ten_m else None,
    )
    row(
        "batch peak memory < 2 GiB at 10M rows",
        f"{ten_m.peak_mib:,.0f} MiB" if ten_m else "run with --large",
        ten_m.peak_mib < TARGET_PEAK_MIB if ten_m else None,
    )
    cohort = by.get(("cohort", 10_000_000))
    row(
        f"cohort over 10M lab events < {TARGET_COHORT_S:g} s, peak < 2 GiB",
        f"{cohort.seconds:.1f}s (peak {cohort.peak_mib:,.0f} MiB)"
        if cohort
        else "run with --large",
        cohort.seconds < TARGET_COHORT_S and cohort.peak_mib < TARGET_PEAK_MIB if cohort else None,
    )
    largest = max((r for r in results if r.kind == "cohort"), key=lambda r: r.rows, default=None)
    if cohort and largest and largest.rows > cohort.rows:
        wall = (largest.seconds / largest.rows) / (cohort.seconds / cohort.rows)
        cpu = (cpu_seconds(largest) / largest.rows) / (cpu_seconds(cohort) / cohort.rows)
        row(
            f"cohort linear in events up to {largest.rows / 1e6:g}M (CPU s per event vs "
            f"10M ≤ {TARGET_COHORT_LINEAR:g}x, peak < 2 GiB)",
            f"CPU {cpu:.2f}x, wall {wall:.2f}x (peak {largest.peak_mib:,.0f} MiB)",
            cpu <= TARGET_COHORT_LINEAR and largest.peak_mib < TARGET_PEAK_MIB,
        )
    if big is not None and big != 10_000_000:
        lines.append(f"\n(largest size run: {big:,} rows)")
    return "\n".join(lines)


def cpu_seconds(r: Result) -> float:
    """CPU seconds of the child process (interpreter start included): on a shared machine a
    steadier measure of the work than wall time, which also counts waiting for a core."""
    return float(r.extra["cores_used"] * r.extra["process_seconds"])


def cohort_table(results: list[Result]) -> str:
    """The cohort at each size: seconds per million events stay flat if time is linear."""
    lines = [
        "| Events | Partitions | Seconds | of which split | s per 1M events | CPU s per 1M events "
        "| Peak RSS MiB | People | Load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted((r for r in results if r.kind == "cohort"), key=lambda r: r.rows):
        e, millions = r.extra, r.rows / 1e6
        lines.append(
            f"| {r.rows:,} | {e['partitions']} | {r.seconds:.2f} | {e['split_seconds']:.2f} | "
            f"{r.seconds / millions:.2f} | {cpu_seconds(r) / millions:.2f} | "
            f"{r.peak_mib:,.0f} | {e['people']:,} | {e['load_after']:.1f} |"
        )
    return "\n".join(lines)


def agreement(liverlens_out: Path, peer_out: Path, rows: int | None = None) -> dict[str, float]:
    """Share of rows where LiverLens and a peer give the same value, per compared column.

    LiverLens's urgency applies every urgency rule in urgency.yaml (APRI, the NAFLD score,
    symptoms...), the peers only the core ones, so urgency may differ on a few rows. Rounded
    numbers can differ in their last digit on an exact tie (Polars rounds half to even, DuckDB
    half away from zero); grades, patterns and bands must agree.
    """
    import polars as pl

    ll = pl.scan_parquet(liverlens_out)
    if rows is not None:
        ll = ll.head(rows)
    ll = ll.select(
        "panel_id",
        pl.col("ll_alt_grade").alias("alt_grade"),
        pl.col("ll_pattern").alias("pattern"),
        pl.col("ll_ast_alt_ratio").alias("ast_alt_ratio"),
        pl.col("ll_fib4").alias("fib4"),
        pl.col("ll_fib4_band").alias("fib4_band"),
        pl.when(pl.col("ll_status") == "ok")
        .then(pl.col("ll_red_flags").str.contains("hys_law"))
        .alias("hys_law"),
        pl.col("ll_urgency").alias("urgency"),
    )
    peer = pl.scan_parquet(peer_out).select("panel_id", *COMPARED)
    joined = ll.join(peer, on="panel_id", suffix="_peer").collect()
    same: dict[str, float] = {}
    for c in COMPARED:
        a, b = pl.col(c), pl.col(f"{c}_peer")
        equal = (a == b).fill_null(False) | (a.is_null() & b.is_null())
        if joined.schema[c] == pl.Float64:
            equal = equal | ((a - b).abs() < 1e-9).fill_null(False)
        same[c] = float(joined.select(equal.mean()).item())
    same["rows"] = float(joined.height)
    return same


def agreement_table(checks: dict[str, dict[str, float]]) -> str:
    head = "| Peer | Rows compared | " + " | ".join(COMPARED) + " |"
    lines = [head, "|---|---:|" + "---:|" * len(COMPARED)]
    for peer, same in checks.items():
        cells = " | ".join(f"{100 * same[c]:.3f}%" for c in COMPARED)
        lines.append(f"| {peer} | {int(same['rows']):,} | {cells} |")
    return "\n".join(lines)


def single_report_section() -> list[str]:
    """benchmarks/single_report.py (issue 15, target 1: one report) in its own process, so
    its server and subprocesses start clean; about half a minute."""
    done = subprocess.run(
        [sys.executable, str(HERE / "single_report.py"), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    sys.path.insert(0, str(HERE))
    from single_report import verdict

    result = json.loads(done.stdout)
    return [
        "## One report (issue 15, target 1)",
        "",
        "```json",
        json.dumps(result, indent=2),
        "```",
        "",
        *(f"- {line}" for line in verdict(result)),
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--large", action="store_true", help="also 10M rows, and 10M and 50M lab events"
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="the quick size")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per measurement at the quick size (median)"
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--spark", action="store_true", help="then Spark local[2] next to the local engine"
    )
    parser.add_argument(
        "--cohort-sizes",
        type=lambda text: [int(float(x)) for x in text.split(",")],
        help="lab-event counts for the cohort, e.g. 1e6,1e7,5e7 (default: --rows, and 10M "
        "and 50M with --large)",
    )
    parser.add_argument("--cohort-only", action="store_true", help="measure the cohort only")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, params = args.child
        print(json.dumps(CHILDREN[kind](json.loads(params))))
        return 0

    info = machine()
    sizes = [(args.rows, args.repeat)] + ([(10_000_000, 1)] if args.large else [])
    sizes = [] if args.cohort_only else sizes
    cohort_sizes = args.cohort_sizes or [args.rows] + (
        [10_000_000, 50_000_000] if args.large else []
    )
    out_dir = args.data_dir / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    checks: dict[str, dict[str, float]] = {}
    for n, repeat in sizes:
        print(f"{n:,} rows:", file=sys.stderr)
        panels = ensure_data("panels", n, args.data_dir)
        ll_out = out_dir / f"liverlens-{n}.parquet"
        duck_out = out_dir / f"duckdb-{n}.parquet"
        pandas_out = out_dir / f"pandas-{n}.parquet"
        io = {"source": str(panels)}
        results += [
            measure(
                "LiverLens batch, Parquet to Parquet",
                "batch",
                {**io, "target": str(ll_out)},
                repeat,
            ),
            measure("LiverLens findings only (annotate, in memory)", "findings", io, repeat),
            measure(
                "DuckDB SQL peer, Parquet to Parquet",
                "duckdb",
                {**io, "target": str(duck_out)},
                repeat,
            ),
            measure(
                "pandas row-wise apply peer, Parquet to Parquet",
                "pandas",
                {**io, "target": str(pandas_out), "rows": PANDAS_ROWS},
                repeat,
                scale_to=n,
            ),
        ]
        if n == args.rows:
            checks["DuckDB"] = agreement(ll_out, duck_out)
            checks["pandas"] = agreement(ll_out, pandas_out, rows=PANDAS_ROWS)
    for n in cohort_sizes:
        events = ensure_data("events", n, args.data_dir)
        results.append(
            measure(
                "LiverLens cohort worklist (lab events, Parquet to Parquet)",
                "cohort",
                {"source": str(events), "target": str(out_dir / f"cohort-{n}.parquet")},
                1 if n >= 10_000_000 else args.repeat,
            )
        )
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    report = [
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
        "## Results",
        "",
        results_table(results),
        "",
        "pandas: seconds for the full size are the seconds measured on the first "
        f"{PANDAS_ROWS:,} rows times (rows / {PANDAS_ROWS:,}); its peak RSS is the 100k run's. "
        "Ratios are rows/s of the row over rows/s of the peer at the same size (above 1: faster). "
        "Cores used: CPU seconds over wall seconds of the whole child process (2 at most). "
        "Load: the highest 1-minute load average seen right after the runs.",
        "",
        "## Cohort by size",
        "",
        cohort_table(results),
        "",
        "## Agreement of the peers with LiverLens (columns both compute)",
        "",
        agreement_table(checks),
        "",
        "## Targets (issue 5)",
        "",
        targets_table(results),
        "",
        *single_report_section(),
    ]
    print("\n".join(report))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "results": [asdict(r) for r in results],
                    "agreement": checks,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    if args.spark:  # its own process: the JVM and its workers stay out of the runs above
        size = ["--rows", str(args.rows), "--events-rows", str(args.rows)]
        more = ["--repeat", str(args.repeat), "--data-dir", str(args.data_dir)]
        subprocess.run([sys.executable, str(HERE / "spark_local.py"), *size, *more], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
