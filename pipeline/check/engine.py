"""`c1 check`: validate a table against a Table Schema with frictionless-py's answers,
a column at a time and a batch at a time.

Header errors come from the labels; cell, row and key errors from batches of records. Only
what keys need is kept across batches (canonical key strings and record numbers), so memory
stays bounded on files larger than RAM. There is no error limit.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import reader as readers
from .dialect import BUFFER_SIZE, Dialect, detect, detect_encoding, undecodable
from .fields import NAN_KEY, Field, SchemaError, check_field, indices

WORKERS = int(os.environ.get("C1_CHECK_THREADS", min(2, os.cpu_count() or 1)))
ROW_LEVEL = ("blank-row", "primary-key", "foreign-key")


class NeedExactPath(Exception):
    """The fast reader cannot tell an empty line from a row of empty cells here."""


@dataclass
class Schema:
    fields: list[Field]
    primary_key: list[str]
    foreign_keys: list[dict[str, Any]]
    missing_values: tuple[str, ...]
    descriptor: dict[str, Any]

    @classmethod
    def from_descriptor(cls, descriptor: dict[str, Any]) -> Schema:
        if not isinstance(descriptor, dict) or not isinstance(descriptor.get("fields"), list):
            raise SchemaError("a Table Schema needs a 'fields' list")
        if "fieldsMatch" in descriptor and descriptor["fieldsMatch"] != "exact":
            raise SchemaError("only fieldsMatch 'exact' (the default) is supported")
        missing = tuple(descriptor.get("missingValues", [""]))
        fields = []
        names = set()
        for number, spec in enumerate(descriptor["fields"], start=1):
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
                raise SchemaError(f"field {number}: needs a name")
            if spec["name"] in names:
                raise SchemaError(f"field name {spec['name']!r} appears twice")
            names.add(spec["name"])
            fields.append(Field.from_descriptor(spec, number, missing))
        pk = descriptor.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else list(pk)
        for name in pk:
            if name not in names:
                raise SchemaError(f"primaryKey field {name!r} is not in the schema")
        fks = []
        for fk in descriptor.get("foreignKeys", []):
            local = fk.get("fields")
            local = [local] if isinstance(local, str) else list(local or [])
            ref = fk.get("reference", {})
            remote = ref.get("fields")
            remote = [remote] if isinstance(remote, str) else list(remote or [])
            if not local or len(local) != len(remote):
                raise SchemaError("a foreign key needs as many reference fields as fields")
            for name in local:
                if name not in names:
                    raise SchemaError(f"foreignKey field {name!r} is not in the schema")
            fks.append({"fields": local, "resource": ref.get("resource", ""),
                        "reference_fields": remote})
        return cls(fields, pk, fks, missing, descriptor)


COLUMNS = ("type", "row", "ordinal", "field", "constraint", "cell", "note")


@dataclass
class ErrorTable:
    """Errors as columns; row ids are record numbers, or fast-path ordinals until fixed."""

    parts: list[dict[str, np.ndarray]] = field(default_factory=list)

    def add(self, kind: str, rows, field_number, constraint: str = "", cells=None,
            note=None, ordinal: bool = False) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        n = len(rows)
        if n == 0:
            return

        def spread(value, dtype=object) -> np.ndarray:
            if isinstance(value, np.ndarray) and value.shape == (n,):
                return value.astype(dtype, copy=False)
            return np.full(n, value, dtype=dtype)

        self.parts.append({
            "type": spread(kind), "row": rows, "ordinal": spread(ordinal, bool),
            "field": spread(-1 if field_number is None else field_number, np.int64)
            if not isinstance(field_number, np.ndarray) else field_number.astype(np.int64),
            "constraint": spread(constraint), "cell": spread("" if cells is None else cells),
            "note": spread("" if note is None else note)})

    def frame(self) -> dict[str, np.ndarray]:
        """The errors as columns (numpy arrays of equal length)."""
        if not self.parts:
            return {c: np.zeros(0, dtype=np.int64 if c in ("row", "field") else
                                bool if c == "ordinal" else object) for c in COLUMNS}
        return {c: np.concatenate([p[c] for p in self.parts]) for c in COLUMNS}


@dataclass
class TaskResult:
    name: str
    place: str
    labels: list[str]
    fields: list[Field]
    header_errors: list[dict[str, Any]]
    errors: dict[str, np.ndarray]  # type, row, field, constraint, cell, note (final rows)
    rows: int
    task_errors: list[dict[str, Any]] = field(default_factory=list)
    keys: dict[tuple[str, ...], pa.Array] = field(default_factory=dict)  # lookups for others


def header_errors(labels: list[str], fields: list[Field]) -> list[dict[str, Any]]:
    """Label errors by position, in frictionless-py's order."""
    out: list[dict[str, Any]] = []
    if not labels:
        return out
    for i in range(len(fields), len(labels)):
        out.append({"type": "extra-label", "fieldNumber": i + 1, "fieldName": "",
                    "label": labels[i]})
    for j in range(len(labels), len(fields)):
        out.append({"type": "missing-label", "fieldNumber": j + 1,
                    "fieldName": fields[j].name, "label": ""})
    for i in range(min(len(labels), len(fields))):
        label = labels[i]
        if label == "":
            out.append({"type": "blank-label", "fieldNumber": i + 1,
                        "fieldName": fields[i].name, "label": ""})
        elif label in labels[:i]:
            earlier = ", ".join(str(k + 1) for k in range(i) if labels[k] == label)
            out.append({"type": "duplicate-label", "fieldNumber": i + 1,
                        "fieldName": fields[i].name, "label": label,
                        "note": f'at position "{earlier}"'})
        elif label != fields[i].name:
            out.append({"type": "incorrect-label", "fieldNumber": i + 1,
                        "fieldName": fields[i].name, "label": label})
    return out


def expected_fields(labels: list[str], schema: Schema) -> list[Field]:
    """Fields paired with the columns by position; extra labels become untyped fields."""
    if not labels:
        return list(schema.fields)
    out = []
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        if i < len(schema.fields):
            out.append(schema.fields[i])
            continue
        name = label or f"field{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}{seen[name]}"
        else:
            seen[name] = 1
        out.append(Field(name=name, type="any", spec={"name": name}, number=i + 1,
                         missing_values=("",)))
    return out


class Checker:
    """Runs the cell and row checks over batches and keeps what the key checks need."""

    def __init__(self, expected: list[Field], schema: Schema, fast: bool,
                 key_fields: set[str]):
        self.expected = expected
        self.schema = schema
        self.fast = fast
        self.key_fields = key_fields
        self.errors = ErrorTable()
        self.keys: dict[str, list[tuple[pa.Array, np.ndarray, bool]]] = {
            name: [] for name in key_fields}
        self.ordinal = 0
        self.rows = 0
        self.ambiguous_blank = fast and any("" not in f.missing_values for f in expected)
        # Arrow kernels leave the GIL: two columns at a time on two cores.
        self.pool = ThreadPoolExecutor(max_workers=WORKERS)

    def feed(self, batch: readers.Batch) -> None:
        n = batch.rows
        if n == 0:
            return
        width = len(self.expected)
        ordinal = batch.records is None
        rows = (np.arange(self.ordinal, self.ordinal + n, dtype=np.int64) if ordinal
                else batch.records)
        if ordinal:
            self.ordinal += n
        self.rows += n
        counts = batch.counts if batch.counts is not None else np.full(n, width, np.int64)
        checks = [(j, fld) for j, fld in enumerate(self.expected)]
        results = list(self.pool.map(
            lambda item: check_field(batch.columns[item[0]], item[1],
                                     want_keys=item[1].name in self.key_fields), checks))
        all_missing = results[0].missing if results else pa.repeat(pa.scalar(True), n)
        any_type_error = pa.repeat(pa.scalar(False), n)
        for result in results[1:]:
            all_missing = pc.and_(all_missing, result.missing)
        for result in results:
            any_type_error = pc.or_(any_type_error, result.type_error)
        blank_arrow = pc.and_(all_missing, pc.invert(any_type_error))
        any_blank = bool(pc.any(blank_arrow).as_py())
        if self.ambiguous_blank and ordinal and _any_all_empty(batch.columns):
            raise NeedExactPath()
        keep_arrow = pc.invert(blank_arrow)
        for j, (fld, result) in enumerate(zip(self.expected, results, strict=True)):
            column = batch.columns[j]
            if pc.any(result.type_error).as_py():
                idx = indices(pc.and_(result.type_error, keep_arrow))
                self.errors.add("type-error", rows[idx], fld.number, cells=_cells(column, idx),
                                note=f'type is "{fld.type}/default"', ordinal=ordinal)
            for constraint, mask in result.failures:
                if not pc.any(mask).as_py():
                    continue
                idx = indices(pc.and_(pc.and_(mask, keep_arrow), pc.invert(result.type_error)))
                if len(idx):
                    self.errors.add("constraint-error", rows[idx], fld.number, constraint,
                                    cells=_cells(column, idx, absent="None"),
                                    note=_constraint_note(fld, constraint), ordinal=ordinal)
            if fld.name in self.key_fields:
                self.keys[fld.name].append((_unique_nans(result.keys, rows, ordinal), rows,
                                            ordinal))
        keep = (~np.asarray(blank_arrow.to_numpy(zero_copy_only=False), dtype=bool)
                if any_blank else np.ones(n, dtype=bool))
        blank = ~keep
        # Records with fewer or more cells than the header.
        short = np.flatnonzero((counts < width) & keep)
        if len(short):
            lacking = width - counts[short]
            starts = np.repeat(counts[short] + 1, lacking)
            offsets = np.arange(lacking.sum()) - np.repeat(np.cumsum(lacking) - lacking, lacking)
            self.errors.add("missing-cell", np.repeat(rows[short], lacking), starts + offsets,
                            ordinal=ordinal)
        extra_rows, extra_numbers, extra_cells = [], [], []
        for k, extra in batch.extras.items():
            if keep[k]:
                extra_rows += [rows[k]] * len(extra)
                extra_numbers += range(width + 1, width + len(extra) + 1)
                extra_cells += extra
        if extra_rows:
            self.errors.add("extra-cell", extra_rows, np.asarray(extra_numbers),
                            cells=np.asarray(extra_cells, dtype=object), ordinal=ordinal)
        if blank.any():
            self.errors.add("blank-row", rows[blank], None, ordinal=ordinal)


def _unique_nans(keys: pa.Array, rows: np.ndarray, ordinal: bool) -> pa.Array:
    """NaN equals nothing, not even another NaN: give each its own key."""
    is_nan = pc.fill_null(pc.equal(keys, NAN_KEY), False)
    if not pc.any(is_nan).as_py():
        return keys
    own = pc.binary_join_element_wise(NAN_KEY + ("o" if ordinal else "r"),
                                      pc.cast(pa.array(rows), pa.string()), "")
    return pc.if_else(is_nan, own, keys)


def _any_all_empty(columns: list[pa.Array]) -> bool:
    """A row whose every cell is "" may be an empty line (a record with no cells at all)."""
    empty = pc.equal(pc.binary_length(columns[0]), 0)
    for column in columns[1:]:
        empty = pc.and_(empty, pc.equal(pc.binary_length(column), 0))
    return bool(pc.any(empty).as_py())


def _cells(column: pa.Array, idx: np.ndarray, absent: str = "") -> np.ndarray:
    values = pc.take(column, pa.array(idx, pa.int64())).to_pylist()
    return np.asarray([absent if v is None else v for v in values], dtype=object)


def _constraint_note(fld: Field, constraint: str) -> str:
    value = fld.constraints.get(constraint)
    return f'constraint "{constraint}" is "{value}"'


def _fix_ordinals(rows: np.ndarray, odd_numbers: np.ndarray, first: int) -> np.ndarray:
    """Fast-path ordinals -> record numbers, counting back in the records set aside."""
    positions = rows + first
    if len(odd_numbers):
        shifted = np.sort(odd_numbers) - np.arange(len(odd_numbers))
        positions = positions + np.searchsorted(shifted, positions, side="right")
    return positions


def check_table(path: Path, schema: Schema, *, name: str | None = None,
                lookups: dict[str, Any] | None = None, self_name: str | None = None,
                collect: dict[str, list[str]] | None = None,
                dialect_options: dict[str, Any] | None = None) -> TaskResult:
    """Check one CSV or Parquet file. `lookups` holds referenced resources' key sets;
    `collect` asks for the key sets of this resource (for others' foreign keys)."""
    path = Path(path)
    name = name or path.stem
    parquet = path.suffix.lower() == ".parquet"
    if parquet:
        labels, _ = readers.parquet_batches(path, 0)
        labels = [label.strip() for label in labels]
        dialect = None
    else:
        options = dict(dialect_options or {})
        if "encoding" not in options:
            with open(path, "rb") as handle:
                options["encoding"] = detect_encoding(handle.read(BUFFER_SIZE))
        # UTF-8 is validated by Arrow while reading (cheaper than decoding twice); other
        # encodings are decoded by Python first, as frictionless-py does.
        stopped = None
        if options["encoding"] not in ("utf-8", "utf-8-sig") or _bad_utf8(path, options):
            stopped = undecodable(path, options["encoding"])
        if stopped is not None:
            # Check what frictionless-py reads before the undecodable chunk, then say why.
            text, problem = stopped
            scratch = tempfile.TemporaryDirectory()
            readable = Path(scratch.name) / path.name
            readable.write_bytes(text.encode(options["encoding"]))
            result = check_table(readable, schema, name=name, lookups=lookups,
                                 self_name=self_name, collect=collect, dialect_options=options)
            scratch.cleanup()
            result.place = str(path)
            result.task_errors = [{"type": "encoding-error", "note": problem}]
            if not text:
                result.header_errors = []
            return result
        dialect = detect(path, **options)
        if dialect.empty:
            return TaskResult(name, str(path), [], schema.fields, [], ErrorTable().frame(), 0,
                              task_errors=[{"type": "source-error",
                                            "note": "the source is empty"}])
        labels = dialect.labels
    expected = expected_fields(labels, schema)
    by_name = {f.name: f for f in expected}
    key_fields: set[str] = set()
    for f in expected:
        if f.constraints.get("unique"):
            key_fields.add(f.name)
    pk_ok = bool(schema.primary_key) and all(n in by_name for n in schema.primary_key)
    if pk_ok:
        key_fields.update(schema.primary_key)
    fks = [fk for fk in schema.foreign_keys if all(n in by_name for n in fk["fields"])]
    for fk in fks:
        key_fields.update(fk["fields"])
        if fk["resource"] in ("", self_name, name):
            key_fields.update(n for n in fk["reference_fields"] if n in by_name)
    for fields in (collect or {}).values():
        key_fields.update(n for n in fields if n in by_name)

    checker = _run(path, dialect, expected, schema, key_fields, parquet)
    pa.default_memory_pool().release_unused()
    frame = checker.errors.frame()
    ordinal_rows = frame["ordinal"]
    if ordinal_rows.any():
        frame["row"] = frame["row"].copy()
        frame["row"][ordinal_rows] = _fix_ordinals(frame["row"][ordinal_rows],
                                                   checker.odd_numbers, checker.first_record)
    keys = {}
    key_rows = None  # every key field has a value per row: one row-number array serves all
    for fname, parts in checker.keys.items():
        if key_rows is None:
            numbers = [_fix_ordinals(rows, checker.odd_numbers, checker.first_record)
                       if ordinal else rows for _, rows, ordinal in parts]
            key_rows = np.concatenate(numbers) if numbers else np.zeros(0, np.int64)
        arrays = [array for array, _, _ in parts] or [pa.array([], pa.string())]
        parts.clear()
        keys[fname] = (pa.chunked_array(arrays), key_rows)  # chunks kept: no copy
        del arrays
    key_errors = ErrorTable()
    repeats: dict[str, tuple] = {}  # a unique field that is also the primary key: one pass
    for f in expected:
        if f.constraints.get("unique") and f.name in keys:
            repeats[f.name] = _duplicates(*keys[f.name])
            _unique_errors(key_errors, repeats[f.name], f)
    if pk_ok:
        _primary_key_errors(key_errors, [keys[n] for n in schema.primary_key],
                            repeats.get(schema.primary_key[0]) if len(
                                schema.primary_key) == 1 else None)
    task_errors = []
    for fk in fks:
        resource = fk["resource"]
        if resource in ("", self_name, name):
            lookup = _lookup_from(keys, fk["reference_fields"], by_name)
        elif lookups is not None and resource in lookups:
            lookup = lookups[resource].get(tuple(fk["reference_fields"]))
        else:
            task_errors.append({"type": "resource-error",
                                "note": f'failed to handle a foreign key for resource "{name}" '
                                        f'as resource "{resource}" does not exist'})
            continue
        _foreign_key_errors(key_errors, [keys[n] for n in fk["fields"]], lookup, fk)
    more = key_errors.frame()
    errors = {c: np.concatenate([frame[c], more[c]]) for c in frame}
    result = TaskResult(name, str(path), labels, expected, header_errors(labels, schema.fields),
                        _sorted(errors), checker.rows, task_errors)
    if collect:
        result.keys = {tuple(fields): _lookup_from(keys, fields, by_name)
                       for fields in collect.values()}
    return result


def _run(path: Path, dialect: Dialect | None, expected: list[Field], schema: Schema,
         key_fields: set[str], parquet: bool) -> Checker:
    width = len(expected)
    if parquet:
        checker = Checker(expected, schema, False, key_fields)
        _, batches = readers.parquet_batches(path, width)
        for batch in batches:
            checker.feed(batch)
        checker.odd_numbers, checker.first_record = np.zeros(0, np.int64), 0
        return checker
    assert dialect is not None
    cr_tsv = dialect.newline_translation and _has_cr(path)
    fast = not dialect.skip_initial_space and not cr_tsv and width > 0
    if fast:
        checker = Checker(expected, schema, True, key_fields)
        odd = readers.OddRows()
        try:
            for batch in readers.prefetch(readers.fast_batches(path, dialect, width, odd)):
                checker.feed(batch)
            extra = readers.odd_batch(odd, dialect, width, dialect.lines_before_data)
            if extra is not None:
                checker.feed(extra)
            checker.odd_numbers = np.asarray([r for r in extra.records], np.int64) if (
                extra is not None) else np.zeros(0, np.int64)
            checker.first_record = dialect.header_row + 1
            return checker
        except NeedExactPath:
            pass
        except pa.ArrowInvalid as exc:
            # Arrow refuses header-only files; the exact path reads them (no rows).
            if "Empty CSV" not in str(exc) and "Could not skip" not in str(exc):
                raise
    checker = Checker(expected, schema, False, key_fields)
    for batch in readers.exact_batches(path, dialect, width):
        checker.feed(batch)
    checker.odd_numbers, checker.first_record = np.zeros(0, np.int64), 0
    return checker


def _bad_utf8(path: Path, options: dict[str, Any]) -> bool:
    """Whether a UTF-8 file holds invalid bytes (Arrow's validator, 1 GB/s)."""
    carry = b""
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 24), b""):
            data = carry + chunk
            # Keep a character split by the chunk end for the next round.
            cut = len(data)
            for back in range(1, min(4, len(data)) + 1):
                if data[-back] & 0xC0 != 0x80:
                    cut = len(data) - back if data[-back] >= 0xC0 else len(data)
                    break
            carry = data[cut:]
            try:
                pa.array([data[:cut]], pa.binary()).cast(pa.string())
            except pa.ArrowInvalid:
                return True
    return bool(carry)


def _has_cr(path: Path) -> bool:
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 24), b""):
            if b"\r" in chunk:
                return True
    return False


PARTITION_ROWS = 2_000_000


def _duplicates(keys, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """(rows of every repeat after the first, row of the previous occurrence, its key).

    Keys are split by their last character into partitions of about two million, so the
    hash table of one partition is in memory at a time (equal keys share a partition).
    """
    n = len(rows)
    parts = max(1, -(-n // PARTITION_ROWS))
    if parts == 1:
        keys = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
        return _duplicates_in(keys, rows)
    last = pc.dictionary_encode(pc.utf8_slice_codeunits(keys, -1))
    group = np.concatenate([np.asarray(pc.fill_null(chunk.indices, 0).to_numpy(
        zero_copy_only=False)) for chunk in last.chunks]) % parts
    del last
    found = [[], [], []]
    for part in range(parts):
        mask = group == part
        if not mask.any():
            continue
        sub_keys = pc.filter(keys, pa.array(mask)).combine_chunks()
        dup, prev, values = _duplicates_in(sub_keys, rows[mask])
        del sub_keys
        found[0].append(dup)
        found[1].append(prev)
        found[2].extend(values)
    if not found[0]:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), []
    return np.concatenate(found[0]), np.concatenate(found[1]), found[2]


def _duplicates_in(keys: pa.Array, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    encoded = pc.dictionary_encode(keys)
    distinct = len(encoded.dictionary)
    codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False))
    del encoded
    valid = codes >= 0
    if distinct == int(valid.sum()):  # every key once: nothing repeats
        return np.zeros(0, np.int64), np.zeros(0, np.int64), []
    idx = np.flatnonzero(valid)
    order = idx[np.lexsort((rows[idx], codes[idx]))]
    del idx
    sorted_codes = codes[order]
    repeat = sorted_codes[1:] == sorted_codes[:-1]
    dup_pos = order[1:][repeat]
    prev_pos = order[:-1][repeat]
    values = pc.take(keys, pa.array(dup_pos, pa.int64())).to_pylist()
    return rows[dup_pos], rows[prev_pos], values


def _unique_errors(errors: ErrorTable, repeats: tuple, fld: Field) -> None:
    dup, prev, values = repeats
    if len(dup):
        order = np.argsort(dup)
        cells = np.asarray([values[i][2:] for i in order], dtype=object)
        errors.add("unique-error", dup[order], fld.number, cells=cells,
                   note=np.asarray([f"the same as in the row at position {p}"
                                    for p in prev[order]], dtype=object))


def _combined(parts: list[tuple[pa.Array, np.ndarray]]) -> tuple[pa.Array, np.ndarray,
                                                                  np.ndarray]:
    """Composite key text per row (None kept as a value) and the all-None mask."""
    rows = parts[0][1]
    aligned = []
    for keys, own_rows in parts:
        if not np.array_equal(own_rows, rows):
            raise AssertionError("key columns out of step")
        aligned.append(keys)
    if len(aligned) == 1:  # one field: None stays null (no copy); null means all None
        keys = aligned[0]
        return keys, rows, np.asarray(pc.is_null(keys).to_numpy(zero_copy_only=False), bool)
    all_none = np.ones(len(rows), dtype=bool)
    texts = []
    for keys in aligned:
        valid = np.asarray(pc.is_valid(keys).to_numpy(zero_copy_only=False), dtype=bool)
        all_none &= ~valid
        texts.append(pc.fill_null(keys, "\x00None"))
    joined = texts[0] if len(texts) == 1 else pc.binary_join_element_wise(*texts, "\x1f")
    return joined, rows, all_none


def _primary_key_errors(errors: ErrorTable, parts: list[tuple[pa.Array, np.ndarray]],
                        repeats: tuple | None = None) -> None:
    if repeats is not None:  # the single key field's repeats are already known
        rows = parts[0][1]
        all_none = np.asarray(pc.is_null(parts[0][0]).to_numpy(zero_copy_only=False), bool)
    else:
        joined, rows, all_none = _combined(parts)
    if all_none.any():
        errors.add("primary-key", np.sort(rows[all_none]), None,
                   note='cells composing the primary keys are all "None"')
    if repeats is None:
        keep = ~all_none
        repeats = _duplicates(pc.filter(joined, pa.array(keep)), rows[keep])
    dup, prev, _ = repeats
    if len(dup):
        order = np.argsort(dup)
        errors.add("primary-key", dup[order], None,
                   note=np.asarray([f"the same as in the row at position {p}"
                                    for p in prev[order]], dtype=object))


def _lookup_from(keys: dict[str, tuple[pa.Array, np.ndarray]], fields: list[str],
                 by_name: dict[str, Field]) -> pa.Array:
    """The distinct key tuples of these fields (rows whose values are all None left out)."""
    if not all(f in keys for f in fields) or not all(f in by_name for f in fields):
        return pa.array([], pa.string())
    joined, _, all_none = _combined([keys[f] for f in fields])
    has_nan = np.asarray(pc.match_substring(joined, NAN_KEY).to_numpy(zero_copy_only=False),
                         dtype=bool)
    return pc.unique(pc.filter(joined, pa.array(~all_none & ~has_nan)))


def _foreign_key_errors(errors: ErrorTable, parts: list[tuple[pa.Array, np.ndarray]],
                        lookup: pa.Array | None, fk: dict[str, Any]) -> None:
    joined, rows, all_none = _combined(parts)
    lookup = lookup if lookup is not None else pa.array([], pa.string())
    found = np.asarray(pc.fill_null(pc.is_in(joined, value_set=lookup), False)
                       .to_numpy(zero_copy_only=False), dtype=bool)
    bad = ~all_none & ~found
    if bad.any():
        idx = np.flatnonzero(bad)
        order = np.argsort(rows[idx])
        fields = ", ".join(fk["fields"])
        remote = ", ".join(fk["reference_fields"])
        target = fk["resource"] or "self"
        values = [", ".join("None" if part == "\x00None" else part[2:]
                            for part in text.split("\x1f"))
                  for text in pc.take(joined, pa.array(idx[order])).to_pylist()]
        errors.add("foreign-key", rows[idx][order], None,
                   note=np.asarray([f'for "{fields}": values "{v}" not found in the lookup '
                                    f'table "{target}" as "{remote}"' for v in values],
                                   dtype=object))


def _sorted(errors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """By row, then field (row-level errors after the row's cell errors)."""
    errors = {c: v for c, v in errors.items() if c != "ordinal"}
    if not len(errors["row"]):
        return errors
    field_key = np.where(errors["field"] >= 0, errors["field"], np.iinfo(np.int64).max)
    kinds = {"blank-row": 0, "unique-error": 1, "primary-key": 2, "foreign-key": 3}
    kind_key = np.asarray([kinds.get(k, -1) for k in errors["type"]], dtype=np.int64)
    order = np.lexsort((np.arange(len(field_key)), kind_key, field_key, errors["row"]))
    return {c: v[order] for c, v in errors.items()}
