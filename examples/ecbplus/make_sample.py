"""Rebuild ecbplus_sample.jsonl from the full ECB+ conversion in ../shared/data/ecbplus.

The ECB+ texts begin with the page's URL on its first line (tokenised: "http: / / www. ...");
it is moved to the record's `url` field so that the next line, the headline, becomes the title.
Run from the repository root: python examples/ecbplus/make_sample.py
"""

import json
import re
from pathlib import Path

TOPICS = {3, 37, 41}  # a prison escape, an earthquake, an air strike: two real events each
SRC = Path("../shared/data/ecbplus/ecbplus_docs.jsonl")
DATE_LINE = re.compile(
    r"^(?=.*\d)(?:[\W\d_]|(?i:a\.?\s?m|p\.?\s?m|[A-Z][a-z]{2,8}\.?|on|published|updated|"
    r"posted|last|at|by|ET|EST|EDT|CDT|GMT|UTC|\s))+$")
OUT = Path(__file__).with_name("ecbplus_sample.jsonl")


def main() -> None:
    with SRC.open(encoding="utf-8") as fh, OUT.open("w", encoding="utf-8") as out:
        for line in fh:
            doc = json.loads(line)
            if doc["topic"] not in TOPICS:
                continue
            record = {"id": "ecbplus:" + doc["doc_id"], "topic": doc["topic"],
                      "event_cluster": doc["event_cluster"]}
            lines = doc["text"].split("\n")
            if re.match(r"^(https?|www)\b", lines[0].strip()):
                record["url"] = re.sub(r"\s+", "", lines.pop(0).strip())
            # The headline is the first line that is not a time stamp ("Dec. 7, 2009").
            for i, text in enumerate(lines[:3]):
                if not DATE_LINE.match(text.strip()):
                    record["title"] = lines.pop(i).strip()
                    break
            record["text"] = "\n".join(lines).strip()
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
