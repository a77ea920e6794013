"""Names reconciled across sources (newstrace.names)."""

from __future__ import annotations

from newstrace.names import acronyms, names_match, reconcile_names


def test_names_match() -> None:
    assert names_match("Husamuddin Shams", "Hesamuddin Shams")
    assert names_match("Mr. Ban", "Ban Ki-moon")
    assert names_match("Dominique Strauss - Kahn", "Dominique Strauss-Kahn")
    assert not names_match("John Smith", "Jane Doe")


def test_names_reconciled_across_sources() -> None:
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
