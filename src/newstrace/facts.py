"""Counted facts, quotations and outcome claims of an article, and their comparison across an
event's sources (how the rules were measured: ``docs/FACTS.md``, ``newstrace eval facts``).

* :func:`extract_counts` finds number phrases ("more than 200 prisoners ... escaped", "dozens
  of inmates have escaped", "killing dozens", "the death toll rose to 11", "86 arrests"), what
  they count (the head noun, normalised with ``data/facts/units.tsv``; "people" where the text
  names none) and what happened to it (``data/facts/predicates.tsv``), with a comparable
  interval (:func:`parse_count`). Each count says whether it is ``background`` (another time or
  incident, a campaign total, a rumour) or a ``part`` of a toll (one district, "another four").
* :func:`extract_quotes` finds quoted text (curly, straight or tokenised ``'' ... ''`` marks)
  and its speaker ("...," he said / said NAME / NAME, ROLE, said / ROLE NAME told Reuters ...
  "..." / "the doctor" back to the doctor the text named / an organisation's statement).
* :func:`extract_claims` finds what a report says of the outcome (who holds the place).
* :func:`compare_facts` lines the counts of several articles up by (predicate, compared class)
  and gives each pair of sources a status (agree, compatible, update, conflict, copy), matches
  quotes across sources (same words: same or different speaker), compares the sources' outcome
  claims and reconciles names written differently (:func:`reconcile_names`).

Rules only, small word lists, offsets into the text as given (evidence a reader can check).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .text import sentence_spans

DATA_DIR = Path(__file__).resolve().parent / "data" / "facts"
INF = math.inf

# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------


def _read_tsv(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        surface, cls = line.split("\t")[:2]
        out[surface.strip().lower()] = cls.strip()
    return out


@lru_cache(maxsize=1)
def unit_classes() -> dict[str, str]:
    """Counted noun -> class ("inmates" -> "prisoner")."""
    return _read_tsv(DATA_DIR / "units.tsv")


@lru_cache(maxsize=1)
def predicate_classes() -> dict[str, str]:
    """Predicate word or phrase -> what happened ("freed" -> "escaped")."""
    return _read_tsv(DATA_DIR / "predicates.tsv")


def unit_class(noun: str | None) -> str | None:
    if not noun:
        return None
    n = noun.lower().replace("\u2019", "'")
    cls = unit_classes().get(n)
    if cls:
        return cls
    if n.endswith("ies") and len(n) > 4:
        return n[:-3] + "y"
    if n.endswith(("sses", "shes", "ches", "xes")) and len(n) > 5:
        return n[:-2]
    if n.endswith("s") and not n.endswith(("ss", "ous", "us", "is")) and len(n) > 3:
        return n[:-1]
    return n


_ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

#: Vague quantities -> their interval (the usual reading of the word).
_VAGUE: dict[str, tuple[float, float]] = {
    "a dozen": (12, 12), "one dozen": (12, 12), "half a dozen": (6, 6),
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999), "tens of millions": (20_000_000, 99_999_999),
    "several dozen": (24, 99), "a few dozen": (24, 60), "several hundred": (200, 999),
    "a few hundred": (200, 500), "several thousand": (2000, 9999),
    "a few thousand": (2000, 5000), "several": (3, 9), "a handful": (3, 6), "a few": (2, 5),
    "100s": (200, 999), "1000s": (2000, 9999), "1,000s": (2000, 9999),
    "tens of 1000s": (20_000, 99_999), "tens of 1,000s": (20_000, 99_999),
    "hundreds of 1000s": (200_000, 999_999), "hundreds of 1,000s": (200_000, 999_999),
}

#: Qualifiers, longest first in the pattern; each maps to how it bends the base interval.
_QUALIFIERS = {
    "more than": "gt", "greater than": "gt", "over": "gt", "in excess of": "gt",
    "upwards of": "gt", "above": "gt", "just over": "gt", "well over": "gt",
    "at least": "ge", "at the very least": "ge", "no fewer than": "ge", "no less than": "ge",
    "a minimum of": "ge", "not less than": "ge",
    "nearly": "near", "almost": "near", "close to": "near", "just under": "near",
    "approaching": "near", "just shy of": "near",
    "about": "about", "roughly": "about", "some": "about", "around": "about",
    "approximately": "about", "an estimated": "about", "estimated": "about", "approx.": "about",
    "up to": "le", "as many as": "le", "at most": "le", "no more than": "le",
    "fewer than": "lt", "less than": "lt", "under": "lt",
}


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_NUMWORD = _alt([*_ONES, *_TENS, *_SCALES])
_WORDNUM = (rf"(?:(?:a|an)\s+(?=(?:hundred|thousand|million)\b))?(?:{_NUMWORD})"
            rf"(?:(?:\s+and\s+|\s+|-)(?:{_NUMWORD}))*")
_DIGITS = r"\d{1,3}(?:,\s?\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?"
_VAGUE_RE = _alt(k for k in _VAGUE if not k[0].isdigit())
_PLURAL_DIGITS = r"(?:(?:tens|hundreds)\s+of\s+)?(?:100|1,?000)['\u2019]?s"
_NUMBER_PHRASE = re.compile(
    rf"(?<![\w$£€.,-])(?:(?P<qual>{_alt(_QUALIFIERS)})\s+)?"
    rf"(?P<num>{_PLURAL_DIGITS}|{_VAGUE_RE}|(?:{_DIGITS})(?:\s+(?:hundred|thousand|million|billion))?"
    rf"|{_WORDNUM})(?!\w|-\w|[.,]\d)",
    re.I)


def _words_value(text: str) -> float | None:
    total, current, seen = 0, 0, False
    for w in re.split(r"[\s-]+", text.lower()):
        if w in ("and", "a", "an"):
            if w in ("a", "an"):
                current = max(current, 1)
            continue
        if w in _ONES:
            current += _ONES[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _SCALES:
            scale = _SCALES[w]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def _base_interval(num: str) -> tuple[float, float, float | None] | None:
    """(low, high, point value or None for vague words) of a number without its qualifier."""
    key = " ".join(num.lower().replace("\u2019", "'").split())
    if key.replace("'", "") in _VAGUE:
        lo, hi = _VAGUE[key.replace("'", "")]
        return lo, hi, (lo if lo == hi else None)
    m = re.fullmatch(rf"({_DIGITS})(?:\s+(hundred|thousand|million|billion))?", key)
    if m:
        v = float(re.sub(r",\s?", "", m.group(1))) * (_SCALES[m.group(2)] if m.group(2) else 1)
        return v, v, v
    v = _words_value(key)
    if v is None:
        return None
    return v, v, v


def parse_count(phrase: str) -> tuple[float, float] | None:
    """The comparable interval ``(low, high)`` of a number phrase (``high`` may be ``inf``).

    "more than 200" -> (201, inf); "at least 43" -> (43, inf); "dozens" -> (24, 99);
    "nearly 50" -> (40, 49); "about 50" -> (45, 55); "a dozen" -> (12, 12); "five" -> (5, 5).
    """
    m = _NUMBER_PHRASE.fullmatch(" ".join(phrase.strip().split()))
    if not m:
        return None
    return _interval(m.group("qual"), m.group("num"))


def _interval(qual: str | None, num: str) -> tuple[float, float] | None:
    base = _base_interval(num)
    if base is None:
        return None
    lo, hi, _ = base
    kind = _QUALIFIERS.get(" ".join(qual.lower().split())) if qual else None
    if kind is None:
        return lo, hi
    if kind == "gt":
        return math.floor(hi) + 1, INF
    if kind == "ge":
        return lo, INF
    if kind == "near":
        return math.ceil(lo * 0.8 - 1e-9), max(math.ceil(lo) - 1, 0)
    if kind == "about":
        return math.floor(lo * 0.9 + 1e-9), math.ceil(hi * 1.1 - 1e-9)
    if kind == "le":
        return min(1, hi), hi
    if kind == "lt":
        return 0, max(math.ceil(lo) - 1, 0)
    return lo, hi


def interval_status(a: tuple[float, float], b: tuple[float, float]) -> str:
    """``agree`` (same interval), ``compatible`` (they overlap) or ``conflict`` (disjoint)."""
    if a[0] == b[0] and a[1] == b[1]:
        return "agree"
    if a[0] <= b[1] and b[0] <= a[1]:
        return "compatible"
    return "conflict"


def format_interval(iv: tuple[float, float]) -> str:
    lo, hi = (int(iv[0]) if iv[0] != INF else iv[0]), iv[1]
    if hi == INF:
        return f"[{lo}, inf)"
    return f"[{lo}, {int(hi)}]"


# ---------------------------------------------------------------------------------------------
# Counts
# ---------------------------------------------------------------------------------------------


@dataclass
class CountFact:
    """One counted fact: ``low``..``high`` ``unit`` (class of ``noun``) ``predicate``."""

    phrase: str  # the number phrase as written ("More than 200")
    low: float
    high: float
    noun: str | None  # the counted noun as written ("prisoners"), None when not stated
    unit: str | None  # its class ("prisoner")
    predicate: str | None  # what happened ("escaped")
    verb: str | None  # the predicate as written ("escaped", "freed")
    start: int  # character span of the number phrase in the text
    end: int
    sentence_start: int
    sentence_end: int
    sentence: str
    total: tuple[float, float] | None = None  # "150 of roughly 400 districts" -> (360, 440)
    noun_inferred: bool = False  # noun taken from the clause ("dozens of whom", "a dozen others")
    background: bool = False  # the sentence dates it to another time ("in 2004", "last year")
    part: bool = False  # a part of the toll ("another four", "five of them", "in the district")

    @property
    def interval(self) -> tuple[float, float]:
        return (self.low, self.high)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["high"] = None if self.high == INF else self.high
        d["interval"] = format_interval(self.interval)
        if self.total is not None:
            d["total"] = [self.total[0], None if self.total[1] == INF else self.total[1]]
        return d


_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[A-Za-z]+(?:[-'\u2019][A-Za-z]+)*|%|[^\sA-Za-z\d]")
_NP_STOP = frozenset((
    "in on at from with into to by for near during after before including who whom which that "
    "were was have has had are is been be will would could may might being who've who're "
    "and or but as than said says told according while when since".split()))
_REFER = frozenset("whom them those these others more who who've which".split())
_CLAUSE_STOP = frozenset(";:\"\u201c\u201d")
_TIME_UNITS = frozenset((
    "year years month months week weeks day days hour hours minute minutes second seconds "
    "percent per cent decade decades century centuries km kilometres kilometers miles mile "
    "metres meters feet am pm a.m p.m o'clock times ago old pounds pound kg kilograms tons "
    "tonnes dollars euros inches yards acres hectares points goals degree degrees magnitude "
    "richter".split()))
#: Words after a number that are no counted noun ("about 25, he escaped").
_NOT_NOUN = frozenset("he she it they we i you him her his its their this that there".split())
_SKIP_LEAD = frozenset("of the their its his her our your these those a an".split())


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start() + start, m.end() + start) for m in _TOKEN.finditer(text[start:end])]


def _predicate_at(toks: list[tuple[str, int, int]], i: int) -> tuple[str, str, int] | None:
    """(class, surface, tokens used) of a predicate starting at token ``i``."""
    preds = predicate_classes()
    for n in (4, 3, 2, 1):
        if i + n > len(toks):
            continue
        surface = " ".join(t[0].lower() for t in toks[i:i + n])
        if surface in preds:
            return preds[surface], surface, n
    return None


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.")
#: Counts of another, earlier event or of the whole campaign: a stated year ("in 2004", "the
#: 2006 war", "on 4 November 2008"), "last year", "years ago", "since the assault began", or
#: another incident ("another UN school", "in a separate attack", "hours before", "elsewhere").
#: Kept as facts of the article, but not compared across sources.
_BACKGROUND_TIME = re.compile(
    rf"\b(?:19[5-9]\d|20\d\d)\b|\blast\s+(?:year|month)\b"
    rf"|\b(?:years|decades|months)\s+(?:ago|after|before|earlier)\b"
    rf"|\bearlier\s+this\s+(?:year|month)\b|\bin\s+(?:early\s+|late\s+|mid-?)?(?:{_MONTHS})(?!\s+\d)\b"
    r"|\bprevious\s+(?:quake|attack|war|earthquake|conflict)|\bthat\s+temblor\b", re.I)
_BACKGROUND_INCIDENT = re.compile(
    r"\banother\s+(?:\w+\s+){0,2}(?:school|attack|strike|incident|building|house|village|town|city)\b"
    r"|\bseparate\s+(?:incident|attack|strike)\b|\belsewhere\b|\bin\s+an\s+earlier\b|\blast\s+night\b"
    r"|\bearlier\s+(?:that|in\s+the)\s+day\b|\bhours\s+(?:before|earlier)\b"
    # not asserted by the report: a rumour it repeats or rules out
    r"|\brumou?rs?\b|\bspeculation\b|\bunconfirmed\b", re.I)
#: The whole campaign so far, from the clause that says so onwards ("..., pushing the death
#: toll above 680 since the conflict began").
_BACKGROUND_CAMPAIGN = re.compile(
    r"\bsince\s+(?:the\s+)?(?:\w+\s+)?(?:began|started|start|beginning)\b|\bin\s+the\s+\d+\s+days\b"
    r"|\bsince\s+(?:" + _MONTHS + r")\b|\bsince\s+the\s+\w+\s+(?:began|started)\b"
    # totals over several days or a wider area than the event's
    r"|\bover\s+(?:the\s+)?(?:past\s+|last\s+)?(?:\w+\s+)?(?:nights|days|weeks)\b"
    r"|\bacross\s+the\s+(?:continent|country|world|region)\b|\bnationwide\b|\bworldwide\b", re.I)
#: Words that bring a text back to the time of its own event.
_EVENT_TIME = re.compile(r"\b(?:today|tonight|yesterday|Monday|Tuesday|Wednesday|Thursday|Friday|"
                         r"Saturday|Sunday|this\s+(?:morning|afternoon|evening|week))\b", re.I)
#: How many sentences open an article (its lead, which reports the event itself): there a
#: year ("a region devastated by the tsunami of 2004") dates something else, not the count.
_LEAD_SENTENCES = 3


def _background_from(sentence: str, index: int) -> int | None:
    """Offset in ``sentence`` from which counts are background (None: none are). A stated
    time or another incident makes the whole sentence background (outside the lead, where only
    an opening "In 2004, ..." does); a campaign total only from the clause that names it."""
    m = _BACKGROUND_TIME.search(sentence)
    if m and (index >= _LEAD_SENTENCES or m.start() < 12):
        return 0
    if _BACKGROUND_INCIDENT.search(sentence):
        return 0
    m = _BACKGROUND_CAMPAIGN.search(sentence)
    if m:
        return max(sentence.rfind(",", 0, m.start()), sentence.rfind(";", 0, m.start()), 0)
    return None


#: A part of the toll: a place inside the event's area ("in Bener Meriah district"), "among the
#: dead", "another four", "four other people", "five of them".
_PART_PLACE = re.compile(r"\b(?:[Ii]n|[Aa]t)\s+(?:a|the|one|another|neighbouring|neighboring|nearby)?\s*"
                         r"(?:[A-Z][\w'-]*\s+)*(?:[a-z]+\s+)?(?:village|district|neighbou?rhood|camp|"
                         r"county|ward)\b|\bamong\s+the\s+(?:dead|killed|wounded|injured|victims)\b")
#: Nouns that are themselves the predicate: "86 arrests", "24 deaths", "dozens of injuries".
_EVENT_NOUNS = {"arrests": "arrested", "arrest": "arrested", "deaths": "killed", "death": "killed",
                "fatalities": "killed", "dead": "killed", "injuries": "wounded",
                "wounded": "wounded", "injured": "wounded"}
#: Compound modifiers: "22 - year - old", "1 - magnitude", "12 - gauge" are no counts.
_COMPOUND_AFTER = re.compile(r"\s*-\s*(?:year|month|week|day|hour|minute|magnitude|gauge|caliber|"
                             r"calibre|mile|kilomet|km|met(?:re|er)|foot|feet|inch|storey|story|"
                             r"point|man|member|strong|page|time|run)", re.I)
#: Verb forms whose victim is their object: after the count they must not take an object of
#: their own ("twenty gunmen killed five soldiers", "fired on several employees, killing Brown").
_INTRANSITIVE = frozenset("died die dies dead missing hurt escaped escape fled flee surrendered "
                          "deaths death".split())
_OBJECT_START = frozenset("a an the his her their its our my your this these those him them us me "
                          "one two three four five six seven eight nine ten".split())
_BE = frozenset("were was been be are is being".split())
_NOT_OBJECT = frozenset(("Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
                         "March April May June July August September October November December "
                         "Mon Tue Wed Thu Fri Sat Sun").split())
_PREP_BEFORE = frozenset("with among from for into at by between against like including".split())
_NOT_COUNTED = frozenset("prior previous past earlier former".split())
_PREFIXES = frozenset("co ex non anti self vice".split())
_HUMAN_DEFAULT = "people"


def unit_class_of(noun: str | None) -> str | None:
    """Like :func:`unit_class`, and a nationality plural ("Palestinians", "Gazans",
    "Israelis", "Lebanese") counts people."""
    if noun and noun[0].isupper() and noun.lower() not in unit_classes() and re.fullmatch(
            r"[A-Z][a-z]+(?:ians|ans|is|ese)", noun):
        return _HUMAN_DEFAULT
    return unit_class(noun)


@dataclass
class _Phrase:
    m: re.Match[str]
    a: int  # absolute span
    b: int
    k0: int  # first token
    k: int  # first token after the phrase


def _head_noun(words: list[str]) -> str | None:
    """The counted noun among the words after a number ("top leaders", "Somali and Yemeni
    pirates", "heavily armed ... pirates"): a known counted noun, else the last plural-looking
    lower-case word, else a nationality plural, else the last lower-case word."""
    cands = [w for w in words if w.lower() not in _SKIP_LEAD and not re.search(r"['\u2019]s$", w)
             and w.lower() not in ("and", "or")]
    known = [w for w in cands if w.lower() in unit_classes()]
    if known:
        return known[-1]
    demonyms = [w for w in cands if unit_class_of(w) == _HUMAN_DEFAULT and w[0].isupper()]
    lower = [w for w in cands if w[0].islower() and w.lower() not in _NOT_NOUN
             and w.lower() not in _ONES and w.lower() not in _TENS and not w.endswith("ed")]
    plural = [w for w in lower if w.endswith("s") and not w.endswith(("ss", "ous", "us"))]
    if plural:
        return plural[-1]
    if demonyms:
        return demonyms[-1]
    return lower[-1] if lower else None


def _sentence_groups(text: str) -> list[tuple[int, int]]:
    """Sentence spans, with a decimal number broken over a line ("a 6.\\n1-magnitude quake")
    joined back into its sentence."""
    out: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        if out and re.search(r"\d\.$", text[out[-1][0]:out[-1][1]]) and re.match(r"\d", text[a:b]):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def extract_counts(text: str) -> list[CountFact]:
    """Counted facts of ``text``, in reading order (see the module notes)."""
    facts: list[CountFact] = []
    after_background = False
    for i, (s0, s1) in enumerate(_sentence_groups(text)):
        sentence = text[s0:s1]
        # past the lead, a sentence that goes on about an earlier event named just before
        # ("In April last year a quake struck ... Five people died ...") stays in the past
        carried = after_background and i >= _LEAD_SENTENCES and not _EVENT_TIME.search(sentence)
        found = _sentence_counts(text, s0, s1, i, {f.predicate for f in facts})
        if carried:
            for f in found:
                f.background = True
        facts.extend(found)
        after_background = (_background_from(sentence, i) == 0 and bool(_BACKGROUND_TIME.search(sentence))) \
            or (carried and not found)
    return facts


def _sentence_counts(text: str, s0: int, s1: int, index: int = 0,
                     earlier: set[str | None] | None = None) -> list[CountFact]:
    """The counts of one sentence (``index`` in the article; ``earlier``: the predicates of the
    article's counts before it)."""
    earlier = earlier or set()
    sentence = text[s0:s1]
    matches = list(_NUMBER_PHRASE.finditer(sentence))
    if not matches:
        return []
    toks = _tokens(text, s0, s1)
    starts = {a: k for k, (_, a, _b) in enumerate(toks)}
    phrases: list[_Phrase] = []
    for m in matches:
        a, b = s0 + m.start(), s0 + m.end()
        k0 = starts.get(a)
        if k0 is None:
            continue
        k = k0
        while k < len(toks) and toks[k][2] <= b:
            k += 1
        phrases.append(_Phrase(m, a, b, k0, k))
    at_token = {p.k0: p for p in phrases}
    bg_from = _background_from(sentence, index)
    places_at = [(m.start(), m.end()) for m in _PART_PLACE.finditer(sentence)]
    upper = sentence.upper() == sentence
    out: list[CountFact] = []
    consumed_until = -1
    last_noun: tuple[str, str] | None = None  # (noun, class) of the sentence's counts so far
    # the previous count: its fact, the token after its noun phrase, whether its own noun phrase
    # named nothing and whether its predicate stood before it ("captured two boats and 22 ...")
    prev: tuple[CountFact, int, bool, bool] | None = None
    for ph in phrases:
        if ph.a < consumed_until:
            continue
        qual, num = ph.m.group("qual"), ph.m.group("num")
        iv = _interval(qual, num)
        if iv is None:
            continue
        k0, k = ph.k0, ph.k
        lw_before = toks[k0 - 1][0].lower() if k0 > 0 else ""
        # years, "no one", compound modifiers ("22 - year - old"), breakdowns in brackets
        if not qual and re.fullmatch(r"1[89]\d\d|20\d\d", num):
            continue
        if num.lower() == "one" and lw_before in ("no", "any", "every", "some", "each"):
            continue
        if lw_before in ("aged", "age", "ages"):
            continue
        if _COMPOUND_AFTER.match(text, ph.b):
            continue
        if _breakdown(toks, k0, phrases):
            continue
        # "150 of (Afghanistan's) roughly 400 districts": a total; "30 of the 80 wounded": the
        # inner number is the count (of the predicate right after it), the outer one is not
        total = None
        if k < len(toks) and toks[k][0].lower() == "of":
            j2 = k + 1
            # only a determiner or a possessive may stand between: "of (Afghanistan's) roughly"
            while j2 < len(toks) and j2 < k + 4 and j2 not in at_token and (
                    toks[j2][0].lower() in ("the", "a", "its", "their", "his", "her", "'", "\u2019", "s")
                    or toks[j2][0][:1].isupper()):
                j2 += 1
            nxt = at_token.get(j2)
            if nxt is not None:
                if nxt.k < len(toks) and _predicate_at(toks, nxt.k) and toks[j2 - 1][0].lower() == "the":
                    continue
                total = _interval(nxt.m.group("qual"), nxt.m.group("num"))
                consumed_until = nxt.b
                k = nxt.k
        np, partitive, refer, adj_pred, np_end = _noun_phrase(text, toks, k, at_token)
        words = [t[0] for t in np]
        if any(w.lower() in _NOT_COUNTED for w in words):
            continue  # "four prior arrests": a record, not what happened
        noun = None if refer else _head_noun(words)
        own_noun = noun is not None
        if noun and noun.lower() in _TIME_UNITS:
            continue
        event_noun = _EVENT_NOUNS.get(noun.lower()) if noun else None
        # the predicate: a verb right before the number ("killing dozens", "shot to death one",
        # "wounding other 70"), an adjective right after it ("the 80 wounded", "23 arrested
        # pirates"), or the verb of its clause
        pred = adj_pred
        before_pred = False
        if pred is None:
            kb = k0 - 1 if lw_before in ("other", "another") else k0
            for n in (4, 3, 2, 1):
                if kb - n < 0:
                    continue
                hit = _predicate_at(toks, kb - n)
                if hit and hit[2] == n and toks[kb - 1][0].lower() not in ("dead", "missing", "hurt"):
                    pred, before_pred = hit, True
                    break
        if pred is None and event_noun is None:
            pred = _forward_predicate(toks, np_end, k0, at_token, upper,
                                      direct_only=lw_before in _PREP_BEFORE)
        if pred is None and event_noun:
            pred, noun = (event_noun, noun.lower(), 1), None
        toll = False
        if pred is None and _toll_before(toks, k0):
            pred, toll = ("killed", "death toll", 1), True
        if pred is None:
            pred = _nominal_before(toks, k0)
        # coordinated counts share the verb and noun: "captured two boats and 22 fishermen",
        # "seizing 12 Somali and 11 Yemeni nationals"
        if prev is not None and lw_before in ("and", "or") and prev[1] == k0 - 1:
            pf, _end, prev_no_noun, prev_before = prev
            if pred is None and prev_before and pf.predicate:
                pred = (pf.predicate, pf.verb or pf.predicate, 1)
            if prev_no_noun and noun is not None:
                pf.noun, pf.unit, pf.noun_inferred = noun, unit_class_of(noun), False
        inferred = False
        if toll:
            noun = None
        elif refer or (noun is None and pred is not None):
            before = [t[0] for t in toks[:k0] if t[0].lower() in unit_classes()]
            if last_noun is not None:
                noun, inferred = last_noun[0], True
            elif before and refer:
                noun, inferred = before[-1], True
        ucls = unit_class_of(noun)
        if pred is not None and ucls is None:
            ucls, inferred = _HUMAN_DEFAULT, True
        if pred is None and (ucls is None or noun is None or noun.lower() not in unit_classes()):
            if noun and noun.lower() in unit_classes():
                last_noun = (noun, ucls or "")
            continue
        # "another four people died", "four other people": more of a toll already given
        more = lw_before in ("another", "other") or bool(words and words[0].lower() == "other")
        # a place inside the event's area named before the count or right after it
        near_place = any(a < ph.a - s0 or a - (ph.b - s0) <= 90 for a, _b in places_at)
        part = (partitive and refer) or near_place or (more and pred is not None and (
            pred[0] in earlier or any(f.predicate == pred[0] for f in out)))
        background = bg_from is not None and ph.a - s0 >= bg_from
        fact = CountFact(
            phrase=text[ph.a:ph.b], low=float(iv[0]), high=float(iv[1]), noun=noun, unit=ucls,
            predicate=pred[0] if pred else None, verb=pred[1] if pred else None,
            start=ph.a, end=ph.b, sentence_start=s0, sentence_end=s1, sentence=sentence,
            total=total, noun_inferred=inferred, background=background, part=part)
        out.append(fact)
        prev = (fact, np_end, not own_noun, before_pred)
        if noun and not inferred:
            last_noun = (noun, ucls or "")
        if pred is not None:
            _coordinated(toks, k, pred, fact, out)
    return out


def _breakdown(toks: list[tuple[str, int, int]], k0: int, phrases: list[_Phrase]) -> bool:
    """True for a number inside brackets right after another count: "23 personnel (12 Somali
    and 11 Yemeni)" breaks the 23 down, it reports nothing new."""
    depth, opener = 0, None
    for i in range(k0 - 1, -1, -1):
        w = toks[i][0]
        if w == ")":
            depth += 1
        elif w == "(":
            if depth == 0:
                opener = i
                break
            depth -= 1
    if opener is None:
        return False
    return any(opener - 4 <= p.k0 < opener for p in phrases)


def _noun_phrase(text: str, toks: list[tuple[str, int, int]], k: int, at_token: Mapping[int, Any]
                 ) -> tuple[list[tuple[str, int, int]], bool, bool, tuple[str, str, int] | None, int]:
    """The words after a number up to its head noun: (words, partitive "of ...", refers back
    ("of whom", "others"), an adjectival predicate ("23 arrested pirates"), end token)."""
    np: list[tuple[str, int, int]] = []
    partitive = refer = False
    adj_pred = None
    j = k
    if j < len(toks) and toks[j][0].lower() == "of":
        partitive = True
        j += 1
    while j < len(toks) and len(np) < 6:
        w = toks[j][0]
        lw = w.lower().replace("\u2019", "'")
        if lw in _REFER and not np:
            np.append(toks[j])
            refer = True
            j += 1
            break
        if lw == "of" and np:
            break
        if lw in ("and", "or") and np and np[-1][0][:1].isupper() and j + 1 < len(toks) \
                and toks[j + 1][0][:1].isupper() and j + 1 not in at_token:
            np.append(toks[j])  # "Somali and Yemeni pirates"
            j += 1
            continue
        if w == "-" and np and np[-1][0].lower() in _PREFIXES and j + 1 < len(toks) \
                and toks[j + 1][0][:1].isalpha():
            prev = np.pop()
            np.append((prev[0] + "-" + toks[j + 1][0], prev[1], toks[j + 1][2]))  # "co - workers"
            j += 2
            continue
        if lw in _NP_STOP or lw in _REFER:
            break
        if not re.match(r"[A-Za-z]", w) or j in at_token:
            break
        hit = _predicate_at(toks, j)
        if hit:
            nxt = j + hit[2]
            if adj_pred is None and nxt < len(toks) and re.fullmatch(r"[a-z]+", toks[nxt][0]) \
                    and toks[nxt][0] not in _NP_STOP and toks[nxt][0] not in _REFER \
                    and toks[nxt][0] in unit_classes():
                adj_pred = hit  # "23 arrested pirates", "two wounded men"
                j = nxt
                continue
            break
        np.append(toks[j])
        j += 1
    return np, partitive, refer, adj_pred, j


def _forward_predicate(toks: list[tuple[str, int, int]], j: int, k0: int,
                       at_token: Mapping[int, Any], upper: bool = False, *,
                       direct_only: bool = False) -> tuple[str, str, int] | None:
    """The predicate of a count's clause after its noun phrase: "... were killed", "... broke
    the prison gate and escaped"; none past another count (unless it is coordinated with this
    one or an aside: "two women and one man died", "Three people, one of them a pregnant
    woman, were killed") or a clause break, and none that has an object of its own (the count
    is then its subject: "twenty gunmen killed five soldiers"). After a preposition ("with
    hundreds of people ...") only a predicate right after the noun phrase counts ("with at
    least 70 people injured", "with hundreds of people who had fled")."""
    steps = 0
    start = j
    relative = False
    while j < len(toks) and steps < 20:
        w = toks[j][0]
        lw = w.lower()
        if w in _CLAUSE_STOP:
            return None
        if w == "(":
            while j < len(toks) and toks[j][0] != ")":
                j += 1
            j += 1
            continue
        if lw in ("who", "which", "that") and j == start:
            relative = True
        if j in at_token and j != k0:
            nxt = at_token[j]
            prev_w = toks[j - 1][0].lower() if j > 0 else ""
            if prev_w in ("and", "or") and not relative:
                j, steps = nxt.k, steps + 1  # "two women and one man died"
                continue
            if prev_w in (",", "-", "including") and not relative:
                close = next((x for x in range(nxt.k, min(len(toks), nxt.k + 10))
                              if toks[x][0] in (",", "-")), None)
                if close is not None:  # an aside ends at the next comma or dash
                    j, steps = close + 1, steps + 1
                    continue
            if not relative:
                return None
            j, steps = nxt.k, steps + 1  # counts inside a relative clause belong to it
            continue
        hit = _predicate_at(toks, j)
        if hit:
            if direct_only and not (j == start or relative and j - start <= 4):
                return None
            after = j + hit[2]
            if after in at_token:
                return None
            passive = j > 0 and toks[j - 1][0].lower() in _BE
            nxt_w = toks[after][0] if after < len(toks) else ""
            if hit[1].split()[-1] not in _INTRANSITIVE and not passive and (
                    nxt_w.lower() in _OBJECT_START
                    or (nxt_w[:1].isupper() and not upper and nxt_w not in _NOT_OBJECT)):
                return None
            return hit
        if direct_only and not relative and j > start:
            return None
        j += 1
        steps += 1
    return None


def _toll_before(toks: list[tuple[str, int, int]], k0: int) -> bool:
    """ "the death toll ... rose to 10", "put the death toll of the shelling at 40", "the
    Palestinian death toll above 680"."""
    window = [t[0].lower() for t in toks[max(0, k0 - 10):k0]]
    if "toll" not in window:
        return False
    tail = window[len(window) - 1 - window[::-1].index("toll") + 1:]
    return not tail or tail[-1] in ("to", "at", "of", "is", "was", "stands", "stood", "reached",
                                    "hit", "rose", "climbed", "above", "over")


def _nominal_before(toks: list[tuple[str, int, int]], k0: int) -> tuple[str, str, int] | None:
    """A predicate noun before the count: "the arrest of the 23 pirates", "deaths of two"."""
    i = k0 - 1
    if i >= 0 and toks[i][0].lower() == "the":
        i -= 1
    if i >= 1 and toks[i][0].lower() == "of":
        hit = _predicate_at(toks, i - 1)
        if hit and hit[2] == 1:
            return hit
    return None


def _coordinated(toks: list[tuple[str, int, int]], k: int, pred: tuple[str, str, int],
                 fact: CountFact, out: list[CountFact]) -> None:
    """Coordinated predicates: "dozens of whom have been wounded and killed"."""
    first = pred[1].split()[0]
    pj = next((x for x, t in enumerate(toks) if t[0].lower() == first and x >= k), None)
    if pj is None:
        return
    x = pj + pred[2]
    while x + 1 < len(toks) and toks[x][0].lower() in ("and", "or"):
        hit = _predicate_at(toks, x + 1)
        if not hit or hit[0] == pred[0]:
            break
        after = x + 1 + hit[2]
        if after < len(toks) and (toks[after][0].lower() in _OBJECT_START or
                                  _NUMBER_PHRASE.match(toks[after][0])):
            break  # "killing two workers and wounding two others": its own object
        d = dict(fact.__dict__)
        d.update(predicate=hit[0], verb=hit[1])
        out.append(CountFact(**d))
        x = after


# ---------------------------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------------------------


@dataclass
class Quote:
    """A quotation with its speaker (when the text names one)."""

    text: str  # the words inside the quotation marks
    start: int  # span of the quoted words (inside the marks)
    end: int
    speaker: str | None  # the person named ("Husamuddin Shams"), None when unnamed
    role: str | None  # "Provincial governor", "a special forces commander", "the official"
    how: str | None  # after | before | pronoun | continued | None (no attribution found)
    evidence: str = ""  # the attribution words ("he said", "said the official")
    evidence_start: int | None = None
    evidence_end: int | None = None

    @property
    def speaker_key(self) -> str | None:
        return speaker_key(self.speaker, self.role)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["speaker_key"] = self.speaker_key
        return d


_SPEECH = ("said says stated states told tells added adds asked wrote writes explained explains "
           "declared insisted noted notes informed informs warned warns claimed claims confirmed "
           "confirms announced announces described describes stressed stresses thundered urged "
           "urges argued argues admitted admits acknowledged recalled recalls cried shouted "
           "replied replies responded continued testified commented remarked maintained "
           "reported tweeted quipped conceded vowed pledged predicted emphasised emphasized "
           "agreed observed complained recounted saying telling adding").split()
_SPEECH_RE = r"(?:" + "|".join(_SPEECH) + r")"
#: Quotation marks: curly, straight (one line), and the doubled single quotes of tokenised
#: text ("`` ... ''", which normalisation turns into "'' ... ''"; may run over a few lines).
_QUOTE_RE = re.compile(
    r"\u201c([^\u201c\u201d]{2,}?)\u201d|(?<![\w])\"([^\"\n]{2,}?)\""
    # '' ... '' on one line, or running on to the next line when that one does not open a quote
    r"|''[ \t]*((?:[^'\n]|'(?!'))(?:[^'\n]|'(?!'))+?(?:\n(?![ \t]*'')(?:[^'\n]|'(?!'))+?)?)[ \t]*''"
    # an opening '' whose quote the line leaves unclosed
    r"|(?m:^''[ \t]+((?=[A-Z\[])(?:[^'\n]|'(?!'))+)$)")
_ROLE_WORDS = frozenset((
    "official officials spokesman spokeswoman spokesperson governor commander minister head chief "
    "member officer police policeman doctor physician nurse witness resident source sources "
    "director president leader adviser advisor analyst expert mayor general colonel captain "
    "lieutenant sergeant deputy secretary ambassador envoy lawyer attorney judge prosecutor "
    "worker activist teacher student farmer driver survivor correspondent reporter editor "
    "manager chairman chairwoman coordinator representative lawmaker senator councillor "
    "councilor elder resident villager shopkeeper professor photographer constable sheriff "
    "detective trooper inspector superintendent secretary-general commissioner chancellor"
).split())
_NAME_WORD = (r"(?:[A-Z][a-z'\u2019]+(?:-[A-Za-z][a-z'\u2019]+)*|[A-Z][.\u2024]|Mr[.\u2024]|Mrs[.\u2024]|"
              r"Ms[.\u2024]|Dr[.\u2024]|(?:Mr|Mrs|Ms|Dr|al|bin|ibn|el|de|van|von)\b)")
_NAME_RE = re.compile(rf"(?<![\w'\u2019-])(?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD}))*")
_NOT_NAME = frozenset(("The A An He She They It We I This That These Those But And Earlier Later "
                       "Officials Reports Video Videos On In At After Before Despite However "
                       "Meanwhile Last Other Some Many Police Taliban").split())
_TITLE_WORDS = frozenset("president prime vice gov sen rep gen col capt lt sgt maj adm provincial "
                        "deputy regional foreign defence defense interior".split())


def speaker_key(name: str | None, role: str | None = None) -> str | None:
    """A key for matching a speaker across sources: the surname, else the role's head word."""
    if name:
        parts = [p for p in re.split(r"[\s-]+", name) if p and p.rstrip(".") not in
                 ("Mr", "Mrs", "Ms", "Dr")]
        return parts[-1].lower().strip(".'\u2019") if parts else None
    if role:
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", role)]
        heads = [w for w in words if w in _ROLE_WORDS]
        return "role:" + (heads[-1] if heads else words[-1]) if words else None
    return None


def _clean_name(name: str) -> str | None:
    toks = name.split()
    while toks and toks[0] in _NOT_NAME:
        toks = toks[1:]
    if not toks:
        return None
    titles = [i for i, t in enumerate(toks) if t.lower().strip(".") in _ROLE_WORDS | _TITLE_WORDS]
    if titles and titles[-1] < len(toks) - 1:
        toks = toks[titles[-1] + 1:]  # "United Nations Secretary-General Ban Ki-moon"
    while toks and toks[0].lower().strip(".") in _ROLE_WORDS | _TITLE_WORDS:
        toks = toks[1:]
    while toks and toks[-1] in ("al", "bin", "ibn", "el", "de", "van", "von"):
        toks = toks[:-1]
    if not toks or toks[-1].lower() in _ROLE_WORDS:
        return None
    return " ".join(toks)


def _split_role_name(seg: str) -> tuple[str | None, str | None]:
    """("Provincial governor Husamuddin Shams") -> (name, role); ("the official") -> (None, role)."""
    seg = seg.strip()
    if not seg:
        return None, None
    words = seg.split()
    # trailing capitalised run = the name
    k = len(words)
    while k > 0 and re.fullmatch(_NAME_WORD + r"[,]?", words[k - 1]) \
            and words[k - 1].lower() not in _ROLE_WORDS:
        k -= 1
    name = _clean_name(" ".join(words[k:])) if k < len(words) else None
    rest = words[:k]
    role = None
    if rest:
        # the role: the trailing words up to a clause boundary, ending in a role word
        r = len(rest)
        lo = r
        while lo > 0 and len(rest) - lo < 8 and rest[lo - 1].lower() not in (
                "that", "as", "while", "when", "but", "and"):
            lo -= 1
        cand = rest[lo:r]
        if any(re.sub(r"['\u2019]s$", "", w.lower().strip(",")).strip("'\u2019") in _ROLE_WORDS
               for w in cand):
            # start the role at a determiner or an adjective run ending in the role word
            role = " ".join(cand).strip(" ,")
    if name is None and role is None:
        return None, None
    if name is not None and len(name.split()) > 5:
        return None, role
    return name, role


def _is_org(name: str) -> bool:
    return bool(re.search(rf"\b(?:{_ORG_WORDS})\b", name))


def _subject_before(pre: str) -> tuple[str | None, str | None, str | None]:
    """The speaker written right before a speech verb: (name, role, pronoun).

    "he" / "NAME, ROLE," / "ROLE NAME" / "NAME, ROLE" (no comma before the verb) / "NAME, ROLE,
    ROLE2," (the name opens the subject) / "Doctor NAME of the unit".
    """
    pre = pre.rstrip()
    m = re.search(r"\b(he|she|they)$", pre, re.I)
    if m:
        return None, None, m.group(1).lower()
    clause = re.split(r"[;:]|(?<![A-Z])(?<!\bM[rs])(?<!\bMrs)(?<!\bDr)\.\s", pre)[-1]
    segs = [x.strip() for x in clause.rstrip(",").split(",")]
    if len(segs) >= 2:
        parsed = [_split_role_name(x) for x in segs]
        names = [(i, n) for i, (n, _r) in enumerate(parsed) if n and not _is_org(n)]
        # the subject's own name: the last segment's, else the one the role segments follow
        if names:
            i, name = names[-1] if names[-1][0] >= len(segs) - 2 else names[0]
            if len(names) > 1 and names[0][0] < i and all(_looks_role(x) for x in segs[names[0][0] + 1:]):
                i, name = names[0]
            roles = [segs[j] for j in range(i + 1, len(segs)) if _looks_role(segs[j])]
            role = roles[0] if roles else (parsed[i][1] or (segs[i - 1] if i and _looks_role(segs[i - 1])
                                                          else None))
            if i >= len(segs) - 3:
                return name, role, None
    seg = segs[-1]
    seg = re.sub(r"^(.*?\b[A-Z][\w'-]+)\s+(?:of|from|at|with)\s+the\s+[a-z].*$", r"\1", seg)
    name, role = _split_role_name(seg)
    if name and _is_org(name):
        name = None
    if role and not name:
        role = _role_tail(role)
    return name, role, None


def _looks_role(seg: str) -> bool:
    words = seg.split()
    return 0 < len(words) <= 9 and any(
        re.sub(r"['\u2019]s$", "", w.lower().strip(",")).strip("'\u2019") in _ROLE_WORDS for w in words)


def _role_tail(role: str) -> str:
    """'a ministry of defence official' kept; 'the city the official' -> from the last determiner."""
    words = role.split()
    dets = [i for i, w in enumerate(words) if w.lower() in ("a", "an", "the")]
    return " ".join(words[dets[-1]:]) if dets else role


_ABBREV_DOT = re.compile(r"\b(Mrs|Mr|Ms|Dr|St|Gen|Col|Capt|Lt|Sgt|Gov|Sen|Rep|[A-Z])\.")
_DOT = "\u2024"  # stands in for an abbreviation's full stop while an attribution is parsed


def _subject_after(post: str) -> tuple[str | None, str | None, str | None, int] | None:
    """Attribution right after a closing quote: ', he said' / ', said NAME, ROLE' / ' NAME said'."""
    hidden = _ABBREV_DOT.sub(lambda m: m.group(1) + _DOT, post)
    res = _subject_after_plain(hidden)
    if res is None:
        return None
    name, role, pron, used = res
    back = (lambda x: x.replace(_DOT, ".") if x else x)
    return back(name), back(role), pron, used


def _subject_after_plain(post: str) -> tuple[str | None, str | None, str | None, int] | None:
    m = re.match(rf"\s*,?\s*({_SPEECH_RE})\s+(.{{1,120}}?)(?=(?<!\b[A-Z])[.;]\s|[.;]?$|\s+(?:in|on|at|to|"
                 rf"after|as|because|while|when|adding|who|over|during|from)\b)", post)
    if m:
        tail = m.group(2)
        p = re.match(r"(he|she|they)\b", tail, re.I)
        if p:
            return None, None, p.group(1).lower(), m.end()
        parts = [x.strip() for x in tail.split(",") if x.strip()]
        name, role = _split_role_name(parts[0]) if parts else (None, None)
        if name is None and parts and re.match(r"(?:the|a|an)\b", parts[0], re.I):
            role = parts[0]
        if len(parts) > 1 and name and _looks_role(parts[1]):
            role = parts[1]
        if name or role:
            return name, role, None, m.end()
    m = re.match(rf"\s*,?\s*([^\"\u201c\u201d.;]{{1,120}}?)\s+({_SPEECH_RE})\b", post)
    if m:
        name, role, pron = _subject_before(m.group(1))
        if name or role or pron:
            return name, role, pron, m.end()
    return None


#: Organisations that speak through statements ("a statement from the Ministry of Defense").
_ORG_WORDS = ("Ministry|Department|Agency|Office|Army|Police|Council|Government|Commission|Committee|"
              "Party|Union|Forces|Organisation|Organization|Administration|Navy|Authority|Service|"
              "Bureau|Court|Parliament|Assembly|Corps|Directorate|Embassy|Federation|Association|"
              "Institute|Mission|Command|Coalition")
_ORG_RE = re.compile(rf"\b((?:[A-Z][\w'-]*\s+)*(?:{_ORG_WORDS})(?:\s+(?:of|for)\s+(?:the\s+)?"
                     rf"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)?)")
_PLACE_AFTER = re.compile(r"\s+(?:district|province|city|camp|village|street|county|region|town)\b",
                          re.I)


def _organisation(seg: str) -> str | None:
    """The organisation a subject names when no person does ("a statement from the Ministry
    of Defense on Wednesday" -> "Ministry of Defense")."""
    found = [m.group(1) for m in _ORG_RE.finditer(seg)]
    return found[-1] if found else None


def _full_names(text: str, end: int) -> list[tuple[int, str]]:
    """People named with two or more name words before ``end`` (possessives included:
    "Prime Minister George Papandreou's plans"), organisations left out."""
    out = []
    for m in _NAME_RE.finditer(text, 0, end):
        name = _clean_name(re.sub(r"['\u2019]s$", "", m.group()))
        if name and len(name.split()) >= 2 and not _is_org(name) and not _PLACE_AFTER.match(text, m.end()):
            out.append((m.start(), name))
    return out


def _resolve_name(name: str, full: list[tuple[int, str]]) -> str:
    """A name written short ("Mr. Ban", "Papandreou") as the text wrote it in full before."""
    words = [w for w in name.split() if w.rstrip(".\u2024") not in ("Mr", "Mrs", "Ms", "Dr")]
    if len(words) != 1:
        return name
    for _pos, f in reversed(full):
        if words[0] in f.split() or words[0] in re.split(r"[\s-]+", f):
            return f
    return name


def _person_mentions(text: str, start: int, end: int,
                     names: list[tuple[int, str]] | None = None) -> list[tuple[int, str, str | None]]:
    """People named in ``text[start:end]``: (position, name, role) of the subjects of speech
    verbs and of person-like names (two or more name words, or a surname written in full
    before); places ("in Bener Meriah district"), possessives ("Israel's Government"),
    organisations and names after a preposition left out."""
    seg = text[start:end]
    full = [x for x in names if x[0] < end] if names is not None else _full_names(text, end)
    surnames = {f.split()[-1] for _p, f in full}
    out: list[tuple[int, str, str | None]] = []
    for m in re.finditer(rf"\b{_SPEECH_RE}\b", seg):
        name, role, _ = _subject_before(seg[: m.start()])
        if name and not _is_org(name):
            out.append((m.start(), _resolve_name(name, full), role))
    for m in _NAME_RE.finditer(seg):
        name = _clean_name(m.group())
        if not name or re.search(r"['\u2019]s$", name) or _is_org(name):
            continue
        words = name.split()
        if len(words) < 2 and words[-1] not in surnames:
            continue
        before = seg[max(0, m.start() - 6):m.start()].lower()
        if re.search(r"\b(?:in|at|from|to|of|into|near)\s+$", before) or _PLACE_AFTER.match(seg, m.end()):
            continue
        out.append((m.start(), _resolve_name(name, full), None))
    out.sort(key=lambda x: x[0])
    return out


def _role_referent(text: str, role: str, end: int) -> str | None:
    """The person a definite role refers back to ("added the doctor" -> "Ema Suryani, a doctor
    at a health clinic"); None when the text named nobody in that role (an anonymous
    official stays anonymous)."""
    heads = [w for w in re.findall(r"[A-Za-z-]+", role.lower()) if w in _ROLE_WORDS]
    if not heads or not re.match(r"\s*the\b", role, re.I):
        return None
    head = heads[-1]
    seg = text[:end]
    best: tuple[int, str] | None = None
    pats = (rf"({_NAME_RE.pattern}),\s+(?:a|an|the)\s+[^,.;\"]{{0,60}}?\b{re.escape(head)}\b",
            rf"\b{re.escape(head)}\s+((?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD}))+)")
    for pat in pats:
        for m in re.finditer(pat, seg, re.I if pat is pats[1] else 0):
            name = _clean_name(m.group(1))
            if name and len(name.split()) >= 1 and name[0].isupper() and (best is None or m.start() > best[0]):
                best = (m.start(), name)
    return best[1] if best else None


def _attribution_later(post: str) -> tuple[str | None, str | None, str | None, int] | None:
    """ "X" because of its "Y" and because it "Z," EU Commissioner Olli Rehn said: the
    attribution after the last quotation of the sentence."""
    closes = [m.end() for m in re.finditer(r"[\"\u201d]|''", post)]
    if len(closes) < 2:
        return None
    res = _subject_after(post[closes[-1]:])
    if res is None:
        return None
    name, role, pron, used = res
    return name, role, pron, closes[-1] + used


def extract_quotes(text: str) -> list[Quote]:
    """Quotations of ``text`` with their speakers, in reading order.

    The speaker is read after the quote (", he said", ", said NAME, ROLE", " NAME said"),
    before it ("NAME, ROLE, said: ..."), or after the sentence's last quotation; a pronoun
    goes to the person named last before it, a definite role ("the doctor") to the person the
    text gave that role, an unattributed quote right after another to the same speaker, and a
    statement of an organisation to the organisation.
    """
    sents = sentence_spans(text)
    if not sents:
        return []
    quotes: list[Quote] = []
    all_names = _full_names(text, len(text))  # the people the text names in full, in order

    def sent_index(pos: int) -> int:
        for i, (a, b) in enumerate(sents):
            if a <= pos < b or (i + 1 < len(sents) and pos < sents[i + 1][0]):
                return i
        return len(sents) - 1

    for m in _QUOTE_RE.finditer(text):
        g = next(i for i in (1, 2, 3, 4) if m.group(i) is not None)
        qa, qb = m.start(g), m.end(g)
        inner = text[qa:qb].strip()
        if not re.search(r"[A-Za-z]", inner):
            continue
        si, sj = sent_index(m.start()), sent_index(max(m.end() - 1, m.start()))
        s_start, s_end = sents[si][0], sents[sj][1]
        pre = text[s_start:m.start()]
        post = text[m.end():s_end]
        name = role = pron = how = None
        ev: tuple[int | None, int | None] = (None, None)
        res = _subject_after(post) or _attribution_later(post)
        if res:
            name, role, pron, used = res
            how = "after"
            ev = (m.end(), m.end() + used)
        elif re.search(rf"\b{_SPEECH_RE}\b", pre):
            verbs = list(re.finditer(rf"\b{_SPEECH_RE}\b", pre))
            vm = verbs[-1]
            if vm.group() in ("adding", "saying", "telling") and len(verbs) > 1:
                vm = verbs[-2]  # "..., the official said, adding that ...": the official's
            subject = pre[: vm.start()]
            name, role, pron = _subject_before(subject)
            if not (name or role or pron):
                # "..., said Mirwais, a police officer ... that "..." (verb first)
                after = re.match(r"\s+([^,.;]+)(?:,\s*([^,.;]+),)?", pre[vm.end():])
                if after:
                    name, role = _split_role_name(after.group(1))
            if not (name or role or pron):
                org = _organisation(subject.split(",")[-1])
                if org:
                    name, role = org, subject.split(",")[-1].strip() or None
            if not (name or role or pron):
                # "Barack Obama, broke his silence by saying he was "deeply concerned""
                people = _person_mentions(text, s_start, s_start + vm.start(), all_names)
                if people:
                    name, role = people[0][1], people[0][2]
            if name or role or pron:
                how = "before"
                cut = [pre.rfind(x, 0, vm.start()) for x in (name, role, pron) if x]
                cut = [c for c in cut if c >= 0]
                ev = (s_start + (min(cut) if cut else 0), s_start + vm.end())
        if pron:
            lo = sents[max(0, si - 3)][0]
            people = _person_mentions(text, lo, m.start(), all_names)
            if people:
                name, role = people[-1][1], role or people[-1][2]
                how = "pronoun"
        elif name is None and role:
            ref = _role_referent(text, role, m.start())
            if ref:
                name, how = ref, "role"
        if not (name or role or pron) and len(inner.split()) <= 8 and pre.strip():
            # a few words quoted inside a sentence about their speaker ("Ban Ki-moon spoke out
            # against Israel's "totally unacceptable" attacks")
            people = _person_mentions(text, s_start, m.start(), all_names)
            if people:
                name, role, how = people[0][1], people[0][2], "subject"
        if not (name or role) and quotes:
            prev = quotes[-1]
            between = text[prev.end:m.start()]
            same_para = "\n\n" not in between and len(between) < 200
            if same_para and (prev.speaker or prev.role):
                name, role, how = prev.speaker, prev.role, "continued"
                ev = (prev.evidence_start, prev.evidence_end)
        if name and not _is_org(name):
            name = _resolve_name(name, [x for x in all_names if x[0] < m.start()])
        evidence = text[ev[0]:ev[1]].strip() if ev[0] is not None and ev[1] is not None else ""
        quotes.append(Quote(text=inner, start=qa, end=qb, speaker=name, role=role,
                            how=how if (name or role) else None, evidence=evidence,
                            evidence_start=ev[0], evidence_end=ev[1]))
    return quotes


# ---------------------------------------------------------------------------------------------
# Claims about the outcome of the event
# ---------------------------------------------------------------------------------------------

#: Who holds the contested place after the event, as a report words it. "lost": the attackers
#: hold it ("under control of the Taliban", "the city briefly collapsed", "overran the town");
#: "held": the defenders kept or took it back ("regained control", "recaptured", "pushed them
#: back"). Patterns, not article wording: each names a kind of outcome sentence.
_CLAIM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((cls, re.compile(rx, re.I)) for cls, rx in (
    ("lost", r"\b(?:under\s+(?:the\s+)?(?:full\s+|complete\s+)?control\s+of|in\s+the\s+hands\s+of)\s+(?:the\s+)?"
             r"(?P<who>(?-i:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)|insurgents|militants|rebels|fighters)"),
    ("lost", r"\b(?:(?:has|have|had)\s+)?(?:briefly\s+)?(?:collapsed|fallen|fell)\b"),
    ("lost", r"\b(?:overran|overrun|overrunning|stormed|storming|seized|took\s+over|taken\s+over|"
             r"taking\s+over|taken\s+control\s+of|took\s+control\s+of|captured)\s+(?:the\s+|a\s+)?"
             r"(?:city|town|capital|provincial\s+capital|district|police\s+headquarters|"
             r"government\s+buildings|prison|jail|base|airport)\b"),
    ("held", r"\b(?:regained|regain|regaining|retook|retake|retaken|recaptured|recapture|"
             r"recapturing|take\s+back|took\s+back|taking\s+back)\b(?:\s+control)?"),
    ("held", r"\b(?:pushed|push|pushing|driven|drove|driving)\s+(?:them|the\s+\w+(?:\s+\w+)?)\s+"
             r"(?:back|out)\b"),
    ("held", r"\b(?:repelled|repulsed|fought\s+off|beat\s+back|beaten\s+back)\b"),
))
#: Sentences that only say what might happen are no claims of an outcome.
_HEDGE = re.compile(r"\b(?:will|would|could|might|may|if|threaten\w*|attempt\w*|try\w*|tried|"
                    r"expected|warned|fears?|plans?|(?<!managed\s)to)\s*$|\b(?:will|would|could|might|may|if)\b",
                    re.I)


@dataclass
class Claim:
    """A claim about the outcome: ``value`` "lost" (the attackers hold the place) or "held"."""

    kind: str  # "control"
    value: str
    text: str  # the words of the claim
    start: int
    end: int
    sentence: str
    holder: str | None = None  # who holds it, where the words name them ("Taliban")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def extract_claims(text: str) -> list[Claim]:
    """Claims about who holds the contested place, in reading order (see ``_CLAIM_PATTERNS``).
    A hedged sentence ("the city will fall if ...") states no outcome and is skipped."""
    out: list[Claim] = []
    for s0, s1 in sentence_spans(text):
        sentence = text[s0:s1]
        seen: list[tuple[int, int]] = []
        for cls, rx in _CLAIM_PATTERNS:
            for m in rx.finditer(sentence):
                if any(a < m.end() and m.start() < b for a, b in seen):
                    continue
                lead = sentence[max(0, m.start() - 40):m.start()].split(",")[-1]
                if _HEDGE.search(lead) or re.match(r"\s*(?:if|unless)\b", sentence[m.end():], re.I):
                    continue
                seen.append(m.span())
                who = m.groupdict().get("who")
                out.append(Claim("control", cls, m.group(), s0 + m.start(), s0 + m.end(), sentence,
                                 holder=who))
    out.sort(key=lambda c: c.start)
    return out


# ---------------------------------------------------------------------------------------------
# Comparison across the sources of one event
# ---------------------------------------------------------------------------------------------

_STATUS_RANK = {"agree": 0, "compatible": 1, "update": 2, "conflict": 3}


@dataclass
class SourceValue:
    article_id: str
    title: str
    text: str  # the number phrase, or the quotation
    low: float | None = None
    high: float | None = None
    speaker: str | None = None
    role: str | None = None
    start: int | None = None  # evidence span in the article body
    end: int | None = None
    sentence: str = ""
    published: str | None = None  # the article's date, where known (ISO)
    copy_of: str | None = None  # this source copies that one: no independent confirmation

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if self.high == INF:
            d["high"] = None
        if self.low is not None:
            d["interval"] = format_interval((self.low, self.high if self.high is not None else INF))
        return {k: v for k, v in d.items() if v is not None and v != ""}


@dataclass
class FactRow:
    """One fact lined up across an event's sources.

    ``kind`` "count": ``key`` = (predicate, counted class); "quote": ``key`` = (speaker key,
    first words); "claim": ("outcome", "control"). ``pairs``: (article a, article b, status);
    ``status`` the row's worst pair status, or ``single-source``. Count statuses: agree,
    compatible (intervals overlap), update (they do not, and the later report, ``pairs``' b,
    revises the earlier: both dates known and different), conflict. Quote statuses: agree
    (same words, same speaker), speaker-conflict (same words given to different speakers),
    unattributed (one side names nobody). A pair where one source copies the other has status
    ``copy`` and does not count: a copy is no independent confirmation.
    """

    kind: str
    key: tuple[str, str]
    values: list[SourceValue] = field(default_factory=list)
    pairs: list[tuple[str, str, str]] = field(default_factory=list)
    status: str = "single-source"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": list(self.key), "status": self.status,
                "values": [v.to_dict() for v in self.values],
                "pairs": [{"a": a, "b": b, "status": s} for a, b, s in self.pairs]}


def _qtokens(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if len(w) > 2}


def quote_overlap(a: str, b: str) -> float:
    """Share of the shorter quotation's words (3+ letters) found in the other."""
    ta, tb = _qtokens(a), _qtokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


@lru_cache(maxsize=1)
def unit_families() -> dict[str, str]:
    """Counted class -> the class it is compared under ("civilian" -> "people"): reports
    count the same victims as "people", "civilians" or "residents"."""
    return _read_tsv(DATA_DIR / "families.tsv")


def unit_family(unit: str | None) -> str:
    if not unit:
        return "?"
    return unit_families().get(unit, unit)


def _comparable(facts: list[CountFact]) -> list[CountFact]:
    """The counts of one source that speak of the event as a whole: not background (another,
    earlier event) and, where the source gives one, not a part ("another four people")."""
    return [f for f in facts if not f.background and not f.part]


def _pair_status(ivs_a: list[tuple[float, float]], ivs_b: list[tuple[float, float]],
                 date_a: str | None, date_b: str | None) -> str:
    """The most agreeable reading of two sources' values; disjoint values from reports of
    different known dates are an ``update`` rather than a conflict."""
    st = min((interval_status(p, q) for p in ivs_a for q in ivs_b), key=_STATUS_RANK.__getitem__)
    if st == "conflict" and date_a and date_b and date_a[:10] != date_b[:10]:
        return "update"
    return st


def _independent(a: str, b: str, copies: Mapping[str, str]) -> bool:
    return copies.get(a) != b and copies.get(b) != a and not (
        copies.get(a) is not None and copies.get(a) == copies.get(b))


def compare_facts(articles: Sequence[tuple[str, str, str]], *,
                  quote_threshold: float = 0.6,
                  published: Mapping[str, str] | None = None,
                  copies: Mapping[str, str] | None = None,
                  names: bool = True) -> list[FactRow]:
    """Count, quote and claim rows of an event's articles ``[(article_id, title, body), ...]``.

    ``published``: article id -> ISO date, where known (it turns a disagreement between
    reports of different days into an ``update``, the later report second in the pair).
    ``copies``: article id -> the id of the article it copies (such pairs get status ``copy``).
    ``names``: add the rows of names that the sources spell differently (:func:`reconcile_names`).
    """
    published = published or {}
    copies = copies or {}
    order = {aid: i for i, (aid, _, _) in enumerate(articles)}

    def by_time(a: str, b: str) -> tuple[str, str]:
        da, db = published.get(a), published.get(b)
        if da and db and da > db:
            return b, a
        return (a, b) if order[a] <= order[b] else (b, a)

    rows: list[FactRow] = []
    groups: dict[tuple[str, str], dict[str, list[CountFact]]] = {}
    all_quotes: list[tuple[str, str, Quote]] = []
    claims: dict[str, list[Claim]] = {}
    for aid, title, body in articles:
        per_key: dict[tuple[str, str], list[CountFact]] = {}
        for f in extract_counts(body):
            if f.predicate is None or f.unit is None:
                continue
            per_key.setdefault((f.predicate, unit_family(f.unit)), []).append(f)
        for key, fs in per_key.items():
            use = _comparable(fs)
            if use:
                groups.setdefault(key, {})[aid] = use
        for q in extract_quotes(body):
            all_quotes.append((aid, title, q))
        cs = extract_claims(body)
        if cs:
            claims[aid] = cs
    titles = {aid: title for aid, title, _ in articles}

    def value(aid: str, text: str, **kw: Any) -> SourceValue:
        return SourceValue(aid, titles[aid], text, published=published.get(aid),
                           copy_of=copies.get(aid), **kw)

    for key, per_doc in groups.items():
        row = FactRow("count", key)
        for aid, fs in per_doc.items():
            for f in fs:
                row.values.append(value(aid, f.phrase, low=f.low, high=f.high, start=f.start,
                                        end=f.end, sentence=f.sentence))
        ids = list(per_doc)
        worst = None
        for i, a0 in enumerate(ids):
            for b0 in ids[i + 1:]:
                a, b = by_time(a0, b0)
                if not _independent(a, b, copies):
                    row.pairs.append((a, b, "copy"))
                    continue
                st = _pair_status([f.interval for f in per_doc[a]], [f.interval for f in per_doc[b]],
                                  published.get(a), published.get(b))
                row.pairs.append((a, b, st))
                if worst is None or _STATUS_RANK[st] > _STATUS_RANK[worst]:
                    worst = st
        row.status = worst or "single-source"
        rows.append(row)
    rows.extend(_quote_rows(all_quotes, quote_threshold, copies, value))
    if claims:
        rows.append(_claim_row(claims, copies, value, by_time))
    if names:
        rows.extend(reconcile_names(articles, value,
                                    speakers={q.speaker for _a, _t, q in all_quotes if q.speaker}))
    rank = {"conflict": 0, "speaker-conflict": 1, "update": 2, "compatible": 3, "unattributed": 4,
            "agree": 5, "single-source": 6}
    kinds = {"count": 0, "claim": 1, "quote": 2, "name": 3}
    rows.sort(key=lambda r: (kinds.get(r.kind, 3), rank.get(r.status, 9)))
    return rows


def _quote_rows(all_quotes: list[tuple[str, str, Quote]], threshold: float,
                copies: Mapping[str, str], value: Any) -> list[FactRow]:
    """Quotes clustered by their words across articles: the same words from the same speaker
    agree; the same words given to different speakers are flagged (speaker-conflict)."""
    rows = []
    used = [False] * len(all_quotes)
    for i, (aid, _title, q) in enumerate(all_quotes):
        if used[i]:
            continue
        members = [i]
        for j in range(i + 1, len(all_quotes)):
            if not used[j] and all_quotes[j][0] != aid and all_quotes[j][0] not in {
                    all_quotes[x][0] for x in members} and quote_overlap(
                    q.text, all_quotes[j][2].text) >= threshold:
                members.append(j)
        for x in members:
            used[x] = True
        first_words = " ".join(q.text.split()[:6])
        row = FactRow("quote", (q.speaker_key or "?", first_words))
        for x in members:
            a2, _t2, q2 = all_quotes[x]
            row.values.append(value(a2, q2.text, speaker=q2.speaker, role=q2.role,
                                    start=q2.start, end=q2.end))
        order = {"agree": 0, "unattributed": 1, "speaker-conflict": 2}
        worst = None
        for p in range(len(members)):
            for r in range(p + 1, len(members)):
                (ia, _, qa), (ib, _, qb) = all_quotes[members[p]], all_quotes[members[r]]
                if not _independent(ia, ib, copies):
                    row.pairs.append((ia, ib, "copy"))
                    continue
                ka, kb = qa.speaker_key, qb.speaker_key
                if ka is None or kb is None:
                    st = "unattributed"
                elif ka == kb or _same_speaker(qa, qb):
                    st = "agree"
                else:
                    st = "speaker-conflict"
                row.pairs.append((ia, ib, st))
                if worst is None or order[st] > order[worst]:
                    worst = st
        row.status = worst or "single-source"
        rows.append(row)
    return rows


def _same_speaker(a: Quote, b: Quote) -> bool:
    """Two attributions naming one person: same surname, or a name written two ways
    ("Husamuddin Shams" / "Hesamuddin Shams") or with its initials dropped."""
    if not a.speaker or not b.speaker:
        return False
    return names_match(a.speaker, b.speaker)


def names_match(a: str, b: str) -> bool:
    """True when two written names are one person's (transliteration variants allowed)."""
    ka, kb = speaker_key(a), speaker_key(b)
    if ka is None or kb is None:
        return False
    if ka == kb:
        return True
    ta, tb = ({w.lower().strip(".\u2024") for w in re.split(r"[\s-]+", x)} - {"mr", "mrs", "ms", "dr"}
              for x in (a, b))
    if ta and tb and (ta <= tb or tb <= ta):
        return True
    from difflib import SequenceMatcher

    return len(ka) > 4 and SequenceMatcher(None, ka, kb).ratio() >= 0.85 and \
        (a.split()[0][0].lower() == b.split()[0][0].lower())


def _dated_apart(a: str | None, b: str | None) -> bool:
    return bool(a and b and a[:10] != b[:10])


def _claim_row(claims: Mapping[str, list[Claim]], copies: Mapping[str, str], value: Any,
               by_time: Any) -> FactRow:
    """What each source says of the outcome. Each source's reading is its first claim (a
    report leads with the outcome); two readings that differ conflict ("under control of the
    Taliban" vs "recaptured"), or are an ``update`` when the reports are of different days."""
    row = FactRow("claim", ("outcome", "control"))
    for aid, cs in claims.items():
        for c in cs:
            row.values.append(value(aid, c.text, start=c.start, end=c.end, sentence=c.sentence,
                                    role=c.value))
    ids = list(claims)
    worst = None
    for i, a0 in enumerate(ids):
        for b0 in ids[i + 1:]:
            a, b = by_time(a0, b0)
            if not _independent(a, b, copies):
                row.pairs.append((a, b, "copy"))
                continue
            # a report leads with its outcome: its first claim is its reading
            va, vb = claims[a][0].value, claims[b][0].value
            st = "agree" if va == vb else "conflict"
            if st == "conflict" and _dated_apart(value(a, "").published, value(b, "").published):
                st = "update"
            row.pairs.append((a, b, st))
            if worst is None or _STATUS_RANK[st] > _STATUS_RANK[worst]:
                worst = st
    row.status = worst or "single-source"
    return row


# ---------------------------------------------------------------------------------------------
# Names reconciled across sources
# ---------------------------------------------------------------------------------------------

_ACRONYM = re.compile(r"\b((?:[A-Z][\w'-]*\s+)(?:(?:of|for|and|the)\s+|[A-Z][\w'-]*\s+)*[A-Z][\w'-]*)"
                      r"\s*\(([A-Z]{2,6})\)")


def acronyms(text: str) -> dict[str, str]:
    """Acronyms a text spells out: "National Directorate of Security (NDS)" -> {"NDS": ...}.
    The expansion is cut to the words whose initials make the acronym."""
    out: dict[str, str] = {}
    for m in _ACRONYM.finditer(text):
        words, acr = m.group(1).split(), m.group(2)
        caps = [i for i, w in enumerate(words) if w[0].isupper()]
        if len(caps) < len(acr):
            continue
        start = caps[-len(acr)]
        if "".join(words[i][0] for i in caps[-len(acr):]) == acr:
            out[acr] = " ".join(words[start:])
    return out


def reconcile_names(articles: Sequence[tuple[str, str, str]], value: Any = None,
                    speakers: set[str] | None = None) -> list[FactRow]:
    """Rows for the names several sources write differently: places (one gazetteer entry:
    Qala-e-Naw / Qala-i-Nau), organisations (an acronym and its expansion: NDS / National
    Directorate of Security) and people (Husamuddin / Hesamuddin Shams). Status ``agree``:
    the spellings name one thing."""
    if value is None:
        def value(aid: str, text: str, **kw: Any) -> SourceValue:
            return SourceValue(aid, "", text, **kw)
    rows: list[FactRow] = []
    # places
    try:
        from . import places as _places

        found = {aid: _places.find_places(body) for aid, _t, body in articles}
    except Exception:  # no gazetteer in this install: places are simply not reconciled
        found = {}
    by_place: dict[str, dict[str, list[Any]]] = {}
    names_of: dict[str, str] = {}
    for aid, mentions in found.items():
        for mm in mentions:
            by_place.setdefault(mm.place.id, {}).setdefault(aid, []).append(mm)
            names_of[mm.place.id] = mm.place.name
    for pid, per in by_place.items():
        spellings = {mm.text for ms in per.values() for mm in ms}
        if len(per) >= 2 and len({_fold_name(x) for x in spellings}) >= 2:
            row = FactRow("name", ("place", names_of[pid]), status="agree")
            for aid, ms in per.items():
                for text in dict.fromkeys(mm.text for mm in ms):
                    first = next(mm for mm in ms if mm.text == text)
                    row.values.append(value(aid, text, start=first.start, end=first.end))
            rows.append(row)
    # organisations: an acronym in one source, its expansion in another
    expansions: dict[str, str] = {}
    for _aid, _t, body in articles:
        for acr, full in acronyms(body).items():
            expansions.setdefault(acr, full)
    for acr, full in expansions.items():
        per: dict[str, set[str]] = {}
        for aid, _t, body in articles:
            for form in (acr, full):
                if re.search(rf"\b{re.escape(form)}\b", body):
                    per.setdefault(aid, set()).add(form)
        forms = set().union(*per.values()) if per else set()
        if len(per) >= 2 and len(forms) >= 2:
            row = FactRow("name", ("organisation", f"{full} ({acr})"), status="agree")
            for aid, fs in per.items():
                for form in sorted(fs):
                    row.values.append(value(aid, form))
            rows.append(row)
    # people: one person's name spelled two ways in different sources ("Husamuddin Shams" /
    # "Hesamuddin Shams", "Gurbanguly" / "Kurbanguly Berdymukhamedov"); a name that only adds
    # or drops words ("Mark Heller" / "Mark Jay Heller", "Los Angeles" / "Los Angeles Angels")
    # is no spelling variant. Candidates share the first letters of their surname or given name.
    people: dict[str, list[str]] = {}
    for aid, _t, body in articles:
        names = dict.fromkeys(n for _p, n in _full_names(body, len(body)))
        people[aid] = [n for n in names if len(n.split()) >= 2]
    cluster_of: dict[str, int] = {}
    clusters: list[dict[str, set[str]]] = []  # per person: article id -> its spellings
    ids = list(people)

    def keys(n: str) -> set[tuple[int, str]]:
        w = n.split()
        return {(len(w), w[-1][:1].lower()), (len(w), "~" + w[-1][1:3].lower())}

    # (word count, surname letters) -> names: a cheap filter before the string comparisons
    index: dict[str, dict[tuple[int, str], list[str]]] = {aid: {} for aid in ids}
    for aid in ids:
        for n in people[aid]:
            for k in keys(n):
                index[aid].setdefault(k, []).append(n)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            pairs = {(na, nb) for nb in people[b] for k in keys(nb) for na in index[a].get(k, ())}
            for na, nb in sorted(pairs):
                if na == nb or not _spelling_variants(na, nb):
                    continue
                c = cluster_of.get(na, cluster_of.get(nb))
                if c is None:
                    c = len(clusters)
                    clusters.append({})
                cluster_of[na] = cluster_of[nb] = c
                clusters[c].setdefault(a, set()).add(na)
                clusters[c].setdefault(b, set()).add(nb)
    if speakers is None:
        speakers = {q.speaker for _a, _t, body in articles for q in extract_quotes(body) if q.speaker}
    for cl in clusters:
        spellings = {n for ns in cl.values() for n in ns}
        # a person where a source quotes them; else a name of something (a firm, a theatre)
        kind = "person" if spellings & speakers else "name"
        row = FactRow("name", (kind, sorted(cl[next(iter(cl))])[0]), status="agree")
        for aid, spellings in cl.items():
            for n in sorted(spellings):
                row.values.append(value(aid, n))
        rows.append(row)
    return rows


def _spelling_variants(a: str, b: str) -> bool:
    """Two full names of one person written two ways: as many words, the surnames alike and
    the given names alike (transliterations), at least one word spelled differently."""
    from difflib import SequenceMatcher

    a, b = (re.sub(r"['\u2019]s?(?=\s|$)", "", x) for x in (a, b))
    wa, wb = a.split(), b.split()
    if a == b or len(wa) != len(wb) or _is_org(a) or _is_org(b):
        return False
    if any(x != y and (x.startswith(y) or y.startswith(x)) for x, y in zip(wa, wb)):
        return False  # "Award" / "Awards", "Zealand" / "Zealander": another form, not a spelling
    if wa[0][:1].lower() != wb[0][:1].lower() and wa[-1][:2].lower() != wb[-1][:2].lower():
        return False
    if wa[-1][:1].lower() != wb[-1][:1].lower() and wa[-1][1:3].lower() != wb[-1][1:3].lower():
        return False
    return all(x.lower() == y.lower() or SequenceMatcher(None, x.lower(), y.lower()).ratio() >= 0.75
               for x, y in zip(wa, wb))


def _fold_name(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())
