"""A local web app over a store: HTML pages and a JSON API (``newstrace serve``).

Pages and API read the store through one read-only SQLite connection per worker thread (WAL
lets them read while an ingest writes); ``POST /api/articles`` ingests articles (token
required) and reruns the analyses so the pages are up to date. The pages are drawn from the
same templates as ``report.html`` (``templates/macros.html.j2``), with links to pages instead of
anchors. Every piece of article text and metadata is escaped (Jinja2 with autoescape on), pages
link only to internal paths and load nothing from outside; a Content-Security-Policy header says
so to the browser too.

Speed: every successful GET is kept, rendered, in a byte-bounded LRU keyed by the store's
change counter (SQLite's ``PRAGMA data_version``, which moves whenever any connection, in this
process or another, commits), so a repeated page costs a dictionary lookup; an ingest through
the API invalidates it at once, an ``analyze`` run elsewhere within ``PROBE_EVERY`` seconds. What several pages need from the whole store (event
summaries, the overview, the article -> copy-group map) is worked out once per change, not per
request; search goes through the full-text index with a LIMIT. Every GET answer says
``X-Cache: hit`` or ``miss`` (what ``bench/serve.py`` counts). ``run(workers=N)`` serves with N
uvicorn worker processes (a process renders on one core), each with its own catalogue and page
cache; they share the store, the token and the limits through the environment.

Needs the ``serve`` extra: ``pip install 'newstrace[serve]'`` (fastapi, uvicorn,
python-multipart; httptools and uvloop, which uvicorn uses when installed).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import tempfile
import threading
import time
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .config import Config
from .ingest import FIELD_ALIASES, read_source
from .report import (CONFLICT, article_record, copy_rows, event_facts, event_map,
                     event_summary, event_view, events_timeline, events_world_map, fact_anchor,
                     fact_marks, own_fact_rows, provenance_records, reuse_record, template_env,
                     text_pieces)
from .store import open_store
from .store.base import Store
from .timeline import bars

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY")]
# X-Cache on GET answers: the bench counts hits without asking the server for statistics
CACHE_HIT, CACHE_MISS = [(b"x-cache", b"hit")], [(b"x-cache", b"miss")]
ID_RE = re.compile(r"^(art|evt)_[0-9a-f]{4,32}$")
UPLOAD_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".shtml", ".json",
                   ".jsonl", ".ndjson", ".jsonlines")
MAX_RESULTS = 200
MAX_EVENT_RESULTS = 200
OVERVIEW_ROWS = 300
CACHE_BYTES = 64 * 1024 * 1024
PROBE_EVERY = 0.5  # seconds between looks at the store's change counter
WORD_RE = re.compile(r"\w+")
SAFE_RE = re.compile(r"^[A-Za-z0-9_.-]*$")  # needs no percent-encoding in a path
PAGE_RESULTS = 50  # articles on a search page (the API gives up to MAX_RESULTS)
RELATIONS = ["", "verbatim", "near_copy", "spun", "paraphrase", "partial"]


def _q(part: str) -> str:
    return part if SAFE_RE.match(part) else quote(part, safe="")


def app_url(kind: str, ident: str, other: Any = None) -> str | None:
    """Where the web app shows an article, event, copy view, place or outlet."""
    if kind == "article":
        return f"/articles/{_q(ident)}"
    if kind == "event":
        return f"/events/{_q(ident)}"
    if kind == "copy" and other:
        return f"/copies/{_q(ident)}/{_q(other)}"
    if kind == "fact" and other is not None:
        return f"/articles/{_q(ident)}#{fact_anchor(ident, int(other))}"
    if kind in ("place", "outlet"):
        return f"/search?{kind}={quote(ident, safe='')}"
    return None  # copy groups have no page of their own


# -- what several pages need from the whole store, worked out once per store version --------

@dataclass
class Catalogue:
    """Whole-store view data for one version of the store."""

    version: int
    overview: dict[str, Any]
    events: list[dict[str, Any]]  # summaries, largest first
    event_text: dict[str, tuple[str, str]]  # event id -> (headline + place, place), casefolded
    event_words: dict[str, list[int]]  # word of a headline or place -> positions in events
    members: dict[str, list[str]]  # event id -> its article ids
    cluster_of: dict[str, str]  # article id -> copy group id
    lazy: dict[str, Any] = field(default_factory=dict)  # built on first use (search filters)

    def places(self) -> dict[str, list[int]]:
        """Distinct place texts (casefolded) -> positions in ``events``: a place search scans
        a few hundred places, not every event."""
        out = self.lazy.get("places")
        if out is None:
            groups: dict[str, list[int]] = defaultdict(list)
            for i, e in enumerate(self.events):
                groups[self.event_text[e["id"]][1]].append(i)
            out = self.lazy["places"] = dict(groups)
        return out


def build_catalogue(store: Store, version: int) -> Catalogue:
    """Counts, the events by size (with their date, place and conflicts) and the outlets."""
    summaries = []
    text = {}
    for card in store.events():
        facts = event_facts(store, card) if len(card.get("articles", [])) > 1 else []
        summaries.append(event_summary(card, sum(f["status"] in CONFLICT for f in facts)))
        w = card.get("where") or {}
        place = " ".join(str(w.get(k) or "") for k in ("name", "province", "country"))
        text[card["id"]] = ((str(card.get("headline") or "") + " " + place).casefold(),
                            place.casefold())
    summaries.sort(key=lambda e: (-e["size"], e["date"] or "~", e["id"]))
    words: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(summaries):
        for w in sorted(set(WORD_RE.findall(text[e["id"]][0]))):
            words[w].append(i)
    members: dict[str, list[str]] = defaultdict(list)
    for aid, eid in store.event_of().items():
        members[eid].append(aid)
    clusters = store.copy_clusters()
    outlets: dict[str, int] = defaultdict(int)
    for outlet, n in store.outlets():
        outlets[outlet or "(unknown)"] += n
    overview = {
        "counts": {
            "articles": store.count_articles(),
            "events": len(summaries),
            "copy_groups": len(clusters),
            "reuse_links": store.count_reuse_links(),
            "spun_articles": store.count_spun(),
            "conflicts": sum(e["conflicts"] for e in summaries),
        },
        "events": summaries,
        "outlets": [{"outlet": o, "articles": n}
                    for o, n in sorted(outlets.items(), key=lambda x: (-x[1], x[0]))],
    }
    return Catalogue(version, overview, summaries, text, dict(words), dict(members),
                     {m: c.id for c in clusters for m in c.members})


def overview_data(store: Store) -> dict[str, Any]:
    """Counts, the events by size (with their date) and the outlets."""
    return build_catalogue(store, 0).overview


def event_data(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event's card with its sources in order of first publication (copies folded under
    their origin), its facts (conflicts first) and its quotations grouped by speaker."""
    card = store.event(event_id)
    if card is None or card["id"] != event_id:  # pages address events by their full id
        return None
    return event_view(card, event_facts(store, card))


def article_data(store: Store, article_id: str, cluster_of: dict[str, str] | None = None,
                 index: dict[str, tuple[str, tuple[str, ...], str]] | None = None
                 ) -> dict[str, Any] | None:
    """One article as in the report (metadata with provenance, sources, copies, spin, event);
    the titles of its sources and copies from ``index`` (see :func:`_article_index`) when
    given, else from the store."""
    art = store.get_article(article_id)
    if art is None:
        return None
    links = store.reuse_links(article_id)
    prov = provenance_records(links).get(article_id)
    spin = store.spin_reports([article_id]).get(article_id)
    if cluster_of is None:
        cluster_of = {m: c.id for c in store.copy_clusters() for m in c.members}
    paths = [{"path": o.path, "line": o.line} for o in store.sightings(article_id)]
    rec = article_record(art, paths, cluster_of.get(article_id), prov, spin)
    rec["event"] = store.event_id_of(article_id)
    ids = {s["id"] for s in rec["provenance"]["sources"]} | set(rec["provenance"]["copies"])
    titles = {i: index[i][0] for i in ids if i in index} if index is not None else \
        {a.id: a.title for a in store.iter_articles(sorted(ids))}
    for s in rec["provenance"]["sources"]:
        s["title"] = titles.get(s["id"], "")
        s["copy_view"] = app_url("copy", article_id, s["id"])
    rec["copies"] = [{"id": c, "title": titles.get(c, ""),
                      "relation": next((x.relation for x in links
                                        if x.copy == c and x.source == article_id), None),
                      "copy_view": app_url("copy", c, article_id)}
                     for c in rec["provenance"]["copies"]]
    return rec


def article_facts(store: Store, a: dict[str, Any]) -> list[dict[str, Any]]:
    """The marks of an article's counts, quotes and claims: from the facts its event stores
    (lined up across the sources, so a conflict shows), else read from its own text."""
    card = store.event(a["event"]) if a.get("event") else None
    if card and len(card.get("articles", [])) > 1:
        rows = event_facts(store, card)  # every source's facts, this one's among them
    elif card and card.get("facts"):
        rows = card["facts"]  # stored by analyze for an event of one article
    else:
        rows = own_fact_rows(a["id"], a.get("title") or "", a["text"])
    return fact_marks(rows, a["id"])


def copy_data(store: Store, copy_id: str, source_id: str) -> dict[str, Any] | None:
    """The stored reuse link ``copy_id`` <- ``source_id`` with its evidence and texts."""
    link = next((x for x in store.reuse_links(copy_id)
                 if x.copy == copy_id and x.source == source_id), None)
    if link is None:
        return None
    arts = {a.id: a for a in store.iter_articles([copy_id, source_id])}
    rec = reuse_record(link, {i: a.body for i, a in arts.items()})
    rec["source_title"] = arts[source_id].title if source_id in arts else ""
    rec["copy_title"] = arts[copy_id].title if copy_id in arts else ""
    return rec


def _article_index(store: Store) -> dict[str, tuple[str, tuple[str, ...], str]]:
    """id -> (title, outlets, published) of every article: what date and outlet filters read."""
    return {a.id: (a.title, tuple(a.values("outlet")), a.first("published") or "")
            for a in store.iter_articles()}


def _relations(store: Store) -> dict[str, set[str]]:
    """copy id -> the relations of its reuse links (for the relation filter); reads only the
    relation column, not every link's evidence (4 s on a 20,000-article store)."""
    out: dict[str, set[str]] = defaultdict(set)
    for copy, _source, relation in store.reuse_relations():
        out[copy].add(relation)
    return dict(out)


def _unique(*parts: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for part in parts:
        for x in part:
            if x not in seen:
                seen.add(x)
                yield x


def _ranked_hits(store: Store, terms: list[str], first: int) -> Iterator[str]:
    """Every full-text hit of ``terms`` in rank order, read in up to three batches
    (``first``, four times as many, then all): a filtered search usually stops after the
    first, instead of ranking and reading every hit of a common word."""
    seen: set[str] = set()
    size = max(1, first)
    while True:
        batch = store.search_ids(terms, limit=size)
        for aid in batch:  # equal ranks may come in another order in a longer batch
            if aid not in seen:
                seen.add(aid)
                yield aid
        if len(batch) < size:
            return
        size = size * 4 if size < 4 * first else 1_000_000_000  # then every hit


def _lazy(cat: Catalogue, name: str, build: Callable[[], Any], lock: threading.Lock) -> Any:
    if name not in cat.lazy:
        with lock:
            if name not in cat.lazy:
                cat.lazy[name] = build()
    return cat.lazy[name]


def search_data(store: Store, cat: Catalogue, q: str = "", place: str = "", outlet: str = "",
                date_from: str = "", date_to: str = "", relation: str = "",
                lock: threading.Lock | None = None, limit: int = MAX_RESULTS
                ) -> dict[str, Any]:
    """Articles holding every word of ``q`` (the full-text index: whole words, any case or
    accent) that match the filters, and events whose headline or place match. ``place``
    keeps articles that name the place or report an event there."""
    lock = lock or threading.Lock()
    terms = WORD_RE.findall(q.casefold())
    place_cf, outlet_cf = place.strip().casefold(), outlet.strip().casefold()
    place_terms = WORD_RE.findall(place_cf)
    place_events = [cat.events[i] for i in sorted(
        i for text, pos in cat.places().items() if place_cf in text for i in pos)] \
        if place_cf else []
    if place_cf:
        events = place_events
    elif terms:  # whole words of the headline or place, as the full-text index matches
        hits = set(cat.event_words.get(terms[0], ()))
        for t in terms[1:]:
            hits &= set(cat.event_words.get(t, ()))
        events = [cat.events[i] for i in sorted(hits)]
    else:
        events = []
    events = events[:MAX_EVENT_RESULTS]
    filtered = bool(terms or place_cf or outlet_cf or date_from or date_to or relation)
    articles: list[dict[str, Any]] = []
    truncated = False
    if filtered:
        meta_filters = bool(outlet_cf or date_from or date_to or relation or place_cf)
        # whole words through the full-text index, ranked; without other filters the first
        # ``limit`` hits are the answer, else the filters run over the hits in rank order
        # until ``limit`` are kept
        at_place: set[str] | None = None
        members = sorted({m for e in place_events for m in cat.members.get(e["id"], ())})
        if place_cf and terms:  # both: the word hits must be at the place
            at_place = set(members)
            if place_terms:
                at_place.update(store.search_ids(place_terms, limit=1_000_000))
        rels = _lazy(cat, "relations", lambda: _relations(store), lock) if relation else {}
        if terms:
            ids: Iterable[str] = _ranked_hits(store, terms, limit + 1) if meta_filters \
                else store.search_ids(terms, limit=limit + 1)
        elif place_cf:  # the articles of events there, then those naming it, by rank
            ids = _unique(members, _ranked_hits(store, place_terms, limit + 1)
                          if place_terms else ())
        elif relation and not (outlet_cf or date_from or date_to):  # only copies can pass
            ids = _lazy(cat, "copies:" + relation, lambda: sorted(
                aid for aid, kinds in rels.items() if relation in kinds), lock) \
                if relation in RELATIONS else []
        else:
            every = _lazy(cat, "index", lambda: _article_index(store), lock)
            ids = _lazy(cat, "ids", lambda: sorted(every), lock)
        index = _lazy(cat, "index", lambda: _article_index(store), lock) \
            if (outlet_cf or date_from or date_to) else {}
        kept = []
        for aid in ids:
            if at_place is not None and aid not in at_place:
                continue
            if relation and relation not in rels.get(aid, ()):
                continue
            if index:
                title, outlets, pub = index.get(aid, ("", (), ""))
                if outlet_cf and not any(outlet_cf in o.casefold() for o in outlets):
                    continue
                if (date_from or date_to) and not pub:
                    continue
                if date_from and pub[:len(date_from)] < date_from:
                    continue
                if date_to and pub[:len(date_to)] > date_to:
                    continue
            if len(kept) >= limit:
                truncated = True
                break
            kept.append(aid)
        words = terms or place_terms  # one pattern for every snippet of this search
        pattern = re.compile("|".join(re.escape(t) for t in words), re.IGNORECASE) \
            if words else None
        built = cat.lazy.get("index")
        if built is not None:
            # titles, outlets and dates from the per-version index, bodies (for the snippet)
            # in one query: whole articles (metadata, sightings) cost a third of a search
            bodies = store.bodies(kept)
            for aid in kept:
                if aid in bodies and aid in built:
                    title, outlets, pub = built[aid]
                    articles.append({"id": aid, "title": title,
                                     "outlet": outlets[0] if outlets else None,
                                     "published": pub or None,
                                     "snippet": _snippet(bodies[aid][0], pattern)})
        else:  # no filter has needed the index yet: the same fields from whole articles
            for art in store.iter_articles(kept):
                articles.append({"id": art.id, "title": art.title,
                                 "outlet": art.first("outlet"),
                                 "published": art.first("published"),
                                 "snippet": _snippet(art.body, pattern)})
    articles.sort(key=lambda a: (a["published"] or "~", a["id"]))
    return {"query": {"q": q, "place": place, "outlet": outlet, "from": date_from,
                      "to": date_to, "relation": relation},
            "articles": articles, "events": events, "truncated": truncated}


def _snippet(body: str, pattern: re.Pattern[str] | None, width: int = 90) -> str:
    """A line of ``body`` around the first match of ``pattern`` (its start when none)."""
    m = pattern.search(body) if pattern is not None else None
    pos = m.start() if m else 0
    start = max(0, pos - width)
    text = body[start:pos + width].replace("\n", " ")
    return ("…" if start else "") + text + ("…" if pos + width < len(body) else "")


# -- reading the store: per-thread connections, its change counter, cached pages -------------

class Reader:
    """Read-only access to the store for many threads: one connection per thread (SQLite
    connections are not shared across threads), the store's change counter, and the
    :class:`Catalogue` of the current version (built once, by one thread, per change)."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self._local = threading.local()
        # weak: a worker thread that ends takes its connection with it (the pool retires idle
        # threads), and close() still reaches the live ones
        self._opened: weakref.WeakSet[Store] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._lazy_lock = threading.Lock()
        uri = f"file:{Path(db_path).resolve()}?mode=ro"
        self._probe = sqlite3.connect(uri, uri=True, isolation_level=None,
                                      check_same_thread=False)
        self._bumps = 0
        self._data_version = 0
        self._probed = float("-inf")
        self._catalogue: Catalogue | None = None

    def version(self) -> int:
        """Changes whenever anyone commits to the store (``PRAGMA data_version``, asked at
        most every ``PROBE_EVERY`` seconds: the call releases the GIL, and getting it back
        from busy worker threads costs the event loop up to a switch interval)."""
        now = time.monotonic()
        if now - self._probed >= PROBE_EVERY:
            with self._lock:
                self._data_version = int(
                    self._probe.execute("PRAGMA data_version").fetchone()[0])
                self._probed = now
        return self._data_version + self._bumps

    def bump(self) -> None:
        """Count a change this process made, so its own pages are fresh at once."""
        with self._lock:
            self._bumps += 1
            self._probed = float("-inf")

    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.db_path, readonly=True)
            self._local.store = store
            with self._lock:
                self._opened.add(store)
        return store

    def catalogue(self) -> Catalogue:
        v = self.version()
        cat = self._catalogue
        if cat is not None and cat.version == v:
            return cat
        with self._build_lock:  # one thread builds it; the others wait and reuse it
            cat = self._catalogue
            if cat is None or cat.version != v:
                cat = build_catalogue(self.store(), v)
                self._catalogue = cat
            return cat

    def lazy_lock(self) -> threading.Lock:
        return self._lazy_lock

    def close(self) -> None:
        with self._lock:
            for s in list(self._opened):
                try:
                    s.close()
                except sqlite3.ProgrammingError:  # closed from another thread: SQLite allows
                    pass                          # it only in the owning thread; GC does it
            self._opened.clear()
            self._probe.close()


class PageCache:
    """Rendered responses (status, headers, body) by request path, for one store version;
    least recently used dropped first beyond ``max_bytes``."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self.version: int | None = None
        self._items: OrderedDict[bytes, tuple[int, list[tuple[bytes, bytes]], bytes]] = \
            OrderedDict()
        self._size = 0
        self.hits = self.misses = 0
        self._lock = threading.Lock()  # one event loop uses it, but test clients run several

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def get(self, version: int, key: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        if version != self.version:
            self.clear()
            self.version = version
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, version: int, key: bytes, item: tuple[int, list[tuple[bytes, bytes]], bytes]
            ) -> None:
        size = len(item[2]) + len(key)
        if version != self.version or size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old[2]) + len(key)
            self._items[key] = item
            self._size += size
            while self._size > self.max_bytes:
                k, v = self._items.popitem(last=False)
                self._size -= len(v[2]) + len(k)


LOCAL_HOSTS = frozenset({b"localhost", b"127.0.0.1", b"[::1]"})


def _local_host(scope: dict[str, Any]) -> bool:
    """Whether the request's Host header names this machine's loopback (any port)."""
    host = next((v for k, v in scope.get("headers", []) if k == b"host"), b"")
    name = host.rsplit(b":", 1)[0] if not host.endswith(b"]") else host
    return name.lower() in LOCAL_HOSTS


class Front:
    """ASGI wrapper in front of the app (cheaper than Starlette's BaseHTTPMiddleware): adds
    the security headers to every response, and answers a GET it has answered before, at the
    same store version, from the :class:`PageCache` without running the app."""

    def __init__(self, app: Any, reader: Reader, cache: PageCache,
                 local_only: bool = False) -> None:
        self.app, self.reader, self.cache = app, reader, cache
        self.local_only = local_only

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[Any]],
                       send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.local_only and not _local_host(scope):
            # a page elsewhere that points a name of its own at 127.0.0.1 (DNS rebinding)
            # must not read the store through the reader's browser
            await send({"type": "http.response.start", "status": 421,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]
                        + SECURITY_HEADERS})
            await send({"type": "http.response.body",
                        "body": b"This server answers only to localhost, 127.0.0.1 and [::1].\n"})
            return
        key = None
        if scope["method"] == "GET":
            key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
            version = self.reader.version()
            hit = self.cache.get(version, key)
            if hit is not None:
                status, headers, body = hit
                await send({"type": "http.response.start", "status": status,
                            "headers": headers + CACHE_HIT})
                await send({"type": "http.response.body", "body": body})
                return
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def send_wrapped(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", [])
                           if h[0].lower() not in {k for k, _ in SECURITY_HEADERS}]
                message = {**message, "headers": headers + SECURITY_HEADERS}
                started.update(message)
                if key is not None:  # what a load test counts: was this page worked out?
                    message["headers"] = message["headers"] + CACHE_MISS
            elif message["type"] == "http.response.body" and key is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and started.get("status") == 200:
                    self.cache.put(version, key, (200, started["headers"], b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, send_wrapped)


# -- ingest ----------------------------------------------------------------------------------

@contextmanager
def _process_lock(path: str) -> Iterator[None]:
    """An exclusive lock on ``path`` across processes (the worker processes of one ``serve``
    ingest one upload at a time: the analyses rewrite whole tables); a no-op without fcntl."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover (Windows: one worker process)
        yield
        return
    with open(path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class BadInput(Exception):
    def __init__(self, status: int, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details or []


def _json_records(data: Any) -> list[dict[str, Any]]:
    """The article objects of a JSON body (an object, a list, or ``{"articles": [...]}``),
    each checked to hold a non-empty text."""
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    items = data if isinstance(data, list) else [data]
    if not items:
        raise BadInput(422, "no articles in the request body")
    problems = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"item {i}: not a JSON object")
            continue
        text = next((item[k] for k in FIELD_ALIASES["text"] if k in item), None)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"item {i}: no text (one of {', '.join(FIELD_ALIASES['text'])} "
                            "must be a non-empty string)")
    if problems:
        raise BadInput(422, "invalid articles; nothing was stored", problems)
    return items


def _check_file(path: str, max_bytes: int) -> None:
    """Every record of the file must become an article; otherwise nothing is stored."""
    from .ingest import build_article
    from .models import Skip

    problems, n = [], 0
    for rec in read_source(path, max_bytes):
        item = rec if isinstance(rec, Skip) else build_article(rec)
        if isinstance(item, Skip):
            problems.append(item.reason if item.origin.line is None
                            else f"record {item.origin.line}: {item.reason}")
        n += 1
    if problems:
        raise BadInput(422, "the upload holds unreadable articles; nothing was stored",
                       problems[:50])
    if not n:
        raise BadInput(422, "no articles in the upload; nothing was stored")


def _safe_name(name: str | None) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(name or "")).strip("._") \
        or "upload.txt"
    low = base.lower()
    stem = low[:-3] if low.endswith(".gz") else low
    if not stem.endswith(UPLOAD_SUFFIXES):
        raise BadInput(415, f"unsupported file type {base!r}; use one of "
                            f"{', '.join(UPLOAD_SUFFIXES)} (optionally .gz)")
    return base[-100:]


# -- the app ---------------------------------------------------------------------------------

def create_app(db_path: str, token: str, max_upload_bytes: int = 10_000_000,
               cache_bytes: int = CACHE_BYTES, local_only: bool = False) -> FastAPI:
    """The web app over the store at ``db_path``; ``token`` guards ``POST /api/articles``.
    ``local_only`` (a server bound to loopback): requests must name localhost in their Host
    header, so that no other site's page can read the store through a reader's browser."""
    if not token:
        raise ValueError("an upload token is required")
    db_path = str(db_path)
    with open_store(db_path) as store:  # create and migrate once, so read-only opens work
        store.update_search_index()
    env = template_env(app_url)
    env.globals["version"] = __version__
    env.auto_reload = False  # the package's templates do not change while serving
    # the style sheet is static: rendered once, not included anew in every page
    env.globals["style_css"] = Markup(env.get_template("style.css.j2").render())
    templates = {name: env.get_template(name) for name in (  # compiled once, at start
        "app/overview.html.j2", "app/event.html.j2", "app/article.html.j2",
        "app/copy.html.j2", "app/search.html.j2", "app/error.html.j2")}
    write_lock = threading.Lock()
    reader = Reader(db_path)
    cache = PageCache(cache_bytes)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        yield
        reader.close()

    # no /docs or /redoc: those pages load scripts from a CDN; /openapi.json stays
    app = FastAPI(title="newstrace", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="Where news text came from, what happened, and whether the "
                              "sources agree: a local store's pages and API.")
    app.add_middleware(Front, reader=reader, cache=cache, local_only=local_only)
    app.state.reader, app.state.cache = reader, cache

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(templates[name].render(**ctx), status_code=status)

    def not_found(what: str) -> HTTPException:
        return HTTPException(status_code=404, detail=what)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        headers = getattr(exc, "headers", None)
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=headers)
        message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" \
            else "There is no such page."
        return page("app/error.html.j2", status=exc.status_code, status_code=exc.status_code,
                    message=message)

    # -- JSON API --------------------------------------------------------------------------
    @app.get("/api/overview", tags=["read"], summary="Counts, events by size, outlets")
    def api_overview() -> dict[str, Any]:
        return reader.catalogue().overview

    @app.get("/api/events", tags=["read"], summary="Every event (id, headline, date, place, size)")
    def api_events() -> list[dict[str, Any]]:
        return reader.catalogue().events

    @app.get("/api/events/{event_id}", tags=["read"], summary="One event's card, sources, facts")
    def api_event(event_id: str) -> dict[str, Any]:
        data = event_data(reader.store(), event_id) if ID_RE.match(event_id) else None
        if data is None:
            raise not_found(f"no event {event_id}")
        return data

    @app.get("/api/articles/{article_id}", tags=["read"],
             summary="One article: text, metadata, provenance, spin")
    def api_article(article_id: str) -> dict[str, Any]:
        data = article_data(reader.store(), article_id, reader.catalogue().cluster_of) \
            if ID_RE.match(article_id) else None
        if data is None:
            raise not_found(f"no article {article_id}")
        return data

    @app.get("/api/copies/{copy_id}/{source_id}", tags=["read"],
             summary="One reuse link with its aligned sentences and substitutions")
    def api_copy(copy_id: str, source_id: str) -> dict[str, Any]:
        data = copy_data(reader.store(), copy_id, source_id) \
            if ID_RE.match(copy_id) and ID_RE.match(source_id) else None
        if data is None:
            raise not_found(f"no reuse link from {source_id} to {copy_id}")
        return data

    @app.get("/api/search", tags=["read"], summary="Articles by words and filters; events by place")
    def api_search(q: str = "", place: str = "", outlet: str = "",
                   date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to"),
                   relation: str = "",
                   limit: int = Query(MAX_RESULTS, ge=1, le=MAX_RESULTS)) -> dict[str, Any]:
        return search_data(reader.store(), reader.catalogue(), q, place, outlet, date_from,
                           date_to, relation, lock=reader.lazy_lock(), limit=limit)

    def _authorize(request: Request) -> None:
        auth = request.headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise HTTPException(401, "an upload token is required: "
                                     "Authorization: Bearer <token>",
                                headers={"WWW-Authenticate": "Bearer"})
        if not secrets.compare_digest(value.strip().encode(), token.encode()):
            raise HTTPException(403, "wrong upload token")

    async def _read_limited(request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length is not None:
            try:
                if int(length) > max_upload_bytes:
                    raise HTTPException(413, f"request body over the limit of "
                                             f"{max_upload_bytes} bytes")
            except ValueError:
                raise HTTPException(400, "bad Content-Length") from None
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_upload_bytes:
                raise HTTPException(413, f"request body over the limit of "
                                         f"{max_upload_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _ingest_path(path: str) -> dict[str, Any]:
        from . import pipeline

        config = Config(max_bytes=max_upload_bytes)
        _check_file(path, max_upload_bytes)
        with write_lock, _process_lock(db_path + ".ingest-lock"), open_store(db_path) as store:
            label = "api-upload:" + os.path.basename(path)
            result = pipeline.ingest(store, [path], config, labels={path: label})
            pipeline.find_copies(store, config)
            pipeline.find_provenance(store, config)
            pipeline.detect_spin(store)
            pipeline.find_events(store)
            store.update_search_index()
            event_of = store.event_of()
        reader.bump()
        items = [{"id": o.article_id, "status": o.status, "reason": o.reason,
                  "event": event_of.get(o.article_id or ""),
                  "url": f"/articles/{o.article_id}" if o.article_id else None}
                 for o in result.outcomes]
        return {"new": result.new, "existing": result.existing,
                "skipped": len(result.skipped), "articles": items}

    upload_doc = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"oneOf": [
                    {"type": "object", "description": "one article (ingest JSON fields: title, "
                     "text, url, published, outlet, author, ...)"},
                    {"type": "array", "items": {"type": "object"}}]}},
                "multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary",
                                            "description": "any format ingest reads"}}}},
            }},
        "responses": {"201": {"description": "stored (some articles new)"},
                      "200": {"description": "every article was already stored"},
                      "400": {"description": "malformed body"},
                      "401": {"description": "no token"}, "403": {"description": "wrong token"},
                      "413": {"description": "body over the size limit"},
                      "415": {"description": "unsupported content or file type"},
                      "422": {"description": "no text, or unreadable articles"}},
        "security": [{"bearer": []}],
    }

    @app.post("/api/articles", tags=["ingest"], openapi_extra=upload_doc,
              summary="Ingest articles (JSON or a file upload), then rerun the analyses")
    async def api_ingest(request: Request) -> JSONResponse:
        _authorize(request)
        body = await _read_limited(request)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            with tempfile.TemporaryDirectory(prefix="newstrace-upload-") as tmp:
                if ctype == "application/json" or ctype.endswith("+json"):
                    try:
                        data = json.loads(body.decode("utf-8"))
                    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                        raise BadInput(400, f"malformed JSON: {exc}") from None
                    path = os.path.join(tmp, "api-upload.json")
                    with open(path, "w", encoding="utf-8") as fh:
                        json.dump(_json_records(data), fh, ensure_ascii=False)
                elif ctype == "multipart/form-data":
                    path = await _save_upload(request, body, tmp)
                else:
                    raise BadInput(415, "send application/json or multipart/form-data "
                                        "(a field named 'file')")
                out = await run_in_threadpool(_ingest_path, path)
        except BadInput as exc:
            return JSONResponse({"detail": exc.message, "problems": exc.details},
                                status_code=exc.status)
        return JSONResponse(out, status_code=201 if out["new"] else 200)

    async def _save_upload(request: Request, body: bytes, tmp: str) -> str:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        form_request = Request(request.scope, receive)
        try:
            form = await form_request.form(max_files=1, max_fields=20,
                                           max_part_size=max_upload_bytes)
        except Exception as exc:  # malformed multipart
            raise BadInput(400, f"malformed multipart body: {exc}") from None
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise BadInput(422, "no file: send the upload in a form field named 'file'")
        path = os.path.join(tmp, _safe_name(upload.filename))
        data = await upload.read()
        await form.close()
        if not data.strip():
            raise BadInput(422, "the uploaded file is empty; nothing was stored")
        with open(path, "wb") as fh:
            fh.write(data)
        return path

    # -- HTML pages ------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_page() -> HTMLResponse:
        cat = reader.catalogue()
        o = cat.overview
        world, caption = events_world_map(cat.events, app_url)
        outlet_bars = bars([(x["outlet"], x["articles"],
                             app_url("outlet", x["outlet"]) if x["outlet"] != "(unknown)"
                             else None) for x in o["outlets"]], limit=25)
        return page("app/overview.html.j2", o=o, world=world, world_caption=caption,
                    timeline=events_timeline(cat.events, app_url), outlet_bars=outlet_bars,
                    max_rows=OVERVIEW_ROWS)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(event_id: str) -> HTMLResponse:
        store = reader.store()
        e = event_data(store, event_id) if ID_RE.match(event_id) else None
        if e is None:
            raise not_found(f"There is no event {event_id} in this store.")
        e["map"], e["map_caption"] = event_map(e)
        untitled = sorted({v["article_id"] for f in e["facts"] for v in f["values"]
                           if not v.get("title")})
        titles = {a.id: a.title for a in store.iter_articles(untitled)} if untitled else {}
        return page("app/event.html.j2", e=e, titles=titles)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        store, cat = reader.store(), reader.catalogue()
        a = article_data(store, article_id, cat.cluster_of, cat.lazy.get("index")) \
            if ID_RE.match(article_id) else None
        if a is None:
            raise not_found(f"There is no article {article_id} in this store.")
        return page("app/article.html.j2", a=a,
                    pieces=text_pieces(a["text"], a.get("spin"), article_facts(store, a)))

    @app.get("/copies/{copy_id}/{source_id}", response_class=HTMLResponse,
             include_in_schema=False)
    def copy_page(copy_id: str, source_id: str) -> HTMLResponse:
        v = copy_data(reader.store(), copy_id, source_id) \
            if ID_RE.match(copy_id) and ID_RE.match(source_id) else None
        if v is None:
            raise not_found(f"There is no stored reuse link from {source_id} to {copy_id}.")
        return page("app/copy.html.j2", v={**v, "rows": copy_rows(v)})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "", place: str = "", outlet: str = "",
                    date_from: str = Query("", alias="from"),
                    date_to: str = Query("", alias="to"), relation: str = "") -> HTMLResponse:
        r = search_data(reader.store(), reader.catalogue(), q, place, outlet, date_from,
                        date_to, relation, lock=reader.lazy_lock(), limit=PAGE_RESULTS)
        return page("app/search.html.j2", r=r, relations=RELATIONS)

    return app


ENV_DB, ENV_TOKEN, ENV_MAX_UPLOAD, ENV_CACHE, ENV_LOCAL_ONLY = (
    "NEWSTRACE_SERVE_DB", "NEWSTRACE_SERVE_TOKEN", "NEWSTRACE_SERVE_MAX_UPLOAD",
    "NEWSTRACE_SERVE_CACHE_BYTES", "NEWSTRACE_SERVE_LOCAL_ONLY")


def default_workers() -> int:
    """One worker process per CPU, at most 4 (each holds its own catalogue and page cache)."""
    return max(1, min(4, os.cpu_count() or 1))


def app_from_env() -> FastAPI:
    """The app as :func:`run` configured it through the environment: the factory uvicorn's
    worker processes call, so every worker serves the same store with the same token."""
    try:
        db_path, token = os.environ[ENV_DB], os.environ[ENV_TOKEN]
    except KeyError as exc:
        raise RuntimeError(f"newstrace serve: {exc.args[0]} is not set (run() sets it)") from None
    return create_app(db_path, token, int(os.environ.get(ENV_MAX_UPLOAD, "10000000")),
                      int(os.environ.get(ENV_CACHE, str(CACHE_BYTES))),
                      os.environ.get(ENV_LOCAL_ONLY) == "1")


def run(db_path: str, host: str = "127.0.0.1", port: int = 8000,
        token: str | None = None, max_upload_bytes: int = 10_000_000,
        workers: int = 1, access_log: bool = False, cache_bytes: int = CACHE_BYTES) -> None:
    """Serve the store at ``db_path`` on ``host:port`` (localhost unless told otherwise),
    printing the upload token (a fresh ``secrets.token_urlsafe`` unless one is given).

    ``workers`` > 1 runs that many uvicorn worker processes on the same socket (a Python
    process renders pages on one core at a time); they get the store and the token through
    the environment, so the printed token works whichever worker answers."""
    import uvicorn

    if workers < 1:
        raise ValueError("workers must be at least 1")
    token = token or secrets.token_urlsafe(24)
    local_only = host in ("127.0.0.1", "localhost", "::1")
    # one process: the app itself; several: each worker builds its own, so here only migrate
    # the store and fill its search index once, before they start
    app = create_app(db_path, token, max_upload_bytes, cache_bytes, local_only) \
        if workers == 1 else None
    if app is None:
        with open_store(db_path) as store:
            store.update_search_index()
    print(f"newstrace: serving {db_path} at http://{host}:{port}/"
          + (f" ({workers} worker processes)" if workers > 1 else ""), flush=True)
    print(f"newstrace: upload token (POST /api/articles, "
          f"'Authorization: Bearer <token>'): {token}", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"newstrace: warning: listening on {host}, reachable from other machines",
              flush=True)
    if app is not None:
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=access_log)
        return
    os.environ.update({ENV_DB: str(Path(db_path).resolve()), ENV_TOKEN: token,
                       ENV_MAX_UPLOAD: str(max_upload_bytes), ENV_CACHE: str(cache_bytes),
                       ENV_LOCAL_ONLY: "1" if local_only else "0"})
    uvicorn.run(f"{__name__}:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="info", access_log=access_log)
