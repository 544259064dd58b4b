"""Fingerprints of the site's pages: a digest of everything a page shows, computed from the
typed tables in a few vectorised passes, so that an incremental release renders only the
pages whose inputs changed.

Row hashes are our own (numpy over the Arrow buffers) rather than pandas' hash_pandas_object,
which turns every Arrow string column into Python objects first: at national scale that
alone cost seconds per release.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar import positions
from ..paths import schemas_dir, templates_dir

_NULL = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(0x100000001B3)  # the multiplier of the per-byte polynomial
_SLICE = 1 << 15  # strings hashed at a time: the temporary arrays stay in the cache


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit reaches every output bit."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64, copy=True)
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


def _inverse(odd: int) -> int:
    """The inverse of an odd number modulo 2**64 (Newton's iteration)."""
    inverse = odd
    for _ in range(6):
        inverse = inverse * (2 - odd * inverse) % 2**64
    return inverse


_BASE_INVERSE = np.uint64(_inverse(int(_BASE)))
_POWERS: dict[str, np.ndarray] = {}


def _power_table(base: np.uint64, size: int, name: str) -> np.ndarray:
    """base ** 0 .. base ** size (mod 2**64), kept and grown as longer slices come."""
    table = _POWERS.get(name)
    if table is None or len(table) <= size:
        table = np.full(max(size + 1, 1 << 16), base, dtype=np.uint64)
        table[0] = 1
        with np.errstate(over="ignore"):
            np.cumprod(table, out=table)
        _POWERS[name] = table
    return table


def _hash_strings(array: pa.Array) -> np.ndarray:
    """One hash per string (nulls hash to a constant), straight from the Arrow buffers: a
    polynomial over the bytes of each string, from prefix sums over the whole buffer
    (no per-string work in Python), then mixed with its length."""
    array = array.cast(pa.large_string())
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[
        array.offset:array.offset + len(array) + 1]
    data_buffer = array.buffers()[2]
    data = (np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None
            else np.zeros(0, dtype=np.uint8))
    out = np.empty(len(array), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for start in range(0, len(array), _SLICE):
            stop = min(start + _SLICE, len(array))
            bounds = offsets[start:stop + 1] - offsets[start]
            size = int(bounds[-1])
            powers = _power_table(_BASE, size, "up")  # BASE ** position
            prefix = np.zeros(size + 1, dtype=np.uint64)
            prefix[1:] = data[offsets[start]:offsets[stop]] + np.uint64(1)
            prefix[1:] *= powers[:size]
            np.cumsum(prefix, out=prefix)
            # sum over the string of byte * BASE ** (position - its start), by the inverse
            starts = bounds[:-1]
            inverse = _power_table(_BASE_INVERSE, size, "down")  # BASE ** -position
            sums = (prefix[bounds[1:]] - prefix[starts]) * inverse[starts]
            lengths = np.diff(bounds).astype(np.uint64)
            out[start:stop] = _mix(sums ^ (lengths * _NULL))
    if array.null_count:
        out[np.asarray(array.is_null())] = _NULL
    return out


def column_hash(series: pd.Series) -> np.ndarray:
    """Hashes that do not depend on the dtype a number arrived in (int64, Int64, float)."""
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return _number_hash(series.to_numpy(dtype="float64", na_value=np.nan))
    try:
        array = pa.array(series, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects: hash their text
        array = pa.array(series.astype(str))
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = pc.cast(array, pa.large_string())
    array = array.cast(pa.large_string())
    if not len(array):
        return np.zeros(0, dtype=np.uint64)
    ends = np.frombuffer(array.buffers()[1], dtype=np.int64)[[array.offset,
                                                                array.offset + len(array)]]
    if int(ends[1] - ends[0]) > 32 * len(array):
        # Long texts (a file's sha256, notes) mostly repeat: hash each distinct one once.
        encoded = pc.dictionary_encode(array)
        if not len(encoded.dictionary):
            return np.full(len(array), _NULL, dtype=np.uint64)
        if len(encoded.dictionary) < len(array):
            out = _hash_strings(encoded.dictionary)[
                encoded.indices.fill_null(0).to_numpy().astype(np.int64)]
            if encoded.indices.null_count:
                out[np.asarray(encoded.indices.is_null())] = _NULL
            return out
    return _hash_strings(array)


def _number_hash(values: np.ndarray) -> np.ndarray:
    values = values + 0.0  # -0.0 and 0.0 are the same number
    bits = values.view(np.uint64)
    out = _mix(bits)
    out[np.isnan(values)] = _NULL
    return out


def row_hash(frame: pd.DataFrame) -> np.ndarray:
    """One hash per row over all its columns (each column weighted by its name's own odd
    multiplier, so that swapping two columns' values changes the hash)."""
    out = np.zeros(len(frame), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for name in frame.columns:
            weight = np.uint64(int(digest(str(name))[:16], 16) | 1)
            out += column_hash(frame[name]) * weight
    return _mix(out)


def digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, default=str, ensure_ascii=False).encode()
                          ).hexdigest()[:24]


def hex_digests(values: np.ndarray) -> list[str]:
    """16 hex digits per uint64, without a Python call per value."""
    text = values.astype(">u8").tobytes().hex()
    return [text[i:i + 16] for i in range(0, len(text), 16)]


def fingerprints(election, levels: list[str], frames, subs, issues,
                 files: list[dict[str, Any]], pages: list[tuple[str, str, str]]) -> list[str]:
    """Per page (in the order given), a digest of everything it shows, from the typed
    tables (row hashes, summed over children, chained down the breadcrumbs). A page whose
    digest is unchanged need not be rendered again."""
    # The renderer's own code is an input too: a new version re-renders every page.
    salt = int(digest(folder_digest(templates_dir()), folder_digest(schemas_dir(), "*.json"),
                      folder_digest(Path(__file__).resolve().parent, "*.py"),
                      election.name, election.licence, election.release_time,
                      [(c.nomor_urut, c.nama) for c in election.candidates])[:15], 16)
    child_of = {level: (levels[i + 1] if i + 1 < len(levels) else "tps")
                for i, level in enumerate(levels)}
    codes = {level: frames[level]["kode"] for level in [*levels, "tps"]}
    with np.errstate(over="ignore"):
        hashes = {level: row_hash(frames[level]) for level in [*levels, "tps"]}
        if subs is not None and len(subs):
            # A TPS also shows its submissions and their findings.
            per_sub = row_hash(subs.drop(columns=["tps_pos"], errors="ignore"))
            if issues is not None and len(issues):
                owner_of_issue = positions(issues["submission_id"], subs["submission_id"])
                found = owner_of_issue >= 0
                np.add.at(per_sub, owner_of_issue[found], row_hash(issues)[found])
            owner = (subs["tps_pos"].to_numpy() if "tps_pos" in subs.columns
                     else positions(subs["kode_tps"], codes["tps"]))
            known = owner >= 0
            np.add.at(hashes["tps"], owner[known], per_sub[known])
        parents = {}
        for level in levels:
            child = child_of[level]
            parents[child] = positions(frames[child]["kode_induk"], codes[level])
        # Breadcrumb names, top down: a renamed ancestor changes every page below it.
        trail: dict[str, np.ndarray] = {}
        for i, level in enumerate(levels):
            names = column_hash(frames[level]["nama"])
            if i == 0:
                trail[level] = names
                continue
            parent = parents[level]
            inherited = np.where(parent >= 0, trail[levels[i - 1]][np.maximum(parent, 0)],
                                 np.uint64(0))
            trail[level] = _mix(names * np.uint64(31) + inherited)
        by_code: dict[str, str] = {}
        for level in levels:
            child = child_of[level]
            below = np.zeros(len(codes[level]), dtype=np.uint64)
            inside = parents[child] >= 0
            np.add.at(below, parents[child][inside], hashes[child][inside])
            mixed = _mix(hashes[level] * np.uint64(1_000_003) + _mix(below) * np.uint64(7919)
                         + trail[level] + np.uint64(salt))
            by_code.update(zip(codes[level].tolist(), hex_digests(mixed), strict=True))
    files_digest = digest(salt, files)
    top = str(codes[levels[0]].iloc[0])
    constant = {"index": by_code[top], "unduh": files_digest}
    return [by_code[key] if kind == "area" else constant.get(kind, str(salt))
            for kind, key, _ in pages]


def search_fingerprint(levels: list[str], frames) -> str:
    """The search index depends on names and codes only."""
    parts = [int(np.add.reduce(row_hash(frames[level][["kode", "nama", "kode_induk"]]),
                               dtype=np.uint64)) for level in [*levels, "tps"]]
    return digest(parts)


def folder_digest(base, pattern: str = "**/*") -> str:
    """The templates (and schemas, whose rule texts pages show) are inputs of every page."""
    sha = hashlib.sha256()
    for path in sorted(base.glob(pattern)):
        if path.is_file():
            sha.update(path.relative_to(base).as_posix().encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()
