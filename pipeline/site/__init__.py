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
from .render import fingerprints, page_list, render_pages, write_search_index

ASSETS = ("style.css", "search.js")
MANIFEST = "_manifest.json"  # page -> fingerprint of its inputs, for the next release


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
    old: dict[str, str] = {}
    if previous is not None and (previous / MANIFEST).is_file():
        try:  # the fingerprints of the pages of that very site
            old = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            old = {}
    site.mkdir(parents=True, exist_ok=True)
    (site / "wilayah").mkdir(exist_ok=True)
    (site / "en" / "wilayah").mkdir(parents=True, exist_ok=True)
    to_render, linked = [], 0
    for page in pages:
        path = render_path(page)
        before = previous / path if previous is not None else None
        if old.get(path) == prints[path] and before is not None and before.is_file():
            os.link(before, site / path)
            linked += 1
        else:
            to_render.append(page)
    rendered = render_pages(model, site, to_render, workers) if to_render else 0
    assets = site / "assets"
    assets.mkdir(exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(templates_dir() / "assets" / name, assets / name)
    write_search_index(model, site)
    (site / MANIFEST).write_text(json.dumps(prints, sort_keys=True), encoding="utf-8")
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return SiteSummary(len(pages), rendered, linked, time.perf_counter() - start, size)


def render_path(page: tuple[str, str, str]) -> str:
    from .render import Renderer

    return Renderer.page_path(*page)
