"""``newstrace eval provenance``: source attribution, false copies, Clough & Stevenson, PAN 2025.

Every figure is computed on real data from the shared data folder (see
:mod:`newstrace.evaluation.datasets`); the spun articles of part 1 are SYNTHETIC (made by
:mod:`newstrace.evaluation.synthetic` with its whole thesaurus and the tortured phrases, so that
the achieved share of swapped content words is the rate asked) and mixed back into the full real
ECB+ corpus.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
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


def _reuse_rows(path: Path) -> list[list[str]]:
    rows = []
    if not path.is_file():
        return rows
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3 or cols[2] not in ("reuse", "independent", "unsure"):
            raise ValueError(f"{path}:{n}: expected doc_a, doc_b, reuse|independent|unsure")
        rows.append(cols)
    return rows


def load_reuse_labels(path: Path = REUSE_LABELS) -> dict[frozenset[str], str]:
    """``{frozenset({doc_a, doc_b}): label}`` from the labelled pairs file; empty when the file
    is absent (an installed wheel has no ``eval/`` folder)."""
    return {frozenset(c[:2]): c[2] for c in _reuse_rows(path)}


def load_reuse_drawn(path: Path = REUSE_LABELS) -> dict[frozenset[str], str]:
    """``{pair: "flagged" | "sample"}``: how each labelled pair came to be read (RULES.md), which
    the reuse recall estimate needs to weigh the randomly sampled pairs."""
    return {frozenset(c[:2]): c[4] for c in _reuse_rows(path) if len(c) > 4}


#: the labels' random sample was drawn from the same-topic pairs sharing this much (RULES.md)
SAMPLE_MIN_SHARED = 0.10
#: part 2's target: pairs wrongly called copies, as a share of all same-topic pairs
FALSE_COPY_TARGET = 0.002


def reuse_recall(labels: dict[frozenset[str], str], drawn: dict[frozenset[str], str],
                 found: Callable[[frozenset[str]], bool], frame: int) -> dict[str, Any]:
    """Recall on real reuse among same-topic pairs sharing >= 10% of their 5-grams.

    The labelled pairs are not a random sample: all pairs flagged on one day were read, and a
    random sample of the ``frame`` other pairs sharing >= 10%. Each sampled pair stands for
    ``frame / sampled`` pairs, so the recall is a weighted ratio (pairs sharing less were not
    sampled and are left out of the estimate)."""
    sampled = sum(1 for k in labels if drawn.get(k) == "sample")
    weight = {"flagged": 1.0, "sample": frame / sampled if sampled else 0.0}
    reuse = [k for k, v in labels.items() if v == "reuse" and drawn.get(k) in weight]
    total = sum(weight[drawn[k]] for k in reuse)
    hit = sum(weight[drawn[k]] for k in reuse if found(k))
    return {"labelled_reuse": len(reuse), "found": sum(1 for k in reuse if found(k)),
            "estimated_reuse_pairs": round(total, 1), "estimated_found": round(hit, 1),
            "recall": hit / total if total else None}


def _article(ident: str, title: str, body: str, published: str | None = None) -> Article:
    from ..models import MetaValue

    meta = [MetaValue("external_id", ident, "container")]
    if published:
        meta.append(MetaValue("published", published, "container"))
    return Article(article_id(normalize(title), normalize(body)), title, body, meta)


def synthetic_attribution(per_rate: int = 100, seed: int = 7, root: Any = None,
                          config: ProvenanceConfig = ProvenanceConfig(),
                          log: Callable[[str], None] = print,
                          lexicon: synthetic.Lexicon | None = None) -> dict[str, Any]:
    """Part 1 (synthetic spun copies of ECB+ articles, mixed into the full real corpus) and
    part 2 (false copies among real same-topic ECB+ pairs) from one run."""
    docs = datasets.ecbplus(root)
    if lexicon is None:
        # the whole thesaurus and the tortured phrases, as the issue asks: the held-out part of
        # the split (the calibration was fitted on copies spun with its train part) reaches
        # only 24% of content words at 30-50%. Provenance learns no substitutions; the
        # calibration weighs seven alignment figures, so sharing pairs with its copies gives
        # these copies away no more than sharing the language does.
        lexicon = synthetic.spinner_lexicon(root)
    log(f"  spinner lexicon: {lexicon.name} ({len(lexicon)} entries)")
    real = [_article(d.doc_id, d.title, d.text) for d in docs]
    by_doc = {d.doc_id: a for d, a in zip(docs, real)}
    rng = random.Random(seed)
    eligible = [d for d in docs if len(d.text.split()) >= 120]
    spun_of: dict[str, tuple[str, float]] = {}  # spun article id -> (original doc id, rate)
    spun: list[Article] = []
    achieved: dict[str, float] = {}  # spun article id -> share of content words swapped
    kept: dict[str, float] = {}  # spun article id -> share of its 5-grams still in the original
    # each original is spun once (copies of one original at two rates would be copies of
    # each other too, and blur what "the source" is)
    chosen = rng.sample(eligible, min(len(eligible), per_rate * len(RATES)))
    for k, rate in enumerate(RATES):
        for i, d in enumerate(chosen[k * per_rate:(k + 1) * per_rate]):
            s = synthetic.spin(d.text, rate, seed=seed * 1000 + k * per_rate + i,
                               lexicon=lexicon, drop=0.1, reorder=0.1)
            art = _article(f"synthetic-spun-{rate}-{d.doc_id}", d.title, s.text)
            spun_of[art.id] = (d.doc_id, rate)
            achieved[art.id] = s.achieved_rate
            kept[art.id] = similarity(shingle_set(art.norm_body),
                                      shingle_set(by_doc[d.doc_id].norm_body))[1]
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
            "spun": len(ids), "attributed": found, "links": predicted,
            "achieved_rate": sum(achieved[x] for x in ids) / len(ids),
            "shared_5grams": sum(kept[x] for x in ids) / len(ids)}
        log(f"  spun at {int(rate * 100)}%: recall {found / len(ids):.3f}, precision "
            f"{per_rate_result[rate]['precision']:.3f} ({found}/{len(ids)} attributed; "
            f"achieved {per_rate_result[rate]['achieved_rate']:.0%} of content words swapped, "
            f"5-grams kept {per_rate_result[rate]['shared_5grams']:.0%})")
    # part 2: false copies among real same-topic pairs
    topic = {d.doc_id: d.topic for d in docs}
    event = {d.doc_id: d.event_cluster for d in docs}
    texts = {a.id: a.norm_body for a in real}
    shingles = {d.doc_id: shingle_set(by_doc[d.doc_id].norm_body) for d in docs}
    same_topic = [frozenset(p) for g in _groups(topic).values()
                  for p in itertools.combinations(g, 2)]
    n_pairs = len(same_topic)
    flagged = [x for x in links if x.copy not in spun_of and x.source not in spun_of
               and topic[ext[x.copy]] == topic[ext[x.source]]]
    cross = [x for x in links if x.copy not in spun_of and x.source not in spun_of
             and topic[ext[x.copy]] != topic[ext[x.source]]]
    log(f"  called a copy: {len(flagged)} of {n_pairs} same-topic real pairs "
        f"({100 * len(flagged) / n_pairs:.2f}%), {len(cross)} across topics")
    labels, drawn = load_reuse_labels(), load_reuse_drawn()
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
    share = len(false) / n_pairs
    log(f"    by their labels (eval/provenance/ecbplus_reuse.tsv, {len(labels)} pairs read): "
        f"{by_label['reuse']} reuse, {by_label['independent']} independent, "
        f"{by_label['unsure']} unsure, {by_label['unlabelled']} not yet labelled")
    log(f"  false copies (called a copy, labelled independent or not yet labelled): "
        f"{len(false)} of {n_pairs} same-topic pairs = {100 * share:.2f}% (target <= "
        f"{100 * FALSE_COPY_TARGET:.1f}%: {'met' if share <= FALSE_COPY_TARGET else 'NOT met'})")

    def show(x: dict[str, Any]) -> str:
        return (f"      {x['source']} -> {x['copy']}: {x['relation']} {x['score']:.2f}, "
                f"5-grams shared {x['shared_5grams']:.0%}, same event {x['same_event']}, "
                f"label {x['label']}")

    for title, rows in (("the false copies", false),
                        ("called a copy, labelled unsure (counted neither way)",
                         [x for x in listed if x["label"] == "unsure"])):
        log(f"    {title}: {len(rows) if rows else 'none'}")
        for x in rows:
            log(show(x))
    log("    every pair called a copy, with its label and the share of the shorter text's word "
        "5-grams found in the other (independent reports share 0-5%):")
    for x in listed:
        log(show(x))
    # recall on real reuse: pairs labelled reuse linked directly, or through a chain of links
    # (a story reprinted by several outlets names one source per copy, not every pair)
    real_groups = components((ext[x.copy], ext[x.source]) for x in links
                             if x.copy not in spun_of and x.source not in spun_of)
    group_of = {d: i for i, g in enumerate(real_groups) for d in g}
    direct = {frozenset((ext[x.source], ext[x.copy])) for x in flagged}
    frame = sum(1 for k in same_topic if drawn.get(k) != "flagged"
                and similarity(*(shingles[d] for d in sorted(k)))[1] >= SAMPLE_MIN_SHARED)

    def connected(k: frozenset[str]) -> bool:
        a, b = sorted(k)
        return a in group_of and group_of[a] == group_of.get(b)

    recall = {"direct": reuse_recall(labels, drawn, lambda k: k in direct, frame),
              "connected": reuse_recall(labels, drawn, connected, frame), "frame": frame}
    for kind, r in (("linked directly", recall["direct"]),
                    ("linked directly or through copies", recall["connected"])):
        if r["recall"] is not None:
            log(f"  real reuse found ({kind}): {r['found']} of {r['labelled_reuse']} pairs "
                f"labelled reuse; weighted to all same-topic pairs sharing >= "
                f"{SAMPLE_MIN_SHARED:.0%} of 5-grams (the pairs read at random stand for all "
                f"{frame} such pairs not flagged on the day of the labels): recall {r['recall']:.3f} ({r['estimated_found']:.0f} of about "
                f"{r['estimated_reuse_pairs']:.0f} reuse pairs)")
    missed = sorted((sorted(k) for k, v in labels.items() if v == "reuse" and not connected(k)),
                    key=lambda k: (-similarity(shingles[k[0]], shingles[k[1]])[1], k))
    log(f"    labelled reuse not connected: {len(missed)}; the 10 sharing the most: "
        + ", ".join(f"{a}~{b} ({similarity(shingles[a], shingles[b])[1]:.0%})"
                    for a, b in missed[:10]))
    return {"per_rate": per_rate_result, "false_copies": {
        "pairs": n_pairs, "flagged": len(flagged), "flagged_share": len(flagged) / n_pairs,
        "false": len(false), "share": share, "target": FALSE_COPY_TARGET,
        "labels": dict(by_label), "across_topics": len(cross), "list": listed,
        "false_list": false,
        "reuse_recall": recall["connected"]["found"] / recall["connected"]["labelled_reuse"]
        if recall["connected"]["labelled_reuse"] else None,
        "reuse_labelled": recall["connected"]["labelled_reuse"], "reuse": recall},
        "seconds": seconds, "articles": len(real) + len(spun)}


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


HEAVY_RATES = (0.5, 0.6, 0.7, 0.8)


def despun_retrieval(per_rate: int = 100, seed: int = 11, root: Any = None,
                     config: ProvenanceConfig = ProvenanceConfig(), rates=HEAVY_RATES,
                     log: Callable[[str], None] = print) -> dict[str, Any]:
    """Heavily spun copies: is the source among the candidates that the copy's own text finds in
    the reuse index of the real ECB+ corpus, and among those its de-spun text finds
    (:func:`newstrace.spin.despin`, default detector)? Retrieval only: the source must be found
    before it can be aligned. Copies as in part 1 (the spinner's whole lexicon, 10% of the
    sentences dropped and 10% moved), one per original, SYNTHETIC."""
    from ..reuse_index import ReuseIndex, reuse_features
    from .. import spin as spin_mod

    docs = datasets.ecbplus(root)
    real = [_article(d.doc_id, d.title, d.text) for d in docs]
    index = ReuseIndex(max_df=config.max_df)
    index.build([a.id for a in real], reuse_features([a.norm_body for a in real]))
    lexicon = synthetic.spinner_lexicon(root)
    rng = random.Random(seed)
    eligible = [(d, a) for d, a in zip(docs, real) if len(d.text.split()) >= 120]
    chosen = rng.sample(eligible, min(len(eligible), per_rate * len(rates)))
    det = spin_mod.default_detector()

    def rank(text: str, source_id: str) -> tuple[int | None, float]:
        """The source's rank among the candidates (None: not among them) and its retrieval
        score (share of idf-weighted reuse features in common; 0 where not found)."""
        found = index.query(reuse_features([normalize(text)]).of(0), k=config.candidates,
                            min_score=config.min_candidate_score)
        for r, (other, score) in enumerate(found):
            if other == source_id:
                return r, float(score)
        return None, 0.0

    out: dict[str, Any] = {}
    copies: list[tuple[float, Article, str]] = []  # (rate, spun copy, its original's id)
    for k, rate in enumerate(rates):
        tally: Counter = Counter()
        scores_spun: list[float] = []
        scores_despun: list[float] = []
        group = chosen[k * per_rate:(k + 1) * per_rate]
        for i, (d, a) in enumerate(group):
            st = synthetic.spin(d.text, rate, seed=seed * 1000 + k * per_rate + i,
                                lexicon=lexicon, drop=0.1, reorder=0.1)
            report = det.detect(st.text)
            despun = spin_mod.despin(st.text, report)
            copies.append((rate, _article(f"synthetic-heavy-{rate}-{d.doc_id}", d.title,
                                          st.text), a.id))
            (r_spun, s_spun), (r_despun, s_despun) = rank(st.text, a.id), rank(despun.text, a.id)
            scores_spun.append(s_spun)
            scores_despun.append(s_despun)
            tally["found_spun"] += r_spun is not None
            tally["found_despun"] += r_despun is not None
            tally["found_either"] += r_spun is not None or r_despun is not None
            tally["first_spun"] += r_spun == 0
            tally["first_despun"] += r_despun == 0
            tally["flagged"] += report.verdict
            tally["restored"] += len(despun.changes)
            tally["achieved"] += st.achieved_rate
        n = max(len(group), 1)
        row = {key: tally[key] / n for key in ("found_spun", "found_despun", "found_either",
                                                "first_spun", "first_despun", "flagged",
                                                "achieved")}
        row["restored_per_copy"] = tally["restored"] / n
        row["score_spun"] = sum(scores_spun) / n
        row["score_despun"] = sum(scores_despun) / n
        row["copies"] = len(group)
        out[rate] = row
        log(f"  spun at {rate:.0%} (achieved {row['achieved']:.0%}, {row['copies']} copies, "
            f"{row['flagged']:.0%} judged spun, {row['restored_per_copy']:.0f} words restored "
            f"per copy): source among the {config.candidates} candidates, with the spun text "
            f"{row['found_spun']:.3f}, the de-spun text {row['found_despun']:.3f}, either "
            f"{row['found_either']:.3f}; ranked first {row['first_spun']:.3f} -> "
            f"{row['first_despun']:.3f}; its retrieval score {row['score_spun']:.3f} -> "
            f"{row['score_despun']:.3f}")
    # attribution: every heavy copy mixed into the real corpus, sources found as analyze finds
    # them, without and with the second alignment through the de-spun copy
    for despin in (False, True):
        links = find_sources(real + [c for _, c, _ in copies], replace(config, despin=despin))
        # as in part 1, an original's verbatim or near-verbatim reprints are the same source
        heavy = {c.id for _, c, _ in copies}
        same: dict[str, set[str]] = defaultdict(set)
        for group in components((x.copy, x.source) for x in links
                                if x.relation in ("verbatim", "near_copy")
                                and x.copy not in heavy and x.source not in heavy):
            for x in group:
                same[x] = set(group)
        named: dict[str, set[str]] = defaultdict(set)
        for x in links:
            named[x.copy].add(x.source)
        for rate in rates:
            mine = [(c.id, o) for r, c, o in copies if r == rate]
            share = sum(bool(named[c] & ({o} | same[o])) for c, o in mine) / max(len(mine), 1)
            out[rate]["attributed_despin" if despin else "attributed"] = share
    for rate in rates:
        log(f"  spun at {rate:.0%}: source named (analyze's provenance stage) "
            f"{out[rate]['attributed']:.3f} aligning the copy as written, "
            f"{out[rate]['attributed_despin']:.3f} aligning it de-spun where it does not align")
    return out


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
    log("6. heavily spun copies (SYNTHETIC): the source retrieved with the spun text and with "
        "the de-spun text")
    out["despun_retrieval"] = despun_retrieval(per_rate, root=root, log=log)
    return out
