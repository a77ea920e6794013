"""Storage back-ends behind one interface (:class:`~newstrace.store.base.Store`)."""

from __future__ import annotations

import os
from pathlib import Path

from .base import CopyCluster, DuplicatePair, Store

DEFAULT_DB = "newstrace.db"


def default_location() -> str:
    """``$NEWSTRACE_DB`` if set, else ``./newstrace.db``."""
    return os.environ.get("NEWSTRACE_DB") or DEFAULT_DB


def open_store(location: str | Path | None = None, *, readonly: bool = False) -> Store:
    """Open (creating and migrating if needed) the store at ``location``.

    A plain path or ``sqlite:///path`` opens the embedded SQLite back-end.
    """
    loc = str(location or default_location())
    if loc.startswith(("postgres://", "postgresql://")):
        raise ValueError("the PostgreSQL back-end is not available in this version; "
                         "use a SQLite file path")
    if loc.startswith("sqlite:///"):
        loc = loc[len("sqlite:///"):]
    from .sqlite import SQLiteStore

    if readonly and not Path(loc).exists():
        raise FileNotFoundError(f"no store at {loc} (run 'newstrace ingest' first)")
    return SQLiteStore(loc, readonly=readonly)


__all__ = ["CopyCluster", "DuplicatePair", "Store", "open_store", "default_location"]
