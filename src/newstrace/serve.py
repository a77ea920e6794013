"""A local web app over a store: HTML pages and a JSON API (``newstrace serve``).

Pages and API read the store per request (read-only, so concurrent readers work with SQLite's
WAL journal); ``POST /api/articles`` ingests articles (token required) and reruns the analyses
so the pages are up to date. Every piece of article text and metadata is escaped (Jinja2 with
autoescape on), pages link only to internal paths and load nothing from outside; a
Content-Security-Policy header says so to the browser too.

Needs the ``serve`` extra: ``pip install 'newstrace[serve]'`` (fastapi, uvicorn,
python-multipart).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .config import Config
from .ingest import FIELD_ALIASES, read_source
from .report import _segments, article_record, event_facts, provenance_records, reuse_record
from .store import open_store
from .store.base import Store

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
ID_RE = re.compile(r"^(art|evt)_[0-9a-f]{4,32}$")
UPLOAD_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".shtml", ".json",
                   ".jsonl", ".ndjson", ".jsonlines")
MAX_RESULTS = 200

_TEMPLATES = Path(__file__).parent / "templates" / "app"


# -- view data (shared by the pages and the API) -------------------------------------------

def _pct(x: Any) -> str:
    try:
        return f"{100 * float(x):.0f}%"
    except (TypeError, ValueError):
        return "–"


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = _pct
    return env


def overview_data(store: Store) -> dict[str, Any]:
    """Counts, the events by size (with their date) and the outlets."""
    cards = store.events()
    conflicts = 0
    events = []
    for card in cards:
        facts = event_facts(store, card) if len(card.get("articles", [])) > 1 else []
        n_conf = sum(f["status"] in ("conflict", "speaker-conflict") for f in facts)
        conflicts += n_conf
        events.append(_event_summary(card, n_conf))
    outlets: Counter[str] = Counter()
    for outlet, n in store.outlets():
        outlets[outlet or "(unknown)"] += n
    n_articles = store.count_articles()
    events.sort(key=lambda e: (-e["size"], e["date"] or "~", e["id"]))
    return {
        "counts": {
            "articles": n_articles,
            "events": len(cards),
            "copy_groups": len(store.copy_clusters()),
            "reuse_links": store.count_reuse_links(),
            "spun_articles": store.count_spun(),
            "conflicts": conflicts,
        },
        "events": events,
        "outlets": [{"outlet": o, "articles": n}
                    for o, n in sorted(outlets.items(), key=lambda x: (-x[1], x[0]))],
    }


def _event_summary(card: dict[str, Any], conflicts: int | None = None) -> dict[str, Any]:
    arts = card.get("articles", [])
    size = len(arts) + sum(len(a.get("copies", [])) for a in arts)
    out = {"id": card["id"], "headline": card.get("headline"),
           "date": (card.get("when") or {}).get("date"), "where": _where(card.get("where")),
           "size": size, "sources": len(arts)}
    if conflicts is not None:
        out["conflicts"] = conflicts
    return out


def _where(where: dict[str, Any] | None) -> dict[str, Any] | None:
    if not where:
        return None
    keep = ("name", "province", "country", "country_code", "lat", "lon", "id", "kind")
    return {k: where.get(k) for k in keep if k in where}


def _pub_key(a: dict[str, Any]) -> tuple[str, str]:
    return (a.get("published") or a.get("event_date") or "~", a["id"])


def event_data(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event's card with its sources in order of first publication (copies folded under
    their origin), its facts (conflicts first) and its quotations grouped by speaker."""
    card = store.event(event_id)
    if card is not None and card["id"] != event_id:
        card = None  # pages address events by their full id
    if card is None:
        return None
    facts = event_facts(store, card) if len(card.get("articles", [])) > 1 else []
    order = {"conflict": 0, "speaker-conflict": 1, "agree": 2}
    facts.sort(key=lambda f: (order.get(f["status"], 3), f["kind"], [str(k) for k in f["key"]]))
    sources = []
    for a in sorted(card.get("articles", []), key=_pub_key):
        copies = sorted(a.get("copies", []), key=_pub_key)
        sources.append({**a, "copies": copies})
    quotes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        if f["kind"] != "quote":
            continue
        for v in f["values"]:
            quotes[v.get("speaker") or "(unattributed)"].append(
                {"article_id": v["article_id"], "title": v.get("title"), "text": v.get("text"),
                 "role": v.get("role"), "status": f["status"]})
    n_copies = sum(len(s["copies"]) for s in sources)
    return {
        "id": card["id"], "headline": card.get("headline"), "when": card.get("when"),
        "where": card.get("where"), "who": card.get("who", []), "what": card.get("what", []),
        "first_report": card.get("first_report"),
        "sources": sources,
        "summary": f"{len(sources)} origin{'s' if len(sources) != 1 else ''}, "
                   f"{n_copies} reprint{'s' if n_copies != 1 else ''}",
        "facts": facts,
        "conflicts": sum(f["status"] in ("conflict", "speaker-conflict") for f in facts),
        "quotes": [{"speaker": s, "quotes": q} for s, q in sorted(quotes.items())],
    }


def article_data(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article as in the report (metadata with provenance, sources, copies, spin, event)."""
    art = store.get_article(article_id)
    if art is None:
        return None
    links = store.reuse_links(article_id)
    prov = provenance_records(links).get(article_id)
    spin = store.spin_reports([article_id]).get(article_id)
    cluster = next((c.id for c in store.copy_clusters() if article_id in c.members), None)
    paths = [{"path": o.path, "line": o.line} for o in store.sightings(article_id)]
    rec = article_record(art, paths, cluster, prov, spin)
    rec["event"] = store.event_id_of(article_id)
    ids = {s["id"] for s in rec["provenance"]["sources"]} | set(rec["provenance"]["copies"])
    titles = {a.id: a.title for a in store.iter_articles(sorted(ids))}
    for s in rec["provenance"]["sources"]:
        s["title"] = titles.get(s["id"], "")
        s["copy_view"] = f"/copies/{article_id}/{s['id']}"
    rec["copies"] = [{"id": c, "title": titles.get(c, ""),
                      "relation": next((x.relation for x in links
                                        if x.copy == c and x.source == article_id), None),
                      "copy_view": f"/copies/{c}/{article_id}"}
                     for c in rec["provenance"]["copies"]]
    return rec


def _highlight(text: str, spin: dict[str, Any] | None) -> list[tuple[str, Any]]:
    pos, pieces = 0, []
    for e in sorted((spin or {}).get("evidence", []), key=lambda e: e["start"]):
        if e["start"] < pos or e["end"] > len(text):
            continue
        pieces.append((text[pos:e["start"]], None))
        pieces.append((text[e["start"]:e["end"]], e))
        pos = e["end"]
    pieces.append((text[pos:], None))
    return [p for p in pieces if p[0]]


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


def _rows(rec: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for p in rec["pairs"]:
        rows.append({
            "quote_only": p.get("quote_only"), "score": p.get("score"),
            "source": _segments(p["source_text"], p["source_span"][0],
                                [x["source_span"] for x in p.get("substitutions", [])]),
            "copy": _segments(p["copy_text"], p["copy_span"][0],
                              [x["copy_span"] for x in p.get("substitutions", [])])})
    return rows


def search_data(store: Store, q: str = "", place: str = "", outlet: str = "",
                date_from: str = "", date_to: str = "", relation: str = "") -> dict[str, Any]:
    """Articles whose title, text or metadata hold every word of ``q`` (and match the filters),
    and events whose place matches ``place``. A plain scan: fine for a local store."""
    terms = [t for t in re.findall(r"\w+", q.casefold()) if t]
    place_cf, outlet_cf = place.strip().casefold(), outlet.strip().casefold()
    events = []
    place_events: set[str] = set()
    for card in store.events():
        w = card.get("where") or {}
        hay = " ".join(str(w.get(k) or "") for k in ("name", "province", "country")).casefold()
        if place_cf and place_cf in hay:
            place_events.add(card["id"])
        if terms and not place_cf:
            text = (str(card.get("headline") or "") + " " + hay).casefold()
            if all(t in text for t in terms):
                events.append(_event_summary(card))
        elif place_cf and card["id"] in place_events:
            events.append(_event_summary(card))
    rel_of: dict[str, set[str]] = defaultdict(set)
    if relation:
        for x in store.reuse_links():
            rel_of[x.copy].add(x.relation)
    event_of = store.event_of() if place_cf else {}
    articles = []
    truncated = False
    filtered = bool(terms or place_cf or outlet_cf or date_from or date_to or relation)
    if filtered:
        # whole words go through the full-text index; the rest of the filters on its hits
        pool = store.iter_articles(store.search_ids(terms, limit=5000)) if terms \
            else store.iter_articles()
        for art in pool:
            meta = " ".join(m.value for m in art.meta)
            hay = f"{art.title}\n{art.body}\n{meta}".casefold()
            if terms and not all(t in hay for t in terms):
                continue
            if place_cf and place_cf not in hay and event_of.get(art.id) not in place_events:
                continue
            if outlet_cf and not any(outlet_cf in o.casefold() for o in art.values("outlet")):
                continue
            pub = art.first("published") or ""
            if (date_from or date_to) and not pub:
                continue
            if date_from and pub[:len(date_from)] < date_from:
                continue
            if date_to and pub[:len(date_to)] > date_to:
                continue
            if relation and relation not in rel_of.get(art.id, set()):
                continue
            if len(articles) >= MAX_RESULTS:
                truncated = True
                break
            articles.append({"id": art.id, "title": art.title, "outlet": art.first("outlet"),
                             "published": pub or None, "snippet": _snippet(art.body, terms)})
    articles.sort(key=lambda a: (a["published"] or "~", a["id"]))
    return {"query": {"q": q, "place": place, "outlet": outlet, "from": date_from,
                      "to": date_to, "relation": relation},
            "articles": articles, "events": events, "truncated": truncated}


def _snippet(body: str, terms: list[str], width: int = 90) -> str:
    low = body.casefold()
    pos = min((i for i in (low.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, pos - width)
    text = body[start:pos + width].replace("\n", " ")
    return ("…" if start else "") + text + ("…" if pos + width < len(body) else "")


# -- ingest ----------------------------------------------------------------------------------

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

def create_app(db_path: str, token: str, max_upload_bytes: int = 10_000_000) -> FastAPI:
    """The web app over the store at ``db_path``; ``token`` guards ``POST /api/articles``."""
    if not token:
        raise ValueError("an upload token is required")
    db_path = str(db_path)
    with open_store(db_path) as store:  # create and migrate once, so read-only opens work
        store.update_search_index()
    env = _env()
    write_lock = threading.Lock()
    # no /docs or /redoc: those pages load scripts from a CDN; /openapi.json stays
    app = FastAPI(title="newstrace", version=__version__, docs_url=None, redoc_url=None,
                  description="Where news text came from, what happened, and whether the "
                              "sources agree: a local store's pages and API.")

    @contextmanager
    def reading() -> Iterator[Store]:
        store = open_store(db_path, readonly=True)
        try:
            yield store
        finally:
            store.close()

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        html = env.get_template(name).render(version=__version__, **ctx)
        return HTMLResponse(html, status_code=status)

    def not_found(what: str) -> HTTPException:
        return HTTPException(status_code=404, detail=what)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        headers = getattr(exc, "headers", None)
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=headers)
        message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" \
            else "There is no such page."
        return page("error.html.j2", status=exc.status_code, status_code=exc.status_code,
                    message=message)

    # -- JSON API --------------------------------------------------------------------------
    @app.get("/api/overview", tags=["read"], summary="Counts, events by size, outlets")
    def api_overview() -> dict[str, Any]:
        with reading() as s:
            return overview_data(s)

    @app.get("/api/events", tags=["read"], summary="Every event (id, headline, date, place, size)")
    def api_events() -> list[dict[str, Any]]:
        with reading() as s:
            return [_event_summary(c) for c in s.events()]

    @app.get("/api/events/{event_id}", tags=["read"], summary="One event's card, sources, facts")
    def api_event(event_id: str) -> dict[str, Any]:
        with reading() as s:
            data = event_data(s, event_id) if ID_RE.match(event_id) else None
        if data is None:
            raise not_found(f"no event {event_id}")
        return data

    @app.get("/api/articles/{article_id}", tags=["read"],
             summary="One article: text, metadata, provenance, spin")
    def api_article(article_id: str) -> dict[str, Any]:
        with reading() as s:
            data = article_data(s, article_id) if ID_RE.match(article_id) else None
        if data is None:
            raise not_found(f"no article {article_id}")
        return data

    @app.get("/api/copies/{copy_id}/{source_id}", tags=["read"],
             summary="One reuse link with its aligned sentences and substitutions")
    def api_copy(copy_id: str, source_id: str) -> dict[str, Any]:
        with reading() as s:
            data = copy_data(s, copy_id, source_id) \
                if ID_RE.match(copy_id) and ID_RE.match(source_id) else None
        if data is None:
            raise not_found(f"no reuse link from {source_id} to {copy_id}")
        return data

    @app.get("/api/search", tags=["read"], summary="Articles by words and filters; events by place")
    def api_search(q: str = "", place: str = "", outlet: str = "",
                   date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to"),
                   relation: str = "") -> dict[str, Any]:
        with reading() as s:
            return search_data(s, q, place, outlet, date_from, date_to, relation)

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
        with write_lock, open_store(db_path) as store:
            label = "api-upload:" + os.path.basename(path)
            result = pipeline.ingest(store, [path], config, labels={path: label})
            pipeline.find_copies(store, config)
            pipeline.find_provenance(store, config)
            pipeline.detect_spin(store)
            pipeline.find_events(store)
            store.update_search_index()
            event_of = store.event_of()
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
        with reading() as s:
            return page("overview.html.j2", o=overview_data(s))

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(event_id: str) -> HTMLResponse:
        with reading() as s:
            e = event_data(s, event_id) if ID_RE.match(event_id) else None
            titles = {}
            if e is not None:
                ids = {v["article_id"] for f in e["facts"] for v in f["values"]}
                titles = {a.id: a.title for a in s.iter_articles(sorted(ids))}
        if e is None:
            raise not_found(f"There is no event {event_id} in this store.")
        return page("event.html.j2", e=e, titles=titles)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        with reading() as s:
            a = article_data(s, article_id) if ID_RE.match(article_id) else None
        if a is None:
            raise not_found(f"There is no article {article_id} in this store.")
        return page("article.html.j2", a=a, pieces=_highlight(a["text"], a.get("spin")))

    @app.get("/copies/{copy_id}/{source_id}", response_class=HTMLResponse,
             include_in_schema=False)
    def copy_page(copy_id: str, source_id: str) -> HTMLResponse:
        with reading() as s:
            v = copy_data(s, copy_id, source_id) \
                if ID_RE.match(copy_id) and ID_RE.match(source_id) else None
        if v is None:
            raise not_found(f"There is no stored reuse link from {source_id} to {copy_id}.")
        return page("copy.html.j2", v=v, rows=_rows(v))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "", place: str = "", outlet: str = "",
                    date_from: str = Query("", alias="from"),
                    date_to: str = Query("", alias="to"), relation: str = "") -> HTMLResponse:
        with reading() as s:
            r = search_data(s, q, place, outlet, date_from, date_to, relation)
        return page("search.html.j2", r=r,
                    relations=["", "verbatim", "near_copy", "spun", "paraphrase", "partial"])

    return app


def run(db_path: str, host: str = "127.0.0.1", port: int = 8000,
        token: str | None = None, max_upload_bytes: int = 10_000_000) -> None:
    """Serve the store at ``db_path`` on ``host:port`` (localhost unless told otherwise),
    printing the upload token (a fresh ``secrets.token_urlsafe`` unless one is given)."""
    import uvicorn

    token = token or secrets.token_urlsafe(24)
    app = create_app(db_path, token, max_upload_bytes)
    print(f"newstrace: serving {db_path} at http://{host}:{port}/", flush=True)
    print(f"newstrace: upload token (POST /api/articles, "
          f"'Authorization: Bearer <token>'): {token}", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"newstrace: warning: listening on {host}, reachable from other machines",
              flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
