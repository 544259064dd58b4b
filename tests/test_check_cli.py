"""`c1 check` through the CLI: exit codes, the JSON report, the summary, packages, Parquet,
and the pipeline's validate stage using the same engine."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_cli

SCHEMA = {"fields": [{"name": "kode_tps", "type": "string",
                      "constraints": {"required": True, "pattern": "[0-9]{13}"}},
                     {"name": "suara_sah", "type": "integer",
                      "constraints": {"minimum": 0, "maximum": 999}}],
          "primaryKey": ["kode_tps"]}


@pytest.fixture
def files(tmp_path):
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(SCHEMA))
    good = tmp_path / "good.csv"
    good.write_text("kode_tps,suara_sah\n7322012001001,120\n7322012001002,98\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("kode_tps,suara_sah\n7322012001001,12a\n7322012001001,1000\n123,5,9\n\n")
    return {"schema": schema, "good": good, "bad": bad, "dir": tmp_path}


def test_valid_table_exits_0(files):
    result = run_cli("check", files["good"], "--schema", files["schema"])
    assert result.exit_code == 0
    assert "valid" in result.output and "INVALID" not in result.output


def test_invalid_table_reports_every_error_sorted(files):
    result = run_cli("check", files["bad"], "--schema", files["schema"], "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False and report["stats"]["errors"] == 7
    task = report["tasks"][0]
    got = [(e["type"], e.get("rowNumber"), e.get("fieldNumber")) for e in task["errors"]]
    assert got == [("type-error", 2, 2), ("constraint-error", 3, 2), ("primary-key", 3, None),
                   ("constraint-error", 4, 1), ("extra-cell", 4, 3), ("blank-row", 5, None),
                   ("primary-key", 5, None)]
    first = task["errors"][0]
    assert first["fieldName"] == "suara_sah" and first["cell"] == "12a"
    assert "Type error" in first["message"]


def test_human_summary_counts_and_first_errors(files):
    result = run_cli("check", files["bad"], "--schema", files["schema"])
    assert result.exit_code == 1
    assert "INVALID: 7 errors" in result.output
    assert "constraint-error" in result.output and "row 2, field 2 suara_sah: '12a'" in (
        result.output)


@pytest.mark.parametrize("args", [[], ["--schema"], ["nope.csv", "--schema", "x.json"]])
def test_unusable_arguments_exit_2(files, args):
    if args == ["--schema"]:
        args = ["--schema", str(files["schema"])]
    result = run_cli("check", *args)
    assert result.exit_code == 2


def test_a_broken_schema_exits_2_and_says_why(files):
    broken = files["dir"] / "broken.json"
    broken.write_text(json.dumps({"fields": [{"name": "x", "type": "integer",
                                              "constraints": {"pattern": "[0-9]"}}]}))
    result = run_cli("check", files["good"], "--schema", broken)
    assert result.exit_code == 2 and "pattern" in result.output


def test_parquet_data(files):
    path = files["dir"] / "t.parquet"
    pq.write_table(pa.table({"kode_tps": ["7322012001001", "x"], "suara_sah": [5, 2000]}), path)
    result = run_cli("check", path, "--schema", files["schema"], "--json")
    report = json.loads(result.output)
    got = [(e["type"], e.get("rowNumber"), e.get("fieldNumber"))
           for e in report["tasks"][0]["errors"]]
    assert got == [("constraint-error", 3, 1), ("constraint-error", 3, 2)]


def test_the_published_package_checks_clean(demo_run):
    result = run_cli("check", "--package", demo_run["out"] / "datapackage.json")
    assert result.exit_code == 0, result.output
    assert "tps.csv: 572 rows, valid" in result.output


def test_one_resource_of_a_package_against_other_data(demo_run, tmp_path):
    tps = (demo_run["out"] / "tps.csv").read_text().splitlines()
    broken = tmp_path / "tps.csv"
    # a TPS whose desa is not in desa.csv: a foreign-key error against the package
    broken.write_text("\n".join([tps[0], tps[1].replace(",\"7322012001\",", ",\"7322999999\",", 1),
                                 *tps[2:]]) + "\n")
    result = run_cli("check", broken, "--package", demo_run["out"] / "datapackage.json",
                     "--resource", "tps", "--json")
    assert result.exit_code == 1
    errors = json.loads(result.output)["tasks"][0]["errors"]
    assert [(e["type"], e["rowNumber"]) for e in errors] == [("foreign-key", 2)]


def test_validate_stage_uses_the_same_engine():
    from pipeline import tableschema
    from pipeline.check import fields

    assert tableschema.check_field is fields.check_field


def test_streamed_json_equals_the_library_report(files):
    from pipeline.check import check_file

    result = run_cli("check", files["bad"], "--schema", files["schema"], "--json")
    streamed = json.loads(result.output)
    assert streamed == check_file(files["bad"], SCHEMA)
