"""Stream a CSV or Parquet file through ``annotate`` in chunks, so memory stays bounded
whatever the file size, and write CSV or Parquet as the chunks come.

CSV is read with every mapped column as text, so a stray "abc" in a number column becomes a
marked row rather than a failed file. Red flags and top causes are ``;``-separated text.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from liverlens.batch.annotate import ColumnSet, annotate, annotate_counting
from liverlens.batch.table import TableSpec
from liverlens.errors import InputError, issue
from liverlens.knowledge import KnowledgeBase

CHUNK_ROWS = 250_000
CSV_BLOCK_BYTES = 16 << 20
FORMATS = ("csv", "parquet")


def file_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("parquet", "pq"):
        return "parquet"
    if suffix in ("csv", "txt"):
        return "csv"
    raise InputError(issue(str(path), "error.file.unknown_type", suffix=repr(path.suffix)))


@dataclass
class Summary:
    """What a run did: rows, rejected rows and why (a row may have several reasons),
    rows by urgency."""

    rows: int = 0
    rejected: int = 0
    urgency: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)

    def add(self, chunk: pl.DataFrame, reasons: Counter[str] | None = None) -> None:
        self.rows += chunk.height
        self.rejected += int((chunk.get_column("ll_status") == "rejected").sum())
        for value, count in chunk.get_column("ll_urgency").value_counts().iter_rows():
            if value is not None:
                self.urgency[value] += count
        self.reasons.update(reasons or {})


_WIDE_ENCODINGS = {
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
}


def _check_text(path: Path) -> None:
    """A CSV must be UTF-8 text: say so for UTF-16/32 (a common spreadsheet export) rather
    than let the parser report a column count it cannot make sense of."""
    with path.open("rb") as f:
        head = f.read(4096)
    found = next((name for bom, name in _WIDE_ENCODINGS.items() if head.startswith(bom)), None)
    if found is None and b"\x00" in head:
        found = "UTF-16"
    if found is not None:
        raise InputError(issue(str(path), "error.file.encoding", encoding=found))


def _csv_header(path: Path) -> list[str]:
    _check_text(path)
    reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16))
    return list(reader.schema.names)


def _first_bad_text(path: Path) -> int:
    """The line number (1 = the header) of the first byte that is not UTF-8, read only
    when the parser has already found one."""
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 0


def read_chunks(
    path: Path, columns_as_text: set[str] | None = None, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pl.DataFrame]:
    """Yield the file as Polars frames of at most ``chunk_rows`` rows.

    Chunks, rather than one streaming plan over the whole file: Polars' streaming engine
    reads a Parquet file ahead of the computation, and over 10M rows that held 6.4 GiB.
    Chunks of 250,000 rows keep ``batch``'s peak at 1.1 GiB for 10M rows, at about a fifth
    more time (docs/performance.md).
    """
    if file_format(path) == "parquet":
        # Polars' own reader, a slice at a time: about twice as fast as pyarrow's batches
        # converted to Polars (0.10 s against 0.15-0.23 s for 1M typed panels, 0.23-0.30 s
        # against 0.54-0.69 s for 1M text-valued ones), and a slice decodes only its rows,
        # also inside one large row group
        scan = pl.scan_parquet(path)
        for start in range(0, pq.ParquetFile(path).metadata.num_rows, chunk_rows):
            yield scan.slice(start, chunk_rows).collect()
        return
    header = _csv_header(path)
    types = {c: pa.string() for c in header if columns_as_text is None or c in columns_as_text}
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=CSV_BLOCK_BYTES),
        convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True),
    )
    for batch in reader:
        binary = [f.name for f in batch.schema if pa.types.is_binary(f.type)]
        if binary:  # pyarrow types a column with bytes that are not UTF-8 as binary
            raise InputError(
                issue(
                    str(path),
                    "error.file.not_utf8",
                    column=repr(binary[0]),
                    line=_first_bad_text(path),
                )
            )
        frame = pl.DataFrame(pl.from_arrow(batch))
        for start in range(0, frame.height, chunk_rows):
            yield frame.slice(start, chunk_rows)


def column_names(path: Path) -> list[str]:
    if not path.exists():
        raise InputError(issue(str(path), "error.file.missing"))
    try:
        if file_format(path) == "csv":
            return _csv_header(path)
        return list(pq.ParquetFile(path).schema_arrow.names)
    except (pa.ArrowException, OSError) as err:
        raise InputError(
            issue(str(path), "error.file.unreadable", format=file_format(path), detail=err)
        ) from err


def _for_csv(chunk: pl.DataFrame) -> pl.DataFrame:
    """Lists as ``;``-separated text and vocabulary words (Enum columns) as plain text: CSV
    has no dictionary columns."""
    lists = [c for c, t in chunk.schema.items() if isinstance(t, pl.List)]
    words = [c for c, t in chunk.schema.items() if isinstance(t, pl.Enum | pl.Categorical)]
    return chunk.with_columns(
        *(pl.col(c).list.join(";") for c in lists), *(pl.col(c).cast(pl.String) for c in words)
    )


class Writer:
    """Append chunks to a CSV or Parquet file with one schema, atomically.

    Chunks go to a hidden temporary file beside the target; ``close`` renames it onto the
    target, ``abort`` removes it. A run that fails halfway leaves no complete-looking file
    (and an earlier file at the target untouched)."""

    def __init__(self, path: Path) -> None:
        self.path, self.format = path, file_format(path)
        self.partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._schema: pa.Schema | None = None

    def write(self, chunk: pl.DataFrame) -> None:
        self.write_arrow(self.to_arrow(chunk))

    def to_arrow(self, chunk: pl.DataFrame) -> pa.Table:
        return (_for_csv(chunk) if self.format == "csv" else chunk).to_arrow()

    def write_arrow(self, table: pa.Table) -> None:
        if self._schema is None:
            # The first chunk fixes the schema; a column that was all-null there (type null)
            # is widened to text so later chunks with values still fit.
            self._schema = pa.schema(
                pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                for f in table.schema
            )
            if self.format == "csv":
                self._csv = pacsv.CSVWriter(self.partial, self._schema)
            else:
                self._parquet = pq.ParquetWriter(self.partial, self._schema, compression="zstd")
        table = table.cast(self._schema)
        if self._csv is not None:
            self._csv.write_table(table)
        elif self._parquet is not None:
            self._parquet.write_table(table)

    def close(self) -> None:
        """Finish the file and put it in place."""
        for w in (self._csv, self._parquet):
            if w is not None:
                w.close()
        if self._schema is not None:
            self.partial.replace(self.path)

    def abort(self) -> None:
        """Drop what was written: the target is left as it was."""
        for w in (self._csv, self._parquet):
            if w is not None:
                w.close()
        self.partial.unlink(missing_ok=True)


class BackgroundWriter:
    """A ``Writer`` on its own thread, so the next piece is computed while this one is written.

    Encoding and compressing Parquet run in Arrow's C++ code without holding the GIL, and the
    engine runs in Polars' threads, so the two overlap (in A/B runs on the 2-core benchmark
    machine, 5-10% less wall time; the machine's noise is of the same size). At most
    ``depth`` pieces wait, which keeps memory bounded. An error in the thread is raised again
    in the caller at the next write or at close.
    """

    def __init__(self, writer: Writer, depth: int = 1) -> None:
        self._writer = writer
        self._queue: queue.Queue[pa.Table | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="liverlens-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is None:  # after a failure, drain the queue so the caller never blocks
                try:
                    self._writer.write_arrow(chunk)
                except BaseException as err:  # handed to the caller
                    self._error = err

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, chunk: pl.DataFrame) -> None:
        self._raise()
        self._queue.put(self._writer.to_arrow(chunk))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            self._writer.abort()
        else:
            self._writer.close()
        self._raise()

    def abort(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._writer.abort()


def total_rows(path: Path) -> int | None:
    if file_format(path) == "parquet":
        return int(pq.ParquetFile(path).metadata.num_rows)
    return None


def run_batch(
    kb: KnowledgeBase,
    source: Path,
    target: Path,
    spec: TableSpec,
    explain: bool = False,
    progress: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
    columns: ColumnSet = "full",
) -> Summary:
    """Annotate ``source`` into ``target`` chunk by chunk and return the counts.

    Each chunk runs as one lazy plan on Polars' streaming engine (every core), and is
    written on a second thread while the next chunk is computed.
    """
    file_format(target)
    if not target.parent.is_dir():
        raise InputError(issue(str(target.parent), "error.file.no_directory"))
    cols = spec.resolve(kb, column_names(source))
    summary = Summary()
    writer = BackgroundWriter(Writer(target))
    try:
        for chunk in read_chunks(source, set(cols.values()), chunk_rows):
            out, reasons = annotate_counting(kb, chunk, spec, cols, explain, columns)
            writer.write(out)
            summary.add(out, reasons)
            if progress is not None:
                progress(out.height)
        if summary.rows == 0:  # a header and no rows: the output has its columns, no rows
            writer.write(annotate(kb, _empty(source), spec, cols, explain, columns))
    except (pa.ArrowException, pl.exceptions.PolarsError) as err:  # damaged file, ragged CSV
        writer.abort()
        raise _unreadable(source, summary.rows + 1, err) from err
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return summary


def _empty(path: Path) -> pl.DataFrame:
    """The file's columns with no rows (text columns for a CSV, as it would be read)."""
    if file_format(path) == "parquet":
        return pl.DataFrame(pl.from_arrow(pq.ParquetFile(path).schema_arrow.empty_table()))
    return pl.DataFrame({c: pl.Series([], dtype=pl.String) for c in _csv_header(path)})


def _unreadable(path: Path, row: int, err: Exception) -> InputError:
    """What the parser could not read, said with where and what is accepted."""
    if "straddl" in str(err):  # pyarrow: a row longer than one read block
        return InputError(
            issue(str(path), "error.file.long_line", row=row, limit=CSV_BLOCK_BYTES >> 20)
        )
    return InputError(issue(str(path), "error.file.damaged", row=row, detail=err))
