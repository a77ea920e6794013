"""Events: articles grouped by the one real-world happening they report.

An event is one happening: the Taliban attack on Qala-e-Naw on 7 July 2021 is one event, their
capture of Kunduz a month later another, although the topic is the same. Reports of one event
share *where* (places), *when* (the date the text implies), *who* (actors), *what* (the kind of
happening) and much of their vocabulary; reports of a similar event elsewhere or another time
share the vocabulary but not the rest. So each article becomes:

* one sparse vector of namespaced features, each family L2-normalised and scaled by the square
  root of its weight, so that the dot product of two vectors is the weighted sum of the
  families' cosines: content words (``t:``; weighted by their rarity in English at large, a
  fixed background so that vectors never change as the store grows), actor keys (``n:``),
  places (``p:``; a town also counts, less, for its province and country) and kinds of
  happening (``k:``);
* a :class:`~newstrace.when.DateEstimate` and a main place with coordinates.

The similarity of two groups of articles is the *average* of their members' pairwise dot
products (average linkage; for sums of vectors it is one dot product of the group sums divided
by both sizes), scaled down where the groups' dates lie apart or their main places are far from
each other. Because it is an average over members, adding one article to an event
(:class:`EventIndex`, the stream) and agglomerating (:func:`cluster`, the batch) use the same
measure, and give nearly the same grouping.

Candidates come from an inverted index over each article's heaviest features: neither mode
compares all pairs. Copies found by the provenance stage are not grouped on their own: they
join their source's event. Event ids are ``evt_`` + a hash of the earliest member (by the
estimated date, then the article id), so they are the same in both modes and across runs.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .actors import RARE_ZIPF, Actor, KindScore, event_kinds, find_actors, word_zipf
from .models import Article
from .text import STOPWORDS, normalize, words
from .when import DateEstimate, event_date

__all__ = [
    "ArticleFeatures", "EventCard", "EventConfig", "EventIndex", "article_features", "cards",
    "cluster", "event_card", "event_id", "features", "similarity",
]


@dataclass(frozen=True)
class EventConfig:
    """Weights and thresholds of event grouping (tuned on ECB+ odd topics, see
    ``newstrace.evaluation.events_eval``)."""

    threshold: float = 0.20  # average similarity at which two groups are one event
    w_text: float = 0.45
    w_names: float = 0.35
    w_places: float = 0.15
    w_kinds: float = 0.05
    title_weight: float = 2.0  # a headline word counts as this many body words
    date_tolerance_days: float = 3.0  # dates this close are the same
    date_scale_days: float = 30.0  # ... and the penalty is full this much further apart
    date_penalty: float = 0.6  # the most a date difference takes off (x similarity)
    date_min_confidence: float = 0.5
    far_km: float = 800.0  # main places further apart than this ...
    place_penalty: float = 0.4  # ... take this off
    index_keys: int = 24  # heaviest features of an article put in the candidate index
    candidates: int = 40  # candidate groups scored exactly per article
    max_postings: int = 400  # the index keeps this many most recent entries per feature
    use_spacy: bool = False  # actors from spaCy NER (an extra) instead of the rules
    place_chars: int = 3000  # places are looked for in the headline and this much of the body


# ---------------------------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------------------------


@dataclass
class ArticleFeatures:
    """What grouping needs from one article (and what its event card shows)."""

    id: str
    title: str
    when: DateEstimate
    vector: dict[str, float]
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    places: list[tuple[Any, float]] = field(default_factory=list)  # (Place, weight), heaviest first
    actors: list[Actor] = field(default_factory=list)
    kinds: list[KindScore] = field(default_factory=list)
    #: each feature family on its own, unit length ("t", "n", "p", "k")
    parts: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)

    def reweighted(self, config: EventConfig) -> "ArticleFeatures":
        """The same features with ``config``'s family weights (no text re-read)."""
        import dataclasses

        return dataclasses.replace(self, vector=_combine(self.parts, config))

    @property
    def day(self) -> int | None:
        """The event date as an ordinal when confident enough to compare, else None."""
        return self.when.date.toordinal() if self.when.date is not None else None

    def sort_key(self) -> tuple[str, str]:
        ref = self.when.reference or self.when.date
        return (ref.isoformat() if ref else "9999-99-99", self.id)


def _zipf(word: str) -> float:
    return word_zipf().get(word, RARE_ZIPF)


def _idf(word: str) -> float:
    """Background rarity: Zipf 7 ("the") -> 0.5, 5 ("police") -> 2.5, unseen (< 2.3) -> 6."""
    return max(0.5, min(6.0, 7.5 - _zipf(word)))


_NUMERIC = re.compile(r"^[\d.,:-]+$")


def _norm(vec: dict[str, float], scale: float) -> dict[str, float]:
    n = math.sqrt(sum(v * v for v in vec.values()))
    if n == 0:
        return {}
    f = math.sqrt(scale) / n
    return {k: v * f for k, v in vec.items()}


def _term_vector(title: str, body: str, title_weight: float) -> dict[str, float]:
    tf: Counter[str] = Counter()
    for w in words(body):
        if len(w) > 1 and w not in STOPWORDS and not _NUMERIC.match(w):
            tf[w] += 1.0
    for w in words(title):
        if len(w) > 1 and w not in STOPWORDS and not _NUMERIC.match(w):
            tf[w] += title_weight
    return {"t:" + w: (1.0 + math.log(c)) * _idf(w) for w, c in tf.items()}


_ACTOR_LABELS = ("PERSON", "ORG", "NORP", "NAME")


def _name_vector(actors: Sequence[Actor]) -> dict[str, float]:
    vec: dict[str, float] = {}
    for a in actors:
        if a.label not in _ACTOR_LABELS:
            continue
        rare = max(_idf(w) for w in a.key.split()) if a.key else 0.0
        vec["n:" + a.key] = (1.0 + math.log(a.count)) * rare
    return vec


def _place_weights(mentions: Sequence[Any], title_len: int, lead_end: int) -> list[tuple[Any, float]]:
    """Salience of each place: mentions, more in the headline and the lead."""
    weight: dict[str, float] = defaultdict(float)
    by_id: dict[str, Any] = {}
    for m in mentions:
        w = 1.0
        if m.start < title_len:
            w += 1.5
        elif m.start < lead_end:
            w += 1.0
        weight[m.place.id] += w
        by_id[m.place.id] = m.place
    return sorted(((by_id[k], v) for k, v in weight.items()), key=lambda pv: (-pv[1], pv[0].id))


def _place_vector(places: Sequence[tuple[Any, float]]) -> dict[str, float]:
    vec: dict[str, float] = defaultdict(float)
    for p, w in places:
        if p.kind == "continent":
            continue
        if p.kind == "city":
            vec["p:" + p.id] += w
            if p.admin1_id:
                vec["p:" + p.admin1_id] += 0.5 * w
            vec["p:" + p.country_code] += 0.25 * w
        elif p.kind == "admin1":
            vec["p:" + p.id] += w
            vec["p:" + p.country_code] += 0.5 * w
        else:
            vec["p:" + p.country_code] += 0.5 * w
    return dict(vec)


def _kind_vector(kinds: Sequence[KindScore]) -> dict[str, float]:
    return {"k:" + k.kind: k.score for k in kinds}


def _combine(parts: Mapping[str, Mapping[str, float]], config: EventConfig) -> dict[str, float]:
    weights = {"t": config.w_text, "n": config.w_names, "p": config.w_places, "k": config.w_kinds}
    vec: dict[str, float] = {}
    for fam, part in parts.items():
        f = math.sqrt(weights[fam])
        vec.update((k, v * f) for k, v in part.items())
    return vec


def features(id: str, title: str, body: str, *, published: str | None = None,
             url: str | None = None, outlet: str | None = None,
             config: EventConfig = EventConfig()) -> ArticleFeatures:
    """Features of one article from its (normalised) title and body."""
    from .places import find_places

    title = title or ""
    when = event_date(title, body, published, url=url)
    head = f"{title}\n\n" if title else ""
    text = head + body[:config.place_chars]
    try:
        mentions = find_places(text)
    except FileNotFoundError:  # pragma: no cover - gazetteer index missing
        mentions = []
    places = _place_weights(mentions, len(head), len(head) + 500)
    actors = find_actors(title, body, places=[m for m in mentions], use_spacy=config.use_spacy)
    kinds = event_kinds(title, body)
    parts = {"t": _norm(_term_vector(title, body, config.title_weight), 1.0),
             "n": _norm(_name_vector(actors), 1.0),
             "p": _norm(_place_vector(places), 1.0),
             "k": _norm(_kind_vector(kinds), 1.0)}
    return ArticleFeatures(id, title, when, _combine(parts, config), published, outlet, url,
                           places, actors, kinds, parts)


def article_features(article: Article, config: EventConfig = EventConfig()) -> ArticleFeatures:
    """Features of a stored :class:`~newstrace.models.Article` (its best metadata values)."""
    return features(article.id, article.norm_title, article.norm_body,
                    published=article.first("published"), url=article.first("url"),
                    outlet=article.first("outlet"), config=config)


# ---------------------------------------------------------------------------------------------
# Groups and their similarity
# ---------------------------------------------------------------------------------------------


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


class _Group:
    """A set of articles with what the similarity needs: the vector sum, the sorted dates of
    confidently dated members and the place weights (for the main place)."""

    __slots__ = ("members", "vec", "days", "place_w", "places", "_main", "key")

    def __init__(self, f: ArticleFeatures, config: EventConfig) -> None:
        self.members: list[ArticleFeatures] = [f]
        self.vec: dict[str, float] = dict(f.vector)
        self.days: list[int] = []
        if f.day is not None and f.when.confidence >= config.date_min_confidence:
            self.days.append(f.day)
        self.place_w: dict[str, float] = {}
        self.places: dict[str, Any] = {}
        for p, w in f.places:
            if p.kind in ("city", "admin1") and p.lat is not None:
                self.place_w[p.id] = self.place_w.get(p.id, 0.0) + w
                self.places[p.id] = p
        self._main: Any = False
        self.key = f.sort_key()

    @property
    def n(self) -> int:
        return len(self.members)

    def absorb(self, other: "_Group") -> None:
        if len(other.vec) > len(self.vec):
            self.vec, other_vec = dict(other.vec), self.vec
        else:
            other_vec = other.vec
        vec = self.vec
        for k, v in other_vec.items():
            vec[k] = vec.get(k, 0.0) + v
        self.members.extend(other.members)
        for d in other.days:
            bisect.insort(self.days, d)
        for k, v in other.place_w.items():
            self.place_w[k] = self.place_w.get(k, 0.0) + v
            self.places[k] = other.places[k]
        self._main = False
        self.key = min(self.key, other.key)

    def add(self, f: ArticleFeatures, config: EventConfig) -> None:
        self.absorb(_Group(f, config))

    def day(self) -> int | None:
        return self.days[len(self.days) // 2] if self.days else None

    def main_place(self) -> Any:
        """The heaviest town or province, when it holds at least a third of the place weight."""
        if self._main is False:
            self._main = None
            if self.place_w:
                total = sum(self.place_w.values())
                pid = max(self.place_w, key=lambda k: (self.place_w[k], k))
                if self.place_w[pid] >= total / 3:
                    self._main = self.places[pid]
        return self._main


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    s = 0.0
    for k, v in a.items():
        w = get(k)
        if w is not None:
            s += v * w
    return s


def _factor(a: _Group, b: _Group, config: EventConfig) -> float:
    f = 1.0
    da, db = a.day(), b.day()
    if da is not None and db is not None:
        gap = abs(da - db) - config.date_tolerance_days
        if gap > 0:
            f *= 1.0 - config.date_penalty * min(1.0, gap / config.date_scale_days)
    pa, pb = a.main_place(), b.main_place()
    if pa is not None and pb is not None and pa.id != pb.id:
        if _haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) > config.far_km:
            f *= 1.0 - config.place_penalty
    return f


def _group_sim(a: _Group, b: _Group, config: EventConfig) -> float:
    return _dot(a.vec, b.vec) / (a.n * b.n) * _factor(a, b, config)


def similarity(a: ArticleFeatures, b: ArticleFeatures, config: EventConfig = EventConfig()) -> float:
    """The event similarity of two articles (what grouping averages over members)."""
    return _group_sim(_Group(a, config), _Group(b, config), config)


def _index_keys(vec: Mapping[str, float], n: int) -> list[str]:
    return [k for k, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def event_id(members: Iterable[ArticleFeatures]) -> str:
    """``evt_`` + 16 hex digits of the SHA-256 of the earliest member's id."""
    first = min(members, key=ArticleFeatures.sort_key)
    return "evt_" + hashlib.sha256(first.id.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Batch: average-linkage agglomeration over a candidate graph
# ---------------------------------------------------------------------------------------------


def _resolve_copies(ids: set[str], copies: Mapping[str, str] | None) -> dict[str, str]:
    """copy id -> the article whose event it joins (its source, followed back through chains)."""
    out: dict[str, str] = {}
    if not copies:
        return out
    for c in copies:
        if c not in ids:
            continue
        seen = {c}
        cur = copies[c]
        while cur in copies and copies[cur] not in seen and cur not in ids - set(copies):
            seen.add(cur)
            cur = copies[cur]
        if cur in ids and cur != c and cur not in copies:
            out[c] = cur
    return out


def cluster(items: Sequence[ArticleFeatures], config: EventConfig = EventConfig(), *,
            copies: Mapping[str, str] | None = None,
            progress: Callable[[int], None] | None = None) -> dict[str, list[str]]:
    """Group articles into events in one batch: ``{event_id: [article ids, earliest first]}``.

    Average-linkage agglomeration (UPGMA) with the date and place factors, over the graph of
    candidate pairs (articles sharing one of their heaviest features; the ``candidates`` best
    per article by a cheap overlap score). Merging stops when no two groups reach
    ``config.threshold``. ``copies`` maps a copy's id to its source's: copies follow their
    source instead of being grouped on their own.
    """
    ids = {f.id for f in items}
    follow = _resolve_copies(ids, copies)
    feats = sorted((f for f in items if f.id not in follow), key=ArticleFeatures.sort_key)
    groups: dict[int, _Group] = {i: _Group(f, config) for i, f in enumerate(feats)}
    neighbours: dict[int, set[int]] = defaultdict(set)
    # candidate pairs from the inverted index (articles processed in date order)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        keys = _index_keys(f.vector, config.index_keys)
        score: dict[int, float] = defaultdict(float)
        for k in keys:
            plist = postings[k]
            if len(plist) > config.max_postings:
                plist = plist[-config.max_postings:]
            w = f.vector[k]
            for j in plist:
                score[j] += w * feats[j].vector.get(k, 0.0)
            postings[k].append(i)
        if score:
            best = heapq.nlargest(config.candidates, score.items(), key=lambda kv: (kv[1], -kv[0]))
            for j, _ in best:
                neighbours[i].add(j)
                neighbours[j].add(i)
        if progress and i % 1000 == 999:
            progress(1000)
    heap: list[tuple[float, int, int]] = []
    for i, ns in neighbours.items():
        for j in ns:
            if i < j:
                s = _group_sim(groups[i], groups[j], config)
                if s >= config.threshold:
                    heap.append((-s, i, j))
    heapq.heapify(heap)
    alive = set(groups)
    next_id = len(feats)
    while heap:
        neg, i, j = heapq.heappop(heap)
        if i not in alive or j not in alive:
            continue
        a, b = groups.pop(i), groups.pop(j)
        alive.discard(i)
        alive.discard(j)
        a.absorb(b)
        k = next_id
        next_id += 1
        groups[k] = a
        alive.add(k)
        ns = (neighbours.pop(i, set()) | neighbours.pop(j, set())) - {i, j}
        neighbours[k] = ns
        for m in ns:
            nm = neighbours[m]
            nm.discard(i)
            nm.discard(j)
            nm.add(k)
            s = _group_sim(a, groups[m], config)
            if s >= config.threshold:
                heapq.heappush(heap, (-s, min(k, m), max(k, m)))
    return _finish(groups.values(), follow, {f.id: f for f in items})


def _finish(groups: Iterable[_Group], follow: Mapping[str, str],
            by_id: Mapping[str, ArticleFeatures]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    where: dict[str, str] = {}
    for g in groups:
        eid = event_id(g.members)
        members = sorted(g.members, key=ArticleFeatures.sort_key)
        out[eid] = [f.id for f in members]
        for f in members:
            where[f.id] = eid
    for c, src in sorted(follow.items()):
        eid = where[src]
        out[eid].append(c)
    for eid, ms in out.items():
        ms.sort(key=lambda a: by_id[a].sort_key())
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------
# Stream: one article at a time
# ---------------------------------------------------------------------------------------------


class EventIndex:
    """Events kept up to date article by article.

    :meth:`add` puts one article into the best-matching event (average similarity to its
    members, the same measure the batch uses) when it reaches ``config.threshold``, else starts
    a new event; candidates come from an inverted index of the events' heaviest features,
    keeping the ``max_postings`` most recent events per feature, so the cost of one article
    does not grow with the store. :meth:`recluster` regroups everything in one batch.
    """

    def __init__(self, config: EventConfig = EventConfig()) -> None:
        self.config = config
        self._groups: dict[int, _Group] = {}
        self._of: dict[str, int] = {}  # article id -> group number
        self._features: dict[str, ArticleFeatures] = {}
        self._copies: dict[str, str] = {}  # copy id -> source id
        self._postings: dict[str, deque[int]] = {}
        self._indexed: dict[int, set[str]] = defaultdict(set)
        self._next = 0

    def __len__(self) -> int:
        return len(self._features)

    def add(self, f: ArticleFeatures, copy_of: str | None = None) -> str:
        """Add one article (its features); returns its event id. ``copy_of``: the source of a
        copy found by the provenance stage: the copy joins the source's event."""
        if f.id in self._features:
            return self.event_of(f.id)
        self._features[f.id] = f
        if copy_of is not None and copy_of in self._of:
            src = copy_of
            while src in self._copies:
                src = self._copies[src]
            self._copies[f.id] = src
            g = self._of[src]
            self._of[f.id] = g
            return event_id(self._groups[g].members)
        single = _Group(f, self.config)
        best, best_sim = None, self.config.threshold
        for gid in self._candidates(f):
            s = _group_sim(single, self._groups[gid], self.config)
            if s > best_sim or (s == best_sim and best is not None and gid < best):
                best, best_sim = gid, s
        if best is None:
            best = self._next
            self._next += 1
            self._groups[best] = single
        else:
            self._groups[best].absorb(single)
        self._of[f.id] = best
        self._index(best, f)
        return event_id(self._groups[best].members)

    def _candidates(self, f: ArticleFeatures) -> list[int]:
        score: dict[int, float] = defaultdict(float)
        for k in _index_keys(f.vector, self.config.index_keys):
            plist = self._postings.get(k)
            if not plist:
                continue
            w = f.vector[k]
            for g in plist:
                grp = self._groups.get(g)
                if grp is not None:
                    score[g] += w * grp.vec.get(k, 0.0) / grp.n
        if len(score) <= self.config.candidates:
            return sorted(score)
        return [g for g, _ in heapq.nlargest(self.config.candidates, score.items(),
                                             key=lambda kv: (kv[1], -kv[0]))]

    def _index(self, gid: int, f: ArticleFeatures) -> None:
        have = self._indexed[gid]
        for k in _index_keys(f.vector, self.config.index_keys):
            if k in have:
                continue
            have.add(k)
            plist = self._postings.get(k)
            if plist is None:
                plist = self._postings[k] = deque(maxlen=self.config.max_postings)
            plist.append(gid)

    def event_of(self, article_id: str) -> str:
        return event_id(self._groups[self._of[article_id]].members)

    def events(self) -> dict[str, list[str]]:
        """``{event_id: [article ids, earliest first]}`` (copies listed with their event)."""
        return _finish(self._groups.values(), self._copies, self._features)

    def assignments(self) -> dict[str, str]:
        return {a: eid for eid, ms in self.events().items() for a in ms}

    def features(self, article_id: str) -> ArticleFeatures:
        return self._features[article_id]

    def recluster(self) -> dict[str, list[str]]:
        """Regroup every article in one batch (:func:`cluster`) and continue from that."""
        items = list(self._features.values())
        copies = dict(self._copies)
        events = cluster(items, self.config, copies=copies)
        self._groups.clear()
        self._of.clear()
        self._postings.clear()
        self._indexed.clear()
        self._next = 0
        for members in events.values():
            own = [self._features[a] for a in members if a not in copies]
            g = self._next
            self._next += 1
            grp = _Group(own[0], self.config)
            for f in own[1:]:
                grp.add(f, self.config)
            self._groups[g] = grp
            for a in members:
                self._of[a] = g
            for f in own:
                self._index(g, f)
        return events

    def card(self, eid: str) -> "EventCard":
        members = self.events()[eid]
        return event_card([self._features[a] for a in members], self._copies)


# ---------------------------------------------------------------------------------------------
# Event cards
# ---------------------------------------------------------------------------------------------


@dataclass
class EventCard:
    """What a reader sees of one event."""

    id: str
    headline: str
    when: dict[str, Any]
    where: dict[str, Any] | None
    who: list[dict[str, Any]]
    what: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    first_report: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "headline": self.headline, "when": self.when, "where": self.where,
                "who": self.who, "what": self.what, "articles": self.articles,
                "first_report": self.first_report}


def _card_when(members: Sequence[ArticleFeatures]) -> dict[str, Any]:
    dated = [f for f in members if f.when.date is not None]
    if not dated:
        return {"date": None, "earliest": None, "latest": None, "confidence": 0.0, "evidence": []}
    votes: Counter[date] = Counter()
    for f in dated:
        votes[f.when.date] += f.when.confidence  # type: ignore[index]
    # the day with the most confidence within a day either side
    best = max(votes, key=lambda d: (sum(v for e, v in votes.items() if abs((e - d).days) <= 1),
                                     votes[d], -d.toordinal()))
    agree = [f for f in dated if abs((f.when.date - best).days) <= 1]  # type: ignore[operator]
    earliest = max(f.when.earliest for f in agree if f.when.earliest) if agree else best
    latest = min(f.when.latest for f in agree if f.when.latest) if agree else best
    if earliest > latest:
        earliest, latest = min(earliest, best), max(latest, best)
    total = sum(votes.values())
    support = sum(f.when.confidence for f in agree)
    return {"date": best.isoformat(), "earliest": min(earliest, best).isoformat(),
            "latest": max(latest, best).isoformat(), "confidence": round(support / total, 3) if total else 0.0,
            "evidence": [{"article": f.id, "text": f.when.evidence, "source": f.when.source}
                         for f in agree[:5]]}


def _card_where(members: Sequence[ArticleFeatures]) -> dict[str, Any] | None:
    from .places import get_gazetteer

    score: dict[str, float] = defaultdict(float)
    support: dict[str, set[str]] = defaultdict(set)
    place: dict[str, Any] = {}
    for f in members:
        for p, w in f.places:
            if p.kind == "continent":
                continue
            score[p.id] += w
            support[p.id].add(f.id)
            place[p.id] = p
            if p.kind == "city" and p.admin1_id:  # a town supports its province
                score[p.admin1_id] += 0.5 * w
    if not score:
        return None
    # the most specific place that enough of the reports name: towns first, then provinces
    for kinds, share in ((("city",), 0.3), (("admin1",), 0.3), (("country",), 0.0)):
        cands = [pid for pid in score if pid in place and place[pid].kind in kinds]
        if not cands:
            continue
        best = max(cands, key=lambda k: (score[k], len(support[k]), k))
        if len(support[best]) >= share * len(members):
            p = place[best]
            gz = get_gazetteer()
            country = gz.country(p.country_code)
            return {"id": p.id, "name": p.name, "kind": p.kind,
                    "province": p.admin1_name if p.kind == "city" else (p.name if p.kind == "admin1" else None),
                    "country": country.name if country else p.country_code,
                    "country_code": p.country_code, "lat": p.lat, "lon": p.lon,
                    "articles": len(support[best])}
    return None


def event_card(members: Sequence[ArticleFeatures], copies: Mapping[str, str] | None = None) -> EventCard:
    """The card of one event from its members' features (copies shown under their source)."""
    copies = copies or {}
    members = sorted(members, key=ArticleFeatures.sort_key)
    own = [f for f in members if f.id not in copies] or list(members)
    eid = event_id(members)
    # headline: the member closest to the event's centre
    total: dict[str, float] = defaultdict(float)
    for f in own:
        for k, v in f.vector.items():
            total[k] += v
    central = max(own, key=lambda f: (_dot(f.vector, total) if f.title else -1.0, [-ord(c) for c in f.id]))
    who_df: Counter[str] = Counter()
    who_name: dict[str, tuple[str, str]] = {}
    for f in own:
        for a in f.actors:
            if a.label in _ACTOR_LABELS:
                who_df[a.key] += 1
                if a.key not in who_name or len(a.name) > len(who_name[a.key][0]):
                    who_name[a.key] = (a.name, a.label)
    who = [{"name": who_name[k][0], "label": who_name[k][1], "articles": n}
           for k, n in sorted(who_df.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
           if n >= max(1, len(own) // 3)]
    what_score: dict[str, float] = defaultdict(float)
    for f in own:
        for k in f.kinds:
            what_score[k.kind] += k.score
    what = [{"kind": k, "score": round(v / len(own), 3)}
            for k, v in sorted(what_score.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    first = own[0].id if own else None
    by_source: dict[str, list[str]] = defaultdict(list)
    for c, s in copies.items():
        by_source[s].append(c)
    articles = []
    feats = {f.id: f for f in members}
    for f in own:
        entry = {"id": f.id, "title": f.title, "outlet": f.outlet, "published": f.published,
                 "event_date": f.when.date.isoformat() if f.when.date else None,
                 "copies": [{"id": c, "title": feats[c].title, "outlet": feats[c].outlet,
                             "published": feats[c].published}
                            for c in sorted(by_source.get(f.id, [])) if c in feats]}
        articles.append(entry)
    return EventCard(eid, central.title or (central.id), _card_when(own), _card_where(own), who, what,
                     articles, first)


def cards(items: Sequence[ArticleFeatures], events: Mapping[str, Sequence[str]],
          copies: Mapping[str, str] | None = None) -> list[EventCard]:
    """Cards for every event of a grouping (largest first)."""
    by_id = {f.id: f for f in items}
    out = [event_card([by_id[a] for a in ms], copies) for ms in events.values()]
    out.sort(key=lambda c: (-len(c.articles), c.id))
    return out
