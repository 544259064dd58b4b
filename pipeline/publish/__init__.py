"""Publish: downloads (CSV, Parquet, SQLite), datapackage.json, SHA256SUMS and the
validation report, into `<out>/<contest-id>/`, replaced as a whole.

Same inputs give byte-identical outputs: rows sorted by code, no clock time except the
release time from the config.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import Election
from ..csvwrite import write_csv
from ..fields import published_schema
from ..hashing import sha256_file
from ..regions import RegionMaster
from ..site import MANIFEST as SITE_MANIFEST
from ..site import SiteSummary, build_site
from ..workdir import WorkDir, read_parquet
from . import atomic
from .datapackage import descriptor, resource
from .downloads import to_table, write_sqlite, write_table_files

LEVEL_TITLES = {"nasional": "Nasional", "provinsi": "Provinsi", "kabupaten": "Kabupaten/Kota",
                "kecamatan": "Kecamatan", "desa": "Desa/Kelurahan", "tps": "TPS"}


@dataclass
class PublishSummary:
    folder: Path
    files: list[str]
    site: SiteSummary | None = None


def _release_time(election: Election) -> str:
    text = election.release_time
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{text}T00:00:00Z"
    return text


def _schema_for(level: str, levels: list[str], nomor_urut: list[int]) -> dict[str, Any]:
    name = "published/tps.schema.json" if level == "tps" else "published/area.schema.json"
    schema = published_schema(name, nomor_urut)
    position = levels.index(level)
    if position > 0:
        schema["foreignKeys"] = [{"fields": "kode_induk",
                                  "reference": {"resource": levels[position - 1],
                                                "fields": "kode"}}]
    return schema


def publish(election: Election, regions: RegionMaster, work: WorkDir, out_root: Path,
            site: bool = True) -> PublishSummary:
    """Read work/aggregates and work/validated, write the release folder atomically."""
    levels = [*regions.level_names(), "tps"]
    frames = {level: read_parquet(work.require("aggregates", f"{level}.parquet",
                                               "aggregate")).to_pandas() for level in levels}
    site_frames = dict(frames) if site else {}
    validated = work.root / "validated"
    issues = read_parquet(work.require("validated", "issues.parquet", "validate")).to_pandas()
    sources = read_parquet(work.require("validated", "sources.parquet", "validate")).to_pandas()
    election = _with_release(election)
    target = Path(out_root) / election.contest_id
    resources: list[dict[str, Any]] = []
    site_summary = None
    sources_schema = published_schema("published/sources.schema.json", election.nomor_urut)
    issues_schema = published_schema("published/issues.schema.json", election.nomor_urut)
    tables = []
    for level in levels:
        schema = _schema_for(level, levels, election.nomor_urut)
        tables.append((level, to_table(frames.pop(level), schema), schema))
    sources_table = to_table(sources.sort_values(["file", "member"], kind="stable"),
                             sources_schema)
    sqlite_tables = [*tables, ("sumber", sources_table, sources_schema),
                     ("validation_issues", to_table(issues, issues_schema), issues_schema)]
    with atomic.building(target) as folder:
        # SQLite inserts row by row; it runs beside the CSV and Parquet writers (which leave
        # the GIL to Arrow's C++), so the two cores share the slowest part of publishing.
        sqlite_job = _Background(write_sqlite, sqlite_tables, folder / "results.sqlite")
        try:
            for level, table, schema in tables:
                write_table_files(table, folder, level)
                title = f"Hasil per {LEVEL_TITLES[level]}"
                resources.append(resource(folder, f"{level}.csv", level, schema, title))
                resources.append(resource(folder, f"{level}.parquet", f"{level}-parquet", schema,
                                          f"{title} (Parquet)"))
            write_csv(sources_table, folder / "sumber.csv")
            resources.append(resource(folder, "sumber.csv", "sumber", sources_schema,
                                      "Berkas masukan (input files)"))
            report_dir = folder / "validation"
            report_dir.mkdir()
            shutil.copyfile(validated / "issues.csv", report_dir / "issues.csv")
            shutil.copyfile(validated / "report.json", report_dir / "report.json")
            resources.append(resource(folder, "validation/issues.csv", "validation-issues",
                                      issues_schema, "Temuan validasi (validation issues)"))
            resources.append(resource(folder, "validation/report.json", "validation-report", None,
                                      "Laporan validasi, bentuk frictionless (validation report)"))
        finally:
            sqlite_job.thread.join()  # never leave it writing into a folder being removed
        sqlite_job.wait()
        resources.append(resource(folder, "results.sqlite", "results-sqlite", None,
                                  "Semua tabel dalam satu basis data SQLite (opens in Datasette)"))
        source_list = [{"title": f"{row.file}!{row.member}" if row.member else row.file,
                        "c1:sha256": row.sha256, "c1:status": row.status}
                       for row in sources.itertuples(index=False) if row.status != "skipped"]
        package = descriptor(election, resources, source_list)
        (folder / "datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        hashes = {item["path"]: item["hash"].removeprefix("sha256:") for item in resources}
        hashes["datapackage.json"] = sha256_file(folder / "datapackage.json")
        if site:
            rows = {f"{level}.csv": len(site_frames[level]) for level in levels}
            rows.update({"sumber.csv": sources_table.num_rows,
                         "validation/issues.csv": len(issues)})
            listing = [{"path": item["path"], "title": item["title"], "bytes": item["bytes"],
                        "sha256": hashes[item["path"]],
                        "rows": rows.get(item["path"], rows.get(
                            item["path"].replace(".parquet", ".csv")))} for item in resources]
            listing.append({"path": "datapackage.json", "title": "Data package descriptor",
                            "bytes": (folder / "datapackage.json").stat().st_size,
                            "sha256": hashes["datapackage.json"], "rows": None})
            subs = read_parquet(work.require("validated", "submissions.parquet",
                                             "validate")).to_pandas()
            # An earlier site is updated where it is (only changed pages are written), then
            # carried into the new release just before the swap.
            live = target / "site"
            if not (live / SITE_MANIFEST).is_file():
                live = folder / "site"
            site_summary = build_site(
                live, election, regions.level_names(), site_frames, subs, issues,
                regions.tps.set_index("kode")["dpt"], listing)
            hashes.update(_site_hashes(target, live, site_summary.changed))
            if live != folder / "site":
                os.replace(live, folder / "site")
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                       if p.is_file())
        sums = "".join(f"{hashes.get(f) or sha256_file(folder / f)}  {f}\n" for f in files)
        (folder / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return PublishSummary(folder=target, files=[*files, "SHA256SUMS"], site=site_summary)


class _Background:
    """Run one call in a thread; `wait` re-raises what it raised."""

    def __init__(self, call, *args):
        self.error: BaseException | None = None

        def target() -> None:
            try:
                call(*args)
            except BaseException as exc:  # handed to the caller in wait()
                self.error = exc

        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def _site_hashes(target: Path, live: Path, changed: list[str]) -> dict[str, str]:
    """SHA-256 of the site's files: from the previous SHA256SUMS for pages that were not
    rewritten (a national site is 10 GB), computed for the rest."""
    previous: dict[str, str] = {}
    sums = target / "SHA256SUMS"
    if sums.is_file() and live.parent == target:
        for line in sums.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if name.startswith("site/"):
                previous[name] = digest
    rewritten = {f"site/{path}" for path in changed}
    out = {}
    for path in live.rglob("*"):
        if not path.is_file():
            continue
        name = "site/" + path.relative_to(live).as_posix()
        known = previous.get(name)
        if known is None or name in rewritten or not name.endswith(".html"):
            known = sha256_file(path)
        out[name] = known
    return out


def _with_release(election: Election) -> Election:
    return replace(election, release_time=_release_time(election))
