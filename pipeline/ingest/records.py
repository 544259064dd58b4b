"""The records table: one row per submission, every form field as the text that was read.

Values stay text here so that the validate stage can report the exact cell ("12a", "-3")
that failed; provenance columns say where each row came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

META_COLUMNS = ["submission_id", "source_file", "source_member", "source_sheet", "source_row",
                "source_sha256", "source_images", "reader", "waktu", "ingest_status",
                "ingest_note", "ingest_note_en"]
# ingest_status: ok | incomplete (Sirekap not yet digitised: counts as not received) |
# rejected (structurally unusable row: never used)
INGEST_STATUSES = ("ok", "incomplete", "rejected")


def record_columns(form_fields: list[str]) -> list[str]:
    return [*META_COLUMNS, "kode_tps", "revisi", *form_fields]


def record_schema(form_fields: list[str]) -> pa.Schema:
    types = {"source_row": pa.int64()}
    return pa.schema([(name, types.get(name, pa.string()))
                      for name in record_columns(form_fields)])


@dataclass
class Provenance:
    file: str
    member: str
    sha256: str
    reader: str
    sheet: str = ""


def _constant(value: str | None, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(value, pa.string()), n)


def build_records(form_fields: list[str], provenance: Provenance, n: int,
                  values: dict[str, pa.Array], source_row: pa.Array | None = None,
                  status: pa.Array | None = None, note: pa.Array | None = None,
                  note_en: pa.Array | None = None, waktu: pa.Array | None = None,
                  images: pa.Array | None = None) -> pa.Table:
    """Assemble a records table; absent fields are null (missing), never zero."""
    schema = record_schema(form_fields)
    rows = source_row if source_row is not None else pa.nulls(n, pa.int64())
    rows_text = pc.fill_null(pc.cast(rows, pa.string()), "")
    parts = [_constant(provenance.file, n), _constant(provenance.member, n),
             _constant(provenance.sheet, n), rows_text]
    submission_id = pc.binary_join_element_wise(*parts, "|")
    columns: dict[str, pa.Array] = {
        "submission_id": submission_id,
        "source_file": _constant(provenance.file, n),
        "source_member": _constant(provenance.member, n),
        "source_sheet": _constant(provenance.sheet, n),
        "source_row": rows,
        "source_sha256": _constant(provenance.sha256, n),
        # Scan or photo links of the form (http(s) URLs only), ";"-separated.
        "source_images": images if images is not None else _constant("", n),
        "reader": _constant(provenance.reader, n),
        "waktu": waktu if waktu is not None else pa.nulls(n, pa.string()),
        "ingest_status": status if status is not None else _constant("ok", n),
        "ingest_note": note if note is not None else _constant("", n),
        "ingest_note_en": note_en if note_en is not None else _constant("", n),
    }
    arrays = []
    for field in schema:
        if field.name in columns:
            arrays.append(columns[field.name])
        elif field.name in values:
            arrays.append(pc.cast(values[field.name], pa.string()))
        else:
            arrays.append(pa.nulls(n, pa.string()))
    return pa.Table.from_arrays(arrays, schema=schema)


def empty_records(form_fields: list[str]) -> pa.Table:
    return record_schema(form_fields).empty_table()
