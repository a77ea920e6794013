"""Events: articles grouped by the one real-world happening they report.

An event is one happening: the Taliban attack on Qala-e-Naw on 7 July 2021 is one event, their
capture of Kunduz a month later another, although the topic is the same. Reports of one event
share *where* (places), *when* (the date the text implies), *who* (actors), *what* (the kind of
happening), the numbers they state and much of their vocabulary; reports of a similar event
elsewhere or another time share the topic vocabulary but less of the rest.

**Features** (:func:`features`). One sparse vector of namespaced features per article, each
family unit length and scaled by the square root of its weight, so that a dot product is the
weighted sum of the families' cosines: content words (``t:``, weighted by rarity in English at
large from a fixed table, so an article's vector never changes as the store grows), actor keys
(``n:``, :mod:`newstrace.actors`), places (``p:``; a town also counts, less, for its province
and country), kinds of happening (``k:``) and numbers (``d:``). Plus a
:class:`~newstrace.when.DateEstimate`, the weekday the text gives the event
(:func:`~newstrace.when.event_weekday`, also where no publication date places it: "on Sunday")
and the places with coordinates (for the card).

**Similarity.** First order: the dot product (optionally lowered for dates or main places far
apart, :class:`EventConfig` ``date_penalty``/``place_penalty``). Second order: each article keeps
its ``neighbours`` most similar articles, and its *profile* is that list of similarities (and
itself; each squared, ``profile_power``, so that the closest count most), unit length. Reports of one event have the same neighbours; reports of a similar event
are surrounded by their own event's reports, so profile cosine (a shared-nearest-neighbour
similarity) separates same-topic events better than the features alone (on ECB+, within topics,
ROC AUC 0.90 -> 0.97). It stays linear: a group's profile sum gives its average similarity.

**Grouping**, in two passes over the neighbour graph (pairs that are neighbours or share one):

1. average linkage (UPGMA) on profile similarity until no two groups reach ``threshold``: strict,
   and it splits large events (each member sees only ``neighbours`` others, so the average over
   two halves of a big event is diluted);
2. average linkage on first-order similarity between neighbouring groups down to
   ``merge_threshold``, never joining two groups whose members state different days: among the
   cross pairs that both state a weekday (or a date), most must agree within a day
   (``agree_share``). Two reports of one event name the same day; two events of one kind (two
   earthquakes, two arrests of players of one team) rarely do. On ECB+ this pass takes the
   share of same-topic different-event pairs merged from 3.5% to 1.9% while raising B3 F1.
   Short reports lower the threshold (``brief_terms``): two one-sentence reports of one event
   share few words, so their groups' average similarity is low for lack of words, not for
   another event; a group of such snippets meeting a group of full reports is lowered half as
   much (on ECB+, the snippet-only events that pass 1 leaves in pieces come together: B3 F1
   0.943 -> 0.956, same-topic merges unchanged).

Batch (:func:`cluster`) and stream (:class:`EventIndex`) build the same graph: articles are
taken in publication order and each finds its neighbours among the articles before it (an
inverted index over its heaviest features, the ``max_postings`` latest articles per feature:
the cost does not grow with the store), then is offered to them as a neighbour. The stream
regroups the new article's neighbourhood (the events of its neighbours, up to ``local_region``
articles) with both passes, as the batch would; beyond that size it joins the best event above
the threshold. Neither mode compares all pairs. Scoring a candidate is NumPy over interned
feature numbers, and a group's similarities to its neighbours one scatter and one gather:
100,000 articles group in minutes (``bench/events.py``).

Copies found by the provenance stage are not grouped on their own: they join their source's
event and are shown under it. Event ids are ``evt_`` + a hash of the earliest member (by
publication/reference date, then article id): the same in both modes and across runs (an id
changes only when an earlier report joins the event).
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

import numpy as np

from .actors import RARE_ZIPF, Actor, KindScore, event_kinds, find_actors, word_zipf
from .models import Article
from .text import STOPWORDS, normalize, words
from .when import DateEstimate, event_date, event_weekday

__all__ = [
    "ArticleFeatures", "EventCard", "EventConfig", "EventIndex", "article_features", "cards",
    "cluster", "event_card", "event_id", "features", "similarity",
]


@dataclass(frozen=True)
class EventConfig:
    """Weights and thresholds of event grouping (tuned on ECB+ odd topics, see
    ``newstrace.evaluation.events_eval``)."""

    threshold: float = 0.36  # average profile similarity at which two groups are one event
    w_text: float = 0.45
    w_names: float = 0.35
    w_places: float = 0.15
    w_kinds: float = 0.05
    w_numbers: float = 0.20
    #: second pass: neighbouring groups whose average first-order similarity reaches this are
    #: one event, unless their members state different days (0: no second pass)
    merge_threshold: float = 0.37
    agree_share: float = 0.5  # ... different days: fewer cross pairs than this agree
    #: ... and short reports: two reports of one event share fewer words the less each says
    #: (ECB+, same-event pairs: average similarity 0.26-0.30 where one has under 15 distinct
    #: content words, 0.50-0.57 where both have over 60). A group whose members average m
    #: content words under this many counts sqrt(m / brief_terms) of the threshold, each of the
    #: two groups for itself (two groups of one-sentence reports: their product), so a group of
    #: longer reports meets a group of snippets with half the lowering (0: off)
    brief_terms: float = 55.0
    min_evidence_pairs: int = 4  # ... over at least this many cross pairs that state a day
    date_veto: bool = True  # ... dates as well as weekdays
    title_weight: float = 2.0  # a headline word counts as this many body words
    date_tolerance_days: float = 3.0  # dates this close are the same
    date_scale_days: float = 30.0  # ... and the penalty is full this much further apart
    #: the most a date difference takes off (x similarity). Off by default: on ECB+ (odd topics)
    #: any penalty lowered B3 F1, its gold events span months (a murder and its trial)
    date_penalty: float = 0.0
    date_min_confidence: float = 0.5
    far_km: float = 800.0  # main places further apart than this ...
    place_penalty: float = 0.0  # ... take this off (off by default, as for dates)
    index_keys: int = 16  # heaviest features of an article put in the candidate index
    candidates: int = 50  # candidate articles scored exactly per article
    neighbours: int = 7  # nearest articles kept per article (its profile)
    #: a profile weighs each neighbour by its similarity to this power: squared, the closest
    #: neighbours count more (ECB+, both halves: B3 F1 up, same-topic merges down)
    profile_power: float = 2.0
    second_hop: int = 3  # pairs through this many of a neighbour's neighbours
    local_region: int = 400  # stream: regroup the new article's neighbourhood when this small
    max_postings: int = 150  # the index keeps this many most recent entries per feature
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
    weekday: int | None = None  # the event's day of the week (Monday = 0), see when.event_weekday
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

    @property
    def terms(self) -> int:
        """How many distinct content words (headline and body) the article has."""
        t = self.parts.get("t")
        return len(t) if t is not None else sum(1 for k in self.vector if k.startswith("t:"))

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


_NUMBER = re.compile(r"(?<![\w.])\d+(?:\s?[.,:]\s?\d+)*(?![\w])")
_TRIVIAL_NUMBERS = frozenset("0 1 2 3 4 5 6 7 8 9 10 12".split())


def _number_vector(title: str, body: str) -> dict[str, float]:
    """Numbers stated (tolls, magnitudes, scores, ages, years): reports of one event repeat
    them; reports of a similar event elsewhere state others. Tiny counts are left out."""
    tf: Counter[str] = Counter()
    for text in (title, body):
        for m in _NUMBER.finditer(text):
            v = re.sub(r"\s", "", m.group())
            if v not in _TRIVIAL_NUMBERS:
                tf["d:" + v] += 1
    return {k: 1.0 + math.log(c) for k, c in tf.items()}


def _kind_vector(kinds: Sequence[KindScore]) -> dict[str, float]:
    return {"k:" + k.kind: k.score for k in kinds}


def _combine(parts: Mapping[str, Mapping[str, float]], config: EventConfig) -> dict[str, float]:
    weights = {"t": config.w_text, "n": config.w_names, "p": config.w_places, "k": config.w_kinds,
               "d": config.w_numbers}
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
    weekday = event_weekday(title, body, when)
    parts = {"t": _norm(_term_vector(title, body, config.title_weight), 1.0),
             "n": _norm(_name_vector(actors), 1.0),
             "p": _norm(_place_vector(places), 1.0),
             "k": _norm(_kind_vector(kinds), 1.0),
             "d": _norm(_number_vector(title, body), 1.0)}
    return ArticleFeatures(id, title, when, _combine(parts, config), published, outlet, url,
                           places, actors, kinds, weekday, parts)


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


def _dot(a: Mapping[Any, float], b: Mapping[Any, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    s = 0.0
    for k, v in a.items():
        w = get(k)
        if w is not None:
            s += v * w
    return s


def _main_place(f: ArticleFeatures) -> Any:
    """The article's heaviest town or province with coordinates, when it holds at least a third
    of the article's place weight (else None: the article is about no one place)."""
    total = sum(w for _, w in f.places)
    for p, w in f.places:
        if p.kind in ("city", "admin1") and p.lat is not None:
            return p if w >= total / 3 else None
    return None


def _factor(fa: ArticleFeatures, fb: ArticleFeatures, config: EventConfig) -> float:
    """How much dates far apart and places far apart take off the similarity of two articles."""
    f = 1.0
    if fa.when.confidence >= config.date_min_confidence and fb.when.confidence >= config.date_min_confidence:
        da, db = fa.day, fb.day
        if da is not None and db is not None:
            gap = abs(da - db) - config.date_tolerance_days
            if gap > 0:
                f *= 1.0 - config.date_penalty * min(1.0, gap / config.date_scale_days)
    pa, pb = _main_place(fa), _main_place(fb)
    if pa is not None and pb is not None and pa.id != pb.id:
        if _haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) > config.far_km:
            f *= 1.0 - config.place_penalty
    return f


def similarity(a: ArticleFeatures, b: ArticleFeatures, config: EventConfig = EventConfig()) -> float:
    """First-order event similarity of two articles: the weighted feature cosines, scaled down
    for dates or places far apart."""
    return _dot(a.vector, b.vector) * _factor(a, b, config)


def event_id(members: Iterable[ArticleFeatures]) -> str:
    """``evt_`` + 16 hex digits of the SHA-256 of the earliest member's id."""
    first = min(members, key=ArticleFeatures.sort_key)
    return "evt_" + hashlib.sha256(first.id.encode("utf-8")).hexdigest()[:16]


class _Graph:
    """Articles as nodes, each with its ``k`` most similar articles (first order) and its
    *profile*: those neighbours' similarities (and itself), unit length.

    Two reports of one event have the same neighbours; two reports of two similar events
    (same topic, another time or place) are each surrounded by their own event's reports. The
    cosine of profiles (second order, shared-nearest-neighbour similarity) tells them apart
    better than the features alone, and stays linear: a group's profile sum gives its average.

    Vectors are kept as arrays of interned feature numbers so that scoring an article
    against its candidates is a few NumPy calls, not a Python loop per feature (100,000
    articles: seconds, not an hour). Nodes are added in publication order and an article looks
    for neighbours among the articles before it (the latest ``max_postings`` of each of its
    index features); it is offered to them as a neighbour in turn. The batch and the stream
    build the same graph this way.
    """

    def __init__(self, config: EventConfig) -> None:
        self.config = config
        self.feats: list[ArticleFeatures] = []
        self.fid: dict[str, int] = {}
        self.vidx: list[np.ndarray] = []  # feature numbers of each node
        self.vval: list[np.ndarray] = []  # their weights
        self.keys: list[list[tuple[int, float]]] = []  # index features (number, weight)
        self.post_nodes: dict[int, list[int]] = defaultdict(list)
        self.post_w: dict[int, list[float]] = defaultdict(list)
        self.knn: list[list[tuple[float, int]]] = []  # best first
        self.profile: list[dict[int, float]] = []
        self._scratch = np.zeros(1024)
        self._penalised = config.date_penalty > 0 or config.place_penalty > 0

    def __len__(self) -> int:
        return len(self.feats)

    def put(self, f: ArticleFeatures) -> int:
        i = len(self.feats)
        self.feats.append(f)
        fid = self.fid
        get = fid.get
        vec = f.vector
        ids = []
        for k in vec:
            x = get(k)
            if x is None:
                x = fid[k] = len(fid)
            ids.append(x)
        vidx = np.array(ids, dtype=np.int32)
        vval = np.fromiter(vec.values(), dtype=np.float64, count=len(vec))
        self.vidx.append(vidx)
        self.vval.append(vval)
        # the heaviest features (ties: the first written), for the candidate index
        top = np.argsort(-vval, kind="stable")[:self.config.index_keys].tolist()
        keys = list(zip([ids[t] for t in top], vval[top].tolist()))
        self.keys.append(keys)
        for k, w in keys:
            self.post_nodes[k].append(i)
            self.post_w[k].append(w)
        self.knn.append([])
        self.profile.append({i: 1.0})
        return i

    def candidates(self, i: int) -> np.ndarray:
        """Articles sharing one of ``i``'s heaviest features, the best ``candidates`` by the
        weight of the features they share (only the ``max_postings`` latest articles of each
        feature are looked at), as an array."""
        cap = self.config.max_postings
        nodes: list[int] = []
        weights: list[float] = []
        key_w: list[float] = []
        lens: list[int] = []
        for k, w in self.keys[i]:
            pn = self.post_nodes[k]
            if len(pn) > cap:
                nodes.extend(pn[-cap:])
                weights.extend(self.post_w[k][-cap:])
                lens.append(cap)
            else:
                nodes.extend(pn)
                weights.extend(self.post_w[k])
                lens.append(len(pn))
            key_w.append(w)
        if not nodes:
            return np.zeros(0, dtype=np.int64)
        arr = np.array(nodes, dtype=np.int64)
        uniq, inv = np.unique(arr, return_inverse=True)
        wts = np.array(weights) * np.repeat(np.array(key_w), lens)
        score = np.bincount(inv, weights=wts, minlength=len(uniq))
        keep = uniq != i
        uniq, score = uniq[keep], score[keep]
        n = self.config.candidates
        if len(uniq) > n:
            order = np.lexsort((uniq, -score))[:n]
            uniq = uniq[order]
        return uniq

    def scratch(self) -> np.ndarray:
        """A dense zero vector over every feature seen (callers leave it zero)."""
        if len(self.fid) > len(self._scratch):
            self._scratch = np.zeros(max(2 * len(self._scratch), len(self.fid)))
        return self._scratch

    def sims(self, i: int, cands: np.ndarray) -> np.ndarray:
        """First-order similarity of ``i`` with each candidate (:func:`similarity`)."""
        if len(cands) == 0:
            return np.zeros(0)
        idx_i = self.vidx[i]
        scratch = self.scratch()
        scratch[idx_i] = self.vval[i]
        parts_i = [self.vidx[j] for j in cands]
        lens = np.fromiter((len(p) for p in parts_i), dtype=np.int64, count=len(parts_i))
        cat = np.concatenate(parts_i)
        prod = scratch[cat] * np.concatenate([self.vval[j] for j in cands])
        scratch[idx_i] = 0.0
        starts = np.zeros(len(lens), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        out = np.add.reduceat(prod, starts) if len(prod) else np.zeros(len(lens))
        out[lens == 0] = 0.0
        if self._penalised:
            fi = self.feats[i]
            out = out * np.array([_factor(fi, self.feats[j], self.config) for j in cands])
        return out

    def neighbours(self, i: int) -> list[tuple[float, int]]:
        """``i``'s k most similar candidates (similarity > 0), best first."""
        cands = self.candidates(i)
        s = self.sims(i, cands)
        pos = s > 0
        cands, s = cands[pos], s[pos]
        order = np.lexsort((cands, -s))[:self.config.neighbours]
        return [(float(s[o]), int(cands[o])) for o in order]

    @classmethod
    def build(cls, feats: Sequence[ArticleFeatures], config: EventConfig,
              progress: Callable[[int], None] | None = None) -> "_Graph":
        """The graph of ``feats`` (in publication order), built as the stream would build it:
        each article finds its neighbours among the articles before it and is offered to them."""
        g = cls(config)
        for f in feats:
            i = g.put(f)
            for s, j in g.neighbours(i):
                g.offer(i, s, j)
                g.offer(j, s, i)  # similarity is symmetric: i is a candidate neighbour of j too
            if progress and i % 1000 == 999:
                progress(1000)
        for i in range(len(g)):
            g.set_profile(i)
        return g

    def set_profile(self, i: int) -> dict[int, float]:
        nb = self.knn[i][:self.config.neighbours]
        pw = self.config.profile_power
        prof = {j: s ** pw for s, j in nb}
        prof[i] = nb[0][0] ** pw if nb else 1.0
        norm = math.sqrt(sum(v * v for v in prof.values()))
        prof = {j: v / norm for j, v in prof.items()}
        self.profile[i] = prof
        return prof

    def offer(self, j: int, s: float, i: int) -> bool:
        """Offer ``i`` as a neighbour of ``j``; True when ``j``'s neighbours changed."""
        nb = self.knn[j]
        kmax = self.config.neighbours
        if len(nb) >= kmax and (s, -i) <= (nb[-1][0], -nb[-1][1]):
            return False
        if any(x == i for _, x in nb):
            return False
        bisect.insort(nb, (s, i), key=lambda t: (-t[0], t[1]))
        del nb[kmax:]
        return True


class _Group:
    """A set of articles (graph nodes) with the sum of their profiles."""

    __slots__ = ("members", "vec")

    def __init__(self, members: list[int], vec: dict[int, float]) -> None:
        self.members = members
        self.vec = vec

    @property
    def n(self) -> int:
        return len(self.members)

    def absorb(self, other: "_Group") -> None:
        if len(other.vec) > len(self.vec):
            self.vec, other_vec = other.vec, self.vec
        else:
            other_vec = other.vec
        vec = self.vec
        for k, v in other_vec.items():
            vec[k] = vec.get(k, 0.0) + v
        self.members.extend(other.members)

    def shift(self, old: Mapping[int, float], new: Mapping[int, float]) -> None:
        vec = self.vec
        for k, v in old.items():
            vec[k] = vec.get(k, 0.0) - v
        for k, v in new.items():
            vec[k] = vec.get(k, 0.0) + v


# ---------------------------------------------------------------------------------------------
# Batch: average-linkage agglomeration over the neighbour graph
# ---------------------------------------------------------------------------------------------


def _resolve_copies(ids: set[str], copies: Mapping[str, str] | None) -> dict[str, str]:
    """copy id -> the article whose event it joins (its source, followed back through chains)."""
    out: dict[str, str] = {}
    if not copies:
        return out
    for c in sorted(copies):
        if c not in ids:
            continue
        seen = {c}
        cur = copies[c]
        while cur in copies and copies[cur] not in seen:
            seen.add(cur)
            cur = copies[cur]
        if cur in ids and cur != c and cur not in copies:
            out[c] = cur
    return out


def cluster(items: Sequence[ArticleFeatures], config: EventConfig = EventConfig(), *,
            copies: Mapping[str, str] | None = None,
            progress: Callable[[int], None] | None = None) -> dict[str, list[str]]:
    """Group articles into events in one batch: ``{event_id: [article ids, earliest first]}``.

    Every article gets its ``neighbours`` most similar articles (candidates from an inverted
    index of heaviest features, never all pairs) and from them its profile; groups are then
    merged by average linkage (UPGMA) on profile similarity, over pairs of articles that are
    neighbours or share a neighbour, until no two groups reach ``config.threshold``.
    ``copies`` maps a copy's id to its source's: copies follow their source instead of being
    grouped on their own.
    """
    g, groups, follow = _batch(items, config, copies, progress)
    return _finish([[g.feats[i] for i in grp] for grp in groups], follow, {f.id: f for f in items})


def _batch(items: Sequence[ArticleFeatures], config: EventConfig, copies: Mapping[str, str] | None,
           progress: Callable[[int], None] | None = None
           ) -> tuple[_Graph, list[list[int]], dict[str, str]]:
    """The graph, the groups (lists of nodes) and the copies followed, for :func:`cluster` and
    :meth:`EventIndex.recluster` (which goes on from the same graph)."""
    ids = {f.id for f in items}
    follow = _resolve_copies(ids, copies)
    feats = sorted((f for f in items if f.id not in follow), key=ArticleFeatures.sort_key)
    g = _Graph.build(feats, config, progress)
    return g, _agglomerate(g, range(len(g)), config), follow


def _agglomerate(g: _Graph, nodes: Iterable[int], config: EventConfig) -> list[list[int]]:
    """Average-linkage merging (UPGMA on profile similarity) of ``nodes``, over the pairs that
    are neighbours or share a neighbour among them, until no two groups reach the threshold."""
    nodes = sorted(nodes)
    inside = set(nodes)
    near: dict[int, set[int]] = {i: set() for i in nodes}
    k = config.neighbours
    for i in nodes:
        for _, j in g.knn[i][:k]:
            if j in inside:
                near[i].add(j)
                near[j].add(i)
    pairs: dict[int, set[int]] = {i: set() for i in nodes}
    for i in nodes:
        for j in near[i]:
            pairs[i].add(j)
            for _, m in g.knn[j][:config.second_hop]:
                if m != i and m in inside:
                    pairs[i].add(m)
                    pairs[m].add(i)
    groups: dict[int, _Group] = {i: _Group([i], dict(g.profile[i])) for i in nodes}
    # sums of cross-pair profile similarities of neighbouring groups: a merged group's sum with
    # a neighbour is its two parts' sums added (a dot product only where one part had none)
    cross: dict[int, dict[int, float]] = {i: {} for i in nodes}
    heap: list[tuple[float, int, int]] = []
    for i, js in pairs.items():
        for j in js:
            if i < j:
                s = _dot(g.profile[i], g.profile[j])
                cross[i][j] = cross[j][i] = s
                if s >= config.threshold:
                    heap.append((-s, i, j))
    heapq.heapify(heap)
    next_id = (nodes[-1] + 1) if nodes else 0
    next_id = max(next_id, len(g))
    while heap:
        _, i, j = heapq.heappop(heap)
        if i not in groups or j not in groups:
            continue
        a, b = groups.pop(i), groups.pop(j)
        ci, cj = cross.pop(i), cross.pop(j)
        ck: dict[int, float] = {}
        for m in (ci.keys() | cj.keys()) - {i, j}:
            wi = ci.get(m)
            wj = cj.get(m)
            if wi is None:
                wi = _dot(a.vec, groups[m].vec)
            if wj is None:
                wj = _dot(b.vec, groups[m].vec)
            ck[m] = wi + wj
        a.absorb(b)
        k = next_id
        next_id += 1
        groups[k] = a
        cross[k] = ck
        for m, w in ck.items():
            cm = cross[m]
            cm.pop(i, None)
            cm.pop(j, None)
            cm[k] = w
            s = w / (a.n * groups[m].n)
            if s >= config.threshold:
                heapq.heappush(heap, (-s, min(k, m), max(k, m)))
    pairs = {k: set(c) for k, c in cross.items()}
    if config.merge_threshold <= 0:
        return [sorted(grp.members) for grp in groups.values()]
    return _merge_groups(g, {k: grp.members for k, grp in groups.items()}, pairs, next_id, config)


class _Evidence:
    """What a group says as a whole: the sum of its members' feature vectors (as sorted arrays
    of feature numbers and weights: its average first-order similarity to another group is a
    dot product), and the event weekdays and dates its members state (as histograms, so that
    agreement over all cross pairs is cheap)."""

    __slots__ = ("n", "idx", "val", "weekdays", "days", "terms")

    def __init__(self, n: int, idx: np.ndarray, val: np.ndarray, weekdays: list[int],
                 days: Counter[int], terms: int) -> None:
        self.n, self.idx, self.val, self.weekdays, self.days = n, idx, val, weekdays, days
        self.terms = terms  # the members' distinct content words, summed

    @classmethod
    def of(cls, g: "_Graph", members: Sequence[int], config: EventConfig) -> "_Evidence":
        wd = [0] * 7
        days: Counter[int] = Counter()
        for m in members:
            f = g.feats[m]
            if f.weekday is not None:
                wd[f.weekday] += 1
            if f.when.date is not None and f.when.confidence >= config.date_min_confidence:
                days[f.when.date.toordinal()] += 1
        idx, val = _sparse_sum([g.vidx[m] for m in members], [g.vval[m] for m in members])
        return cls(len(members), idx, val, wd, days, sum(g.feats[m].terms for m in members))

    def absorb(self, other: "_Evidence") -> None:
        self.idx, self.val = _sparse_sum([self.idx, other.idx], [self.val, other.val])
        self.n += other.n
        self.terms += other.terms
        self.weekdays = [x + y for x, y in zip(self.weekdays, other.weekdays)]
        self.days.update(other.days)


def _sparse_sum(idx: Sequence[np.ndarray], val: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The sum of sparse vectors as (sorted unique feature numbers, weights)."""
    i = np.concatenate(idx) if len(idx) > 1 else idx[0]
    v = np.concatenate(val) if len(val) > 1 else val[0]
    u, inv = np.unique(i, return_inverse=True)
    return u, np.bincount(inv, weights=v, minlength=len(u))


def _conflict(a: _Evidence, b: _Evidence, config: EventConfig) -> bool:
    """Whether two groups state different days for their event: among the cross pairs of
    members that both state a weekday (or a date), fewer than ``agree_share`` state the same
    day (a day apart at most; dates ``date_tolerance_days`` apart at most)."""
    na, nb = sum(a.weekdays), sum(b.weekdays)
    if na * nb >= config.min_evidence_pairs:
        agree = 0
        for x, cx in enumerate(a.weekdays):
            if cx:
                agree += cx * (b.weekdays[x] + b.weekdays[(x + 1) % 7] + b.weekdays[(x - 1) % 7])
        if agree < config.agree_share * na * nb:
            return True
    if config.date_veto:
        na, nb = sum(a.days.values()), sum(b.days.values())
        if na * nb >= config.min_evidence_pairs:
            tol = config.date_tolerance_days
            agree = sum(ca * cb for da, ca in a.days.items() for db, cb in b.days.items()
                        if abs(da - db) <= tol)
            if agree < config.agree_share * na * nb:
                return True
    return False


def _merge_threshold(a: _Evidence, b: _Evidence, config: EventConfig) -> float:
    """The second pass's threshold for two groups: ``merge_threshold``, lowered where either
    group's members are short reports (``brief_terms``). Two reports of one event that say
    little share few words: their similarity is low for lack of words, not for another event."""
    t = config.merge_threshold
    ref = config.brief_terms
    if ref > 0:
        f = min(1.0, a.terms / (a.n * ref)) * min(1.0, b.terms / (b.n * ref))
        if f < 1.0:
            t *= math.sqrt(f)
    return t


def _merge_groups(g: _Graph, groups: dict[int, list[int]], pairs: dict[int, set[int]], next_id: int,
                  config: EventConfig) -> list[list[int]]:
    """Second pass: average linkage on first-order similarity between the groups the profile
    pass left (neighbouring groups only), down to ``merge_threshold``, never joining two groups
    whose members state different days. Profile similarity is strict within big events (each
    member sees only ``neighbours`` others, so the average over two halves of a large event is
    diluted); the groups' average similarity is not, and the stated days keep two events of the
    same kind apart. A group's similarities to all its neighbours come from one scatter of its
    summed vector and one gather of theirs."""
    ev = {k: _Evidence.of(g, members, config) for k, members in groups.items()}
    scratch = g.scratch()

    def cross(a: int, bs: list[int]) -> list[float]:
        """Sums of the cross-pair similarities of group ``a`` with each of ``bs``."""
        ea = ev[a]
        scratch[ea.idx] = ea.val
        lens = np.array([len(ev[b].idx) for b in bs])
        prod = scratch[np.concatenate([ev[b].idx for b in bs])] * np.concatenate([ev[b].val for b in bs])
        scratch[ea.idx] = 0.0
        starts = np.zeros(len(lens), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        return np.add.reduceat(prod, starts).tolist()

    def push(a: int, bs: list[int]) -> None:
        if bs:
            ea = ev[a]
            for b, w in zip(bs, cross(a, bs)):
                s = w / (ea.n * ev[b].n)
                if ok(s, ea, ev[b]):
                    heap.append((-s, min(a, b), max(a, b)))

    def ok(s: float, ea: _Evidence, eb: _Evidence) -> bool:
        return s >= _merge_threshold(ea, eb, config) and not _conflict(ea, eb, config)

    heap: list[tuple[float, int, int]] = []
    for a in sorted(groups):
        push(a, sorted(b for b in pairs.get(a, ()) if b > a))
    heapq.heapify(heap)
    while heap:
        _, i, j = heapq.heappop(heap)
        if i not in ev or j not in ev:
            continue
        ei = ev.pop(i)
        ei.absorb(ev.pop(j))
        k = next_id
        next_id += 1
        ev[k] = ei
        groups[k] = groups.pop(i) + groups.pop(j)
        ns = (pairs.pop(i, set()) | pairs.pop(j, set())) - {i, j}
        pairs[k] = ns
        for m in ns:
            pm = pairs[m]
            pm.discard(i)
            pm.discard(j)
            pm.add(k)
        if ns:
            ea = ev[k]
            ms = sorted(ns)
            for m, w in zip(ms, cross(k, ms)):
                s = w / (ea.n * ev[m].n)
                if ok(s, ea, ev[m]):
                    heapq.heappush(heap, (-s, min(k, m), max(k, m)))
    return [sorted(ms) for ms in groups.values()]


def _finish(groups: Iterable[list[ArticleFeatures]], follow: Mapping[str, str],
            by_id: Mapping[str, ArticleFeatures]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    where: dict[str, str] = {}
    for members in groups:
        eid = event_id(members)
        out[eid] = [f.id for f in members]
        for f in members:
            where[f.id] = eid
    for c, src in sorted(follow.items()):
        out[where[src]].append(c)
    for ms in out.values():
        ms.sort(key=lambda a: by_id[a].sort_key())
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------
# Stream: one article at a time
# ---------------------------------------------------------------------------------------------


class EventIndex:
    """Events kept up to date article by article.

    :meth:`add` finds the new article's nearest articles (from the inverted index, looking at
    the ``max_postings`` latest articles of each feature, so its cost does not grow with the
    store), offers it as a neighbour to them (their profiles, and their events' sums, follow),
    and puts it into the event whose members' profiles it matches best on average (the measure
    the batch merges on) when that reaches ``config.threshold``; else it starts an event.
    :meth:`recluster` regroups everything in one batch.
    """

    def __init__(self, config: EventConfig = EventConfig()) -> None:
        self.config = config
        self._g = _Graph(config)
        self._groups: dict[int, _Group] = {}
        self._group_of: list[int] = []  # node -> group number
        self._node: dict[str, int] = {}
        self._features: dict[str, ArticleFeatures] = {}
        self._copies: dict[str, str] = {}  # copy id -> source id
        self._next = 0

    def __len__(self) -> int:
        return len(self._features)

    def add(self, f: ArticleFeatures, copy_of: str | None = None) -> str:
        """Add one article (its features); returns its event id. ``copy_of``: the source of a
        copy found by the provenance stage: the copy joins the source's event."""
        if f.id in self._features:
            return self.event_of(f.id)
        self._features[f.id] = f
        if copy_of is not None and (copy_of in self._node or copy_of in self._copies):
            src = copy_of
            while src in self._copies:
                src = self._copies[src]
            self._copies[f.id] = src
            return self.event_of(src)
        g = self._g
        i = g.put(f)
        self._group_of.append(-1)
        self._node[f.id] = i
        touched: set[int] = set()
        for s, j in g.neighbours(i):
            g.offer(i, s, j)
            if g.offer(j, s, i):
                touched.add(j)
        prof = g.set_profile(i)
        for j in sorted(touched):
            old = g.profile[j]
            new = g.set_profile(j)
            self._groups[self._group_of[j]].shift(old, new)
        cands = sorted({self._group_of[j] for j in prof if j != i} | {self._group_of[j] for j in touched})
        region = [m for gid in cands for m in self._groups[gid].members]
        if len(region) + 1 <= self.config.local_region:
            # regroup the neighbourhood as the batch would, with everyone's current profiles
            for gid in cands:
                del self._groups[gid]
            for members in _agglomerate(g, region + [i], self.config):
                gid = self._next
                self._next += 1
                vec: dict[int, float] = {}
                for m in members:
                    for k, v in g.profile[m].items():
                        vec[k] = vec.get(k, 0.0) + v
                    self._group_of[m] = gid
                self._groups[gid] = _Group(members, vec)
            return event_id(g.feats[m] for m in self._groups[self._group_of[i]].members)
        best, best_sim = -1, self.config.threshold
        for gid in cands:
            grp = self._groups[gid]
            s = _dot(prof, grp.vec) / grp.n
            if s > best_sim:
                best, best_sim = gid, s
        single = _Group([i], dict(prof))
        if best < 0:
            best = self._next
            self._next += 1
            self._groups[best] = single
        else:
            self._groups[best].absorb(single)
        self._group_of[i] = best
        return event_id(g.feats[m] for m in self._groups[best].members)

    def event_of(self, article_id: str) -> str:
        src = self._copies.get(article_id, article_id)
        grp = self._groups[self._group_of[self._node[src]]]
        return event_id(self._g.feats[m] for m in grp.members)

    def events(self) -> dict[str, list[str]]:
        """``{event_id: [article ids, earliest first]}`` (copies listed with their event)."""
        return _finish([[self._g.feats[m] for m in grp.members] for grp in self._groups.values()],
                       self._copies, self._features)

    def assignments(self) -> dict[str, str]:
        return {a: eid for eid, ms in self.events().items() for a in ms}

    def features(self, article_id: str) -> ArticleFeatures:
        return self._features[article_id]

    def recluster(self) -> dict[str, list[str]]:
        """Regroup every article in one batch (:func:`cluster`) and continue from that."""
        g, groups, follow = _batch(list(self._features.values()), self.config, self._copies)
        self._g, self._node, self._copies = g, {f.id: i for i, f in enumerate(g.feats)}, follow
        self._groups, self._group_of, self._next = {}, [-1] * len(g), 0
        for nodes in groups:
            vec: dict[int, float] = {}
            for m in nodes:
                for k, v in g.profile[m].items():
                    vec[k] = vec.get(k, 0.0) + v
                self._group_of[m] = self._next
            self._groups[self._next] = _Group(list(nodes), vec)
            self._next += 1
        return self.events()

    @classmethod
    def from_batch(cls, items: Iterable[ArticleFeatures], config: EventConfig = EventConfig(),
                   copies: Mapping[str, str] | None = None) -> "EventIndex":
        """An index holding ``items`` grouped in one batch (as :func:`cluster` groups them),
        ready to take further articles one at a time."""
        index = cls(config)
        for f in items:
            index._features.setdefault(f.id, f)
        index._copies = dict(copies or {})
        index.recluster()
        return index

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
    by_country: dict[str, float] = defaultdict(float)
    for f in members:
        for p, w in f.places:
            if p.kind == "continent":
                continue
            score[p.id] += w
            support[p.id].add(f.id)
            place[p.id] = p
            by_country[p.country_code] += w
            if p.kind == "city" and p.admin1_id:  # a town supports its province
                score[p.admin1_id] += 0.5 * w
    if not score:
        return None
    # the country the reports are most about (its own name, its provinces and towns): a town
    # of another country is named for another reason ("Khartoum denies" in reports of a
    # bombing in South Sudan: the capital stands for its government)
    home = min(by_country.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    # the most specific place that enough of the reports name: towns first, then provinces
    for kinds, share in ((("city",), 0.3), (("admin1",), 0.3), (("country",), 0.0)):
        cands = [pid for pid in score if pid in place and place[pid].kind in kinds
                 and (home is None or place[pid].country_code == home or kinds == ("country",))]
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
    out = []
    for eid, ms in events.items():
        card = event_card([by_id[a] for a in ms], copies)
        card.id = eid  # the grouping's id (made before copies joined their sources' events)
        out.append(card)
    out.sort(key=lambda c: (-len(c.articles), c.id))
    return out
