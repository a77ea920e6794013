"""When did the reported event happen: a date with its uncertainty and the words it rests on.

A news report rarely states the date of its event in full. It says "on Wednesday", "overnight",
"last week" and counts on the reader knowing when it was published. So this module first finds
a *reference date* (the publication date: the container's, else a date line at the top of the
text, else the article's URL), then reads the lead for the expression that dates the event and
resolves it against the reference:

* an explicit date ("July 7, 2021", "7 July", "Feb. 1") — a missing year comes from the
  reference (the most recent such day not far after it);
* a weekday ("on Wednesday", "Saturday night") — the last such day on or before the reference;
* a relative word ("today", "yesterday", "overnight", "last night", "last week", "earlier this
  month", "days ago");
* nothing at all: the event is taken to be at or shortly before publication (a wider interval,
  a lower confidence).

Every estimate is an interval ``[earliest, latest]`` with a point ``date`` inside it, the
``evidence`` words with their ``span`` and a ``confidence``. Without a reference, a weekday or
"yesterday" cannot be placed and the estimate says so (``date`` None, evidence kept).

The common patterns are plain precompiled regexes (tens of microseconds per article); the
optional ``dateparser`` package is called only on a short top-of-article line that looks like a
time stamp but that the regexes could not read.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

__all__ = ["DateEstimate", "event_date", "event_weekday", "parse_date", "reference_date", "url_date"]

Source = Literal["explicit", "relative", "weekday", "published", "none"]


@dataclass(frozen=True)
class DateEstimate:
    """The estimated date of the event an article reports.

    ``date`` is the single best day (None when it cannot be placed), ``earliest``/``latest``
    bound it. ``evidence`` is the expression the estimate rests on and ``span`` its character
    offsets in ``field`` ("title", "body", "published" for the container value, "url").
    ``reference`` is the publication date used to resolve relative expressions and
    ``reference_source`` where that came from ("container", "text", "url" or None).
    """

    date: _dt.date | None
    earliest: _dt.date | None
    latest: _dt.date | None
    evidence: str = ""
    span: tuple[int, int] | None = None
    field: str | None = None
    confidence: float = 0.0
    source: Source = "none"
    reference: _dt.date | None = None
    reference_source: str | None = None

    @property
    def known(self) -> bool:
        return self.date is not None

    def width_days(self) -> int | None:
        if self.earliest is None or self.latest is None:
            return None
        return (self.latest - self.earliest).days

    def to_dict(self) -> dict[str, Any]:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"date": iso(self.date), "earliest": iso(self.earliest), "latest": iso(self.latest),
                "evidence": self.evidence, "span": list(self.span) if self.span else None,
                "field": self.field, "confidence": round(self.confidence, 3), "source": self.source,
                "reference": iso(self.reference), "reference_source": self.reference_source}


UNKNOWN = DateEstimate(None, None, None)

# ---------------------------------------------------------------------------------------------
# Patterns (spaces are optional around separators: tokenised corpora write "2 / 3 / 2009",
# "Sep 18 , 2013", "1: 32 PM")
# ---------------------------------------------------------------------------------------------

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
           "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])")
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?"

#: Dates: "July 7, 2021", "Jul. 7 2021", "7 July 2021", "7th of July, 2021", "2021-07-07",
#: numeric "7/7/2021", "08. 07. 2012", "10 / 25 / 11"; and year-less "July 7", "7 July".
_DATE_RE = re.compile(
    rf"(?P<a>\b(?P<m1>{_MONTH})\.?\s*(?P<d1>\d{{1,2}}){_ORD}\b(?:\s*(?:,|-)?\s*(?P<y1>{_YEAR})\b)?)"
    rf"|(?P<b>\b(?P<d2>\d{{1,2}}){_ORD}\s*(?:of\s+)?(?P<m2>{_MONTH})\.?(?:\s*,?\s*(?P<y2>{_YEAR})\b)?)"
    rf"|(?P<c>\b(?P<y3>{_YEAR})\s*-\s*(?P<m3>\d{{1,2}})\s*-\s*(?P<d3>\d{{1,2}})\b)"
    rf"|(?P<n>\b(?P<p>\d{{1,2}})\s*(?P<sep>[/.])\s*(?P<q>\d{{1,2}})\s*(?P=sep)\s*(?P<r>{_YEAR}|\d\d)\b)",
    re.I,
)
_MONTH_YEAR_RE = re.compile(rf"\b(?:in|since|during|of|until)\s+(?:early\s+|late\s+|mid-?)?"
                            rf"(?P<m>{_MONTH})\.?\s*,?\s*(?P<y>{_YEAR})\b", re.I)
_YEAR_RE = re.compile(rf"\b(?:in|since|during|of|until|by)\s+(?P<y>{_YEAR})\b(?!\s*[-/])", re.I)

#: Relative expressions, the offset (days before the reference) as (earliest, point, latest).
_RELATIVE: dict[str, tuple[int, int, int]] = {
    "today": (0, 0, 0), "this morning": (0, 0, 0), "this afternoon": (0, 0, 0),
    "this evening": (0, 0, 0), "tonight": (0, 0, 0), "earlier today": (0, 0, 0),
    "yesterday": (1, 1, 1), "last night": (1, 1, 0), "overnight": (1, 0, 0),
    "late last night": (1, 1, 0), "early today": (0, 0, 0),
    "the day before yesterday": (2, 2, 2), "two days ago": (2, 2, 2), "three days ago": (3, 3, 3),
    "days ago": (6, 3, 2), "a few days ago": (6, 3, 2), "last week": (13, 7, 4),
    "earlier this week": (6, 3, 1), "this week": (6, 2, 0), "over the weekend": (4, 2, 0),
    "last weekend": (8, 4, 1), "this weekend": (2, 1, 0),
    "earlier this month": (30, 10, 1), "last month": (60, 30, 20), "this month": (30, 10, 0),
}
_RELATIVE_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(_RELATIVE, key=len, reverse=True)) + r")\b",
    re.I)
#: "on Wednesday", "Wednesday night", "late Thursday", "early Sunday": a weekday as a date.
_WEEKDAY_RE = re.compile(
    r"\b(?P<last>last\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"(?!\s*,?\s*(?:\d|" + _MONTH + r"))", re.I)
#: Words that introduce something that is not yet (or not the event): "will ... on Friday".
_FUTURE_RE = re.compile(r"\b(?:will|would|to be|is due|are due|scheduled|expected|plans? to|next)\b",
                        re.I)

#: A short line at the top that is a time stamp ("Published: April 23, 2013 9: 39 AM").
_STAMP_WORDS = re.compile(r"\b(?:published|posted|updated|last updated|first posted|date|created)\b",
                          re.I)
_HEAD_CHARS = 400  # the date line lives in the first few lines
_LEAD_CHARS = 700  # the lead: where the event's date is stated
_URL_DATE_RE = re.compile(
    rf"(?<!\d)(?P<y>{_YEAR})(?P<s>[/_-])(?P<m>\d{{1,2}}|{_MONTH})(?P=s)(?P<d>\d{{1,2}})(?!\d)", re.I)
_URL_YM_RE = re.compile(rf"/(?P<y>{_YEAR})/(?P<m>\d{{1,2}}|{_MONTH})/", re.I)
_URL_COMPACT_RE = re.compile(rf"(?<!\d)(?P<y>{_YEAR})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")


def _month(text: str) -> int:
    return _MONTHS[text[:3].lower()]


def _make(y: int, m: int, d: int) -> _dt.date | None:
    try:
        if not 1800 <= y <= 2200:
            return None
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _year2(y: str) -> int:
    v = int(y)
    if len(y) == 2:
        v += 2000 if v < 70 else 1900
    return v


def _date_from_match(m: re.Match[str], ref: _dt.date | None) -> tuple[_dt.date | None, bool]:
    """(date, had_year) for a ``_DATE_RE`` match; a year-less date takes the reference's year
    (or the previous one when that would put it more than a week after the reference)."""
    g = m.groupdict()
    if g["a"] or g["b"]:
        mon = _month(g["m1"] or g["m2"])
        day = int(g["d1"] or g["d2"])
        year = g["y1"] or g["y2"]
        if year:
            return _make(int(year), mon, day), True
        if ref is None:
            return None, False
        d = _make(ref.year, mon, day)
        if d is not None and d > ref + _dt.timedelta(days=7):
            d = _make(ref.year - 1, mon, day)
        return d, False
    if g["c"]:
        return _make(int(g["y3"]), int(g["m3"]), int(g["d3"])), True
    p, q, y = int(g["p"]), int(g["q"]), _year2(g["r"])
    if len(g["r"]) == 2 and g["sep"] == "." and p <= 31 and q <= 12 and p > 12:
        return _make(y, q, p), True
    if p > 12:  # 25/10/2011: day first
        return _make(y, q, p), True
    if q > 12:  # 10/25/11: month first
        return _make(y, p, q), True
    # ambiguous: dots are European (day.month), slashes American (month/day)
    return (_make(y, q, p) if g["sep"] == "." else _make(y, p, q)), True


@lru_cache(maxsize=4096)
def parse_date(text: str) -> _dt.date | None:
    """A calendar date from a short string: ISO (with or without time), or any form
    ``_DATE_RE`` reads with a year ("July 7, 2021", "7/7/2021"). None otherwise."""
    text = text.strip()
    if not text:
        return None
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return _make(int(text[:4]), int(text[5:7]), int(text[8:10]))
    for m in _DATE_RE.finditer(text):
        d, had_year = _date_from_match(m, None)
        if d is not None and had_year:
            return d
    return None


def url_date(url: str | None) -> tuple[_dt.date, _dt.date] | None:
    """The date a URL carries ("/2013/09/18/", "2013-09-18", "/2009/Feb/04/", "/20130918"), as
    an interval (a whole month for "/2013/09/"). None when there is none."""
    if not url:
        return None
    m = _URL_DATE_RE.search(url)
    if m:
        mon = int(m["m"]) if m["m"].isdigit() else _month(m["m"])
        d = _make(int(m["y"]), mon, int(m["d"]))
        if d:
            return d, d
    m = _URL_YM_RE.search(url)
    if m:
        mon = int(m["m"]) if m["m"].isdigit() else _month(m["m"])
        first = _make(int(m["y"]), mon, 1)
        if first:
            nxt = _make(first.year + (first.month == 12), first.month % 12 + 1, 1)
            return first, (nxt - _dt.timedelta(days=1)) if nxt else first
    m = _URL_COMPACT_RE.search(url)
    if m:
        d = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            return d, d
    return None


def _looks_like_stamp(line: str) -> bool:
    """A short line made mostly of date and time words and numbers."""
    if len(line) > 90 or not any(ch.isdigit() for ch in line):
        return False
    words = re.findall(r"[A-Za-z]+", line)
    other = [w for w in words if not re.fullmatch(
        _MONTH + "|" + _WEEKDAY.rstrip(r"\.?") + r"|am|pm|a|m|p|at|on|by|of|the|gmt|utc|[a-z]?[ecmp][sd]?t|"
        r"ist|bst|cet|cest|hkt|jst|published|posted|updated|last|first|date|created|modified",
        w, re.I)]
    return len(other) <= 1


def _dateparser(line: str) -> _dt.date | None:
    """dateparser on one short line (cleaned of tokenisation artefacts), if it is installed."""
    try:
        import dateparser  # optional; slow to import and to call, so used on one line only
    except ImportError:  # pragma: no cover - depends on the install
        return None
    clean = re.sub(r"(\d)\s*:\s*(\d)", r"\1:\2", line)
    clean = re.sub(r"\s+([/.,-])\s*", r"\1 ", clean)
    clean = _STAMP_WORDS.sub(" ", clean)
    try:
        d = dateparser.parse(clean, languages=["en"],
                             settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:  # noqa: BLE001 - a third-party parser: any failure means "no date"
        return None
    return d.date() if d else None


def reference_date(title: str, body: str, published: str | None = None, url: str | None = None
                   ) -> tuple[_dt.date | None, str | None, str, tuple[int, int] | None]:
    """The publication date relative expressions are resolved against.

    Returns ``(date, source, evidence, span)``: the container's ``published`` value, else a
    date line among the first lines of the body (a line that is only a time stamp, or a
    "Published/Posted/Updated ..." line), else the URL's date. Spans index the body.
    """
    if published:
        d = parse_date(published)
        if d:
            return d, "container", published, None
    head = body[:_HEAD_CHARS]
    pos = 0
    for n, line in enumerate(head.split("\n")):
        start = pos
        pos += len(line) + 1
        if n >= 5:
            break
        stripped = line.strip()
        if not stripped:
            continue
        stamp = _looks_like_stamp(stripped)
        keyed = _STAMP_WORDS.search(stripped[:40]) is not None
        if not (stamp or keyed) or len(stripped) > 160:
            continue
        for m in _DATE_RE.finditer(line):
            d, had_year = _date_from_match(m, None)
            if d is not None and had_year:
                return d, "text", m.group(0), (start + m.start(), start + m.end())
        if stamp and len(stripped) <= 60:
            d = _dateparser(stripped)
            if d:
                return d, "text", stripped, (start + line.find(stripped), start + line.find(stripped) + len(stripped))
    u = url_date(url)
    if u and u[0] == u[1]:
        return u[0], "url", url or "", None
    # a byline-style stamp inside the first sentence ("Reuters Sep 18, 2013, 02. 16PM IST")
    first = body[:160]
    for m in _DATE_RE.finditer(first):
        d, had_year = _date_from_match(m, None)
        if d is not None and had_year and m.start() < 80:
            return d, "text", m.group(0), m.span()
    return None, None, "", None


# ---------------------------------------------------------------------------------------------
# The event's date
# ---------------------------------------------------------------------------------------------


def _sentences_of_lead(text: str, limit: int) -> str:
    return text[:limit]


def _future(text: str, at: int) -> bool:
    """Whether the clause before ``at`` speaks of the future ("will meet on Friday")."""
    lo = max(text.rfind(".", 0, at), text.rfind("\n", 0, at), at - 60)
    return _FUTURE_RE.search(text, lo + 1, at) is not None


def _weekday_date(ref: _dt.date, weekday: int, last: bool) -> _dt.date:
    """The last ``weekday`` on or before ``ref`` ("last Friday": strictly before, over a week
    back when the reference is itself near)."""
    back = (ref.weekday() - weekday) % 7
    if last and back == 0:
        back = 7
    return ref - _dt.timedelta(days=back)


def event_date(title: str, body: str, published: str | None = None, *, url: str | None = None
               ) -> DateEstimate:
    """Estimate the date of the event ``title``/``body`` reports (see the module docstring).

    ``published`` is the container's publication date (ISO or any common form) or None;
    ``url`` the article's address (its date is a fallback reference). The first dating
    expression of the lead (the title, then the first ~700 characters of the body after the
    date line) wins, explicit dates over relative ones when both come in the same sentence.
    """
    ref, ref_source, ref_evidence, ref_span = reference_date(title, body, published, url)
    candidates: list[tuple[int, DateEstimate]] = []  # (position rank, estimate)
    day = _dt.timedelta(days=1)
    for fld, text, offset_rank in (("title", title or "", 0), ("body", body or "", 1000)):
        lead = _sentences_of_lead(text, _LEAD_CHARS)
        for m in _DATE_RE.finditer(lead):
            if ref_span is not None and fld == "body" and m.start() < ref_span[1] and m.end() > ref_span[0]:
                continue  # the date line itself is the reference, not the event
            d, had_year = _date_from_match(m, ref)
            if d is None:
                continue
            if ref is not None and d > ref + day * 2:
                continue  # an announced future date is not the event's
            if not had_year and m.group("a") and not re.search(r"\d", m.group(0)):
                continue
            conf = 0.9 if (had_year or ref is not None) else 0.5
            candidates.append((offset_rank + m.start(), DateEstimate(
                d, d, d, m.group(0), m.span(), fld, conf, "explicit", ref, ref_source)))
        if ref is not None:
            for m in _RELATIVE_RE.finditer(lead):
                lo, pt, hi = _RELATIVE[m.group(0).lower()]
                candidates.append((offset_rank + m.start() + 1, DateEstimate(
                    ref - day * pt, ref - day * lo, ref - day * hi, m.group(0), m.span(), fld,
                    0.75 if lo == hi else 0.6, "relative", ref, ref_source)))
            for m in _WEEKDAY_RE.finditer(lead):
                if _future(lead, m.start()):
                    continue
                d = _weekday_date(ref, _WEEKDAYS.index(m["wd"].lower()), bool(m["last"]))
                # "Wednesday" in a story stamped a day later (time zones, overnight editions)
                candidates.append((offset_rank + m.start() + 2, DateEstimate(
                    d, d, d, m.group(0), m.span(), fld, 0.8, "weekday", ref, ref_source)))
    if candidates:
        candidates.sort(key=lambda c: c[0])
        best = candidates[0][1]
        # corroboration: another expression of the lead agreeing within a day raises confidence
        agree = sum(1 for _, c in candidates[1:4] if c.date and best.date and abs((c.date - best.date).days) <= 1)
        if agree:
            best = DateEstimate(best.date, best.earliest, best.latest, best.evidence, best.span,
                                best.field, min(0.95, best.confidence + 0.05 * agree), best.source,
                                best.reference, best.reference_source)
        return best
    if ref is not None:
        # no dating words: the event is at, or a little before, publication
        return DateEstimate(ref, ref - day * 3, ref, ref_evidence, ref_span,
                            "published" if ref_source == "container" else ("url" if ref_source == "url" else "body"),
                            0.5, "published", ref, ref_source)
    # no reference: only a year or month stated in the text can say anything
    for rx, conf in ((_MONTH_YEAR_RE, 0.3), (_YEAR_RE, 0.15)):
        for fld, text in (("title", title or ""), ("body", body or "")):
            m = rx.search(text[:_LEAD_CHARS * 2])
            if m:
                y = int(m["y"])
                if "m" in m.groupdict() and m.groupdict().get("m"):
                    mon = _month(m["m"])
                    first = _dt.date(y, mon, 1)
                    last = (_dt.date(y + (mon == 12), mon % 12 + 1, 1) - day)
                else:
                    first, last = _dt.date(y, 1, 1), _dt.date(y, 12, 31)
                return DateEstimate(first + (last - first) / 2, first, last, m.group(0), m.span(), fld,
                                    conf, "explicit", None, None)
    return UNKNOWN


def event_weekday(title: str, body: str, estimate: DateEstimate | None = None) -> int | None:
    """The day of the week the event happened on (Monday = 0), or None.

    From the estimate's date when the text dates the event (an explicit date, a weekday or a
    relative word resolved against the publication date); else from the first weekday the lead
    states for a past happening ("on Sunday", "late Tuesday"), which says something even when
    no reference date places it in the calendar: reports of one event name the same day, and
    reports of two events of the same kind rarely do."""
    if estimate is not None and estimate.date is not None and estimate.source in ("explicit", "weekday", "relative") \
            and (estimate.earliest == estimate.latest or estimate.source == "weekday"):
        return estimate.date.weekday()
    for text in (title or "", (body or "")[:_LEAD_CHARS]):
        for m in _WEEKDAY_RE.finditer(text):
            if not _future(text, m.start()):
                return _WEEKDAYS.index(m["wd"].lower())
    return None
