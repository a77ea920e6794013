"""``newstrace eval facts``: how well counted facts and quotations are read and lined up.

1. **Counts** (``eval/facts/counts_gold.tsv``, 15 ECB+ events, labelled by hand; rules in
   ``eval/facts/RULES.md``): extraction precision and recall inside the labelled sentences. A
   count is right when its number phrase, interval, counted class (``what``) and predicate all
   match the gold row.
2. **Comparisons**: each event's labelled articles go through :func:`newstrace.facts.compare_facts`
   (with their publication dates where the gold file gives one); every source pair the system
   calls ``conflict`` is checked against the gold comparisons, which are derived from the gold
   intervals of the same real-world fact (the gold ``fact`` column): precision and recall of
   ``conflict`` (and of ``update``).
3. **Quotes** (``eval/facts/quotes_gold.tsv``, ECB+ and the seeds): speaker attribution
   accuracy (the quote must be found and given the speaker the article names).
4. **Who did what to whom** (``eval/facts/actions_gold.tsv``, held out:
   ``heldout_actions.tsv``; 24 ECB+ events): agent-action-target claims in the articles' leads,
   precision and recall (action class, agent and target all right), and the cross-source
   comparisons of these claims: the share of ``conflict`` calls that the gold does not make.
5. **Seeds**: 000 (Reuters) vs 003 (spun NYT): the escaped prisoners are a conflict ("More than
   200" vs "Dozens"), Qala-e-Naw and Qala-i-Nau resolve to one place, and each source's quotes
   come with their speakers.

    python -m newstrace.evaluation.facts_eval [--data DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence, TextIO

from newstrace.evaluation import datasets
from newstrace.facts import (CountFact, compare_facts, extract_counts, extract_quotes,
                             interval_status, names_match)
from newstrace.text import normalize, sentence_spans

__all__ = ["GoldAction", "load_actions", "score_actions", "action_region", "GoldCount", "GoldQuote", "load_counts", "load_quotes", "gold_comparisons",
           "score_counts", "score_comparisons", "score_quotes", "seeds_check", "run"]

REPO = Path(__file__).resolve().parents[3]
GOLD_DIR = REPO / "eval" / "facts"
COUNTS_GOLD = GOLD_DIR / "counts_gold.tsv"
QUOTES_GOLD = GOLD_DIR / "quotes_gold.tsv"
#: Labelled after the rules were written and never used to tune them: the check on overfitting.
HELDOUT_COUNTS = GOLD_DIR / "heldout_counts.tsv"
HELDOUT_QUOTES = GOLD_DIR / "heldout_quotes.tsv"
ACTIONS_GOLD = GOLD_DIR / "actions_gold.tsv"
HELDOUT_ACTIONS = GOLD_DIR / "heldout_actions.tsv"
SEED_REUTERS, SEED_SPUN = "000_4939783a04e9bdd2", "003_8eb8f662f504325c"
_COUNT_COLUMNS = ("event", "doc_id", "date", "anchor", "phrase", "qualifier", "low", "high",
                  "what", "predicate", "scope", "fact")
_SCOPES = ("event", "part", "other", "none")


class GoldFormatError(ValueError):
    """A gold file line that does not follow the format (the message names file and line)."""


@dataclass(frozen=True)
class GoldCount:
    """One hand-labelled count (or, with ``scope`` "none", a labelled sentence without any)."""

    event: str
    doc_id: str
    date: str | None
    anchor: str
    phrase: str
    qualifier: str | None
    low: float
    high: float
    what: str
    predicate: str
    scope: str
    fact: str | None
    line: int

    @property
    def interval(self) -> tuple[float, float]:
        return (self.low, self.high)


@dataclass(frozen=True)
class GoldQuote:
    doc_id: str
    start: str  # the first words of the quotation, as written
    speaker: str | None  # as the article names it; None for an unnamed speaker
    role: str | None
    line: int


def _rows(path: Path, n: int) -> Iterable[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc})") from None
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != n:
            raise GoldFormatError(f"{path}:{i}: expected {n} tab-separated columns, got {len(cols)}")
        yield i, [c.strip() for c in cols]


def _opt(value: str) -> str | None:
    return None if value in ("", "-") else value


def _bound(value: str, path: Path, line: int) -> float:
    if value == "inf":
        return math.inf
    try:
        return float(value)
    except ValueError:
        raise GoldFormatError(f"{path}:{line}: not a number: {value!r}") from None


def load_counts(path: Path = COUNTS_GOLD) -> list[GoldCount]:
    """The gold counts (see ``eval/facts/RULES.md`` for the columns)."""
    out = []
    for i, c in _rows(path, len(_COUNT_COLUMNS)):
        row = dict(zip(_COUNT_COLUMNS, c))
        if row["scope"] not in _SCOPES:
            raise GoldFormatError(f"{path}:{i}: scope must be one of {_SCOPES}, not {row['scope']!r}")
        none = row["scope"] == "none"
        out.append(GoldCount(
            event=row["event"], doc_id=row["doc_id"], date=_opt(row["date"]), anchor=row["anchor"],
            phrase="" if none else row["phrase"], qualifier=_opt(row["qualifier"]),
            low=math.nan if none else _bound(row["low"], path, i),
            high=math.nan if none else _bound(row["high"], path, i),
            what=row["what"], predicate=row["predicate"], scope=row["scope"],
            fact=_opt(row["fact"]), line=i))
    return out


def load_quotes(path: Path = QUOTES_GOLD) -> list[GoldQuote]:
    """The gold quotations: doc id, first words, speaker as named ("-": unnamed), role."""
    return [GoldQuote(c[0], c[1], _opt(c[2]), _opt(c[3]), i) for i, c in _rows(path, 4)]


# ---------------------------------------------------------------------------------------------
# Counts
# ---------------------------------------------------------------------------------------------

def _norm(s: str) -> str:
    return " ".join(normalize(s).casefold().split())


def _region(text: str, anchor: str, where: str) -> tuple[int, int]:
    """The labelled region of an anchor: the sentence(s) of ``text`` it falls in."""
    anchor = normalize(anchor)
    at = text.find(anchor)
    if at < 0:
        # tolerate whitespace differences only
        flat = " ".join(text.split())
        if " ".join(anchor.split()) not in flat:
            raise GoldFormatError(f"{where}: anchor not found in the article: {anchor!r}")
        words = anchor.split()
        at = text.find(words[0])
        while at >= 0 and " ".join(text[at:at + 3 * len(anchor)].split()).find(" ".join(words)) != 0:
            at = text.find(words[0], at + 1)
    end = at + len(anchor)
    lo, hi = at, end
    for a, b in sentence_spans(text):
        if a <= at < b or a < end <= b:
            lo, hi = min(lo, a), max(hi, b)
    return lo, hi


def _count_ok(f: CountFact, g: GoldCount) -> bool:
    return (f.interval == g.interval and f.unit == g.what and f.predicate == g.predicate)


def match_counts(text: str, gold: Sequence[GoldCount], facts: Sequence[CountFact],
                 where: str) -> tuple[list[tuple[GoldCount, CountFact | None]], list[CountFact]]:
    """Pair one article's gold counts with its extracted counts (predicate set) inside the
    labelled regions: (gold, fact or None) for every gold count, and the extracted counts in
    the regions that match no gold count."""
    regions: dict[tuple[int, int], list[GoldCount]] = defaultdict(list)
    for g in gold:
        regions[_region(text, g.anchor, f"{where}:{g.line}")].append(g)
    pairs: list[tuple[GoldCount, CountFact | None]] = []
    spurious: list[CountFact] = []
    for (lo, hi), gs in sorted(regions.items()):
        inside = [f for f in facts if f.predicate is not None and lo <= f.start and f.end <= hi]
        used: set[int] = set()
        wanted = [g for g in gs if g.scope != "none"]
        # first the fully right matches, then same-phrase ones (wrong fields)
        for strict in (True, False):
            for g in wanted:
                if any(p[0] is g for p in pairs):
                    continue
                for k, f in enumerate(inside):
                    if k in used or _norm(f.phrase) != _norm(g.phrase):
                        continue
                    if strict and not _count_ok(f, g):
                        continue
                    used.add(k)
                    pairs.append((g, f))
                    break
        for g in wanted:
            if not any(p[0] is g for p in pairs):
                pairs.append((g, None))
        spurious.extend(f for k, f in enumerate(inside) if k not in used)
    return pairs, spurious


def _texts(root: str | None) -> dict[str, str]:
    return {d.doc_id: normalize(d.text) for d in datasets.ecbplus(root)}


def score_counts(gold: Sequence[GoldCount], texts: Mapping[str, str],
                 source: Path = COUNTS_GOLD) -> dict[str, Any]:
    """Extraction precision/recall (number, qualifier, what and predicate all right) over the
    labelled regions, with per-field figures for the counts whose phrase was found."""
    by_doc: dict[str, list[GoldCount]] = defaultdict(list)
    for g in gold:
        by_doc[g.doc_id].append(g)
    tp = n_gold = n_sys = found = 0
    field_ok = {"interval": 0, "what": 0, "predicate": 0}
    errors: list[dict[str, Any]] = []
    matches: dict[str, list[tuple[GoldCount, CountFact | None]]] = {}
    for doc_id, gs in sorted(by_doc.items()):
        if doc_id not in texts:
            raise GoldFormatError(f"{source}:{gs[0].line}: unknown doc id {doc_id!r}")
        text = texts[doc_id]
        facts = extract_counts(text)
        pairs, spurious = match_counts(text, gs, facts, str(source))
        matches[doc_id] = pairs
        for g, f in pairs:
            n_gold += 1
            if f is None:
                errors.append({"doc": doc_id, "line": g.line, "gold": g.phrase, "error": "missed"})
                continue
            n_sys += 1
            found += 1
            field_ok["interval"] += f.interval == g.interval
            field_ok["what"] += f.unit == g.what
            field_ok["predicate"] += f.predicate == g.predicate
            if _count_ok(f, g):
                tp += 1
            else:
                errors.append({"doc": doc_id, "line": g.line, "gold": g.phrase,
                               "error": "fields", "want": [_fmt(g.interval), g.what, g.predicate],
                               "got": [_fmt(f.interval), f.unit, f.predicate]})
        for f in spurious:
            n_sys += 1
            errors.append({"doc": doc_id, "error": "spurious", "got": [f.phrase, f.unit, f.predicate],
                           "sentence": f.sentence[:120]})
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"gold": n_gold, "extracted": n_sys, "correct": tp, "precision": round(p, 4),
            "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "phrase_found": found,
            "field_accuracy": {k: round(v / found, 4) if found else 0.0 for k, v in field_ok.items()},
            "errors": errors, "_matches": matches}


def _fmt(iv: tuple[float, float]) -> str:
    lo, hi = iv
    return f"[{int(lo)}, {'inf' if hi == math.inf else int(hi)}]"


# ---------------------------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------------------------

_RANK = {"agree": 0, "compatible": 1, "update": 2, "conflict": 2}


def pair_status(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]],
                date_a: str | None, date_b: str | None) -> str:
    """Gold status of two sources' values of one fact: the most agreeable reading of their
    values; a disagreement between reports of different, known days is an ``update``."""
    st = min((interval_status(x, y) for x in a for y in b), key=_RANK.__getitem__)
    if st == "conflict" and date_a and date_b and date_a != date_b:
        return "update"
    return st


def gold_comparisons(gold: Sequence[GoldCount]) -> dict[tuple[str, str, str, str], str]:
    """(event, fact, doc a, doc b) -> gold status, for every pair of an event's articles that
    both report a fact of the event (scope "event")."""
    values: dict[tuple[str, str], dict[str, list[tuple[float, float]]]] = defaultdict(dict)
    dates: dict[str, str | None] = {}
    for g in gold:
        dates[g.doc_id] = g.date
        if g.scope == "event" and g.fact:
            values[(g.event, g.fact)].setdefault(g.doc_id, []).append(g.interval)
    out = {}
    for (event, fact), per_doc in values.items():
        docs = sorted(per_doc)
        for i, a in enumerate(docs):
            for b in docs[i + 1:]:
                out[(event, fact, a, b)] = pair_status(per_doc[a], per_doc[b], dates[a], dates[b])
    return out


def score_comparisons(gold: Sequence[GoldCount], texts: Mapping[str, str],
                      matches: Mapping[str, list[tuple[GoldCount, CountFact | None]]]
                      ) -> dict[str, Any]:
    """Precision and recall of ``conflict`` (and ``update``) among the pairs of sources that
    :func:`compare_facts` lines up, per event, against :func:`gold_comparisons`."""
    want = gold_comparisons(gold)
    by_event: dict[str, list[str]] = defaultdict(list)
    dates: dict[str, str | None] = {}
    for g in gold:
        if g.doc_id not in by_event[g.event]:
            by_event[g.event].append(g.doc_id)
        dates[g.doc_id] = g.date
    # extracted span -> its gold row; the fact label of the event's own counts
    span_fact: dict[tuple[str, int, int], str] = {}
    labelled: set[tuple[str, int, int]] = set()
    for doc_id, pairs in matches.items():
        for g, f in pairs:
            if f is None:
                continue
            labelled.add((doc_id, f.start, f.end))
            if g.scope == "event" and g.fact:
                span_fact[(doc_id, f.start, f.end)] = g.fact
    result: dict[str, Any] = {}
    listing: list[dict[str, Any]] = []
    for status in ("conflict", "update"):
        tp = fp = 0
        found: set[tuple[str, str, str, str]] = set()
        for event, docs in sorted(by_event.items()):
            rows = compare_facts([(d, d, texts[d]) for d in docs],
                                 published={d: dates[d] for d in docs if dates[d]})
            for row in rows:
                if row.kind != "count":
                    continue
                facts_of: dict[str, set[str]] = defaultdict(set)
                judged: set[str] = set()
                for v in row.values:
                    lab = span_fact.get((v.article_id, v.start, v.end))
                    if lab:
                        facts_of[v.article_id].add(lab)
                    if (v.article_id, v.start, v.end) in labelled:
                        judged.add(v.article_id)
                for a, b, st in row.pairs:
                    # only pairs whose values on both sides were labelled can be judged
                    if st != status or a not in judged or b not in judged:
                        continue
                    x, y = sorted((a, b))
                    hits = [(event, f, x, y) for f in facts_of[a] & facts_of[b]
                            if want.get((event, f, x, y)) == status]
                    if hits:
                        tp += 1
                        found.update(hits)
                    else:
                        fp += 1
                        if status == "conflict":
                            listing.append({"event": event, "a": a, "b": b, "key": list(row.key),
                                            "values": [(v.article_id, v.text) for v in row.values
                                                       if v.article_id in (a, b)]})
        n_gold = sum(1 for s in want.values() if s == status)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = len(found) / n_gold if n_gold else 0.0
        result[status] = {"gold": n_gold, "predicted": tp + fp, "correct": tp,
                          "precision": round(p, 4), "recall": round(r, 4),
                          "missed": sorted("/".join(k) for k, s in want.items()
                                           if s == status and k not in found)}
    result["false_conflicts"] = listing
    result["gold_pairs"] = len(want)
    result["events"] = len(by_event)
    return result


# ---------------------------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------------------------

def _speaker_ok(g: GoldQuote, speaker: str | None, role: str | None) -> bool:
    if g.speaker is None:
        return speaker is None
    if speaker is not None:
        return names_match(speaker, g.speaker)
    # an organisation named as the source ("a statement from the Ministry of Defense")
    return bool(role) and _norm(g.speaker) in _norm(role or "")


def score_quotes(gold: Sequence[GoldQuote], texts: Mapping[str, str],
                 source: Path = QUOTES_GOLD) -> dict[str, Any]:
    """Speaker attribution accuracy: the share of gold quotes found with the right speaker."""
    by_doc: dict[str, list[GoldQuote]] = defaultdict(list)
    for g in gold:
        by_doc[g.doc_id].append(g)
    ok = found = 0
    errors = []
    for doc_id, gs in sorted(by_doc.items()):
        if doc_id not in texts:
            raise GoldFormatError(f"{source}:{gs[0].line}: unknown doc id {doc_id!r}")
        quotes = extract_quotes(texts[doc_id])
        for g in gs:
            if _norm(g.start) not in _norm(texts[doc_id]):
                raise GoldFormatError(f"{source}:{g.line}: quote not in the text: {g.start!r}")
            key = _norm(g.start)
            q = next((q for q in quotes if _norm(q.text).lstrip("'\" ").startswith(key)), None)
            if q is None:
                q = next((q for q in quotes if key in _norm(q.text)), None)
            if q is None:
                errors.append({"doc": doc_id, "line": g.line, "quote": g.start, "error": "not found"})
                continue
            found += 1
            if _speaker_ok(g, q.speaker, q.role):
                ok += 1
            else:
                errors.append({"doc": doc_id, "line": g.line, "quote": g.start,
                               "want": g.speaker or f"(unnamed: {g.role})",
                               "got": q.speaker or f"(unnamed: {q.role})"})
    n = len(gold)
    return {"quotes": n, "found": found, "correct": ok, "accuracy": round(ok / n, 4) if n else 0.0,
            "errors": errors}


# ---------------------------------------------------------------------------------------------
# Who did what to whom
# ---------------------------------------------------------------------------------------------

_ACTION_COLUMNS = ("event", "doc_id", "anchor", "agent", "action", "target", "agent_ref",
                   "target_ref")


@dataclass(frozen=True)
class GoldAction:
    """One hand-labelled claim (``action`` "none": an article whose region holds none)."""

    event: str
    doc_id: str
    anchor: str | None
    agents: tuple[str, ...]  # acceptable phrases ("Yvonne Hiller", "woman")
    action: str
    targets: tuple[str, ...]
    agent_ref: str | None
    target_ref: str | None
    line: int


def load_actions(path: Path = ACTIONS_GOLD) -> list[GoldAction]:
    """The gold agent-action-target claims (columns: ``eval/facts/RULES.md``)."""
    out = []
    for i, c in _rows(path, len(_ACTION_COLUMNS)):
        row = dict(zip(_ACTION_COLUMNS, c))
        none = row["action"] == "none"
        if not none and "-" in (row["agent"], row["target"], row["anchor"]):
            raise GoldFormatError(f"{path}:{i}: a claim needs its anchor, agent and target")
        out.append(GoldAction(row["event"], row["doc_id"], _opt(row["anchor"]),
                              () if none else tuple(x.strip() for x in row["agent"].split("|")),
                              row["action"],
                              () if none else tuple(x.strip() for x in row["target"].split("|")),
                              _opt(row["agent_ref"]), _opt(row["target_ref"]), i))
    return out


def action_region(text: str, n: int = 3) -> tuple[int, int] | None:
    """The labelled region of an article: its first ``n`` sentences of six or more words."""
    spans = [(a, b) for a, b in sentence_spans(text) if len(text[a:b].split()) >= 6][:n]
    return (spans[0][0], spans[-1][1]) if spans else None


def _fold_word(w: str) -> str:
    w = w.lower().strip(".,'\u2019\"")
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def phrase_ok(gold: Sequence[str], got: str) -> bool:
    """The matching rule of RULES.md: the head (last word) of a gold alternative is a word of
    the extracted phrase, or the two are one person's name (both ending in a capitalised
    word, :func:`names_match`)."""
    words = {_fold_word(w) for w in re.split(r"[\s]+", got) if w}
    for g in gold:
        parts = g.split()
        if parts and _fold_word(parts[-1]) in words:
            return True
        if parts and parts[-1][:1].isupper() and got.split() and got.split()[-1][:1].isupper():
            try:
                if names_match(g, got):
                    return True
            except Exception:  # names that cannot be keyed
                pass
    return False


def score_actions(gold: Sequence[GoldAction], texts: Mapping[str, str],
                  source: Path = ACTIONS_GOLD) -> dict[str, Any]:
    """Precision and recall of the agent-action-target claims read in the labelled regions.
    A claim is right when it lies in the sentence of a gold claim's anchor and its action,
    agent and target all match (:func:`phrase_ok`); one extracted claim matches one gold."""
    from newstrace.actions import extract_actions

    by_doc: dict[str, list[GoldAction]] = defaultdict(list)
    for g in gold:
        by_doc[g.doc_id].append(g)
    tp = n_gold = n_sys = 0
    errors: list[dict[str, Any]] = []
    matched: dict[str, list[tuple[GoldAction, Any]]] = {}
    for doc_id, gs in sorted(by_doc.items()):
        if doc_id not in texts:
            raise GoldFormatError(f"{source}:{gs[0].line}: unknown doc id {doc_id!r}")
        text = texts[doc_id]
        region = action_region(text)
        claims = [c for c in extract_actions(text)
                  if region and region[0] <= c.start < region[1]]
        n_sys += len(claims)
        used: set[int] = set()
        pairs: list[tuple[GoldAction, Any]] = []
        for g in gs:
            if g.action == "none":
                continue
            n_gold += 1
            lo, hi = _region(text, g.anchor or "", f"{source}:{g.line}")
            hit = next((i for i, c in enumerate(claims) if i not in used and lo <= c.start < hi
                        and c.action == g.action and phrase_ok(g.agents, c.agent)
                        and phrase_ok(g.targets, c.target)), None)
            if hit is None:
                near = [f"{c.agent} | {c.action} | {c.target}" for c in claims
                        if lo <= c.start < hi]
                errors.append({"doc": doc_id, "line": g.line, "error": "missed",
                               "want": f"{'/'.join(g.agents)} | {g.action} | {'/'.join(g.targets)}",
                               "got_in_sentence": near})
                continue
            used.add(hit)
            tp += 1
            pairs.append((g, claims[hit]))
        for i, c in enumerate(claims):
            if i not in used:
                errors.append({"doc": doc_id, "error": "spurious",
                               "got": f"{c.agent} | {c.action} | {c.target}",
                               "sentence": c.sentence[:160]})
        matched[doc_id] = pairs
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"gold": n_gold, "extracted": n_sys, "correct": tp, "precision": round(p, 4),
            "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "events": len({g.event for g in gold}), "articles": len(by_doc),
            "errors": errors, "_matches": matched}


def gold_action_comparisons(gold: Sequence[GoldAction]) -> dict[tuple[str, str, str, str, str], str]:
    """(event, action, target ref, doc a, doc b) -> ``agree`` when the two articles name one
    agent (ref) for it, else ``conflict``."""
    per: dict[tuple[str, str, str], dict[str, set[str]]] = defaultdict(dict)
    for g in gold:
        if g.action != "none" and g.target_ref:
            per[(g.event, g.action, g.target_ref)].setdefault(g.doc_id, set()).add(g.agent_ref or "?")
    out = {}
    for (event, action, tref), docs in per.items():
        ids = sorted(docs)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                out[(event, action, tref, a, b)] = "agree" if docs[a] & docs[b] else "conflict"
    return out


def score_action_comparisons(gold: Sequence[GoldAction], texts: Mapping[str, str],
                             matches: Mapping[str, list[tuple[GoldAction, Any]]]) -> dict[str, Any]:
    """The cross-source comparisons of the claims: each event's labelled articles go through
    :func:`compare_facts`; of the ``action`` rows' source pairs whose values on both sides are
    gold claims, how many the system calls agree / compatible / conflict, and the share of its
    ``conflict`` calls that the gold does not make. Also the gold ``agree`` pairs it lines up."""
    want = gold_action_comparisons(gold)
    span_gold: dict[tuple[str, int, int], GoldAction] = {}
    for doc_id, pairs in matches.items():
        for g, c in pairs:
            span_gold[(doc_id, c.start, c.end)] = g
    by_event: dict[str, list[str]] = defaultdict(list)
    for g in gold:
        if g.doc_id not in by_event[g.event]:
            by_event[g.event].append(g.doc_id)
    tally = {"agree": 0, "compatible": 0, "conflict": 0}
    false_conflicts: list[dict[str, Any]] = []
    unjudged_conflicts = 0
    found: set[tuple[str, str, str, str, str]] = set()
    for event, docs in sorted(by_event.items()):
        rows = compare_facts([(d, "", texts[d]) for d in docs], names=False)
        for row in rows:
            if row.kind != "action":
                continue
            gold_of: dict[str, list[GoldAction]] = defaultdict(list)
            for v in row.values:
                g = span_gold.get((v.article_id, v.start, v.end)) if v.start is not None else None
                if g is not None:
                    gold_of[v.article_id].append(g)
            for a, b, st in row.pairs:
                if st == "copy":
                    continue
                if not gold_of[a] or not gold_of[b]:
                    unjudged_conflicts += st == "conflict"
                    continue
                tally[st] = tally.get(st, 0) + 1
                x, y = sorted((a, b))
                keys = [(event, ga.action, ga.target_ref or "", x, y) for ga in gold_of[a]
                        for gb in gold_of[b] if ga.action == gb.action and ga.target_ref == gb.target_ref]
                if st == "conflict" and not any(want.get(k) == "conflict" for k in keys):
                    false_conflicts.append({"event": event, "a": a, "b": b, "key": list(row.key),
                                            "agents": [(v.article_id, v.agent) for v in row.values
                                                       if v.article_id in (a, b)]})
                if st in ("agree", "compatible"):
                    found.update(k for k in keys if want.get(k) == "agree")
    judged = sum(tally.values())
    n_agree = sum(1 for s in want.values() if s == "agree")
    return {"judged_pairs": judged, **tally,
            "false_conflicts": len(false_conflicts),
            "false_conflict_share": round(len(false_conflicts) / judged, 4) if judged else 0.0,
            "gold_conflicts": sum(1 for s in want.values() if s == "conflict"),
            "gold_agree_pairs": n_agree, "gold_agree_lined_up": len(found),
            "agree_not_lined_up": sorted("/".join(k) for k, v in want.items()
                                         if v == "agree" and k not in found),
            "unjudged_conflicts": unjudged_conflicts, "false_conflict_list": false_conflicts}


# ---------------------------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------------------------

def seeds_check(root: str | None = None, quotes_gold: Sequence[GoldQuote] | None = None
                ) -> dict[str, Any]:
    """000 vs 003: the escaped-prisoners conflict, one place for both spellings of the town,
    and each source's quotes with their speakers."""
    from newstrace import places

    seeds = {d.doc_id: d for d in datasets.seeds(root)}
    a, b = seeds[SEED_REUTERS], seeds[SEED_SPUN]
    ta, tb = normalize(a.text), normalize(b.text)
    rows = compare_facts([(a.doc_id, a.title, ta), (b.doc_id, b.title, tb)])
    # who did what to whom: both say the Taliban attacked (or entered) the one town
    attack = next((r for r in rows if r.kind == "action" and r.key[0] in ("attack", "enter")
                   and {v.article_id for v in r.values} == {a.doc_id, b.doc_id}
                   and r.status == "agree" and "Qala" in str(r.key[1])), None)
    prisoners = next((r for r in rows if r.kind == "count" and r.key[0] == "escaped"
                      and {v.article_id for v in r.values} == {a.doc_id, b.doc_id}), None)
    conflict = False
    if prisoners is not None:
        phrases = {v.article_id: v.text for v in prisoners.values}
        conflict = (prisoners.status == "conflict"
                    and _norm(phrases[a.doc_id]) == "more than 200"
                    and _norm(phrases[b.doc_id]) == "dozens")
    pa = {m.text: m.place.id for m in places.find_places(ta)}
    pb = {m.text: m.place.id for m in places.find_places(tb)}
    town_a = next((pid for name, pid in pa.items() if name.startswith("Qala")), None)
    town_b = next((pid for name, pid in pb.items() if name.startswith("Qala")), None)
    same_place = town_a is not None and town_a == town_b
    gold = [g for g in (quotes_gold or load_quotes()) if g.doc_id in seeds]
    q = score_quotes(gold, {a.doc_id: ta, b.doc_id: tb}) if gold else {"accuracy": 0.0}
    listing = {d: [{"quote": x.text[:80], "speaker": x.speaker, "role": x.role}
                   for x in extract_quotes(t)] for d, t in ((a.doc_id, ta), (b.doc_id, tb))}
    return {"passed": bool(conflict and same_place and q["accuracy"] >= 0.9 and attack is not None),
            "actions_agree": attack is not None,
            "actions_row": attack.to_dict() if attack is not None else None,
            "prisoners_conflict": conflict,
            "prisoners_row": prisoners.to_dict() if prisoners is not None else None,
            "same_place": same_place, "place_ids": [town_a, town_b],
            "quote_accuracy": q["accuracy"], "quotes": listing,
            "claims": {d: [c.to_dict() for c in _claims(t)] for d, t in ((a.doc_id, ta), (b.doc_id, tb))}}


def _claims(text: str) -> list[Any]:
    from newstrace.facts import extract_claims

    return extract_claims(text)


# ---------------------------------------------------------------------------------------------
# All of it
# ---------------------------------------------------------------------------------------------

def run(data_dir: str | None = None, out: TextIO | None = None) -> dict[str, Any]:
    """Every figure above; printed to ``out`` (None: silent) and returned."""
    say = (lambda *a: print(*a, file=out)) if out is not None else (lambda *a: None)
    result: dict[str, Any] = {}
    counts_gold = load_counts()
    quotes_gold = load_quotes()
    try:
        texts = _texts(data_dir)
    except datasets.DatasetMissing as exc:
        say(f"ECB+: skipped ({exc})")
        result["skipped"] = str(exc)
        return result
    counts = score_counts(counts_gold, texts)
    matches = counts.pop("_matches")
    result["counts"] = counts
    events = sorted({g.event for g in counts_gold})
    say(f"Counts ({len(counts_gold)} gold rows, {len(events)} ECB+ events, "
        f"{len({g.doc_id for g in counts_gold})} articles):")
    say(f"  extraction  P={counts['precision']:.3f} R={counts['recall']:.3f} F1={counts['f1']:.3f} "
        f"({counts['correct']} right of {counts['gold']} gold, {counts['extracted']} extracted); "
        f"fields right where the phrase was found: "
        + ", ".join(f"{k} {v:.3f}" for k, v in counts["field_accuracy"].items()))
    comp = score_comparisons(counts_gold, texts, matches)
    result["comparisons"] = comp
    for st in ("conflict", "update"):
        c = comp[st]
        say(f"  {st:<9}   P={c['precision']:.3f} R={c['recall']:.3f} "
            f"({c['correct']} right of {c['predicted']} called, {c['gold']} in the gold)")
    seed_texts = {}
    try:
        seed_texts = {d.doc_id: normalize(d.text) for d in datasets.seeds(data_dir)}
    except datasets.DatasetMissing as exc:
        say(f"Seeds: skipped ({exc})")
    all_texts = {**texts, **seed_texts}
    usable = [g for g in quotes_gold if g.doc_id in all_texts]
    quotes = score_quotes(usable, all_texts)
    result["quotes"] = quotes
    say(f"Quotes ({quotes['quotes']} gold): speaker accuracy {quotes['accuracy']:.3f} "
        f"({quotes['found']} found)")
    actions_gold = load_actions()
    acts = score_actions(actions_gold, texts)
    acomp = score_action_comparisons(actions_gold, texts, acts.pop("_matches"))
    result["actions"] = {**acts, "comparisons": acomp}
    say(f"Who did what to whom ({acts['gold']} gold claims, {acts['events']} ECB+ events, "
        f"{acts['articles']} articles): P={acts['precision']:.3f} R={acts['recall']:.3f} "
        f"({acts['correct']} right of {acts['extracted']} extracted)")
    say(f"  compared across sources: {acomp['judged_pairs']} pairs of gold claims: "
        f"{acomp['agree']} agree, {acomp['compatible']} compatible, {acomp['conflict']} conflict "
        f"({acomp['false_conflicts']} false: share {acomp['false_conflict_share']:.3f}); "
        f"gold agree pairs lined up {acomp['gold_agree_lined_up']}/{acomp['gold_agree_pairs']}")
    if HELDOUT_ACTIONS.exists():
        held_actions = load_actions(HELDOUT_ACTIONS)
        ha = score_actions(held_actions, texts, HELDOUT_ACTIONS)
        hac = score_action_comparisons(held_actions, texts, ha.pop("_matches"))
        result["actions"]["heldout"] = {**ha, "comparisons": hac}
        say(f"  held out ({ha['gold']} gold claims, {ha['events']} events): P={ha['precision']:.3f} "
            f"R={ha['recall']:.3f} ({ha['correct']} right of {ha['extracted']} extracted); "
            f"{hac['judged_pairs']} pairs compared, {hac['conflict']} conflict "
            f"({hac['false_conflicts']} false)")
    if seed_texts:
        seeds = seeds_check(data_dir, quotes_gold)
        result["seeds"] = seeds
        say(f"Seeds 000 vs 003: {'PASS' if seeds['passed'] else 'FAIL'} (prisoners conflict: "
            f"{seeds['prisoners_conflict']}, one place: {seeds['same_place']}, quote speakers: "
            f"{seeds['quote_accuracy']:.3f}, Taliban attack on the town agreed: {seeds['actions_agree']})")
        for doc_id, qs in seeds["quotes"].items():
            say(f"  {doc_id}:")
            for q in qs:
                who = q["speaker"] or f"(unnamed: {q['role']})" if q["role"] else q["speaker"]
                say(f"    {who or '(no speaker)'}: \"{q['quote']}\"")
    if HELDOUT_COUNTS.exists() and HELDOUT_QUOTES.exists():
        held_gold = load_counts(HELDOUT_COUNTS)
        hc = score_counts(held_gold, texts, HELDOUT_COUNTS)
        hcomp = score_comparisons(held_gold, texts, hc.pop("_matches"))
        hq = score_quotes([g for g in load_quotes(HELDOUT_QUOTES) if g.doc_id in all_texts], all_texts,
                          HELDOUT_QUOTES)
        result["heldout"] = {"counts": hc, "comparisons": hcomp, "quotes": hq}
        say(f"Held out (never used for tuning): counts P={hc['precision']:.3f} R={hc['recall']:.3f} "
            f"({hc['gold']} gold); quote speakers {hq['accuracy']:.3f} ({hq['quotes']} gold); "
            f"comparisons of {hcomp['gold_pairs']} gold pairs: conflict "
            f"{hcomp['conflict']['correct']} right of {hcomp['conflict']['predicted']} called "
            f"({hcomp['conflict']['gold']} in the gold), update {hcomp['update']['correct']} right of "
            f"{hcomp['update']['predicted']} ({hcomp['update']['gold']} in the gold)")
    targets = {"count_precision": counts["precision"], "count_recall": counts["recall"],
               "conflict_precision": comp["conflict"]["precision"],
               "conflict_recall": comp["conflict"]["recall"],
               "quote_accuracy": quotes["accuracy"]}
    result["targets_met"] = all(v >= 0.9 for v in targets.values()) and \
        result.get("seeds", {}).get("passed", False) and \
        acts["precision"] >= 0.9 and acts["recall"] >= 0.7
    say(f"Targets (>= 0.9 each, actions P >= 0.9 R >= 0.7, seeds pass): "
        f"{'met' if result['targets_met'] else 'NOT met'}")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="shared data folder (default ../shared/data or $NEWSTRACE_DATA)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", action="store_true", help="list the errors")
    args = ap.parse_args(argv)
    res = run(args.data, out=sys.stderr if args.json else sys.stdout)
    if args.errors:
        for e in res.get("actions", {}).get("errors", []):
            print("actions", json.dumps(e, ensure_ascii=False))
        for e in res.get("actions", {}).get("comparisons", {}).get("false_conflict_list", []):
            print("actions-false-conflict", json.dumps(e, ensure_ascii=False))
        for part in ("counts", "quotes"):
            for e in res.get(part, {}).get("errors", []):
                print(part, json.dumps(e, ensure_ascii=False))
            for e in res.get("heldout", {}).get(part, {}).get("errors", []):
                print("heldout-" + part, json.dumps(e, ensure_ascii=False))
        for e in res.get("comparisons", {}).get("false_conflicts", []):
            print("false-conflict", json.dumps(e, ensure_ascii=False))
        for k in res.get("comparisons", {}).get("conflict", {}).get("missed", []):
            print("missed-conflict", k)
    if args.json:
        json.dump(res, sys.stdout, indent=1, default=str)
        print()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
