"""The CLI: stages one at a time, summaries, exit codes, config errors that name the problem,
`c1 init` from a candidates CSV or a Sirekap paslon JSON."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from conftest import run_cli
from helpers import CONTEST, csv_text, good_form, make_election, run_election


@pytest.fixture
def raw(tmp_path):
    folder = make_election(tmp_path / "raw")
    (folder / "c1.csv").write_text(csv_text([good_form("9901012001001")]))
    return folder


def test_help_explains_every_command():
    result = run_cli("--help")
    for command in ("run", "ingest", "validate", "aggregate", "publish", "init"):
        assert command in result.output
    for command in ("run", "ingest", "validate", "aggregate", "publish"):
        text = run_cli(command, "--help").output
        assert "--raw" in text and "--work" in text
    assert "--out" in run_cli("publish", "--help").output


def test_stages_one_at_a_time_equal_run(raw, tmp_path):
    work, out = tmp_path / "w", tmp_path / "o"
    for stage in ("ingest", "validate", "aggregate"):
        result = run_cli(stage, "--raw", raw, "--work", work)
        assert result.exit_code == 0, result.output
    assert run_cli("publish", "--raw", raw, "--work", work, "--out", out).exit_code == 0
    assert run_election(raw).exit_code == 0
    single = out / CONTEST
    whole = tmp_path / "out" / CONTEST
    for path in single.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (whole / path.relative_to(single)).read_bytes()


def test_run_prints_a_summary_with_the_report_path(raw):
    result = run_election(raw)
    assert result.exit_code == 0
    assert "accepted 1" in result.output and "masuk 1" in result.output
    assert "belum_masuk 5" in result.output
    assert "report.json" in result.output


def test_strict_exits_1_only_when_something_is_flagged(raw):
    assert run_election(raw, "--strict").exit_code == 0
    (raw / "bad.csv").write_text(csv_text([{**good_form("9901012002001"), "suara_sah": "x"}]))
    assert run_election(raw).exit_code == 0
    assert run_election(raw, "--strict").exit_code == 1


def test_a_stage_run_too_early_says_which_to_run(raw, tmp_path):
    result = run_cli("aggregate", "--raw", raw, "--work", tmp_path / "empty")
    assert result.exit_code == 2
    assert "c1 validate" in result.output


@pytest.mark.parametrize("edit,needle", [
    (lambda t: t.replace('id = "uji-2024"', 'id = "Uji 2024"'), "id"),
    (lambda t: t.replace("[[candidates]]", "[[candidatez]]"), "candidates"),
    (lambda t: t.replace('file = "wilayah-uji.csv"', 'file = "nope.csv"'), "nope.csv"),
    (lambda t: t + "\n[broken\n", "TOML"),
    (lambda t: t.replace("max_dpt_per_tps = 600", 'max_dpt_per_tps = "banyak"'), "limits"),
])
def test_config_errors_exit_2_and_name_the_problem(raw, edit, needle):
    config = raw / "election.toml"
    config.write_text(edit(config.read_text()))
    result = run_election(raw)
    assert result.exit_code == 2
    assert needle in result.output and "Traceback" not in result.output


def test_a_broken_region_master_names_file_and_row(raw):
    regions = raw / "wilayah-uji.csv"
    regions.write_text(regions.read_text().replace("9901022001003,TPS 003,5,9901022001",
                                                   "9901022001003,TPS 003,5,9901099999"))
    result = run_election(raw)
    assert result.exit_code == 2
    assert "wilayah-uji.csv row 13" in result.output and "9901099999" in result.output


def test_missing_raw_folder_is_a_usage_error(tmp_path):
    result = run_cli("run", "--raw", tmp_path / "nowhere")
    assert result.exit_code == 2 and "not found" in result.output


def test_init_from_a_sirekap_paslon_json(tmp_path):
    from conftest import reference

    raw = tmp_path / "pilpres"
    result = run_cli("init", raw, "--regions", reference("wilayah", "kpu-2024-ppwp-samples.csv"),
                     "--candidates", reference("sirekap-2024", "ppwp-paslon.json"),
                     "--contest", "ppwp", "--id", "ppwp-2024")
    assert result.exit_code == 0, result.output
    config = tomllib.loads((raw / "election.toml").read_text())
    assert [c["nomor_urut"] for c in config["candidates"]] == [1, 2, 3]
    assert config["candidates"][1]["sirekap_id"] == "100026"
    assert config["limits"]["max_dpt_per_tps"] == 300
    assert (raw / "kpu-2024-ppwp-samples.csv").is_file()
    again = run_cli("init", raw, "--regions", reference("wilayah", "kpu-2024-ppwp-samples.csv"),
                    "--candidates", reference("sirekap-2024", "ppwp-paslon.json"))
    assert again.exit_code == 2 and "already exists" in again.output


def test_init_then_run_on_another_kabupaten(tmp_path):
    raw = make_election(tmp_path / "raw", candidates_json=True)
    (raw / "9901022001001.json").write_text(
        '{"chart": {"501": 100, "502": 95}, "administrasi": {"suara_sah": 195, '
        '"suara_tidak_sah": 5, "suara_total": 200, "pemilih_dpt_j": 200, '
        '"pengguna_total_j": 200}}')
    result = run_election(raw)
    assert result.exit_code == 0, result.output
    assert "suara_paslon_1=100" in result.output


def test_no_traceback_as_a_subprocess(raw, tmp_path):
    (raw / "junk.csv").write_bytes(b"\x00\x01\x02" * 100)
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--raw", str(raw),
                           "--work", str(tmp_path / "w"), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "rejected" in done.stdout
