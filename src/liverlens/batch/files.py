"""Stream a CSV or Parquet file through ``annotate`` in chunks, so memory stays bounded
whatever the file size, and write CSV or Parquet as the chunks come.

CSV is read with every mapped column as text, so a stray "abc" in a number column becomes a
marked row rather than a failed file. Red flags and top causes are ``;``-separated text.

Parquet is read and written by Polars alone; pyarrow (and the NumPy it loads, together about
0.13 s of a process's start here) is imported only for CSV, which it reads and writes.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from polars.io.plugins import register_io_source

from liverlens.batch.annotate import ColumnSet, annotate, annotate_counting
from liverlens.batch.table import TableSpec
from liverlens.errors import InputError, issue
from liverlens.knowledge import KnowledgeBase

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.csv as pacsv

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


def _read_errors(*more: type[Exception]) -> tuple[type[Exception], ...]:
    """What a damaged or ragged file raises: Polars' errors, pyarrow's once CSV loaded it
    (evaluated when an error is caught, so after any import), and ``more``."""
    arrow = sys.modules.get("pyarrow")
    found = (arrow.ArrowException,) if arrow is not None else ()
    return (pl.exceptions.PolarsError, *found, *more)


def parquet_rows(path: Path) -> int:
    """The rows of a Parquet file, from its footer."""
    return int(pl.scan_parquet(path).select(pl.len()).collect().item())


def _csv_header(path: Path) -> list[str]:
    import pyarrow.csv as pacsv

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
        for start in range(0, parquet_rows(path), chunk_rows):
            yield scan.slice(start, chunk_rows).collect()
        return
    import pyarrow as pa
    import pyarrow.csv as pacsv

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
        return list(pl.read_parquet_schema(path))
    except _read_errors(OSError) as err:
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


class _Abort(Exception):
    """Raised inside the Parquet sink's source to stop it when a run is aborted."""


class _ParquetSink:
    """Chunks written to one Parquet file by Polars' streaming writer, on a thread of its own.

    ``sink_parquet`` pulls the chunks from a Python source (``register_io_source``) that
    waits on a queue, so ``put`` casts a chunk to the file's schema, hands it over and
    returns: encoding and compressing run in Polars' threads while the caller computes the
    next chunk, without pyarrow. At most ``depth`` chunks wait. An error in the writer is
    raised again at the next ``put`` or at ``finish``; after one, the queue is drained so the
    caller never blocks.
    """

    def __init__(self, path: Path, schema: pl.Schema, depth: int = 1) -> None:
        self.schema = schema
        self._queue: queue.Queue[pl.DataFrame | type[_Abort] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._ended = False  # the caller's None (finish) or _Abort has been taken
        self._thread = threading.Thread(
            target=self._run, args=(path, schema), name="liverlens-writer", daemon=True
        )
        self._thread.start()

    def _chunks(
        self, with_columns: list[str] | None, *_: Any
    ) -> Iterator[pl.DataFrame]:  # the io_source protocol: columns, predicate, n_rows, batch size
        while True:
            chunk = self._queue.get()
            if not isinstance(chunk, pl.DataFrame):  # the caller's last word: None or _Abort
                self._ended = True
                if chunk is None:
                    return
                raise _Abort
            yield chunk if with_columns is None else chunk.select(with_columns)

    def _run(self, path: Path, schema: pl.Schema) -> None:
        try:
            source = register_io_source(self._chunks, schema=schema)
            source.sink_parquet(path, compression="zstd")
        except BaseException as err:  # handed to the caller
            self._error = err
            while not self._ended:  # drain up to the caller's last word, so it never blocks
                self._ended = not isinstance(self._queue.get(), pl.DataFrame)

    def _raise(self) -> None:
        if self._error is not None and not isinstance(self._error, _Abort):
            raise self._error

    def put(self, chunk: pl.DataFrame) -> None:
        self._raise()
        self._queue.put(chunk.cast(self.schema))

    def finish(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._raise()

    def abort(self) -> None:
        self._queue.put(_Abort)
        self._thread.join()


class Writer:
    """Append chunks to a CSV or Parquet file with one schema, atomically.

    Chunks go to a hidden temporary file beside the target; ``close`` renames it onto the
    target, ``abort`` removes it. A run that fails halfway leaves no complete-looking file
    (and an earlier file at the target untouched). The first chunk fixes the schema; a column
    that was all-null there (type null) is widened to text so later chunks with values fit.
    Parquet goes through Polars' own writer (``_ParquetSink``), CSV through pyarrow's.
    """

    def __init__(self, path: Path) -> None:
        self.path, self.format = path, file_format(path)
        self.partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        self._parquet: _ParquetSink | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._arrow_schema: pa.Schema | None = None

    def write(self, chunk: pl.DataFrame) -> None:
        if self.format == "csv":
            self._write_csv(_for_csv(chunk))
            return
        if self._parquet is None:
            widened = {n: pl.String() if t == pl.Null else t for n, t in chunk.schema.items()}
            self._parquet = _ParquetSink(self.partial, pl.Schema(widened))
        self._parquet.put(chunk)

    def _write_csv(self, chunk: pl.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        table = chunk.to_arrow()
        if self._arrow_schema is None:
            self._arrow_schema = pa.schema(
                pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                for f in table.schema
            )
            self._csv = pacsv.CSVWriter(self.partial, self._arrow_schema)
        if self._csv is not None:
            self._csv.write_table(table.cast(self._arrow_schema))

    def close(self) -> None:
        """Finish the file and put it in place."""
        try:
            if self._parquet is not None:
                self._parquet.finish()
        except BaseException:
            self.partial.unlink(missing_ok=True)
            raise
        if self._csv is not None:
            self._csv.close()
        if self._parquet is not None or self._csv is not None:
            self.partial.replace(self.path)

    def abort(self) -> None:
        """Drop what was written: the target is left as it was."""
        if self._parquet is not None:
            self._parquet.abort()
        if self._csv is not None:
            self._csv.close()
        self.partial.unlink(missing_ok=True)


class BackgroundWriter:
    """A ``Writer`` on its own thread, so the next piece is computed while this one is written.

    Encoding and compressing run in Polars' or Arrow's native code without holding the GIL,
    and the engine runs in Polars' threads, so the two overlap (in A/B runs on the 2-core
    benchmark machine, 5-10% less wall time; the machine's noise is of the same size). At
    most ``depth`` pieces wait, which keeps memory bounded. An error in the thread is raised
    again in the caller at the next write or at close.
    """

    def __init__(self, writer: Writer, depth: int = 1) -> None:
        self._writer = writer
        self._queue: queue.Queue[pl.DataFrame | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="liverlens-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is None:  # after a failure, drain the queue so the caller never blocks
                try:
                    self._writer.write(chunk)
                except BaseException as err:  # handed to the caller
                    self._error = err

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, chunk: pl.DataFrame) -> None:
        self._raise()
        self._queue.put(chunk)

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
        return parquet_rows(path)
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
    except _read_errors() as err:  # damaged file, ragged CSV
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
        return pl.DataFrame(schema=pl.read_parquet_schema(path))
    return pl.DataFrame({c: pl.Series([], dtype=pl.String) for c in _csv_header(path)})


def _unreadable(path: Path, row: int, err: Exception) -> InputError:
    """What the parser could not read, said with where and what is accepted."""
    if "straddl" in str(err):  # pyarrow: a row longer than one read block
        return InputError(
            issue(str(path), "error.file.long_line", row=row, limit=CSV_BLOCK_BYTES >> 20)
        )
    return InputError(issue(str(path), "error.file.damaged", row=row, detail=err))
