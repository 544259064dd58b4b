"""Publication: valid data package (real frictionless), checksums, byte-identical reruns,
formula-safe text, atomic replacement, SQLite, every TPS of the master present."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import DEMO_ID, run_cli
from helpers import CONTEST, csv_text, good_form, make_election, published, run_election

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def frictionless_validate(descriptor: Path) -> dict:
    done = subprocess.run([str(FRICTIONLESS), "validate", "--json", descriptor.name],
                          cwd=descriptor.parent, capture_output=True, text=True, timeout=300)
    return json.loads(done.stdout)


def test_demo_output_is_a_valid_data_package(demo_run):
    report = frictionless_validate(demo_run["out"] / "datapackage.json")
    assert report["valid"], json.dumps(report, indent=1)[:3000]
    names = {t["name"] for t in report["tasks"]}
    assert {"tps", "desa", "kecamatan", "kabupaten", "tps-parquet", "results-sqlite",
            "validation-issues"} <= names


def test_datapackage_declares_keys_licence_sources_and_hashes(demo_run):
    package = json.loads((demo_run["out"] / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["tps"]["schema"]["primaryKey"] == ["kode"]
    assert resources["tps"]["schema"]["foreignKeys"][0]["reference"] == {
        "resource": "desa", "fields": "kode"}
    assert resources["desa"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "kecamatan"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert any(s["title"].startswith("c1-csv/") for s in package["sources"])
    for item in package["resources"]:
        data = (demo_run["out"] / item["path"]).read_bytes()
        assert item["bytes"] == len(data)
        assert item["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_sha256sums_cover_every_file(demo_run):
    out = demo_run["out"]
    lines = (out / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    done = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=out)
    assert done.returncode == 0


def test_same_inputs_give_byte_identical_outputs(demo_run, tmp_path):
    result = run_cli("run", "--raw", demo_run["raw"], "--work", tmp_path / "work",
                     "--out", tmp_path / "out", "-q")
    assert result.exit_code == 0
    again = tmp_path / "out" / DEMO_ID
    first = sorted(p.relative_to(demo_run["out"]) for p in demo_run["out"].rglob("*")
                   if p.is_file())
    assert first == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in first:
        assert (demo_run["out"] / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_tps_table_has_every_tps_of_the_master(demo_run):
    tps = pd.read_csv(demo_run["out"] / "tps.csv", dtype={"kode": str, "sumber_sha256": str})
    regions = pd.read_csv(demo_run["raw"] / "wilayah-luwu-utara.csv", dtype=str)
    assert sorted(tps["kode"]) == sorted(regions.loc[regions["tingkat"] == "5", "kode"])
    masuk = tps[tps["status"] == "masuk"]
    assert masuk["sumber_sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert tps.loc[tps["status"] == "belum_masuk", "suara_sah"].isna().all()
    parquet = pq.read_table(demo_run["out"] / "tps.parquet").to_pandas()
    assert parquet["kode"].tolist() == tps["kode"].tolist()
    assert parquet["suara_sah"].sum() == tps["suara_sah"].sum()


def test_coverage_adds_up_on_every_level(demo_run):
    for level in ("desa", "kecamatan", "kabupaten"):
        frame = pd.read_csv(demo_run["out"] / f"{level}.csv", dtype={"kode": str})
        parts = frame[["tps_masuk", "tps_bermasalah", "tps_konflik", "tps_belum_masuk"]]
        assert (parts.sum(axis=1) == frame["tps_total"]).all(), level
    desa = pd.read_csv(demo_run["out"] / "desa.csv", dtype={"kode": str, "kode_induk": str})
    kec = pd.read_csv(demo_run["out"] / "kecamatan.csv", dtype={"kode": str}).set_index("kode")
    summed = desa.groupby("kode_induk")[["suara_paslon_1", "tps_total"]].sum()
    assert (summed["suara_paslon_1"] == kec.loc[summed.index, "suara_paslon_1"]).all()
    assert (summed["tps_total"] == kec.loc[summed.index, "tps_total"]).all()


def test_sqlite_has_one_table_per_level(demo_run):
    connection = sqlite3.connect(demo_run["out"] / "results.sqlite")
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE "
                                                "type='table'")}
    assert {"tps", "desa", "kecamatan", "kabupaten", "sumber", "validation_issues"} <= tables
    assert connection.execute("SELECT count(*) FROM tps").fetchone()[0] == 572
    total = connection.execute("SELECT suara_paslon_2 FROM kabupaten").fetchone()[0]
    assert total == 73437
    fks = connection.execute("PRAGMA foreign_key_list(desa)").fetchall()
    assert fks and fks[0][2] == "kecamatan"
    connection.close()


def test_text_cells_cannot_run_as_formulas(tmp_path):
    raw = make_election(tmp_path / "raw")
    regions = raw / "wilayah-uji.csv"
    text = regions.read_text().replace("DESA ALPHA", '"=HYPERLINK(""http://x"",""klik"")"')
    text = text.replace("DESA BETA", "@SUM(A1:A9)")
    regions.write_text(text)
    bad = good_form("9901012001001")
    bad["suara_sah"] = "=1+1"
    (raw / "c1.csv").write_text(csv_text([bad]))
    assert run_election(raw).exit_code == 0
    out = tmp_path / "out" / CONTEST
    for name in ("desa.csv", "validation/issues.csv", "tps.csv"):
        with (out / name).open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@")), (name, cell)
    desa = published(raw, "desa.csv").set_index("kode")
    assert desa.loc["9901012001", "nama"] == "'=HYPERLINK(\"http://x\",\"klik\")"
    assert desa.loc["9901012002", "nama"] == "'@SUM(A1:A9)"


def test_a_crash_while_publishing_leaves_the_previous_release_whole(tmp_path, monkeypatch):
    raw = make_election(tmp_path / "raw")
    (raw / "c1.csv").write_text(csv_text([good_form("9901012001001")]))
    assert run_election(raw).exit_code == 0
    out = tmp_path / "out" / CONTEST
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (raw / "c2.csv").write_text(csv_text([good_form("9901012002001", dpt=280)]))

    import pipeline.publish as publish_module

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(publish_module, "write_sqlite", crash)
    result = run_election(raw)
    assert result.exit_code == 1
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not any(p.name.startswith(".") for p in out.parent.iterdir())


def test_a_release_parked_by_a_crash_is_put_back(tmp_path):
    from pipeline.publish.atomic import recover

    target = tmp_path / "release"
    parked = tmp_path / ".release.old"
    parked.mkdir()
    (parked / "tps.csv").write_text("kode\n")
    recover(target)
    assert (target / "tps.csv").read_text() == "kode\n" and not parked.exists()


@pytest.fixture
def national_tree(tmp_path):
    """The real KPU tree (38 provinces ... Luwu Utara TPS) as an election folder."""
    from conftest import reference

    tree = reference("wilayah", "kpu-2024-ppwp-luwu-utara.csv")
    paslon = reference("sirekap-2024", "ppwp-paslon.json")
    raw = tmp_path / "raw"
    result = run_cli("init", raw, "--regions", tree, "--candidates", paslon, "--contest", "ppwp",
                     "--id", "ppwp-luwu-utara", "--date", "2024-02-14")
    assert result.exit_code == 0, result.output
    return raw


def test_provinsi_and_nasional_levels_when_the_master_spans_them(national_tree, tmp_path):
    form = {**good_form("7322012001001", dpt=250), "suara_paslon_3": 0}
    (national_tree / "c1.csv").write_text(csv_text([form]))
    result = run_cli("run", "--raw", national_tree, "--work", tmp_path / "work", "--out",
                     tmp_path / "out", "-q")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "ppwp-luwu-utara"
    nasional = pd.read_csv(out / "nasional.csv", dtype=str)
    provinsi = pd.read_csv(out / "provinsi.csv", dtype=str)
    assert nasional["kode"].tolist() == ["ID"] and provinsi["kode"].tolist() == ["73"]
    assert provinsi.loc[0, "kode_induk"] == "ID"
    assert int(nasional.loc[0, "tps_total"]) == 1001 and int(nasional.loc[0, "tps_masuk"]) == 1
    assert frictionless_validate(out / "datapackage.json")["valid"]
    shutil.rmtree(tmp_path / "work")


def test_a_failed_build_gives_the_carried_site_back(tmp_path):
    import os

    from pipeline.publish.atomic import building

    target = tmp_path / "release"
    (target / "site").mkdir(parents=True)
    (target / "site" / "index.html").write_text("old")
    with pytest.raises(RuntimeError), building(target) as folder:
        os.replace(target / "site", folder / "site")  # carried in, as publish does
        raise RuntimeError("crash before the swap")
    assert (target / "site" / "index.html").read_text() == "old"
