"""Readers: canonical and operator CSV layouts, encodings, delimiters, XLSX, Sirekap JSON
(Pemilu hhcw and Pilkada tungsura), zips; every record keeps its source."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest

from helpers import (
    CONTEST,
    csv_text,
    good_form,
    issues,
    make_election,
    published,
    run_election,
    tps_status,
)


@pytest.fixture
def raw(tmp_path):
    return make_election(tmp_path / "raw")


def records(raw) -> pd.DataFrame:
    return pd.read_parquet(raw.parent / "work" / CONTEST / "records" / "records.parquet")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_encodings_and_delimiters(raw, encoding, delimiter):
    rows = [good_form("9901012001001"), good_form("9901012002001", dpt=280)]
    text = csv_text(rows, delimiter=delimiter)
    text = text.replace("kode_tps", "kode_tps")  # canonical layout
    (raw / "kec-satu.csv").write_bytes(text.encode(encoding))
    result = run_election(raw)
    assert result.exit_code == 0, result.output
    status = tps_status(raw)
    assert status["9901012001001"] == "masuk" and status["9901012002001"] == "masuk"
    tps = published(raw, "tps.csv").set_index("kode")
    assert tps.loc["9901012001001", "suara_paslon_1"] == 120
    assert tps.loc["9901012001001", "sumber_file"] == "kec-satu.csv"


def test_operator_layout_with_title_rows_and_form_labels(raw):
    form = good_form("9901012001001")
    header = ["Kode TPS", "Jumlah pemilih dalam DPT (L)", "Jumlah pemilih dalam DPT (P)",
              "Jumlah pemilih dalam DPT (L+P)", "Jumlah seluruh pengguna hak pilih (L+P)",
              "Suara sah Paslon Nomor Urut 1 ALPHA", "Paslon 2", "Jumlah seluruh suara sah",
              "Jumlah suara tidak sah", "Jumlah seluruh suara sah dan suara tidak sah",
              "Catatan"]
    values = [form["kode_tps"], form["pemilih_dpt_l"], form["pemilih_dpt_p"],
              form["pemilih_dpt_j"], form["pengguna_total_j"], form["suara_paslon_1"],
              form["suara_paslon_2"], form["suara_sah"], form["suara_tidak_sah"],
              form["suara_total"], "tulisan tangan – rapi"]
    lines = ["REKAP C1 KECAMATAN SATU;;", "", ";".join(header), ";".join(map(str, values))]
    (raw / "operator.csv").write_bytes("\r\n".join(lines).encode("cp1252"))
    result = run_election(raw)
    assert result.exit_code == 0
    assert tps_status(raw)["9901012001001"] == "masuk"
    found = issues(raw)
    extra = found[(found["file"] == "operator.csv") & (found["rule"] == "extra-label")]
    assert "Catatan" in extra.iloc[0]["message"]
    absent = found[(found["file"] == "operator.csv") & (found["rule"] == "missing-label")]
    assert "surat_suara_diterima" in absent.iloc[0]["message"]
    rec = records(raw)
    assert rec.loc[0, "source_row"] == 4  # title, blank line, header, then the row
    tps = published(raw, "tps.csv").set_index("kode")
    assert pd.isna(tps.loc["9901012001001", "surat_suara_diterima"])  # missing is not zero


def test_operator_layout_by_desa_name_and_tps_number(raw):
    form = good_form("9901022001002", dpt=200)
    header = ["Kecamatan", "Desa/Kelurahan", "Nomor TPS", *list(form)[1:]]
    row = ["Kecamatan Dua", "desa  gamma", "TPS 02", *list(form.values())[1:]]
    (raw / "by-name.csv").write_text(",".join(header) + "\n" + ",".join(map(str, row)) + "\n")
    assert run_election(raw).exit_code == 0
    assert tps_status(raw)["9901022001002"] == "masuk"


def test_xlsx_operator_sheet(raw):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Rekap kecamatan"])
    form = good_form("9901012002001", dpt=280)
    sheet.append(list(form))
    sheet.append([form["kode_tps"], *[float(v) for v in list(form.values())[1:]]])
    workbook.save(raw / "rekap.xlsx")
    assert run_election(raw).exit_code == 0
    assert tps_status(raw)["9901012002001"] == "masuk"
    rec = records(raw)
    assert rec.loc[0, "source_sheet"] == "Sheet" and rec.loc[0, "source_row"] == 3


def sirekap(form: dict[str, object], pilkada: bool, **overrides) -> bytes:
    chart = {"null": None, "501": form["suara_paslon_1"], "502": form["suara_paslon_2"]}
    admin = {k: v for k, v in form.items()
             if k.startswith(("pemilih_dpt", "pengguna_", "suara_")) and
             not k.startswith("suara_paslon")}
    body = {"chart": chart, "administrasi": admin}
    body.update(overrides)
    data = {"mode": "hhcw", "images": [None, None, None], "psu": None,
            "ts": "2024-11-28 10:00:00", "status_suara": True, "status_adm": True}
    data.update({"tungsura": body} if pilkada else body)
    return json.dumps(data).encode()


@pytest.mark.parametrize("pilkada", [False, True])
def test_sirekap_json_maps_candidate_ids_not_order(raw, pilkada):
    form = good_form("9901012001002", votes=(30, 170), dpt=250)
    data = json.loads(sirekap(form, pilkada))
    body = data["tungsura"] if pilkada else data
    body["chart"] = {"502": 170, "null": None, "501": 30}  # ids out of order
    (raw / "9901012001002.json").write_text(json.dumps(data))
    assert run_election(raw).exit_code == 0
    tps = published(raw, "tps.csv").set_index("kode")
    assert tps.loc["9901012001002", "suara_paslon_1"] == 30
    assert tps.loc["9901012001002", "suara_paslon_2"] == 170
    assert tps.loc["9901012001002", "status"] == "masuk"


@pytest.mark.parametrize("state", ["chart-null", "admin-null", "admin-zero"])
def test_sirekap_missing_states_mean_not_received(raw, state):
    form = good_form("9901012001002", dpt=250)
    overrides = {"chart-null": {"chart": None}, "admin-null": {"administrasi": None},
                 "admin-zero": {"administrasi": {k: 0 for k in form
                                                 if k.startswith("pengguna")}}}[state]
    (raw / "9901012001002.json").write_bytes(sirekap(form, True, **overrides))
    assert run_election(raw).exit_code == 0
    tps = published(raw, "tps.csv").set_index("kode")
    assert tps.loc["9901012001002", "status"] == "belum_masuk"
    assert pd.isna(tps.loc["9901012001002", "suara_sah"])
    kab = published(raw, "kabupaten.csv")
    assert kab.loc[0, "tps_belum_masuk"] == 6 and kab.loc[0, "suara_sah"] == 0
    found = issues(raw)
    assert (found["rule"] == "ingest-incomplete").any()


def test_zip_of_json_and_csv_keeps_the_member_as_source(raw):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tps/9901012001002.json",
                         sirekap(good_form("9901012001002", dpt=250), True))
        archive.writestr("kec.csv", csv_text([good_form("9901022001001", dpt=200)]))
    (raw / "kiriman.zip").write_bytes(buffer.getvalue())
    assert run_election(raw).exit_code == 0
    status = tps_status(raw)
    assert status["9901012001002"] == "masuk" and status["9901022001001"] == "masuk"
    rec = records(raw).set_index("source_member")
    assert rec.loc["tps/9901012001002.json", "source_file"] == "kiriman.zip"
    sources = published(raw, "sumber.csv").fillna("")
    member = sources[sources["member"] == "kec.csv"].iloc[0]
    assert member["status"] == "read" and len(member["sha256"]) == 64


def test_unknown_candidate_id_rejects_the_file_record(raw):
    data = json.loads(sirekap(good_form("9901012001002", dpt=250), False))
    data["chart"]["999"] = 5
    (raw / "9901012001002.json").write_text(json.dumps(data))
    assert run_election(raw).exit_code == 0
    found = issues(raw)
    row = found[found["rule"] == "ingest-rejected"].iloc[0]
    assert "999" in row["message"] and row["severity"] == "rejected"
    assert tps_status(raw)["9901012001002"] == "belum_masuk"


def test_whitespace_only_lines_are_blank_rows_and_rows_keep_their_numbers(raw):
    text = csv_text([good_form("9901012001001"), good_form("9901012002001", dpt=280)])
    lines = text.splitlines()
    text = "\n".join([lines[0], lines[1], "   ", "", lines[2]]) + "\n"
    (raw / "c1.csv").write_text(text)
    result = run_election(raw, "--strict")
    assert result.exit_code == 0, result.output
    rec = records(raw).set_index("kode_tps")
    assert rec.loc["9901012002001", "source_row"] == 5
    found = issues(raw)
    assert "2 baris kosong" in found[found["rule"] == "blank-row"].iloc[0]["message"]
