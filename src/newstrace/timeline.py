"""Offline charts as inline SVG geometry: events by size and time, and bars (articles per
outlet). Geometry only (numbers and labels); the templates draw and escape it, so the same
partial works in ``report.html`` and in the web app.

The timeline draws the ``MAX_POINTS`` largest events as circles and counts every dated event
in a density strip of ``STRIP_BINS`` periods under the axis, so its size does not grow with
the store (a circle per event made the overview of 20,000 articles 670 KB).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

WIDTH, HEIGHT = 900.0, 252.0
LEFT, RIGHT, TOP, BOTTOM = 44.0, 14.0, 12.0, 50.0
STRIP_TOP, STRIP_HEIGHT = 26.0, 14.0  # the density strip, below the plot's bottom edge
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MAX_POINTS = 200
STRIP_BINS = 60


@dataclass
class TimelineItem:
    """One event: its date (ISO, possibly only a year or a month), size and link."""

    date: str | None
    size: int
    label: str
    href: str | None = None


@dataclass
class Timeline:
    width: float = WIDTH
    height: float = HEIGHT
    points: list[dict[str, Any]] = field(default_factory=list)  # x, y, r, label, href, date
    x_ticks: list[dict[str, Any]] = field(default_factory=list)  # x, label
    y_ticks: list[dict[str, Any]] = field(default_factory=list)  # y, label
    undated: int = 0
    left_out: int = 0  # dated events not drawn as circles (beyond MAX_POINTS, smallest first)
    # every dated event counted by period: x, y, w, h, opacity, events, articles, start, end
    strip: list[dict[str, Any]] = field(default_factory=list)
    plot: tuple[float, float, float, float] = (LEFT, TOP, WIDTH - LEFT - RIGHT,
                                               HEIGHT - TOP - BOTTOM)


def parse_date(text: str | None) -> dt.date | None:
    """The day a (possibly partial) ISO date points at: '2011-11' is 1 November 2011."""
    m = DATE_RE.match(text or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _ticks(lo: dt.date, hi: dt.date) -> list[dt.date]:
    """About five to eight round dates (days, weeks, months or years) between lo and hi."""
    span = (hi - lo).days
    if span <= 14:
        step = max(1, math.ceil(span / 7))
        return [lo + dt.timedelta(days=i) for i in range(0, span + 1, step)]
    if span <= 120:
        first = lo + dt.timedelta(days=(7 - lo.weekday()) % 7)  # Mondays
        step = 7 * max(1, math.ceil(span / 7 / 8))
        return [first + dt.timedelta(days=i) for i in range(0, (hi - first).days + 1, step)]
    if span <= 3 * 366:
        months = (hi.year - lo.year) * 12 + hi.month - lo.month
        step = max(1, math.ceil(months / 8))
        out, y, m = [], lo.year, lo.month + (lo.day > 1)
        while True:
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
            d = dt.date(y, m, 1)
            if d > hi:
                return out
            out.append(d)
            m += step
    step = max(1, math.ceil((hi.year - lo.year) / 8))
    start = lo.year + (lo.month > 1 or lo.day > 1)
    return [dt.date(y, 1, 1) for y in range(start, hi.year + 1, step)]


def _tick_label(d: dt.date, span_days: int) -> str:
    if span_days > 3 * 366:
        return str(d.year)
    if span_days > 120:
        return d.strftime("%b %Y")
    return d.isoformat()


def timeline(items: list[TimelineItem]) -> Timeline:
    """Events on a time axis (x) by size (y, log scale); the largest drawn on top."""
    t = Timeline()
    dated = [(parse_date(i.date), i) for i in items]
    t.undated = sum(d is None for d, _ in dated)
    every = sorted(((d, i) for d, i in dated if d is not None),
                   key=lambda p: (-p[1].size, p[0], p[1].label))
    t.left_out = max(0, len(every) - MAX_POINTS)
    pts = every[:MAX_POINTS]
    if not pts:
        return t
    lo, hi = min(d for d, _ in every), max(d for d, _ in every)
    pad = dt.timedelta(days=max(3, round((hi - lo).days * 0.03)))  # no circle on the axis
    lo, hi = lo - pad, hi + pad
    span = (hi - lo).days
    px, py, pw, ph = t.plot
    top = max(i.size for _, i in pts)
    log_top = math.log10(max(top, 2)) * 1.05

    def x_of(d: dt.date) -> float:
        return px + pw * (d - lo).days / span

    def y_of(size: float) -> float:
        return py + ph - ph * math.log10(max(size, 1)) / log_top

    for d, i in reversed(pts):  # smallest first, so the largest are drawn on top
        t.points.append({"x": round(x_of(d), 1), "y": round(y_of(i.size), 1),
                         "r": round(2.5 + 2.0 * math.log2(max(i.size, 1)), 1),
                         "label": i.label, "href": i.href, "date": d.isoformat(),
                         "size": i.size})
    t.strip = _strip(every, lo, span, x_of, py + ph + STRIP_TOP)
    t.x_ticks = [{"x": round(x_of(d), 1), "label": _tick_label(d, span)}
                 for d in _ticks(lo, hi)]
    t.y_ticks = [{"y": round(y_of(v), 1), "label": str(v)}
                 for v in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if v <= top * 1.1]
    return t


def _strip(every: list[tuple[dt.date, TimelineItem]], lo: dt.date, span: int,
           x_of: Any, y: float) -> list[dict[str, Any]]:
    """Dated events counted in ``STRIP_BINS`` equal periods (empty ones left out); darker
    where more events fall."""
    n = min(STRIP_BINS, max(1, span))
    counts = [[0, 0] for _ in range(n)]
    for d, i in every:
        b = min(n - 1, (d - lo).days * n // span)
        counts[b][0] += 1
        counts[b][1] += i.size
    top = max(c for c, _ in counts) or 1
    out = []
    for b, (events, articles) in enumerate(counts):
        if not events:
            continue
        start = lo + dt.timedelta(days=span * b // n)
        end = lo + dt.timedelta(days=max(span * (b + 1) // n - 1, span * b // n))
        x0, x1 = x_of(start), x_of(lo + dt.timedelta(days=span * (b + 1) // n))
        out.append({"x": round(x0, 1), "y": round(y, 1), "w": round(max(x1 - x0, 1.0), 1),
                    "h": STRIP_HEIGHT, "opacity": round(0.15 + 0.85 * events / top, 2),
                    "events": events, "articles": articles,
                    "start": start.isoformat(), "end": end.isoformat()})
    return out


@dataclass
class Bars:
    rows: list[dict[str, Any]]  # label, value, width (percent of the longest), href
    left_out: int = 0


def bars(values: list[tuple[str, int, str | None]], limit: int = 20) -> Bars:
    """Horizontal bars for (label, value, href), largest first, ``limit`` of them."""
    ordered = sorted(values, key=lambda v: (-v[1], v[0]))
    top = max((v for _, v, _ in ordered), default=0) or 1
    rows = [{"label": label, "value": v, "width": round(100 * v / top, 1), "href": href}
            for label, v, href in ordered[:limit]]
    return Bars(rows, max(0, len(ordered) - limit))
