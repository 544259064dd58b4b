"""Map the column headers operators type to canonical C1 field names.

Labels are data (`schemas/labels.json`): the form's own row labels, Sirekap names and the
abbreviations seen in KPU offices' spreadsheets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..fields import paslon_field, read_schema_file

LABELS_FILE = "labels.json"
# Columns that identify the TPS rather than hold a number of the form.
ID_FIELDS = ("kode_tps", "kode_desa", "nama_desa", "nama_kecamatan", "nomor_tps")
META_FIELDS = ("revisi", "waktu", "operator", "alasan")


@lru_cache(maxsize=65536)
def normalise_label(label: str) -> str:
    """Lower case, accents and punctuation gone, '+' kept (L+P), spaces collapsed."""
    text = unicodedata.normalize("NFKD", str(label))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("_", " ")
    text = re.sub(r"[^0-9a-z+]+", " ", text)
    text = re.sub(r"\s*\+\s*", "+", text)
    return text.strip()


@cache
def _label_table() -> tuple[dict[str, str], tuple[str, ...]]:
    data = read_schema_file(LABELS_FILE)
    table: dict[str, str] = {}
    for name, labels in data["fields"].items():
        for label in [name, *labels]:
            table.setdefault(normalise_label(label), name)
    return table, tuple(data["paslon_patterns"])


def form_label(name: str) -> str:
    """The form's row label for a field (first label in labels.json), for writing sheets."""
    data = read_schema_file(LABELS_FILE)
    return data["fields"][name][0]


@cache
def _paslon_regexes(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    out = []
    for pattern in patterns:
        norm = normalise_label(pattern.replace("{n}", "NNN")).replace("nnn", "0*([0-9]{1,2})")
        out.append(re.compile(norm + r"(?: .*)?"))
    return out


@dataclass
class HeaderMap:
    """Which column holds which field; what could not be mapped; which were doubled."""

    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    unknown: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)

    def identifies_tps(self) -> bool:
        return "kode_tps" in self.columns or (
            "nomor_tps" in self.columns and ("kode_desa" in self.columns
                                             or "nama_desa" in self.columns))

    def number_fields(self) -> list[str]:
        return [f for f in self.columns if f not in ID_FIELDS and f not in META_FIELDS]


def map_header(labels: list[str], nomor_urut: list[int],
               candidate_names: dict[int, str] | None = None) -> HeaderMap:
    """Map header labels to fields; paslon columns by number or by candidate name."""
    table, patterns = _label_table()
    regexes = _paslon_regexes(patterns)
    names = {normalise_label(v): k for k, v in (candidate_names or {}).items()}
    result = HeaderMap()
    for index, label in enumerate(labels):
        norm = normalise_label(label)
        if not norm:
            if str(label).strip():
                result.unknown.append((index, str(label)))
            continue
        name = table.get(norm)
        if name is None:
            name = _match_paslon(norm, regexes, nomor_urut, names)
        if name is None:
            result.unknown.append((index, str(label)))
            continue
        if name in result.columns:
            result.duplicates.append((name, result.columns[name], index))
            continue
        result.columns[name] = index
    return result


def _match_paslon(norm: str, regexes: list[re.Pattern[str]], nomor_urut: list[int],
                  names: dict[str, int]) -> str | None:
    if norm in names:
        return paslon_field(names[norm])
    for regex in regexes:
        match = regex.fullmatch(norm)
        if match:
            number = int(match.group(1))
            return paslon_field(number) if number in nomor_urut else f"suara_paslon_{number}"
    return None
