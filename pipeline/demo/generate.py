"""The demo election: Pemilihan Bupati dan Wakil Bupati Luwu Utara 2024, real-shaped.

Real: the 15 kecamatan and 173 desa (KPU tree), the 4 paslon, the TPS count per kecamatan
(572) and forms per kecamatan (569), and every kecamatan's paslon totals (Sirekap, 28 Nov
2024). Generated: the per-TPS numbers, which satisfy every hard rule and sum to those real
totals; and the inputs, in the formats KPU offices really send, with deliberate defects.

Deterministic: the same code writes byte-identical files (fixed seed, fixed zip times).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Candidate, render_config
from ..fields import form_fields as schema_form_fields
from ..ingest.labels import form_label
from .scans import scanned_forms

SOURCES = Path(__file__).resolve().parent / "sources"
SEED = 20241127
ZIP_TIME = (2024, 11, 28, 10, 0, 0)
KABUPATEN = "7322"
CONTEST_ID = "pilbup-luwu-utara-2024"
CONTEST_NAME = "Pemilihan Bupati dan Wakil Bupati Luwu Utara 2024"
REGIONS_FILE = "wilayah-luwu-utara.csv"
RESERVE = 0.025
MAX_VOTES_PER_TPS = 440  # with turnout >= 72 % the DPT stays <= 600
ADMIN_GROUPS = ("pemilih_dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_non_dpt",
                "pengguna_total", "pemilih_disabilitas")
SIREKAP_ADMIN = [f"{g}_{s}" for g in ADMIN_GROUPS[:5] for s in ("j", "l", "p")]

# How each kecamatan's forms arrive (by kecamatan code).
SCANNED_KECAMATAN = "732209"  # RAMPI: four of its TPS come as photos, a scan, a digital PDF
LAYOUT = {
    "732201": "csv-canonical",         # MALANGKE: canonical CSV, UTF-8
    "732202": "csv-canonical-bom",     # BONE BONE: canonical CSV, UTF-8 with BOM
    "732203": "xlsx-operator",         # MASAMBA: XLSX, title rows, form labels
    "732204": "csv-operator-1252",     # SABBANG: ; Windows-1252, form labels, kode TPS
    "732205": "csv-operator-names",    # RONGKONG: ; Windows-1252, desa name + nomor TPS
    "732206": "sirekap-json",          # SUKAMAJU: Sirekap Pilkada JSON per TPS
    "732207": "csv-utf16-tab",         # SEKO: Excel "Unicode text" (UTF-16, tab)
    "732208": "xlsx-canonical",        # MALANGKE BARAT: XLSX, canonical names
    "732209": "csv-canonical",         # RAMPI
    "732210": "sirekap-zip",           # MAPPEDECENG: zip of Sirekap JSON
    "732211": "csv-tab",               # BAEBUNTA: tab-separated UTF-8
    "732212": "xlsx-operator",         # TANA LILI
    "732213": "csv-operator-1252",     # SUKAMAJU SELATAN
    "732214": "sirekap-json",          # BAEBUNTA SELATAN
    "732215": "csv-canonical",         # SABBANG SELATAN
}


@dataclass
class Demo:
    regions: pd.DataFrame  # the region master written to data/raw
    forms: pd.DataFrame  # one row per TPS with a form: kode_tps + every form number
    candidates: list[Candidate]
    kecamatan_names: dict[str, str]
    desa_names: dict[str, str]


def _source_tree() -> pd.DataFrame:
    return pd.read_csv(SOURCES / "kpu-2024-ppwp-luwu-utara.csv", dtype=str).fillna("")


def _candidates() -> list[Candidate]:
    data = json.loads((SOURCES / "paslon-pkwkk-7322.json").read_text(encoding="utf-8"))
    return sorted((Candidate(int(v["nomor_urut"]), v["nama"], k) for k, v in data.items()),
                  key=lambda c: c.nomor_urut)


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to weights that sum exactly to total (largest remainder)."""
    share = weights / weights.sum() * total
    base = np.floor(share).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(share - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _cap_per_tps(votes: np.ndarray, cap: int) -> None:
    """Move votes from TPS above cap to the smallest TPS, keeping every paslon's total."""
    while True:
        sah = votes.sum(axis=1)
        big = int(np.argmax(sah))
        excess = int(sah[big]) - cap
        if excess <= 0:
            return
        small = int(np.argmin(sah))
        for j in np.argsort(-votes[big], kind="stable"):
            moved = min(excess, int(votes[big, j]), cap - int(votes[small].sum()))
            if moved <= 0:
                break
            votes[big, j] -= moved
            votes[small, j] += moved
            excess -= moved
            if excess == 0:
                break


def _split(total: np.ndarray, rng: np.random.Generator, low=0.46, high=0.54) -> np.ndarray:
    return np.rint(total * rng.uniform(low, high, size=len(total))).astype(int)


def build_demo() -> Demo:
    """The region master and the per-TPS numbers (real totals per kecamatan)."""
    rng = np.random.default_rng(SEED)
    tree = _source_tree()
    result = json.loads((SOURCES / "hhcw-pkwkk-7322.json").read_text(encoding="utf-8"))
    table = result["tungsura"]["table"]
    candidates = _candidates()
    kec = tree[tree["tingkat"] == "3"].sort_values("kode")
    desa = tree[tree["tingkat"] == "4"].sort_values("kode")
    pemilu_tps = tree[tree["tingkat"] == "5"].groupby("kode_induk").size()

    tps_rows, form_rows = [], []
    for kec_row in kec.itertuples(index=False):
        real = table[kec_row.kode]
        total_tps = int(real["progres"]["total"])
        with_form = int(real["progres"]["progres"])
        desa_here = desa[desa["kode_induk"] == kec_row.kode]
        weights = desa_here["kode"].map(pemilu_tps).fillna(1).to_numpy(dtype=float)
        per_desa = 1 + _apportion(total_tps - len(desa_here), weights)
        codes = [f"{d}{n:03d}" for d, count in zip(desa_here["kode"], per_desa, strict=True)
                 for n in range(1, count + 1)]
        # The TPS without a form are the last ones of the kecamatan.
        formed = codes[:with_form]
        votes = np.zeros((with_form, len(candidates)), dtype=int)
        size = rng.uniform(0.8, 1.2, size=with_form)
        for j, cand in enumerate(candidates):
            kec_total = int(real[cand.sirekap_id])
            lean = rng.gamma(8.0, 1.0, size=with_form)
            votes[:, j] = _apportion(kec_total, size * lean)
        _cap_per_tps(votes, MAX_VOTES_PER_TPS)
        sah = votes.sum(axis=1)
        tidak_sah = np.rint(sah * rng.uniform(0.005, 0.03, size=with_form)).astype(int)
        total = sah + tidak_sah
        dptb = rng.integers(0, 4, size=with_form)
        dpk = rng.integers(0, 6, size=with_form)
        dptb = np.minimum(dptb, total // 4)
        dpk = np.minimum(dpk, (total - dptb) // 4)
        pengguna_dpt = total - dptb - dpk
        turnout = rng.uniform(0.72, 0.86, size=with_form)
        dpt = np.clip(np.ceil(pengguna_dpt / turnout).astype(int), pengguna_dpt, 600)
        diterima = dpt + np.ceil(dpt * RESERVE).astype(int)
        dikembalikan = np.minimum(rng.integers(0, 3, size=with_form), diterima - total)
        disabilitas = np.minimum(rng.integers(0, 4, size=with_form), total)
        numbers = {"kode_tps": formed}
        for group, j_values in (("pemilih_dpt", dpt), ("pengguna_dpt", pengguna_dpt),
                                ("pengguna_dptb", dptb), ("pengguna_non_dpt", dpk),
                                ("pemilih_disabilitas", disabilitas)):
            men = _split(j_values, rng)
            numbers[f"{group}_l"] = men
            numbers[f"{group}_p"] = j_values - men
            numbers[f"{group}_j"] = j_values
        for s in ("l", "p", "j"):
            numbers[f"pengguna_total_{s}"] = (numbers[f"pengguna_dpt_{s}"]
                                              + numbers[f"pengguna_dptb_{s}"]
                                              + numbers[f"pengguna_non_dpt_{s}"])
        numbers["surat_suara_diterima"] = diterima
        numbers["surat_suara_digunakan"] = total
        numbers["surat_suara_dikembalikan"] = dikembalikan
        numbers["surat_suara_tidak_digunakan"] = diterima - total - dikembalikan
        for j, cand in enumerate(candidates):
            numbers[f"suara_paslon_{cand.nomor_urut}"] = votes[:, j]
        numbers["suara_sah"] = sah
        numbers["suara_tidak_sah"] = tidak_sah
        numbers["suara_total"] = total
        form_rows.append(pd.DataFrame(numbers))
        dpt_by_code = dict(zip(formed, dpt, strict=True))
        for code in codes:
            value = dpt_by_code.get(code)
            if value is None:  # no form yet: its DPT is still in the voter list
                value = int(rng.integers(180, 320))
            tps_rows.append({"kode": code, "nama": f"TPS {code[-3:]}", "tingkat": "5",
                             "kode_induk": code[:10], "dpt": str(int(value))})
    forms = pd.concat(form_rows, ignore_index=True)
    areas = tree[tree["kode"].str.startswith(KABUPATEN) & tree["tingkat"].isin(["2", "3", "4"])]
    regions = pd.concat([areas[["kode", "nama", "tingkat", "kode_induk"]].assign(dpt=""),
                         pd.DataFrame(tps_rows)], ignore_index=True)
    regions["_t"] = regions["tingkat"].astype(int)
    regions = regions.sort_values(["_t", "kode"]).drop(columns="_t").reset_index(drop=True)
    return Demo(regions=regions, forms=forms, candidates=candidates,
                kecamatan_names=dict(zip(kec["kode"], kec["nama"], strict=True)),
                desa_names=dict(zip(desa["kode"], desa["nama"], strict=True)))


# ---------------------------------------------------------------- writers


def _csv_text(header: list[str], rows: list[list[object]], delimiter: str = ",",
              lineterminator: str = "\n", title: list[str] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    for line in title or []:
        writer.writerow([line])
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def _fixed_zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _xlsx_bytes(sheet_title: str, rows: list[list[object]]) -> bytes:
    """An XLSX workbook with fixed metadata and zip times, so its bytes never change."""
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    stamp = dt.datetime(2024, 11, 28, 10, 0, 0)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "KPU Kabupaten Luwu Utara (demo)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    # openpyxl stamps the save time into core.xml: pin it.
    members = [(name, re.sub(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                             rb"<dcterms:modified\1>2024-11-28T10:00:00Z</dcterms:modified>", data))
               if name == "docProps/core.xml" else (name, data) for name, data in members]
    return _fixed_zip(members)


def _sirekap_json(row: pd.Series, candidates: list[Candidate], ts: str) -> bytes:
    chart = {c.sirekap_id: int(row[f"suara_paslon_{c.nomor_urut}"]) for c in candidates}
    admin = {"suara_sah": int(row["suara_sah"]), "suara_total": int(row["suara_total"]),
             "suara_tidak_sah": int(row["suara_tidak_sah"])}
    admin.update({name: int(row[name]) for name in SIREKAP_ADMIN})
    code = row["kode_tps"]
    path = f"{code[:2]}/{code[2:4]}/{code[4:6]}/{code[6:10]}/{code[10:]}"
    data = {"mode": "hhcw", "tungsura": {"chart": chart, "administrasi": admin},
            "images": [f"https://sirekap-obj-formc.kpu.go.id/demo/pilkada/pkwkk/{path}/"
                       f"{code}-hal-{page}.jpg" for page in (1, 2)],
            "psu": None, "ts": ts, "status_suara": True, "status_adm": True}
    return (json.dumps(data, indent=1) + "\n").encode("utf-8")


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _canonical_columns(form_fields: list[str]) -> list[str]:
    return ["kode_tps", *form_fields]


def write_demo(folder: Path) -> list[str]:
    """Write the demo election into folder; returns the files written (relative paths)."""
    demo = build_demo()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    form_fields = schema_form_fields([c.nomor_urut for c in demo.candidates])
    files: dict[str, bytes] = {}
    sirekap_ts = "2024-11-28 09:00:00"

    def kec_forms(kode: str) -> pd.DataFrame:
        return demo.forms[demo.forms["kode_tps"].str.startswith(kode)].reset_index(drop=True)

    defects: dict[str, pd.Series] = {}
    unknown_row: dict[str, object] | None = None
    for kode, layout in LAYOUT.items():
        rows = kec_forms(kode)
        name = demo.kecamatan_names[kode]
        base = f"{kode}-{_slug(name)}"
        if layout.startswith("csv-canonical") or layout == "csv-tab":
            header = _canonical_columns(form_fields)
            body = rows[header].copy()
            if kode == SCANNED_KECAMATAN:  # its last TPS arrive as photos and PDFs
                scanned = body.iloc[-4:].to_dict("records")
                body = body.iloc[:-4]
            if kode == "732201":  # defect 1: a +500 misread, marked revisi 1
                header = [*header, "revisi"]
                body["revisi"] = pd.Series([None] * len(body), dtype=object)
                defects["plus500"] = body.loc[3].copy()
                body.loc[3, "suara_paslon_2"] = int(body.loc[3, "suara_paslon_2"]) + 500
                body.loc[3, "revisi"] = 1
            text = _csv_text(header, body.values.tolist(),
                             delimiter="\t" if layout == "csv-tab" else ",")
            data = text.encode("utf-8")
            if layout == "csv-canonical-bom":
                data = b"\xef\xbb\xbf" + data
            files[f"c1-csv/{base}.{'tsv' if layout == 'csv-tab' else 'csv'}"] = data
        elif layout in ("csv-operator-1252", "csv-operator-names", "csv-utf16-tab"):
            by_name = layout == "csv-operator-names"
            ids = (["Kecamatan", "Desa/Kelurahan", "Nomor TPS"] if by_name
                   else [form_label("kode_tps")])
            numbers = [f for f in form_fields if not f.startswith("suara_paslon_")]
            paslon = [f for f in form_fields if f.startswith("suara_paslon_")]
            labels = [form_label(f) for f in numbers if f not in ("suara_sah", "suara_tidak_sah",
                                                                  "suara_total")]
            labels += [f"Suara sah Paslon Nomor Urut {c.nomor_urut} {c.nama.split(',')[0]}"
                       for c in demo.candidates]
            labels += [form_label("suara_sah"), form_label("suara_tidak_sah"),
                       form_label("suara_total")]
            ordered = [f for f in numbers if f not in ("suara_sah", "suara_tidak_sah",
                                                       "suara_total")]
            ordered += paslon + ["suara_sah", "suara_tidak_sah", "suara_total"]
            out_rows = []
            for row in rows.itertuples(index=False):
                record = row._asdict()
                code = record["kode_tps"]
                ident = ([name.title(), demo.desa_names[code[:10]].title(), f"TPS {code[-3:]}"]
                         if by_name else [code])
                out_rows.append([*ident, *[record[f] for f in ordered]])
            if kode == "732204":  # defect: a TPS code that is not in the region master
                unknown_row = dict(zip(ordered, out_rows[0][1:], strict=True))
                out_rows.append([f"{kode}2999099", *out_rows[0][1:]])
            title = [f"REKAPITULASI C.HASIL-KWK KECAMATAN {name}",
                     "Pemilihan Bupati dan Wakil Bupati Luwu Utara 2024 – Kabupaten Luwu Utara",
                     "Diketik oleh operator PPK; sumber: salinan formulir C.Hasil’ KPPS"]
            if layout == "csv-utf16-tab":
                text = _csv_text([*ids, *labels], out_rows, delimiter="\t",
                                 lineterminator="\r\n")
                data = text.encode("utf-16")
                files[f"operator/{base}-unicode.txt"] = data
            else:
                text = _csv_text([*ids, *labels], out_rows, delimiter=";",
                                 lineterminator="\r\n", title=title)
                files[f"operator/{base}.csv"] = text.encode("cp1252")
        elif layout.startswith("xlsx"):
            operator = layout == "xlsx-operator"
            header = ([form_label(f) if not f.startswith("suara_paslon_")
                       else f"Paslon {f.rsplit('_', 1)[1]}" for f in _canonical_columns(
                           form_fields)] if operator else _canonical_columns(form_fields))
            body = rows[_canonical_columns(form_fields)].copy()
            if kode == "732203":  # defect 2: L + P != J on the DPT line
                defects["lp"] = body.loc[5].copy()
                body.loc[5, "pemilih_dpt_j"] = int(body.loc[5, "pemilih_dpt_j"]) + 10
            sheet_rows: list[list[object]] = []
            if operator:
                sheet_rows += [[f"REKAP C.HASIL KECAMATAN {name}"],
                               ["Kabupaten Luwu Utara, Pilkada 27 November 2024"], []]
            sheet_rows.append(header)
            sheet_rows += [[str(v[0]), *[int(x) for x in v[1:]]] for v in body.values.tolist()]
            files[f"c1-xlsx/{base}.xlsx"] = _xlsx_bytes(name.title()[:31], sheet_rows)
        elif layout == "sirekap-json":
            for index, row in rows.iterrows():
                code = row["kode_tps"]
                if kode == "732206" and index == 2:  # defect 3: an early misread snapshot
                    defects["sirekap"] = row.copy()
                    early = row.copy()
                    misread = int(early["pengguna_total_j"])
                    early["pengguna_total_j"] = misread + 500 if misread < 500 else misread - 100
                    files[f"sirekap-2024-11-27/{code}.json"] = _sirekap_json(
                        early, demo.candidates, "2024-11-27 21:40:00")
                files[f"sirekap/{kode}/{code}.json"] = _sirekap_json(row, demo.candidates,
                                                                       sirekap_ts)
        elif layout == "sirekap-zip":
            members = [(f"{kode}/{row['kode_tps']}.json",
                        _sirekap_json(row, demo.candidates, sirekap_ts))
                       for _, row in rows.iterrows()]
            files[f"sirekap/{base}.zip"] = _fixed_zip(members)
            # defect: one identical duplicate, the same file sent again loose
            duplicate_name, duplicate_data = members[0]
            files[f"sirekap/{duplicate_name}"] = duplicate_data
    review_copy = kec_forms("732211").iloc[0][_canonical_columns(form_fields)].to_dict()
    files.update(scanned_forms(scanned, review_copy))
    # Sirekap's missing state for a TPS whose form has not come: counted as not received.
    missing = sorted(set(demo.regions.loc[demo.regions["tingkat"] == "5", "kode"])
                     - set(demo.forms["kode_tps"]))
    seko = next(code for code in missing if code.startswith("732207"))
    files[f"sirekap/732207/{seko}.json"] = (json.dumps(
        {"mode": "hhcw", "tungsura": {"chart": None, "administrasi": None},
         "images": [None, None], "psu": None, "ts": sirekap_ts, "status_suara": False,
         "status_adm": False}, indent=1) + "\n").encode("utf-8")
    # Corrections that supersede the three sheets failing a hard rule.
    header = [*_canonical_columns(form_fields), "revisi"]
    corrections = [[*[defects["plus500"][c] for c in _canonical_columns(form_fields)], 2],
                   [*[defects["lp"][c] for c in _canonical_columns(form_fields)], 1]]
    files["koreksi/koreksi-2024-11-29.csv"] = _csv_text(header, corrections).encode("utf-8")
    # defect: a corrupt file (a workbook cut off in transfer)
    whole = files["c1-xlsx/732208-malangke-barat.xlsx"]
    files["kiriman-rusak/732208-malangke-barat-terpotong.xlsx"] = whole[: len(whole) // 2]
    assert unknown_row is not None
    files[REGIONS_FILE] = demo.regions.to_csv(index=False, lineterminator="\n").encode("utf-8")
    files["election.toml"] = render_config(
        contest_id=CONTEST_ID, kind="pkwkk", name=CONTEST_NAME, date="2024-11-27",
        candidates=demo.candidates, regions_file=REGIONS_FILE,
        release_time="2024-11-28T10:00:00+08:00").encode("utf-8")
    files["README.md"] = _readme(demo).encode("utf-8")
    for rel, data in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return sorted(files)


def _readme(demo: Demo) -> str:
    totals = {c.nomor_urut: int(demo.forms[f"suara_paslon_{c.nomor_urut}"].sum())
              for c in demo.candidates}
    lines = [
        "# Demo election: Pemilihan Bupati dan Wakil Bupati Luwu Utara 2024",
        "",
        "Generated by `c1 demo-data data/raw` (`make demo-data`); do not edit by hand: a test",
        "regenerates this folder and compares it byte for byte.",
        "",
        "Real: the 15 kecamatan and 173 desa (KPU tree), the 4 paslon, 572 TPS (as many per",
        "kecamatan as Sirekap's `progres.total`), forms for 569 (its `progres.progres`), and",
        "each kecamatan's paslon totals (Sirekap, 28 Nov 2024). Generated: the per-TPS numbers",
        "(they satisfy every hard rule and add up to the real totals) and the region master's",
        "TPS rows with their DPT.",
        "",
        "Kabupaten totals: " + ", ".join(f"paslon {n}: {v:,}" for n, v in totals.items()) + ".",
        "",
        "## Inputs, as KPU offices send them",
        "",
        "| folder | what |",
        "|---|---|",
        "| `c1-csv/` | canonical CSV (field names of the schema), UTF-8, one with BOM, one TSV |",
        "| `operator/` | operator sheets: `;`-separated Windows-1252 with title lines and the "
        "form's row labels; one by desa name + TPS number; one UTF-16 tab (Excel Unicode "
        "text) |",
        "| `c1-xlsx/` | XLSX workbooks, operator labels with title rows, or canonical names |",
        "| `sirekap/` | Sirekap Pilkada JSON per TPS (`tungsura` shape) and one zip of them |",
        "| `sirekap-2024-11-27/` | an earlier Sirekap snapshot |",
        "| `koreksi/` | corrected re-submissions (`revisi`) |",
        "| `kiriman-rusak/` | a corrupt file |",
        "| `formulir-foto/` | phone photos of the demo C.Hasil-KWK form: one TPS by file name "
        "(`<kode_tps>-hal2.jpg`), one in a folder named by its code |",
        "| `formulir-pindaian/` | a scanned PDF of one TPS's three pages |",
        "| `formulir-digital/` | a digital PDF of one TPS (numbers typed in: a text layer) |",
        "",
        "## Deliberate defects (the report names each)",
        "",
        "1. `c1-csv/732201-malangke.csv`: one row with a +500 misread of paslon 2 (`revisi` 1),",
        "   so the paslon sum differs from suara sah; corrected by `koreksi/` (`revisi` 2).",
        "2. `c1-xlsx/732203-masamba.xlsx`: one row whose DPT L + P differs from its total;",
        "   corrected by `koreksi/` (`revisi` 1 beats the sheet's implicit 0).",
        "3. `sirekap-2024-11-27/`: an early snapshot of one TPS whose total voters were misread",
        "   (+500); the later snapshot in `sirekap/732206/` supersedes it by its `ts`.",
        "4. `sirekap/732210/`: the same JSON as inside `sirekap/732210-mappedeceng.zip`",
        "   (an identical duplicate: collapsed).",
        "5. `operator/732204-sabbang.csv`: a row for TPS `7322042999099`, not in the region",
        "   master (rejected).",
        "6. `kiriman-rusak/`: a workbook cut off in transfer (rejected as unreadable).",
        "7. `sirekap/732207/`: Sirekap's missing state (`chart: null`) for a TPS whose form has",
        "   not come: it stays belum masuk, never zero.",
        "8. `formulir-foto/7322111005001-salinan-*.jpg`: a second copy of a TPS that is also in",
        "   `c1-csv/732211-baebunta.tsv`, photographed, with bubbles that contradict the digits:",
        "   it waits in the review queue (`c1 review list`); the sheet's row counts meanwhile.",
        "",
        "The four TPS of `732209` (RAMPI) that come only as photos, a scan or a digital PDF are",
        "read by `c1 read-form`'s code and accepted: every number's digit boxes and bubbles",
        "agree (or, in the digital PDF, its text layer is read) and every rule of the form",
        "holds, so the totals above include them.",
        "",
    ]
    return "\n".join(lines)


def generate_demo(folder: Path) -> list[str]:
    return write_demo(folder)
