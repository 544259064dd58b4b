"""Records of a CSV (or Parquet) file in batches, with their record numbers.

The fast path streams the file through Arrow's CSV reader, which splits records exactly as
Python's csv module does for the dialect frictionless-py sniffs (checked by the differential
test); records with another number of cells than the header come back as raw text and are
split by Python. The exact path (leading-space dialects, .tsv files with CR) runs Python's
csv reader itself. Only one batch is in memory at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .dialect import Dialect, reader_for, text_records

BATCH_ROWS = 65_536
BLOCK_BYTES = 1 << 21  # 2 MB: parsed twice as fast as 16 MB blocks here


@dataclass
class Batch:
    """`width` columns of text (null: the record has no such cell) and per-record facts."""

    columns: list[pa.Array]
    rows: int
    records: np.ndarray | None = None  # record numbers; None: fast-path rows, numbered later
    counts: np.ndarray | None = None  # cells per record; None: every record has `width`
    extras: dict[int, list[str]] = field(default_factory=dict)  # row -> cells beyond width


class OddRows:
    """Records the fast path set aside (another number of cells), with their numbers."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def handler(self, row) -> str:
        self.items.append((row.number, row.text))
        return "skip"


def fast_batches(path: Path, dialect: Dialect, width: int, odd: OddRows) -> Iterator[Batch]:
    names = [f"c{i}" for i in range(width)]
    encoding = dialect.encoding
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            use_threads=False, block_size=BLOCK_BYTES, skip_rows=dialect.lines_before_data,
            column_names=names,
            encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding),
        parse_options=pacsv.ParseOptions(
            delimiter=dialect.delimiter, quote_char='"', double_quote=True, escape_char=False,
            newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=odd.handler),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=False,
            quoted_strings_can_be_null=False))
    pending: list[pa.RecordBatch] = []
    rows = 0
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= BATCH_ROWS:
            yield _combined(pending, width)
            pending, rows = [], 0
    if pending:
        yield _combined(pending, width)


def _combined(batches: list[pa.RecordBatch], width: int) -> Batch:
    """Small parser blocks (cache-friendly) checked together (fewer kernel calls)."""
    if len(batches) == 1:
        return Batch([batches[0].column(i) for i in range(width)], batches[0].num_rows)
    table = pa.Table.from_batches(batches).combine_chunks()
    return Batch([table.column(i).chunk(0) if table.column(i).num_chunks else
                  pa.array([], pa.string()) for i in range(width)], table.num_rows)


def prefetch(batches: Iterator[Batch], depth: int = 2) -> Iterator[Batch]:
    """Parse the next batches in a thread (Arrow's parser leaves the GIL) while this one is
    checked."""
    import queue
    import threading

    box: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                box.put(batch)
            box.put(done)
        except BaseException as exc:  # handed to the consumer
            box.put(exc)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while True:
            item = box.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                box.get_nowait()
            except queue.Empty:
                thread.join(0.01)


def odd_batch(odd: OddRows, dialect: Dialect, width: int, skipped_lines: int) -> Batch | None:
    """The set-aside records as one batch; Arrow numbers rows from the file's first line."""
    if not odd.items:
        return None
    numbers, cell_lists = [], []
    for number, text in odd.items:
        cells = next(reader_for(iter([text]), dialect.delimiter, dialect.skip_initial_space), [])
        numbers.append(number - skipped_lines + dialect.header_row)
        cell_lists.append(cells)
    return records_batch(cell_lists, np.asarray(numbers, dtype=np.int64), width)


def records_batch(cell_lists: list[list[str]], numbers: np.ndarray, width: int) -> Batch:
    counts = np.fromiter((len(c) for c in cell_lists), dtype=np.int64, count=len(cell_lists))
    columns = [pa.array([c[i] if i < len(c) else None for c in cell_lists], pa.string())
               for i in range(width)]
    extras = {k: c[width:] for k, c in enumerate(cell_lists) if len(c) > width}
    return Batch(columns, len(cell_lists), records=numbers, counts=counts, extras=extras)


def exact_batches(path: Path, dialect: Dialect, width: int) -> Iterator[Batch]:
    pending: list[list[str]] = []
    number = dialect.header_row + 1
    for cells in text_records(path, dialect):
        pending.append(cells)
        if len(pending) >= BATCH_ROWS:
            yield records_batch(pending, np.arange(number, number + len(pending)), width)
            number += len(pending)
            pending = []
    if pending:
        yield records_batch(pending, np.arange(number, number + len(pending)), width)


def parquet_batches(path: Path, width: int) -> tuple[list[str], Iterator[Batch]]:
    """Parquet columns as text (labels = column names), numbered like CSV rows after a header."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    labels = list(handle.schema_arrow.names)

    def batches() -> Iterator[Batch]:
        number = 2
        for batch in handle.iter_batches(batch_size=BATCH_ROWS):
            columns = []
            for i in range(width):
                if i < batch.num_columns:
                    column = batch.column(i)
                    columns.append(column if pa.types.is_string(column.type)
                                   else pc.cast(column, pa.string()))
                else:
                    columns.append(pa.nulls(batch.num_rows, pa.string()))
            counts = np.full(batch.num_rows, batch.num_columns, dtype=np.int64)
            yield Batch(columns, batch.num_rows,
                        records=np.arange(number, number + batch.num_rows), counts=counts)
            number += batch.num_rows

    return labels, batches()
