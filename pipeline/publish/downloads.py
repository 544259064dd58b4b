"""The downloads: CSV and Parquet per level, one SQLite database that opens in Datasette."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..csvwrite import write_csv

ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
               "boolean": pa.bool_()}
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def to_table(frame: pd.DataFrame, schema: dict[str, Any]) -> pa.Table:
    """The frame as Arrow with exactly the schema's columns and types (stable bytes)."""
    fields = [pa.field(f["name"], ARROW_TYPES[f.get("type", "string")]) for f in schema["fields"]]
    arrays = []
    for field in fields:
        series = frame[field.name]
        if pa.types.is_string(field.type):
            series = series.astype(object).where(series.notna(), None)
        arrays.append(pa.array(series, type=field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def write_table_files(table: pa.Table, folder: Path, name: str) -> list[str]:
    write_csv(table, folder / f"{name}.csv")
    pq.write_table(table, folder / f"{name}.parquet", compression="zstd")
    return [f"{name}.csv", f"{name}.parquet"]


def write_sqlite(tables: list[tuple[str, pa.Table, dict[str, Any]]], path: Path) -> None:
    """One table per level, primary key kode, foreign keys to the parent level."""
    if path.exists():
        path.unlink()
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        for name, table, schema in tables:
            columns = []
            for field in schema["fields"]:
                column = f'"{field["name"]}" {SQL_TYPES[field.get("type", "string")]}'
                columns.append(column)
            keys = schema.get("primaryKey")
            if keys:
                columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in keys) + ")")
            for fk in schema.get("foreignKeys", []):
                ref = fk["reference"]
                columns.append(f'FOREIGN KEY ("{fk["fields"]}") REFERENCES '
                               f'"{ref["resource"]}" ("{ref["fields"]}")')
            connection.execute(f'CREATE TABLE "{name}" ({", ".join(columns)})')
            placeholders = ", ".join("?" * table.num_columns)
            batch_rows = 50_000
            for start in range(0, table.num_rows, batch_rows):
                chunk = table.slice(start, batch_rows)
                rows = zip(*(chunk.column(i).to_pylist() for i in range(chunk.num_columns)),
                           strict=True)
                connection.executemany(f'INSERT INTO "{name}" VALUES ({placeholders})', rows)
            if "kode_induk" in table.column_names:
                connection.execute(f'CREATE INDEX "{name}_kode_induk" ON "{name}" (kode_induk)')
        connection.commit()
    finally:
        connection.close()
