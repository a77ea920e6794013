from newstrace.text import article_id, content_hash, normalize, paragraphs, words


def test_normalize_quotes_dashes_spaces() -> None:
    raw = "\u201cThey\u2019re here,\u201d he said \u2014 twice.\u00a0\u00a0Then  left.\r\n\r\n\r\nEnd"
    assert normalize(raw) == '"They\'re here," he said - twice. Then left.\n\nEnd'


def test_normalize_nfkc_and_invisible_characters() -> None:
    assert normalize("\uff21\uff22\uff23 caf\u0065\u0301 \ufb01ne soft\u00adware\u200b") == \
        "ABC caf\u00e9 fine software"


def test_words_lowercase_keep_inner_apostrophes_and_hyphens() -> None:
    assert words("Qala-e-Naw's governor, 2021: don't") == ["qala-e-naw's", "governor", "2021",
                                                          "don't"]


def test_paragraphs_blank_lines_or_single_newlines() -> None:
    assert paragraphs("a\n\nb\n\n\nc") == ["a", "b", "c"]
    assert paragraphs("a\nb\nc") == ["a", "b", "c"]


def test_ids_are_stable_and_content_based() -> None:
    a = article_id("Title", "Body text")
    assert a == article_id("Title", "Body text")
    assert a.startswith("art_") and len(a) == 20
    assert a != article_id("Title", "Body text!")
    assert content_hash("T", "B") != content_hash("TB", "")


def test_sentences_of_line_wrapped_paragraphs() -> None:
    from newstrace.text import sentence_spans

    text = ("Bayes theorem relates the conditional\nand marginal probabilities. It is used\n"
            "widely.\n\nA second paragraph. Ends here.")
    assert [text[a:b].replace("\n", " ") for a, b in sentence_spans(text)] == [
        "Bayes theorem relates the conditional and marginal probabilities.",
        "It is used widely.", "A second paragraph.", "Ends here."]
    lines = "One line is a paragraph\nSo is this one"
    assert [lines[a:b] for a, b in sentence_spans(lines)] == [
        "One line is a paragraph", "So is this one"]


def _normalize_slowly(text: str) -> str:
    """The whitespace rules of :func:`normalize` applied unconditionally, line by line."""
    import re
    import unicodedata

    from newstrace.text import _REPLACE

    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = "".join(_REPLACE.get(c, c) for c in text)
    text = text.replace("`", "'").replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n\n\n+", "\n\n", text).strip()


def test_normalize_skips_collapsing_only_when_nothing_would_change() -> None:
    import sys

    from newstrace.text import _ODD_SPACES

    # the shortcut's list of other whitespace is every character str.split splits on
    assert set(_ODD_SPACES) == {c for c in map(chr, range(sys.maxunicode + 1))
                                if c.isspace() and c not in " \n"}
    cases = ["plain words\n\nnext para", " lead", "trail ", "a  b", "a \nb", "a\n b", "a\tb",
             "a\u2028b", "a\u00a0b", "a\u3000b", "a\x1cb", "x\n\n\n\ny", "  \n  ", "",
             "caf\u00e9 \u201cquoted\u201d \u2014 dash", "w\r\nx\ry", "one\x0btwo", "a\u0085b"]
    for text in cases:
        assert normalize(text) == _normalize_slowly(text), text


def test_normalize_matches_the_unconditional_rules_on_mixed_whitespace() -> None:
    import random

    rng = random.Random(11)
    pieces = ["a", "B", " ", "  ", "\n", "\n\n\n", "\t", "\r\n", "\u00a0", "\u2003", "\u2028",
              "\u0085", "\u1680", "\x1f", "\u201c", "\u2014", "\ufb01", "\u00e9", "`", "\u00ad"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert normalize(text) == _normalize_slowly(text), repr(text)
