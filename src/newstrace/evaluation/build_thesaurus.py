"""Build the compact spinner thesaurus (``newstrace/data/thesaurus/wordnet_spin.tsv.gz``).

Content-farm spinners (SpinBot, SpinnerChief, "The Best Spinner") replace words by a synonym
from a thesaurus, with no regard to sense or context. To imitate them offline we ship a small
surface-form thesaurus derived from Princeton WordNet 3.0: for each common English word form
(and common two/three-word WordNet collocations) the other lemmas of *every* synset the lemma
belongs to, inflected like the source form ("fighting" -> "combating", "struggling", ...).
Mixing senses on purpose is what produces spinner errors such as "fighting" -> "preventing".

Run from the repository root (needs Debian's ``wordnet-base`` for the database files and the
``wordfreq`` package to choose which words are common)::

    apt-get install wordnet-base
    python src/newstrace/evaluation/build_thesaurus.py [--wordnet /usr/share/wordnet]

Output format (gzip, UTF-8, tab-separated, one line per source form and part of speech)::

    form <TAB> lemma <TAB> pos <TAB> replacement|replacement|...

``pos`` is the WordNet letter (n, v, a, r). ``lemma`` groups the inflected forms of one entry,
so that a train/held-out split keeps "fight", "fights" and "fought" on the same side.
Deterministic: the same inputs give byte-identical output (gzip mtime fixed at 0).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import io
import re
import sys
from pathlib import Path

from newstrace.text import STOPWORDS

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE.parent / "data" / "thesaurus"
OUT = OUT_DIR / "wordnet_spin.tsv.gz"

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
#: Source words must be at least this common (wordfreq Zipf scale: 3 = once per million words).
MIN_ZIPF_LEMMA = 3.0
#: An inflected form is listed only if it is itself in use (avoids "informations", "newses").
MIN_ZIPF_FORM = 2.5
#: Multi-word collocations: every word common, and tagged at least once in SemCor.
MIN_ZIPF_MULTI_WORD = 3.0
MAX_WORDS = 3
MAX_REPLACEMENTS = 15
#: Verbs too irregular or too grammatical to inflect reliably as replacements.
_NO_INFLECT_HEADS = frozenset({"be", "have", "do", "get", "let"})
#: Verbs whose past forms equal the base form (WordNet's exception lists omit them).
_UNCHANGED_PAST = frozenset("""
bet bid broadcast burst cast cost cut forecast hit hurt let put quit read rid set shed shut
slit split spread thrust upset wed
""".split())
_LEMMA_OK = re.compile(r"^[a-z]+(?:[-'][a-z]+)*(?: [a-z]+(?:[-'][a-z]+)*)*$")
# Function words never act as sources.
_FUNCTION = STOPWORDS | frozenset("get got getting gets let lets".split())


def read_synsets(wn: Path) -> tuple[dict[tuple[str, str], list[str]], dict[str, list[str]]]:
    """Lemma senses in WordNet order, and the lemmas of each synset.

    Returns ``(senses, members)``: ``senses[(lemma, pos)]`` lists synset keys most frequent
    sense first (the order of ``index.*``); ``members[key]`` lists the synset's lemmas.
    """
    members: dict[str, list[str]] = {}
    for pos, name in POS_FILES.items():
        with open(wn / f"data.{name}", encoding="latin-1") as fh:
            for line in fh:
                if line.startswith("  "):
                    continue  # licence header
                fields = line.split(" ")
                offset, w_cnt = fields[0], int(fields[3], 16)
                words = []
                for i in range(w_cnt):
                    word = fields[4 + 2 * i]
                    word = re.sub(r"\((a|p|ip)\)$", "", word)  # adjective position markers
                    words.append(word.replace("_", " "))
                members[f"{pos}{offset}"] = words
    senses: dict[tuple[str, str], list[str]] = {}
    for pos, name in POS_FILES.items():
        with open(wn / f"index.{name}", encoding="latin-1") as fh:
            for line in fh:
                if line.startswith("  "):
                    continue
                fields = line.split()
                lemma = fields[0].replace("_", " ")
                n_synsets, n_ptrs = int(fields[2]), int(fields[3])
                offsets = fields[6 + n_ptrs: 6 + n_ptrs + n_synsets]
                senses[(lemma, pos)] = [f"{pos}{o}" for o in offsets]
    return senses, members


def read_semcor_counts(wn: Path) -> collections.Counter[tuple[str, str]]:
    """Tag counts per (lemma, pos) from ``cntlist.rev`` (SemCor sense frequencies)."""
    pos_of = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    with open(wn / "cntlist.rev", encoding="latin-1") as fh:
        for line in fh:
            key, _, count = line.split()
            lemma, rest = key.split("%", 1)
            counts[(lemma.replace("_", " "), pos_of[rest[0]])] += int(count)
    return counts


def read_exceptions(wn: Path) -> dict[str, dict[str, list[str]]]:
    """Irregular forms per lemma: ``{"v": {"go": ["gone", "went"]}, "n": {...}}``."""
    out: dict[str, dict[str, list[str]]] = {}
    for pos, name in (("n", "noun"), ("v", "verb")):
        table: dict[str, list[str]] = collections.defaultdict(list)
        with open(wn / f"{name}.exc", encoding="latin-1") as fh:
            for line in fh:
                form, *lemmas = line.split()
                for lemma in lemmas:
                    table[lemma.replace("_", " ")].append(form.replace("_", " "))
        out[pos] = {k: sorted(v) for k, v in table.items()}
    return out


# -- inflection -----------------------------------------------------------------------------

_VOWEL = set("aeiou")


def _plural(word: str, irregular: list[str]) -> str:
    for form in irregular:
        if form != word:
            return form
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if len(word) > 1 and word[-1] == "y" and word[-2] not in _VOWEL:
        return word[:-1] + "ies"
    return word + "s"


def _verb_forms(verb: str, irregular: list[str]) -> dict[str, str]:
    """Forms of a one-word verb: VBZ, VBG, VBD, VBN (WordNet's exceptions first)."""
    ing = [f for f in irregular if f.endswith("ing")]
    past = [f for f in irregular if not f.endswith("ing") and not f.endswith("s")]
    participle = [f for f in past if f.endswith("n")]
    preterite = [f for f in past if not f.endswith("n")] or participle
    if re.search(r"(s|x|z|ch|sh|o)$", verb):
        vbz = verb + "es"
    elif len(verb) > 1 and verb[-1] == "y" and verb[-2] not in _VOWEL:
        vbz = verb[:-1] + "ies"
    else:
        vbz = verb + "s"
    if ing:
        vbg = ing[0]
    elif verb.endswith("ie"):
        vbg = verb[:-2] + "ying"
    elif verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        vbg = verb[:-1] + "ing"
    else:
        vbg = verb + "ing"
    if verb.endswith("e"):
        regular_past = verb + "d"
    elif len(verb) > 1 and verb[-1] == "y" and verb[-2] not in _VOWEL:
        regular_past = verb[:-1] + "ied"
    else:
        regular_past = verb + "ed"
    if verb in _UNCHANGED_PAST:
        regular_past = verb
    vbd = preterite[0] if preterite else regular_past
    vbn = participle[0] if participle else vbd
    return {"VBZ": vbz, "VBG": vbg, "VBD": vbd, "VBN": vbn}


def inflect(lemma: str, pos: str, tag: str, exc: dict[str, dict[str, list[str]]]) -> str | None:
    """``lemma`` in the inflection ``tag`` (head word of a phrase inflected), or None."""
    if tag == "base":
        return lemma
    words = lemma.split(" ")
    if pos == "n" and tag == "NNS":
        words[-1] = _plural(words[-1], exc["n"].get(words[-1], []))
        return " ".join(words)
    if pos == "v":
        if words[0] in _NO_INFLECT_HEADS:
            return None
        words[0] = _verb_forms(words[0], exc["v"].get(words[0], []))[tag]
        return " ".join(words)
    return None


def forms_of(lemma: str, pos: str, exc: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    """Surface form -> inflection tag, for the forms a source lemma can take in text."""
    tags = {"n": ["base", "NNS"], "v": ["base", "VBZ", "VBG", "VBD", "VBN"]}.get(pos, ["base"])
    out: dict[str, str] = {}
    for tag in tags:  # earlier tags win a shared form ("said" is VBD, not VBN)
        form = inflect(lemma, pos, tag, exc)
        if form and form not in out:
            out[form] = tag
    return out


# -- build ----------------------------------------------------------------------------------

def build(wn: Path) -> list[tuple[str, str, str, list[str]]]:
    """Rows ``(form, lemma, pos, replacements)`` sorted by form, lemma and pos."""
    from wordfreq import zipf_frequency

    senses, members = read_synsets(wn)
    semcor = read_semcor_counts(wn)
    exc = read_exceptions(wn)

    def common(word: str, threshold: float) -> bool:
        return zipf_frequency(word, "en") >= threshold

    rows: dict[tuple[str, str, str], list[str]] = {}
    for (lemma, pos), keys in senses.items():
        if not _LEMMA_OK.match(lemma) or lemma in _FUNCTION:
            continue
        words = lemma.split(" ")
        if len(words) > MAX_WORDS:
            continue
        if len(words) == 1:
            if len(lemma) < 3 or not common(lemma, MIN_ZIPF_LEMMA):
                continue
        elif not (semcor[(lemma, pos)] > 0
                  and all(common(w, MIN_ZIPF_MULTI_WORD) for w in words)
                  and not all(w in _FUNCTION for w in words)):
            continue
        synonyms: list[str] = []
        for key in keys:
            for other in members[key]:
                other_l = other.lower()
                if (other != other_l or other_l == lemma or not _LEMMA_OK.match(other_l)
                        or len(other_l.split(" ")) > MAX_WORDS or other_l in synonyms
                        or lemma in other_l.split(" ") or other_l in _FUNCTION):
                    continue  # proper names, the word itself, "fight" -> "fight back"
                synonyms.append(other_l)
        if not synonyms:
            continue
        for form, tag in forms_of(lemma, pos, exc).items():
            if tag != "base" and not common(form, MIN_ZIPF_FORM):
                continue
            if form in _FUNCTION:
                continue
            reps = []
            for syn in synonyms:
                rep = inflect(syn, pos, tag, exc)
                if rep and rep != form and rep not in reps:
                    reps.append(rep)
                if len(reps) >= MAX_REPLACEMENTS:
                    break
            if reps:
                rows[(form, lemma, pos)] = reps
    return [(f, l, p, r) for (f, l, p), r in sorted(rows.items())]


def write(rows: list[tuple[str, str, str, list[str]]], out: Path) -> int:
    """Write the gzip TSV deterministically; return its size in bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{f}\t{l}\t{p}\t{'|'.join(r)}\n" for f, l, p, r in rows)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    out.write_bytes(buf.getvalue())
    return len(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"),
                        help="folder holding WordNet 3.0's data.*, index.*, *.exc, cntlist.rev")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not (args.wordnet / "data.noun").exists():
        print(f"WordNet database not found in {args.wordnet} (apt-get install wordnet-base)",
              file=sys.stderr)
        return 1
    rows = build(args.wordnet)
    size = write(rows, args.out)
    by_pos = collections.Counter(p for _, _, p, _ in rows)
    multi = sum(1 for f, *_ in rows if " " in f)
    lemmas = len({(l, p) for _, l, p, _ in rows})
    print(f"{len(rows)} rows ({lemmas} lemmas, {multi} multi-word forms; "
          f"{dict(sorted(by_pos.items()))}) -> {args.out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
