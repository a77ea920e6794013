"""Evaluation (and training) of spin detection from the text alone (``newstrace.spin``).

``run()`` prints and returns the figures of issue 4:

1. **Synthetic spun news, held out.** Real articles (ECB+ 982, MEANTIME English 120) spun by
   :func:`newstrace.evaluation.synthetic.spin` at 10-50% substitution with the *held-out* half
   of the spinner thesaurus (substitutions the shipped lexicon never saw) and seeds the training
   never used. Article-level precision, recall and F1 per rate (positives: the spun versions;
   negatives: all real originals), ROC AUC, and span-level scores (evidence spans against the
   true substitutions; how often the likely original is the true one).
2. **False positives** on all 1,102 real originals, also split into part A (whose word pairs
   built the reference bigrams and whose originals trained the models) and part B (never read
   before evaluation).
3. **Seeds.** 003 (a real spun article) should be flagged with at least 10 pieces of evidence,
   most with the right original (judged against ``data/spin/eval/seed_003_gold.tsv``, a hand
   annotation used only here); 000 (a real Reuters report) should not be.
4. **Ablation.** Each signal left out in turn (models retrained without it), and each alone.

``train()`` fits the two logistic models of ``data/spin/model.json`` (called by
``data/spin/build_spin_data.py --model``): synthetic spins of part A made with a sub-split of
the thesaurus' *train* part, one half of it hidden from the detector's lexicon, so that the
models learn both seen and unseen substitutions; negatives are part A's originals.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from newstrace import spin as S
from newstrace.evaluation import datasets, metrics, synthetic

__all__ = ["reference_docs", "part_of", "train", "run", "RATES"]

RATES = (0.1, 0.2, 0.3, 0.4, 0.5)
TRAIN_SEED_BASE = 10_000
#: Share of the training originals the verdict threshold may flag (the issue's target is 1%).
FP_TARGET = 0.01
TEST_SEED_BASE = 900_000
#: L2 penalties of the span and article models.
SPAN_L2 = 1.0
ARTICLE_L2 = 0.1
GOLD_003 = S.DATA_DIR / "eval" / "seed_003_gold.tsv"


# -- data ---------------------------------------------------------------------------------------

def part_of(doc_id: str) -> str:
    """"A" (reference statistics and training) or "B" (evaluation only): a stable hash split."""
    h = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest()
    return "A" if int.from_bytes(h, "big") / 2 ** 64 < 0.5 else "B"


def reference_docs(root: str | os.PathLike[str] | None = None, part: str | None = None
                   ) -> Iterator[tuple[str, str]]:
    """(doc_id, text) of ECB+ and MEANTIME English, optionally only one part ("A"/"B").

    The text is the headline (when there is one) and the body, as an article would be read.
    """
    for d in datasets.ecbplus(root):
        if part is None or part_of(d.doc_id) == part:
            yield d.doc_id, (f"{d.title}\n\n{d.text}" if d.title else d.text)
    for m in datasets.meantime("en", root):
        if part is None or part_of(m.doc_id) == part:
            yield m.doc_id, (f"{m.title}\n\n{m.text}" if m.title else m.text)


def _thesaurus_split():
    return _import_build().thesaurus_split()


def _import_build():
    import importlib.util

    path = S.DATA_DIR / "build_spin_data.py"
    spec = importlib.util.spec_from_file_location("_spin_build", path)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _extra_lexicon(res: S.Resources) -> synthetic.Lexicon:
    """Spinner rewrites beyond WordNet: the tortured-phrase pairs and the number patterns."""
    pairs = []
    for spun, origs in res.lexicon.items():
        for original, source, _ in origs:
            if source == "tortured":
                pairs.append((original, spun))
    path = S.DATA_DIR / "patterns.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 4 and not line.startswith("#"):
            pairs.append((cols[1], cols[3]))
    return synthetic.Lexicon.from_pairs(pairs, name="tortured+patterns")


#: A "readable" spinner keeps only synonyms at least this common (Zipf), as commercial
#: spinners' curated thesauri do ("stated" for "said", "nation" for "country").
READABLE_ZIPF = 4.0
READABLE_SHARE = 0  # off: it lowered held-out recall and did not lift seed 003 (README)


def _readable(lexicon: synthetic.Lexicon, min_zipf: float) -> synthetic.Lexicon:
    from wordfreq import zipf_frequency

    entries = []
    for e in lexicon.iter_entries():
        reps = tuple(r for r in e.replacements if zipf_frequency(r, "en") >= min_zipf)
        if reps:
            entries.append(synthetic.LexEntry(e.source, e.lemma, e.pos, reps))
    return synthetic.Lexicon.from_entries(entries, f"{lexicon.name}:readable")


# -- logistic regression (IRLS with an L2 penalty) ----------------------------------------------

def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, l2: float = 1.0,
                 iters: int = 30) -> np.ndarray:
    """Weights of a logistic model (column 0 of ``x`` is the bias, not penalised)."""
    n, d = x.shape
    w = np.ones(n) if w is None else w
    beta = np.zeros(d)
    pen = np.full(d, l2)
    pen[0] = 1e-6
    for _ in range(iters):
        z = np.clip(x @ beta, -30, 30)
        p = 1 / (1 + np.exp(-z))
        g = x.T @ (w * (p - y)) + pen * beta
        h = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(pen)
        step = np.linalg.solve(h, g)
        beta -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return beta


# -- training -----------------------------------------------------------------------------------

@dataclass
class _Sample:
    spans: list  # list[S._Span]
    labels: list[int]
    n_content: int
    positive: bool


def _span_labels(spans, gold: list[tuple[int, int]]) -> list[int]:
    out = []
    for sp in spans:
        out.append(int(any(sp.start < e and s < sp.end for s, e in gold)))
    return out


def _samples(det: S.Detector, texts: list[tuple[str, str]], lexicons: list[synthetic.Lexicon],
             seed_base: int, rng: random.Random, learned_share: float = 0.5) -> list[_Sample]:
    """Originals and spun versions (one per lexicon) of ``texts``, with span labels."""
    spun_by_lex: list[list[synthetic.SpunText]] = [[] for _ in lexicons]
    for k, (doc_id, text) in enumerate(texts):
        for li, lex in enumerate(lexicons):
            rate = rng.uniform(0.08, 0.5)
            spun_by_lex[li].append(synthetic.spin(text, rate=rate, seed=seed_base + 7 * k + li,
                                                  lexicon=lex))
    # a learned table, as provenance would give: substitutions seen in the *other* documents
    learned_counts: list[Counter] = []
    for li in range(len(lexicons)):
        c: Counter = Counter()
        for st in spun_by_lex[li][::2]:  # confirmed pairs from every other document
            for s in st.substitutions:
                c[(s.original.lower(), s.replacement.lower())] += 1
        learned_counts.append(c)
    all_learned = sum(learned_counts, Counter())
    table = det._learned_table([(a, b, n) for (a, b), n in all_learned.items()])
    out = []
    full_bigrams = det.bigrams
    for k, (doc_id, text) in enumerate(texts):
        use = table if k % 2 == 1 and rng.random() < learned_share * 2 else None
        det.bigrams = _LeaveOneOut(full_bigrams, _own_counts(text))
        spans, n_content = det.score_spans(text, use)
        out.append(_Sample(spans, [0] * len(spans), n_content, False))
        for li in range(len(lexicons)):
            st = spun_by_lex[li][k]
            spans, n_content = det.score_spans(st.text, use)
            gold = [(s.start, s.end) for s in st.substitutions]
            out.append(_Sample(spans, _span_labels(spans, gold), n_content, True))
    det.bigrams = full_bigrams
    return out


def _own_counts(text: str) -> Counter:
    """The document's own contribution to the reference counts (as the build counted it)."""
    counts: Counter = Counter()
    for line in text.split("\n"):
        toks = S.tokens_lower(line)
        counts.update(toks)
        counts.update(f"{a} {b}" for a, b in zip(toks, toks[1:]))
    return counts


class _LeaveOneOut:
    """Reference counts less one document's own: training features as if it were unseen."""

    def __init__(self, base, own: Counter) -> None:
        self.base, self.own = base, own

    def get(self, key: str, default: int = 0) -> int:
        v = self.base.get(key, 0) - self.own.get(key, 0)
        return v if v > 0 else default


def _fit_models(det: S.Detector, samples: list[_Sample]) -> dict[str, Any]:
    n_rows = sum(len(s.spans) for s in samples)
    x = np.zeros((n_rows, len(S.SPAN_FEATURES)))
    ys = []
    r = 0
    for s in samples:
        for sp, y in zip(s.spans, s.labels):
            for i, v in sp.feats:
                x[r, i] += v
            ys.append(y)
            r += 1
    x *= det._mask
    y = np.array(ys, dtype=float)
    w_span = fit_logistic(x, y, l2=SPAN_L2)
    span_prior = float(y.mean())
    span_model = {"features": [f for f, _ in S.SPAN_FEATURES], "weights": w_span.tolist()}
    # re-score the spans with the fitted span model, then fit the article model
    probs_all = 1 / (1 + np.exp(-np.clip(x @ w_span, -30, 30)))
    k = 0
    ax, ay, aw = [], [], []
    n_pos = sum(s.positive for s in samples)
    n_neg = len(samples) - n_pos
    for s in samples:
        for sp in s.spans:
            sp.p = float(probs_all[k])
            k += 1
        ax.append(det.article_features(s.spans, s.n_content, span_prior))
        ay.append(1.0 if s.positive else 0.0)
        aw.append(1.0 if s.positive else n_pos / max(n_neg, 1))  # equal prior
    ax_, ay_ = np.array(ax), np.array(ay)
    w_art = fit_logistic(ax_, ay_, np.array(aw), l2=ARTICLE_L2)
    scores = 1 / (1 + np.exp(-np.clip(ax_ @ w_art, -30, 30)))
    threshold = _fp_threshold(scores[ay_ == 0].tolist())
    return {"span": span_model,
            "article": {"features": list(S.ARTICLE_FEATURES), "weights": w_art.tolist()},
            "span_prior": round(span_prior, 6),
            "threshold": threshold}


def _fp_threshold(negative_scores: list[float]) -> float:
    """The verdict threshold: at least 0.5, and high enough that at most ``FP_TARGET`` of the
    training originals (scored as unseen text, leave-one-out) would be flagged."""
    neg = sorted(negative_scores)
    if not neg:
        return 0.5
    k = int(math.floor(len(neg) * (1 - FP_TARGET)))
    # rounded up: rounded to the nearest, it could fall back to the k-th score and flag it too
    cut = float(neg[min(k, len(neg) - 1)]) + 1e-6
    return min(1.0, max(0.5, math.ceil(cut * 1e4) / 1e4))


def train(root: str | os.PathLike[str] | None = None, out: str | os.PathLike[str] | None = None,
          signals: frozenset[str] = frozenset(S.SIGNALS), limit: int | None = None,
          verbose: bool = True) -> dict[str, Any]:
    """Fit the span and article models on part A; write them to ``out`` if given."""
    t0 = time.perf_counter()
    base = S.load_resources()
    split = _thesaurus_split()
    sub = synthetic.split_lexicon(split.train, 0.5, seed=1)
    hidden = sub.held_out.pairs()
    res = base.without(hidden | {(b, a) for a, b in hidden})
    det = S.Detector(res.with_model(S.DEFAULT_MODEL), S.SpinConfig(signals=signals))
    texts = list(reference_docs(root, part="A"))
    if limit:
        texts = texts[:limit]
    seen = sub.train.merged(_extra_lexicon(base), name="seen")
    readable = (_readable(sub.train.merged(sub.held_out), min_zipf=READABLE_ZIPF)
                if READABLE_SHARE else None)
    rng = random.Random(1)
    lexicons = [seen, sub.held_out] + ([readable] if READABLE_SHARE else [])
    samples = _samples(det, texts, lexicons, TRAIN_SEED_BASE, rng)
    model = _fit_models(det, samples)
    # the shipped detector knows the whole lexicon, so originals score a little higher with
    # it: the threshold must also keep its false positives on the training originals at 1%
    full = S.Detector(base.with_model(model), S.SpinConfig(signals=signals))
    scores = []
    for doc_id, text in texts:
        full.bigrams = _LeaveOneOut(base.bigrams, _own_counts(text))
        scores.append(full.detect(text).score)
    model["threshold"] = max(model["threshold"], _fp_threshold(scores))
    model["trained_on"] = {
        "documents": len(texts), "part": "A",
        "positives": "synthetic spins at 8-50% substitution: one with lexicon pairs the "
                     "detector knows, one with pairs hidden from it",
        "negatives": "the real originals of part A, weighted to an equal prior",
        "signals": sorted(signals),
    }
    if verbose:
        print(f"trained on {len(texts)} documents ({len(samples)} texts) in "
              f"{time.perf_counter() - t0:.1f} s")
    if out is not None:
        Path(out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    return model


# -- evaluation ---------------------------------------------------------------------------------

def _gold_003() -> dict[str, set[str]]:
    gold: dict[str, set[str]] = {}
    if GOLD_003.exists():
        for line in GOLD_003.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                spun, original = line.split("\t")[:2]
                gold[spun.lower().replace("\u2019", "'")] = set(original.lower().split("|"))
    return gold


def _seed_texts(root) -> list[tuple[str, str]]:
    try:
        docs = datasets.seeds(root)
        return [(d.doc_id, f"{d.title}\n\n{d.text}") for d in docs]
    except datasets.DatasetMissing:
        folder = Path(__file__).resolve().parents[3] / "examples" / "seeds"
        out = []
        for path in sorted(folder.glob("*.txt")):
            out.append((path.stem, path.read_text(encoding="utf-8").strip()))
        return out


def seeds_result(det: S.Detector, root=None) -> dict[str, Any]:
    gold = _gold_003()
    out = {}
    for doc_id, text in _seed_texts(root):
        rep = det.detect(text)
        right = judged = 0
        for e in rep.evidence:
            key = e.phrase.lower().replace("\u2019", "'")
            if key in gold:
                judged += 1
                right += int((e.original or "").lower() in gold[key])
        out[doc_id[:3]] = {"score": round(rep.score, 4), "verdict": rep.verdict,
                           "evidence": len(rep.evidence), "in_gold": judged,
                           "right_original": right,
                           "items": [(e.phrase, e.original, round(e.confidence, 2))
                                     for e in rep.evidence]}
    return out


def _evaluate(det: S.Detector, docs: list[tuple[str, str]], lexicon: synthetic.Lexicon,
              rates=RATES, learned=None, spans: bool = True) -> dict[str, Any]:
    orig_reports = det.detect_many([t for _, t in docs], learned)
    orig_scores = [r.score for r in orig_reports]
    orig_flag = [r.verdict for r in orig_reports]
    parts = [part_of(d) for d, _ in docs]
    out: dict[str, Any] = {
        "n_originals": len(docs),
        "fp": int(sum(orig_flag)),
        "fp_rate": sum(orig_flag) / max(len(docs), 1),
        "fp_rate_A": _share([f for f, p in zip(orig_flag, parts) if p == "A"]),
        "fp_rate_B": _share([f for f, p in zip(orig_flag, parts) if p == "B"]),
        "fp_ids": [d for (d, _), f in zip(docs, orig_flag) if f],
        "per_rate": {},
    }
    for rate in rates:
        flags, scores, achieved = [], [], []
        tp_sp = fp_sp = fn_sp = right = matched = n_hit = 0
        flags_b = []
        for k, (doc_id, text) in enumerate(docs):
            st = synthetic.spin(text, rate=rate, seed=TEST_SEED_BASE + 31 * k + int(rate * 100),
                                lexicon=lexicon)
            rep = det.detect(st.text, learned)
            flags.append(rep.verdict)
            if parts[k] == "B":
                flags_b.append(rep.verdict)
            scores.append(rep.score)
            achieved.append(st.achieved_rate)
            if spans:
                gold = [(s.start, s.end, s.original.lower()) for s in st.substitutions]
                hit = set()
                for e in rep.evidence:
                    g = [i for i, (s, en, _) in enumerate(gold) if e.start < en and s < e.end]
                    if g:
                        tp_sp += 1
                        hit.update(g)
                        matched += 1
                        right += int((e.original or "").lower() in {gold[i][2] for i in g})
                    else:
                        fp_sp += 1
                fn_sp += len(gold) - len(hit)
                n_hit += len(hit)
        tp = sum(flags)
        fp = out["fp"]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / len(flags) if flags else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        labels = [1] * len(scores) + [0] * len(orig_scores)
        auc = metrics.roc_auc(scores + orig_scores, labels)
        row = {"achieved_rate": round(float(np.mean(achieved)), 3), "precision": round(p, 4),
               "recall": round(r, 4), "f1": round(f1, 4), "auc": round(auc, 4),
               "recall_B": round(_share(flags_b), 4)}
        if spans:
            n_gold = fn_sp + n_hit
            row["span_precision"] = round(tp_sp / (tp_sp + fp_sp), 4) if tp_sp + fp_sp else 0.0
            row["span_recall"] = round(n_hit / n_gold, 4) if n_gold else 0.0
            sp_p, sp_r = row["span_precision"], row["span_recall"]
            row["span_f1"] = round(2 * sp_p * sp_r / (sp_p + sp_r), 4) if sp_p + sp_r else 0.0
            row["original_accuracy"] = round(right / matched, 4) if matched else 0.0
        out["per_rate"][rate] = row
    return out


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def eval_resources(base: S.Resources | None = None) -> S.Resources:
    """The shipped resources less every held-out thesaurus pair (either direction)."""
    base = base if base is not None else S.load_resources()
    held = _thesaurus_split().held_out.pairs()
    return base.without(held | {(b, a) for a, b in held})


def _fmt_rate_table(per_rate: dict) -> list[str]:
    lines = ["rate  achieved  P      R      F1     AUC    | span P  span R  span F1  orig.acc"]
    for rate, r in per_rate.items():
        lines.append(f"{rate:4.2f}  {r['achieved_rate']:.3f}     {r['precision']:.3f}  "
                     f"{r['recall']:.3f}  {r['f1']:.3f}  {r['auc']:.3f}  | "
                     f"{r.get('span_precision', 0):.3f}   {r.get('span_recall', 0):.3f}   "
                     f"{r.get('span_f1', 0):.3f}    {r.get('original_accuracy', 0):.3f}")
    return lines


def run(data_root: str | os.PathLike[str] | None = None, quick: bool = False,
        ablation: bool = True, verbose: bool = True) -> dict[str, Any]:
    """Run the whole evaluation; print the figures and return them as a dict.

    ``quick`` uses every fifth document (and a smaller ablation): about a minute.
    """
    t0 = time.perf_counter()
    say = print if verbose else (lambda *a, **k: None)
    docs = list(reference_docs(data_root))
    if quick:
        docs = docs[::5]
    split = _thesaurus_split()
    base = S.load_resources()
    ev_res = eval_resources(base)
    det = S.Detector(ev_res)
    say(f"spin evaluation: {len(docs)} real originals (ECB+ and MEANTIME English), test spins "
        f"with the held-out half of the thesaurus ({len(split.held_out)} forms), seeds "
        f"{TEST_SEED_BASE}+; detector lexicon without those pairs; verdict threshold "
        f"{det.threshold:.3f} (the model's)")
    res = _evaluate(det, docs, split.held_out)
    res["threshold"] = det.threshold
    say("\n1. held-out synthetic spins (article level; negatives = all real originals)")
    for line in _fmt_rate_table(res["per_rate"]):
        say("   " + line)
    # 1b. restoration where the spinner's pairs are known (the train half: shipped lexicon)
    prod = S.Detector(base)
    seen = _evaluate(prod, docs, split.train, rates=(0.2,))
    res["seen_lexicon"] = seen["per_rate"]
    r = seen["per_rate"][0.2]
    say(f"\n1b. spins with the train half (pairs the shipped lexicon knows), 20%: F1 {r['f1']:.3f}, "
        f"span P {r['span_precision']:.3f} R {r['span_recall']:.3f}, likely original right "
        f"{r['original_accuracy']:.1%} of matched evidence")
    # 1c. a learned lexicon, as provenance would give it: substitutions confirmed on part A
    # spins (other seeds), applied to part B's held-out spins
    learned: Counter = Counter()
    for k, (doc_id, text) in enumerate(docs):
        if part_of(doc_id) == "A":
            st = synthetic.spin(text, rate=0.3, seed=TEST_SEED_BASE // 2 + k,
                                lexicon=split.held_out)
            for sub in st.substitutions:
                learned[(sub.original.lower(), sub.replacement.lower())] += 1
    docs_b = [d for d in docs if part_of(d[0]) == "B"]
    table = [(a, b, n) for (a, b), n in learned.items()]
    without = _evaluate(det, docs_b, split.held_out, rates=(0.2,))
    with_l = _evaluate(det, docs_b, split.held_out, rates=(0.2,), learned=table)
    res["learned"] = {"pairs": len(table), "without": without["per_rate"][0.2],
                      "with": with_l["per_rate"][0.2], "fp_without": without["fp_rate"],
                      "fp_with": with_l["fp_rate"]}
    a, b = without["per_rate"][0.2], with_l["per_rate"][0.2]
    say(f"1c. learned lexicon ({len(table)} pairs confirmed on part A spins) on part B held-out "
        f"spins at 20%: F1 {a['f1']:.3f} -> {b['f1']:.3f}, span R {a['span_recall']:.3f} -> "
        f"{b['span_recall']:.3f}, likely original right {a['original_accuracy']:.1%} -> "
        f"{b['original_accuracy']:.1%}; FP on part B {without['fp_rate']:.2%} -> "
        f"{with_l['fp_rate']:.2%}")
    prod_reports = prod.detect_many([t for _, t in docs])
    prod_flags = [r.verdict for r in prod_reports]
    res["fp_rate_shipped"] = _share(prod_flags)
    res["fp_shipped"] = int(sum(prod_flags))
    say(f"\n2. false positives on real originals: {res['fp']}/{res['n_originals']} = "
        f"{res['fp_rate']:.2%} (part A {res['fp_rate_A']:.2%}, part B never read before: "
        f"{res['fp_rate_B']:.2%}); shipped lexicon (held-out pairs included): "
        f"{res['fp_shipped']} = {res['fp_rate_shipped']:.2%}")
    if res["fp_ids"]:
        say(f"   flagged: {', '.join(res['fp_ids'][:20])}")
    seeds = seeds_result(prod, data_root)
    res["seeds"] = seeds
    say(f"\n3. seeds (shipped detector; verdict threshold {prod.threshold:.3f})")
    prod_scores = sorted(r.score for r in prod_reports)
    for k, v in seeds.items():
        v["originals_scoring_higher"] = sum(1 for x in prod_scores if x >= v["score"])
        say(f"   {k}: score {v['score']:.3f} verdict {'spun' if v['verdict'] else 'not spun'}; "
            f"{v['evidence']} pieces of evidence, {v['in_gold']} in the hand annotation, "
            f"{v['right_original']} with the right original; real originals scoring as high: "
            f"{v['originals_scoring_higher']}/{len(prod_scores)}")
    if ablation:
        res["ablation"] = run_ablation(data_root, docs[::3] if not quick else docs, split,
                                       base, say)
    res["seconds"] = round(time.perf_counter() - t0, 1)
    say(f"\n({res['seconds']} s)")
    return res


def run_ablation(data_root, docs, split, base, say=print) -> dict[str, Any]:
    """Each signal left out (models retrained without it), and each of the main ones alone."""
    say("\n4. ablation (models retrained per row; F1 at 20% / 30%, FP rate, AUC at 20%)")
    configs: list[tuple[str, frozenset[str]]] = [("all signals", frozenset(S.SIGNALS))]
    for sig in S.SIGNALS:
        if sig != "learned":
            configs.append((f"without {sig}", frozenset(S.SIGNALS) - {sig}))
    for sig in ("lexicon", "rarity", "context"):
        configs.append((f"{sig} only", frozenset({sig})))
    out = {}
    say("   configuration        F1@0.2  F1@0.3  FP rate  AUC@0.2  seed003 ev/right  seed000")
    for name, sigs in configs:
        model = train(data_root, signals=sigs, limit=250, verbose=False)
        res = eval_resources(base).with_model(model)
        det = S.Detector(res, S.SpinConfig(signals=sigs))
        r = _evaluate(det, docs, split.held_out, rates=(0.2, 0.3), spans=False)
        sd = seeds_result(S.Detector(base.with_model(model), S.SpinConfig(signals=sigs)),
                          data_root)
        row = {"f1_0.2": r["per_rate"][0.2]["f1"], "f1_0.3": r["per_rate"][0.3]["f1"],
               "fp_rate": round(r["fp_rate"], 4), "auc_0.2": r["per_rate"][0.2]["auc"],
               "seed003": (sd.get("003", {}).get("evidence"),
                           sd.get("003", {}).get("right_original"),
                           sd.get("003", {}).get("verdict")),
               "seed000": sd.get("000", {}).get("verdict")}
        out[name] = row
        s3 = row["seed003"]
        say(f"   {name:20s} {row['f1_0.2']:.3f}   {row['f1_0.3']:.3f}   {row['fp_rate']:.2%}   "
            f"{row['auc_0.2']:.3f}    {s3[0]}/{s3[1]} {'spun' if s3[2] else 'not'}"
            f"      {'spun' if row['seed000'] else 'not'}")
    return out
