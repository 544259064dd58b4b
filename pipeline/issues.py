"""Findings about inputs, as data: one row per problem, naming the file, row and field.

Every stage reports through this one shape, so `validation/issues.csv` and `report.json`
list what ingest, schema checks and rules found side by side.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

# rejected: never used; bermasalah: fails a hard rule, not counted; konflik: differing
# forms with no order; warning: counted but flagged; info: nothing wrong, worth knowing.
SEVERITIES = ("rejected", "bermasalah", "konflik", "warning", "info")

ISSUE_COLUMNS = ["file", "member", "row", "kode_tps", "submission_id", "stage", "severity",
                 "rule", "fields", "values", "message", "message_en"]


@dataclass
class Issue:
    file: str
    severity: str
    rule: str
    message: str
    message_en: str
    member: str = ""
    row: int | None = None
    kode_tps: str = ""
    submission_id: str = ""
    stage: str = "ingest"
    fields: str = ""
    values: str = ""


def issues_frame(items: list[Issue] | None = None) -> pd.DataFrame:
    """Issues as a DataFrame with the fixed column order (empty frames keep their columns)."""
    frame = pd.DataFrame([asdict(i) for i in items or []], columns=ISSUE_COLUMNS)
    return normalise_issues(frame)


def normalise_issues(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reindex(columns=ISSUE_COLUMNS)
    for column in ISSUE_COLUMNS:
        if column == "row":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def sort_issues(frame: pd.DataFrame) -> pd.DataFrame:
    order = {s: i for i, s in enumerate(SEVERITIES)}
    key = frame["severity"].map(order)
    return (frame.assign(_sev=key)
            .sort_values(["file", "member", "row", "_sev", "rule", "kode_tps", "fields"],
                         kind="stable", na_position="first")
            .drop(columns="_sev").reset_index(drop=True))
