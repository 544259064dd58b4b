"""The validation report: `report.json` in frictionless-py's report shape, `issues.csv` flat.

Every finding becomes an error (or a warning) of the task of the file it came from, with
frictionless error types where one fits: type-error, constraint-error, foreign-key (TPS not
in the region master), primary-key (konflik: two differing forms for one TPS), row-constraint
(a rule of the form), source-error (unreadable file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..csvwrite import write_csv

FRICTIONLESS_TYPE = {
    "type-error": ("type-error", "Type Error", ["#table", "#row", "#cell"]),
    "constraint-error": ("constraint-error", "Constraint Error", ["#table", "#row", "#cell"]),
    "unknown-tps": ("foreign-key", "ForeignKey Error", ["#table", "#row"]),
    "konflik": ("primary-key", "PrimaryKey Error", ["#table", "#row"]),
    "duplicate-label": ("duplicate-label", "Duplicate Label", ["#table", "#header", "#label"]),
    "unknown-paslon": ("incorrect-label", "Incorrect Label", ["#table", "#header", "#label"]),
    "ingest-rejected": ("row-error", "Row Error", ["#table", "#row"]),
}
SOURCE_ERROR = ("source-error", "Source Error", ["#source"])
RULE_ERROR = ("row-constraint", "Row Constraint", ["#table", "#row"])
ISSUES_CSV_COLUMNS = ["file", "member", "row", "kode_tps", "severity", "rule", "fields",
                      "values", "message", "message_en", "submission_id", "stage"]


def _error(issue: dict[str, Any]) -> dict[str, Any]:
    rule = issue["rule"]
    if rule in FRICTIONLESS_TYPE:
        kind, title, tags = FRICTIONLESS_TYPE[rule]
    elif issue["severity"] == "bermasalah":
        kind, title, tags = RULE_ERROR
    else:
        kind, title, tags = SOURCE_ERROR
    error: dict[str, Any] = {"type": kind, "title": title, "tags": tags,
                             "message": issue["message_en"], "note": issue["message"],
                             "c1:rule": rule, "c1:severity": issue["severity"]}
    if issue["row"] is not None and not pd.isna(issue["row"]):
        error["rowNumber"] = int(issue["row"])
    if issue["fields"] and "#cell" in tags:
        error["fieldName"] = issue["fields"]
        error["cell"] = issue["values"].split("=", 1)[-1]
    if issue["kode_tps"]:
        error["c1:kode_tps"] = issue["kode_tps"]
    return error


def build_report(issues: pd.DataFrame, sources: pd.DataFrame, subs: pd.DataFrame
                 ) -> dict[str, Any]:
    """One task per input file (and archive member); valid when nothing was rejected or
    bermasalah in it."""
    rows_per_source = subs.groupby(["source_file", "source_member"]).size()
    tasks = []
    by_source: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for issue in issues.to_dict("records"):
        by_source.setdefault((issue["file"], issue["member"]), []).append(issue)
    for entry in sources.itertuples(index=False):
        key = (entry.file, entry.member)
        part = by_source.get(key)
        errors, warnings = [], []
        if part is not None:
            for issue in part:
                if issue["severity"] in ("rejected", "bermasalah", "konflik"):
                    errors.append(_error(issue))
                elif issue["severity"] == "warning":
                    warnings.append(f"{issue['kode_tps']} {issue['rule']}: {issue['message_en']}"
                                    .strip())
                else:
                    warnings.append(f"{issue['rule']}: {issue['message_en']}")
        name = f"{entry.file}!{entry.member}" if entry.member else entry.file
        tasks.append({
            "name": name, "type": "table" if entry.format != "zip" else "file",
            "valid": not errors, "place": name,
            "c1:status": entry.status, "c1:format": entry.format, "c1:sha256": entry.sha256,
            "stats": {"errors": len(errors), "warnings": len(warnings),
                      "rows": int(rows_per_source.get(key, 0)), "bytes": int(entry.bytes)},
            "warnings": warnings, "errors": errors,
        })
    total_errors = sum(t["stats"]["errors"] for t in tasks)
    total_warnings = sum(t["stats"]["warnings"] for t in tasks)
    return {"valid": total_errors == 0,
            "stats": {"tasks": len(tasks), "errors": total_errors, "warnings": total_warnings},
            "warnings": [], "errors": [], "tasks": tasks}


def write_issues_csv(issues: pd.DataFrame, path: Path) -> None:
    write_csv(issues[ISSUES_CSV_COLUMNS], path)
