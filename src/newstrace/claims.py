"""Claims about the outcome of an event: who holds the contested place, as a report words it
("under control of the Taliban" vs "recaptured"); hedged sentences are no claims.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from .text import sentence_spans

# ---------------------------------------------------------------------------------------------
# Claims about the outcome of the event
# ---------------------------------------------------------------------------------------------

#: Who holds the contested place after the event, as a report words it. "lost": the attackers
#: hold it ("under control of the Taliban", "the city briefly collapsed", "overran the town");
#: "held": the defenders kept or took it back ("regained control", "recaptured", "pushed them
#: back"). Patterns, not article wording: each names a kind of outcome sentence.
_CLAIM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((cls, re.compile(rx, re.I)) for cls, rx in (
    ("lost", r"\b(?:under\s+(?:the\s+)?(?:full\s+|complete\s+)?control\s+of|in\s+the\s+hands\s+of)\s+(?:the\s+)?"
             r"(?P<who>(?-i:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)|insurgents|militants|rebels|fighters)"),
    # a place or its defence that collapsed or fell ("the city briefly collapsed", "the
    # district fell to the Taliban"); houses that collapse in an earthquake are no outcome
    ("lost", r"\b(?:city|town|capital|district|province|base|garrison|government|defen[cs]es?|"
             r"front\s*lines?|army|forces)\s+(?:(?:has|have|had)\s+)?(?:briefly\s+|quickly\s+|"
             r"swiftly\s+|finally\s+|effectively\s+)?(?:collapsed|fallen|fell)\b"
             r"|\b(?:fell|fallen|falling)\s+(?:in)?to\s+(?:the\s+)?"
             r"(?-i:[A-Z][\w'-]*)(?!\s+(?:earthquake|quake|storm|magnitude))"),
    ("lost", r"\b(?:overran|overrun|overrunning|stormed|storming|seized|took\s+over|taken\s+over|"
             r"taking\s+over|taken\s+control\s+of|took\s+control\s+of|captured)\s+(?:the\s+|a\s+)?"
             r"(?:city|town|capital|provincial\s+capital|district|police\s+headquarters|"
             r"government\s+buildings|prison|jail|base|airport)\b"),
    ("held", r"\b(?:regained|regain|regaining|retook|retake|retaken|recaptured|recapture|"
             r"recapturing|take\s+back|took\s+back|taking\s+back)\b(?:\s+control)?"),
    ("held", r"\b(?:pushed|push|pushing|driven|drove|driving)\s+(?:them|the\s+\w+(?:\s+\w+)?)\s+"
             r"(?:back|out)\b"),
    ("held", r"\b(?:repelled|repulsed|fought\s+off|beat\s+back|beaten\s+back)\b"),
))
#: Sentences that only say what might happen are no claims of an outcome.
_HEDGE = re.compile(r"\b(?:will|would|could|might|may|if|threaten\w*|attempt\w*|try\w*|tried|"
                    r"expected|warned|fears?|plans?|(?<!managed\s)to)\s*$|\b(?:will|would|could|might|may|if)\b",
                    re.I)


#: What each claim value says, in a reader's words (the fact table and ``newstrace facts``).
READINGS = {"lost": "the attackers hold it", "held": "the defenders hold it"}


@dataclass
class Claim:
    """A claim about the outcome: ``value`` "lost" (the attackers hold the place) or "held"."""

    kind: str  # "control"
    value: str
    text: str  # the words of the claim
    start: int
    end: int
    sentence: str
    holder: str | None = None  # who holds it, where the words name them ("Taliban")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def extract_claims(text: str) -> list[Claim]:
    """Claims about who holds the contested place, in reading order (see ``_CLAIM_PATTERNS``).
    A hedged sentence ("the city will fall if ...") states no outcome and is skipped."""
    out: list[Claim] = []
    for s0, s1 in sentence_spans(text):
        sentence = text[s0:s1]
        seen: list[tuple[int, int]] = []
        for cls, rx in _CLAIM_PATTERNS:
            for m in rx.finditer(sentence):
                if any(a < m.end() and m.start() < b for a, b in seen):
                    continue
                lead = sentence[max(0, m.start() - 40):m.start()].split(",")[-1]
                if _HEDGE.search(lead) or re.match(r"\s*(?:if|unless)\b", sentence[m.end():], re.I):
                    continue
                seen.append(m.span())
                who = m.groupdict().get("who")
                out.append(Claim("control", cls, m.group(), s0 + m.start(), s0 + m.end(), sentence,
                                 holder=who))
    out.sort(key=lambda c: c.start)
    return out
