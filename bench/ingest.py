"""Ingest + near-duplicate throughput: newstrace against datasketch, same texts, same run.

    .venv/bin/python bench/ingest.py                      # 20,000 articles, 500 planted copies
    .venv/bin/python bench/ingest.py --n 5000 --json      # the figures as JSON
    .venv/bin/python bench/ingest.py --n 5000 --profile   # cProfile of newstrace's side

newstrace: a real ingest of the corpus (JSON Lines shards on disk) into a fresh SQLite store
with ``newstrace.pipeline.ingest``, then ``find_copies`` (LSH candidates, exact verification,
clustering, storing the pairs). Timed end to end, from opening the store to closing it.

datasketch: ``MinHash(num_perm=128)`` (through ``MinHash.generator``, which shares the
permutations) over the same shingles (lower-cased word 5-grams of the normalised body, words cut
exactly as newstrace's fingerprints cut them), ``MinHashLSH(threshold=0.5, num_perm=128)``
insertion, then a query per article for candidate pairs. Timed from the normalised texts in
memory: reading, parsing, normalising and storing are not counted, and nothing is verified,
which all favours datasketch.

Recall is measured on the planted near-copies (bench/corpus.py): for newstrace, the share of
planted pairs whose two articles end in the same copy cluster; for datasketch, the share that
are candidate pairs.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_mod  # noqa: E402  (bench/corpus.py)

try:
    from newstrace.config import Config
    from newstrace.fingerprints import shingle_set
    from newstrace.pipeline import find_copies, ingest
    from newstrace.store import open_store
except ImportError:  # pragma: no cover
    sys.exit("bench: newstrace is not importable; install it first: .venv/bin/pip install -e .")


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


# --------------------------------------------------------------------------------------------
# newstrace
# --------------------------------------------------------------------------------------------

def run_newstrace(shard_dir: Path, workers: int, work_dir: Path) -> dict:
    """One timed ingest + find_copies into a fresh store; returns timings and the outcome."""
    db = work_dir / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    config = Config(workers=workers)
    gc.collect()
    c0 = os.times()
    t0 = time.perf_counter()
    store = open_store(db)
    result = ingest(store, [str(shard_dir)], config)
    t1 = time.perf_counter()
    pairs, clusters = find_copies(store, config)
    t2 = time.perf_counter()
    store.close()
    t3 = time.perf_counter()
    c1 = os.times()
    child = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
    cpu = (c1.user - c0.user) + (c1.system - c0.system) + child
    return {"seconds": t3 - t0, "ingest_s": t1 - t0, "find_copies_s": t2 - t1,
            "cpu_s": cpu, "child_cpu_s": child,
            "new": result.new, "existing": result.existing, "skipped": len(result.skipped),
            "pairs": pairs, "clusters": clusters, "db": db}


def external_ids(db: Path) -> dict[str, str]:
    """newstrace article id -> the record's own ``id`` (stored as metadata ``external_id``)."""
    store = open_store(db, readonly=True)
    try:
        out = {}
        for art in store.iter_articles():
            ext = art.values("external_id")
            if ext:
                out[art.id] = ext[0]
        return out
    finally:
        store.close()


# --------------------------------------------------------------------------------------------
# datasketch
# --------------------------------------------------------------------------------------------

def run_datasketch(bodies: Sequence[str], num_perm: int = 128, threshold: float = 0.5) -> dict:
    """Shingle, MinHash, LSH-insert and query every text; candidate pairs by index."""
    from datasketch import MinHash, MinHashLSH

    gc.collect()
    c0 = os.times()
    t0 = time.perf_counter()
    sh = [corpus_mod.shingles(b) for b in bodies]
    t1 = time.perf_counter()
    mhs = list(MinHash.generator(sh, num_perm=num_perm))
    t2 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for i, m in enumerate(mhs):
            if sh[i]:  # like newstrace, a text without shingles is not indexed
                session.insert(i, m, check_duplication=False)
    t3 = time.perf_counter()
    cands: set[tuple[int, int]] = set()
    for i, m in enumerate(mhs):
        if not sh[i]:
            continue
        for j in lsh.query(m):
            if j != i:
                cands.add((i, j) if i < j else (j, i))
    t4 = time.perf_counter()
    c1 = os.times()
    cpu = (c1.user - c0.user) + (c1.system - c0.system)
    return {"seconds": t4 - t0, "cpu_s": cpu, "shingle_s": t1 - t0, "minhash_s": t2 - t1,
            "insert_s": t3 - t2, "query_s": t4 - t3, "candidates": cands,
            "bands": lsh.b, "rows": lsh.r}


# --------------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------------

class Exact:
    """Exact shingle sets of the records, computed on demand, for judging reported pairs."""

    def __init__(self, ids: Sequence[str], bodies: Sequence[str]) -> None:
        self._body = dict(zip(ids, bodies))
        self._sets: dict[str, set[bytes]] = {}

    def sim(self, a: str, b: str) -> tuple[float, float]:
        for x in (a, b):
            if x not in self._sets:
                self._sets[x] = set(corpus_mod.shingles(self._body[x]))
        return corpus_mod.jaccard_containment(self._sets[a], self._sets[b])


def score(found_pairs: set[tuple[str, str]], truth: set[tuple[str, str]],
          same_group: Callable[[str, str], bool], exact: Exact,
          kinds: dict[str, tuple[str, ...]]) -> dict:
    recalled = [p for p in truth if same_group(*p)]
    extra = found_pairs - truth
    sims = [exact.sim(*p) for p in sorted(extra)]
    by_kind: dict[str, list[int]] = {}
    for a, b in truth:
        copy = b if b in kinds else a
        key = "+".join(kinds[copy])
        hit = same_group(a, b)
        by_kind.setdefault(key, [0, 0])
        by_kind[key][0] += hit
        by_kind[key][1] += 1
    missed = sorted(set(truth) - set(recalled))
    return {
        "recall": len(recalled) / len(truth) if truth else 1.0,
        "recalled": len(recalled),
        "extra_pairs": len(extra),
        "extra_jaccard_ge_0.5": sum(s[0] >= 0.5 for s in sims),
        "extra_containment_ge_0.8": sum(s[1] >= 0.8 for s in sims),
        "recall_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_kind.items())},
        "missed": [{"pair": list(p), "jaccard": round(exact.sim(*p)[0], 4),
                    "containment": round(exact.sim(*p)[1], 4)} for p in missed[:20]],
    }


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------

def _check_same_shingles(bodies: Sequence[str], sample: int = 300) -> None:
    """Guard: our shingle strings must be the very sets newstrace hashes."""
    step = max(1, len(bodies) // sample)
    for body in bodies[::step]:
        ours = len(set(corpus_mod.shingles(body)))
        theirs = int(shingle_set(body).size)
        if ours != theirs:
            raise SystemExit(f"bench: shingle mismatch with newstrace ({ours} vs {theirs}) on "
                             f"{body[:80]!r}")


def _profile(shard_dir: Path, work_dir: Path, workers: int, top: int) -> None:
    """newstrace's side under cProfile. With workers=1 every stage runs in this process; with
    more, only the main process is seen (reading, parsing, pickling, storing, find_copies):
    the serial part."""
    prof = cProfile.Profile()
    prof.enable()
    out = run_newstrace(shard_dir, workers, work_dir)
    prof.disable()
    total = out["seconds"]
    print(f"newstrace (workers={workers}, profiled): {out['new']} articles in {total:.2f} s "
          f"(ingest {out['ingest_s']:.2f} s, find_copies {out['find_copies_s']:.2f} s); "
          f"CPU {out['cpu_s']:.2f} s of which worker processes {out['child_cpu_s']:.2f} s\n")
    for key in ("tottime", "cumulative"):
        s = io.StringIO()
        pstats.Stats(prof, stream=s).strip_dirs().sort_stats(key).print_stats(top)
        text = s.getvalue()
        print(f"--- top {top} by {key} (share = {key} / wall {total:.2f} s) ---")
        rows = text[text.index("   ncalls"):].rstrip().split("\n")
        print("  share " + rows[0])
        for row in rows[1:]:
            parts = row.split()
            if len(parts) < 6:
                continue
            t = float(parts[1] if key == "tottime" else parts[3])
            print(f"{100 * t / total:6.1f}% {row}")
        print()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="newstrace ingest + near-duplicate throughput "
                                             "against datasketch MinHash + MinHashLSH.")
    ap.add_argument("--n", type=int, default=20000, help="articles in all (default 20000)")
    ap.add_argument("--planted", type=int, default=500, help="planted near-copies (default 500)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--workers", type=int, default=2, help="newstrace ingest workers (default 2)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="timed runs of each system; the fastest is reported (default 1)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--profile", action="store_true",
                    help="only profile newstrace's side (workers=1) and print the hotspots")
    ap.add_argument("--top", type=int, default=30, help="rows per profile listing")
    ap.add_argument("--keep", action="store_true", help="keep the store (path is printed)")
    args = ap.parse_args(argv)
    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print

    load_before = os.getloadavg()
    t = time.perf_counter()
    c = corpus_mod.build(args.n, args.seed, args.planted)
    shard_dir = corpus_mod.corpus_dir(args.n, args.seed, args.planted)
    shards = corpus_mod.write_jsonl(c.records, shard_dir)
    log(f"corpus: {len(c.records)} articles ({c.n_base} base + {len(c.truth_pairs)} planted "
        f"near-copies), {sum(len(r['text'].split()) for r in c.records) / len(c.records):.0f} "
        f"words/article, {len(shards)} JSONL shards, "
        f"{sum(p.stat().st_size for p in shards) / 1e6:.1f} MB, in {shard_dir} "
        f"(built in {time.perf_counter() - t:.1f} s)")

    work_dir = Path(tempfile.mkdtemp(prefix="ingest-", dir=corpus_mod.CACHE_DIR))
    try:
        if args.profile:
            _profile(shard_dir, work_dir, args.workers, args.top)
            return 0

        ids = [r["id"] for r in c.records]
        bodies = [corpus_mod.norm_body(r) for r in c.records]  # untimed: favours datasketch
        _check_same_shingles(bodies)

        nt_runs, ds_runs = [], []
        for r in range(args.repeat):
            nt_runs.append(run_newstrace(shard_dir, args.workers, work_dir))
            log(f"  run {r + 1}: newstrace {nt_runs[-1]['seconds']:.2f} s")
            ds_runs.append(run_datasketch(bodies))
            log(f"  run {r + 1}: datasketch {ds_runs[-1]['seconds']:.2f} s")
        nt = min(nt_runs, key=lambda x: x["seconds"])
        ds = min(ds_runs, key=lambda x: x["seconds"])
        n = len(c.records)
        if nt["new"] != n or nt["skipped"]:
            log(f"WARNING: newstrace stored {nt['new']} new articles of {n} "
                f"({nt['existing']} existing, {nt['skipped']} skipped)")

        exact = Exact(ids, bodies)
        truth = {_pair(a, b) for a, b in c.truth_pairs}

        ext = external_ids(nt["db"])
        cluster_of = {ext[m]: cl.id for cl in nt["clusters"] for m in cl.members}
        nt_pairs = {_pair(ext[p.a], ext[p.b]) for p in nt["pairs"]}
        nt_score = score(nt_pairs, truth,
                         lambda a, b: a in cluster_of and cluster_of[a] == cluster_of.get(b),
                         exact, c.plant_kinds)
        ds_pairs = {_pair(ids[i], ids[j]) for i, j in ds["candidates"]}
        ds_score = score(ds_pairs, truth, lambda a, b: _pair(a, b) in ds_pairs, exact,
                         c.plant_kinds)
        planted_sims = [exact.sim(*p) for p in sorted(truth)]
        if args.keep:
            kept = corpus_mod.CACHE_DIR / "ingest-bench.db"
            shutil.copy(nt["db"], kept)
            log(f"store kept at {kept}")
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)

    ratio = (n / nt["seconds"]) / (n / ds["seconds"])
    figures = {
        "articles": n, "planted_pairs": len(truth), "seed": args.seed,
        "workers": args.workers, "repeat": args.repeat, "cpus": os.cpu_count(),
        "planted_jaccard_min": round(min(s[0] for s in planted_sims), 4) if truth else None,
        "planted_jaccard_lt_0.5": sum(s[0] < 0.5 for s in planted_sims),
        "newstrace": {
            "seconds": round(nt["seconds"], 3), "articles_per_s": round(n / nt["seconds"], 1),
            "cpu_s": round(nt["cpu_s"], 3), "worker_cpu_s": round(nt["child_cpu_s"], 3),
            "ingest_s": round(nt["ingest_s"], 3), "find_copies_s": round(nt["find_copies_s"], 3),
            "stored": nt["new"], "skipped": nt["skipped"], "pairs": len(nt["pairs"]),
            "clusters": len(nt["clusters"]),
            "all_runs_s": [round(x["seconds"], 3) for x in nt_runs], **nt_score},
        "datasketch": {
            "seconds": round(ds["seconds"], 3), "articles_per_s": round(n / ds["seconds"], 1),
            "cpu_s": round(ds["cpu_s"], 3),
            "shingle_s": round(ds["shingle_s"], 3), "minhash_s": round(ds["minhash_s"], 3),
            "insert_s": round(ds["insert_s"], 3), "query_s": round(ds["query_s"], 3),
            "bands": ds["bands"], "rows": ds["rows"], "candidate_pairs": len(ds["candidates"]),
            "all_runs_s": [round(x["seconds"], 3) for x in ds_runs], **ds_score},
        "ratio": round(ratio, 3),
        "ratio_cpu": round(ds["cpu_s"] / nt["cpu_s"], 3),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0

    print()
    print(f"{'system':<32} {'articles':>8} {'seconds':>8} {'CPU s':>6} {'articles/s':>10} "
          f"{'planted recall':>16} {'extra pairs':>17}")
    for name, key in ((f"newstrace (workers={args.workers})", "newstrace"),
                      ("datasketch MinHash+MinHashLSH", "datasketch")):
        f = figures[key]
        print(f"{name:<32} {n:>8} {f['seconds']:>8.2f} {f['cpu_s']:>6.2f} "
              f"{f['articles_per_s']:>10.1f} {f['recall']:>7.4f} ({f['recalled']:>3}/{len(truth)}) "
              f"{f['extra_pairs']:>6} ({f['extra_jaccard_ge_0.5']:>2} J>=0.5)")
    print(f"\nratio newstrace/datasketch = {ratio:.2f}\u00d7")
    f, g = figures["newstrace"], figures["datasketch"]
    print(f"\n(articles/s and the ratio are wall-clock, best of {args.repeat}; CPU s = user+system "
          f"time of the process and its workers, {f['worker_cpu_s']:.2f} s of newstrace's in "
          f"{args.workers} worker processes; by CPU time datasketch/newstrace = "
          f"{figures['ratio_cpu']:.2f}. {os.cpu_count()} CPUs, load average "
          f"{figures['loadavg_before'][0]:.2f} before, {figures['loadavg_after'][0]:.2f} after: "
          f"other load on the machine slows the wall-clock figures)")
    print(f"\nnewstrace: ingest {f['ingest_s']:.2f} s + find_copies {f['find_copies_s']:.2f} s "
          f"(read, parse, normalise, metadata, sketch, SQLite store, LSH, exact verification, "
          f"clusters); {f['pairs']} verified pairs in {f['clusters']} clusters")
    print(f"datasketch: shingle {g['shingle_s']:.2f} s + MinHash {g['minhash_s']:.2f} s + "
          f"LSH insert {g['insert_s']:.2f} s + query {g['query_s']:.2f} s "
          f"(b={g['bands']}, r={g['rows']}); texts already normalised in memory, single "
          f"process, unverified candidates: this favours datasketch")
    print(f"planted pairs: {len(truth)}, exact Jaccard min {figures['planted_jaccard_min']}, "
          f"{figures['planted_jaccard_lt_0.5']} below 0.5")
    print(f"extra pairs = reported pairs that were not planted; (J>=0.5) = how many of them "
          f"are genuine near-duplicates by exact Jaccard")
    for key in ("newstrace", "datasketch"):
        print(f"{key} recall by planted edit: " + ", ".join(
            f"{k} {v}" for k, v in figures[key]["recall_by_kind"].items()))
        for m in figures[key]["missed"][:5]:
            print(f"  missed {m['pair'][0]}-{m['pair'][1]}: J={m['jaccard']} "
                  f"C={m['containment']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
