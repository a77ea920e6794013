"""Shared fixtures: run the CLI in process, and a fresh store path per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.cli import main


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
