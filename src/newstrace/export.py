"""Export the store as tables: every article (with its id, original location, metadata, text and
what the analyses said of it), the events, the reuse links and the facts lined up per event.

JSON Lines output of the articles uses the field names that ingest reads, so an export
re-ingests into a new store as the same articles (same ids); the analysis fields are names
ingest does not read. In CSV and Parquet, lists are joined with "; " and nested values are
JSON strings.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .report import CONFLICT, event_day
from .store.base import Store

FORMATS = ("jsonl", "csv", "parquet")
TABLES = ("articles", "events", "reuse", "facts")
#: Columns of the flat formats (CSV, Parquet) per table, in order.
COLUMNS = ("id", "path", "line", "url", "title", "text", "published", "outlet", "language",
           "author", "dateline", "agency", "metadata", "event", "copy_group", "spin_score",
           "spun", "sources")
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": COLUMNS,
    "events": ("id", "headline", "date", "earliest", "latest", "place", "province", "country",
               "lat", "lon", "geonames_id", "kinds", "actors", "articles", "first_report",
               "source_count", "conflicts"),
    "reuse": ("copy", "source", "relation", "score", "direction", "copy_coverage",
              "source_coverage", "aligned", "substitutions", "substitution_table", "reasons"),
    "facts": ("event", "kind", "key", "status", "article", "text", "low", "high", "interval",
              "speaker", "role", "agent", "target", "start", "end", "sentence", "copy_of"),
}
#: Parquet types of the columns that are not strings.
_TYPES = {"line": "int", "spin_score": "float", "spun": "bool", "lat": "float", "lon": "float",
          "conflicts": "int", "source_count": "int", "score": "float", "copy_coverage": "float",
          "source_coverage": "float", "aligned": "int", "substitutions": "int", "low": "float",
          "high": "float", "start": "int", "end": "int"}
#: List columns written as names joined with "; " in CSV and Parquet (others nested: JSON).
_JOINED = frozenset({"author", "agency", "kinds", "actors", "articles", "reasons"})


def table_rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    """The rows of one table (see :data:`TABLES`), in a stable order."""
    if table == "articles":
        return rows(store)
    if table == "events":
        return _event_rows(store)
    if table == "reuse":
        return _reuse_rows(store)
    if table == "facts":
        return _fact_rows(store)
    raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")


def rows(store: Store) -> Iterator[dict[str, Any]]:
    """One dict per article, in id order, with what the analyses found: its event, its copy
    group, its spin score and verdict, and its sources (best first)."""
    sightings = store.all_sightings()
    event_of = store.event_of()
    group_of = {m: c.id for c in store.copy_clusters() for m in c.members}
    spin = {aid: (r.get("score"), r.get("verdict")) for aid, r in store.spin_reports().items()}
    sources: dict[str, list[dict[str, Any]]] = {}
    for link in store.reuse_links():
        sources.setdefault(link.copy, []).append(
            {"id": link.source, "relation": link.relation, "score": round(link.score, 4)})
    for found in sources.values():
        found.sort(key=lambda x: (-x["score"], x["id"]))
    for art in store.iter_articles():
        # where it was first read (not the alphabetically first of its sightings)
        first = art.origin or sightings.get(art.id, [None])[0]
        score, spun = spin.get(art.id, (None, None))
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
            "event": event_of.get(art.id),
            "copy_group": group_of.get(art.id),
            "spin_score": score,
            "spun": spun,
            "sources": sources.get(art.id, []),
        }


def _event_rows(store: Store) -> Iterator[dict[str, Any]]:
    for card in sorted(store.events(), key=lambda c: c["id"]):
        when, where = card.get("when") or {}, card.get("where") or {}
        members = card.get("articles", [])
        yield {
            "id": card["id"], "headline": card.get("headline"),
            "date": event_day(when), "earliest": when.get("earliest"),
            "latest": when.get("latest"),
            "place": where.get("name"), "province": where.get("province"),
            "country": where.get("country"), "lat": where.get("lat"), "lon": where.get("lon"),
            "geonames_id": None if where.get("id") is None else str(where["id"]),
            "kinds": [w.get("kind") for w in card.get("what", [])],
            "actors": [w.get("name") for w in card.get("who", [])],
            "articles": [a["id"] for a in members] + [
                c["id"] if isinstance(c, dict) else c for a in members for c in a.get("copies", [])],
            "first_report": card.get("first_report"),
            "source_count": len(members),  # reports other than copies of another member
            "conflicts": sum(f.get("status") in CONFLICT for f in card.get("facts", [])),
        }


def _reuse_rows(store: Store) -> Iterator[dict[str, Any]]:
    for link in sorted(store.reuse_links(), key=lambda x: (x.copy, x.source)):
        f = link.features or {}
        yield {
            "copy": link.copy, "source": link.source, "relation": link.relation,
            "score": link.score, "direction": link.direction,
            "copy_coverage": f.get("copy_coverage"), "source_coverage": f.get("source_coverage"),
            "aligned": f.get("aligned"), "substitutions": f.get("substitutions"),
            "substitution_table": (link.evidence or {}).get("substitution_table", []),
            "reasons": list(link.reasons),
        }


def _fact_rows(store: Store) -> Iterator[dict[str, Any]]:
    """One row per source value of each fact of each event: the fact, its status across the
    event's sources, and what this source says (with its span in the article's text)."""
    for card in sorted(store.events(), key=lambda c: c["id"]):
        for fact in card.get("facts", []):
            for v in fact.get("values", []):
                yield {
                    "event": card["id"], "kind": fact["kind"],
                    "key": " / ".join(str(k) for k in fact["key"]), "status": fact["status"],
                    "article": v.get("article_id"), "text": v.get("text"),
                    "low": v.get("low"), "high": v.get("high"), "interval": v.get("interval"),
                    "speaker": v.get("speaker"), "role": v.get("role"),
                    "agent": v.get("agent"), "target": v.get("target"),
                    "start": v.get("start"), "end": v.get("end"),
                    "sentence": v.get("sentence"), "copy_of": v.get("copy_of"),
                }


def _flat(row: dict[str, Any], columns: tuple[str, ...] = COLUMNS) -> dict[str, Any]:
    """A row for CSV or Parquet: lists of names joined with "; ", anything nested as JSON."""
    out: dict[str, Any] = {}
    for k in columns:
        v = row.get(k)
        if k in _JOINED and isinstance(v, list):
            v = "; ".join(str(x) for x in v if x is not None)
        elif isinstance(v, (list, dict)):
            v = json.dumps(v, ensure_ascii=False)
        out[k] = v
    return out


def export(store: Store, fmt: str, out: str | Path | None, table: str = "articles") -> int:
    """Write one table (:data:`TABLES`) to ``out`` (a path, or standard output when None or
    '-'); returns the number of rows. A file is written beside its place and renamed into it,
    so an interrupted export leaves no half-written file."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    if out not in (None, "-") and Path(out).is_dir():  # type: ignore[arg-type]
        raise ValueError(f"{out} is a folder: give --out a file name")
    if fmt == "parquet":
        if out in (None, "-"):
            raise ValueError("parquet output needs --out FILE")
        return _parquet(store, Path(out), table)  # type: ignore[arg-type]
    if out in (None, "-"):
        return _write_text(store, fmt, sys.stdout, table)
    path = Path(out)  # type: ignore[arg-type]
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            n = _write_text(store, fmt, fh, table)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)  # nothing half-written is left behind
    return n


#: A CSV cell starting with one of these is a formula to a spreadsheet ("=HYPERLINK(...)" in a
#: hostile title): such cells get a leading apostrophe, which spreadsheets show as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(row: dict[str, Any]) -> dict[str, Any]:
    return {k: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            for k, v in row.items()}


def _write_text(store: Store, fmt: str, fh: IO[str], table: str = "articles") -> int:
    n = 0
    if fmt == "jsonl":
        for row in table_rows(store, table):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    columns = TABLE_COLUMNS[table]
    writer = csv.DictWriter(fh, fieldnames=list(columns))
    writer.writeheader()
    for row in table_rows(store, table):
        writer.writerow(_csv_safe(_flat(row, columns)))
        n += 1
    return n


def _parquet(store: Store, path: Path, table: str = "articles") -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("parquet export needs pyarrow: pip install 'newstrace[parquet]'") \
            from None
    columns = TABLE_COLUMNS[table]
    flat = [_flat(r, columns) for r in table_rows(store, table)]
    types = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(c, types.get(_TYPES.get(c, ""), pa.string())) for c in columns])
    data = pa.Table.from_pylist(flat, schema=schema)
    tmp = path.with_name(path.name + ".tmp")
    try:
        pq.write_table(data, tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(flat)
