#!/usr/bin/env python
"""Benchmark `c1 check` against frictionless-py on a TPS-level table.

    python benchmarks/check.py                      # 1,000,000 rows, both validators
    python benchmarks/check.py --rows 100000        # quicker
    python benchmarks/check.py --rss-rows 10000000  # also: peak RSS of c1 check on 10M rows

Builds a data package: `desa.csv` (the parent table) and `tps.csv` with the pipeline's TPS
schema (schemas/published/tps.schema.json, 3 paslon; primary key kode, foreign key kode_induk
-> desa.kode), with a few percent of injected errors of every kind (type, constraint:
required/minimum/maximum/pattern/enum, unique and primary key duplicates, foreign key misses,
blank rows, missing and extra cells, a wrong label). Then times `c1 check --package ... --json`
(a subprocess, JSON included) and frictionless-py's Package.validate(limit_errors=0) in the
same run, checks that both found the same errors (multisets of type, row, field) and prints
both times and the ratio. With --rss-rows it writes a bigger tps.csv and reports the peak RSS
of `c1 check` on it (frictionless is not run there: it would take hours).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.fields import published_schema  # noqa: E402

OUT = REPO / "benchmarks" / "out" / "check"
NOMOR_URUT = [1, 2, 3]
DESA = 20_000
TARGET_RATIO = 30.0
RSS_LIMIT = 2 * 1024**3


def tps_table(rows: int, rng: np.random.Generator, share: float, start: int = 0
              ) -> tuple[pa.Table, dict]:
    """The TPS table (rows start..start+rows) as text columns, with cell defects injected."""
    schema = published_schema("published/tps.schema.json", NOMOR_URUT)
    desa = rng.integers(0, DESA, size=rows)
    kode = (np.arange(start, start + rows, dtype=np.int64) + 7_301_000_000_000).astype(str)
    columns: dict[str, np.ndarray] = {}
    injected: Counter = Counter()
    for spec in schema["fields"]:
        name, ftype = spec["name"], spec.get("type", "string")
        if name == "kode":
            values = kode.astype(object)
        elif name == "nama":
            values = np.char.add("TPS ", np.char.zfill((np.arange(rows) % 1000).astype(str), 3)
                                 ).astype(object)
        elif name == "kode_induk":
            values = np.char.add("73", np.char.zfill(desa.astype(str), 8)).astype(object)
        elif name == "status":
            values = rng.choice(["masuk", "bermasalah", "belum_masuk"], size=rows).astype(object)
        elif name == "sumber_sha256":
            values = np.full(rows, "0" * 64, dtype=object)
        elif ftype == "integer":
            values = rng.integers(0, 300, size=rows).astype(str).astype(object)
        else:
            values = np.full(rows, "", dtype=object)
        columns[name] = values

    def hit(fraction: float) -> np.ndarray:
        return rng.random(rows) < fraction

    part = share / 8
    for name, (bad, kind) in {"pemilih_dpt_j": ("12a", "type"), "suara_sah": ("-3", "minimum"),
                              "suara_total": ("1000", "maximum"), "status": ("salah", "enum"),
                              "sumber_sha256": ("xyz", "pattern")}.items():
        mask = hit(part)
        columns[name][mask] = bad
        injected[kind] += int(mask.sum())
    mask = hit(part)
    columns["nama"][mask] = ""
    injected["required"] += int(mask.sum())
    dup = np.flatnonzero(hit(part))
    columns["kode"][dup] = columns["kode"][np.maximum(dup - 1, 0)]
    injected["duplicate kode"] += len(dup)
    mask = hit(part)
    columns["kode_induk"][mask] = "9999999999"
    injected["foreign key miss"] += int(mask.sum())
    table = pa.table({k: pa.array(v.tolist(), pa.string()) for k, v in columns.items()})
    return table, dict(injected)


def write_tps(handle, table: pa.Table, rng: np.random.Generator, share: float,
              with_header: bool) -> dict:
    """Append the table, damaging a few lines: blank rows, missing and extra cells."""
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(quoting_style="needed"))
    lines = sink.getvalue().to_pybytes().split(b"\n")
    header, body = lines[0], lines[1:-1]
    header = header.replace(b'"nama"', b'"Nama"', 1)  # one wrong label
    n = len(body)
    picks = rng.permutation(n)[: int(n * share / 8) * 3]
    third = len(picks) // 3
    for i in picks[:third]:
        body[i] = b""
    for i in picks[third:2 * third]:
        body[i] = body[i].rsplit(b",", 2)[0]
    for i in picks[2 * third:]:
        body[i] = body[i] + b',"extra"'
    handle.write(b"\n".join([header, *body] if with_header else body) + b"\n")
    return {"blank rows": third, "missing cells": third, "extra cells": len(picks) - 2 * third}


def write_package(folder: Path, rows: int, seed: int, share: float) -> tuple[Path, dict]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    injected: Counter = Counter()
    with open(folder / "tps.csv", "wb") as handle:  # in slices: a 10M-row file fits in RAM
        for start in range(0, rows, 1_000_000):
            table, cells = tps_table(min(1_000_000, rows - start), rng, share, start)
            injected.update(cells)
            injected.update(write_tps(handle, table, rng, share, start == 0))
    injected = dict(injected)
    desa_codes = np.char.add("73", np.char.zfill(np.arange(DESA).astype(str), 8))
    (folder / "desa.csv").write_text("kode,nama\n" + "".join(f"{c},DESA {i}\n" for i, c in
                                                           enumerate(desa_codes)))
    tps_schema = published_schema("published/tps.schema.json", NOMOR_URUT)
    tps_schema["foreignKeys"] = [{"fields": "kode_induk",
                                  "reference": {"resource": "desa", "fields": "kode"}}]
    descriptor = {"name": "bench", "resources": [
        {"name": "desa", "path": "desa.csv",
         "schema": {"fields": [{"name": "kode", "type": "string"},
                               {"name": "nama", "type": "string"}], "primaryKey": ["kode"]}},
        {"name": "tps", "path": "tps.csv", "schema": tps_schema}]}
    package = folder / "datapackage.json"
    package.write_text(json.dumps(descriptor, indent=1))
    return package, injected


# The CLI in a child that reports its own peak RSS (a forked child's counter would include
# the generator's memory it was forked from).
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the process forked.
PEAK = ("(int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
        " * 1024)")
CLI_WITH_RSS = ("import sys\nfrom pipeline.cli import main\ntry:\n    main()\n"
                f"finally:\n    sys.stderr.write('RSS %d\\n' % {PEAK})\n")


def run_c1(package: Path) -> tuple[float, dict, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CLI_WITH_RSS, "check", "--package",
                           str(package), "--json"], cwd=REPO, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    peak = int(done.stderr.decode().rsplit("RSS ", 1)[-1].split()[0])
    if done.returncode not in (0, 1):
        raise SystemExit(f"c1 check failed: {done.stderr.decode()[-2000:]}")
    return seconds, json.loads(done.stdout), peak


def run_frictionless(package: Path) -> tuple[float, dict]:
    from frictionless import Package

    start = time.perf_counter()
    report = Package(str(package)).validate(limit_errors=0)
    return time.perf_counter() - start, report.to_descriptor()


def errors_of(report: dict) -> Counter:
    return Counter((t["name"], e["type"], e.get("rowNumber"), e.get("fieldNumber"))
                   for t in report["tasks"] for e in t["errors"])


def rss_run(rows: int, seed: int, share: float) -> dict:
    """`c1 check --package ... --json` on a long table (report discarded): time and peak RSS."""
    folder = OUT / f"rss-{rows}"
    package = folder / "datapackage.json"
    if not (folder / "tps.csv").is_file():
        package, _ = write_package(folder, rows, seed, share)
    size = (folder / "tps.csv").stat().st_size
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CLI_WITH_RSS, "check", "--package",
                           str(package), "--json"], cwd=REPO, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - start
    peak = int(done.stderr.decode().rsplit("RSS ", 1)[-1].split()[0])
    return {"rows": rows, "file_bytes": size, "seconds": seconds, "exit": done.returncode,
            "peak_rss_bytes": peak, "under_2gb": peak < RSS_LIMIT}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--share", type=float, default=0.03, help="share of injected errors")
    parser.add_argument("--seed", type=int, default=20241127)
    parser.add_argument("--rss-rows", type=int, default=0,
                        help="also measure peak RSS of c1 check on a table this long")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)
    folder = OUT / f"rows-{args.rows}"
    start = time.perf_counter()
    package, injected = write_package(folder, args.rows, args.seed, args.share)
    generate_s = time.perf_counter() - start
    c1_s, ours, c1_rss = run_c1(package)
    fl_s, theirs = run_frictionless(package)
    same = errors_of(ours) == errors_of(theirs)
    result = {"benchmark": "check", "rows": args.rows,
              "tps_bytes": (folder / "tps.csv").stat().st_size, "injected": injected,
              "generate_s": generate_s, "c1_check_s": c1_s, "c1_check_peak_rss_bytes": c1_rss,
              "frictionless_s": fl_s, "ratio": fl_s / c1_s, "same_errors": same,
              "errors": ours["stats"]["errors"],
              "error_types": dict(Counter(e["type"] for t in ours["tasks"]
                                          for e in t["errors"])),
              "rows_per_s": {"c1_check": args.rows / c1_s, "frictionless": args.rows / fl_s}}
    if not same:
        diff_a = errors_of(theirs) - errors_of(ours)
        diff_b = errors_of(ours) - errors_of(theirs)
        result["only_frictionless"] = [list(k) for k in list(diff_a)[:10]]
        result["only_c1"] = [list(k) for k in list(diff_b)[:10]]
    if args.rss_rows:
        result["rss"] = rss_run(args.rss_rows, args.seed, args.share)
    if not args.json:
        mb = 1024**2
        print(f"c1 check benchmark: {args.rows:,} TPS rows ({result['tps_bytes'] / mb:,.0f} MB), "
              f"injected {injected}")
        print(f"c1 check      {c1_s:8.2f} s  {args.rows / c1_s:>12,.0f} rows/s  "
              f"peak RSS {c1_rss / mb:,.0f} MB (subprocess, JSON report included)")
        print(f"frictionless  {fl_s:8.2f} s  {args.rows / fl_s:>12,.0f} rows/s  "
              "(Package.validate, limit_errors=0)")
        print(f"ratio         {fl_s / c1_s:8.1f}  (target >= {TARGET_RATIO:.0f}: "
              f"{'met' if fl_s / c1_s >= TARGET_RATIO else 'NOT met'})")
        print(f"errors        {result['errors']:,} found; same as frictionless: "
              f"{'yes' if same else 'NO'}  {result['error_types']}")
        if "rss" in result:
            r = result["rss"]
            print(f"memory        {r['rows']:,} rows ({r['file_bytes'] / mb:,.0f} MB), "
                  f"c1 check --json: {r['seconds']:.1f} s, peak RSS "
                  f"{r['peak_rss_bytes'] / mb:,.0f} MB "
                  f"(< 2 GB: {'yes' if r['under_2gb'] else 'NO'})")
    print(json.dumps(result))
    return 0 if same else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
