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
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..align import Document, align, align_paragraphs
from ..fingerprints import shingle_set, similarity
from ..graph import components
from ..models import Article
from ..provenance import Features, ProvenanceConfig, classify, compare, find_sources
from ..text import article_id, normalize
from . import datasets, metrics, synthetic

RATES = (0.1, 0.2, 0.3, 0.4, 0.5)
#: pairs of ECB+ articles labelled by reading as reuse or independent (see RULES.md beside it)
REUSE_LABELS = Path(__file__).resolve().parents[3] / "eval" / "provenance" / "ecbplus_reuse.tsv"


def load_reuse_labels(path: Path = REUSE_LABELS) -> dict[frozenset[str], str]:
    """``{frozenset({doc_a, doc_b}): label}`` from the labelled pairs file; empty when the file
    is absent (an installed wheel has no ``eval/`` folder)."""
    labels: dict[frozenset[str], str] = {}
    if not path.is_file():
        return labels
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3 or cols[2] not in ("reuse", "independent", "unsure"):
            raise ValueError(f"{path}:{n}: expected doc_a, doc_b, reuse|independent|unsure")
        labels[frozenset(cols[:2])] = cols[2]
    return labels


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
    # each original is spun once (copies of one original at two rates would be copies of
    # each other too, and blur what "the source" is)
    chosen = rng.sample(eligible, min(len(eligible), per_rate * len(RATES)))
    for k, rate in enumerate(RATES):
        for i, d in enumerate(chosen[k * per_rate:(k + 1) * per_rate]):
            s = synthetic.spin(d.text, rate, seed=seed * 1000 + k * per_rate + i,
                               lexicon=lexicon, drop=0.1, reorder=0.1)
            art = _article(f"synthetic-spun-{rate}-{d.doc_id}", d.title, s.text)
            spun_of[art.id] = (d.doc_id, rate)
            spun.append(art)
    t0 = time.perf_counter()
    links = find_sources(real + spun, config)
    seconds = time.perf_counter() - t0
    ext = {a.id: a.first("external_id") for a in real + spun}
    # an original's verified verbatim or near-verbatim reprints (transitively) count as the
    # same source text: the spun copy of one of them may name any
    groups = components((ext[x.copy], ext[x.source]) for x in links
                        if x.relation in ("verbatim", "near_copy")
                        and x.copy not in spun_of and x.source not in spun_of)
    same_text: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        for x in group:
            same_text[x] = set(group)
    # and the passages an original itself reuses (or lends) are in its spun copy too: a
    # link from the copy to such a real neighbour is right, not a wrong source
    for x in links:
        if x.copy not in spun_of and x.source not in spun_of:
            same_text[ext[x.copy]].add(ext[x.source])
            same_text[ext[x.source]].add(ext[x.copy])
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
    log(f"  called a copy: {len(flagged)} of {n_pairs} same-topic real pairs "
        f"({100 * len(flagged) / n_pairs:.2f}%), {len(cross)} across topics")
    labels = load_reuse_labels()
    texts = {a.id: a.norm_body for a in real}
    listed = [{"source": ext[x.source], "copy": ext[x.copy], "relation": x.relation,
               "shared_5grams": round(similarity(shingle_set(texts[x.copy]),
                                                 shingle_set(texts[x.source]))[1], 3),
               "score": x.score, "same_event": event[ext[x.source]] == event[ext[x.copy]],
               "label": labels.get(frozenset((ext[x.source], ext[x.copy])), "unlabelled"),
               **{k: v for k, v in x.features.to_dict().items()
                  if k in ("copy_coverage", "source_coverage", "identity", "aligned")}}
              for x in flagged]
    listed.sort(key=lambda x: (x["shared_5grams"], x["source"], x["copy"]))
    by_label = Counter(x["label"] for x in listed)
    # a flagged pair nobody has read counts against newstrace until it is labelled
    false = [x for x in listed if x["label"] in ("independent", "unlabelled")]
    log(f"    read and labelled (eval/provenance/ecbplus_reuse.tsv, {len(labels)} pairs): "
        f"{by_label['reuse']} real reuse, {by_label['independent']} independent, "
        f"{by_label['unsure']} unsure, {by_label['unlabelled']} not yet labelled")
    log(f"  false copies (flagged, labelled independent or not yet labelled): {len(false)} of "
        f"{n_pairs} same-topic pairs ({100 * len(false) / n_pairs:.2f}%)")
    log("    every flagged pair, with its label and the share of the shorter text's word "
        "5-grams found in the other (independent reports share 0-5%):")
    for x in listed:
        log(f"      {x['source']} -> {x['copy']}: {x['relation']} {x['score']:.2f}, "
            f"5-grams shared {x['shared_5grams']:.0%}, same event {x['same_event']}, "
            f"label {x['label']}")
    # reuse recall on the labelled pairs: linked directly, or through a chain of links
    real_groups = components((ext[x.copy], ext[x.source]) for x in links
                             if x.copy not in spun_of and x.source not in spun_of)
    group_of = {d: i for i, g in enumerate(real_groups) for d in g}
    gold_reuse = [tuple(sorted(k)) for k, v in sorted(labels.items(), key=lambda kv: sorted(kv[0]))
                  if v == "reuse"]
    found = [p for p in gold_reuse if p[0] in group_of and group_of[p[0]] == group_of.get(p[1])]
    if gold_reuse:
        log(f"  labelled real reuse connected by newstrace (directly or through copies): "
            f"{len(found)} of {len(gold_reuse)} ({len(found) / len(gold_reuse):.3f})")
    return {"per_rate": per_rate_result, "false_copies": {
        "pairs": n_pairs, "flagged": len(flagged), "flagged_share": len(flagged) / n_pairs,
        "false": len(false), "share": len(false) / n_pairs, "labels": dict(by_label),
        "across_topics": len(cross), "list": listed,
        "reuse_recall": len(found) / len(gold_reuse) if gold_reuse else None,
        "reuse_labelled": len(gold_reuse)}, "seconds": seconds,
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


def pan25(root: Any = None, min_score: float = 0.35,
          log: Callable[[str], None] = print) -> dict[str, Any]:
    """Part 4: paragraph-level source attribution of LLM rewrites (PAN 2025 sample): every
    suspicious paragraph paired with the source paragraphs it paraphrases; PlagDet."""
    pan = datasets.pan25_sample(root)
    detections = []
    for pair in pan.pairs:
        for m in align_paragraphs(pair.source.text, pair.suspicious.text, min_score):
            detections.append((pair.suspicious.doc_id, *m.copy_span, pair.source.doc_id,
                               *m.source_span))
    result = metrics.plagdet([c.span() for c in pan.cases], detections)
    log(f"  PAN 2025 sample: {result}  ({len(pan.cases)} cases, {len(detections)} detections; "
        f"paragraph threshold {min_score})")
    return {"plagdet": result.plagdet, "precision": result.precision, "recall": result.recall,
            "granularity": result.granularity, "cases": len(pan.cases),
            "detections": len(detections)}


def seeds(root: Any = None, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Part 5: the seeds through ``newstrace analyze``, read back from its ``report.json``: no
    reuse between the two (they are independent reports), and each one's provenance as the
    report states it (003: spun, no source in the corpus, a New York Times credit)."""
    import json
    import tempfile

    from .. import cli

    docs = datasets.seeds(root)
    arts = [_article(d.doc_id, d.title, d.text) for d in docs]
    links = [x for x in (compare(arts[0], arts[1]), compare(arts[1], arts[0])) if x]
    al = align(Document.parse(arts[0].body), Document.parse(arts[1].body))
    log(f"  seeds: {len(links)} reuse links between {docs[0].doc_id} and {docs[1].doc_id} "
        f"({len(al.pairs)} aligned sentences, {len(al.quote_pairs())} of them shared quotes)")
    with tempfile.TemporaryDirectory(prefix="newstrace-seeds-") as tmp:
        code = cli.main(["analyze", *(str(d.path) for d in docs), "--db", f"{tmp}/seeds.db",
                         "--out", tmp, "--quiet"])
        report = json.loads(Path(tmp, "report.json").read_text(encoding="utf-8"))
    per_seed: dict[str, Any] = {}
    for art in report["articles"]:
        stem = Path(art["paths"][0]["path"]).stem
        prov, spin = art.get("provenance") or {}, art.get("spin") or {}
        per_seed[stem] = {"sources": len(prov.get("sources", [])),
                          "copies": len(prov.get("copies", [])),
                          "spun": bool(spin.get("verdict")), "spin_score": spin.get("score"),
                          "credit_style": "New York Times" in (prov.get("note") or ""),
                          "note": prov.get("note")}
        log(f"  {stem}: {per_seed[stem]['sources']} sources, spun {per_seed[stem]['spun']} "
            f"(score {spin.get('score')}); report says: {prov.get('note')}")
    return {"links": len(links), "aligned": len(al.pairs), "analyze_exit": code,
            "articles": per_seed}


def run(root: Any = None, per_rate: int = 100, log: Callable[[str], None] = print
        ) -> dict[str, Any]:
    """Every provenance figure; prints as it goes and returns them all."""
    log("newstrace eval provenance")
    log("1-2. synthetic spun ECB+ (SYNTHETIC copies mixed into the real corpus) and false copies")
    out = {"synthetic": synthetic_attribution(per_rate, root=root, log=log)}
    log("3. Clough & Stevenson")
    out["clough_stevenson"] = clough_stevenson(root, log=log)
    log("4. PAN 2025 sample (LLM paraphrase, paragraph level)")
    out["pan25"] = pan25(root, log=log)
    log("5. seeds")
    out["seeds"] = seeds(root, log=log)
    return out
