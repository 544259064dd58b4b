"""`c1 init`: a new election folder from a region master and a candidate list."""

from __future__ import annotations

import shutil
from pathlib import Path

from .config import CONFIG_NAME, CONTEST_ID, CONTEST_KINDS, read_candidates_file, render_config
from .errors import ConfigError
from .regions import load_regions


def init_election(folder: Path, regions_csv: Path, candidates_file: Path, kind: str = "pkwkk",
                  contest_id: str | None = None, name: str | None = None, date: str = "",
                  root: str | None = None, force: bool = False) -> Path:
    """Write `<folder>/election.toml` and a copy of the region master; returns the config."""
    folder = Path(folder)
    config = folder / CONFIG_NAME
    if config.exists() and not force:
        raise ConfigError(f"{config} already exists (use --force to overwrite)")
    regions = load_regions(Path(regions_csv), root)  # refuse a broken master before writing
    candidates = read_candidates_file(Path(candidates_file))
    if not candidates:
        raise ConfigError(f"{candidates_file}: no candidates found")
    top = regions.areas.iloc[-1] if regions.areas.empty else regions.areas.iloc[0]
    label = CONTEST_KINDS.get(kind, {}).get("label", kind.upper())
    name = name or f"{label} {top['nama'].title()}"
    contest_id = contest_id or f"{kind}-{top['kode'].lower()}".replace(".", "")
    if not CONTEST_ID.fullmatch(contest_id):
        raise ConfigError(f"--id {contest_id!r}: use lower-case letters, digits and '-'")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / Path(regions_csv).name
    if Path(regions_csv).resolve() != target.resolve():
        shutil.copyfile(regions_csv, target)
    config.write_text(render_config(contest_id=contest_id, kind=kind, name=name, date=date,
                                    candidates=candidates, regions_file=target.name, root=root),
                      encoding="utf-8")
    return config
