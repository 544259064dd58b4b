"""Hostile input never crashes and never loses data.

Each case builds a small election folder in `tmp_path` (the demo `election.toml`, the region
master and one good canonical CSV) plus hostile files, runs `c1 run` and checks that

* the run completes (exit 0; 1 with `--strict` when something was flagged), no traceback;
* `validation/issues.csv` names the file (and archive member), severity, a key word of what is
  wrong and, for cell faults, the row and the field;
* the good file's TPS are still counted (`tps.csv` status `masuk`);
* nothing is lost: every submission row of a readable hostile file is in
  `records/records.parquet` or named in the issues; the raw folder is never modified.

Each flagged case runs alone with `--strict` (exit 1 must be its own); the valid-but-unusual
ones (UTF-16, Windows-1252, renamed or extra columns) share one `--strict` run that must exit 0;
all cases also run together without `--strict` (exit 0), and that folder once more as a
subprocess.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import random
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "raw"
CONTEST = "pilbup-luwu-utara-2024"
GOOD = "c1-csv/732209-rampi.csv"
ZIP_TIME = (2024, 11, 27, 12, 0, 0)
# Sirekap candidate ids of the demo election.toml, paslon 1..4.
SIREKAP_IDS = ("1001256", "1001257", "1001258", "1001259")
BOMB_BYTES = 200 * 1024 * 1024


# ------------------------------------------------------------------ donor rows and builders


@functools.cache
def _donor_table() -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Valid canonical rows of two demo kecamatan (not the good file's): hostile files'
    content, a distinct slice per case so cases can share one run without colliding."""
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
    for name in ("732215-sabbang-selatan.csv", "732202-bone-bone.csv"):
        with (DEMO / "c1-csv" / name).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            this = tuple(next(reader))
            assert not header or this == header
            header = this
            rows.extend(tuple(r) for r in reader if r)
    return header, tuple(rows)


def header() -> list[str]:
    return list(_donor_table()[0])


def donor(i: int) -> list[str]:
    return list(_donor_table()[1][i])


def kode(i: int) -> str:
    return donor(i)[0]


def donor_dict(i: int) -> dict[str, str]:
    return dict(zip(header(), donor(i), strict=True))


def table_text(rows: list[list[str]], sep: str = ",", before: tuple[str, ...] = (),
               newline: str = "\n") -> str:
    """A delimited text table; cells are joined raw so ragged rows stay ragged."""
    return newline.join([*before, *(sep.join(r) for r in rows)]) + newline


def canonical(indices: list[int]) -> bytes:
    return table_text([header(), *(donor(i) for i in indices)]).encode()


def with_cell(i: int, field: str, value: str) -> list[str]:
    row = donor(i)
    row[header().index(field)] = value
    return row


def zinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)  # fixed time: deterministic bytes
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(zinfo(name), data)
    return buffer.getvalue()


@functools.cache
def bomb_zip(good: bytes) -> bytes:
    """A zip with one good member and 200 MB of zeros (about 200 KB compressed), streamed
    chunk by chunk so it never sits in memory."""
    buffer = io.BytesIO()
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zinfo("baik.csv"), good)
        with archive.open(zinfo("bomb.csv"), "w") as handle:
            for _ in range(BOMB_BYTES // len(chunk)):
                handle.write(chunk)
    return buffer.getvalue()


def sirekap_json(i: int, chart: dict[str, object] | None = None,
                 admin: dict[str, object] | None = None) -> bytes:
    """A Sirekap Pilkada per-TPS JSON (`tungsura` shape) with donor i's numbers."""
    row = donor_dict(i)
    names = ["suara_sah", "suara_total", "suara_tidak_sah"] + [
        f"{p}_{s}" for p in ("pemilih_dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_non_dpt",
                             "pengguna_total") for s in "jlp"]
    body = {
        "chart": {sid: int(row[f"suara_paslon_{n}"]) for n, sid in enumerate(SIREKAP_IDS, 1)},
        "administrasi": {name: int(row[name]) for name in names},
    }
    body["chart"].update(chart or {})
    body["administrasi"].update(admin or {})
    return json.dumps({"mode": "hhcw", "tungsura": body, "psu": None,
                       "ts": "2024-11-28 09:00:00"}).encode()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def numeric(row: list[str]) -> list[object]:
    return [row[0], *(int(v) for v in row[1:])]


# ------------------------------------------------------------------ running c1


def hash_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_raw(raw: Path, files: dict[str, bytes], max_file_mb: float | None = None) -> Path:
    raw.mkdir(parents=True)
    config = (DEMO / "election.toml").read_text(encoding="utf-8")
    if max_file_mb is not None:
        assert "max_file_mb = 512" in config
        config = config.replace("max_file_mb = 512", f"max_file_mb = {max_file_mb}")
    (raw / "election.toml").write_text(config, encoding="utf-8")
    shutil.copyfile(DEMO / "wilayah-luwu-utara.csv", raw / "wilayah-luwu-utara.csv")
    (raw / GOOD).parent.mkdir(parents=True)
    shutil.copyfile(DEMO / GOOD, raw / GOOD)
    for rel, data in files.items():
        path = raw / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return raw


@dataclass
class Run:
    exit_code: int
    output: str
    raw: Path
    work: Path
    out: Path
    before: dict[str, str]
    after: dict[str, str]

    @property
    def folder(self) -> Path:
        return self.out / CONTEST

    @functools.cached_property
    def issues(self) -> list[dict[str, str]]:
        with (self.folder / "validation" / "issues.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    @functools.cached_property
    def tps(self) -> dict[str, str]:
        with (self.folder / "tps.csv").open(encoding="utf-8") as handle:
            return {r["kode"]: r["status"] for r in csv.DictReader(handle)}

    @functools.cached_property
    def records(self) -> pd.DataFrame:
        return pd.read_parquet(self.work / CONTEST / "records" / "records.parquet")

    @functools.cached_property
    def sources(self) -> list[dict[str, str]]:
        with (self.folder / "sumber.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    @functools.cached_property
    def report(self) -> dict:
        return json.loads((self.folder / "validation" / "report.json").read_text("utf-8"))


def run_c1(raw: Path, root: Path, strict: bool = False) -> Run:
    """`c1 run` in-process; work and out folders under `root`."""
    work, out = root / "work", root / "out"
    before = hash_tree(raw)
    args = ["run", "--raw", str(raw), "--work", str(work), "--out", str(out), "-q"]
    result = CliRunner().invoke(main, [*args, "--strict"] if strict else args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"c1 raised {result.exception!r}\n{result.output}")
    return Run(result.exit_code, result.output, raw, work, out, before, hash_tree(raw))


# ------------------------------------------------------------------ assertions


def good_codes() -> list[str]:
    with (DEMO / GOOD).open(encoding="utf-8") as handle:
        return [r["kode_tps"] for r in csv.DictReader(handle)]


@functools.cache
def master_codes() -> frozenset[str]:
    with (DEMO / "wilayah-luwu-utara.csv").open(encoding="utf-8") as handle:
        return frozenset(r["kode"] for r in csv.DictReader(handle) if r["tingkat"] == "5")


def assert_survived(run: Run, exit_code: int) -> None:
    """Completed with this exit code, no traceback, raw folder untouched, good data counted."""
    assert run.exit_code == exit_code, run.output
    assert "Traceback" not in run.output
    assert "internal error" not in run.output, run.output
    assert run.after == run.before, "the raw folder was modified"
    assert (run.folder / "datapackage.json").is_file()
    assert {k: run.tps[k] for k in good_codes()} == dict.fromkeys(good_codes(), "masuk")


def issues_of(run: Run, file: str, member: str = "") -> list[dict[str, str]]:
    return [i for i in run.issues if i["file"] == file and i["member"] == member]


def expect_issue(run: Run, file: str, *, member: str = "", severity: str = "rejected",
                 keyword: str | None = None, rule: str | None = None, row: int | None = None,
                 field: str | None = None, values: str | None = None) -> list[dict[str, str]]:
    """The issues of file/member matching every criterion given; fails if there is none."""
    found = []
    for issue in issues_of(run, file, member):
        if issue["severity"] != severity:
            continue
        if keyword is not None and keyword.lower() not in issue["message_en"].lower():
            continue
        if rule is not None and issue["rule"] != rule:
            continue
        if row is not None and issue["row"] != str(row):
            continue
        if field is not None and issue["fields"] != field:
            continue
        if values is not None and issue["values"] != values:
            continue
        found.append(issue)
    wanted = dict(severity=severity, keyword=keyword, rule=rule, row=row, field=field,
                  values=values)
    listing = "\n".join(f"  {i['row']} {i['severity']} {i['rule']} {i['fields']}: "
                        f"{i['message_en']}" for i in issues_of(run, file, member))
    assert found, f"no issue {wanted} for {file}!{member}; its issues:\n{listing or '  none'}"
    for issue in found:
        assert issue["message"].strip(), "the Indonesian message is empty"
    return found


def assert_file_rejected(run: Run, file: str, keyword: str, member: str = "",
                         rule: str = "unreadable") -> None:
    """A whole file (or archive member) refused: issue, sources row and report task."""
    expect_issue(run, file, member=member, rule=rule, keyword=keyword)
    entries = [s for s in run.sources if s["file"] == file and s["member"] == member]
    assert [s["status"] for s in entries] == ["rejected"], entries
    name = f"{file}!{member}" if member else file
    tasks = [t for t in run.report["tasks"] if t["name"] == name]
    assert len(tasks) == 1 and tasks[0]["valid"] is False, tasks


def record_rows(run: Run, file: str, member: str = "") -> dict[int | None, str]:
    """source_row (None for JSON) -> ingest_status of the records of one file/member."""
    part = run.records[(run.records["source_file"] == file)
                       & (run.records["source_member"] == member)]
    rows = [None if pd.isna(r) else int(r) for r in part["source_row"]]
    assert len(set(rows)) == len(rows), f"two records share a row of {file}!{member}"
    return dict(zip(rows, part["ingest_status"], strict=True))


def assert_rows_kept(run: Run, file: str, rows: list[int], member: str = "") -> None:
    """Nothing lost: every data row is a record (with its row number) or named in an issue."""
    kept = record_rows(run, file, member)
    named = {int(i["row"]) for i in issues_of(run, file, member) if i["row"]}
    lost = [r for r in rows if r not in kept and r not in named]
    assert not lost, f"rows {lost} of {file}!{member} are neither records nor issues"


def assert_read_clean(run: Run, file: str, indices: list[int], rows: list[int],
                      member: str = "") -> None:
    """A hostile-looking but valid file: read whole, every TPS counted, nothing rejected."""
    assert record_rows(run, file, member) == dict.fromkeys(rows, "ok")
    assert {kode(i): run.tps[kode(i)] for i in indices} == dict.fromkeys(
        map(kode, indices), "masuk")
    bad = [i for i in issues_of(run, file, member) if i["severity"] != "info"]
    assert not bad, bad
    entries = [s for s in run.sources if s["file"] == file and s["member"] == member]
    assert [(s["status"], s["kiriman"]) for s in entries] == [("read", str(len(rows)))]


def assert_not_counted(run: Run, indices: list[int]) -> None:
    assert all(run.tps[kode(i)] != "masuk" for i in indices)


# ------------------------------------------------------------------ the cases


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[str], tuple[dict[str, bytes], Callable[[Run], None]]]
    strict_exit: int | None = 1  # exit of `run --strict` with this case alone; None: no --strict


CASES: list[Case] = []


def case(case_id: str, *, strict_exit: int | None = 1):
    def register(build):
        CASES.append(Case(case_id, build, strict_exit))
        return build
    return register


@case("empty-files")
def _empty(d: str):
    files = {f"{d}/kosong.csv": b"", f"{d}/spasi.csv": b" \r\n\n\t \n",
             f"{d}/kosong.json": b"", f"{d}/kosong.xlsx": b"", f"{d}/kosong.zip": b""}

    def check(run: Run) -> None:
        assert_file_rejected(run, f"{d}/kosong.csv", "empty")
        assert_file_rejected(run, f"{d}/spasi.csv", "empty")
        assert_file_rejected(run, f"{d}/kosong.json", "corrupt JSON")
        assert_file_rejected(run, f"{d}/kosong.xlsx", "corrupt XLSX")
        assert_file_rejected(run, f"{d}/kosong.zip", "corrupt zip")
    return files, check


@case("binary-garbage")
def _binary(d: str):
    rng = random.Random(20241127)
    high = bytes(rng.randrange(0x80, 0x100) for _ in range(4096))  # no NUL, not UTF-8
    files = {f"{d}/sampah.csv": rng.randbytes(8192),
             f"{d}/gambar.csv": b"\x89PNG\r\n\x1a\n" + bytes(2048) + rng.randbytes(2048),
             f"{d}/sampah-tinggi.csv": high}

    def check(run: Run) -> None:
        assert_file_rejected(run, f"{d}/sampah.csv", "binary")
        assert_file_rejected(run, f"{d}/gambar.csv", "binary")
        assert_file_rejected(run, f"{d}/sampah-tinggi.csv", "no header row")
    return files, check


@case("truncated-xlsx")
def _truncated_xlsx(d: str):
    data = (DEMO / "c1-xlsx" / "732212-tana-lili.xlsx").read_bytes()
    # A workbook whose zip container is whole but whose sheet XML is cut off.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet = next(n for n in members if n.startswith("xl/worksheets/sheet"))
    members[sheet] = members[sheet][: len(members[sheet]) // 2]
    files = {f"{d}/terpotong.xlsx": data[: len(data) // 2],
             f"{d}/lembar-terpotong.xlsx": make_zip(members),
             f"{d}/bukan-xlsx.xlsx": canonical([0])}

    def check(run: Run) -> None:
        assert_file_rejected(run, f"{d}/terpotong.xlsx", "corrupt")
        assert_file_rejected(run, f"{d}/lembar-terpotong.xlsx", "corrupt")
        assert_file_rejected(run, f"{d}/bukan-xlsx.xlsx", "corrupt")
    return files, check


@case("corrupt-zip")
def _corrupt_zip(d: str):
    data = make_zip({"isi.csv": canonical([42, 43])})
    files = {f"{d}/terpotong.zip": data[: len(data) * 6 // 10],
             f"{d}/bukan-zip.zip": b"PK\x03\x04 this is not really a zip archive\n" * 10}

    def check(run: Run) -> None:
        assert_file_rejected(run, f"{d}/terpotong.zip", "corrupt zip")
        assert_file_rejected(run, f"{d}/bukan-zip.zip", "corrupt zip")
        assert_not_counted(run, [42, 43])
    return files, check


@case("utf16", strict_exit=0)
def _utf16(d: str):
    title = ("REKAPITULASI C.HASIL – Kecamatan Sabbang Selatan ‘Séko’",)

    def text(indices: list[int]) -> str:
        return table_text([header(), *(donor(i) for i in indices)], sep="\t", before=title,
                          newline="\r\n")
    files = {f"{d}/excel-unicode.txt": text([8, 9]).encode("utf-16"),  # BOM, LE
             f"{d}/tanpa-bom.tsv": text([10, 11]).encode("utf-16-le"),
             f"{d}/big-endian.csv": b"\xfe\xff" + text([12]).encode("utf-16-be")}

    def check(run: Run) -> None:
        # title line is row 1, header row 2: data from row 3
        assert_read_clean(run, f"{d}/excel-unicode.txt", [8, 9], [3, 4])
        assert_read_clean(run, f"{d}/tanpa-bom.tsv", [10, 11], [3, 4])
        assert_read_clean(run, f"{d}/big-endian.csv", [12], [3])
    return files, check


@case("windows-1252", strict_exit=0)
def _cp1252(d: str):
    rows = [header(), donor(13), donor(14)]
    text = table_text(rows, sep=";", before=("Rekap – Kecamatan Sabbang Selatan ’24",),
                      newline="\r\n")
    latin = table_text([header(), donor(15)], before=("Catatan: \x81 \x8d \xe9",))
    files = {f"{d}/operator-1252.csv": text.encode("cp1252"),
             f"{d}/latin1.csv": latin.encode("latin-1")}
    assert b"\x96" in files[f"{d}/operator-1252.csv"]  # not valid UTF-8

    def check(run: Run) -> None:
        assert_read_clean(run, f"{d}/operator-1252.csv", [13, 14], [3, 4])
        assert_read_clean(run, f"{d}/latin1.csv", [15], [3])
    return files, check


@case("extra-column", strict_exit=0)
def _extra_column(d: str):
    cols = header()
    rows = [[cols[0], "catatan", *cols[1:]]]
    rows += [[donor(i)[0], '"dihitung ulang, disaksikan"', *donor(i)[1:]] for i in (0, 1)]
    files = {f"{d}/kolom-tambahan.csv": table_text(rows).encode()}

    def check(run: Run) -> None:
        file = f"{d}/kolom-tambahan.csv"
        expect_issue(run, file, severity="info", rule="extra-label", keyword="catatan")
        assert_read_clean(run, file, [0, 1], [2, 3])
    return files, check


@case("missing-column")
def _missing_column(d: str):
    cols = header()
    at = cols.index("suara_sah")
    no_sah = [[c for k, c in enumerate(r) if k != at] for r in (cols, donor(2), donor(3))]
    no_kode = [r[1:] for r in (cols, donor(4))]
    files = {f"{d}/tanpa-suara-sah.csv": table_text(no_sah).encode(),
             f"{d}/tanpa-kode-tps.csv": table_text(no_kode).encode()}

    def check(run: Run) -> None:
        file = f"{d}/tanpa-suara-sah.csv"
        info = expect_issue(run, file, severity="info", rule="missing-label", keyword="absent")
        assert "suara_sah" in info[0]["fields"].split(";")
        for row in (2, 3):
            expect_issue(run, file, row=row, field="suara_sah", keyword="required")
        assert record_rows(run, file) == {2: "ok", 3: "ok"}  # kept, rejected in validation
        assert_not_counted(run, [2, 3])
        assert_file_rejected(run, f"{d}/tanpa-kode-tps.csv", "TPS code")
        assert_not_counted(run, [4])
    return files, check


RENAMED = {
    "kode_tps": "Kode TPS", "pemilih_dpt_l": "DPT L", "pemilih_dpt_p": "dpt perempuan",
    "pemilih_dpt_j": "Jumlah DPT", "pengguna_dpt_l": "Pengguna DPT L",
    "pengguna_dpt_p": "I.B.1 P", "pengguna_dpt_j": "I.B.1 L+P", "pengguna_dptb_l": "DPTb L",
    "pengguna_dptb_p": "DPTb P", "pengguna_dptb_j": "DPTb", "pengguna_non_dpt_l": "DPK L",
    "pengguna_non_dpt_p": "DPK P", "pengguna_non_dpt_j": "DPK",
    "pengguna_total_l": "Jumlah pengguna L", "pengguna_total_p": "Jumlah pengguna P",
    "pengguna_total_j": "Jumlah pengguna hak pilih", "surat_suara_diterima": "SS diterima",
    "surat_suara_digunakan": "Surat suara digunakan", "surat_suara_dikembalikan": "SS rusak",
    "surat_suara_tidak_digunakan": "Surat suara sisa", "pemilih_disabilitas_l": "Disabilitas L",
    "pemilih_disabilitas_p": "III P", "pemilih_disabilitas_j": "Disabilitas L+P",
    "suara_paslon_1": "Paslon 01", "suara_paslon_2": "Suara Paslon 2",
    "suara_paslon_3": "Nomor Urut 3", "suara_paslon_4": "IV.4",
    "suara_sah": "  Jumlah   suara sah ", "suara_tidak_sah": "Tidak Sah",
    "suara_total": "TOTAL SUARA",
}


@case("renamed-columns", strict_exit=0)
def _renamed(d: str):
    assert set(RENAMED) == set(header())

    def dotted(k: str) -> str:
        return f"{k[:2]}.{k[2:4]}.{k[4:6]}.{k[6:10]}.{k[10:]}"
    rows = [[RENAMED[c] for c in header()]]
    rows += [[dotted(donor(i)[0]), *donor(i)[1:]] for i in (5, 6, 7)]
    title = ("REKAPITULASI HASIL PENGHITUNGAN SUARA", "Kabupaten Luwu Utara", "")
    files = {f"{d}/label-operator.csv": table_text(rows, sep=";", before=title).encode()}

    def check(run: Run) -> None:
        file = f"{d}/label-operator.csv"
        assert not issues_of(run, file), issues_of(run, file)  # every label mapped
        assert_read_clean(run, file, [5, 6, 7], [5, 6, 7])
    return files, check


CELL_FAULTS = [  # (donor, field, cell, rule, key word of the message)
    (16, "suara_paslon_1", "12a", "type-error", "integer"),
    (17, "pemilih_dpt_l", "-3", "constraint-error", "minimum"),
    (18, "suara_sah", "12.5", "type-error", "integer"),
    (19, "pemilih_dpt_j", "1000", "constraint-error", "maximum"),
]


@case("bad-cell-values")
def _cells(d: str):
    rows = [header(), *(with_cell(i, f, v) for i, f, v, _, _ in CELL_FAULTS), donor(20)]
    files = {f"{d}/isian-salah.csv": table_text(rows).encode()}

    def check(run: Run) -> None:
        file = f"{d}/isian-salah.csv"
        for row, (i, field, cell, rule, word) in enumerate(CELL_FAULTS, start=2):
            found = expect_issue(run, file, row=row, field=field, rule=rule, keyword=word,
                                 values=f"{field}={cell}")
            assert cell in found[0]["message_en"] and found[0]["kode_tps"] == kode(i)
        rejected = {int(i["row"]) for i in issues_of(run, file) if i["severity"] == "rejected"}
        assert rejected == {2, 3, 4, 5}
        assert_rows_kept(run, file, [2, 3, 4, 5, 6])
        assert_not_counted(run, [16, 17, 18, 19])
        assert run.tps[kode(20)] == "masuk"
    return files, check


@case("unknown-tps-code")
def _unknown_tps(d: str):
    unknown = "7322159999001"  # 13 digits, desa 7322159999 does not exist
    assert unknown not in master_codes()
    good = kode(21)
    rows = [header(), [f"{good[:6]}.{good[6:10]}.{good[10:]}", *donor(21)[1:]],
            [unknown, *donor(22)[1:]], ["", *donor(23)[1:]]]
    files = {f"{d}/kode-asing.csv": table_text(rows).encode()}

    def check(run: Run) -> None:
        file = f"{d}/kode-asing.csv"
        found = expect_issue(run, file, row=3, field="kode_tps", rule="unknown-tps",
                             keyword="not in the region master")
        assert unknown in found[0]["message_en"]
        expect_issue(run, file, row=4, field="kode_tps", rule="constraint-error",
                     keyword="required")
        assert_rows_kept(run, file, [2, 3, 4])
        assert run.tps[good] == "masuk"  # dots in a code are the operator's, not a fault
        assert unknown not in run.tps
    return files, check


MALFORMED_TPS = [(2, "123"), (3, "abc"), (4, "73221520030011")]  # (row, code written)


@case("malformed-tps-codes")
def _malformed_tps(d: str):
    rows = [header(), *([code, *donor(24 + k)[1:]] for k, (_, code) in enumerate(MALFORMED_TPS))]
    files = {f"{d}/kode-rusak.csv": table_text(rows).encode()}

    def check(run: Run) -> None:
        file = f"{d}/kode-rusak.csv"
        for row, code in MALFORMED_TPS:
            found = expect_issue(run, file, row=row, field="kode_tps", rule="constraint-error",
                                 keyword="pattern")
            assert code in found[0]["message_en"]
        assert_rows_kept(run, file, [2, 3, 4])
    return files, check


@case("ragged-rows")
def _ragged(d: str):
    cut = donor(29)[:5]
    rows = [header(), donor(27), [*donor(28), "99"], cut, donor(30), [*donor(31), "x", "y"],
            donor(32)]
    with_title = [header(), donor(33), [*donor(34), "99"], donor(35)]
    files = {f"{d}/sel-lebih-kurang.csv": table_text(rows).encode(),
             f"{d}/judul-dan-lebih.csv": table_text(with_title, before=("REKAP", "")).encode()}

    def check(run: Run) -> None:
        file = f"{d}/sel-lebih-kurang.csv"
        for row, cells, i in ((3, 31, 28), (4, 5, 29), (6, 32, 31)):
            found = expect_issue(run, file, row=row, rule="ingest-rejected",
                                 keyword=f"row has {cells} cells, the header 30")
            assert found[0]["kode_tps"] == kode(i)
        assert record_rows(run, file) == {2: "ok", 3: "rejected", 4: "rejected", 5: "ok",
                                          6: "rejected", 7: "ok"}
        assert_not_counted(run, [28, 29, 31])
        assert all(run.tps[kode(i)] == "masuk" for i in (27, 30, 32))
        file = f"{d}/judul-dan-lebih.csv"
        expect_issue(run, file, row=5, rule="ingest-rejected", keyword="31 cells")
        assert record_rows(run, file) == {4: "ok", 5: "rejected", 6: "ok"}
        assert run.tps[kode(33)] == run.tps[kode(35)] == "masuk"
    return files, check


@case("truncated-csv")
def _truncated_csv(d: str):
    cut = table_text([header(), donor(36), donor(37)]) + ",".join(donor(38))[:20]
    quote = table_text([header(), donor(39), ['"' + donor(40)[0], *donor(40)[1:]], donor(41)])
    files = {f"{d}/terpotong.csv": cut.encode(), f"{d}/kutip-terbuka.csv": quote.encode()}

    def check(run: Run) -> None:
        file = f"{d}/terpotong.csv"
        expect_issue(run, file, row=4, rule="ingest-rejected", keyword="cells")
        assert record_rows(run, file) == {2: "ok", 3: "ok", 4: "rejected"}
        assert run.tps[kode(36)] == run.tps[kode(37)] == "masuk"
        # An unclosed quote runs to the end of the file: one rejected row that shows the
        # swallowed text, so the row after it is not silently lost either.
        file = f"{d}/kutip-terbuka.csv"
        found = expect_issue(run, file, row=3, rule="ingest-rejected", keyword="cells")
        assert kode(40) in found[0]["message_en"] and kode(41) in found[0]["message_en"]
        assert record_rows(run, file) == {2: "ok", 3: "rejected"}
        assert run.tps[kode(39)] == "masuk"
        assert_not_counted(run, [40, 41])
    return files, check


UNSAFE_MEMBERS = [  # (member name, donor, reason key word)
    ("../evil.csv", 45, "'..' in path"),
    ("/abs.csv", 72, "absolute path"),
    ("C:/drive.csv", 48, "absolute path"),
    ("sub/../../naik.csv", 49, "'..' in path"),
]


@case("zip-unsafe-members")
def _zip_unsafe(d: str):
    members = {"baik.csv": canonical([44]), "dalam.zip": make_zip({"x.csv": canonical([44])})}
    members.update({name: canonical([i]) for name, i, _ in UNSAFE_MEMBERS})
    files = {f"{d}/arsip-jahat.zip": make_zip(members)}

    def check(run: Run) -> None:
        file = f"{d}/arsip-jahat.zip"
        for name, _i, word in UNSAFE_MEMBERS:
            expect_issue(run, file, member=name, rule="archive-member", keyword="unsafe name")
            assert_file_rejected(run, file, word, member=name, rule="archive-member")
        assert_file_rejected(run, file, "unknown file format", member="dalam.zip")
        assert_read_clean(run, file, [44], [2], member="baik.csv")
        assert_not_counted(run, [i for _, i, _ in UNSAFE_MEMBERS])
        names = {"evil.csv", "abs.csv", "drive.csv", "naik.csv", "x.csv"}
        for root in (run.raw.parent, run.work, run.out):
            assert not [p for p in root.rglob("*") if p.name in names], "a member was extracted"
    return files, check


@case("zip-member-backslash-dotdot")
def _zip_backslash(d: str):
    files = {f"{d}/arsip.zip": make_zip({"baik.csv": canonical([46]),
                                         "..\\win.csv": canonical([47])})}

    def check(run: Run) -> None:
        file = f"{d}/arsip.zip"
        assert_read_clean(run, file, [46], [2], member="baik.csv")
        assert_file_rejected(run, file, "'..' in path", member="..\\win.csv",
                             rule="archive-member")
    return files, check


@case("zip-bomb")
def _zip_bomb(d: str):
    files = {f"{d}/bom.zip": bomb_zip(canonical([50]))}
    assert len(files[f"{d}/bom.zip"]) < BOMB_BYTES // 100

    def check(run: Run) -> None:
        file = f"{d}/bom.zip"
        assert_file_rejected(run, file, "zip bomb", member="bomb.csv", rule="archive-member")
        assert_read_clean(run, file, [50], [2], member="baik.csv")
        sizes = {s["member"]: int(s["bytes"]) for s in run.sources if s["file"] == file}
        assert sizes["bomb.csv"] == BOMB_BYTES  # declared size, reported, never read
    return files, check


@case("json-not-sirekap")
def _json_shape(d: str):
    files = {f"{d}/{kode(51)}.json": b'{"status": "ok", "data": [1, 2, 3]}',
             f"{d}/array.json": b"[1, 2, 3]",
             f"{d}/agregat.json": b'{"table": {"732215": {"1001256": 10}}, "progres": {}}',
             f"{d}/{kode(51)}-teks.json": b'"just a string"'}

    def check(run: Run) -> None:
        assert_file_rejected(run, f"{d}/{kode(51)}.json", "not a per-TPS Sirekap result")
        assert_file_rejected(run, f"{d}/array.json", "not a per-TPS Sirekap result")
        assert_file_rejected(run, f"{d}/agregat.json", "aggregate")
        assert_file_rejected(run, f"{d}/{kode(51)}-teks.json", "not a per-TPS Sirekap result")
        assert_not_counted(run, [51])
    return files, check


@case("json-invalid")
def _json_invalid(d: str):
    good = sirekap_json(52)
    files = {f"{d}/{kode(52)}.json": good[: len(good) // 2],
             f"{d}/utf16.json": sirekap_json(52).decode().encode("utf-16"),
             f"{d}/dalam.json": b"[" * 100_000}

    def check(run: Run) -> None:
        for name in (f"{kode(52)}.json", "utf16.json", "dalam.json"):
            assert_file_rejected(run, f"{d}/{name}", "corrupt JSON")
        assert_not_counted(run, [52])
    return files, check


@case("json-bad-values")
def _json_values(d: str):
    chart = dict(zip(SIREKAP_IDS, (-3, 12.5, "12a", 1000), strict=True))
    files = {f"{d}/{kode(53)}.json": sirekap_json(53, chart=chart),
             f"{d}/{kode(54)}.json": sirekap_json(54),
             f"{d}/{kode(55)}.json": sirekap_json(55, chart={"9999999": 5}),
             f"{d}/hasil-tps.json": sirekap_json(56)}

    def check(run: Run) -> None:
        file = f"{d}/{kode(53)}.json"
        for field, word in (("suara_paslon_1", "minimum"), ("suara_paslon_2", "integer"),
                            ("suara_paslon_3", "integer"), ("suara_paslon_4", "maximum")):
            expect_issue(run, file, field=field, keyword=word)
        expect_issue(run, f"{d}/{kode(55)}.json", rule="ingest-rejected",
                     keyword="candidate id '9999999'")
        expect_issue(run, f"{d}/hasil-tps.json", rule="ingest-rejected",
                     keyword="13-digit TPS code")
        for name in (kode(53), kode(54), kode(55)):
            assert len(record_rows(run, f"{d}/{name}.json")) == 1  # a record, row unknown
        assert_not_counted(run, [53, 55, 56])
        assert run.tps[kode(54)] == "masuk"
    return files, check


# -------------------------------------------------- cases that once revealed pipeline bugs


@case("zip-member-corrupt-deflate")
def _zip_corrupt_member(d: str):
    data = bytearray(make_zip({"baik.csv": canonical([60]),
                               "rusak.csv": canonical([61]) * 5}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("rusak.csv")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start, start + 16):
        data[k] ^= 0x55
    files = {f"{d}/anggota-rusak.zip": bytes(data)}

    def check(run: Run) -> None:
        file = f"{d}/anggota-rusak.zip"
        assert_file_rejected(run, file, "cannot be read", member="rusak.csv",
                             rule="archive-member")
        assert_read_clean(run, file, [60], [2], member="baik.csv")
    return files, check


@case("plus-sign-integer", strict_exit=0)
def _plus(d: str):
    """'+270' is an integer written with its sign: read as 270 (the cell is not lost)."""
    value = donor_dict(62)["pemilih_dpt_l"]
    rows = [header(), with_cell(62, "pemilih_dpt_l", "+" + value), donor(63)]
    files = {f"{d}/plus.csv": table_text(rows).encode()}

    def check(run: Run) -> None:
        assert_read_clean(run, f"{d}/plus.csv", [62, 63], [2, 3])
        with (run.folder / "tps.csv").open(encoding="utf-8") as handle:
            row = next(r for r in csv.DictReader(handle) if r["kode"] == kode(62))
        assert row["pemilih_dpt_l"] == value
    return files, check


@case("csv-value-under-blank-header")
def _blank_header(d: str):
    rows = [[*header(), ""], [*donor(64), "77"], [*donor(65), ""]]
    files = {f"{d}/judul-kosong.csv": table_text(rows).encode()}

    def check(run: Run) -> None:
        assert issues_of(run, f"{d}/judul-kosong.csv"), "the unlabelled '77' is not reported"
    return files, check


@case("xlsx-value-beyond-header")
def _xlsx_beyond(d: str):
    rows = [header(), numeric(donor(66)), [*numeric(donor(67)), None, 77]]
    files = {f"{d}/sel-lebih.xlsx": xlsx_bytes(rows)}

    def check(run: Run) -> None:
        assert issues_of(run, f"{d}/sel-lebih.xlsx"), "the '77' right of the header is lost"
        assert_rows_kept(run, f"{d}/sel-lebih.xlsx", [2, 3])
    return files, check


@case("json-tungsura-not-object")
def _tungsura(d: str):
    files = {f"{d}/{kode(68)}.json": b'{"tungsura": null}',
             f"{d}/{kode(69)}.json": b'{"tungsura": 5}'}

    def check(run: Run) -> None:
        for i in (68, 69):
            file = f"{d}/{kode(i)}.json"
            assert_file_rejected(run, file, "Sirekap")
            assert "reader failure" not in issues_of(run, file)[0]["message_en"]
    return files, check


@case("csv-no-well-formed-row")
def _no_good_row(d: str):
    rows = [header(), [*donor(70), "99"], donor(71)[:4]]
    files = {f"{d}/semua-salah.csv": table_text(rows).encode(),
             f"{d}/judul-saja.csv": table_text([header()]).encode()}

    def check(run: Run) -> None:
        file = f"{d}/semua-salah.csv"
        assert record_rows(run, file) == {2: "rejected", 3: "rejected"}
        expect_issue(run, file, row=2, rule="ingest-rejected", keyword="31 cells")
        expect_issue(run, file, row=3, rule="ingest-rejected", keyword="4 cells")
        messages = [i["message_en"] for i in issues_of(run, f"{d}/judul-saja.csv")]
        assert not [m for m in messages if "reader failure" in m], messages
    return files, check


# ------------------------------------------------------------------ tests


def case_dir(c: Case) -> str:
    return f"hostile/{c.id}"


def _params(cases: list[Case]):
    return [pytest.param(c, id=c.id) for c in cases]


# Flagged cases run alone with --strict: exit 1 must be theirs.
ALONE = [c for c in CASES if c.strict_exit == 1]
# Valid-but-unusual inputs share one --strict run: exit 0 shows none of them is flagged.
BENIGN = [c for c in CASES if c.strict_exit == 0]
COMBINED = CASES


@pytest.fixture(scope="module")
def group_run(tmp_path_factory):
    """Runs several cases in one election folder, once per group and module."""
    done: dict[str, tuple[Run, Path, dict[str, Callable[[Run], None]]]] = {}

    def get(name: str, cases: list[Case], strict: bool):
        if name not in done:
            root = tmp_path_factory.mktemp(name)
            files: dict[str, bytes] = {}
            checks = {}
            for c in cases:
                more, checks[c.id] = c.build(case_dir(c))
                assert not set(more) & set(files)
                files.update(more)
            raw = build_raw(root / "raw", files)
            done[name] = (run_c1(raw, root / "run", strict=strict), root, checks)
        return done[name]
    return get


@pytest.mark.parametrize("hostile", _params(ALONE))
def test_case_alone(hostile: Case, tmp_path: Path) -> None:
    """One kind of hostile input at a time: `run --strict` completes and exits 1 because of
    it; the release reports it and still counts the good file."""
    files, check = hostile.build(case_dir(hostile))
    raw = build_raw(tmp_path / "raw", files)
    strict = hostile.strict_exit is not None
    run = run_c1(raw, tmp_path, strict=strict)
    assert_survived(run, hostile.strict_exit if strict else 0)
    check(run)


@pytest.mark.parametrize("hostile", _params(BENIGN))
def test_unusual_but_valid_input_is_read(hostile: Case, group_run) -> None:
    run, _root, checks = group_run("benign", BENIGN, True)
    assert_survived(run, 0)  # even with --strict: nothing here is a fault
    checks[hostile.id](run)


@pytest.mark.parametrize("hostile", _params(COMBINED))
def test_case_with_all_others(hostile: Case, group_run) -> None:
    """All hostile inputs at once: the plain run completes (exit 0), each is still reported
    and nothing of one case leaks into another."""
    run, _root, checks = group_run("combined", COMBINED, False)
    assert_survived(run, 0)
    checks[hostile.id](run)


def test_donor_rows_are_valid(tmp_path: Path) -> None:
    """The premise of 'not counted' checks: every donor row, sent whole, is counted."""
    indices = list(range(len(_donor_table()[1])))
    raw = build_raw(tmp_path / "raw", {"donor.csv": canonical(indices)})
    run = run_c1(raw, tmp_path, strict=True)
    assert_survived(run, 0)
    assert_read_clean(run, "donor.csv", indices, [i + 2 for i in indices])


def test_combined_as_subprocess(group_run) -> None:
    """The real entry point with --strict: exit 1, no traceback on stderr, and the very same
    report as the in-process run without --strict."""
    run, root, _checks = group_run("combined", COMBINED, False)
    out, work = root / "sub-out", root / "sub-work"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", "--raw", str(root / "raw"), "--work",
         str(work), "--out", str(out), "-q", "--strict"], cwd=REPO, capture_output=True,
        text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "Traceback" not in result.stdout and "published" in result.stdout
    assert hash_tree(root / "raw") == run.before
    published = (out / CONTEST / "validation" / "issues.csv").read_bytes()
    assert published == (run.folder / "validation" / "issues.csv").read_bytes()


def test_oversized_files(tmp_path: Path) -> None:
    """Files over limits.max_file_mb are refused unread, archive members too; the good file
    (1.3 KB, under the 2 KB limit) is still counted."""
    limit = int(0.002 * 1024 * 1024)
    big = canonical(list(range(56, 82)))
    zipped = make_zip({"besar.csv": big})
    assert len(big) > limit > len(zipped) and (DEMO / GOOD).stat().st_size < limit
    d = "hostile/oversized"
    raw = build_raw(tmp_path / "raw", {f"{d}/besar.csv": big, f"{d}/anggota-besar.zip": zipped},
                    max_file_mb=0.002)
    for strict in (False, True):
        run = run_c1(raw, tmp_path / str(strict), strict=strict)
        assert_survived(run, 1 if strict else 0)
        found = expect_issue(run, f"{d}/besar.csv", rule="file-too-large",
                             keyword="exceeds the limit")
        assert f"size {len(big)} bytes" in found[0]["message_en"]
        assert_file_rejected(run, f"{d}/besar.csv", "max_file_mb", rule="file-too-large")
        assert_file_rejected(run, f"{d}/anggota-besar.zip", "exceeds the limit",
                             member="besar.csv", rule="archive-member")
        assert not record_rows(run, f"{d}/besar.csv")
        assert_not_counted(run, list(range(56, 82)))
