"""The region master: the KPU tree of provinsi -> kabupaten -> kecamatan -> desa -> TPS.

It decides which TPS exist (a form for any other code is rejected) and what every area
expects (tps_total), so partial totals can never pass for complete ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
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


def load_regions(path: Path, root: str | None = None) -> RegionMaster:
    """Read and check a region master CSV; every fault names the file, row and column."""
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
    frame = pd.DataFrame({c: table.column(c).to_pandas().astype(str).str.strip()
                          for c in REQUIRED_COLUMNS})
    frame["row"] = range(2, len(frame) + 2)
    dpt = (table.column("dpt").to_pandas().astype(str).str.strip()
           if "dpt" in table.column_names else pd.Series([""] * len(frame)))
    frame["dpt"] = pd.to_numeric(dpt.where(dpt != ""), errors="coerce").astype("Int64")
    if "dpt" in table.column_names:
        bad_dpt = frame.index[(dpt != "") & frame["dpt"].isna()]
        if len(bad_dpt):
            first = frame.loc[bad_dpt[0]]
            raise ConfigError(f"region master {path} row {first['row']}: dpt {dpt[bad_dpt[0]]!r} "
                              "is not a whole number")
    tingkat = pd.to_numeric(frame["tingkat"], errors="coerce")
    bad = frame.index[tingkat.isna() | ~tingkat.isin(list(range(1, 6)))]
    if len(bad):
        first = frame.loc[bad[0]]
        raise ConfigError(f"region master {path} row {first['row']}: tingkat "
                          f"{first['tingkat']!r} must be 1 (provinsi) to 5 (TPS)")
    frame["tingkat"] = tingkat.astype(int)
    bad = frame.index[~frame["kode"].str.fullmatch(r"[0-9A-Za-z.]+")]
    if len(bad):
        first = frame.loc[bad[0]]
        raise ConfigError(f"region master {path} row {first['row']}: kode {first['kode']!r} "
                          "is not a region code")
    dup = frame.index[frame["kode"].duplicated()]
    if len(dup):
        first = frame.loc[dup[0]]
        raise ConfigError(f"region master {path} row {first['row']}: kode {first['kode']} "
                          "appears twice")
    frame = _check_parents(frame, path)
    if root is not None:
        frame = _subtree(frame, root, path)
    tps = frame[frame["tingkat"] == TPS_LEVEL]
    if tps.empty:
        raise ConfigError(f"region master {path}: no TPS rows (tingkat 5): the TPS are the "
                          "unit every total is counted from")
    frame = _prune_without_tps(frame)
    areas = frame[frame["tingkat"] < TPS_LEVEL][["kode", "nama", "tingkat", "kode_induk"]].copy()
    if (areas["tingkat"] == 1).any():
        areas.loc[areas["tingkat"] == 1, "kode_induk"] = NASIONAL_KODE
        top = pd.DataFrame({"kode": [NASIONAL_KODE], "nama": [NASIONAL_NAMA], "tingkat": [0],
                            "kode_induk": [""]})
        areas = pd.concat([top, areas], ignore_index=True)
    areas = areas.sort_values(["tingkat", "kode"], kind="stable").reset_index(drop=True)
    tps = _with_ancestors(frame[frame["tingkat"] == TPS_LEVEL], frame)
    return RegionMaster(areas=areas, tps=tps, path=path)


def _check_parents(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    parent_level = frame.set_index("kode")["tingkat"]
    has_parent = frame["kode_induk"] != ""
    known = frame["kode_induk"].isin(parent_level.index)
    # A row whose parent is outside the file is a root of the election (e.g. a kabupaten).
    linked = has_parent & known
    expected = frame.loc[linked, "tingkat"] - 1
    actual = frame.loc[linked, "kode_induk"].map(parent_level)
    wrong = expected.index[expected.values != actual.values]
    if len(wrong):
        first = frame.loc[wrong[0]]
        raise ConfigError(f"region master {path} row {first['row']}: kode_induk "
                          f"{first['kode_induk']} of {first['kode']} is not one level above it")
    orphan_tps = frame.index[(frame["tingkat"] == TPS_LEVEL) & ~linked]
    if len(orphan_tps):
        first = frame.loc[orphan_tps[0]]
        raise ConfigError(f"region master {path} row {first['row']}: TPS {first['kode']} has "
                          f"kode_induk {first['kode_induk']!r}, which is not a desa in the file")
    return frame


def _subtree(frame: pd.DataFrame, root: str, path: Path) -> pd.DataFrame:
    if root not in set(frame["kode"]):
        raise ConfigError(f"region master {path}: root {root!r} (config [regions] root) is not "
                          "a kode in the file")
    keep = {root}
    for tingkat in sorted(frame["tingkat"].unique()):
        level = frame[frame["tingkat"] == tingkat]
        keep.update(level.loc[level["kode_induk"].isin(keep), "kode"])
    return frame[frame["kode"].isin(keep)]


def _prune_without_tps(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop areas with no TPS under them: they are outside this election's territory."""
    keep = set(frame.loc[frame["tingkat"] == TPS_LEVEL, "kode"])
    for tingkat in range(TPS_LEVEL, 1, -1):
        level = frame[(frame["tingkat"] == tingkat) & frame["kode"].isin(keep)]
        keep.update(level["kode_induk"])
    return frame[frame["kode"].isin(keep)]


def _with_ancestors(tps: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    parent = frame.set_index("kode")["kode_induk"]
    out = tps[["kode", "nama", "kode_induk", "dpt"]].sort_values("kode").reset_index(drop=True)
    current = out["kode_induk"]
    for tingkat in range(TPS_LEVEL - 1, 0, -1):
        out[f"anc_{tingkat}"] = current.where(current.isin(parent.index), "")
        current = current.map(parent).fillna("")
    return out
