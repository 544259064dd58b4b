"""The shipped demo election: regenerable byte for byte, real totals, every defect named."""

from __future__ import annotations

import json

import pandas as pd

from conftest import DEMO_RAW, reference, run_cli

REAL_TOTALS = {1: 22163, 2: 73437, 3: 24571, 4: 53511}


def test_regenerating_reproduces_the_committed_files(tmp_path):
    result = run_cli("demo-data", tmp_path / "raw")
    assert result.exit_code == 0, result.output
    generated = sorted(p.relative_to(tmp_path / "raw").as_posix()
                       for p in (tmp_path / "raw").rglob("*") if p.is_file())
    committed = sorted(p.relative_to(DEMO_RAW).as_posix() for p in DEMO_RAW.rglob("*")
                       if p.is_file())
    assert generated == committed
    for rel in committed:
        assert (tmp_path / "raw" / rel).read_bytes() == (DEMO_RAW / rel).read_bytes(), rel


def test_demo_shape_matches_the_real_election():
    regions = pd.read_csv(DEMO_RAW / "wilayah-luwu-utara.csv", dtype=str)
    counts = regions["tingkat"].value_counts()
    assert counts["3"] == 15 and counts["4"] == 173 and counts["5"] == 572
    real = json.loads(reference("pilkada-2024-luwu-utara", "hhcw-pkwkk-7322.json").read_text())
    tps = regions[regions["tingkat"] == "5"]
    per_kec = tps["kode"].str[:6].value_counts()
    for kode, row in real["tungsura"]["table"].items():
        assert per_kec[kode] == row["progres"]["total"], kode
    kpu = pd.read_csv(reference("wilayah", "kpu-2024-ppwp-luwu-utara.csv"), dtype=str)
    kpu_areas = kpu[kpu["kode"].str.startswith("7322") & kpu["tingkat"].isin(["3", "4"])]
    ours = regions[regions["tingkat"].isin(["3", "4"])]
    assert sorted(zip(ours["kode"], ours["nama"], strict=True)) == sorted(zip(
        kpu_areas["kode"], kpu_areas["nama"], strict=True))


def test_published_totals_equal_the_real_sirekap_totals(demo_run):
    kab = pd.read_csv(demo_run["out"] / "kabupaten.csv", dtype={"kode": str})
    assert len(kab) == 1 and kab.loc[0, "kode"] == "7322"
    for n, total in REAL_TOTALS.items():
        assert kab.loc[0, f"suara_paslon_{n}"] == total
    assert kab.loc[0, "tps_total"] == 572
    assert kab.loc[0, "tps_masuk"] == 569
    assert kab.loc[0, "tps_belum_masuk"] == 3
    real = json.loads(reference("pilkada-2024-luwu-utara", "hhcw-pkwkk-7322.json").read_text())
    paslon = json.loads(reference("pilkada-2024-luwu-utara", "paslon-pkwkk-7322.json")
                        .read_text())
    kec = pd.read_csv(demo_run["out"] / "kecamatan.csv", dtype={"kode": str}).set_index("kode")
    for kode, row in real["tungsura"]["table"].items():
        assert kec.loc[kode, "tps_masuk"] == row["progres"]["progres"]
        for sirekap_id, item in paslon.items():
            assert kec.loc[kode, f"suara_paslon_{item['nomor_urut']}"] == row[sirekap_id]


def test_demo_inputs_come_in_the_formats_operators_send():
    files = [p.relative_to(DEMO_RAW).as_posix() for p in DEMO_RAW.rglob("*") if p.is_file()]
    assert any(f.endswith(".xlsx") for f in files)
    assert any(f.endswith(".zip") for f in files)
    assert sum(f.startswith("sirekap/") and f.endswith(".json") for f in files) > 20
    operator = (DEMO_RAW / "operator" / "732204-sabbang.csv").read_bytes()
    operator.decode("cp1252")
    try:
        operator.decode("utf-8")
        raise AssertionError("the operator CSV should be Windows-1252, not UTF-8")
    except UnicodeDecodeError:
        pass
    header = next(line for line in operator.decode("cp1252").splitlines()
                  if line.startswith("Kode TPS"))
    assert ";" in header and "Jumlah pemilih dalam DPT (L)" in header


def test_every_deliberate_defect_is_named_in_the_report(demo_run):
    issues = pd.read_csv(demo_run["out"] / "validation" / "issues.csv", dtype=str).fillna("")

    def has(file_part: str, severity: str, rule: str | None = None) -> bool:
        rows = issues[issues["file"].str.contains(file_part, regex=False)
                      & (issues["severity"] == severity)]
        return not rows.empty and (rule is None or (rows["rule"] == rule).any())

    assert has("c1-csv/732201-malangke.csv", "bermasalah", "suara_sah_paslon")
    assert has("c1-csv/732201-malangke.csv", "info", "superseded")
    assert has("c1-xlsx/732203-masamba.xlsx", "bermasalah", "lp_pemilih_dpt")
    assert has("c1-xlsx/732203-masamba.xlsx", "info", "superseded")
    assert has("sirekap-2024-11-27/", "bermasalah", "suara_total_pengguna")
    assert has("sirekap-2024-11-27/", "info", "superseded")
    assert has("sirekap/732210/", "info", "duplicate")
    assert has("operator/732204-sabbang.csv", "rejected", "unknown-tps")
    assert has("kiriman-rusak/", "rejected", "unreadable")
    assert has("sirekap/732207/", "info", "ingest-incomplete")
    tps = pd.read_csv(demo_run["out"] / "tps.csv", dtype={"kode": str})
    assert set(tps["status"]) == {"masuk", "belum_masuk"}
