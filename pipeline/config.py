"""The election as configuration: contest, candidates, region master and limits.

Another kabupaten runs its own election by editing `election.toml`, never code.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

CONFIG_NAME = "election.toml"

CONTEST_KINDS: dict[str, dict[str, Any]] = {
    "ppwp": {"label": "Pemilihan Presiden dan Wakil Presiden", "max_dpt_per_tps": 300,
             "reserve_ratio": 0.02},
    "pkwkp": {"label": "Pemilihan Gubernur dan Wakil Gubernur", "max_dpt_per_tps": 600,
              "reserve_ratio": 0.025},
    "pkwkk": {"label": "Pemilihan Bupati/Wali Kota dan Wakil Bupati/Wali Kota",
              "max_dpt_per_tps": 600, "reserve_ratio": 0.025},
}

CONTEST_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
DEFAULT_LICENCE = "CC-BY-4.0"
DEFAULT_MAX_FILE_MB = 512


@dataclass(frozen=True)
class Candidate:
    nomor_urut: int
    nama: str
    sirekap_id: str | None = None


@dataclass(frozen=True)
class Limits:
    max_dpt_per_tps: int
    reserve_ratio: float
    max_file_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024


@dataclass(frozen=True)
class Election:
    """Everything a run needs to know about one contest, read from `election.toml`."""

    raw_dir: Path
    contest_id: str
    kind: str
    name: str
    date: str
    candidates: tuple[Candidate, ...]
    regions_file: Path
    regions_root: str | None
    limits: Limits
    licence: str = DEFAULT_LICENCE
    release_time: str = ""
    publisher: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def config_path(self) -> Path:
        return self.raw_dir / CONFIG_NAME

    @property
    def nomor_urut(self) -> list[int]:
        return [c.nomor_urut for c in self.candidates]

    def candidate_by_sirekap_id(self) -> dict[str, int]:
        return {c.sirekap_id: c.nomor_urut for c in self.candidates if c.sirekap_id}


def _require(table: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in table:
        raise ConfigError(f"{where}: missing key '{key}'")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: '{key}' must be a {names}, got {value!r}")
    return value


def load_election(raw_dir: Path) -> Election:
    """Read and check `<raw_dir>/election.toml`; every fault names the key."""
    raw_dir = Path(raw_dir)
    path = raw_dir / CONFIG_NAME
    if not raw_dir.is_dir():
        raise ConfigError(f"raw folder not found: {raw_dir}")
    if not path.is_file():
        raise ConfigError(
            f"no {CONFIG_NAME} in {raw_dir}: create one with `c1 init {raw_dir} --regions ... "
            "--candidates ...`")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    where = str(path)
    contest = _require(data, "contest", where, dict)
    contest_id = _require(contest, "id", f"{where} [contest]", str)
    if not CONTEST_ID.fullmatch(contest_id):
        raise ConfigError(f"{where} [contest]: id {contest_id!r} must be lower-case letters, "
                          "digits and '-' (it names the output folder)")
    kind = _require(contest, "kind", f"{where} [contest]", str)
    name = _require(contest, "name", f"{where} [contest]", str)
    date = contest.get("date", "")
    if isinstance(date, dt.date):
        date = date.isoformat()
    if not isinstance(date, str):
        raise ConfigError(f"{where} [contest]: date must be YYYY-MM-DD")

    candidates = _load_candidates(data.get("candidates"), where)
    regions = _require(data, "regions", where, dict)
    regions_file = raw_dir / _require(regions, "file", f"{where} [regions]", str)
    if not regions_file.is_file():
        raise ConfigError(f"{where} [regions]: region master file not found: {regions_file}")
    root = regions.get("root")
    if root is not None and not isinstance(root, str):
        raise ConfigError(f"{where} [regions]: root must be a region code string, got {root!r}")

    defaults = CONTEST_KINDS.get(kind, {})
    limits_table = data.get("limits", {})
    if not isinstance(limits_table, dict):
        raise ConfigError(f"{where}: [limits] must be a table")
    try:
        limits = Limits(
            max_dpt_per_tps=int(limits_table.get("max_dpt_per_tps",
                                                 defaults.get("max_dpt_per_tps", 999))),
            reserve_ratio=float(limits_table.get("reserve_ratio",
                                                 defaults.get("reserve_ratio", 0.02))),
            max_file_bytes=int(float(limits_table.get("max_file_mb", DEFAULT_MAX_FILE_MB))
                               * 1024 * 1024),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where} [limits]: {exc}") from None
    if limits.max_dpt_per_tps <= 0 or not 0 <= limits.reserve_ratio < 1:
        raise ConfigError(f"{where} [limits]: max_dpt_per_tps must be > 0 and reserve_ratio "
                          "between 0 and 1")
    publish = data.get("publish", {})
    if not isinstance(publish, dict):
        raise ConfigError(f"{where}: [publish] must be a table")
    release_time = publish.get("release_time", date)
    if isinstance(release_time, dt.datetime | dt.date):
        release_time = release_time.isoformat()
    return Election(
        raw_dir=raw_dir, contest_id=contest_id, kind=kind, name=name, date=date,
        candidates=candidates, regions_file=regions_file, regions_root=root, limits=limits,
        licence=str(publish.get("licence", DEFAULT_LICENCE)), release_time=str(release_time),
        publisher=str(publish.get("publisher", "")), extra=data,
    )


def _load_candidates(items: Any, where: str) -> tuple[Candidate, ...]:
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{where}: no [[candidates]] declared (one table per paslon)")
    seen: set[int] = set()
    out = []
    for index, item in enumerate(items, start=1):
        at = f"{where} [[candidates]] #{index}"
        if not isinstance(item, dict):
            raise ConfigError(f"{at}: must be a table")
        nomor = _require(item, "nomor_urut", at, int)
        if nomor < 1 or nomor in seen:
            raise ConfigError(f"{at}: nomor_urut {nomor} must be >= 1 and unique")
        seen.add(nomor)
        nama = _require(item, "nama", at, str)
        sirekap_id = item.get("sirekap_id")
        out.append(Candidate(nomor, nama, None if sirekap_id is None else str(sirekap_id)))
    return tuple(sorted(out, key=lambda c: c.nomor_urut))


def read_candidates_file(path: Path) -> list[Candidate]:
    """Candidates from a CSV (`nomor_urut,nama[,sirekap_id]`) or a Sirekap paslon JSON."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"candidates file not found: {path}")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}: not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected an object of candidate id -> paslon")
        out = []
        for sirekap_id, item in data.items():
            if not isinstance(item, dict) or "nomor_urut" not in item or "nama" not in item:
                raise ConfigError(f"{path}: entry {sirekap_id!r} lacks nomor_urut or nama")
            out.append(Candidate(int(item["nomor_urut"]), str(item["nama"]), str(sirekap_id)))
        return sorted(out, key=lambda c: c.nomor_urut)
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"nomor_urut", "nama"} <= set(reader.fieldnames):
        raise ConfigError(f"{path}: a candidates CSV needs the columns nomor_urut,nama")
    out = []
    for line, row in enumerate(reader, start=2):
        try:
            nomor = int(row["nomor_urut"])
        except (TypeError, ValueError):
            raise ConfigError(f"{path} row {line}: nomor_urut {row['nomor_urut']!r} "
                              "is not a whole number") from None
        out.append(Candidate(nomor, row["nama"].strip(), (row.get("sirekap_id") or None)))
    return sorted(out, key=lambda c: c.nomor_urut)


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_config(*, contest_id: str, kind: str, name: str, date: str,
                  candidates: list[Candidate], regions_file: str, root: str | None = None,
                  release_time: str = "", licence: str = DEFAULT_LICENCE) -> str:
    """The text of an `election.toml`, with comments an operator can follow."""
    defaults = CONTEST_KINDS.get(kind, {"max_dpt_per_tps": 999, "reserve_ratio": 0.02})
    lines = [
        "# Election config for c1: edit this file, not code, to run another election.",
        "# Every other file in this folder (except the region master and README files) is read",
        "# as C1 input: CSV/XLSX sheets, Sirekap JSON, or zip archives of them.",
        "",
        "[contest]",
        f"id = {_toml_str(contest_id)}      # names the output folder: <out>/<id>/",
        f"kind = {_toml_str(kind)}          # ppwp, pkwkp (gubernur) or pkwkk (bupati/wali kota)",
        f"name = {_toml_str(name)}",
        f"date = {_toml_str(date)}          # voting day, YYYY-MM-DD",
        "",
        "[regions]",
        "# Region master: CSV kode,nama,tingkat,kode_induk (tingkat 1 provinsi ... 5 TPS);",
        "# an optional column dpt on TPS rows is checked against the DPT written on the form.",
        f"file = {_toml_str(regions_file)}",
    ]
    if root:
        lines.append(f"root = {_toml_str(root)}     # only this region and what lies under it")
    else:
        lines.append("# root = \"7322\"   # optional: only this region and what lies under it")
    lines += [
        "",
        "[limits]",
        f"max_dpt_per_tps = {defaults['max_dpt_per_tps']}   # plausibility: DPT per TPS "
        "(TPS number 901+ exempt)",
        f"reserve_ratio = {defaults['reserve_ratio']}   # ballot reserve: votes may exceed DPT "
        "by this share",
        f"max_file_mb = {DEFAULT_MAX_FILE_MB}   # larger input files are rejected, not read",
        "",
        "[publish]",
        f"licence = {_toml_str(licence)}",
        "# release_time is written into datapackage.json; outputs carry no clock time otherwise.",
        f"release_time = {_toml_str(release_time or date)}",
        "",
    ]
    for cand in candidates:
        lines += ["[[candidates]]", f"nomor_urut = {cand.nomor_urut}",
                  f"nama = {_toml_str(cand.nama)}"]
        if cand.sirekap_id:
            lines.append(f"sirekap_id = {_toml_str(cand.sirekap_id)}   # id used in Sirekap JSON")
        lines.append("")
    return "\n".join(lines)
