"""Outcome claims (newstrace.claims) and their comparison across sources."""

from __future__ import annotations

from pathlib import Path

from newstrace.claims import extract_claims
from newstrace.facts import compare_facts

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def seed(prefix: str) -> tuple[str, str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").strip().split("\n")
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def test_outcome_claims_of_the_seeds_conflict() -> None:
    t0, b0 = seed("000")
    t3, b3 = seed("003")
    c0, c3 = extract_claims(b0), extract_claims(b3)
    assert c0[0].value == "held" and c0[0].text == "recaptured"
    assert c3[0].value == "lost" and c3[0].holder == "Taliban"
    assert not any("will be cleared" in c.sentence and c.value == "held" for c in c3)
    rows = compare_facts([("a0", t0, b0), ("a3", t3, b3)])
    claim = next(r for r in rows if r.kind == "claim")
    assert claim.status == "conflict" and claim.to_dict()["key"] == ["outcome", "control"]


def test_collapse_needs_a_place_or_its_defence() -> None:
    """Houses that collapse in an earthquake say nothing of who holds a place; a city that
    collapsed, or a district that fell to someone, does."""
    assert extract_claims("Several houses collapsed and a mosque fell in Takengon.") == []
    assert [c.value for c in extract_claims(
        "They were inside the city and the city briefly collapsed.")] == ["lost"]
    assert [c.value for c in extract_claims("Kunduz has fallen to the Taliban.")] == ["lost"]
    assert extract_claims("The building fell into the sea after the quake.") == []
