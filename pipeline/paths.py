"""Where the project's data files live, so every module finds schemas the same way."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def schemas_dir() -> Path:
    """The Table Schemas and rules; C1_SCHEMAS overrides the repository's `schemas/`."""
    return Path(os.environ.get("C1_SCHEMAS", REPO_DIR / "schemas"))


def templates_dir() -> Path:
    return Path(os.environ.get("C1_SITE_TEMPLATES", REPO_DIR / "site_templates"))
