"""Quotations and their speakers (newstrace.quotes)."""

from __future__ import annotations

from pathlib import Path

from newstrace.facts import quote_overlap
from newstrace.quotes import extract_quotes, speaker_key

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def seed(prefix: str) -> tuple[str, str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").strip().split("\n")
    return lines[0].strip(), "\n".join(lines[1:]).strip()


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


def test_pronoun_after_a_quotation_is_its_speaker() -> None:
    """'"...," said a senior officer. "...," he added': nobody is named between the two, so
    "he" is the officer, not a capitalised time phrase before them."""
    text = ("Early March, the navy captured eight pirates near the coast.\n"
            "\u201cThe ministry is working to hand them over,\u201d said a senior officer.\n"
            "\u201cThe frigate may head for Djibouti next week,\u201d he added.")
    qs = extract_quotes(text)
    assert [(q.speaker, q.role) for q in qs] == [(None, "a senior officer")] * 2
    assert qs[1].how == "pronoun"


def test_more_speech_verbs_attribute_quotes() -> None:
    text = ("Councilman John Ortiz spoke after the march. \u201cStay out of our community,\u201d "
            "Ortiz fumed on Twitter.")
    assert [q.speaker for q in extract_quotes(text)] == ["John Ortiz"]
