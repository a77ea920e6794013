"""Sentence and word alignment between a possible source and a possible copy.

This is the evidence behind every provenance verdict: which sentence of the copy comes from
which sentence of the source, which words were swapped ("fighting" -> "preventing"), which
sentences were added or dropped, and whether the order was kept.

Sentences are paired through shared words (an inverted index, so only plausible pairs are
scored), scored with a token-level longest-matching-blocks ratio, and assigned one-to-one,
best first. Word-level differences inside each pair come from the same matching.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .text import STOPWORDS, normalize, sentence_spans, token_spans

#: Longest phrase (in tokens, each side) still counted as one substitution.
MAX_SUBSTITUTION_TOKENS = 4
#: Minimum pair score (2 * matched tokens / all tokens) for two sentences to be aligned.
MIN_PAIR_SCORE = 0.5
#: Sentences shorter than this (in tokens) align only if identical: short lines match by chance.
MIN_SENTENCE_TOKENS = 4
#: Pair score above which two sentences read as one sentence, edited.
STRONG_PAIR = 0.8

# Quotation marks: double quotes, straight or curly, and the Penn-Treebank-style pairs
# (``like this'') of some corpora, which normalisation turns into '' ... ''.
_QUOTE_MARK = re.compile(r"``|''|[\"\u201c\u201d]")
_MAX_QUOTE = 2000  # characters; an opening mark with no close this near is a stray


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the quotations in ``text`` (sorted, not overlapping), also those
    that run over several sentences or paragraphs, and British-style 'single' quotations."""
    spans = _double_quote_spans(text) + _single_quote_spans(text)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _reopens(text: str, pos: int, start: int) -> bool:
    """News style leaves a quotation open at the end of a paragraph and opens it again at the
    start of the next: a mark at the start of a line inside an open quotation continues it."""
    line_start = text.rfind("\n", 0, pos) + 1
    return line_start > start and not text[line_start:pos].strip()


def _double_quote_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = -1
    for m in _QUOTE_MARK.finditer(text):
        mark, pos = m.group(), m.start()
        if start >= 0 and pos - start > _MAX_QUOTE:
            start = -1  # the earlier mark was a stray; this one may open a quotation
        if start < 0:
            if mark != "\u201d":
                start = m.end()
            continue
        if mark in ("\u201c", "``") or _reopens(text, pos, start):
            continue  # a quotation reopened at a new paragraph
        if pos - start >= 3:
            spans.append((start, pos))
        start = -1
    return spans


# an opening single quote starts a word and follows no letter; a closing one ends a word,
# sentence or clause; an apostrophe inside a word (don't, I've) is neither
_SINGLE_MARK = re.compile(r"(?P<open>(?<![\w.,;:!?'\u2019])['\u2018](?=[^\W_]))"
                          r"|(?P<close>(?<=[\w.,;:!?\s])['\u2019](?![^\W_]))")


def _single_quote_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = -1
    for m in _SINGLE_MARK.finditer(text):
        pos = m.start()
        if start >= 0 and pos - start > _MAX_QUOTE:
            start = -1
        if m.group("open"):
            if start < 0:
                start = m.end()
            continue
        if start < 0 or _reopens(text, pos, start):
            continue
        if pos - start >= 3:
            spans.append((start, pos))
        start = -1
    return spans


@dataclass(frozen=True)
class Substitution:
    """One swapped word or phrase: ``source`` text replaced by ``copy`` text."""

    source: str
    copy: str
    source_span: tuple[int, int]
    copy_span: tuple[int, int]


@dataclass(frozen=True)
class SentencePair:
    source: int  # sentence index in the source
    copy: int  # sentence index in the copy
    score: float  # 2 * matched tokens / (tokens of both)
    matched: int  # identical tokens
    source_tokens: int
    copy_tokens: int
    quote_only: bool  # the shared words are (almost) all inside quotation marks
    substitutions: tuple[Substitution, ...]
    rewritten: int  # tokens in replaced stretches too long to be substitutions


def _token(word: str) -> str:
    """The comparable form of a token: lower case, and normalised only when not ASCII."""
    return word.lower() if word.isascii() else normalize(word).lower()


@dataclass
class Document:
    """A text prepared for alignment: sentences and tokens with their spans."""

    text: str
    sentences: list[tuple[int, int]]
    tokens: list[list[str]]  # normalised lower-case tokens per sentence
    spans: list[list[tuple[int, int]]]  # character spans of those tokens
    in_quote: list[list[bool]]

    @classmethod
    def parse(cls, text: str) -> "Document":
        quotes = quote_spans(text)
        starts = [s for s, _ in quotes]
        sentences = sentence_spans(text)
        tokens, spans, in_quote = [], [], []
        for s, e in sentences:
            sp = [(s + a, s + b) for a, b in token_spans(text[s:e])]
            tokens.append([_token(text[a:b]) for a, b in sp])
            spans.append(sp)
            flags = []
            for a, _ in sp:
                i = bisect_right(starts, a) - 1
                flags.append(i >= 0 and quotes[i][0] <= a < quotes[i][1])
            in_quote.append(flags)
        return cls(text, sentences, tokens, spans, in_quote)

    @property
    def n_tokens(self) -> int:
        return sum(len(t) for t in self.tokens)


@dataclass
class Alignment:
    """Everything the alignment of a copy against a source found."""

    source: Document
    copy: Document
    pairs: list[SentencePair]
    added: list[int] = field(default_factory=list)  # copy sentences with no source
    dropped: list[int] = field(default_factory=list)  # source sentences not in the copy

    def _evidence_pairs(self) -> list[SentencePair]:
        """Aligned sentences that show copying. Shared quotations are left out (independent
        reports quote the same people), unless the copy also shares two or more of the source's
        narrative sentences nearly word for word, or is mostly the source's quotations in turn
        (four or more, making most of its sentences) with most of its other sentences aligned."""
        quotes = sum(p.quote_only for p in self.pairs)
        narrative = [p for p in self.pairs if not p.quote_only]
        if not quotes:
            return narrative
        if sum(p.score >= STRONG_PAIR and p.matched >= 6 for p in narrative) >= 2:
            # the quotations come with the source's own narrative sentences around them: a
            # copy (or an excerpt in quotation marks), not two reports quoting one speaker
            return list(self.pairs)
        unquoted = len(self.copy.sentences) - quotes
        if (quotes >= 4 and quotes >= 0.6 * len(self.copy.sentences)
                and len(narrative) >= 0.5 * unquoted):
            # a copy of a story made mostly of quotations, its few other sentences aligned too
            # (spun, say); two reports that quote one statement share nothing else
            return list(self.pairs)
        return narrative

    @property
    def copy_coverage(self) -> float:
        """Share of the copy's tokens in sentences aligned to the source (quotes excluded)."""
        total = self.copy.n_tokens
        return sum(p.copy_tokens for p in self._evidence_pairs()) / total if total else 0.0

    @property
    def source_coverage(self) -> float:
        total = self.source.n_tokens
        return sum(p.source_tokens for p in self._evidence_pairs()) / total if total else 0.0

    @property
    def identity(self) -> float:
        """Share of identical tokens inside the aligned sentences."""
        pairs = self._evidence_pairs()
        both = sum(p.source_tokens + p.copy_tokens for p in pairs)
        return 2 * sum(p.matched for p in pairs) / both if both else 0.0

    @property
    def order(self) -> float:
        """Share of aligned sentences in the source's order (1.0 = no reordering)."""
        pairs = sorted(self._evidence_pairs(), key=lambda p: p.copy)
        if len(pairs) < 2:
            return 1.0
        return _lis_length([p.source for p in pairs]) / len(pairs)

    @property
    def substitutions(self) -> list[Substitution]:
        return [s for p in self._evidence_pairs() for s in p.substitutions]

    def evidence_pairs(self) -> list[SentencePair]:
        return self._evidence_pairs()

    @property
    def substitution_rate(self) -> float:
        """Substituted source tokens per aligned source token."""
        pairs = self._evidence_pairs()
        total = sum(p.source_tokens for p in pairs)
        subs = sum(len(s.source.split()) for s in self.substitutions)
        return subs / total if total else 0.0

    @property
    def rewritten_share(self) -> float:
        pairs = self._evidence_pairs()
        total = sum(p.copy_tokens for p in pairs)
        return sum(p.rewritten for p in pairs) / total if total else 0.0

    def table(self) -> list[tuple[str, str, int]]:
        """The substitution table: (source phrase, copy phrase, count), most frequent first."""
        counts = Counter((s.source.lower(), s.copy.lower()) for s in self.substitutions)
        return [(a, b, n) for (a, b), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]

    def mirrored(self) -> "Alignment":
        """The same alignment seen from the other side (copy as source): no re-alignment."""
        pairs = [SentencePair(p.copy, p.source, p.score, p.matched, p.copy_tokens,
                              p.source_tokens, p.quote_only,
                              tuple(Substitution(x.copy, x.source, x.copy_span, x.source_span)
                                    for x in p.substitutions), p.rewritten)
                 for p in self.pairs]
        pairs.sort(key=lambda p: p.copy)
        return Alignment(self.copy, self.source, pairs, list(self.dropped), list(self.added))

    def quote_pairs(self) -> list[SentencePair]:
        """Shared quotations not counted as evidence."""
        counted = set(map(id, self._evidence_pairs()))
        return [p for p in self.pairs if p.quote_only and id(p) not in counted]


def _lis_length(seq: list[int]) -> int:
    tails: list[int] = []
    for x in seq:
        i = bisect_right(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)


def _candidates(src: Document, cpy: Document, per_sentence: int = 3) -> list[tuple[int, int]]:
    """Sentence pairs worth scoring: those sharing several content words (or any skeleton)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, toks in enumerate(src.tokens):
        for t in set(toks):
            if t not in STOPWORDS:
                index[t].append(i)
    out = []
    for j, toks in enumerate(cpy.tokens):
        shared: Counter[int] = Counter()
        for t in set(toks):
            if t not in STOPWORDS:
                hits = index.get(t)
                if hits and len(hits) <= 20:
                    shared.update(hits)
        # ties broken by sentence number, not by the order the set gave the words in (which
        # changes with the process's string hash seed)
        for i, n in sorted(shared.items(), key=lambda x: (-x[1], x[0]))[:per_sentence]:
            if n >= 2 or (n >= 1 and len(toks) <= 6):
                out.append((i, j))
    return out


def _pair(src: Document, cpy: Document, i: int, j: int, min_score: float = MIN_PAIR_SCORE
          ) -> SentencePair | None:
    a, b = src.tokens[i], cpy.tokens[j]
    if min(len(a), len(b)) < MIN_SENTENCE_TOKENS and a != b:
        return None
    sm = SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in sm.get_matching_blocks())
    score = 2 * matched / (len(a) + len(b))
    if score < min_score:
        return None
    subs: list[Substitution] = []
    rewritten = 0
    quoted = 0
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            quoted += sum(1 for k in range(i1, i2) if src.in_quote[i][k]
                          and cpy.in_quote[j][j1 + k - i1])
        elif tag == "replace":
            if i2 - i1 <= MAX_SUBSTITUTION_TOKENS and j2 - j1 <= MAX_SUBSTITUTION_TOKENS:
                s_span = (src.spans[i][i1][0], src.spans[i][i2 - 1][1])
                c_span = (cpy.spans[j][j1][0], cpy.spans[j][j2 - 1][1])
                subs.append(Substitution(src.text[s_span[0]:s_span[1]],
                                         cpy.text[c_span[0]:c_span[1]], s_span, c_span))
            else:
                rewritten += j2 - j1
    # A shared quotation with its attribution ("...," the governor said) is what independent
    # reports of one event have in common: it is not evidence that one copied the other.
    quote_only = quoted >= min(3, matched) > 0 and matched - quoted <= max(5, 0.4 * matched)
    return SentencePair(i, j, round(score, 4), matched, len(a), len(b), quote_only,
                        tuple(subs), rewritten)


def align(source: Document | str, copy: Document | str) -> Alignment:
    """Align ``copy`` against ``source``: one-to-one sentence pairs, best scores first."""
    src = source if isinstance(source, Document) else Document.parse(source)
    cpy = copy if isinstance(copy, Document) else Document.parse(copy)
    scored = [p for i, j in _candidates(src, cpy) if (p := _pair(src, cpy, i, j))]
    scored.sort(key=lambda p: (-p.score, p.copy, p.source))
    used_src: set[int] = set()
    used_cpy: set[int] = set()
    pairs = []
    for p in scored:
        if p.source in used_src or p.copy in used_cpy:
            continue
        used_src.add(p.source)
        used_cpy.add(p.copy)
        pairs.append(p)
    pairs.sort(key=lambda p: p.copy)
    added = [j for j in range(len(cpy.sentences)) if j not in used_cpy]
    dropped = [i for i in range(len(src.sentences)) if i not in used_src]
    return Alignment(src, cpy, pairs, added, dropped)


def align_restored(source: Document, copy: Document, restored: Document
                   ) -> tuple[Alignment, Alignment] | None:
    """Align a heavily spun ``copy`` against ``source`` through ``restored``, the copy with its
    likely original words put back (:func:`newstrace.spin.despin`; the same sentences).

    Where half the words are swapped, few sentences of the copy still pass for the source's;
    restored, they do. Returns the alignment of the restored copy (what a verdict can rest on)
    and the same sentence pairs between the copy *as written* and the source, whose
    substitutions are the swaps a reader sees; None where restoring changed the sentences."""
    if len(restored.sentences) != len(copy.sentences):
        return None
    guide = align(source, restored)
    pairs = [q for p in guide.pairs
             if (q := _pair(source, copy, p.source, p.copy, min_score=0.0)) is not None]
    return guide, Alignment(source, copy, pairs, list(guide.added), list(guide.dropped))


# -- paragraph alignment for paraphrases --------------------------------------------------------

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "ly", "s")


def _stem(word: str) -> str:
    """A crude suffix stripper: paraphrases inflect and derive words differently."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class ParagraphMatch:
    copy_span: tuple[int, int]
    source_span: tuple[int, int]
    score: float  # idf-weighted overlap of content-word stems, in [0, 1]


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for part in re.split(r"(\n\s*\n)", text):
        if part.strip() and not re.fullmatch(r"\n\s*\n", part):
            spans.append((pos, pos + len(part)))
        pos += len(part)
    return spans


def align_paragraphs(source: str, copy: str, min_score: float = 0.3
                     ) -> list[ParagraphMatch]:
    """Pair each copy paragraph with the source paragraph sharing the most idf-weighted content
    stems: a paraphrase changes the words around the terms, not the terms."""
    import math

    src_spans, cpy_spans = _paragraph_spans(source), _paragraph_spans(copy)

    def bag(text: str) -> set[str]:
        return {_stem(t) for t in (normalize(w).lower() for w in re.findall(r"[^\W_]+", text))
                if t not in STOPWORDS and len(t) > 2 and not t.isdigit()}

    src_bags = [bag(source[a:b]) for a, b in src_spans]
    cpy_bags = [bag(copy[a:b]) for a, b in cpy_spans]
    df: Counter[str] = Counter()
    for b in src_bags + cpy_bags:
        df.update(b)
    n = len(src_bags) + len(cpy_bags)
    idf = {t: math.log(1 + n / c) for t, c in df.items()}
    # fsum: exact whatever order the sets yield their words in (plain sums differ in the last
    # bits with the hash seed, and a tie or a threshold can flip on that)
    weight = [math.fsum(idf[t] for t in b) for b in src_bags]
    out: list[tuple[int, int, float]] = []
    for j, cb in enumerate(cpy_bags):
        if len(cb) < 5:
            continue
        total = math.fsum(idf[t] for t in cb)
        scores = {}
        for i, sb in enumerate(src_bags):
            shared = math.fsum(idf[t] for t in cb & sb)
            if shared:
                scores[i] = 2 * shared / (total + weight[i])
        if not scores:
            continue
        best_i = max(scores, key=lambda i: (scores[i], -i))
        best = scores[best_i]
        if out and j - out[-1][0] <= 3:
            # continuity: a rewrite follows its source, so prefer the paragraphs right after
            # the previous one's source when they score nearly as well
            prev = out[-1][1]
            near = [i for i in range(prev, prev + 3) if scores.get(i, 0) >= 0.6 * best]
            if near:
                best_i = max(near, key=lambda i: scores[i])
                best = scores[best_i]
        if best >= min_score:
            out.append((j, best_i, best))
    return _passages(out, cpy_spans, src_spans)


def _passages(matches: list[tuple[int, int, float]], cpy_spans: list[tuple[int, int]],
              src_spans: list[tuple[int, int]]) -> list[ParagraphMatch]:
    """Merge runs of nearby copy paragraphs taken from nearby source paragraphs into one
    passage (a rewrite often splits or joins paragraphs)."""
    out: list[ParagraphMatch] = []
    run: list[tuple[int, int, float]] = []

    def flush() -> None:
        if run:
            scores = [x[2] for x in run]
            out.append(ParagraphMatch(
                (cpy_spans[run[0][0]][0], cpy_spans[run[-1][0]][1]),
                (src_spans[min(x[1] for x in run)][0], src_spans[max(x[1] for x in run)][1]),
                round(sum(scores) / len(scores), 4)))

    for j, i, score in matches:
        # short unmatched paragraphs (a formula, a one-line heading) may sit inside a passage
        if run and j - run[-1][0] <= 3 and -1 <= i - run[-1][1] <= 3:
            run.append((j, i, score))
        else:
            flush()
            run = [(j, i, score)]
    flush()
    return out
