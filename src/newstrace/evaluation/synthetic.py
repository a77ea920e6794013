"""SYNTHETIC spun text: an imitation of content-farm article spinners, for evaluation only.

Content farms rewrite other outlets' articles with "article spinners" (SpinBot, SpinnerChief,
The Best Spinner): every so often a word or a short phrase is swapped for a thesaurus synonym,
with no regard to sense or context ("fighting" -> "preventing", "last year" -> "final 12
months", "backbone" -> "spine"), and sentences are sometimes dropped or shuffled. Real spun
articles come without ground truth, so :func:`spin` makes such text *with* it: every
substitution with its character offsets in both texts, and every sentence operation.

Everything made here is labelled synthetic (:attr:`SpunText.synthetic`, :data:`SYNTHETIC_LABEL`)
and must never be reported as real data.

The default thesaurus (``newstrace/data/thesaurus/wordnet_spin.tsv.gz``) is derived from
WordNet 3.0 (see its README for licence and rebuild); :func:`tortured_lexicon` turns the
Problematic Paper Screener's tortured phrases into a lexicon as well. Detectors may learn only
from the "train" part of :func:`split_lexicon`; test data is spun with the "held-out" part.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from newstrace.text import STOPWORDS, indefinite_article, sentence_spans

__all__ = [
    "SYNTHETIC_LABEL", "LexEntry", "Lexicon", "LexiconSplit", "load_lexicon", "tortured_lexicon",
    "split_lexicon", "Substitution", "SentenceOp", "SentenceMap", "SpunText", "spin",
    "DEFAULT_THESAURUS", "spinner_lexicon",
]

SYNTHETIC_LABEL = "SYNTHETIC: machine-spun by newstrace.evaluation.synthetic (not real data)"
DEFAULT_THESAURUS = Path(__file__).resolve().parent.parent / "data" / "thesaurus" / "wordnet_spin.tsv.gz"


# -- lexicon ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LexEntry:
    """Context-free rewrites of one lower-cased surface form (one or more words).

    ``lemma`` groups the inflections of one entry ("fight", "fought") so that splits keep them
    together; ``pos`` is a WordNet letter (n, v, a, r) or "x" when unknown.
    """

    source: str
    lemma: str
    pos: str
    replacements: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """A spinner's thesaurus: source form -> its entries (one per lemma and part of speech)."""

    name: str
    entries: Mapping[str, tuple[LexEntry, ...]]
    first_words: frozenset[str] = field(default=frozenset(), repr=False)
    max_words: int = 1

    @classmethod
    def from_entries(cls, entries: Iterable[LexEntry], name: str) -> "Lexicon":
        table: dict[str, list[LexEntry]] = {}
        for e in entries:
            if e.replacements:
                table.setdefault(e.source, []).append(e)
        frozen = {k: tuple(v) for k, v in table.items()}
        return cls(name=name, entries=frozen,
                   first_words=frozenset(k.split(" ")[0] for k in frozen),
                   max_words=max((k.count(" ") + 1 for k in frozen), default=1))

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], name: str, pos: str = "x") -> "Lexicon":
        """From (source, replacement) pairs; sources are lower-cased, each its own lemma."""
        grouped: dict[str, list[str]] = {}
        for src, rep in pairs:
            src, rep = _squash(src.lower()), _squash(rep)
            if src and rep and rep.lower() != src and rep not in grouped.setdefault(src, []):
                grouped[src].append(rep)
        return cls.from_entries((LexEntry(s, s, pos, tuple(r)) for s, r in grouped.items()), name)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, source: object) -> bool:
        return source in self.entries

    def replacements(self, source: str) -> tuple[str, ...]:
        """All rewrites of ``source`` over its entries, first-listed first, without repeats."""
        out: list[str] = []
        for e in self.entries.get(source, ()):
            out.extend(r for r in e.replacements if r not in out)
        return tuple(out)

    def pos(self, source: str) -> frozenset[str]:
        return frozenset(e.pos for e in self.entries.get(source, ()))

    def iter_entries(self) -> Iterable[LexEntry]:
        for source in self.entries:
            yield from self.entries[source]

    def pairs(self) -> set[tuple[str, str]]:
        """Every (source, replacement) pair, lower-cased."""
        return {(e.source, r.lower()) for e in self.iter_entries() for r in e.replacements}

    def merged(self, other: "Lexicon", name: str | None = None) -> "Lexicon":
        return Lexicon.from_entries([*self.iter_entries(), *other.iter_entries()],
                                    name or f"{self.name}+{other.name}")


def _squash(text: str) -> str:
    return " ".join(text.split())


@functools.lru_cache(maxsize=4)
def _load_tsv(path: str) -> Lexicon:
    entries = []
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        for line in fh:
            form, lemma, pos, reps = line.rstrip("\n").split("\t")
            entries.append(LexEntry(form, lemma, pos, tuple(reps.split("|"))))
    return Lexicon.from_entries(entries, name=Path(path).name.split(".")[0])


def load_lexicon(path: str | os.PathLike[str] | None = None) -> Lexicon:
    """The bundled WordNet-derived spinner thesaurus, or a TSV in the same format (cached)."""
    return _load_tsv(str(Path(path) if path is not None else DEFAULT_THESAURUS))


_TORTURED_OK = re.compile(r"^[a-z]+(?:[- ][a-z]+)*$")


def tortured_lexicon(root: str | os.PathLike[str] | None = None, max_words: int = 4) -> Lexicon:
    """The tortured-phrase list as a lexicon (correct phrase -> tortured phrase).

    Reads ``tortured_phrases/tortured-phrases.json`` from the shared data (CC BY 4.0, Cabanac,
    Labbé & Magazinov); entries with notes, acronyms in brackets, question marks or digits are
    left out. Mostly scientific vocabulary.
    """
    from newstrace.evaluation.datasets import tortured_phrases

    pairs = []
    for tp in tortured_phrases(root):
        correct, tortured = tp.correct.strip().lower(), tp.tortured.strip().lower()
        if (_TORTURED_OK.match(correct) and _TORTURED_OK.match(tortured)
                and len(correct.split()) <= max_words and len(tortured.split()) <= max_words):
            pairs.append((correct, tortured))
    return Lexicon.from_pairs(pairs, name="tortured_phrases")


def spinner_lexicon(root: str | os.PathLike[str] | None = None) -> Lexicon:
    """The whole thesaurus plus the tortured-phrase list: a spinner that can reach 50%.

    For test copies where nothing under test learns substitutions (provenance aligns words,
    it has no thesaurus). A part of :func:`split_lexicon` covers too few news words to spin at
    the rate asked: the 30% held-out part reaches about 24% of content words however high the
    rate. Without the shared data, the thesaurus alone.
    """
    from newstrace.evaluation.datasets import DatasetMissing

    try:
        return load_lexicon().merged(tortured_lexicon(root), "wordnet_spin+tortured_phrases")
    except DatasetMissing:
        return load_lexicon()


@dataclass(frozen=True)
class LexiconSplit:
    """Disjoint by source form: ``train`` for detectors to learn from, ``held_out`` for test data."""

    train: Lexicon
    held_out: Lexicon


def _unit_hash(seed: int, key: str) -> float:
    digest = hashlib.blake2b(f"{seed}\x00{key}".encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2 ** 64


def split_lexicon(lexicon: Lexicon, held_out_fraction: float = 0.2, seed: int = 0,
                  strict: bool = True) -> LexiconSplit:
    """Split ``lexicon`` deterministically into train and held-out parts.

    Entries are grouped by lemma, and lemmas that share a surface form ("fighting" is a form of
    the verb "fight" and the noun "fighting") are kept together, so no source form is in both
    parts; each group goes to held-out with probability ``held_out_fraction`` by a seeded hash
    of its name (stable whatever the lexicon's order). With ``strict``, a held-out rewrite whose
    pair is in train in either direction ("combat" -> "fight" when train has "fight" ->
    "combat") is removed too, so held-out pairs are all unseen.
    """
    if not 0.0 <= held_out_fraction <= 1.0:
        raise ValueError("held_out_fraction must be in [0, 1]")
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for source, entries in lexicon.entries.items():
        keys = [f"{e.pos}:{e.lemma}" for e in entries]
        for k in keys[1:]:
            a, b = find(keys[0]), find(k)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for e in lexicon.iter_entries():
        key = f"{e.pos}:{e.lemma}"
        members.setdefault(find(key), []).append(key)
    held_groups = {root for root in members
                   if _unit_hash(seed, min(members[root])) < held_out_fraction}
    train, held = [], []
    for e in lexicon.iter_entries():
        (held if find(f"{e.pos}:{e.lemma}") in held_groups else train).append(e)
    train_lex = Lexicon.from_entries(train, f"{lexicon.name}:train")
    if strict:
        seen = train_lex.pairs()
        seen |= {(b, a) for a, b in seen}
        held = [LexEntry(e.source, e.lemma, e.pos,
                         tuple(r for r in e.replacements if (e.source, r.lower()) not in seen))
                for e in held]
    return LexiconSplit(train=train_lex,
                        held_out=Lexicon.from_entries(held, f"{lexicon.name}:held_out"))


# -- spinning ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Substitution:
    """One rewrite: ``original`` at ``[orig_start, orig_end)`` of the input became
    ``replacement`` at ``[start, end)`` of the output. ``key`` is the lexicon entry used;
    ``n_words`` the content words it replaced (an article fixed along, "an"->"a", is included
    in the span but not counted)."""

    orig_start: int
    orig_end: int
    start: int
    end: int
    original: str
    replacement: str
    key: str
    n_words: int


@dataclass(frozen=True)
class SentenceOp:
    """A sentence dropped, or moved to another ``position`` within its paragraph."""

    kind: str  # "drop" | "move"
    index: int
    orig_start: int
    orig_end: int
    position: int | None = None


@dataclass(frozen=True)
class SentenceMap:
    """Where a kept sentence of the input ended up in the output."""

    index: int
    orig_start: int
    orig_end: int
    start: int
    end: int


@dataclass(frozen=True)
class SpunText:
    """A synthetic spun text and its ground truth (always ``synthetic=True``)."""

    text: str
    original: str
    substitutions: tuple[Substitution, ...]
    sentence_ops: tuple[SentenceOp, ...]
    sentences: tuple[SentenceMap, ...]
    n_content_words: int
    n_substituted_words: int
    rate: float
    seed: int
    lexicon: str
    synthetic: bool = True
    label: str = SYNTHETIC_LABEL

    @property
    def achieved_rate(self) -> float:
        """Share of the output's eligible content words that were substituted."""
        return self.n_substituted_words / self.n_content_words if self.n_content_words else 0.0


_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
_QUOTATION = re.compile(r"[\"\u201c\u201d]|``|''")
_EXTRA_FUNCTION = frozenset("get gets got getting gotten let lets mr mrs ms dr".split())
_SPEECH_VERBS = frozenset("""said says say told tells tell added adds stated states explained
explains noted notes asked asks declared declares claimed claims according""".split())
_URLISH = set("/@_\\.:")


@dataclass
class _Tok:
    start: int  # core span (possessive 's left out)
    end: int
    text: str
    sent: int
    first_in_sentence: bool
    headline: bool
    eligible: bool = False  # may be rewritten (names, numbers, speakers, contractions may not)
    content: bool = False  # counts toward the rate


def _tokens(text: str, sents: list[tuple[int, int]]) -> list[_Tok]:
    headline_lines = _headline_lines(text)
    toks: list[_Tok] = []
    for si, (s0, s1) in enumerate(sents):
        first = True
        for m in _TOKEN.finditer(text, s0, s1):
            word, start, end = m.group(), m.start(), m.end()
            if re.search(r"['\u2019]s$", word, re.I):
                end -= 2  # possessive: rewrite the noun, keep the 's
            line_start = text.rfind("\n", 0, start) + 1
            toks.append(_Tok(start, end, text[start:end], si, first, line_start in headline_lines))
            first = False
    return toks


def _headline_lines(text: str) -> set[int]:
    """Start offsets of title-case lines ("Taliban Attack a Provincial Capital ...")."""
    out = set()
    pos = 0
    for line in text.split("\n"):
        long_words = [w for w in _TOKEN.findall(line) if len(w) > 3]
        if len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.6:
            out.add(pos)
        pos += len(line) + 1
    return out


def _mark_eligible(text: str, toks: list[_Tok], lexicon: Lexicon) -> None:
    """Decide which tokens may be rewritten and which count as content words."""
    capitalised_inside = {t.text.lower() for t in toks
                          if t.text[0].isupper() and not t.first_in_sentence and not t.headline}
    protected = _speaker_tokens(text, toks)
    for i, t in enumerate(toks):
        word, low = t.text, t.text.lower()
        before = text[t.start - 1] if t.start > 0 else " "
        after = text[t.end] if t.end < len(text) else " "
        after2 = text[t.end + 1] if t.end + 1 < len(text) else " "
        if ("'" in word or "\u2019" in word) or len(word) < 2 or i in protected:
            continue  # contractions ("don't"), single letters, quoted speakers
        if before in _URLISH or after in "/@_\\" or (after in ".:" and after2.isalnum()):
            continue  # URLs, e-mail addresses, file names
        if word.isupper():
            continue  # acronyms and shouted names
        if word[0].isupper():
            if not (t.first_in_sentence or t.headline):
                continue  # a proper name
            if low in capitalised_inside or low not in lexicon.first_words:
                continue  # sentence-initial name ("Reid launched ...")
        t.eligible = True
        t.content = low not in STOPWORDS and low not in _EXTRA_FUNCTION


def _speaker_tokens(text: str, toks: list[_Tok]) -> set[int]:
    """Tokens naming who is quoted, directly or not: the words next to a speech verb."""
    protected: set[int] = set()
    by_sent: dict[int, list[int]] = {}
    for i, t in enumerate(toks):
        by_sent.setdefault(t.sent, []).append(i)
    for idxs in by_sent.values():
        for k, i in enumerate(idxs):
            if toks[i].text.lower() not in _SPEECH_VERBS:
                continue
            gap_before = text[toks[idxs[k - 1]].end: toks[i].start] if k else ""
            inverted = k == 0 or bool(_QUOTATION.search(gap_before)) or "," in gap_before \
                or "'" in gap_before or "\u2019" in gap_before
            # '..." said the spokesman', 'according to the ministry' vs 'the spokesman said'
            step = 1 if inverted or toks[i].text.lower() == "according" else -1
            j = k
            for _ in range(4):
                nxt = j + step
                if not 0 <= nxt < len(idxs):
                    break
                a, b = (idxs[j], idxs[nxt]) if step == 1 else (idxs[nxt], idxs[j])
                if text[toks[a].end: toks[b].start].strip() not in ("", "'s", "\u2019s"):
                    break  # punctuation ends the speaker's noun phrase
                protected.add(idxs[nxt])
                j = nxt
    return protected


def _match_case(model: str, word: str) -> str:
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word




_article_for = indefinite_article


def _candidates(text: str, toks: list[_Tok], lexicon: Lexicon,
                kept: set[int]) -> list[tuple[int, int, str, int]]:
    """(first token, number of tokens, lexicon key, content words) of every possible rewrite."""
    out = []
    for i, t in enumerate(toks):
        if t.sent not in kept or not t.eligible:
            continue
        for n in range(min(lexicon.max_words, len(toks) - i), 0, -1):
            span = toks[i: i + n]
            if any(not s.eligible or s.sent != t.sent for s in span):
                continue
            if any(text[a.end: b.start] not in (" ",) for a, b in zip(span, span[1:])):
                continue  # phrases only over single spaces (no punctuation, no possessive)
            n_content = sum(s.content for s in span)
            if n_content == 0:
                continue
            key = " ".join(s.text.lower() for s in span)
            if key in lexicon.entries:
                out.append((i, n, key, n_content))
    return out


def _plan_sentences(sents: list[tuple[int, int]], text: str, drop: float, reorder: float,
                    rng: random.Random) -> tuple[list[list[int]], list[list[int]]]:
    """Paragraphs as original sentence indices, and each paragraph's kept sentences in output order."""
    paragraphs: list[list[int]] = []
    for i, (s0, _) in enumerate(sents):
        if i == 0 or "\n" in text[sents[i - 1][1]: s0]:
            paragraphs.append([])
        paragraphs[-1].append(i)
    orders = []
    for para in paragraphs:
        kept = [i for i in para if i == 0 or not (drop > 0 and rng.random() < drop)]
        for k in range(len(kept) - 1):
            if reorder > 0 and rng.random() < reorder:
                kept[k], kept[k + 1] = kept[k + 1], kept[k]
        orders.append(kept)
    return paragraphs, orders


def spin(text: str, rate: float = 0.3, seed: int = 0, lexicon: Lexicon | None = None, *,
         drop: float = 0.0, reorder: float = 0.0) -> SpunText:
    """Spin ``text`` like a content-farm spinner, deterministically for a given ``seed``.

    About ``rate`` of the eligible content words (not function words, proper names, numbers,
    acronyms, URLs, or the words naming a quoted speaker) are replaced by a random synonym of
    the lexicon, single words and multi-word phrases alike, keeping capitalisation and
    punctuation ("an" becomes "a" when the new word needs it). ``drop`` is the probability
    that a sentence (other than the first) is left out; ``reorder`` the probability that a
    sentence swaps places with the next one in its paragraph. The achieved rate falls short of
    ``rate`` only where the lexicon covers too few of the words.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be in [0, 1]")
    lexicon = lexicon if lexicon is not None else load_lexicon()
    sents = sentence_spans(text)
    if not sents:
        return SpunText(text, text, (), (), (), 0, 0, rate, seed, lexicon.name)
    paragraphs, orders = _plan_sentences(sents, text, drop, reorder,
                                         random.Random(f"{seed}:sentences"))
    kept = {i for order in orders for i in order}

    toks = _tokens(text, sents)
    _mark_eligible(text, toks, lexicon)
    n_content = sum(1 for t in toks if t.content and t.sent in kept)
    target = round(rate * n_content)

    rng = random.Random(f"{seed}:words")
    cands = _candidates(text, toks, lexicon, kept)
    rng.shuffle(cands)
    used: set[int] = set()
    chosen: list[tuple[int, int, str, int]] = []
    count = 0
    for i, n, key, n_words in cands:
        if count >= target:
            break
        if count + n_words > target or any(j in used for j in range(i, i + n)):
            continue
        used.update(range(i, i + n))
        chosen.append((i, n, key, n_words))
        count += n_words

    # Build each rewrite in original coordinates: (orig_start, orig_end, new text, key, words).
    rewrites: list[tuple[int, int, str, str, int]] = []
    for i, n, key, n_words in sorted(chosen):
        first, last = toks[i], toks[i + n - 1]
        source = text[first.start: last.end]
        options = [r for r in lexicon.replacements(key) if r.lower() != key]
        if not options:
            continue
        new = _match_case(first.text, rng.choice(options))
        start = first.start
        if i > 0 and toks[i - 1].sent == first.sent and toks[i - 1].text.lower() in ("a", "an") \
                and text[toks[i - 1].end: first.start] == " " and (i - 1) not in used:
            art = toks[i - 1].text
            if art.lower() == _article_for(source) and art.lower() != _article_for(new):
                new_art = _match_case(art, _article_for(new))
                start, new = toks[i - 1].start, f"{new_art} {new}"
        rewrites.append((start, last.end, new, key, n_words))

    return _assemble(text, sents, paragraphs, orders, rewrites, n_content, rate, seed,
                     lexicon.name)


def _assemble(text: str, sents: list[tuple[int, int]], paragraphs: list[list[int]],
              orders: list[list[int]], rewrites: list[tuple[int, int, str, str, int]],
              n_content: int, rate: float, seed: int, lexicon_name: str) -> SpunText:
    by_sent: dict[int, list[tuple[int, int, str, str, int]]] = {}
    for rw in rewrites:
        for si, (s0, s1) in enumerate(sents):
            if s0 <= rw[0] and rw[1] <= s1:
                by_sent.setdefault(si, []).append(rw)
                break
    out: list[str] = [text[: sents[0][0]]]
    pos = len(out[0])
    subs: list[Substitution] = []
    maps: list[SentenceMap] = []
    ops: list[SentenceOp] = []
    emitted = [(p, o) for p, o in zip(paragraphs, orders) if o]
    for p_idx, (para, order) in enumerate(zip(paragraphs, orders)):
        kept_in_order = [i for i in para if i in order]
        for i in para:
            if i not in order:
                ops.append(SentenceOp("drop", i, *sents[i]))
        for new_pos, i in enumerate(order):
            if kept_in_order[new_pos] != i:
                ops.append(SentenceOp("move", i, *sents[i], position=new_pos))
    n_subst = 0
    for e_idx, (para, order) in enumerate(emitted):
        inner_gaps = [text[sents[a][1]: sents[b][0]] for a, b in zip(para, para[1:])]
        for k, i in enumerate(order):
            s0, s1 = sents[i]
            sent_start = pos
            cursor = s0
            for o0, o1, new, key, n_words in by_sent.get(i, []):
                chunk = text[cursor:o0]
                out.append(chunk)
                pos += len(chunk)
                subs.append(Substitution(o0, o1, pos, pos + len(new), text[o0:o1], new, key,
                                         n_words))
                out.append(new)
                pos += len(new)
                n_subst += n_words
                cursor = o1
            out.append(text[cursor:s1])
            pos += s1 - cursor
            maps.append(SentenceMap(i, s0, s1, sent_start, pos))
            if k < len(order) - 1:
                out.append(inner_gaps[k])
                pos += len(inner_gaps[k])
        last = para[-1]  # the paragraph break after it, even if that sentence was dropped
        gap = text[sents[last][1]: sents[last + 1][0]] if e_idx < len(emitted) - 1 \
            else text[sents[-1][1]:]
        out.append(gap)
        pos += len(gap)
    spun = "".join(out)
    return SpunText(text=spun, original=text, substitutions=tuple(subs),
                    sentence_ops=tuple(sorted(ops, key=lambda o: (o.index, o.kind))),
                    sentences=tuple(maps), n_content_words=n_content,
                    n_substituted_words=n_subst, rate=rate, seed=seed, lexicon=lexicon_name)
