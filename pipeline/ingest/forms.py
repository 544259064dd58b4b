"""Photographed, scanned and PDF C1 forms in the raw folder: grouped by TPS (the code
that starts a file's name, or its folder), read with `c1 read-form`'s code, gated.

A form whose every number is accepted becomes a submission like any sheet row. A form
with anything not accepted becomes a submission *waiting for review*: it carries no
numbers (nothing unverified is published), counts as not received, and its readings and
box crops go to the review queue (`c1 review`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path, PurePosixPath

import pyarrow as pa

from ..forms.load import FORM_SUFFIXES, load_pages, tps_code_of
from ..forms.read import FormRead, read_form
from ..forms.review import write_queue
from ..forms.templates import all_templates
from ..hashing import sha256_bytes
from ..issues import Issue
from .context import ReadContext
from .records import Provenance, build_records
from .sources import Source, SourceEntry

READER = "formulir"


def is_form_file(source: Source) -> bool:
    return source.suffix in FORM_SUFFIXES


def _where(source: Source) -> PurePosixPath:
    return PurePosixPath(source.file) / source.member if source.member else PurePosixPath(
        source.file)


def read_form_sources(sources: list[Source], ctx: ReadContext, review_dir: Path,
                      reviewed: set[str] | None = None
                      ) -> tuple[list[pa.Table], list[Issue], list[SourceEntry]]:
    """Read every form file; returns records, issues and one sources-table entry per file.
    Forms of TPS in `reviewed` (a person's correction is in the raw folder) leave the queue."""
    groups: dict[str, list[Source]] = defaultdict(list)
    tables: list[pa.Table] = []
    issues: list[Issue] = []
    entries: list[SourceEntry] = []
    for source in sources:
        kode = tps_code_of(Path(str(_where(source))))
        if kode is None:
            pesan = "nama berkas atau foldernya tidak memuat kode TPS (13 angka)"
            message = "neither the file name nor its folder holds a TPS code (13 digits)"
            issues.append(Issue(file=source.file, member=source.member, severity="rejected",
                                rule="unreadable", message=f"berkas ditolak: {pesan}",
                                message_en=f"file rejected: {message}"))
            entries.append(SourceEntry(source.file, source.member, source.sha256,
                                       len(source.data), source.suffix[1:], "rejected", 0,
                                       pesan, message))
            continue
        groups[kode].append(source)
    templates = all_templates()
    master = ctx.regions.tps.set_index("kode")["dpt"] if "dpt" in ctx.regions.tps else None
    queue: list[FormRead] = []
    for kode in sorted(groups):
        files = sorted(groups[kode], key=lambda s: (s.file, s.member))
        pages = []
        for source in files:
            pages.extend(load_pages(Path(str(_where(source))), source.data))
        dpt = None
        if master is not None and kode in master.index and master[kode] == master[kode]:
            dpt = float(master[kode])
        form = read_form(pages, templates, kode, dpt)
        tables.append(_record(form, files, ctx))
        if not form.accepted and kode not in (reviewed or set()):
            queue.append(form)
        verdict = ("diterima" if form.accepted else "menunggu pemeriksaan")
        verdict_en = ("accepted" if form.accepted else "waiting for review")
        for i, source in enumerate(files):
            entries.append(SourceEntry(
                source.file, source.member, source.sha256, len(source.data),
                "pdf" if source.suffix == ".pdf" else "foto", "read", int(i == 0),
                f"formulir TPS {kode}: {verdict}", f"form of TPS {kode}: {verdict_en}"))
    write_queue(review_dir, queue, ctx.regions)
    return tables, issues, entries


def _record(form: FormRead, files: list[Source], ctx: ReadContext) -> pa.Table:
    first = files[0]
    digest = sha256_bytes("\n".join(s.sha256 for s in files).encode())
    values: dict[str, pa.Array] = {"kode_tps": pa.array([form.kode_tps])}
    if form.accepted:
        for name in ctx.form_fields:
            field = form.fields.get(name)
            values[name] = pa.array([None if field is None or field.value is None
                                     else str(field.value)], pa.string())
        status, note, note_en = "ok", "", ""
    else:
        status = "incomplete"
        waiting = sum(1 for f in form.fields.values() if not f.accepted)
        note = (f"formulir foto/pindaian menunggu pemeriksaan petugas ({waiting} angka belum "
                "terverifikasi); angkanya belum diterbitkan")
        note_en = (f"photographed/scanned form waiting for review ({waiting} numbers not "
                   "verified); its numbers are not published yet")
    images = ";".join(str(_where(s)) for s in files)
    provenance = Provenance(first.file, first.member, digest, READER)
    return build_records(ctx.form_fields, provenance, 1, values,
                         status=pa.array([status]), note=pa.array([note]),
                         note_en=pa.array([note_en]), images=pa.array([images]))
