"""Spin-detection throughput: articles per second for ``newstrace.spin`` on real news.

    .venv/bin/python bench/spin.py [--n 2000] [--repeat 3] [--batch] [--workers N]

The articles are the real texts of ECB+ (982) and MEANTIME English (120) from ``../shared/data``
(or ``$NEWSTRACE_DATA``), cycled up to ``--n``; from the second pass on, each copy is varied
(its paragraphs rotated) so that no per-text cache can help. Resources are loaded (and the word
caches warmed on one pass) before timing, as in a long-running ``analyze``. Default install: no
language model. Prints articles/s (best of ``--repeat``), words/s and the mean score.

``--workers N`` scores the texts in N forked processes, chunks of 64, as ``analyze`` does
(``pipeline.detect_spin``): the detector's tables and warm caches are loaded before the fork and
shared. The default, one process, is the figure per core.

``--lm`` times the detector with the optional language model (extra ``lm``) instead; a pass of
the model costs about a second per article, so use it with a smaller ``--n`` (e.g. 200) and
``--repeat 1``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newstrace import spin  # noqa: E402
from newstrace.evaluation import datasets  # noqa: E402
from newstrace.evaluation.spin_eval import reference_docs  # noqa: E402


def corpus(n: int) -> list[str]:
    base = [t for _, t in reference_docs()]
    out = []
    k = 0
    while len(out) < n:
        text = base[k % len(base)]
        shift = k // len(base)
        if shift:
            paras = text.split("\n\n")
            s = shift % max(len(paras), 1)
            text = "\n\n".join(paras[s:] + paras[:s])
        out.append(text)
        k += 1
    return out


def _score_chunk(texts: list[str]) -> list[tuple[float, bool]]:
    return [(r.score, r.verdict) for r in spin.detect_many(texts)]


def _parallel(texts: list[str], workers: int, chunk: int = 64) -> list[tuple[float, bool]]:
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        parts = pool.map(_score_chunk, [texts[i:i + chunk] for i in range(0, len(texts), chunk)])
        return [r for part in parts for r in part]


def _rate(x: float) -> str:
    return f"{x:.0f}" if x >= 10 else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", action="store_true", help="use detect_many (one call)")
    ap.add_argument("--lm", action="store_true", help="with the language model (extra: lm)")
    ap.add_argument("--workers", type=int, default=1,
                    help="forked processes, as analyze --workers (default 1; not with --lm)")
    args = ap.parse_args(argv)
    if args.lm and args.workers > 1:
        ap.error("--lm scores in one process (the model uses every core)")
    config = spin.SpinConfig(language_model=True) if args.lm else None
    try:
        texts = corpus(args.n)
    except datasets.DatasetMissing as exc:
        print(f"shared data missing: {exc}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    det = spin.default_detector(config)
    load_s = time.perf_counter() - t0
    det.detect_many(texts[: min(len(texts), 20 if args.lm else 1102)])  # warm the caches
    words = sum(len(t.split()) for t in texts)
    best = best_cpu = float("inf")
    scores: list[float] = []
    for _ in range(args.repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        if args.workers > 1:
            results = _parallel(texts, args.workers)
        elif args.batch:
            results = [(r.score, r.verdict) for r in spin.detect_many(texts, config=config)]
        else:
            results = [(r.score, r.verdict) for r in
                       (spin.detect(t, config=config) for t in texts)]
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
        scores = [s for s, _ in results]
    flagged = sum(v for _, v in results)
    which = f"spin with the language model ({det.lm.backend})" if args.lm else "spin"
    how = "one process" if args.workers <= 1 else f"{args.workers} processes"
    cpu = (f"CPU {best_cpu:.2f} s = {_rate(len(texts) / best_cpu)} articles per CPU second"
           if args.workers <= 1 else "CPU in the workers, not counted")
    print(f"{which}: {len(texts)} articles ({words} words) in {best:.2f} s = "
          f"{_rate(len(texts) / best)} articles/s, {words / best:.0f} words/s; {cpu} "
          f"({how}; resources loaded in {load_s:.2f} s; mean score {sum(scores) / len(scores):.3f}; "
          f"{flagged} flagged)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
