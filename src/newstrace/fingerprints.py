"""Word-shingle fingerprints and MinHash sketches, computed for many texts at once.

Why vectorised: ingest fingerprints every article, so per-token Python work would dominate
bulk ingest. Texts are concatenated into one byte buffer and every step (word boundaries, word
hashes, shingle hashes, sketches) is a handful of NumPy operations over the whole batch.

Sketch: one-permutation MinHash (Li, Owen & Zhang 2012) with rotation densification
(Shrivastava & Li 2014): one hash per shingle, split into ``NUM_BINS`` bins, the minimum of each
bin kept. It estimates Jaccard similarity like a 128-permutation MinHash at a fraction of the
cost, and works with the same banded LSH index.

All constants are fixed, so fingerprints are identical across runs, processes and machines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Words per shingle for near-duplicate detection.
SHINGLE_WORDS = 5
#: Bins in a one-permutation MinHash sketch (the sketch length).
NUM_BINS = 128
EMPTY = np.uint32(0xFFFFFFFF)

_U64 = np.uint64
_P = 0x100000001B3  # FNV prime: odd, so invertible modulo 2**64
_P_INV = pow(_P, -1, 2**64)
_MIX1 = _U64(0xBF58476D1CE4E5B9)
_MIX2 = _U64(0x94D049BB133111EB)
_SHINGLE_MULT = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x87C37B91114253D5, 0x4CF5AD432745937F],
    dtype=np.uint64)
_ROTATE_STEP = 0x9E3779B1  # added per bin of distance when a bin borrows from its neighbour

# Word characters: ASCII letters and digits, and every byte of a multi-byte UTF-8 sequence
# (non-ASCII letters). Text is NFKC-normalised first, so curly quotes and dashes are ASCII.
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789":
    _WORD_BYTE[_c] = True
_WORD_BYTE[0x80:] = True

_powers: np.ndarray = np.ones(1, dtype=np.uint64)
_inv_powers: np.ndarray = np.ones(1, dtype=np.uint64)


def _ensure_powers(n: int) -> None:
    """Grow the cached tables of P**i and P**-i (mod 2**64) to at least ``n`` entries."""
    global _powers, _inv_powers
    if len(_powers) >= n:
        return
    size = max(n, 2 * len(_powers), 1 << 16)
    with np.errstate(over="ignore"):
        p = np.full(size, _P, dtype=np.uint64)
        p[0] = 1
        _powers = np.cumprod(p, dtype=np.uint64)
        q = np.full(size, _P_INV, dtype=np.uint64)
        q[0] = 1
        _inv_powers = np.cumprod(q, dtype=np.uint64)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: spreads structured hashes over all 64 bits."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> _U64(30))
        x = x * _MIX1
        x = x ^ (x >> _U64(27))
        x = x * _MIX2
        return x ^ (x >> _U64(31))


_SENTENCE_PUNCT = np.zeros(256, dtype=bool)
for _c in b".!?\n":
    _SENTENCE_PUNCT[_c] = True
#: ``bytes.translate`` tables (C speed, no index arrays): 1 for a word byte, else 0; and 1 for
#: a byte that ends a sentence.
_WORD_FLAGS = bytes(_WORD_BYTE.astype(np.uint8))
_PUNCT_FLAGS = bytes(_SENTENCE_PUNCT.astype(np.uint8))


@dataclass(frozen=True)
class WordTable:
    """The words of a batch of texts: hashes and where each word is.

    ``capital`` marks words starting with an ASCII capital, ``initial`` words that open a
    sentence (a full stop, ! or ? or line break since the previous word), ``numeric`` words that
    start with a digit. Names and numbers survive synonym spinning, so they are features too.
    """

    hashes: np.ndarray  # uint64, case-folded
    doc: np.ndarray  # int64 text index of each word
    capital: np.ndarray  # bool
    initial: np.ndarray  # bool
    numeric: np.ndarray  # bool


_EMPTY_TABLE = WordTable(*(np.empty(0, t) for t in (np.uint64, np.int64, bool, bool, bool)))


@dataclass(frozen=True)
class _Words:
    """Where the words of a batch of texts are: the joined UTF-8 bytes, each word's
    [start, end) byte offsets in them, its text index, and its 64-bit hash."""

    data: bytes
    starts: np.ndarray
    ends: np.ndarray
    doc: np.ndarray
    hashes: np.ndarray


def _words(texts: Sequence[str]) -> _Words | None:
    """Cut and hash every word of every text in one vectorised pass (None: no words).

    Why this shape: it runs on every ingested article. Case folding and the word-byte test are
    ``bytes.lower`` and ``bytes.translate`` (C loops, no index arrays); word edges are the
    changes of that flag; a word's hash is a difference of prefix sums of ``byte * P**i``.
    """
    encoded = [t.encode("utf-8") for t in texts]
    # One separator byte between texts so that no word spans two of them.
    data = b"\n".join(encoded)
    if not data:
        return None
    # Word flags padded with a non-word byte at both ends: position i of the padded array is
    # byte i - 1, so flag changes fall exactly on word starts and (exclusive) ends.
    flags = np.frombuffer(b"\0" + data.translate(_WORD_FLAGS) + b"\0", dtype=np.int8)
    edges = np.flatnonzero(flags[1:] != flags[:-1])
    if edges.size == 0:
        return None
    starts, ends = edges[0::2], edges[1::2]
    size = len(data)
    _ensure_powers(size + 1)
    with np.errstate(over="ignore"):
        prefix = np.empty(size + 1, dtype=np.uint64)
        prefix[0] = 0
        np.multiply(np.frombuffer(data.lower(), dtype=np.uint8), _powers[:size], out=prefix[1:])
        np.cumsum(prefix[1:], out=prefix[1:])
        raw_hash = (prefix[ends] - prefix[starts]) * _inv_powers[starts]
        # Mix in the word length so that words differing only by trailing zero bytes differ.
        hashes = _mix(raw_hash + (ends - starts).astype(np.uint64))
    # Text i starts at byte sum(len(text j) + 1 for j < i); its words are a contiguous run.
    text_starts = np.cumsum([0] + [len(b) + 1 for b in encoded[:-1]])
    first_word = np.searchsorted(starts, text_starts)
    counts = np.diff(first_word, append=starts.size)
    doc = np.repeat(np.arange(len(encoded), dtype=np.int64), counts)
    return _Words(data, starts, ends, doc, hashes)


def word_table(texts: Sequence[str]) -> WordTable:
    """Hash every word of every text in one vectorised pass."""
    w = _words(texts)
    if w is None:
        return _EMPTY_TABLE
    raw = np.frombuffer(w.data, dtype=np.uint8)
    first = raw[w.starts]
    # A sentence opens where a full stop, ! ? or line break lies between two words: compare
    # running counts of those bytes at the previous word's end and at this word's start.
    punct = np.zeros(raw.size + 1, dtype=np.int32)
    np.cumsum(np.frombuffer(w.data.translate(_PUNCT_FLAGS), dtype=np.uint8), dtype=np.int32,
              out=punct[1:])
    prev_end = np.concatenate(([0], w.ends[:-1]))
    initial = punct[w.starts] > punct[prev_end]
    initial[0] = True
    initial |= np.concatenate(([True], w.doc[1:] != w.doc[:-1]))
    return WordTable(w.hashes, w.doc, (first >= 65) & (first <= 90), initial,
                     (first >= 48) & (first <= 57))


def word_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the lower-cased words of each text, and each word's text index."""
    w = _words(texts)
    if w is None:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    return w.hashes, w.doc


def ngram_hashes(hashes: np.ndarray, doc: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every run of ``k`` consecutive items of one text, and the run's text index."""
    n = hashes.size - k + 1
    if n <= 0:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    with np.errstate(over="ignore"):
        acc = hashes[:n] * _SHINGLE_MULT[0]
        for j in range(1, k):
            acc += hashes[j: n + j] * _SHINGLE_MULT[j]
        acc = _mix(acc)
    valid = doc[:n] == doc[k - 1:]
    return acc[valid], doc[:n][valid]


def shingle_hashes(texts: Sequence[str], k: int = SHINGLE_WORDS) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every k-word shingle of each text, and each shingle's text index.

    Texts with fewer than ``k`` words yield no shingles (exact copies of such short texts are
    caught by the content hash instead).
    """
    if not 1 <= k <= len(_SHINGLE_MULT):
        raise ValueError(f"shingle size must be 1..{len(_SHINGLE_MULT)}")
    wh, doc = word_hashes(texts)
    return ngram_hashes(wh, doc, k)


def shingle_set(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted unique shingle hashes of one text: the exact set used to verify a candidate."""
    hashes, _ = shingle_hashes([text], k)
    return np.unique(hashes)


#: Texts per vectorised pass in :func:`minhash` and :func:`shingle_sets`: small enough for
#: the per-byte arrays (8 bytes per text byte) to stay in the CPU cache.
_SKETCH_CHUNK = 64


def shingle_sets(texts: Sequence[str], k: int = SHINGLE_WORDS,
                 chunk: int = _SKETCH_CHUNK) -> list[np.ndarray]:
    """:func:`shingle_set` of many texts, computed in batches of ``chunk``."""
    out: list[np.ndarray] = []
    for start in range(0, len(texts), chunk):
        part = texts[start:start + chunk]
        hashes, doc = shingle_hashes(part, k)
        # Shingles come out grouped by text: sorting each text's run in place is several times
        # cheaper than a two-key sort of the whole batch.
        bounds = np.searchsorted(doc, np.arange(len(part) + 1)).tolist()
        for i in range(len(part)):
            hashes[bounds[i]:bounds[i + 1]].sort()
        keep = np.ones(hashes.size, dtype=bool)
        keep[1:] = (hashes[1:] != hashes[:-1]) | (doc[1:] != doc[:-1])
        hashes, doc = hashes[keep], doc[keep]
        bounds = np.searchsorted(doc, np.arange(len(part) + 1)).tolist()
        out.extend(hashes[bounds[i]:bounds[i + 1]] for i in range(len(part)))
    return out


def minhash(texts: Sequence[str], k: int = SHINGLE_WORDS) -> tuple[np.ndarray, np.ndarray]:
    """One-permutation MinHash sketches, shape ``(len(texts), NUM_BINS)`` uint32, and the
    number of (possibly repeated) shingles of each text. A text without shingles gets a
    sketch of all ``EMPTY``.
    """
    n_docs = len(texts)
    sig = np.full(n_docs * NUM_BINS, EMPTY, dtype=np.uint32)
    counts = np.zeros(n_docs, np.int64)
    # Texts go through in cache-sized slices: faster than one pass over a large batch.
    for start in range(0, n_docs, _SKETCH_CHUNK):
        part = texts[start:start + _SKETCH_CHUNK]
        sh, doc = shingle_hashes(part, k)
        counts[start:start + len(part)] = np.bincount(doc, minlength=len(part))
        if sh.size:
            bins = (sh >> _U64(57)).astype(np.int64)  # top 7 bits choose one of 128 bins
            values = ((sh >> _U64(16)) & _U64(0xFFFFFFFF)).astype(np.uint32)
            values = np.minimum(values, EMPTY - np.uint32(1))  # EMPTY is reserved
            np.minimum.at(sig, (doc + start) * NUM_BINS + bins, values)
    sig = sig.reshape(n_docs, NUM_BINS)
    _densify(sig)
    return sig, counts


def _densify(sig: np.ndarray) -> None:
    """Fill empty bins from the next non-empty bin to the right (circularly), in place."""
    empty = sig == EMPTY
    rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
    if rows.size == 0:
        return
    sub = sig[rows]
    twice = np.concatenate([sub, sub], axis=1)
    filled = twice != EMPTY
    idx = np.where(filled, np.arange(2 * NUM_BINS), 2 * NUM_BINS)
    # nearest filled position at or after each position: reverse cumulative minimum
    nxt = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1][:, :NUM_BINS]
    dist = (nxt - np.arange(NUM_BINS)).astype(np.uint64)
    borrowed = np.take_along_axis(twice, nxt, axis=1).astype(np.uint64)
    with np.errstate(over="ignore"):
        rotated = ((borrowed + dist * np.uint64(_ROTATE_STEP)) & np.uint64(0xFFFFFFFE))
    sig[rows] = np.where(sub == EMPTY, rotated.astype(np.uint32), sub)


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Exact Jaccard and containment (overlap over the smaller set) of two shingle sets."""
    if a.size == 0 or b.size == 0:
        return 0.0, 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    union = a.size + b.size - inter
    return inter / union, inter / min(a.size, b.size)
