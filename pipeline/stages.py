"""The four stages as library calls, and `run` that chains them: what the CLI calls and what
tests call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .aggregate import AggregateSummary, aggregate
from .config import Election, load_election
from .ingest import IngestSummary, ingest
from .publish import PublishSummary, publish
from .regions import RegionMaster, load_regions
from .validate import ValidationSummary, validate
from .workdir import Track, WorkDir, no_progress


@dataclass
class Setup:
    election: Election
    regions: RegionMaster
    work: WorkDir


def setup(raw: Path, work_root: Path) -> Setup:
    """Load the election config and its region master (ConfigError on any fault)."""
    election = load_election(Path(raw))
    regions = load_regions(election.regions_file, election.regions_root)
    return Setup(election, regions, WorkDir(Path(work_root), election.contest_id))


@dataclass
class RunSummary:
    ingest: IngestSummary
    validation: ValidationSummary
    aggregate: AggregateSummary
    publish: PublishSummary


def run_all(raw: Path, work_root: Path, out_root: Path, track: Track = no_progress,
            on_stage=lambda name: None) -> RunSummary:
    s = setup(raw, work_root)
    on_stage("ingest")
    ingested = ingest(s.election, s.regions, s.work, track)
    on_stage("validate")
    validated = validate(s.election, s.regions, s.work)
    on_stage("aggregate")
    aggregated = aggregate(s.election, s.regions, s.work)
    on_stage("publish")
    published = publish(s.election, s.regions, s.work, Path(out_root))
    return RunSummary(ingested, validated, aggregated, published)
