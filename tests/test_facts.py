"""Facts lined up across an event's sources (newstrace.facts.compare_facts)."""

from __future__ import annotations

from pathlib import Path

from newstrace.facts import compare_facts

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def seed(prefix: str) -> tuple[str, str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").strip().split("\n")
    return lines[0].strip(), "\n".join(lines[1:]).strip()


# -- comparison ---------------------------------------------------------------------------------

def test_compare_seeds_conflict() -> None:
    t0, b0 = seed("000")
    t3, b3 = seed("003")
    rows = compare_facts([("a0", t0, b0), ("a3", t3, b3)])
    row = next(r for r in rows if r.kind == "count" and r.key == ("escaped", "prisoner"))
    assert row.status == "conflict"
    assert {v.article_id for v in row.values} == {"a0", "a3"}
    assert row.pairs == [("a0", "a3", "conflict")]
    assert row.to_dict()["values"][0]["interval"] in ("[201, inf)", "[24, 99]")
    single = [r for r in rows if r.kind == "count" and r.key == ("killed", "troops")]
    assert single and single[0].status == "single-source"


def test_compare_counts_and_quotes() -> None:
    a = ("a", "t", 'More than 40 people were killed. "We saw the bodies in the street," '
                   'said Ali Khan, a witness.')
    b = ("b", "t", 'Officials said 42 people were killed. Witness Ali Khan said: '
                   '\u201cWe saw bodies in the street.\u201d')
    c = ("c", "t", 'At least 42 people died. "We saw the bodies in the street," said Omar Farouk.')
    rows = compare_facts([a, b, c])
    killed = next(r for r in rows if r.kind == "count" and r.key == ("killed", "people"))
    pairs = {(x, y): s for x, y, s in killed.pairs}
    assert pairs[("a", "b")] == "compatible"
    assert pairs[("b", "c")] == "compatible"
    quote = next(r for r in rows if r.kind == "quote")
    assert len(quote.values) == 3
    qp = {(x, y): s for x, y, s in quote.pairs}
    assert qp[("a", "b")] == "agree"
    assert qp[("a", "c")] == "speaker-conflict"
    assert quote.status == "speaker-conflict"
    assert quote.to_dict()["kind"] == "quote"


# -- comparison: updates, copies, claims, names -------------------------------------------------

def test_update_when_dates_are_known_and_copies_do_not_confirm() -> None:
    a = ("a", "t", "The quake injured dozens of people.")
    b = ("b", "t", "The quake injured more than 200 people.")
    c = ("c", "t", "The quake injured dozens of people, officials said.")
    rows = compare_facts([b, a], published={"a": "2013-07-02", "b": "2013-07-03"})
    row = next(r for r in rows if r.key == ("wounded", "people"))
    assert row.pairs == [("a", "b", "update")] and row.status == "update"
    same_day = compare_facts([a, b], published={"a": "2013-07-02", "b": "2013-07-02"})
    assert next(r for r in same_day if r.key == ("wounded", "people")).status == "conflict"
    rows = compare_facts([a, c], copies={"c": "a"})
    row = next(r for r in rows if r.key == ("wounded", "people"))
    assert row.pairs == [("a", "c", "copy")] and row.status == "single-source"
    assert row.to_dict()["values"][1]["copy_of"] == "a"
