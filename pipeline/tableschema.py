"""Column-at-a-time Table Schema checks: parse text cells into typed columns, report every
cell that fails its type or a constraint, in frictionless-py's error vocabulary.

frictionless-py checks one row at a time in Python; here each field is one vectorised pass
(pyarrow compute), so a national table is checked in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NUMBER_TEXT = r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"
ERROR_COLUMNS = ["row_index", "field_name", "field_number", "type", "constraint", "cell",
                 "message", "pesan"]


@dataclass
class CheckedTable:
    """Typed columns (null where missing or invalid) and one error row per failing cell."""

    values: dict[str, pa.Array]
    errors: pd.DataFrame
    missing: dict[str, pa.Array] = field(default_factory=dict)


def _missing_mask(column: pa.Array, missing_values: list[str]) -> pa.Array:
    mask = pc.is_null(column)
    if missing_values:
        mask = pc.or_(mask, pc.fill_null(pc.is_in(column, pa.array(missing_values)), True))
    return mask


def _indices(mask: pa.Array) -> np.ndarray:
    return np.flatnonzero(np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False)))


def _error_rows(idx: np.ndarray, name: str, number: int, kind: str, constraint: str,
                column: pa.Array, message: str, pesan: str) -> pd.DataFrame:
    cells = pc.take(column, pa.array(idx, pa.int64())).to_pylist() if len(idx) else []
    cells = ["" if c is None else str(c) for c in cells]
    return pd.DataFrame({
        "row_index": idx.astype(np.int64), "field_name": name, "field_number": number,
        "type": kind, "constraint": constraint, "cell": cells,
        "message": [message.replace("{cell}", c) for c in cells],
        "pesan": [pesan.replace("{cell}", c) for c in cells],
    }, columns=ERROR_COLUMNS)


def _parse(column: pa.Array, ftype: str, present: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(typed values, bad mask) for the present cells of a text column."""
    if ftype == "integer":
        # Cheap kernels, no regex: optional sign, then 1-18 ASCII digits.
        trimmed = pc.utf8_trim_whitespace(column)
        plus = pc.starts_with(trimmed, "+")
        signed = pc.or_(plus, pc.starts_with(trimmed, "-"))
        digits = pc.if_else(signed, pc.utf8_slice_codeunits(trimmed, 1), trimmed)
        ok = pc.and_(pc.ascii_is_decimal(digits), pc.less_equal(pc.binary_length(digits), 18))
        bad = pc.and_(present, pc.invert(pc.fill_null(ok, False)))
        text = pc.if_else(plus, pc.utf8_slice_codeunits(trimmed, 1), trimmed)  # cast refuses +
        text = pc.if_else(pc.and_(present, pc.invert(bad)), text, pa.scalar(None, pa.string()))
        return pc.cast(text, pa.int64()), bad
    if ftype == "number":
        ok = pc.match_substring_regex(column, NUMBER_TEXT)
        bad = pc.and_(present, pc.invert(pc.fill_null(ok, False)))
        text = pc.if_else(pc.and_(present, pc.invert(bad)), pc.utf8_trim_whitespace(column),
                          pa.scalar(None, pa.string()))
        text = pc.replace_substring_regex(text, r"^\+", "")  # Arrow's cast refuses a leading +
        return pc.cast(text, pa.float64()), bad
    values = pc.if_else(present, column, pa.scalar(None, pa.string()))
    return values, pa.array(np.zeros(len(column), dtype=bool))


def check_columns(table: pa.Table, schema: dict[str, Any]) -> CheckedTable:
    """Check the columns of `table` (text) named by the schema's fields."""
    missing_values = schema.get("missingValues", [""])
    values: dict[str, pa.Array] = {}
    missing: dict[str, pa.Array] = {}
    frames = []
    n = table.num_rows
    for number, spec in enumerate(schema["fields"], start=1):
        name = spec["name"]
        ftype = spec.get("type", "string")
        constraints = spec.get("constraints", {})
        column = (table.column(name).combine_chunks() if name in table.column_names
                  else pa.nulls(n, pa.string()))
        if not pa.types.is_string(column.type):
            column = pc.cast(column, pa.string())
        absent = _missing_mask(column, missing_values)
        present = pc.invert(absent)
        missing[name] = absent
        typed, bad = _parse(column, ftype, present)
        frames.append(_error_rows(
            _indices(bad), name, number, "type-error", "", column,
            f'Type error in the cell "{{cell}}" in field "{name}": type is "{ftype}"',
            f'Isian "{{cell}}" di kolom "{name}" bukan {_TYPE_ID.get(ftype, ftype)}'))
        valid = pc.and_(present, pc.invert(bad))
        if constraints.get("required"):
            frames.append(_error_rows(
                _indices(absent), name, number, "constraint-error", "required", column,
                f'Field "{name}" is required but the cell is empty or missing',
                f'Kolom "{name}" wajib diisi, tetapi kosong atau tidak ada'))
        for key, op, word, kata in (("minimum", pc.less, "minimum", "kurang dari"),
                                    ("maximum", pc.greater, "maximum", "lebih dari")):
            if key in constraints and ftype in ("integer", "number"):
                limit = constraints[key]
                fails = pc.and_(valid, pc.fill_null(op(typed, limit), False))
                frames.append(_error_rows(
                    _indices(fails), name, number, "constraint-error", key, column,
                    f'The cell "{{cell}}" in field "{name}" does not conform to a constraint: '
                    f'constraint "{word}" is "{limit}"',
                    f'Isian "{{cell}}" di kolom "{name}" {kata} {limit}'))
        if "pattern" in constraints:
            ok = pc.match_substring_regex(column, f"^(?:{constraints['pattern']})$")
            fails = pc.and_(valid, pc.invert(pc.fill_null(ok, False)))
            frames.append(_error_rows(
                _indices(fails), name, number, "constraint-error", "pattern", column,
                f'The cell "{{cell}}" in field "{name}" does not conform to a constraint: '
                f'constraint "pattern" is "{constraints["pattern"]}"',
                f'Isian "{{cell}}" di kolom "{name}" tidak sesuai pola {constraints["pattern"]}'))
        if "enum" in constraints:
            allowed = pa.array(constraints["enum"], typed.type)
            fails = pc.and_(valid, pc.invert(pc.is_in(typed, allowed)))
            frames.append(_error_rows(
                _indices(fails), name, number, "constraint-error", "enum", column,
                f'The cell "{{cell}}" in field "{name}" does not conform to a constraint: '
                f'constraint "enum" is "{constraints["enum"]}"',
                f'Isian "{{cell}}" di kolom "{name}" bukan salah satu dari {constraints["enum"]}'))
        for key, op in (("minLength", pc.less), ("maxLength", pc.greater)):
            if key in constraints:
                fails = pc.and_(valid, pc.fill_null(op(pc.utf8_length(column), constraints[key]),
                                                    False))
                frames.append(_error_rows(
                    _indices(fails), name, number, "constraint-error", key, column,
                    f'The cell "{{cell}}" in field "{name}" does not conform to a constraint: '
                    f'constraint "{key}" is "{constraints[key]}"',
                    f'Panjang isian "{{cell}}" di kolom "{name}" melanggar {key} '
                    f'{constraints[key]}'))
        values[name] = pc.if_else(valid, typed, pa.scalar(None, typed.type))
    frames = [f for f in frames if len(f)]
    errors = (pd.concat(frames, ignore_index=True) if frames
              else pd.DataFrame(columns=ERROR_COLUMNS))
    errors = errors.sort_values(["row_index", "field_number"], kind="stable").reset_index(
        drop=True)
    return CheckedTable(values=values, errors=errors, missing=missing)


_TYPE_ID = {"integer": "bilangan bulat", "number": "angka", "string": "teks"}
