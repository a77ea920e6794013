"""A deterministic benchmark corpus built from the real texts in ``../shared/data``.

Shared by the benchmarks in ``bench/``. Every synthetic article is made of real sentences, but
no source article is reproduced: an article is a sample of sentences drawn across all the source
articles of one *pool* (an ECB+ event or topic, a MEANTIME topic in one language, the seed
articles), in random order, with every number in it replaced, grouped into paragraphs of one to
three sentences, and sometimes given a dateline, a credit line or an outlet footer. Pools are
large compared with the number of sentences one article takes, so two base articles share only
a few sentences and are not near-duplicates of each other by accident (``--check`` measures it).

Then near-duplicates are *planted*: for a seeded sample of base articles, a copy is added with
one or more of: a new headline, the last paragraph(s) cut, site boilerplate added before and/or
after, a few words edited. The (base id, copy id) pairs are the ground truth.

Records have newstrace's JSON Lines input shape: ``id``, ``title``, ``text``, ``outlet``,
``published``.

    python bench/corpus.py --n 20000 --planted 500 --seed 1 --check

The data folder is ``../shared/data`` from the repository root, or ``$NEWSTRACE_SHARED_DATA``.
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Bump when the generator changes, so cached corpus files are not reused across versions.
CORPUS_VERSION = 1

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("NEWSTRACE_SHARED_DATA", ROOT.parent / "shared" / "data"))
CACHE_DIR = ROOT / "bench" / "_data"  # git-ignored

#: Sentences per base article: realistic news lengths (about 200 to 800 words).
MIN_SENTENCES, MAX_SENTENCES = 10, 34
#: One article takes at most this share of its pool, which keeps base articles distinct.
MAX_POOL_SHARE = 1 / 6
#: An ECB+ event with fewer usable sentences than this is pooled with its whole topic.
MIN_EVENT_POOL = 150

OUTLETS = [
    "The Daily Ledger", "Metro Courier", "Northern Herald", "Valley Sentinel", "Coastal Times",
    "The Evening Post", "Capital Tribune", "Harbor Gazette", "Lakeside Chronicle",
    "Midland Observer", "Riverside Journal", "The Morning Star", "Pacific Dispatch",
    "Atlantic Record", "Summit News", "Prairie Voice", "Union Bulletin", "Citywire Today",
    "Global News Desk", "Frontier Press", "The Weekly Review", "Bay Area Monitor",
    "Highland Examiner", "Eastern Standard", "Western Telegraph", "Heartland Register",
    "Delta Reporter", "Granite State Mirror", "Sunbelt Courier", "Newsroom 24",
    "World Brief", "The Independent Voice", "Civic Times", "Market Street Daily",
    "Open Wire", "Channel Nine News", "Radio Metro Online", "The Clarion", "Beacon Journal",
    "Crossroads Herald",
]
CITIES = [
    ("LONDON", None), ("PARIS", None), ("WASHINGTON", None), ("NEW YORK", None),
    ("LOS ANGELES", None), ("BERLIN", None), ("MADRID", None), ("ROME", None),
    ("NAIROBI", "Kenya"), ("JAKARTA", "Indonesia"), ("MUMBAI", "India"), ("SYDNEY", None),
    ("TORONTO", None), ("MEXICO CITY", None), ("CAIRO", "Egypt"), ("ISTANBUL", "Turkey"),
]
AGENCIES = ["Reuters", "AP", "AFP"]
PEOPLE = [
    "Anna Berg", "Tom Okafor", "Lena Ruiz", "Mark Chen", "Priya Nair", "David Cole",
    "Sara Lindqvist", "Omar Haddad", "Julia Novak", "Kenji Sato", "Maria Rossi", "Paul Adeyemi",
]
NAV_LINES = [
    "Home | News | World | Politics | Business | Tech | Sport | Opinion",
    "Skip to main content",
    "Menu Search Subscribe Sign in",
    "Advertisement",
    "You are here: Home > News > World",
    "Breaking News | Latest | Most Read | Video",
]
FOOTER_LINES = [
    "Share this article",
    "Share on Facebook Share on Twitter Share via Email",
    "Follow us on Facebook, Twitter and Instagram for the latest updates.",
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Copyright {year} {outlet}. All rights reserved.",
    "(c) {year} {outlet}. This material may not be published, broadcast, rewritten or "
    "redistributed.",
    "Read more: {related}",
    "Related: {related}",
    "Comments are closed for this article.",
    "Report an error | Contact the newsroom | Corrections policy",
]
HEADLINE_PREFIXES = ["UPDATE 1-", "UPDATE 2-", "WRAPUP-", "EXCLUSIVE-", "BREAKING: ",
                     "Live updates: ", "Watch: "]
EDIT_SWAPS = {
    "said": "stated", "says": "states", "told": "informed", "after": "following",
    "before": "prior to", "about": "around", "also": "additionally", "but": "however",
    "big": "large", "many": "numerous", "more": "further", "help": "assist",
    "started": "began", "start": "begin", "show": "indicate", "people": "persons",
    "police": "officers", "killed": "left dead", "near": "close to", "because": "as",
}

#: Kinds of planted near-duplicate edits.
PLANT_KINDS = ("headline", "cut", "boilerplate", "edits")

_NUM = re.compile(r"\d+")
_WORD_TOKEN = re.compile(r"[a-z0-9\u0080-\U0010ffff]+")


@dataclass
class Corpus:
    """A built corpus: records in newstrace's input shape, plus the planted ground truth."""

    records: list[dict]
    truth_pairs: set[tuple[str, str]]  # (base id, copy id)
    plant_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # copy id -> kinds
    pools: dict[str, int] = field(default_factory=dict)  # pool name -> sentences

    @property
    def n_base(self) -> int:
        return len(self.records) - len(self.truth_pairs)


# --------------------------------------------------------------------------------------------
# Source text
# --------------------------------------------------------------------------------------------

def require_data(data_dir: Path = DATA_DIR) -> Path:
    """The shared data folder, or exit with a clear message when it is absent."""
    needed = [data_dir / "ecbplus" / "ecbplus_docs.jsonl",
              data_dir / "meantime" / "meantime_docs.jsonl", data_dir / "seeds"]
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        sys.exit("bench: the shared data this benchmark builds its corpus from is missing:\n  "
                 + "\n  ".join(missing)
                 + "\nIt lives in ../shared/data next to the repository (or set "
                   "$NEWSTRACE_SHARED_DATA to its location).")
    return data_dir


def _clean(line: str) -> str:
    """Undo the worst ECB+ detokenisation artefacts (`` '' quotes, spaces before punctuation)."""
    line = line.replace("``", '"').replace("''", '"')
    line = re.sub(r" (['\u2019](?:s|re|ve|ll|d|m)\b|n't\b)", r"\1", line)
    line = re.sub(r" ([,.;:!?%)\]])", r"\1", line)
    line = re.sub(r"([(\[$]) ", r"\1", line)
    line = re.sub(r'" ([^"]*?) "', r'"\1"', line)
    return re.sub(r"\s+", " ", line).strip()


def _usable(line: str) -> bool:
    words = line.split()
    if len(words) < 6 or len(words) > 80:
        return False
    low = line.lower()
    return not ("http" in low or "www." in low or ".com /" in low or low.startswith("posted"))


def load_pools(data_dir: Path = DATA_DIR) -> dict[str, list[str]]:
    """Unique usable sentences of each pool, in a deterministic order."""
    data_dir = require_data(data_dir)
    raw: dict[str, list[str]] = defaultdict(list)
    topic_of: dict[str, str] = {}
    with open(data_dir / "ecbplus" / "ecbplus_docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            key = f"ecb/{doc['event_cluster']}"
            topic_of[key] = f"ecb/topic{doc['topic']}"
            raw[key].extend(doc["text"].split("\n"))
    with open(data_dir / "meantime" / "meantime_docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            raw[f"meantime/{doc['lang']}/{doc['topic_corpus']}"].extend(doc["text"].split("\n"))
    for path in sorted((data_dir / "seeds").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        # Seeds are two paragraphs-per-line articles; split paragraphs into sentences.
        for para in lines[1:]:
            raw["seeds"].extend(re.split(r"(?<=[.!?\u201d])\s+(?=[A-Z\u201c\"])", para))

    def uniq(lines: Iterable[str]) -> list[str]:
        seen: dict[str, None] = {}
        for ln in lines:
            c = _clean(ln)
            if _usable(c):
                seen.setdefault(c, None)
        return list(seen)

    pools: dict[str, list[str]] = {}
    small: dict[str, list[str]] = defaultdict(list)
    for key in sorted(raw):
        sents = uniq(raw[key])
        if key.startswith("ecb/") and len(sents) < MIN_EVENT_POOL:
            small[topic_of[key]].extend(sents)
        else:
            pools[key] = sents
    for key in sorted(small):  # small events: pooled per topic (with the topic's other event
        sents = uniq(small[key])  # only when that one is small too)
        if len(sents) >= 60:
            pools[key] = sents
    # Seeds are short: lend them to the largest English pool rather than make a tiny pool.
    seeds = pools.pop("seeds", [])
    if seeds:
        english = [k for k in pools if k.startswith("meantime/en")]
        biggest = max(english, key=lambda k: len(pools[k]))
        pools[biggest] = pools[biggest] + seeds
    return pools


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

def _renumber(sentence: str, rng: random.Random) -> str:
    """Replace every number by another of the same number of digits (no leading zero)."""
    def repl(m: re.Match) -> str:
        d = len(m.group())
        if d == 1:
            return str(rng.randint(1, 9))
        return str(rng.randint(10 ** (d - 1), 10 ** d - 1))
    return _NUM.sub(repl, sentence)


def _headline(pool: Sequence[str], rng: random.Random) -> str:
    for _ in range(20):
        s = pool[rng.randrange(len(pool))]
        words = s.split()
        if 6 <= len(words) <= 16:
            break
    words = _renumber(s, rng).rstrip(".!?\"").split()[:14]
    return " ".join(words)


def _date(rng: random.Random) -> str:
    t = 1546300800 + rng.randrange(6 * 365 * 86400)  # 2019..2024
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _base_article(pool_name: str, pool: Sequence[str], rng: random.Random,
                  outlet: str) -> tuple[str, list[str]]:
    cap = max(6, int(len(pool) * MAX_POOL_SHARE))
    k = min(cap, int(rng.triangular(MIN_SENTENCES, MAX_SENTENCES, 16)))
    sents = [_renumber(pool[i], rng) for i in rng.sample(range(len(pool)), k)]
    paras: list[str] = []
    i = 0
    while i < len(sents):
        take = rng.choice((1, 1, 2, 2, 2, 3))
        paras.append(" ".join(sents[i:i + take]))
        i += take
    english = pool_name.startswith("ecb/") or "/en/" in pool_name
    if english and rng.random() < 0.25:
        city, country = rng.choice(CITIES)
        where = f"{city}, {country}" if country else city
        if rng.random() < 0.5:
            paras[0] = f"{where} ({rng.choice(AGENCIES)}) - {paras[0]}"
        else:
            paras[0] = f"{where} - {paras[0]}"
    if english and rng.random() < 0.15:
        a, b = rng.sample(PEOPLE, 2)
        paras.append(f"(Reporting by {a}; Editing by {b})")
    if rng.random() < 0.2:
        paras.append(f"Copyright {rng.randint(2019, 2024)} {outlet}. All rights reserved.")
    return _headline(pool, rng), paras


def _edit_words(paras: list[str], n_edits: int, rng: random.Random) -> list[str]:
    """A few word-level edits: synonym swaps, deletions, duplicated words, typos."""
    paras = list(paras)
    for _ in range(n_edits):
        p = rng.randrange(len(paras))
        words = paras[p].split(" ")
        if len(words) < 4:
            continue
        j = rng.randrange(len(words))
        w = words[j]
        op = rng.random()
        key = w.lower().strip(".,;:\"'")
        if key in EDIT_SWAPS and op < 0.6:
            words[j] = w.lower().replace(key, EDIT_SWAPS[key])
        elif op < 0.35:
            del words[j]
        elif op < 0.55:
            words.insert(j, rng.choice(("also", "reportedly", "now", "still", "then")))
        elif len(w) > 3:
            a = rng.randrange(len(w) - 1)
            words[j] = w[:a] + w[a + 1] + w[a] + w[a + 2:]  # transposed letters
        else:
            words[j] = w + "s"
        paras[p] = " ".join(words)
    return paras


def _plant(title: str, paras: list[str], kinds: Sequence[str], pool: Sequence[str],
           outlet: str, year: int, rng: random.Random) -> tuple[str, list[str]]:
    paras = list(paras)
    if "cut" in kinds and len(paras) >= 3:
        # the last paragraph, sometimes two, never more than 35% of the words
        total = sum(len(p.split()) for p in paras)
        cut = 1 if rng.random() < 0.7 else 2
        while cut > 1 and sum(len(p.split()) for p in paras[-cut:]) > 0.35 * total:
            cut -= 1
        paras = paras[:-cut]
    if "edits" in kinds:
        paras = _edit_words(paras, rng.randint(2, 8), rng)
    if "boilerplate" in kinds:
        where = rng.choice(("before", "after", "both"))
        fmt = {"outlet": outlet, "year": year, "related": _headline(pool, rng)}
        if where in ("before", "both"):
            paras = rng.sample(NAV_LINES, rng.randint(1, 3)) + paras
        if where in ("after", "both"):
            paras = paras + [ln.format(**fmt) for ln in rng.sample(FOOTER_LINES, rng.randint(2, 4))]
    if "headline" in kinds:
        if rng.random() < 0.5:
            title = rng.choice(HEADLINE_PREFIXES) + title
        else:
            title = _headline(pool, rng)
    return title, paras


def _choose_kinds(rng: random.Random) -> tuple[str, ...]:
    if rng.random() < 0.6:
        return (rng.choice(PLANT_KINDS),)
    return tuple(sorted(rng.sample(PLANT_KINDS, rng.choice((2, 2, 3)))))


def build(n: int = 20000, seed: int = 1, planted: int = 500,
          data_dir: Path = DATA_DIR) -> Corpus:
    """``n`` records in all: ``n - planted`` base articles plus ``planted`` near-copies."""
    if not 0 <= planted < n:
        raise ValueError("need 0 <= planted < n")
    rng = random.Random(seed)
    pools = load_pools(data_dir)
    names = sorted(pools)
    weights = [len(pools[k]) for k in names]  # articles per pool ~ pool size: even overlap
    n_base = n - planted
    records: list[dict] = []
    bodies: list[tuple[str, str, list[str], int]] = []  # (pool, title, paras, year)
    for i, pool_name in enumerate(rng.choices(names, weights, k=n_base)):
        outlet = rng.choice(OUTLETS)
        published = _date(rng)
        title, paras = _base_article(pool_name, pools[pool_name], rng, outlet)
        records.append({"id": f"b{i:06d}", "title": title, "text": "\n\n".join(paras),
                        "outlet": outlet, "published": published})
        bodies.append((pool_name, title, paras, int(published[:4])))
    truth: set[tuple[str, str]] = set()
    kinds_of: dict[str, tuple[str, ...]] = {}
    for j, b in enumerate(sorted(rng.sample(range(n_base), planted))):
        pool_name, title, paras, year = bodies[b]
        base = records[b]
        outlet = rng.choice([o for o in OUTLETS if o != base["outlet"]])
        kinds = _choose_kinds(rng)
        for _ in range(5):  # a copy must differ from its base (title or body)
            new_title, new_paras = _plant(title, paras, kinds, pools[pool_name], outlet, year,
                                          rng)
            if (new_title, new_paras) != (title, paras):
                break
        else:
            new_title = "UPDATE 1-" + title
        t0 = calendar.timegm(time.strptime(base["published"], "%Y-%m-%dT%H:%M:%SZ"))
        published = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                  time.gmtime(t0 + rng.randint(600, 72 * 3600)))
        cid = f"c{j:06d}"
        records.append({"id": cid, "title": new_title, "text": "\n\n".join(new_paras),
                        "outlet": outlet, "published": published})
        truth.add((base["id"], cid))
        kinds_of[cid] = kinds
    rng.shuffle(records)  # copies anywhere in the stream, sometimes before their original
    return Corpus(records, truth, kinds_of, {k: len(v) for k, v in pools.items()})


def build_corpus(n: int = 20000, seed: int = 1,
                 planted: int = 500) -> tuple[list[dict], set[tuple[str, str]]]:
    """Records (newstrace JSONL shape) and the planted (base id, copy id) pairs."""
    c = build(n, seed, planted)
    return c.records, c.truth_pairs


def write_jsonl(records: Sequence[dict], out_dir: Path, shard_size: int = 2000) -> list[Path]:
    """Write records as JSON Lines shards (one file would pass newstrace's default 10 MB
    per-file limit at this size); returns the shard paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("part-*.jsonl"):
        old.unlink()
    paths = []
    for s in range(0, len(records), shard_size):
        p = out_dir / f"part-{s // shard_size:04d}.jsonl"
        with open(p, "w", encoding="utf-8") as fh:
            for r in records[s:s + shard_size]:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        paths.append(p)
    return paths


def corpus_dir(n: int, seed: int, planted: int) -> Path:
    return CACHE_DIR / f"corpus-v{CORPUS_VERSION}-n{n}-p{planted}-s{seed}"


# --------------------------------------------------------------------------------------------
# Shingles (the same ones newstrace's fingerprints use) and exact similarity
# --------------------------------------------------------------------------------------------

def words(norm_text: str) -> list[str]:
    """Words exactly as ``newstrace.fingerprints.word_hashes`` cuts them: the text is
    lower-cased, and a word is a maximal run of ASCII letters/digits and non-ASCII characters
    (its bytes are the UTF-8 bytes >= 0x80); everything else (punctuation, apostrophes,
    hyphens, whitespace) separates words. So "don't" is two words, "e-mail" two, "café" one."""
    return _WORD_TOKEN.findall(norm_text.lower())


def shingles(norm_text: str, k: int = 5) -> list[bytes]:
    """Word k-gram shingles (words joined by one space), UTF-8, in text order, repeats kept."""
    w = words(norm_text)
    return [" ".join(w[i:i + k]).encode("utf-8") for i in range(len(w) - k + 1)]


def norm_body(record: dict) -> str:
    """The body newstrace fingerprints: ``normalize`` of the record's text."""
    from newstrace.text import normalize
    return normalize(record["text"].strip("\r\n\t "))


def jaccard_containment(a: set, b: set) -> tuple[float, float]:
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def check(corpus: Corpus, threshold: float = 0.3) -> dict:
    """Near-duplicate pairs in the corpus by exact Jaccard, found through a permissive
    datasketch LSH (threshold 0.3, so pairs at 0.5 are all but certain to be candidates)."""
    from datasketch import MinHash, MinHashLSH

    ids = [r["id"] for r in corpus.records]
    sets = [set(shingles(norm_body(r))) for r in corpus.records]
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    mhs = list(MinHash.generator((list(s) for s in sets), num_perm=128))
    with lsh.insertion_session() as session:
        for i, (s, m) in enumerate(zip(sets, mhs)):
            if s:
                session.insert(i, m, check_duplication=False)
    pairs: dict[tuple[str, str], tuple[float, float]] = {}
    for i, (s, m) in enumerate(zip(sets, mhs)):
        if not s:
            continue
        for j in lsh.query(m):
            if j > i:
                jac, cont = jaccard_containment(sets[i], sets[j])
                a, b = sorted((ids[i], ids[j]))
                pairs[(a, b)] = (jac, cont)
    truth = {tuple(sorted(p)) for p in corpus.truth_pairs}
    base_pairs = {p: v for p, v in pairs.items() if p not in truth}
    truth_sims = []
    index = {r["id"]: i for i, r in enumerate(corpus.records)}
    for a, b in truth:
        truth_sims.append(jaccard_containment(sets[index[a]], sets[index[b]]))
    return {
        "candidate_pairs": len(pairs),
        "unplanted_jaccard_ge_0.5": sum(v[0] >= 0.5 for v in base_pairs.values()),
        "unplanted_jaccard_ge_0.3": sum(v[0] >= 0.3 for v in base_pairs.values()),
        "unplanted_containment_ge_0.8": sum(v[1] >= 0.8 for v in base_pairs.values()),
        "unplanted_max_jaccard": round(max((v[0] for v in base_pairs.values()), default=0.0), 4),
        "planted_jaccard_min": round(min(s[0] for s in truth_sims), 4) if truth_sims else None,
        "planted_jaccard_lt_0.5": sum(s[0] < 0.5 for s in truth_sims),
        "planted_containment_lt_0.8": sum(s[1] < 0.8 for s in truth_sims),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20000, help="records in all (default 20000)")
    ap.add_argument("--planted", type=int, default=500, help="planted near-copies (default 500)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=None,
                    help="directory for the JSONL shards (default bench/_data/corpus-...)")
    ap.add_argument("--check", action="store_true",
                    help="measure accidental near-duplicates among the base articles")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    c = build(args.n, args.seed, args.planted)
    out = args.out or corpus_dir(args.n, args.seed, args.planted)
    paths = write_jsonl(c.records, out)
    n_words = sum(len(r["text"].split()) for r in c.records)
    print(f"{len(c.records)} records ({c.n_base} base + {len(c.truth_pairs)} planted) from "
          f"{len(c.pools)} pools, {n_words / len(c.records):.0f} words/article on average, "
          f"{len(paths)} shards in {out} ({time.perf_counter() - t:.1f} s)")
    if args.check:
        print(json.dumps(check(c), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
