"""Reports in frictionless-py's shape (and a summary for people)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .engine import TaskResult

TITLES = {
    "extra-label": "Extra Label", "missing-label": "Missing Label",
    "blank-label": "Blank Label", "duplicate-label": "Duplicate Label",
    "incorrect-label": "Incorrect Label", "blank-row": "Blank Row",
    "missing-cell": "Missing Cell", "extra-cell": "Extra Cell", "type-error": "Type Error",
    "constraint-error": "Constraint Error", "unique-error": "Unique Error",
    "primary-key": "PrimaryKey Error", "foreign-key": "ForeignKey Error",
    "source-error": "Source Error", "resource-error": "Resource Error",
    "encoding-error": "Encoding Error",
}
LABEL_TAGS = ["#table", "#header", "#label"]
CELL_TAGS = ["#table", "#row", "#cell"]
ROW_TAGS = ["#table", "#row"]


def _label_message(e: dict[str, Any]) -> str:
    kind, number, name, label = e["type"], e["fieldNumber"], e["fieldName"], e.get("label", "")
    if kind == "extra-label":
        return f'There is an extra label "{label}" in header at position "{number}"'
    if kind == "missing-label":
        return (f"There is a missing label in the header's field \"{name}\" at position "
                f'"{number}"')
    if kind == "blank-label":
        return f'Label in the header in field at position "{number}" is blank'
    if kind == "duplicate-label":
        return (f'Label "{label}" in the header at position "{number}" is duplicated to a '
                f"label: {e.get('note', '')}")
    return (f'Label "{label}" in field {name} at position "{number}" does not match the field '
            "name in the schema")


def _row_message(kind: str, row: int, number: int, name: str, cell: str, note: str) -> str:
    if kind == "blank-row":
        return f'Row at position "{row}" is completely blank'
    if kind == "missing-cell":
        return (f'Row at position "{row}" has a missing cell in field "{name}" at position '
                f'"{number}"')
    if kind == "extra-cell":
        return f'Row at position "{row}" has an extra value in field at position "{number}"'
    if kind == "type-error":
        return (f'Type error in the cell "{cell}" in row "{row}" and field "{name}" at position '
                f'"{number}": {note}')
    if kind == "constraint-error":
        return (f'The cell "{cell}" in row at position "{row}" and field "{name}" at position '
                f'"{number}" does not conform to a constraint: {note}')
    if kind == "unique-error":
        return (f'Row at position "{row}" has unique constraint violation in field "{name}" at '
                f'position "{number}": {note}')
    if kind == "primary-key":
        return f'Row at position "{row}" violates the primary key: {note}'
    return f'Row at position "{row}" violates the foreign key: {note}'


def task_report(result: TaskResult) -> dict[str, Any]:
    """One task: header errors first, then row errors sorted by row and field."""
    errors: list[dict[str, Any]] = []
    for e in result.task_errors:
        errors.append({"type": e["type"], "title": TITLES[e["type"]], "tags": [],
                       "note": e["note"], "message": e["note"]})
    for e in result.header_errors:
        item = {"type": e["type"], "title": TITLES[e["type"]], "tags": LABEL_TAGS,
                "note": e.get("note", ""), "label": e.get("label", ""),
                "fieldName": e["fieldName"], "fieldNumber": e["fieldNumber"],
                "rowNumbers": [1]}
        item["message"] = _label_message(e)
        errors.append(item)
    names = {f.number: f.name for f in result.fields}
    frame = result.errors
    for kind, row, number, cell, note in zip(*(frame[c].tolist() for c in (
            "type", "row", "field", "cell", "note")), strict=True):
        row = int(row)
        number = int(number)
        item: dict[str, Any] = {"type": kind, "title": TITLES[kind],
                                "tags": ROW_TAGS if number < 0 else CELL_TAGS,
                                "note": note, "rowNumber": row}
        name = ""
        if number >= 0:
            name = "" if kind == "extra-cell" else names.get(number, "")
            item.update({"fieldNumber": number, "fieldName": name, "cell": str(cell)})
        item["message"] = _row_message(kind, row, number, name, str(cell), note)
        errors.append(item)
    return {"name": result.name, "type": "table", "valid": not errors, "place": result.place,
            "labels": result.labels,
            "stats": {"errors": len(errors), "warnings": 0, "rows": result.rows,
                      "fields": len(result.fields)},
            "warnings": [], "errors": errors}


def wrap_tasks(tasks: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(t["stats"]["errors"] for t in tasks)
    return {"valid": total == 0, "stats": {"tasks": len(tasks), "errors": total, "warnings": 0},
            "warnings": [], "errors": [], "tasks": tasks}


def summary_text(report: dict[str, Any], first: int = 20) -> str:
    """Counts per error type and the first errors, with row, field, value and message."""
    lines = []
    for task in report["tasks"]:
        state = "valid" if task["valid"] else f"INVALID: {task['stats']['errors']} errors"
        lines.append(f"{task['place']}: {task['stats']['rows']} rows, {state}")
        counts = Counter(e["type"] for e in task["errors"])
        for kind, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {count:>9,}  {kind}")
        for e in task["errors"][:first]:
            where = f"row {e['rowNumber']}" if "rowNumber" in e else "header"
            if "fieldNumber" in e:
                where += f", field {e['fieldNumber']} {e.get('fieldName') or ''}".rstrip()
            value = f" {e['cell']!r}" if e.get("cell") not in (None, "") else ""
            lines.append(f"  {where}:{value} {e['message']}")
        if len(task["errors"]) > first:
            lines.append(f"  ... {len(task['errors']) - first:,} more (use --json for all)")
    return "\n".join(lines)
