"""The local web app (``newstrace.serve``): pages, JSON API, ingest over HTTP, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="fastapi is not installed (the 'serve' extra)")
pytest.importorskip("httpx", reason="httpx is not installed (needed by FastAPI's TestClient)")
pytest.importorskip("multipart", reason="python-multipart is not installed (the 'serve' extra)")

import warnings  # noqa: E402

with warnings.catch_warnings():  # starlette's TestClient warns about httpx on import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from newstrace import pipeline  # noqa: E402
from newstrace.serve import CSP, create_app  # noqa: E402
from newstrace.store import open_store  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEED_000 = "examples/seeds/000_4939783a04e9bdd2.txt"
SEED_003 = "examples/seeds/003_8eb8f662f504325c.txt"
REPRINT = "examples/reprints/daily-reprint-network.html"
TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, build_examples
          ) -> tuple[Path, dict[str, str]]:
    db = tmp_path_factory.mktemp("serve") / "newstrace.db"
    return db, build_examples(db)


@pytest.fixture(scope="module")
def client(built) -> TestClient:
    return TestClient(create_app(str(built[0]), TOKEN))


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[TestClient, Path]:
    """A client over its own small store (for tests that write)."""
    db = tmp_path / "w.db"
    with open_store(db) as store:
        pipeline.ingest(store, [str(EXAMPLES / "seeds")])
    return TestClient(create_app(str(db), TOKEN, max_upload_bytes=20_000)), db


def _count(db: Path) -> int:
    with open_store(db, readonly=True) as store:
        return store.count_articles()


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = _Elements()
    p.feed(html)
    return p.tags


def test_overview_counts(client, built):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP
    data = client.get("/api/overview").json()
    c = data["counts"]
    assert c["articles"] == 64
    assert c["events"] >= 3 and c["copy_groups"] >= 1 and c["conflicts"] >= 1
    assert {"spun_articles", "reuse_links"} <= set(c)
    for key in ("articles", "events", "copy_groups", "spun_articles", "conflicts"):
        assert f'id="n-{key.replace("_articles", "").replace("_", "-")}">{c[key]}<' in r.text
    sizes = [e["size"] for e in data["events"]]
    assert sizes == sorted(sizes, reverse=True)
    for e in data["events"]:
        assert f'href="/events/{e["id"]}"' in r.text
    assert "Reuters" in {o["outlet"] for o in data["outlets"]}


def test_seed_event_page(client, built):
    _, ids = built
    art = client.get(f"/api/articles/{ids[SEED_000]}").json()
    eid = art["event"]
    assert eid and eid == client.get(f"/api/articles/{ids[SEED_003]}").json()["event"]
    r = client.get(f"/events/{eid}")
    assert r.status_code == 200
    assert f'/articles/{ids[SEED_000]}"' in r.text and f'/articles/{ids[SEED_003]}"' in r.text
    assert "Qala i Naw" in r.text and "34.9873" in r.text
    assert 'class="conflict"' in r.text and "escaped / prisoner" in r.text
    data = client.get(f"/api/events/{eid}").json()
    assert {s["id"] for s in data["sources"]} == {ids[SEED_000], ids[SEED_003]}
    assert data["summary"] == "2 origins, 0 reprints"
    conflict = [f for f in data["facts"] if f["key"] == ["escaped", "prisoner"]]
    assert conflict and conflict[0]["status"] == "conflict"
    assert data["quotes"] and all(q["speaker"] for q in data["quotes"])


def test_event_with_copies_folds_them(client):
    events = client.get("/api/events").json()
    folded = []
    for e in events:
        d = client.get(f"/api/events/{e['id']}").json()
        folded += [(d, s) for s in d["sources"] if s["copies"]]
    assert folded
    d, s = folded[0]
    html = client.get(f"/events/{d['id']}").text
    assert f"1 origin, {len(s['copies'])} reprint" in html
    assert f'/copies/{s["copies"][0]["id"]}/{s["id"]}"' in html


def test_spin_evidence_on_article_page(client, built):
    _, ids = built
    aid = ids[SEED_003]
    data = client.get(f"/api/articles/{aid}").json()
    evidence = data["spin"]["evidence"]
    assert evidence
    r = client.get(f"/articles/{aid}")
    assert r.status_code == 200
    marks = [a for t, a in _elements(r.text) if t == "mark" and a.get("class") == "spin"]
    assert len(marks) == len(evidence)
    assert f">{evidence[0]['phrase']}</mark>" in r.text
    assert "Kabul, Afghanistan" in r.text  # metadata with its provenance
    assert '<span class="tag text">text</span>' in r.text


def test_article_text_marks_facts_and_cells_link_to_them(client, built):
    """Seed 000's text marks its counts, quotes and claims; the escaped prisoners, which 003
    contradicts, are framed as a conflict; the event's fact-table cell links to that mark."""
    _, ids = built
    aid = ids[SEED_000]
    page = client.get(f"/articles/{aid}").text
    tags = _elements(page)
    kinds = {c for t, a in tags if t == "mark" and (c := a.get("class") or "").startswith("fact")}
    assert {"fact count conflict", "fact quote"} <= kinds
    assert any(k.startswith("fact claim") for k in kinds)
    # 000 does not read as spun: its weak signs are listed apart, not marked in the text
    assert not [a for t, a in tags if t == "mark" and a.get("class") == "spin"]
    assert '<details class="weak-spin">' in page
    eid = client.get(f"/api/articles/{aid}").json()["event"]
    event = client.get(f"/events/{eid}").text
    links = re.findall(rf'href="/articles/{aid}#(f-{aid}-\d+)">“More than 200”', event)
    assert len(links) == 1
    anchors = {a.get("id") for t, a in tags if t == "span" and a.get("class") == "anchor"}
    assert links[0] in anchors
    i = page.index(f'id="{links[0]}"')
    after = page[i:i + 400]  # the count may sit inside the quotation's mark
    assert ('<mark class="fact count conflict" title="count: escaped / prisoner (conflict)">'
            'More than 200</mark>') in after


def test_copy_view_of_planted_reprint(client, built):
    _, ids = built
    rid = ids[REPRINT]
    art = client.get(f"/api/articles/{rid}").json()
    views = [s["copy_view"] for s in art["provenance"]["sources"]] + \
        [c["copy_view"] for c in art["copies"]]
    assert views
    link = views[0]
    page = client.get(f"/articles/{rid}").text
    assert f'href="{link}"' in page
    r = client.get(link)
    assert r.status_code == 200
    copy_id, source_id = link.split("/")[2:4]
    assert f'href="/articles/{copy_id}"' in r.text and f'href="/articles/{source_id}"' in r.text
    assert "Israel" in r.text and 'class="side"' in r.text
    data = client.get("/api" + link).json()
    assert data["copy"] == copy_id and data["source"] == source_id
    assert data["features"]["copy_coverage"] > 0.5 and data["pairs"]
    assert client.get(f"/copies/{source_id}/{source_id}").status_code == 404


def test_search(client, built):
    _, ids = built
    r = client.get("/search", params={"q": "Badghis prison"})
    assert r.status_code == 200
    assert f'/articles/{ids[SEED_000]}"' in r.text
    data = client.get("/api/search", params={"q": "badghis"}).json()
    assert ids[SEED_000] in {a["id"] for a in data["articles"]}
    places = client.get("/api/search", params={"place": "Badghis"}).json()
    assert places["events"] and ids[SEED_003] in {a["id"] for a in places["articles"]}
    assert client.get("/api/search", params={"q": "zzqxnotaword"}).json()["articles"] == []
    near = client.get("/api/search", params={"relation": "near_copy"}).json()["articles"]
    assert near


def test_unknown_ids_404(client):
    for path in ("/events/evt_0000000000000000", "/articles/art_0000000000000000",
                 "/articles/../../etc/passwd", "/copies/art_00000000/art_11111111"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "text/html" in r.headers["content-type"]
        assert "Not found" in r.text
    r = client.get("/api/articles/art_0000000000000000")
    assert r.status_code == 404 and "no article" in r.json()["detail"]


def test_openapi_lists_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/overview", "/api/events", "/api/events/{event_id}",
              "/api/articles/{article_id}", "/api/search", "/api/articles"):
        assert p in paths, p
    assert "post" in paths["/api/articles"]


HOSTILE_TITLE = "Breaking <script>alert(1)</script> news"
HOSTILE_BODY = ("The mayor said <img src=x onerror=alert(1)> on Tuesday that the bridge "
                "would reopen. <a href=\"javascript:alert(1)\">details</a> "
                "<script>document.cookie</script> Officials in Springfield confirmed the plan "
                "and said repairs had cost more than 2 million dollars.")


def test_hostile_content_is_escaped(fresh):
    client, db = fresh
    r = client.post("/api/articles", headers=AUTH,
                    json={"title": HOSTILE_TITLE, "text": HOSTILE_BODY,
                          "outlet": "<b onmouseover=alert(1)>Evil</b>",
                          "author": "<script>x()</script>",
                          "url": "javascript:alert(1)"})
    assert r.status_code == 201, r.text
    aid = r.json()["articles"][0]["id"]
    assert r.json()["new"] == 1 and _count(db) == 3
    pages = [f"/articles/{aid}", "/", "/search?q=bridge",
             "/search?q=" + "<script>alert(1)</script>", "/search?outlet=Evil"]
    event = client.get(f"/api/articles/{aid}").json()["event"]
    if event:
        pages.append(f"/events/{event}")
    for path in pages:
        r = client.get(path)
        assert r.status_code == 200, path
        tags = _elements(r.text)
        assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object")], path
        for tag, attrs in tags:
            assert not [k for k in attrs if k.startswith("on")], (path, tag, attrs)
            for k in ("href", "src", "action"):
                v = attrs.get(k)
                assert v is None or v.startswith("/"), (path, tag, attrs)
    html = client.get(f"/articles/{aid}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x " in html  # ("onerror" may be marked as spin evidence)
    assert "javascript:alert(1)" in html  # shown as text, never as a link


def test_ingest_needs_token(fresh):
    client, db = fresh
    art = {"title": "Bridge reopens", "text": "The bridge reopened on Tuesday after repairs."}
    assert client.post("/api/articles", json=art).status_code == 401
    r = client.post("/api/articles", json=art, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    assert client.post("/api/articles", json=art,
                       headers={"Authorization": TOKEN}).status_code == 401
    assert _count(db) == 2


def test_ingest_rejects_bad_input_and_stores_nothing(fresh):
    client, db = fresh
    too_big = {"title": "Big", "text": "word " * 10_000}
    assert client.post("/api/articles", json=too_big, headers=AUTH).status_code == 413
    r = client.post("/api/articles", content=b'{"title": "x", "text": ',
                    headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 400 and "malformed JSON" in r.json()["detail"]
    r = client.post("/api/articles", json={"title": "no text here"}, headers=AUTH)
    assert r.status_code == 422 and "no text" in r.json()["problems"][0]
    r = client.post("/api/articles", headers=AUTH,
                    json=[{"title": "good", "text": "A fine article about a bridge."},
                          {"title": "bad", "text": "   "}])
    assert r.status_code == 422
    assert client.post("/api/articles", json=[], headers=AUTH).status_code == 422
    r = client.post("/api/articles", headers=AUTH,
                    files={"file": ("big.txt", b"Title\n" + b"word " * 10_000, "text/plain")})
    assert r.status_code == 413
    r = client.post("/api/articles", headers=AUTH,
                    files={"file": ("feed.jsonl", b'{"text": "fine article body here"}\n{bad\n',
                                    "application/octet-stream")})
    assert r.status_code == 422, r.text
    r = client.post("/api/articles", headers=AUTH,
                    files={"file": ("x.exe", b"MZ\x00\x00", "application/octet-stream")})
    assert r.status_code == 415
    r = client.post("/api/articles", content=b"hello", headers={**AUTH, "Content-Type": "text/plain"})
    assert r.status_code == 415
    assert _count(db) == 2


def test_ingest_file_upload_updates_pages(fresh):
    client, db = fresh
    data = (EXAMPLES / "reprints" / "daily-reprint-network.html").read_bytes()
    r = client.post("/api/articles", headers=AUTH,
                    files={"file": ("daily-reprint-network.html", data, "text/html")})
    assert r.status_code == 201, r.text
    aid = r.json()["articles"][0]["id"]
    assert _count(db) == 3
    assert client.get(f"/articles/{aid}").status_code == 200
    assert client.get("/api/overview").json()["counts"]["articles"] == 3
    shown = client.get(f"/api/articles/{aid}").json()
    assert shown["event"]
    # recorded under the uploaded file's name, not the server's temporary file
    assert [p["path"] for p in shown["paths"]] == ["api-upload:daily-reprint-network.html"]
    r = client.post("/api/articles", headers=AUTH,
                    files={"file": ("again.html", data, "text/html")})
    assert r.status_code == 200 and r.json()["existing"] == 1


# -- map, timeline and the templates shared with report.html ---------------------------------

def test_overview_draws_map_timeline_and_outlets(client, built):
    _, ids = built
    html = client.get("/").text
    eid = client.get(f"/api/articles/{ids[SEED_000]}").json()["event"]
    assert html.count('<svg class="map"') == 1 and html.count('<svg class="timeline"') == 1
    assert 'data-name="Afghanistan"' in html
    assert f'<a href="/events/{eid}"><circle class="place"' in html  # its dot links to it
    assert 'class="bars"' in html and 'href="/search?outlet=Reuters"' in html
    assert "http://" not in html.replace('http-equiv', '')  # nothing from elsewhere


def test_event_page_map_highlights_the_country(client, built):
    _, ids = built
    eid = client.get(f"/api/articles/{ids[SEED_000]}").json()["event"]
    html = client.get(f"/events/{eid}").text
    assert 'data-country="Afghanistan"' in html
    here = re.findall(r'<path class="country here" data-name="([^"]+)"', html)
    assert here == ["Afghanistan"]


def _fragment(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i:html.index(end, i) + len(end)]


def test_report_and_app_share_templates(client, built, tmp_path):
    """The same partials draw the seeds' event in report.html and on the event page: the
    fact table and the event card are the same HTML but for where links point."""
    from newstrace import report

    db, ids = built
    eid = client.get(f"/api/articles/{ids[SEED_000]}").json()["event"]
    app_html = client.get(f"/events/{eid}").text
    with open_store(db, readonly=True) as store:
        _, path = report.write(report.build(store), tmp_path)
    rep_html = path.read_text(encoding="utf-8")
    section = _fragment(rep_html, f'<details class="event" id="{eid}">', "</details>")

    def local(html: str) -> str:
        html = re.sub(r'href="/articles/[^"#]+#', 'href="#', html)  # a fact's sentence
        return re.sub(r'href="/(articles|events)/', 'href="#', html)

    for start, end in (('<table class="facts">', "</table>"),
                       ('<div class="event-card">', "</figure>")):
        assert local(_fragment(app_html, start, end)) == _fragment(section, start, end)
    assert 'class="conflict"' in section and 'data-country="Afghanistan"' in section


# -- speed: connections, cache, search limits ------------------------------------------------

def test_page_cache_lru_and_versions():
    from newstrace.serve import PageCache

    cache = PageCache(max_bytes=800)
    item = (200, [], b"x" * 90)
    for i in range(10):
        cache.put(1, f"/p{i}".encode(), item) if cache.get(1, f"/p{i}".encode()) is None \
            else None
    assert cache.get(1, b"/p0") is None  # the oldest went first
    assert cache.get(1, b"/p9") == item
    cache.put(1, b"/big", (200, [], b"y" * 200))  # over an eighth of the cache: not kept
    assert cache.get(1, b"/big") is None
    assert cache.get(2, b"/p9") is None  # a new store version starts afresh
    cache.put(1, b"/stale", item)  # worked out from an older version: dropped
    assert cache.get(2, b"/stale") is None


def test_pages_follow_writes_from_elsewhere(fresh, monkeypatch):
    """A page is served from the cache until the store changes, also when another process
    (here: another connection) writes to it."""
    import newstrace.serve as serve_mod

    monkeypatch.setattr(serve_mod, "PROBE_EVERY", 0.0)
    client, db = fresh
    first = client.get("/api/overview").json()["counts"]["articles"]
    again = client.get("/")
    assert client.get("/").content == again.content
    cache = client.app.state.cache
    hits = cache.hits
    client.get("/")
    assert cache.hits == hits + 1
    with open_store(db) as store:  # not through the app
        pipeline.ingest(store, [str(EXAMPLES / "reprints")])
    assert client.get("/api/overview").json()["counts"]["articles"] > first
    assert f'id="n-articles">{_count(db)}<' in client.get("/").text


def test_search_limits_and_place(client, built):
    _, ids = built
    full = client.get("/api/search", params={"q": "the"}).json()
    assert len(full["articles"]) <= 200
    few = client.get("/api/search", params={"q": "the", "limit": 3}).json()
    assert len(few["articles"]) == 3 and few["truncated"]
    assert client.get("/api/search", params={"q": "the", "limit": 0}).status_code == 422
    html = client.get("/search", params={"q": "the"}).text
    assert html.count("<tr><td><a href=\"/articles/") <= 50
    place = client.get("/api/search", params={"place": "qala i naw"}).json()
    assert [e["where"]["name"] for e in place["events"]] == ["Qala i Naw"]
    assert {ids[SEED_000], ids[SEED_003]} <= {a["id"] for a in place["articles"]}
    both = client.get("/api/search", params={"q": "prisoners", "place": "Badghis",
                                             "from": "2000", "to": "2100"}).json()
    assert all((a["published"] or "") >= "2000" for a in both["articles"])
    ev = client.get("/api/search", params={"q": "Taliban capital"}).json()["events"]
    assert ev and all("taliban" in e["headline"].casefold() for e in ev)


def test_concurrent_reads_use_their_own_connections(client, built):
    from concurrent.futures import ThreadPoolExecutor

    _, ids = built
    client.app.state.cache.max_bytes = 0  # work every page out afresh
    client.app.state.cache.clear()
    paths = [f"/articles/{ids[k]}" for k in (SEED_000, SEED_003, REPRINT)] * 8
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda p: client.get(p), paths))
    assert all(r.status_code == 200 for r in results)
    for p, r in zip(paths, results):
        assert r.text == results[paths.index(p)].text
    client.app.state.cache.max_bytes = 64 << 20


def test_x_cache_header_says_hit_or_miss(built):
    c = TestClient(create_app(str(built[0]), TOKEN))
    first, second = c.get("/"), c.get("/")
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert first.text == second.text
    assert second.headers["content-security-policy"] == CSP
    off = TestClient(create_app(str(built[0]), TOKEN, cache_bytes=0))
    assert [off.get("/").headers["x-cache"] for _ in range(2)] == ["miss", "miss"]


def test_reuse_relations_are_the_links_without_evidence(built):
    with open_store(built[0], readonly=True) as store:
        links = store.reuse_links()
        assert links
        assert store.reuse_relations() == [(x.copy, x.source, x.relation) for x in links]


def test_filtered_search_keeps_the_best_ranked_hits(built):
    """Filters read the ranked hits in batches; the answer is the first ``limit`` hits that
    pass, as if every hit had been read."""
    from newstrace.serve import Reader, search_data

    reader = Reader(str(built[0]))
    try:
        store, cat = reader.store(), reader.catalogue()
        every = store.search_ids(["the"], limit=1_000_000)
        outlets = {a.id: [o.casefold() for o in a.values("outlet")]
                   for a in store.iter_articles(every)}
        outlet = next(o for os_ in outlets.values() for o in os_)
        for limit in (1, 2, 5, 200):
            want = [a for a in every if any(outlet in o for o in outlets[a])][:limit]
            got = search_data(store, cat, q="the", outlet=outlet, limit=limit)
            assert {a["id"] for a in got["articles"]} == set(want)
        rel = search_data(store, cat, relation="near_copy")["articles"]
        copies = {c for c, _, r in store.reuse_relations() if r == "near_copy"}
        assert rel and {a["id"] for a in rel} <= copies
    finally:
        reader.close()


def test_app_from_env_needs_the_store_and_token(monkeypatch):
    from newstrace.serve import ENV_DB, ENV_TOKEN, app_from_env

    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.delenv(ENV_TOKEN, raising=False)
    with pytest.raises(RuntimeError, match=ENV_DB):
        app_from_env()


def test_serve_with_two_workers_shares_the_token(fresh):
    """``newstrace serve --workers 2``: both worker processes answer pages and accept the
    printed token (a wrong one gets 403 from whichever worker answers)."""
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    _, db = fresh
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "newstrace", "serve", "--db", str(db),
                             "--port", str(port), "--workers", "2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        token = None
        while token is None:
            line = proc.stdout.readline()
            assert line, "serve exited before printing its token"
            if "upload token" in line:
                token = line.rsplit(": ", 1)[1].strip()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(base + "/api/events", timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve did not answer within 90 s"
            time.sleep(0.3)
        for _ in range(8):  # new connections: the kernel spreads them over the workers
            assert httpx.get(base + "/").status_code == 200
            wrong = httpx.post(base + "/api/articles", content=b"{",
                               headers={"Authorization": "Bearer nope",
                                        "Content-Type": "application/json"})
            assert wrong.status_code == 403
            right = httpx.post(base + "/api/articles", content=b"{",
                               headers={"Authorization": f"Bearer {token}",
                                        "Content-Type": "application/json"})
            assert right.status_code == 400  # past the token: the body is malformed
    finally:
        proc.terminate()
        proc.wait(30)


def test_search_results_same_with_or_without_the_article_index(built):
    """Results take titles and dates from the article index once a filter has built it, from
    whole articles before: the same answer either way."""
    from newstrace.serve import Reader, search_data

    reader = Reader(str(built[0]))
    try:
        store, cat = reader.store(), reader.catalogue()
        asks = [{"q": "the"}, {"relation": "near_copy"}, {"place": "Badghis"}]
        before = [search_data(store, cat, **a) for a in asks]
        assert "index" not in cat.lazy  # none of these needed it
        search_data(store, cat, outlet="x")  # builds it
        assert "index" in cat.lazy
        assert [search_data(store, cat, **a) for a in asks] == before
        assert all(r["articles"] for r in before)
    finally:
        reader.close()


def test_a_loopback_server_answers_only_to_local_host_names(built):
    """Bound to loopback, the app refuses requests naming another host (a DNS-rebinding page
    would send its own name) and serves localhost, 127.0.0.1 and [::1] on any port."""
    c = TestClient(create_app(str(built[0]), TOKEN, local_only=True))
    for host in ("localhost", "127.0.0.1:8000", "[::1]:8123", "LOCALHOST:1"):
        assert c.get("/api/overview", headers={"host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""):
        r = c.get("/api/overview", headers={"host": host})
        assert r.status_code == 421 and "localhost" in r.text, host
    # bound elsewhere (--host 0.0.0.0), the app does not check
    assert TestClient(create_app(str(built[0]), TOKEN)).get(
        "/api/overview", headers={"host": "newsroom.example"}).status_code == 200
