"""Evaluation metrics, dependency-free, with the conventions each community reports.

* :func:`prf` — precision, recall and F1 of predicted items (pairs, spans, ids) against gold.
* :func:`roc_auc` — rank-based (Mann-Whitney) area under the ROC curve, ties counted half.
* :func:`b_cubed`, :func:`pairwise` — clustering scores (event coreference reports B³;
  duplicate detection often pairwise), clusterings given as ``{item: cluster id}``.
* :func:`plagdet` — the PAN text-alignment measures (Potthast et al., COLING 2010): macro
  character-level precision and recall, granularity, and plagdet = F1 / log2(1 + granularity),
  over cases and detections ``(suspicious_doc, s_start, s_end, source_doc, src_start, src_end)``
  with end offsets exclusive.
* :func:`confusion_matrix` — counts per (gold, predicted) label, rendered as a text table.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Hashable, Iterable, Mapping, Sequence

__all__ = ["PRF", "prf", "roc_auc", "b_cubed", "pairwise", "Span", "PlagDet", "plagdet",
           "ConfusionMatrix", "confusion_matrix"]


@dataclass(frozen=True)
class PRF:
    """Precision, recall, F1 and the counts behind them."""

    precision: float
    recall: float
    f1: float
    tp: float = 0
    fp: float = 0
    fn: float = 0

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def prf(predicted: Iterable[Hashable], gold: Iterable[Hashable]) -> PRF:
    """Set-based scores. Nothing predicted has precision 1 only when there was nothing to find;
    nothing to find has recall 1 (so both empty scores 1, a clean no-op)."""
    pred, ref = set(predicted), set(gold)
    tp = len(pred & ref)
    fp, fn = len(pred) - tp, len(ref) - tp
    p = tp / len(pred) if pred else (1.0 if not ref else 0.0)
    r = tp / len(ref) if ref else 1.0
    return PRF(p, r, _f1(p, r), tp, fp, fn)


def roc_auc(scores: Sequence[float], labels: Sequence[bool | int]) -> float:
    """Probability that a random positive outscores a random negative (ties count 1/2).

    Computed from average ranks (Mann-Whitney U), O(n log n). Raises ValueError when the
    labels hold only one class, where AUC is undefined.
    """
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    n_pos = sum(1 for y in labels if y)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("roc_auc needs both positive and negative labels")
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1  # ranks are 1-based; tied scores share their average rank
        for k in range(i, j + 1):
            ranks[order[k]] = avg
        i = j + 1
    rank_sum = sum(r for r, y in zip(ranks, labels) if y)
    u = rank_sum - n_pos * (n_pos + 1) / 2
    return u / (n_pos * n_neg)


# -- clusterings ------------------------------------------------------------------------------

def _clusters(assign: Mapping[Hashable, Hashable], items: Iterable[Hashable]) -> dict:
    """Members of each item's cluster; items without a cluster are singletons."""
    groups: dict[Hashable, set] = defaultdict(set)
    for item in items:
        groups[("c", assign[item]) if item in assign else ("s", item)].add(item)
    out = {}
    for members in groups.values():
        for item in members:
            out[item] = members
    return out


def b_cubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PRF:
    """B³ (Bagga & Baldwin 1998): per-item precision and recall of its cluster, averaged.

    Scored over the gold items; a gold item missing from ``predicted`` counts as a
    singleton, predicted items not in gold are ignored.
    """
    items = list(gold)
    if not items:
        return PRF(1.0, 1.0, 1.0)
    g, p = _clusters(gold, items), _clusters(predicted, items)
    prec = rec = 0.0
    for item in items:
        common = len(g[item] & p[item])
        prec += common / len(p[item])
        rec += common / len(g[item])
    prec, rec = prec / len(items), rec / len(items)
    return PRF(prec, rec, _f1(prec, rec))


def _same_cluster_pairs(assign: Mapping[Hashable, Hashable], items: Iterable[Hashable]) -> set:
    groups: dict[Hashable, list] = defaultdict(list)
    for item in items:
        if item in assign:
            groups[assign[item]].append(item)
    pairs = set()
    for members in groups.values():
        for a, b in combinations(sorted(members, key=repr), 2):
            pairs.add((a, b))
    return pairs


def pairwise(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PRF:
    """Precision/recall/F1 of the item pairs put in one cluster (over gold items)."""
    items = list(gold)
    return prf(_same_cluster_pairs(predicted, items), _same_cluster_pairs(gold, items))


# -- PAN PlagDet ------------------------------------------------------------------------------

Span = tuple[str, int, int, str, int, int]


@dataclass(frozen=True)
class PlagDet:
    """The PAN text-alignment scores (macro averaged, character level)."""

    precision: float
    recall: float
    granularity: float
    f1: float
    plagdet: float
    n_cases: int
    n_detections: int
    n_detected_cases: int

    def __str__(self) -> str:
        return (f"PlagDet={self.plagdet:.3f} P={self.precision:.3f} R={self.recall:.3f} "
                f"gran={self.granularity:.3f}")


def _check(span: Sequence) -> Span:
    if len(span) != 6:
        raise ValueError(f"a span has 6 fields, got {span!r}")
    s_doc, s0, s1, r_doc, r0, r1 = span
    if s1 < s0 or r1 < r0:
        raise ValueError(f"span ends before it starts: {span!r}")
    return (s_doc, int(s0), int(s1), r_doc, int(r0), int(r1))


def _overlaps(a: Span, b: Span) -> bool:
    """PAN's ``is_overlapping``: same document pair, overlapping on both sides."""
    return (a[0] == b[0] and a[3] == b[3] and b[1] < a[2] and a[1] < b[2]
            and b[4] < a[5] and a[4] < b[5])


def _covered(lo: int, hi: int, intervals: list[tuple[int, int]]) -> int:
    """Characters of [lo, hi) covered by the union of ``intervals``."""
    clipped = sorted((max(lo, a), min(hi, b)) for a, b in intervals if a < hi and b > lo)
    total, cur_a, cur_b = 0, None, None
    for a, b in clipped:
        if cur_b is None or a > cur_b:
            if cur_b is not None:
                total += cur_b - cur_a
            cur_a, cur_b = a, b
        else:
            cur_b = max(cur_b, b)
    if cur_b is not None:
        total += cur_b - cur_a
    return total


def _macro_recall(cases: list[Span], detections: list[Span]) -> tuple[float, list[int]]:
    """Mean over cases of the share of the case's characters (suspicious plus source side)
    covered by the detections that detect it; also how many detections detect each case."""
    by_pair: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for d in detections:
        by_pair[(d[0], d[3])].append(d)
    total, per_case = 0.0, []
    for c in cases:
        dets = [d for d in by_pair.get((c[0], c[3]), []) if _overlaps(c, d)]
        per_case.append(len(dets))
        length = (c[2] - c[1]) + (c[5] - c[4])
        if dets and length:
            got = (_covered(c[1], c[2], [(d[1], d[2]) for d in dets])
                   + _covered(c[4], c[5], [(d[4], d[5]) for d in dets]))
            total += got / length
    return total / len(cases), per_case


def plagdet(cases: Iterable[Sequence], detections: Iterable[Sequence]) -> PlagDet:
    """PAN PlagDet of ``detections`` against gold ``cases`` (Potthast et al. 2010).

    Follows the reference implementation (``pan09-plagiarism-detection-performance-measures``):
    a detection detects a case when both name the same suspicious and source documents and
    overlap on both sides; recall is macro-averaged over cases, precision over detections
    (the same computation with the roles swapped); granularity is the mean number of
    detections per detected case. Both lists empty score 1; one of them empty scores 0.
    """
    cs = [_check(c) for c in cases]
    ds = [_check(d) for d in detections]
    if not cs and not ds:
        return PlagDet(1.0, 1.0, 1.0, 1.0, 1.0, 0, 0, 0)
    if not cs or not ds:
        return PlagDet(0.0, 0.0, 1.0, 0.0, 0.0, len(cs), len(ds), 0)
    rec, per_case = _macro_recall(cs, ds)
    prec, _ = _macro_recall(ds, cs)
    detected = [n for n in per_case if n > 0]
    gran = sum(detected) / len(detected) if detected else 1.0
    f1 = _f1(prec, rec)
    score = f1 / math.log2(1 + gran) if f1 > 0 else 0.0
    return PlagDet(prec, rec, gran, f1, score, len(cs), len(ds), len(detected))


# -- confusion matrix -------------------------------------------------------------------------

@dataclass(frozen=True)
class ConfusionMatrix:
    """Counts of (gold, predicted) label pairs; rows are gold labels."""

    labels: tuple[Hashable, ...]
    counts: Mapping[tuple[Hashable, Hashable], int]

    def __getitem__(self, key: tuple[Hashable, Hashable]) -> int:
        return self.counts.get(key, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def accuracy(self) -> float:
        return sum(self[(a, a)] for a in self.labels) / self.total if self.total else 0.0

    def per_label(self) -> dict[Hashable, PRF]:
        """One-vs-rest precision, recall and F1 for each label."""
        out = {}
        for lab in self.labels:
            tp = self[(lab, lab)]
            pred = sum(self[(g, lab)] for g in self.labels)
            gold = sum(self[(lab, p)] for p in self.labels)
            p = tp / pred if pred else 0.0
            r = tp / gold if gold else 0.0
            out[lab] = PRF(p, r, _f1(p, r), tp, pred - tp, gold - tp)
        return out

    def render(self) -> str:
        """A small fixed-width table: gold labels down, predicted across, with totals."""
        names = [str(lab) for lab in self.labels]
        head = "gold \\ pred"
        w = max([len(head), *(len(n) for n in names), len(str(self.total)), 5])
        lines = [" ".join([head.ljust(w), *(n.rjust(w) for n in names), "total".rjust(w)])]
        for g, gname in zip(self.labels, names):
            row = [self[(g, p)] for p in self.labels]
            lines.append(" ".join([gname.ljust(w), *(str(v).rjust(w) for v in row),
                                   str(sum(row)).rjust(w)]))
        col = [sum(self[(g, p)] for g in self.labels) for p in self.labels]
        lines.append(" ".join(["total".ljust(w), *(str(v).rjust(w) for v in col),
                               str(self.total).rjust(w)]))
        lines.append(f"accuracy {self.accuracy:.3f}")
        return "\n".join(lines)


def confusion_matrix(gold: Sequence[Hashable], predicted: Sequence[Hashable],
                     labels: Sequence[Hashable] | None = None) -> ConfusionMatrix:
    """Count (gold, predicted) pairs; ``labels`` fixes the order (default: first seen)."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    counts = Counter(zip(gold, predicted))
    if labels is None:
        seen: dict[Hashable, None] = {}
        for g, p in zip(gold, predicted):
            seen.setdefault(g, None)
            seen.setdefault(p, None)
        labels = list(seen)
    return ConfusionMatrix(labels=tuple(labels), counts=dict(counts))
