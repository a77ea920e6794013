"""Offline charts: the events timeline and the outlet bars (geometry for inline SVG)."""

from __future__ import annotations

import datetime as dt

from newstrace.timeline import MAX_POINTS, TimelineItem, bars, parse_date, timeline


def test_parse_date_accepts_partial_iso_dates() -> None:
    assert parse_date("2011-11-10") == dt.date(2011, 11, 10)
    assert parse_date("2011-11") == dt.date(2011, 11, 1)
    assert parse_date("2011") == dt.date(2011, 1, 1)
    assert parse_date("2011-02-30") is None and parse_date("soon") is None
    assert parse_date(None) is None


def test_timeline_places_events_by_date_and_size() -> None:
    items = [TimelineItem("2020-01-01", 1, "a", "/events/a"),
             TimelineItem("2020-03-01", 40, "b", "/events/b"),
             TimelineItem("2020-02-01", 5, "c", None),
             TimelineItem(None, 9, "undated")]
    t = timeline(items)
    assert t.undated == 1 and t.left_out == 0
    pts = {p["label"]: p for p in t.points}
    assert set(pts) == {"a", "b", "c"}
    assert pts["a"]["x"] < pts["c"]["x"] < pts["b"]["x"]
    assert pts["b"]["y"] < pts["c"]["y"] < pts["a"]["y"]  # bigger is higher
    assert pts["b"]["r"] > pts["a"]["r"]
    px, py, pw, ph = t.plot
    assert all(px < p["x"] < px + pw and py <= p["y"] <= py + ph for p in t.points)
    assert t.points[-1]["label"] == "b"  # the largest drawn last, on top
    assert t.x_ticks and all(px <= x["x"] <= px + pw for x in t.x_ticks)
    assert [y["label"] for y in t.y_ticks][:3] == ["1", "2", "5"]


def test_timeline_ticks_follow_the_span() -> None:
    days = timeline([TimelineItem("2020-01-01", 1, "a"), TimelineItem("2020-01-08", 1, "b")])
    assert all(len(x["label"]) == 10 for x in days.x_ticks)  # ISO days
    years = timeline([TimelineItem("1990", 1, "a"), TimelineItem("2020", 1, "b")])
    assert all(len(x["label"]) == 4 for x in years.x_ticks) and len(years.x_ticks) <= 9
    one = timeline([TimelineItem("2020-05-05", 3, "only")])
    assert len(one.points) == 1


def test_timeline_caps_points_and_handles_nothing() -> None:
    many = [TimelineItem(f"2020-01-{1 + i % 28:02d}", 1 + i, str(i))
            for i in range(MAX_POINTS + 7)]
    t = timeline(many)
    assert len(t.points) == MAX_POINTS and t.left_out == 7
    assert min(p["size"] for p in t.points) == 8  # the smallest were left out
    empty = timeline([TimelineItem(None, 1, "x")])
    assert empty.points == [] and empty.undated == 1


def test_bars() -> None:
    b = bars([("b", 5, None), ("a", 10, "/search?outlet=a"), ("c", 5, None)], limit=2)
    assert [r["label"] for r in b.rows] == ["a", "b"] and b.left_out == 1
    assert b.rows[0]["width"] == 100.0 and b.rows[1]["width"] == 50.0


def test_timeline_counts_every_dated_event_in_the_strip() -> None:
    """100,000 events: at most MAX_POINTS circles and STRIP_BINS periods, whatever the
    store's size; the strip still counts every dated event and its articles."""
    from newstrace.timeline import STRIP_BINS

    items = [TimelineItem(f"{2019 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}", 1 + i % 37,
                          str(i)) for i in range(100_000)] + [TimelineItem(None, 3, "u")]
    t = timeline(items)
    assert len(t.points) == MAX_POINTS and t.left_out == 100_000 - MAX_POINTS
    assert 0 < len(t.strip) <= STRIP_BINS
    assert sum(b["events"] for b in t.strip) == 100_000
    assert sum(b["articles"] for b in t.strip) == sum(i.size for i in items[:-1])
    px, py, pw, ph = t.plot
    assert all(px - 0.1 <= b["x"] and b["x"] + b["w"] <= px + pw + 1.1 for b in t.strip)
    assert [b["x"] for b in t.strip] == sorted(b["x"] for b in t.strip)
    assert all(b["start"] <= b["end"] for b in t.strip)
    assert max(b["opacity"] for b in t.strip) == 1.0
    few = timeline([TimelineItem("2020-01-01", 2, "a"), TimelineItem("2020-01-09", 1, "b")])
    assert sum(b["events"] for b in few.strip) == 2 and few.left_out == 0
