"""Names reconciled across an event's sources: one person's name written two ways
("Husamuddin" / "Hesamuddin Shams"), one place (a gazetteer entry: Qala-e-Naw / Qala-i-Nau), an
organisation's acronym and its expansion (NDS = National Directorate of Security).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Sequence

from .quotes import _full_names, _is_org, extract_quotes, speaker_key

if TYPE_CHECKING:  # facts.py imports this module: its records are imported where used
    from .facts import FactRow


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
                    speakers: set[str] | None = None,
                    mentions: Any = None) -> list[FactRow]:
    """Rows for the names several sources write differently: places (one gazetteer entry:
    Qala-e-Naw / Qala-i-Nau), organisations (an acronym and its expansion: NDS / National
    Directorate of Security) and people (Husamuddin / Hesamuddin Shams). Status ``agree``:
    the spellings name one thing. ``mentions``: article id -> its place mentions, where the
    caller has them already (else they are found here)."""
    from .facts import FactRow, SourceValue

    if value is None:
        def value(aid: str, text: str, **kw: Any) -> SourceValue:
            return SourceValue(aid, "", text, **kw)
    rows: list[FactRow] = []
    # places
    try:
        from . import places as _places

        found = {aid: (mentions[aid] if mentions is not None else _places.find_places(body))
                 for aid, _t, body in articles}
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
