"""Export every stored article with its id, original location, metadata and text.

JSON Lines output uses the field names that ingest reads, so an export re-ingests into a new
store as the same articles (same ids).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .store.base import Store

FORMATS = ("jsonl", "csv", "parquet")
#: Columns of the flat formats (CSV, Parquet); ``metadata`` is a JSON string there.
COLUMNS = ("id", "path", "line", "url", "title", "text", "published", "outlet", "language",
           "author", "dateline", "agency", "metadata")


def rows(store: Store) -> Iterator[dict[str, Any]]:
    """One dict per article, in id order."""
    sightings = store.all_sightings()
    for art in store.iter_articles():
        # where it was first read (not the alphabetically first of its sightings)
        first = art.origin or sightings.get(art.id, [None])[0]
        yield {
            "id": art.id,
            "path": first.path if first else None,
            "line": first.line if first else None,
            "url": art.first("url"),
            "title": art.title,
            "text": art.body,
            "published": art.first("published"),
            "outlet": art.first("outlet"),
            "language": art.first("language"),
            "author": art.values("author"),
            "dateline": art.first("dateline"),
            "agency": art.values("agency"),
            "metadata": [m.to_dict() for m in art.meta],
            "seen_in": [{"path": o.path, "line": o.line} for o in sightings.get(art.id, [])],
        }


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in COLUMNS}
    out["author"] = "; ".join(row["author"])
    out["agency"] = "; ".join(row["agency"])
    out["metadata"] = json.dumps(row["metadata"], ensure_ascii=False)
    return out


def export(store: Store, fmt: str, out: str | Path | None) -> int:
    """Write the export to ``out`` (a path, or standard output when None or '-'); returns count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out in (None, "-"):
            raise ValueError("parquet output needs --out FILE")
        return _parquet(store, Path(out))  # type: ignore[arg-type]
    if out in (None, "-"):
        return _write_text(store, fmt, sys.stdout)
    path = Path(out)  # type: ignore[arg-type]
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        n = _write_text(store, fmt, fh)
    tmp.replace(path)
    return n


def _write_text(store: Store, fmt: str, fh: IO[str]) -> int:
    n = 0
    if fmt == "jsonl":
        for row in rows(store):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
    writer.writeheader()
    for row in rows(store):
        writer.writerow(_flat(row))
        n += 1
    return n


def _parquet(store: Store, path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("parquet export needs pyarrow: pip install 'newstrace[parquet]'") \
            from None
    flat = [_flat(r) for r in rows(store)]
    schema = pa.schema([(c, pa.int64() if c == "line" else pa.string()) for c in COLUMNS])
    table = pa.Table.from_pylist(flat, schema=schema)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)
    return len(flat)

