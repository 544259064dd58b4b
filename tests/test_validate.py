"""Validation: schema failures reject, hard rules make a sheet bermasalah, warnings flag,
and the current submission per TPS follows explicit order only."""

from __future__ import annotations

import json

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


def submissions(raw) -> pd.DataFrame:
    return pd.read_parquet(raw.parent / "work" / CONTEST / "validated" / "submissions.parquet")


@pytest.mark.parametrize("field,value,rule", [
    ("pemilih_dpt_j", 301, "lp_pemilih_dpt"),
    ("pengguna_total_j", 999, "pengguna_total_j"),
    ("suara_sah", 199, "suara_sah_paslon"),
    ("suara_tidak_sah", 6, "suara_total"),
    ("surat_suara_digunakan", 204, "suara_total_surat_digunakan"),
    ("surat_suara_diterima", 309, "surat_suara"),
])
def test_each_hard_rule_makes_the_sheet_bermasalah(raw, field, value, rule):
    form = good_form("9901012001001")
    form[field] = value
    (raw / "c1.csv").write_text(csv_text([form]))
    assert run_election(raw).exit_code == 0
    assert tps_status(raw)["9901012001001"] == "bermasalah"
    found = issues(raw)
    hit = found[(found["rule"] == rule) & (found["severity"] == "bermasalah")]
    assert len(hit) == 1
    assert f"{field}={value}" in hit.iloc[0]["values"]
    assert hit.iloc[0]["message"] and hit.iloc[0]["message_en"]
    kab = published(raw, "kabupaten.csv")
    assert kab.loc[0, "tps_bermasalah"] == 1 and kab.loc[0, "suara_sah"] == 0


def test_plausibility_warnings_are_counted_but_flagged(raw):
    form = good_form("9901012001001", votes=(200, 100), dpt=250)  # DPT 250, master says 300
    (raw / "c1.csv").write_text(csv_text([form]))
    assert run_election(raw).exit_code == 0
    tps = published(raw, "tps.csv").set_index("kode")
    assert tps.loc["9901012001001", "status"] == "masuk"
    warned = set(tps.loc["9901012001001", "peringatan"].split(";"))
    assert {"dpt_sesuai_daftar", "pengguna_dpt_maks_dpt", "suara_total_maks_dpt_cadangan"} <= warned
    assert published(raw, "kabupaten.csv").loc[0, "suara_paslon_1"] == 200


def test_a_missing_optional_section_is_not_zero(raw):
    form = good_form("9901012001001")
    for name in ("surat_suara_diterima", "surat_suara_digunakan", "surat_suara_dikembalikan",
                 "surat_suara_tidak_digunakan"):
        form[name] = ""
    (raw / "c1.csv").write_text(csv_text([form]))
    assert run_election(raw).exit_code == 0
    assert tps_status(raw)["9901012001001"] == "masuk"
    assert not (issues(raw)["rule"] == "surat_suara").any()


def test_higher_revisi_supersedes_and_empty_revisi_is_zero(raw):
    bad = good_form("9901012001001")
    bad["suara_paslon_2"] = 580  # the +500 misread
    (raw / "a.csv").write_text(csv_text([bad]))
    fixed = {**good_form("9901012001001"), "revisi": 1}
    (raw / "b-koreksi.csv").write_text(csv_text([fixed]))
    assert run_election(raw).exit_code == 0
    assert tps_status(raw)["9901012001001"] == "masuk"
    subs = submissions(raw).set_index("source_file")
    assert subs.loc["a.csv", "selection"] == "superseded"
    assert subs.loc["a.csv", "superseded_by"] == subs.loc["b-koreksi.csv", "submission_id"]


def test_later_revisi_that_fails_makes_the_tps_bermasalah(raw):
    (raw / "a.csv").write_text(csv_text([good_form("9901012001001")]))
    later = {**good_form("9901012001001"), "suara_sah": 10, "revisi": 3}
    (raw / "b.csv").write_text(csv_text([later]))
    assert run_election(raw).exit_code == 0
    assert tps_status(raw)["9901012001001"] == "bermasalah"


def sirekap(form, ts):
    admin = {k: v for k, v in form.items() if k.startswith(("pemilih_dpt", "pengguna_"))
             or k in ("suara_sah", "suara_tidak_sah", "suara_total")}
    return json.dumps({"chart": {"501": form["suara_paslon_1"], "502": form["suara_paslon_2"]},
                       "administrasi": admin, "ts": ts})


def test_sirekap_ts_orders_snapshots(raw):
    early = good_form("9901012001002", dpt=250)
    early["pengguna_total_j"] = 705
    (raw / "snap1").mkdir()
    (raw / "snap2").mkdir()
    (raw / "snap1" / "9901012001002.json").write_text(sirekap(early, "2024-11-27 20:00:00"))
    (raw / "snap2" / "9901012001002.json").write_text(
        sirekap(good_form("9901012001002", dpt=250), "2024-11-28 08:00:00"))
    assert run_election(raw).exit_code == 0
    assert tps_status(raw)["9901012001002"] == "masuk"


def test_differing_forms_without_order_make_the_tps_konflik(raw):
    (raw / "a.csv").write_text(csv_text([good_form("9901012001001", votes=(120, 80))]))
    (raw / "b.csv").write_text(csv_text([good_form("9901012001001", votes=(121, 79))]))
    result = run_election(raw, "--strict")
    assert result.exit_code == 1
    assert tps_status(raw)["9901012001001"] == "konflik"
    found = issues(raw)
    konflik = found[found["severity"] == "konflik"]
    assert set(konflik["file"]) == {"a.csv", "b.csv"}
    kab = published(raw, "kabupaten.csv")
    assert kab.loc[0, "tps_konflik"] == 1 and kab.loc[0, "suara_paslon_1"] == 0


def test_identical_duplicates_collapse(raw):
    text = csv_text([good_form("9901012001001")])
    (raw / "a.csv").write_text(text)
    (raw / "a-lagi.csv").write_text(text)
    result = run_election(raw)
    assert result.exit_code == 0
    assert tps_status(raw)["9901012001001"] == "masuk"
    found = issues(raw)
    assert (found["rule"] == "duplicate").sum() == 1
    assert published(raw, "kabupaten.csv").loc[0, "suara_paslon_1"] == 120


def test_tps_901_is_exempt_from_the_dpt_limit():
    from pipeline.validate.rules import evaluate_rules, load_rules

    class Limits:
        max_dpt_per_tps = 600
        reserve_ratio = 0.025

    class Election:
        limits = Limits()

    values = pd.DataFrame({"kode_tps": ["9901012001001", "9901012001901"],
                           "pemilih_dpt_j": pd.array([700, 700], dtype="Int64")})
    rules = [r for r in load_rules([1, 2]) if r.id == "dpt_maks_per_tps"]
    failures = evaluate_rules(values, rules, Election()).frame
    assert failures["row_index"].tolist() == [0]


def test_report_json_has_the_frictionless_shape(raw):
    bad = good_form("9901012001001")
    bad["suara_sah"] = "12a"
    (raw / "c1.csv").write_text(csv_text([bad, good_form("9901012002001", dpt=280)]))
    assert run_election(raw).exit_code == 0
    report = json.loads((raw.parent / "out" / CONTEST / "validation" / "report.json")
                        .read_text())
    assert report["valid"] is False and {"valid", "stats", "tasks"} <= set(report)
    task = next(t for t in report["tasks"] if t["name"] == "c1.csv")
    error = next(e for e in task["errors"] if e["type"] == "type-error")
    assert error["rowNumber"] == 2 and error["fieldName"] == "suara_sah"
    assert error["cell"] == "12a" and "suara_sah" in error["message"]
    assert task["stats"]["errors"] == len(task["errors"])
