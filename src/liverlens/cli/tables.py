"""``liverlens batch`` and ``cohort``: whole lab tables and per-person worklists."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from liverlens.cli.base import EXIT_REJECTED_ROWS, cli, fail, say, words
from liverlens.errors import InputError, issue
from liverlens.extras import require, require_installed
from liverlens.knowledge import load_knowledge

if TYPE_CHECKING:
    from liverlens.batch.annotate import ColumnSet
    from liverlens.batch.matching import ColumnMatch


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


def report_columns(match: ColumnMatch, strict: bool, quiet: bool) -> None:
    """Say which column feeds which field, the key fields not found and the look-alike
    columns; with ``strict`` a look-alike is an error instead."""
    from liverlens.batch.table import refuse_lookalikes

    if strict:
        refuse_lookalikes(match)
    if not quiet:
        say("cli.columns_read", pairs=", ".join(f"{f} <- {c!r}" for f, c in match.used.items()))
    for missing in match.missing:
        say(f"cli.column_missing_{missing}")
    for x in match.lookalikes:
        named = {"column": repr(x.column), "field": x.field, "name": x.column}
        if x.read_from is None:
            say("cli.column_lookalike", **named)
        else:
            say("cli.column_lookalike_instead", other=repr(x.read_from), **named)


@contextmanager
def progress_bar(quiet: bool, total: int | None) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal (rows done, of how many when known, and rows per
    second); nothing when quiet or when stderr is a file or a pipe."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    rate = TextColumn("{task.fields[rate]}")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        rate,
        TimeElapsedColumn(),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(words("cli.progress"), total=total, rate="")

        def advance(rows: int) -> None:
            bar.advance(task, rows)
            speed = bar.tasks[task].speed
            if speed:
                bar.update(task, rate=words("cli.rows_per_second", rate=f"{speed:,.0f}"))

        yield advance


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
@click.option(
    "--columns",
    "column_set",
    type=click.Choice(["full", "core"]),
    default="full",
    show_default=True,
    help="Every finding, or the core ones only (ALT fold and grade, AST/ALT, R ratio and "
    "pattern, FIB-4 and band, Hy's law, urgency).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Stop when a column looks like a field but is not read (e.g. a second ALT column).",
)
@click.option(
    "--quiet", is_flag=True, help="No column list, progress bar or summary (warnings still print)."
)
def batch(
    source: Path,
    target: Path,
    mapping: tuple[str, ...],
    units: tuple[str, ...],
    reference: str | None,
    explain: bool,
    column_set: ColumnSet,
    strict: bool,
    quiet: bool,
) -> None:
    """Annotate every panel (one per row) of a CSV or Parquet file.

    Keeps the input columns and adds ll_* findings: fold of the limit and status per test,
    ALT grade, AST/ALT, R ratio and pattern, scores, red flags, urgency and top causes from
    the labs alone. Bad rows are kept and marked (ll_status, ll_reject_reason). Says first
    which column feeds which field, and warns about columns that look like a field but are
    not read (--strict stops instead). Exits 3 when some rows were rejected.

    Example:

        liverlens batch labs.parquet -o annotated.parquet --map alt=ALT_U_L,sex=gender
    """
    require_installed("pyarrow", "batch", "batch")
    from liverlens.batch.files import column_names, run_batch, total_rows
    from liverlens.batch.table import TableSpec, describe

    try:
        spec = TableSpec(pairs(mapping, "--map"), pairs(units, "--unit"), reference)
        kb = load_knowledge()
        report_columns(describe(kb, spec, column_names(source)), strict, quiet)
        with progress_bar(quiet, total_rows(source)) as advance:
            summary = run_batch(kb, source, target, spec, explain, advance, columns=column_set)
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
        if summary.reasons:
            reasons = "; ".join(f"{k} ({n})" for k, n in summary.reasons.most_common())
            say("cli.batch_reasons", reasons=reasons)
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
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN,...",
    help="Which input column feeds which field (person_id, collected_at, test, value, unit, "
    "sex, birth_date), e.g. person_id=MRN,sex=Gender.",
)
@click.option(
    "--strict", is_flag=True, help="Stop when a column looks like a field but is not read."
)
@click.option(
    "--quiet", is_flag=True, help="No column list, progress bar or summary (warnings still print)."
)
def cohort(
    source: Path,
    target: Path,
    work_dir: Path | None,
    mapping: tuple[str, ...],
    strict: bool,
    quiet: bool,
) -> None:
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
    from liverlens.batch.cohort import EVENT_PROBLEMS, CohortColumns
    from liverlens.batch.cohort_file import BUILD, SPLIT, cohort_file, estimated_events
    from liverlens.batch.files import column_names

    kb = load_knowledge()
    try:
        columns = column_names(source)
        names = CohortColumns.found_in(columns, pairs(mapping, "--map"))
        report_columns(names.describe(kb, columns), strict, quiet)
        if quiet or not sys.stderr.isatty():
            summary = cohort_file(kb, source, target, names, work_dir=work_dir)
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
                    names,
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
