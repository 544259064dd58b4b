"""A tiny election for tests: 1 kabupaten, 2 kecamatan, 3 desa, 6 TPS, 2 paslon."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from conftest import run_cli

REGIONS = [
    ("9901", "KABUPATEN UJI", 2, "99", ""),
    ("990101", "KECAMATAN SATU", 3, "9901", ""),
    ("990102", "KECAMATAN DUA", 3, "9901", ""),
    ("9901012001", "DESA ALPHA", 4, "990101", ""),
    ("9901012002", "DESA BETA", 4, "990101", ""),
    ("9901022001", "DESA GAMMA", 4, "990102", ""),
    ("9901012001001", "TPS 001", 5, "9901012001", "300"),
    ("9901012001002", "TPS 002", 5, "9901012001", "250"),
    ("9901012002001", "TPS 001", 5, "9901012002", "280"),
    ("9901022001001", "TPS 001", 5, "9901022001", "200"),
    ("9901022001002", "TPS 002", 5, "9901022001", ""),
    ("9901022001003", "TPS 003", 5, "9901022001", ""),
]
CONTEST = "uji-2024"
FIELDS_ORDER = None  # filled lazily from the schema


def good_form(kode: str, votes: tuple[int, int] = (120, 80), tidak_sah: int = 5,
              dpt: int = 300) -> dict[str, object]:
    """A form that satisfies every rule (DPT matches the master for the first TPS)."""
    sah = sum(votes)
    total = sah + tidak_sah
    dptb, dpk = 2, 3
    pengguna_dpt = total - dptb - dpk
    row: dict[str, object] = {"kode_tps": kode}

    def lp(name: str, j: int) -> None:
        row[f"{name}_l"] = j // 2
        row[f"{name}_p"] = j - j // 2
        row[f"{name}_j"] = j

    lp("pemilih_dpt", dpt)
    lp("pengguna_dpt", pengguna_dpt)
    lp("pengguna_dptb", dptb)
    lp("pengguna_non_dpt", dpk)
    row["pengguna_total_l"] = pengguna_dpt // 2 + dptb // 2 + dpk // 2
    row["pengguna_total_p"] = total - row["pengguna_total_l"]
    row["pengguna_total_j"] = total
    diterima = max(dpt + 8, total + 10)
    row.update({"surat_suara_diterima": diterima, "surat_suara_digunakan": total,
                "surat_suara_dikembalikan": 1,
                "surat_suara_tidak_digunakan": diterima - total - 1})
    lp("pemilih_disabilitas", 2)
    row["suara_paslon_1"], row["suara_paslon_2"] = votes
    row.update({"suara_sah": sah, "suara_tidak_sah": tidak_sah, "suara_total": total})
    return row


def csv_text(rows: list[dict[str, object]], delimiter: str = ",",
             header: list[str] | None = None) -> str:
    header = header or list(rows[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return buffer.getvalue()


def make_election(folder: Path, candidates_json: bool = False) -> Path:
    """An election folder made by `c1 init`, with no inputs yet."""
    folder.mkdir(parents=True, exist_ok=True)
    src = folder.parent / f"{folder.name}-src"
    src.mkdir(exist_ok=True)
    regions = src / "wilayah-uji.csv"
    with regions.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["kode", "nama", "tingkat", "kode_induk", "dpt"])
        writer.writerows(REGIONS)
    if candidates_json:
        cands = src / "paslon.json"
        cands.write_text('{"501": {"nomor_urut": 1, "nama": "ALPHA - BETA"},'
                         ' "502": {"nomor_urut": 2, "nama": "GAMMA - DELTA"}}', encoding="utf-8")
    else:
        cands = src / "paslon.csv"
        cands.write_text("nomor_urut,nama,sirekap_id\n1,ALPHA - BETA,501\n2,GAMMA - DELTA,502\n",
                         encoding="utf-8")
    result = run_cli("init", folder, "--regions", regions, "--candidates", cands,
                     "--contest", "pkwkk", "--id", CONTEST, "--date", "2024-11-27")
    assert result.exit_code == 0, result.output
    return folder


def run_election(raw: Path, *extra: str):
    base = raw.parent
    result = run_cli("run", "--raw", raw, "--work", base / "work", "--out", base / "out", "-q",
                     *extra)
    return result


def published(raw: Path, name: str) -> pd.DataFrame:
    path = raw.parent / "out" / CONTEST / name
    return pd.read_csv(path, dtype={"kode": str, "kode_tps": str, "kode_induk": str})


def issues(raw: Path) -> pd.DataFrame:
    path = raw.parent / "out" / CONTEST / "validation" / "issues.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def tps_status(raw: Path) -> dict[str, str]:
    tps = published(raw, "tps.csv")
    return dict(zip(tps["kode"], tps["status"], strict=True))
