"""Plain data records passed between pipeline stages.

They hold no behaviour beyond small conveniences, so that every stage (ingest, fingerprints,
store, report) can be read and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, NamedTuple

#: Where a metadata value came from: the container (JSON field, HTML meta tag), the article
#: text itself (dateline, credit line), or a guess (e.g. language from stopwords).
Provenance = Literal["container", "text", "guessed"]

#: Metadata fields an article can carry; each may hold several values (e.g. two authors).
META_FIELDS = (
    "url",
    "published",
    "outlet",
    "language",
    "author",
    "dateline",
    "credit",
    "credit_style",
    "agency",
    "external_id",
    "published_unparsed",  # a container's date that could not be read (never compared)
)


class MetaValue(NamedTuple):
    """One metadata value with the evidence for it.

    ``evidence`` is the exact text it was read from (a JSON field name for container values,
    the matched words for text values) so that a reader can check it. A named tuple: cheap to
    build, compare and send between processes (every article carries several).
    """

    field: str
    value: str
    source: Provenance
    evidence: str = ""
    start: int | None = None  # character offset in the article body, for text-derived values
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self._asdict().items() if v is not None and v != ""}


class Origin(NamedTuple):
    """Where an input record was read from: a file path (and line, for JSON Lines) or a URL."""

    path: str
    line: int | None = None  # 1-based line for JSON Lines, index+1 for JSON arrays
    fmt: str = "text"  # text | html | jsonl | json

    def label(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


_RANK = {"container": 0, "text": 1, "guessed": 2}


@dataclass(eq=False)
class Article:
    """One news article as stored: the original text kept byte-for-byte.

    ``id`` is derived from the normalised title and body (see :func:`newstrace.text.article_id`),
    so the same article read twice, from any container, has the same id. The normalised forms
    are computed on first use and never pickled or stored: they are derived data.
    """

    id: str
    title: str
    body: str
    meta: list[MetaValue] = field(default_factory=list)
    origin: Origin | None = None

    @cached_property
    def norm_title(self) -> str:
        from .text import normalize

        return normalize(self.title)

    @cached_property
    def norm_body(self) -> str:
        from .text import normalize

        return normalize(self.body)

    def __getstate__(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("id", "title", "body", "meta", "origin")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Article):
            return NotImplemented
        return self.__getstate__() == other.__getstate__()

    def first(self, name: str) -> str | None:
        """The first value of metadata field ``name``, preferring container over text over guesses."""
        best, best_rank = None, 9
        for m in self.meta:
            if m.field == name and _RANK[m.source] < best_rank:
                best, best_rank = m.value, _RANK[m.source]
        return best

    def values(self, name: str) -> list[str]:
        seen: list[str] = []
        for m in self.meta:
            if m.field == name and m.value not in seen:
                seen.append(m.value)
        return seen


@dataclass(frozen=True)
class Skip:
    """An input that could not become an article, with a one-line human reason."""

    origin: Origin
    reason: str

    def message(self) -> str:
        return f"{self.origin.label()}: {self.reason}"
