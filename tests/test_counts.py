"""Counted facts of one article and their intervals (newstrace.counts)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from newstrace.counts import extract_counts, interval_status, parse_count
from newstrace.quotes import extract_quotes

INF = math.inf
SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def seed(prefix: str) -> tuple[str, str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").strip().split("\n")
    return lines[0].strip(), "\n".join(lines[1:]).strip()


# -- intervals ----------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, expected", [
    ("more than 200", (201, INF)),
    ("over 200", (201, INF)),
    ("greater than 60", (61, INF)),
    ("at least 43", (43, INF)),
    ("at least 150", (150, INF)),
    ("nearly 50", (40, 49)),
    ("almost 50", (40, 49)),
    ("about 50", (45, 55)),
    ("roughly 50", (45, 55)),
    ("some 50", (45, 55)),
    ("roughly 400", (360, 440)),
    ("up to 10", (1, 10)),
    ("dozens", (24, 99)),
    ("a dozen", (12, 12)),
    ("more than a dozen", (13, INF)),
    ("hundreds", (200, 999)),
    ("thousands", (2000, 9999)),
    ("tens of thousands", (20000, 99999)),
    ("1,000", (1000, 1000)),
    ("24", (24, 24)),
    ("five", (5, 5)),
    ("twenty-four", (24, 24)),
    ("a thousand", (1000, 1000)),
    ("two hundred and fifty", (250, 250)),
    ("1.5 million", (1_500_000, 1_500_000)),
    ("about 50,000", (45000, 55000)),
])
def test_parse_count(phrase: str, expected: tuple[float, float]) -> None:
    assert parse_count(phrase) == expected


def test_parse_count_rejects_non_numbers() -> None:
    assert parse_count("many") is None
    assert parse_count("the prison") is None


def test_interval_status() -> None:
    assert interval_status((201, INF), (24, 99)) == "conflict"
    assert interval_status((41, INF), (42, 42)) == "compatible"
    assert interval_status((24, 99), (24, 99)) == "agree"


# -- counts -------------------------------------------------------------------------------------

def one(text: str):
    facts = extract_counts(text)
    assert len(facts) == 1, facts
    return facts[0]


@pytest.mark.parametrize("text, interval, unit, predicate", [
    ("Five soldiers were killed in the attack.", (5, 5), "troops", "killed"),
    ("At least 43 people were injured on Tuesday.", (43, INF), "people", "wounded"),
    ("Nearly 50 inmates have escaped from the jail.", (40, 49), "prisoner", "escaped"),
    ("The rebels freed 120 prisoners overnight.", (120, 120), "prisoner", "escaped"),
    ("The blast left 24 civilians dead.", (24, 24), "civilian", "killed"),
    ("Police arrested about 50 protesters near the square.", (45, 55), "protester", "arrested"),
    ("Tens of thousands of residents have fled the city.", (20000, 99999), "civilian",
     "displaced"),
    ("Hundreds of troops surrendered to the insurgents.", (200, 999), "troops", "surrendered"),
    ("More than a dozen policemen were taken prisoner.", (13, INF), "police", "captured"),
    ("Up to 10 villagers were abducted.", (1, 10), "civilian", "captured"),
])
def test_extract_count(text: str, interval, unit: str, predicate: str) -> None:
    f = one(text)
    assert f.interval == interval
    assert f.unit == unit
    assert f.predicate == predicate
    assert text[f.start:f.end] == f.phrase
    assert text[f.sentence_start:f.sentence_end] == f.sentence


def test_relative_and_elliptical_nouns() -> None:
    text = ("The victims are civilians, dozens of whom have been wounded and killed. "
            "A doctor said one civilian had been killed and more than a dozen had been wounded.")
    got = {(f.phrase, f.unit, f.predicate) for f in extract_counts(text)}
    assert ("dozens", "civilian", "wounded") in got
    assert ("dozens", "civilian", "killed") in got
    assert ("one", "civilian", "killed") in got
    assert ("more than a dozen", "civilian", "wounded") in got


def test_totals_and_non_counts() -> None:
    f = one("The group has seized at least 150 of roughly 400 districts.")
    assert f.interval == (150, INF) and f.total == (360, 440) and f.unit == "district"
    # years, durations and percentages are no counted facts
    assert extract_counts("In 2001 the war began; it lasted two decades and 90 percent left.") == []


def test_subject_of_an_active_verb_is_not_its_victim() -> None:
    facts = extract_counts("Twenty gunmen killed five soldiers.")
    assert [(f.phrase, f.unit, f.predicate) for f in facts if f.predicate] == [
        ("five", "troops", "killed")]


def test_seed_counts() -> None:
    _, body0 = seed("000")
    _, body3 = seed("003")
    f0 = [f for f in extract_counts(body0) if (f.predicate, f.unit) == ("escaped", "prisoner")]
    assert len(f0) == 1 and f0[0].interval == (201, INF)
    assert body0[f0[0].start:f0[0].end] == "More than 200"
    f3 = [f for f in extract_counts(body3) if (f.predicate, f.unit) == ("escaped", "prisoner")]
    assert len(f3) == 1 and f3[0].interval == (24, 99)
    assert body3[f3[0].start:f3[0].end] == "Dozens"


def test_repeated_extraction_gives_the_same_facts() -> None:
    # speed is measured by bench/, never asserted here; what repeats must not drift (caches)
    _, body = seed("003")
    first = (extract_counts(body), extract_quotes(body))
    for _ in range(3):
        assert (extract_counts(body), extract_quotes(body)) == first


# -- counts: background, parts, detokenised text -------------------------------------------------

def test_background_and_part_counts() -> None:
    text = ("A strong quake killed 24 people on Tuesday.\n"
            "In 2004 a massive tremor sparked a tsunami that killed 170,000 people.\n"
            "Another four people died in hospitals.\n"
            "In neighbouring Central Aceh district, 10 people were killed.")
    by = {f.phrase: f for f in extract_counts(text)}
    assert not by["24"].background and not by["24"].part
    assert by["170,000"].background
    assert by["four"].part and by["10"].part


def test_campaign_total_is_background_from_its_clause() -> None:
    text = ("Doctors said at least 43 people were killed in the school, pushing the death toll "
            "above 680 since the conflict began.")
    by = {f.phrase: f for f in extract_counts(text)}
    assert not by["at least 43"].background
    assert by["above 680"].background and by["above 680"].predicate == "killed"


@pytest.mark.parametrize("text, phrase, interval, unit, predicate", [
    ("The death toll from the disaster rose to 11.", "11", (11, 11), "people", "killed"),
    ("Police said 46 were arrested Wednesday night.", "46", (46, 46), "people", "arrested"),
    ("Police made 86 arrests.", "86", (86, 86), "people", "arrested"),
    ("A quake killed more than 31, 000 in Bam.", "more than 31, 000", (31001, INF), "people", "killed"),
    ("The bombing killed 40 Palestinians.", "40", (40, 40), "people", "killed"),
    ("Out of 23 arrested pirates, 12 are from Somalia.", "23", (23, 23), "pirate", "arrested"),
    ("Three people have suffocated to death in the fire.", "Three", (3, 3), "people", "killed"),
])
def test_more_count_forms(text: str, phrase: str, interval, unit: str, predicate: str) -> None:
    f = next(x for x in extract_counts(text) if x.phrase == phrase)
    assert (f.interval, f.unit, f.predicate) == (interval, unit, predicate)


def test_coordination_asides_and_non_counts() -> None:
    got = {(f.phrase, f.unit, f.predicate) for f in extract_counts(
        "Police said two women and one man died at a branch. "
        "Commandos boarded the boat, seizing 12 Somali and 11 Yemeni nationals. "
        "Three people, one of them a pregnant woman, were killed. "
        "He said 30 of the 80 wounded remained in hospital.")}
    assert {("two", "women", "killed"), ("one", "people", "killed"), ("12", "national", "captured"),
            ("11", "national", "captured"), ("Three", "people", "killed"),
            ("80", "people", "wounded")} <= got
    assert not any(p == "30" for p, _u, _pr in got)
    # ages, compound modifiers, "no one", a record of past arrests
    assert extract_counts("A 22 - year - old resident, aged 61, said no one else was injured.") == []
    assert [f for f in extract_counts("Gray has four prior arrests.") if f.predicate] == []


def test_active_verb_with_its_own_object_is_not_the_count_s_predicate() -> None:
    facts = extract_counts("He opened fire on several employees in a break room, killing Latonya Brown.")
    assert [f for f in facts if f.predicate] == []


def test_time_scope_of_a_count() -> None:
    def when(text: str) -> list[str | None]:
        return [f.when for f in extract_counts(text)]

    assert when("As fights erupted, 46 were arrested Wednesday night.") == ["wed"]
    assert when("Police made 86 arrests over the course of Saturday's protests.") == ["sat"]
    assert when("So far 200 people have been arrested.") == ["total"]
    assert when("On March 13, 12 people were killed.") == ["date:03-13"]
    assert when("Protesters rallied for a third straight night and 20 were arrested.") == ["night:3"]
    # the day a statement was made is not the count's; nor a time in a later clause
    assert when("Officials said Wednesday that 42 people were killed.") == [None]
    assert when("At least 43 people were killed in the school, pushing the toll above 680 since "
                "the conflict began.")[0] is None


def test_severely_hurt_are_a_part_where_the_toll_is_given() -> None:
    text = ("The quake injured more than 200 people. \"There are around 30 people seriously "
            "injured, some with head injuries.\"")
    parts = {f.phrase: f.part for f in extract_counts(text)}
    assert parts == {"more than 200": False, "around 30": True}
    alone = extract_counts("A girl was killed and dozens of people were seriously injured.")
    assert [(f.phrase, f.part) for f in alone if f.predicate == "wounded"] == [("dozens", False)]


def test_ages_in_apposition_and_days_of_a_month_are_no_counts() -> None:
    text = ("Alexandros Grigoropoulos, 15, was killed. Arcade Joseph Comeaux Jr., 49, escaped. "
            "The Nov. 30 escape was the third. In Gaza, 40 people were killed.")
    assert [(f.phrase, f.predicate) for f in extract_counts(text)] == [("40", "killed")]
