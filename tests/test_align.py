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


def test_quote_spans_follow_quotations_over_lines_and_treebank_marks() -> None:
    from newstrace.align import quote_spans

    def quoted(text: str) -> list[str]:
        return [text[a:b] for a, b in quote_spans(text)]

    assert quoted('He said "we will win" today.') == ["we will win"]
    # Penn-Treebank marks, raw and normalised
    assert quoted("He said `` we will win '' today.") == [" we will win "]
    assert quoted("He said '' we will win '' today.") == [" we will win "]
    # a quotation over several sentences, one per line (as in ECB+)
    text = "`` First sentence.\nSecond one.\nThird, '' she said."
    assert quoted(text) == [" First sentence.\nSecond one.\nThird, "]
    # news style: the quotation is reopened at each new paragraph and closed once
    text = '"First paragraph.\n\n"Second paragraph," he said. Then "another."'
    assert quoted(text) == ['First paragraph.\n\n"Second paragraph,', "another."]
    # an opening mark never closed quotes nothing
    assert quoted('A stray " mark and nothing more.') == []


def test_shared_multi_sentence_quotation_is_not_copy_evidence() -> None:
    quote = ("`` This administration has rejected science at every turn.\n"
             "We remain convinced that these changes are illegal.\n"
             "We will see them in court, '' said the group's director.\n")
    a = Document.parse("The agency announced the rule on Thursday in Washington.\n" + quote
                       + "The change takes effect next month after a review period.\n")
    b = Document.parse("Critics reacted within hours to the new federal rule.\n" + quote
                       + "Lawmakers from both parties asked for hearings in the spring.\n")
    al = align(a, b)
    assert al.quote_pairs(), "the shared quotation is aligned but set apart"
    assert al.copy_coverage < 0.2


def test_quotations_count_when_the_narrative_around_them_is_copied_too() -> None:
    narrative = ("The undersea cable, which links South Africa with Europe and India, failed on "
                 "Saturday after a fault off the coast of Egypt.\n"
                 "Local internet providers have been scrambling to keep their customers "
                 "connected since the outage began.\n")
    quote = '"We have restored most of the capacity and expect the rest today," the provider said.\n'
    source = Document.parse(narrative + quote + "Repairs will take about twelve days.\n")
    excerpt = Document.parse("From a report on Tuesday:\n" + narrative + quote)
    al = align(source, excerpt)
    assert len(al.evidence_pairs()) == 3  # the quotation is evidence with the narrative
    only_quote = Document.parse("Customers complained all weekend about slow service.\n" + quote)
    assert align(source, only_quote).evidence_pairs() == []


def test_find_sources_gives_the_same_links_on_several_processes(monkeypatch) -> None:
    from newstrace import provenance
    from newstrace.models import Article
    from newstrace.text import article_id, normalize

    base = ("The minister said on Monday that the new budget would raise spending on schools "
            "and hospitals by a fifth over the next three years.\n"
            "Opposition leaders called the plan reckless and said it would push up borrowing.\n"
            "The budget is expected to pass parliament next month after a long debate.\n")
    texts = [base, base.replace("Monday", "Tuesday").replace("reckless", "careless"),
             base + "Markets were calm after the announcement.\n",
             "A storm closed the main road into the valley overnight, police said.\n"
             "Drivers were told to avoid the area until the morning.\n"]
    arts = [Article(article_id(normalize(f"t{i}"), normalize(t)), f"t{i}", t, [])
            for i, t in enumerate(texts)]
    one = provenance.find_sources(arts, workers=1)
    monkeypatch.setattr(provenance, "_PARALLEL_MIN_PAIRS", 0)
    two = provenance.find_sources(arts, workers=2)
    assert one, "the edited copies are found"
    assert [(x.copy, x.source, x.relation, x.score) for x in one] == \
        [(x.copy, x.source, x.relation, x.score) for x in two]


def test_candidate_ties_do_not_depend_on_the_hash_seed() -> None:
    # Five source sentences share two words each with the copy sentence: which three get
    # scored was the order a set gave the words in (it changed with PYTHONHASHSEED and moved
    # the Clough & Stevenson AUC in the third decimal). Ties now go to the first sentences.
    from newstrace.align import _candidates

    src = Document.parse("Farmers sold apples and pears at dawn. Traders weighed plums and figs "
                         "at noon. Cooks baked apples with figs at dusk. Boys stole pears and "
                         "plums at night. Girls picked apples and plums in spring.")
    cpy = Document.parse("Markets offered apples, pears, plums and figs yesterday.")
    assert sorted(i for i, j in _candidates(src, cpy) if j == 0) == [0, 1, 2]


def test_a_heavily_spun_copy_aligns_through_its_restored_text() -> None:
    from newstrace.align import align_restored

    source = ("Taliban fighters pushed their way into the city on Monday night. "
              "Fighting was widespread in the north of the province, officials said. "
              "Hundreds of prisoners escaped from the jail after the attack.")
    copy = ("Taliban warriors shoved their method into the metropolis on Monday evening. "
            "Preventing was prevalent in the north of the region, authorities stated. "
            "Tons of detainees fled from the prison after the assault.")
    src, cpy = Document.parse(source), Document.parse(copy)
    plain = align(src, cpy)
    got = align_restored(src, cpy, Document.parse(source))
    assert got is not None
    guide, shown = got
    assert len(guide.pairs) == 3 > len(plain.pairs)
    assert [(p.source, p.copy) for p in shown.pairs] == [(p.source, p.copy) for p in guide.pairs]
    # the pairs shown are the copy as written: its swaps, at their places in the copy
    swaps = {(s.source, s.copy) for p in shown.pairs for s in p.substitutions}
    assert ("Fighting", "Preventing") in swaps and ("jail", "prison") in swaps
    for p in shown.pairs:
        for s in p.substitutions:
            assert copy[s.copy_span[0]:s.copy_span[1]] == s.copy
    # restoring that changes the sentences is refused
    assert align_restored(src, cpy, Document.parse("One sentence only.")) is None
