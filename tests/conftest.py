"""Shared fixtures: run the CLI in process, a fresh store path per test, and a store analysed
from ``examples/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_FILES = ("examples/seeds/000_4939783a04e9bdd2.txt", "examples/seeds/003_8eb8f662f504325c.txt",
                 "examples/reprints/daily-reprint-network.html")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Path of a store file that does not exist yet (its folder neither)."""
    return tmp_path / "store" / "newstrace.db"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """``cli(*args) -> (exit_code, stdout, stderr)`` through ``newstrace.cli.main``."""

    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()  # drop anything printed before
        rc = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return rc, out, err

    return run


def analyze_examples(db: Path) -> dict[str, str]:
    """Run every analysis over ``examples/`` into ``db``; returns the article id of each of
    :data:`EXAMPLE_FILES` (the two seeds and the planted reprint)."""
    from newstrace import pipeline
    from newstrace.store import open_store

    with open_store(db) as store:
        pipeline.ingest(store, [str(ROOT / "examples")])
        pipeline.find_copies(store)
        pipeline.find_provenance(store)
        pipeline.detect_spin(store)
        pipeline.find_events(store)
        ids = {}
        for art in store.iter_articles():
            for o in store.sightings(art.id):
                for name in EXAMPLE_FILES:
                    if Path(o.path).resolve() == (ROOT / name).resolve():
                        ids[name] = art.id
    assert set(ids) == set(EXAMPLE_FILES)
    return ids


@pytest.fixture(scope="session")
def build_examples():
    """:func:`analyze_examples`, for modules that build their own examples store."""
    return analyze_examples
