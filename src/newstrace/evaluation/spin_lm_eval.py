"""Training and evaluation of the optional language-model signal of spin detection.

:func:`train_lm` fits the layer of ``data/spin/model_lm.json`` (:mod:`newstrace.spin_lm`) on
part A, as :func:`newstrace.evaluation.spin_eval.train` fits the default models: synthetic
spins at 8-50% with a sub-split of the thesaurus' *train* half (one with pairs the detector
knows, one with pairs hidden from it), the real originals as negatives, and the default
features computed with leave-one-out reference counts. :func:`run` (``newstrace eval spin
--lm``) measures the default detector and the detector with the language model on the *same*
part B sample, with the held-out half of the thesaurus and the seeds of the main evaluation.

A pass of the model costs about a second per article on two CPU cores, so both work on a sample
(``docs``, every k-th document of the part); the figures say how many.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newstrace import spin as S
from newstrace import spin_lm
from newstrace.evaluation import metrics, synthetic
from newstrace.evaluation import spin_eval as E

__all__ = ["train_lm", "run"]

LM_SPAN_L2 = 1.0
LM_ARTICLE_L2 = 1.0
#: folds of documents the verdict threshold is cross-fitted over (:func:`crossfit_threshold`)
THRESHOLD_FOLDS = 5


def _sample(docs: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """Every k-th document, ``n`` of them (deterministic)."""
    if n <= 0 or n >= len(docs):
        return list(docs)
    step = len(docs) / n
    return [docs[int(i * step)] for i in range(n)]


@dataclass
class LayerData:
    """What the layer is fitted on: one row per span (bias, the default logit ``z``, the
    language model's features), its label, and per text its spans, content-word count, whether
    it is spun and its rows ``[a, b)``."""

    rows: list[list[float]]
    labels: list[int]
    texts: list[tuple[list, int, bool, int, int]]
    documents: int
    #: per text: the text and the model's first pass over it (for the restoration pass)
    passes: list[tuple[str, Any]] = field(default_factory=list)


def collect(n_docs: int, lm: Any, root: str | None = None, say=print) -> LayerData:
    """Spans of ``n_docs`` part A documents (0: all; original and two spins each) with their
    features."""
    t0 = time.perf_counter()
    base = S.load_resources()
    split = E._thesaurus_split()
    sub = synthetic.split_lexicon(split.train, 0.5, seed=1)
    hidden = sub.held_out.pairs()
    det = S.Detector(base.without(hidden | {(b, a) for a, b in hidden}))
    seen = sub.train.merged(E._extra_lexicon(base), name="seen")
    texts = _sample(list(E.reference_docs(root, part="A")), n_docs)
    rng = random.Random(7)
    data = LayerData([], [], [], len(texts))
    full_bigrams = det.bigrams
    for k, (doc_id, text) in enumerate(texts):
        det.bigrams = E._LeaveOneOut(full_bigrams, E._own_counts(text))
        variants: list[tuple[str, list[tuple[int, int]], bool]] = [(text, [], False)]
        for li, lex in enumerate((seen, sub.held_out)):
            st = synthetic.spin(text, rate=rng.uniform(0.08, 0.5),
                                seed=E.TRAIN_SEED_BASE + 50_000 + 7 * k + li, lexicon=lex)
            variants.append((st.text, [(s.start, s.end) for s in st.substitutions], True))
        for t, gold, positive in variants:
            spans, n_content = det.score_spans(t)
            first: list = []
            feats, ranked = spin_lm.span_features(lm, t, spans, scores_out=first,
                                                  lexicon=det.res.lexicon)
            for sp, r in zip(spans, ranked):
                S.rerank(sp, r)  # as the detector does, before choosing what to restore
            data.passes.append((t, first[0] if first else None))
            ys = E._span_labels(spans, gold)
            a = len(data.rows)
            for sp, f, y in zip(spans, feats, ys):
                z = float(np.log(max(sp.p, 1e-9) / max(1 - sp.p, 1e-9)))
                data.rows.append([1.0, max(-20.0, min(20.0, z))] + f)
                data.labels.append(y)
            data.texts.append((spans, n_content, positive, a, len(data.rows)))
        if (k + 1) % 10 == 0:
            say(f"  {k + 1}/{len(texts)} documents, {time.perf_counter() - t0:.0f} s", flush=True)
    det.bigrams = full_bigrams
    return data


def restoration_data(data: LayerData, lm: Any, w_span: Sequence[float]) -> list[list[float]]:
    """The second pass over every collected text, with the spans the layer ``w_span`` would
    restore: one row of :data:`newstrace.spin_lm.RESTORE_FEATURES` per span, aligned with
    ``data.rows``."""
    det = S.Detector()
    det.lm = lm
    w = np.array(w_span, dtype=float)
    rows: list[list[float]] = []
    for (spans, _n, _pos, a, b), (text, first) in zip(data.texts, data.passes):
        if b == a:
            continue
        p = 1 / (1 + np.exp(-np.clip(np.array(data.rows[a:b]) @ w, -30, 30)))
        for sp, v in zip(spans, p):
            sp.p = float(v)
        rows.extend(S.restoration_rows(det, text, spans, first))
    return rows


def _article_scores(data: LayerData, texts: Sequence[int], rows: np.ndarray, w: np.ndarray,
                    w_art: np.ndarray, prior: float, det: S.Detector
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Article features and scores of ``texts`` with span weights ``w`` over ``rows``."""
    ax = []
    for t in texts:
        spans, n_content, _positive, a, b = data.texts[t]
        p = 1 / (1 + np.exp(-np.clip(rows[a:b] @ w, -30, 30))) if b > a else []
        for sp, v in zip(spans, p):
            sp.p = float(v)
        ax.append(det.article_features(spans, n_content, prior))
    ax_ = np.array(ax).reshape(len(ax), -1)
    if w_art.size == 0 or not ax:
        return ax_, np.zeros(len(ax))
    return ax_, 1 / (1 + np.exp(-np.clip(ax_ @ w_art, -30, 30)))


def fit_layer(data: LayerData, texts: Sequence[int] | None = None,
              restore_rows: list[list[float]] | None = None, threshold_folds: int = 0
              ) -> dict[str, Any]:
    """The span layer and the article model fitted on ``data`` (or on some of its texts); with
    ``restore_rows`` (:func:`restoration_data`), the second stage over the restoration gain
    too, whose probabilities the article model then reads.

    The threshold keeps at most ``FP_TARGET`` of the originals flagged. Scored in-sample it is
    over-optimistic (the layer has seen those originals), so with ``threshold_folds`` > 1 it is
    cross-fitted: the layer is refitted on all folds of documents but one, scores that fold's
    originals, and the threshold is taken over all of them pooled."""
    det = S.Detector()
    chosen = list(range(len(data.texts))) if texts is None else list(texts)
    idx = [i for t in chosen for i in range(data.texts[t][3], data.texts[t][4])]
    x = np.array(data.rows)[idx]
    y = np.array(data.labels, dtype=float)[idx]
    w_span = E.fit_logistic(x, y, l2=LM_SPAN_L2)
    prior = float(y.mean())
    rows, w = np.array(data.rows), w_span
    w_restore = None
    if restore_rows is not None:
        rows = np.array(restore_rows)
        w_restore = w = E.fit_logistic(rows[idx], y, l2=LM_SPAN_L2)
    ax_, _ = _article_scores(data, chosen, rows, w, np.zeros(0), prior, det)
    ay_ = np.array([1.0 if data.texts[t][2] else 0.0 for t in chosen])
    n_pos = int(ay_.sum())
    n_neg = len(chosen) - n_pos
    aw = np.where(ay_ > 0, 1.0, n_pos / max(n_neg, 1))
    w_art = E.fit_logistic(ax_, ay_, aw, l2=LM_ARTICLE_L2)
    scores = 1 / (1 + np.exp(-np.clip(ax_ @ w_art, -30, 30)))
    model = {
        "span_lm": {"features": list(spin_lm.LM_FEATURES), "weights": w_span.tolist()},
        "article": {"features": list(S.ARTICLE_FEATURES), "weights": w_art.tolist()},
        "span_prior": round(prior, 6),
        "threshold": E._fp_threshold(scores[ay_ == 0].tolist()),
    }
    if w_restore is not None:
        model["span_restore"] = {"features": list(spin_lm.RESTORE_FEATURES),
                                 "weights": w_restore.tolist()}
    n_docs = sum(1 for t in chosen if not data.texts[t][2])
    if min(threshold_folds, n_docs) > 1:
        threshold_folds = min(threshold_folds, n_docs)
        model["threshold"] = crossfit_threshold(data, chosen, restore_rows, threshold_folds)
        model["threshold_folds"] = threshold_folds
    return model


def _document_folds(data: LayerData, texts: Sequence[int], folds: int) -> list[list[int]]:
    """``texts`` cut into ``folds`` folds by document: a document's original and its spins
    (consecutive texts, one original first) always fall in the same fold."""
    doc_of, d = {}, -1
    for t in range(len(data.texts)):
        if not data.texts[t][2]:
            d += 1
        doc_of[t] = d
    return [[t for t in texts if doc_of[t] % folds == k] for k in range(folds)]


def crossfit_threshold(data: LayerData, texts: Sequence[int],
                       restore_rows: list[list[float]] | None, folds: int) -> float:
    """The verdict threshold from out-of-fold scores of the originals (:func:`fit_layer`).
    The restoration rows were computed once with the first stage fitted on everything, which
    leaks a little into the second stage's inputs; the fits themselves are out of fold."""
    det = S.Detector()
    pooled: list[float] = []
    parts = [p for p in _document_folds(data, texts, folds) if p]
    for k, held in enumerate(parts):
        train = [t for j, p in enumerate(parts) if j != k for t in p]
        m = fit_layer(data, train, restore_rows)
        stage = m.get("span_restore", m["span_lm"])
        rows = np.array(restore_rows if restore_rows is not None else data.rows)
        negatives = [t for t in held if not data.texts[t][2]]
        _, s = _article_scores(data, negatives, rows, np.array(stage["weights"]),
                               np.array(m["article"]["weights"]), m["span_prior"], det)
        pooled.extend(s.tolist())
    return E._fp_threshold(pooled)


def train_lm(n_docs: int = 0, out: str | Path | None = spin_lm.MODEL_FILE, lm: Any = None,
             root: str | None = None, verbose: bool = True, restore: bool = False,
             threshold_folds: int = THRESHOLD_FOLDS) -> dict[str, Any]:
    """Fit the language-model layer on ``n_docs`` part A documents (0: all of them, as shipped);
    write it to ``out``. ``restore``: the second stage over a second pass with the likely
    originals restored (:func:`newstrace.spin_lm.restoration_gains`) as well.
    ``threshold_folds``: the threshold is cross-fitted over that many folds of documents (0 or
    1: scored in-sample)."""
    t0 = time.perf_counter()
    say = print if verbose else (lambda *a, **k: None)
    lm = lm if lm is not None else spin_lm.default_model()
    data = collect(n_docs, lm, root, say)
    model = fit_layer(data, threshold_folds=threshold_folds)
    if restore:
        say("  the restoration pass over the collected texts", flush=True)
        rows = restoration_data(data, lm, model["span_lm"]["weights"])
        model = fit_layer(data, restore_rows=rows, threshold_folds=threshold_folds)
    model["trained_on"] = {
        "documents": data.documents, "part": "A", "backend": lm.backend,
        "positives": "synthetic spins at 8-50% substitution: one with lexicon pairs the "
                     "detector knows, one with pairs hidden from it",
        "negatives": "the real originals of those documents, equal prior",
        "threshold": (f"at most {E.FP_TARGET:.0%} of the originals flagged, scored out of fold "
                      f"({model['threshold_folds']} folds of documents)"
                      if "threshold_folds" in model else
                      f"at most {E.FP_TARGET:.0%} of the originals flagged, scored in-sample")}
    say(f"trained the language-model layer on {data.documents} part A documents "
        f"({len(data.texts)} texts, {len(data.rows)} spans) in {time.perf_counter() - t0:.0f} s; "
        f"threshold {model['threshold']}")
    if out is not None:
        Path(out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    return model


def _prf(flags: list[bool], neg_flags: list[bool]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the spins' verdicts against the originals'."""
    tp, fp = sum(flags), sum(neg_flags)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / len(flags) if flags else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _rate_row(flags: list[bool], scores: list[float], neg_flags: list[bool],
              neg_scores: list[float]) -> dict[str, float]:
    p, r, f1 = _prf(flags, neg_flags)
    auc = metrics.roc_auc(scores + neg_scores, [1] * len(scores) + [0] * len(neg_scores))
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
            "auc": round(auc, 4)}


def _running(neg: dict[str, list], pos: dict[str, dict[float, list]], rates) -> str:
    """The figures so far, so that a long run's log says where it is heading."""
    out = []
    for name in neg:
        nf = [r.verdict for r in neg[name]]
        f1 = " ".join(f"{_prf([r.verdict for r in pos[name][rate]], nf)[2]:.3f}"
                      for rate in rates)
        out.append(f"{name}: F1 {f1}, {sum(nf)} false positives")
    return "; so far " + "; ".join(out)


#: the rate whose spins are judged with the shipped lexicon as well (likely originals)
KNOWN_RATE = 0.3


def _count_originals(rep: S.SpinReport, st: synthetic.SpunText, tally: list[int]) -> None:
    """Add to ``tally`` ([right, matched]) the evidence of ``rep`` on a substitution of ``st``
    and how much of it names the substitution's original (as ``spin_eval`` counts it)."""
    gold = [(x.start, x.end, x.original.lower()) for x in st.substitutions]
    for e in rep.evidence:
        hits = {o for a, b, o in gold if e.start < b and a < e.end}
        if hits:
            tally[1] += 1
            tally[0] += int((e.original or "").lower() in hits)


def run(n_docs: int | None = 150, rates=E.RATES, root: str | None = None, lm: Any = None,
        verbose: bool = True, layer_path: str | Path | None = None) -> dict[str, Any]:
    """Default detector against the detector with the language model on the same texts:
    held-out spins per rate, false positives on the originals, the seeds, and how often the
    likely original of the evidence on a substitution is right (held-out pairs, and the
    :data:`KNOWN_RATE` spins judged with the shipped lexicon, which has their pairs). ``n_docs``: a sample
    of part B (every k-th), never read in training; None: all originals of both parts (the
    issue's measure), with the figures of part B alone next to them. ``layer_path``: a layer
    to measure instead of the shipped ``model_lm.json`` (as :func:`train_lm` writes one)."""
    t0 = time.perf_counter()
    say = print if verbose else (lambda *a, **k: None)
    if layer_path is not None and not Path(layer_path).is_file():
        raise SystemExit(f"{layer_path}: no such language-model layer file")
    layer = spin_lm.load_model(layer_path)
    if layer is None:
        raise SystemExit(f"{layer_path}: not a language-model layer of this version (its "
                         "span features differ)" if layer_path is not None else
                         "no trained language-model layer (data/spin/model_lm.json): "
                         "run python src/newstrace/data/spin/build_spin_data.py --lm-model")
    lm = lm if lm is not None else spin_lm.default_model()
    base = S.load_resources()
    split = E._thesaurus_split()
    res = E.eval_resources(base)
    plain = S.Detector(res)
    with_lm = S.Detector(res)
    with_lm.use_language_model(lm, layer)
    if n_docs is None:
        docs = list(E.reference_docs(root))
        which = f"all {len(docs)} originals"
    else:
        docs = _sample([d for d in E.reference_docs(root) if E.part_of(d[0]) == "B"], n_docs)
        which = f"{len(docs)} part B originals (every k-th)"
    parts = [E.part_of(d[0]) for d in docs]
    say(f"spin evaluation with the language model ({lm.backend}): {which}, held-out spins at "
        f"{', '.join(f'{r:.0%}' for r in rates)}; thresholds: default {plain.threshold:.3f}, "
        f"with the model {with_lm.threshold:.3f}"
        + (f"; layer {layer_path}" if layer_path is not None else "")
        + ("; with the restoration stage" if "span_restore" in layer else ""))
    out: dict[str, Any] = {"n_originals": len(docs), "backend": lm.backend, "per_rate": {},
                           "per_rate_part_b": {}, "layer": str(layer_path or "shipped"),
                           "restoration_stage": "span_restore" in layer,
                           "threshold_default": plain.threshold, "threshold_lm": with_lm.threshold}
    neg = {"default": [], "lm": []}
    pos = {name: {r: [] for r in rates} for name in neg}
    # likely originals right, [right, matched] per rate and detector; "known": spins at
    # KNOWN_RATE whose pairs the (shipped) lexicon has, against the held-out ones it lacks
    right = {name: {r: [0, 0] for r in (*rates, "known")} for name in neg}
    known = {"default": S.Detector(base), "lm": S.Detector(base)}
    known["lm"].use_language_model(lm, layer)
    for k, (doc_id, text) in enumerate(docs):
        for name, det in (("default", plain), ("lm", with_lm)):
            neg[name].append(det.detect(text))
        for rate in rates:
            st = synthetic.spin(text, rate=rate, seed=E.TEST_SEED_BASE + 31 * k + int(rate * 100),
                                lexicon=split.held_out)
            for name, det in (("default", plain), ("lm", with_lm)):
                rep = det.detect(st.text)
                pos[name][rate].append(rep)
                _count_originals(rep, st, right[name][rate])
            if rate == KNOWN_RATE:
                for name, det in known.items():
                    _count_originals(det.detect(st.text), st, right[name]["known"])
        if verbose and (k + 1) % 10 == 0:
            say(f"  {k + 1}/{len(docs)} documents, {time.perf_counter() - t0:.0f} s"
                + (_running(neg, pos, rates) if (k + 1) % 50 == 0 else ""), flush=True)
    in_b = [p == "B" for p in parts]
    for name in neg:
        nf = [r.verdict for r in neg[name]]
        ns = [r.score for r in neg[name]]
        out[f"fp_{name}"] = sum(nf)
        out[f"fp_{name}_part_b"] = sum(f for f, b in zip(nf, in_b) if b)
        for rate in rates:
            pr = pos[name][rate]
            row = _rate_row([r.verdict for r in pr], [r.score for r in pr], nf, ns)
            out["per_rate"].setdefault(rate, {})[name] = row
            if n_docs is None:
                sel = [r for r, b in zip(pr, in_b) if b]
                negb = [r for r, b in zip(neg[name], in_b) if b]
                row = _rate_row([r.verdict for r in sel], [r.score for r in sel],
                                [r.verdict for r in negb], [r.score for r in negb])
                out["per_rate_part_b"].setdefault(rate, {})[name] = row
    tables = [("", out["per_rate"])]
    if n_docs is None:
        tables.append((f" (part B alone: {sum(in_b)} originals)", out["per_rate_part_b"]))
    for title, table in tables:
        say(f"\n   rate  | default P / R / F1 / AUC       | with the language model{title}")
        for rate in rates:
            a, b = table[rate]["default"], table[rate]["lm"]
            say(f"   {rate:.0%}   | {a['precision']:.3f} {a['recall']:.3f} {a['f1']:.3f} "
                f"{a['auc']:.3f}   | {b['precision']:.3f} {b['recall']:.3f} {b['f1']:.3f} "
                f"{b['auc']:.3f}")
    shown = (*rates, "known") if KNOWN_RATE in rates else tuple(rates)
    out["original_accuracy"] = {
        str(r): {name: round(right[name][r][0] / max(right[name][r][1], 1), 4) for name in neg}
        for r in shown}
    say("   likely original right, share of the evidence on substitutions (held-out pairs, "
        "which the lexicon lacks): "
        + "; ".join(f"{r:.0%} {right['default'][r][0] / max(right['default'][r][1], 1):.3f} -> "
                    f"{right['lm'][r][0] / max(right['lm'][r][1], 1):.3f}" for r in rates)
        + (f"; the same {KNOWN_RATE:.0%} spins with the shipped lexicon, which has their "
           f"pairs: {right['default']['known'][0] / max(right['default']['known'][1], 1):.3f} "
           f"-> {right['lm']['known'][0] / max(right['lm']['known'][1], 1):.3f}"
           if KNOWN_RATE in rates else ""))
    n = len(docs)
    say(f"   false positives on the {n} originals: default {out['fp_default']} "
        f"({out['fp_default'] / n:.2%}), with the model {out['fp_lm']} ({out['fp_lm'] / n:.2%})"
        + (f"; part B alone ({sum(in_b)}): default {out['fp_default_part_b']}, with the model "
           f"{out['fp_lm_part_b']}" if n_docs is None else ""))
    prod = S.Detector(base)
    prod.use_language_model(lm, layer)
    seeds = E.seeds_result(prod, root)
    out["seeds"] = seeds
    for k, v in seeds.items():
        say(f"   seed {k} (shipped lexicon, with the model): score {v['score']:.3f} "
            f"{'spun' if v['verdict'] else 'not spun'}; {v['evidence']} pieces of evidence, "
            f"{v['in_gold']} in the hand annotation, {v['right_original']} with the right original")
    out["seconds"] = round(time.perf_counter() - t0, 1)
    say(f"({out['seconds']} s)")
    return out
