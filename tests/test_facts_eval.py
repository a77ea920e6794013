"""``newstrace eval facts`` (newstrace.evaluation.facts_eval): the gold files, the scoring, and
the quality floors CI enforces. The floors need the shared data (../shared/data) and are skipped
where it is absent; the gold-file checks do not need it."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from newstrace.evaluation import datasets, facts_eval
from newstrace.evaluation.facts_eval import (GoldCount, GoldFormatError, gold_comparisons,
                                             load_actions, load_counts, load_quotes, pair_status,
                                             phrase_ok)

try:
    datasets.ecbplus()
    datasets.seeds()
    HAVE_DATA = True
except datasets.DatasetMissing:
    HAVE_DATA = False

needs_data = pytest.mark.skipif(not HAVE_DATA, reason="shared data (../shared/data) not present")


# -- the gold files -------------------------------------------------------------------------------

def test_counts_gold_covers_15_events_with_3_sources() -> None:
    gold = load_counts()
    sources: dict[str, set[str]] = {}
    for g in gold:
        if g.scope == "event":
            sources.setdefault(g.event, set()).add(g.doc_id)
    assert sum(len(docs) >= 3 for docs in sources.values()) >= 15
    assert {"37ecbplus", "41ecb"} <= set(sources)
    for g in gold:
        if g.scope != "none":
            assert g.low <= g.high and g.phrase and g.what and g.predicate, g
            assert (g.fact is not None) == (g.scope == "event"), g


def test_quotes_gold_has_100_quotes_from_ecbplus_and_the_seeds() -> None:
    gold = load_quotes()
    assert len(gold) >= 100
    assert any(g.doc_id.startswith("000_") for g in gold)
    assert any(g.doc_id.startswith("003_") for g in gold)
    assert sum(g.doc_id[0].isdigit() and "ecb" in g.doc_id for g in gold) >= 80


def test_gold_comparisons_follow_the_rule() -> None:
    def row(doc: str, lo: float, hi: float, date: str | None = None) -> GoldCount:
        return GoldCount("e", doc, date, "x", "n", None, lo, hi, "people", "killed", "event",
                         "dead", 1)

    gold = [row("a", 40, 40), row("b", 43, math.inf), row("c", 41, math.inf),
            row("d", 5, 5, "2013-07-02"), row("e", 24, 24, "2013-07-03")]
    got = gold_comparisons(gold)
    assert got[("e", "dead", "a", "b")] == "conflict"
    assert got[("e", "dead", "b", "c")] == "compatible"
    assert got[("e", "dead", "d", "e")] == "update"
    assert pair_status([(5, 5), (5, math.inf)], [(24, 24)], None, None) == "compatible"


def test_bad_gold_line_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "counts.tsv"
    bad.write_text("# header\n37ecb\t37_1ecb\t-\tanchor\tfive\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"counts\.tsv:2"):
        load_counts(bad)
    bad.write_text("e\td\t-\ta\tfive\t-\t5\tfive\tpeople\tkilled\tevent\tdead\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="not a number"):
        load_counts(bad)


def test_actions_gold_has_60_claims_from_15_events() -> None:
    dev, held = load_actions(), load_actions(facts_eval.HELDOUT_ACTIONS)
    claims = [g for g in dev + held if g.action != "none"]
    assert len(claims) >= 60
    assert len({g.event for g in claims}) >= 15
    assert not {g.event for g in dev} & {g.event for g in held}  # held out: other events
    for g in claims:
        assert g.anchor and g.agents and g.targets and g.agent_ref and g.target_ref, g


def test_action_phrase_matching_rule() -> None:
    """The head of a gold alternative must be a word of the extracted phrase (plural folded),
    or the two are one person's name."""
    assert phrase_ok(("Taliban",), "Taliban fighters")
    assert phrase_ok(("23", "raiders"), "23 of the raiders")
    assert phrase_ok(("Klitschko",), "Wladimir Klitschko")
    assert phrase_ok(("Armed robbers", "robbers"), "Four armed robber")
    assert not phrase_ok(("Israeli forces",), "Israeli")
    assert not phrase_ok(("Hasim Rahman",), "former champion")


def test_bad_actions_line(tmp_path: Path) -> None:
    bad = tmp_path / "a.tsv"
    bad.write_text("1ecb\t1_1ecb\t-\tReid\tenter\trehab\treid\trehab\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="a.tsv:1"):
        load_actions(bad)


# -- the figures, and the floors CI enforces --------------------------------------------------------

@pytest.fixture(scope="module")
def figures() -> dict:
    return facts_eval.run(out=None)


@needs_data
def test_count_extraction_floor(figures: dict) -> None:
    c = figures["counts"]
    assert c["precision"] >= 0.93 and c["recall"] >= 0.93, c


@needs_data
def test_conflict_floor(figures: dict) -> None:
    """Both meet the issue's target (0.9); floors just under the level reached (P 1.000, R
    0.975: counts of different nights of a riot, or a night against a running total, are no
    longer compared; docs/FACTS.md)."""
    c = figures["comparisons"]["conflict"]
    assert c["recall"] >= 0.95, c
    assert c["precision"] >= 0.97, c


@needs_data
def test_update_floor(figures: dict) -> None:
    """A later report's different figure (P 0.947, R 0.857 reached)."""
    u = figures["comparisons"]["update"]
    assert u["recall"] >= 0.83 and u["precision"] >= 0.9, u


@needs_data
def test_quote_attribution_floor(figures: dict) -> None:
    assert figures["quotes"]["accuracy"] >= 0.93


@needs_data
def test_heldout_floor(figures: dict) -> None:
    held = figures["heldout"]
    assert held["counts"]["recall"] >= 0.85 and held["counts"]["precision"] >= 0.85
    assert held["quotes"]["accuracy"] >= 0.75
    # the held-out events have no gold conflict; the 3 called now come from counts of other
    # incidents read as the event's own (docs/FACTS.md): no more than that
    assert held["comparisons"]["conflict"]["predicted"] - held["comparisons"]["conflict"]["correct"] <= 3


@needs_data
def test_seeds(figures: dict) -> None:
    seeds = figures["seeds"]
    assert seeds["passed"], seeds
    row = seeds["prisoners_row"]
    assert {v["text"] for v in row["values"]} == {"More than 200", "Dozens"}
    assert seeds["place_ids"][0] == seeds["place_ids"][1] == "1129867"
    speakers = {q["speaker"] for q in seeds["quotes"]["000_4939783a04e9bdd2"]}
    assert {"Husamuddin Shams", "Sayed Nezami", "Abdul Aziz Bek"} <= speakers


@needs_data
def test_actions_floor(figures: dict) -> None:
    """Who did what to whom: P 0.980 R 0.926 on the development file, 0.950 / 0.760 held out
    (docs/FACTS.md); no false conflict among the compared pairs of gold claims."""
    a = figures["actions"]
    assert a["precision"] >= 0.93 and a["recall"] >= 0.88, a
    assert a["heldout"]["precision"] >= 0.85 and a["heldout"]["recall"] >= 0.7, a["heldout"]
    assert a["comparisons"]["false_conflicts"] == 0
    assert a["comparisons"]["gold_agree_lined_up"] >= 0.75 * a["comparisons"]["gold_agree_pairs"]
    assert figures["seeds"]["actions_agree"]
