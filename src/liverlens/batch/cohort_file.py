"""``liverlens cohort`` over an event file of any size: split the events by person into
partitions on disk, build each partition's worklist, and merge the worklists in order.

Why partitions: a worklist needs every event of a person together, and holding a table of 10M
events with its panels took 5.6 GiB. Here the file is read in chunks and each event is written
to the partition its person id hashes to, so all of a person's events meet in one partition,
and a partition holds about ``PARTITION_EVENTS`` events whatever the file's size. Every column
of the worklist is computed per person (``batch.cohort``), so a partition's worklist rows are
exactly the rows the whole table would give those people; the merge only puts them in
``WORKLIST_ORDER``.

Memory is then bounded by one partition's work plus the worklist itself, which has one row
per person (a few hundred bytes each, against the person's events and panels), so it grows
with the number of people, not of events.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from liverlens.batch.cohort import (
    WORKLIST_DESCENDING,
    WORKLIST_ORDER,
    CohortColumns,
    CohortSummary,
    cohort_worklist,
)
from liverlens.batch.files import Writer, column_names, file_format, parquet_rows, read_chunks
from liverlens.errors import InputError, issue
from liverlens.knowledge import KnowledgeBase

# Events per partition, aimed at. With 1M, 10M events (10 partitions) peaked at 0.87 GiB and
# 50M at 1.3 GiB (docs/performance.md); more partitions cost a little per partition, not per event.
PARTITION_EVENTS = 1_000_000
# Open files while splitting; enough for 10^9 events at the size above.
MAX_PARTITIONS = 1024
# A CSV's events are estimated from its size: an event line is rarely shorter than this, so
# the estimate errs towards more, smaller partitions.
CSV_BYTES_PER_EVENT = 32
SPLIT_CHUNK_ROWS = 1_000_000
WRITE_ROWS = 250_000  # worklist rows per write
# Which partition a person goes to. Polars' hash with a fixed seed: the same id gives the same
# hash throughout one run (one process, one Polars), which is all a partition needs; the
# partitions live only as long as the run, so a hash that changed between Polars versions
# would change nothing a person sees.
HASH_SEED = 20_240_501
# Progress stages: events split into partitions, events whose worklist is done.
SPLIT, BUILD = "split", "build"

Progress = Callable[[str, int], None]


def estimated_events(source: Path) -> int:
    if file_format(source) == "parquet":
        return parquet_rows(source)
    return source.stat().st_size // CSV_BYTES_PER_EVENT


def partition_count(events: int) -> int:
    """Enough partitions for about ``PARTITION_EVENTS`` events each (1 for a small file)."""
    return max(1, min(MAX_PARTITIONS, math.ceil(events / PARTITION_EVENTS)))


def cohort_file(
    kb: KnowledgeBase,
    source: Path,
    target: Path,
    names: CohortColumns | None = None,
    *,
    partitions: int | None = None,
    work_dir: Path | None = None,
    progress: Progress | None = None,
) -> CohortSummary:
    """Write the worklist of the events in ``source`` (CSV or Parquet) to ``target``.

    ``partitions`` overrides the count chosen from the file's size. The partitions are written
    in a temporary directory under ``work_dir`` (default: the target's directory, which is
    known to be writable and, unlike a RAM-backed /tmp, on disk); it is removed afterwards,
    also after an error. ``target`` is written atomically (``files.Writer``).
    """
    names = names or CohortColumns()
    file_format(target)
    if not target.parent.is_dir():
        raise InputError(issue(str(target.parent), "error.file.no_directory"))
    columns = column_names(source)
    names.check(columns)
    used = [c for c in dict.fromkeys(vars(names).values()) if c in columns]
    if partitions is not None and partitions < 1:
        raise ValueError(f"partitions must be at least 1, not {partitions}")
    count = partitions or partition_count(estimated_events(source))
    writer = Writer(target)
    try:
        if count == 1:
            out, summary = cohort_worklist(kb, _whole(source, used), names)
            writer.write(out)
            if progress is not None:
                progress(BUILD, summary.events)
        else:
            with tempfile.TemporaryDirectory(
                prefix=".liverlens-cohort-", dir=work_dir or target.parent
            ) as tmp:
                parts = split(source, used, names.person_id, count, Path(tmp), progress)
                summary = _merge(kb, parts, used, names, writer, progress)
            summary.partitions = count
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return summary


def _merge(
    kb: KnowledgeBase,
    parts: list[Path],
    used: list[str],
    names: CohortColumns,
    writer: Writer,
    progress: Progress | None,
) -> CohortSummary:
    """Each partition's worklist, then all of them written in ``WORKLIST_ORDER``."""
    summary = CohortSummary()
    pieces = []
    for part in parts:
        piece, counts = cohort_worklist(kb, pl.read_parquet(part), names)
        part.unlink()  # the disk a partition took is free again as soon as it is done
        pieces.append(piece)
        summary.add(counts)
        if progress is not None:
            progress(BUILD, counts.events)
    if not pieces:  # no events at all
        out, summary = cohort_worklist(kb, _empty(used), names)
        writer.write(out)
        return summary
    # The pieces side by side (not copied), the order from the sort columns alone, and the
    # rows written a slice at a time: memory is the worklist once (about 100 bytes a person,
    # 243 MiB for 2.5M people), not a sorted copy of it and its whole Arrow form as well.
    out = pl.concat(pieces, how="vertical_relaxed", rechunk=False)
    del pieces
    order = out.select(pl.arg_sort_by(WORKLIST_ORDER, descending=WORKLIST_DESCENDING)).to_series()
    for start in range(0, out.height, WRITE_ROWS):
        writer.write(out[order.slice(start, WRITE_ROWS)])
    return summary


def split(
    source: Path,
    used: list[str],
    person_id: str,
    count: int,
    into: Path,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the events of ``source`` (only the ``used`` columns) to ``count`` Parquet files
    by a hash of the person id, in the file's order; return the files that got events."""
    writers: dict[int, pq.ParquetWriter] = {}
    try:
        for chunk in _chunks(source, used):
            which = _partition_of(chunk, person_id, count)
            for (k,), piece in (
                chunk.with_columns(which).partition_by("_part", as_dict=True).items()
            ):
                table = piece.drop("_part").to_arrow()
                key = int(k)
                if key not in writers:
                    # LZ4: the files are read once, soon, on this machine; speed over size
                    writers[key] = pq.ParquetWriter(
                        into / f"part-{key:04d}.parquet", table.schema, compression="lz4"
                    )
                writers[key].write_table(table)
            if progress is not None:
                progress(SPLIT, chunk.height)
    finally:
        for w in writers.values():
            w.close()
    return [into / f"part-{k:04d}.parquet" for k in sorted(writers)]


def _partition_of(chunk: pl.DataFrame, person_id: str, count: int) -> pl.Expr:
    """The partition of each event's person. cohort_worklist groups by the id as text; text
    and whole-number ids are hashed as they are (distinct numbers are distinct texts, so one
    person still has one hash, and formatting 10M numbers cost more than hashing them), any
    other type as text."""
    key = pl.col(person_id)
    dtype = chunk.schema[person_id]
    if not (dtype == pl.String or dtype.is_integer()):
        key = key.cast(pl.String)
    return (key.hash(seed=HASH_SEED) % count).alias("_part")


def _chunks(source: Path, used: list[str]) -> Iterator[pl.DataFrame]:
    """The events in chunks, only the columns the worklist reads (CSV cells as text); a
    damaged file is said as such.

    Parquet through Polars' own reader, a slice at a time, rather than ``files.read_chunks``
    (pyarrow batches turned into Polars frames): over 10M events, 0.45 s of CPU instead of
    3.8 s, and memory stays at a slice also when the file is one row group (measured).
    """
    read = 0
    try:
        if file_format(source) == "parquet":
            scan = pl.scan_parquet(source).select(used)
            for start in range(0, estimated_events(source), SPLIT_CHUNK_ROWS):
                chunk = scan.slice(start, SPLIT_CHUNK_ROWS).collect()
                read += chunk.height
                yield chunk
            return
        for chunk in read_chunks(source, chunk_rows=SPLIT_CHUNK_ROWS):
            read += chunk.height
            yield chunk.select(used)
    except (pa.ArrowException, pl.exceptions.ComputeError, OSError) as err:
        raise InputError(
            issue(str(source), "error.file.damaged", row=read + 1, detail=err)
        ) from err


def _whole(source: Path, used: list[str]) -> pl.DataFrame:
    chunks = list(_chunks(source, used))
    return pl.concat(chunks) if chunks else _empty(used)


def _empty(used: list[str]) -> pl.DataFrame:
    return pl.DataFrame({c: pl.Series([], dtype=pl.String) for c in used})
