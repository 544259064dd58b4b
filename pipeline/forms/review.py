"""The review queue: forms whose numbers were not all accepted, with their readings, the
reasons in words and a crop of every box, so that a person can check them against the paper
quickly; and the corrections they make, written as a new revision (never overwriting).

Queue: `<work>/<contest>/review/queue.json` and `review/crops/<kode_tps>/<field>.png`,
written by ingest. `c1 review export` makes one CSV row per number to check;
`c1 review apply` turns the filled-in CSV into `<raw>/pemeriksaan/<time>-<operator>.csv`,
a sheet of corrected forms (revisi above every earlier one, with operator, time and
reason) that the next run ingests like any correction.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..csvwrite import safe_cell
from .read import FormRead

QUEUE = "queue.json"
EXPORT_COLUMNS = ["kode_tps", "kecamatan", "desa", "field", "nilai", "angka", "bulatan",
                  "alasan_mesin", "gambar", "catatan"]
CORRECTIONS = "pemeriksaan"


class ReviewError(ValueError):
    """A review file that cannot be applied (the message names the row and column)."""


def write_queue(folder: Path, forms: list[FormRead], regions) -> None:
    """Replace the queue with these forms (deterministic: same inputs, same bytes)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    names = _names(regions)
    entries = []
    for form in forms:
        fields = {}
        for name, f in form.fields.items():
            entry: dict[str, Any] = {"value": f.value, "accepted": f.accepted,
                                     "digits": f.digits.value,
                                     "bubbles": None if f.bubbles is None else f.bubbles.value,
                                     "confidence": round(f.confidence, 3),
                                     "reasons": f.reasons}
            if not f.accepted and f.crops:
                crop = folder / "crops" / str(form.kode_tps) / f"{name}.png"
                crop.parent.mkdir(parents=True, exist_ok=True)
                strip = np.hstack([cv2.resize(c, (96, 96)) for c in f.crops])
                cv2.imwrite(str(crop), strip)
                entry["crop"] = crop.relative_to(folder).as_posix()
            fields[name] = entry
        kode = str(form.kode_tps)
        entries.append({"kode_tps": kode, "kecamatan": names.get(kode[:6], kode[:6]),
                        "desa": names.get(kode[:10], kode[:10]),
                        "template": form.template.name if form.template else None,
                        "files": sorted({str(p.file) for p in form.pages}),
                        "review_reasons": form.review_reasons, "fields": fields})
    (folder / QUEUE).write_text(json.dumps({"forms": entries}, ensure_ascii=False, indent=1)
                                + "\n", encoding="utf-8")


def _names(regions) -> dict[str, str]:
    if regions is None:
        return {}
    areas = regions.areas
    return dict(zip(areas["kode"].astype(str), areas["nama"].astype(str), strict=True))


def load_queue(folder: Path) -> list[dict[str, Any]]:
    path = folder / QUEUE
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["forms"]


def queue_summary(forms: list[dict[str, Any]]) -> list[str]:
    """What waits, why, grouped by kecamatan."""
    if not forms:
        return ["Tidak ada formulir yang menunggu pemeriksaan."]
    lines = []
    by_kecamatan: dict[str, list[dict]] = {}
    for form in forms:
        by_kecamatan.setdefault(f"{form['kode_tps'][:6]} {form['kecamatan']}", []).append(form)
    waiting_total = sum(_waiting_count(f) for f in forms)
    lines.append(f"{len(forms)} formulir menunggu pemeriksaan ({waiting_total} angka):")
    for kecamatan in sorted(by_kecamatan):
        group = by_kecamatan[kecamatan]
        lines.append(f"Kecamatan {kecamatan}: {len(group)} formulir")
        for form in group:
            waiting = [n for n, f in form["fields"].items() if not f["accepted"]]
            lines.append(f"  TPS {form['kode_tps']} ({form['desa']}): {len(waiting)} angka"
                         + (f": {', '.join(waiting[:6])}" + ("..." if len(waiting) > 6 else "")
                            if waiting else ""))
            for reason in form["review_reasons"]:
                if not reason.endswith("angka perlu diperiksa"):
                    lines.append(f"    ! {reason}")
    return lines


def _waiting_count(form: dict[str, Any]) -> int:
    return sum(1 for f in form["fields"].values() if not f["accepted"])


def export_review(queue_dir: Path, out: Path) -> tuple[Path, int]:
    """A CSV with one row per number to check, pre-filled with the best reading, and the
    crop images beside it; returns the CSV and its row count."""
    forms = load_queue(queue_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = 0
    target = out / "pemeriksaan.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for form in forms:
            for name, f in form["fields"].items():
                if f["accepted"]:
                    continue
                image = ""
                if f.get("crop"):
                    image = f"gambar/{form['kode_tps']}-{name}.png"
                    (out / "gambar").mkdir(exist_ok=True)
                    shutil.copyfile(queue_dir / f["crop"], out / image)
                writer.writerow([safe_cell(str(v)) for v in (
                    form["kode_tps"], form["kecamatan"], form["desa"], name,
                    "" if f["value"] is None else f["value"],
                    "" if f["digits"] is None else f["digits"],
                    "" if f["bubbles"] is None else f["bubbles"], "; ".join(f["reasons"]),
                    image, "")])
                rows += 1
    return target, rows


def apply_review(review_csv: Path, queue_dir: Path, raw_dir: Path, operator: str,
                 reason: str = "", now: datetime | None = None) -> tuple[Path | None, list[str]]:
    """Corrections -> a new revision per TPS in `<raw>/pemeriksaan/`; a TPS is written only
    when every number waiting in it has a value. Returns the file and what was skipped."""
    operator = operator.strip()
    if not re.fullmatch(r"[\w .'-]{1,60}", operator):
        raise ReviewError("--operator: a name of 1-60 letters, digits, spaces, . ' -")
    forms = {f["kode_tps"]: f for f in load_queue(queue_dir)}
    corrections: dict[str, dict[str, int]] = {}
    notes: dict[str, list[str]] = {}
    with review_csv.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("kode_tps", "field", "nilai") if c not in (reader.fieldnames or [])]
        if missing:
            raise ReviewError(f"{review_csv}: columns missing: {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            kode, name = row["kode_tps"].strip(), row["field"].strip()
            if kode not in forms:
                raise ReviewError(f"{review_csv} row {line}, kode_tps: {kode!r} is not in the "
                                  "review queue")
            if name not in forms[kode]["fields"]:
                raise ReviewError(f"{review_csv} row {line}, field: {name!r} is not a field of "
                                  f"the form of TPS {kode}")
            text = row["nilai"].strip()
            if text == "":
                continue
            if not re.fullmatch(r"\d{1,3}", text):
                raise ReviewError(f"{review_csv} row {line}, nilai: {text!r} is not a number "
                                  "0-999")
            corrections.setdefault(kode, {})[name] = int(text)
            if row.get("catatan", "").strip():
                notes.setdefault(kode, []).append(f"{name}: {row['catatan'].strip()}")
    now = now or datetime.now(UTC)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    written, skipped = [], []
    for kode, form in sorted(forms.items()):
        waiting = [n for n, f in form["fields"].items() if not f["accepted"]]
        given = corrections.get(kode, {})
        if not given:
            continue
        if any(n not in given for n in waiting):
            skipped.append(f"TPS {kode}: {len([n for n in waiting if n not in given])} angka "
                           "belum diisi; TPS ini tidak ditulis")
            continue
        values = {n: given.get(n, f["value"]) for n, f in form["fields"].items()}
        why = "; ".join([reason, *notes.get(kode, [])]) if reason or notes.get(kode) else \
            "diperiksa terhadap formulir"
        written.append((kode, values, why))
    if not written:
        return None, skipped
    folder = raw_dir / CORRECTIONS
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^\w-]+", "-", operator.lower()).strip("-") or "petugas"
    target = folder / f"{stamp}-{slug}.csv"
    fields = sorted({n for _, values, _ in written for n in values})
    highest = _highest_revisi(folder)
    with target.open("x", encoding="utf-8", newline="") as handle:  # never overwrite
        writer = csv.writer(handle)
        writer.writerow(["kode_tps", "revisi", "waktu", "operator", "alasan", *fields])
        for kode, values, why in written:
            revisi = max(highest.get(kode, REVIEW_REVISI - 1), REVIEW_REVISI - 1) + 1
            writer.writerow([kode, revisi, now.isoformat(timespec="seconds"),
                             safe_cell(operator), safe_cell(why),
                             *("" if values.get(n) is None else values[n] for n in fields)])
    return target, skipped


REVIEW_REVISI = 1000  # a reviewed form supersedes every submission of its TPS before it


def _highest_revisi(folder: Path) -> dict[str, int]:
    """Per TPS, the highest revisi of the reviews already written (each review is a new
    revision above them)."""
    highest: dict[str, int] = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                kode, revisi = row.get("kode_tps", ""), str(row.get("revisi", ""))
                if revisi.isdigit():
                    highest[kode] = max(highest.get(kode, 0), int(revisi))
    return highest
