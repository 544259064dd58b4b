"""CSV and XLSX sheets typed by operators: one row per TPS, columns found by their labels.

Operator sheets carry title lines above the header, Indonesian row labels of the form as
headers, `;` as delimiter and Windows-1252 text; the canonical layout uses the field names.
Both go through one path: find the header, map labels to fields, keep every row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..columnar import is_in
from ..issues import Issue
from ..textdecode import detect_encoding, sniff_delimiter, to_utf8
from .context import ReadContext, ReadResult
from .labels import ID_FIELDS, META_FIELDS, HeaderMap, map_header, normalise_label
from .records import Provenance, build_records
from .sources import Source

HEADER_SEARCH_ROWS = 25
HEAD_BYTES = 256 * 1024


@dataclass
class Grid:
    """A sheet as text: header labels, one string array per column, source row numbers."""

    labels: list[str]
    columns: list[pa.Array]
    rows: pa.Array  # int64 row number in the file (header row of the file = its own number)
    bad_rows: list[tuple[int | None, str]]  # rows with the wrong number of cells
    sheet: str = ""
    delimiter: str = ","
    blank_lines: int = 0  # whitespace-only lines the parser set aside


class SheetError(Exception):
    def __init__(self, pesan: str, message: str):
        super().__init__(message)
        self.pesan = pesan
        self.message = message


def find_header(rows: list[list[str]], ctx: ReadContext) -> tuple[int, HeaderMap] | None:
    """The first row, among the first few, whose labels identify the TPS and a form number."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = map_header(row, ctx.nomor_urut, ctx.candidate_names)
        if header.identifies_tps() and header.number_fields():
            return index, header
    return None


# ---------------------------------------------------------------- CSV


def read_csv_grid(source: Source, ctx: ReadContext) -> tuple[Grid, str]:
    encoding, problem = detect_encoding(source.data)
    if encoding is None:
        raise SheetError("berkas biner, bukan tabel teks", f"{problem} file, not a text table")
    if not source.data.strip():
        raise SheetError("berkas kosong", "file is empty")
    try:
        head = source.data[:HEAD_BYTES].decode(encoding, errors="replace").lstrip("\ufeff")
        utf8 = to_utf8(source.data, encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SheetError(f"pengodean {encoding} rusak: {exc}",
                         f"broken {encoding} encoding: {exc}") from None
    head_lines = head.splitlines()
    skip = 0
    delimiter = None
    if head_lines and head_lines[0].lower().startswith("sep=") and len(head_lines[0]) >= 5:
        delimiter = head_lines[0][4]
        skip = 1
    if delimiter is None:
        delimiter = sniff_delimiter("\n".join(head_lines[:HEADER_SEARCH_ROWS + 5]))
    head_rows = list(csv.reader(io.StringIO("\n".join(head_lines[skip:skip + HEADER_SEARCH_ROWS])),
                                delimiter=delimiter))
    found = find_header(head_rows, ctx)
    if found is None:
        raise SheetError(
            "tidak ada baris judul kolom yang memuat kode TPS (atau desa + nomor TPS) dan "
            "angka formulir", "no header row naming the TPS code (or desa + TPS number) and "
            "form numbers")
    header_index, _ = found
    labels = head_rows[header_index]
    header_rows = skip + header_index + 1  # rows before the data
    table, bad = _read_rows(utf8, delimiter, header_rows, len(labels), threaded=True)
    if bad and any(number is None for number, _ in bad):
        table, bad = _read_rows(utf8, delimiter, header_rows, len(labels), threaded=False)
    n = table.num_rows
    # Row number in the file: the header is row `header_rows`; rows with the wrong number of
    # cells were taken out by the parser, so count them back in.
    positions = np.arange(n, dtype=np.int64) + header_rows + 1
    bad_numbers = sorted(number for number, _ in bad if number is not None)
    blank_lines = sum(1 for _, text in bad if not text.strip())
    bad = [(number, text) for number, text in bad if text.strip()]
    if bad_numbers:
        positions += np.searchsorted(np.array(bad_numbers) - np.arange(len(bad_numbers)),
                                     positions, side="right")
    columns = [table.column(i).combine_chunks() for i in range(len(labels))]
    return Grid(labels, columns, pa.array(positions), bad, delimiter=delimiter,
                blank_lines=blank_lines), encoding


def _read_rows(utf8: bytes, delimiter: str, skip_rows: int, width: int,
               threaded: bool) -> tuple[pa.Table, list[tuple[int | None, str]]]:
    bad: list[tuple[int | None, str]] = []

    def on_invalid(row):
        bad.append((row.number, row.text))
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(utf8),
            read_options=pacsv.ReadOptions(use_threads=threaded, skip_rows=skip_rows,
                                           column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                              ignore_empty_lines=False,
                                              invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError) as exc:
        raise SheetError(f"CSV tidak dapat diurai: {exc}", f"CSV cannot be parsed: {exc}") from None
    return table, bad


# ---------------------------------------------------------------- XLSX


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def read_xlsx_grids(source: Source, ctx: ReadContext) -> list[Grid]:
    """Every sheet of a workbook that has a recognisable header."""
    import openpyxl  # imported here: only XLSX inputs pay for it

    _check_container(source.data, ctx.election.limits.max_file_bytes)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True,
                                          data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise SheetError(f"XLSX rusak atau bukan XLSX: {exc}",
                         f"corrupt or not an XLSX workbook: {exc}") from None
    grids = []
    try:
        for sheet in workbook.worksheets:
            try:
                rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            except Exception as exc:
                raise SheetError(f"lembar {sheet.title!r} rusak: {exc}",
                                 f"sheet {sheet.title!r} is corrupt: {exc}") from None
            found = find_header(rows, ctx)
            if found is None:
                continue
            header_index, _ = found
            labels = rows[header_index]
            # openpyxl pads rows to the sheet's width: the header ends at its last label.
            width = max(i for i, label in enumerate(labels) if label) + 1
            labels = labels[:width]
            kept, numbers, bad = [], [], []
            for number, row in enumerate(rows[header_index + 1:], start=header_index + 2):
                if any(row[width:]):
                    bad.append((number, ";".join(row).rstrip(";")))
                else:
                    kept.append(row)
                    numbers.append(number)
            columns = [pa.array([row[i] if i < len(row) else "" for row in kept], pa.string())
                       for i in range(width)]
            grids.append(Grid(labels, columns, pa.array(numbers, pa.int64()), bad,
                              sheet=sheet.title, delimiter=";"))
    finally:
        workbook.close()
    if not grids:
        raise SheetError("tidak ada lembar dengan baris judul kolom yang memuat kode TPS dan "
                         "angka formulir", "no sheet with a header row naming the TPS code and "
                         "form numbers")
    return grids


def _check_container(data: bytes, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise SheetError(f"XLSX rusak (bukan arsip zip): {exc}",
                         f"corrupt XLSX (not a zip container): {exc}") from None
    if total > max_bytes or (total > 50_000_000 and total > 100 * len(data)):
        raise SheetError(f"isi XLSX terlalu besar setelah dibuka ({total} byte)",
                         f"XLSX expands to {total} bytes: refused (decompression bomb?)")


# ---------------------------------------------------------------- grid -> records


def _strip(array: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(array)


def _normalise_kode(array: pa.Array) -> pa.Array:
    """Operators write codes with dots or spaces (73.22.01.2001.001): keep the digits."""
    return pc.replace_substring_regex(_strip(array), r"[\s.\-]", "")


def _tps_from_desa(grid: Grid, header: HeaderMap, ctx: ReadContext) -> tuple[pa.Array, pa.Array]:
    """kode_tps from a desa (code or name, within its kecamatan) and a TPS number column."""
    n = len(grid.rows)
    nomor = pd.Series(_strip(grid.columns[header.columns["nomor_tps"]]).to_pylist())
    number = pd.to_numeric(nomor.str.extract(r"^(?:tps\s*)?0*([0-9]{1,3})$", flags=re.I)[0],
                           errors="coerce")
    if "kode_desa" in header.columns:
        desa = pd.Series(_normalise_kode(grid.columns[header.columns["kode_desa"]]).to_pylist())
        kode_desa = desa.where(is_in(desa, ctx.regions.desa_codes))
        reason = "kode desa {} tidak ada di daftar wilayah"
        reason_en = "desa code {} is not in the region master"
        shown = desa
    else:
        areas = ctx.regions.areas
        desa_rows = areas[areas["tingkat"] == 4]
        kec_names = areas[areas["tingkat"] == 3].set_index("kode")["nama"].map(normalise_label)
        desa_norm = desa_rows["nama"].map(normalise_label)
        kec_norm = desa_rows["kode_induk"].map(kec_names).fillna("")
        names = pd.Series(grid.columns[header.columns["nama_desa"]].to_pylist()).map(
            normalise_label)
        shown = pd.Series(grid.columns[header.columns["nama_desa"]].to_pylist())
        if "nama_kecamatan" in header.columns:
            kec = pd.Series(grid.columns[header.columns["nama_kecamatan"]].to_pylist()).map(
                normalise_label)
            lookup = pd.Series(desa_rows["kode"].values, index=kec_norm + "|" + desa_norm)
            lookup = lookup[~lookup.index.duplicated(keep=False)]
            kode_desa = (kec + "|" + names).map(lookup)
        else:
            lookup = pd.Series(desa_rows["kode"].values, index=desa_norm)
            lookup = lookup[~lookup.index.duplicated(keep=False)]
            kode_desa = names.map(lookup)
        reason = "desa {} tidak ditemukan (atau namanya ganda) di daftar wilayah"
        reason_en = "desa {} not found (or its name is ambiguous) in the region master"
    kode = kode_desa + number.map(lambda v: f"{int(v):03d}" if pd.notna(v) else None)
    notes = []
    notes_en = []
    for i in range(n):
        if pd.isna(kode_desa.iloc[i]):
            notes.append(reason.format(repr(shown.iloc[i])))
            notes_en.append(reason_en.format(repr(shown.iloc[i])))
        elif pd.isna(number.iloc[i]):
            notes.append(f"nomor TPS {nomor.iloc[i]!r} tidak dapat dibaca")
            notes_en.append(f"TPS number {nomor.iloc[i]!r} cannot be read")
        else:
            notes.append("")
            notes_en.append("")
    return pa.array(kode.where(kode.notna(), None).tolist(), pa.string()), pa.array(
        list(zip(notes, notes_en, strict=True)), pa.list_(pa.string()))


def grid_records(grid: Grid, source: Source, ctx: ReadContext, reader: str,
                 result: ReadResult) -> pa.Table | None:
    """Records of one sheet; file-level faults make the whole sheet rejected (reported)."""
    header = map_header(grid.labels, ctx.nomor_urut, ctx.candidate_names)
    where = f" (lembar {grid.sheet!r})" if grid.sheet else ""
    where_en = f" (sheet {grid.sheet!r})" if grid.sheet else ""

    def file_issue(severity: str, rule: str, pesan: str, message: str, fields: str = "") -> None:
        result.issues.append(Issue(file=source.file, member=source.member, severity=severity,
                                   rule=rule, fields=fields, message=pesan + where,
                                   message_en=message + where_en))

    if header.duplicates:
        dup = "; ".join(f"{name} (kolom {a + 1} dan {b + 1})" for name, a, b in header.duplicates)
        dup_en = "; ".join(f"{name} (columns {a + 1} and {b + 1})"
                           for name, a, b in header.duplicates)
        file_issue("rejected", "duplicate-label", f"kolom ganda: {dup}; lembar tidak dibaca",
                   f"duplicate columns: {dup_en}; sheet not read",
                   ";".join(d[0] for d in header.duplicates))
        return None
    known = set(ctx.form_fields) | set(ID_FIELDS) | set(META_FIELDS)
    strangers = [f for f in header.columns if f not in known]
    if strangers:
        file_issue("rejected", "unknown-paslon",
                   f"kolom untuk paslon yang tidak terdaftar: {', '.join(strangers)}; lembar "
                   "tidak dibaca", f"columns for paslon not in the candidate list: "
                   f"{', '.join(strangers)}; sheet not read", ";".join(strangers))
        return None
    unlabelled = [i for i, label in enumerate(grid.labels) if not str(label).strip()
                  and len(grid.rows) and pc.any(pc.greater(pc.utf8_length(_strip(
                      grid.columns[i])), 0)).as_py()]
    if unlabelled:
        listed = ", ".join(str(i + 1) for i in unlabelled)
        file_issue("warning", "blank-label",
                   f"kolom tanpa judul berisi data, diabaikan: kolom {listed}",
                   f"columns without a header hold data, ignored: column {listed}")
    if header.unknown:
        listed = ", ".join(repr(label) for _, label in header.unknown)
        file_issue("info", "extra-label", f"kolom tidak dikenal diabaikan: {listed}",
                   f"unknown columns ignored: {listed}")
    absent = [f for f in ctx.form_fields if f not in header.columns]
    if absent:
        file_issue("info", "missing-label",
                   f"kolom tidak ada (dianggap tidak diisi, bukan nol): {', '.join(absent)}",
                   f"columns absent (treated as missing, not zero): {', '.join(absent)}",
                   ";".join(absent))

    stripped = {name: _strip(grid.columns[index]) for name, index in header.columns.items()}
    values = {name: cells for name, cells in stripped.items()
              if name not in ID_FIELDS and name not in ("waktu", "operator", "alasan")}
    n = len(grid.rows)
    status = note = note_en = None
    if "kode_tps" in header.columns:
        kode = _normalise_kode(stripped["kode_tps"])
    else:
        kode, reasons = _tps_from_desa(grid, header, ctx)
        pairs = reasons.to_pylist()
        status = pa.array(["rejected" if p else "ok" for p, _ in pairs], pa.string())
        note = pa.array([p for p, _ in pairs], pa.string())
        note_en = pa.array([m for _, m in pairs], pa.string())
    values["kode_tps"] = kode
    waktu = stripped.get("waktu")
    if "operator" in stripped and note is None:
        # A reviewed form (c1 review apply): who checked it, and why it changed.
        who = pc.fill_null(stripped["operator"], "")
        why = pc.fill_null(stripped.get("alasan", pa.nulls(n, pa.string())), "")
        note = pc.binary_join_element_wise("diperiksa oleh ", who, ": ", why, "")
        note_en = pc.binary_join_element_wise("reviewed by ", who, ": ", why, "")

    # Blank rows are not submissions: drop them, say how many.
    nonblank = pc.invert(_all_blank(list(stripped.values()), n))
    blank_count = n - pc.sum(nonblank).as_py() if n else 0
    if blank_count or grid.blank_lines:
        blank_count += grid.blank_lines
        file_issue("info", "blank-row", f"{blank_count} baris kosong dilewati",
                   f"{blank_count} blank rows skipped")
    table = build_records(
        ctx.form_fields, Provenance(source.file, source.member, source.sha256, reader, grid.sheet),
        n, values, source_row=grid.rows, status=status, note=note, note_en=note_en, waktu=waktu)
    table = table.filter(nonblank) if n and not pc.all(nonblank).as_py() else table
    if grid.bad_rows:
        table = pa.concat_tables([table, _bad_row_records(grid, source, ctx, reader)])
    return table


def _all_blank(stripped: list[pa.Array], n: int) -> pa.Array:
    if not stripped or n == 0:
        return pa.array([False] * n, pa.bool_())
    blank = pc.equal(pc.utf8_length(stripped[0]), 0)
    for cells in stripped[1:]:
        blank = pc.and_(blank, pc.equal(pc.utf8_length(cells), 0))
    return blank


def _bad_row_records(grid: Grid, source: Source, ctx: ReadContext, reader: str) -> pa.Table:
    """Rows with the wrong number of cells: kept as rejected records, with their raw text."""
    width = len(grid.labels)
    rows, notes, notes_en, kodes = [], [], [], []
    for number, text in grid.bad_rows:
        cells = next(csv.reader([text], delimiter=grid.delimiter), [])
        rows.append(number)
        kode = next((re.sub(r"[\s.\-]", "", c) for c in cells
                     if re.fullmatch(r"[0-9][0-9.\s\-]{11,}", c.strip())), None)
        kodes.append(kode)
        notes.append(f"baris berisi {len(cells)} sel, judul kolom {width}: {text[:300]!r}")
        notes_en.append(f"row has {len(cells)} cells, the header {width}: {text[:300]!r}")
    n = len(rows)
    return build_records(
        ctx.form_fields, Provenance(source.file, source.member, source.sha256, reader, grid.sheet),
        n, {"kode_tps": pa.array(kodes, pa.string())}, source_row=pa.array(rows, pa.int64()),
        status=pa.array(["rejected"] * n, pa.string()), note=pa.array(notes, pa.string()),
        note_en=pa.array(notes_en, pa.string()))


def read_tabular(source: Source, ctx: ReadContext, kind: str) -> ReadResult:
    result = ReadResult(format=kind)
    try:
        if kind == "csv":
            grid, encoding = read_csv_grid(source, ctx)
            result.encoding = encoding
            grids = [grid]
        else:
            grids = read_xlsx_grids(source, ctx)
    except SheetError as exc:
        result.rejected, result.pesan, result.message = True, exc.pesan, exc.message
        return result
    tables = [t for g in grids if (t := grid_records(g, source, ctx, kind, result)) is not None]
    if not tables:
        result.rejected = True
        result.pesan = "tidak ada lembar yang dapat dibaca"
        result.message = "no readable sheet"
        return result
    result.records = pa.concat_tables(tables)
    return result
