"""What the pages show, prepared once from the published tables.

Everything here is plain Python and numpy (no Arrow calls), so forked render workers can use
it safely; per page, the render step only looks things up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..columnar import is_in
from ..config import Election
from ..fields import form_fields, paslon_field, submission_schema
from ..regions import LEVELS
from ..validate.rules import Rule, load_rules

L_P_J = ("pemilih_dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_non_dpt", "pengguna_total",
         "pemilih_disabilitas")
SINGLE_FIELDS = ("surat_suara_diterima", "surat_suara_digunakan", "surat_suara_dikembalikan",
                 "surat_suara_tidak_digunakan")
TOTAL_FIELDS = ("suara_sah", "suara_tidak_sah", "suara_total")
COLORS = ("#0b5394", "#b45f06", "#38761d", "#741b47", "#134f5c", "#7f6000", "#351c75",
          "#990000")


@dataclass
class AreaTable:
    """One level's published rows as numpy columns, plus position by code."""

    level: str
    columns: dict[str, np.ndarray]
    position: dict[str, int]

    @classmethod
    def from_frame(cls, level: str, frame: pd.DataFrame) -> AreaTable:
        columns = {}
        for name in frame.columns:
            series = frame[name]
            if pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_float_dtype(
                    series.dtype):
                columns[name] = series.to_numpy(dtype="float64", na_value=np.nan)
            else:
                columns[name] = series.fillna("").to_numpy(dtype=object)
        kode = columns["kode"]
        return cls(level, columns, {k: i for i, k in enumerate(kode)})

    def __len__(self) -> int:
        return len(self.columns["kode"])


@dataclass
class SiteModel:
    election: Election
    levels: list[str]  # area levels, top first (the last one is desa)
    tables: dict[str, AreaTable]  # per area level and "tps"
    children: dict[str, dict[str, list[int]]]  # level -> parent code -> child rows
    subs: dict[str, np.ndarray] = field(default_factory=dict)  # submission columns
    subs_of_tps: dict[str, list[int]] = field(default_factory=dict)
    issues_of_sub: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (id, en)
    files: list[dict[str, Any]] = field(default_factory=list)
    dictionary: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    master_dpt: dict[str, float] = field(default_factory=dict)


    @property
    def nomor_urut(self) -> list[int]:
        return self.election.nomor_urut

    def level_of(self, kode: str) -> str | None:
        for level in self.levels:
            if kode in self.tables[level].position:
                return level
        return None

    def child_level(self, level: str) -> str:
        index = self.levels.index(level)
        return self.levels[index + 1] if index + 1 < len(self.levels) else "tps"

    def parent_code(self, level: str, row: int) -> str:
        return str(self.tables[level].columns["kode_induk"][row])

    def trail(self, level: str, kode: str) -> list[tuple[str, str, str]]:
        """(level, kode, nama) from the top down to this area."""
        out = []
        current_level, current = level, kode
        while current_level is not None and current in self.tables[current_level].position:
            row = self.tables[current_level].position[current]
            out.append((current_level, current,
                        str(self.tables[current_level].columns["nama"][row])))
            index = self.levels.index(current_level)
            if index == 0:
                break
            current_level = self.levels[index - 1]
            current = self.parent_code(self.levels[index], row)
        return list(reversed(out))


def _group(parents: np.ndarray) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for row, parent in enumerate(parents):
        groups.setdefault(parent, []).append(row)
    return groups


def build_model(election: Election, levels: list[str], frames: dict[str, pd.DataFrame],
                subs: pd.DataFrame, issues: pd.DataFrame, master_dpt: pd.Series | None,
                files: list[dict[str, Any]], only_desa: set[str] | None = None) -> SiteModel:
    """The render model; with `only_desa`, TPS detail only for those desa (the pages an
    incremental release re-renders)."""
    if only_desa is not None:
        tps = frames["tps"]
        frames = {**frames, "tps": tps[is_in(tps["kode_induk"], sorted(only_desa))]
                  .reset_index(drop=True)}
        wanted = frames["tps"]["kode"]
        if master_dpt is not None:
            master_dpt = master_dpt[is_in(master_dpt.index, wanted)]
        subs = subs.loc[is_in(subs["kode_tps"], wanted)]
        issues = issues.loc[is_in(issues["submission_id"], subs["submission_id"])]
    tables = {level: AreaTable.from_frame(level, frames[level]) for level in [*levels, "tps"]}
    children = {level: _group(tables[level].columns["kode_induk"])
                for level in [*levels[1:], "tps"]}
    model = SiteModel(election, levels, tables, children, rules=load_rules(election.nomor_urut),
                      files=files)
    for spec in submission_schema(election.nomor_urut)["fields"]:
        model.labels[spec["name"]] = (spec.get("title", spec["name"]),
                                      spec.get("description", spec["name"]))
    if master_dpt is not None:
        model.master_dpt = {k: float(v) for k, v in master_dpt.dropna().items()}
    keep = ["submission_id", "kode_tps", "source_file", "source_member", "source_sheet",
            "source_row", "revisi", "waktu", "outcome", "selection", "superseded_by",
            "source_sha256", "source_images", "ingest_note", "ingest_note_en"]
    subs = subs.reindex(columns=keep)  # a column a work folder lacks is empty
    model.subs = {c: subs[c].to_numpy(dtype=object, na_value=None) for c in subs.columns}
    known = set(tables["tps"].position)
    for row, kode in enumerate(model.subs.get("kode_tps", [])):
        if isinstance(kode, str) and kode in known:
            model.subs_of_tps.setdefault(kode, []).append(row)
    wanted = issues[issues["submission_id"] != ""]
    for sid, severity, rule, message, message_en in zip(
            wanted["submission_id"], wanted["severity"], wanted["rule"], wanted["message"],
            wanted["message_en"], strict=True):
        model.issues_of_sub.setdefault(sid, []).append((severity, rule, message, message_en))
    return model


def dictionary_tables(nomor_urut: list[int]) -> dict[str, list[dict[str, Any]]]:
    """Per published table, its columns with type and both languages' descriptions."""
    from ..dictionary import TABLES
    from ..fields import published_schema

    out = {}
    for title, schema_name in TABLES:
        schema = published_schema(schema_name, nomor_urut)
        out[title] = [{"name": f["name"], "type": f.get("type", "string"),
                       "id": f.get("title", ""), "en": f.get("description", "")}
                      for f in schema["fields"]]
    return out


def field_order(nomor_urut: list[int]) -> tuple[list[str], list[str], list[str]]:
    paslon = [paslon_field(n) for n in nomor_urut]
    return list(L_P_J), [*SINGLE_FIELDS, *paslon, *TOTAL_FIELDS], form_fields(nomor_urut)


def level_label(level: str, lang: str) -> str:
    words = {"id": {"nasional": "Nasional", "provinsi": "Provinsi", "kabupaten": "Kabupaten/Kota",
                    "kecamatan": "Kecamatan", "desa": "Desa/Kelurahan", "tps": "TPS"},
             "en": {"nasional": "National", "provinsi": "Province", "kabupaten": "Regency/City",
                    "kecamatan": "District", "desa": "Village", "tps": "Polling station"}}
    return words[lang][level]


def tingkat_of(level: str) -> int:
    return {v: k for k, v in LEVELS.items()}[level]

