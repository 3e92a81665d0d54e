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
@click.option(
    "--work-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to keep the temporary partitions (default: beside the output).",
)
@click.option("--quiet", is_flag=True, help="No progress bar or summary.")
def cohort(source: Path, target: Path, work_dir: Path | None, quiet: bool) -> None:
    """Build a worklist from long lab events: one row per person, most urgent first.

    The input has person_id, collected_at (ISO 8601: 2026-01-31, optionally with a time),
    test (LOINC code or name), value, and optionally unit, sex and birth_date. Output per
    person: latest and worst ALT grade, persistent rise (over 6 months), months elevated,
    latest FIB-4 band, hepatitis B/C screen seen, urgency. A person with no usable result
    still has a row (assessed false). Files larger than memory are split by person on disk.
    Exits 3 when some events or panels could not be used; the summary says why.

    Example:

        liverlens cohort events.parquet -o worklist.csv
    """
    require("pyarrow", "cohort", "batch")
    from liverlens.batch.cohort import EVENT_PROBLEMS
    from liverlens.batch.cohort_file import BUILD, SPLIT, cohort_file, estimated_events

    kb = load_knowledge()
    try:
        if quiet or not sys.stderr.isatty():
            summary = cohort_file(kb, source, target, work_dir=work_dir)
        else:
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                total = estimated_events(source) if source.is_file() else None
                tasks = {
                    SPLIT: bar.add_task(words("cli.cohort_split"), total=total),
                    BUILD: bar.add_task(words("cli.cohort_build"), total=total),
                }
                summary = cohort_file(
                    kb,
                    source,
                    target,
                    work_dir=work_dir,
                    progress=lambda stage, n: bar.advance(tasks[stage], n),
                )
    except InputError as exc:
        fail(exc)
    if not quiet:
        say(
            "cli.cohort_summary",
            people=summary.people,
            not_assessed=summary.not_assessed,
            panels=summary.panels,
            rejected=summary.rejected_panels,
            unusable=summary.unusable_events,
            target=target,
        )
        if summary.unusable:
            why = summary.unusable.most_common()
            reasons = "; ".join(f"{words(EVENT_PROBLEMS[k])}: {n}" for k, n in why)
            say("cli.cohort_unusable", reasons=reasons)
        if summary.rejected:
            reasons = "; ".join(f"{k}: {n}" for k, n in summary.rejected.most_common())
            say("cli.cohort_rejected", reasons=reasons)
        if summary.unreadable_birth_dates:
            say("cli.cohort_birth_dates", people=summary.unreadable_birth_dates)
    if summary.anything_left_out:
        sys.exit(EXIT_REJECTED_ROWS)
