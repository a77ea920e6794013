"""Who did what to whom (newstrace.actions) and the action rows of newstrace.facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.actions import (agent_key, agents_relation, extract_actions, lexicon, main_place,
                               target_key)
from newstrace.facts import compare_facts

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def seed(prefix: str) -> tuple[str, str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").strip().split("\n")
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def triples(text: str, title: str = "") -> list[tuple[str, str, str]]:
    return [(c.agent, c.action, c.target) for c in extract_actions(text, title)]


# -- reading one sentence -------------------------------------------------------------------------

def test_active_clause_with_its_evidence_spans() -> None:
    text = "Provincial governor Husamuddin Shams told Reuters the Taliban had attacked the city " \
           "of Qala-e-Naw from three directions."
    [c] = extract_actions(text)
    assert (c.agent, c.action, c.target, c.voice) == ("the Taliban", "attack",
                                                      "the city of Qala-e-Naw", "active")
    assert text[c.agent_span[0]:c.agent_span[1]] == "the Taliban"
    assert text[c.target_span[0]:c.target_span[1]] == "the city of Qala-e-Naw"
    assert text[c.start:c.end] == "the Taliban had attacked the city of Qala-e-Naw"
    assert c.sentence == text and not c.in_title


def test_passives_with_by_and_without() -> None:
    assert triples("Gray was killed on March 9 by police who claim he pointed a gun.") == [
        ("police", "kill", "Gray")]
    assert triples("No militants were inside a United Nations-run school attacked by Israeli "
                   "forces in Gaza.") == [("Israeli forces", "attack", "a United Nations-run school")]
    # an agentless passive names nobody: no claim
    assert triples("Maurice Cheeks was fired Saturday as coach of the Philadelphia 76ers.") == []
    assert triples("Jackson was arrested on the DUI charge early Tuesday morning by the "
                   "California Highway Patrol.") == [
        ("the California Highway Patrol", "capture", "Jackson")]


def test_participles_take_the_agent_of_their_clause() -> None:
    got = triples("A 61-year-old man was charged with first-degree murder Saturday after "
                  "allegedly opening fire at an office Christmas party in Vancouver, killing one "
                  "man, police said.")
    assert got == [("A 61-year-old man", "shoot", "an office Christmas party"),
                   ("A 61-year-old man", "kill", "one man")]
    assert triples("Kenneth Dorsey says the woman accused of killing two co - workers is a good "
                   "person.") == [("the woman", "kill", "two co - workers")]


def test_relative_clause_coordination_and_appositives() -> None:
    assert triples("After years of delays, the man who killed four people was sentenced.") == [
        ("the man", "kill", "four people")]
    assert triples("A Muslim woman named Yvonne Hiller shot and killed two co - workers at a "
                   "Kraft plant.") == [("Yvonne Hiller", "kill", "two co - workers")]
    assert triples("Wladimir Klitschko, 53-3, 47 KO's, easily dismantled Hasim Rahman in the "
                   "seventh round.") == [("Wladimir Klitschko", "defeat", "Hasim Rahman")]
    assert triples("The Sudan Armed Forces, or SAF, attacked a refugee camp in South Sudan.") == [
        ("The Sudan Armed Forces", "attack", "a refugee camp")]


def test_multiword_cues_reflexives_and_instruments() -> None:
    assert triples("A publicist says Tara Reid has checked herself into rehab.") == [
        ("Tara Reid", "enter", "rehab")]
    # the car is the instrument, the store the target
    assert triples("Four men rammed their car into an upmarket jewelry store in central Paris.") == [
        ("Four men", "attack", "an upmarket jewelry store")]
    assert triples("Armed robbers stole diamonds valued at 85 million euros from the Paris branch "
                   "of jeweler Harry Winston.") == [
        ("Armed robbers", "rob", "the Paris branch of jeweler Harry Winston")]
    assert triples("The Indian navy captured 23 Somali and Yemeni sea brigands.") == [
        ("The Indian navy", "capture", "23 Somali and Yemeni sea brigands")]


def test_noun_phrases_of_action() -> None:
    assert triples("Israel's assault on Gaza has exacted the bloodiest toll yet.") == [
        ("Israel", "attack", "Gaza")]
    assert triples("Riots broke out in protest at the killing by police of a 15-year-old boy.") == [
        ("police", "kill", "a 15-year-old boy")]
    # "fatal" makes a shooting a killing
    assert triples("Clashes went on since the fatal police shooting of a teenage boy in Athens.") == [
        ("police", "kill", "a teenage boy")]
    # an action prevented, or only planned, is no claim
    assert triples("The navy thwarted a multi-boat attack by sea brigands on merchant vessels.") == []
    assert triples("Analysts say Hewlett-Packard's forthcoming acquisition of EDS is a good "
                   "move.") == []


def test_hedged_negated_and_agentless_sentences_are_no_claims() -> None:
    assert triples("The Indian Navy prevented pirates from attacking a merchant vessel.") == []
    assert triples("Hewlett-Packard is negotiating to buy Electronic Data Systems.") == []
    assert triples("H-P announced Tuesday that it will buy the outsourcing company.") == []
    assert triples("The rebels did not attack the town.") == []
    # events and devices are no agents; pronouns are not read
    assert triples("A bomb explosion at a bank killed a police officer.") == []
    assert triples("A 5.6 magnitude earthquake hit an island off Iran.") == []
    assert triples("He stabbed his mother to death.") == []


def test_object_constraint_keeps_dismissal_apart_from_gunfire() -> None:
    assert triples("Stefanski fired Cheeks with the Sixers floundering at 9-14.") == [
        ("Stefanski", "dismiss", "Cheeks")]
    assert triples("The gunman fired 11 shots.") == []
    assert [c.action for c in extract_actions("The gunmen fired on the convoy.")] == ["attack"]


def test_headline_claims_are_flagged() -> None:
    [c] = extract_actions("Officials said nothing.", "Taliban Attack a Provincial Capital in "
                                                      "Afghanistan's North")
    assert c.in_title and (c.agent, c.action, c.target) == ("Taliban", "attack",
                                                            "a Provincial Capital")


def test_lexicon_forms() -> None:
    lex = lexicon()
    assert {c.cls for c in lex.by_form["stormed"]} == {"attack"}
    assert "kill" in {c.cls for c in lex.by_form["slain"]}
    assert lex.nouns["assault"] == "attack" and lex.nouns["killing"] == "kill"


# -- what agents and targets refer to --------------------------------------------------------------

def test_agent_keys_and_relations() -> None:
    israel_forces, israel = agent_key("Israeli forces"), agent_key("Israel")
    assert israel_forces.side == israel.side == "IL" and israel_forces.family == "forces"
    assert agents_relation(israel_forces, israel) == "agree"
    hamas = agent_key("Hamas militants")
    assert hamas.name == "Hamas" and hamas.family == "militants"
    assert agents_relation(israel_forces, hamas) == "conflict"
    assert agents_relation(agent_key("Four armed robbers"), agent_key("Armed robbers")) == "agree"
    assert agents_relation(agent_key("Klitschko"), agent_key("Wladimir Klitschko")) == "agree"
    # a generic actor and a name may be one: no conflict
    assert agents_relation(agent_key("the team"), agent_key("Stefanski")) == "compatible"
    assert agents_relation(agent_key("police"), agent_key("gunmen")) == "conflict"
    assert agents_relation(agent_key("Eric Allen Kirkpatrick"), agent_key("Jose Luis Orozco")) \
        == "conflict"
    # in a headline capitalised ordinary words are no name
    assert agent_key("Suspended Worker", in_title=True).name is None
    assert agents_relation(agent_key("SAF"), agent_key("Sudan Armed Forces"),
                           {"SAF": "Sudan Armed Forces"}) == "agree"


def test_target_keys() -> None:
    body = "The Taliban attacked the city of Qala-e-Naw. Fighting went on in Qala-e-Naw."
    [c] = extract_actions(body)
    from newstrace.places import find_places

    mentions = find_places(body)
    town = main_place(body, mentions)
    assert town is not None and target_key(c, mentions, town)[0] == "place"
    [c2] = extract_actions("Gunmen stormed the city.")
    assert target_key(c2, [], town) == ("place", town.id, town.name)
    [c3] = extract_actions("Police arrested 23 pirates.")
    assert target_key(c3)[:2] == ("people", "23")
    [c4] = extract_actions("Armed robbers snatched jewels from a Harry Winston boutique.")
    assert target_key(c4) == ("thing", "shop", "shop")


# -- across sources ---------------------------------------------------------------------------------

def _action_rows(articles: list[tuple[str, str, str]], **kw: object) -> list:
    return [r for r in compare_facts(articles, names=False, **kw) if r.kind == "action"]


def test_sources_agree_on_who_did_it() -> None:
    rows = _action_rows([("a", "", "Israeli forces attacked a UN school in Jabaliya on Tuesday."),
                         ("b", "", "A UN school was attacked by Israel on Tuesday, the UN said.")])
    [row] = rows
    assert row.key == ("attack", "school") and row.status == "agree"
    assert {(v.article_id, v.agent) for v in row.values} == {("a", "Israeli forces"), ("b", "Israel")}
    v = next(v for v in row.values if v.article_id == "a")
    assert (v.start, v.end) == (0, len("Israeli forces attacked a UN school"))


def test_different_agents_of_one_action_on_one_target_conflict() -> None:
    rows = _action_rows([("a", "", "Israeli forces shelled the school, killing 40."),
                         ("b", "", "Hamas militants shelled the school on Tuesday.")])
    row = next(r for r in rows if r.key == ("attack", "school"))
    assert row.status == "conflict" and row.pairs == [("a", "b", "conflict")]


def test_different_targets_or_actions_are_not_compared() -> None:
    """"Israeli forces shelled the school" and "Hamas militants fired from the school" are not
    claims about who did one thing to one target: no conflict."""
    rows = _action_rows([("a", "", "Israeli forces shelled the school."),
                         ("b", "", "Hamas militants fired rockets at an Israeli town.")])
    assert all(r.status == "single-source" for r in rows)


def test_copies_are_no_confirmation() -> None:
    rows = _action_rows([("a", "", "Police arrested Vincent Jackson on Tuesday."),
                         ("b", "", "Police arrested Vincent Jackson on Tuesday.")],
                        copies={"b": "a"})
    [row] = rows
    assert row.pairs == [("a", "b", "copy")] and row.status == "single-source"


def test_seeds_line_up_the_taliban_attack_on_the_town() -> None:
    t0, b0 = seed("000")
    t3, b3 = seed("003")
    rows = _action_rows([("a0", t0, b0), ("a3", t3, b3)])
    row = next(r for r in rows if r.key[0] == "attack" and {v.article_id for v in r.values} == {"a0", "a3"})
    assert row.status == "agree" and "Qala" in row.key[1]
    agents = {v.agent for v in row.values}
    assert {"the Taliban", "Taliban"} <= agents
    # the body's claim has its evidence span; the headline's is flagged as such
    body_value = next(v for v in row.values if v.article_id == "a0" and v.start is not None)
    assert b0[body_value.start:body_value.end] == "the Taliban had attacked the city of Qala-e-Naw"
    assert any(v.role == "headline" and v.start is None for v in row.values)


def test_deterministic() -> None:
    t0, b0 = seed("000")
    assert [c.to_dict() for c in extract_actions(b0, t0)] == [c.to_dict() for c in extract_actions(b0, t0)]


@pytest.mark.parametrize("text", ["", "   ", "\u201c\u201d", "By by by.", "and and, the."])
def test_odd_input(text: str) -> None:
    assert extract_actions(text, text) == []


def test_conditions_idioms_and_nouns_that_look_like_verbs() -> None:
    assert triples("If the Saints beat Seattle, the Falcons will face them.") == []
    assert triples("Back in 1970, Woodward struck up a conversation with Felt.") == []
    assert triples("The SEC stole the show on Tuesday with victories from Vanderbilt.") == []
    assert triples("The Saints placed Bush on the injured reserve list Wednesday.") == []
    assert triples("Greece has entered a period of intense soul searching.") == []
    assert triples("Two Israeli tank shells struck the school in Jabaliya.") == [
        ("Two Israeli tank shells", "attack", "the school")]


def test_a_place_after_a_preposition_is_no_agent() -> None:
    assert triples("A jury in eastern Oklahoma has convicted a 27 - year - old man of murder.") == [
        ("A jury in eastern Oklahoma", "convict", "a 27 - year - old man")]
    assert triples("In 2009 a major earthquake near Padang city on Sumatra killed more than "
                   "1,000 people.") == []
    assert triples("Aceh was hit hard by the earthquake and tsunami in 2004, killing 170,000 "
                   "people.") == []


def test_plural_nouns_are_not_read_as_verbs() -> None:
    assert triples("Military aircraft from Sudan crossed the border and dropped bombs Thursday "
                   "near a camp.") == []
    assert triples("With Web attacks increasing, Microsoft fixes IE bug.",) == []
    assert triples("Sudan bombs the Yida refugee camp, officials say.") == [
        ("Sudan", "attack", "the Yida refugee camp")]


def test_the_main_action_is_the_one_most_sources_report() -> None:
    rows = _action_rows([
        ("a", "", "Police arrested Vincent Jackson on Tuesday. A witness said Jackson hit a parked car."),
        ("b", "", "The California Highway Patrol arrested Vincent Jackson."),
        ("c", "", "Officers arrested Vincent Jackson early Tuesday.")])
    main = [r for r in rows if r.main]
    assert len(main) == 1 and main[0].key == ("capture", "Vincent Jackson")
    assert main[0].to_dict()["main"] is True and "main" not in rows[-1].to_dict()
    assert rows[0] is main[0]


def test_headline_flag_and_names_that_contain_a_town() -> None:
    # a body line in title case is read as a headline would be, but is no headline claim
    [c] = extract_actions("Colts Top Jags To Make Playoffs\n\nThe season is over.")
    assert (c.agent, c.action, c.target, c.in_title) == ("Colts", "defeat", "Jags", False)
    [d] = extract_actions("Police arrested Vincent Jackson on Tuesday in Jackson, Mississippi.")
    from newstrace.places import find_places

    body = "Police arrested Vincent Jackson on Tuesday in Jackson, Mississippi."
    assert target_key(d, find_places(body))[:2] == ("name", "Vincent Jackson")
