"""Shared fixtures: the demo election run once per session, paths to reference data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

REPO = Path(__file__).resolve().parent.parent
DEMO_RAW = REPO / "data" / "raw"
# The shared reference data sits beside the checkout; C1_REFERENCE points elsewhere.
REFERENCE = Path(os.environ.get("C1_REFERENCE", REPO.parent / "shared" / "reference"))
DEMO_ID = "pilbup-luwu-utara-2024"


def run_cli(*args: str):
    """Invoke `c1` in-process; returns the click Result."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> dict[str, Path]:
    """`c1 run` on a copy of the shipped demo election."""
    base = tmp_path_factory.mktemp("demo")
    raw = base / "raw"
    shutil.copytree(DEMO_RAW, raw)
    result = run_cli("run", "--raw", raw, "--work", base / "work", "--out", base / "out", "-q")
    assert result.exit_code == 0, result.output
    return {"raw": raw, "work": base / "work" / DEMO_ID, "out": base / "out" / DEMO_ID,
            "output": result.output, "base": base}


def reference(*parts: str) -> Path:
    path = REFERENCE.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not found: {path}")
    return path
