"""The stage functions of ``newstrace.pipeline`` beyond ingest (tested in test_ingest)."""

from __future__ import annotations

import shutil
from pathlib import Path

from newstrace import pipeline
from newstrace.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def test_spin_in_worker_processes_gives_the_same_verdicts(tmp_path: Path) -> None:
    """Scored in two forked workers, chunk by chunk, the verdicts are those of one process and
    are all stored."""
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    with open_store(one) as store:
        pipeline.ingest(store, [str(ROOT / "examples")])
    shutil.copy(one, two)
    with open_store(one) as store:
        serial = pipeline.detect_spin(store, chunk_size=16)
    with open_store(two) as store:
        forked = pipeline.detect_spin(store, workers=2, chunk_size=16)
        stored = store.spin_reports()
    assert len(serial) == 64 and forked == serial
    assert stored == forked
    assert sum(r["verdict"] for r in forked.values()) >= 1  # seed 003
