"""``newstrace eval provenance``: source attribution, false copies, Clough & Stevenson, PAN 2025.

Every figure is computed on real data from the shared data folder (see
:mod:`newstrace.evaluation.datasets`); the spun articles of part 1 are SYNTHETIC (made by
:mod:`newstrace.evaluation.synthetic` with the held-out part of its thesaurus) and mixed back into
the full real ECB+ corpus.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ..align import Document
from ..models import Article
from ..neardup import NearDupConfig
from ..provenance import ProvenanceConfig, classify, compare, find_sources, Features
from ..align import align
from ..text import article_id, normalize
from . import datasets, metrics, synthetic

RATES = (0.1, 0.2, 0.3, 0.4, 0.5)


def _article(ident: str, title: str, body: str, published: str | None = None) -> Article:
    from ..models import MetaValue

    meta = [MetaValue("external_id", ident, "container")]
    if published:
        meta.append(MetaValue("published", published, "container"))
    return Article(article_id(normalize(title), normalize(body)), title, body, meta)


def synthetic_attribution(per_rate: int = 100, seed: int = 7, root: Any = None,
                          config: ProvenanceConfig = ProvenanceConfig(),
                          log: Callable[[str], None] = print) -> dict[str, Any]:
    """Part 1 (synthetic spun copies of ECB+ articles, mixed into the full real corpus) and
    part 2 (false copies among real same-topic ECB+ pairs) from one run."""
    docs = datasets.ecbplus(root)
    lexicon = synthetic.split_lexicon(synthetic.load_lexicon(), 0.3, seed=seed).held_out
    real = [_article(d.doc_id, d.title, d.text) for d in docs]
    by_doc = {d.doc_id: a for d, a in zip(docs, real)}
    rng = random.Random(seed)
    eligible = [d for d in docs if len(d.text.split()) >= 120]
    spun_of: dict[str, tuple[str, float]] = {}  # spun article id -> (original doc id, rate)
    spun: list[Article] = []
    for rate in RATES:
        for i, d in enumerate(rng.sample(eligible, per_rate)):
            s = synthetic.spin(d.text, rate, seed=seed * 1000 + i, lexicon=lexicon,
                               drop=0.1, reorder=0.1)
            art = _article(f"synthetic-spun-{rate}-{d.doc_id}", d.title, s.text)
            spun_of[art.id] = (d.doc_id, rate)
            spun.append(art)
    t0 = time.perf_counter()
    links = find_sources(real + spun, config)
    seconds = time.perf_counter() - t0
    ext = {a.id: a.first("external_id") for a in real + spun}
    # an original's verified verbatim reprints count as the same source text
    same_text: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.relation in ("verbatim", "near_copy") and link.copy not in spun_of \
                and link.source not in spun_of:
            same_text[ext[link.copy]].add(ext[link.source])
            same_text[ext[link.source]].add(ext[link.copy])
    per_rate_result = {}
    for rate in RATES:
        ids = [a for a, (_, r) in spun_of.items() if r == rate]
        found = correct = predicted = 0
        for sid in ids:
            orig = spun_of[sid][0]
            ok_sources = {orig} | same_text[orig]
            mine = [x for x in links if x.copy == sid]
            predicted += len(mine)
            good = [x for x in mine if ext[x.source] in ok_sources]
            correct += len(good)
            found += bool(good)
        per_rate_result[rate] = {
            "recall": found / len(ids), "precision": correct / predicted if predicted else 1.0,
            "spun": len(ids), "attributed": found, "links": predicted}
        log(f"  spun at {int(rate * 100)}%: recall {found / len(ids):.3f}, precision "
            f"{per_rate_result[rate]['precision']:.3f} ({found}/{len(ids)} attributed)")
    # part 2: false copies among real same-topic pairs
    topic = {d.doc_id: d.topic for d in docs}
    event = {d.doc_id: d.event_cluster for d in docs}
    n_pairs = sum(len(list(itertools.combinations(g, 2))) for g in _groups(topic).values())
    flagged = [x for x in links if x.copy not in spun_of and x.source not in spun_of
               and topic[ext[x.copy]] == topic[ext[x.source]]]
    cross = [x for x in links if x.copy not in spun_of and x.source not in spun_of
             and topic[ext[x.copy]] != topic[ext[x.source]]]
    log(f"  false copies: {len(flagged)} of {n_pairs} same-topic real pairs "
        f"({100 * len(flagged) / n_pairs:.2f}%), {len(cross)} across topics")
    listed = [{"source": ext[x.source], "copy": ext[x.copy], "relation": x.relation,
               "score": x.score, "same_event": event[ext[x.source]] == event[ext[x.copy]],
               **{k: v for k, v in x.features.to_dict().items()
                  if k in ("copy_coverage", "source_coverage", "identity", "aligned")}}
              for x in flagged]
    return {"per_rate": per_rate_result, "false_copies": {
        "pairs": n_pairs, "flagged": len(flagged), "share": len(flagged) / n_pairs,
        "across_topics": len(cross), "list": listed}, "seconds": seconds,
        "articles": len(real) + len(spun)}


def _groups(key: dict[str, Any]) -> dict[Any, list[str]]:
    out: dict[Any, list[str]] = defaultdict(list)
    for k, v in key.items():
        out[v].append(k)
    return out


def clough_stevenson(root: Any = None, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Part 3: each answer against its task's source: relation (4-way) and score (AUC)."""
    cs = datasets.clough_stevenson(root)
    gold, pred, scores, labels = [], [], [], []
    for ans in cs.answers:
        al = align(Document.parse(cs.source_for(ans)), Document.parse(ans.text))
        relation, score = classify(Features.of(al))
        kind = {"verbatim": "cut", "near_copy": "cut", "partial": "cut", "spun": "light",
                "paraphrase": "heavy", None: "non"}[relation]
        gold.append(ans.category)
        pred.append(kind)
        scores.append(score)
        labels.append(ans.category != "non")
    auc = metrics.roc_auc(scores, labels)
    cm = metrics.confusion_matrix(gold, pred, labels=["cut", "light", "heavy", "non"])
    log("  Clough & Stevenson confusion (rows gold, columns predicted):")
    for line in cm.render().splitlines():
        log("    " + line)
    log(f"  copy-vs-independent AUC {auc:.3f}")
    return {"auc": auc, "accuracy": cm.accuracy, "confusion": cm.render()}


def run(root: Any = None, per_rate: int = 100, log: Callable[[str], None] = print
        ) -> dict[str, Any]:
    """Every provenance figure; prints as it goes and returns them all."""
    log("newstrace eval provenance")
    log("1-2. synthetic spun ECB+ (SYNTHETIC copies mixed into the real corpus) and false copies")
    out = {"synthetic": synthetic_attribution(per_rate, root=root, log=log)}
    log("3. Clough & Stevenson")
    out["clough_stevenson"] = clough_stevenson(root, log=log)
    return out
