#!/usr/bin/env python
"""Benchmark the site renderer at national scale.

    python benchmarks/site.py                 # 820,161 TPS (38 provinces ... 83,762 desa)
    python benchmarks/site.py --tps 50000     # quicker, regions scaled down

Uses the synthetic national election of benchmarks/national.py (generated and run through
ingest -> aggregate here, or reused from benchmarks/out/national when already there), then
1. renders the whole site (every area page in Indonesian and English, each desa page with its
   TPS sections, downloads, method, search index) and prints pages/s and total bytes;
2. changes 1,000 TPS (new votes, re-aggregated) and renders again over the first site,
   printing how many pages were rendered (the changed TPS's desa pages, their ancestors and
   the indexes; the rest untouched) and the time as a share of the full render.
Targets on 2 cores: >= 1,000 pages/s; incremental < 5 % of a full render. Never asserts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

OUT = REPO / "benchmarks" / "out" / "site"
CHANGED_TPS = 1_000


def prepare(tps: int) -> Path:
    """A national election run through aggregate (national.py's generator and stages)."""
    base = REPO / "benchmarks" / "out" / ("national" if tps == 820_161 else f"national-{tps}")
    work = base / "work"
    if not any(work.glob("*/aggregates/tps.parquet")):
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "national.py"), "--tps",
                        str(tps), "--dir", str(base), "--json"], check=True,
                       stdout=subprocess.DEVNULL)
    return base


def inputs(base: Path):
    from pipeline.stages import setup
    from pipeline.workdir import read_parquet

    s = setup(base / "raw", base / "work")
    levels = s.regions.level_names()
    frames = {level: read_parquet(s.work.root / "aggregates" / f"{level}.parquet").to_pandas()
              for level in [*levels, "tps"]}
    subs = read_parquet(s.work.root / "validated" / "submissions.parquet").to_pandas()
    issues = read_parquet(s.work.root / "validated" / "issues.parquet").to_pandas()
    return s, levels, frames, subs, issues


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tps", type=int, default=820_161)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="where to render (default benchmarks/out/site; e.g. a tmpfs "
                             "such as /dev/shm/c1-site to measure without the disk)")
    args = parser.parse_args(argv)
    from pipeline.aggregate import area_tables
    from pipeline.site import build_site

    base = prepare(args.tps)
    s, levels, frames, subs, issues = inputs(base)
    dpt = s.regions.tps.set_index("kode")["dpt"]
    files = [{"path": "tps.csv", "title": "TPS", "bytes": 1, "sha256": "0" * 64, "rows": 1}]
    first = args.out / "site"
    for folder in args.out.glob("site*"):
        shutil.rmtree(folder)
    full = build_site(first, s.election, levels, frames, subs, issues, dpt, files)

    # 1,000 TPS change: new votes for paslon 1 (and suara sah/total), areas re-aggregated.
    rng = np.random.default_rng(7)
    tps = frames["tps"].copy()
    counted = np.flatnonzero((tps["status"] == "masuk").to_numpy())
    picks = rng.choice(counted, size=min(CHANGED_TPS, len(counted)), replace=False)
    for name in ("suara_paslon_1", "suara_sah", "suara_total", "pengguna_total_j"):
        column = tps[name].astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
        column[picks] += 1
        tps[name] = column
    changed_frames = {**area_tables(s.regions, tps, s.election), "tps": tps}
    start = time.perf_counter()
    again = build_site(first, s.election, levels, changed_frames, subs, issues, dpt, files)
    incremental_s = time.perf_counter() - start
    result = {"benchmark": "site", "tps": len(frames["tps"]),
              "areas": {level: len(frames[level]) for level in levels},
              "pages": full.pages, "full_s": full.seconds, "pages_per_s": full.pages / full.seconds,
              "bytes": full.bytes, "changed_tps": len(picks),
              "incremental_rendered": again.rendered, "incremental_linked": again.linked,
              "incremental_s": incremental_s, "incremental_share": incremental_s / full.seconds}
    if not args.json:
        mb = 1024**2
        print(f"site benchmark: {result['tps']:,} TPS, areas {result['areas']}")
        print(f"full render   {full.pages:,} pages in {full.seconds:.1f} s = "
              f"{result['pages_per_s']:,.0f} pages/s (target >= 1,000: "
              f"{'met' if result['pages_per_s'] >= 1000 else 'NOT met'}); "
              f"{full.bytes / mb:,.0f} MB")
        print(f"incremental   {len(picks):,} TPS changed: {again.rendered:,} pages rendered, "
              f"{again.linked:,} untouched; {incremental_s:.1f} s = "
              f"{100 * result['incremental_share']:.1f} % of the full render (target < 5 %: "
              f"{'met' if result['incremental_share'] < 0.05 else 'NOT met'})")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
