"""Sirekap public JSON, one file per TPS: Pemilu `hhcw` (chart + administrasi at the top) and
Pilkada (the same nested under `tungsura`).

Sirekap names a TPS only by its file name. Candidate ids in `chart` map to nomor urut through
the candidate list (never by order). Its missing states (`chart: null`, `administrasi: null`,
an all-zero administrasi block) mean the form was not yet digitised: not received, never zero.
"""

from __future__ import annotations

import json

import pyarrow as pa

from ..fields import tps_code_in_name
from .context import ReadContext, ReadResult
from .records import Provenance, build_records
from .sources import Source

MAX_JSON_BYTES = 16 * 1024 * 1024


def _text(value) -> str | None:
    """JSON value -> the text a form cell would hold (validation decides if it is a number)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return repr(value)  # 12.0 stays visibly fractional-typed: the schema says integer
    return str(value)


def looks_like_sirekap(data: object) -> bool:
    if not isinstance(data, dict):
        return False
    body = data.get("tungsura", data)
    return isinstance(body, dict) and ("chart" in body or "administrasi" in body)


def read_sirekap(source: Source, ctx: ReadContext) -> ReadResult:
    result = ReadResult(format="sirekap-json")
    if len(source.data) > MAX_JSON_BYTES:
        result.rejected = True
        result.pesan = f"JSON lebih dari {MAX_JSON_BYTES} byte"
        result.message = f"JSON larger than {MAX_JSON_BYTES} bytes"
        return result
    try:
        data = json.loads(source.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        result.rejected = True
        result.pesan, result.message = f"JSON rusak: {exc}", f"corrupt JSON: {exc}"
        return result
    if not looks_like_sirekap(data):
        result.rejected = True
        body = data.get("tungsura", data) if isinstance(data, dict) else None
        if isinstance(body, dict) and "table" in body:
            result.pesan = "agregat Sirekap (per wilayah), bukan data satu TPS"
            result.message = "a Sirekap aggregate (per area), not one TPS"
        else:
            result.pesan = "JSON ini bukan hasil Sirekap per TPS (tidak ada chart/administrasi)"
            result.message = "not a per-TPS Sirekap result (no chart/administrasi)"
        return result
    kode = tps_code_in_name(source.name.rsplit(".", 1)[0])
    body = data.get("tungsura", data)
    values: dict[str, str | None] = {"kode_tps": kode}
    notes: list[str] = []
    notes_en: list[str] = []
    status = "ok"
    if kode is None:
        status = "rejected"
        notes.append(f"nama berkas {source.name!r} tidak diawali kode TPS 13 digit")
        notes_en.append(f"file name {source.name!r} does not start with a 13-digit TPS code")

    chart = body.get("chart")
    admin = body.get("administrasi")
    ids = ctx.election.candidate_by_sirekap_id()
    if isinstance(chart, dict):
        for key, votes in chart.items():
            if key == "null":  # Sirekap's placeholder key never holds votes
                continue
            if key not in ids:
                status = "rejected"
                notes.append(f"id calon {key!r} tidak ada dalam daftar calon")
                notes_en.append(f"candidate id {key!r} is not in the candidate list")
                continue
            values[f"suara_paslon_{ids[key]}"] = _text(votes)
    elif chart is not None:
        status = "rejected"
        notes.append("chart bukan objek")
        notes_en.append("chart is not an object")
    if isinstance(admin, dict):
        for name, value in admin.items():
            if name in ctx.form_fields:
                values[name] = _text(value)
    elif admin is not None:
        status = "rejected"
        notes.append("administrasi bukan objek")
        notes_en.append("administrasi is not an object")

    if status == "ok":
        missing = []
        if chart is None:
            missing.append("chart null")
        if admin is None:
            missing.append("administrasi null")
        elif isinstance(admin, dict) and admin and all(v in (0, "0") for v in admin.values()):
            missing.append("administrasi semua nol")
        if missing:
            status = "incomplete"
            notes.append("data Sirekap belum lengkap (" + ", ".join(missing) + "): TPS dihitung "
                         "belum masuk")
            notes_en.append("Sirekap data incomplete (" + ", ".join(missing).replace(
                "semua nol", "all zero") + "): TPS counted as not received")
    ts = data.get("ts")
    images = data.get("images")
    links = [u for u in images if isinstance(u, str) and u.startswith(("https://", "http://"))
             and ";" not in u] if isinstance(images, list) else []
    table = build_records(
        ctx.form_fields, Provenance(source.file, source.member, source.sha256, "sirekap-json"), 1,
        {k: pa.array([v], pa.string()) for k, v in values.items()},
        status=pa.array([status]), note=pa.array(["; ".join(notes)]),
        note_en=pa.array(["; ".join(notes_en)]),
        waktu=pa.array([None if ts is None else str(ts)], pa.string()),
        images=pa.array([";".join(links)], pa.string()))
    result.records = table
    return result
