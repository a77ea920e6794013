"""SQLite back-end: one file, WAL journal (readers never block the writer), versioned schema.

Every public write is one ``BEGIN IMMEDIATE`` transaction, so a process killed mid-batch leaves
the previous batches intact and nothing of the interrupted one.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from ..models import Article, MetaValue, Origin, Skip
from .base import CopyCluster, DuplicatePair, LexiconEntry, ReuseLink, Store
from .migrations import MIGRATIONS


#: Page cache of a writing connection, in KiB (SQLite's default is 2 MB).
_CACHE_KIB = 32 * 1024
#: WAL pages (4 KiB) after which a commit checkpoints them into the database (default 1000).
_CHECKPOINT_PAGES = 16384


class SQLiteStore(Store):
    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.location = str(path)
        if readonly:
            uri = f"file:{Path(path).resolve()}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=60)
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), isolation_level=None, timeout=60)
        try:
            self._db.execute("PRAGMA busy_timeout = 60000")
            if readonly:
                self._check_version()
            else:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.execute("PRAGMA foreign_keys = ON")
                # Bulk ingest writes batch after batch of rows keyed by random content ids, so
                # each commit dirties pages all over the indexes. A 32 MB page cache keeps those
                # pages in memory instead of re-reading them, and checkpointing the WAL every
                # 64 MB instead of every 4 MB copies each often-rewritten page to the database
                # file (and waits for its fsync) far less often. Commits stay atomic and
                # ordered; the WAL is truncated back to that size after each checkpoint.
                self._db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
                self._db.execute(f"PRAGMA wal_autocheckpoint = {_CHECKPOINT_PAGES}")
                self._db.execute(f"PRAGMA journal_size_limit = {_CHECKPOINT_PAGES * 4096}")
                self._migrate()
        except sqlite3.DatabaseError as exc:  # e.g. "file is not a database"
            self._db.close()
            raise RuntimeError(f"{self.location} is not a newstrace store ({exc})") from None
        except BaseException:
            self._db.close()
            raise

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _refuse_newer(self, current: int, latest: int) -> None:
        if current > latest:
            raise RuntimeError(
                f"{self.location} has schema version {current}, newer than this newstrace "
                f"understands ({latest}); upgrade newstrace")

    def _check_version(self) -> None:
        """A read-only store cannot be migrated: it must be at exactly this version."""
        current = self.schema_version()
        latest = len(MIGRATIONS)
        self._refuse_newer(current, latest)
        if current == 0:
            raise RuntimeError(f"{self.location} is not a newstrace store (no schema)")
        if current < latest:
            raise RuntimeError(
                f"{self.location} has schema version {current}, older than this newstrace "
                f"({latest}); run 'newstrace ingest' on it to upgrade it")

    def _migrate(self) -> None:
        current = self.schema_version()
        latest = len(MIGRATIONS)
        self._refuse_newer(current, latest)
        for version in range(current + 1, latest + 1):
            with self._tx() as db:
                # Re-check inside the write lock: another process may have migrated meanwhile.
                if int(db.execute("PRAGMA user_version").fetchone()[0]) >= version:
                    continue
                if version == 1 and db.execute(
                        "SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    # Never add our tables to some other application's database.
                    raise RuntimeError(f"{self.location} is not a newstrace store "
                                       f"(it holds other tables)")
                for statement in MIGRATIONS[version - 1]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")

    # -- runs -------------------------------------------------------------------------------
    def start_run(self, command: str, args: dict[str, Any]) -> int:
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO runs(command, args, started_at, status) VALUES (?, ?, ?, 'running')",
                (command, json.dumps(args, sort_keys=True, default=str), _now()))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute("UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                       (_now(), status, json.dumps(stats, sort_keys=True), run_id))

    def add_skips(self, run_id: int, skips: Sequence[Skip]) -> None:
        if not skips:
            return
        with self._tx() as db:
            db.executemany("INSERT INTO skips(run_id, path, line, reason) VALUES (?, ?, ?, ?)",
                           [(run_id, s.origin.path, s.origin.line, s.reason) for s in skips])

    def skips(self, run_id: int) -> list[Skip]:
        rows = self._db.execute(
            "SELECT path, line, reason FROM skips WHERE run_id = ? ORDER BY rowid", (run_id,))
        return [Skip(Origin(p, ln), r) for p, ln, r in rows]

    # -- articles ---------------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article], sketches: np.ndarray,
                     sketch_scheme: str, run_id: int | None = None) -> list[bool]:
        new: list[bool] = []
        with self._tx() as db:
            ids = list({a.id: None for a in articles})
            marks = ",".join("?" * len(ids))
            stored = {r[0] for r in db.execute(
                f"SELECT id FROM articles WHERE id IN ({marks})", ids)} if ids else set()
            rows, meta, sketch_rows, seen = [], [], [], []
            has_sketches = sketches is not None and len(sketches) > 0
            for i, art in enumerate(articles):
                aid, origin = art.id, art.origin
                is_new = aid not in stored
                new.append(is_new)
                if origin is not None:
                    seen.append((aid, origin.path, origin.line or 0, origin.fmt, run_id))
                if not is_new:
                    continue
                stored.add(aid)
                rows.append((aid, art.title, art.body, *_best_values(art.meta),
                             origin.path if origin else None, run_id))
                # MetaValue's fields are the column order: field, value, source, evidence, ...
                meta.extend((aid, n, *m) for n, m in enumerate(art.meta))
                if has_sketches:
                    sketch_rows.append((aid, sketch_scheme, sketches[i].tobytes()))
            db.executemany(
                "INSERT INTO articles(id, title, body, published, outlet, "
                "language, url, first_path, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            _insert_meta(db, meta)
            db.executemany(
                "INSERT OR REPLACE INTO sketches(article_id, scheme, sketch) VALUES (?, ?, ?)",
                sketch_rows)
            db.executemany(
                "INSERT OR IGNORE INTO sightings(article_id, path, line, fmt, run_id) "
                "VALUES (?, ?, ?, ?, ?)", seen)
        return new

    def get_article(self, article_id: str) -> Article | None:
        row = self._db.execute(
            "SELECT id, title, body FROM articles WHERE id = ?",
            (article_id,)).fetchone()
        if row is None:
            return None
        return self._build([row], self._meta([article_id]), self._first_origins([article_id]))[0]

    def resolve_id(self, prefix: str) -> list[str]:
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        ids = [r[0] for r in self._db.execute(
            "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 20",
            (pattern,))]
        ids += [r[0] for r in self._db.execute(
            "SELECT DISTINCT cluster_id FROM copy_clusters WHERE cluster_id LIKE ? ESCAPE '\\' "
            "ORDER BY cluster_id LIMIT 20", (pattern,))]
        return ids

    def article_ids(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT id FROM articles ORDER BY id")]

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        wanted = list(ids) if ids is not None else self.article_ids()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT id, title, body FROM articles "
                f"WHERE id IN ({marks})", chunk).fetchall()
            order = {i: n for n, i in enumerate(chunk)}
            rows.sort(key=lambda r: order[r[0]])
            yield from self._build(rows, self._meta(chunk), self._first_origins(chunk))

    def bodies(self, ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        out: dict[str, tuple[str, str | None]] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, body, published in self._db.execute(
                    f"SELECT id, body, published FROM articles WHERE id IN ({marks})", chunk):
                out[aid] = (body, published)
        return out

    def update_search_index(self) -> int:
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO article_search(article_id, title, body, meta) "
                "SELECT a.id, a.title, a.body, coalesce((SELECT group_concat(m.value, ' ') "
                "FROM article_meta m WHERE m.article_id = a.id), '') FROM articles a "
                "WHERE a.id NOT IN (SELECT article_id FROM article_search)")
            return cur.rowcount

    def search_ids(self, words: Sequence[str], limit: int = 1000) -> list[str]:
        terms = [w for w in words if w.strip()]
        if not terms:
            return []
        query = " AND ".join('"' + w.replace('"', '""') + '"' for w in terms)
        return [r[0] for r in self._db.execute(
            "SELECT article_id FROM article_search WHERE article_search MATCH ? "
            "ORDER BY rank LIMIT ?", (query, limit))]

    def outlets(self) -> list[tuple[str | None, int]]:
        return [(o, int(n)) for o, n in self._db.execute(
            "SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet")]

    def count_articles(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def sightings(self, article_id: str) -> list[Origin]:
        rows = self._db.execute(
            "SELECT path, line, fmt FROM sightings WHERE article_id = ? ORDER BY path, line",
            (article_id,))
        return [Origin(p, ln or None, f) for p, ln, f in rows]

    def all_sightings(self) -> dict[str, list[Origin]]:
        out: dict[str, list[Origin]] = {}
        for aid, p, ln, f in self._db.execute(
                "SELECT article_id, path, line, fmt FROM sightings ORDER BY article_id, path, line"):
            out.setdefault(aid, []).append(Origin(p, ln or None, f))
        return out

    def _meta(self, ids: Sequence[str]) -> dict[str, list[MetaValue]]:
        out: dict[str, list[MetaValue]] = {i: [] for i in ids}
        marks = ",".join("?" * len(ids))
        for aid, fld, val, src, ev, s, e in self._db.execute(
                f"SELECT article_id, field, value, source, evidence, start, end_ FROM article_meta "
                f"WHERE article_id IN ({marks}) ORDER BY article_id, seq", list(ids)):
            out[aid].append(MetaValue(fld, val, src, ev or "", s, e))
        return out

    def _first_origins(self, ids: Sequence[str]) -> dict[str, Origin]:
        marks = ",".join("?" * len(ids))
        out: dict[str, Origin] = {}
        for aid, p, ln, f in self._db.execute(
                f"SELECT article_id, path, line, fmt FROM sightings WHERE article_id IN ({marks}) "
                f"ORDER BY article_id, run_id, rowid", list(ids)):
            out.setdefault(aid, Origin(p, ln or None, f))
        return out

    @staticmethod
    def _build(rows: Sequence[tuple], meta: dict[str, list[MetaValue]],
               origins: dict[str, Origin]) -> list[Article]:
        return [Article(aid, title, body, meta.get(aid, []), origins.get(aid))
                for aid, title, body in rows]

    # -- fingerprints -----------------------------------------------------------------------
    def sketches(self, scheme: str) -> tuple[list[str], np.ndarray]:
        # Read in table order and sort here: ORDER BY would walk the id index and fetch each
        # row from a random place in the table.
        rows = self._db.execute(
            "SELECT article_id, sketch FROM sketches WHERE scheme = ?", (scheme,)).fetchall()
        rows.sort(key=itemgetter(0))
        if not rows:
            return [], np.zeros((0, 0), dtype=np.uint32)
        ids = [r[0] for r in rows]
        mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint32).reshape(len(rows), -1)
        return ids, mat

    def missing_sketches(self, scheme: str) -> list[str]:
        return [r[0] for r in self._db.execute(
            "SELECT id FROM articles WHERE id NOT IN "
            "(SELECT article_id FROM sketches WHERE scheme = ?) ORDER BY id", (scheme,))]

    def put_sketches(self, ids: Sequence[str], sketches: np.ndarray, scheme: str) -> None:
        with self._tx() as db:
            db.executemany(
                "INSERT OR REPLACE INTO sketches(article_id, scheme, sketch) VALUES (?, ?, ?)",
                [(i, scheme, s.tobytes()) for i, s in zip(ids, sketches)])

    # -- near-duplicates --------------------------------------------------------------------
    def replace_duplicates(self, pairs: Sequence[DuplicatePair],
                           clusters: Sequence[CopyCluster]) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM duplicate_pairs")
            db.execute("DELETE FROM copy_clusters")
            db.executemany(
                "INSERT INTO duplicate_pairs(a, b, relation, jaccard, containment) "
                "VALUES (?, ?, ?, ?, ?)",
                [(p.a, p.b, p.relation, p.jaccard, p.containment) for p in pairs])
            db.executemany(
                "INSERT INTO copy_clusters(cluster_id, article_id, is_representative) "
                "VALUES (?, ?, ?)",
                [(c.id, m, int(m == c.representative)) for c in clusters for m in c.members])

    def duplicate_pairs(self) -> list[DuplicatePair]:
        return [DuplicatePair(*r) for r in self._db.execute(
            "SELECT a, b, relation, jaccard, containment FROM duplicate_pairs ORDER BY a, b")]

    def copy_clusters(self) -> list[CopyCluster]:
        groups: dict[str, list[str]] = {}
        reps: dict[str, str] = {}
        for cid, aid, rep in self._db.execute(
                "SELECT cluster_id, article_id, is_representative FROM copy_clusters "
                "ORDER BY cluster_id, article_id"):
            groups.setdefault(cid, []).append(aid)
            if rep:
                reps[cid] = aid
        return [CopyCluster(cid, tuple(m), reps.get(cid, m[0])) for cid, m in groups.items()]

    # -- provenance -------------------------------------------------------------------------
    def replace_reuse_links(self, links: Sequence[ReuseLink],
                            lexicon: Sequence[LexiconEntry]) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM reuse_links")
            db.execute("DELETE FROM substitution_lexicon")
            db.executemany(
                "INSERT INTO reuse_links(copy_id, source_id, relation, score, direction, "
                "reasons, features, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(x.copy, x.source, x.relation, x.score, x.direction, json.dumps(list(x.reasons)),
                  json.dumps(x.features, sort_keys=True),
                  json.dumps(x.evidence, sort_keys=True, ensure_ascii=False)) for x in links])
            db.executemany(
                "INSERT INTO substitution_lexicon(original, substitute, count, pairs) "
                "VALUES (?, ?, ?, ?)", [(e.original, e.substitute, e.count, e.pairs)
                                        for e in lexicon])

    def reuse_links(self, article_id: str | None = None) -> list[ReuseLink]:
        sql = ("SELECT copy_id, source_id, relation, score, direction, reasons, features, "
               "evidence FROM reuse_links")
        args: tuple = ()
        if article_id is not None:
            sql += " WHERE copy_id = ? OR source_id = ?"
            args = (article_id, article_id)
        rows = self._db.execute(sql + " ORDER BY copy_id, score DESC, source_id", args)
        return [ReuseLink(c, s, r, sc, d, tuple(json.loads(rs)), json.loads(f), json.loads(e))
                for c, s, r, sc, d, rs, f, e in rows]

    def reuse_relations(self) -> list[tuple[str, str, str]]:
        return [(c, s, r) for c, s, r in self._db.execute(
            "SELECT copy_id, source_id, relation FROM reuse_links "
            "ORDER BY copy_id, score DESC, source_id")]

    def count_reuse_links(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM reuse_links").fetchone()[0])

    def lexicon(self) -> list[LexiconEntry]:
        return [LexiconEntry(*r) for r in self._db.execute(
            "SELECT original, substitute, count, pairs FROM substitution_lexicon "
            "ORDER BY pairs DESC, count DESC, original, substitute")]

    # -- events -----------------------------------------------------------------------------
    def replace_events(self, cards: Sequence[dict[str, Any]],
                       members: dict[str, str]) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM event_members")
            db.execute("DELETE FROM events")
            db.executemany(
                "INSERT INTO events(event_id, headline, date, card) VALUES (?, ?, ?, ?)",
                [(c["id"], c.get("headline"), (c.get("when") or {}).get("date"),
                  json.dumps(c, ensure_ascii=False, sort_keys=True)) for c in cards])
            db.executemany("INSERT INTO event_members(event_id, article_id) VALUES (?, ?)",
                           [(e, a) for a, e in sorted(members.items())])

    def events(self) -> list[dict[str, Any]]:
        cards = [json.loads(r[0]) for r in self._db.execute("SELECT card FROM events")]
        cards.sort(key=lambda c: (-len(c.get("articles", [])), c["id"]))
        return cards

    def event(self, event_id: str) -> dict[str, Any] | None:
        exact = self._db.execute("SELECT card FROM events WHERE event_id = ?",
                                 (event_id,)).fetchone()
        if exact:
            return json.loads(exact[0])
        pattern = event_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._db.execute(
            "SELECT card FROM events WHERE event_id LIKE ? ESCAPE '\\' LIMIT 2",
            (pattern,)).fetchall()
        return json.loads(rows[0][0]) if len(rows) == 1 else None

    def event_id_of(self, article_id: str) -> str | None:
        row = self._db.execute("SELECT event_id FROM event_members WHERE article_id = ?",
                               (article_id,)).fetchone()
        return row[0] if row else None

    def event_of(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT article_id, event_id FROM event_members"))

    # -- spin -------------------------------------------------------------------------------
    def put_spin_reports(self, reports: dict[str, dict[str, Any]]) -> None:
        with self._tx() as db:
            db.executemany(
                "INSERT OR REPLACE INTO spin_reports(article_id, score, verdict, report) "
                "VALUES (?, ?, ?, ?)",
                [(aid, r["score"], int(bool(r["verdict"])), json.dumps(r, ensure_ascii=False))
                 for aid, r in sorted(reports.items())])

    def count_spun(self) -> int:
        return int(self._db.execute(
            "SELECT count(*) FROM spin_reports WHERE verdict = 1").fetchone()[0])

    def spin_reports(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        if ids is None:
            rows = self._db.execute("SELECT article_id, report FROM spin_reports")
            return {aid: json.loads(r) for aid, r in rows}
        out = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, r in self._db.execute(
                    f"SELECT article_id, report FROM spin_reports WHERE article_id IN ({marks})",
                    chunk):
                out[aid] = json.loads(r)
        return out


_SOURCES = frozenset(("container", "text", "guessed"))


def _insert_meta(db: sqlite3.Connection, rows: Sequence[tuple]) -> None:
    """Insert article_meta rows, checking the table's ``CHECK (source IN (...))`` here.

    SQLite evaluates that IN list by filling a small temporary table for every row inserted,
    which was about a fifth of the store's work; the same condition is tested here on the
    whole batch (the same IntegrityError rolls the batch back), and SQLite's copy of the
    test is skipped for these statements only.
    """
    bad = {row[4] for row in rows} - _SOURCES
    if bad:  # the error SQLite itself raises for the constraint
        raise sqlite3.IntegrityError(
            f"CHECK constraint failed: source IN ('container', 'text', 'guessed') "
            f"(article_meta.source {sorted(map(repr, bad))})")
    db.execute("PRAGMA ignore_check_constraints = ON")
    try:
        _insert_rows(db, "INSERT INTO article_meta(article_id, seq, field, value, source, "
                         "evidence, start, end_) VALUES ", 8, rows)
    finally:
        db.execute("PRAGMA ignore_check_constraints = OFF")


#: Rows per multi-row INSERT in :func:`_insert_rows` (8 columns: 512 parameters).
_ROWS_PER_INSERT = 64


def _insert_rows(db: sqlite3.Connection, head: str, width: int,
                 rows: Sequence[tuple]) -> None:
    """Insert ``rows`` with multi-row ``VALUES`` statements of ``_ROWS_PER_INSERT`` rows:
    SQLite's per-execution work (binding, reset, constraint set-up) is paid once per 64 rows
    instead of once per row."""
    one = "(" + ",".join("?" * width) + ")"
    full = len(rows) - len(rows) % _ROWS_PER_INSERT
    if full:
        db.executemany(head + ",".join([one] * _ROWS_PER_INSERT),
                       [tuple(chain.from_iterable(rows[i:i + _ROWS_PER_INSERT]))
                        for i in range(0, full, _ROWS_PER_INSERT)])
    if full < len(rows):
        db.executemany(head + one, rows[full:])


#: The metadata fields that also have a column of ``articles``, in column order.
_COLUMNS = {"published": 0, "outlet": 1, "language": 2, "url": 3}
_RANK = {"container": 0, "text": 1, "guessed": 2}


def _best_values(meta: Sequence[MetaValue]) -> list[str | None]:
    """``Article.first`` of each column field in one pass: the first value of the best source
    (container over text over guesses)."""
    values: list[str | None] = [None, None, None, None]
    ranks = [9, 9, 9, 9]
    for m in meta:
        col = _COLUMNS.get(m[0])
        if col is not None:
            rank = _RANK[m[2]]
            if rank < ranks[col]:
                values[col], ranks[col] = m[1], rank
    return values


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
