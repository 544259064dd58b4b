"""Reports in frictionless-py's shape (and a summary for people)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from typing import Any, BinaryIO

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


# frictionless-py's message template of each error type (its Error.template).
MESSAGES = {
    "extra-label": 'There is an extra label "{label}" in header at position "{fieldNumber}"',
    "missing-label": ("There is a missing label in the header's field \"{fieldName}\" at "
                      'position "{fieldNumber}"'),
    "blank-label": 'Label in the header in field at position "{fieldNumber}" is blank',
    "duplicate-label": ('Label "{label}" in the header at position "{fieldNumber}" is '
                        "duplicated to a label: {note}"),
    "incorrect-label": ('Label "{label}" in field {fieldName} at position "{fieldNumber}" '
                        "does not match the field name in the schema"),
    "blank-row": 'Row at position "{rowNumber}" is completely blank',
    "missing-cell": ('Row at position "{rowNumber}" has a missing cell in field "{fieldName}" '
                     'at position "{fieldNumber}"'),
    "extra-cell": ('Row at position "{rowNumber}" has an extra value in field at position '
                   '"{fieldNumber}"'),
    "type-error": ('Type error in the cell "{cell}" in row "{rowNumber}" and field '
                   '"{fieldName}" at position "{fieldNumber}": {note}'),
    "constraint-error": ('The cell "{cell}" in row at position "{rowNumber}" and field '
                         '"{fieldName}" at position "{fieldNumber}" does not conform to a '
                         "constraint: {note}"),
    "unique-error": ('Row at position "{rowNumber}" has unique constraint violation in field '
                     '"{fieldName}" at position "{fieldNumber}": {note}'),
    "primary-key": 'Row at position "{rowNumber}" violates the primary key: {note}',
    "foreign-key": 'Row at position "{rowNumber}" violates the foreign key: {note}',
}


def _message(kind: str, values: dict[str, Any]) -> str:
    return MESSAGES[kind].format_map(
        {"label": "", "note": "", "fieldName": "", "fieldNumber": "", "cell": "",
         "rowNumber": "", **values})


def iter_errors(result: TaskResult) -> Iterator[dict[str, Any]]:
    """The task's errors one at a time: task errors, header errors, then rows by row, field."""
    for e in result.task_errors:
        yield {"type": e["type"], "title": TITLES[e["type"]], "tags": [], "note": e["note"],
               "message": e["note"]}
    for e in result.header_errors:
        yield {"type": e["type"], "title": TITLES[e["type"]], "tags": LABEL_TAGS,
               "note": e.get("note", ""), "label": e.get("label", ""),
               "fieldName": e["fieldName"], "fieldNumber": e["fieldNumber"], "rowNumbers": [1],
               "message": _message(e["type"], e)}
    names = {f.number: f.name for f in result.fields}
    frame = result.errors
    for kind, row, number, cell, note in zip(*(frame[c].tolist() for c in (
            "type", "row", "field", "cell", "note")), strict=True):
        item: dict[str, Any] = {"type": kind, "title": TITLES[kind],
                                "tags": ROW_TAGS if number < 0 else CELL_TAGS,
                                "note": note, "rowNumber": row}
        name = ""
        if number >= 0:
            name = "" if kind == "extra-cell" else names.get(number, "")
            item.update({"fieldNumber": number, "fieldName": name, "cell": str(cell)})
        item["message"] = _message(kind, item)
        yield item


def error_count(result: TaskResult) -> int:
    return len(result.task_errors) + len(result.header_errors) + len(result.errors["row"])


def task_head(result: TaskResult) -> dict[str, Any]:
    """A task without its errors (their count is known before they are written)."""
    count = error_count(result)
    return {"name": result.name, "type": "table", "valid": count == 0, "place": result.place,
            "labels": result.labels,
            "stats": {"errors": count, "warnings": 0, "rows": result.rows,
                      "fields": len(result.fields)},
            "warnings": []}


def task_report(result: TaskResult) -> dict[str, Any]:
    return {**task_head(result), "errors": list(iter_errors(result))}


def wrap_tasks(tasks: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(t["stats"]["errors"] for t in tasks)
    return {"valid": total == 0, "stats": {"tasks": len(tasks), "errors": total, "warnings": 0},
            "warnings": [], "errors": [], "tasks": tasks}


def write_json(results: list[TaskResult], out: BinaryIO) -> None:
    """The report as JSON, written error by error: a national report never sits in memory."""
    try:
        import orjson

        dumps = orjson.dumps
    except ImportError:  # pragma: no cover - orjson is a dependency
        def dumps(value: Any) -> bytes:
            return json.dumps(value, ensure_ascii=False).encode("utf-8")
    heads = [task_head(r) for r in results]
    total = sum(h["stats"]["errors"] for h in heads)
    top = {"valid": total == 0, "stats": {"tasks": len(heads), "errors": total, "warnings": 0},
           "warnings": [], "errors": []}
    out.write(dumps(top)[:-1] + b',"tasks":[')
    for i, (head, result) in enumerate(zip(heads, results, strict=True)):
        out.write((b"," if i else b"") + dumps(head)[:-1] + b',"errors":[')
        batch: list[bytes] = []
        for k, error in enumerate(iter_errors(result)):
            batch.append(dumps(error))
            if len(batch) >= 10_000:
                out.write((b"," if k >= len(batch) else b"") + b",".join(batch))
                batch = []
        if batch:
            written = k + 1 - len(batch)
            out.write((b"," if written else b"") + b",".join(batch))
        out.write(b"]}")
    out.write(b"]}\n")


def summary_text(results: list[TaskResult], first: int = 20) -> str:
    """Counts per error type and the first errors, with row, field, value and message."""
    lines = []
    for result in results:
        count = error_count(result)
        state = "valid" if count == 0 else f"INVALID: {count:,} errors"
        lines.append(f"{result.place}: {result.rows:,} rows, {state}")
        counts = Counter([e["type"] for e in result.task_errors]
                         + [e["type"] for e in result.header_errors]
                         + result.errors["type"].tolist())
        for kind, number in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {number:>9,}  {kind}")
        for e in islice(iter_errors(result), first):
            where = f"row {e['rowNumber']}" if "rowNumber" in e else "header"
            if "fieldNumber" in e:
                where += f", field {e['fieldNumber']} {e.get('fieldName') or ''}".rstrip()
            value = f" {e['cell']!r}" if e.get("cell") not in (None, "") else ""
            lines.append(f"  {where}:{value} {e['message']}")
        if count > first:
            lines.append(f"  ... {count - first:,} more (use --json for all)")
    return "\n".join(lines)
