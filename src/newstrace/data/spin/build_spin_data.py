"""Build the reference data of ``newstrace.spin`` (this folder): lexicon and news bigrams.

Run from the repository root (needs the shared data in ``../shared/data`` or
``$NEWSTRACE_DATA``, and ``wordfreq``)::

    python src/newstrace/data/spin/build_spin_data.py           # lexicon.tsv.gz, bigrams.tsv.gz
    python src/newstrace/data/spin/build_spin_data.py --model   # then train model.json
    python src/newstrace/data/spin/build_spin_data.py --lm-model --lm-restore  # model_lm.json (extra: lm)

Outputs (deterministic: the same inputs give byte-identical files):

* ``lexicon.tsv.gz``: ``spun<TAB>original<TAB>source<TAB>weight``, one line per pair: the words
  a spinner writes and the words they stood for. Sources: ``thesaurus`` (the WordNet spinner
  thesaurus of ``data/thesaurus``, both directions: synonyms are symmetric) and ``tortured``
  (the Problematic Paper Screener's tortured phrases, whole, and the word substitutions inside
  them, aligned word by word). The evaluation removes the thesaurus's *held-out* half
  (``thesaurus_split``) from the detector's lexicon before spinning test data with it, so that
  test spins use substitutions detection never saw.
* ``bigrams.tsv.gz``: word and word-pair counts from reference news (part A of ECB+ and
  MEANTIME English; part B is never read) plus the word pairs seen at least twice in WordNet
  3.0's glosses and examples (general English): the collocations that tell "the country" from
  "the nation".
* ``model.json``: the calibrated logistic models (``newstrace.evaluation.spin_eval.train``).
"""

from __future__ import annotations

import argparse
import collections
import difflib
import gzip
import io
import math
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # src/, when run as a script from a checkout

#: Share of the thesaurus' lemma groups held out for evaluation (hidden from the detector there).
HELD_OUT_FRACTION = 0.5
SPLIT_SEED = 0
#: Originals kept per spun form (most frequent first).
MAX_ORIGINALS = 12
_PHRASE_OK = re.compile(r"^[a-z]+(?:[- ][a-z]+)*$")


def _write_gz(path: Path, lines: list[str]) -> int:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write("".join(lines).encode("utf-8"))
    path.write_bytes(buf.getvalue())
    return len(buf.getvalue())


def thesaurus_split():
    from newstrace.evaluation.synthetic import load_lexicon, split_lexicon

    return split_lexicon(load_lexicon(), HELD_OUT_FRACTION, seed=SPLIT_SEED)


def tortured_pairs(root=None) -> collections.Counter[tuple[str, str]]:
    """(correct, tortured) counts: whole phrases, and the word substitutions inside them."""
    from newstrace.evaluation.datasets import tortured_phrases

    out: collections.Counter[tuple[str, str]] = collections.Counter()
    for tp in tortured_phrases(root):
        tortured = " ".join(tp.tortured.strip().lower().split())
        correct = re.sub(r"\s*\([^)]*\)\s*", " ", tp.correct.strip().lower())
        correct = " ".join(correct.split())
        if not (_PHRASE_OK.match(tortured) and _PHRASE_OK.match(correct)) or tortured == correct:
            continue
        a, b = correct.split(), tortured.split()
        if len(a) <= 5 and len(b) <= 5 and len(b) >= 2:
            out[(correct, tortured)] += 1
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3:
                out[(" ".join(a[i1:i2]), " ".join(b[j1:j2]))] += 1
    return out


def build_lexicon(root=None) -> list[tuple[str, str, str, float]]:
    from wordfreq import zipf_frequency

    from newstrace.evaluation.synthetic import load_lexicon

    pairs: dict[tuple[str, str], tuple[str, float]] = {}
    for original, spun in load_lexicon().pairs():
        for o, s in ((original, spun), (spun, original)):
            if o != s:
                pairs.setdefault((s, o), ("thesaurus", 1.0))
    for (correct, tortured), n in tortured_pairs(root).items():
        if correct == tortured:
            continue
        prev = pairs.get((tortured, correct))
        pairs[(tortured, correct)] = ("tortured", float(n) + (prev[1] if prev else 0.0))
    by_spun: dict[str, list[tuple[float, str, str, float]]] = collections.defaultdict(list)
    for (spun, original), (source, weight) in pairs.items():
        z = zipf_frequency(original, "en")
        by_spun[spun].append((-(z + (1.0 if source == "tortured" else 0.0)), original, source,
                              weight))
    rows = []
    for spun in sorted(by_spun):
        for _, original, source, weight in sorted(by_spun[spun])[:MAX_ORIGINALS]:
            rows.append((spun, original, source, weight))
    return rows


def gloss_bigrams(wordnet: Path) -> collections.Counter[str]:
    """Word pairs of WordNet 3.0's glosses and example sentences (general English, 1.5M words)."""
    from newstrace.spin import tokens_lower

    counts: collections.Counter[str] = collections.Counter()
    for name in ("noun", "verb", "adj", "adv"):
        with open(wordnet / f"data.{name}", encoding="latin-1") as fh:
            for line in fh:
                if line.startswith("  ") or " | " not in line:
                    continue
                for part in re.split(r";\s*", line.split(" | ", 1)[1]):
                    toks = tokens_lower(part.strip().strip('"'))
                    counts.update(f"{a} {b}" for a, b in zip(toks, toks[1:]))
    return counts


def build_bigrams(root=None, wordnet: Path | None = None) -> tuple[list[tuple[str, int]], int]:
    """Counts of single words and adjacent word pairs in part A of the reference news, plus
    the word pairs seen at least twice in WordNet's glosses (when ``wordnet`` is given)."""
    from newstrace.evaluation.spin_eval import reference_docs
    from newstrace.spin import tokens_lower

    counts: collections.Counter[str] = collections.Counter()
    n_docs = 0
    for doc_id, text in reference_docs(root, part="A"):
        n_docs += 1
        for line in text.split("\n"):
            toks = tokens_lower(line)
            counts.update(toks)
            counts.update(f"{a} {b}" for a, b in zip(toks, toks[1:]))
    if wordnet is not None and (wordnet / "data.noun").exists():
        for gram, n in gloss_bigrams(wordnet).items():
            if n >= 2:
                counts[gram] += n
    return sorted(counts.items()), n_docs


def find_general_bigrams() -> Path | None:
    """SymSpell's English bigram list inside an installed ``symspellpy`` (build time only)."""
    try:
        import symspellpy
    except ImportError:
        return None
    path = Path(symspellpy.__file__).resolve().parent / "frequency_bigramdictionary_en_243_342.txt"
    return path if path.exists() else None


def build_general_bigrams(path: Path) -> list[tuple[str, int]]:
    """General-English word pairs (SymSpell's 243,342 commonest bigrams, counted in Google
    Books Ngrams): ``(w1 w2, level)`` with ``level = round(log2(count / 6.4 M))`` (0..10), the
    fit of a word to its neighbours beyond the small reference news. Pairs with a digit or
    non-letter are left out."""
    rows: dict[str, int] = {}
    ok = re.compile(r"^[a-z]+(?:['-][a-z]+)* [a-z]+(?:['-][a-z]+)*$")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 3:
                continue
            gram = f"{parts[0].lower()} {parts[1].lower()}"
            if not ok.match(gram):
                continue
            level = max(0, min(10, round(math.log2(int(parts[2]) / 6.4e6))))
            rows[gram] = max(rows.get(gram, 0), level)
    return sorted(rows.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=None, help="shared data folder")
    parser.add_argument("--model", action="store_true", help="(re)train model.json only")
    parser.add_argument("--lm-model", action="store_true",
                        help="(re)train model_lm.json only: the language-model layer (extra: lm; "
                             "needs the shared data)")
    parser.add_argument("--lm-restore", action="store_true",
                        help="--lm-model with the restoration stage (a second pass of the model "
                             "with the likely originals restored; twice the time)")
    parser.add_argument("--lm-docs", type=int, default=0,
                        help="part A documents for --lm-model (default 0: all 554; about 16 "
                             "minutes with bfloat16 on two cores)")
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"),
                        help="WordNet 3.0 database (Debian's wordnet-base), for gloss bigrams")
    parser.add_argument("--general", type=Path, default=None,
                        help="SymSpell's frequency_bigramdictionary_en_243_342.txt (default: "
                             "the one inside an installed symspellpy)")
    args = parser.parse_args(argv)
    if args.model:
        from newstrace.evaluation.spin_eval import train

        train(args.root, out=HERE / "model.json")
        return 0
    if args.lm_model:
        from newstrace.evaluation.spin_lm_eval import train_lm

        train_lm(args.lm_docs, out=HERE / "model_lm.json", root=args.root,
                 restore=args.lm_restore)
        return 0
    rows = build_lexicon(args.root)
    size = _write_gz(HERE / "lexicon.tsv.gz",
                     [f"{s}\t{o}\t{src}\t{w:g}\n" for s, o, src, w in rows])
    by_source = collections.Counter(src for _, _, src, _ in rows)
    print(f"lexicon: {len(rows)} pairs, {len({r[0] for r in rows})} spun forms "
          f"{dict(by_source)} ({size / 1e6:.2f} MB)")
    grams, n_docs = build_bigrams(args.root, args.wordnet)
    size = _write_gz(HERE / "bigrams.tsv.gz", [f"{g}\t{n}\n" for g, n in grams])
    print(f"bigrams: {len(grams)} entries from {n_docs} documents ({size / 1e6:.2f} MB)")
    general = args.general or find_general_bigrams()
    if general is None:
        print("general_bigrams.tsv.gz not rebuilt: pip install symspellpy, or --general PATH")
    else:
        rows = build_general_bigrams(general)
        size = _write_gz(HERE / "general_bigrams.tsv.gz", [f"{g}\t{n}\n" for g, n in rows])
        print(f"general bigrams: {len(rows)} pairs ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
