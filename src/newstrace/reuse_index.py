"""Candidate retrieval for text reuse that survives synonym spinning.

A spinner swaps content words but leaves two things alone: the function words and their order
(the sentence "skeleton", Stamatatos 2011), and names and numbers. Each article is indexed by
hashed n-grams of both streams in an inverted index (sorted NumPy arrays plus a small dict for
recent additions), so that a new article is matched against the index, not against every
article. Candidates are ranked by the idf-weighted share of the query's features they hold;
alignment (``align.py``) then decides.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .fingerprints import ngram_hashes, word_table
from .text import STOPWORDS

#: Function words per skeleton n-gram.
SKELETON_N = 6
#: Names/numbers per name n-gram.
NAMES_N = 3
#: Bump when features change: saved indexes of another version are rebuilt.
INDEX_VERSION = f"skel{SKELETON_N}-names{NAMES_N}-v1"
_SKELETON_TAG = np.uint64(0x5BD1E9955BD1E995)
_NAMES_TAG = np.uint64(0x2545F4914F6CDD1D)

_stop_hashes: np.ndarray | None = None


def _stopword_hashes() -> np.ndarray:
    global _stop_hashes
    if _stop_hashes is None:
        table = word_table(sorted(STOPWORDS))
        _stop_hashes = np.unique(table.hashes)
    return _stop_hashes


@dataclass(frozen=True)
class FeatureBatch:
    """Sorted unique features of each text, in CSR form: text ``i`` owns
    ``features[offsets[i]:offsets[i + 1]]``."""

    features: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def of(self, i: int) -> np.ndarray:
        return self.features[self.offsets[i]:self.offsets[i + 1]]


def reuse_features(texts: Sequence[str]) -> FeatureBatch:
    """Skeleton n-grams and name/number n-grams of each text, computed for the whole batch."""
    t = word_table(texts)
    n_docs = len(texts)
    if t.hashes.size == 0:
        return FeatureBatch(np.empty(0, np.uint64), np.zeros(n_docs + 1, np.int64))
    stop = np.isin(t.hashes, _stopword_hashes())
    sk, sk_doc = ngram_hashes(t.hashes[stop], t.doc[stop], SKELETON_N)
    named = ((t.capital & ~t.initial) | t.numeric) & ~stop
    nm, nm_doc = ngram_hashes(t.hashes[named], t.doc[named], NAMES_N)
    feats = np.concatenate([sk ^ _SKELETON_TAG, nm ^ _NAMES_TAG])
    docs = np.concatenate([sk_doc, nm_doc])
    order = np.lexsort((feats, docs))
    feats, docs = feats[order], docs[order]
    keep = np.ones(feats.size, dtype=bool)
    keep[1:] = (feats[1:] != feats[:-1]) | (docs[1:] != docs[:-1])
    feats, docs = feats[keep], docs[keep]
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=n_docs), out=offsets[1:])
    return FeatureBatch(feats, offsets)


class ReuseIndex:
    """Inverted index from reuse features to articles; add one at a time or build in bulk."""

    def __init__(self, max_df: int = 50, merge_every: int = 20000) -> None:
        self.max_df = max_df  # features in more articles than this are too common to count
        self.merge_every = merge_every
        self.ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._keys = np.empty(0, np.uint64)
        self._docs = np.empty(0, np.int32)
        self._pending: dict[int, list[int]] = {}
        self._pending_count = 0

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, item_id: str) -> bool:
        return item_id in self._pos

    def build(self, ids: Sequence[str], batch: FeatureBatch) -> None:
        """Add many articles at once (one sort instead of many inserts)."""
        base = len(self.ids)
        for i in ids:
            self._pos[i] = len(self.ids)
            self.ids.append(i)
        counts = np.diff(batch.offsets)
        docs = np.repeat(np.arange(base, base + len(ids), dtype=np.int32), counts)
        keys = np.concatenate([self._keys, batch.features])
        docs = np.concatenate([self._docs, docs])
        order = np.argsort(keys, kind="stable")
        self._keys, self._docs = keys[order], docs[order]

    def add(self, item_id: str, features: np.ndarray) -> None:
        """Add one article; it is searchable at once."""
        if item_id in self._pos:
            return
        n = len(self.ids)
        self._pos[item_id] = n
        self.ids.append(item_id)
        for f in features.tolist():
            self._pending.setdefault(f, []).append(n)
        self._pending_count += len(features)
        if self._pending_count >= self.merge_every * 100:
            self._merge()

    def _merge(self) -> None:
        if not self._pending:
            return
        keys = np.fromiter((k for k, v in self._pending.items() for _ in v), dtype=np.uint64)
        docs = np.fromiter((d for v in self._pending.values() for d in v), dtype=np.int32)
        allk = np.concatenate([self._keys, keys])
        alld = np.concatenate([self._docs, docs])
        order = np.argsort(allk, kind="stable")
        self._keys, self._docs = allk[order], alld[order]
        self._pending.clear()
        self._pending_count = 0

    def query(self, features: np.ndarray, k: int = 10, exclude: str | None = None,
              min_score: float = 0.02) -> list[tuple[str, float]]:
        """The ``k`` articles holding the largest idf-weighted share of ``features``."""
        n = len(self.ids)
        if n == 0 or features.size == 0:
            return []
        lo = np.searchsorted(self._keys, features, side="left")
        hi = np.searchsorted(self._keys, features, side="right")
        df = hi - lo
        if self._pending:
            extra = np.fromiter((len(self._pending.get(f, ())) for f in features.tolist()),
                                dtype=np.int64, count=features.size)
            df = df + extra
        idf = np.log1p(n / np.maximum(df, 1))
        total = float(idf.sum())
        usable = (df > 0) & (df <= self.max_df)
        scores = np.zeros(n, dtype=np.float64)
        lo_u, hi_u, w_u = lo[usable], hi[usable], idf[usable]
        span = hi_u - lo_u
        if span.sum():
            starts = np.repeat(lo_u - np.concatenate(([0], np.cumsum(span)[:-1])), span)
            idx = starts + np.arange(span.sum())
            np.add.at(scores, self._docs[idx], np.repeat(w_u, span))
        if self._pending:
            for f, w, ok in zip(features.tolist(), idf.tolist(), usable.tolist()):
                if ok:
                    for d in self._pending.get(f, ()):
                        scores[d] += w
        if exclude is not None and exclude in self._pos:
            scores[self._pos[exclude]] = 0.0
        scores /= max(total, 1e-9)
        k = min(k, n)
        top = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
        ranked = sorted(((self.ids[i], float(scores[i])) for i in top if scores[i] >= min_score),
                        key=lambda x: (-x[1], x[0]))
        return ranked

    # -- persistence: a cache next to the store, so one query need not re-index everything --
    def save(self, path: str | Path) -> None:
        """Write the index to ``path`` (a directory), atomically."""
        self._merge()
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        np.save(tmp / "keys.npy", self._keys)
        np.save(tmp / "docs.npy", self._docs)
        (tmp / "ids.json").write_text(json.dumps({"version": INDEX_VERSION, "max_df": self.max_df,
                                                  "ids": self.ids}), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)

    @classmethod
    def load(cls, path: str | Path) -> "ReuseIndex | None":
        """The index saved at ``path``, or None if there is none or it is of another version."""
        folder = Path(path)
        try:
            meta = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
            if meta.get("version") != INDEX_VERSION:
                return None
            index = cls(max_df=meta["max_df"])
            index._keys = np.load(folder / "keys.npy", mmap_mode="r")
            index._docs = np.load(folder / "docs.npy", mmap_mode="r")
        except (OSError, ValueError, KeyError):
            return None
        index.ids = list(meta["ids"])
        index._pos = {x: i for i, x in enumerate(index.ids)}
        return index
