"""The region master: the KPU tree of provinsi -> kabupaten -> kecamatan -> desa -> TPS.

It decides which TPS exist (a form for any other code is rejected) and what every area
expects (tps_total), so partial totals can never pass for complete ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .errors import ConfigError
from .textdecode import decode_text

LEVELS = {0: "nasional", 1: "provinsi", 2: "kabupaten", 3: "kecamatan", 4: "desa", 5: "tps"}
LEVEL_OF_NAME = {name: tingkat for tingkat, name in LEVELS.items()}
TPS_LEVEL = 5
NASIONAL_KODE = "ID"
NASIONAL_NAMA = "INDONESIA"
REQUIRED_COLUMNS = ("kode", "nama", "tingkat", "kode_induk")


@dataclass(frozen=True)
class RegionMaster:
    """Areas (tingkat 0-4) and TPS (tingkat 5) of one election, pruned to where TPS exist."""

    areas: pd.DataFrame  # kode, nama, tingkat, kode_induk (tingkat 0-4, sorted by tingkat, kode)
    tps: pd.DataFrame  # kode, nama, kode_induk, dpt, and anc_<tingkat> ancestor codes
    path: Path

    @property
    def levels(self) -> list[int]:
        """Area levels present, top first (0 = nasional when provinces are present)."""
        return sorted(int(t) for t in self.areas["tingkat"].unique())

    def level_names(self) -> list[str]:
        return [LEVELS[t] for t in self.levels]

    @cached_property
    def tps_index(self) -> pd.Index:
        """TPS codes in master order: get_indexer gives each code its row (-1: unknown)."""
        return pd.Index(self.tps["kode"].to_numpy(dtype=object))

    @cached_property
    def desa_codes(self) -> np.ndarray:
        return self.areas.loc[self.areas["tingkat"] == 4, "kode"].to_numpy(dtype=object)


def _text(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(pc.utf8_trim_whitespace(table.column(name)).to_numpy(zero_copy_only=False),
                      dtype=object)


def _first_bad(mask: np.ndarray) -> int | None:
    where = np.flatnonzero(mask)
    return int(where[0]) if len(where) else None


def load_regions(path: Path, root: str | None = None) -> RegionMaster:
    """Read and check a region master CSV; every fault names the file, row and column.

    Works on positions (each row's parent as an index), so a national master of 900,000
    rows loads in seconds.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"region master {path}: cannot read: {exc}") from None
    decoded = decode_text(raw)
    if decoded.error:
        raise ConfigError(f"region master {path}: {decoded.error}")
    try:
        table = pacsv.read_csv(
            pa.BufferReader(decoded.text.encode("utf-8")),
            parse_options=pacsv.ParseOptions(delimiter=decoded.delimiter or ","),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in ("kode", "nama", "tingkat",
                                                       "kode_induk", "dpt")},
                strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ConfigError(f"region master {path}: not a readable CSV: {exc}") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in table.column_names]
    if missing:
        raise ConfigError(f"region master {path}: missing column(s) {', '.join(missing)} "
                          f"(needs {','.join(REQUIRED_COLUMNS)})")

    def fault(row: int, text: str) -> ConfigError:
        return ConfigError(f"region master {path} row {row + 2}: {text}")

    kode, nama, induk = _text(table, "kode"), _text(table, "nama"), _text(table, "kode_induk")
    tingkat_text = pc.utf8_trim_whitespace(table.column("tingkat"))
    bad = _first_bad(~np.asarray(pc.match_substring_regex(tingkat_text, "^[1-5]$")))
    if bad is not None:
        raise fault(bad, f"tingkat {tingkat_text[bad].as_py()!r} must be 1 (provinsi) to 5 (TPS)")
    tingkat = np.asarray(pc.cast(tingkat_text, pa.int8()), dtype=np.int64)
    bad = _first_bad(~np.asarray(pc.match_substring_regex(table.column("kode"),
                                                          r"^\s*[0-9A-Za-z.]+\s*$")))
    if bad is not None:
        raise fault(bad, f"kode {kode[bad]!r} is not a region code")
    dpt = np.full(len(kode), -1, dtype=np.int64)
    if "dpt" in table.column_names:
        dpt_text = pc.utf8_trim_whitespace(table.column("dpt"))
        ok = np.asarray(pc.match_substring_regex(dpt_text, "^[0-9]{0,9}$"))
        bad = _first_bad(~ok)
        if bad is not None:
            raise fault(bad, f"dpt {dpt_text[bad].as_py()!r} is not a whole number")
        given = np.asarray(pc.greater(pc.utf8_length(dpt_text), 0))
        dpt[given] = np.asarray(pc.cast(pc.filter(dpt_text, pa.array(given)), pa.int64()))
    index = pd.Index(kode)
    duplicated = _first_bad(index.duplicated())
    if duplicated is not None:
        raise fault(duplicated, f"kode {kode[duplicated]} appears twice")
    parent = index.get_indexer(induk)
    _check_parents(kode, induk, tingkat, parent, fault)
    keep = np.ones(len(kode), dtype=bool)
    if root is not None:
        keep = _subtree(index, tingkat, parent, root, path)
    is_tps = (tingkat == TPS_LEVEL) & keep
    if not is_tps.any():
        raise ConfigError(f"region master {path}: no TPS rows (tingkat 5): the TPS are the "
                          "unit every total is counted from")
    keep = _with_tps_below(is_tps, tingkat, parent)
    area_rows = np.flatnonzero(keep & (tingkat < TPS_LEVEL))
    areas = pd.DataFrame({"kode": kode[area_rows], "nama": nama[area_rows],
                          "tingkat": tingkat[area_rows], "kode_induk": induk[area_rows]})
    if (areas["tingkat"] == 1).any():
        areas.loc[areas["tingkat"] == 1, "kode_induk"] = NASIONAL_KODE
        top = pd.DataFrame({"kode": [NASIONAL_KODE], "nama": [NASIONAL_NAMA], "tingkat": [0],
                            "kode_induk": [""]})
        areas = pd.concat([top, areas], ignore_index=True)
    areas = areas.sort_values(["tingkat", "kode"], kind="stable").reset_index(drop=True)
    tps_rows = np.flatnonzero(is_tps)
    tps_rows = tps_rows[np.argsort(kode[tps_rows], kind="stable")]
    tps = pd.DataFrame({"kode": kode[tps_rows], "nama": nama[tps_rows],
                        "kode_induk": induk[tps_rows],
                        "dpt": pd.arrays.IntegerArray(dpt[tps_rows], dpt[tps_rows] < 0)})
    current = parent[tps_rows]
    for level in range(TPS_LEVEL - 1, 0, -1):
        tps[f"anc_{level}"] = np.where(current >= 0, kode[np.maximum(current, 0)], "")
        current = np.where(current >= 0, parent[np.maximum(current, 0)], -1)
    return RegionMaster(areas=areas, tps=tps, path=path)


def _check_parents(kode, induk, tingkat, parent, fault) -> None:
    # A row whose parent is outside the file is a root of the election (e.g. a kabupaten).
    linked = parent >= 0
    wrong = _first_bad(linked & (tingkat[np.maximum(parent, 0)] != tingkat - 1))
    if wrong is not None:
        raise fault(wrong, f"kode_induk {induk[wrong]} of {kode[wrong]} is not one level "
                           "above it")
    orphan = _first_bad((tingkat == TPS_LEVEL) & ~linked)
    if orphan is not None:
        raise fault(orphan, f"TPS {kode[orphan]} has kode_induk {induk[orphan]!r}, which is "
                            "not a desa in the file")


def _subtree(index: pd.Index, tingkat: np.ndarray, parent: np.ndarray, root: str,
             path: Path) -> np.ndarray:
    position = index.get_indexer([root])[0]
    if position < 0:
        raise ConfigError(f"region master {path}: root {root!r} (config [regions] root) is not "
                          "a kode in the file")
    keep = np.zeros(len(tingkat), dtype=bool)
    keep[position] = True
    for level in range(int(tingkat[position]) + 1, TPS_LEVEL + 1):
        rows = (tingkat == level) & (parent >= 0)
        keep[rows] = keep[parent[rows]]
    return keep


def _with_tps_below(is_tps: np.ndarray, tingkat: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Rows to keep: the TPS and every area with a TPS under it (others are outside the
    election's territory)."""
    keep = is_tps.copy()
    for level in range(TPS_LEVEL, 1, -1):
        rows = keep & (tingkat == level) & (parent >= 0)
        keep[parent[rows]] = True
    return keep
