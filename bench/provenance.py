"""Provenance speed: "sources of one new article" against a large index, newstrace against
datasketch, same texts, same run.

    .venv/bin/python bench/provenance.py                         # 100,000 indexed articles
    .venv/bin/python bench/provenance.py --n 20000 --json        # the figures as JSON
    .venv/bin/python bench/provenance.py --n 20000 --profile     # + cProfile of newstrace queries

Index: ``--n`` varied base articles built from real texts by ``bench/corpus.py`` (no planted
copies). Queries, none of them in the index:

* ``--queries`` SYNTHETIC spun copies (``newstrace.evaluation.synthetic.spin`` with
  ``synthetic.spinner_lexicon()``, the whole thesaurus plus the tortured phrases, rates 0.1 to
  0.5 of content words in turn, drop 0.1, reorder 0.1) of randomly chosen English indexed
  articles: the ground truth is the article spun. (``--lexicon held-out`` spins with the
  held-out 30% of the thesaurus, as earlier runs did: it tops out near 22% of content words,
  too easy a test at the rates the issue names.)
* ``--fresh`` independent articles from the same generator (same pools, so they share events and
  the odd sentence with indexed articles, but are not copies of any): they should get no source.

newstrace: indexing = ``reuse_features`` of the normalised bodies in batches, then one
``ReuseIndex.build``. One query = normalise the new body, ``reuse_features``, ``index.query``
(k and min_score from ``ProvenanceConfig``), ``provenance.compare`` (sentence/word alignment) of
each candidate against the query, links with score >= ``ProvenanceConfig().min_score``, then
``primary_sources``. Recall = the true source is returned as a source with the query as the copy.

datasketch: ``MinHash(num_perm=128)`` over the same word 5-gram shingles (``corpus.shingles``),
``MinHashLSH`` at several thresholds. One query = normalise, shingle, MinHash, ``lsh.query``.
Recall = the true source is among the LSH candidates: unverified candidates, which favours it.

Both systems are timed from the normalised texts in memory (indexing) and from the raw query
text (queries), in this one process.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_mod  # noqa: E402  (bench/corpus.py)

try:
    from newstrace.fingerprints import shingle_set
    from newstrace.metadata import guess_language
    from newstrace.models import Article
    from newstrace.provenance import ProvenanceConfig, compare, primary_sources
    from newstrace.reuse_index import FeatureBatch, ReuseIndex, reuse_features
    from newstrace.text import normalize
    from newstrace.evaluation import synthetic
except ImportError:  # pragma: no cover
    sys.exit("bench: newstrace is not importable; install it first: .venv/bin/pip install -e .")

RATES = (0.1, 0.2, 0.3, 0.4, 0.5)
DROP = REORDER = 0.1
TARGET_P95_MS = 50.0


def _pct(xs: Sequence[float], q: float) -> float:
    """Percentile by linear interpolation (numpy's default)."""
    return float(np.percentile(np.asarray(xs, dtype=np.float64), q)) if len(xs) else 0.0


def _lat(xs_s: Sequence[float], cpu_s: Sequence[float] | None = None) -> dict:
    ms = [1000 * x for x in xs_s]
    out = {"p50_ms": round(_pct(ms, 50), 2), "p95_ms": round(_pct(ms, 95), 2),
           "max_ms": round(max(ms), 2) if ms else 0.0,
           "mean_ms": round(statistics.fmean(ms), 2) if ms else 0.0}
    if cpu_s is not None:  # CPU time of this process: moves much less with other load
        cms = [1000 * x for x in cpu_s]
        out.update({"cpu_p50_ms": round(_pct(cms, 50), 2), "cpu_p95_ms": round(_pct(cms, 95), 2)})
    return out


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------

class Query:
    __slots__ = ("article", "source", "rate", "jaccard", "achieved", "shared")

    def __init__(self, article: Article, source: int | None, rate: float | None) -> None:
        self.article = article
        self.source = source  # position of the true source in the index, None for fresh ones
        self.rate = rate
        self.jaccard = 0.0  # word-5-gram Jaccard with the source
        self.achieved = 0.0  # the spinner's achieved substitution rate
        self.shared: dict[str, int] = {}  # indexed articles sharing >= 1 verbatim sentence


_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def _sentence_keys(norm_text: str) -> set[int]:
    """Hashes of the (roughly split) sentences of a text, for counting verbatim reuse."""
    return {hash(x) for x in _SPLIT.split(norm_text) if len(x) >= 40}


def sentence_overlap(bodies: Sequence[str], ids: Sequence[str],
                     queries: Sequence["Query"]) -> None:
    """For every query: the indexed articles that hold one of its sentences verbatim, and how
    many. The corpus has about 20,000 real sentences to make its articles from, so at large
    ``n`` every sentence is in many articles; this says how much."""
    wanted: dict[int, list[int]] = {}
    qkeys = []
    for qi, q in enumerate(queries):
        keys = _sentence_keys(normalize(q.article.body))
        qkeys.append(keys)
        for k in keys:
            wanted.setdefault(k, []).append(qi)
    for ai, body in enumerate(bodies):
        for k in _sentence_keys(body):
            for qi in wanted.get(k, ()):
                d = queries[qi].shared
                d[ids[ai]] = d.get(ids[ai], 0) + 1


def spin_lexicon(kind: str, seed: int) -> "synthetic.Lexicon":
    """The spinner's lexicon: ``spinner`` (the whole thesaurus plus the tortured phrases, which
    reaches the rates asked) or ``held-out`` (the held-out 30% of the thesaurus, as before: it
    tops out near 22% of content words whatever the rate)."""
    if kind == "held-out":
        return synthetic.split_lexicon(synthetic.load_lexicon(), 0.3, seed).held_out
    return synthetic.spinner_lexicon()


def english_sample(records: Sequence[dict], k: int, rng: random.Random) -> list[int]:
    """``k`` random positions of English records: the spinner's lexicons are English, so a
    "spun" Spanish or Dutch article would be an unspun copy, found by anything."""
    out: list[int] = []
    for i in rng.sample(range(len(records)), len(records)):
        if guess_language(records[i]["title"], records[i]["text"]) == "en":
            out.append(i)
            if len(out) == k:
                break
    return out


def build_data(n: int, n_spun: int, n_fresh: int, seed: int, log,
               lexicon_kind: str = "spinner", english_only: bool = True) -> dict:
    """Index records, spun queries (with their sources) and fresh queries."""
    t = time.perf_counter()
    c = corpus_mod.build(n + n_fresh, seed, 0)
    records = c.records[:n]  # the generator shuffles its records: the fresh ones are a sample
    fresh_recs = c.records[n:]
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    bodies = [corpus_mod.norm_body(r) for r in records]
    articles = [Article(r["id"], r["title"], r["text"]) for r in records]
    lexicon = spin_lexicon(lexicon_kind, seed)
    rng = random.Random(f"bench-provenance:{seed}")
    queries: list[Query] = []
    sources = english_sample(records, n_spun, rng) if english_only else rng.sample(range(n), n_spun)
    # Query ids sort before the indexed ids ("b..."): when nothing tells which side came first,
    # compare() orders by id, and that fallback must not hand newstrace the right direction.
    for i, src in enumerate(sources):
        rate = RATES[i % len(RATES)]
        s = synthetic.spin(records[src]["text"], rate, seed=seed * 1_000_003 + i,
                           lexicon=lexicon, drop=DROP, reorder=REORDER)
        q = Query(Article(f"a-spun-{i:05d}", records[src]["title"], s.text), src, rate)
        q.achieved = s.achieved_rate
        q.jaccard = corpus_mod.jaccard_containment(set(corpus_mod.shingles(bodies[src])),
                                                  set(corpus_mod.shingles(normalize(s.text))))[0]
        queries.append(q)
    for i, r in enumerate(fresh_recs):
        queries.append(Query(Article(f"a-fresh-{i:05d}", r["title"], r["text"]), None, None))
    sentence_overlap(bodies, [r["id"] for r in records], queries)
    log(f"corpus: {n} indexed articles + {n_spun} SYNTHETIC spun queries + {n_fresh} fresh "
        f"queries, {sum(len(b.split()) for b in bodies) / n:.0f} words/article; built in "
        f"{t_build:.1f} s, normalised and spun in {time.perf_counter() - t:.1f} s")
    return {"ids": [r["id"] for r in records], "bodies": bodies, "articles": articles,
            "queries": queries, "lexicon": lexicon.name}


def _check_same_shingles(bodies: Sequence[str], sample: int = 200) -> None:
    """Guard: datasketch gets the very word 5-grams newstrace's fingerprints hash."""
    step = max(1, len(bodies) // sample)
    for body in bodies[::step]:
        if len(set(corpus_mod.shingles(body))) != int(shingle_set(body).size):
            raise SystemExit(f"bench: shingle mismatch with newstrace on {body[:80]!r}")


# --------------------------------------------------------------------------------------------
# newstrace
# --------------------------------------------------------------------------------------------

def nt_index(ids: Sequence[str], bodies: Sequence[str], config: ProvenanceConfig,
             batch: int) -> tuple[ReuseIndex, dict]:
    gc.collect()
    c0 = os.times()
    t0 = time.perf_counter()
    parts = [reuse_features(bodies[s:s + batch]) for s in range(0, len(bodies), batch)]
    feats = np.concatenate([p.features for p in parts])
    offsets = np.zeros(len(bodies) + 1, dtype=np.int64)
    np.cumsum(np.concatenate([np.diff(p.offsets) for p in parts]), out=offsets[1:])
    fb = FeatureBatch(feats, offsets)
    t1 = time.perf_counter()
    index = ReuseIndex(max_df=config.max_df)
    index.build(list(ids), fb)
    t2 = time.perf_counter()
    c1 = os.times()
    del parts, fb
    return index, {"seconds": t2 - t0, "features_s": t1 - t0, "build_s": t2 - t1,
                   "cpu_s": (c1.user - c0.user) + (c1.system - c0.system),
                   "features": int(feats.size),
                   "features_per_article": round(feats.size / max(len(bodies), 1), 1),
                   "index_mb": round((index._keys.nbytes + index._docs.nbytes) / 1e6, 1)}


def nt_sources(q: Article, index: ReuseIndex, articles: Sequence[Article],
               pos: dict[str, int], config: ProvenanceConfig) -> tuple[list, list, list[float]]:
    """Sources of one new article: (primary links, candidates, stage seconds)."""
    t0 = time.perf_counter()
    fb = reuse_features([normalize(q.body)])
    t1 = time.perf_counter()
    cands = index.query(fb.of(0), k=config.candidates, min_score=config.min_candidate_score)
    t2 = time.perf_counter()
    links = []
    for cid, _ in cands:
        # as newstrace.pipeline.sources_of does: parsed documents come from provenance's
        # cache, and an undecidable direction goes to the indexed (stored) article
        link = compare(articles[pos[cid]], q, prefer_source=cid)
        if link is not None and link.score >= config.min_score:
            links.append(link)
    t3 = time.perf_counter()
    out = primary_sources(links)
    t4 = time.perf_counter()
    return out, cands, [t1 - t0, t2 - t1, t3 - t2, t4 - t3]


def nt_queries(queries: Sequence[Query], index: ReuseIndex, articles: Sequence[Article],
               ids: Sequence[str], config: ProvenanceConfig) -> dict:
    pos = {x: i for i, x in enumerate(ids)}
    gc.collect()
    lat, cpu, stages, per_q = [], [], [], []
    for q in queries:
        p0 = time.process_time()
        t0 = time.perf_counter()
        links, cands, st = nt_sources(q.article, index, articles, pos, config)
        lat.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - p0)
        stages.append(st)
        per_q.append((links, cands))
    spun = [i for i, q in enumerate(queries) if q.source is not None]
    fresh = [i for i, q in enumerate(queries) if q.source is None]
    hit, cand_hit, either, relations, decided, extra = 0, 0, 0, Counter(), Counter(), 0
    by_rate: dict[float, list[int]] = {r: [0, 0] for r in RATES}
    misses = []
    for i in spun:
        q, (links, cands) = queries[i], per_q[i]
        src = ids[q.source]
        qid = q.article.id
        ok = [x for x in links if x.source == src and x.copy == qid]
        hit += bool(ok)
        cand_hit += any(c == src for c, _ in cands)
        either += any({x.source, x.copy} == {src, qid} for x in links)
        extra += sum(1 for x in links if src not in (x.source, x.copy))
        by_rate[q.rate][0] += bool(ok)
        by_rate[q.rate][1] += 1
        if ok:
            relations[ok[0].relation] += 1
            decided[ok[0].direction.decided_by] += 1
        elif len(misses) < 10:
            rank = next((k for k, (c, _) in enumerate(cands) if c == src), None)
            misses.append({"query": qid, "source": src, "rate": q.rate,
                           "jaccard": round(q.jaccard, 3), "candidate_rank": rank,
                           "links": [(x.source, x.copy, x.relation, x.score) for x in links]})
    fp = [i for i in fresh if per_q[i][0]]
    fp_copy = [i for i in fresh if any(x.copy == queries[i].article.id for x in per_q[i][0])]
    # a link resting on >= 2 copied sentences is verbatim reuse of passages (the corpus recycles
    # its real sentences), not a link made up from nothing
    fp_grounded = [i for i in fp if all(_identical(x) >= 2 for x in per_q[i][0])]
    fp_relations = Counter(x.relation for i in fp for x in per_q[i][0])
    fp_list = [{"query": queries[i].article.id,
                "links": [(x.source, x.copy, x.relation, x.score, x.features.aligned,
                           _identical(x)) for x in per_q[i][0]]} for i in fp[:10]]
    wrong = [x for i in spun for x in per_q[i][0]
             if ids[queries[i].source] not in (x.source, x.copy)]
    st = np.array(stages) * 1000
    return {
        **_lat(lat, cpu), "latencies_s": lat,
        "spun_latency": _lat([lat[i] for i in spun]),
        "fresh_latency": _lat([lat[i] for i in fresh]),
        "stage_p50_ms": {k: round(float(np.median(st[:, j])), 2)
                         for j, k in enumerate(("features", "index_query", "align", "primary"))},
        "stage_p95_ms": {k: round(float(np.percentile(st[:, j], 95)), 2)
                         for j, k in enumerate(("features", "index_query", "align", "primary"))},
        "candidates_per_query": round(statistics.fmean(len(c) for _, c in per_q), 2),
        "recall": hit / len(spun) if spun else 0.0, "recalled": hit, "spun": len(spun),
        **_answer_quality(hit, sum(len(per_q[i][0]) for i in spun), len(spun)),
        "candidate_recall": cand_hit / len(spun) if spun else 0.0,
        "linked_either_direction": either,
        "recall_by_rate": {str(r): f"{v[0]}/{v[1]}" for r, v in by_rate.items() if v[1]},
        "relations": dict(relations), "direction_decided_by": dict(decided),
        "spun_wrong_sources": extra,
        "spun_wrong_sources_grounded": sum(_identical(x) >= 2 for x in wrong),
        "false_positives": len(fp), "false_positives_as_copy": len(fp_copy), "fresh": len(fresh),
        "false_positives_grounded": len(fp_grounded),
        "false_positive_links": sum(len(per_q[i][0]) for i in fp),
        "false_positive_relations": dict(fp_relations),
        "false_positive_examples": fp_list, "missed_examples": misses,
    }


def _answer_quality(right: int, answers: int, queries: int) -> dict:
    """Precision and F1 of the answers to the spun queries: every (query, indexed article) pair
    a system returns is an answer a user reads; the right one is the query's source. Recall alone
    would let a system return the whole index and score 1."""
    precision = right / answers if answers else 0.0
    recall = right / queries if queries else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"answers_per_spun_query": round(answers / queries, 2) if queries else 0.0,
            "precision": precision, "f1": f1}


def _identical(link) -> int:
    """Aligned sentence pairs of a link that are copies (quotes aside): pair score >= 0.9, i.e.
    identical but for a number or two (the corpus renumbers the real sentences it reuses)."""
    return sum(1 for p in link.alignment.pairs if not p.quote_only and p.score >= 0.9)


def overlap_stats(queries: Sequence[Query], ids: Sequence[str]) -> dict:
    """How many indexed articles share verbatim sentences with the queries (sources aside)."""
    out = {}
    for kind, qs in (("spun", [q for q in queries if q.source is not None]),
                     ("fresh", [q for q in queries if q.source is None])):
        if not qs:
            continue
        ge1 = [sum(1 for a in q.shared if q.source is None or a != ids[q.source]) for q in qs]
        ge3 = [sum(1 for a, c in q.shared.items()
                   if c >= 3 and (q.source is None or a != ids[q.source])) for q in qs]
        out[kind] = {"articles_sharing_ge1_sentence_mean": round(statistics.fmean(ge1), 1),
                     "articles_sharing_ge3_sentences_mean": round(statistics.fmean(ge3), 1),
                     "queries_with_an_article_sharing_ge3": sum(x > 0 for x in ge3)}
    return out


def nt_incremental(index: ReuseIndex, queries: Sequence[Query]) -> dict:
    """One-at-a-time ``add`` of the fresh queries into the big index (features included), then
    the cost of folding the pending additions into the sorted arrays (``_merge``, which ``add``
    runs on its own every ``merge_every * 100`` features)."""
    fresh = [q.article for q in queries if q.source is None]
    if not fresh:
        return {}
    gc.collect()
    lat = []
    for a in fresh:
        t0 = time.perf_counter()
        fb = reuse_features([normalize(a.body)])
        index.add(a.id, fb.of(0))
        lat.append(time.perf_counter() - t0)
    found = 0
    for a in fresh[:20]:  # added articles must be searchable at once
        res = index.query(reuse_features([normalize(a.body)]).of(0), k=1)
        found += bool(res) and res[0][0] == a.id
    t0 = time.perf_counter()
    index._merge()
    merge_s = time.perf_counter() - t0
    return {"added": len(fresh), **_lat(lat), "articles_per_s": round(len(fresh) / sum(lat), 1),
            "self_found": f"{found}/{min(20, len(fresh))}", "merge_s": round(merge_s, 3)}


def nt_profile(queries: Sequence[Query], index: ReuseIndex, articles: Sequence[Article],
               ids: Sequence[str], config: ProvenanceConfig, latencies: Sequence[float],
               top: int, log) -> None:
    pos = {x: i for i, x in enumerate(ids)}
    spun = [i for i, q in enumerate(queries) if q.source is not None]
    order = sorted(spun, key=lambda i: latencies[i])
    pick = order[min(len(order) - 1, int(0.95 * len(order)))]
    sample = [queries[i] for i in spun[:100]]
    for title, qs in ((f"one query at the spun p95 ({queries[pick].article.id}, "
                       f"{1000 * latencies[pick]:.1f} ms unprofiled)", [queries[pick]]),
                      (f"{len(sample)} spun queries together", sample)):
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        for q in qs:
            nt_sources(q.article, index, articles, pos, config)
        prof.disable()
        total = time.perf_counter() - t0
        log(f"\n=== cProfile: {title}; {1000 * total:.1f} ms profiled ===")
        for key in ("tottime", "cumulative"):
            s = io.StringIO()
            pstats.Stats(prof, stream=s).strip_dirs().sort_stats(key).print_stats(top)
            text = s.getvalue()
            rows = text[text.index("   ncalls"):].rstrip().split("\n")
            log(f"--- top {top} by {key} (share of the profiled wall time) ---")
            log("  share " + rows[0])
            for row in rows[1:]:
                parts = row.split()
                if len(parts) < 6:
                    continue
                t = float(parts[1] if key == "tottime" else parts[3])
                log(f"{100 * t / total:6.1f}% {row}")


# --------------------------------------------------------------------------------------------
# datasketch
# --------------------------------------------------------------------------------------------

def ds_minhashes(bodies: Sequence[str], num_perm: int, chunk: int = 5000) -> tuple[list, dict]:
    """MinHash of every body, shingled in chunks (all shingle lists at once would take GBs)."""
    from datasketch import MinHash

    gc.collect()
    c0 = os.times()
    sh_s = mh_s = 0.0
    mhs: list = []
    for s in range(0, len(bodies), chunk):
        t0 = time.perf_counter()
        sh = [corpus_mod.shingles(b) for b in bodies[s:s + chunk]]
        t1 = time.perf_counter()
        mhs.extend(m if x else None for x, m in zip(sh, MinHash.generator(sh, num_perm=num_perm)))
        t2 = time.perf_counter()
        sh_s += t1 - t0
        mh_s += t2 - t1
    c1 = os.times()
    return mhs, {"shingle_s": sh_s, "minhash_s": mh_s,
                 "cpu_s": (c1.user - c0.user) + (c1.system - c0.system)}


def ds_run(mhs: Sequence, queries: Sequence[Query], threshold: float, num_perm: int,
           base_s: float, base_cpu: float) -> dict:
    from datasketch import MinHash, MinHashLSH

    n = len(mhs)
    gc.collect()
    c0 = os.times()
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for i, m in enumerate(mhs):
            if m is not None:  # like newstrace, a text without features is not indexed
                session.insert(i, m, check_duplication=False)
    insert_s = time.perf_counter() - t0
    c1 = os.times()
    template = MinHash(num_perm=num_perm)  # same seed as the indexed ones; permutations shared
    gc.collect()
    lat, cpu, results = [], [], []
    for q in queries:
        p0 = time.process_time()
        t0 = time.perf_counter()
        sh = corpus_mod.shingles(normalize(q.article.body))
        m = template.copy()
        m.update_batch(sh)
        res = lsh.query(m) if sh else []
        lat.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - p0)
        results.append(res)
    spun = [i for i, q in enumerate(queries) if q.source is not None]
    fresh = [i for i, q in enumerate(queries) if q.source is None]
    hits = [queries[i].source in results[i] for i in spun]
    by_rate: dict[float, list[int]] = {r: [0, 0] for r in RATES}
    for i, h in zip(spun, hits):
        by_rate[queries[i].rate][0] += h
        by_rate[queries[i].rate][1] += 1
    cands = [len(r) for r in results]
    seconds = base_s + insert_s
    out = {"threshold": threshold, "bands": lsh.b, "rows": lsh.r,
           "seconds": seconds, "insert_s": insert_s, "articles_per_s": n / seconds,
           "cpu_s": base_cpu + (c1.user - c0.user) + (c1.system - c0.system),
           **_lat(lat, cpu),
           "recall": sum(hits) / len(spun) if spun else 0.0, "recalled": sum(hits),
           "spun": len(spun), **_answer_quality(sum(hits), sum(len(results[i]) for i in spun),
                                                len(spun)),
           "recall_by_rate": {str(r): f"{v[0]}/{v[1]}" for r, v in by_rate.items() if v[1]},
           "candidates_per_query": round(statistics.fmean(cands), 2) if cands else 0.0,
           "candidates_per_query_p50": float(np.median(cands)) if cands else 0.0,
           "candidates_per_spun_query": round(statistics.fmean(cands[i] for i in spun), 2)
           if spun else 0.0,
           "false_positives": sum(1 for i in fresh if results[i]), "fresh": len(fresh)}
    del lsh
    gc.collect()
    return out


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Provenance query speed and recall at scale: "
                                             "newstrace against datasketch MinHashLSH.")
    ap.add_argument("--n", type=int, default=100000, help="indexed articles (default 100000)")
    ap.add_argument("--queries", type=int, default=500,
                    help="SYNTHETIC spun queries, sources in the index (default 500)")
    ap.add_argument("--fresh", type=int, default=200,
                    help="independent queries, no source in the index (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="corpus, spin and lexicon seed (1)")
    ap.add_argument("--thresholds", default="0.05,0.1,0.2,0.3,0.5",
                    help="datasketch MinHashLSH thresholds (default 0.05,0.1,0.2,0.3,0.5)")
    ap.add_argument("--num-perm", type=int, default=128, help="datasketch permutations (128)")
    ap.add_argument("--batch", type=int, default=2000,
                    help="texts per reuse_features batch when indexing (default 2000)")
    ap.add_argument("--lexicon", choices=("spinner", "held-out"), default="spinner",
                    help="spinner lexicon: the whole thesaurus + tortured phrases (default; "
                         "reaches the rates) or the held-out 30%% of the thesaurus (tops out "
                         "near 22%%)")
    ap.add_argument("--any-language", action="store_true",
                    help="spin any indexed article, not only English ones")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    ap.add_argument("--profile", action="store_true",
                    help="also cProfile newstrace queries (one at the p95, and 100 together)")
    ap.add_argument("--top", type=int, default=25, help="rows per profile listing")
    args = ap.parse_args(argv)
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else \
        (lambda *a: print(*a, flush=True))
    thresholds = [float(x) for x in args.thresholds.split(",") if x.strip()]
    config = ProvenanceConfig()

    load_before = os.getloadavg()
    t_start = time.perf_counter()
    log(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)} "
        f"({os.cpu_count()} CPUs)")
    data = build_data(args.n, args.queries, args.fresh, args.seed, log, args.lexicon,
                      not args.any_language)
    ids, bodies, articles, queries = data["ids"], data["bodies"], data["articles"], data["queries"]
    _check_same_shingles(bodies)
    gc.collect()
    gc.freeze()  # the corpus is never freed: keep the collector from walking it again and again

    log("newstrace: indexing ...")
    index, nt_ix = nt_index(ids, bodies, config, args.batch)
    gc.freeze()
    log(f"  {args.n / nt_ix['seconds']:.0f} articles/s ({nt_ix['features_s']:.2f} s features + "
        f"{nt_ix['build_s']:.2f} s build); querying ...")
    nt_q = nt_queries(queries, index, articles, ids, config)
    log(f"  p50 {nt_q['p50_ms']:.1f} ms, p95 {nt_q['p95_ms']:.1f} ms, recall "
        f"{nt_q['recall']:.3f}")
    if args.profile:
        nt_profile(queries, index, articles, ids, config, nt_q["latencies_s"], args.top, log)
    nt_inc = nt_incremental(index, queries)
    del index
    gc.unfreeze()
    gc.collect()

    log("datasketch: MinHash ...")
    mhs, ds_base = ds_minhashes(bodies, args.num_perm)
    gc.freeze()
    base_s = ds_base["shingle_s"] + ds_base["minhash_s"]
    log(f"  shingle {ds_base['shingle_s']:.2f} s + MinHash {ds_base['minhash_s']:.2f} s")
    ds = []
    for th in thresholds:
        ds.append(ds_run(mhs, queries, th, args.num_perm, base_s, ds_base["cpu_s"]))
        d = ds[-1]
        log(f"  threshold {th}: insert {d['insert_s']:.2f} s, p95 {d['p95_ms']:.2f} ms, recall "
            f"{d['recall']:.3f}, {d['candidates_per_query']:.1f} candidates/query")
    del mhs
    gc.unfreeze()
    # datasketch's best threshold: the best F1 of its answers (precision counts every candidate
    # it returns); the recall-best one is printed too, with what its recall costs
    best = max(ds, key=lambda d: (d["f1"], d["recall"])) if ds else None
    best_recall = max(ds, key=lambda d: (d["recall"], -d["candidates_per_query"])) if ds else None
    load_after = os.getloadavg()

    n = args.n
    spun_q = [q for q in queries if q.source is not None]
    jac = {str(r): round(statistics.fmean(q.jaccard for q in spun_q if q.rate == r), 3)
           for r in RATES if any(q.rate == r for q in spun_q)}
    achieved = {str(r): round(statistics.fmean(q.achieved for q in spun_q if q.rate == r), 3)
                for r in RATES if any(q.rate == r for q in spun_q)}
    overlap = overlap_stats(queries, ids)
    nt_aps = n / nt_ix["seconds"]
    figures = {
        "articles": n, "spun_queries": len(spun_q), "fresh_queries": args.fresh,
        "seed": args.seed, "cpus": os.cpu_count(), "lexicon": data["lexicon"],
        "spun_sources": "any language" if args.any_language else "English",
        "config": {"candidates": config.candidates,
                   "min_candidate_score": config.min_candidate_score,
                   "min_score": config.min_score, "max_df": config.max_df},
        "spun_word5_jaccard_mean_by_rate": jac,
        "spun_achieved_rate_mean_by_rate": achieved,
        "verbatim_sentence_overlap": overlap,
        "newstrace": {"index": {**{k: round(v, 3) if isinstance(v, float) else v
                                   for k, v in nt_ix.items()},
                                "articles_per_s": round(nt_aps, 1)},
                      "query": {k: (round(v, 4) if isinstance(v, float) else v)
                                for k, v in nt_q.items() if k != "latencies_s"},
                      "incremental_add": nt_inc},
        "datasketch": {"minhash": {k: round(v, 3) for k, v in ds_base.items()},
                       "runs": [{k: (round(v, 4) if isinstance(v, float) else v)
                                 for k, v in d.items()} for d in ds],
                       "best_threshold": best["threshold"] if best else None,
                       "best_threshold_by": "F1 of the answers to the spun queries",
                       "best_recall_threshold": best_recall["threshold"] if best_recall
                       else None},
        "ratio_indexing_vs_best": round(nt_aps / best["articles_per_s"], 3) if best else None,
        "ratio_p95_vs_best": round(nt_q["p95_ms"] / best["p95_ms"], 3) if best else None,
        "target_p95_ms": TARGET_P95_MS,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "total_s": round(time.perf_counter() - t_start, 1),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0

    nf = args.fresh
    print()
    print(f"{n} indexed articles; {len(spun_q)} SYNTHETIC spun queries (source indexed), "
          f"{nf} fresh queries (no source); seed {args.seed}; spun with {data['lexicon']}, "
          f"{figures['spun_sources']} sources")
    print(f"{'system':<34} {'index art/s':>11} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
          f"{'CPU p95':>7} {'recall':>17} {'prec.':>6} {'F1':>6} {'false pos.':>10} "
          f"{'cand/q':>7}")
    rows = [("newstrace ReuseIndex+align", nt_aps, nt_q, f"{nt_q['false_positives']}/{nf}")]
    for d in ds:
        mark = " *" if d is best else ""
        rows.append((f"datasketch LSH t={d['threshold']} (b={d['bands']},r={d['rows']}){mark}",
                     d["articles_per_s"], d, f"{d['false_positives']}/{nf}"))
    for name, aps, f, fp in rows:
        print(f"{name:<34} {aps:>11.1f} {f['p50_ms']:>7.2f} {f['p95_ms']:>7.2f} "
              f"{f['max_ms']:>7.2f} {f['cpu_p95_ms']:>7.2f} {f['recall']:>7.4f} "
              f"({f['recalled']:>3}/{f['spun']:>3}) {f['precision']:>6.3f} {f['f1']:>6.3f} "
              f"{fp:>10} {f['candidates_per_query']:>7.1f}")
    if best:
        print(f"\n* best datasketch threshold by F1 of its answers: {best['threshold']} "
              f"({best['candidates_per_query']:.1f} candidates/query, "
              f"{best['candidates_per_spun_query']:.1f} per spun query, median "
              f"{best['candidates_per_query_p50']:.0f}; unverified LSH candidates)")
        print(f"ratio newstrace/datasketch(best): indexing "
              f"{figures['ratio_indexing_vs_best']:.2f}x, p95 latency "
              f"{figures['ratio_p95_vs_best']:.2f}x, recall {nt_q['recall']:.4f} vs "
              f"{best['recall']:.4f}, precision {nt_q['precision']:.3f} vs "
              f"{best['precision']:.3f}")
        if best_recall is not best:
            print(f"datasketch's highest recall, {best_recall['recall']:.4f} at t="
                  f"{best_recall['threshold']}, comes with {best_recall['answers_per_spun_query']:.1f}"
                  f" unverified answers per spun query (precision {best_recall['precision']:.3f}) "
                  f"and a candidate for {best_recall['false_positives']}/{nf} fresh queries")
    if best:
        ok_recall = nt_q["recall"] > best["recall"] and nt_aps >= best["articles_per_s"]
        print(f"target higher recall than datasketch's best threshold at equal or better "
              f"indexing throughput: {'met' if ok_recall else 'NOT met'} (recall "
              f"{nt_q['recall']:.4f} vs {best['recall']:.4f}, indexing {nt_aps:.0f} vs "
              f"{best['articles_per_s']:.0f} articles/s); thresholds indexing at least as fast "
              f"as newstrace: " + (", ".join(f"t={d['threshold']} recall {d['recall']:.4f}"
                                             for d in ds if d["articles_per_s"] >= nt_aps)
                                   or "none"))
    ok_p95 = nt_q["p95_ms"] <= TARGET_P95_MS
    print(f"target p95 <= {TARGET_P95_MS:.0f} ms: {'met' if ok_p95 else 'NOT met'} "
          f"({nt_q['p95_ms']:.1f} ms wall clock; {nt_q['cpu_p95_ms']:.1f} ms CPU)")
    g = nt_ix
    ds_cpu = ", ".join(f"t={d['threshold']} {n / d['cpu_s']:.0f}" for d in ds)
    print(f"indexing by CPU time (articles per CPU second): newstrace {n / nt_ix['cpu_s']:.0f}; "
          f"datasketch {ds_cpu}")
    print(f"\nnewstrace indexing: features {g['features_s']:.2f} s (batches of {args.batch}) + "
          f"build {g['build_s']:.2f} s = {g['seconds']:.2f} s, CPU {g['cpu_s']:.2f} s; "
          f"{g['features_per_article']} features/article, index {g['index_mb']} MB")
    print("newstrace query stages p50/p95 ms: " + ", ".join(
        f"{k} {nt_q['stage_p50_ms'][k]:.2f}/{nt_q['stage_p95_ms'][k]:.2f}"
        for k in nt_q["stage_p50_ms"]))
    print(f"newstrace latency spun queries p50/p95 {nt_q['spun_latency']['p50_ms']:.1f}/"
          f"{nt_q['spun_latency']['p95_ms']:.1f} ms, fresh p50/p95 "
          f"{nt_q['fresh_latency']['p50_ms']:.1f}/{nt_q['fresh_latency']['p95_ms']:.1f} ms; "
          f"{nt_q['candidates_per_query']:.1f} candidates aligned per query")
    print("newstrace recall by spin rate: " + ", ".join(
        f"{k} {v}" for k, v in nt_q["recall_by_rate"].items())
        + f"; true source among index candidates {nt_q['candidate_recall']:.4f}; linked in "
          f"either direction {nt_q['linked_either_direction']}/{nt_q['spun']}")
    print(f"newstrace relations of the hits: {nt_q['relations']}; direction decided by: "
          f"{nt_q['direction_decided_by']}; other sources given to spun queries: "
          f"{nt_q['spun_wrong_sources']}")
    print(f"newstrace false positives: {nt_q['false_positives']}/{nf} fresh queries linked to "
          f"an indexed article ({nt_q['false_positives_as_copy']} with the fresh one as copy; "
          f"{nt_q['false_positive_links']} links, relations {nt_q['false_positive_relations']}; "
          f"in {nt_q['false_positives_grounded']} of them every link rests on >= 2 copied "
          f"sentences, pair score >= 0.9); other sources of spun queries resting on >= 2 copied "
          f"sentences: "
          f"{nt_q['spun_wrong_sources_grounded']}/{nt_q['spun_wrong_sources']}")
    for e in nt_q["false_positive_examples"][:5]:
        print(f"  false positive {e['query']}: {e['links']}")
    for e in nt_q["missed_examples"][:5]:
        print(f"  missed {e['query']} (source {e['source']}, rate {e['rate']}, word-5-gram "
              f"J={e['jaccard']}, candidate rank {e['candidate_rank']}): links {e['links']}")
    if nt_inc:
        print(f"newstrace incremental add (features + add, one at a time, {nt_inc['added']} "
              f"articles into the {n} index): p50 {nt_inc['p50_ms']:.2f} ms, p95 "
              f"{nt_inc['p95_ms']:.2f} ms ({nt_inc['articles_per_s']:.0f} articles/s), "
              f"searchable at once {nt_inc['self_found']}; folding them into the sorted "
              f"arrays (_merge) {nt_inc['merge_s']:.2f} s")
    print(f"datasketch: shingle {ds_base['shingle_s']:.2f} s + MinHash {ds_base['minhash_s']:.2f} "
          f"s (so at most {n / (ds_base['shingle_s'] + ds_base['minhash_s']):.0f} articles/s at "
          f"any threshold, before inserting anything), then per threshold LSH insert "
          + ", ".join(
              f"t={d['threshold']} {d['insert_s']:.2f} s" for d in ds))
    for d in ds:
        print(f"datasketch t={d['threshold']} recall by spin rate: " + ", ".join(
            f"{k} {v}" for k, v in d["recall_by_rate"].items()))
    print("spun copies' word-5-gram Jaccard with their source, mean by rate: "
          + ", ".join(f"{k} {v}" for k, v in jac.items())
          + "; achieved substitution rate: " + ", ".join(f"{k} {v}" for k, v in achieved.items()))
    for kind, o in overlap.items():
        print(f"verbatim sentence reuse, {kind} queries: on average "
              f"{o['articles_sharing_ge1_sentence_mean']} indexed articles (the source aside) hold "
              f"one of a query's sentences word for word, "
              f"{o['articles_sharing_ge3_sentences_mean']} hold three or more; "
              f"{o['queries_with_an_article_sharing_ge3']} queries have such an article")
    print(f"\n(wall clock, one process, one run; {os.cpu_count()} CPUs, load average "
          f"{load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} before, "
          f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} after: other load "
          f"slows the figures; total {figures['total_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
