"""Ingest: every input file of the raw folder -> one records table with provenance.

One reader per format; a file that cannot be read becomes a report entry, never a crash,
and the rest of the run goes on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd
import pyarrow as pa

from ..config import Election
from ..fields import form_fields
from ..forms.review import CORRECTIONS
from ..hashing import sha256_bytes, sha256_file
from ..issues import Issue, issues_frame
from ..regions import RegionMaster
from ..workdir import Track, WorkDir, no_progress, write_parquet
from .context import ReadContext, ReadResult
from .forms import is_form_file, read_form_sources
from .records import empty_records
from .sirekap import read_sirekap
from .sources import ArchiveError, Source, SourceEntry, input_files, open_archive
from .tabular import read_tabular

TABULAR = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}


@dataclass
class IngestSummary:
    files: int
    sources: int
    records: int
    rejected_sources: int


def read_source(source: Source, ctx: ReadContext) -> ReadResult:
    """Dispatch one file (or archive member) to its reader; any failure becomes a result."""
    suffix = source.suffix
    try:
        if suffix in TABULAR:
            return read_tabular(source, ctx, TABULAR[suffix])
        if suffix == ".json":
            return read_sirekap(source, ctx)
    except Exception as exc:  # a reader bug must not stop the run: report it with the file
        return ReadResult(format=TABULAR.get(suffix, "json"), rejected=True,
                          pesan=f"galat pembaca ({type(exc).__name__}: {exc})",
                          message=f"reader failure ({type(exc).__name__}: {exc})")
    if suffix == ".xls":
        return ReadResult(format="xls", rejected=True,
                          pesan="format Excel lama (.xls) tidak didukung: simpan sebagai .xlsx",
                          message="old Excel format (.xls) not supported: save as .xlsx")
    return ReadResult(format="unknown", rejected=True,
                      pesan=f"format berkas tidak dikenal ({suffix or 'tanpa ekstensi'})",
                      message=f"unknown file format ({suffix or 'no extension'})")


def _consume(source: Source, ctx: ReadContext, entries: list[SourceEntry],
             issues: list[Issue], tables: list[pa.Table], forms: list[Source]) -> None:
    if is_form_file(source):  # read per TPS once every page is known (any file order)
        forms.append(source)
        return
    result = read_source(source, ctx)
    issues.extend(result.issues)
    count = 0 if result.records is None else result.records.num_rows
    if result.rejected:
        issues.append(Issue(file=source.file, member=source.member, severity="rejected",
                            rule="unreadable", message=f"berkas ditolak: {result.pesan}",
                            message_en=f"file rejected: {result.message}"))
    elif result.records is not None:
        tables.append(result.records)
    entries.append(SourceEntry(source.file, source.member, source.sha256, len(source.data),
                               result.format, "rejected" if result.rejected else "read", count,
                               result.pesan or ("" if result.rejected else f"{count} kiriman"),
                               result.message or ("" if result.rejected
                                                  else f"{count} submissions")))


def _reviewed(tables: list[pa.Table]) -> set[str]:
    """TPS with a person's correction in the raw folder (`c1 review apply`)."""
    out: set[str] = set()
    for table in tables:
        files = table.column("source_file").to_pylist()
        if files and str(files[0]).startswith(f"{CORRECTIONS}/"):
            out.update(k for k in table.column("kode_tps").to_pylist() if k)
    return out


def ingest(election: Election, regions: RegionMaster, work: WorkDir,
           track: Track = no_progress) -> IngestSummary:
    """Read every input of the raw folder into work/records (records, sources, issues)."""
    fields = form_fields(election.nomor_urut)
    ctx = ReadContext(election=election, regions=regions, form_fields=fields)
    raw = election.raw_dir
    files = input_files(raw, exclude={election.config_path, election.regions_file})
    entries: list[SourceEntry] = []
    issues: list[Issue] = []
    tables: list[pa.Table] = []
    forms: list[Source] = []
    limit = election.limits.max_file_bytes
    for path in track(files, "ingest", len(files)):
        rel = path.relative_to(raw).as_posix()
        size = path.stat().st_size
        if size > limit:
            pesan = f"ukuran {size} byte melebihi batas {limit} (limits.max_file_mb)"
            message = f"size {size} bytes exceeds the limit {limit} (limits.max_file_mb)"
            issues.append(Issue(file=rel, severity="rejected", rule="file-too-large",
                                message=f"berkas ditolak: {pesan}",
                                message_en=f"file rejected: {message}"))
            entries.append(SourceEntry(rel, "", sha256_file(path), size, "unknown", "rejected", 0,
                                       pesan, message))
            continue
        data = path.read_bytes()
        digest = sha256_bytes(data)
        if path.suffix.lower() == ".zip":
            member_entries: list[SourceEntry] = []
            before = len(tables)
            try:
                for member in open_archive(rel, data, limit, issues, member_entries):
                    _consume(member, ctx, member_entries, issues, tables, forms)
            except ArchiveError as exc:
                issues.append(Issue(file=rel, severity="rejected", rule="unreadable",
                                    message=f"berkas ditolak: {exc.pesan}",
                                    message_en=f"file rejected: {exc.message}"))
                entries.append(SourceEntry(rel, "", digest, size, "zip", "rejected", 0,
                                           exc.pesan, exc.message))
                continue
            count = sum(t.num_rows for t in tables[before:])
            entries.append(SourceEntry(rel, "", digest, size, "zip", "read", count,
                                       f"arsip: {len(member_entries)} anggota, {count} kiriman",
                                       f"archive: {len(member_entries)} members, "
                                       f"{count} submissions"))
            entries.extend(member_entries)
            continue
        _consume(Source(rel, "", data, digest), ctx, entries, issues, tables, forms)
    form_tables, form_issues, form_entries = read_form_sources(
        forms, ctx, work.stage("review"), _reviewed(tables))
    tables.extend(form_tables)
    issues.extend(form_issues)
    entries.extend(form_entries)

    records = pa.concat_tables(tables) if tables else empty_records(fields)
    out = work.stage("records")
    write_parquet(records, out / "records.parquet")
    write_parquet(pd.DataFrame([asdict(e) for e in entries],
                               columns=list(SourceEntry.__dataclass_fields__)),
                  out / "sources.parquet")
    write_parquet(issues_frame(issues), out / "issues.parquet")
    return IngestSummary(files=len(files), sources=len(entries), records=records.num_rows,
                         rejected_sources=sum(e.status == "rejected" for e in entries))
