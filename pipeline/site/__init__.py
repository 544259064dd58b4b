"""The published site: every TPS checkable in a browser, from any static host or from disk.

`build_site` renders `<release>/site/` (Indonesian at the root, English under `en/`). Pages
whose inputs did not change since the previous release are hard-linked from it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import Election
from ..paths import templates_dir
from .model import build_model, dictionary_tables
from .render import fingerprints, page_list, render_pages, search_fingerprint, write_search_index

ASSETS = ("style.css", "search.js")
MANIFEST = "_manifest.json"  # page -> [fingerprint of its inputs, bytes], for the next release
SEARCH_KEY = "assets/cari/"
SUB_COLUMNS = ["submission_id", "kode_tps", "source_file", "source_member", "source_sheet",
               "source_row", "revisi", "waktu", "outcome", "selection", "superseded_by",
               "source_sha256", "source_images", "ingest_note", "ingest_note_en"]


@dataclass
class SiteSummary:
    pages: int
    rendered: int
    linked: int
    seconds: float
    bytes: int


def build_site(site: Path, election: Election, levels: list[str],
               frames: dict[str, pd.DataFrame], subs: pd.DataFrame, issues: pd.DataFrame,
               master_dpt: pd.Series | None, files: list[dict[str, Any]],
               previous: Path | None = None, workers: int | None = None) -> SiteSummary:
    """Render the site into `site`; reuse unchanged pages of `previous` (an older site)."""
    start = time.perf_counter()
    pages = page_list(levels, frames)
    subs = subs.reindex(columns=[*SUB_COLUMNS, "tps_pos"]) if "tps_pos" in subs else subs
    prints = fingerprints(election, levels, frames, subs, issues, files, pages)
    old = _manifest(previous)
    unchanged = {render_path(p) for p in pages
                 if old.get(render_path(p), [None])[0] == prints[render_path(p)]}
    linked = bool(previous is not None and unchanged and _copy_links(previous, site))
    site.mkdir(parents=True, exist_ok=True)
    (site / "wilayah").mkdir(exist_ok=True)
    (site / "en" / "wilayah").mkdir(parents=True, exist_ok=True)
    if not linked:
        unchanged = set()
    else:  # the links of pages to render again, or gone, must not be written through
        current = {render_path(p) for p in pages}
        for path in set(old) - unchanged:
            if path in current or path.endswith(".html"):
                (site / path).unlink(missing_ok=True)
        (site / MANIFEST).unlink(missing_ok=True)
    to_render = [p for p in pages if render_path(p) not in unchanged]
    desa_level = levels[-1]
    desa_codes = set(frames[desa_level]["kode"].tolist())
    only = None
    if unchanged:
        only = {key for kind, key, _ in to_render if kind == "area" and key in desa_codes}
        if len(levels) == 1 and any(kind == "index" for kind, _, _ in to_render):
            only.add(str(frames[desa_level]["kode"].iloc[0]))
    model = build_model(election, levels, frames, subs, issues, master_dpt, files, only)
    model.dictionary = dictionary_tables(election.nomor_urut)
    rendered = render_pages(model, site, to_render, workers) if to_render else 0
    sizes = {path: old[path][1] for path in unchanged}
    for page in to_render:
        path = render_path(page)
        sizes[path] = (site / path).stat().st_size
    assets = site / "assets"
    assets.mkdir(exist_ok=True)
    for name in ASSETS:
        (assets / name).unlink(missing_ok=True)
        shutil.copyfile(templates_dir() / "assets" / name, assets / name)
    search = search_fingerprint(levels, frames)
    if not (linked and old.get(SEARCH_KEY) == [search, 0] and (assets / "cari").is_dir()):
        shutil.rmtree(assets / "cari", ignore_errors=True)
        write_search_index(levels, frames, site)
    manifest = {path: [prints[path], sizes[path]] for path in prints}
    manifest[SEARCH_KEY] = [search, 0]
    (site / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    size = sum(sizes.values()) + sum(p.stat().st_size for p in assets.rglob("*") if p.is_file())
    return SiteSummary(len(pages), rendered, len(unchanged), time.perf_counter() - start, size)


def _copy_links(previous: Path, site: Path) -> bool:
    """The previous site as hard links (GNU cp -al: one syscall a file, no Python loop)."""
    if site.exists():
        shutil.rmtree(site)
    cp = shutil.which("cp")
    if cp is not None:
        done = subprocess.run([cp, "-al", str(previous), str(site)], capture_output=True,
                              check=False)
        if done.returncode == 0:
            return True
        shutil.rmtree(site, ignore_errors=True)
    try:
        shutil.copytree(previous, site, copy_function=os.link)
        return True
    except OSError:
        shutil.rmtree(site, ignore_errors=True)
        return False


def _manifest(previous: Path | None) -> dict[str, list]:
    """The previous site's page fingerprints and sizes (empty when there is none)."""
    if previous is None or not (previous / MANIFEST).is_file():
        return {}
    try:
        data = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def render_path(page: tuple[str, str, str]) -> str:
    from .render import Renderer

    return Renderer.page_path(*page)
