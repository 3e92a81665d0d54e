"""``liverlens batch`` and ``cohort``: whole lab tables and per-person worklists."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from liverlens.cli.base import EXIT_REJECTED_ROWS, cli, fail, say, words
from liverlens.errors import InputError, issue
from liverlens.extras import require
from liverlens.knowledge import load_knowledge


def pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        for item in value.split(","):
            if not item.strip():
                continue
            key, sep, val = item.partition("=")
            if not sep or not key.strip() or not val.strip():
                raise InputError(issue(option, "error.batch.pair", item=repr(item)))
            out[key.strip()] = val.strip()
    return out


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "target",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file, .csv or .parquet.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN,...",
    help="Which input column feeds which field (e.g. alt=ALT_U_L,sex=gender).",
)
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="TEST=UNIT,...",
    help="Unit of a whole column (e.g. alt=ukat/L,bilirubin=mg/dL).",
)
@click.option("--reference", help="Limit preset for rows without a lab limit.")
@click.option("--explain", is_flag=True, help="Add the full text report per row (slow).")
@click.option("--quiet", is_flag=True, help="No progress bar or summary.")
def batch(
    source: Path,
    target: Path,
    mapping: tuple[str, ...],
    units: tuple[str, ...],
    reference: str | None,
    explain: bool,
    quiet: bool,
) -> None:
    """Annotate every panel (one per row) of a CSV or Parquet file.

    Keeps the input columns and adds ll_* findings: fold of the limit and status per test,
    ALT grade, AST/ALT, R ratio and pattern, scores, red flags, urgency and top causes from
    the labs alone. Bad rows are kept and marked (ll_status, ll_reject_reason). Exits 3 when
    some rows were rejected.

    Example:

        liverlens batch labs.parquet -o annotated.parquet --map alt=ALT_U_L,sex=gender
    """
    require("pyarrow", "batch", "batch")
    from liverlens.batch.files import run_batch, total_rows
    from liverlens.batch.table import TableSpec

    try:
        spec = TableSpec(pairs(mapping, "--map"), pairs(units, "--unit"), reference)
        kb = load_knowledge()
        if quiet or not sys.stderr.isatty():
            summary = run_batch(kb, source, target, spec, explain=explain)
        else:
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task(words("cli.progress"), total=total_rows(source))
                summary = run_batch(
                    kb,
                    source,
                    target,
                    spec,
                    explain=explain,
                    progress=lambda n: bar.advance(task, n),
                )
    except InputError as exc:
        fail(exc)
    if not quiet:
        urgency = ", ".join(f"{k} {v}" for k, v in sorted(summary.urgency.items()))
        say(
            "cli.batch_summary",
            rows=summary.rows,
            urgency=urgency or "-",
            rejected=summary.rejected,
            target=target,
        )
    if summary.rejected:
        sys.exit(EXIT_REJECTED_ROWS)


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "target",
    required=True,
    type=click.Path(path_type=Path),
    help="Worklist file, .csv or .parquet.",
)
@click.option("--quiet", is_flag=True, help="No summary.")
def cohort(source: Path, target: Path, quiet: bool) -> None:
    """Build a worklist from long lab events: one row per person, most urgent first.

    The input has person_id, collected_at, test (LOINC code or name), value, and optionally
    unit, sex and birth_date. Output per person: latest and worst ALT grade, persistent rise
    (over 6 months), months elevated, latest FIB-4 band, hepatitis B/C screen seen, urgency.

    Example:

        liverlens cohort events.parquet -o worklist.csv
    """
    from liverlens.batch.cohort import cohort_worklist
    from liverlens.batch.files import Writer, file_format

    try:
        if not source.exists():
            raise InputError(issue(str(source), "error.file.missing"))
        file_format(target)
        import polars as pl

        events = (
            pl.read_parquet(source)
            if file_format(source) == "parquet"
            else pl.read_csv(source, infer_schema=False)
        )
        out, counts = cohort_worklist(load_knowledge(), events)
    except InputError as exc:
        fail(exc)
    writer = Writer(target)
    writer.write(out)
    writer.close()
    if not quiet:
        say(
            "cli.cohort_summary",
            people=counts["people"],
            panels=counts["panels"],
            rejected=counts["rejected_panels"],
            unknown=counts["unusable_events"],
            target=target,
        )
