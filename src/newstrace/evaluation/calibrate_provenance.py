"""Fit the provenance confidence: P(real reuse | alignment figures), by logistic regression.

Population: candidate pairs that the reuse index proposes in the real ECB+ corpus mixed with
SYNTHETIC spun copies (0-50% of content words, some sentences dropped or reordered) of ECB+
articles. Positives are (original, spun copy) pairs; negatives are candidate pairs of two real
articles that report different events (independent by construction). Pairs of real articles
about the same event are left out: some of them really are reprints, unlabelled.

Fitted on the odd-numbered topics, checked on the even ones (reliability table and log loss),
then refitted on all. Writes ``newstrace/data/provenance_calibration.json``:

    python -m newstrace.evaluation.calibrate_provenance
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import numpy as np

from ..align import align
from ..provenance import CALIBRATION_FEATURES, Features, calibration_vector
from ..reuse_index import ReuseIndex, reuse_features
from . import datasets, synthetic
from .provenance_eval import _article

EVAL_SPLIT_SEED = 7  # the seed of the lexicon split in provenance_eval.synthetic_attribution
OUT = Path(__file__).resolve().parents[1] / "data" / "provenance_calibration.json"


def collect(seed: int = 11, per_doc: float = 0.5) -> list[tuple[np.ndarray, int, int]]:
    """(feature vector, label, topic) for every pair in the population described above.

    Copies are spun with the "train" part of the thesaurus split that ``eval provenance``
    uses (its held-out part makes the test copies), so the two never share a substitution.
    """
    docs = datasets.ecbplus()
    lexicon = synthetic.split_lexicon(synthetic.load_lexicon(), 0.3, seed=EVAL_SPLIT_SEED).train
    rng = random.Random(seed)
    real = [_article(d.doc_id, d.title, d.text) for d in docs]
    rows: list[tuple[np.ndarray, int, int]] = []
    for d, art in zip(docs, real):
        if len(d.text.split()) < 60 or rng.random() > per_doc:
            continue
        rate = rng.choice((0.0, 0.1, 0.2, 0.3, 0.4, 0.5))
        spun = synthetic.spin(d.text, rate, seed=rng.randrange(10**6), lexicon=lexicon,
                              drop=0.1, reorder=0.1)
        f = Features.of(align(art.body, spun.text))
        rows.append((calibration_vector(f), 1, d.topic))
    index = ReuseIndex()
    batch = reuse_features([a.norm_body for a in real])
    index.build([a.id for a in real], batch)
    pos = {a.id: i for i, a in enumerate(real)}
    seen = set()
    for i, a in enumerate(real):
        for other, _ in index.query(batch.of(i), k=8, exclude=a.id, min_score=0.0):
            j = pos[other]
            key = (min(i, j), max(i, j))
            if key in seen or docs[i].event_cluster == docs[j].event_cluster:
                continue
            seen.add(key)
            f1 = Features.of(align(real[i].body, real[j].body))
            f2 = Features.of(align(real[j].body, real[i].body))
            f = f1 if f1.copy_coverage >= f2.copy_coverage else f2
            rows.append((calibration_vector(f), 0, docs[i].topic))
    return rows


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method (IRLS) with a small L2 penalty; weights with
    the intercept last."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = l2 * np.eye(xb.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) + reg @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, Any]]:
    out = []
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (p >= lo) & (p < hi if hi < 1 else p <= hi)
        if mask.sum():
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(mask.sum()),
                        "mean_predicted": float(p[mask].mean()), "observed": float(y[mask].mean())})
    return out


def main() -> None:
    rows = collect()
    x = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows], dtype=float)
    topic = np.array([r[2] for r in rows])
    train, test = topic % 2 == 1, topic % 2 == 0
    w = fit(x[train], y[train])
    xb = np.hstack([x[test], np.ones((test.sum(), 1))])
    p = 1.0 / (1.0 + np.exp(-xb @ w))
    eps = 1e-9
    logloss = float(-np.mean(y[test] * np.log(p + eps) + (1 - y[test]) * np.log(1 - p + eps)))
    print(f"pairs: {len(rows)} ({int(y.sum())} synthetic reuse, {int((1 - y).sum())} independent)")
    print(f"held-out (even topics) log loss {logloss:.4f}")
    print("reliability on held-out topics:")
    for row in reliability(p, y[test]):
        print(f"  {row['bin']}: n={row['n']:5d} predicted {row['mean_predicted']:.3f} "
              f"observed {row['observed']:.3f}")
    w_all = fit(x, y)
    OUT.write_text(json.dumps({
        "features": list(CALIBRATION_FEATURES), "weights": [round(v, 6) for v in w_all[:-1]],
        "intercept": round(float(w_all[-1]), 6),
        "population": "ECB+ candidate pairs (different events = independent) and SYNTHETIC spun "
                      "copies (0-50%) of ECB+ articles; see calibrate_provenance.py",
        "held_out_log_loss": round(logloss, 4), "pairs": len(rows)}, indent=1) + "\n",
        encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
