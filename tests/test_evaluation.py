"""The evaluation toolkit: metrics on hand-computed cases, the synthetic spinner, the loaders."""

from __future__ import annotations

import math
import re

import pytest

from newstrace.evaluation import datasets, metrics, synthetic
from newstrace.evaluation.datasets import DatasetMissing
from newstrace.evaluation.synthetic import Lexicon, LexEntry, spin, split_lexicon

# -- metrics --------------------------------------------------------------------------------


def test_prf_on_pairs():
    got = metrics.prf({("a", "b"), ("a", "c"), ("b", "d")}, {("a", "b"), ("b", "d"), ("c", "d"),
                                                            ("e", "f")})
    assert (got.tp, got.fp, got.fn) == (2, 1, 2)
    assert got.precision == pytest.approx(2 / 3)
    assert got.recall == pytest.approx(0.5)
    assert got.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert metrics.prf([], []).f1 == 1.0
    assert metrics.prf([], ["x"]).precision == 0.0
    assert metrics.prf(["x"], []).precision == 0.0


def test_roc_auc_with_ties():
    # positives 0.35, 0.8, 0.4; negatives 0.1, 0.4: wins 1+0 + 2 + 1+0.5 (tie) = 4.5 of 6.
    assert metrics.roc_auc([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 1, 1, 1]) == pytest.approx(0.75)
    assert metrics.roc_auc([1, 2, 3], [False, True, True]) == 1.0
    assert metrics.roc_auc([3, 2, 1], [False, True, True]) == 0.0
    assert metrics.roc_auc([5, 5, 5, 5], [0, 1, 0, 1]) == 0.5
    with pytest.raises(ValueError):
        metrics.roc_auc([1, 2], [1, 1])


def test_b_cubed_and_pairwise_by_hand():
    gold = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    pred = {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Y"}
    # precision per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3 -> 11/15
    # recall per item:    a 2/3, b 2/3, c 1/3, d 2/2, e 2/2 -> 11/15
    b3 = metrics.b_cubed(pred, gold)
    assert b3.precision == pytest.approx(11 / 15)
    assert b3.recall == pytest.approx(11 / 15)
    assert b3.f1 == pytest.approx(11 / 15)
    # gold pairs ab ac bc de; predicted ab cd ce de
    pw = metrics.pairwise(pred, gold)
    assert (pw.precision, pw.recall) == (0.5, 0.5)
    # perfect clustering; all singletons (an item missing from predicted is a singleton)
    assert metrics.b_cubed(gold, gold).f1 == 1.0
    single = metrics.b_cubed({}, gold)
    assert single.precision == 1.0 and single.recall == pytest.approx((1 / 3 * 3 + 1 / 2 * 2) / 5)


def test_plagdet_reference_values():
    # Cases from the PAN reference implementation's unit tests (external annotations).
    ann1 = ("t1", 0, 100, "s1", 0, 100)
    ann3 = ("t1", 100, 200, "s1", 100, 200)
    ann4 = ("t1", 0, 200, "s1", 0, 200)
    ann7 = ("t2", 0, 100, "s2", 0, 100)
    ann9 = ("t2", 50, 150, "s2", 50, 150)
    ann10 = ("t2", 25, 100, "s2", 25, 100)
    assert metrics.plagdet([ann1, ann7], [ann1]).recall == 0.5
    assert metrics.plagdet([ann7], [ann10]).recall == 0.75
    assert metrics.plagdet([ann7], [ann9]).recall == 0.5
    assert metrics.plagdet([ann7], [ann9, ann10]).recall == 0.75
    assert metrics.plagdet([ann1], [ann4]).precision == 0.5
    assert metrics.plagdet([ann7], [ann9, ann10]).precision == 0.75
    assert metrics.plagdet([ann1], [ann3, ann4]).precision == 0.25
    assert metrics.plagdet([ann1, ann3], [ann1, ann4]).granularity == 1.5
    perfect = metrics.plagdet([ann1, ann7], [ann1, ann7])
    assert (perfect.precision, perfect.recall, perfect.granularity, perfect.plagdet) == (1, 1, 1, 1)
    assert metrics.plagdet([], []).plagdet == 1.0
    assert metrics.plagdet([ann1], []).plagdet == 0.0


def test_plagdet_toy_case_with_split_detection():
    # One case of 100+100 characters found as two halves: recall 1, precision 1, granularity 2.
    case = ("susp", 0, 100, "src", 1000, 1100)
    dets = [("susp", 0, 50, "src", 1000, 1050), ("susp", 50, 100, "src", 1050, 1100)]
    got = metrics.plagdet([case], dets)
    assert (got.recall, got.precision, got.granularity) == (1.0, 1.0, 2.0)
    assert got.plagdet == pytest.approx(1 / math.log2(3))
    # Wrong source document: not a detection of the case at all.
    assert metrics.plagdet([case], [("susp", 0, 100, "other", 1000, 1100)]).plagdet == 0.0
    # rec 0.25, prec 0.75, gran 2 -> 0.2366 (PAN's reference value for plagdet_score)
    f1 = 2 * 0.25 * 0.75 / (0.25 + 0.75)
    assert f1 / math.log2(3) == pytest.approx(0.23659865)


def test_confusion_matrix_renders():
    gold = ["cut", "cut", "light", "heavy", "non", "non"]
    pred = ["cut", "light", "light", "non", "non", "non"]
    cm = metrics.confusion_matrix(gold, pred, labels=["cut", "light", "heavy", "non"])
    assert cm[("cut", "light")] == 1 and cm[("non", "non")] == 2 and cm.total == 6
    assert cm.accuracy == pytest.approx(4 / 6)
    assert cm.per_label()["non"].precision == pytest.approx(2 / 3)
    table = cm.render()
    lines = table.splitlines()
    assert lines[0].split()[-5:] == ["cut", "light", "heavy", "non", "total"]
    assert lines[1].split() == ["cut", "1", "1", "0", "0", "2"]
    assert "accuracy 0.667" in table


# -- synthetic spinner ----------------------------------------------------------------------

NEWS = """Storm Leaves Thousands Without Power Across Region

A powerful storm swept across the northern coast on Tuesday, cutting power to thousands of homes and forcing the closure of several schools, local officials said.

Emergency crews worked through the night to clear fallen trees from the main roads. The regional government said about 40,000 households were still waiting for electricity early on Wednesday.

"We have never seen damage like this in a single night," said Maria Lopez, who runs a small bakery near the harbour. Her shop lost its roof and most of its stock.

Forecasters warned that heavy rain would continue for two more days and urged residents to avoid travel. Officials in Portland opened three shelters for families whose houses were flooded.

The storm is the third to hit the area this year, and insurers expect the cost of repairs to rise sharply. Farmers said the wind had destroyed much of the late harvest in the valley.
"""


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return synthetic.load_lexicon()


def _names_and_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of numbers, and of capitalised words inside the body's sentences (the title-case
    headline, which spinners rewrite too, left out): what must never change."""
    spans = [m.span() for m in re.finditer(r"\d[\d,.]*", text)]
    body = text.index("\n")
    for m in re.finditer(r"(?<=[a-z,] )[A-Z][a-z]+", text):
        if m.start() > body:
            spans.append(m.span())
    return spans


def test_thesaurus_is_small_and_licensed(lexicon):
    path = synthetic.DEFAULT_THESAURUS
    assert path.stat().st_size < 2_000_000
    assert (path.parent / "LICENSE-WordNet").exists()
    assert len(lexicon) > 20_000
    assert "stated" in lexicon.replacements("said")
    assert "rebel" in lexicon.replacements("insurgent")
    assert lexicon.max_words >= 2


def test_spin_is_deterministic_and_labelled(lexicon):
    a = spin(NEWS, rate=0.3, seed=7, lexicon=lexicon)
    b = spin(NEWS, rate=0.3, seed=7, lexicon=lexicon)
    c = spin(NEWS, rate=0.3, seed=8, lexicon=lexicon)
    assert a == b
    assert a.text != c.text
    assert a.synthetic and "SYNTHETIC" in a.label
    assert a.text != NEWS and a.original == NEWS


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5])
def test_spin_honours_rate(lexicon, rate):
    for seed in range(3):
        out = spin(NEWS, rate=rate, seed=seed, lexicon=lexicon)
        assert out.n_content_words > 60
        assert abs(out.achieved_rate - rate) <= 0.05
        assert out.n_substituted_words == sum(s.n_words for s in out.substitutions)


def test_spin_offsets_and_reconstruction(lexicon):
    out = spin(NEWS, rate=0.4, seed=3, lexicon=lexicon)
    assert out.substitutions
    rebuilt, cursor = [], 0
    for s in out.substitutions:
        assert NEWS[s.orig_start:s.orig_end] == s.original
        assert out.text[s.start:s.end] == s.replacement
        assert s.original.lower() != s.replacement.lower()
        rebuilt.append(NEWS[cursor:s.orig_start] + s.replacement)
        cursor = s.orig_end
    assert "".join(rebuilt) + NEWS[cursor:] == out.text  # nothing else changed
    assert not out.sentence_ops
    for m in out.sentences:  # sentence map: same sentence, same punctuation at its end
        assert out.text[m.end - 1] == NEWS[m.orig_end - 1]


def test_spin_keeps_names_numbers_and_speakers(lexicon):
    protected = _names_and_numbers(NEWS)
    for seed in range(10):
        out = spin(NEWS, rate=0.5, seed=seed, lexicon=lexicon)
        for s in out.substitutions:
            assert not any(s.orig_start < b and a < s.orig_end for a, b in protected), s
            assert not re.search(r"\d", s.original)
        for name in ("Maria Lopez", "Portland", "40,000", "Tuesday", "Wednesday"):
            assert name in out.text
    # The speaker of a quote, even when not a name, is kept ('said the town spokesman').
    text = '"Nothing is left," said the town spokesman. "It is gone," the old farmer told reporters.'
    for seed in range(10):
        out = spin(text, rate=0.5, seed=seed, lexicon=lexicon)
        assert "the town spokesman" in out.text and "the old farmer" in out.text


def test_spin_keeps_capitalisation_and_articles(lexicon):
    text = "Officials said an insurgent attacked the city. Fighting continued."
    seen = set()
    for seed in range(20):
        out = spin(text, rate=1.0, seed=seed, lexicon=lexicon)
        for s in out.substitutions:
            if s.original[0].isupper():
                assert s.replacement[0].isupper()
            if s.original.lower().startswith("an "):
                seen.add(s.replacement.split()[0])
        assert out.text.endswith(".")
    assert seen <= {"a", "an"}


def test_spin_sentence_operations(lexicon):
    out = spin(NEWS, rate=0.2, seed=5, lexicon=lexicon, drop=0.3, reorder=0.5)
    kinds = {op.kind for op in out.sentence_ops}
    assert "drop" in kinds and "move" in kinds
    dropped = {op.index for op in out.sentence_ops if op.kind == "drop"}
    kept = {m.index for m in out.sentences}
    assert 0 in kept and not dropped & kept
    for op in out.sentence_ops:
        if op.kind == "drop":  # a dropped sentence's text is gone (long sentences are unique)
            assert NEWS[op.orig_start:op.orig_end] not in out.text
    for s in out.substitutions:
        assert out.text[s.start:s.end] == s.replacement
    spans = sorted((m.start, m.end) for m in out.sentences)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    again = spin(NEWS, rate=0.2, seed=5, lexicon=lexicon, drop=0.3, reorder=0.5)
    assert again == out


def test_lexicon_from_pairs_and_phrases():
    lex = Lexicon.from_pairs([("last year", "final 12 months"), ("More than", "greater than"),
                              ("backbone", "spine"), ("backbone", "spine")], name="toy")
    assert lex.replacements("backbone") == ("spine",)
    assert lex.max_words == 2 and "more than" in lex
    out = spin("The backbone of the deal was agreed last year.", rate=1.0, seed=0, lexicon=lex)
    assert out.text == "The spine of the deal was agreed final 12 months."
    assert [s.key for s in out.substitutions] == ["backbone", "last year"]


def test_split_lexicon_is_disjoint_and_deterministic(lexicon):
    split = split_lexicon(lexicon, held_out_fraction=0.2, seed=1)
    train, held = set(split.train.entries), set(split.held_out.entries)
    assert train and held and not train & held
    assert train | held <= set(lexicon.entries)
    assert 0.1 < len(held) / (len(train) + len(held)) < 0.3
    # inflections of one lemma stay on one side
    for form in ("fight", "fought", "fighting"):
        assert (form in split.held_out) == ("fight" in split.held_out)
    # strict: no held-out pair is a train pair in either direction
    train_pairs = split.train.pairs()
    for src, rep in split.held_out.pairs():
        assert (src, rep) not in train_pairs and (rep, src) not in train_pairs
    again = split_lexicon(lexicon, held_out_fraction=0.2, seed=1)
    assert set(again.held_out.entries) == held
    other = split_lexicon(lexicon, held_out_fraction=0.2, seed=2)
    assert set(other.held_out.entries) != held


def test_split_groups_shared_forms():
    lex = Lexicon.from_entries([
        LexEntry("said", "say", "v", ("stated",)), LexEntry("said", "said", "a", ("aforesaid",)),
        LexEntry("says", "say", "v", ("states",)), LexEntry("city", "city", "n", ("metropolis",))],
        name="toy")
    for seed in range(20):
        split = split_lexicon(lex, 0.5, seed)
        assert not set(split.train.entries) & set(split.held_out.entries)
        assert ("said" in split.train) == ("says" in split.train)


# -- datasets on the real data --------------------------------------------------------------

needs_data = pytest.mark.skipif(
    not datasets.data_root().exists(),
    reason=f"shared evaluation data not found at {datasets.data_root()} "
           "(set $NEWSTRACE_DATA; a fresh clone has no ../shared)")


def test_missing_data_names_the_path(tmp_path):
    with pytest.raises(DatasetMissing) as err:
        datasets.ecbplus(root=tmp_path)
    assert str(tmp_path / "ecbplus" / "ecbplus_docs.jsonl") in str(err.value)
    assert isinstance(err.value, FileNotFoundError)


def test_data_root_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSTRACE_DATA", str(tmp_path))
    assert datasets.data_root() == tmp_path
    assert datasets.data_root("/x") == datasets.data_root("/x")


def test_split_url_title():
    url, title, date_line, body = datasets.split_url_title(
        "http: / / www. example. com / news / 1\n10: 24 AM, MON 22 JUL 2013\n"
        "Fire at supermarket\nPolice are investigating a fire.")
    assert url == "http://www.example.com/news/1"
    assert title == "Fire at supermarket" and date_line == "10: 24 AM, MON 22 JUL 2013"
    assert body.endswith("Police are investigating a fire.") and "Fire at" not in body
    assert datasets.split_url_title("A plain first sentence.\nMore.") == (
        None, "", None, "A plain first sentence.\nMore.")


@needs_data
def test_ecbplus():
    docs = datasets.ecbplus()
    assert len(docs) == 982
    assert len({d.event_cluster for d in docs}) == 86
    assert len({d.topic for d in docs}) == 43
    web = [d for d in docs if d.event_cluster.endswith("ecbplus")]
    assert len(web) == 502 and all(d.url and d.url.startswith(("http", "www")) for d in web)
    assert all(d.title and not d.title.startswith("http") for d in web)
    assert all(" " not in d.url for d in web)
    assert all(d.title in d.raw_text and all(line in d.raw_text for line in d.text.split("\n"))
               for d in docs)
    assert all(not d.url and not d.title and d.text == d.raw_text.strip()
               for d in docs if d.event_cluster.endswith("ecb"))
    assert sum(bool(d.date_line) for d in web) > 300


@needs_data
def test_meantime_and_seeds():
    en = datasets.meantime("en")
    assert len(en) == 120 and {d.lang for d in en} == {"en"}
    assert len({d.topic_corpus for d in en}) == 4
    assert all(d.title and d.text for d in en)
    assert len(datasets.meantime(None)) == 480
    seeds = datasets.seeds()
    assert len(seeds) == 2 and all(s.title and len(s.text) > 1000 for s in seeds)


@needs_data
def test_clough_stevenson():
    corpus = datasets.clough_stevenson()
    assert len(corpus.answers) == 95 and sorted(corpus.sources) == list("abcde")
    counts = {c: sum(a.category == c for a in corpus.answers) for c in ("cut", "light", "heavy",
                                                                       "non")}
    assert counts == {"cut": 19, "light": 19, "heavy": 19, "non": 38}
    assert all(a.text and "\ufffd" not in a.text for a in corpus.answers)  # cp1252 decoded
    assert corpus.source_for(corpus.answers[0]).startswith("In object-oriented programming")


@needs_data
def test_pan25_sample():
    sample = datasets.pan25_sample()
    assert len(sample.pairs) == 5
    assert [p.kind for p in sample.pairs].count("plagiarism") == 3
    assert len(sample.cases) == 185 and len(sample.altered) == 93
    for pair in sample.pairs:
        for case in pair.cases:
            susp = pair.suspicious.paragraphs[case.susp_index]
            src = pair.source.paragraphs[case.src_index]
            assert (susp.id, src.id) == (case.susp_paragraph, case.src_paragraph)
            assert pair.suspicious.text[case.s_start:case.s_end] == susp.text
            assert pair.source.text[case.src_start:case.src_end] == src.text
            assert susp.source_paragraph_id == src.id
            assert case.obfuscation in ("simple", "medium", "hard")
    # Three cases have an empty paragraph on one side (a data quirk): nothing to detect there.
    gold = [c.span() for c in sample.cases if c.s_end > c.s_start and c.src_end > c.src_start]
    assert len(gold) == 182
    assert metrics.plagdet(gold, gold).plagdet == 1.0
    assert sum(a.end > a.start for a in sample.altered) > 80


@needs_data
def test_spin_real_news_and_tortured_lexicon(lexicon):
    docs = datasets.ecbplus()[::97]
    for i, doc in enumerate(docs):
        out = spin(doc.text, rate=0.3, seed=i, lexicon=lexicon)
        if out.n_content_words >= 40:
            assert abs(out.achieved_rate - 0.3) <= 0.05
    tortured = synthetic.tortured_lexicon()
    assert len(tortured) > 1000
    assert all(re.fullmatch(r"[a-z -]+", k) for k in tortured.entries)


@needs_data
def test_spinner_lexicon_reaches_high_rates():
    # the held-out 30% of the thesaurus tops out near a quarter of the content words; the
    # spinner lexicon the provenance evaluation and benchmark use reaches the rate asked
    docs = [d for d in datasets.ecbplus()[::97] if len(d.text.split()) >= 150]
    held = split_lexicon(synthetic.load_lexicon(), 0.3, seed=7).held_out
    full = synthetic.spinner_lexicon()
    assert "tortured" in full.name
    for i, doc in enumerate(docs[:5]):
        assert spin(doc.text, 0.5, seed=i, lexicon=full).achieved_rate >= 0.48
        assert spin(doc.text, 0.5, seed=i, lexicon=held).achieved_rate <= 0.35


def test_reuse_recall_weighs_the_random_sample():
    from newstrace.evaluation.provenance_eval import reuse_recall

    a, b, c, d = (frozenset(x) for x in (("1", "2"), ("1", "3"), ("2", "3"), ("3", "4")))
    labels = {a: "reuse", b: "reuse", c: "independent", d: "unsure"}
    drawn = {a: "flagged", b: "sample", c: "sample", d: "sample"}
    # three sampled pairs stand for nine: b counts three times
    got = reuse_recall(labels, drawn, lambda k: k == a, frame=9)
    assert (got["labelled_reuse"], got["found"]) == (2, 1)
    assert got["recall"] == pytest.approx(1 / 4)
    assert reuse_recall(labels, drawn, lambda k: True, frame=9)["recall"] == 1.0
    assert reuse_recall({}, {}, lambda k: True, frame=9)["recall"] is None


@needs_data
def test_despun_retrieval_finds_heavily_spun_sources_both_ways():
    from newstrace.evaluation import provenance_eval

    lines: list[str] = []
    out = provenance_eval.despun_retrieval(per_rate=3, rates=(0.6,), log=lines.append)
    row = out[0.6]
    assert row["copies"] == 3 and 0.5 <= row["achieved"] <= 0.7
    assert row["restored_per_copy"] > 0  # the de-spun text differs from the spun one
    for key in ("found_spun", "found_despun", "first_spun", "first_despun", "flagged"):
        assert 0.0 <= row[key] <= 1.0
    assert row["found_either"] >= max(row["found_spun"], row["found_despun"])
    assert row["first_spun"] <= row["found_spun"]
    assert 0.0 < row["score_spun"] <= 1.0 and 0.0 < row["score_despun"] <= 1.0
    assert 0.0 <= row["attributed"] <= 1.0 and 0.0 <= row["attributed_despin"] <= 1.0
    assert len(lines) == 2 and "de-spun text" in lines[0] and "source named" in lines[1]
    assert provenance_eval.despun_retrieval(per_rate=3, rates=(0.6,), log=lines.append) == out
