"""``liverlens batch`` timed like for like, as whole processes, in one run (issue 15, target 2).

Three comparisons on the same typed Parquet file of panels (numbers as doubles, the common
export), each child a fresh process timed from spawn to exit with its peak RSS (``os.wait4``):

- ``liverlens batch --columns core`` against the DuckDB SQL peer of ``benchmarks/run.py``
  (``duckdb_sql``: the same core outputs, Parquet to Parquet). Both as whole processes: the
  interpreter, the imports and the query or the run. Target: LiverLens ≥ 1.0x the peer.
- ``liverlens batch`` (every finding) against its own I/O floor: read the input with the same
  reader (``batch.files.read_chunks``) and write the very output table LiverLens wrote with the
  same writer (``BackgroundWriter(Writer)``), the table held in memory before the clock starts.
  Target: within 1.25x of the floor.
- The text-valued export, separately: the same panels as CSV with every value text (``<5``,
  ``abc`` among them), ``liverlens batch --columns core`` against DuckDB reading the CSV with
  every column as text (``TRY_CAST``, the same rules).

LiverLens's modules and the benchmark's own are compiled to bytecode first
(``benchmarks/bytecode.py``), as an installed package's are, so neither side compiles source.

The runs are interleaved (A, B, A, B ...) so a change in the machine's load falls on both
sides; each ratio is the median of the per-round ratios. The machine's timings vary by about
20% between runs, so only the ratios are compared with the targets.

Usage:
    python benchmarks/batch_like_for_like.py                 # 1M rows, 3 rounds
    python benchmarks/batch_like_for_like.py --rows 10000000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.bytecode import compile_sources  # noqa: E402
from benchmarks.run import GENERATE, KIB_PER_MIB, SEED, duckdb_sql  # noqa: E402

TARGET_CORE_VS_DUCKDB = 1.0
TARGET_FULL_VS_FLOOR = 1.25
TARGET_PEAK_MIB = 2 * 1024
LIVERLENS = Path(sys.executable).with_name("liverlens")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds of a whole process and its peak RSS in MiB."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):  # 3: some rows rejected, which the data has on purpose
        raise SystemExit(f"{command[:3]} failed with exit code {code}")
    return wall, usage.ru_maxrss / KIB_PER_MIB


def child(kind: str, params: dict[str, Any]) -> None:
    """The peer and the floor, each run as its own process by ``timed``."""
    if kind == "duckdb":
        import duckdb
        import pyarrow.parquet as pq

        source, target = Path(params["source"]), Path(params["target"])
        if source.suffix == ".csv":
            import pyarrow.csv as pacsv

            columns = pacsv.open_csv(source).schema.names
            sql = duckdb_sql(source, target, columns).replace(
                f"read_parquet('{source}')", f"read_csv('{source}', all_varchar = true)"
            )
        else:
            columns = pq.ParquetFile(source).schema_arrow.names
            sql = duckdb_sql(source, target, columns)
        duckdb.connect().execute(sql)
        return
    if kind == "floor":
        import polars as pl

        from liverlens.batch.files import CHUNK_ROWS, BackgroundWriter, Writer, read_chunks

        loading = time.perf_counter()
        output = pl.read_parquet(params["output"])  # in memory before the clock starts
        started = time.perf_counter()
        writer = BackgroundWriter(Writer(Path(params["target"])))
        done = 0
        for chunk in read_chunks(Path(params["source"]), None, CHUNK_ROWS):
            writer.write(output.slice(done, chunk.height))
            done += chunk.height
        writer.close()
        with open(params["report"], "w", encoding="utf-8") as report:  # what to take off
            json.dump({"preload_seconds": started - loading}, report)
        return
    raise SystemExit(f"unknown child {kind}")


def _self(kind: str, **params: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(params)]


def _batch(source: Path, target: Path, *more: str) -> list[str]:
    return [str(LIVERLENS), "batch", str(source), "-o", str(target), "--quiet", *more]


def ensure(path: Path, rows: int, value_type: str) -> Path:
    if not path.exists():
        generate = [sys.executable, str(GENERATE), "panels", f"--rows={rows}", f"-o={path}"]
        subprocess.run([*generate, f"--value-type={value_type}", f"--seed={SEED}"], check=True)
    return path


def as_csv(parquet: Path) -> Path:
    """The text-valued panels as a CSV file, every value as the lab wrote it."""
    target = parquet.with_suffix(".csv")
    if not target.exists():
        import polars as pl

        pl.scan_parquet(parquet).sink_csv(target)
    return target


def _timed_floor(command: list[str]) -> tuple[float, float]:
    """The floor's whole process less the time it spent loading the output table it writes
    (which LiverLens computes instead)."""
    wall, peak = timed(command)
    report = json.loads(command[-1])["report"]
    with open(report, encoding="utf-8") as f:
        return wall - float(json.load(f)["preload_seconds"]), peak


def compare(name: str, a: list[str], b: list[str], repeat: int) -> dict[str, Any]:
    """Interleaved rounds of two whole processes: medians, the median per-round ratio b/a
    (above 1: ``a`` is faster) and the peaks."""
    rounds = []
    for _ in range(repeat):
        wa, pa_ = _timed_floor(a) if "floor" in a else timed(a)
        wb, pb = timed(b)
        rounds.append((wa, pa_, wb, pb))
        peaks = f"peaks {pa_:,.0f} / {pb:,.0f} MiB"
        print(f"  {name}: {wa:.2f}s vs {wb:.2f}s ({peaks})", file=sys.stderr)
    return {
        "name": name,
        "a_seconds": statistics.median(r[0] for r in rounds),
        "b_seconds": statistics.median(r[2] for r in rounds),
        "ratio": statistics.median(r[2] / r[0] for r in rounds),
        "a_peak_mib": max(r[1] for r in rounds),
        "b_peak_mib": max(r[3] for r in rounds),
        "rounds": [[round(x, 3) for x in r] for r in rounds],
        "load_after": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "liverlens-bench"
    )
    parser.add_argument("--no-text", action="store_true", help="skip the CSV text export")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], json.loads(args.child[1]))
        return 0
    n = args.rows
    compile_sources()  # every timed process starts as an installed package's does
    args.data_dir.mkdir(parents=True, exist_ok=True)
    out = args.data_dir / "out"
    out.mkdir(exist_ok=True)
    typed = ensure(args.data_dir / f"panels-{n}-seed{SEED}-float.parquet", n, "float")
    print(f"{n:,} typed panels, {args.repeat} interleaved rounds:", file=sys.stderr)
    results = [
        compare(
            "core: liverlens batch --columns core vs DuckDB SQL peer",
            _batch(typed, out / "core.parquet", "--columns", "core"),
            _self("duckdb", source=str(typed), target=str(out / "duckdb.parquet")),
            args.repeat,
        )
    ]
    full = out / "full.parquet"
    timed(_batch(typed, full))  # the table the floor writes
    results.append(
        compare(
            "full: I/O floor (same reader, same writer, same table) vs liverlens batch",
            _self(
                "floor",
                source=str(typed),
                output=str(full),
                target=str(out / "floor.parquet"),
                report=str(out / "floor.json"),
            ),
            _batch(typed, full),
            args.repeat,
        )
    )
    if not args.no_text:
        text = as_csv(ensure(args.data_dir / f"panels-{n}-seed{SEED}.parquet", n, "text"))
        results.append(
            compare(
                "text CSV: liverlens batch --columns core vs DuckDB (all columns text)",
                _batch(text, out / "core-text.parquet", "--columns", "core"),
                _self("duckdb", source=str(text), target=str(out / "duckdb-text.parquet")),
                args.repeat,
            )
        )
    lines = [
        f"| Comparison ({n:,} rows) | A s | B s | ratio B/A | peak A MiB | peak B MiB | load |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['a_seconds']:.2f} | {r['b_seconds']:.2f} | {r['ratio']:.2f} | "
            f"{r['a_peak_mib']:,.0f} | {r['b_peak_mib']:,.0f} | {r['load_after']:.1f} |"
        )
    core, floor = results[0], results[1]
    full_over_floor = floor["ratio"]
    lines += [
        "",
        f"- core vs DuckDB: {core['ratio']:.2f}x (target ≥ {TARGET_CORE_VS_DUCKDB:g}): "
        + ("met" if core["ratio"] >= TARGET_CORE_VS_DUCKDB else "**not met**"),
        f"- full output over its I/O floor: {full_over_floor:.2f}x (target ≤ "
        f"{TARGET_FULL_VS_FLOOR:g}): "
        + ("met" if full_over_floor <= TARGET_FULL_VS_FLOOR else "**not met**"),
        f"- peak memory of liverlens batch: {max(core['a_peak_mib'], floor['b_peak_mib']):,.0f} "
        f"MiB (target < {TARGET_PEAK_MIB:,} MiB)",
    ]
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
