"""Sentence and word alignment: the evidence behind provenance verdicts."""

from newstrace.align import Document, align

SOURCE = ("The rebels pushed their way into the city on Wednesday. Fighting was widespread "
          "in the north of the province, officials said. \"We will hold the town,\" the "
          "governor told reporters. Hundreds of families fled to the capital last year.")
SPUN = ("The rebels pushed their method into the metropolis on Wednesday. Preventing was "
        "widespread in the north of the territory, officials stated. \"We will hold the "
        "town,\" the governor told reporters. Hundreds of households fled to the capital "
        "final 12 months. Subscribe to our newsletter for more.")


def test_sentences_pair_up_and_substitutions_are_listed() -> None:
    al = align(SOURCE, SPUN)
    assert [(p.source, p.copy) for p in al.pairs if not p.quote_only] == [(0, 0), (1, 1), (3, 3)]
    table = {(a, b) for a, b, _ in al.table()}
    assert ("way", "method") in table and ("city", "metropolis") in table
    assert ("fighting", "preventing") in table and ("said", "stated") in table
    assert ("last year", "final 12 months") in table
    assert al.added == [4] and al.dropped == []
    assert al.order == 1.0


def test_substitution_spans_point_into_both_texts() -> None:
    al = align(SOURCE, SPUN)
    for sub in al.substitutions:
        assert SOURCE[slice(*sub.source_span)] == sub.source
        assert SPUN[slice(*sub.copy_span)] == sub.copy


def test_shared_quote_is_not_evidence_of_copying() -> None:
    al = align(SOURCE, SPUN)
    quote = [p for p in al.pairs if p.quote_only]
    assert len(quote) == 1 and quote[0].source == 2
    independent = ("A different reporter wrote this story about the town. \"We will hold the "
                   "town,\" the governor told reporters. Nothing else here is shared at all.")
    al2 = align(SOURCE, independent)
    assert al2.copy_coverage == 0.0  # the only shared sentence is a quotation


def test_reordering_is_measured() -> None:
    sents = [f"Sentence number {w} talks about the harbour works and the storm damage." for w in
             ("one", "two", "three", "four", "five")]
    src = " ".join(sents)
    cpy = " ".join([sents[0], sents[3], sents[1], sents[2], sents[4]])
    al = align(Document.parse(src), Document.parse(cpy))
    assert len(al.pairs) == 5 and al.identity == 1.0
    assert al.order == 0.8
