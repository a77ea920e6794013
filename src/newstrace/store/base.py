"""The one interface every storage back-end implements.

Analysis code talks only to :class:`Store`; SQLite is the default back-end, and another (e.g.
PostgreSQL) plugs in by implementing these methods. Each write method is one transaction:
it is stored whole or not at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..models import Article, Origin, Skip


@dataclass(frozen=True)
class DuplicatePair:
    """Two articles verified as near-verbatim copies; ``a`` < ``b``."""

    a: str
    b: str
    relation: str  # "exact" (same normalised body) or "near_duplicate"
    jaccard: float
    containment: float


@dataclass(frozen=True)
class CopyCluster:
    """A group of articles that are copies of one another, with a deterministic id."""

    id: str
    members: tuple[str, ...]
    representative: str


@dataclass(frozen=True)
class ReuseLink:
    """``copy`` reuses ``source``: stored provenance with its evidence (plain JSON-ready data)."""

    copy: str
    source: str
    relation: str
    score: float
    direction: str
    reasons: tuple[str, ...]
    features: dict[str, Any]
    evidence: dict[str, Any]


@dataclass(frozen=True)
class LexiconEntry:
    """A substitution seen in confirmed spun copies: ``original`` replaced by ``substitute``."""

    original: str
    substitute: str
    count: int
    pairs: int


class Store(ABC):
    """Articles, their fingerprints and analysis results."""

    location: str

    # -- lifecycle --------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def schema_version(self) -> int: ...

    # -- runs -------------------------------------------------------------------------------
    @abstractmethod
    def start_run(self, command: str, args: dict[str, Any]) -> int: ...

    @abstractmethod
    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None: ...

    @abstractmethod
    def add_skips(self, run_id: int, skips: Sequence[Skip]) -> None: ...

    @abstractmethod
    def skips(self, run_id: int) -> list[Skip]: ...

    # -- articles ---------------------------------------------------------------------------
    @abstractmethod
    def add_articles(self, articles: Sequence[Article], sketches: np.ndarray,
                     sketch_scheme: str, run_id: int | None = None) -> list[bool]:
        """Store a batch in one transaction; returns, per article, whether it was new.

        Articles already stored (same id) only gain a sighting of where they were seen again.
        """

    @abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def resolve_id(self, prefix: str) -> list[str]:
        """Ids (of any kind) that start with ``prefix``, for short ids typed by people."""

    @abstractmethod
    def article_ids(self) -> list[str]: ...

    @abstractmethod
    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]: ...

    @abstractmethod
    def bodies(self, ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """Original body and best publication date of each id: the lean read analyses need."""

    @abstractmethod
    def count_articles(self) -> int: ...

    @abstractmethod
    def update_search_index(self) -> int:
        """Add the articles stored since to the full-text index; returns how many."""

    @abstractmethod
    def search_ids(self, words: Sequence[str], limit: int = 1000) -> list[str]:
        """Articles whose title, text or metadata hold every one of ``words`` (whole words,
        case and accents ignored), best matches first."""

    @abstractmethod
    def outlets(self) -> list[tuple[str | None, int]]:
        """Each outlet (best value per article; None when unknown) with its article count."""

    @abstractmethod
    def sightings(self, article_id: str) -> list[Origin]: ...

    @abstractmethod
    def all_sightings(self) -> dict[str, list[Origin]]: ...

    # -- fingerprints -----------------------------------------------------------------------
    @abstractmethod
    def sketches(self, scheme: str) -> tuple[list[str], np.ndarray]:
        """Ids and stacked sketches of every article fingerprinted with ``scheme``."""

    @abstractmethod
    def missing_sketches(self, scheme: str) -> list[str]:
        """Articles with no sketch of ``scheme`` (stored by an older version, say)."""

    @abstractmethod
    def put_sketches(self, ids: Sequence[str], sketches: np.ndarray, scheme: str) -> None: ...

    # -- near-duplicates --------------------------------------------------------------------
    @abstractmethod
    def replace_duplicates(self, pairs: Sequence[DuplicatePair],
                           clusters: Sequence[CopyCluster]) -> None:
        """Replace every stored duplicate pair and copy cluster, in one transaction."""

    @abstractmethod
    def duplicate_pairs(self) -> list[DuplicatePair]: ...

    @abstractmethod
    def copy_clusters(self) -> list[CopyCluster]: ...

    # -- provenance -------------------------------------------------------------------------
    @abstractmethod
    def replace_reuse_links(self, links: Sequence[ReuseLink],
                            lexicon: Sequence[LexiconEntry]) -> None:
        """Replace every reuse link and the learned lexicon, in one transaction."""

    @abstractmethod
    def reuse_links(self, article_id: str | None = None) -> list[ReuseLink]:
        """All links, or those where ``article_id`` is the copy or the source."""

    @abstractmethod
    def reuse_relations(self) -> list[tuple[str, str, str]]:
        """(copy, source, relation) of every link, without the evidence: what filters and
        lists need, at a fraction of the cost of :meth:`reuse_links`."""

    @abstractmethod
    def count_reuse_links(self) -> int: ...

    @abstractmethod
    def lexicon(self) -> list[LexiconEntry]: ...

    # -- events -----------------------------------------------------------------------------
    @abstractmethod
    def replace_events(self, cards: Sequence[dict[str, Any]],
                       members: dict[str, str]) -> None:
        """Replace every event (its card) and the article -> event map, in one transaction."""

    @abstractmethod
    def events(self) -> list[dict[str, Any]]:
        """Every event card, largest first."""

    @abstractmethod
    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event card by id (or unique id prefix), or None."""

    @abstractmethod
    def event_id_of(self, article_id: str) -> str | None:
        """The event one article reports."""

    @abstractmethod
    def event_of(self) -> dict[str, str]:
        """Article id -> event id."""

    # -- spin -------------------------------------------------------------------------------
    @abstractmethod
    def put_spin_reports(self, reports: dict[str, dict[str, Any]]) -> None:
        """Store (replace) the spin verdicts of these articles, in one transaction."""

    @abstractmethod
    def spin_reports(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]: ...

    @abstractmethod
    def count_spun(self) -> int:
        """Articles the spin detector's verdict calls spun."""
