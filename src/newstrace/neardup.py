"""Near-verbatim copies: banded LSH over MinHash sketches, exact verification, copy clusters.

Candidates come from an LSH index (sub-quadratic: only articles sharing a band are compared);
each candidate pair is then verified on the exact shingle sets before it is reported. A pair is
a copy when its Jaccard similarity is high, or when one text is almost wholly contained in the
other (a reprint with boilerplate added, or with its last paragraphs cut).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .graph import components
from .fingerprints import EMPTY, NUM_BINS, SHINGLE_WORDS, shingle_sets, similarity
from .store.base import CopyCluster, DuplicatePair

#: Name of the sketch scheme stored with each sketch; bump it when fingerprints change.
SKETCH_SCHEME = f"oph{NUM_BINS}-w{SHINGLE_WORDS}-v1"


@dataclass(frozen=True)
class NearDupConfig:
    """Thresholds for near-duplicates.

    ``bands`` x ``rows`` must equal the sketch length. 32 bands of 4 rows make pairs with
    Jaccard 0.5 candidates with probability 0.87 and Jaccard 0.6 with 0.99.
    """

    bands: int = 32
    rows: int = 4
    min_jaccard: float = 0.5
    min_containment: float = 0.8
    min_shingles: int = 20  # containment over fewer shingles than this proves little

    def __post_init__(self) -> None:
        if self.bands * self.rows != NUM_BINS:
            raise ValueError(f"bands x rows must be {NUM_BINS}")


class LSHIndex:
    """Banded LSH over sketches; ``add`` and ``query`` work one article at a time (streaming)."""

    def __init__(self, config: NearDupConfig | None = None) -> None:
        self.config = config or NearDupConfig()
        self._buckets: list[dict[bytes, list[str]]] = [{} for _ in range(self.config.bands)]

    def _keys(self, sketch: np.ndarray) -> list[bytes]:
        r = self.config.rows
        raw = np.ascontiguousarray(sketch, dtype=np.uint32).tobytes()
        step = 4 * r
        return [raw[i * step:(i + 1) * step] for i in range(self.config.bands)]

    def query(self, sketch: np.ndarray) -> set[str]:
        """Ids sharing at least one band with ``sketch``."""
        if bool((sketch == EMPTY).all()):
            return set()
        found: set[str] = set()
        for bucket, key in zip(self._buckets, self._keys(sketch)):
            hit = bucket.get(key)
            if hit:
                found.update(hit)
        return found

    def add(self, item_id: str, sketch: np.ndarray) -> set[str]:
        """Insert an article and return the candidates it collided with."""
        if bool((sketch == EMPTY).all()):
            return set()
        found: set[str] = set()
        for bucket, key in zip(self._buckets, self._keys(sketch)):
            hit = bucket.get(key)
            if hit is None:
                bucket[key] = [item_id]
            else:
                found.update(hit)
                hit.append(item_id)
        return found


def verify(a_id: str, b_id: str, a_set: np.ndarray, b_set: np.ndarray,
           same_text: bool, config: NearDupConfig) -> DuplicatePair | None:
    """An exact check of one candidate pair; ``None`` when it is not a copy."""
    a, b = (a_id, b_id) if a_id < b_id else (b_id, a_id)
    if same_text:
        return DuplicatePair(a, b, "exact", 1.0, 1.0)
    jac, cont = similarity(a_set, b_set)
    small = min(a_set.size, b_set.size)
    if jac >= config.min_jaccard or (cont >= config.min_containment
                                     and small >= config.min_shingles):
        return DuplicatePair(a, b, "near_duplicate", round(jac, 4), round(cont, 4))
    return None


def band_candidates(sketches: np.ndarray, config: NearDupConfig | None = None
                    ) -> np.ndarray:
    """Candidate pairs (row indexes, ``i < j``) of sketches that share at least one band.

    The batch form of :class:`LSHIndex`: each band's keys are sorted once and runs of equal keys
    become pairs. A run longer than ``max_run`` (many exact copies) is linked as a chain and a
    star rather than all its pairs: copy groups come out the same, at linear cost.
    """
    config = config or NearDupConfig()
    n = len(sketches)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    valid = ~(sketches == EMPTY).all(axis=1)
    rows = np.flatnonzero(valid)
    bands = np.ascontiguousarray(sketches[rows]).view(np.uint64).reshape(
        len(rows), config.bands, config.rows // 2)
    found = []
    max_run = 32
    for b in range(config.bands):
        key = bands[:, b, 0] * np.uint64(0x9E3779B97F4A7C15)
        for j in range(1, bands.shape[2]):
            key = (key ^ bands[:, b, j]) * np.uint64(0xBF58476D1CE4E5B9)
        order = np.argsort(key, kind="stable")
        k = key[order]
        same = np.flatnonzero(k[1:] == k[:-1])
        if same.size == 0:
            continue
        # runs of equal keys: [run_start, run_end) in sorted order
        starts = same[np.concatenate(([True], np.diff(same) > 1))]
        ends = same[np.concatenate((np.diff(same) > 1, [True]))] + 2
        two = (ends - starts) == 2  # most runs are one pair: no Python loop for those
        found.append(np.stack([order[starts[two]], order[starts[two] + 1]], axis=1))
        for s0, e0 in zip(starts[~two].tolist(), ends[~two].tolist()):
            members = order[s0:e0]
            if len(members) <= max_run:
                ii, jj = np.triu_indices(len(members), 1)
                found.append(np.stack([members[ii], members[jj]], axis=1))
            else:
                chain = np.stack([members[:-1], members[1:]], axis=1)
                star = np.stack([np.full(len(members) - 1, members[0]), members[1:]], axis=1)
                found.extend([chain, star])
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = rows[np.concatenate(found)]
    pairs.sort(axis=1)
    pairs = np.unique(pairs, axis=0)
    return pairs[pairs[:, 0] != pairs[:, 1]]


def find_duplicates(ids: Sequence[str], sketches: np.ndarray,
                    load_texts: Callable[[Sequence[str]], dict[str, str]],
                    config: NearDupConfig | None = None,
                    progress: Callable[[int], None] | None = None) -> list[DuplicatePair]:
    """Every verified near-duplicate pair among the sketched articles.

    ``load_texts`` returns the normalised bodies of the given ids; it is called only for
    articles that are in at least one candidate pair.
    """
    config = config or NearDupConfig()
    cand = band_candidates(sketches, config)
    if progress:
        progress(len(ids))
    if len(cand) == 0:
        return []
    needed = sorted({ids[i] for i in np.unique(cand).tolist()})
    texts = load_texts(needed)
    sets = shingle_sets([texts[i] for i in needed])
    set_of = dict(zip(needed, sets))
    pairs = []
    for i, j in cand.tolist():
        a, b = ids[i], ids[j]
        pair = verify(a, b, set_of[a], set_of[b], texts[a] == texts[b], config)
        if pair is not None:
            pairs.append(pair)
    pairs.sort(key=lambda p: (p.a, p.b))
    return pairs


def cluster(pairs: Iterable[DuplicatePair],
            rank: Callable[[str], tuple] | None = None) -> list[CopyCluster]:
    """Connected components of the copy graph, with deterministic ids.

    The representative is the first member by ``rank`` (e.g. earliest publication), else the
    smallest id; the cluster id is derived from its sorted members.
    """
    groups = components((p.a, p.b) for p in pairs)
    clusters = []
    for members in groups:
        digest = hashlib.sha256("\n".join(members).encode()).hexdigest()[:12]
        rep = min(members, key=rank) if rank else members[0]
        clusters.append(CopyCluster(f"dup_{digest}", tuple(members), rep))
    clusters.sort(key=lambda c: (-len(c.members), c.id))
    return clusters
