"""report.json against its schema; report.html self-contained and escaped; determinism."""

import json
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from newstrace import report
from newstrace.pipeline import (detect_spin, find_copies, find_events, find_provenance,
                                ingest)
from newstrace.store import open_store

HOSTILE_TITLE = '<script>alert("t")</script> Breaking <img src=x onerror=alert(1)>'
HOSTILE_BODY = ('Officials said <script>document.title="pwned"</script> that the '
                '<a href="javascript:alert(2)">link</a> and <b onmouseover=alert(3)>x</b> '
                'were planted. ') * 5


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element the browser would build from the page."""
    found: list = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def _schema() -> dict:
    return json.loads(resources.files("newstrace").joinpath(
        "schemas/report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture()
def built(tmp_path: Path) -> tuple[dict, Path]:
    src = tmp_path / "in"
    src.mkdir()
    (src / "hostile.txt").write_text(HOSTILE_TITLE + "\n\n" + HOSTILE_BODY, encoding="utf-8")
    (src / "a.txt").write_text("A title\n\n" + "Body words here and there. " * 20,
                               encoding="utf-8")
    (src / "a-copy.txt").write_text("Another title\n\n" + "Body words here and there. " * 20
                                    + "\n\nSubscribe now.", encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    # a hostile copy too, so the copy view, spin highlights and event card carry hostile text
    (src / "hostile-copy.txt").write_text(HOSTILE_TITLE + " (reprint)\n\n" + HOSTILE_BODY
                                          + "\n\nShare this <b>now</b>.", encoding="utf-8")
    with open_store(tmp_path / "s.db") as store:
        result = ingest(store, [str(src)])
        find_copies(store)
        find_provenance(store)
        detect_spin(store)
        find_events(store)
        rep = report.build(store, result)
    return rep, tmp_path


def test_report_matches_schema(built: tuple[dict, Path]) -> None:
    rep, _ = built
    jsonschema.validate(rep, _schema())
    assert rep["summary"]["articles"] == 4 and rep["summary"]["skipped"] == 1
    assert rep["summary"]["duplicate_groups"] == 2
    assert rep["reuse"] and rep["events"]
    skipped = [i for i in rep["inputs"] if i["status"] == "skipped"]
    assert skipped[0]["path"].endswith("empty.txt") and "empty" in skipped[0]["reason"]


def test_html_is_self_contained_and_escaped(built: tuple[dict, Path]) -> None:
    rep, tmp = built
    _, html_path = report.write(rep, tmp / "out")
    html = html_path.read_text(encoding="utf-8")
    tags = _tags(html)
    assert not {"script", "img", "iframe", "object"} & {t for t, _ in tags}
    attrs = [(k, v or "") for _, a in tags for k, v in a]
    assert not [k for k, _ in attrs if k.startswith("on")]  # no event handlers
    assert not [v for _, v in attrs if v.strip().lower().startswith("javascript:")]
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # no network: nothing fetched from elsewhere
    for needle in ("http://", "https://", "src=\"//"):
        assert needle not in html.replace("http-equiv", "")


def test_html_draws_events_with_the_shared_partials(built: tuple[dict, Path]) -> None:
    rep, tmp = built
    _, html_path = report.write(rep, tmp / "out")
    html = html_path.read_text(encoding="utf-8")
    assert html.count('<svg class="map"') >= 1  # the world map, offline
    assert 'class="events"' in html  # the overview's events table
    for e in rep["events"]:
        assert f'<details class="event" id="{e["id"]}">' in html
    assert html.count('<table class="sources">') == len(rep["events"])
    for link in rep["reuse"]:  # each copy view has its anchor, linked from the copy
        assert f'id="copy-{link["copy"]}-{link["source"]}"' in html
        assert f'href="#copy-{link["copy"]}-{link["source"]}"' in html
    # the hostile title is escaped in the map's and the timeline's tooltips too
    assert "<title>" in html and "<title><script>" not in html


def test_report_is_deterministic(built: tuple[dict, Path]) -> None:
    rep, tmp = built
    a_json, a_html = report.write(rep, tmp / "a")
    with open_store(tmp / "s.db") as store:
        again = report.build(store, None)
    assert again["articles"] == rep["articles"]
    assert again["duplicate_groups"] == rep["duplicate_groups"]
    b_json, b_html = report.write(rep, tmp / "b")
    assert a_json.read_bytes() == b_json.read_bytes()
    assert a_html.read_bytes() == b_html.read_bytes()


def test_stories_count_independent_origins() -> None:
    from newstrace.store.base import ReuseLink

    def link(copy: str, source: str) -> ReuseLink:
        return ReuseLink(copy, source, "verbatim", 1.0, "published", (), {}, {})

    found = report.stories([link("art_b", "art_a"), link("art_c", "art_a"),
                            link("art_d", "art_c"), link("art_y", "art_x")])
    assert found == [
        {"members": ["art_a", "art_b", "art_c", "art_d"], "origins": ["art_a"],
         "independent_origins": 1},
        {"members": ["art_x", "art_y"], "origins": ["art_x"], "independent_origins": 1}]


def test_text_pieces_nest_facts_and_spin() -> None:
    """A count inside a quotation inside the text, and a spin substitute inside the quotation:
    each piece knows every mark over it, anchors sit where facts start, the likely original
    follows the end of the spin span only."""
    text = 'He said "more than 200 prisoners fled the final 12 months" today.'
    q0 = text.index('"')
    q1 = text.index('"', q0 + 1) + 1
    c0 = text.index("more than 200")
    s0 = text.index("final 12 months")
    facts = [{"kind": "quote", "start": q0, "end": q1, "label": "quote", "anchor": "f-a-q",
              "conflict": False},
             {"kind": "count", "start": c0, "end": c0 + 13, "label": "count", "anchor": "f-a-c",
              "conflict": True}]
    spin = {"evidence": [{"start": s0, "end": s0 + 15, "phrase": "final 12 months",
                          "original": "last year", "reasons": ["odd number words"]}]}
    pieces = report.text_pieces(text, spin, facts)
    assert "".join(t for t, _ in pieces) == text
    by_text = {t: p for t, p in pieces}
    assert by_text["more than 200"]["anchors"] == ["f-a-c"]
    assert [f["kind"] for f in by_text["more than 200"]["facts"]] == ["quote", "count"]
    assert by_text["final 12 months"]["spin"]["original"] == "last year"
    assert by_text["final 12 months"]["spin_end"]
    assert [f["kind"] for f in by_text["final 12 months"]["facts"]] == ["quote"]
    assert by_text["He said "] is None and by_text[" today."] is None
    assert pieces[1] == ('"', {"spin": None, "spin_end": False, "facts": [facts[0]],
                               "anchors": ["f-a-q"]})
    assert report.marked_kinds(pieces) == {"spin", "quote", "count"}
    # out-of-range and empty spans are left out, not rendered half
    assert report.text_pieces("abc", None, [{"kind": "count", "start": 2, "end": 9,
                                             "anchor": "x"}]) == [("abc", None)]


def test_fact_marks_of_one_article() -> None:
    rows = [{"kind": "count", "key": ["escaped", "prisoner"], "status": "conflict",
             "values": [{"article_id": "a", "text": "dozens", "start": 5, "end": 11},
                        {"article_id": "b", "text": "200", "start": 1, "end": 4}]},
            {"kind": "name", "key": ["place", "X"], "status": "agree",
             "values": [{"article_id": "a", "text": "X", "start": 0, "end": 1}]}]
    marks = report.fact_marks(rows, "a")
    assert marks == [{"kind": "count", "start": 5, "end": 11, "status": "conflict",
                      "label": "count: escaped / prisoner (conflict)",
                      "anchor": report.fact_anchor("a", 5), "conflict": True}]


def test_a_large_store_is_drawn_in_part_without_dangling_links(tmp_path: Path,
                                                               build_examples) -> None:
    """Past the limits report.html draws the largest events, the best copy views and the
    articles they show, says so at the top, and links only to what it draws."""
    import re

    db = tmp_path / "examples.db"
    build_examples(db)
    with open_store(db, readonly=True) as store:
        rep = report.build(store)
    whole = report.render_html(rep)
    assert 'class="note"' not in whole
    ids = set(re.findall(r'\bid="([^"]+)"', whole))
    assert set(re.findall(r'href="#([^"]+)"', whole)) <= ids  # no link leads nowhere
    limits = report.HtmlLimits(events=2, copies=1, articles=6, rows=10)
    page = report.render_html(rep, limits)
    assert 'class="note"' in page and f"2 of {len(rep['events'])} events" in page
    assert page.count('<details class="event"') == 2
    assert page.count('<details class="article" id="art_') == 6
    assert page.count('<details class="article" id="copy-') == 1
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets and targets <= ids  # every in-page link has its anchor
    largest = max(rep["events"], key=lambda e: (len(e["articles"]) + sum(
        len(a.get("copies", [])) for a in e["articles"])))
    assert f'<details class="event" id="{largest["id"]}">' in page


def test_when_label_says_how_precise_the_date_is() -> None:
    label = report.when_label
    assert label(None) == label({"date": None}) == "unknown"
    assert label({"date": "2021-07-07", "earliest": "2021-07-07", "latest": "2021-07-07"}) \
        == "2021-07-07"
    assert label({"date": "1996-07-01", "earliest": "1996-01-01", "latest": "1996-12-31"}) \
        == "unknown (the reports name only the year 1996)"
    assert report.event_day({"date": "1996-07-01", "earliest": "1996-01-01",
                             "latest": "1996-12-31"}) is None  # not on the timeline either
    assert report.event_day({"date": "2005-03-16", "earliest": "2005-03-01",
                             "latest": "2005-03-31"}) == "2005-03-16"
    assert label({"date": "2005-03-16", "earliest": "2005-03-01", "latest": "2005-03-31"}) \
        == "March 2005 (no day stated)"
    assert label({"date": "2009-11-28", "earliest": "2009-11-22", "latest": "2009-12-01"}) \
        == "about 2009-11-28 (between 2009-11-22 and 2009-12-01)"


def test_action_marks_and_fact_table_cells_link_to_their_sentence() -> None:
    """An action row (who did what to whom) marks its words in each article, names the agent in
    the fact table, and each cell links to the anchor of its evidence; text is escaped."""
    rows = [{"kind": "action", "key": ["attack", "school"], "status": "conflict",
             "values": [{"article_id": "a", "text": "Israeli forces shelled the school",
                         "start": 0, "end": 33, "agent": "Israeli forces", "target": "the school"},
                        {"article_id": "b", "text": "Hamas <i>militants</i> shelled the school",
                         "start": 4, "end": 44, "agent": "Hamas <i>militants</i>",
                         "target": "the school"}],
             "pairs": [{"a": "a", "b": "b", "status": "conflict"}]}]
    [mark] = report.fact_marks(rows, "b")
    assert mark["kind"] == "action" and mark["conflict"] and mark["anchor"] == report.fact_anchor("b", 4)
    assert "by Hamas <i>militants</i>, to the school" in mark["label"]
    env = report.template_env(lambda kind, ident, other=None: f"#{report.fact_anchor(ident, int(other))}"
                              if kind == "fact" else f"#{ident}")
    html = env.from_string('{% import "macros.html.j2" as m %}{{ m.fact_table(e) }}').render(
        e={"facts": rows, "conflicts": 1})
    assert '<tr class="conflict">' in html and "action: attack / school" in html
    assert 'href="#f-a-0"' in html and 'href="#f-b-4"' in html
    assert "by <b>Israeli forces</b>, to the school" in html
    assert "<i>militants</i>" not in html and "&lt;i&gt;militants&lt;/i&gt;" in html
