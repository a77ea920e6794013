"""Ingest: every input format, identity across containers, original text, and bad input."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newstrace.store import open_store
from newstrace.text import article_id, normalize

# --------------------------------------------------------------------------------------------
# helpers

TITLE = "Harbour bridge closed after storm damage"
PARAS = [
    "The harbour bridge linking the old town with the eastern suburbs was closed on Tuesday "
    "after engineers found cracks in two of its supporting piers following the weekend storm.",
    "City officials said the closure would last at least three weeks while divers inspect the "
    "foundations, and that ferries would run every twenty minutes during the rush hours.",
    "\"We are not going to take any risks with public safety,\" the deputy mayor, Anton Weber, "
    "told reporters at a news conference outside the town hall on Tuesday afternoon.",
    "Local businesses on the eastern side of the bridge warned that a long closure could cost "
    "them a large share of their spring trade, and asked the council for relief on rents.",
    "The bridge, built in 1962, carries about 18,000 vehicles a day. A full survey of the "
    "structure had been planned for next year.",
]

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | The Coastal Herald</title>
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="The Coastal Herald">
  <meta name="author" content="Maria Lopez">
  <meta property="article:published_time" content="2024-03-05T08:30:00Z">
  <link rel="canonical" href="https://coastalherald.example/news/harbour-bridge-closed">
</head>
<body>
  <header>
    <nav class="site-nav">
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/news">News</a></li>
        <li><a href="/sport">Sport</a></li>
        <li><a href="/subscribe">Subscribe to our newsletter today</a></li>
      </ul>
    </nav>
  </header>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">By Maria Lopez</p>
{paras}
    </article>
    <aside class="related"><h3>Most read</h3><ul><li><a href="/x">Celebrity chef opens
      a fourth restaurant downtown</a></li></ul></aside>
  </main>
  <footer>
    <p>Copyright 2024 The Coastal Herald. All rights reserved.</p>
    <p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p>
  </footer>
</body>
</html>
"""


def html_page(title: str = TITLE, paras: list[str] = PARAS) -> str:
    body = "\n".join(f"      <p>{p.replace('&', '&amp;')}</p>" for p in paras)
    return HTML_PAGE.format(title=title, paras=body)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def article(n: int, **extra: object) -> dict:
    """A distinct JSON record."""
    return {"title": f"Report {n}: council approves budget",
            "text": f"The council approved budget number {n} on Monday after a long debate.\n\n"
                    f"Councillors said item {n * 7} would be reviewed again in spring.",
            **extra}


def ingest_json(cli, db: Path, *args: object) -> tuple[int, dict, str]:
    rc, out, err = cli("ingest", *args, "--db", db, "--json")
    return rc, json.loads(out), err


def stored(db: Path) -> dict[str, object]:
    """Every stored article by id."""
    with open_store(db, readonly=True) as store:
        return {a.id: a for a in store.iter_articles()}


def container(art, name: str) -> list[str]:
    return [m.value for m in art.meta if m.field == name and m.source == "container"]


# --------------------------------------------------------------------------------------------
# formats


def test_plain_text_first_nonempty_line_is_title(tmp_path, db, cli):
    body = "\n\n".join(PARAS)
    f = tmp_path / "bridge.txt"
    f.write_text(f"\n\n   \n{TITLE}\n\n{body}\n\n", encoding="utf-8")
    rc, res, _ = ingest_json(cli, db, f)
    assert rc == 0
    assert (res["new"], res["existing"], res["skipped"]) == (1, 0, 0)
    [art] = stored(db).values()
    assert art.title == TITLE
    assert art.body == body
    assert art.id == article_id(normalize(TITLE), normalize(body))
    assert res["inputs"][0]["article_id"] == art.id


def test_html_main_text_without_boilerplate(tmp_path, db, cli):
    f = tmp_path / "bridge.html"
    f.write_text(html_page(), encoding="utf-8")
    rc, res, _ = ingest_json(cli, db, f)
    assert rc == 0 and res["new"] == 1
    [art] = stored(db).values()
    assert art.title == TITLE
    for p in PARAS:  # every paragraph of the article is in the body...
        assert p in art.body
    for junk in ("Subscribe to our newsletter", "Home", "Sport", "Privacy policy",
                 "Terms of use", "All rights reserved", "Celebrity chef"):
        assert junk not in art.body  # ...and none of the navigation, footer or sidebar
    assert container(art, "outlet") == ["The Coastal Herald"]
    assert container(art, "url") == ["https://coastalherald.example/news/harbour-bridge-closed"]
    assert container(art, "published") == ["2024-03-05"]
    assert container(art, "author") == ["Maria Lopez"]
    assert art.origin is not None and art.origin.fmt == "html"


def test_html_detected_from_content_without_suffix(tmp_path, db, cli):
    f = tmp_path / "page-download"
    f.write_text(html_page(), encoding="utf-8")
    rc, _, _ = ingest_json(cli, db, f)
    assert rc == 0
    [art] = stored(db).values()
    assert art.title == TITLE and PARAS[0] in art.body and "Privacy" not in art.body


def test_jsonl_one_article_per_line_with_line_numbers(tmp_path, db, cli):
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps(article(1)) + "\n\n" + json.dumps(article(2)) + "\n"
                 + json.dumps(article(3)) + "\n", encoding="utf-8")
    rc, res, _ = ingest_json(cli, db, f)
    assert rc == 0 and res["new"] == 3
    assert [(i["path"], i["line"]) for i in res["inputs"]] == [(str(f), 1), (str(f), 3),
                                                               (str(f), 4)]
    arts = stored(db)
    assert sorted(a.title for a in arts.values()) == [article(n)["title"] for n in (1, 2, 3)]
    for a in arts.values():
        n = int(a.title.split()[1].rstrip(":"))
        assert a.body == article(n)["text"]


@pytest.mark.parametrize("wrap", ["array", "articles", "single"])
def test_json_array_and_wrapped_object(tmp_path, db, cli, wrap):
    recs = [article(1), article(2)] if wrap != "single" else [article(1)]
    data = {"array": recs, "articles": {"articles": recs, "count": 2}, "single": recs[0]}[wrap]
    f = tmp_path / "feed.json"
    f.write_text(json.dumps(data, indent=2), encoding="utf-8")
    rc, res, _ = ingest_json(cli, db, f)
    assert rc == 0 and res["new"] == len(recs)
    assert [i["line"] for i in res["inputs"]] == list(range(1, len(recs) + 1))
    arts = stored(db)
    assert {(a.title, a.body) for a in arts.values()} == {(r["title"], r["text"]) for r in recs}


def test_gzip_of_text_and_of_jsonl(tmp_path, db, cli):
    body = "\n\n".join(PARAS)
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "bridge.txt").write_text(f"{TITLE}\n\n{body}\n", encoding="utf-8")
    write_jsonl(plain / "feed.jsonl", [article(1), article(2)])
    gz = tmp_path / "gz"
    gz.mkdir()
    for name in ("bridge.txt", "feed.jsonl"):
        (gz / (name + ".gz")).write_bytes(gzip.compress((plain / name).read_bytes()))

    rc, res, _ = ingest_json(cli, db, gz / "bridge.txt.gz", gz / "feed.jsonl.gz")
    assert rc == 0 and res["new"] == 3
    fmts = {(i["path"], i["line"]) for i in res["inputs"]}
    assert fmts == {(str(gz / "bridge.txt.gz"), None), (str(gz / "feed.jsonl.gz"), 1),
                    (str(gz / "feed.jsonl.gz"), 2)}
    arts = stored(db)
    assert {a.title for a in arts.values()} == {TITLE, article(1)["title"], article(2)["title"]}
    # the same files uncompressed are the same articles
    rc, res, _ = ingest_json(cli, db, plain)
    assert rc == 0 and (res["new"], res["existing"]) == (0, 3)


def test_gzip_with_several_members_reads_them_all(tmp_path, db, cli):
    # `cat a.gz b.gz > c.gz` is a valid gzip file holding both; tools may also zero-pad
    f = tmp_path / "joined.jsonl.gz"
    f.write_bytes(gzip.compress(json.dumps(article(1)).encode() + b"\n")
                  + gzip.compress((json.dumps(article(2)) + "\n" + json.dumps(article(3)))
                                  .encode()) + b"\x00" * 64)
    rc, res, err = ingest_json(cli, db, f)
    assert rc == 0, err
    assert res["new"] == 3
    assert [i["line"] for i in res["inputs"]] == [1, 2, 3]


def test_json_document_with_lines_starting_with_a_brace(tmp_path, db, cli):
    recs = [article(1), article(2)]
    one_per_line = "{\"articles\": [\n" + ",\n".join(json.dumps(r) for r in recs) + "\n]}\n"
    for name, content in (("wrapped.json", one_per_line),
                          ("indent0.json", json.dumps({"articles": recs}, indent=0)),
                          ("sniffed", one_per_line)):
        f = tmp_path / name
        f.write_text(content)
        rc, res, err = ingest_json(cli, db, f)
        assert rc == 0, err
        assert res["skipped"] == 0 and len(res["inputs"]) == 2
    assert {a.title for a in stored(db).values()} == {r["title"] for r in recs}


def test_gzip_detected_from_magic_bytes(tmp_path, db, cli):
    f = tmp_path / "download.jsonl"  # compressed, but not named .gz
    f.write_bytes(gzip.compress(json.dumps(article(5)).encode()))
    rc, res, _ = ingest_json(cli, db, f)
    assert rc == 0 and res["new"] == 1
    [art] = stored(db).values()
    assert art.title == article(5)["title"]


def test_directory_recursive_sorted_and_documentation_left_out(tmp_path, db, cli):
    d = tmp_path / "corpus"
    (d / "c").mkdir(parents=True)
    (d / ".hidden").mkdir()
    # created in reverse order, so the order seen is the walk's, not the file system's
    (d / "c" / "e.txt").write_text("Story E\n\nBody of story e, about the river.\n")
    (d / "c" / "d.jsonl").write_text(json.dumps(article(4)) + "\n")
    (d / "b.json").write_text(json.dumps([article(2), article(3)]))
    (d / "a.txt").write_text("Story A\n\nBody of story a, about the harbour.\n")
    for doc in ("README.txt", "README.md", "LICENSE", "LICENSE.txt", "CHANGELOG.txt",
                "notes.md", "data.csv", "c/readme.json"):
        (d / doc).write_text("Not an article\n\nThis file documents the corpus.\n")
    (d / ".hidden" / "x.txt").write_text("Hidden\n\nA hidden story that must be left out.\n")
    (d / ".draft.txt").write_text("Draft\n\nA hidden draft that must be left out.\n")

    rc, res, _ = ingest_json(cli, db, d)
    assert rc == 0
    order = [(Path(i["path"]).relative_to(d).as_posix(), i["line"]) for i in res["inputs"]]
    assert order == [("a.txt", None), ("b.json", 1), ("b.json", 2), ("c/d.jsonl", 1),
                     ("c/e.txt", None)]
    titles = {a.title for a in stored(db).values()}
    assert "Not an article" not in titles and "Hidden" not in titles and "Draft" not in titles
    assert len(titles) == 5

    # a documentation-like file named on the command line is read all the same
    rc, res, _ = ingest_json(cli, db, d / "README.txt")
    assert rc == 0 and res["new"] == 1


def test_directory_without_article_files_is_a_skip(tmp_path, db, cli):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "README.md").write_text("# docs\n")
    rc, res, err = ingest_json(cli, db, d)
    assert rc == 3
    assert res["skipped"] == 1 and str(d) in err


def test_stdin_in_a_real_process(tmp_path, db):
    feed = "".join(json.dumps(article(n)) + "\n" for n in (1, 2))
    proc = subprocess.run([sys.executable, "-m", "newstrace", "ingest", "-", "--db", str(db),
                           "--json"], input=feed, capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["new"] == 2 and res["articles_in_store"] == 2
    assert [(i["path"], i["line"]) for i in res["inputs"]] == [("<stdin>", 1), ("<stdin>", 2)]
    assert {a.title for a in stored(db).values()} == {article(1)["title"], article(2)["title"]}

    text = f"{TITLE}\n\n" + "\n\n".join(PARAS) + "\n"
    proc = subprocess.run([sys.executable, "-m", "newstrace", "ingest", "-", "--db", str(db),
                           "-q"], input=text, capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert TITLE in {a.title for a in stored(db).values()}


def test_json_field_aliases(tmp_path, db, cli):
    recs = [
        {"headline": "Flood waters recede in the valley", "body": "Flood waters receded on "
         "Sunday across the valley, officials said, as residents returned home.",
         "date": "2024-04-02", "source": "Valley Times", "authors": ["Ann Lee", "Bo Chan"],
         "link": "https://valley.example/flood", "guid": "vt-1001", "lang": "en"},
        {"Heading": "Rail strike called off", "Content": "The rail union called off Monday's "
         "strike after a late-night deal with the operator on pay and hours.",
         "Publish_Date": "2024-05-06", "Publisher": {"name": "Rail News"},
         "Byline": "Cara Diaz", "Permalink": "https://rail.example/strike"},
        {"story": "Market reopens after fire\nThe town market reopened on Friday, two months "
         "after a fire destroyed half of its stalls.", "site_name": "Town Crier",
         "creator": [{"name": "Dee Eng"}]},
    ]
    f = write_jsonl(tmp_path / "aliases.jsonl", recs)
    rc, res, _ = ingest_json(cli, db, f)
    assert rc == 0 and res["new"] == 3
    arts = {a.title: a for a in stored(db).values()}
    flood = arts["Flood waters recede in the valley"]
    assert flood.body == recs[0]["body"]
    assert container(flood, "published") == ["2024-04-02"]
    assert container(flood, "outlet") == ["Valley Times"]
    assert container(flood, "author") == ["Ann Lee", "Bo Chan"]
    assert container(flood, "url") == ["https://valley.example/flood"]
    assert container(flood, "external_id") == ["vt-1001"]
    assert container(flood, "language") == ["en"]

    rail = arts["Rail strike called off"]  # field names are matched case-insensitively
    assert rail.body == recs[1]["Content"]
    assert container(rail, "published") == ["2024-05-06"]
    assert container(rail, "outlet") == ["Rail News"]
    assert container(rail, "author") == ["Cara Diaz"]
    assert container(rail, "url") == ["https://rail.example/strike"]

    market = arts["Market reopens after fire"]  # no title field: the first line of the text
    assert market.body == "The town market reopened on Friday, two months after a fire " \
                          "destroyed half of its stalls."
    assert container(market, "outlet") == ["Town Crier"]
    assert container(market, "author") == ["Dee Eng"]


def test_unrelated_metadata_key_does_not_hide_container_fields(tmp_path, db, cli):
    rec = {**article(1), "source": "Daily Bugle", "metadata": {"tags": ["city", "budget"]}}
    rec2 = {**article(2), "source": "Daily Planet", "metadata": ["city", "budget"]}
    rc, res, _ = ingest_json(cli, db, write_jsonl(tmp_path / "m.jsonl", [rec, rec2]))
    assert rc == 0 and res["new"] == 2
    arts = {a.title: a for a in stored(db).values()}
    assert container(arts[rec["title"]], "outlet") == ["Daily Bugle"]
    assert container(arts[rec2["title"]], "outlet") == ["Daily Planet"]


# --------------------------------------------------------------------------------------------
# identity and original text


def test_same_article_from_any_container_has_one_id(tmp_path, db, cli):
    body = "\n\n".join(PARAS)
    txt = tmp_path / "bridge.txt"
    txt.write_text(f"{TITLE}\n\n{body}\n", encoding="utf-8")
    jl = write_jsonl(tmp_path / "feed.jsonl", [article(1), {"title": TITLE, "text": body,
                                                            "outlet": "Coastal Herald"}])
    rc, res, _ = ingest_json(cli, db, txt, jl)
    assert rc == 0
    by_place = {(i["path"], i["line"]): i for i in res["inputs"]}
    assert by_place[(str(txt), None)]["status"] == "new"
    assert by_place[(str(jl), 2)]["status"] == "existing"
    assert by_place[(str(txt), None)]["article_id"] == by_place[(str(jl), 2)]["article_id"]
    assert res["new"] == 2 and res["articles_in_store"] == 2

    # a second run adds nothing and reports every input as already stored
    rc, res2, _ = ingest_json(cli, db, txt, jl)
    assert rc == 0
    assert (res2["new"], res2["existing"], res2["articles_in_store"]) == (0, 3, 2)
    assert {i["status"] for i in res2["inputs"]} == {"existing"}
    with open_store(db, readonly=True) as store:
        aid = by_place[(str(txt), None)]["article_id"]
        assert {(o.path, o.line) for o in store.sightings(aid)} == {(str(txt), None),
                                                                    (str(jl), 2)}


def test_original_text_kept_byte_for_byte(tmp_path, db, cli):
    title = "Minister\u2019s \u201cbold\u201d plan \u2014 critics\u00a0object"
    body = ("\u201cThis is\u00a0not  enough,\u201d said the\u00a0opposition leader \u2013 "
            "who  spoke   first.\n\nThe plan\u2019s cost \u2014 \u20ac2\u00a0billion \u2014 "
            "was  not\u00a0disclosed.\u2026 \ufb01nal figures come later.")
    txt = tmp_path / "typo.txt"
    txt.write_bytes(f"{title}\n\n{body}\n".encode("utf-8"))
    jl = write_jsonl(tmp_path / "typo.jsonl", [{"title": title, "text": body}])
    rc, res, _ = ingest_json(cli, db, txt, jl)
    assert rc == 0 and (res["new"], res["existing"]) == (1, 1)
    [art] = stored(db).values()
    assert art.title == title and art.body == body
    assert art.title.encode("utf-8") == title.encode("utf-8")
    # analysis uses the normalised form
    assert art.norm_title == "Minister's \"bold\" plan - critics object"
    assert art.norm_body == ("\"This is not enough,\" said the opposition leader - who spoke "
                             "first.\n\nThe plan's cost - \u20ac2 billion - was not disclosed."
                             "... final figures come later.")
    for ch in "\u2019\u201c\u201d\u2014\u2013\u00a0\ufb01":
        assert ch not in art.norm_body + art.norm_title
    assert "  " not in art.norm_body


# --------------------------------------------------------------------------------------------
# bad input


def _bad_batch(tmp_path: Path) -> tuple[list[Path], dict[str, str], set[str], int]:
    """Good and bad inputs mixed; returns paths, {bad label: reason words}, good titles, limit."""
    limit = 20_000
    d = tmp_path / "in"
    d.mkdir()
    good_txt = d / "good.txt"
    good_txt.write_text("Good story\n\nThis one is fine and should be stored.\n")
    good_html = d / "good.html"
    good_html.write_text(html_page(), encoding="utf-8")
    feed = d / "feed.jsonl"
    feed.write_text("\n".join([json.dumps(article(1)), json.dumps(article(2)),
                               '{"title": "Broken", "text": "no closing quote}',
                               json.dumps(article(3)), json.dumps(article(4))]) + "\n")

    bad: dict[str, str] = {}
    empty = d / "empty.txt"
    empty.write_bytes(b"")
    bad[str(empty)] = "empty file"
    blank = d / "blank.txt"
    blank.write_bytes(b"  \n\n\t\n")
    bad[str(blank)] = "empty file"
    binary = d / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    bad[str(binary)] = "binary"
    latin = d / "latin1.txt"
    latin_bytes = "Caf\u00e9 story\n\nThe caf\u00e9 reopened.\n".encode("latin-1")
    latin.write_bytes(latin_bytes)
    bad[str(latin)] = f"invalid UTF-8 at byte {latin_bytes.index(0xE9)} (line 1)"
    latin3 = d / "latin1-line3.txt"
    latin3_bytes = "Cafe story\n\nThe caf\u00e9 reopened.\n".encode("latin-1")
    latin3.write_bytes(latin3_bytes)
    bad[str(latin3)] = f"invalid UTF-8 at byte {latin3_bytes.index(0xE9)} (line 3)"
    bad[f"{feed}:3"] = "malformed JSON on line 3"
    nohtml = d / "notfound.html"
    nohtml.write_text("<!DOCTYPE html><html><head><title>Page not found</title></head><body>"
                      "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><h1>404</h1>"
                      "<footer>Copyright 2024</footer></body></html>")
    bad[str(nohtml)] = "no article text found in HTML"
    big = d / "big.txt"
    big.write_text("Big story\n\n" + "All work and no play. " * 2000)
    bad[str(big)] = "over the 20,000-byte limit"
    missing = d / "missing.txt"
    bad[str(missing)] = "no such file or directory"
    fakegz = d / "fake.txt.gz"
    fakegz.write_text("Not compressed\n\nThis text was never gzipped.\n")
    bad[str(fakegz)] = "not gzip"
    truncated = d / "cut.json.gz"
    truncated.write_bytes(gzip.compress(json.dumps([article(n) for n in range(50)])
                                        .encode())[:200])
    bad[str(truncated)] = "truncated gzip"
    bomb = d / "bomb.txt.gz"  # small on disk, over the limit once decompressed
    bomb.write_bytes(gzip.compress(b"Bomb\n\n" + b"zero " * 100_000))
    assert bomb.stat().st_size < limit
    bad[str(bomb)] = "gzip content is over the 20,000-byte limit"
    notext = d / "notext.json"
    notext.write_text(json.dumps([{"title": "A title and nothing else"}]))
    bad[f"{notext}:1"] = "no article text"
    paths = [good_txt, empty, blank, binary, good_html, latin, latin3, feed, nohtml, big,
             missing, fakegz, truncated, bomb, notext]
    if os.geteuid() != 0:  # root reads anything, so only a normal user can test this
        locked = d / "locked.txt"
        locked.write_text("Locked\n\nNobody may read this.\n")
        locked.chmod(0)
        bad[str(locked)] = "cannot read"
        paths.append(locked)
    good = {"Good story", TITLE} | {article(n)["title"] for n in (1, 2, 3, 4)}
    return paths, bad, good, limit


def _skip_lines(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.startswith("newstrace: skipped ")]


def test_bad_inputs_are_skipped_one_line_each_and_the_rest_is_stored(tmp_path, db, cli):
    paths, bad, good, limit = _bad_batch(tmp_path)
    rc, out, err = cli("ingest", *paths, "--db", db, "--max-bytes", limit)
    assert rc == 3
    lines = _skip_lines(err)
    assert len(lines) == len(bad)
    for label, words in bad.items():
        mine = [ln for ln in lines if ln.startswith(f"newstrace: skipped {label}: ")]
        assert len(mine) == 1, (label, lines)
        assert words in mine[0], (label, mine[0])
    assert f"ingested {len(good)} new, 0 already stored, {len(bad)} skipped" in out
    titles = {a.title for a in stored(db).values()}
    assert titles == good  # the good lines before and after the malformed one are stored
    with open_store(db, readonly=True) as store:
        run_skips = store.skips(1)
    assert {s.origin.label() for s in run_skips} == set(bad)


def test_bad_inputs_json_outcomes_show_reasons(tmp_path, db, cli):
    paths, bad, good, limit = _bad_batch(tmp_path)
    rc, res, err = ingest_json(cli, db, *paths, "--max-bytes", limit)
    assert rc == 3
    assert res["skipped"] == len(bad) and res["new"] == len(good)
    skipped = {(f"{i['path']}:{i['line']}" if i["line"] else i["path"]): i["reason"]
               for i in res["inputs"] if i["status"] == "skipped"}
    assert set(skipped) == set(bad)
    for label, words in bad.items():
        assert words in skipped[label]
        assert "\n" not in skipped[label]
    assert all(i["article_id"] is None for i in res["inputs"] if i["status"] == "skipped")
    feed_lines = sorted(i["line"] for i in res["inputs"]
                        if i["path"].endswith("feed.jsonl") and i["status"] == "new")
    assert feed_lines == [1, 2, 4, 5]
    assert len(_skip_lines(err)) == len(bad)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_is_skipped(tmp_path, db, cli):
    locked = tmp_path / "locked.txt"
    locked.write_text("Locked\n\nNobody may read this.\n")
    locked.chmod(0)
    ok = write_jsonl(tmp_path / "ok.jsonl", [article(1)])
    rc, out, err = cli("ingest", locked, ok, "--db", db)
    assert rc == 3
    assert _skip_lines(err) == [f"newstrace: skipped {locked}: cannot read: Permission denied"]
    assert "1 new" in out and "1 skipped" in out


def test_unreadable_file_is_skipped_even_as_root(tmp_path, db, cli, monkeypatch):
    """The same, with the permission error simulated, so that it also runs as root."""
    import builtins

    from newstrace import ingest

    locked = tmp_path / "locked.txt"
    locked.write_text("Locked\n\nNobody may read this.\n")

    def deny(path, *args, **kwargs):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(ingest, "open", deny, raising=False)
    ok = write_jsonl(tmp_path / "ok.jsonl", [article(1)])
    rc, out, err = cli("ingest", locked, ok, "--db", db)
    assert rc == 3
    assert _skip_lines(err) == [f"newstrace: skipped {locked}: cannot read: Permission denied"]
    assert "1 new" in out and "1 skipped" in out


def test_exit_code_zero_when_nothing_skipped(tmp_path, db, cli):
    f = write_jsonl(tmp_path / "ok.jsonl", [article(1), article(2)])
    rc, out, err = cli("ingest", f, "--db", db)
    assert rc == 0
    assert "ingested 2 new, 0 already stored, 0 skipped" in out
    assert _skip_lines(err) == []
    rc, out, _ = cli("ingest", f, "--db", db)
    assert rc == 0 and "ingested 0 new, 2 already stored, 0 skipped" in out


@pytest.mark.parametrize("argv", [["ingest"], ["ingest", "--db", "x.db"], [],
                                  ["ingest", "a.txt", "--no-such-option"],
                                  ["ingest", "a.txt", "--max-bytes", "lots"],
                                  ["export", "--format", "xml"]])
def test_usage_error_exit_code_2(argv, capsys):
    from newstrace.cli import main

    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_usage_error_exit_code_2_in_a_real_process(tmp_path, db):
    proc = subprocess.run([sys.executable, "-m", "newstrace", "ingest", "--db", str(db)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 2
    assert "PATH" in proc.stderr
    assert not db.exists()


def test_truncated_gzip_jsonl_stream_keeps_the_records_before_the_cut(tmp_path, db, cli):
    """JSON Lines are streamed: a cut keeps what came before and names where reading stopped."""
    path = tmp_path / "cut.jsonl.gz"
    data = gzip.compress("".join(json.dumps(article(n)) + "\n" for n in range(400)).encode())
    path.write_bytes(data[: len(data) // 2])
    rc, out, err = cli("ingest", path, "--db", db)
    assert rc == 3
    lines = _skip_lines(err)
    assert len(lines) == 1 and "truncated gzip" in lines[0]
    kept = len(stored(db))
    assert 0 < kept < 400
    assert f"{path}:{kept + 1}:" in lines[0]  # the line where reading stopped


def test_jsonl_size_limit_applies_per_record(tmp_path, db, cli):
    """A JSON Lines feed larger than the limit is read; only an oversized record is skipped."""
    path = tmp_path / "feed.jsonl"
    records = [article(n) for n in range(60)]
    records[10]["text"] += " padding" * 1000
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert path.stat().st_size > 12000
    rc, out, err = cli("ingest", path, "--db", db, "--max-bytes", 6000)
    assert rc == 3
    lines = _skip_lines(err)
    assert len(lines) == 1 and f"{path}:11: record on line 11 is over" in lines[0]
    assert len(stored(db)) == 59


def test_leading_web_address_is_url_metadata_not_the_title(tmp_path, db, cli):
    """Some dumps start each text with the page's address (even tokenised, as in ECB+)."""
    path = tmp_path / "page.txt"
    path.write_text("http: / / www. example. com / news / 2013 / quake /\n"
                    "Quake hits the coast\nA strong earthquake hit the coast on Tuesday.\n",
                    encoding="utf-8")
    rc, out, err = cli("ingest", path, "--db", db)
    assert rc == 0
    (art,) = stored(db).values()
    assert art.title == "Quake hits the coast"
    assert art.body.startswith("http: / / www. example. com")  # nothing of the text is lost
    url = [m for m in art.meta if m.field == "url"]
    assert url and url[0].value == "http://www.example.com/news/2013/quake/"
    assert url[0].source == "text" and art.body[url[0].start:url[0].end] == url[0].evidence


def test_container_dates_are_stored_as_iso_with_their_words() -> None:
    from newstrace.ingest import normalise_published

    assert normalise_published("2021-07-07") == "2021-07-07"
    assert normalise_published("2021-07-07T09:00:00+02:00") == "2021-07-07T07:00:00Z"
    assert normalise_published("Wed, 07 Jul 2021 09:00:00 GMT") == "2021-07-07T09:00:00Z"
    assert normalise_published("1625648400") == normalise_published("1625648400000") \
        == "2021-07-07T09:00:00Z"
    assert normalise_published("July 7, 2021") == "2021-07-07"
    assert normalise_published("Thu, 10 Nov 2011 02:45 PM") == "2011-11-10"  # no AM/PM misread
    assert normalise_published("yesterday <b>") is None
    assert normalise_published("99999999999999") is None


def test_a_date_that_is_no_date_is_kept_apart(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in (
        {"title": "One", "text": "First body of words here.", "published": "Wed, 07 Jul 2021 09:00:00 GMT"},
        {"title": "Two", "text": "Second body of words here.", "published": "yesterday <b>"},
    )) + "\n", encoding="utf-8")
    from newstrace.ingest import build_article, read_source

    arts = [build_article(r) for r in read_source(str(src), 10_000_000)]
    one, two = arts
    pub = [m for m in one.meta if m.field == "published"]
    assert [(m.value, m.evidence) for m in pub] == [
        ("2021-07-07T09:00:00Z", "field 'published': Wed, 07 Jul 2021 09:00:00 GMT")]
    assert two.first("published") is None
    assert two.first("published_unparsed") == "yesterday <b>"
