"""Provenance on real texts: copies found with their source, independent reports left alone."""

import json
from pathlib import Path

import numpy as np
import pytest

from newstrace.ingest import Record, build_article
from newstrace.models import MetaValue, Origin
from newstrace.pipeline import find_provenance, ingest, sources_of
from newstrace.provenance import compare, find_sources, learn_lexicon, origins
from newstrace.reuse_index import ReuseIndex, reuse_features
from newstrace.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
SAMPLE = ROOT / "examples" / "ecbplus" / "ecbplus_sample.jsonl"


def _article(title: str, body: str, published: str | None = None, name: str = "x"):
    fields = {"published": published} if published else {}
    art = build_article(Record(title, body, Origin(name), fields))
    assert not isinstance(art, type(None))
    return art


def _seed(name: str):
    text = next(SEEDS.glob(name + "*")).read_text(encoding="utf-8")
    title, _, body = text.strip().partition("\n")
    return _article(title.strip(), body.strip(), name=name)


def _sample() -> list[dict]:
    return [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines()]


def _swap(text: str, pairs: dict[str, str]) -> str:
    """A crude spinner for tests: whole-word swaps of common words for rarer synonyms."""
    import re

    return re.sub(r"[A-Za-z]+", lambda m: pairs.get(m.group(), m.group()), text)


SWAPS = {"said": "stated", "killed": "slain", "people": "folks", "hit": "struck",
         "houses": "dwellings", "buildings": "edifices", "injured": "harmed",
         "strong": "potent", "area": "locale", "quake": "temblor", "help": "assist",
         "homes": "abodes", "residents": "denizens", "struck": "smote", "damaged": "marred"}


def test_seeds_are_independent_reports() -> None:
    a, b = _seed("000"), _seed("003")
    assert compare(a, b) is None and compare(b, a) is None


def test_spun_copy_found_with_source_direction_and_substitutions() -> None:
    docs = _sample()
    quake = next(d for d in docs if "earthquake" in d["text"] and len(d["text"]) > 1500)
    original = _article(quake.get("title", ""), quake["text"], name="orig")
    spun = _article("Spun: " + quake.get("title", ""), _swap(quake["text"], SWAPS), name="spun")
    others = [_article(d.get("title", ""), d["text"], name=d["id"]) for d in docs
              if d["id"] != quake["id"]]
    links = find_sources(others + [original, spun])
    mine = [x for x in links if spun.id in (x.copy, x.source)]
    assert len(mine) == 1
    link = mine[0]
    assert (link.source, link.copy) == (original.id, spun.id)
    assert link.relation == "spun" and link.score > 0.9
    assert link.direction.decided_by == "wording"
    table = {(a, b) for a, b, _ in link.alignment.table()}
    assert ("said", "stated") in table
    lexicon = learn_lexicon(links)
    assert any(e.original == "said" and e.substitute == "stated" for e in lexicon)


def test_publication_time_decides_direction() -> None:
    body = " ".join(f"Paragraph {i}: the council met again to discuss the harbour repairs, "
                    f"and {i * 3} members voted for the plan after a long debate." for i in
                    range(12))
    early = _article("Council backs harbour plan", body, "2021-07-07", "early")
    late = _article("Harbour plan backed", body + " Subscribe for more.", "2021-07-09", "late")
    link = compare(late, early)
    assert link is not None and link.source == early.id and link.copy == late.id
    assert link.direction.decided_by == "published"
    assert link.relation in ("verbatim", "near_copy")


def test_origins_follow_chains() -> None:
    class L:  # minimal stand-ins for links
        def __init__(self, copy, source, score=1.0):
            self.copy, self.source, self.score = copy, source, score

    assert origins([L("c", "b"), L("b", "a"), L("d", "a")]) == {"c": "a", "b": "a", "d": "a"}


def test_reuse_index_incremental_matches_bulk() -> None:
    docs = _sample()[:30]
    texts = [d["text"] for d in docs]
    batch = reuse_features(texts)
    bulk = ReuseIndex()
    bulk.build([d["id"] for d in docs], batch)
    stream = ReuseIndex()
    for i, d in enumerate(docs):
        stream.add(d["id"], batch.of(i))
    for i in range(len(docs)):
        assert bulk.query(batch.of(i), k=3) == stream.query(batch.of(i), k=3)
        assert bulk.query(batch.of(i), k=1)[0][0] == docs[i]["id"]
    assert np.all(np.diff(batch.of(0).astype(np.float64)) > 0)  # sorted unique features


def test_store_round_trip_and_sources_command(tmp_path: Path, capsys) -> None:
    from newstrace.cli import main

    docs = _sample()
    quake = next(d for d in docs if "earthquake" in d["text"] and len(d["text"]) > 1500)
    spun_path = tmp_path / "spun.txt"
    spun_path.write_text("Spun quake story\n\n" + _swap(quake["text"], SWAPS), encoding="utf-8")
    db = tmp_path / "s.db"
    with open_store(db) as store:
        ingest(store, [str(SAMPLE), str(SEEDS)])
        links = find_provenance(store)
        assert all(x.copy != x.source for x in links)
        assert store.reuse_links() == links
        spun = build_article(Record("Spun quake story", spun_path.read_text().split("\n", 2)[2],
                                    Origin(str(spun_path)), {}))
        sources, copies = sources_of(store, spun)
    assert sources and sources[0].relation == "spun"
    assert main(["sources", str(spun_path), "--db", str(db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["stored"] is False and out["sources"][0]["relation"] == "spun"
    assert out["sources"][0]["source_paths"][0].startswith(str(SAMPLE))
    assert out["sources"][0]["evidence"]["substitution_table"]


def test_reuse_index_cache_is_saved_and_brought_up_to_date(tmp_path: Path) -> None:
    from newstrace.pipeline import reuse_index

    db = tmp_path / "s.db"
    with open_store(db) as store:
        ingest(store, [str(SAMPLE)])
        first = reuse_index(store)
        cache = tmp_path / "s.db.reuse-index"
        assert cache.is_dir() and len(first) == store.count_articles()
        loaded = ReuseIndex.load(cache)
        assert loaded is not None and loaded.ids == first.ids
        q = reuse_features([a.norm_body for a in store.iter_articles(first.ids[:1])]).of(0)
        assert loaded.query(q, k=3) == first.query(q, k=3)
        ingest(store, [str(SEEDS)])
        second = reuse_index(store)
        assert len(second) == store.count_articles() == len(first) + 2
        assert ReuseIndex.load(cache).ids == second.ids


def test_a_copy_that_changes_a_figure_is_no_verbatim_copy() -> None:
    """A reprint identical but for a death toll ("more than 40" -> "at least 45") is an edited
    copy, and the changed figure is named: what a fact-checker looks for first."""
    from newstrace.provenance import changed_figures, figure_changes

    seed = (Path(__file__).resolve().parents[1] / "examples/seeds/000_4939783a04e9bdd2.txt")
    title, _, body = seed.read_text(encoding="utf-8").partition("\n")
    assert "More than 200 prisoners" in body
    edited = body.replace("More than 200 prisoners", "More than 300 prisoners")

    def article(text: str, name: str):
        return build_article(Record(title, text, Origin(name), {}))

    a, b = article(body, "a.txt"), article(edited, "b.txt")
    same = compare(a, article(body + "\n\nShare this story.", "c.txt"))
    assert same is not None and same.relation == "verbatim"
    link = compare(a, b, prefer_source=a.id)
    assert link is not None and link.relation == "near_copy"
    assert link.features.changed_figures == 1
    assert changed_figures(link.alignment) == [("200", "300")]
    assert figure_changes([("said", "stated"), ("dozens", "scores"), ("40", "40")]) == [
        ("dozens", "scores")]


def test_undated_reprint_is_told_by_its_republishing_lines() -> None:
    """Two undated copies of one text: the one wrapped in a republisher's lines ("Share this
    article ...") is the copy; when both or neither have such lines nothing is decided."""
    seed = (Path(__file__).resolve().parents[1] / "examples/seeds/000_4939783a04e9bdd2.txt")
    title, _, body = seed.read_text(encoding="utf-8").partition("\n")
    plain = _article(title, body, name="plain.txt")
    wrapped = _article("BREAKING: " + title, body + "\n\nShare this article with your friends."
                       "\n\nStay with Example Wire for the latest updates.", name="wrapped.txt")
    for a, b in ((plain, wrapped), (wrapped, plain)):
        link = compare(a, b)
        assert link is not None
        assert (link.source, link.copy, link.direction.decided_by) == (
            plain.id, wrapped.id, "republishing")
    both = _article(title, body + "\n\nRelated: more stories from the region.", name="b.txt")
    link = compare(both, wrapped)
    assert link is not None and link.direction.decided_by == "undetermined"


def _ecbplus_or_skip():
    from newstrace.evaluation import datasets

    if not (datasets.data_root() / "ecbplus").exists():
        pytest.skip("shared evaluation data not found (set $NEWSTRACE_DATA)")
    return datasets


def test_a_heavily_spun_copy_is_found_through_its_de_spun_text() -> None:
    from dataclasses import replace

    from newstrace.evaluation import synthetic
    from newstrace.evaluation.provenance_eval import _article
    from newstrace.provenance import ProvenanceConfig, SpinCache, compare_despun

    datasets = _ecbplus_or_skip()
    doc = next(d for d in datasets.ecbplus() if d.doc_id == "14_4ecb")
    st = synthetic.spin(doc.text, 0.8, seed=1, lexicon=synthetic.spinner_lexicon(), drop=0.1,
                        reorder=0.1)
    src = _article(doc.doc_id, doc.title, doc.text)
    cpy = _article("spun copy", doc.title, st.text)
    assert compare(src, cpy) is None  # 80% of the words swapped: it does not align as written
    link = compare_despun(src, cpy, SpinCache())
    assert link is not None and link.relation == "spun" and link.score >= 0.5
    assert (link.source, link.copy) == (src.id, cpy.id)
    assert link.direction.decided_by == "spin" and "restored" in link.direction.reasons[0]
    # the evidence is the copy as written: its substitutions point into its own text
    subs = [s for p in link.alignment.pairs for s in p.substitutions]
    assert len(subs) >= 10
    assert all(st.text[a:b] == s.copy for s in subs for a, b in [s.copy_span])
    # find_sources tries it where the plain alignment fails, unless told not to
    on = find_sources([src, cpy])
    off = find_sources([src, cpy], replace(ProvenanceConfig(), despin=False))
    assert [(x.source, x.copy, x.relation) for x in on] == [(src.id, cpy.id, "spun")]
    assert off == []


def test_every_direction_the_code_gives_is_in_the_report_schema() -> None:
    import re

    import newstrace.provenance as prov

    source = Path(prov.__file__).read_text(encoding="utf-8")
    given = set(re.findall(r'Direction\([^,]+, [^,]+, "(\w+)"', source))
    schema = json.loads((Path(prov.__file__).parent / "schemas" / "report.schema.json")
                        .read_text(encoding="utf-8"))

    def enums(node):
        if isinstance(node, dict):
            if "direction" in node.get("properties", {}) or "direction" in node:
                d = node.get("properties", node).get("direction", {})
                if isinstance(d, dict) and "enum" in d:
                    yield set(d["enum"])
            for v in node.values():
                yield from enums(v)
        elif isinstance(node, list):
            for v in node:
                yield from enums(v)

    found = list(enums(schema))
    assert found and {"spin", "republishing", "undetermined"} <= given
    assert all(given <= e for e in found), (given, found)


def test_sources_of_finds_a_heavily_spun_copy_as_analyze_does(tmp_path: Path) -> None:
    from dataclasses import replace

    from newstrace.config import Config
    from newstrace.evaluation import synthetic

    datasets = _ecbplus_or_skip()
    doc = next(d for d in datasets.ecbplus() if d.doc_id == "14_4ecb")
    st = synthetic.spin(doc.text, 0.8, seed=1, lexicon=synthetic.spinner_lexicon(), drop=0.1,
                        reorder=0.1)
    src_path = tmp_path / "source.txt"
    src_path.write_text(f"{doc.title}\n\n{doc.text}", encoding="utf-8")
    spun = build_article(Record(doc.title, st.text, Origin(str(tmp_path / "spun.txt")), {}))
    with open_store(tmp_path / "s.db") as store:
        ingest(store, [str(src_path)])
        sources, _ = sources_of(store, spun)
        plain, _ = sources_of(store, spun, replace(Config(), provenance=replace(
            Config().provenance, despin=False)))
    assert [(x.relation, x.direction.decided_by) for x in sources] == [("spun", "spin")]
    assert plain == []
