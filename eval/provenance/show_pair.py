"""Print two ECB+ articles' shared word runs, for labelling a pair as reuse or independent.

Labelling aid for ``ecbplus_reuse.tsv`` (see ``RULES.md`` beside it): it shows every run of at
least ``--min`` words that both texts hold (wherever they stand in the second text, so that
reordered sentences count), in the order of the first, marking runs that lie inside quotation
marks in either text; ``--full`` prints both texts too. It judges nothing.

    python eval/provenance/show_pair.py 18_6ecb 18_12ecb [--min 6] [--full]
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict

from newstrace.evaluation import datasets
from newstrace.text import normalize

WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


def quoted_mask(tokens: list[str]) -> list[bool]:
    """True for tokens between quotation marks (straight, curly or ECB+'s `` '' pairs)."""
    mask, inside = [], False
    for t in tokens:
        if t in ('"', "``", "''", "“", "”"):
            inside = not inside if t == '"' else t in ("``", "“")
            mask.append(True)
            continue
        mask.append(inside)
    return mask


def tokens_of(text: str) -> list[str]:
    text = normalize(text).replace("``", ' " ').replace("''", ' " ')
    return WORD.findall(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", nargs="?")
    ap.add_argument("b", nargs="?")
    ap.add_argument("--pairs", metavar="FILE", help="a file of 'doc_a doc_b' lines to show in turn")
    ap.add_argument("--min", type=int, default=6, help="shortest shared run shown (words)")
    ap.add_argument("--full", action="store_true", help="print both whole texts too")
    ap.add_argument("--data", default=None)
    args = ap.parse_args(argv)
    docs = {d.doc_id: d for d in datasets.ecbplus(args.data)}
    pairs = ([tuple(line.split()[:2]) for line in open(args.pairs) if line.strip()]
             if args.pairs else [(args.a, args.b)])
    for a, b in pairs:
        show(docs[a], docs[b], args.min, args.full)
        print()
    return 0


def shared_runs(la: list[str], lb: list[str], k: int) -> list[tuple[int, int, int]]:
    """Maximal runs of at least ``k`` tokens that both hold, in the order of ``la``, wherever
    they are in ``lb`` (reordered sentences too): ``(start in la, start in lb, length)``."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in range(len(lb) - k + 1):
        index[tuple(lb[j:j + k])].append(j)
    runs = []
    i = 0
    while i <= len(la) - k:
        best_n, best_j = 0, -1
        for j in index.get(tuple(la[i:i + k]), ()):
            n = k
            while i + n < len(la) and j + n < len(lb) and la[i + n] == lb[j + n]:
                n += 1
            if n > best_n:
                best_n, best_j = n, j
        if best_n:
            runs.append((i, best_j, best_n))
            i += best_n
        else:
            i += 1
    return runs


def show(A: datasets.EcbDoc, B: datasets.EcbDoc, min_run: int, full: bool) -> None:
    """Print the shared runs of ``A`` and ``B``."""
    ta, tb = tokens_of(A.text), tokens_of(B.text)
    la, lb = [t.lower() for t in ta], [t.lower() for t in tb]
    qa, qb = quoted_mask(ta), quoted_mask(tb)
    words_a = sum(1 for t in ta if t[0].isalnum())
    shared = quoted_shared = 0
    print(f"{A.doc_id} ({words_a} words)  vs  {B.doc_id} "
          f"({sum(1 for t in tb if t[0].isalnum())} words); topic {A.topic}")
    for i, j, size in shared_runs(la, lb, min_run):
        run = ta[i:i + size]
        n = sum(1 for t in run if t[0].isalnum())
        if n < min_run:
            continue
        inq = sum(qa[i:i + size]) + sum(qb[j:j + size])
        quoted = inq >= size  # at least half of the run is quoted, counting both sides
        shared += n
        quoted_shared += n if quoted else 0
        print(f"  [{n:3d} words{' QUOTE' if quoted else ''}] {' '.join(run)}")
    print(f"shared in runs >= {min_run}: {shared} words ({shared / max(words_a, 1):.0%} of "
          f"{A.doc_id}), of which quoted {quoted_shared}")
    if full:
        print(f"\n===== {A.doc_id}\n{A.text}\n\n===== {B.doc_id}\n{B.text}")


if __name__ == "__main__":
    sys.exit(main())
