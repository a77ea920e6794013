"""Event grouping speed: batch clustering of 982 and of 100,000 articles, and the latency of
adding one new article to an index of 100,000 (target: p95 <= 50 ms on 2 cores).

    .venv/bin/python bench/events.py                 # 982 ECB+ articles + 100,000 corpus articles
    .venv/bin/python bench/events.py --n 20000       # a smaller corpus
    .venv/bin/python bench/events.py --json          # figures as JSON on stdout
    .venv/bin/python bench/events.py --cache         # keep/reuse the extracted features

The 100,000 articles come from ``bench/corpus.py`` (real sentences from ECB+, MEANTIME and the
seeds, recombined per pool, numbers replaced, random dates; no planted copies). Features are
extracted in ``--workers`` processes and timed on their own; clustering and the stream run in
one process. The batch is :meth:`EventIndex.from_batch` (what :func:`cluster` does, keeping the
index for the stream). Latency probes are ``--probes`` further articles (another seed) added
one at a time to that index of ``--n`` articles, timed with and without their feature
extraction.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newstrace.events import ArticleFeatures, EventConfig, EventIndex, cluster, features  # noqa: E402
from newstrace.text import normalize  # noqa: E402


def _feat(rec: dict) -> ArticleFeatures:
    f = features(rec["id"], normalize(rec.get("title") or ""), normalize(rec["text"]),
                 published=rec.get("published"), outlet=rec.get("outlet"))
    f.parts = {}  # only needed to re-weight; halves the memory of 100,000 feature sets
    f.actors = f.actors[:8]
    return f


def _feat_chunk(recs: list[dict]) -> list[ArticleFeatures]:
    return [_feat(r) for r in recs]


def extract(records: list[dict], workers: int) -> tuple[list[ArticleFeatures], float]:
    t0 = time.perf_counter()
    if workers <= 1:
        out = _feat_chunk(records)
    else:
        chunks = [records[i:i + 500] for i in range(0, len(records), 500)]
        with ProcessPoolExecutor(workers) as ex:
            out = [f for part in ex.map(_feat_chunk, chunks) for f in part]
    return out, time.perf_counter() - t0


def _cache_path(n: int, seed: int) -> Path:
    """Where ``--cache`` keeps the features of a corpus: named after the corpus and a hash of
    the code that makes features, so a change to it is never served stale features."""
    import hashlib

    import corpus as bench_corpus

    import inspect

    from newstrace import events

    src = ROOT / "src" / "newstrace"
    digest = hashlib.sha256()
    for name in ("when.py", "actors.py", "places.py", "text.py", "models.py"):
        digest.update((src / name).read_bytes())
    # of events.py, only what makes features (a change to the grouping keeps the cache)
    for fn in (events.features, events.ArticleFeatures, events._term_vector, events._name_vector,
               events._place_weights, events._place_vector, events._number_vector,
               events._kind_vector, events._norm, events._combine, events._idf, events._zipf):
        digest.update(inspect.getsource(fn).encode())
    digest.update(repr(EventConfig()).encode())
    return bench_corpus.CACHE_DIR / f"events-features-v{bench_corpus.CORPUS_VERSION}-n{n}-s{seed}-{digest.hexdigest()[:12]}.pkl"


def _peak_mb() -> float:
    """Peak resident memory of this process (MB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(q * (len(v) - 1) + 0.5))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--probes", type=int, default=500)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--cache", action="store_true",
                    help="keep the extracted features in bench/_data and reuse them (keyed by the "
                         "feature code): reruns time the grouping without re-extracting")
    ap.add_argument("--skip-stream", action="store_true", help="no stream build / latency probes")
    args = ap.parse_args(argv)
    log = (lambda *a: print(*a, file=sys.stderr, flush=True))
    config = EventConfig()
    res: dict = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "n": args.n,
                 "loadavg_start": [round(x, 2) for x in os.getloadavg()]}

    # -- ECB+ (982 real articles) ----------------------------------------------------------------
    from newstrace.evaluation import datasets

    docs = datasets.ecbplus()
    recs = [{"id": d.doc_id, "title": d.title, "text": d.text} for d in docs]
    feats, t_feat = extract(recs, 1)
    t0 = time.perf_counter()
    events = cluster(feats, config)
    t_batch = time.perf_counter() - t0
    res["ecbplus"] = {"articles": len(feats), "features_s": round(t_feat, 2),
                      "batch_s": round(t_batch, 3), "events": len(events)}
    log(f"ECB+ {len(feats)} articles: features {t_feat:.1f}s (1 process), batch {t_batch:.2f}s, "
        f"{len(events)} events")

    # -- the large corpus ----------------------------------------------------------------------
    import corpus as bench_corpus

    t0 = time.perf_counter()
    records = bench_corpus.build(args.n, args.seed, 0).records
    probes = bench_corpus.build(max(args.probes, 2), args.seed + 1000, 0).records[:args.probes]
    for r in probes:
        r["id"] = "probe-" + r["id"]
    log(f"corpus: {len(records)} records in {time.perf_counter() - t0:.1f}s")
    cache = _cache_path(args.n, args.seed)
    if args.cache and cache.exists():
        t0 = time.perf_counter()
        with cache.open("rb") as fh:
            feats = pickle.load(fh)
        t_feat = None
        log(f"features: loaded from {cache.name} in {time.perf_counter() - t0:.1f}s (not extracted, not timed)")
    else:
        feats, t_feat = extract(records, args.workers)
        log(f"features: {t_feat:.1f}s with {args.workers} workers ({1000 * t_feat / len(feats):.2f} ms/article wall)")
        if args.cache:
            cache.parent.mkdir(parents=True, exist_ok=True)
            with cache.open("wb") as fh:
                pickle.dump(feats, fh, protocol=pickle.HIGHEST_PROTOCOL)
    t0 = time.perf_counter()
    index = EventIndex.from_batch(feats, config)  # cluster() plus the index kept for the stream
    events = index.events()
    t_batch = time.perf_counter() - t0
    sizes = sorted((len(m) for m in events.values()), reverse=True)
    log(f"batch: {t_batch:.1f}s for {len(feats)} articles -> {len(events)} events (largest {sizes[:5]}), "
        f"peak memory {_peak_mb():.0f} MB")
    res["large"] = {"articles": len(feats), "features_s": round(t_feat, 1) if t_feat is not None else None,
                    "workers": args.workers,
                    "batch_s": round(t_batch, 1), "events": len(events), "largest": sizes[:5],
                    "peak_rss_mb": round(_peak_mb())}
    del events
    if not args.skip_stream:
        assign, total = [], []
        for r in probes:
            t1 = time.perf_counter()
            f = _feat(r)
            t2 = time.perf_counter()
            index.add(f)
            t3 = time.perf_counter()
            assign.append(t3 - t2)
            total.append(t3 - t1)
        res["stream"] = {
            "index_size": len(feats),
            "probes": len(probes),
            "assign_p50_ms": round(1000 * pct(assign, 0.5), 2),
            "assign_p95_ms": round(1000 * pct(assign, 0.95), 2),
            "assign_max_ms": round(1000 * max(assign), 2),
            "with_features_p50_ms": round(1000 * pct(total, 0.5), 2),
            "with_features_p95_ms": round(1000 * pct(total, 0.95), 2),
        }
        log(f"new article at {len(feats)}: assign p50 {res['stream']['assign_p50_ms']} ms, "
            f"p95 {res['stream']['assign_p95_ms']} ms (max {res['stream']['assign_max_ms']} ms); "
            f"with feature extraction p50 {res['stream']['with_features_p50_ms']} ms, "
            f"p95 {res['stream']['with_features_p95_ms']} ms")
    res["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    log(f"load average: start {res['loadavg_start']}, end {res['loadavg_end']}")
    if args.json:
        json.dump(res, sys.stdout, indent=2)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
