"""Tests for newstrace.metadata: metadata read from the article text itself."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newstrace.metadata import extract_metadata
from newstrace.models import MetaValue

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seeds"


def meta(body: str, title: str = "") -> list[MetaValue]:
    """Extract, checking the invariants every result must keep."""
    vals = extract_metadata(title, body)
    for v in vals:
        assert v.source in ("text", "guessed"), v
        if v.start is not None:
            assert v.end is not None and 0 <= v.start < v.end <= len(body), v
            assert v.evidence == body[v.start:v.end], v
    return vals


def values(vals: list[MetaValue], field: str) -> list[str]:
    return [v.value for v in vals if v.field == field]


def only(vals: list[MetaValue], field: str) -> MetaValue:
    found = [v for v in vals if v.field == field]
    assert len(found) == 1, found
    return found[0]


def read_seed(name: str) -> tuple[str, str]:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed file {path} not present (shared data checkout missing)")
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if line.strip())
    return lines[i].strip(), "\n".join(lines[i + 1:])


# ---------------------------------------------------------------------------------------------
# Datelines
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "body, place, agency",
    [
        ("KABUL, Afghanistan \u2014 The Taliban pushed on.", "Kabul, Afghanistan", None),
        ("WASHINGTON (Reuters) - The Senate voted.", "Washington", "Reuters"),
        ("LONDON, July 7 (Reuters) - Britain said.", "London", "Reuters"),
        ("NEW YORK (AP) \u2014 A man was arrested.", "New York", "Associated Press"),
        ("Paris (AFP) - France said on Monday.", "Paris", "Agence France-Presse"),
        ("BEIJING, Jan. 3 (Xinhua) -- China said.", "Beijing", "Xinhua"),
        ("ST. LOUIS, Mo. \u2014 Flooding hit.", "St. Louis, Mo.", None),
        ("RIO DE JANEIRO \u2014 Brazil said.", "Rio de Janeiro", None),
        ("GAZA CITY, Gaza Strip \u2013 Strikes resumed.", "Gaza City, Gaza Strip", None),
        ("\n\n  KABUL \u2014 Fighting went on.", "Kabul", None),
        ("S\u00c3O PAULO \u2014 Markets fell.", "S\u00e3o Paulo", None),
    ],
)
def test_dateline(body: str, place: str, agency: str | None) -> None:
    vals = meta(body)
    d = only(vals, "dateline")
    assert d.value == place
    assert d.source == "text"
    assert d.evidence[-1] in "-\u2014\u2013"  # evidence runs through the dateline dash
    assert d.evidence.split()[0].rstrip(",").upper() == place.split()[0].rstrip(",").upper()
    if agency:
        assert values(vals, "agency") == [agency]
        outlet = only(vals, "outlet")
        assert (outlet.value, outlet.source) == (agency, "guessed")
        assert outlet.evidence.startswith("(") and outlet.evidence.endswith(")")
    else:
        assert values(vals, "agency") == []


def test_dateline_without_year_gives_no_date_but_with_year_gives_published() -> None:
    assert values(meta("LONDON, July 7 (Reuters) - Britain said."), "published") == []
    vals = meta("LONDON, July 7, 2021 (Reuters) - Britain said.")
    p = only(vals, "published")
    assert (p.value, p.evidence) == ("2021-07-07", "July 7, 2021")


def test_dateline_with_unlisted_source_in_parentheses_is_an_outlet_not_an_agency() -> None:
    vals = meta("WASHINGTON (CNN) \u2014 The president said.")
    assert only(vals, "dateline").value == "Washington"
    assert values(vals, "agency") == []
    assert values(vals, "outlet") == ["CNN"]


@pytest.mark.parametrize(
    "body",
    [
        "Officials \u2014 who declined to be named \u2014 said the city fell.",
        "However, Smith - the mayor - said no.",
        "NATO - the alliance - said it would respond.",
        "Kabul, Afghanistan \u2014 a city of millions \u2014 is tense.",  # title case, no agency
        "U.S. officials said on Tuesday that talks would resume.",
        "Regional officials said.\n\nKABUL, Afghanistan \u2014 Not the first paragraph.",
        "The Taliban pushed on.\nLONDON (Reuters) - Second line is the second paragraph.",
    ],
)
def test_no_dateline_in_prose_or_later_paragraphs(body: str) -> None:
    assert values(meta(body), "dateline") == []


def test_dateline_offsets_index_the_original_text() -> None:
    body = "\ufeff\n\u201cQuote\u201d\n"  # not a dateline at all, just odd characters
    assert values(meta(body), "dateline") == []
    body = "\r\nKABUL, Afghanistan \u2014 Text with \u201ccurly\u201d quotes.\r\n"
    d = only(meta(body), "dateline")
    assert body[d.start:d.end] == "KABUL, Afghanistan \u2014"


# ---------------------------------------------------------------------------------------------
# Bylines
# ---------------------------------------------------------------------------------------------

def test_byline_on_own_line_then_dateline() -> None:
    body = "By Jane Doe and John Roe\n\nKABUL, Afghanistan \u2014 Fighting went on."
    vals = meta(body)
    assert values(vals, "author") == ["Jane Doe", "John Roe"]
    assert {v.evidence for v in vals if v.field == "author"} == {"By Jane Doe and John Roe"}
    assert only(vals, "dateline").value == "Kabul, Afghanistan"
    assert values(vals, "credit") == []  # a byline is not a credit line


def test_byline_running_into_dateline_in_first_paragraph() -> None:
    vals = meta("By Jane Doe and John Roe WASHINGTON (AP) \u2014 Text.")
    assert values(vals, "author") == ["Jane Doe", "John Roe"]
    assert only(vals, "dateline").value == "Washington"
    assert values(vals, "agency") == ["Associated Press"]


@pytest.mark.parametrize(
    "body, authors",
    [
        ("By JANE DOE, Associated Press\nWASHINGTON (AP) \u2014 Hi.", ["Jane Doe"]),
        ("By Jane Doe | Reuters\n\nText of the story.", ["Jane Doe"]),
        ("By Jane Doe, Ann Lee and John Roe\nText.", ["Jane Doe", "Ann Lee", "John Roe"]),
        ("July 7, 2021\nBy Ahmed al-Omran\nText.", ["Ahmed al-Omran"]),
        ("Written by Jos\u00e9 \u00c1ngel P\u00e9rez\nText.", ["Jos\u00e9 \u00c1ngel P\u00e9rez"]),
    ],
)
def test_byline_forms(body: str, authors: list[str]) -> None:
    assert values(meta(body), "author") == authors


@pytest.mark.parametrize(
    "body",
    [
        "By Wednesday, officials said the city had fallen.",
        "By Tuesday night, John Smith had won the race.",
        "By New Year's Day, the city was calm.",
        "By the time troops arrived, the town was empty.",
        "By The New York Times\nText.",  # an organisation, not a person
    ],
)
def test_prose_starting_with_by_is_not_a_byline(body: str) -> None:
    assert values(meta(body), "author") == []


# ---------------------------------------------------------------------------------------------
# Credit lines
# ---------------------------------------------------------------------------------------------

NYT_CREDIT = ("Thomas Gibbons-Neff reported from Kabul, and Asad Timory from Herat, Afghanistan. "
              "Reporting was contributed by Fatima Faizi in Kabul and Eric Schmitt in Washington.")


def test_reported_from_credit_line_names_authors_and_contributors() -> None:
    body = "KABUL, Afghanistan \u2014 Text.\n\nMore text.\n\n" + NYT_CREDIT
    vals = meta(body)
    assert values(vals, "author") == ["Thomas Gibbons-Neff", "Asad Timory"]
    assert values(vals, "credit") == ["Thomas Gibbons-Neff", "Asad Timory", "Fatima Faizi",
                                      "Eric Schmitt"]
    first_sentence = NYT_CREDIT[:NYT_CREDIT.index(" Reporting")]
    second_sentence = NYT_CREDIT[NYT_CREDIT.index("Reporting"):]
    for v in vals:
        if v.field in ("author", "credit"):
            assert v.evidence == (second_sentence if v.value in ("Fatima Faizi", "Eric Schmitt")
                                  else first_sentence)


def test_wire_credit_line() -> None:
    body = ("Text of the story.\n\n(Reporting by Jane Doe in Kabul and John Roe in Islamabad; "
            "Additional reporting by Ann Lee in Washington; Writing by Bob Smith; "
            "Editing by Nick Macfie and Mark Heinrich)")
    vals = meta(body)
    assert values(vals, "author") == ["Jane Doe", "John Roe", "Bob Smith"]
    assert values(vals, "credit") == ["Jane Doe", "John Roe", "Ann Lee", "Bob Smith",
                                      "Nick Macfie", "Mark Heinrich"]
    ev = {v.evidence for v in vals if v.field == "credit"}
    assert len(ev) == 1 and next(iter(ev)).startswith("(Reporting by Jane Doe")


@pytest.mark.parametrize(
    "tail, authors, credits",
    [
        ("Reporting by Jane Doe; editing by John Roe", ["Jane Doe"], ["Jane Doe", "John Roe"]),
        ("Reporting by Jane Doe, editing by John Roe", ["Jane Doe"], ["Jane Doe", "John Roe"]),
        ("Additional reporting by Jane Doe in Paris", [], ["Jane Doe"]),
        ("Writing by Jane Doe; Editing by John Roe", ["Jane Doe"], ["Jane Doe", "John Roe"]),
        ("Jane Doe contributed reporting from Paris.", [], ["Jane Doe"]),
        ("Jane Doe and John Roe contributed to this report.", [], ["Jane Doe", "John Roe"]),
        ("Jane Doe reported from Albany, New York, and John Roe from Kabul.",
         ["Jane Doe", "John Roe"], ["Jane Doe", "John Roe"]),
        ("Reporting by Jane Doe in Kabul, John Roe in Paris and Ann Lee",
         ["Jane Doe", "John Roe", "Ann Lee"], ["Jane Doe", "John Roe", "Ann Lee"]),
        ("Reporting by Jane Doe in Washington, D.C. Editing by John Roe",
         ["Jane Doe"], ["Jane Doe", "John Roe"]),
        ("Reporting by Reuters staff; Editing by John F. Kennedy", [], ["John F. Kennedy"]),
        ("Reporting by Ahmed al-Omran and Aziz El Yaakoubi in Riyadh; "
         "Editing by Ludwig van Beethoven",
         ["Ahmed al-Omran", "Aziz El Yaakoubi"],
         ["Ahmed al-Omran", "Aziz El Yaakoubi", "Ludwig van Beethoven"]),
        ("Reporting by Martin Luther King Jr. and JANE DOE", ["Martin Luther King Jr.", "Jane Doe"],
         ["Martin Luther King Jr.", "Jane Doe"]),
    ],
)
def test_credit_forms(tail: str, authors: list[str], credits: list[str]) -> None:
    vals = meta("Text of the story.\n\nAnother paragraph.\n\n" + tail)
    assert values(vals, "author") == authors
    assert values(vals, "credit") == credits


@pytest.mark.parametrize(
    "body",
    [
        "Text.\n\nThe findings follow reporting by John Smith of the Times; reporting by Jane Doe.",
        "Text.\n\nOfficials said; editing by John Roe was needed.",
        "Text.\n\nThe mayor reported from Kabul, and Jane Doe was there.",
        "Text.\n\nJohn Smith reported from Kabul that the Taliban, Al Qaeda and others fought.",
        "Text.\n\nA video by Jane Doe showed the blast.",
        # "X reported from Y" is only a credit in the closing lines of the article.
        "Jane Doe reported from Kabul.\n\nOne.\n\nTwo.\n\nThree.\n\nFour.",
    ],
)
def test_prose_is_not_a_credit_line(body: str) -> None:
    vals = meta(body)
    assert values(vals, "credit") == []
    assert values(vals, "author") == []


# ---------------------------------------------------------------------------------------------
# Agencies and outlets
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "body, agency, evidence",
    [
        ("The governor told Reuters the city was calm.", "Reuters", "told Reuters"),
        ("Video obtained by Reuters showed smoke.", "Reuters", "obtained by Reuters"),
        ("A memo seen by Reuters said so.", "Reuters", "seen by Reuters"),
        ("Officials told the AP that it was so.", "Associated Press", "told the AP"),
        ("The AP reported that talks failed.", "Associated Press", "AP"),
        ("AP reported this on Monday.", "Associated Press", "AP"),
        ("The talks ended on Friday. (AP)", "Associated Press", "(AP)"),
        ("Officials told AFP the toll rose.", "Agence France-Presse", "told AFP"),
        ("An AFP tally showed 40 dead.", "Agence France-Presse", "AFP"),
        ("the Associated Press reported on Tuesday.", "Associated Press", "Associated Press"),
        ("The ministry said, according to Xinhua.", "Xinhua", "Xinhua"),
        ("Bloomberg News reported the deal.", "Bloomberg", "Bloomberg News"),
        ("The talks, Bloomberg reported, stalled.", "Bloomberg", "Bloomberg"),
        ("The ministry told dpa on Monday.", "Deutsche Presse-Agentur", "told dpa"),
        ("Deutsche Presse-Agentur said so.", "Deutsche Presse-Agentur", "Deutsche Presse-Agentur"),
        ("Kyodo News said the minister resigned.", "Kyodo News", "Kyodo"),
        ("South Korea's Yonhap said so.", "Yonhap", "Yonhap"),
        ("The Press Trust of India said so.", "Press Trust of India", "Press Trust of India"),
        ("He told PTI that he would run.", "Press Trust of India", "told PTI"),
        ("ANI reported the blast.", "Asian News International", "ANI"),
        ("According to UPI, the court ruled.", "United Press International", "UPI"),
        ("Russia's TASS said so. Interfax agreed.", "TASS", "TASS"),
        ("The Canadian Press said so.", "Canadian Press", "Canadian Press"),
        ("Australian Associated Press said so.", "Australian Associated Press",
         "Australian Associated Press"),
        ("The Anadolu news agency reported it.", "Anadolu Agency", "Anadolu"),
        ("Spain's EFE and Italy's ANSA reported it.", "EFE", "EFE"),
        ("(AP Photo/Evan Vucci)", "Associated Press", "AP"),
    ],
)
def test_agency_patterns(body: str, agency: str, evidence: str) -> None:
    vals = meta(body)
    found = [v for v in vals if v.field == "agency"]
    assert found and found[0].value == agency
    assert found[0].evidence == evidence
    assert found[0].source == "text"


@pytest.mark.parametrize(
    "body",
    [
        "The CAP reform and APEC summit were discussed.",
        "He took the AP exam and passed the AP test.",
        "AP officials in the state capital said.",  # bare AP in running text is not the agency
        "Michael Bloomberg said he would donate.",
        "UPI payments rose sharply in May.",
        "The Aam Aadmi Party (AAP) won. AAP leaders celebrated.",
        "The Australian Federal Police (AFP) said AFP officers arrested him.",
        "Pakistan Tehreek-e-Insaf (PTI) leaders met. PTI said it would protest.",
        "Reutersville and Xinhuanet and RAPID and DPAs are not agencies.",
        # a parenthesised abbreviation right after a word, with no dateline dash, defines it
        "The new Advanced Placement (AP) rules changed. AP reported scores rose.",
    ],
)
def test_agency_false_positive_guards(body: str) -> None:
    assert values(meta(body), "agency") == []


def test_one_agency_value_per_agency_with_first_match_as_evidence() -> None:
    body = "He said so, Reuters reported.\n\nHe later told Reuters more.\n\n(Reuters) Later."
    vals = meta(body)
    ag = only(vals, "agency")
    assert (ag.value, ag.evidence, ag.start) == ("Reuters", "Reuters", body.index("Reuters"))
    # "told Reuters" still reveals the outlet even though it is not the first mention
    out = only(vals, "outlet")
    assert (out.value, out.evidence) == ("Reuters", "told Reuters")


def test_australian_associated_press_is_not_associated_press() -> None:
    assert values(meta("Australian Associated Press said so."), "agency") == [
        "Australian Associated Press"]


def test_agency_full_name_with_its_abbreviation_is_not_disabled() -> None:
    vals = meta("He told Agence France-Presse (AFP) that. AFP said later.")
    assert values(vals, "agency") == ["Agence France-Presse"]


@pytest.mark.parametrize(
    "body",
    [
        "The ministry said, according to Xinhua.",
        "The talks stalled, Reuters reported.",
        "The Associated Press reported the arrest.",
        "Officials said (Reuters) nothing more.",
    ],
)
def test_citing_an_agency_does_not_guess_the_outlet(body: str) -> None:
    vals = meta(body)
    assert values(vals, "agency")
    assert values(vals, "outlet") == []


@pytest.mark.parametrize(
    "tail, outlet, evidence",
    [
        ("\u00a9 2021 Reuters. All rights reserved.", "Reuters", "\u00a9 2021 Reuters"),
        ("(c) Reuters 2021", "Reuters", "(c) Reuters"),
        ("Copyright 2021 The Associated Press. All rights reserved.", "Associated Press",
         "Copyright 2021 The Associated Press"),
        ("Copyright \u00a9 2021 Guardian News & Media Limited", "Guardian News & Media Limited",
         "Copyright \u00a9 2021 Guardian News & Media Limited"),
        ("This article originally appeared in The Guardian.", "The Guardian",
         "This article originally appeared in The Guardian"),
        ("This article is republished from The Conversation under a Creative Commons license.",
         "The Conversation", "This article is republished from The Conversation"),
        ("A version of this story first appeared on the Daily Beast.", "The Daily Beast",
         "A version of this story first appeared on the Daily Beast"),
    ],
)
def test_outlet_from_footer(tail: str, outlet: str, evidence: str) -> None:
    vals = meta("Text of the story.\n\nMore text.\n\n" + tail)
    o = [v for v in vals if v.field == "outlet"]
    assert o and (o[0].value, o[0].source, o[0].evidence) == (outlet, "guessed", evidence)


@pytest.mark.parametrize(
    "body",
    [
        "The book was first published in London in 1920.",
        "Text.\n\nThe report first appeared in a local paper, officials said.",
        "Text.\n\nSection 5(c) Reuters rules apply.",
    ],
)
def test_no_outlet_from_prose(body: str) -> None:
    assert values(meta(body), "outlet") == []


# ---------------------------------------------------------------------------------------------
# Publication date
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "body, iso, evidence",
    [
        ("Text of the story.\n\nPublished July 7, 2021", "2021-07-07", "Published July 7, 2021"),
        ("Updated: 2021-07-07 10:31 GMT\nText.", "2021-07-07", "Updated: 2021-07-07"),
        ("July 7, 2021\n\nText here.", "2021-07-07", "July 7, 2021"),
        ("Wednesday, July 7, 2021 10:31 AM EDT\nText here.", "2021-07-07",
         "Wednesday, July 7, 2021 10:31 AM EDT"),
        ("Text here.\n7 July 2021", "2021-07-07", "7 July 2021"),
        ("By Jane Doe | Published Sept. 3, 2020\nText.", "2020-09-03", "Published Sept. 3, 2020"),
        ("Posted on 3rd March 2019\n\nText.", "2019-03-03", "Posted on 3rd March 2019"),
    ],
)
def test_published(body: str, iso: str, evidence: str) -> None:
    p = only(meta(body), "published")
    assert (p.value, p.source, p.evidence) == (iso, "text", evidence)


@pytest.mark.parametrize(
    "body",
    [
        "The attacks of Sept. 11, 2001 changed everything. Troops arrived on July 7, 2021.",
        "The report, published July 7, 2021, said.",
        "In 2001 the war began.\n\nOn Sept. 11 it was quiet.",
        "Text.\n\nPublished February 30, 2021",  # no such day
        "Text.\n\nThe memo was dated July 7, 2021.\n\nEnd.",
        "First line.\n\nJuly 7, 2021\n\nThird.\n\nFourth.\n\nFifth.\n\nSixth.\n\nSeventh.",
    ],
)
def test_no_published_from_prose_dates(body: str) -> None:
    assert values(meta(body), "published") == []


# ---------------------------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------------------------

LANG_SAMPLES = {
    "en": "The government said on Tuesday that it would raise energy prices in July, according to "
          "the ministry. The measure was approved by the cabinet and also by the opposition "
          "parties, which had asked for more time to study the text of the bill.",
    "es": "El gobierno de España anunció que los precios de la luz subirán en julio, según el "
          "ministerio. La medida fue aprobada por el consejo de ministros y también por los "
          "partidos de la oposición, que pidieron más tiempo para estudiar el texto.",
    "it": "Il governo italiano ha annunciato che i prezzi dell'energia aumenteranno a luglio, "
          "secondo il ministero. La misura è stata approvata dal consiglio dei ministri e anche "
          "dai partiti della opposizione, che hanno chiesto più tempo per studiare il testo.",
    "nl": "De Nederlandse regering heeft aangekondigd dat de energieprijzen in juli zullen "
          "stijgen, volgens het ministerie. De maatregel werd door de ministerraad goedgekeurd "
          "en ook door de oppositiepartijen, die om meer tijd vroegen om de tekst te bestuderen.",
    "de": "Die Bundesregierung hat angekündigt, dass die Energiepreise im Juli steigen werden, "
          "teilte das Ministerium mit. Die Maßnahme wurde vom Kabinett gebilligt und auch von "
          "den Oppositionsparteien, die mehr Zeit forderten, um den Text zu prüfen.",
    "fr": "Le gouvernement français a annoncé que les prix de l'énergie augmenteront en "
          "juillet, selon le ministère. La mesure a été approuvée par le conseil des ministres "
          "et aussi par les partis de l'opposition, qui ont demandé plus de temps pour "
          "étudier le texte.",
}


@pytest.mark.parametrize("lang", sorted(LANG_SAMPLES))
def test_language(lang: str) -> None:
    v = only(meta(LANG_SAMPLES[lang]), "language")
    assert (v.value, v.source, v.start, v.end) == (lang, "guessed", None, None)
    assert v.evidence.startswith(f"stopwords {lang} ")


@pytest.mark.parametrize(
    "body",
    [
        "Short text here.",
        "Reuters AFP Xinhua Kabul Washington London Paris Beijing " * 5,  # no stopwords at all
    ],
)
def test_language_omitted_when_not_confident(body: str) -> None:
    assert values(meta(body), "language") == []


def test_language_uses_title_too() -> None:
    body = "El gobierno anunció que los precios subirán en julio."
    title = "La medida fue aprobada por el consejo de ministros y por los partidos de la oposición"
    assert values(meta(body, title=title), "language") == ["es"]


# ---------------------------------------------------------------------------------------------
# Output shape
# ---------------------------------------------------------------------------------------------

FULL = ("By Jane Doe\nJuly 7, 2021\n\nLONDON, July 7 (Reuters) - Britain said on Wednesday that "
        "it had told Reuters and the ministry of the plan, which was seen by the press and the "
        "public in the city of London on the day that it was announced.\n\n"
        "(Reporting by Jane Doe; Editing by John Roe)\n\n\u00a9 2021 Reuters")


def test_output_is_ordered_by_offset_then_field_and_deterministic() -> None:
    vals = meta(FULL)
    keys = [(v.start if v.start is not None else len(FULL) + 1, v.field) for v in vals]
    assert keys == sorted(keys)
    assert vals == meta(FULL)
    assert vals[-1].field == "language"
    assert [(v.field, v.value) for v in vals] == [
        ("author", "Jane Doe"),
        ("published", "2021-07-07"),
        ("dateline", "London"),
        ("agency", "Reuters"),
        ("outlet", "Reuters"),
        ("credit", "Jane Doe"),  # already an author (byline) and credited once
        ("credit", "John Roe"),
        ("credit_style", "Reuters"),  # "Reporting by ...; Editing by ...": Reuters' house style
        ("language", "en"),
    ]


def test_credit_line_house_styles() -> None:
    nyt = meta("The talks stalled again.\n\nJane Roe reported from Paris, and Sam Poe from "
               "Lyon, France. Ann Lee contributed reporting.")
    assert [(v.value, v.source) for v in nyt if v.field == "credit_style"] == [
        ("The New York Times", "guessed")]
    ap = meta("The talks stalled again.\n\nAssociated Press writer Tim Sullivan contributed "
              "to this report.")
    assert [v.value for v in ap if v.field == "credit_style"] == ["Associated Press"]
    assert not [v for v in meta("Nothing is credited here at all.") if v.field == "credit_style"]


def test_empty_and_blank_bodies() -> None:
    assert meta("") == []
    assert meta("   \n\n \t ") == []


def test_pathological_inputs_do_not_hang() -> None:
    """Guards against catastrophic regex backtracking: shapes that almost match. Not a speed
    test: linear scans take milliseconds, backtracking takes minutes, and the bound sits far
    from both so that a loaded machine cannot fail it."""
    bodies = [
        "KABUL " * 3000,
        ("A, B, C, D " * 1000) + "\u2014",
        "By " + "Jane Doe and " * 1000,
        "Reporting by " + "Jane Doe in Kabul, " * 1000,
        ("(" + "Reuters " * 10) * 300,
        "\n".join(["July 7, 2021 10:31"] * 500),
        "AP " * 3000,
    ]
    for body in bodies:
        start = time.perf_counter()
        meta(body)
        assert time.perf_counter() - start < 20, body[:40]


# ---------------------------------------------------------------------------------------------
# Seed articles
# ---------------------------------------------------------------------------------------------

def test_seed_003_dateline_and_credit_line() -> None:
    title, body = read_seed("003_8eb8f662f504325c.txt")
    vals = meta(body, title)
    assert only(vals, "dateline").value == "Kabul, Afghanistan"
    assert values(vals, "author") == ["Thomas Gibbons-Neff", "Asad Timory"]
    credits = values(vals, "credit")
    assert "Fatima Faizi" in credits and "Eric Schmitt" in credits
    assert set(credits) == {"Thomas Gibbons-Neff", "Asad Timory", "Fatima Faizi", "Eric Schmitt"}
    assert values(vals, "language") == ["en"]
    assert values(vals, "published") == []  # "by Sept. 11" in prose is not a publication date


def test_seed_000_agency_from_told_reuters_and_no_dateline() -> None:
    title, body = read_seed("000_4939783a04e9bdd2.txt")
    vals = meta(body, title)
    assert values(vals, "dateline") == []
    ag = only(vals, "agency")
    assert (ag.value, ag.evidence) == ("Reuters", "told Reuters")
    assert values(vals, "outlet") == ["Reuters"]
    assert values(vals, "author") == [] and values(vals, "credit") == []
    assert values(vals, "language") == ["en"]


def test_house_style_literal_shortcut_keeps_every_match() -> None:
    import re

    from newstrace.metadata import _credit_styles, _required_literal

    assert _required_literal(re.compile(r"\bcontributed reporting\b")) == "contributed reporting"
    assert _required_literal(re.compile(r"^\(?Reporting by\b[^;]*;")) == "Reporting by"
    # a literal inside a group, branch or optional part may be absent: never relied on
    assert _required_literal(re.compile(r"(?:Reporting|Writing) by")) == " by"
    assert _required_literal(re.compile(r"abc|defg")) is None
    assert _required_literal(re.compile(r"abcd?")) == "abc"
    assert _required_literal(re.compile(r"(?i)reported from")) is None
    for pattern, literal, _ in _credit_styles():
        assert literal is None or literal in pattern.pattern
