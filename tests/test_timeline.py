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
