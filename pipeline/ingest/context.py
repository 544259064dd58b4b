"""What every reader needs to know about the election, and what it hands back."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from ..config import Election
from ..issues import Issue
from ..regions import RegionMaster


@dataclass
class ReadContext:
    election: Election
    regions: RegionMaster
    form_fields: list[str]

    @property
    def nomor_urut(self) -> list[int]:
        return self.election.nomor_urut

    @property
    def candidate_names(self) -> dict[int, str]:
        return {c.nomor_urut: c.nama for c in self.election.candidates}


@dataclass
class ReadResult:
    """Records read from one source (or none), what was found, and a one-line summary."""

    format: str
    records: pa.Table | None = None
    issues: list[Issue] = field(default_factory=list)
    rejected: bool = False
    pesan: str = ""
    message: str = ""
    encoding: str = ""
