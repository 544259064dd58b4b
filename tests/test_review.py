"""Photographed and scanned forms through the pipeline: accepted forms count, the others
wait in the review queue, and a person's corrections become a new, published revision."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from pipeline.forms.review import ReviewError, apply_review

from conftest import DEMO_ID, DEMO_RAW, run_cli

# photos named by kode, photos in a folder named by it, a scanned PDF, a digital PDF
SCANNED = ["7322092003002", "7322092004001", "7322092005001", "7322092006001"]
REVIEW = "7322111005001"


def test_scanned_demo_tps_are_read_and_counted(demo_run):
    records = pq.read_table(demo_run["work"] / "records" / "records.parquet").to_pandas()
    forms = records[records["reader"] == "formulir"].set_index("kode_tps")
    assert set(SCANNED) <= set(forms.index)
    for kode in SCANNED:
        assert forms.loc[kode, "ingest_status"] == "ok"
        assert forms.loc[kode, "suara_sah"] not in (None, "")
    assert forms.loc[REVIEW, "ingest_status"] == "incomplete"
    assert forms.loc[REVIEW, ["suara_paslon_1", "suara_sah"]].isna().all()  # none published
    tps = {row["kode"]: row for row in csv.DictReader(
        (demo_run["out"] / "tps.csv").open(encoding="utf-8"))}
    assert all(tps[k]["status"] == "masuk" for k in SCANNED)
    sources = {row["file"]: row for row in csv.DictReader(
        (demo_run["out"] / "sumber.csv").open(encoding="utf-8"))}
    assert sources[f"formulir-pindaian/{SCANNED[2]}.pdf"]["status"] == "read"
    assert sources[f"formulir-digital/{SCANNED[3]}.pdf"]["status"] == "read"
    site = demo_run["out"] / "site"
    page = (site / "wilayah" / f"{SCANNED[1][:10]}.html").read_text(encoding="utf-8")
    link = f"../pindaian/formulir-foto/{SCANNED[1]}/IMG_4102.jpg"
    assert f'href="{link}"' in page  # the watchdog sees the paper beside the numbers
    assert (site / "wilayah" / link).resolve().read_bytes() == (
        demo_run["raw"] / "formulir-foto" / SCANNED[1] / "IMG_4102.jpg").read_bytes()
    queue = json.loads((demo_run["work"] / "review" / "queue.json").read_text())
    assert [f["kode_tps"] for f in queue["forms"]] == [REVIEW]


@pytest.fixture()
def election(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEMO_RAW, raw)
    work = tmp_path / "work"
    result = run_cli("run", "--raw", raw, "--work", work, "--out", tmp_path / "out", "-q")
    assert result.exit_code == 0, result.output
    return raw, work, tmp_path


def test_review_list_export_apply_and_publish(election):
    raw, work, base = election
    listed = run_cli("review", "list", "--raw", raw, "--work", work)
    assert "1 formulir menunggu pemeriksaan" in listed.output
    assert "Kecamatan 732211 BAEBUNTA" in listed.output and REVIEW in listed.output
    exported = run_cli("review", "export", base / "periksa", "--raw", raw, "--work", work)
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader((base / "periksa" / "pemeriksaan.csv").open(encoding="utf-8")))
    assert rows and {r["kode_tps"] for r in rows} == {REVIEW}
    for row in rows:
        assert row["nilai"].isdigit() and row["alasan_mesin"]
        assert (base / "periksa" / row["gambar"]).is_file()
    # The pre-fill already satisfies the form's arithmetic (the disagreeing digits and
    # bubbles were decided by the paslon sum): the reviewer confirms it.
    sheet = {r["kode_tps"]: r for r in csv.DictReader(
        (raw / "c1-csv" / "732211-baebunta.tsv").open(encoding="utf-8"), delimiter="\t")}
    for row in rows:
        assert int(row["nilai"]) == int(sheet[REVIEW][row["field"]]), row["field"]
    before = sorted(p.name for p in raw.rglob("*"))
    applied = run_cli("review", "apply", base / "periksa" / "pemeriksaan.csv", "--operator",
                      "Siti Aminah", "--reason", "dicocokkan dengan salinan C1", "--raw", raw,
                      "--work", work)
    assert applied.exit_code == 0, applied.output
    [written] = list((raw / "pemeriksaan").glob("*.csv"))
    assert sorted(p.name for p in raw.rglob("*")) == sorted([*before, "pemeriksaan",
                                                             written.name])
    again = run_cli("run", "--raw", raw, "--work", work, "--out", base / "out", "-q")
    assert again.exit_code == 0, again.output
    assert "suara_paslon_2=73437" in again.output
    page = (base / "out" / DEMO_ID / "site" / "wilayah" / f"{REVIEW[:10]}.html").read_text()
    assert "diperiksa oleh Siti Aminah: dicocokkan dengan salinan C1" in page
    assert "revisi 1000" in page
    assert "Tidak ada formulir" in run_cli("review", "list", "--raw", raw, "--work",
                                            work).output


def test_apply_names_the_row_and_column_of_a_bad_value_and_never_overwrites(election):
    raw, work, base = election
    run_cli("review", "export", base / "periksa", "--raw", raw, "--work", work)
    path = base / "periksa" / "pemeriksaan.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[1]["nilai"] = "12a"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    bad = run_cli("review", "apply", path, "--operator", "Budi", "--raw", raw, "--work", work)
    assert bad.exit_code != 0 and "row 3, nilai" in bad.output and "'12a'" in bad.output
    assert not (raw / "pemeriksaan").exists()
    queue = work / DEMO_ID / "review"
    rows[1]["nilai"] = ""  # left empty: the TPS is not written (all of it or nothing)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    target, skipped = apply_review(path, queue, raw, "Budi")
    assert target is None and "belum diisi" in skipped[0]
    rows[1]["nilai"] = "141"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    moment = datetime(2024, 11, 29, 8, 0, tzinfo=UTC)
    first, _ = apply_review(path, queue, raw, "Budi", now=moment)
    second, _ = apply_review(path, queue, raw, "Budi", now=moment.replace(minute=5))
    revisions = [next(csv.DictReader(p.open(encoding="utf-8")))["revisi"]
                 for p in (first, second)]
    assert revisions == ["1000", "1001"]
    with pytest.raises(FileExistsError):  # the same moment again: never overwritten
        apply_review(path, queue, raw, "Budi", now=moment)
    with pytest.raises(ReviewError):
        apply_review(path, queue, raw, "=cmd|' /C calc'!A0")
