"""Text normalisation and tokenisation shared by every analysis stage.

The store keeps the original text byte-for-byte (reports quote it); analysis runs on a
normalised form so that typographic variants (curly quotes, dashes, NBSP, full-width forms)
do not hide a copy.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u0060": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
}
_DASHES = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
}
_REPLACE = {**_QUOTES, **_DASHES, "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "",
            "\ufeff": ""}
_SPECIAL = re.compile("|".join(map(re.escape, sorted(_REPLACE, key=len, reverse=True))))
_BLANK_LINES = re.compile(r"\n\n\n+")
_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


#: Whitespace other than space and newline: every other character ``str.split`` splits on.
_ODD_SPACES = ("\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
               "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
#: Those that can still be in a text when it is checked: not "\r" (replaced first), and not
#: the ones NFKC turns into a plain space (non-ASCII text goes through NFKC first).
_ODD_SPACES_LEFT = "".join(c for c in _ODD_SPACES
                           if c != "\r" and unicodedata.normalize("NFKC", c) == c)
_ODD_SPACES_ASCII = "".join(c for c in _ODD_SPACES_LEFT if c.isascii())


def normalize(text: str) -> str:
    """NFKC, ASCII quotes and dashes, collapsed spaces; paragraph breaks kept as one blank line.

    Written for speed (it runs on every ingested article): one regex pass for the character
    replacements, then ``str.split`` (C speed) to collapse whitespace line by line, skipped
    when a few substring tests show there is nothing to collapse.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = _SPECIAL.sub(lambda m: _REPLACE[m.group()], text)
        odd_spaces = _ODD_SPACES_LEFT
    else:
        if "`" in text:
            text = text.replace("`", "'")
        odd_spaces = _ODD_SPACES_ASCII
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (" \n" in text or "\n " in text or any(map(text.__contains__, odd_spaces))
            or "  " in text):
        text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def words(norm_text: str) -> list[str]:
    """Lower-cased word tokens of an already normalised text."""
    return _WORD.findall(norm_text.lower())


def paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs (split on blank lines, or on single newlines when there are none)."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text)]
    parts = [p for p in parts if p]
    if len(parts) <= 1 and "\n" in text:
        parts = [p.strip() for p in text.splitlines() if p.strip()]
    return parts


def content_hash(norm_title: str, norm_body: str) -> str:
    """SHA-256 of the normalised title and body: the article's identity."""
    return hashlib.sha256(f"{norm_title}\n\n{norm_body}".encode("utf-8")).hexdigest()


def article_id(norm_title: str, norm_body: str) -> str:
    """Short, stable article id derived from :func:`content_hash`."""
    return "art_" + content_hash(norm_title, norm_body)[:16]


# -- sentences and tokens with offsets (alignment and evidence need positions) ------------------

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col sgt capt cmdr adm gov sen rep rev st jr sr co corp inc ltd "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "no vs etc al approx dept est fig ft mt pres gov't u.s u.k u.n e.g i.e a.m p.m".split())
_SENT_END = re.compile(r"[.!?]+[\"')\]\u201d\u2019]*(?=\s+[\"'(\[\u201c\u2018]?[A-Z0-9])")
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019\-.][^\W_]+)*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (paragraph breaks always end one).

    A rule-based splitter: a full stop ends a sentence unless it closes a known abbreviation
    ("Mr.", "Sept.", "U.S.") or a single initial ("Thomas J. Smith").
    """
    spans: list[tuple[int, int]] = []
    # Paragraphs: blank-line separated blocks where the text has blank lines (single newlines
    # inside them are line wrapping), else single lines.
    for p_start, p_end in _paragraph_bounds(text):
        start = offset = p_start
        chunk = text[p_start:p_end]
        for m in _SENT_END.finditer(chunk):
            end = offset + m.end()
            before = chunk[: m.start()].rsplit(None, 1)
            word = before[-1].lower().lstrip("\"'(\u201c\u2018") if before else ""
            if m.group()[0] == "." and (word.rstrip(".") in _ABBREVIATIONS
                                        or (len(word) == 1 and word.isalpha())):
                continue
            if text[start:end].strip():
                spans.append(_trim(text, start, end))
            start = end
        if text[start:p_end].strip():
            spans.append(_trim(text, start, p_end))
    return spans


_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Where blank lines split the text (single newlines inside are line wrapping); a text
    without blank lines has one paragraph a line."""
    if "\n\n" not in text and not re.search(r"\n[ \t]+\n", text):
        return [m.span() for m in re.finditer(r"[^\n]+", text)]
    bounds, pos = [], 0
    for m in _BLANK_LINE.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the word tokens of ``text`` (keeps "U.S.", "Qala-e-Naw", "don't")."""
    return [m.span() for m in _TOKEN.finditer(text)]


#: English function words: they survive a thesaurus spinner, so their sequence (the "skeleton"
#: of a sentence) betrays a rewrite (Stamatatos 2011).
STOPWORDS = frozenset("""
a about above after again against all also although am among an and another any are as at be
because been before being below between both but by can could did do does doing down during each
either even ever every few for from further had has have having he her here hers herself him
himself his how however i if in into is it its itself just least less many may me might more most
much must my myself neither no nor not now of off on once only or other others our ours ourselves
out over own per rather same several shall she should since so some such than that the their
theirs them themselves then there these they this those though through throughout thus to too
toward towards under until up upon us very was we were what whatever when whenever where whereas
wherever whether which while who whoever whom whose why will with within without would yet you
your yours yourself yourselves
""".split())


_AN_EXCEPTIONS = re.compile(r"^(?:hour|honest|honou?r|heir)", re.I)
_A_EXCEPTIONS = re.compile(r"^(?:one|once|uni|use|usu|uti|eu|ewe|ur[aei])", re.I)


def indefinite_article(word: str) -> str:
    """ "a" or "an" by the sound of the word's start (spelling rule with common exceptions):
    a word swapped in after "a"/"an" may need the other one."""
    if _AN_EXCEPTIONS.match(word):
        return "an"
    if _A_EXCEPTIONS.match(word):
        return "a"
    return "an" if word[:1].lower() in "aeiou" else "a"
