"""The analysis report: ``report.json`` (schema in ``schemas/report.schema.json``) and a
self-contained ``report.html`` rendered from it.

The JSON is built first and the HTML is rendered only from the JSON, so the two never disagree.
Output holds no timestamps: the same store gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from . import __version__
from .graph import components
from .map import MapPlace, MapView, place_map, world_map
from .models import Article
from .pipeline import IngestResult
from .claims import READINGS
from .provenance import figure_changes
from .store.base import ReuseLink, Store
from .text import words
from .timeline import Timeline, TimelineItem, timeline

REPORT_SCHEMA = "newstrace-report/1"


def article_record(article: Article, paths: list[dict[str, Any]],
                   cluster_id: str | None,
                   provenance: dict[str, Any] | None = None,
                   spin: dict[str, Any] | None = None) -> dict[str, Any]:
    """One article as it appears in the report and in ``show --json``."""
    meta: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in article.meta:
        entry = m.to_dict()
        entry.pop("field")
        meta[m.field].append(entry)
    return {
        "id": article.id,
        "title": article.title,
        "paths": paths,
        "published": article.first("published"),
        "outlet": article.first("outlet"),
        "language": article.first("language"),
        "authors": article.values("author"),
        "dateline": article.first("dateline"),
        "agencies": article.values("agency"),
        "url": article.first("url"),
        "words": len(words(article.norm_body)),
        "metadata": dict(meta),
        "copy_cluster": cluster_id,
        "provenance": _with_note(provenance or {"sources": [], "copies": [], "origin": None},
                                 article, spin),
        "spin": spin,
        "text": article.body,
    }


def event_facts(store: Store, card: dict[str, Any]) -> list[dict[str, Any]]:
    """The facts of one event: as stored with its card by analyze, else worked out now."""
    if "facts" in card:
        return card["facts"]
    from . import provenance
    from .pipeline import event_facts as line_up

    ids = [a["id"] for a in card.get("articles", [])]
    return line_up(card, {a.id: a for a in store.iter_articles(ids)},
                   provenance.origins(store.reuse_links()))


def _add_facts(store: Store, cards: list[dict[str, Any]]) -> None:
    for card in cards:
        card["facts"] = event_facts(store, card)


def _with_note(prov: dict[str, Any], article: Article,
               spin: dict[str, Any] | None) -> dict[str, Any]:
    """For an article with no source in the corpus: what its own text reveals about where it
    came from (its spin verdict, whose house style its credit line follows, wire agencies)."""
    if prov["sources"]:
        return prov
    notes = ["no source among the stored articles"]
    if spin and spin.get("verdict"):
        notes.append(f"the text itself looks machine-spun (probability {spin['score']:.2f}, "
                     f"{len(spin.get('evidence', []))} pieces of evidence)")
    elif spin and spin.get("score", 0) >= 0.5:
        notes.append(f"some signs of spinning (probability {spin['score']:.2f}, below the "
                     f"verdict threshold {spin['threshold']:.2f})")
    style = article.first("credit_style")
    if style:
        outlet = article.first("outlet")
        clash = f", but it is published by {outlet}" if outlet and outlet != style else ""
        notes.append(f"its credit line is in the style of {style}{clash}")
    return {**prov, "note": "; ".join(notes)}


def provenance_records(links: list[ReuseLink]) -> dict[str, dict[str, Any]]:
    """Per article: its sources (with relation, score, direction and reasons), its copies,
    and its origin (following sources back to an article that has none)."""
    out: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"sources": [], "copies": [], "origin": None})
    best: dict[str, str] = {}
    for x in links:
        out[x.copy]["sources"].append({
            "id": x.source, "relation": x.relation, "score": x.score,
            "direction": x.direction, "reasons": list(x.reasons),
            "copy_coverage": x.features.get("copy_coverage"),
            "identity": x.features.get("identity"),
            "substitutions": x.features.get("substitutions")})
        out[x.source]["copies"].append(x.copy)
        best.setdefault(x.copy, x.source)
    for copy in best:
        seen, cur = {copy}, best[copy]
        while cur in best and best[cur] not in seen:
            seen.add(cur)
            cur = best[cur]
        out[copy]["origin"] = cur
    for rec in out.values():
        rec["copies"].sort()
    return dict(out)


def stories(links: list[ReuseLink]) -> list[dict[str, Any]]:
    """Groups of articles joined by reuse, each with its origins (members that copy no other):
    an agency story reprinted by forty sites is one story with one origin."""
    groups = components((x.copy, x.source) for x in links)
    copies = {x.copy for x in links}
    out = []
    for members in groups:
        origins = [m for m in members if m not in copies]
        out.append({"members": members, "origins": origins,
                    "independent_origins": len(origins)})
    out.sort(key=lambda g: (-len(g["members"]), g["members"][0]))
    return out


def reuse_record(x: ReuseLink, bodies: dict[str, str]) -> dict[str, Any]:
    """A link with its evidence and the sentence texts, for the report's copy views."""
    src, cpy = bodies.get(x.source, ""), bodies.get(x.copy, "")
    pairs = []
    for p in x.evidence.get("pairs", []):
        pairs.append({**p, "source_text": src[slice(*p["source_span"])],
                      "copy_text": cpy[slice(*p["copy_span"])]})
    return {"copy": x.copy, "source": x.source, "relation": x.relation, "score": x.score,
            "direction": x.direction, "reasons": list(x.reasons), "features": x.features,
            "substitution_table": x.evidence.get("substitution_table", []),
            "pairs": pairs, "added": x.evidence.get("added", []),
            "dropped": x.evidence.get("dropped", [])}


def build(store: Store, ingest: IngestResult | None = None) -> dict[str, Any]:
    """The whole report as a JSON-ready dict."""
    sightings = store.all_sightings()
    clusters = store.copy_clusters()
    pairs = store.duplicate_pairs()
    member_of = {m: c.id for c in clusters for m in c.members}
    links = store.reuse_links()
    prov = provenance_records(links)
    spins = store.spin_reports()
    event_cards = store.events()
    event_of = store.event_of()
    _add_facts(store, event_cards)
    story_list = stories(links)
    articles = []
    bodies: dict[str, str] = {}
    for art in store.iter_articles():
        paths = [{"path": o.path, "line": o.line} for o in sightings.get(art.id, [])]
        rec = article_record(art, paths, member_of.get(art.id), prov.get(art.id),
                             spins.get(art.id))
        rec["event"] = event_of.get(art.id)
        articles.append(rec)
        bodies[art.id] = art.body
    articles.sort(key=lambda a: (a["paths"][0]["path"] if a["paths"] else "~",
                                 a["paths"][0]["line"] or 0 if a["paths"] else 0, a["id"]))
    titles = {a["id"]: a["title"] for a in articles}
    pairs_by_cluster: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in pairs:
        pairs_by_cluster[member_of[p.a]].append(
            {"a": p.a, "b": p.b, "relation": p.relation, "jaccard": p.jaccard,
             "containment": p.containment})
    groups = [{"id": c.id, "representative": c.representative, "size": len(c.members),
               "members": [{"id": m, "title": titles.get(m, "")} for m in c.members],
               "pairs": pairs_by_cluster[c.id]} for c in clusters]
    inputs = []
    if ingest is not None:
        inputs = [{"path": o.origin.path, "line": o.origin.line, "status": o.status,
                   "article_id": o.article_id, "reason": o.reason} for o in ingest.outcomes]
    return {
        "schema": REPORT_SCHEMA,
        "generator": {"name": "newstrace", "version": __version__},
        "summary": {
            "articles": len(articles),
            "inputs": len(inputs),
            "new": sum(i["status"] == "new" for i in inputs),
            "existing": sum(i["status"] == "existing" for i in inputs),
            "skipped": sum(i["status"] == "skipped" for i in inputs),
            "duplicate_groups": len(groups),
            "articles_in_duplicate_groups": sum(g["size"] for g in groups),
            "reuse_links": len(links),
            "stories": len(story_list),
            "events": len(event_cards),
            "fact_conflicts": sum(r["status"] == "conflict" for e in event_cards
                                  for r in e.get("facts", [])),
            "spun_copies": len({x.copy for x in links if x.relation == "spun"}),
            "spun_articles": sum(bool(r.get("verdict")) for r in spins.values()),
        },
        "inputs": inputs,
        "articles": articles,
        "duplicate_groups": groups,
        "reuse": [reuse_record(x, bodies) for x in links],
        "stories": story_list,
        "events": event_cards,
    }


#: Fact kinds marked in an article's text (names have no single span worth marking).
MARKED_FACTS = ("count", "quote", "claim", "action")


def fact_anchor(article_id: str, start: int) -> str:
    """The HTML id of the fact that starts at ``start`` in an article's text: fact-table cells
    link to it (an id unique within report.html, where every article shares the page)."""
    return f"f-{article_id}-{start}"


def fact_marks(facts: list[dict[str, Any]], article_id: str) -> list[dict[str, Any]]:
    """The spans of one article's counts, quotes, claims and actions (who did what to whom) in
    an event's fact rows (as stored with its card), each with what it says and how the
    sources stand on it."""
    out = []
    for row in facts:
        if row.get("kind") not in MARKED_FACTS:
            continue
        fact = f"{row['kind']}: {' / '.join(str(k) for k in row.get('key', []))}"
        for v in row.get("values", []):
            if v.get("article_id") != article_id or v.get("start") is None:
                continue
            label = f"{fact} ({row.get('status', '')})"
            if v.get("speaker"):
                label += f"; said by {v['speaker']}"
            if v.get("agent"):
                label += f"; by {v['agent']}, to {v.get('target') or '?'}"
            out.append({"kind": row["kind"], "start": v["start"], "end": v["end"],
                        "status": row.get("status"), "label": label,
                        "anchor": fact_anchor(article_id, v["start"]),
                        "conflict": row.get("status") in CONFLICT})
    return out


def own_fact_rows(article_id: str, title: str, body: str) -> list[dict[str, Any]]:
    """The fact rows of an article with no other source to line them up with (every row
    ``single-source``): what its text is marked with when its event stores no facts."""
    from .facts import compare_facts

    return [r.to_dict() for r in compare_facts([(article_id, title, body)], names=False)]


def text_pieces(text: str, spin: dict[str, Any] | None,
                facts: list[dict[str, Any]] | None = None) -> list[tuple[str, Any]]:
    """An article's text cut into pieces for the view: ``(text, None)`` for plain text, else
    ``(text, info)`` where ``info`` holds the spin evidence over the piece (``spin``; ``spin_end``
    where its span ends, for the likely original), the fact marks over it (``facts``: counts,
    quotes, claims from :func:`fact_marks`; they may nest, a count inside a quotation) and the
    anchors of the facts that start there."""
    spans: list[tuple[int, int, str, dict[str, Any]]] = []
    pos = 0
    # an article that does not read as spun keeps its weak signs out of the text (they are
    # listed apart): marking a wire original's words as substitutes would mislead the reader
    marked_spin = (spin or {}).get("evidence", []) if (spin or {}).get("verdict", True) else []
    for e in sorted(marked_spin, key=lambda e: e["start"]):
        if e["start"] < pos or e["end"] > len(text) or e["start"] >= e["end"]:
            continue  # spin spans do not overlap one another
        spans.append((e["start"], e["end"], "spin", e))
        pos = e["end"]
    seen: set[tuple[int, int, str]] = set()
    for f in facts or []:
        key = (f["start"], f["end"], f["kind"])
        if 0 <= f["start"] < f["end"] <= len(text) and key not in seen:
            seen.add(key)
            spans.append((f["start"], f["end"], "fact", f))
    if not spans:
        return [(text, None)] if text else []
    cuts = sorted({0, len(text)} | {a for a, _, _, _ in spans} | {b for _, b, _, _ in spans})
    starts: dict[int, list[str]] = {}
    for a, _, kind, d in spans:
        if kind == "fact":
            starts.setdefault(a, [])
            anchor = d.get("anchor")
            if anchor and anchor not in starts[a]:
                starts[a].append(anchor)
    pieces: list[tuple[str, Any]] = []
    for a, b in zip(cuts, cuts[1:]):
        over = [(s, e, kind, d) for s, e, kind, d in spans if s <= a and b <= e]
        spin_ev = next(((e, d) for _, e, kind, d in over if kind == "spin"), None)
        marks = sorted((d for s, e, kind, d in over if kind == "fact"),
                       key=lambda d: (d["start"], -d["end"]))
        anchors = starts.get(a, [])
        if spin_ev is None and not marks and not anchors:
            pieces.append((text[a:b], None))
            continue
        pieces.append((text[a:b], {"spin": spin_ev[1] if spin_ev else None,
                                   "spin_end": bool(spin_ev and spin_ev[0] == b),
                                   "facts": marks, "anchors": anchors}))
    return [p for p in pieces if p[0]]


def marked_kinds(pieces: list[tuple[str, Any]]) -> set[str]:
    """What a text's marks are of ("spin", "count", "quote", "claim", "action"): the legend
    lists them."""
    kinds: set[str] = set()
    for _, p in pieces:
        if p:
            if p["spin"]:
                kinds.add("spin")
            kinds.update(f["kind"] for f in p["facts"])
    return kinds


def _segments(text: str, start: int, spans: list[list[int]]) -> list[tuple[str, bool]]:
    """``text`` (which begins at ``start`` in its article) cut into plain and swapped pieces."""
    out, pos = [], 0
    for a, b in sorted((a - start, b - start) for a, b in spans):
        if a < pos or b > len(text):
            continue
        out.append((text[pos:a], False))
        out.append((text[a:b], True))
        pos = b
    out.append((text[pos:], False))
    return [x for x in out if x[0]]


def copy_rows(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """Side-by-side rows of a :func:`reuse_record`, substitutions marked (view data)."""
    rows = []
    for p in rec["pairs"]:
        subs = p.get("substitutions", [])
        rows.append({
            "quote_only": p.get("quote_only"), "score": p.get("score"),
            "source": _segments(p["source_text"], p["source_span"][0],
                                [x["source_span"] for x in subs]),
            "copy": _segments(p["copy_text"], p["copy_span"][0],
                              [x["copy_span"] for x in subs])})
    return rows


CONFLICT = ("conflict", "speaker-conflict")


def _pub_key(a: dict[str, Any]) -> tuple[str, str]:
    return (a.get("published") or a.get("event_date") or "~", a["id"])


def _where(where: dict[str, Any] | None) -> dict[str, Any] | None:
    if not where:
        return None
    keep = ("name", "province", "country", "country_code", "lat", "lon", "id", "kind")
    return {k: where.get(k) for k in keep if k in where}


def _year_only(when: dict[str, Any]) -> int | None:
    """The year, when an event's interval is a whole calendar year (only "in 1996" was read)."""
    lo, hi = when.get("earliest"), when.get("latest")
    if not lo or not hi or lo[:4] != hi[:4] or lo[5:] != "01-01" or hi[5:] != "12-31":
        return None
    return int(lo[:4])


def event_day(when: dict[str, Any] | None) -> str | None:
    """The day an event is placed on in lists, the timeline and exports: None where the
    reports name only a year (a bare "in 1996" is as often background as the event's own)."""
    when = when or {}
    return None if _year_only(when) is not None else when.get("date")


def when_label(when: dict[str, Any] | None) -> str:
    """An event's date as precisely as the reports state it: a day, a month ("March 2005"),
    else the day and the interval around it; a bare year is shown as unknown with that year
    (the midpoint of a year is no date to print as if it were known)."""
    when = when or {}
    day, lo, hi = when.get("date"), when.get("earliest"), when.get("latest")
    if not day:
        return "unknown"
    if not lo or not hi or lo == hi:
        return day
    try:
        a, b = _dt.date.fromisoformat(lo), _dt.date.fromisoformat(hi)
    except ValueError:
        return day
    if _year_only(when) is not None:
        return f"unknown (the reports name only the year {a.year})"
    nxt = _dt.date(b.year + (b.month == 12), b.month % 12 + 1, 1)
    if a.day == 1 and (a.year, a.month) == (b.year, b.month) and (nxt - b).days == 1:
        return f"{a.strftime('%B')} {a.year} (no day stated)"
    return f"about {day} (between {lo} and {hi})"


def event_summary(card: dict[str, Any], conflicts: int | None = None) -> dict[str, Any]:
    """One line of an events list: id, headline, date, place, size (articles and copies)."""
    arts = card.get("articles", [])
    size = len(arts) + sum(len(a.get("copies", [])) for a in arts)
    out = {"id": card["id"], "headline": card.get("headline"),
           "date": event_day(card.get("when")),
           "when_label": when_label(card.get("when")), "where": _where(card.get("where")),
           "size": size, "sources": len(arts)}
    if conflicts is not None:
        out["conflicts"] = conflicts
    return out


def place_label(where: dict[str, Any] | None) -> str:
    """ "Qala i Naw, Badghis, Afghanistan"; a province is not named twice ("Unity, South
    Sudan", not "Unity, Unity, South Sudan")."""
    if not where:
        return ""
    parts: list[str] = []
    for k in ("name", "province", "country"):
        v = where.get(k)
        if v and str(v) not in parts:
            parts.append(str(v))
    return ", ".join(parts)


def event_view(card: dict[str, Any], facts: list[dict[str, Any]]) -> dict[str, Any]:
    """One event's card with its sources in order of first publication (copies folded under
    their origin), its facts (conflicts first), its quotations grouped by speaker and a map of
    its place: what the event page and the report's event section both show."""
    order = {"conflict": 0, "speaker-conflict": 1, "agree": 2}
    facts = sorted(facts, key=lambda f: (order.get(f["status"], 3), f["kind"],
                                         [str(k) for k in f["key"]]))
    sources = []
    for a in sorted(card.get("articles", []), key=_pub_key):
        sources.append({**a, "copies": sorted(a.get("copies", []), key=_pub_key)})
    quotes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        if f["kind"] != "quote":
            continue
        for v in f["values"]:
            quotes[v.get("speaker") or "(unattributed)"].append(
                {"article_id": v["article_id"], "title": v.get("title"), "text": v.get("text"),
                 "role": v.get("role"), "status": f["status"], "start": v.get("start")})
    n_copies = sum(len(s["copies"]) for s in sources)
    return {
        "id": card["id"], "headline": card.get("headline"), "when": card.get("when"),
        "when_label": when_label(card.get("when")),
        "where": card.get("where"), "who": card.get("who", []), "what": card.get("what", []),
        "first_report": card.get("first_report"),
        "sources": sources,
        "summary": f"{len(sources)} origin{'s' if len(sources) != 1 else ''}, "
                   f"{n_copies} reprint{'s' if n_copies != 1 else ''}",
        "facts": facts,
        "conflicts": sum(f["status"] in CONFLICT for f in facts),
        "quotes": [{"speaker": s, "quotes": q} for s, q in sorted(quotes.items())],
    }


def event_map(view: dict[str, Any]) -> tuple[MapView | None, str]:
    """The map of an event's place with its country, and its caption (view data)."""
    where = view.get("where") or {}
    label = place_label(where)
    m = place_map(where["lat"], where["lon"], label or "event place", where.get("country")) \
        if where.get("lat") is not None and where.get("lon") is not None else None
    if m is None:
        return None, ""
    caption = label + (f" (in {m.here} on this map)" if m.here and m.here != where.get("country")
                       else "")
    return m, caption


def events_world_map(summaries: list[dict[str, Any]], url: Callable[..., str | None]
                     ) -> tuple[MapView, str]:
    """Every located event on a world map, one dot per place sized by its articles."""
    by_place: dict[tuple[float, float], list[dict[str, Any]]] = defaultdict(list)
    for e in summaries:
        w = e.get("where") or {}
        if isinstance(w.get("lat"), (int, float)) and isinstance(w.get("lon"), (int, float)):
            by_place[(round(w["lat"], 2), round(w["lon"], 2))].append(e)
    places = []
    for (lat, lon), evs in sorted(by_place.items()):
        evs = sorted(evs, key=lambda e: (-e["size"], e["id"]))
        name = place_label(evs[0]["where"])
        size = sum(e["size"] for e in evs)
        if len(evs) == 1:
            label = f"{name}: {evs[0]['headline'] or evs[0]['id']} ({size} article" \
                    f"{'s' if size != 1 else ''})"
            href = url("event", evs[0]["id"])
        else:
            label = f"{name}: {len(evs)} events, {size} articles; largest: " \
                    f"{evs[0]['headline'] or evs[0]['id']}"
            href = url("place", evs[0]["where"].get("name") or name) or url("event", evs[0]["id"])
        places.append(MapPlace(lat, lon, label, href, float(size)))
    located = sum(len(v) for v in by_place.values())
    caption = (f"{located} of {len(summaries)} events located, at {len(by_place)} places; "
               "dot area by number of articles.")
    return world_map(places), caption


def events_timeline(summaries: list[dict[str, Any]], url: Callable[..., str | None]
                    ) -> Timeline:
    return timeline([TimelineItem(e.get("date"), e["size"], e.get("headline") or e["id"],
                                  url("event", e["id"])) for e in summaries])


def _report_url(kind: str, ident: str, other: Any = None) -> str | None:
    """Links inside report.html are anchors in the same file."""
    if kind in ("article", "event", "group"):
        return "#" + ident
    if kind == "copy":
        return f"#copy-{ident}-{other}"
    if kind == "fact" and other is not None:
        return "#" + fact_anchor(ident, int(other))
    return None  # places and outlets have no section of their own


@dataclass(frozen=True)
class HtmlLimits:
    """How much of a large store ``report.html`` draws in full: one self-contained file must
    still open in a browser (20,000 articles drawn whole made a 480 MB page). ``report.json``
    always has everything; ``newstrace serve`` browses it all."""

    events: int = 100  # event sections, largest first
    copies: int = 200  # side-by-side copy views, those of the events shown first
    articles: int = 500  # article sections with their text
    rows: int = 2000  # rows of the events and articles tables


def _report_scope(report: dict[str, Any], summaries: list[dict[str, Any]],
                  limits: HtmlLimits) -> tuple[set[str], list[dict[str, Any]], set[str]]:
    """Which events, reuse links and articles ``report.html`` draws in full: all of them in a
    store within the limits, else the largest events, the copy views among them (best first)
    and the articles those show, then the spun articles, up to each limit."""
    events = [e["id"] for e in summaries[:limits.events]]
    shown_events = set(events)
    members: list[str] = []
    for card in report.get("events", []):
        if card["id"] in shown_events:
            for a in card.get("articles", []):
                members.append(a["id"])
                members.extend(c["id"] if isinstance(c, dict) else c for c in a.get("copies", []))
    in_events = set(members)
    links = sorted(report.get("reuse", []),
                   key=lambda x: (x["copy"] not in in_events, -x.get("score", 0),
                                  x["copy"], x["source"]))[:limits.copies]
    wanted = members + [i for x in links for i in (x["copy"], x["source"])]
    wanted += [a["id"] for a in report["articles"] if (a.get("spin") or {}).get("verdict")]
    wanted += [a["id"] for a in report["articles"]]  # the rest, in report order
    articles: list[str] = []
    seen: set[str] = set()
    for aid in wanted:
        if aid not in seen:
            seen.add(aid)
            articles.append(aid)
            if len(articles) >= limits.articles:
                break
    return shown_events, links, set(articles)


def render_html(report: dict[str, Any], limits: HtmlLimits = HtmlLimits()) -> str:
    """A single HTML file with inline styles and SVG; every string from the data is escaped.
    A store larger than ``limits`` is drawn in part (a note at the top says what is left out);
    links to what is not drawn become plain text."""
    titles = {a["id"]: a["title"] for a in report["articles"]}
    conflicts_of = {}
    summaries = []
    for card in report.get("events", []):
        n = sum(f["status"] in CONFLICT for f in card.get("facts", []))
        conflicts_of[card["id"]] = n
        summaries.append(event_summary(card, n))
    summaries.sort(key=lambda e: (-e["size"], e["date"] or "~", e["id"]))
    shown_events, links, shown_articles = _report_scope(report, summaries, limits)
    events = []
    for card in report.get("events", []):
        if card["id"] in shown_events:
            view = event_view(card, card.get("facts", []))
            view["map"], view["map_caption"] = event_map(view)
            events.append(view)
    order = {e["id"]: i for i, e in enumerate(summaries)}
    events.sort(key=lambda v: order[v["id"]])
    copies = []
    for link in links:
        copies.append({**link, "rows": copy_rows(link),
                       "source_title": titles.get(link["source"], ""),
                       "copy_title": titles.get(link["copy"], "")})
    shown_copies = {(x["copy"], x["source"]) for x in links}
    rel = {(x["copy"], x["source"]): x["relation"] for x in report.get("reuse", [])}
    articles = []
    for a in report["articles"]:
        if a["id"] in shown_articles:
            articles.append({**a, "copies": [{"id": c, "title": titles.get(c, ""),
                                              "relation": rel.get((c, a["id"]))}
                                             for c in a["provenance"]["copies"]]})
    url = _scoped_url(shown_events, shown_articles, shown_copies)
    world, world_caption = events_world_map(summaries, url)
    env = template_env(url)
    scope = {"partial": len(events) < len(summaries) or len(articles) < len(report["articles"])
             or len(copies) < len(report.get("reuse", [])),
             "events": len(events), "events_all": len(summaries),
             "articles": len(articles), "articles_all": len(report["articles"]),
             "copies": len(copies), "copies_all": len(report.get("reuse", [])),
             "rows": limits.rows}
    return env.get_template("report.html.j2").render(
        r=report, events=events, summaries=summaries[:limits.rows], copies=copies,
        articles=articles, table_articles=report["articles"][:limits.rows], scope=scope,
        titles=titles, highlights=_highlights(report, shown_articles),
        world=world, world_caption=world_caption,
        timeline=events_timeline(summaries, url))


def _scoped_url(events: set[str], articles: set[str], copies: set[tuple[str, str]]
                ) -> Callable[..., str | None]:
    """:func:`_report_url`, but only for what the page draws (no anchor leads nowhere)."""
    def url(kind: str, ident: str, other: Any = None) -> str | None:
        if (kind == "event" and ident not in events) or \
                (kind in ("article", "fact") and ident not in articles) or \
                (kind == "copy" and (ident, other) not in copies):
            return None
        return _report_url(kind, ident, other)
    return url


def _highlights(report: dict[str, Any], only: set[str] | None = None
                ) -> dict[str, list[tuple[str, Any]]]:
    """Every article's text pieces: its spin evidence and the facts its event lined up (an
    article alone in its event: its own facts)."""
    facts_of: dict[str, list[dict[str, Any]]] = {}
    for card in report.get("events", []):
        if len(card.get("articles", [])) > 1 or card.get("facts"):
            for a in card.get("articles", []):
                facts_of[a["id"]] = card.get("facts") or []
    out = {}
    for a in report["articles"]:
        if only is not None and a["id"] not in only:
            continue
        rows = facts_of.get(a["id"])
        if rows is None:  # alone in its event (or in none): its own facts
            rows = own_fact_rows(a["id"], a.get("title") or "", a["text"])
        out[a["id"]] = text_pieces(a["text"], a.get("spin"), fact_marks(rows, a["id"]))
    return out


def _pct(x: Any) -> str:
    try:
        return f"{100 * float(x):.0f}%"
    except (TypeError, ValueError):
        return "–"


def template_env(url: Callable[..., str | None]) -> Environment:
    """The one template set (``templates/``) with a view's ``url`` for its links: report.html
    links to anchors, the web app to its pages."""
    env = Environment(loader=PackageLoader("newstrace", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = _pct
    env.globals["url"] = url

    def link(kind: str, ident: str, text: Any, other: str | None = None) -> Markup:
        """``text`` linked to where ``url`` puts it (a Python global, not a macro: pages call
        it for every source and copy, and a macro call costs ten times as much)."""
        href = url(kind, ident, other)
        if href is None:
            return escape(text)
        return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')

    env.globals["link"] = link
    env.globals["marked_kinds"] = marked_kinds
    env.globals["when_label"] = when_label
    env.globals["marked_facts"] = MARKED_FACTS
    env.globals["claim_readings"] = READINGS
    env.globals["figure_changes"] = lambda table: figure_changes(
        (t["source"], t["copy"]) for t in table or ())
    return env


def write(report: dict[str, Any], out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.html`` atomically (temp file, then rename)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out / "report.json", out / "report.html"
    _atomic_write(json_path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    _atomic_write(html_path, render_html(report))
    return json_path, html_path


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
