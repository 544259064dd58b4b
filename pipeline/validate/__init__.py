"""Validate: every submission against the Table Schema and the form's rules, then the
current submission per TPS.

Outcomes: rejected (unreadable, schema failure, unknown TPS: never used), incomplete (Sirekap
not yet digitised: counts as not received), bermasalah (fails a hard rule: not counted),
accepted (counted; may carry plausibility warnings).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ..config import Election
from ..fields import form_fields, submission_schema
from ..issues import issues_frame, normalise_issues, sort_issues
from ..regions import RegionMaster
from ..tableschema import check_columns
from ..workdir import WorkDir, read_parquet, write_json, write_parquet
from .report import build_report, write_issues_csv
from .rules import evaluate_rules, load_rules
from .selection import select_current, tps_status

OUTCOMES = ("accepted", "bermasalah", "incomplete", "rejected")


@dataclass
class ValidationSummary:
    received: int
    accepted: int
    bermasalah: int
    incomplete: int
    rejected: int
    konflik_tps: int
    warnings: int
    rejected_files: int
    report_path: str


def _first_per_row(frame: pd.DataFrame, n: int, column: str, default: np.ndarray) -> np.ndarray:
    """Per row, the first finding's text where there is one, else `default`."""
    out = np.asarray(default, dtype=object).copy()
    first = frame.drop_duplicates("row_index")
    out[first["row_index"].to_numpy(dtype=np.int64)] = first[column].to_numpy(dtype=object)
    return out


def validate_records(records: pa.Table, election: Election, regions: RegionMaster
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(submissions with outcome, typed fields and selection; issues found), no I/O."""
    fields = form_fields(election.nomor_urut)
    schema = submission_schema(election.nomor_urut)
    meta = records.select([c for c in records.column_names if c not in fields
                           and c not in ("kode_tps", "revisi")]).to_pandas()
    n = records.num_rows
    checked = check_columns(records, schema)
    ingest_status = meta["ingest_status"].to_numpy()
    ok = ingest_status == "ok"

    subs = meta.copy()
    subs["kode_tps"] = checked.values["kode_tps"].to_pandas().astype("string")
    raw_kode = records.column("kode_tps").to_pandas()
    subs["revisi"] = checked.values["revisi"].to_pandas().astype("Int64")
    for name in fields:
        subs[name] = checked.values[name].to_pandas().astype("Int64")

    # Schema errors count only for rows ingest could read whole.
    errors = checked.errors[ok[checked.errors["row_index"].to_numpy(dtype=np.int64)]] if len(
        checked.errors) else checked.errors
    schema_bad = np.zeros(n, dtype=bool)
    schema_bad[errors["row_index"].to_numpy(dtype=np.int64)] = True
    # Position of each submission's TPS in the region master (-1: not there).
    subs["tps_pos"] = regions.tps_index.get_indexer(subs["kode_tps"])
    known = subs["tps_pos"].to_numpy() >= 0
    unknown_tps = ok & ~schema_bad & ~known

    rule_rows = ok & ~schema_bad & known
    values = subs.loc[rule_rows, ["kode_tps", *fields]].reset_index(drop=True)
    master_dpt = None
    if regions.tps["dpt"].notna().any():
        master_dpt = regions.tps["dpt"].array.take(subs.loc[rule_rows, "tps_pos"].to_numpy())
        master_dpt = pd.Series(master_dpt)
    failures = evaluate_rules(values, load_rules(election.nomor_urut), election,
                              master_dpt).frame
    positions = np.flatnonzero(rule_rows)
    failures["row_index"] = positions[failures["row_index"].to_numpy(dtype=np.int64)]
    hard = failures[failures["severity"] == "hard"]
    warn = failures[failures["severity"] == "warning"]
    bermasalah = np.zeros(n, dtype=bool)
    bermasalah[hard["row_index"].to_numpy(dtype=np.int64)] = True

    outcome = np.full(n, "accepted", dtype=object)
    outcome[bermasalah] = "bermasalah"
    outcome[unknown_tps | schema_bad | (ingest_status == "rejected")] = "rejected"
    outcome[ingest_status == "incomplete"] = "incomplete"
    subs["outcome"] = outcome
    subs["aturan_gagal"] = _joined(hard, n)
    subs["peringatan"] = _joined(warn, n)
    alasan = _first_per_row(errors, n, "pesan", meta["ingest_note"].to_numpy(dtype=object))
    alasan[unknown_tps] = "kode TPS tidak ada di daftar wilayah"
    subs["alasan"] = alasan
    subs = select_current(subs, fields)

    def base(rows: np.ndarray) -> dict[str, object]:
        return {"file": meta["source_file"].to_numpy()[rows],
                "member": meta["source_member"].to_numpy()[rows],
                "row": meta["source_row"].to_numpy()[rows],
                "kode_tps": raw_kode.fillna("").to_numpy()[rows],
                "submission_id": meta["submission_id"].to_numpy()[rows], "stage": "validate"}

    frames = []
    if len(errors):
        rows = errors["row_index"].to_numpy(dtype=np.int64)
        frames.append(pd.DataFrame({**base(rows), "severity": "rejected",
                                    "rule": errors["type"].to_numpy(),
                                    "fields": errors["field_name"].to_numpy(),
                                    "values": errors["field_name"] + "=" + errors["cell"],
                                    "message": errors["pesan"].to_numpy(),
                                    "message_en": errors["message"].to_numpy()}))
    rows = np.flatnonzero(unknown_tps)
    if len(rows):
        kode = subs["kode_tps"].to_numpy()[rows]
        frames.append(pd.DataFrame({**base(rows), "severity": "rejected", "rule": "unknown-tps",
                                    "fields": "kode_tps", "values": [f"kode_tps={k}" for k in kode],
                                    "message": [f"kode TPS {k} tidak ada di daftar wilayah"
                                                for k in kode],
                                    "message_en": [f"TPS code {k} is not in the region master"
                                                   for k in kode]}))
    for status, severity in (("rejected", "rejected"), ("incomplete", "info")):
        rows = np.flatnonzero(ingest_status == status)
        if len(rows):
            frames.append(pd.DataFrame({**base(rows), "severity": severity,
                                        "rule": "ingest-" + status, "fields": "", "values": "",
                                        "message": meta["ingest_note"].to_numpy()[rows],
                                        "message_en": meta["ingest_note_en"].to_numpy()[rows]}))
    for part, severity in ((hard, "bermasalah"), (warn, "warning")):
        if len(part):
            rows = part["row_index"].to_numpy(dtype=np.int64)
            frames.append(pd.DataFrame({**base(rows), "severity": severity,
                                        "rule": part["rule"].to_numpy(),
                                        "fields": part["fields"].to_numpy(),
                                        "values": part["values"].to_numpy(),
                                        "message": part["message"].to_numpy(),
                                        "message_en": part["message_en"].to_numpy()}))
    frames.append(_selection_issues(subs, base))
    issues = normalise_issues(pd.concat([f for f in frames if len(f)], ignore_index=True)
                              if any(len(f) for f in frames) else issues_frame())
    return subs, issues


def _joined(failures: pd.DataFrame, n: int) -> list[str]:
    out = [""] * n
    for index, rule in zip(failures["row_index"], failures["rule"], strict=True):
        out[index] = f"{out[index]};{rule}" if out[index] else rule
    return out


def _selection_issues(subs: pd.DataFrame, base) -> pd.DataFrame:
    """Konflik, identical duplicates and superseded forms, each named in the report."""
    frames = []
    where = subs["selection"].to_numpy()
    konflik_rows = np.flatnonzero(where == "konflik")
    if len(konflik_rows):
        ids = subs.iloc[konflik_rows].groupby("kode_tps")["submission_id"].agg(" , ".join)
        others = subs["kode_tps"].iloc[konflik_rows].map(ids).to_numpy()
        frames.append(pd.DataFrame({**base(konflik_rows), "severity": "konflik",
                                    "rule": "konflik", "fields": "", "values": "",
                                    "message": [f"formulir berbeda tanpa urutan revisi: {o}"
                                                for o in others],
                                    "message_en": [f"differing forms with no order: {o}"
                                                   for o in others]}))
    for kind, pesan, message in (
            ("duplicate", "duplikat identik dari {}, digabung", "identical duplicate of {}, "
             "collapsed"),
            ("superseded", "digantikan oleh revisi yang lebih baru: {}", "superseded by a "
             "later revision: {}")):
        rows = np.flatnonzero(where == kind)
        if len(rows):
            by = subs["superseded_by"].to_numpy()[rows]
            frames.append(pd.DataFrame({**base(rows), "severity": "info", "rule": kind,
                                        "fields": "", "values": "",
                                        "message": [pesan.format(b) for b in by],
                                        "message_en": [message.format(b) for b in by]}))
    return pd.concat(frames, ignore_index=True) if frames else issues_frame()


def validate(election: Election, regions: RegionMaster, work: WorkDir) -> ValidationSummary:
    """Read work/records, write work/validated (submissions, tps, issues, report)."""
    records_path = work.require("records", "records.parquet", "ingest")
    records = read_parquet(records_path)
    sources = read_parquet(work.require("records", "sources.parquet", "ingest")).to_pandas()
    ingest_issues = read_parquet(work.require("records", "issues.parquet", "ingest")).to_pandas()
    subs, issues = validate_records(records, election, regions)
    issues = sort_issues(normalise_issues(pd.concat([ingest_issues, issues], ignore_index=True)))
    status = tps_status(subs, regions.tps["kode"])
    out = work.stage("validated")
    write_parquet(subs, out / "submissions.parquet")
    write_parquet(status, out / "tps_status.parquet")
    write_parquet(issues, out / "issues.parquet")
    write_parquet(sources, out / "sources.parquet")
    report = build_report(issues, sources, subs)
    write_json(report, out / "report.json")
    write_issues_csv(issues, out / "issues.csv")
    counts = subs["outcome"].value_counts()
    return ValidationSummary(
        received=len(subs), accepted=int(counts.get("accepted", 0)),
        bermasalah=int(counts.get("bermasalah", 0)), incomplete=int(counts.get("incomplete", 0)),
        rejected=int(counts.get("rejected", 0)),
        konflik_tps=int((status["status"] == "konflik").sum()),
        warnings=int((issues["severity"] == "warning").sum()),
        rejected_files=int((sources["status"] == "rejected").sum()),
        report_path=str(out / "report.json"))
