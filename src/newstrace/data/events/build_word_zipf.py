"""Build ``word_zipf.tsv.gz``: English word frequencies (Zipf scale x 10) for term weighting.

newstrace weights the words of an article by how rare they are in English at large (a fixed
background, so that an article's vector never changes as the store grows, and grouping done
article by article gives the same vectors as a batch run). Words below Zipf 2.3 are left out:
the reader treats any absent word as rare (Zipf 2.0).

    pip install wordfreq==3.1.1 && python src/newstrace/data/events/build_word_zipf.py

Data: wordfreq (Robyn Speer), CC BY-SA 4.0; the derived table keeps that licence.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent / "word_zipf.tsv.gz"
MIN_ZIPF = 2.3


def main() -> None:
    import wordfreq

    rows = []
    for w in wordfreq.top_n_list("en", 200_000):
        if not re.fullmatch(r"[a-z0-9]+(?:['\-][a-z0-9]+)*", w):
            continue
        z = wordfreq.zipf_frequency(w, "en")
        if z < MIN_ZIPF:
            break
        rows.append(f"{w}\t{round(z * 10)}")
    header = f"# word<TAB>zipf*10 from wordfreq {getattr(wordfreq, '__version__', '')} (CC BY-SA 4.0); min {MIN_ZIPF}"
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(("\n".join([header, *rows]) + "\n").encode("utf-8"))
    print(f"{len(rows)} words -> {OUT}")


if __name__ == "__main__":
    main()
