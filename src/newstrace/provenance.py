"""Provenance: which stored article is the source of which, how it was reused, and the evidence.

For every article, candidates come from the reuse index (``reuse_index.py``); each candidate
pair is aligned sentence by sentence and word by word (``align.py``); the alignment's figures
decide the relation:

* ``verbatim``: the same text (headline and boilerplate aside);
* ``near_copy``: edited, trimmed or extended, but the sentences are nearly identical;
* ``spun``: the sentences are the same sentences with words swapped by a thesaurus;
* ``paraphrase``: most sentences follow the source in order, but reworded;
* ``partial``: only some passages come from the source;

and the direction (which side is the source) comes from publication times, credit lines and
the words themselves (a spinner's substitutes are rarer words than the ones they replace).
"""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from .align import Alignment, Document, Substitution, align, align_restored
from .metadata import guess_language
from .models import Article
from .reuse_index import ReuseIndex, reuse_features
from .store.base import LexiconEntry, ReuseLink

RELATIONS = ("verbatim", "near_copy", "spun", "paraphrase", "partial")


@dataclass(frozen=True)
class ProvenanceConfig:
    candidates: int = 8  # candidates aligned per article
    min_candidate_score: float = 0.03  # share of idf-weighted reuse features in common
    min_score: float = 0.5  # probability above which a relation is reported
    max_df: int = 50  # reuse features in more articles than this are ignored
    #: a pair that does not align as it is is aligned again with the likely original words of
    #: a side judged spun restored (:func:`compare_despun`): heavily spun copies
    despin: bool = True
    #: ... if its retrieval score is at least this (a copy spun at 50-80% still shares about
    #: 0.7 of its source's reuse features; unrelated candidates far less), which keeps the spin
    #: detector off most pairs
    despin_min_candidate_score: float = 0.2


@dataclass
class Features:
    """The alignment figures a verdict rests on."""

    copy_coverage: float  # share of the copy's words in sentences aligned to the source
    source_coverage: float  # share of the source's words that reappear in the copy
    identity: float  # share of identical words inside aligned sentences
    substitution_rate: float  # swapped source words per aligned source word
    rewritten_share: float  # copy words in stretches rewritten beyond word swaps
    order: float  # share of aligned sentences in the source's order
    aligned: int  # aligned sentence pairs (quotes excluded)
    quote_pairs: int  # aligned pairs that share only a quotation
    copy_sentences: int
    source_sentences: int
    substitutions: int  # word swaps: common words for other common words, as thesauri do
    other_edits: int  # replaced stretches that are not word swaps (numbers, names, rewrites)
    rarity_gain: float  # mean Zipf frequency lost by swapped words (spinners pick rarer ones)
    aligned_words: int  # copy words in aligned sentences
    changed_figures: int = 0  # replaced stretches whose numbers differ ("40" -> "45")

    @classmethod
    def of(cls, al: Alignment) -> "Features":
        ev = al.evidence_pairs()
        swaps = [x for x in al.substitutions if is_word_swap(x)]
        gain, _ = wording_direction(swaps)
        return cls(round(al.copy_coverage, 4), round(al.source_coverage, 4),
                   round(al.identity, 4), round(al.substitution_rate, 4),
                   round(al.rewritten_share, 4), round(al.order, 4), len(ev),
                   len(al.quote_pairs()), len(al.copy.sentences), len(al.source.sentences),
                   len(swaps), len(al.substitutions) - len(swaps), round(gain, 3),
                   sum(p.copy_tokens for p in ev), len(changed_figures(al)))

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


#: The alignment figures the confidence is computed from (see calibrate_provenance.py).
CALIBRATION_FEATURES = ("copy_coverage", "source_coverage", "identity", "log_aligned",
                        "rarity_gain", "swaps_per_sentence", "quote_share")


def calibration_vector(f: Features) -> np.ndarray:
    return np.array([f.copy_coverage, f.source_coverage, f.identity, math.log1p(f.aligned),
                     max(min(f.rarity_gain, 2.0), -2.0),
                     min(f.substitutions / max(f.aligned, 1), 5.0),
                     f.quote_pairs / (f.aligned + f.quote_pairs + 1)])


@lru_cache(maxsize=1)
def _calibration() -> tuple[np.ndarray, float]:
    data = json.loads(resources.files("newstrace").joinpath(
        "data/provenance_calibration.json").read_text(encoding="utf-8"))
    if tuple(data["features"]) != CALIBRATION_FEATURES:
        raise RuntimeError("provenance_calibration.json is out of date: rerun "
                           "python -m newstrace.evaluation.calibrate_provenance")
    return np.array(data["weights"]), float(data["intercept"])


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                     r"eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|"
                     r"billions?|dozens?|scores?)\b", re.I)


def changed_figures(al: Alignment) -> list[tuple[str, str]]:
    """The aligned stretches where the copy states another number than the source ("more than
    40" -> "at least 45"): a fact-checker's first question about a reprint, and no reprint of
    the same text whatever else it shares."""
    return figure_changes((x.source, x.copy) for x in al.substitutions)


def figure_changes(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (source, copy) wordings of ``pairs`` that state different numbers."""
    out = []
    for source, copy in pairs:
        a = [m.group().lower().replace(",", "") for m in _FIGURE.finditer(source)]
        b = [m.group().lower().replace(",", "") for m in _FIGURE.finditer(copy)]
        if (a or b) and a != b:
            out.append((source, copy))
    return out


def confidence(f: Features) -> float:
    """P(real reuse | alignment figures): logistic regression fitted on independent real
    pairs and synthetic copies (``evaluation/calibrate_provenance.py``)."""
    weights, intercept = _calibration()
    z = float(calibration_vector(f) @ weights) + intercept
    return round(1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0))), 4)


def classify(f: Features) -> tuple[str | None, float]:
    """The relation (or None) and the calibrated probability that the pair is real reuse.

    Rules, strongest evidence first. Every relation needs several aligned sentences (or a whole
    short text): two reports of one event share a quotation or a phrase, never a run of
    sentences. Spinning is told from editing by its signature: many swapped words, and the
    substitutes rarer than the words they replace.
    """
    enough = (f.aligned >= 3
              or (f.aligned >= 2 and f.copy_coverage >= 0.5 and f.identity >= 0.9)
              or (f.aligned >= 1 and f.copy_sentences <= 2 and f.copy_coverage >= 0.9))
    prob = confidence(f)
    if not enough:
        return None, min(prob, 0.2)
    cov, ident = f.copy_coverage, f.identity
    if cov >= 0.85 and f.source_coverage >= 0.85 and ident >= 0.97 and not f.changed_figures:
        return "verbatim", prob
    if (cov >= 0.5 and f.substitutions >= 4 and f.rarity_gain >= 0.4
            and f.substitutions >= 1.5 * f.other_edits and f.rewritten_share <= 0.25):
        return "spun", prob
    if cov >= 0.6 and ident >= 0.9:
        return "near_copy", prob
    if cov >= 0.6 and f.aligned >= 4:
        return "paraphrase", prob
    if ident >= 0.85 and f.aligned_words >= 60:
        return "partial", prob
    return None, min(prob, 0.2)


@dataclass
class Direction:
    """Which of two articles is the source, and why."""

    source: str
    copy: str
    decided_by: str  # "published" | "credit" | "wording" | "republishing" | "spin" | "undetermined"
    reasons: list[str] = field(default_factory=list)


def _zipf(word: str) -> float | None:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a core dependency
        return None
    return zipf_frequency(word, "en")


_SWAP_WORD = re.compile(r"^[a-z][a-z'\-]*$")


def is_word_swap(sub: Substitution) -> bool:
    """Whether a substitution looks like a thesaurus swap: one to three lower-case words on
    each side, no numbers or names (those are edits of fact, not of wording)."""
    a, b = sub.source.split(), sub.copy.split()
    if not (1 <= len(a) <= 3 and 1 <= len(b) <= 3):
        return False
    return all(_SWAP_WORD.match(w.strip(".,;:!?\"'()")) for w in a + b)


def wording_direction(swaps: Iterable[Substitution]) -> tuple[float, int]:
    """Mean word-frequency loss (Zipf) from the source side of swaps to their copy side.

    Spinners replace common words with rarer synonyms, so a positive value says the aligned
    "source" is the original. Returns (mean difference, swaps compared).
    """
    diffs = []
    for s in swaps:
        a = [z for w in s.source.split() if (z := _zipf(w.strip(".,;:'\"").lower())) is not None]
        b = [z for w in s.copy.split() if (z := _zipf(w.strip(".,;:'\"").lower())) is not None]
        if a and b:
            diffs.append(min(a) - min(b))
    return (sum(diffs) / len(diffs) if diffs else 0.0), len(diffs)


#: Lines a republishing site wraps around a story it takes ("Share this article with your
#: friends", "Stay with X for the latest updates", "Related: ...", "Click here to subscribe").
_REPUBLISHER_LINE = re.compile(
    r"\b(?:share\s+this\s+(?:article|story|post|page)|stay\s+(?:with|tuned\s+to)\s+.{1,60}?"
    r"\s+for\b|follow\s+us\s+on|sign\s+up\s+(?:for|to)\s+our|subscribe\s+(?:to|now)|"
    r"click\s+here|read\s+more\s+(?:at|on|here)|related\s*:|more\s+from\s+\w+|"
    r"(?:this|the)\s+(?:article|story)\s+(?:was|first)\s+(?:originally\s+)?"
    r"(?:published|appeared)|republished\s+(?:with|by)\s+permission)", re.I)


def republishing_signs(doc: Any, only: Sequence[int]) -> list[str]:
    """The sentences of ``doc`` that only it has (``only``: their numbers) and that read as
    a republishing site's wrapping: the side that has them took the story."""
    out = []
    for i in only:
        s, e = doc.sentences[i]
        line = doc.text[s:e].strip()
        if len(line) <= 160 and _REPUBLISHER_LINE.search(line):
            out.append(line)
    return out


def decide_direction(a: Article, b: Article, al_ab: Alignment) -> Direction:
    """Direction for a pair aligned with ``a`` as the source side."""
    pa, pb = a.first("published"), b.first("published")
    if pa and pb and pa[:10] != pb[:10]:
        src, cpy = (a, b) if pa < pb else (b, a)
        return Direction(src.id, cpy.id, "published",
                         [f"{src.id} published {min(pa, pb)[:10]}, "
                          f"{cpy.id} published {max(pa, pb)[:10]}"])
    for x, y in ((a, b), (b, a)):
        outlet = x.first("outlet")
        if outlet and y.first("outlet") and y.first("outlet") != outlet:
            credited = set(y.values("agency")) | set(y.values("credit"))
            if outlet in credited:
                return Direction(x.id, y.id, "credit",
                                 [f"{y.id} ({y.first('outlet')}) credits {outlet}, "
                                  f"the outlet of {x.id}"])
    gain, n = wording_direction(x for x in al_ab.substitutions if is_word_swap(x))
    english = all((x.first("language") or guess_language(x.title, x.body) or "en") == "en"
                  for x in (a, b))
    if english and n >= 3 and abs(gain) >= 0.25:  # word frequencies are English ones
        src, cpy = (a, b) if gain > 0 else (b, a)
        return Direction(src.id, cpy.id, "wording",
                         [f"{n} swapped words; {cpy.id} uses rarer words "
                          f"(mean Zipf frequency {abs(gain):.2f} lower), as spinners do"])
    if a.first("published") and not b.first("published"):
        return Direction(a.id, b.id, "published", [f"only {a.id} has a publication date"])
    signs_a = republishing_signs(al_ab.source, al_ab.dropped)
    signs_b = republishing_signs(al_ab.copy, al_ab.added)
    if bool(signs_a) != bool(signs_b):
        src, cpy, signs = (b, a, signs_a) if signs_a else (a, b, signs_b)
        return Direction(src.id, cpy.id, "republishing",
                         [f"only {cpy.id} wraps the text in a republisher's lines: "
                          + "; ".join(f'"{x}"' for x in signs[:2])])
    src, cpy = sorted((a, b), key=lambda x: x.id)
    return Direction(src.id, cpy.id, "undetermined",
                     ["no publication times, credits or wording tell which came first"])


@dataclass
class SourceLink:
    """``copy`` reuses ``source``: the relation, its probability and the evidence."""

    copy: str
    source: str
    relation: str
    score: float
    direction: Direction
    features: Features
    alignment: Alignment

    def evidence(self, max_pairs: int = 200) -> dict[str, Any]:
        """The evidence as plain data: aligned sentences, substitutions, added and dropped."""
        al = self.alignment
        src_text, cpy_text = al.source.text, al.copy.text
        pairs = []
        for p in al.pairs[:max_pairs]:
            pairs.append({
                "source_sentence": p.source, "copy_sentence": p.copy, "score": p.score,
                "quote_only": p.quote_only,
                "source_span": list(al.source.sentences[p.source]),
                "copy_span": list(al.copy.sentences[p.copy]),
                "substitutions": [{"source": s.source, "copy": s.copy,
                                   "source_span": list(s.source_span),
                                   "copy_span": list(s.copy_span)} for s in p.substitutions],
            })
        return {
            "features": self.features.to_dict(),
            "substitution_table": [{"source": a, "copy": b, "count": n}
                                   for a, b, n in al.table()],
            "pairs": pairs,
            "added": [{"sentence": j, "span": list(al.copy.sentences[j]),
                       "text": cpy_text[slice(*al.copy.sentences[j])]} for j in al.added],
            "dropped": [{"sentence": i, "span": list(al.source.sentences[i]),
                         "text": src_text[slice(*al.source.sentences[i])]} for i in al.dropped],
        }

    def summary(self) -> dict[str, Any]:
        return {"copy": self.copy, "source": self.source, "relation": self.relation,
                "score": self.score, "direction": self.direction.decided_by,
                "reasons": self.direction.reasons, **self.features.to_dict()}


_DOCUMENTS: OrderedDict[str, Document] = OrderedDict()
_DOCUMENTS_KEPT = 2000


def document(article: Article) -> Document:
    """The article parsed for alignment, from a small cache: ids are content hashes, so a
    cached parse is always the right one, and articles often recur as candidates."""
    doc = _DOCUMENTS.get(article.id)
    if doc is None:
        doc = _DOCUMENTS[article.id] = Document.parse(article.body)
        if len(_DOCUMENTS) > _DOCUMENTS_KEPT:
            _DOCUMENTS.popitem(last=False)
    else:
        _DOCUMENTS.move_to_end(article.id)
    return doc


def compare(a: Article, b: Article, docs: dict[str, Document] | None = None,
            prefer_source: str | None = None) -> SourceLink | None:
    """The reuse relation between two articles, if any, oriented source -> copy.

    ``prefer_source`` names the side to take as the source when nothing decides the direction
    and both readings are equally strong (e.g. the article already stored, when a new one is
    checked against the store)."""
    if docs is None:
        da, db = document(a), document(b)
    else:
        da = docs.get(a.id) or Document.parse(a.body)
        db = docs.get(b.id) or Document.parse(b.body)
        docs[a.id], docs[b.id] = da, db
    al_ab = align(da, db)
    direction = decide_direction(a, b, al_ab)
    al = al_ab if direction.source == a.id else al_ab.mirrored()
    feats = Features.of(al)
    relation, score = classify(feats)
    if direction.decided_by == "undetermined":
        # Nothing says which came first: judge the pair the way that explains more of the
        # copy (the shorter text as the copy, typically), so a verdict never hangs on ids.
        other = al_ab.mirrored() if direction.source == a.id else al_ab
        other_feats = Features.of(other)
        other_relation, other_score = classify(other_feats)
        other_source = b.id if direction.source == a.id else a.id
        tie = (other_relation is not None and relation is not None
               and abs(other_score - score) < 0.02 and prefer_source is not None)
        if tie:
            better = other_source == prefer_source
        else:
            better = other_relation is not None and (
                relation is None or other_score > score or (
                    other_score == score and other_feats.copy_coverage > feats.copy_coverage))
        if better:
            src, cpy = (b, a) if direction.source == a.id else (a, b)
            direction = Direction(src.id, cpy.id, "undetermined", list(direction.reasons))
            al, feats, relation, score = other, other_feats, other_relation, other_score
        if tie and direction.source == prefer_source:
            direction.reasons.append("equally strong either way: the stored article is taken "
                                     "as the source")
    if relation is None:
        return None
    return SourceLink(direction.copy, direction.source, relation, score, direction, feats, al)


class SpinCache:
    """Spin verdicts and de-spun texts per article, made on first need (a pair's second try)."""

    def __init__(self) -> None:
        self._done: dict[str, tuple[str, int, float] | None] = {}

    def despun(self, article: Article) -> tuple[str, int, float] | None:
        """``(de-spun text, words restored, spin score)`` where the default spin detector judges
        the article spun and restores something; else None."""
        if article.id not in self._done:
            from . import spin  # noqa: PLC0415 (loaded only when a pair needs it)

            report = spin.detect(article.body)
            restored = spin.despin(article.body, report) if report.verdict else None
            self._done[article.id] = ((restored.text, len(restored.changes), report.score)
                                      if restored is not None and restored.changes else None)
        return self._done[article.id]


def compare_despun(a: Article, b: Article, cache: SpinCache) -> SourceLink | None:
    """The pair aligned with the likely original words of a side judged spun restored
    (:func:`newstrace.align.align_restored`): that side is the copy, the relation is
    ``spun``, the verdict rests on the restored copy's alignment, and the evidence shows the
    copy as written. The stronger reading wins where both sides are judged spun."""
    best: SourceLink | None = None
    for cpy, src in ((a, b), (b, a)):
        hit = cache.despun(cpy)
        if hit is None:
            continue
        text, n_restored, spin_score = hit
        got = align_restored(document(src), document(cpy), Document.parse(text))
        if got is None:
            continue
        guide, shown = got
        feats = Features.of(guide)
        relation, score = classify(feats)
        if relation is None or (best is not None and score <= best.score):
            continue
        direction = Direction(src.id, cpy.id, "spin", [
            f"{cpy.id} reads as machine-spun (spin score {spin_score:.2f}); with {n_restored} "
            f"likely original words restored it aligns with {src.id} ({relation}, "
            f"{score:.2f}); the figures are the restored copy's"])
        best = SourceLink(cpy.id, src.id, "spun", score, direction, feats, shown)
    return best


def judge_pair(a: Article, b: Article, retrieved: float, config: ProvenanceConfig,
               spun: SpinCache | None, docs: dict[str, Document] | None = None,
               prefer_source: str | None = None) -> SourceLink | None:
    """The pair's link if it reaches ``config.min_score``: :func:`compare`, then, where that
    falls short, :func:`compare_despun` (with ``spun``, for a candidate whose retrieval score
    is at least ``config.despin_min_candidate_score``). Both ``analyze`` and ``sources`` judge
    a candidate pair with it."""
    link = compare(a, b, docs, prefer_source=prefer_source)
    if (spun is not None and (link is None or link.score < config.min_score)
            and retrieved >= config.despin_min_candidate_score):
        link = compare_despun(a, b, spun) or link
    return link if link is not None and link.score >= config.min_score else None


def find_sources(articles: Sequence[Article], config: ProvenanceConfig = ProvenanceConfig(),
                 progress: Callable[[int], None] | None = None,
                 workers: int | None = None) -> list[SourceLink]:
    """Every reuse relation among ``articles`` (each unordered pair judged once).

    Candidate retrieval is cheap; aligning the candidate pairs is most of the work, so large
    inputs align on ``workers`` processes (default: the machine's cores, up to 4; 1 = here).
    The result does not depend on the number of workers."""
    by_id = {a.id: a for a in articles}
    batch = reuse_features([a.norm_body for a in articles])
    index = ReuseIndex(max_df=config.max_df)
    index.build([a.id for a in articles], batch)
    seen: set[tuple[str, str]] = set()
    # the pairs to align (with their retrieval score), grouped by the article whose query
    # found them first
    groups: list[list[tuple[str, str, float]]] = []
    for n, art in enumerate(articles):
        group = []
        for other, score in index.query(batch.of(n), k=config.candidates, exclude=art.id,
                                        min_score=config.min_candidate_score):
            key = (art.id, other) if art.id < other else (other, art.id)
            if key not in seen:
                seen.add(key)
                group.append((*key, float(score)))
        groups.append(group)
    del index, batch
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    links: list[SourceLink] = []
    if workers > 1 and len(seen) >= _PARALLEL_MIN_PAIRS and "fork" in mp.get_all_start_methods():
        global _SHARED
        _SHARED = (by_id, config)
        if config.despin:
            from . import spin  # noqa: PLC0415

            spin.default_detector()  # its tables loaded once, before the fork, not per worker
        chunks = [groups[i:i + _CHUNK] for i in range(0, len(groups), _CHUNK)]
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                for found, done in pool.imap(_compare_chunk, chunks):
                    links.extend(found)
                    if progress:
                        progress(done)
        finally:
            _SHARED = None
    else:
        for chunk in (groups[i:i + _CHUNK] for i in range(0, len(groups), _CHUNK)):
            found, done = _compare_groups(chunk, by_id, config)
            links.extend(found)
            if progress:
                progress(done)
    return primary_sources(links)


_PARALLEL_MIN_PAIRS = 2000  # below this, starting processes costs more than it saves
_CHUNK = 64  # articles' candidate pairs per task
_SHARED: tuple[dict[str, Article], ProvenanceConfig] | None = None  # read by forked workers


def _compare_groups(groups: list[list[tuple[str, str, float]]], by_id: dict[str, Article],
                    config: ProvenanceConfig) -> tuple[list[SourceLink], int]:
    docs: dict[str, Document] = {}
    spun = SpinCache() if config.despin else None
    found = []
    for group in groups:
        for x, y, retrieved in group:
            link = judge_pair(by_id[x], by_id[y], retrieved, config, spun, docs)
            if link is not None:
                found.append(link)
    return found, len(groups)


def _compare_chunk(groups: list[list[tuple[str, str, float]]]) -> tuple[list[SourceLink], int]:
    assert _SHARED is not None, "set before the pool forks"
    return _compare_groups(groups, *_SHARED)


def primary_sources(links: Iterable[SourceLink]) -> list[SourceLink]:
    """For each copy, its best source, plus other sources only for passages the better ones
    do not explain (an article assembled from two sources). A copy of a story reprinted forty
    times names one source, not forty."""
    links = list(links)
    by_copy: dict[str, list[SourceLink]] = {}
    for link in links:
        by_copy.setdefault(link.copy, []).append(link)
    # spinning is the last step of a content farm's chain: a spun text is hardly anyone's
    # source, so a source that is itself a spun copy comes after any other that explains the
    # copy (two spun copies of related stories share their swapped words and look alike)
    spun = {x.copy for x in links if x.relation == "spun"}
    kept = []
    for copy in sorted(by_copy):
        group = sorted(by_copy[copy], key=lambda x: (
            x.source in spun, -(x.features.copy_coverage * x.features.identity), -x.score,
            x.source))
        covered: set[int] = set()
        for n, link in enumerate(group):
            sentences = {p.copy for p in link.alignment.evidence_pairs()}
            fresh = sentences - covered
            if n == 0:
                kept.append(link)
            elif len(fresh) >= 2 and len(fresh) >= 0.5 * len(sentences):
                link.relation = "partial"
                kept.append(link)
            covered |= sentences
    kept.sort(key=lambda x: (x.copy, -x.score, x.source))
    return kept


def origins(links: Iterable[Any]) -> dict[str, str]:
    """For every article with a source, its origin: follow source links back to an article
    that has none. An agency story reprinted by forty sites has one origin."""
    best: dict[str, str] = {}
    for link in sorted(links, key=lambda x: (x.copy, -x.score, x.source)):
        best.setdefault(link.copy, link.source)
    out = {}
    for copy in best:
        seen = {copy}
        cur = best[copy]
        while cur in best and best[cur] not in seen:
            seen.add(cur)
            cur = best[cur]
        out[copy] = cur
    return out


def to_record(link: SourceLink) -> ReuseLink:
    """The storable form of a link (plain data, evidence included)."""
    return ReuseLink(link.copy, link.source, link.relation, link.score,
                     link.direction.decided_by, tuple(link.direction.reasons),
                     link.features.to_dict(), link.evidence())


def learn_lexicon(links: Iterable[SourceLink], min_score: float = 0.9) -> list[LexiconEntry]:
    """Substitutions seen in confirmed spun copies, counted: what a spinner replaces with what.

    The single-article spin detector reads this lexicon from the store.
    """
    counts: dict[tuple[str, str], list[int]] = {}
    for link in links:
        if link.relation != "spun" or link.score < min_score:
            continue
        seen_here = set()
        for original, substitute, n in link.alignment.table():
            key = (original, substitute)
            entry = counts.setdefault(key, [0, 0])
            entry[0] += n
            if key not in seen_here:
                entry[1] += 1
                seen_here.add(key)
    return sorted((LexiconEntry(a, b, c, p) for (a, b), (c, p) in counts.items()),
                  key=lambda e: (-e.pairs, -e.count, e.original, e.substitute))
