"""The Sirekap reader on all 1,060 real TPS files, with their real anomalies."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import reference, run_cli


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("real")
    raw = base / "raw"
    result = run_cli("init", raw, "--regions", reference("wilayah", "kpu-2024-ppwp-samples.csv"),
                     "--candidates", reference("sirekap-2024", "ppwp-paslon.json"),
                     "--contest", "ppwp", "--id", "ppwp-2024", "--date", "2024-02-14")
    assert result.exit_code == 0, result.output
    for name in ("sample_tingkat6_tps.zip", "tingkat6_1000data.zip"):
        shutil.copy(reference("sirekap-2024", name), raw / name)
    shutil.copytree(reference("sirekap-2024", "tps"), raw / "tps")
    result = run_cli("run", "--raw", raw, "--work", base / "work", "--out", base / "out", "-q")
    assert result.exit_code == 0, result.output
    out = base / "out" / "ppwp-2024"
    subs = pd.read_parquet(base / "work" / "ppwp-2024" / "validated" / "submissions.parquet")
    return {"out": out, "subs": subs, "output": result.output}


def test_every_real_file_is_read(real_run):
    subs = real_run["subs"]
    assert len(subs) == 1060
    assert (subs["outcome"] != "rejected").all()
    sources = pd.read_csv(real_run["out"] / "sumber.csv", dtype=str).fillna("")
    assert (sources["status"] == "read").all()


def test_known_anomaly_suara_total_vs_pengguna_total(real_run):
    tps = pd.read_csv(real_run["out"] / "tps.csv", dtype={"kode": str}).set_index("kode")
    row = tps.loc["1101012001001"]
    assert row["status"] == "bermasalah"
    assert "suara_total_pengguna" in row["aturan_gagal"]
    assert row["suara_total"] == 166 and row["pengguna_total_j"] == 239
    issues = pd.read_csv(real_run["out"] / "validation" / "issues.csv", dtype=str).fillna("")
    hit = issues[(issues["kode_tps"] == "1101012001001")
                 & (issues["rule"] == "suara_total_pengguna")]
    assert "166" in hit.iloc[0]["message"] and "239" in hit.iloc[0]["message"]


def test_dpt_730_where_l_plus_p_is_274(real_run):
    subs = real_run["subs"].set_index("kode_tps")
    row = subs.loc["3173011005122"]
    assert row["pemilih_dpt_j"] == 730 and row["pemilih_dpt_l"] + row["pemilih_dpt_p"] == 274
    assert "lp_pemilih_dpt" in row["aturan_gagal"] and row["outcome"] == "bermasalah"


def test_dptb_555_is_caught(real_run):
    row = real_run["subs"].set_index("kode_tps").loc["3173011002172"]
    assert row["pengguna_dptb_j"] == 555 and row["outcome"] == "bermasalah"


def test_incomplete_files_count_as_not_received(real_run):
    subs = real_run["subs"]
    incomplete = subs[subs["outcome"] == "incomplete"]
    assert len(incomplete) == 677
    tps = pd.read_csv(real_run["out"] / "tps.csv", dtype={"kode": str}).set_index("kode")
    only_incomplete = set(incomplete["kode_tps"]) - set(
        subs.loc[subs["outcome"] != "incomplete", "kode_tps"])
    assert (tps.loc[sorted(only_incomplete), "status"] == "belum_masuk").all()
    assert tps.loc[sorted(only_incomplete), "suara_sah"].isna().all()
    kab = pd.read_csv(real_run["out"] / "kabupaten.csv", dtype={"kode": str})
    parts = kab[["tps_masuk", "tps_bermasalah", "tps_konflik", "tps_belum_masuk"]].sum(axis=1)
    assert (parts == kab["tps_total"]).all()


def test_the_two_zips_overlap_as_identical_duplicates(real_run):
    subs = real_run["subs"]
    assert (subs["selection"] == "duplicate").sum() == 28
    assert (subs["selection"] == "konflik").sum() == 0
