"""``newstrace eval events``: how well articles are grouped into events.

1. **ECB+** (982 articles, 43 topics x 2 events of the same kind = 86 gold events): B³
   precision, recall and F1, pairwise F1, and the share of same-topic different-event pairs put
   in one event (the hard negatives). Figures for all topics, for the odd topics (where the
   thresholds were tuned) and the even topics (held out). Gold labels are used for scoring only.
2. **Incremental = batch**: the same articles fed one at a time in publication order
   (:class:`newstrace.events.EventIndex`) against one batch (:func:`newstrace.events.cluster`).
3. **Places**: :func:`newstrace.places.evaluate` on ``eval/places/places_gold.tsv``.
4. **Seeds**: the Reuters report (000) and the spun copy of the NYT report (003) must form one
   event placed at Qala i Naw, Badghis, Afghanistan, dated 7 July 2021, and no ECB+ article
   may join it. The seed texts state no year: the Reuters report is given its publication date
   (2021-07-07) as container metadata, as a feed would; its "on Wednesday" does the rest.

    python -m newstrace.evaluation.events_eval [--data DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from newstrace.evaluation import datasets, metrics
from newstrace.events import ArticleFeatures, EventConfig, EventIndex, cards, cluster, features
from newstrace.text import normalize

__all__ = ["ecb_features", "merged_share", "run", "score", "seeds_check"]

REPO = Path(__file__).resolve().parents[3]
PLACES_GOLD = REPO / "eval" / "places" / "places_gold.tsv"
SEED_PUBLISHED = {"000_4939783a04e9bdd2": "2021-07-07"}  # Reuters, 7 July 2021 (container metadata)


def ecb_features(docs: Sequence[datasets.EcbDoc], config: EventConfig = EventConfig()) -> list[ArticleFeatures]:
    """Features of ECB+ articles as an ingest would see them: title, body (its date line kept),
    URL; no publication date (the corpus has none)."""
    return [features(d.doc_id, normalize(d.title), normalize(d.text), url=d.url, config=config)
            for d in docs]


def merged_share(pred: Mapping[str, str], gold: Mapping[str, str], topic: Mapping[str, int]) -> float:
    """Share of same-topic, different-event article pairs that ``pred`` puts in one event."""
    by_topic: dict[int, list[str]] = defaultdict(list)
    for a in gold:
        by_topic[topic[a]].append(a)
    n = merged = 0
    for members in by_topic.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if gold[a] != gold[b]:
                    n += 1
                    merged += pred.get(a) is not None and pred.get(a) == pred.get(b)
    return merged / n if n else 0.0


def score(events: Mapping[str, Sequence[str]], gold: Mapping[str, str], topic: Mapping[str, int],
          keep: Callable[[int], bool] | None = None) -> dict[str, float]:
    """B³ P/R/F1, pairwise P/R/F1 and the same-topic merge share over the kept topics."""
    pred = {a: e for e, ms in events.items() for a in ms}
    items = [a for a in gold if keep is None or keep(topic[a])]
    g = {a: gold[a] for a in items}
    p = {a: pred[a] for a in items if a in pred}
    b3 = metrics.b_cubed(p, g)
    pw = metrics.pairwise(p, g)
    return {"articles": len(items), "events_gold": len(set(g.values())),
            "events_found": len({p[a] for a in items if a in p}),
            "b3_precision": round(b3.precision, 4), "b3_recall": round(b3.recall, 4),
            "b3_f1": round(b3.f1, 4), "pairwise_precision": round(pw.precision, 4),
            "pairwise_recall": round(pw.recall, 4), "pairwise_f1": round(pw.f1, 4),
            "same_topic_merged": round(merged_share(p, g, topic), 4)}


def _split_scores(events: Mapping[str, Sequence[str]], gold: Mapping[str, str],
                  topic: Mapping[str, int]) -> dict[str, dict[str, float]]:
    return {"all": score(events, gold, topic),
            "odd_topics_tuned": score(events, gold, topic, lambda t: t % 2 == 1),
            "even_topics_held_out": score(events, gold, topic, lambda t: t % 2 == 0)}


def incremental(items: Sequence[ArticleFeatures], config: EventConfig) -> tuple[dict[str, list[str]], list[float]]:
    """Feed articles one at a time in publication order; returns the events and per-article
    assignment times (seconds)."""
    index = EventIndex(config)
    times = []
    for f in sorted(items, key=ArticleFeatures.sort_key):
        t0 = time.perf_counter()
        index.add(f)
        times.append(time.perf_counter() - t0)
    return index.events(), times


def seeds_check(distractors: Sequence[ArticleFeatures], config: EventConfig,
                root: str | Path | None = None) -> dict[str, Any]:
    """Group the two seed articles with ``distractors``; report their event and its card."""
    try:
        seeds = datasets.seeds(root)
    except datasets.DatasetMissing:
        folder = REPO / "examples" / "seeds"
        seeds = []
        for path in sorted(folder.glob("*.txt")):
            lines = path.read_text(encoding="utf-8").strip().split("\n")
            seeds.append(datasets.SeedDoc(path.stem, path, lines[0].strip(), "\n".join(lines[1:]).strip()))
    feats = [features(s.doc_id, normalize(s.title), normalize(s.text),
                      published=SEED_PUBLISHED.get(s.doc_id), config=config) for s in seeds]
    events = cluster(list(distractors) + feats, config)
    where = {a: e for e, ms in events.items() for a in ms}
    ids = [f.id for f in feats]
    same = len({where[i] for i in ids}) == 1
    eid = where[ids[0]]
    members = events[eid]
    card = cards(list(distractors) + feats, {eid: members})[0].to_dict()
    place = card.get("where") or {}
    ok_place = place.get("name") == "Qala i Naw" and place.get("province") == "Badghis" \
        and place.get("country") == "Afghanistan"
    ok_date = (card.get("when") or {}).get("date") == "2021-07-07"
    return {"same_event": same, "event_id": eid, "members": members,
            "only_seeds": sorted(members) == sorted(ids), "place_ok": ok_place, "date_ok": ok_date,
            "passed": same and sorted(members) == sorted(ids) and ok_place and ok_date,
            "card": card}


def places_figure() -> dict[str, Any]:
    if not PLACES_GOLD.exists():
        return {"skipped": f"{PLACES_GOLD} not found"}
    from newstrace.places import evaluate

    r = evaluate(PLACES_GOLD)
    return {"n": r["n"], "accuracy": round(r["accuracy"], 4),
            "resolution_accuracy": round(r["resolution_accuracy"], 4)}


def run(data_root: str | Path | None = None, config: EventConfig | None = None,
        out: Any = sys.stdout) -> dict[str, Any]:
    """Run every check, print a summary to ``out`` (None: silent) and return the figures."""
    config = config or EventConfig()
    say = (lambda *a: print(*a, file=out)) if out is not None else (lambda *a: None)
    result: dict[str, Any] = {"config": {k: getattr(config, k) for k in config.__dataclass_fields__}}
    try:
        docs = datasets.ecbplus(data_root)
    except datasets.DatasetMissing as exc:
        say(f"ECB+: skipped ({exc})")
        docs = []
        result["ecbplus"] = {"skipped": str(exc)}
    if docs:
        gold = {d.doc_id: d.event_cluster for d in docs}
        topic = {d.doc_id: d.topic for d in docs}
        t0 = time.perf_counter()
        feats = ecb_features(docs, config)
        t_feat = time.perf_counter() - t0
        t0 = time.perf_counter()
        batch = cluster(feats, config)
        t_batch = time.perf_counter() - t0
        inc, times = incremental(feats, config)
        bs = _split_scores(batch, gold, topic)
        ins = _split_scores(inc, gold, topic)
        times.sort()
        result["ecbplus"] = {
            "batch": bs, "incremental": ins,
            "incremental_minus_batch_b3_f1": round(ins["all"]["b3_f1"] - bs["all"]["b3_f1"], 4),
            "seconds": {"features": round(t_feat, 2), "batch": round(t_batch, 2),
                        "incremental_total": round(sum(times), 2),
                        "incremental_p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 2)},
        }
        say(f"ECB+ ({len(docs)} articles, {len(set(gold.values()))} gold events; thresholds tuned on odd topics)")
        for mode, sc in (("batch", bs), ("incremental", ins)):
            for part, s in sc.items():
                say(f"  {mode:<11} {part:<21} B3 P={s['b3_precision']:.3f} R={s['b3_recall']:.3f} "
                    f"F1={s['b3_f1']:.3f}  pairwise F1={s['pairwise_f1']:.3f}  "
                    f"same-topic merged={100 * s['same_topic_merged']:.1f}%  events={s['events_found']}")
        say(f"  incremental - batch B3 F1 = {result['ecbplus']['incremental_minus_batch_b3_f1']:+.4f}")
        say(f"  time: features {t_feat:.1f}s, batch {t_batch:.2f}s, incremental {sum(times):.2f}s "
            f"(p95 {result['ecbplus']['seconds']['incremental_p95_ms']:.1f} ms per article)")
    else:
        feats = []
    result["places"] = places_figure()
    if "accuracy" in result["places"]:
        say(f"Places (places.evaluate, {result['places']['n']} mentions): accuracy "
            f"{result['places']['accuracy']:.3f}, resolution accuracy {result['places']['resolution_accuracy']:.3f}")
    else:
        say(f"Places: {result['places']['skipped']}")
    seeds = seeds_check(feats, config, data_root)
    result["seeds"] = seeds
    card = seeds["card"]
    say(f"Seeds: {'PASS' if seeds['passed'] else 'FAIL'} (one event: {seeds['same_event']}, "
        f"no other article: {seeds['only_seeds']}, where: {(card.get('where') or {}).get('name')}, "
        f"{(card.get('where') or {}).get('province')}, {(card.get('where') or {}).get('country')}; "
        f"when: {(card.get('when') or {}).get('date')})")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="shared data folder (default ../shared/data or $NEWSTRACE_DATA)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    res = run(args.data, out=sys.stderr if args.json else sys.stdout)
    if args.json:
        json.dump(res, sys.stdout, indent=2, default=str)
        print()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
