"""The SQLite store: schema versions, WAL, atomic batches, prefixes, and kill-and-resume."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from newstrace.ingest import Record, build_article
from newstrace.models import Article, MetaValue, Origin
from newstrace.neardup import SKETCH_SCHEME
from newstrace.fingerprints import minhash
from newstrace.store import open_store
from newstrace.store.migrations import MIGRATIONS
from newstrace.text import article_id, normalize


def make_articles(n: int, start: int = 0, path: str = "feed.jsonl"
                  ) -> tuple[list[Article], np.ndarray]:
    recs = [Record(f"Story {i}: harbour works delayed",
                   f"Work on harbour section {i} was delayed again on Monday, officials said.\n\n"
                   f"The contractor blamed {i * 3} days of storms for the delay.",
                   Origin(path, i + 1, "jsonl"), {"outlet": f"Outlet {i % 3}"})
            for i in range(start, start + n)]
    items = [build_article(r) for r in recs]
    sketches, _ = minhash([a.norm_body for a in items])  # type: ignore[union-attr]
    assert all(isinstance(a, Article) for a in items)
    return items, sketches  # type: ignore[return-value]


def count(db: Path, table: str = "articles") -> int:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --------------------------------------------------------------------------------------------
# schema and opening


def test_schema_version_is_the_number_of_migrations(db):
    with open_store(db) as store:
        assert store.schema_version() == len(MIGRATIONS) >= 1
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "article_meta", "sightings", "sketches", "runs", "skips",
            "duplicate_pairs", "copy_clusters"} <= tables


def test_opening_an_existing_store_again_is_fine(db):
    arts, sk = make_articles(3)
    with open_store(db) as store:
        store.add_articles(arts, sk, SKETCH_SCHEME)
    with open_store(db) as first, open_store(db) as second:  # twice, and at the same time
        assert first.schema_version() == second.schema_version() == len(MIGRATIONS)
        assert first.count_articles() == second.count_articles() == 3
        assert second.add_articles(arts, sk, SKETCH_SCHEME) == [False, False, False]
    with open_store(db) as again, open_store(db, readonly=True) as ro:
        assert again.count_articles() == ro.count_articles() == 3
        assert ro.article_ids() == sorted(a.id for a in arts)


def test_future_schema_version_is_a_clear_error(db, cli):
    with open_store(db) as store:
        store.add_articles(*make_articles(1), SKETCH_SCHEME)
    future = len(MIGRATIONS) + 1
    with closing(sqlite3.connect(db)) as con:
        con.execute(f"PRAGMA user_version = {future}")
    for readonly in (False, True):
        with pytest.raises(RuntimeError, match=rf"schema version {future}, newer than this "
                                               rf"newstrace understands \({len(MIGRATIONS)}\)"):
            open_store(db, readonly=readonly)
    rc, _, err = cli("export", "--db", db)
    assert rc == 1 and "newer than this newstrace understands" in err
    (db.parent / "a.txt").write_text("Title\n\nSome body text.\n")
    rc, _, err = cli("ingest", db.parent / "a.txt", "--db", db)
    assert rc == 1 and "upgrade newstrace" in err and "Traceback" not in err
    with closing(sqlite3.connect(db)) as con:  # nothing was changed
        assert con.execute("PRAGMA user_version").fetchone()[0] == future
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path, cli):
    junk = tmp_path / "notes.db"
    junk.write_text("these are my notes, not a database\n" * 50)
    other = tmp_path / "other-app.db"
    with closing(sqlite3.connect(other)) as con:
        con.execute("CREATE TABLE customers (name TEXT)")
        con.commit()
    for path in (junk, other):
        for readonly in (False, True):
            with pytest.raises(RuntimeError, match="is not a newstrace store"):
                open_store(path, readonly=readonly)
        rc, _, err = cli("export", "--db", path)
        assert rc == 1 and "is not a newstrace store" in err
    with closing(sqlite3.connect(other)) as con:  # the other application's db is left alone
        assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["customers"]


def test_wal_mode_is_on(db):
    with open_store(db):
        pass
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"


# --------------------------------------------------------------------------------------------
# writes


def test_add_articles_reports_new_and_existing(db):
    arts, sk = make_articles(4)
    with open_store(db) as store:
        assert store.add_articles(arts[:2], sk[:2], SKETCH_SCHEME) == [True, True]
        again = [replace(a, origin=Origin("other.jsonl", 9, "jsonl")) for a in arts[1:]]
        assert store.add_articles(again, sk[1:], SKETCH_SCHEME) == [False, True, True]
        assert store.count_articles() == 4
        assert [(o.path, o.line) for o in store.sightings(arts[1].id)] == [
            ("feed.jsonl", 2), ("other.jsonl", 9)]
        ids, mat = store.sketches(SKETCH_SCHEME)
        assert ids == sorted(a.id for a in arts)
        assert np.array_equal(mat[ids.index(arts[3].id)], sk[3])
        got = store.get_article(arts[0].id)
        assert got is not None and (got.title, got.body) == (arts[0].title, arts[0].body)
        assert got.meta == arts[0].meta


def _poisoned(a: Article) -> Article:
    """An article whose metadata the store refuses (the provenance CHECK constraint)."""
    return replace(a, meta=a.meta + [MetaValue("agency", "X", "rumour")])  # type: ignore[arg-type]


@pytest.mark.parametrize("failure", ["constraint", "short_sketches"])
def test_add_articles_is_all_or_nothing(db, failure):
    stored, sk0 = make_articles(2)
    batch, sk = make_articles(5, start=10)
    with open_store(db) as store:
        store.add_articles(stored, sk0, SKETCH_SCHEME)
        before = {t: count(db, t) for t in ("articles", "article_meta", "sightings", "sketches")}
        # the batch re-sights a stored article, adds new ones, then fails part-way
        seen_again = replace(stored[0], origin=Origin("again.jsonl", 1, "jsonl"))
        if failure == "constraint":
            bad_batch = [seen_again, *batch[:3], _poisoned(batch[3]), batch[4]]
            sketches = np.vstack([sk0[:1], sk])
            expected: type[BaseException] = sqlite3.IntegrityError
        else:
            bad_batch = [seen_again, *batch]
            sketches = np.vstack([sk0[:1], sk[:3]])  # too few rows: fails at the 5th article
            expected = IndexError
        with pytest.raises(expected):
            store.add_articles(bad_batch, sketches, SKETCH_SCHEME)
        after = {t: count(db, t) for t in before}
        assert after == before  # nothing of the failed batch, not even the new sighting
        assert store.count_articles() == 2
        assert all(store.get_article(a.id) is None for a in batch)
        # the store is still usable, and the same batch goes in whole once it is valid
        assert store.add_articles([seen_again, *batch], np.vstack([sk0[:1], sk]),
                                  SKETCH_SCHEME) == [False] + [True] * 5
        assert store.count_articles() == 7


def test_batch_metadata_round_trips_and_the_source_check_stays_on(db):
    # 70 articles of about 3 values each: more rows than one multi-row INSERT, not a multiple
    items, sketches = make_articles(70)
    assert sum(len(a.meta) for a in items) % 64
    with closing(open_store(db)) as store:
        store.add_articles(items, sketches, SKETCH_SCHEME)
        for art in items:
            assert store.get_article(art.id).meta == art.meta
        # outside the batch insert, SQLite enforces the CHECK constraint itself again
        with pytest.raises(sqlite3.IntegrityError):
            store._db.execute("INSERT INTO article_meta(article_id, seq, field, value, source) "
                              "VALUES (?, 99, 'outlet', 'x', 'rumour')", (items[0].id,))


def test_resolve_id_by_prefix(db):
    arts, sk = make_articles(30)
    ids = sorted(a.id for a in arts)
    with open_store(db) as store:
        store.add_articles(arts, sk, SKETCH_SCHEME)
        for aid in ids:
            assert store.resolve_id(aid) == [aid]
            # the shortest prefix that is unique resolves to it alone
            n = next(k for k in range(5, 21) if sum(i.startswith(aid[:k]) for i in ids) == 1)
            assert store.resolve_id(aid[:n]) == [aid]
            if n > 5:
                assert aid in store.resolve_id(aid[:n - 1])
                assert len(store.resolve_id(aid[:n - 1])) > 1
        assert store.resolve_id("art_") == ids[:20]  # capped, in order
        assert store.resolve_id("art_zzzz") == []
        # LIKE wildcards are taken literally
        assert store.resolve_id("%") == [] and store.resolve_id("art%") == []
        assert store.resolve_id("art" + "_" * 17) == []


def test_readers_query_while_a_writer_holds_a_transaction(db):
    arts, sk = make_articles(3)
    with open_store(db) as store:
        store.add_articles(arts[:2], sk[:2], SKETCH_SCHEME)
    writer = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")
        a = arts[2]
        writer.execute("INSERT INTO articles(id, title, body) VALUES (?, ?, ?)",
                       (a.id, a.title, a.body))
        writer.execute("DELETE FROM sketches")
        # the write lock is really held: another writer cannot start
        other = sqlite3.connect(db, isolation_level=None, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        # readers are not blocked (timeout 0 would fail at once) and see the committed state
        reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0)
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        with open_store(db, readonly=True) as ro:
            assert ro.count_articles() == 2
            assert len(ro.sketches(SKETCH_SCHEME)[0]) == 2
            assert [x.title for x in ro.iter_articles()] == [
                x.title for x in sorted(arts[:2], key=lambda x: x.id)]
        writer.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        reader.close()
    finally:
        writer.close()


# --------------------------------------------------------------------------------------------
# kill and resume

_WORDS = ("council river budget police minister harbour storm school vote mayor court "
          "hospital bridge farmers strike market election rail port energy water fire union "
          "museum airport festival library").split()


def _corpus(path: Path, n: int, seed: int = 11) -> list[str]:
    """``n`` distinct articles as JSON Lines; returns their expected ids."""
    rng = random.Random(seed)
    ids = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            paras = []
            for p in range(3):
                paras.append(" ".join(
                    f"The {rng.choice(_WORDS)} {rng.choice(_WORDS)} report {i}-{p}-{k} said "
                    f"{rng.randint(1, 10**6)} people in {rng.choice(_WORDS).title()}ville "
                    f"were affected by the {rng.choice(_WORDS)}." for k in range(3)))
            rec = {"title": f"Story {i}: the {rng.choice(_WORDS)} and the {rng.choice(_WORDS)}",
                   "text": "\n\n".join(paras), "outlet": f"Outlet {i % 7}",
                   "published": f"2024-01-{1 + i % 28:02d}"}
            fh.write(json.dumps(rec) + "\n")
            ids.append(article_id(normalize(rec["title"]), normalize(rec["text"])))
    return ids


def _kill_part_way(corpus: Path, db: Path, n: int, timeout: float = 60.0) -> int | None:
    """Start an ingest, SIGKILL it once some (not all) articles are stored; the count then.

    None when the ingest finished before it could be killed.
    """
    with subprocess.Popen([sys.executable, "-m", "newstrace", "ingest", str(corpus),
                           "--db", str(db), "-q"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, cwd=db.parent) as proc:
        con = None
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    if con is None and db.exists():
                        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True,
                                              isolation_level=None, timeout=5)
                    if con is not None and con.execute(
                            "SELECT count(*) FROM articles").fetchone()[0] > 0:
                        break
                except sqlite3.DatabaseError:  # not created yet: connect again
                    if con is not None:
                        con.close()
                        con = None
                time.sleep(0.005)
            if proc.poll() is not None:
                assert proc.returncode == 0, proc.stderr.read().decode()  # type: ignore
                return None
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=30) == -signal.SIGKILL
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if con is not None:
                con.close()
    stored = count(db)
    return None if stored == n else stored


def test_killed_ingest_resumes_and_stores_each_article_once(tmp_path, db, cli):
    db.parent.mkdir(parents=True)
    n = 3000
    for attempt in range(3):  # a faster machine may finish first: then try a bigger corpus
        corpus = tmp_path / f"corpus{attempt}.jsonl"
        expected = _corpus(corpus, n)
        assert len(set(expected)) == n
        if db.exists():
            for f in db.parent.iterdir():
                f.unlink()
        at_kill = _kill_part_way(corpus, db, n)
        if at_kill is not None:
            break
        n *= 3
    else:
        pytest.fail("the ingest always finished before it could be killed")
    assert 0 < at_kill < n

    rc, out, err = cli("ingest", corpus, "--db", db, "--json")
    assert rc == 0, err
    res = json.loads(out)
    assert (res["new"], res["existing"], res["skipped"]) == (n - at_kill, at_kill, 0)

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        assert q("PRAGMA integrity_check") == [("ok",)]
        assert q("PRAGMA foreign_key_check") == []
        assert q("SELECT count(*), count(DISTINCT id), count(DISTINCT title || char(0) || body)"
                 " FROM articles") == [(n, n, n)]
        assert {r[0] for r in q("SELECT id FROM articles")} == set(expected)
        # no half-written article: each has its two container values, a sketch and a sighting
        assert q("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM "
                 "article_meta WHERE source = 'container' GROUP BY article_id "
                 "HAVING count(*) = 2)") == [(0,)]
        assert q("SELECT count(*) FROM article_meta WHERE article_id NOT IN "
                 "(SELECT id FROM articles)") == [(0,)]
        assert q("SELECT count(*), min(length(sketch)), max(length(sketch)) FROM sketches "
                 "WHERE article_id IN (SELECT id FROM articles)") == [(n, 512, 512)]
        assert q("SELECT count(*) FROM sketches") == [(n,)]
        assert q("SELECT count(DISTINCT article_id), count(*), min(line), max(line) "
                 "FROM sightings") == [(n, n, 1, n)]
    finally:
        con.close()
    # and a third run stores nothing more
    rc, out, _ = cli("ingest", corpus, "--db", db, "--json")
    assert rc == 0 and json.loads(out)["new"] == 0
    assert count(db) == n


def test_search_index_finds_whole_words_and_catches_up(db) -> None:
    arts, sk = make_articles(5)
    with open_store(db) as store:
        store.add_articles(arts, sk, SKETCH_SCHEME)
        assert store.search_ids(["harbour"]) == []  # ingest does not index: analyze does
        assert store.update_search_index() == 5
        assert store.update_search_index() == 0
        assert set(store.search_ids(["HARBOUR", "section"])) == {a.id for a in arts}
        assert store.search_ids(["harbour", "nowhere"]) == []
        assert store.search_ids(["outlet"]) != []  # metadata values are searched too
        more, sk2 = make_articles(2, start=5)
        store.add_articles(more, sk2, SKETCH_SCHEME)
        assert store.update_search_index() == 2
