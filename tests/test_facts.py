"""Counted facts, quotes and their comparison across sources (newstrace.facts)."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from newstrace.facts import (compare_facts, extract_counts, extract_quotes, interval_status,
                             parse_count, quote_overlap, speaker_key)

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


def test_fast() -> None:
    _, body = seed("003")
    t = time.perf_counter()
    for _ in range(20):
        extract_counts(body)
        extract_quotes(body)
    assert (time.perf_counter() - t) / 20 < 0.05


# -- quotes -------------------------------------------------------------------------------------

def test_quote_patterns() -> None:
    text = ('Governor Jane Doe visited the town on Monday. "We will rebuild," she said. '
            '"Nothing is left," said John Smith, a local farmer. '
            'Mary Major, the regional police chief, said: \u201cThe road is closed.\u201d '
            '\u201cIt was chaos,\u201d said the official.')
    qs = extract_quotes(text)
    assert [q.text for q in qs] == ["We will rebuild,", "Nothing is left,", "The road is closed.",
                                    "It was chaos,"]
    assert (qs[0].speaker, qs[0].how) == ("Jane Doe", "pronoun")
    assert (qs[1].speaker, qs[1].role) == ("John Smith", "a local farmer")
    assert (qs[2].speaker, qs[2].role) == ("Mary Major", "the regional police chief")
    assert (qs[3].speaker, qs[3].role) == (None, "the official")
    for q in qs:
        assert text[q.start:q.end] == q.text


def test_seed_quotes() -> None:
    _, body = seed("000")
    qs = extract_quotes(body)
    # "They entered some parts of the city ...," he said.
    first = next(q for q in qs if q.text.startswith("They entered"))
    assert first.speaker == "Husamuddin Shams"
    assert first.role == "Provincial governor"
    assert first.how == "pronoun" and first.evidence == "he said"
    nezami = next(q for q in qs if q.text.startswith("cleared the area"))
    assert nezami.speaker == "Sayed Nezami" and nezami.role == "a special forces commander"
    official = next(q for q in qs if "briefly collapsed" in q.text)
    assert official.speaker is None and official.role == "the official"
    # the unattributed follow-up quote keeps the speaker of the quote before it
    prisoners = next(q for q in qs if q.text.startswith("More than 200"))
    assert prisoners.speaker == "Abdul Aziz Bek" and prisoners.how == "continued"


def test_speaker_key_and_overlap() -> None:
    assert speaker_key("Husamuddin Shams") == speaker_key("Mr. Shams") == "shams"
    assert speaker_key(None, "a ministry of defence official") == "role:official"
    assert quote_overlap("The city will fall to the Taliban", "the city will fall to Taliban!") == 1.0


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


# -- quotes: tokenised marks, roles, organisations, pronouns --------------------------------------

def test_quotes_in_tokenised_text_and_role_referents() -> None:
    text = ("One of the dead was a child, Ema Suryani, a doctor at a clinic, told AFP.\n"
            "'' We have received around 50 people, '' added the doctor.\n"
            "A ministry official said on condition of anonymity that the town fell.\n"
            "'' The city collapsed, '' said the official.")
    qs = extract_quotes(text)
    assert [q.text for q in qs] == ["We have received around 50 people,", "The city collapsed,"]
    assert qs[0].speaker == "Ema Suryani" and qs[0].how == "role"
    assert qs[1].speaker is None and qs[1].role == "the official"


def test_quote_speaker_forms() -> None:
    text = ('A professor of economics, Yanis Varoufakis, did not go to work today. '
            '"What I saw was a battlefield," he said. '
            'A statement from the Ministry of Defense said the fighters were "fleeing". '
            'Secretary-General Ban Ki-moon spoke of "totally unacceptable" attacks. '
            '"Civilians have no other place to go," Mr. Ban said. '
            '"Greece is a unique case" because it "has cheated for years," EU Commissioner Olli Rehn said.')
    by = {q.text.rstrip(",. "): q for q in extract_quotes(text)}
    assert by["What I saw was a battlefield"].speaker == "Yanis Varoufakis"
    assert by["fleeing"].speaker == "Ministry of Defense"
    assert by["totally unacceptable"].speaker == "Ban Ki-moon"
    assert by["Civilians have no other place to go"].speaker == "Ban Ki-moon"
    assert by["Greece is a unique case"].speaker == "Olli Rehn"


def test_names_match() -> None:
    from newstrace.facts import names_match

    assert names_match("Husamuddin Shams", "Hesamuddin Shams")
    assert names_match("Mr. Ban", "Ban Ki-moon")
    assert names_match("Dominique Strauss - Kahn", "Dominique Strauss-Kahn")
    assert not names_match("John Smith", "Jane Doe")


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


def test_outcome_claims_of_the_seeds_conflict() -> None:
    from newstrace.facts import extract_claims

    t0, b0 = seed("000")
    t3, b3 = seed("003")
    c0, c3 = extract_claims(b0), extract_claims(b3)
    assert c0[0].value == "held" and c0[0].text == "recaptured"
    assert c3[0].value == "lost" and c3[0].holder == "Taliban"
    assert not any("will be cleared" in c.sentence and c.value == "held" for c in c3)
    rows = compare_facts([("a0", t0, b0), ("a3", t3, b3)])
    claim = next(r for r in rows if r.kind == "claim")
    assert claim.status == "conflict" and claim.to_dict()["key"] == ["outcome", "control"]


def test_names_reconciled_across_sources() -> None:
    from newstrace.facts import acronyms, reconcile_names

    a = ("a", "t", "Governor Husamuddin Shams said the National Directorate of Security (NDS) "
                   'office in Qala-e-Naw fell. "We will take it back," said Husamuddin Shams.')
    b = ("b", "t", 'Governor Hesamuddin Shams said the NDS building in Qala-i-Nau was retaken. '
                   '"It is ours," Hesamuddin Shams said.')
    assert acronyms(a[2]) == {"NDS": "National Directorate of Security"}
    keys = {r.key for r in reconcile_names([a, b])}
    assert ("person", "Husamuddin Shams") in keys
    assert ("organisation", "National Directorate of Security (NDS)") in keys
    assert ("place", "Qala i Naw") in keys
    # a name only written with a word more is no spelling variant
    assert reconcile_names([("a", "t", "Mark Heller spoke."), ("b", "t", "Mark Jay Heller spoke.")]) == []
