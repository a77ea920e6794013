"""End to end in a real browser: ``newstrace serve`` pages in headless Chromium (Playwright).

Skipped unless the ``playwright`` package is importable and Chromium is at ``/usr/bin/chromium``
(Debian's package; no browser is downloaded: ``playwright install`` is never run). The app runs
under uvicorn in a background thread on 127.0.0.1 and a free port, over a store built from
``examples/`` as in ``test_serve.py``. Screenshots of every page go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
    pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api",
                    reason="playwright is not installed (pip install playwright)")
pytest.importorskip("fastapi", reason="fastapi is not installed (the 'serve' extra)")
pytest.importorskip("uvicorn", reason="uvicorn is not installed (the 'serve' extra)")
pytest.importorskip("httpx", reason="httpx is not installed")

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from newstrace.serve import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ARTIFACTS = ROOT / "test-artifacts"
SEED_000 = "examples/seeds/000_4939783a04e9bdd2.txt"
SEED_003 = "examples/seeds/003_8eb8f662f504325c.txt"
REPRINT = "examples/reprints/daily-reprint-network.html"
TOKEN = "browser-test-token"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]

HOSTILE_TITLE = "Pwn <script>window.__pwned=1</script> attempt"
HOSTILE_BODY = ("The council said on Tuesday that the bridge would reopen. "
                "<script>window.__pwned=1</script> "
                "<img src=x onerror=\"window.__pwned=2\"> "
                "<a href=\"javascript:window.__pwned=3\">x</a> "
                "Officials in Springfield confirmed the plan and said repairs had cost "
                "more than 2 million dollars.")


SERVED: dict[str, Path] = {}  # the live server's store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, build_examples):
    """(base url, ids) of a live server over the examples store."""
    db = tmp_path_factory.mktemp("browser") / "newstrace.db"
    ids = build_examples(db)
    SERVED["db"] = db
    port = _free_port()
    config = uvicorn.Config(create_app(str(db), TOKEN), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", ids
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:  # a broken or mismatched Chromium: say so, don't fail
            pytest.skip(f"Chromium at {CHROMIUM} did not start under Playwright: {exc}")
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    p = ctx.new_page()
    p.set_default_timeout(10_000)
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    p.errors = errors  # type: ignore[attr-defined]
    yield p
    ctx.close()


def _open(page: Page, url: str, shot: str) -> None:
    r = page.goto(url)
    assert r is not None and r.status == 200, (url, r and r.status)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-{shot}.png"), full_page=True)


def _api(base: str, path: str) -> dict:
    r = httpx.get(base + path, timeout=10)
    r.raise_for_status()
    return r.json()


def test_overview(server, page):
    base, _ = server
    _open(page, base + "/", "overview")
    n = _api(base, "/api/overview")["counts"]["articles"]
    assert page.locator("#n-articles").inner_text().strip() == str(n)
    assert page.locator("a[href^='/events/']").count() >= 3
    assert not page.errors  # type: ignore[attr-defined]


def test_seed_event_page(server, page):
    base, ids = server
    eid = _api(base, f"/api/articles/{ids[SEED_000]}")["event"]
    assert eid
    _open(page, base + "/", "overview-before-event")
    page.locator(f"a[href='/events/{eid}']").first.click()  # follow the overview's link
    page.wait_for_url(f"**/events/{eid}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-event-seeds.png"), full_page=True)
    for key in (SEED_000, SEED_003):
        assert page.locator(f"tr.source a[href='/articles/{ids[key]}']").count() == 1
    conflict = page.locator("table.facts tr.conflict", has_text="escaped / prisoner")
    assert conflict.count() >= 1 and conflict.first.is_visible()
    assert page.get_by_text("Qala i Naw").first.is_visible()


def test_fact_cell_opens_its_sentence(server, page):
    """A cell of the seeds' fact table links to the words in the article: following it lands
    on the marked count, framed as a conflict, in view."""
    base, ids = server
    aid = ids[SEED_000]
    eid = _api(base, f"/api/articles/{aid}")["event"]
    _open(page, f"{base}/events/{eid}", "event-seeds-facts")
    cell = page.locator(f"table.facts tr.conflict a[href^='/articles/{aid}#']",
                        has_text="More than 200")
    assert cell.count() == 1
    cell.click()
    page.wait_for_url(f"**/articles/{aid}#f-*")
    anchor = page.url.split("#", 1)[1]
    mark = page.locator(f"xpath=//span[@id='{anchor}']/following::mark"
                        "[contains(@class, 'count') and contains(@class, 'conflict')][1]")
    assert mark.inner_text().startswith("More than 200")
    assert mark.is_visible() and mark.evaluate(
        "m => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    assert page.locator("div.body mark.fact.quote").count() >= 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-article-seed-000-facts.png"))
    assert not page.errors  # type: ignore[attr-defined]


def test_spin_evidence_marked(server, page):
    base, ids = server
    aid = ids[SEED_003]
    evidence = _api(base, f"/api/articles/{aid}")["spin"]["evidence"]
    assert evidence
    _open(page, f"{base}/articles/{aid}", "article-seed-003")
    marks = page.locator("div.body mark.spin")
    assert marks.count() == len(evidence)
    assert marks.first.is_visible()
    assert evidence[0]["phrase"] in marks.all_inner_texts()
    bg = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent"), bg  # visibly highlighted


def test_copy_view_of_reprint(server, page):
    base, ids = server
    rid = ids[REPRINT]
    _open(page, f"{base}/articles/{rid}", "article-reprint")
    link = page.locator("a[href^='/copies/']").first
    href = link.get_attribute("href")
    assert href and href.startswith("/copies/")
    link.click()
    page.wait_for_url("**" + href)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-copy-view.png"), full_page=True)
    data = _api(base, "/api" + href)
    rows = page.locator("table.side tr")
    assert rows.count() >= 1 + len(data["pairs"])  # header + aligned sentences
    assert page.locator("table.side").inner_text().count("Israel") >= 1
    if data.get("substitution_table"):
        assert page.locator("table.subs tr").count() == 1 + len(data["substitution_table"])
    copy_id, source_id = href.split("/")[2:4]
    assert page.locator(f"a[href='/articles/{copy_id}']").count() >= 1
    assert page.locator(f"a[href='/articles/{source_id}']").count() >= 1


def test_hostile_article_renders_inert(server, page):
    base, _ = server
    r = httpx.post(base + "/api/articles", timeout=60,
                   headers={"Authorization": f"Bearer {TOKEN}"},
                   json={"title": HOSTILE_TITLE, "text": HOSTILE_BODY,
                         "outlet": "<img src=x onerror=\"window.__pwned=4\">Evil"})
    assert r.status_code == 201, r.text
    aid = r.json()["articles"][0]["id"]
    _open(page, f"{base}/articles/{aid}", "article-hostile")
    page.wait_for_timeout(300)  # give any injected handler the chance to run
    assert page.evaluate("typeof window.__pwned") == "undefined"
    body = page.locator("div.body")
    assert body.count() == 1
    assert body.locator("img, script, a, iframe").count() == 0
    assert page.locator("h2").first.locator("script").count() == 0
    # no element on the whole page comes from the data: no img at all, scripts none, and
    # no javascript: link
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("[...document.querySelectorAll('*')].flatMap(e => "
                         "[...e.attributes].map(a => a.name))"
                         ".filter(n => n.startsWith('on')).length") == 0
    # ... and the text is shown as text
    text = body.inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert "<img src=x" in text and "javascript:window.__pwned=3" in text
    assert "<script>window.__pwned=1</script>" in page.locator("h2").first.inner_text()
    # the search page with the hostile text in results is inert too
    _open(page, f"{base}/search?q=pwned", "search-hostile")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img, script").count() == 0
    assert not page.errors  # type: ignore[attr-defined]



# -- the offline map and timeline ------------------------------------------------------------

INSIDE_JS = """([sel, country, lon, lat]) => {
  // is (lon, lat) inside the named country's outline, as the browser draws it?
  const svg = document.querySelector(sel);
  const path = svg.querySelector(`path.country[data-name="${country}"]`);
  return path !== null && path.isPointInFill(new DOMPoint(lon, -lat));
}"""

MARKER_JS = """([sel, lon, lat]) => {
  // the marker drawn nearest (lon, lat), in the country group's coordinates, and whether it
  // lies inside the map's visible box
  const svg = document.querySelector(sel);
  const kx = parseFloat(svg.dataset.kx);
  let best = null, bestD = Infinity;
  for (const c of svg.querySelectorAll('circle.place')) {
    const x = c.cx.baseVal.value / kx, y = -c.cy.baseVal.value;
    const d = Math.hypot(x - lon, y - lat);
    if (d < bestD) { bestD = d; best = c; }
  }
  if (!best) return null;
  const r = best.getBoundingClientRect(), s = svg.getBoundingClientRect();
  const link = best.closest('a');
  return {lon: best.cx.baseVal.value / kx, lat: -best.cy.baseVal.value, dist: bestD,
          visible: r.width > 0 && r.left >= s.left && r.right <= s.right &&
                   r.top >= s.top && r.bottom <= s.bottom,
          href: link ? link.getAttribute('href') : null,
          label: best.querySelector('title').textContent};
}"""


def _seed_event(base: str, ids: dict) -> dict:
    eid = _api(base, f"/api/articles/{ids[SEED_000]}")["event"]
    return _api(base, f"/api/events/{eid}")


def test_overview_map_places_seed_event_in_afghanistan(server, page):
    base, ids = server
    event = _seed_event(base, ids)
    where = event["where"]
    assert where["country"] == "Afghanistan"
    _open(page, base + "/", "overview-map")
    svg = page.locator("svg.map").first
    assert svg.is_visible()
    assert page.locator("svg.map path.country").count() > 150  # the world's outlines
    marker = page.evaluate(MARKER_JS, ["svg.map", where["lon"], where["lat"]])
    assert marker and marker["dist"] < 0.05 and marker["visible"], marker
    assert marker["href"] == f"/events/{event['id']}"
    assert "Qala i Naw" in marker["label"]
    # the dot lies inside Afghanistan as the browser fills it, and not inside its neighbours
    assert page.evaluate(INSIDE_JS, ["svg.map", "Afghanistan", marker["lon"], marker["lat"]])
    for other in ("Iran", "Pakistan", "Turkmenistan"):
        assert not page.evaluate(INSIDE_JS, ["svg.map", other, marker["lon"], marker["lat"]])
    # every located event has its dot
    located = [e for e in _api(base, "/api/events") if (e.get("where") or {}).get("lat")]
    assert page.locator("svg.map circle.place").count() == len(
        {(round(e["where"]["lat"], 2), round(e["where"]["lon"], 2)) for e in located})
    assert not page.errors  # type: ignore[attr-defined]


def test_overview_timeline(server, page):
    base, _ = server
    events = _api(base, "/api/events")
    dated = [e for e in events if e.get("date")]
    _open(page, base + "/", "overview-timeline")
    chart = page.locator("svg.timeline")
    assert chart.is_visible()
    circles = chart.locator("circle")
    assert circles.count() == len(dated) >= 3
    # across: later events further right; up: bigger events higher
    pts = page.evaluate("""() => [...document.querySelectorAll('svg.timeline circle')].map(c => {
        const r = c.getBoundingClientRect();
        return {date: c.dataset.date, size: +c.dataset.size, x: r.x + r.width / 2,
                y: r.y + r.height / 2, href: c.closest('a').getAttribute('href')};
    })""")
    by_date = sorted(pts, key=lambda p: p["date"])
    assert [p["x"] for p in by_date] == sorted(p["x"] for p in by_date)
    small, big = min(pts, key=lambda p: p["size"]), max(pts, key=lambda p: p["size"])
    if big["size"] > small["size"]:
        assert big["y"] < small["y"]
    assert {p["href"] for p in pts} == {f"/events/{e['id']}" for e in dated}
    assert chart.locator("text").count() >= 4  # axis labels
    undated = len(events) - len(dated)
    if undated:
        assert f"{undated} event" in page.locator("figure.chart", has=chart).inner_text()


def test_event_page_map_shows_afghanistan(server, page):
    base, ids = server
    event = _seed_event(base, ids)
    where = event["where"]
    _open(page, f"{base}/events/{event['id']}", "event-map")
    svg = page.locator("svg.map")
    assert svg.count() == 1 and svg.is_visible()
    assert svg.get_attribute("data-country") == "Afghanistan"
    here = svg.locator("path.country.here")
    assert here.count() == 1 and here.get_attribute("data-name") == "Afghanistan"
    marker = page.evaluate(MARKER_JS, ["svg.map", where["lon"], where["lat"]])
    assert marker and marker["dist"] < 0.01 and marker["visible"], marker
    assert page.evaluate(INSIDE_JS, ["svg.map", "Afghanistan", where["lon"], where["lat"]])
    # the country is drawn big enough to read, and highlighted in another colour
    box = here.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 60
    fills = page.evaluate("""() => [...document.querySelectorAll('svg.map path.country')]
        .map(p => [p.classList.contains('here'), getComputedStyle(p).fill])""")
    assert {f for h, f in fills if h}.isdisjoint({f for h, f in fills if not h})
    assert "Qala i Naw" in page.locator("figure.place figcaption").inner_text()


def test_report_html_offline_in_browser(server, page, tmp_path):
    """report.html from the same store: one file, opened from disk, same map partial."""
    from newstrace import report
    from newstrace.store import open_store

    base, ids = server
    event = _seed_event(base, ids)
    with open_store(SERVED["db"], readonly=True) as store:
        rep = report.build(store)
    _, html_path = report.write(rep, tmp_path)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    _open(page, html_path.as_uri(), "report")
    assert all(u.startswith("file://") for u in requests), requests  # nothing from a network
    assert page.locator("script").count() == 0
    world = page.locator("svg.map").first
    assert world.is_visible()
    where = event["where"]
    marker = page.evaluate(MARKER_JS, ["svg.map", where["lon"], where["lat"]])
    assert marker and marker["href"] == f"#{event['id']}"
    assert page.evaluate(INSIDE_JS, ["svg.map", "Afghanistan", marker["lon"], marker["lat"]])
    assert page.locator("svg.timeline circle").count() >= 3
    # following the dot opens the event's section, drawn by the same partials as the app
    section = page.locator(f"details.event[id='{event['id']}']")
    section.locator("summary").click()
    assert section.locator("svg.map[data-country='Afghanistan']").is_visible()
    section.screenshot(path=str(ARTIFACTS / "browser-report-event-seeds.png"))
    assert section.locator("table.facts tr.conflict", has_text="escaped / prisoner").count() >= 1
    assert not page.errors  # type: ignore[attr-defined]
