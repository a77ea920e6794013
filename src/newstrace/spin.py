"""Spin detection from the text alone: score, verdict, evidence, and the likely original wording.

Content farms run other outlets' articles through "article spinners", which swap words and short
phrases for thesaurus synonyms with no regard to sense ("backbone" becomes "spine", "neural
network" "neural organization", numbers are written oddly). Most spun copies are met without
their source, so this module judges a text on its own:

1. **Candidates.** Every content word (not a name, a number or a function word) and every phrase
   of the reference lexicon is a candidate substitution.
2. **Signals** (each can be switched off, ``SpinConfig.signals``):

   * ``lexicon``: the reversed spinner thesaurus (``data/spin/lexicon.tsv.gz``: spun form ->
     the words it may stand for, from the WordNet spinner thesaurus of ``data/thesaurus``, both
     directions) and the frequency gap to the best original ("nation" where "country" is
     five times as common);
   * ``tortured``: the Problematic Paper Screener's tortured phrases and the word swaps inside
     them (same file, CC BY 4.0);
   * ``patterns``: number words turned odd (digits with an apostrophe for "hundreds";
     ``data/spin/patterns.tsv``);
   * ``learned``: substitution pairs learned from confirmed spun copies in the store (the
     ``learned`` argument: ``(original, spun, count)`` triples from the provenance stage);
   * ``rarity``: a rare word where news register expects a common one (``wordfreq`` Zipf
     frequencies of general English);
   * ``context``: collocations of real news (``data/spin/bigrams.tsv.gz``): the spun phrase
     unseen where the likely original is common ("the nation" against "the country");
     neighbours are restored together (the left word's originals are tried too); and common
     word pairs of general English (``data/spin/general_bigrams.tsv.gz``, SymSpell's list):
     whether the word's neighbours are usual company for it, crossed with its frequency.

3. **Span model.** A logistic model turns a candidate's signals into the probability that it is
   a substitution (``Evidence.confidence``); overlapping candidates keep the likelier one.
4. **Article model.** A second logistic model turns the best log-likelihood ratio of "spun at
   some rate" against "original" over the span probabilities (see :meth:`Detector.article_features`),
   the estimated substitution rate and the text's length into ``SpinReport.score``:
   the probability that the text was machine-spun, calibrated on synthetic spun news against
   the real originals at equal prior (see ``data/spin/README.md``). ``verdict`` is ``score >=
   threshold``: the model's threshold (at least 0.5, raised until at most 1% of the training
   originals would be flagged), or ``SpinConfig.threshold``.

:func:`despin` writes the text back with the likely originals restored, each change listed and
marked ``[[original|spun]]`` in :attr:`DespunText.marked`.

Resources load lazily, once per process (about 0.5 s). Only numpy and wordfreq are needed.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .text import STOPWORDS, indefinite_article

__all__ = [
    "SIGNALS", "SpinConfig", "Evidence", "SpinReport", "Change", "DespunText", "Detector",
    "detect", "detect_many", "despin", "default_detector", "tokens_lower",
]

DATA_DIR = Path(__file__).resolve().parent / "data" / "spin"

#: The signals a detection can combine (each can be left out, for ablation or speed).
SIGNALS = ("lexicon", "tortured", "patterns", "learned", "rarity", "context")

#: Bins of the Zipf frequency of a candidate (0 = unknown to the word lists).
Z_EDGES = (0.01, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5)
#: Coarse Zipf bins and gap bins (best original's Zipf minus the candidate's), crossed.
Z_COARSE = (0.01, 3.0, 4.0, 5.0)
GAP_EDGES = (0.5, 1.5, 2.5)
COUNT_EDGES = (1, 2, 5)


#: (neighbours, neighbours whose word pair general English knows) -> state index.
_NEIGHBOUR_STATES = {(0, 0): 0, (1, 0): 1, (1, 1): 2, (2, 0): 3, (2, 1): 4, (2, 2): 5}


def _span_feature_spec() -> tuple[tuple[str, str | None], ...]:
    spec: list[tuple[str, str | None]] = [("bias", None)]
    spec += [(f"z{k}", "rarity") for k in range(len(Z_EDGES) + 1)]
    spec += [("repeat", "rarity"), ("family", "rarity")]
    spec += [(f"zg{a}_{b}", "lexicon") for a in range(len(Z_COARSE) + 1)
             for b in range(len(GAP_EDGES) + 2)]
    spec += [("thes", "lexicon"), ("tort", "tortured"), ("patt", "patterns"),
             ("learned", "learned")]
    spec += [(f"ref{k}", "context") for k in range(len(COUNT_EDGES) + 1)]
    spec += [(f"ctxw{k}", "context") for k in range(len(COUNT_EDGES) + 1)]
    spec += [(f"ctxc{k}", "context") for k in range(len(COUNT_EDGES) + 1)]
    spec += [("ctx_gain", "context"), ("multi_seen", "context")]
    spec += [(f"gen{a}_{b}", "context") for a in range(len(Z_COARSE) + 1)
             for b in range(len(_NEIGHBOUR_STATES))]
    spec += [("gen_level", "context"), ("gen_gain", "context"), ("multi_gen", "context")]
    spec += [("multi", None), ("initial", None), ("stop", None)]
    return tuple(spec)


#: Span features, in the order of the model's weights, and the signal each belongs to.
SPAN_FEATURES = _span_feature_spec()
_FEATURE_INDEX = {name: i for i, (name, _) in enumerate(SPAN_FEATURES)}
#: Index of feature "gen{zipf bin}_{neighbour state}".
_GEN_INDEX = tuple(tuple(_FEATURE_INDEX[f"gen{a}_{b}"] for b in range(len(_NEIGHBOUR_STATES)))
                   for a in range(len(Z_COARSE) + 1))
#: Index of feature "zg{zipf bin}_{gap bin}" (looked up per span: no string formatting).
_ZG_INDEX = tuple(tuple(_FEATURE_INDEX[f"zg{a}_{b}"] for b in range(len(GAP_EDGES) + 2))
                  for a in range(len(Z_COARSE) + 1))
#: Indices of the source flags, in the order of ``Detector._static``'s flags.
_SOURCE_INDEX = tuple(_FEATURE_INDEX[n] for n in ("thes", "tort", "patt", "learned"))
ARTICLE_FEATURES = ("bias", "llr", "log_n", "llr_0.05", "llr_0.2", "rate", "hi_rate",
                    "rate_sqrt_n", "hi_sqrt_n", "sqrt_n")
#: Substitution rates over which the article likelihood ratio is maximised.
LLR_RATES = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5)
#: Cap on one span's likelihood ratio (no single word decides an article).
MAX_SPAN_LR = 1e4

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'"})
_SENT_GAP = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*\s+[\"'(\[\u201c\u2018]*$")
_EXTRA_FUNCTION = frozenset("get gets got getting gotten let lets mr mrs ms dr".split())


def tokens_lower(text: str) -> list[str]:
    """Lower-cased word tokens (straight apostrophes), as the reference tables are keyed."""
    return _TOKEN.findall(text.translate(_APOS).lower())


# -- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    """One suspicious word or phrase: ``text[start:end]``, why, and what it likely replaced."""

    start: int
    end: int
    phrase: str
    original: str | None  # the likely original wording (None: suspicious, but no guess)
    confidence: float  # probability that this is a spinner's substitution
    signals: tuple[str, ...]  # the signals that point at it ("lexicon", "rarity", ...)
    reasons: tuple[str, ...]  # the same, in words a reader can check
    alternatives: tuple[str, ...] = ()  # other possible originals, likeliest first

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "phrase": self.phrase,
                "original": self.original, "confidence": round(self.confidence, 4),
                "signals": list(self.signals), "reasons": list(self.reasons),
                "alternatives": list(self.alternatives)}


@dataclass(frozen=True)
class SpinReport:
    """The verdict on one text.

    ``score`` is the calibrated probability that the text was machine-spun (equal prior of
    spun and original text; see ``data/spin/README.md``); ``verdict`` is ``score >=
    threshold``. ``rate`` estimates the share of content words substituted.
    """

    score: float
    verdict: bool
    evidence: tuple[Evidence, ...]
    rate: float
    n_content: int
    threshold: float
    signals: dict[str, int] = field(default_factory=dict)  # evidence count per signal

    @property
    def label(self) -> str:
        return "spun" if self.verdict else "not spun"

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "verdict": self.verdict, "label": self.label,
                "threshold": self.threshold, "rate": round(self.rate, 4),
                "n_content": self.n_content, "signals": dict(self.signals),
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True)
class Change:
    """One restored substitution: ``spun`` at ``[start, end)`` of the input became ``original``
    at ``[new_start, new_end)`` of the restored text."""

    start: int
    end: int
    new_start: int
    new_end: int
    spun: str
    original: str
    confidence: float


@dataclass(frozen=True)
class DespunText:
    """A text with the likely originals restored.

    ``text`` is the restored text; ``marked`` the same with every change written
    ``[[original|spun]]`` (the restored wording first, then what the text said); ``changes``
    maps each change between the two texts' offsets.
    """

    text: str
    marked: str
    changes: tuple[Change, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "marked": self.marked,
                "changes": [c.__dict__ for c in self.changes]}


@dataclass(frozen=True)
class SpinConfig:
    threshold: float | None = None  # score for a "spun" verdict (None: the model's, >= 0.5)
    evidence_threshold: float = 0.5  # span probability at or above which a span is evidence
    signals: frozenset[str] = frozenset(SIGNALS)
    max_evidence: int | None = None  # keep only the likeliest N (None: all)
    #: add the optional language-model signal (extra ``lm``; :mod:`newstrace.spin_lm`)
    language_model: bool = False


# -- resources ----------------------------------------------------------------------------------

@dataclass
class Resources:
    """The reference tables (spun form -> originals, news bigrams, patterns) and the models."""

    lexicon: dict[str, tuple[tuple[str, str, float], ...]]  # spun -> (original, source, weight)
    bigrams: dict[str, int]  # "w" and "w1 w2" -> count in the reference news
    patterns: list[tuple[re.Pattern[str], str, str]]
    model: dict[str, Any]
    general: dict[str, int] = field(default_factory=dict)  # "w1 w2" -> log2 level, general English
    max_words: int = 1
    first_words: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.first_words = {}
        for key in self.lexicon:
            words = key.split(" ")
            first = words[0]
            if len(words) > self.first_words.get(first, 0):
                self.first_words[first] = len(words)
        self.max_words = max(self.first_words.values(), default=1)

    def without(self, pairs: Iterable[tuple[str, str]]) -> "Resources":
        """A copy without some (original, spun) lexicon pairs (evaluation uses it)."""
        drop = {(o.lower(), s.lower()) for o, s in pairs}
        lex = {}
        for spun, origs in self.lexicon.items():
            kept = tuple(x for x in origs if (x[0], spun) not in drop)
            if kept:
                lex[spun] = kept
        return Resources(lex, self.bigrams, self.patterns, self.model, self.general)

    def with_model(self, model: dict[str, Any]) -> "Resources":
        return Resources(self.lexicon, self.bigrams, self.patterns, model, self.general)


def _read_gz_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return fh.read().splitlines()


@functools.lru_cache(maxsize=2)
def load_resources(data_dir: str | None = None) -> Resources:
    folder = Path(data_dir) if data_dir else DATA_DIR
    lex: dict[str, list[tuple[str, str, float]]] = {}
    path = folder / "lexicon.tsv.gz"
    if path.exists():
        for line in _read_gz_lines(path):
            spun, original, source, weight = line.split("\t")
            lex.setdefault(spun, []).append((original, source, float(weight)))
    bigrams: dict[str, int] = {}
    path = folder / "bigrams.tsv.gz"
    if path.exists():
        for line in _read_gz_lines(path):
            gram, _, n = line.rpartition("\t")
            bigrams[gram] = int(n)
    patterns = []
    path = folder / "patterns.tsv"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            rx, original, why = line.split("\t")[:3]
            patterns.append((re.compile(rf"(?<![\w'\u2019.,])(?:{rx})(?![\w'\u2019])", re.I),
                             original, why))
    general: dict[str, int] = {}
    path = folder / "general_bigrams.tsv.gz"
    if path.exists():
        for line in _read_gz_lines(path):
            gram, _, level = line.rpartition("\t")
            general[gram] = int(level)
    path = folder / "model.json"
    model = json.loads(path.read_text(encoding="utf-8")) if path.exists() else DEFAULT_MODEL
    return Resources({k: tuple(v) for k, v in lex.items()}, bigrams, patterns, model, general)


def _default_model() -> dict[str, Any]:
    """Hand-set weights used only when ``model.json`` is absent (before the first training)."""
    w = [0.0] * len(SPAN_FEATURES)
    for name, value in (("bias", -4.0), ("z2", 2.0), ("z3", 1.5), ("z4", 1.0), ("patt", 4.0),
                        ("learned", 2.0), ("tort", 1.0), ("zg2_3", 1.0), ("zg2_4", 1.5)):
        w[_FEATURE_INDEX[name]] = value
    return {"span": {"features": [f for f, _ in SPAN_FEATURES], "weights": w},
            "article": {"features": list(ARTICLE_FEATURES),
                        "weights": [-5.0, 0.5, 0.0, 0.0, 0.0, 30.0, 20.0] + [0.0] * 3},
            "span_prior": 0.15}


DEFAULT_MODEL = _default_model()


def _bin(value: float, edges: Sequence[float]) -> int:
    k = 0
    for e in edges:
        if value >= e:
            k += 1
        else:
            break
    return k


@functools.lru_cache(maxsize=None)
def _zipf(word: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a core dependency
        return 4.0
    return zipf_frequency(word, "en")


_article_for = indefinite_article


def _match_case(model: str, word: str) -> str:
    if len(model) > 1 and model.isupper() and len(word.split()) == 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# -- detection -----------------------------------------------------------------------------------

@dataclass(slots=True)
class _Span:
    i: int  # first token
    j: int  # one past the last token
    start: int
    end: int
    key: str
    cands: list[tuple[str, str, float]]  # (original, source, weight)
    pattern: str | None = None  # reason, for a pattern match
    feats: list[tuple[int, float]] | None = None  # sparse: (feature index, value)
    best: str | None = None
    alts: tuple[str, ...] = ()
    p: float = 0.0
    n_content: int = 0
    zw: float = 0.0
    zc: float = 0.0
    ctx_w: int = 0
    ctx_c: int = 0
    gen_w: int = 0  # neighbours whose pair with the span general English knows
    gen_c: int = 0  # the same for the likely original
    sources: tuple[str, ...] = ()
    lm: list[float] | None = None  # the language model's features, with the logit z first
    #: the likely original before the language model re-ranked it (``zc``, ``ctx_c`` and
    #: ``gen_c`` are its figures)
    first_best: str | None = None
    lm_expects: float = 0.0  # how much likelier (log) the model found ``best`` there
    restore_gain: float | None = None  # second pass: log likelihood gained by restoring it


class Detector:
    """Spin detection with one set of resources and a configuration (reusable)."""

    def __init__(self, resources: Resources | None = None, config: SpinConfig | None = None):
        self.res = resources if resources is not None else load_resources()
        self.config = config or SpinConfig()
        sig = self.config.signals
        self._mask = np.array([1.0 if s is None or s in sig else 0.0 for _, s in SPAN_FEATURES])
        model = self.res.model
        if (model.get("span", {}).get("features") != [f for f, _ in SPAN_FEATURES]
                or model.get("article", {}).get("features") != list(ARTICLE_FEATURES)):
            model = DEFAULT_MODEL  # a model file from another feature set: not usable
        self.model = model
        self._w_span = np.array(model["span"]["weights"], dtype=float) * self._mask
        self._w_list = self._w_span.tolist()
        self._w_art = np.array(model["article"]["weights"], dtype=float)
        self._span_prior = float(model.get("span_prior", 0.15))
        self.threshold = (self.config.threshold if self.config.threshold is not None
                          else float(model.get("threshold", 0.5)))
        self._cache: dict[str, tuple] = {}
        self._key_cache: dict[tuple[str, bool], tuple] = {}
        self.bigrams = self.res.bigrams
        self.lm: Any = None
        self._w_lm: np.ndarray | None = None
        self._w_restore: np.ndarray | None = None
        if self.config.language_model:
            self.use_language_model()

    def use_language_model(self, lm: Any = None, model: dict[str, Any] | None = None) -> None:
        """Score spans with the language model too (:mod:`newstrace.spin_lm`): its layer over
        the span model and its own article model and threshold (``model_lm.json``, or
        ``model``). Without a trained layer only the likely originals are re-ranked."""
        from . import spin_lm  # noqa: PLC0415 (optional extra)

        self.lm = lm if lm is not None else spin_lm.default_model()
        layer = model if model is not None else spin_lm.load_model()
        if layer is not None:
            self._w_lm = np.array(layer["span_lm"]["weights"], dtype=float)
            restore = layer.get("span_restore")
            if restore and restore.get("features") == list(spin_lm.RESTORE_FEATURES):
                self._w_restore = np.array(restore["weights"], dtype=float)
            self._w_art = np.array(layer["article"]["weights"], dtype=float)
            self._span_prior = float(layer.get("span_prior", self._span_prior))
            if self.config.threshold is None:
                self.threshold = float(layer.get("threshold", self.threshold))

    @property
    def bigrams(self) -> Any:
        """The reference-news counts (anything with ``.get(key, default)``; training swaps in
        leave-one-out counts per document, which clears the per-form cache)."""
        return self._bigrams

    @bigrams.setter
    def bigrams(self, table: Any) -> None:
        self._bigrams = table
        self._key_cache = {}

    # .. public ..................................................................................

    def detect(self, text: str, learned: Iterable[Sequence[Any]] | None = None) -> SpinReport:
        spans, n_content = self.score_spans(text, self._learned_table(learned))
        return self._report(text, spans, n_content)

    def detect_many(self, texts: Iterable[str],
                    learned: Iterable[Sequence[Any]] | None = None) -> list[SpinReport]:
        table = self._learned_table(learned)
        out = []
        for text in texts:
            spans, n_content = self.score_spans(text, table)
            out.append(self._report(text, spans, n_content))
        return out

    # .. internals ................................................................................

    @staticmethod
    def _learned_table(learned: Iterable[Sequence[Any]] | None
                       ) -> dict[str, list[tuple[str, str, float]]]:
        table: dict[str, list[tuple[str, str, float]]] = {}
        for item in learned or ():
            original = " ".join(str(item[0]).lower().translate(_APOS).split())
            spun = " ".join(str(item[1]).lower().translate(_APOS).split())
            count = float(item[2]) if len(item) > 2 else 1.0
            if not original or not spun or original == spun or count <= 0:
                continue
            table.setdefault(spun, []).append((original, "learned", count))
        return table

    def score_spans(self, text: str, learned: dict[str, list[tuple[str, str, float]]] | None = None
                    ) -> tuple[list[_Span], int]:
        """All candidate spans with their features and probabilities, and the content-word count."""
        sig = self.config.signals
        res = self.res
        use_lex = "lexicon" in sig
        use_tort = "tortured" in sig
        learned = learned if ("learned" in sig and learned) else {}
        learned_first: dict[str, int] = {}
        for key in learned:
            w = key.split(" ")
            learned_first[w[0]] = max(learned_first.get(w[0], 0), len(w))

        norm = text.translate(_APOS)
        toks = []
        for m in _TOKEN.finditer(norm):
            w, e = m.group(), m.end()
            if w[-2:] in ("'s", "'S") and len(w) > 3 and w[:-2].isalpha():
                w, e = w[:-2], e - 2  # possessive: the noun is the candidate, "'s" stays
            toks.append((m.start(), e, w))
        n = len(toks)
        lows = [t[2].lower() for t in toks]
        initial = [False] * n
        joined = [False] * n  # joined to the previous token by one space only
        prev_end = 0
        for k, (s, e, w) in enumerate(toks):
            gap = norm[prev_end:s]
            if gap == " ":  # the common case: no sentence break, no regex
                initial[k] = k == 0
                joined[k] = k > 0
            else:
                initial[k] = k == 0 or "\n" in gap or bool(_SENT_GAP.search(gap))
            prev_end = e
        # a title-case line (a headline) capitalises every word, name or not: its words are
        # judged like sentence-initial ones (a name only if capitalised elsewhere too)
        title = _title_lines(norm)
        if title:
            starts = [t[0] for t in toks]
            for a, b in title:
                for k in range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)):
                    initial[k] = True
        capinit = [initial[k] and toks[k][2][:1].isupper() for k in range(n)]
        # names: capitalised inside a sentence somewhere in the text
        names = {lows[k] for k in range(n) if toks[k][2][:1].isupper() and not initial[k]}

        elig = [False] * n
        for k in range(n):
            w = toks[k][2]
            if not w[0].isalpha() or not w.isalpha() and any(c.isdigit() for c in w):
                continue
            if w[0].isupper() and (not initial[k] or (len(w) > 1 and w.isupper())
                                   or lows[k] in names):
                continue
            elig[k] = True
        content = [elig[k] and len(lows[k]) > 1 and lows[k] not in STOPWORDS
                   and lows[k] not in _EXTRA_FUNCTION for k in range(n)]
        n_content = sum(content)
        doc_counts: dict[str, int] = {}
        for k in range(n):
            if content[k]:
                doc_counts[lows[k]] = doc_counts.get(lows[k], 0) + 1
        prefixes: dict[str, int] = {}
        for w in doc_counts:
            if len(w) >= 6:
                prefixes[w[:5]] = prefixes.get(w[:5], 0) + 1
        lexicon = res.lexicon

        def lookup(key: str) -> list[tuple[str, str, float]]:
            out = []
            if use_lex or use_tort:
                for c in lexicon.get(key, ()):
                    if (use_lex if c[1] == "thesaurus" else use_tort):
                        out.append(c)
            if learned and key in learned:
                out.extend(learned[key])
            return out

        spans: list[_Span] = []
        single: dict[int, list[tuple[str, str, float]]] = {}
        first_words = res.first_words if (use_lex or use_tort) else {}
        # run[k]: how many tokens after k continue a phrase (eligible, one space apart)
        run = [0] * (n + 1)
        for k in range(n - 2, -1, -1):
            if elig[k + 1] and joined[k + 1]:
                run[k] = run[k + 1] + 1
        for k in range(n):
            if not elig[k]:
                continue
            low = lows[k]
            maxw = max(first_words.get(low, 0), learned_first.get(low, 0))
            for m in range(min(maxw, run[k] + 1), 1, -1):
                key = " ".join(lows[k:k + m])
                cands = lookup(key)
                if cands:
                    spans.append(_Span(k, k + m, toks[k][0], toks[k + m - 1][1], key, cands))
            cands = lookup(low) if maxw else []
            single[k] = cands
            if content[k] or cands:
                spans.append(_Span(k, k + 1, toks[k][0], toks[k][1], low, cands))
        if "patterns" in sig and res.patterns and any(c.isdigit() for c in norm):
            starts = {t[0]: k for k, t in enumerate(toks)}
            ends = {t[1]: k for k, t in enumerate(toks)}
            taken: list[tuple[int, int]] = []
            for rx, original, why in res.patterns:
                for m in rx.finditer(norm):
                    s, e = m.span()
                    i, j = starts.get(s), ends.get(e)
                    if i is None or j is None or any(s < b and a < e for a, b in taken):
                        continue
                    taken.append((s, e))
                    spans.append(_Span(i, j + 1, s, e, m.group().lower(),
                                       [(original, "pattern", 1.0)], pattern=why))
        if not spans:
            return spans, n_content
        # each adjacent pair looked up once: reference-news count and general-English level
        pair_ref = [0] * (n + 1)
        pair_gen = [-1] * (n + 1)
        if "context" in sig:
            big, gen = self.bigrams, res.general
            for k in range(1, n):
                if joined[k]:
                    pair = lows[k - 1] + " " + lows[k]
                    pair_ref[k] = big.get(pair, 0)
                    pair_gen[k] = gen.get(pair, -1)
        ctx = (lows, joined, single, capinit, doc_counts, prefixes, pair_ref, pair_gen)
        w = self._w_list
        exp = math.exp
        for sp in spans:
            pairs = self._features(sp, ctx)
            z = 0.0
            for i, v in pairs:
                z += w[i] * v
            sp.p = 1.0 / (1.0 + exp(-z)) if z > -30 else 0.0
            sp.feats = pairs
            sp.n_content = 1 if sp.j - sp.i == 1 else (sum(content[sp.i:sp.j]) or 1)
        if self.lm is not None:
            self._apply_lm(text, spans)
        return spans, n_content

    def _apply_lm(self, text: str, spans: list[_Span]) -> None:
        """The language model's layer: each span's probability from its default-signal logit
        and its :data:`newstrace.spin_lm.LM_FEATURES`; the likely original re-ranked by the
        model's expectation at that point (among the candidates, and their own candidates in
        the lexicon)."""
        from . import spin_lm  # noqa: PLC0415

        first: list = []
        lexicon = self.res.lexicon if "lexicon" in self.config.signals else None
        feats, ranked = spin_lm.span_features(self.lm, text, spans, scores_out=first,
                                              lexicon=lexicon)
        w = self._w_lm
        for sp, f, r in zip(spans, feats, ranked):
            z = math.log(max(sp.p, 1e-9) / max(1.0 - sp.p, 1e-9))
            sp.lm = [max(-20.0, min(20.0, z))] + f
            if w is not None:
                v = float(w[0] + np.dot(w[1:], sp.lm))
                sp.p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v))))
            rerank(sp, r)
        if self._w_restore is not None and first:
            apply_restoration(self, text, spans, first[0], self._w_restore)

    def _features(self, sp: _Span, ctx: tuple) -> list[tuple[int, float]]:
        lows, joined, single, capinit, doc_counts, prefixes, pair_ref, pair_gen = ctx
        sig = self.config.signals
        use_ctx = "context" in sig
        use_rar = "rarity" in sig
        key = sp.key
        kf = self._key_features(key, bool(sp.cands))
        zw, n_words = kf[0], kf[1]
        i, j = sp.i, sp.j
        has_left = i > 0 and joined[i]
        has_right = j < len(lows) and joined[j]
        left = lows[i - 1] if has_left else None
        right = lows[j] if has_right else None
        ctx_w = n_nb = n_gen = gen_level = 0
        if use_ctx:
            if has_left:
                ctx_w += pair_ref[i]
                n_nb += 1
                lv = pair_gen[i]
                if lv >= 0:
                    n_gen += 1
                    gen_level += lv + 1
            if has_right:
                ctx_w += pair_ref[j]
                n_nb += 1
                lv = pair_gen[j]
                if lv >= 0:
                    n_gen += 1
                    gen_level += lv + 1
        f: list[tuple[int, float]] = [(0, 1.0)]
        idx = _FEATURE_INDEX
        best, best_z, best_ctx, best_gen = None, 0.0, 0, 0
        if sp.cands:
            ranked, flags, sources = self._static(key, sp.cands)
            for k, value in zip(_SOURCE_INDEX, flags):
                if value:
                    f.append((k, value))
            best, best_z, best_ctx, best_gen = self._best_candidate(
                ranked, left, right, single.get(i - 1) if left is not None else None)
            alts: list[str] = []
            for c in ranked:
                if c[1] != best and c[1] not in alts:
                    alts.append(c[1])
                    if len(alts) == 4:
                        break
            sp.alts = tuple(alts)
            sp.sources = sources
        sp.best, sp.zw, sp.zc, sp.ctx_w, sp.ctx_c = best, zw, best_z, ctx_w, best_ctx
        sp.first_best = best
        sp.gen_w, sp.gen_c = n_gen, best_gen
        if use_rar:
            f.append((kf[2], 1.0))
            if n_words == 1:
                if doc_counts.get(key, 0) >= 2:
                    f.append((idx["repeat"], 1.0))
                if len(key) >= 6 and prefixes.get(key[:5], 0) >= 2:
                    f.append((idx["family"], 1.0))
        zb = kf[3] if use_rar else 2
        if best is None:
            gb = 0
        elif use_rar:
            gb = 1 + _bin(best_z - zw, GAP_EDGES)
        else:
            gb = 2
        if "lexicon" in sig:
            f.append((_ZG_INDEX[zb][gb], 1.0))
        if use_ctx:
            f.extend(kf[4])
            f.append((idx["ctxw0"] + _bin(ctx_w, COUNT_EDGES), 1.0))
            if best is not None:
                f.append((idx["ctxc0"] + _bin(best_ctx, COUNT_EDGES), 1.0))
                f.append((idx["ctx_gain"], 1.0 if best_ctx > ctx_w else 0.0))
                if best_gen > n_gen:
                    f.append((idx["gen_gain"], 1.0))
            f.append((_GEN_INDEX[zb][_NEIGHBOUR_STATES[n_nb, n_gen]], 1.0))
            if gen_level:
                f.append((idx["gen_level"], gen_level / 10.0))
        f.extend(kf[5])
        f.append((idx["initial"], 1.0 if capinit[i] else 0.0))
        return f

    def _best_candidate(self, ranked: list[tuple], left: str | None, right: str | None,
                        left_cands: list[tuple[str, str, float]] | None
                        ) -> tuple[str | None, float, int, int]:
        """The likeliest original among the top candidates: context-free score plus how often
        it follows the left neighbour (or that neighbour's own likely originals) and precedes
        the right one in the reference news, and whether general English knows those pairs.
        Returns (original, its Zipf, its reference-context count, its general-English pairs)."""
        use_ctx = "context" in self.config.signals
        big, gen = self.bigrams, self.res.general
        lefts: list[str] = []
        if left is not None:
            lefts.append(left)
            if use_ctx and left_cands:
                lefts += [c[4] for c in self._static(left, left_cands)[0][:2]]
        best, best_score, best_z, best_ctx, best_gen = None, -1e9, 0.0, 0, 0
        log1p = math.log1p
        for static, original, zc, first_o, last_o, _, _ in ranked[:TOP_CANDIDATES]:
            cc = gc = 0
            if use_ctx:
                for k, lw in enumerate(lefts):
                    pair = lw + " " + first_o
                    v = big.get(pair, 0)
                    if v > cc:
                        cc = v
                    if k == 0 and pair in gen:
                        gc += 1
                if right is not None:
                    pair = last_o + " " + right
                    cc += big.get(pair, 0)
                    if pair in gen:
                        gc += 1
            score = static + 1.2 * log1p(cc) + 0.8 * gc
            if score > best_score:
                best, best_score, best_z, best_ctx, best_gen = original, score, zc, cc, gc
        return best, best_z, best_ctx, best_gen

    def _key_features(self, key: str, has_cands: bool) -> tuple:
        """What a span's features owe to its words alone (cached per form): Zipf, its bins,
        the reference-count features and the shape features."""
        hit = self._key_cache.get((key, has_cands))
        if hit is not None:
            return hit
        sig = self.config.signals
        idx = _FEATURE_INDEX
        words = key.split(" ")
        zw = _zipf(key) if ("rarity" in sig or has_cands) else 4.0
        zbin = idx["z0"] + (0 if zw <= 0 else _bin(zw, Z_EDGES))
        zb = _bin(zw, Z_COARSE)
        ctx: list[tuple[int, float]] = []
        if len(words) == 1:
            ctx.append((idx["ref0"] + _bin(self.bigrams.get(key, 0), COUNT_EDGES), 1.0))
        else:
            seen = self.bigrams.get(" ".join(words[:2]), 0) > 0
            ctx.append((idx["multi_seen"], 1.0 if seen else 0.0))
            if (words[0] + " " + words[1]) in self.res.general:
                ctx.append((idx["multi_gen"], 1.0))
        shape = [(idx["multi"], float(len(words) - 1)),
                 (idx["stop"], 1.0 if all(w in STOPWORDS for w in words) else 0.0)]
        out = (zw, len(words), zbin, zb, tuple(ctx), tuple(shape))
        self._key_cache[(key, has_cands)] = out
        return out

    def _static(self, key: str, cands: list[tuple[str, str, float]]) -> tuple:
        """Candidates ranked by their context-free score, the source flags, the sources.

        Cached per spun form (learned candidates change per call, so those are not cached).
        """
        cacheable = cands[-1][1] != "learned"  # learned candidates come last (lookup)
        if cacheable:
            hit = self._cache.get(key)
            if hit is not None:
                return hit
        words = key.split(" ")
        suffix = _suffix(words[-1])
        ranked = []
        thes = tort = patt = learned = 0.0
        sources = set()
        for original, source, weight in cands:
            sources.add(source)
            if source == "thesaurus":
                thes = 1.0
            elif source == "tortured":
                tort = max(tort, math.log1p(weight))
            elif source == "pattern":
                patt = 1.0
            elif source == "learned":
                learned = max(learned, math.log1p(weight))
            zc = _zipf(original)
            ow = original.split(" ")
            prior = _PRIOR[source] + (0.8 * math.log1p(weight) if source != "thesaurus" else 0.0)
            static = (prior + 0.6 * zc - 1.0 * max(0, len(ow) - len(words))
                      + (0.6 if _suffix(ow[-1]) == suffix else 0.0))
            ranked.append((static, original, zc, ow[0], ow[-1], source, weight))
        ranked.sort(key=lambda c: -c[0])
        out = (ranked, (thes, tort, patt, learned), tuple(sorted(sources)))
        if cacheable:
            self._cache[key] = out
        return out

    def _select(self, spans: list[_Span]) -> list[_Span]:
        """Non-overlapping spans, likeliest first (longer first on ties)."""
        chosen: list[_Span] = []
        used: set[int] = set()
        for sp in sorted(spans, key=lambda s: (-s.p, -(s.j - s.i), s.i)):
            if any(k in used for k in range(sp.i, sp.j)):
                continue
            used.update(range(sp.i, sp.j))
            chosen.append(sp)
        return sorted(chosen, key=lambda s: s.i)

    def article_features(self, spans: list[_Span], n_content: int,
                         span_prior: float | None = None,
                         chosen: list[_Span] | None = None) -> list[float]:
        """The article model's inputs: the best likelihood ratio of "spun at some rate" against
        "not spun" over the selected spans, and the estimated substitution rate.

        Each span's probability ``p`` (under the span model's training prior ``span_prior``)
        gives its likelihood ratio ``LR = p / (1 - p) * (1 - prior) / prior``; a text spun at
        rate ``r`` has the likelihood ``prod(1 - r + r * LR)`` against 1 for an original. Its
        maximum over ``LLR_RATES`` grows with the length of the text, as the evidence does,
        where a plain rate does not (short texts are the hard ones); its values at 5% and 20%
        go in too (a light and a heavy spin).
        """
        if chosen is None:
            chosen = self._select(spans)
        n = max(n_content, 1)
        mass = hi = 0.0
        prior = span_prior if span_prior is not None else self._span_prior
        odds_scale = (1.0 - prior) / prior
        lrs = []
        for sp in chosen:
            p = sp.p
            mass += p * sp.n_content
            if p >= 0.5:
                hi += sp.n_content
            lrs.append(min(p / max(1.0 - p, 1e-9) * odds_scale, MAX_SPAN_LR) - 1.0)
        best = 0.0
        log1p = math.log1p
        at: dict[float, float] = {}
        for r in LLR_RATES:
            v = sum(log1p(r * x) for x in lrs)
            at[r] = v
            if v > best:
                best = v
        rate, hi_rate = mass / n, hi / n
        root = math.sqrt(n)
        return [1.0, best, math.log(n), at[0.05], at[0.2], rate, hi_rate, rate * root,
                hi_rate * root, root]

    def _report(self, text: str, spans: list[_Span], n_content: int) -> SpinReport:
        cfg = self.config
        chosen = self._select(spans)
        f = np.array(self.article_features(spans, n_content, chosen=chosen))
        score = float(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, float(f @ self._w_art))))))
        if n_content == 0:
            score = 0.0
        evidence = []
        counts: dict[str, int] = {}
        for sp in chosen:
            if sp.p < cfg.evidence_threshold:
                continue
            sigs, reasons = self._explain(text, sp)
            for s in sigs:
                counts[s] = counts.get(s, 0) + 1
            evidence.append(Evidence(sp.start, sp.end, text[sp.start:sp.end], sp.best,
                                     sp.p, sigs, reasons, sp.alts))
        if cfg.max_evidence is not None and len(evidence) > cfg.max_evidence:
            keep = sorted(evidence, key=lambda e: -e.confidence)[: cfg.max_evidence]
            evidence = sorted(keep, key=lambda e: e.start)
        return SpinReport(score=score, verdict=score >= self.threshold, evidence=tuple(evidence),
                          rate=float(f[5]), n_content=n_content, threshold=self.threshold,
                          signals=counts)

    def _explain(self, text: str, sp: _Span) -> tuple[tuple[str, ...], tuple[str, ...]]:
        sig = self.config.signals
        sigs: list[str] = []
        reasons: list[str] = []
        phrase = text[sp.start:sp.end]
        # the figures below are those of the likely original before the language model re-ranked
        # it (if it did): each reason names the word it is about
        first = sp.first_best if sp.first_best is not None else sp.best
        if "learned" in sp.sources:
            sigs.append("learned")
            n, learned = max((c[2], c[0]) for c in sp.cands if c[1] == "learned")
            reasons.append(f"confirmed spun copies in the store wrote \"{sp.key}\" for "
                           f"\"{learned}\" ({n:g} times)")
        if sp.pattern:
            sigs.append("patterns")
            reasons.append(f"{sp.pattern}: \"{phrase}\" for \"{sp.best}\"")
        if "tortured" in sp.sources:
            sigs.append("tortured")
            reasons.append("a tortured phrase of spinners (Problematic Paper Screener list)")
        if "thesaurus" in sp.sources and sp.best:
            sigs.append("lexicon")
            word, zc = first, sp.zc
            if sp.best != first and any(c[0] == sp.best and c[1] == "thesaurus"
                                        for c in sp.cands):
                word, zc = sp.best, _zipf(sp.best)
            reasons.append(f"spinner-thesaurus synonym of \"{word}\" "
                           f"(Zipf {sp.zw:.1f} against {zc:.1f})")
        if "rarity" in sig and sp.zw < 4.0 and " " not in sp.key:
            sigs.append("rarity")
            reasons.append(f"rare in general English (Zipf {sp.zw:.1f}) for news register"
                           if sp.zw > 0 else "unknown to general-English word lists")
        if "context" in sig and first and sp.ctx_c > sp.ctx_w:
            sigs.append("context")
            reasons.append(f"\"{first}\" fits the neighbouring words in reference news "
                           f"({sp.ctx_c} times against {sp.ctx_w})")
        elif "context" in sig and first and sp.gen_c > sp.gen_w:
            sigs.append("context")
            reasons.append(f"\"{first}\" fits the neighbouring words in general English "
                           f"({sp.gen_c} of its word pairs common, against {sp.gen_w})")
        if sp.lm is not None and sp.lm[-1] == 0.0 and sp.lm[_LM_PMI] < -2.0:
            sigs.append("language-model")
            why = (f"the language model did not expect it after the words before it "
                   f"({math.exp(-sp.lm[_LM_PMI]):,.0f} times less likely there than in general "
                   f"English)")
            if sp.best and sp.lm_expects > 1.0:
                why += f"; it expected \"{sp.best}\" {math.exp(sp.lm_expects):,.0f} times more"
                via = self._two_step_via(sp)
                if via:
                    why += f" (a synonym of \"{via}\", which the lexicon gives for it)"
            reasons.append(why)
        if sp.restore_gain is not None and sp.restore_gain > 1.0 and sp.best:
            if "language-model" not in sigs:
                sigs.append("language-model")
            reasons.append(f"with \"{sp.best}\" restored, the language model finds the words "
                           f"after it {math.exp(sp.restore_gain):,.0f} times likelier")
        return tuple(sigs), tuple(reasons)

    def _two_step_via(self, sp: _Span) -> str | None:
        """The span's own candidate whose candidate ``best`` is, where ``best`` is not one of
        the span's own (the language model picked it two steps through the lexicon)."""
        if sp.best is None or any(c[0] == sp.best for c in sp.cands):
            return None
        for c in sp.cands:
            if any(c2[0] == sp.best for c2 in self.res.lexicon.get(c[0], ())):
                return c[0]
        return None


#: Positions in a span's language-model features (``newstrace.spin_lm.LM_FEATURES``; not
#: imported here, so that the core never loads the optional module).
_LM_PMI, _LM_GAIN = 1, 3  # (gain: over every candidate's first token)

#: Candidate originals whose fit with the neighbouring words is looked up (likeliest first).
TOP_CANDIDATES = 4
_PRIOR = {"learned": 2.0, "pattern": 2.0, "tortured": 1.0, "thesaurus": 0.0}


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def rerank(sp: _Span, ranked: list[tuple[str, float]]) -> None:
    """The span's likely original becomes the one-token candidate the language model expects
    most there (``ranked``, from :func:`newstrace.spin_lm.span_features`), if it expects it
    more than the span itself."""
    if ranked and sp.best is not None and not sp.pattern and ranked[0][1] > 0:
        best = ranked[0][0]
        sp.lm_expects = ranked[0][1]
        if best != sp.best:
            sp.alts = tuple([sp.best] + [a for a in sp.alts if a != best])[:4]
            sp.best = best


def restoration_changes(det: Detector, spans: list[_Span]) -> list[_Span]:
    """The spans the second pass restores: selected, with a likely original, not a number
    pattern, and at least :data:`newstrace.spin_lm.RESTORE_GATE` likely after the first."""
    from . import spin_lm  # noqa: PLC0415

    return [sp for sp in det._select(spans)
            if sp.best and not sp.pattern and sp.p >= spin_lm.RESTORE_GATE]


def restoration_rows(det: Detector, text: str, spans: list[_Span], first: Any
                     ) -> list[list[float]]:
    """Per span, the second stage's inputs (``spin_lm.RESTORE_FEATURES``): bias, the first
    stage's logit, the restoration gain and whether the span was restored."""
    from . import spin_lm  # noqa: PLC0415

    chosen = restoration_changes(det, spans)
    gains = spin_lm.restoration_gains(
        det.lm, text, [(sp.start, sp.end, _match_case(text[sp.start:sp.end], sp.best))
                       for sp in chosen], first)
    by_span = {id(sp): g for sp, g in zip(chosen, gains)}
    rows = []
    for sp in spans:
        z = math.log(max(sp.p, 1e-9) / max(1.0 - sp.p, 1e-9))
        g = by_span.get(id(sp))
        rows.append([1.0, max(-20.0, min(20.0, z)), g if g is not None else 0.0,
                     1.0 if g is not None else 0.0])
    return rows


def apply_restoration(det: Detector, text: str, spans: list[_Span], first: Any,
                      weights: np.ndarray) -> None:
    """The second stage: each span's probability from its first-stage logit and its
    restoration gain (:func:`newstrace.spin_lm.restoration_gains`)."""
    for sp, row in zip(spans, restoration_rows(det, text, spans, first)):
        v = float(np.dot(weights, row))
        sp.p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v))))
        if row[3]:
            sp.restore_gain = row[2]


def _title_lines(text: str) -> list[tuple[int, int]]:
    """Offsets of title-case lines ("Woman Killed in Queens Hit-and-Run"): at least three
    words of four letters or more, at least 60% of them capitalised."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        words = _LONG_WORD.findall(line)
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words):
            out.append((pos, end))
        pos = end + 1
    return out


def _suffix(word: str) -> str:
    """A rough inflection class, so that "assaults" prefers "attacks" to "attack"."""
    for end in ("ing", "ed", "ly"):
        if word.endswith(end):
            return end
    return "s" if word.endswith("s") and not word.endswith("ss") else ""


# -- module-level API ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _detector(config: SpinConfig) -> Detector:
    return Detector(load_resources(), config)


def default_detector(config: SpinConfig | None = None) -> Detector:
    """The detector with the bundled resources (built once per configuration)."""
    return _detector(config or SpinConfig())


def detect(text: str, *, learned: Iterable[Sequence[Any]] | None = None,
           config: SpinConfig | None = None) -> SpinReport:
    """Judge ``text``: calibrated score, verdict and evidence (offsets into ``text``).

    ``learned`` optionally adds substitution pairs ``(original, spun, count)`` learned from
    confirmed spun copies (the provenance stage's lexicon).
    """
    return default_detector(config).detect(text, learned)


def detect_many(texts: Iterable[str], *, learned: Iterable[Sequence[Any]] | None = None,
                config: SpinConfig | None = None) -> list[SpinReport]:
    """:func:`detect` over many texts (the learned table is prepared once)."""
    return default_detector(config).detect_many(texts, learned)


def despin(text: str, report: SpinReport | None = None, *, min_confidence: float | None = None
           ) -> DespunText:
    """``text`` with the likely original wording restored where the evidence has one.

    Every change keeps its offsets in both texts; ``marked`` writes each as
    ``[[original|spun]]``. An article before a restored word is fixed ("a assertion" ->
    "a statement", "a rebel" -> "an insurgent"). ``min_confidence`` defaults to the
    report's evidence threshold (every piece of evidence with an original is restored).
    """
    report = report if report is not None else detect(text)
    evidence = [e for e in report.evidence if e.original
                and (min_confidence is None or e.confidence >= min_confidence)]
    out: list[str] = []
    marked: list[str] = []
    changes: list[Change] = []
    pos = 0  # in the input
    new_len = 0
    for e in sorted(evidence, key=lambda e: e.start):
        if e.start < pos:
            continue
        start, spun = e.start, text[e.start:e.end]
        original = _match_case(spun, e.original or "")
        # fix "a"/"an" right before the restored words
        m = re.search(r"(?<![\w'])(an?|An?|AN?)( )$", text[pos:start])
        if m and original:
            art = m.group(1)
            want = _article_for(original)
            if art.lower() != want:
                start = pos + m.start()
                spun = text[start:e.end]
                original = f"{_match_case(art, want)} {original}"
        chunk = text[pos:start]
        out.append(chunk)
        marked.append(chunk)
        new_len += len(chunk)
        changes.append(Change(start, e.end, new_len, new_len + len(original), spun, original,
                              e.confidence))
        out.append(original)
        marked.append(f"[[{original}|{spun}]]")
        new_len += len(original)
        pos = e.end
    out.append(text[pos:])
    marked.append(text[pos:])
    return DespunText("".join(out), "".join(marked), tuple(changes))
