"""`c1 check`: a Table Schema validator that gives frictionless-py's answers, column-wise.

    from pipeline.check import check_file, check_package
    report = check_file("tps.csv", schema_descriptor)   # frictionless-shaped dict
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .engine import Schema, TaskResult, check_table
from .fields import SchemaError
from .report import summary_text, task_report, wrap_tasks, write_json

__all__ = ["check_file", "check_package", "check_file_tasks", "check_package_tasks",
           "SchemaError", "summary_text", "load_json", "write_json"]


@contextmanager
def _quick_handoff() -> Iterator[None]:
    """The parser thread calls back into Python for odd records: hand the GIL over sooner."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, 0.0005))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def load_json(path: Path, what: str) -> dict[str, Any]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SchemaError(f"{what} not found: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{what} {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise SchemaError(f"{what} {path} must be a JSON object")
    return data


def check_file(data: Path, schema: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    """Validate one CSV or Parquet file against a schema descriptor; no error limit."""
    return wrap_tasks([task_report(r) for r in check_file_tasks(data, schema, name)])


def check_file_tasks(data: Path, schema: dict[str, Any], name: str | None = None
                     ) -> list[TaskResult]:
    data = Path(data)
    if not data.is_file():
        raise SchemaError(f"data file not found: {data}")
    parsed = Schema.from_descriptor(schema)
    with _quick_handoff():
        return [check_table(data, parsed, name=name or data.stem)]


def _resource_schema(resource: dict[str, Any], base: Path) -> dict[str, Any]:
    schema = resource.get("schema")
    if isinstance(schema, str):
        return load_json(base / schema, "schema")
    if not isinstance(schema, dict):
        raise SchemaError(f"resource {resource.get('name')!r} has no schema")
    return schema


def _dialect_options(resource: dict[str, Any]) -> dict[str, Any]:
    dialect = resource.get("dialect") or {}
    options: dict[str, Any] = {}
    if "delimiter" in dialect:
        options["delimiter"] = dialect["delimiter"]
    if "header" in dialect:
        options["header"] = bool(dialect["header"])
    if resource.get("encoding"):
        options["encoding"] = resource["encoding"]
    return options


def check_package(descriptor_path: Path, resource_name: str | None = None,
                  data: Path | None = None) -> dict[str, Any]:
    """Validate the table resources of a data package (foreign keys across them)."""
    return wrap_tasks([task_report(r) for r in check_package_tasks(descriptor_path,
                                                                     resource_name, data)])


def check_package_tasks(descriptor_path: Path, resource_name: str | None = None,
                        data: Path | None = None) -> list[TaskResult]:
    with _quick_handoff():
        return _check_package(Path(descriptor_path), resource_name, data)


def _check_package(descriptor_path: Path, resource_name: str | None,
                   data: Path | None) -> list[TaskResult]:
    descriptor_path = Path(descriptor_path)
    package = load_json(descriptor_path, "data package")
    base = descriptor_path.parent
    resources = [r for r in package.get("resources", [])
                 if isinstance(r, dict) and r.get("schema")
                 and str(r.get("path", "")).lower().endswith((".csv", ".tsv", ".parquet"))
                 and r.get("type", "table") == "table"]
    by_name = {r.get("name"): r for r in resources}
    if resource_name is not None and resource_name not in by_name:
        raise SchemaError(f"no table resource named {resource_name!r} in {descriptor_path}")
    targets = [by_name[resource_name]] if resource_name else resources
    # What each resource must provide to the foreign keys of others.
    wanted: dict[str, dict[str, list[str]]] = {}
    schemas = {r["name"]: Schema.from_descriptor(_resource_schema(r, base)) for r in resources}
    for resource in targets:
        for fk in schemas[resource["name"]].foreign_keys:
            other = fk["resource"]
            if other and other != resource["name"] and other in by_name:
                wanted.setdefault(other, {})["|".join(fk["reference_fields"])] = fk[
                    "reference_fields"]
    results: dict[str, TaskResult] = {}
    lookups: dict[str, dict[tuple[str, ...], Any]] = {}

    def path_of(resource: dict[str, Any]) -> Path:
        if data is not None and resource_name == resource["name"]:
            return Path(data)
        return base / resource["path"]

    def refers_out(name: str) -> bool:
        return any(fk["resource"] not in ("", name) for fk in schemas[name].foreign_keys)

    # First the key sets others refer to; a resource's keys never depend on its own FKs.
    for resource in resources:
        name = resource["name"]
        if name in wanted:
            result = check_table(path_of(resource), schemas[name], name=name, self_name=name,
                                 collect=wanted[name], lookups=lookups,
                                 dialect_options=_dialect_options(resource))
            lookups[name] = result.keys
            if not refers_out(name):
                results[name] = result
    for resource in targets:
        name = resource["name"]
        if name not in results:
            results[name] = check_table(path_of(resource), schemas[name], name=name,
                                        lookups=lookups, self_name=name,
                                        dialect_options=_dialect_options(resource))
    return [results[r["name"]] for r in targets]
