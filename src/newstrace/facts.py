"""An event's facts lined up across its sources (how the rules were measured: ``docs/FACTS.md``,
``newstrace eval facts``).

The reading of one article lives in its own modules: :mod:`newstrace.counts` (counted facts,
number words, intervals), :mod:`newstrace.quotes` (quotations and speakers),
:mod:`newstrace.claims` (outcome claims) and :mod:`newstrace.names` (names reconciled across
sources). Here: the records of a lined-up fact (:class:`SourceValue`, :class:`FactRow`) and
:func:`compare_facts`, which lines the counts of several articles up by (predicate, compared
class) and gives each pair of sources a status (agree, compatible, update, conflict, copy),
matches quotes across sources (same words: same or different speaker), compares the sources'
outcome claims and reconciles names written differently. Their public names are importable
from here too.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping, Sequence

from .actions import (GENERIC_PLACES, ActionClaim, agent_key, agents_relation, extract_actions,
                      main_place, target_key)
from .claims import Claim, extract_claims
from .counts import (DATA_DIR, INF, CountFact, _read_tsv, extract_counts, format_interval,
                     interval_status, parse_count, predicate_classes, unit_class, unit_classes)
from .names import acronyms, names_match, reconcile_names
from .quotes import Quote, extract_quotes, speaker_key

#: The public names of the facts modules, importable from here as before the split.
__all__ = ["ActionClaim", "Claim", "CountFact", "extract_actions", "FactRow", "Quote", "SourceValue", "acronyms", "compare_facts",
           "extract_claims", "extract_counts", "extract_quotes", "format_interval",
           "interval_status", "is_series", "names_match", "parse_count", "predicate_classes",
           "quote_overlap", "resolve_time", "time_relation",
           "reconcile_names", "speaker_key", "unit_class", "unit_classes", "unit_families",
           "unit_family"]

# ---------------------------------------------------------------------------------------------
# Comparison across the sources of one event
# ---------------------------------------------------------------------------------------------

#: Pair statuses, most agreeable first. ``unplaced`` and ``different-time``: the two counts are
#: not comparable (of different stated days, or a day against a running total; or, in an event
#: of several days, a count whose day cannot be told).
_STATUS_RANK = {"agree": 0, "compatible": 1, "unplaced": 2, "different-time": 3, "update": 4,
                "conflict": 5}


@dataclass
class SourceValue:
    article_id: str
    title: str
    text: str  # the number phrase, or the quotation
    low: float | None = None
    high: float | None = None
    speaker: str | None = None
    role: str | None = None
    start: int | None = None  # evidence span in the article body
    end: int | None = None
    sentence: str = ""
    published: str | None = None  # the article's date, where known (ISO)
    copy_of: str | None = None  # this source copies that one: no independent confirmation
    agent: str | None = None  # an action claim's agent and target, as written
    target: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if self.high == INF:
            d["high"] = None
        if self.low is not None:
            d["interval"] = format_interval((self.low, self.high if self.high is not None else INF))
        return {k: v for k, v in d.items() if v is not None and v != ""}


@dataclass
class FactRow:
    """One fact lined up across an event's sources.

    ``kind`` "count": ``key`` = (predicate, counted class); "quote": ``key`` = (speaker key,
    first words); "claim": ("outcome", "control"); "action": (action class, target: "attack",
    "Qala-e-Naw"), statuses agree / compatible / conflict over who did it. ``pairs``: (article a, article b, status);
    ``status`` the row's worst pair status, or ``single-source``. Count statuses: agree,
    compatible (intervals overlap), update (they do not, and the later report, ``pairs``' b,
    revises the earlier: both dates known and different), conflict. Quote statuses: agree
    (same words, same speaker), speaker-conflict (same words given to different speakers),
    unattributed (one side names nobody). A pair where one source copies the other has status
    ``copy`` and does not count: a copy is no independent confirmation.
    """

    kind: str
    key: tuple[str, str]
    values: list[SourceValue] = field(default_factory=list)
    pairs: list[tuple[str, str, str]] = field(default_factory=list)
    status: str = "single-source"
    main: bool = False  # an action row: the event's main action (the most sources report it)

    def to_dict(self) -> dict[str, Any]:
        d = {"kind": self.kind, "key": list(self.key), "status": self.status,
             "values": [v.to_dict() for v in self.values],
             "pairs": [{"a": a, "b": b, "status": s} for a, b, s in self.pairs]}
        if self.main:
            d["main"] = True
        return d


def _qtokens(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if len(w) > 2}


def quote_overlap(a: str, b: str) -> float:
    """Share of the shorter quotation's words (3+ letters) found in the other."""
    ta, tb = _qtokens(a), _qtokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


@lru_cache(maxsize=1)
def unit_families() -> dict[str, str]:
    """Counted class -> the class it is compared under ("civilian" -> "people"): reports
    count the same victims as "people", "civilians" or "residents"."""
    return _read_tsv(DATA_DIR / "families.tsv")


def unit_family(unit: str | None) -> str:
    if not unit:
        return "?"
    return unit_families().get(unit, unit)


def _comparable(facts: list[CountFact]) -> list[CountFact]:
    """The counts of one source that speak of the event as a whole: not background (another,
    earlier event) and, where the source gives one, not a part ("another four people")."""
    return [f for f in facts if not f.background and not f.part]


#: A report of an event that runs over several days or nights: "for a third straight night",
#: "another night of violence", "eight days of riots", "on the eighth day of protests", "every
#: day since". There a count that states no day may be of any of them.
_SERIES = re.compile(
    r"\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+"
    r"(?:straight|consecutive|successive)\s+(?:day|night)\b"
    r"|\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|another|\d+(?:st|nd|rd|th))\s+"
    r"(?:day|night)\s+of\s+(?:protests?|riots?|rioting|unrest|violence|clashes|demonstrations?)\b"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+)\s+(?:days|nights)\s+of\s+"
    r"(?:protests?|protesting|riots?|rioting|unrest|violence|clashes|demonstrations?)\b"
    r"|\bevery\s+(?:day|night)\s+since\b", re.I)


def is_series(bodies: Iterable[str]) -> bool:
    """True when a source reports the event as running over several days or nights."""
    return any(_SERIES.search(b) for b in bodies)


def _iso(d: str | None) -> date | None:
    try:
        return date.fromisoformat(d[:10]) if d else None
    except ValueError:
        return None


def resolve_time(when: str | None, published: str | None) -> str | None:
    """A count's stated time (``CountFact.when``) made absolute with its report's date: a
    weekday is the last such day on or before it, "yesterday" the day before, "March 13" that
    day of its year (ISO dates). Without a date a weekday, an ordinal night or a month-day
    stays as written ("wed", "night:3", "date:03-13"); "today"/"yesterday" become "?" (a day,
    but which cannot be told)."""
    if when is None or when == "total" or when.startswith("night:"):
        return when
    pub = _iso(published)
    if when in ("today", "yesterday"):
        if pub is None:
            return "?"
        return (pub - timedelta(days=1 if when == "yesterday" else 0)).isoformat()
    if when.startswith("date:"):
        if pub is None:
            return when
        month, day = (int(x) for x in when[5:].split("-"))
        try:
            d = date(pub.year, month, day)
            return (d if d <= pub else date(pub.year - 1, month, day)).isoformat()
        except ValueError:
            return None
    wd = _WEEKDAY_ABBR.index(when)
    if pub is None:
        return when
    return (pub - timedelta(days=(pub.weekday() - wd) % 7)).isoformat()


_WEEKDAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _day_key(t: str) -> tuple[str, str]:
    """("iso", date) / ("wd", weekday) / ("md", month-day) / ("night", n) / ("?", "")."""
    if t == "?":
        return ("?", "")
    if t in _WEEKDAY_ABBR:
        return ("wd", t)
    if t.startswith("date:"):
        return ("md", t[5:])
    if t.startswith("night:"):
        return ("night", t[6:])
    return ("iso", t)


def time_relation(ta: str | None, tb: str | None, series: bool) -> str:
    """Whether two counts of one kind can be of the same fact, by their resolved times
    (:func:`resolve_time`; an untimed count in a dated report of a series is "asof:DATE"):
    ``same``, ``different`` (different stated days, or a day against a running total) or
    ``unknown`` (one of them cannot be placed). Only in an event of several days (``series``):
    otherwise the event's toll is one fact whatever day a report gives it ("the quake killed 10
    on Sunday", "the toll rose to 10 on Monday")."""
    if not series:
        return "same"
    if ta == tb and ta not in (None, "?"):
        return "same"
    if ta is None or tb is None or ta == "?" or tb == "?":
        return "unknown"
    if ta.startswith("asof:") or tb.startswith("asof:"):
        if ta.startswith("asof:") and tb.startswith("asof:"):
            return "same"  # reports of the running count, each as of its day
        return "unknown"
    if (ta == "total") != (tb == "total"):
        return "different"
    (ka, va), (kb, vb) = _day_key(ta), _day_key(tb)
    if ka == kb:
        return "same" if va == vb else "different"
    kinds = {ka, kb}
    if kinds == {"iso", "wd"}:
        iso, wd = (va, vb) if ka == "iso" else (vb, va)
        return "same" if _WEEKDAY_ABBR[date.fromisoformat(iso).weekday()] == wd else "different"
    if kinds == {"iso", "md"}:
        iso, md = (va, vb) if ka == "iso" else (vb, va)
        return "same" if iso[5:] == md else "different"
    return "unknown"


def _pair_status(a: list[tuple[tuple[float, float], str | None]],
                 b: list[tuple[tuple[float, float], str | None]],
                 date_a: str | None, date_b: str | None, series: bool = False) -> str:
    """The most agreeable reading of two sources' values (interval, resolved time) among the
    pairs that can be of the same fact; disjoint values from reports of different known dates
    are an ``update`` rather than a conflict. Values of different stated times are not
    compared (``different-time``), nor, in a series, disjoint values whose day cannot be told
    (``unplaced``)."""
    same: list[str] = []
    unknown: list[str] = []
    for iva, ta in a:
        for ivb, tb in b:
            rel = time_relation(ta, tb, series)
            if rel == "same":
                same.append(interval_status(iva, ivb))
            elif rel == "unknown":
                unknown.append(interval_status(iva, ivb))
    best = min(same + [s for s in unknown if s != "conflict"], key=_STATUS_RANK.__getitem__,
               default=None)
    if best is None:
        return "unplaced" if unknown else "different-time"
    if best == "conflict" and date_a and date_b and date_a[:10] != date_b[:10]:
        return "update"
    return best


def _independent(a: str, b: str, copies: Mapping[str, str]) -> bool:
    return copies.get(a) != b and copies.get(b) != a and not (
        copies.get(a) is not None and copies.get(a) == copies.get(b))


def compare_facts(articles: Sequence[tuple[str, str, str]], *,
                  quote_threshold: float = 0.6,
                  published: Mapping[str, str] | None = None,
                  copies: Mapping[str, str] | None = None,
                  names: bool = True) -> list[FactRow]:
    """Count, quote and claim rows of an event's articles ``[(article_id, title, body), ...]``.

    ``published``: article id -> ISO date, where known (it turns a disagreement between
    reports of different days into an ``update``, the later report second in the pair).
    ``copies``: article id -> the id of the article it copies (such pairs get status ``copy``).
    ``names``: add the rows of names that the sources spell differently (:func:`reconcile_names`).
    """
    published = published or {}
    copies = copies or {}
    order = {aid: i for i, (aid, _, _) in enumerate(articles)}

    def by_time(a: str, b: str) -> tuple[str, str]:
        da, db = published.get(a), published.get(b)
        if da and db and da > db:
            return b, a
        return (a, b) if order[a] <= order[b] else (b, a)

    rows: list[FactRow] = []
    groups: dict[tuple[str, str], dict[str, list[CountFact]]] = {}
    all_quotes: list[tuple[str, str, Quote]] = []
    claims: dict[str, list[Claim]] = {}
    actions: dict[str, list[ActionClaim]] = {}
    for aid, title, body in articles:
        per_key: dict[tuple[str, str], list[CountFact]] = {}
        for f in extract_counts(body):
            if f.predicate is None or f.unit is None:
                continue
            per_key.setdefault((f.predicate, unit_family(f.unit)), []).append(f)
        for key, fs in per_key.items():
            use = _comparable(fs)
            if use:
                groups.setdefault(key, {})[aid] = use
        for q in extract_quotes(body):
            if not (q.speaker or q.role) and len(q.text.split()) <= 4:
                continue  # a phrase in scare quotes ("Most Wanted"), no one's statement
            all_quotes.append((aid, title, q))
        cs = extract_claims(body)
        if cs:
            claims[aid] = cs
        acts = extract_actions(body, title)
        if acts:
            actions[aid] = acts
    titles = {aid: title for aid, title, _ in articles}
    series = is_series(body for _a, _t, body in articles)

    def placed(aid: str, f: CountFact) -> tuple[tuple[float, float], str | None]:
        t = resolve_time(f.when, published.get(aid))
        if t is None and series and published.get(aid):
            t = f"asof:{published[aid][:10]}"
        return f.interval, t

    def value(aid: str, text: str, **kw: Any) -> SourceValue:
        return SourceValue(aid, titles[aid], text, published=published.get(aid),
                           copy_of=copies.get(aid), **kw)

    for key, per_doc in groups.items():
        row = FactRow("count", key)
        for aid, fs in per_doc.items():
            for f in fs:
                row.values.append(value(aid, f.phrase, low=f.low, high=f.high, start=f.start,
                                        end=f.end, sentence=f.sentence))
        _line_up(row, list(per_doc), copies, by_time, _STATUS_RANK,
                 lambda a, b, per_doc=per_doc: _pair_status(
                     [placed(a, f) for f in per_doc[a]], [placed(b, f) for f in per_doc[b]],
                     published.get(a), published.get(b), series))
        rows.append(row)
    rows.extend(_quote_rows(all_quotes, quote_threshold, copies, value))
    if claims:
        rows.append(_claim_row(claims, copies, value, by_time))
    bodies = {aid: body for aid, _t, body in articles}
    mentions = _PlaceMentions(bodies)
    if actions:
        rows.extend(_action_rows(actions, bodies, copies, value, by_time, mentions))
    if names:
        rows.extend(reconcile_names(articles, value,
                                    speakers={q.speaker for _a, _t, q in all_quotes if q.speaker},
                                    mentions=mentions))
    rank = {"conflict": 0, "speaker-conflict": 1, "update": 2, "compatible": 3, "unattributed": 4,
            "different-time": 5, "unplaced": 5, "agree": 6, "single-source": 7}
    kinds = {"count": 0, "claim": 1, "action": 2, "quote": 3, "name": 4}
    rows.sort(key=lambda r: (kinds.get(r.kind, 4), not r.main, rank.get(r.status, 9),
                             -len({v.article_id for v in r.values})))
    return rows


def _quote_rows(all_quotes: list[tuple[str, str, Quote]], threshold: float,
                copies: Mapping[str, str], value: Any) -> list[FactRow]:
    """Quotes clustered by their words across articles: the same words from the same speaker
    agree; the same words given to different speakers are flagged (speaker-conflict)."""
    rows = []
    used = [False] * len(all_quotes)
    for i, (aid, _title, q) in enumerate(all_quotes):
        if used[i]:
            continue
        members = [i]
        for j in range(i + 1, len(all_quotes)):
            if not used[j] and all_quotes[j][0] != aid and all_quotes[j][0] not in {
                    all_quotes[x][0] for x in members} and quote_overlap(
                    q.text, all_quotes[j][2].text) >= threshold:
                members.append(j)
        for x in members:
            used[x] = True
        first_words = " ".join(q.text.split()[:6])
        row = FactRow("quote", (q.speaker_key or "?", first_words))
        for x in members:
            a2, _t2, q2 = all_quotes[x]
            row.values.append(value(a2, q2.text, speaker=q2.speaker, role=q2.role,
                                    start=q2.start, end=q2.end))
        order = {"agree": 0, "unattributed": 1, "speaker-conflict": 2}
        worst = None
        for p in range(len(members)):
            for r in range(p + 1, len(members)):
                (ia, _, qa), (ib, _, qb) = all_quotes[members[p]], all_quotes[members[r]]
                if not _independent(ia, ib, copies):
                    row.pairs.append((ia, ib, "copy"))
                    continue
                ka, kb = qa.speaker_key, qb.speaker_key
                if ka is None or kb is None:
                    st = "unattributed"
                elif ka == kb or _same_speaker(qa, qb):
                    st = "agree"
                else:
                    st = "speaker-conflict"
                row.pairs.append((ia, ib, st))
                if worst is None or order[st] > order[worst]:
                    worst = st
        row.status = worst or "single-source"
        rows.append(row)
    return rows


def _same_speaker(a: Quote, b: Quote) -> bool:
    """Two attributions naming one person: same surname, or a name written two ways
    ("Husamuddin Shams" / "Hesamuddin Shams") or with its initials dropped."""
    if not a.speaker or not b.speaker:
        return False
    return names_match(a.speaker, b.speaker)


def _dated_apart(a: str | None, b: str | None) -> bool:
    return bool(a and b and a[:10] != b[:10])


def _claim_row(claims: Mapping[str, list[Claim]], copies: Mapping[str, str], value: Any,
               by_time: Any) -> FactRow:
    """What each source says of the outcome. Each source's reading is its first claim (a
    report leads with the outcome); two readings that differ conflict ("under control of the
    Taliban" vs "recaptured"), or are an ``update`` when the reports are of different days."""
    row = FactRow("claim", ("outcome", "control"))
    for aid, cs in claims.items():
        for c in cs:
            row.values.append(value(aid, c.text, start=c.start, end=c.end, sentence=c.sentence,
                                    role=c.value))
    def status(a: str, b: str) -> str:
        # a report leads with its outcome: its first claim is its reading
        if claims[a][0].value == claims[b][0].value:
            return "agree"
        if _dated_apart(value(a, "").published, value(b, "").published):
            return "update"
        return "conflict"

    _line_up(row, list(claims), copies, by_time, _STATUS_RANK, status)
    return row


def _line_up(row: FactRow, ids: Sequence[str], copies: Mapping[str, str], by_time: Any,
             rank: Mapping[str, int], status: Callable[[str, str], str]) -> None:
    """Compare every pair of sources of ``row`` (earlier first): ``copy`` where one copies the
    other (no independent confirmation), else ``status(a, b)``. The row takes the status of
    its worst pair by ``rank`` (``single-source`` with no pair)."""
    worst = None
    for i, a0 in enumerate(ids):
        for b0 in ids[i + 1:]:
            a, b = by_time(a0, b0)
            if not _independent(a, b, copies):
                row.pairs.append((a, b, "copy"))
                continue
            st = status(a, b)
            row.pairs.append((a, b, st))
            if worst is None or rank[st] > rank[worst]:
                worst = st
    row.status = worst or "single-source"


_ACTION_RANK = {"agree": 0, "compatible": 1, "conflict": 2}


class _PlaceMentions(dict):  # type: ignore[type-arg]
    """Article id -> its place mentions, found once when first asked for (the action rows and
    the name rows both need them)."""

    def __init__(self, bodies: Mapping[str, str]):
        super().__init__()
        self.bodies = bodies

    def __missing__(self, aid: str) -> list[Any]:
        try:
            from .places import find_places

            found = find_places(self.bodies[aid])
        except Exception:  # no gazetteer in this install: no places
            found = []
        self[aid] = found
        return found


def _action_rows(actions: Mapping[str, list[ActionClaim]], bodies: Mapping[str, str],
                 copies: Mapping[str, str], value: Any, by_time: Any,
                 place_mentions: Mapping[str, list[Any]] | None = None) -> list[FactRow]:
    """Who did what to whom, lined up: the sources' claims of one action on one target (the
    same place, a name written alike or two ways, people, the same thing) make a row, keyed
    (action, target). Each pair of sources gets the most agreeable relation of their agents
    (:func:`newstrace.actions.agents_relation`): ``agree`` (one actor: "Israeli forces" /
    "Israel"), ``compatible`` (may be one: "police" / "Vancouver police"), ``conflict`` (two
    actors who cannot be one: "Israeli forces" / "Hamas militants" for the same attack on the
    same school). A copy is no confirmation (``copy``)."""
    from .names import acronyms as _acronyms

    if place_mentions is None:
        place_mentions = _PlaceMentions(bodies)

    acr: dict[str, str] = {}
    groups: list[dict[str, Any]] = []  # action, kind, id, label, members {aid: [(claim, AgentKey)]}
    for aid, acts in actions.items():
        body = bodies[aid]
        acr.update(_acronyms(body))
        # places are looked up only where a target may be one (a name, "the city")
        need = any(re.search(r"\b[A-Z]", c.target) or set(c.target.lower().split()) & GENERIC_PLACES
                   for c in acts if not c.in_title)
        mentions = place_mentions[aid] if need else []
        town = main_place(body, mentions) if need else None
        for c in acts:
            kind, ident, label = target_key(c, mentions, town)
            if not ident and kind != "people":
                continue
            g = next((g for g in groups if g["action"] == c.action and g["kind"] == kind and (
                g["id"] == ident or (kind == "name" and names_match_loose(g["id"], ident)))), None)
            if g is None:
                g = {"action": c.action, "kind": kind, "id": ident, "label": label, "members": {}}
                groups.append(g)
            g["members"].setdefault(aid, []).append((c, agent_key(c.agent, c.in_title)))
    rows = []
    for g in groups:
        row = FactRow("action", (g["action"], g["label"]))
        for aid, cs in g["members"].items():
            for c, _k in cs:
                if c.in_title:
                    row.values.append(value(aid, f"{c.agent} {c.verb} {c.target}", sentence=c.sentence,
                                            agent=c.agent, target=c.target, role="headline"))
                else:
                    row.values.append(value(aid, bodies[aid][c.start:c.end], start=c.start, end=c.end,
                                            sentence=c.sentence, agent=c.agent, target=c.target))
        members = g["members"]
        _line_up(row, list(members), copies, by_time, _ACTION_RANK,
                 lambda a, b, members=members: min(
                     (agents_relation(ka, kb, acr) for _c, ka in members[a]
                      for _d, kb in members[b]), key=_ACTION_RANK.__getitem__))
        rows.append(row)
    # the event's main action: the one the most sources report (of two or more), the first
    # reported on a tie
    best = max(rows, key=lambda r: len({v.article_id for v in r.values}), default=None)
    if best is not None and len({v.article_id for v in best.values}) >= 2:
        best.main = True
    return rows


def names_match_loose(a: str, b: str) -> bool:
    """Two written names of one person or thing: one's words contain the other's ("Cheeks" /
    "Maurice Cheeks") or :func:`names_match` says so."""
    wa, wb = set(a.lower().split()), set(b.lower().split())
    if wa and wb and (wa <= wb or wb <= wa):
        return True
    return names_match(a, b)
