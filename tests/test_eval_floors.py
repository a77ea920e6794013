"""Quality floors on the shared real data, enforced in CI (the figures `newstrace eval` prints).

Skipped where the shared data folder is absent (a user's fresh clone).
"""

import pytest

from newstrace.evaluation import datasets

try:
    datasets.data_root()
    datasets.ecbplus()
    HAVE_DATA = True
except datasets.DatasetMissing:
    HAVE_DATA = False

pytestmark = pytest.mark.skipif(not HAVE_DATA, reason="shared data (../shared/data) not present")


@pytest.fixture(scope="module")
def provenance() -> dict:
    from newstrace.evaluation import provenance_eval

    return provenance_eval.run(per_rate=100, log=lambda _m: None)


def test_spun_source_attribution(provenance: dict) -> None:
    for rate, r in provenance["synthetic"]["per_rate"].items():
        # the copies are spun at the rate they are reported under (a lexicon too small for the
        # rate once capped 30-50% at 24%)
        assert r["achieved_rate"] >= rate - 0.02, (rate, r)
        if rate <= 0.4:
            assert r["recall"] >= 0.98, (rate, r)
            assert r["precision"] >= 0.99, (rate, r)


def test_false_copies_are_real_reprints(provenance: dict) -> None:
    fc = provenance["synthetic"]["false_copies"]
    assert fc["across_topics"] == 0
    # pairs called a copy that a reader labelled independent (or nobody has read yet)
    assert fc["share"] <= 0.002, [x for x in fc["list"] if x["label"] != "reuse"]
    # every pair called a copy shares far more wording than independent reports do (0-5%)
    assert all(x["shared_5grams"] >= 0.05 for x in fc["list"])
    # real reuse found, directly or through copies, weighted for how the labelled pairs were
    # drawn (0.512 on 2026-12-07): a floor against losing it, not a target
    assert fc["reuse"]["connected"]["recall"] >= 0.5, fc["reuse"]


def test_clough_stevenson_auc(provenance: dict) -> None:
    assert provenance["clough_stevenson"]["auc"] >= 0.95


def test_pan25_plagdet(provenance: dict) -> None:
    assert provenance["pan25"]["plagdet"] >= 0.6


def test_seeds_are_not_copies(provenance: dict) -> None:
    seeds = provenance["seeds"]
    assert seeds["links"] == 0
    assert seeds["analyze_exit"] == 0
    reuters, nyt_spun = (seeds["articles"][k] for k in sorted(seeds["articles"]))
    assert reuters["sources"] == nyt_spun["sources"] == 0
    assert not reuters["spun"]
    assert nyt_spun["credit_style"], nyt_spun["note"]
    assert nyt_spun["spun"], nyt_spun["note"]  # reported as spun, with no source in the corpus


def test_places_gold() -> None:
    from pathlib import Path

    from newstrace import places

    gold = Path(__file__).resolve().parents[1] / "eval" / "places" / "places_gold.tsv"
    assert places.evaluate(gold)["accuracy"] >= 0.95


@pytest.fixture(scope="module")
def events() -> dict:
    from newstrace.evaluation import events_eval

    return events_eval.run(out=None)


def test_events_ecbplus_floor(events: dict) -> None:
    """The issue's target (B3 F1 0.95, < 2% same-topic merges), reached (0.956, 1.3%): a floor
    against regressions; the held-out half (even topics) no worse than before the short-report
    threshold (0.961)."""
    batch = events["ecbplus"]["batch"]["all"]
    assert batch["b3_f1"] >= 0.95
    assert events["ecbplus"]["batch"]["even_topics_held_out"]["b3_f1"] >= 0.96
    assert batch["same_topic_merged"] <= 0.02
    assert abs(events["ecbplus"]["incremental_minus_batch_b3_f1"]) <= 0.01


def test_events_seeds(events: dict) -> None:
    seeds = events["seeds"]
    assert seeds["passed"] and seeds["card"]["where"]["id"] == "1129867"


@pytest.fixture(scope="module")
def spin_quick() -> dict:
    from newstrace.evaluation import spin_eval

    return spin_eval.run(quick=True, ablation=False, verbose=False)


def test_spin_heldout_floor(spin_quick: dict) -> None:
    """Below the issue's target (F1 >= 0.95 from 20% substitution up): a floor against
    regressions at the level reached so far, on held-out spins (unseen lexicon pairs)."""
    per_rate = spin_quick["per_rate"]
    assert per_rate[0.2]["f1"] >= 0.75
    assert per_rate[0.3]["f1"] >= 0.87
    assert per_rate[0.5]["f1"] >= 0.93
    assert spin_quick["fp_rate"] <= 0.015
    assert spin_quick["fp_rate_shipped"] <= 0.02


def test_spin_seeds(spin_quick: dict) -> None:
    seeds = spin_quick["seeds"]
    assert seeds["003"]["verdict"] and seeds["003"]["evidence"] >= 10
    assert seeds["003"]["right_original"] >= 10
    assert not seeds["000"]["verdict"]
