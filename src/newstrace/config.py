"""One typed configuration for a run, so every stage reads its settings from one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ingest import MAX_BYTES
from .neardup import NearDupConfig
from .provenance import ProvenanceConfig


@dataclass(frozen=True)
class Config:
    max_bytes: int = MAX_BYTES  # size limit for one input file
    batch_size: int = 256  # articles per store transaction during ingest
    workers: int = 1  # parallel parser processes for ingest (1 = in process)
    neardup: NearDupConfig = field(default_factory=NearDupConfig)
    provenance: ProvenanceConfig = field(default_factory=ProvenanceConfig)
