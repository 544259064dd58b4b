"""Replace a published folder as a whole: a crash leaves the previous release readable.

The new release is built beside the old one and swapped in with two renames; a run that
finds the old release parked (a crash between the renames) puts it back first.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CARRIED = ("site",)  # updated in place in the live release, then carried into the new one


def recover(target: Path) -> None:
    parked = target.with_name(f".{target.name}.old")
    if parked.exists() and not target.exists():
        os.replace(parked, target)
    elif parked.exists():
        shutil.rmtree(parked)
    _carry_back(target.with_name(f".{target.name}.tmp"), target)


def _carry_back(tmp: Path, target: Path) -> None:
    """A folder carried from the live release into an unfinished build goes back."""
    if not tmp.is_dir() or not target.is_dir():
        return
    for name in CARRIED:
        if (tmp / name).exists() and not (target / name).exists():
            os.replace(tmp / name, target / name)


@contextmanager
def building(target: Path) -> Iterator[Path]:
    """Yield a fresh folder to build in; on success it replaces `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    tmp = target.with_name(f".{target.name}.tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        _carry_back(tmp, target)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    parked = target.with_name(f".{target.name}.old")
    if target.exists():
        os.replace(target, parked)
    os.replace(tmp, target)
    if parked.exists():
        shutil.rmtree(parked)
