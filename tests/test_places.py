"""Place names -> gazetteer entries: spelling key, resolution in context, finding mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace import places
from newstrace.places import (
    Context,
    evaluate,
    find_places,
    normalize_name,
    place_key,
    resolve,
    resolve_best,
)

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "places" / "places_gold.tsv"
SHARED = ROOT.parent / "shared" / "data"
QALA_I_NAW = "1129867"  # GeoNames: Qala i Naw, Badghis, Afghanistan
VARIANTS = ["Qala-e-Naw", "Qala-i-Nau", "Qala-i-Naw", "Qal'ah-ye Now", "Kala-i-Nau"]

try:
    places.get_gazetteer()
    _NO_INDEX = ""
except (FileNotFoundError, ValueError) as exc:  # pragma: no cover - only without the data file
    _NO_INDEX = f"gazetteer index unavailable ({exc})"
needs_index = pytest.mark.skipif(bool(_NO_INDEX), reason=_NO_INDEX or "index present")


# -- keys (no data needed) ---------------------------------------------------------------------


def test_normalize_name_drops_accents_apostrophes_and_separators() -> None:
    assert normalize_name("Qal`ah-ye Now") == normalize_name("Qal’ah ye  now") == "qalah ye now"
    assert normalize_name("Bādghīs") == "badghis"
    assert normalize_name("St. Louis") == "saint louis"
    assert normalize_name("The Hague") == "hague"


def test_every_qala_i_naw_spelling_has_one_key() -> None:
    assert len({place_key(v) for v in VARIANTS}) == 1
    assert place_key("Qala i Naw") == place_key("Qala-e-Naw")


def test_key_folds_common_transliteration_choices() -> None:
    for a, b in [("Jeddah", "Jidda"), ("Bahrain", "Bahrein"), ("Akhal", "Ahal"), ("Mosul", "Mousoul"),
                 ("Jabaliya", "Jabalia"), ("Qandahar", "Kandahar"), ("Yusuf", "Yosouf")]:
        assert place_key(a) == place_key(b), (a, b)


def test_key_keeps_distinct_places_apart() -> None:
    for a, b in [("Niger", "Nigeria"), ("Austria", "Australia"), ("Iran", "Iraq"), ("Paris", "Perth"),
                 ("Kabul", "Kobe"), ("Sudan", "South Sudan"), ("Herat", "Harat"), ("Gaza", "Giza")]:
        assert place_key(a) != place_key(b), (a, b)


# -- resolution ----------------------------------------------------------------------------------


@needs_index
def test_index_loads() -> None:
    gz = places.Gazetteer()
    assert len(gz) > 70_000 and gz.meta["key_version"] == places.KEY_VERSION


@needs_index
@pytest.mark.parametrize("spelling", VARIANTS)
def test_every_qala_variant_resolves_to_the_badghis_town(spelling: str) -> None:
    ctx = Context(countries={"Afghanistan"}, admin1={"Badghis"})
    best = resolve_best(spelling, ctx)
    assert best is not None and best.id == QALA_I_NAW
    assert best.country_code == "AF" and best.admin1_name == "Badghis"
    assert resolve_best(spelling) is not None and resolve_best(spelling).id == QALA_I_NAW  # type: ignore[union-attr]


@needs_index
def test_exact_name_beats_spelling_key() -> None:
    ranked = resolve("Qala-i-Naw")
    assert ranked[0].match == "exact" and ranked[0].place.id == QALA_I_NAW
    assert resolve("Qala-e-Naw")[0].match in ("fuzzy", "fuzzy_alt")


@needs_index
def test_context_picks_the_country_mentioned() -> None:
    assert resolve_best("Perth", Context(countries={"GB"})).id == "2640358"  # type: ignore[union-attr]
    assert resolve_best("Perth", Context(countries={"Australia"})).id == "2063523"  # type: ignore[union-attr]
    assert resolve_best("Huntsville", Context(admin1={"Texas"})).id == "4699540"  # type: ignore[union-attr]
    assert resolve_best("Huntsville", Context(admin1={"Alabama"})).id == "4068590"  # type: ignore[union-attr]
    assert resolve_best("Paris").country_code == "FR"  # type: ignore[union-attr]
    assert resolve_best("Paris", Context(admin1={"Texas"})).country_code == "US"  # type: ignore[union-attr]


@needs_index
def test_nearby_places_disambiguate() -> None:
    detroit = resolve_best("Detroit")
    assert resolve_best("Troy", Context(places=[detroit])).admin1_name == "Michigan"  # type: ignore[list-item,union-attr]
    albany = resolve_best("Albany", Context(admin1={"New York"}))
    assert albany is not None and albany.admin1_name == "New York"
    assert resolve_best("Troy", Context(places=[albany])).admin1_name == "New York"  # type: ignore[union-attr]


@needs_index
def test_designators_and_abbreviations() -> None:
    assert resolve_best("Badghis Province").id == "AF-BDG"  # type: ignore[union-attr]
    assert resolve_best("Unity state").id == "SS-UY"  # type: ignore[union-attr]
    assert resolve_best("N.Y.").id == "US-NY"  # type: ignore[union-attr]
    assert resolve_best("Kabul").kind == "city"  # type: ignore[union-attr]  # not the province
    assert resolve_best("Washington").id == "4140963"  # type: ignore[union-attr]  # the capital
    assert resolve_best("Nowhere-in-particular-xyz") is None


# -- finding mentions ------------------------------------------------------------------------------

SNIPPET = (
    "KABUL, Afghanistan — The Taliban pushed into a provincial capital in Afghanistan's northwest "
    "on Wednesday. Details were murky from the town, Qala-i-Nau, the capital of Badghis Province. "
    "Most residents stayed indoors, said a police officer in Qala-e-Naw. President Biden spoke "
    "in Washington."
)


@needs_index
def test_find_places_on_a_snippet() -> None:
    found = find_places(SNIPPET)
    by_text = {m.text: m.place.id for m in found}
    assert by_text["Qala-i-Nau"] == by_text["Qala-e-Naw"] == QALA_I_NAW
    assert by_text["Badghis"] == "AF-BDG"
    assert by_text["KABUL"] == "1138958" and by_text["Afghanistan"] == "1149361"
    assert by_text["Washington"] == "4140963"
    assert "Most" not in by_text and "Biden" not in by_text and "Details" not in by_text
    for m in found:
        assert SNIPPET[m.start:m.end] == m.text


@needs_index
def test_find_places_skips_people_words_and_acronyms() -> None:
    text = ("Barack Obama met Whitney Houston in Atlanta. Obama said the UN and the EU agreed. "
            "Reading the report, Turkey's envoy nodded. Somali pirates were seen near Mogadishu.")
    found = {m.text: m.place for m in find_places(text)}
    assert set(found) >= {"Atlanta", "Turkey", "Mogadishu"}
    assert not set(found) & {"Obama", "Houston", "UN", "EU", "Reading", "Somali"}


@needs_index
def test_find_places_uses_state_abbreviations_and_designators() -> None:
    text = "He died at the federal prison in Springfield, Mo., officials said. Voters in Mary region cast ballots."
    found = {m.text: m.place for m in find_places(text)}
    assert found["Springfield"].admin1_name == "Missouri"
    assert found["Mary"].id == "TM-M"


@needs_index
def test_find_places_on_a_repeated_text_finds_the_same_places() -> None:
    # speed is measured by bench/, never asserted here
    once = {(m.text, m.place.id) for m in find_places(SNIPPET)}
    assert once and {(m.text, m.place.id) for m in find_places((SNIPPET + "\n") * 20)} == once


@needs_index
def test_entity_patterns_for_a_spacy_ruler() -> None:
    import itertools

    pats = list(itertools.islice(places.entity_patterns(min_population=100_000), 2000))
    assert pats and all(p["label"] in ("GPE", "LOC") and p["pattern"] for p in pats)
    assert not any(p["pattern"] == [{"LOWER": "reading"}] for p in places.entity_patterns())


# -- evaluation on real articles ----------------------------------------------------------------


@needs_index
def test_gold_snippets_accuracy() -> None:
    """Each gold mention resolved inside its context snippet (no shared data needed)."""
    result = evaluate(GOLD, use_documents=False)
    assert result["n"] >= 60
    assert result["accuracy"] >= 0.95, result["misses"]


@needs_index
@pytest.mark.skipif(not (SHARED / "ecbplus").is_dir(), reason="../shared/data (ECB+, MEANTIME, seeds) not present")
def test_gold_articles_accuracy() -> None:
    """Each gold mention found and resolved in its full article."""
    result = evaluate(GOLD, SHARED)
    assert result["documents_used"] >= 60
    assert result["accuracy"] >= 0.95, result["misses"]
    variants = [m for m in result["misses"] if m["source"] == "variant"]
    assert not variants
