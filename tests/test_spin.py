"""Spin detection from the text alone (``newstrace.spin``): real behaviour on small inputs.

Uses only what the repository bundles (``examples/``, ``src/newstrace/data/``): no shared data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newstrace import spin
from newstrace.evaluation import synthetic

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
DATA = ROOT / "src" / "newstrace" / "data" / "spin"


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _samples(n: int = 8) -> list[str]:
    out = []
    with (ROOT / "examples" / "ecbplus" / "ecbplus_sample.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if len(rec["text"].split()) >= 150:
                out.append(f"{rec.get('title', '')}\n\n{rec['text']}")
            if len(out) == n:
                break
    return out


@pytest.fixture(scope="module")
def seed003() -> spin.SpinReport:
    return spin.detect(_seed("003"))


def _gold003() -> dict[str, set[str]]:
    gold = {}
    for line in (DATA / "eval" / "seed_003_gold.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            spun, original = line.split("\t")[:2]
            gold[spun] = set(original.split("|"))
    return gold


# -- data -----------------------------------------------------------------------------------------

def test_bundled_data_is_small_and_attributed():
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total < 10_000_000
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for needed in ("CC BY 4.0", "CC BY 3.0", "WordNet", "Problematic Paper Screener"):
        assert needed in readme
    res = spin.load_resources()
    assert len(res.lexicon) > 10_000 and len(res.bigrams) > 10_000 and res.patterns
    model = json.loads((DATA / "model.json").read_text(encoding="utf-8"))
    assert model["span"]["features"] == [f for f, _ in spin.SPAN_FEATURES]


def test_no_article_words_in_code():
    """Generic rules only: the seed articles' words stay out of the code (data may hold them)."""
    for path in (ROOT / "src" / "newstrace" / "spin.py",
                 ROOT / "src" / "newstrace" / "evaluation" / "spin_eval.py",
                 DATA / "build_spin_data.py", ROOT / "bench" / "spin.py"):
        text = path.read_text(encoding="utf-8").lower()
        for word in ("preventing", "taliban", "qala", "badghis", "12 months", "1000's"):
            assert word not in text, (path.name, word)


# -- the seeds ------------------------------------------------------------------------------------

def test_seed_003_has_evidence_with_original_wording(seed003):
    text = _seed("003")
    rep = seed003
    assert 0.0 <= rep.score <= 1.0
    assert len(rep.evidence) >= 10
    for e in rep.evidence:
        assert text[e.start:e.end] == e.phrase
        assert 0.0 <= e.confidence <= 1.0 and e.reasons and e.signals
    found = {e.phrase.replace("\u2019", "'").lower(): e for e in rep.evidence}
    assert found["1000's"].original == "thousands" and "patterns" in found["1000's"].signals
    assert found["12 months"].original == "year"
    gold = _gold003()
    judged = [e for e in rep.evidence if e.phrase.replace("\u2019", "'").lower() in gold]
    right = [e for e in judged
             if e.original in gold[e.phrase.replace("\u2019", "'").lower()]]
    assert len(right) >= 8
    assert len(right) >= 0.6 * len(judged)


def test_seed_000_is_not_flagged_and_scores_below_003(seed003):
    rep = spin.detect(_seed("000"))
    assert not rep.verdict
    assert rep.score < 0.1
    assert seed003.score > rep.score + 0.2


def test_report_serialises(seed003):
    d = seed003.to_dict()
    json.dumps(d)
    assert d["label"] in ("spun", "not spun") and d["evidence"][0]["reasons"]


# -- synthetic spins of real news -----------------------------------------------------------------

def test_spun_news_scores_higher_and_evidence_hits_substitutions():
    lexicon = synthetic.load_lexicon()
    texts = _samples(6)
    gained, hits, total = 0, 0, 0
    for k, text in enumerate(texts):
        out = synthetic.spin(text, rate=0.4, seed=k, lexicon=lexicon)
        orig, spun_rep = spin.detect(text), spin.detect(out.text)
        gained += spun_rep.score > orig.score
        gold = [(s.start, s.end) for s in out.substitutions]
        for e in spun_rep.evidence:
            total += 1
            hits += any(e.start < b and a < e.end for a, b in gold)
    assert gained == len(texts)
    assert total > 0 and hits / total >= 0.7


def test_scores_are_probabilities_and_rise_with_the_rate():
    lexicon = synthetic.load_lexicon()
    texts = _samples(6)
    means = []
    for rate in (0.0, 0.1, 0.3, 0.5):
        scores = []
        for k, text in enumerate(texts):
            t = synthetic.spin(text, rate=rate, seed=100 + k, lexicon=lexicon).text if rate else text
            rep = spin.detect(t)
            assert 0.0 <= rep.score <= 1.0 and 0.0 <= rep.rate <= 1.0
            scores.append(rep.score)
        means.append(sum(scores) / len(scores))
    assert means == sorted(means)
    assert means[-1] > 0.8 and means[0] < 0.2


def test_detect_many_matches_detect():
    texts = _samples(3)
    batch = spin.detect_many(texts)
    assert [r.score for r in batch] == [spin.detect(t).score for t in texts]


# -- learned lexicon, signals ---------------------------------------------------------------------

def test_learned_pairs_become_evidence():
    text = "The committee convened on Monday and the members voted to approve the budget."
    plain = spin.detect(text)
    assert not any(e.phrase == "convened" and e.original == "met" for e in plain.evidence)
    rep = spin.detect(text, learned=[("met", "convened", 12)])
    ev = [e for e in rep.evidence if e.phrase == "convened"]
    assert ev and ev[0].original == "met" and "learned" in ev[0].signals


def test_signals_can_be_switched_off():
    text = _seed("003")
    only = spin.detect(text, config=spin.SpinConfig(signals=frozenset({"patterns"})))
    assert only.evidence and all(e.signals == ("patterns",) for e in only.evidence)
    none = spin.detect(text, config=spin.SpinConfig(signals=frozenset()))
    assert none.evidence == ()


# -- de-spinning ----------------------------------------------------------------------------------

def test_despin_restores_and_marks(seed003):
    text = _seed("003")
    out = spin.despin(text, seed003)
    assert out.changes
    assert "tens of thousands" in out.text
    assert re.search(r"\[\[thousands\|1000.s\]\]", out.marked)
    rebuilt_input = []
    pos = 0
    for c in out.changes:
        assert text[c.start:c.end] == c.spun
        assert out.text[c.new_start:c.new_end] == c.original
        rebuilt_input.append(text[pos:c.start] + c.spun)
        pos = c.end
    assert "".join(rebuilt_input) + text[pos:] == text
    # undoing every change from the marked rendering gives the input back
    undone = re.sub(r"\[\[([^|\]]*)\|([^\]]*)\]\]", lambda m: m.group(2), out.marked)
    assert undone == text


def test_despin_fixes_articles():
    text = "Officials released a assertion on Monday about the attack."
    a = text.index("assertion")
    rep = spin.SpinReport(score=0.9, verdict=True, rate=0.1, n_content=6, threshold=0.5,
                          evidence=(spin.Evidence(a, a + 9, "assertion", "statement", 0.9,
                                                  ("lexicon",), ("test",)),))
    out = spin.despin(text, rep)
    assert out.text == "Officials released a statement on Monday about the attack."
    rep2 = spin.SpinReport(score=0.9, verdict=True, rate=0.1, n_content=6, threshold=0.5,
                           evidence=(spin.Evidence(a, a + 9, "assertion", "account", 0.9,
                                                   ("lexicon",), ("test",)),))
    out2 = spin.despin(text, rep2)
    assert out2.text == "Officials released an account on Monday about the attack."
    assert out2.marked == "Officials released [[an account|a assertion]] on Monday about the attack."


# -- the article model ------------------------------------------------------------------------------

def test_article_likelihood_ratio_adds_up_evidence():
    """The article statistic grows with the number of suspicious spans at the same rate, so a
    long text with the same share of substitutions is surer than a short one."""
    det = spin.default_detector()

    def spans(n_hi: int, n_lo: int) -> list:
        out = []
        for k in range(n_hi + n_lo):
            sp = spin._Span(k, k + 1, 2 * k, 2 * k + 1, f"w{k}", [])
            sp.p, sp.n_content = (0.9 if k < n_hi else 0.05), 1
            out.append(sp)
        return out

    short = det.article_features(spans(2, 8), 10)
    long = det.article_features(spans(20, 80), 100)
    clean = det.article_features(spans(0, 100), 100)
    names = list(spin.ARTICLE_FEATURES)
    llr = names.index("llr")
    assert long[llr] > 5 * short[llr] > 0
    assert clean[llr] == 0.0
    assert long[names.index("rate")] == pytest.approx(short[names.index("rate")])


def test_general_english_pairs_are_loaded_and_ranked():
    res = spin.load_resources()
    assert len(res.general) > 100_000
    assert res.general["the country"] > res.general["the nation"] >= 0


def test_title_case_headline_words_are_not_names():
    """A headline capitalises every word: its words stay candidates, in it and in the body."""
    text = ("Woman Perished in Queens Crash, Police Apprehend Driver\n\n"
            "A woman perished on Sunday when a car hit her in Queens. The police said the "
            "driver was drunk.")
    assert spin._title_lines(text) == [(0, text.index("\n"))]
    spans, _ = spin.default_detector().score_spans(text)
    keys = {(sp.key, text[sp.start:sp.end]) for sp in spans}
    assert ("perished", "Perished") in keys and ("apprehend", "Apprehend") in keys
    assert ("perished", "perished") in keys and ("driver", "driver") in keys
    # a word capitalised inside a body sentence is still a name, in the headline too
    named = "Queens Police Arrest Driver\n\nThe driver crashed in Queens on Sunday."
    assert all(sp.key != "queens" for sp in spin.default_detector().score_spans(named)[0])


def test_the_verdict_threshold_flags_at_most_its_share_of_the_originals():
    import random

    from newstrace.evaluation import spin_eval

    rng = random.Random(3)
    for n in (100, 554, 1102):
        scores = sorted(0.5 + rng.random() / 2 for _ in range(n))
        k = int(n * (1 - spin_eval.FP_TARGET))
        scores[k] = round(scores[k], 4) + 0.00004  # nearest rounding of the cut would flag it
        threshold = spin_eval._fp_threshold(scores)
        assert threshold > scores[k]
        assert sum(s >= threshold for s in scores) <= n * spin_eval.FP_TARGET
