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
_TRANSLATE = str.maketrans({**_QUOTES, **_DASHES, "\u00ad": None, "\u200b": None,
                            "\u200c": None, "\u200d": None, "\ufeff": None})
_SPACE_RUN = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_LINE_EDGES = re.compile(r" *\n *")

#: Word tokens for fingerprints: letters/digits with inner apostrophes or hyphens.
_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


def normalize(text: str) -> str:
    """NFKC, ASCII quotes and dashes, collapsed spaces; paragraph breaks kept as one blank line."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_RUN.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text)
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
