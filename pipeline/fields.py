"""The C1 fields, read from the Table Schemas in `schemas/` (the one source of truth).

A field named with `{nomor_urut}` is repeated once per paslon of the election, so adding a
contest with another number of candidates is configuration, not code.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from .paths import schemas_dir

SUBMISSION_SCHEMA = "c1.schema.json"
PASLON_PLACEHOLDER = "{nomor_urut}"


@cache
def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def read_schema_file(name: str) -> dict[str, Any]:
    return copy.deepcopy(_read_json(schemas_dir() / name))


TPS_CODE_NAME = re.compile(r"([0-9]{13})(?:[^0-9].*)?")  # how Sirekap names a TPS's files


def tps_code_in_name(stem: str) -> str | None:
    """The TPS code a file name starts with (13 digits, then nothing or a non-digit)."""
    match = TPS_CODE_NAME.fullmatch(stem)
    return match.group(1) if match else None


def paslon_field(nomor_urut: int) -> str:
    return f"suara_paslon_{nomor_urut}"


def _expand_field(field: dict[str, Any], nomor_urut: list[int]) -> list[dict[str, Any]]:
    if PASLON_PLACEHOLDER not in field["name"]:
        return [field]
    out = []
    for n in nomor_urut:
        text = json.dumps(field, ensure_ascii=False).replace(PASLON_PLACEHOLDER, str(n))
        item = json.loads(text)
        item.pop("c1:repeat", None)
        out.append(item)
    return out


def submission_schema(nomor_urut: list[int]) -> dict[str, Any]:
    """The Table Schema of one C1 submission for an election with these paslon."""
    schema = read_schema_file(SUBMISSION_SCHEMA)
    fields: list[dict[str, Any]] = []
    for field in schema["fields"]:
        fields.extend(_expand_field(field, nomor_urut))
    schema["fields"] = fields
    schema.pop("$comment", None)
    return schema


def form_fields(nomor_urut: list[int]) -> list[str]:
    """Names of the numbers on the form, in form order (no kode_tps, no revisi)."""
    return [f["name"] for f in submission_schema(nomor_urut)["fields"]
            if f["name"] not in ("kode_tps", "revisi")]


def published_schema(name: str, nomor_urut: list[int]) -> dict[str, Any]:
    """A published table's schema with its `c1:fields_from` entries filled in."""
    schema = read_schema_file(name)
    submission = {f["name"]: f for f in submission_schema(nomor_urut)["fields"]}
    template_names = [f["name"] for f in read_schema_file(SUBMISSION_SCHEMA)["fields"]]
    fields: list[dict[str, Any]] = []
    for field in schema["fields"]:
        if "c1:fields_from" not in field:
            fields.append(field)
            continue
        wanted = field.get("only", template_names)
        excluded = set(field.get("exclude", []))
        for template in wanted:
            if template in excluded:
                continue
            names = ([paslon_field(n) for n in nomor_urut] if PASLON_PLACEHOLDER in template
                     else [template])
            for fname in names:
                item = copy.deepcopy(submission[fname])
                item.pop("c1:form", None)
                constraints = item.get("constraints", {})
                if field.get("sum"):
                    constraints.pop("maximum", None)
                    item["description"] = "Sum over TPS masuk: " + item["description"]
                if field.get("optional") or field.get("sum"):
                    constraints.pop("required", None)
                if constraints:
                    item["constraints"] = constraints
                else:
                    item.pop("constraints", None)
                fields.append(item)
    schema["fields"] = fields
    schema.pop("$comment", None)
    return schema
