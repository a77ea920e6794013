"""The stage functions of ``newstrace.pipeline`` beyond ingest (tested in test_ingest)."""

from __future__ import annotations

import shutil
from pathlib import Path

from newstrace import pipeline
from newstrace.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def test_spin_in_worker_processes_gives_the_same_verdicts(tmp_path: Path) -> None:
    """Scored in two forked workers, chunk by chunk, the verdicts are those of one process and
    are all stored."""
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    with open_store(one) as store:
        pipeline.ingest(store, [str(ROOT / "examples")])
    shutil.copy(one, two)
    with open_store(one) as store:
        serial = pipeline.detect_spin(store, chunk_size=16)
    with open_store(two) as store:
        forked = pipeline.detect_spin(store, workers=2, chunk_size=16)
        stored = store.spin_reports()
    assert len(serial) == 64 and forked == serial
    assert stored == forked
    assert sum(r["verdict"] for r in forked.values()) >= 1  # seed 003


def test_direction_compares_dates_written_in_different_forms(tmp_path: Path) -> None:
    """An RSS date (RFC 822) of the 7th against an ISO date of the 8th: the article of the 7th
    is the source. As strings, "Wed, 07 Jul" sorted after "2021-07-08"."""
    import json

    body = (ROOT / "examples/seeds/000_4939783a04e9bdd2.txt").read_text(encoding="utf-8")
    title, _, text = body.partition("\n")
    src = tmp_path / "feed.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in (
        {"id": "orig", "title": title, "text": text, "published": "Wed, 07 Jul 2021 09:00:00 GMT"},
        {"id": "copy", "title": "Reprint: " + title, "text": text + "\n\nShare this story.",
         "published": "2021-07-08"},
    )) + "\n", encoding="utf-8")
    with open_store(tmp_path / "s.db") as store:
        pipeline.ingest(store, [str(src)])
        pipeline.find_copies(store)
        pipeline.find_provenance(store)
        ext = {a.first("external_id"): a.id for a in store.iter_articles()}
        links = store.reuse_links()
    assert [(x.copy, x.source, x.direction) for x in links] == [
        (ext["copy"], ext["orig"], "published")]


def test_sources_of_a_stored_article_agrees_with_the_stored_links(tmp_path: Path,
                                                                  build_examples) -> None:
    """Where nothing decides a pair's direction (the undated reprint of an undated article),
    'sources' of either article says what analyze stored, not each the other's copy."""
    db = tmp_path / "examples.db"
    ids = build_examples(db)
    reprint = ids["examples/reprints/daily-reprint-network.html"]
    with open_store(db, readonly=True) as store:
        link = store.reuse_links(reprint)[0]
        for aid in (link.copy, link.source):
            sources, copies = pipeline.sources_of(store, store.get_article(aid))
            got = {(x.copy, x.source) for x in (*sources, *copies)}
            assert (link.copy, link.source) in got
            assert (link.source, link.copy) not in got
