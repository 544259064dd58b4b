"""The published site: every TPS checkable in a browser, from any static host or from disk.

`build_site` renders `<release>/site/` (Indonesian at the root, English under `en/`). An
earlier site is updated in place: pages whose inputs did not change are not touched.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pandas as pd

from ..config import Election
from ..paths import templates_dir
from .fingerprint import fingerprints, search_fingerprint
from .model import build_model, dictionary_tables
from .render import SCANS, page_list, page_path, render_pages, scan_path, write_search_index

ASSETS = ("style.css", "search.js")
MANIFEST = "_manifest.json"  # pages, fingerprints of their inputs and bytes, for the next release
SUB_COLUMNS = ["submission_id", "kode_tps", "source_file", "source_member", "source_sheet",
               "source_row", "revisi", "waktu", "outcome", "selection", "superseded_by",
               "source_sha256", "source_images", "ingest_note", "ingest_note_en"]


@dataclass
class SiteSummary:
    pages: int
    rendered: int
    linked: int  # pages left as they were
    seconds: float
    bytes: int
    changed: list[str] = field(default_factory=list)  # pages (re)written


def build_site(site: Path, election: Election, levels: list[str],
               frames: dict[str, pd.DataFrame], subs: pd.DataFrame, issues: pd.DataFrame,
               master_dpt: pd.Series | None, files: list[dict[str, Any]],
               workers: int | None = None) -> SiteSummary:
    """Render the site into `site`, updating it in place when it holds an earlier site:
    only pages whose fingerprint changed are rendered (each replaced atomically, so a reader
    never sees half a page), pages of areas that are gone are removed."""
    start = time.perf_counter()
    pages = page_list(levels, frames)
    paths = [page_path(*page) for page in pages]
    subs = subs.reindex(columns=[*SUB_COLUMNS, "tps_pos"]) if "tps_pos" in subs else subs
    prints = fingerprints(election, levels, frames, subs, issues, files, pages)
    old = _manifest(site)
    (site / MANIFEST).unlink(missing_ok=True)  # until the end, the site is being updated
    present = _files(site)
    if old["paths"] == paths:  # the usual case: the same areas as last time
        old_prints, old_sizes = old["prints"], old["sizes"]
    else:
        where = {path: i for i, path in enumerate(old["paths"])}
        old_prints = [old["prints"][where[p]] if p in where else None for p in paths]
        old_sizes = [old["sizes"][where[p]] if p in where else 0 for p in paths]
        for path in set(where) - set(paths):  # areas that are gone
            if path.endswith(".html"):
                (site / path).unlink(missing_ok=True)
    unchanged = [a == b and path in present
                 for a, b, path in zip(old_prints, prints, paths, strict=True)]
    (site / "wilayah").mkdir(parents=True, exist_ok=True)
    (site / "en" / "wilayah").mkdir(parents=True, exist_ok=True)
    to_render = [p for p, same in zip(pages, unchanged, strict=True) if not same]
    desa_codes = set(frames[levels[-1]]["kode"].tolist())
    only = None
    if any(unchanged):
        only = {key for kind, key, _ in to_render if kind == "area" and key in desa_codes}
        if len(levels) == 1 and any(kind == "index" for kind, _, _ in to_render):
            only.add(str(frames[levels[-1]]["kode"].iloc[0]))
    model = build_model(election, levels, frames, subs, issues, master_dpt, files, only)
    model.dictionary = dictionary_tables(election.nomor_urut)
    written = render_pages(model, site, to_render, workers, present) if to_render else {}
    rendered = len(written)
    sizes = [written.get(path, size) for path, size in zip(paths, old_sizes, strict=True)]
    assets = site / "assets"
    assets.mkdir(exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(templates_dir() / "assets" / name, assets / f".{name}.tmp")
        os.replace(assets / f".{name}.tmp", assets / name)
    _copy_scans(site, election, subs)
    search = search_fingerprint(levels, frames)
    if not (old["search"] == search and (assets / "cari").is_dir()):
        shutil.rmtree(assets / "cari", ignore_errors=True)
        write_search_index(levels, frames, site)
    manifest = {"version": 2, "paths": paths, "prints": prints, "sizes": sizes,
                "search": search}
    (site / f".{MANIFEST}.tmp").write_bytes(orjson.dumps(manifest))
    os.replace(site / f".{MANIFEST}.tmp", site / MANIFEST)
    size = sum(sizes) + sum(p.stat().st_size for p in assets.rglob("*") if p.is_file())
    return SiteSummary(len(pages), rendered, sum(unchanged), time.perf_counter() - start, size,
                       changed=sorted(page_path(*page) for page in to_render))


def _copy_scans(site: Path, election: Election, subs: pd.DataFrame) -> None:
    """Photos and scans of current forms, beside the pages that link to them (a copy is
    refreshed only when its size differs; the raw folder is only read)."""
    if "source_images" not in subs or "selection" not in subs:
        return
    current = subs.loc[subs["selection"] == "current", "source_images"].dropna()
    current = current[current.str.len() > 0]  # most forms come without a photo
    wanted = sorted({item for text in current.tolist() for item in str(text).split(";")
                     if scan_path(item)})
    for item in wanted:
        source = election.raw_dir / item
        target = site / SCANS / item
        if not source.is_file():
            continue
        if target.is_file() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(source, scratch)
        os.replace(scratch, target)


def _files(site: Path) -> set[str]:
    """The pages already in the site (three directory listings, no stat per page)."""
    out: set[str] = set()
    for folder in ("", "wilayah", "en", "en/wilayah"):
        base = site / folder
        if base.is_dir():
            prefix = f"{folder}/" if folder else ""
            out.update(prefix + entry.name for entry in os.scandir(base)
                       if entry.name.endswith(".html"))
    return out


def _manifest(site: Path) -> dict[str, Any]:
    """The pages, fingerprints and sizes of the site already there (empty when none)."""
    empty: dict[str, Any] = {"paths": [], "prints": [], "sizes": [], "search": None}
    if not (site / MANIFEST).is_file():
        return empty
    try:
        data = orjson.loads((site / MANIFEST).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return empty
    if not isinstance(data, dict) or data.get("version") != 2:
        return empty  # an older layout: everything is rendered once more
    return data
