"""Aggregate: TPS -> desa -> kecamatan -> kabupaten (-> provinsi -> nasional), with coverage.

Totals count only TPS whose current submission is accepted (status masuk). Every area also
carries tps_total = tps_masuk + tps_bermasalah + tps_konflik + tps_belum_masuk, so a partial
total can never pass for a complete one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import Election
from .fields import form_fields, paslon_field, published_schema
from .regions import LEVELS, NASIONAL_KODE, RegionMaster
from .workdir import WorkDir, read_parquet, write_parquet

STATUSES = ("masuk", "bermasalah", "konflik", "belum_masuk")


@dataclass
class AggregateSummary:
    tps_total: int
    status_counts: dict[str, int]
    levels: list[str]
    totals: dict[str, int]


def _sumber_bagian(current: pd.DataFrame) -> pd.Series:
    """Where inside its file the current submission sits: archive member, sheet, row."""
    member = current["source_member"].fillna("").astype(str)
    sheet = current["source_sheet"].fillna("").astype(str)
    row = current["source_row"].astype("Int64").astype("string").fillna("")
    joined = (member + " " + ("lembar " + sheet).where(sheet != "", "") + " "
              + ("baris " + row).where(row != "", ""))
    return joined.str.replace(r"\s+", " ", regex=True).str.strip()


def tps_table(regions: RegionMaster, subs: pd.DataFrame, status: pd.DataFrame,
              election: Election) -> pd.DataFrame:
    """One row per TPS of the region master, in the published column order."""
    fields = form_fields(election.nomor_urut)
    tps = regions.tps[["kode", "nama", "kode_induk"]].copy()
    st = status.set_index("kode_tps")
    tps["status"] = tps["kode"].map(st["status"]).fillna("belum_masuk")
    tps["jumlah_kiriman"] = tps["kode"].map(st["jumlah_kiriman"]).fillna(0).astype("int64")
    current = subs[subs["selection"] == "current"].set_index("kode_tps")
    current = current.reindex(tps["kode"])
    for name in fields:
        tps[name] = current[name].to_numpy()
        tps[name] = tps[name].astype("Int64")
    tps["aturan_gagal"] = current["aturan_gagal"].fillna("").to_numpy()
    tps["peringatan"] = current["peringatan"].fillna("").to_numpy()
    tps["revisi"] = current["revisi"].astype("Int64").to_numpy()
    tps["sumber_file"] = current["source_file"].fillna("").to_numpy()
    tps["sumber_bagian"] = _sumber_bagian(current).to_numpy()
    tps["sumber_sha256"] = current["source_sha256"].fillna("").to_numpy()
    columns = [f["name"] for f in published_schema("published/tps.schema.json",
                                                   election.nomor_urut)["fields"]]
    return tps[columns]


def area_tables(regions: RegionMaster, tps: pd.DataFrame, election: Election
                ) -> dict[str, pd.DataFrame]:
    """Per level present in the master, one row per area with coverage and totals."""
    sums = ["pemilih_dpt_j", "pengguna_total_j",
            *[paslon_field(n) for n in election.nomor_urut],
            "suara_sah", "suara_tidak_sah", "suara_total"]
    columns = [f["name"] for f in published_schema("published/area.schema.json",
                                                   election.nomor_urut)["fields"]]
    ancestors = regions.tps.set_index("kode").reindex(tps["kode"])
    base = pd.DataFrame({"status": tps["status"].to_numpy()})
    for status in STATUSES:
        base[f"tps_{status}"] = (base["status"] == status).astype("int64")
    masuk = (base["status"] == "masuk").to_numpy()
    for name in sums:
        values = tps[name].astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
        base[name] = np.where(masuk, np.nan_to_num(values), 0).astype("int64")
    out = {}
    for tingkat in regions.levels:
        level = regions.areas[regions.areas["tingkat"] == tingkat]
        key = (np.full(len(tps), NASIONAL_KODE) if tingkat == 0
               else ancestors[f"anc_{tingkat}"].to_numpy())
        grouped = base.drop(columns="status").groupby(key, sort=True).sum()
        grouped["tps_total"] = base.groupby(key, sort=True).size()
        frame = level[["kode", "nama", "kode_induk"]].merge(
            grouped, left_on="kode", right_index=True, how="left")
        frame = frame.fillna({c: 0 for c in grouped.columns})
        for column in grouped.columns:
            frame[column] = frame[column].astype("int64")
        out[LEVELS[tingkat]] = frame[columns].sort_values("kode").reset_index(drop=True)
    return out


def aggregate(election: Election, regions: RegionMaster, work: WorkDir) -> AggregateSummary:
    """Read work/validated, write work/aggregates/<level>.parquet."""
    subs = read_parquet(work.require("validated", "submissions.parquet", "validate")).to_pandas()
    status = read_parquet(work.require("validated", "tps_status.parquet", "validate")).to_pandas()
    tps = tps_table(regions, subs, status, election)
    areas = area_tables(regions, tps, election)
    out = work.stage("aggregates")
    write_parquet(tps, out / "tps.parquet")
    for name, frame in areas.items():
        write_parquet(frame, out / f"{name}.parquet")
    top = areas[regions.level_names()[0]]
    totals = {c: int(top[c].sum()) for c in top.columns if c.startswith("suara_")}
    counts = tps["status"].value_counts()
    return AggregateSummary(tps_total=len(tps),
                            status_counts={s: int(counts.get(s, 0)) for s in STATUSES},
                            levels=[*regions.level_names(), "tps"], totals=totals)
