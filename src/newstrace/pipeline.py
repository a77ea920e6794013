"""The stages chained together: ingest into the store, then the analyses over it.

Each stage is a short function taking the store and the config; the CLI only parses arguments
and calls these.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .config import Config
from .fingerprints import minhash
from .ingest import Unit, build_article, iter_units, read_unit
from .models import Article, MetaValue, Origin, Skip
from .neardup import SKETCH_SCHEME, cluster, find_duplicates
from .progress import SILENT, Progress
from . import provenance
from .reuse_index import ReuseIndex, reuse_features
from .store.base import CopyCluster, DuplicatePair, ReuseLink, Store
from .text import normalize


@dataclass(frozen=True)
class InputOutcome:
    """What became of one input record: stored as new, already stored, or skipped."""

    origin: Origin
    status: Literal["new", "existing", "skipped"]
    article_id: str | None = None
    reason: str | None = None


@dataclass
class IngestResult:
    run_id: int
    outcomes: list[InputOutcome] = field(default_factory=list)
    #: files met in the given directories that are not article files, by extension
    left_out: dict[str, int] = field(default_factory=dict)

    @property
    def new(self) -> int:
        return sum(o.status == "new" for o in self.outcomes)

    @property
    def existing(self) -> int:
        return sum(o.status == "existing" for o in self.outcomes)

    @property
    def skipped(self) -> list[InputOutcome]:
        return [o for o in self.outcomes if o.status == "skipped"]


def prepare(units: Sequence[Unit | Skip], max_bytes: int) -> tuple[list[Article | Skip],
                                                                    np.ndarray]:
    """Units of input to articles (or skips) plus the sketches of the articles, in order.

    A top-level function so that worker processes can run it: workers read, parse, normalise,
    extract metadata and sketch; only storing stays in the main process.
    """
    items: list[Article | Skip] = []
    for unit in units:
        if isinstance(unit, Skip):
            items.append(unit)
            continue
        for rec in read_unit(unit, max_bytes):
            items.append(rec if isinstance(rec, Skip) else build_article(rec))
    texts = [a.norm_body for a in items if isinstance(a, Article)]
    sketches, _ = minhash(texts)
    return items, sketches


def _prepare_packed(units: Sequence[Unit | Skip], max_bytes: int) -> tuple[list, np.ndarray]:
    """:func:`prepare` for a worker: results as plain tuples, which pickle several times faster
    than dataclasses (the results of every article cross the process boundary)."""
    items, sketches = prepare(units, max_bytes)
    packed = [("s", i.origin.path, i.origin.line, i.origin.fmt, i.reason) if isinstance(i, Skip)
              else ("a", i.id, i.title, i.body, [tuple(m) for m in i.meta],
                    None if i.origin is None else tuple(i.origin)) for i in items]
    return packed, sketches


def _unpack(packed: list) -> list[Article | Skip]:
    out: list[Article | Skip] = []
    # tuple.__new__ builds the named tuples from their packed fields without a Python-level
    # call per value (an article carries about six metadata values).
    new_tuple = tuple.__new__
    for p in packed:
        if p[0] == "s":
            out.append(Skip(Origin(p[1], p[2], p[3]), p[4]))
        else:
            out.append(Article(p[1], p[2], p[3], [new_tuple(MetaValue, m) for m in p[4]],
                               None if p[5] is None else new_tuple(Origin, p[5])))
    return out


def _batches(it: Iterable, size: int) -> Iterator[list]:
    it = iter(it)
    while batch := list(islice(it, size)):
        yield batch


def _prepared(batches: Iterator[list], workers: int, max_bytes: int
              ) -> Iterator[tuple[list[Article | Skip], np.ndarray]]:
    """Prepared batches in input order; with workers, a bounded window of batches in flight."""
    if workers <= 1:
        for batch in batches:
            yield prepare(batch, max_bytes)
        return
    # Forked workers share the caller's memory copy-on-write; freezing the garbage collector's
    # view of it keeps a worker's collections from touching (and so copying) those pages.
    gc.freeze()
    try:
        yield from _prepared_in_pool(batches, workers, max_bytes)
    finally:
        gc.unfreeze()


#: Most units one worker task prepares: a store batch larger than this is split among the
#: workers, and its parts are joined again before the batch is stored in one transaction.
_WORKER_CHUNK = 256


def _prepared_in_pool(batches: Iterator[list], workers: int, max_bytes: int
                      ) -> Iterator[tuple[list[Article | Skip], np.ndarray]]:
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        window: deque = deque()  # per batch in flight: the futures of its parts
        queued = 0  # parts in flight
        for batch in batches:
            parts = [pool.submit(_prepare_packed, batch[i:i + _WORKER_CHUNK], max_bytes)
                     for i in range(0, len(batch), _WORKER_CHUNK)]
            window.append(parts)
            queued += len(parts)
            # Hand the oldest batch over only while the workers keep enough queued work.
            while window and queued - len(window[0]) >= 2 * workers:
                done = window.popleft()
                queued -= len(done)
                yield _joined([f.result() for f in done])
        while window:
            yield _joined([f.result() for f in window.popleft()])


def _joined(parts: list[tuple[list, np.ndarray]]) -> tuple[list[Article | Skip], np.ndarray]:
    """One prepared batch from the packed results of its parts, in order."""
    if len(parts) == 1:
        packed, sketches = parts[0]
        return _unpack(packed), sketches
    items = [item for packed, _ in parts for item in _unpack(packed)]
    return items, np.concatenate([sketches for _, sketches in parts])


def ingest(store: Store, paths: Sequence[str], config: Config = Config(),
           progress: Progress = SILENT,
           on_skip: Callable[[Skip], None] | None = None,
           labels: dict[str, str] | None = None) -> IngestResult:
    """Read every input and store its articles, one transaction per batch.

    Safe to interrupt and re-run: a batch is stored whole or not at all, and articles already
    stored are recognised by their content id.
    """
    run_id = store.start_run("ingest", {"paths": list(paths)})
    result = IngestResult(run_id)
    left_out: Counter[str] = Counter()
    batches = _batches(iter_units(paths, config.max_bytes, left_out), config.batch_size)
    status = "failed"
    try:
        with progress.bar("ingest", unit=" articles") as bar:
            for items, sketches in _prepared(batches, config.workers, config.max_bytes):
                if labels:
                    items = [_relabel(i, labels) for i in items]
                _store_batch(store, items, sketches, result, on_skip)
                bar.update(len(items))
        status = "partial" if result.skipped else "ok"
        result.left_out = dict(sorted(left_out.items()))
    finally:
        store.finish_run(run_id, status, {"new": result.new, "existing": result.existing,
                                          "skipped": len(result.skipped)})
    return result


def _relabel(item: Article | Skip, labels: dict[str, str]) -> Article | Skip:
    """Record an input under the name its caller gave it (an upload, not its temp file)."""
    origin = item.origin
    if origin is None or origin.path not in labels:
        return item
    new = origin._replace(path=labels[origin.path])
    if isinstance(item, Skip):
        return Skip(new, item.reason)
    item.origin = new
    return item


def _store_batch(store: Store, items: list[Article | Skip], sketches: np.ndarray,
                 result: IngestResult, on_skip: Callable[[Skip], None] | None) -> None:
    articles = [a for a in items if isinstance(a, Article)]
    skips = [s for s in items if isinstance(s, Skip)]
    is_new = store.add_articles(articles, sketches, SKETCH_SCHEME, result.run_id) \
        if articles else []
    store.add_skips(result.run_id, skips)
    flags = iter(is_new)
    for item in items:
        if isinstance(item, Skip):
            result.outcomes.append(InputOutcome(item.origin, "skipped", reason=item.reason))
            if on_skip:
                on_skip(item)
        else:
            status = "new" if next(flags) else "existing"
            result.outcomes.append(InputOutcome(item.origin, status, item.id))  # type: ignore[arg-type]


def ensure_sketches(store: Store, progress: Progress = SILENT) -> None:
    """Sketch articles stored without a current sketch (e.g. by an older version)."""
    missing = store.missing_sketches(SKETCH_SCHEME)
    with progress.bar("fingerprint", total=len(missing), unit=" articles") as bar:
        for chunk in _batches(missing, 512):
            arts = list(store.iter_articles(chunk))
            sketches, _ = minhash([a.norm_body for a in arts])
            store.put_sketches([a.id for a in arts], sketches, SKETCH_SCHEME)
            bar.update(len(chunk))


def find_copies(store: Store, config: Config = Config(),
                progress: Progress = SILENT) -> tuple[list[DuplicatePair], list[CopyCluster]]:
    """Find, verify and cluster near-verbatim copies across the whole store; store them."""
    ensure_sketches(store, progress)
    ids, sketches = store.sketches(SKETCH_SCHEME)
    published: dict[str, str | None] = {}

    def load_texts(wanted: Sequence[str]) -> dict[str, str]:
        rows = store.bodies(wanted)
        published.update((i, p) for i, (_, p) in rows.items())
        return {i: normalize(body) for i, (body, _) in rows.items()}

    with progress.bar("near-duplicates", total=len(ids), unit=" articles") as bar:
        pairs = find_duplicates(ids, sketches, load_texts, config.neardup, bar.update)
    clusters = cluster(pairs, rank=lambda i: (published.get(i) or "~", i))
    store.replace_duplicates(pairs, clusters)
    return pairs, clusters


def find_provenance(store: Store, config: Config = Config(),
                    progress: Progress = SILENT) -> list[ReuseLink]:
    """Find every reuse relation in the store (copies, spun rewrites, paraphrases, partial
    reuse), store them with their evidence, and refresh the learned substitution lexicon."""
    articles = list(store.iter_articles())
    with progress.bar("provenance", total=len(articles), unit=" articles") as bar:
        found = provenance.find_sources(articles, config.provenance, bar.update)
    links = [provenance.to_record(x) for x in found]
    store.replace_reuse_links(links, provenance.learn_lexicon(found))
    return links


def find_events(store: Store, progress: Progress = SILENT) -> list[dict]:
    """Group the stored articles by the real-world event they report (copies follow their
    source's event), describe each event with a card, and store them."""
    from . import events

    articles = list(store.iter_articles())
    copies = provenance.origins(store.reuse_links())
    with progress.bar("events", total=len(articles), unit=" articles") as bar:
        feats = []
        for art in articles:
            feats.append(events.article_features(art))
            bar.update(1)
    groups = events.cluster(feats, copies=copies)
    cards = [c.to_dict() for c in events.cards(feats, groups, copies)]
    by_id = {a.id: a for a in articles}
    for card in cards:
        card["facts"] = event_facts(card, by_id, copies)
    members = {a: eid for eid, ids in groups.items() for a in ids}
    store.replace_events(cards, members)
    return cards


def event_facts(card: dict, articles: dict[str, Article],
                copies: dict[str, str] | None = None) -> list[dict]:
    """The facts of one event lined up across its sources. ``copies`` (article -> its origin,
    :func:`provenance.origins`): a copy is no independent confirmation, so a pair of sources
    where one copies the other, or both the same origin, gets status ``copy``. Publication
    dates let a later report's different figure be an ``update`` and resolve the days counts
    give ("Wednesday night"). A count whose counted thing was not found ("killing dozens") is
    not comparable. An event of one article gets that article's facts, all ``single-source``
    (the app and the report mark them in its text without reading it again)."""
    from .facts import compare_facts

    ids = [a["id"] for a in card.get("articles", []) if a["id"] in articles]
    if not ids:
        return []
    rows = compare_facts([(i, articles[i].title, articles[i].body) for i in ids],
                         published={i: d for i in ids if (d := articles[i].first("published"))},
                         copies={i: o for i, o in (copies or {}).items() if i in ids},
                         names=len(ids) > 1)
    return [r.to_dict() for r in rows if not (r.kind == "count" and "?" in r.key)]


def detect_spin(store: Store, progress: Progress = SILENT, workers: int = 1,
                chunk_size: int = 256, config: Any = None) -> dict[str, dict]:
    """The single-article spin verdict of every stored article (with the substitutions learned
    from confirmed spun copies in the store), stored and returned by article id. With
    ``workers`` > 1 the texts are scored in that many forked processes (the detector's tables,
    loaded once here, are shared with them); the store is written here, in id order, so the
    result is the same whatever the number of workers. ``config`` is a
    :class:`newstrace.spin.SpinConfig`; with the language model the scoring stays in this
    process (the model uses every core, and does not survive a fork), a chunk at a time."""
    from . import spin

    learned = [(e.original, e.substitute, e.count) for e in store.lexicon()]
    ids = store.article_ids()
    out: dict[str, dict] = {}
    if config is not None and config.language_model:
        workers, chunk_size = 1, min(chunk_size, 16)
    chunks = list(_batches(ids, chunk_size))
    with progress.bar("spin", total=len(ids), unit=" articles") as bar:
        if workers <= 1 or len(chunks) < 2:
            for chunk in chunks:
                bodies = store.bodies(chunk)
                _store_spin(store, chunk, _spin_chunk([bodies[i][0] for i in chunk], learned,
                                                      config), out, bar)
            return out
        spin.default_detector()  # load the tables before forking: the workers inherit them
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            pending: deque = deque()
            for chunk in chunks:
                bodies = store.bodies(chunk)
                pending.append((chunk, pool.submit(_spin_chunk, [bodies[i][0] for i in chunk],
                                                   learned)))
                while len(pending) > 2 * workers:  # keep a few chunks in flight, no more
                    chunk, future = pending.popleft()
                    _store_spin(store, chunk, future.result(), out, bar)
            while pending:
                chunk, future = pending.popleft()
                _store_spin(store, chunk, future.result(), out, bar)
    return out


def _spin_chunk(texts: list[str], learned: list[tuple[str, str, int]],
                config: Any = None) -> list[dict]:
    from . import spin

    return [r.to_dict() for r in spin.detect_many(texts, learned=learned, config=config)]


def _store_spin(store: Store, chunk: list[str], reports: list[dict], out: dict[str, dict],
                bar) -> None:
    batch = dict(zip(chunk, reports))
    store.put_spin_reports(batch)
    out.update(batch)
    bar.update(len(chunk))


def reuse_index(store: Store, config: Config = Config(),
                progress: Progress = SILENT) -> ReuseIndex:
    """The store's reuse index, kept as a cache next to a file store and brought up to date
    with articles stored since: a query is then matched against an index, not the corpus."""
    cache = _index_cache(store)
    index = ReuseIndex.load(cache) if cache else None
    if index is None or index.max_df != config.provenance.max_df:
        index = ReuseIndex(max_df=config.provenance.max_df)
    have = set(index.ids)
    missing = [i for i in store.article_ids() if i not in have]
    if not missing:
        return index
    with progress.bar("reuse index", total=len(missing), unit=" articles") as bar:
        for chunk in _batches(missing, 1024):
            bodies = store.bodies(chunk)
            batch = reuse_features([normalize(bodies[i][0]) for i in chunk])
            if len(chunk) > 64:
                index.build(chunk, batch)
            else:
                for n, i in enumerate(chunk):
                    index.add(i, batch.of(n))
            bar.update(len(chunk))
    if cache:
        try:
            index.save(cache)
        except OSError:  # a read-only place: the index still serves this run
            pass
    return index


def _index_cache(store: Store) -> Path | None:
    location = Path(store.location)
    return location.with_name(location.name + ".reuse-index") if location.suffix else None


def sources_of(store: Store, article: Article, config: Config = Config(),
               index: ReuseIndex | None = None
               ) -> tuple[list[provenance.SourceLink], list[provenance.SourceLink]]:
    """The sources of one article (stored or not) among the stored articles, and the stored
    articles that copy it, with the evidence. The article is matched against the store's
    reuse index; only the candidates it returns are read and aligned."""
    index = index if index is not None else reuse_index(store, config)
    query = reuse_features([article.norm_body]).of(0)
    found = index.query(query, k=config.provenance.candidates, exclude=article.id,
                        min_score=config.provenance.min_candidate_score)
    candidates = {a.id: a for a in store.iter_articles([i for i, _ in found])}
    # a stored article's pairs keep the direction analyze stored (where nothing decides it,
    # the tie goes the same way here as there, so that 'sources' and 'show' agree)
    stored = {(x.copy, x.source) for x in store.reuse_links(article.id)}
    sources, copies = [], []
    pc = config.provenance
    spun = provenance.SpinCache() if pc.despin else None
    for other, retrieved in found:
        prefer = article.id if (other, article.id) in stored else other
        # as analyze judges it (a heavily spun side aligned de-spun where needed)
        link = provenance.judge_pair(candidates[other], article, retrieved, pc, spun,
                                     prefer_source=prefer)
        if link is None:
            continue
        (sources if link.copy == article.id else copies).append(link)
    return provenance.primary_sources(sources), sorted(copies, key=lambda x: x.copy)
