"""Counted facts of an article: number phrases ("more than 200 prisoners ... escaped", "dozens
of inmates have escaped", "killing dozens", "the death toll rose to 11", "86 arrests"), what they
count (the head noun, normalised with ``data/facts/units.tsv``; "people" where the text names
none), what happened to it (``data/facts/predicates.tsv``) and a comparable interval
(:func:`parse_count`: number words, qualifiers, "dozens" = 24-99). Each count says whether it is
``background`` (another time or incident, a campaign total, a rumour), a ``part`` of a toll (one
district, "another four") and which time its sentence states (``when``: a day, or a running
total). Rules only, offsets into the text as given (evidence a reader can check).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

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
    #: the time its sentence gives it (:func:`time_scope`): "wed" (a weekday), "today",
    #: "yesterday", "night:3" (the third night), "date:03-13" (a month and day), "total" (a
    #: running total: "so far", "in total"); None when the sentence states none
    when: str | None = None

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
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
_MONTH_NUM = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul",
                                               "aug", "sep", "oct", "nov", "dec"))}
_FULL_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MON_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
#: The time a sentence gives its count: a day (a weekday, "today", "tonight", "yesterday",
#: "overnight", "the third straight night", "March 13" / "13 March") or a running total ("so
#: far", "in total", "altogether", "to date", "a total of", "since the riots began", "over the
#: weekend", "over the unrest"). Counts of different stated days, or of a day and a running
#: total, are different facts (:func:`newstrace.facts.compare_facts`).
_TIME_SCOPE = re.compile(
    r"(?P<wd>\b(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"|(?P<rel>\b(?:today|tonight|yesterday|overnight|last\s+night|this\s+(?:morning|afternoon|evening))\b)"
    rf"|\b(?:the\s+)?(?P<ord>{'|'.join(_ORDINALS)})\s+(?:straight\s+|consecutive\s+|successive\s+)?(?:night|day)\b"
    rf"|(?P<md>\b(?-i:(?:{_FULL_MONTHS}|(?:{_MON_ABBR})\.?)\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_FULL_MONTHS}))\b)(?!\s*,?\s*\d{{4}})"
    r"|(?P<total>\bso\s+far\b|\bin\s+total\b|\baltogether\b|\bto\s+date\b|\ba\s+total\s+of\b"
    r"|\bover\s+the\s+(?:weekend|unrest|protests|riots|rioting|violence|clashes|disturbances)\b"
    r"|\bsince\s+(?:the\s+)?(?:\w+\s+){0,3}(?:began|started|erupted|broke\s+out)\b"
    r"|\bsince\s+the\s+(?:riots?|protests?|unrest|violence|clashes|disturbances)\b)", re.I)
#: A day right after a verb of saying is when it was said, not when the count happened
#: ("officials said Wednesday that 42 were killed").
_SAID_BEFORE = re.compile(r"\b(?:said|says|told\s+\w+|announced|reported|confirmed|added|"
                          r"stated|declared)\s+(?:on\s+|late\s+|early\s+)?$", re.I)


def time_scope(sentence: str, at: int) -> str | None:
    """The time that ``sentence`` gives the count at offset ``at`` (see ``CountFact.when``):
    the time expression nearest to it, not counting the day a statement was made; one after
    the count only inside its clause ("46 were arrested Wednesday night", but not "43 were
    killed in the school, pushing the toll above 680 since the conflict began")."""
    best: tuple[int, str] | None = None
    for m in _TIME_SCOPE.finditer(sentence):
        if m.start() > at and re.search(r"[,;:(\u2014]|\s-\s", sentence[at:m.start()]):
            continue
        if m.group("wd") or m.group("rel") or m.group("md"):
            if _SAID_BEFORE.search(sentence, max(0, m.start() - 30), m.start()):
                continue
        label = _time_label(m)
        dist = at - m.end() if m.end() <= at else m.start() - at
        if best is None or dist < best[0]:
            best = (dist, label)
    return best[1] if best else None


def _time_label(m: re.Match[str]) -> str:
    if m.group("wd"):
        return m.group("wd").lower()[:3]
    if m.group("rel"):
        rel = " ".join(m.group("rel").lower().split())
        return "yesterday" if rel in ("yesterday", "last night", "overnight") else "today"
    if m.group("ord"):
        return f"night:{_ORDINALS[m.group('ord').lower()]}"
    if m.group("md"):
        words = m.group("md").replace(".", "").split()
        day, month = (words[0], words[1]) if words[0].isdigit() else (words[1], words[0])
        return f"date:{_MONTH_NUM[month[:3].lower()]:02d}-{int(day):02d}"
    return "total"


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
    _severe_parts(text, facts)
    return facts


#: A count of the worst hit only: "30 people seriously injured", "critically wounding two".
_SEVERE_AFTER = re.compile(r"(?:\s+[\w-]+){0,3}?\s+(?:(?:were|was|are|is|have\s+been|had\s+been)\s+)?"
                           r"(?:seriously|critically|severely|badly|gravely)\s+(?:injured|wounded|hurt)\b",
                           re.I)
_SEVERE_BEFORE = re.compile(r"\b(?:seriously|critically|severely|badly|gravely)\s+(?:injuring|wounding)\s+$",
                            re.I)


def _severe_parts(text: str, facts: list[CountFact]) -> None:
    """A count of the severely hurt is a part of the toll where the article also gives the
    toll itself, at least as large ("more than 200 injured ... around 30 people seriously
    injured"); alone ("dozens of others were seriously injured") it is the toll."""
    for f in facts:
        if f.part or f.background or f.predicate != "wounded":
            continue
        if not (_SEVERE_AFTER.match(text, f.end, f.sentence_end)
                or _SEVERE_BEFORE.search(text, f.sentence_start, f.start)):
            continue
        if any(g is not f and g.predicate == f.predicate and not g.background and not g.part
               and g.high >= f.high and g.low >= f.low and not _SEVERE_AFTER.match(text, g.end, g.sentence_end)
               for g in facts):
            f.part = True


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
        # an age in apposition to a name: "Alexandros Grigoropoulos, 15, was killed", "Arcade
        # Joseph Comeaux Jr., 49, escaped"; a day of a month: "the Nov. 30 escape"
        j = k0 - 2 if lw_before == "," else k0 - 1
        if j > 0 and toks[j][0] == ".":
            j -= 1
        if (not qual and lw_before == "," and j >= 0 and toks[j][0][:1].isupper()
                and re.match(r"\s*,", text[ph.b:s1]) and num.isdigit() and int(num) < 120):
            continue
        if (not qual and j >= 0 and lw_before != "," and num.isdigit() and int(num) <= 31
                and toks[j][0][:3].lower() in _MONTH_NUM and re.fullmatch(_MONTHS, toks[j][0] + (
                    "." if toks[j + 1][0] == "." and j + 1 < k0 else ""))):
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
            total=total, noun_inferred=inferred, background=background, part=part,
            when=time_scope(sentence, ph.a - s0))
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
