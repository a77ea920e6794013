"""Spin-detection throughput: articles per second for ``newstrace.spin`` on real news.

    .venv/bin/python bench/spin.py [--n 2000] [--repeat 3] [--batch]

The articles are the real texts of ECB+ (982) and MEANTIME English (120) from ``../shared/data``
(or ``$NEWSTRACE_DATA``), cycled up to ``--n``; from the second pass on, each copy is varied
(its paragraphs rotated) so that no per-text cache can help. Resources are loaded (and the word
caches warmed on one pass) before timing, as in a long-running ``analyze``. Default install: no
language model. Prints articles/s (best of ``--repeat``), words/s and the mean score.

``--lm`` times the detector with the optional language model (extra ``lm``) instead; a pass of
the model costs about a second per article, so use it with a smaller ``--n`` (e.g. 200) and
``--repeat 1``.
"""

from __future__ import annotations

import argparse
import sys
import time
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


def _rate(x: float) -> str:
    return f"{x:.0f}" if x >= 10 else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", action="store_true", help="use detect_many (one call)")
    ap.add_argument("--lm", action="store_true", help="with the language model (extra: lm)")
    args = ap.parse_args(argv)
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
        if args.batch:
            reports = spin.detect_many(texts, config=config)
        else:
            reports = [spin.detect(t, config=config) for t in texts]
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
        scores = [r.score for r in reports]
    flagged = sum(r.verdict for r in reports)
    which = f"spin with the language model ({det.lm.backend})" if args.lm else "spin"
    print(f"{which}: {len(texts)} articles ({words} words) in {best:.2f} s = "
          f"{_rate(len(texts) / best)} articles/s, {words / best:.0f} words/s; CPU {best_cpu:.2f} s = "
          f"{_rate(len(texts) / best_cpu)} articles per CPU second "
          f"(one process; resources loaded in {load_s:.2f} s; mean score {sum(scores) / len(scores):.3f}; "
          f"{flagged} flagged)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
