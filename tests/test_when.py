"""Event dates: explicit dates, date lines, weekdays and relative words against a reference."""

from __future__ import annotations

import datetime as dt

import pytest

from pathlib import Path

from newstrace.when import event_date, event_weekday, parse_date, reference_date, url_date

D = dt.date
SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def seed(prefix: str) -> tuple[str, str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").strip().split("\n")
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def test_weekday_resolves_against_publication_date() -> None:
    # 8 July 2021 was a Thursday: "on Wednesday" is the day before
    est = event_date("Taliban storm a provincial capital",
                     "Officials said on Wednesday they had recaptured buildings.", "2021-07-08")
    assert est.date == D(2021, 7, 7)
    assert est.source == "weekday"
    assert est.evidence.lower().startswith("wednesday")
    assert est.reference == D(2021, 7, 7) + dt.timedelta(days=1)
    assert est.confidence >= 0.7


def test_same_weekday_as_publication_is_that_day() -> None:
    est = event_date("", "Officials said on Wednesday the city was retaken.", "2021-07-07T18:00:00Z")
    assert est.date == D(2021, 7, 7)


def test_last_weekday_is_a_week_back_on_that_day() -> None:
    est = event_date("", "The talks ended last Wednesday without a deal.", "2021-07-07")
    assert est.date == D(2021, 6, 30)


def test_relative_words_keep_their_uncertainty() -> None:
    over = event_date("", "Fighters stormed the city overnight.", "2021-07-07")
    assert over.earliest == D(2021, 7, 6) and over.latest == D(2021, 7, 7)
    week = event_date("", "Last week more than a thousand troops fled.", "2021-07-07")
    assert week.source == "relative"
    assert week.earliest < week.date < week.latest <= D(2021, 7, 7)
    yest = event_date("", "The minister resigned yesterday.", "2021-07-07")
    assert yest.date == D(2021, 7, 6) and yest.width_days() == 0


def test_explicit_date_wins_and_year_comes_from_reference() -> None:
    est = event_date("", "The quake struck on July 2 and killed six.", "2021-07-05")
    assert est.date == D(2021, 7, 2) and est.source == "explicit"
    # a January report of "Dec. 27" is last year's December
    est = event_date("", "He was arrested on Dec. 27 after a chase.", "2011-01-05")
    assert est.date == D(2010, 12, 27)


def test_future_mentions_are_not_the_event() -> None:
    est = event_date("", "The leaders will meet on Friday to discuss the crisis.", "2021-07-07")
    assert est.source == "published"  # nothing dates the event: at or just before publication
    assert est.earliest == D(2021, 7, 4) and est.latest == D(2021, 7, 7)


def test_date_line_is_the_reference_not_the_event() -> None:
    body = "May 2, 2013 | 5: 03pm\nThe star was arrested on Wednesday in Los Angeles."
    est = event_date("Star arrested", body, None)
    assert est.reference == D(2013, 5, 2) and est.reference_source == "text"
    assert est.date == D(2013, 5, 1) and est.source == "weekday"


@pytest.mark.parametrize("line, expected", [
    ("Published: April 23, 2013 9: 39 AM", D(2013, 4, 23)),
    ("Posted 2 / 3 / 2009 11: 11 PM", D(2009, 2, 3)),
    ("Last updated 15: 48 15 / 09 / 2013", D(2013, 9, 15)),
    ("Article posted on 08. 07. 2012", D(2012, 7, 8)),
    ("10: 24 AM, MON 22 JUL 2013", D(2013, 7, 22)),
    ("Published on 18th September 2013", D(2013, 9, 18)),
    ("2013 - 09 - 26", D(2013, 9, 26)),
])
def test_date_lines_in_many_shapes(line: str, expected: dt.date) -> None:
    ref, source, _, span = reference_date("", line + "\nSomething happened on Monday.")
    assert ref == expected and source == "text" and span is not None


def test_url_dates() -> None:
    assert url_date("http://x.com/2013/09/18/story.html") == (D(2013, 9, 18), D(2013, 9, 18))
    assert url_date("http://x.com/news/2009/Feb/04/abc/") == (D(2009, 2, 4), D(2009, 2, 4))
    assert url_date("http://x.com/2012/7/7/3143743/klitschko") == (D(2012, 7, 7), D(2012, 7, 7))
    assert url_date("http://x.com/2013/09/ms-ie-patch") == (D(2013, 9, 1), D(2013, 9, 30))
    assert url_date("http://x.com/story.html") is None
    est = event_date("", "Microsoft released a patch on Tuesday.", None,
                     url="http://x.com/2013/09/18/ms-ie-patch/1")
    assert est.reference_source == "url" and est.date == D(2013, 9, 17)


def test_no_reference_cannot_place_a_weekday() -> None:
    est = event_date("", "The fighter won on Saturday night in Mannheim.", None)
    assert est.date is None and est.confidence == 0.0
    est = event_date("", "The rampage in March 2005 left four dead.", None)
    assert est.earliest == D(2005, 3, 1) and est.latest == D(2005, 3, 31) and est.confidence < 0.5


def test_parse_date_and_to_dict() -> None:
    assert parse_date("2021-07-07T10:00:00+00:00") == D(2021, 7, 7)
    assert parse_date("July 7, 2021") == D(2021, 7, 7)
    assert parse_date("not a date") is None
    d = event_date("", "Fighters attacked on Wednesday.", "2021-07-08").to_dict()
    assert d["date"] == "2021-07-07" and d["source"] == "weekday" and d["field"] == "body"


def test_seed_reuters_report_dated_by_its_weekday() -> None:
    title, body = seed("000")
    est = event_date(title, body, "2021-07-07")
    assert est.date == D(2021, 7, 7)
    assert "wednesday" in est.evidence.lower() or "overnight" in est.evidence.lower()


def test_event_weekday_with_and_without_a_reference() -> None:
    # no reference date: the weekday the lead states still says which day it was
    assert event_weekday("", "The fighter won on Saturday night in Mannheim.") == 5
    # a future day is not the event's
    assert event_weekday("", "He will fight on Friday. The weigh-in was on Thursday.") == 3
    assert event_weekday("", "No day is named here.") is None
    # with a reference, the resolved date decides ("on Wednesday" in a story of 8 July 2021)
    est = event_date("", "Fighters attacked on Wednesday.", "2021-07-08")
    assert event_weekday("", "Fighters attacked on Wednesday.", est) == 2
    body = "Rescuers searched the rubble. The quake struck on July 4, killing 3."
    est = event_date("", body, "2021-07-06")
    assert est.source == "explicit" and event_weekday("", body, est) == 6
