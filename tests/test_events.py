"""Events: kinds, actors, features, batch and stream grouping, ids, copies, cards."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from newstrace.actors import event_kinds, find_actors
from newstrace.events import (ArticleFeatures, EventConfig, EventIndex, cards, cluster, event_card,
                              event_id, features, similarity)
from newstrace.evaluation import metrics
from newstrace.evaluation.events_eval import merged_share, score
from newstrace.text import normalize

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
SAMPLE = ROOT / "examples" / "ecbplus" / "ecbplus_sample.jsonl"


def seed(prefix: str) -> tuple[str, str, str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").strip().split("\n")
    return path.stem, lines[0].strip(), "\n".join(lines[1:]).strip()


@pytest.fixture(scope="module")
def sample() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def sample_feats(sample) -> list[ArticleFeatures]:
    return [features(r["id"], normalize(r.get("title") or ""), normalize(r["text"]), url=r.get("url"))
            for r in sample]


@pytest.fixture(scope="module")
def seed_feats() -> list[ArticleFeatures]:
    out = []
    for prefix, published in (("000", "2021-07-07"), ("003", None)):
        sid, title, body = seed(prefix)
        out.append(features(sid, normalize(title), normalize(body), published=published,
                            outlet="Reuters" if prefix == "000" else "content farm"))
    return out


# -- what and who ---------------------------------------------------------------------------


def test_event_kinds_from_cue_words() -> None:
    quake = event_kinds("6.1-magnitude quake strikes Aceh",
                        "An earthquake killed six children. The tremor was felt across the province.")
    assert quake[0].kind == "earthquake" and "quake" in quake[0].cues
    escape = event_kinds("Texas inmate escapes prison van", "The escapee was on the run for a week.")
    assert escape[0].kind == "prison break"
    assert event_kinds("", "") == []


def test_rule_actors_people_orgs_and_surnames() -> None:
    body = ("Officials said on Monday that President Barack Obama would speak. "
            "Later, Obama met the Ministry of Defence. Reuters reported the meeting.")
    actors = {a.key: a for a in find_actors("", body)}
    assert actors["obama"].label == "PERSON" and actors["obama"].name == "Barack Obama"
    assert actors["obama"].count == 2
    assert actors["ministry of defence"].label == "ORG"
    assert "officials" not in actors and "later" not in actors  # ordinary sentence-initial words


def test_rule_actors_use_places_and_skip_headline_case(seed_feats) -> None:
    f = seed_feats[0]
    labels = {a.name: a.label for a in f.actors}
    assert labels.get("Qala-e-Naw") == "GPE" and labels.get("Badghis") == "GPE"
    assert labels.get("Husamuddin Shams") == "PERSON"
    spun = {a.name for a in seed_feats[1].actors}
    assert "Taliban Attack" not in spun and "Provincial Capital" not in spun


def test_spacy_actors_with_gazetteer_ruler() -> None:
    pytest.importorskip("spacy")
    from newstrace.actors import spacy_pipeline

    if spacy_pipeline(min_population=10**7) is None:
        pytest.skip("no English spaCy model installed")
    actors = find_actors("Taliban storm capital",
                         "The Taliban attacked Qala-e-Naw in Badghis on Wednesday, said governor "
                         "Husamuddin Shams.", use_spacy=True)
    labels = {a.name: a.label for a in actors}
    assert labels.get("Badghis") == "GPE"  # spaCy alone tags it as a person
    assert labels.get("Husamuddin Shams") == "PERSON"


# -- features and similarity ----------------------------------------------------------------


def test_features_hold_where_when_who_what(seed_feats) -> None:
    f = seed_feats[0]
    assert f.when.date is not None and f.when.date.isoformat() == "2021-07-07"
    assert {p.name for p, _ in f.places[:3]} & {"Qala i Naw", "Badghis"}
    assert any(k.kind in ("attack", "war", "capture") for k in f.kinds)
    assert set(f.parts) == {"t", "n", "p", "k", "d"}
    assert abs(sum(v * v for v in f.parts["t"].values()) - 1.0) < 1e-9
    assert any(k.startswith("t:") for k in f.vector) and any(k.startswith("n:") for k in f.vector)


def test_similarity_same_event_above_same_topic_other_event(seed_feats, sample_feats) -> None:
    a, b = seed_feats
    same = similarity(a, b)
    others = max(similarity(a, f) for f in sample_feats)
    assert same > 2 * others
    c = EventConfig(w_text=1.0, w_names=0, w_places=0, w_kinds=0, w_numbers=0)
    assert similarity(a.reweighted(c), b.reweighted(c), c) > 0


def test_date_and_place_factors_lower_similarity(seed_feats) -> None:
    a, b = seed_feats
    import dataclasses

    later = dataclasses.replace(b, when=dataclasses.replace(a.when, date=a.when.date.replace(year=2019)))
    strict = EventConfig(date_penalty=0.6)
    assert similarity(a, later, strict) < similarity(a, dataclasses.replace(b, when=a.when), strict)


# -- grouping -------------------------------------------------------------------------------


def _gold(sample):
    return ({r["id"]: r["event_cluster"] for r in sample}, {r["id"]: r["topic"] for r in sample})


def test_batch_groups_the_ecbplus_sample(sample, sample_feats) -> None:
    gold, topic = _gold(sample)
    events = cluster(sample_feats)
    s = score(events, gold, topic)
    assert s["b3_f1"] >= 0.85, s
    assert s["same_topic_merged"] <= 0.10, s
    assert all(e.startswith("evt_") and len(e) == 20 for e in events)
    assert sorted(a for ms in events.values() for a in ms) == sorted(gold)


def test_stream_matches_batch(sample, sample_feats) -> None:
    gold, topic = _gold(sample)
    batch = score(cluster(sample_feats), gold, topic)["b3_f1"]
    index = EventIndex()
    for f in sorted(sample_feats, key=ArticleFeatures.sort_key):
        eid = index.add(f)
        assert eid.startswith("evt_") and index.event_of(f.id) == eid
    stream = score(index.events(), gold, topic)["b3_f1"]
    assert abs(stream - batch) <= 0.03, (stream, batch)
    # re-clustering gives the batch grouping exactly, and the stream goes on from it
    assert index.recluster() == cluster(sample_feats)
    assert index.events() == cluster(sample_feats)


def test_ids_are_deterministic_and_order_free(sample_feats) -> None:
    a = cluster(sample_feats)
    shuffled = list(sample_feats)
    random.Random(7).shuffle(shuffled)
    assert cluster(shuffled) == a
    for eid, members in a.items():
        assert eid == event_id(f for f in sample_feats if f.id in members)


def test_seeds_form_one_event_with_the_right_card(seed_feats, sample_feats) -> None:
    events = cluster(sample_feats + seed_feats)
    ids = [f.id for f in seed_feats]
    (eid,) = {e for e, ms in events.items() if set(ids) & set(ms)}
    assert sorted(events[eid]) == sorted(ids)
    card = cards(sample_feats + seed_feats, {eid: events[eid]})[0].to_dict()
    assert card["where"]["name"] == "Qala i Naw"
    assert card["where"]["province"] == "Badghis" and card["where"]["country"] == "Afghanistan"
    assert card["where"]["lat"] == pytest.approx(34.98, abs=0.1)
    assert card["when"]["date"] == "2021-07-07"
    assert card["first_report"] == seed_feats[0].id
    assert {a["outlet"] for a in card["articles"]} == {"Reuters", "content farm"}
    assert any(w["name"] == "Taliban" for w in card["who"])
    json.dumps(card)  # serialisable as is


def test_copies_follow_their_source(seed_feats, sample_feats) -> None:
    src = sample_feats[0]
    import dataclasses

    copy = dataclasses.replace(src, id="art_copy000000000", title="UPDATE 1-" + src.title, outlet="Reprints")
    copies = {copy.id: src.id}
    events = cluster(sample_feats + [copy], copies=copies)
    (eid,) = {e for e, ms in events.items() if src.id in ms}
    assert copy.id in events[eid]
    card = event_card([f for f in sample_feats + [copy] if f.id in events[eid]], copies)
    shown = next(a for a in card.articles if a["id"] == src.id)
    assert [c["id"] for c in shown["copies"]] == [copy.id]
    assert copy.id not in [a["id"] for a in card.articles]
    index = EventIndex()
    for f in sample_feats:
        index.add(f)
    assert index.add(copy, copy_of=src.id) == index.event_of(src.id)
    assert copy.id in index.events()[index.event_of(src.id)]


def test_merged_share_counts_hard_negatives() -> None:
    gold = {"a": "1x", "b": "1x", "c": "1y", "d": "2x"}
    topic = {"a": 1, "b": 1, "c": 1, "d": 2}
    assert merged_share({"a": 1, "b": 1, "c": 1, "d": 2}, gold, topic) == 1.0
    assert merged_share({"a": 1, "b": 1, "c": 2, "d": 2}, gold, topic) == 0.0
    assert metrics.b_cubed({"a": 1, "b": 1, "c": 2, "d": 3}, gold).f1 == 1.0


def test_second_pass_keeps_groups_that_state_different_days(seed_feats) -> None:
    """Two groups about as similar as the merge threshold asks are joined, unless most of
    their cross pairs state weekdays two or more days apart."""
    import dataclasses

    from newstrace import events as ev

    base = seed_feats[0]

    def group(weekday: int, n: int, tag: str) -> list[ArticleFeatures]:
        return [dataclasses.replace(base, id=f"{tag}{k}", weekday=weekday) for k in range(n)]

    def second_pass(a: list[ArticleFeatures], b: list[ArticleFeatures]) -> list[list[int]]:
        config = EventConfig(merge_threshold=0.5)
        g = ev._Graph(config)
        for f in a + b:
            g.put(f)
        groups = {0: list(range(len(a))), 1: list(range(len(a), len(a) + len(b)))}
        return ev._merge_groups(g, groups, {0: {1}, 1: {0}}, len(g) + 2, config)

    assert len(second_pass(group(2, 3, "a"), group(3, 3, "b"))) == 1  # Wednesday, Thursday
    assert len(second_pass(group(2, 3, "a"), group(5, 3, "b"))) == 2  # Wednesday, Saturday
    assert len(second_pass(group(2, 1, "a"), group(5, 1, "b"))) == 1  # too little evidence


def test_second_pass_lowers_the_threshold_for_short_reports() -> None:
    """One-sentence reports of one event share few words: their groups are joined below
    ``merge_threshold`` (``brief_terms``); groups of longer reports are held to it, and a group
    of snippets meeting a group of long reports is lowered for the snippets' side only."""
    import dataclasses

    from newstrace import events as ev

    snippets = [
        ("", "Armed robbers stole diamonds worth 85 million euros from the Harry Winston store in Paris."),
        ("", "Robbers disguised as women raided the Harry Winston boutique on Avenue Montaigne in Paris."),
        ("", "Four armed robbers, two dressed as women, emptied a Harry Winston jewellery store in Paris."),
        ("", "Thieves in drag took rings and watches from the Harry Winston shop near the Champs-Elysees."),
    ]
    fs = [features(f"s{i}", t, b) for i, (t, b) in enumerate(snippets)]
    assert all(f.terms < 20 for f in fs)

    def second_pass(config: EventConfig) -> list[list[int]]:
        g = ev._Graph(config)
        for f in fs:
            g.put(f)
        return ev._merge_groups(g, {0: [0, 1], 1: [2, 3]}, {0: {1}, 1: {0}}, len(g) + 2, config)

    cross = sum(similarity(a, b) for a in fs[:2] for b in fs[2:]) / 4
    assert cross > 0.05
    strict = EventConfig(merge_threshold=1.5 * cross, brief_terms=0)
    assert len(second_pass(strict)) == 2
    assert len(second_pass(dataclasses.replace(strict, brief_terms=55.0))) == 1

    config = EventConfig(merge_threshold=0.4, brief_terms=50.0)

    def evidence(n: int, terms: int) -> ev._Evidence:
        return ev._Evidence(n, np.zeros(0, dtype=np.int64), np.zeros(0), [0] * 7, Counter(), terms)

    long, short = evidence(3, 3 * 120), evidence(2, 2 * 20)
    assert ev._merge_threshold(long, long, config) == 0.4
    assert ev._merge_threshold(short, long, config) == pytest.approx(0.4 * (20 / 50) ** 0.5)
    assert ev._merge_threshold(short, short, config) == pytest.approx(0.4 * 20 / 50)


def test_index_from_batch_equals_cluster_and_goes_on(sample_feats, seed_feats) -> None:
    index = EventIndex.from_batch(sample_feats)
    assert index.events() == cluster(sample_feats)
    for f in seed_feats:
        index.add(f)
    assert index.event_of(seed_feats[0].id) == index.event_of(seed_feats[1].id)
    assert len(index) == len(sample_feats) + len(seed_feats)


def test_the_card_places_the_event_in_the_country_the_reports_are_about() -> None:
    """Reports of a bombing in South Sudan name Khartoum as the accused government; the card
    places the event in South Sudan (its province), not in Sudan's capital."""
    from newstrace.events import _card_where, features

    texts = [
        ("Planes bomb camp in South Sudan",
         "Aircraft bombed a refugee camp in Unity state, South Sudan, on Thursday, South Sudan "
         "officials said. Khartoum denied the attack. South Sudan said Khartoum was to blame."),
        ("South Sudan accuses Khartoum",
         "South Sudan accused Khartoum of bombing the camp in Unity state on Thursday. "
         "Khartoum rejected the claim, and the army in Khartoum said it had no planes there."),
        ("Refugee camp in South Sudan bombed",
         "A camp in South Sudan's Unity state was bombed on Thursday. South Sudan officials "
         "counted the dead in South Sudan."),
    ]
    fs = [features(f"a{i}", t, b) for i, (t, b) in enumerate(texts)]
    where = _card_where(fs)
    assert where is not None and where["country"] == "South Sudan", where
    assert where["name"] == "Unity"
