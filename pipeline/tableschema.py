"""Table Schema checks for the pipeline's validate stage, on the `c1 check` engine.

One implementation: the same field readers (`pipeline.check.fields`) that give
frictionless-py's answers in `c1 check` type and check the submissions here, and their
errors come out in frictionless-py's vocabulary with an Indonesian message beside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .check.fields import Field, check_field, indices

ERROR_COLUMNS = ["row_index", "field_name", "field_number", "type", "constraint", "cell",
                 "message", "pesan"]
TYPE_ID = {"integer": "bilangan bulat", "number": "angka", "string": "teks",
           "boolean": "benar/salah", "date": "tanggal", "datetime": "tanggal-waktu",
           "year": "tahun"}
CONSTRAINT_ID = {"required": "wajib diisi", "minimum": "kurang dari", "maximum": "lebih dari",
                 "exclusiveMinimum": "tidak lebih dari", "exclusiveMaximum": "tidak kurang dari",
                 "minLength": "lebih pendek dari", "maxLength": "lebih panjang dari",
                 "pattern": "tidak sesuai pola", "enum": "bukan salah satu dari"}


@dataclass
class CheckedTable:
    """Typed columns (null where missing or invalid) and one error row per failing cell."""

    values: dict[str, pa.Array]
    errors: pd.DataFrame
    missing: dict[str, np.ndarray] = field(default_factory=dict)


def _messages(fld: Field, kind: str, constraint: str, cells: list[str]) -> tuple[list, list]:
    name = fld.name
    if kind == "type-error":
        return ([f'Type error in the cell "{c}" in field "{name}": type is "{fld.type}/default"'
                 for c in cells],
                [f'Isian "{c}" di kolom "{name}" bukan {TYPE_ID.get(fld.type, fld.type)}'
                 for c in cells])
    if constraint == "required":
        return ([f'Field "{name}" is required but the cell is empty or missing'] * len(cells),
                [f'Kolom "{name}" wajib diisi, tetapi kosong atau tidak ada'] * len(cells))
    value = fld.constraints.get(constraint)
    return ([f'The cell "{c}" in field "{name}" does not conform to a constraint: constraint '
             f'"{constraint}" is "{value}"' for c in cells],
            [f'Isian "{c}" di kolom "{name}" {CONSTRAINT_ID.get(constraint, constraint)} {value}'
             for c in cells])


def check_columns(table: pa.Table, schema: dict[str, Any]) -> CheckedTable:
    """Check the text columns of `table` named by the schema (an absent column: all missing)."""
    missing_values = tuple(schema.get("missingValues", [""]))
    values: dict[str, pa.Array] = {}
    missing: dict[str, np.ndarray] = {}
    frames = []
    n = table.num_rows
    for number, spec in enumerate(schema["fields"], start=1):
        fld = Field.from_descriptor(spec, number, missing_values)
        column = (table.column(fld.name).combine_chunks() if fld.name in table.column_names
                  else pa.nulls(n, pa.string()))
        result = check_field(column, fld)
        missing[fld.name] = np.asarray(result.missing.to_numpy(zero_copy_only=False), bool)
        bad = [("type-error", "", result.type_error)]
        bad += [("constraint-error", c, pc.and_(mask, pc.invert(result.type_error)))
                for c, mask in result.failures]
        for kind, constraint, mask in bad:
            idx = indices(mask)
            if not len(idx):
                continue
            cells = ["" if c is None else c
                     for c in pc.take(column, pa.array(idx, pa.int64())).to_pylist()]
            message, pesan = _messages(fld, kind, constraint, cells)
            frames.append(pd.DataFrame({
                "row_index": idx.astype(np.int64), "field_name": fld.name,
                "field_number": number, "type": kind, "constraint": constraint, "cell": cells,
                "message": message, "pesan": pesan}, columns=ERROR_COLUMNS))
        ok = pc.invert(pc.or_(result.missing, result.type_error))
        typed = result.values if result.values is not None else column
        values[fld.name] = pc.if_else(ok, typed, pa.scalar(None, typed.type))
    errors = (pd.concat(frames, ignore_index=True) if frames
              else pd.DataFrame(columns=ERROR_COLUMNS))
    errors = errors.sort_values(["row_index", "field_number"], kind="stable").reset_index(
        drop=True)
    return CheckedTable(values=values, errors=errors, missing=missing)
