"""datapackage.json: what each published file is, its schema and keys, licence, sources,
and its size and hash, so anyone can check a download with frictionless or sha256sum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import Election
from ..hashing import sha256_file

LICENCES = {
    "CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/",
                  "Creative Commons Attribution 4.0"),
    "CC0-1.0": ("https://creativecommons.org/publicdomain/zero/1.0/",
                "CC0 1.0 Universal (public domain)"),
    "ODbL-1.0": ("https://opendatacommons.org/licenses/odbl/1-0/",
                 "Open Data Commons Open Database License 1.0"),
    "PDDL-1.0": ("https://opendatacommons.org/licenses/pddl/1-0/",
                 "Open Data Commons Public Domain Dedication and License 1.0"),
}
MEDIA = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet",
         "sqlite": "application/vnd.sqlite3", "json": "application/json"}


def _clean_schema(schema: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in schema.items() if not k.startswith("c1:") and k != "$comment"}
    out["fields"] = [{k: v for k, v in f.items() if not k.startswith("c1:")}
                     for f in schema["fields"]]
    return out


def resource(folder: Path, relpath: str, name: str, schema: dict[str, Any] | None,
             title: str, description: str = "") -> dict[str, Any]:
    path = folder / relpath
    fmt = relpath.rsplit(".", 1)[-1]
    item: dict[str, Any] = {"name": name, "path": relpath, "title": title}
    if description:
        item["description"] = description
    if fmt == "csv" and schema is not None:
        item.update({"type": "table", "profile": "tabular-data-resource", "format": "csv",
                     "mediatype": MEDIA["csv"], "encoding": "utf-8",
                     "dialect": {"delimiter": ",", "header": True}})
        item["schema"] = _clean_schema(schema)
    else:
        # Binary downloads are declared as files: frictionless checks their bytes and hash.
        item.update({"type": "file", "format": fmt, "mediatype": MEDIA.get(fmt, "")})
        if schema is not None:
            item["schema"] = _clean_schema(schema)
    item["bytes"] = path.stat().st_size
    item["hash"] = f"sha256:{sha256_file(path)}"
    return item


def descriptor(election: Election, resources: list[dict[str, Any]],
               sources: list[dict[str, Any]]) -> dict[str, Any]:
    url, title = LICENCES.get(election.licence, ("", election.licence))
    licence = {"name": election.licence, "title": title}
    if url:
        licence["path"] = url
    out: dict[str, Any] = {
        "name": election.contest_id,
        "title": election.name,
        "description": (f"Hasil penghitungan suara per TPS dari formulir C1 ({election.name}), "
                        "diperiksa dengan aturan formulir. Totals count only TPS with status "
                        "masuk; see tps_total and the tps_* coverage columns."),
        "profile": "data-package",
        "licenses": [licence],
        "sources": sources,
        "resources": resources,
    }
    if election.release_time:
        out["created"] = election.release_time
    if election.publisher:
        out["contributors"] = [{"title": election.publisher, "role": "publisher"}]
    return out
