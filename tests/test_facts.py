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


# -- comparison: the time a count states ---------------------------------------------------------

RIOT = "Protesters took to the streets for a third straight night. "


def _arrests(rows):
    return next(r for r in rows if r.key == ("arrested", "people"))


def test_counts_of_different_stated_days_are_not_compared() -> None:
    a = ("a", "t", RIOT + "Police said 46 people were arrested Wednesday night.")
    b = ("b", "t", "Police said one person was arrested on Monday night.")
    row = _arrests(compare_facts([a, b]))
    assert row.pairs == [("a", "b", "different-time")] and row.status == "different-time"
    # the same day, stated two ways (a weekday resolved with the report's date): compared
    c = ("c", "t", "Police said two people were arrested on March 13.")
    row = _arrests(compare_facts([a, c], published={"a": "2013-03-14", "c": "2013-03-14"}))
    assert row.pairs == [("a", "c", "conflict")]


def test_a_day_against_a_running_total_is_not_compared() -> None:
    a = ("a", "t", RIOT + "Police made 86 arrests over the course of Saturday's protests.")
    b = ("b", "t", "More than 200 people have been arrested so far.")
    assert _arrests(compare_facts([a, b])).status == "different-time"
    c = ("c", "t", "In total, 150 people have been arrested.")
    assert _arrests(compare_facts([b, c])).status == "conflict"


def test_series_counts_without_a_day_are_unplaced_unless_they_agree() -> None:
    a = ("a", "t", RIOT + "At least 46 people were arrested.")
    b = ("b", "t", "One person has been arrested, though no injuries have been reported.")
    c = ("c", "t", "More than 40 people were arrested, police said.")
    rows = compare_facts([a, b, c])
    assert sorted(_arrests(rows).pairs) == [("a", "b", "unplaced"), ("a", "c", "compatible"),
                                            ("b", "c", "unplaced")]
    # dated reports of a series: each count stands as of its day; a later one is an update
    rows = compare_facts([a, b], published={"a": "2013-03-14", "b": "2013-03-12"})
    assert _arrests(rows).pairs == [("b", "a", "update")]


def test_one_day_event_compares_whatever_day_a_report_gives() -> None:
    a = ("a", "t", "The quake killed 10 people on Sunday.")
    b = ("b", "t", "The death toll rose to 12 on Monday, officials said.")
    row = next(r for r in compare_facts([a, b]) if r.key == ("killed", "people"))
    assert row.status == "conflict"


def test_resolve_time_and_relations() -> None:
    from newstrace.facts import resolve_time, time_relation

    assert resolve_time("wed", "2013-03-14T08:00") == "2013-03-13"
    assert resolve_time("thu", "2013-03-14") == "2013-03-14"
    assert resolve_time("yesterday", "2013-03-01") == "2013-02-28"
    assert resolve_time("date:12-30", "2013-01-02") == "2012-12-30"
    assert resolve_time("wed", None) == "wed" and resolve_time("today", None) == "?"
    assert time_relation("2013-03-13", "wed", True) == "same"
    assert time_relation("2013-03-13", "total", True) == "different"
    assert time_relation(None, "wed", True) == "unknown"
    assert time_relation("mon", "wed", False) == "same"


def test_event_facts_passes_dates_and_copies() -> None:
    from newstrace.models import Article, MetaValue
    from newstrace.pipeline import event_facts

    def art(i: str, body: str, day: str) -> Article:
        return Article(i, f"title {i}", body, [MetaValue("published", day, "container")])

    arts = {"a": art("a", "The quake injured dozens of people.", "2013-07-02"),
            "b": art("b", "The quake injured more than 200 people.", "2013-07-03"),
            "c": art("c", "The quake injured dozens of people, officials said.", "2013-07-02")}
    card = {"articles": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}
    rows = event_facts(card, arts, {"c": "a", "x": "y"})
    row = next(r for r in rows if r["key"] == ["wounded", "people"])
    assert {(p["a"], p["b"], p["status"]) for p in row["pairs"]} == {
        ("a", "b", "update"), ("c", "b", "update"), ("a", "c", "copy")}
    assert row["status"] == "update"
    assert {v["article_id"]: v.get("published") for v in row["values"]}["b"] == "2013-07-03"


def test_a_phrase_in_scare_quotes_is_no_quote_row() -> None:
    """"Most Wanted" in quotation marks, said by no one, is a name, not a statement to line up;
    an attributed quotation still is."""
    a = ("a", "T", 'The inmate was added to the "Most Wanted" list on Monday. "We will find '
                   'him soon," the sheriff said.')
    b = ("b", "T", 'He is now on the "Most Wanted" list. "We will find him soon," the sheriff '
                   'told reporters.')
    rows = compare_facts([a, b], names=False)
    texts = {v.text for r in rows if r.kind == "quote" for v in r.values}
    assert "Most Wanted" not in texts
    assert any(t.startswith("We will find him soon") for t in texts)
