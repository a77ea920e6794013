"""Schema migrations: entry ``n`` upgrades a store from version ``n`` to ``n + 1``.

Never edit a released entry; append a new one. The store's version is SQLite's
``PRAGMA user_version``.
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # 1: articles, metadata with provenance, sightings, sketches, runs, near-duplicates
    [
        """CREATE TABLE articles (
            id           TEXT PRIMARY KEY,  -- art_ + hash of the normalised title and body
            title        TEXT NOT NULL,   -- original, byte-for-byte
            body         TEXT NOT NULL,   -- original, byte-for-byte (normalised on load)
            published    TEXT,            -- best value of each field, for queries
            outlet       TEXT,
            language     TEXT,
            url          TEXT,
            first_path   TEXT,
            run_id       INTEGER
        )""",
        """CREATE TABLE article_meta (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            field      TEXT NOT NULL,
            value      TEXT NOT NULL,
            source     TEXT NOT NULL CHECK (source IN ('container', 'text', 'guessed')),
            evidence   TEXT,
            start      INTEGER,
            end_       INTEGER,
            PRIMARY KEY (article_id, seq)
        ) WITHOUT ROWID""",
        """CREATE TABLE sightings (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            path       TEXT NOT NULL,
            line       INTEGER NOT NULL DEFAULT 0,
            fmt        TEXT,
            run_id     INTEGER,
            PRIMARY KEY (article_id, path, line)
        )""",
        "CREATE INDEX sightings_path ON sightings(path)",
        """CREATE TABLE sketches (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            scheme     TEXT NOT NULL,
            sketch     BLOB NOT NULL
        )""",
        """CREATE TABLE runs (
            id          INTEGER PRIMARY KEY,
            command     TEXT NOT NULL,
            args        TEXT,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            status      TEXT NOT NULL,
            stats       TEXT
        )""",
        """CREATE TABLE skips (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            path   TEXT NOT NULL,
            line   INTEGER,
            reason TEXT NOT NULL
        )""",
        """CREATE TABLE duplicate_pairs (
            a           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            b           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            relation    TEXT NOT NULL,
            jaccard     REAL NOT NULL,
            containment REAL NOT NULL,
            PRIMARY KEY (a, b)
        )""",
        """CREATE TABLE copy_clusters (
            cluster_id        TEXT NOT NULL,
            article_id        TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            is_representative INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (cluster_id, article_id)
        )""",
        "CREATE INDEX copy_clusters_article ON copy_clusters(article_id)",
    ],
    # 2: provenance (reuse links with their evidence) and the learned substitution lexicon
    [
        """CREATE TABLE reuse_links (
            copy_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            source_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            relation  TEXT NOT NULL,   -- verbatim | near_copy | spun | paraphrase | partial
            score     REAL NOT NULL,   -- probability that the reuse is real
            direction TEXT NOT NULL,   -- what decided the direction: published | credit | ...
            reasons   TEXT NOT NULL,   -- JSON list of sentences
            features  TEXT NOT NULL,   -- JSON: coverage, identity, substitution rate, ...
            evidence  TEXT NOT NULL,   -- JSON: aligned sentences, substitutions, added, dropped
            PRIMARY KEY (copy_id, source_id)
        )""",
        "CREATE INDEX reuse_links_source ON reuse_links(source_id)",
        """CREATE TABLE substitution_lexicon (
            original   TEXT NOT NULL,
            substitute TEXT NOT NULL,
            count      INTEGER NOT NULL,  -- times seen
            pairs      INTEGER NOT NULL,  -- confirmed spun pairs it was seen in
            PRIMARY KEY (original, substitute)
        ) WITHOUT ROWID""",
    ],
    # 3: the single-article spin detector's verdicts
    [
        """CREATE TABLE spin_reports (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            score      REAL NOT NULL,     -- calibrated probability that the text was spun
            verdict    INTEGER NOT NULL,  -- 1 = spun
            report     TEXT NOT NULL      -- JSON: evidence with offsets into the body
        )""",
    ],
    # 4: events (what happened) and the articles that report each
    [
        """CREATE TABLE events (
            event_id TEXT PRIMARY KEY,
            headline TEXT,
            date     TEXT,             -- best estimate of when it happened (ISO date)
            card     TEXT NOT NULL     -- JSON: when, where, who, what, articles
        )""",
        """CREATE TABLE event_members (
            event_id   TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (article_id)
        )""",
        "CREATE INDEX event_members_event ON event_members(event_id)",
    ],
    # 5: full-text index of title, body and metadata values, for search; filled by
    # Store.update_search_index (analyze, serve), not by ingest, which stays fast
    [
        """CREATE VIRTUAL TABLE article_search USING fts5(
            article_id UNINDEXED, title, body, meta, tokenize = 'unicode61 remove_diacritics 2'
        )""",
    ],
]
