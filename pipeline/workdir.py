"""The work folder between stages: each stage reads only what the stage before it wrote.

Files are written to a temporary name and renamed into place, so a crash mid-write leaves
the previous good file whole.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import StageInputError

T = TypeVar("T")
Track = Callable[[Iterable[T], str, int], Iterator[T]]


def no_progress(items: Iterable[T], label: str, length: int) -> Iterator[T]:
    yield from items


class WorkDir:
    """Paths of one contest's work folder: records/, validated/, aggregates/."""

    def __init__(self, root: Path, contest_id: str):
        self.root = Path(root) / contest_id

    def stage(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def require(self, stage: str, filename: str, before: str) -> Path:
        path = self.root / stage / filename
        if not path.is_file():
            raise StageInputError(f"{path} not found: run `c1 {before}` first (or `c1 run`)")
        return path


def _replace(tmp: Path, path: Path) -> None:
    os.replace(tmp, path)


def write_parquet(table: pa.Table | pd.DataFrame, path: Path) -> None:
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    _replace(tmp, path)


def read_parquet(path: Path) -> pa.Table:
    return pq.read_table(path)


def write_json(data: Any, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n",
                   encoding="utf-8")
    _replace(tmp, path)
