"""The published site: every TPS checkable in a browser, from any static host or from disk.

`build_site` renders `<release>/site/` (Indonesian at the root, English under `en/`). Pages
whose inputs did not change since the previous release are hard-linked from it.
"""

from __future__ import annotations

import json
import os
import shutil
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
    model = build_model(election, levels, frames, subs, issues, master_dpt, files)
    model.dictionary = dictionary_tables(election.nomor_urut)
    pages = page_list(model)
    prints = fingerprints(model, pages)
    old = _manifest(previous)
    site.mkdir(parents=True, exist_ok=True)
    (site / "wilayah").mkdir(exist_ok=True)
    (site / "en" / "wilayah").mkdir(parents=True, exist_ok=True)
    to_render, linked, sizes = [], 0, {}
    for page in pages:
        path = render_path(page)
        before = old.get(path)
        if previous is not None and before and before[0] == prints[path]:
            try:  # unchanged since the previous release: the same file, no rendering
                os.link(previous / path, site / path)
                linked += 1
                sizes[path] = before[1]
                continue
            except OSError:
                pass
        to_render.append(page)
    rendered = render_pages(model, site, to_render, workers) if to_render else 0
    for page in to_render:
        path = render_path(page)
        sizes[path] = (site / path).stat().st_size
    assets = site / "assets"
    assets.mkdir(exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(templates_dir() / "assets" / name, assets / name)
    search = search_fingerprint(model)
    if not (old.get(SEARCH_KEY) == [search, 0] and _link_tree(previous / "assets" / "cari",
                                                                assets / "cari")):
        write_search_index(model, site)
    manifest = {path: [prints[path], sizes[path]] for path in prints}
    manifest[SEARCH_KEY] = [search, 0]
    (site / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    size = sum(sizes.values()) + sum(p.stat().st_size for p in assets.rglob("*") if p.is_file())
    return SiteSummary(len(pages), rendered, linked, time.perf_counter() - start, size)


def _manifest(previous: Path | None) -> dict[str, list]:
    """The previous site's page fingerprints and sizes (empty when there is none)."""
    if previous is None or not (previous / MANIFEST).is_file():
        return {}
    try:
        data = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _link_tree(source: Path, target: Path) -> bool:
    """Hard-link every file of a folder; False (nothing kept) when that is not possible."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        for entry in os.scandir(source):
            os.link(entry.path, target / entry.name)
        return True
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False


def render_path(page: tuple[str, str, str]) -> str:
    from .render import Renderer

    return Renderer.page_path(*page)
