#!/usr/bin/env python
"""National benchmark: a synthetic presidential election (Pilpres-shaped) through c1.

    python benchmarks/national.py                 # N = 820,161 TPS, like Pemilu 2024
    python benchmarks/national.py --tps 50000     # a quick run, regions scaled to match
    python benchmarks/national.py --json          # only the JSON line

1. Generates (numpy, vectorised; timed apart, not counted) an election folder in `--dir`:
   `election.toml` (kind ppwp, 3 paslon), a region master `wilayah.csv` with 38 provinsi,
   514 kabupaten/kota, ~7,285 kecamatan, ~83,762 desa and N TPS (with the DPT of each TPS),
   and the C1 inputs in the canonical CSV layout, one file per kabupaten/kota (what a KPU
   Kabupaten/Kota would send; `--split provinsi` writes one per province). Every form satisfies
   the hard rules of schemas/rules.json except ~1 % injected defects: a "+500" reading error
   (hard-rule failure), a non-number cell, and TPS with no form at all.
2. Times a pyarrow baseline in a child process: `pyarrow.csv.read_csv` of every input CSV and
   `pyarrow.parquet.write_table` (zstd, as the pipeline's work files) of each.
3. Times setup, ingest, validate, aggregate, publish in a fresh child process, called exactly
   as `c1 run` calls them (pipeline.stages.run_all), so the generator's memory is not counted;
   peak RSS is the child's VmHWM (reset per stage through /proc/self/clear_refs).
4. Checks that the published kabupaten, provinsi and nasional totals equal the sums of the
   generated accepted TPS, and prints whether the targets are met (<= 60 s, <= 4 GB,
   ratio <= 20). It never fails on time; the exit code is 1 only on a total mismatch.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIR = REPO / "benchmarks" / "out" / "national"
MARKER = ".c1-benchmark"
CONTEST_ID = "ppwp-nasional-sintetis"
REGIONS_FILE = "wilayah.csv"
NATIONAL = {"provinsi": 38, "kabupaten": 514, "kecamatan": 7_285, "desa": 83_762,
            "tps": 820_161}
TARGET_SECONDS = 60.0
TARGET_RSS_BYTES = 4_000_000_000
TARGET_RATIO = 20.0
MB = 1_000_000
STAGES = ("setup", "ingest", "validate", "aggregate", "publish")
NOMOR_URUT = (1, 2, 3)
# Pilpres 2024 national shares (KPU 360/2024), the centre of each province's draw.
PASLON_SHARE = np.array([40_971_906, 96_214_691, 27_040_878], dtype=float)
PASLON_SHARE /= PASLON_SHARE.sum()
DPT_MAX = 300  # Pemilu 2024 limit per TPS
RESERVE = 0.02
# Defects, as shares of N: hard-rule failure / non-number cell / TPS without a form.
DEFECT_SPLIT = {"hard_rule": 0.4, "non_number": 0.3, "missing": 0.3}
NON_NUMBERS = np.array(["X", "1O7", "2l", "?", "12a", "tujuh"])

# The 38 provinces with their Kemendagri codes; weights are the real number of kabupaten/kota
# (sum 514) and the rough number of TPS in 2024 (thousands, approximate, for shape only).
PROVINCES = [
    ("11", "ACEH", 23, 16.0), ("12", "SUMATERA UTARA", 33, 45.9),
    ("13", "SUMATERA BARAT", 19, 17.6), ("14", "RIAU", 12, 19.4), ("15", "JAMBI", 11, 11.2),
    ("16", "SUMATERA SELATAN", 17, 26.2), ("17", "BENGKULU", 10, 6.1),
    ("18", "LAMPUNG", 15, 25.8), ("19", "KEPULAUAN BANGKA BELITUNG", 7, 4.4),
    ("21", "KEPULAUAN RIAU", 7, 7.6), ("31", "DKI JAKARTA", 6, 30.8),
    ("32", "JAWA BARAT", 27, 140.5), ("33", "JAWA TENGAH", 35, 117.3),
    ("34", "DI YOGYAKARTA", 5, 12.0), ("35", "JAWA TIMUR", 38, 120.7),
    ("36", "BANTEN", 8, 33.3), ("51", "BALI", 9, 12.3), ("52", "NUSA TENGGARA BARAT", 10, 16.2),
    ("53", "NUSA TENGGARA TIMUR", 22, 16.7), ("61", "KALIMANTAN BARAT", 14, 16.5),
    ("62", "KALIMANTAN TENGAH", 14, 8.2), ("63", "KALIMANTAN SELATAN", 13, 12.2),
    ("64", "KALIMANTAN TIMUR", 10, 11.4), ("65", "KALIMANTAN UTARA", 5, 2.3),
    ("71", "SULAWESI UTARA", 15, 7.9), ("72", "SULAWESI TENGAH", 13, 9.9),
    ("73", "SULAWESI SELATAN", 24, 26.3), ("74", "SULAWESI TENGGARA", 17, 8.0),
    ("75", "GORONTALO", 6, 3.3), ("76", "SULAWESI BARAT", 6, 3.5), ("81", "MALUKU", 11, 5.5),
    ("82", "MALUKU UTARA", 10, 3.9), ("91", "PAPUA", 9, 3.9), ("92", "PAPUA BARAT", 7, 2.9),
    ("93", "PAPUA SELATAN", 4, 2.4), ("94", "PAPUA TENGAH", 8, 4.0),
    ("95", "PAPUA PEGUNUNGAN", 8, 5.0), ("96", "PAPUA BARAT DAYA", 6, 1.7),
]


# ---------------------------------------------------------------- generation


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Non-negative integers proportional to weights that sum exactly to total."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    share = weights / weights.sum() * total
    base = np.floor(share).astype(np.int64)
    rest = int(total - base.sum())
    if rest:
        base[np.argsort(-(share - base), kind="stable")[:rest]] += 1
    return base


def spread(children: int, weights: np.ndarray) -> np.ndarray:
    """Children per parent, at least one each, summing to `children`."""
    return 1 + apportion(children - len(weights), weights)


def ordinals(counts: np.ndarray) -> np.ndarray:
    """0, 1, ... within each group of consecutive children."""
    starts = np.cumsum(counts) - counts
    return np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(starts, counts)


def level_sizes(n_tps: int) -> dict[str, int]:
    """Area counts scaled with N (national shape at the default N), nested and >= 1."""
    scale = n_tps / NATIONAL["tps"]
    sizes = {"provinsi": min(NATIONAL["provinsi"], n_tps)}
    above = sizes["provinsi"]
    for level in ("kabupaten", "kecamatan", "desa"):
        sizes[level] = min(n_tps, max(above, round(NATIONAL[level] * scale)))
        above = sizes[level]
    sizes["tps"] = n_tps
    return sizes


@dataclass
class Nation:
    """Integer codes of every area and TPS (sorted), with parent positions."""

    prov: np.ndarray
    kab: np.ndarray
    kab_prov: np.ndarray
    kec: np.ndarray
    kec_kab: np.ndarray
    desa: np.ndarray
    desa_kec: np.ndarray
    tps: np.ndarray
    tps_desa: np.ndarray

    @property
    def tps_kab(self) -> np.ndarray:
        return self.kec_kab[self.desa_kec[self.tps_desa]]

    @property
    def tps_prov(self) -> np.ndarray:
        return self.kab_prov[self.tps_kab]


def build_nation(sizes: dict[str, int], rng: np.random.Generator) -> Nation:
    provinces = PROVINCES[:sizes["provinsi"]]
    prov = np.array([int(p[0]) for p in provinces], dtype=np.int64)
    kab_weight = np.array([p[2] for p in provinces], dtype=float)
    tps_weight = np.array([p[3] for p in provinces], dtype=float)

    kab_per_prov = spread(sizes["kabupaten"], kab_weight)
    kab_prov = np.repeat(np.arange(len(prov)), kab_per_prov)
    k = ordinals(kab_per_prov)
    kota = np.round(kab_per_prov * 0.18).astype(np.int64)  # xx71+ are kota
    first_kota = (kab_per_prov - kota)[kab_prov]
    kab_no = np.where(k < first_kota, k + 1, 71 + k - first_kota)
    kab = prov[kab_prov] * 100 + kab_no

    # Kecamatan per kabupaten: more where there are more voters (damped), with noise.
    per_kab_voters = (tps_weight / kab_per_prov)[kab_prov]
    kec_per_kab = spread(sizes["kecamatan"], np.sqrt(per_kab_voters) * rng.gamma(6.0, 1.0,
                                                                                   len(kab)))
    kec_kab = np.repeat(np.arange(len(kab)), kec_per_kab)
    kec = kab[kec_kab] * 100 + ordinals(kec_per_kab) + 1

    desa_per_kec = spread(sizes["desa"], rng.gamma(4.0, 1.0, len(kec)))
    desa_kec = np.repeat(np.arange(len(kec)), desa_per_kec)
    desa = kec[desa_kec] * 10_000 + 2001 + ordinals(desa_per_kec)

    # TPS per desa: the province's TPS spread over its desa, with noise.
    desa_prov = kab_prov[kec_kab[desa_kec]]
    desa_in_prov = np.bincount(desa_prov, minlength=len(prov))
    weight = (tps_weight / np.maximum(desa_in_prov, 1))[desa_prov] * rng.gamma(3.0, 1.0,
                                                                                len(desa))
    tps_per_desa = spread(sizes["tps"], weight)
    tps_desa = np.repeat(np.arange(len(desa)), tps_per_desa)
    tps = desa[tps_desa] * 1000 + ordinals(tps_per_desa) + 1

    for name, counts, limit in (("kecamatan per kabupaten", kec_per_kab, 99),
                                ("desa per kecamatan", desa_per_kec, 999),
                                ("TPS per desa", tps_per_desa, 999)):
        if counts.max() > limit:
            raise SystemExit(f"generator: {counts.max()} {name} exceeds the code space {limit}")
    return Nation(prov, kab, kab_prov, kec, kec_kab, desa, desa_kec, tps, tps_desa)


def _text(codes: np.ndarray) -> pa.Array:
    return pa.array(codes, pa.int64()).cast(pa.string())


def _prefixed(prefix: str, codes: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise(prefix, codes, "")


def region_master(nation: Nation, dpt: np.ndarray) -> pa.Table:
    """kode,nama,tingkat,kode_induk,dpt: every area and TPS, top level first."""
    prov, kab, kec, desa, tps = (_text(a) for a in (nation.prov, nation.kab, nation.kec,
                                                    nation.desa, nation.tps))
    is_kota = pa.array(nation.kab % 100 >= 71)
    parts = [
        (prov, pa.array([p[1] for p in PROVINCES[:len(nation.prov)]], pa.string()), 1,
         pa.array([""] * len(nation.prov), pa.string()), None),
        (kab, pc.if_else(is_kota, _prefixed("KOTA SINTETIS ", kab),
                         _prefixed("KABUPATEN SINTETIS ", kab)), 2,
         pc.take(prov, pa.array(nation.kab_prov)), None),
        (kec, _prefixed("KECAMATAN ", kec), 3, pc.take(kab, pa.array(nation.kec_kab)), None),
        (desa, _prefixed("DESA ", desa), 4, pc.take(kec, pa.array(nation.desa_kec)), None),
        (tps, _prefixed("TPS ", pc.utf8_slice_codeunits(tps, 10, 13)), 5,
         pc.take(desa, pa.array(nation.tps_desa)), pa.array(dpt, pa.int32())),
    ]
    tables = []
    for kode, nama, tingkat, induk, level_dpt in parts:
        n = len(kode)
        tables.append(pa.table({
            "kode": kode, "nama": nama, "tingkat": pa.array(np.full(n, tingkat, np.int8)),
            "kode_induk": induk,
            "dpt": level_dpt if level_dpt is not None else pa.nulls(n, pa.int32())}))
    return pa.concat_tables(tables)


def form_numbers(nation: Nation, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every number of every form, satisfying all hard rules (checked here)."""
    n = len(nation.tps)
    prov = nation.tps_prov
    n_prov = len(nation.prov)

    def split(total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        men = rng.binomial(total, 0.5)
        return men, total - men

    dpt = np.clip(np.rint(rng.normal(255, 30, n)), 120, DPT_MAX).astype(np.int64)
    turnout = np.clip(rng.uniform(0.74, 0.88, n_prov)[prov] + rng.normal(0, 0.04, n), 0.5, 0.97)
    pengguna_dpt = rng.binomial(dpt, turnout)
    dptb = np.minimum(rng.poisson(0.8, n), 10)
    dpk = np.minimum(rng.poisson(1.5, n), 10)
    total = pengguna_dpt + dptb + dpk
    tidak_sah = rng.binomial(total, 0.023)
    sah = total - tidak_sah
    # Paslon shares: a province draw around the national result, then a TPS draw around it.
    prov_share = rng.dirichlet(PASLON_SHARE * 40, n_prov)
    lean = rng.gamma(prov_share[prov] * 60)
    lean /= lean.sum(axis=1, keepdims=True)
    v1 = rng.binomial(sah, lean[:, 0])
    v2 = rng.binomial(sah - v1, np.clip(lean[:, 1] / np.maximum(1 - lean[:, 0], 1e-9), 0, 1))
    v3 = sah - v1 - v2
    diterima = np.maximum(dpt + np.ceil(dpt * RESERVE).astype(np.int64), total)
    dikembalikan = np.minimum(rng.integers(0, 3, n), diterima - total)
    disabilitas = np.minimum(rng.poisson(0.8, n), total)

    out: dict[str, np.ndarray] = {}
    for group, j in (("pemilih_dpt", dpt), ("pengguna_dpt", pengguna_dpt),
                     ("pengguna_dptb", dptb), ("pengguna_non_dpt", dpk)):
        out[f"{group}_l"], out[f"{group}_p"] = split(j)
        out[f"{group}_j"] = j
    for s in ("l", "p", "j"):
        out[f"pengguna_total_{s}"] = (out[f"pengguna_dpt_{s}"] + out[f"pengguna_dptb_{s}"]
                                      + out[f"pengguna_non_dpt_{s}"])
    out["surat_suara_diterima"] = diterima
    out["surat_suara_digunakan"] = total
    out["surat_suara_dikembalikan"] = dikembalikan
    out["surat_suara_tidak_digunakan"] = diterima - total - dikembalikan
    out["pemilih_disabilitas_l"], out["pemilih_disabilitas_p"] = split(disabilitas)
    out["pemilih_disabilitas_j"] = disabilitas
    out["suara_paslon_1"], out["suara_paslon_2"], out["suara_paslon_3"] = v1, v2, v3
    out["suara_sah"], out["suara_tidak_sah"], out["suara_total"] = sah, tidak_sah, total
    _check_hard_rules(out)
    return {k: v.astype(np.int32) for k, v in out.items()}


def _check_hard_rules(v: dict[str, np.ndarray]) -> None:
    """The generator's own numbers must pass schemas/rules.json hard rules and 0..999."""
    ok = np.ones(len(v["suara_total"]), dtype=bool)
    for g in ("pemilih_dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_non_dpt",
              "pengguna_total", "pemilih_disabilitas"):
        ok &= v[f"{g}_l"] + v[f"{g}_p"] == v[f"{g}_j"]
    for s in ("l", "p", "j"):
        ok &= (v[f"pengguna_dpt_{s}"] + v[f"pengguna_dptb_{s}"] + v[f"pengguna_non_dpt_{s}"]
               == v[f"pengguna_total_{s}"])
    ok &= v["suara_paslon_1"] + v["suara_paslon_2"] + v["suara_paslon_3"] == v["suara_sah"]
    ok &= v["suara_sah"] + v["suara_tidak_sah"] == v["suara_total"]
    ok &= v["suara_total"] == v["pengguna_total_j"]
    ok &= v["suara_total"] == v["surat_suara_digunakan"]
    ok &= (v["surat_suara_digunakan"] + v["surat_suara_dikembalikan"]
           + v["surat_suara_tidak_digunakan"] == v["surat_suara_diterima"])
    for column in v.values():
        ok &= (column >= 0) & (column <= 999)
    ok &= v["pemilih_dpt_j"] <= DPT_MAX
    if not ok.all():
        raise SystemExit(f"generator bug: {int((~ok).sum())} forms break a hard rule")


def pick_defects(n: int, share: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Disjoint TPS positions per defect kind (at least one of each when share > 0)."""
    counts = {k: max(1 if share > 0 and n >= 10 else 0, round(n * share * w))
              for k, w in DEFECT_SPLIT.items()}
    chosen = rng.choice(n, size=min(n, sum(counts.values())), replace=False)
    out, start = {}, 0
    for kind, count in counts.items():
        out[kind] = np.sort(chosen[start:start + count])
        start += count
    return out


@dataclass
class Generated:
    sizes: dict[str, int]
    nation: Nation
    numbers: dict[str, np.ndarray]  # clean numbers (before defects), int32
    status: np.ndarray  # expected TPS status: masuk / bermasalah / belum_masuk
    defects: dict[str, int]
    files: list[Path]
    input_bytes: int
    master_rows: int
    numbers_s: float
    write_s: float


def generate(raw: Path, n_tps: int, seed: int, defect_share: float, split_by: str) -> Generated:
    from pipeline.config import Candidate, render_config
    from pipeline.fields import form_fields

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    sizes = level_sizes(n_tps)
    nation = build_nation(sizes, rng)
    numbers = form_numbers(nation, rng)
    fields = form_fields(list(NOMOR_URUT))
    if sorted(fields) != sorted(numbers):
        raise SystemExit(f"generator: fields differ from the schema: {fields}")
    defects = pick_defects(n_tps, defect_share, rng)
    status = np.full(n_tps, "masuk", dtype=object)
    status[defects["hard_rule"]] = "bermasalah"
    status[defects["non_number"]] = "belum_masuk"  # rejected form: as if none arrived
    status[defects["missing"]] = "belum_masuk"

    columns: dict[str, pa.Array] = {"kode_tps": _text(nation.tps)}
    for name in fields:
        values = numbers[name]
        if name == "suara_paslon_2":  # Sirekap's "+500" misreading: suara_sah no longer adds up
            values = values.copy()
            values[defects["hard_rule"]] += 500
        column = pa.array(values)
        if name == "suara_paslon_1" and len(defects["non_number"]):
            mask = np.zeros(n_tps, dtype=bool)
            mask[defects["non_number"]] = True
            junk = NON_NUMBERS[np.arange(len(defects["non_number"])) % len(NON_NUMBERS)]
            column = pc.replace_with_mask(column.cast(pa.string()), pa.array(mask),
                                          pa.array(junk.tolist(), pa.string()))
        columns[name] = column
    keep = np.ones(n_tps, dtype=bool)
    keep[defects["missing"]] = False
    forms = pa.table(columns).filter(pa.array(keep))
    numbers_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    raw.mkdir(parents=True)
    candidates = [Candidate(n, f"PASLON {n:02d} (SINTETIS)") for n in NOMOR_URUT]
    (raw / "election.toml").write_text(render_config(
        contest_id=CONTEST_ID, kind="ppwp",
        name=f"Pemilihan Presiden dan Wakil Presiden 2024 (sintetis, {n_tps} TPS)",
        date="2024-02-14", candidates=candidates, regions_file=REGIONS_FILE), encoding="utf-8")
    master = region_master(nation, numbers["pemilih_dpt_j"])
    write_plain_csv(master, raw / REGIONS_FILE)

    # One file per kabupaten/kota (or province): rows are sorted by code, so each is a slice.
    group_codes = nation.kab if split_by == "kabupaten" else nation.prov
    group_of_tps = (nation.tps_kab if split_by == "kabupaten" else nation.tps_prov)[keep]
    bounds = np.searchsorted(group_of_tps, np.arange(len(group_codes) + 1))
    files = []
    for g, code in enumerate(group_codes):
        code = str(code)
        folder = raw / "c1" / code[:2]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{code}.csv"
        write_plain_csv(forms.slice(bounds[g], bounds[g + 1] - bounds[g]), path)
        files.append(path)
    write_s = time.perf_counter() - t0
    return Generated(sizes=sizes, nation=nation, numbers=numbers, status=status,
                     defects={k: len(v) for k, v in defects.items()}, files=files,
                     input_bytes=sum(p.stat().st_size for p in files),
                     master_rows=master.num_rows, numbers_s=numbers_s, write_s=write_s)


def write_plain_csv(table: pa.Table, path: Path) -> None:
    """CSV as operators write it: unquoted header and cells (no cell holds , " or a newline)."""
    with path.open("wb") as handle:
        handle.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pacsv.write_csv(table, handle, pacsv.WriteOptions(include_header=False,
                                                          quoting_style="none"))


# ---------------------------------------------------------------- child processes


def _peak_bytes() -> int:
    """VmHWM of this process (peak resident set since start or since the last reset)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def child_pipeline(base: Path, profile: bool) -> dict:
    """Run the stages as pipeline.stages.run_all does, timing each one."""
    t0 = time.perf_counter()
    from pipeline.aggregate import aggregate
    from pipeline.ingest import ingest
    from pipeline.publish import publish
    from pipeline.stages import setup
    from pipeline.validate import validate

    import_s = time.perf_counter() - t0
    peaks = [_peak_bytes()]
    raw, work, out = base / "raw", base / "work", base / "published"
    stages: dict[str, dict] = {}
    profiles = base / "profile"
    if profile:
        profiles.mkdir(exist_ok=True)

    def timed(name: str, call):
        resettable = _reset_peak()
        profiler = cProfile.Profile() if profile else None
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        result = call()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
        peak = _peak_bytes()
        peaks.append(peak)
        stages[name] = {"seconds": seconds, "peak_rss_bytes": peak if resettable else None}
        if profiler:
            profiler.dump_stats(profiles / f"{name}.pstats")
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(14)
            print(f"---- profile {name} ({seconds:.2f} s, profiled), by own time:\n"
                  + text.getvalue(), file=sys.stderr)
        return result

    s = timed("setup", lambda: setup(raw, work))
    ingested = timed("ingest", lambda: ingest(s.election, s.regions, s.work))
    validated = timed("validate", lambda: validate(s.election, s.regions, s.work))
    aggregated = timed("aggregate", lambda: aggregate(s.election, s.regions, s.work))
    published = timed("publish", lambda: publish(s.election, s.regions, s.work, out,
                                                 site=False))  # downloads only
    master_rows = len(s.regions.areas) - 1 + len(s.regions.tps)  # without the added nasional
    rows = {"setup": master_rows, "ingest": ingested.records, "validate": validated.received,
            "aggregate": aggregated.tps_total, "publish": aggregated.tps_total}
    for name, item in stages.items():
        item["rows"] = int(rows[name])
    return {
        "import_s": import_s, "stages": stages, "peak_rss_bytes": max(peaks),
        "summary": {
            "files": ingested.files, "records": ingested.records,
            "accepted": validated.accepted, "bermasalah": validated.bermasalah,
            "rejected": validated.rejected, "incomplete": validated.incomplete,
            "warnings": validated.warnings, "status": aggregated.status_counts,
            "published_files": len(published.files), "folder": str(published.folder)},
    }


def child_baseline(base: Path) -> dict:
    """pyarrow alone: read every input CSV (type inference, threads) and write it as Parquet."""
    raw, dest = base / "raw" / "c1", base / "baseline"
    paths = sorted(raw.rglob("*.csv"))
    rows = 0
    start = time.perf_counter()
    for path in paths:
        table = pacsv.read_csv(path)
        target = dest / path.relative_to(raw).with_suffix(".parquet")
        target.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, target, compression="zstd")
        rows += table.num_rows
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows, "files": len(paths),
            "peak_rss_bytes": _peak_bytes()}


def run_child(kind: str, base: Path, profile: bool, quiet: bool) -> dict:
    result = base / f".{kind}-result.json"
    result.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--dir", str(base),
               "--child", kind]
    if profile:
        command.append("--profile")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL if quiet else None,
                          check=False)
    if done.returncode != 0 or not result.is_file():
        raise SystemExit(f"benchmark: the {kind} child failed (exit {done.returncode})")
    return json.loads(result.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- correctness


SUMMED = ["pemilih_dpt_j", "pengguna_total_j", *[f"suara_paslon_{n}" for n in NOMOR_URUT],
          "suara_sah", "suara_tidak_sah", "suara_total"]
COUNTED = ["tps_total", "tps_masuk", "tps_bermasalah", "tps_konflik", "tps_belum_masuk"]


def expected_totals(gen: Generated, group: np.ndarray, n_groups: int) -> dict[str, np.ndarray]:
    masuk = gen.status == "masuk"
    out = {"tps_total": np.bincount(group, minlength=n_groups)}
    for status in ("masuk", "bermasalah", "konflik", "belum_masuk"):
        out[f"tps_{status}"] = np.bincount(group, weights=gen.status == status,
                                           minlength=n_groups).astype(np.int64)
    for name in SUMMED:
        values = np.where(masuk, gen.numbers[name], 0).astype(np.float64)
        out[name] = np.rint(np.bincount(group, weights=values, minlength=n_groups)).astype(
            np.int64)
    return out


def check_totals(gen: Generated, folder: Path) -> tuple[bool, list[str]]:
    """Published area totals against the generated accepted TPS; returns (ok, findings)."""
    nation = gen.nation
    levels = {"kabupaten": (nation.kab, nation.tps_kab), "provinsi": (nation.prov,
                                                                      nation.tps_prov),
              "nasional": (np.array(["ID"]), np.zeros(len(nation.tps), dtype=np.int64))}
    findings = []
    for level, (codes, group) in levels.items():
        path = folder / f"{level}.parquet"
        if not path.is_file():
            findings.append(f"{level}: {path.name} not published")
            continue
        table = pq.read_table(path)
        published_codes = table.column("kode").to_pylist()
        wanted = [str(c) for c in codes]
        if published_codes != wanted:
            findings.append(f"{level}: {len(published_codes)} areas published, "
                            f"{len(wanted)} generated (or in another order)")
            continue
        expected = expected_totals(gen, group, len(codes))
        bad = 0
        for column in COUNTED + SUMMED:
            got = table.column(column).to_numpy()
            diff = np.flatnonzero(got != expected[column])
            if len(diff):
                bad += 1
                i = diff[0]
                findings.append(f"{level} {wanted[i]} {column}: published {got[i]}, "
                                f"expected {expected[column][i]} ({len(diff)} areas differ)")
        if not bad:
            findings.append(f"{level} {len(wanted)}/{len(wanted)} equal")
    ok = all(f.endswith("equal") for f in findings)
    return ok, findings


# ---------------------------------------------------------------- report


def _rate(rows: int, seconds: float) -> float:
    return rows / seconds if seconds > 0 else float("inf")


def _mb(value: int | None) -> str:
    return "-" if value is None else f"{value / MB:,.0f}"


def print_table(report: dict) -> None:
    g = report["generated"]
    sizes = g["regions"]
    print(f"c1 national benchmark: {sizes['tps']:,} TPS ({sizes['provinsi']} provinsi, "
          f"{sizes['kabupaten']} kabupaten/kota, {sizes['kecamatan']:,} kecamatan, "
          f"{sizes['desa']:,} desa); {g['files']} input CSV (one per {g['split']}), "
          f"{g['input_bytes'] / MB:,.1f} MB; defects {g['defects']}")
    print(f"generate   numbers {g['numbers_s']:.2f} s, files {g['write_s']:.2f} s, peak RSS "
          f"{_mb(g['peak_rss_bytes'])} MB (not counted); pipeline imports "
          f"{report['import_s']:.2f} s (not counted)")
    print(f"{'stage':<10} {'seconds':>8} {'rows':>10} {'rows/s':>11} {'peak RSS MB':>12}")
    for name in STAGES:
        st = report["stages"][name]
        print(f"{name:<10} {st['seconds']:>8.2f} {st['rows']:>10,} {st['rows_per_s']:>11,.0f} "
              f"{_mb(st['peak_rss_bytes']):>12}")
    print(f"{'pipeline':<10} {report['pipeline_s']:>8.2f} {report['tps']:>10,} "
          f"{_rate(report['tps'], report['pipeline_s']):>11,.0f} "
          f"{_mb(report['peak_rss_bytes']):>12}")
    b = report["baseline"]
    print(f"{'baseline':<10} {b['seconds']:>8.2f} {b['rows']:>10,} "
          f"{_rate(b['rows'], b['seconds']):>11,.0f} {_mb(b['peak_rss_bytes']):>12}   "
          f"(pyarrow read_csv + parquet write_table zstd; best of {len(b['runs_s'])})")
    print(f"ratio      {report['ratio']:.1f} (pipeline / baseline; baseline runs "
          + ", ".join(f"{r:.2f}" for r in b["runs_s"]) + " s)")
    s = report["summary"]
    print(f"pipeline   {s['records']:,} submissions: accepted {s['accepted']:,}, bermasalah "
          f"{s['bermasalah']:,}, rejected {s['rejected']:,}; TPS {s['status']}; "
          f"{s['published_files']} files published")
    t = report["targets"]
    verdict = {True: "met", False: "NOT met"}
    print(f"targets    time {report['pipeline_s']:.1f} s <= {TARGET_SECONDS:.0f} s: "
          f"{verdict[t['seconds']]}; peak RSS {report['peak_rss_bytes'] / MB:,.0f} MB <= "
          f"{TARGET_RSS_BYTES / MB:,.0f} MB: {verdict[t['rss']]}; ratio {report['ratio']:.1f} "
          f"<= {TARGET_RATIO:.0f}: {verdict[t['ratio']]}")
    print(f"check      {report['check']}: " + "; ".join(report["check_findings"]))


# ---------------------------------------------------------------- main


def prepare_dir(base: Path) -> None:
    """Empty the benchmark folder, refusing one that this script did not create."""
    if base.exists() and any(base.iterdir()) and not (base / MARKER).exists():
        raise SystemExit(f"benchmark: {base} is not empty and not a benchmark folder "
                         f"(no {MARKER}); choose another --dir")
    base.mkdir(parents=True, exist_ok=True)
    (base / MARKER).write_text("created by benchmarks/national.py; emptied on each run\n",
                               encoding="utf-8")
    for name in ("raw", "work", "published", "baseline", "profile"):
        if (base / name).exists():
            shutil.rmtree(base / name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tps", type=int, default=NATIONAL["tps"],
                        help="number of TPS (default %(default)s, Pemilu 2024 domestic)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                        help="benchmark folder, emptied first (default benchmarks/out/national)")
    parser.add_argument("--split", choices=("kabupaten", "provinsi"), default="kabupaten",
                        help="one input CSV per kabupaten/kota (default) or per province")
    parser.add_argument("--defects", type=float, default=0.01,
                        help="share of TPS with an injected defect (default %(default)s)")
    parser.add_argument("--seed", type=int, default=20240214)
    parser.add_argument("--baseline-runs", type=int, default=3,
                        help="baseline repetitions; the fastest is used (default %(default)s)")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile each stage (slower): top functions to stderr, "
                             "<dir>/profile/<stage>.pstats")
    parser.add_argument("--child", choices=("pipeline", "baseline"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    base = args.dir.resolve()
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))

    if args.child:
        result = (child_pipeline(base, args.profile) if args.child == "pipeline"
                  else child_baseline(base))
        (base / f".{args.child}-result.json").write_text(json.dumps(result), encoding="utf-8")
        return 0

    if args.tps < 1:
        parser.error("--tps must be >= 1")
    wall = time.perf_counter()
    prepare_dir(base)
    gen = generate(base / "raw", args.tps, args.seed, args.defects, args.split)
    generator_peak = _peak_bytes()
    os.sync()  # flush the generated files now: writeback must not land inside a timing
    runs = [run_child("baseline", base, False, args.json)
            for _ in range(max(1, args.baseline_runs))]
    baseline = min(runs, key=lambda r: r["seconds"])  # the fastest: a conservative ratio
    baseline["runs_s"] = [r["seconds"] for r in runs]
    child = run_child("pipeline", base, args.profile, args.json)
    ok, findings = check_totals(gen, Path(child["summary"]["folder"]))

    stages = child["stages"]
    for item in stages.values():
        item["rows_per_s"] = _rate(item["rows"], item["seconds"])
    pipeline_s = sum(stages[name]["seconds"] for name in STAGES)
    ratio = pipeline_s / baseline["seconds"] if baseline["seconds"] > 0 else float("inf")
    report = {
        "benchmark": "national", "tps": args.tps,
        "generated": {"regions": gen.sizes, "split": args.split, "files": len(gen.files),
                      "input_bytes": gen.input_bytes, "region_master_rows": gen.master_rows,
                      "defects": gen.defects, "numbers_s": gen.numbers_s,
                      "write_s": gen.write_s, "seed": args.seed,
                      "peak_rss_bytes": generator_peak},
        "import_s": child["import_s"], "stages": stages, "pipeline_s": pipeline_s,
        "pipeline_rows_per_s": _rate(args.tps, pipeline_s),
        "peak_rss_bytes": child["peak_rss_bytes"], "baseline": baseline, "ratio": ratio,
        "targets": {"seconds": pipeline_s <= TARGET_SECONDS,
                    "rss": child["peak_rss_bytes"] <= TARGET_RSS_BYTES,
                    "ratio": ratio <= TARGET_RATIO},
        "summary": child["summary"], "check": "OK" if ok else "MISMATCH",
        "check_findings": findings, "profiled": args.profile,
        "wall_s": time.perf_counter() - wall, "cpus": os.cpu_count(),
    }
    if not args.json:
        print_table(report)
    print(json.dumps(report, default=float))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
