"""Quotations of an article and their speakers: quoted text (curly, straight or tokenised
``'' ... ''`` marks) and who said it ("...," he said / said NAME / NAME, ROLE, said / ROLE NAME
told Reuters ... "..." / "the doctor" back to the doctor the text named / an organisation's
statement).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from .text import sentence_spans

# ---------------------------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------------------------


@dataclass
class Quote:
    """A quotation with its speaker (when the text names one)."""

    text: str  # the words inside the quotation marks
    start: int  # span of the quoted words (inside the marks)
    end: int
    speaker: str | None  # the person named ("Husamuddin Shams"), None when unnamed
    role: str | None  # "Provincial governor", "a special forces commander", "the official"
    how: str | None  # after | before | pronoun | continued | None (no attribution found)
    evidence: str = ""  # the attribution words ("he said", "said the official")
    evidence_start: int | None = None
    evidence_end: int | None = None

    @property
    def speaker_key(self) -> str | None:
        return speaker_key(self.speaker, self.role)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["speaker_key"] = self.speaker_key
        return d


_SPEECH = ("said says stated states told tells added adds asked wrote writes explained explains "
           "declared insisted noted notes informed informs warned warns claimed claims confirmed "
           "confirms announced announces described describes stressed stresses thundered urged "
           "urges argued argues admitted admits acknowledged recalled recalls cried shouted "
           "replied replies responded continued testified commented remarked maintained "
           "reported tweeted quipped conceded vowed pledged predicted emphasised emphasized "
           "agreed observed complained recounted saying telling adding fumed posted blasted "
           "lamented cautioned countered assured boasted exclaimed demanded charged wondered "
           "scoffed retorted").split()
_SPEECH_RE = r"(?:" + "|".join(_SPEECH) + r")"
#: Quotation marks: curly, straight (one line), and the doubled single quotes of tokenised
#: text ("`` ... ''", which normalisation turns into "'' ... ''"; may run over a few lines).
_QUOTE_RE = re.compile(
    r"\u201c([^\u201c\u201d]{2,}?)\u201d|(?<![\w])\"([^\"\n]{2,}?)\""
    # '' ... '' on one line, or running on to the next line when that one does not open a quote
    r"|''[ \t]*((?:[^'\n]|'(?!'))(?:[^'\n]|'(?!'))+?(?:\n(?![ \t]*'')(?:[^'\n]|'(?!'))+?)?)[ \t]*''"
    # an opening '' whose quote the line leaves unclosed
    r"|(?m:^''[ \t]+((?=[A-Z\[])(?:[^'\n]|'(?!'))+)$)")
_ROLE_WORDS = frozenset((
    "official officials spokesman spokeswoman spokesperson governor commander minister head chief "
    "member officer police policeman doctor physician nurse witness resident source sources "
    "director president leader adviser advisor analyst expert mayor general colonel captain "
    "lieutenant sergeant deputy secretary ambassador envoy lawyer attorney judge prosecutor "
    "worker activist teacher student farmer driver survivor correspondent reporter editor "
    "manager chairman chairwoman coordinator representative lawmaker senator councillor councilman councilwoman councilor "
    "councilor elder resident villager shopkeeper professor photographer constable sheriff "
    "detective trooper inspector superintendent secretary-general commissioner chancellor"
).split())
_NAME_WORD = (r"(?:[A-Z][a-z'\u2019]+(?:-[A-Za-z][a-z'\u2019]+)*|[A-Z][.\u2024]|Mr[.\u2024]|Mrs[.\u2024]|"
              r"Ms[.\u2024]|Dr[.\u2024]|(?:Mr|Mrs|Ms|Dr|al|bin|ibn|el|de|van|von)\b)")
_NAME_RE = re.compile(rf"(?<![\w'\u2019-])(?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD}))*")
_NOT_NAME = frozenset(("The A An He She They It We I This That These Those But And Earlier Later "
                       "Officials Reports Video Videos On In At After Before Despite However "
                       "Meanwhile Last Other Some Many Police Taliban").split())
_TITLE_WORDS = frozenset("president prime vice gov sen rep gen col capt lt sgt maj adm provincial "
                        "deputy regional foreign defence defense interior".split())


def speaker_key(name: str | None, role: str | None = None) -> str | None:
    """A key for matching a speaker across sources: the surname, else the role's head word."""
    if name:
        parts = [p for p in re.split(r"[\s-]+", name) if p and p.rstrip(".") not in
                 ("Mr", "Mrs", "Ms", "Dr")]
        return parts[-1].lower().strip(".'\u2019") if parts else None
    if role:
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", role)]
        heads = [w for w in words if w in _ROLE_WORDS]
        return "role:" + (heads[-1] if heads else words[-1]) if words else None
    return None


#: Words of a capitalised run that make it a time, not a name.
_TIME_WORDS = frozenset(
    "january february march april june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday".split())


def _clean_name(name: str) -> str | None:
    toks = name.split()
    while toks and toks[0] in _NOT_NAME:
        toks = toks[1:]
    if not toks:
        return None
    titles = [i for i, t in enumerate(toks) if t.lower().strip(".") in _ROLE_WORDS | _TITLE_WORDS]
    if titles and titles[-1] < len(toks) - 1:
        toks = toks[titles[-1] + 1:]  # "United Nations Secretary-General Ban Ki-moon"
    while toks and toks[0].lower().strip(".") in _ROLE_WORDS | _TITLE_WORDS:
        toks = toks[1:]
    while toks and toks[-1] in ("al", "bin", "ibn", "el", "de", "van", "von"):
        toks = toks[:-1]
    if not toks or toks[-1].lower() in _ROLE_WORDS:
        return None
    if any(t.lower().strip(".,") in _TIME_WORDS for t in toks):
        return None  # "Early November", "Last Tuesday": a time, not a person
    return " ".join(toks)


def _split_role_name(seg: str) -> tuple[str | None, str | None]:
    """("Provincial governor Husamuddin Shams") -> (name, role); ("the official") -> (None, role)."""
    seg = seg.strip()
    if not seg:
        return None, None
    words = seg.split()
    # trailing capitalised run = the name
    k = len(words)
    while k > 0 and re.fullmatch(_NAME_WORD + r"[,]?", words[k - 1]) \
            and words[k - 1].lower() not in _ROLE_WORDS:
        k -= 1
    name = _clean_name(" ".join(words[k:])) if k < len(words) else None
    rest = words[:k]
    role = None
    if rest:
        # the role: the trailing words up to a clause boundary, ending in a role word
        r = len(rest)
        lo = r
        while lo > 0 and len(rest) - lo < 8 and rest[lo - 1].lower() not in (
                "that", "as", "while", "when", "but", "and"):
            lo -= 1
        cand = rest[lo:r]
        if any(re.sub(r"['\u2019]s$", "", w.lower().strip(",")).strip("'\u2019") in _ROLE_WORDS
               for w in cand):
            # start the role at a determiner or an adjective run ending in the role word
            role = " ".join(cand).strip(" ,")
    if name is None and role is None:
        return None, None
    if name is not None and len(name.split()) > 5:
        return None, role
    return name, role


def _is_org(name: str) -> bool:
    return bool(re.search(rf"\b(?:{_ORG_WORDS})\b", name))


def _subject_before(pre: str) -> tuple[str | None, str | None, str | None]:
    """The speaker written right before a speech verb: (name, role, pronoun).

    "he" / "NAME, ROLE," / "ROLE NAME" / "NAME, ROLE" (no comma before the verb) / "NAME, ROLE,
    ROLE2," (the name opens the subject) / "Doctor NAME of the unit".
    """
    pre = pre.rstrip()
    m = re.search(r"\b(he|she|they)$", pre, re.I)
    if m:
        return None, None, m.group(1).lower()
    clause = re.split(r"[;:]|(?<![A-Z])(?<!\bM[rs])(?<!\bMrs)(?<!\bDr)\.\s", pre)[-1]
    segs = [x.strip() for x in clause.rstrip(",").split(",")]
    if len(segs) >= 2:
        parsed = [_split_role_name(x) for x in segs]
        names = [(i, n) for i, (n, _r) in enumerate(parsed) if n and not _is_org(n)]
        # the subject's own name: the last segment's, else the one the role segments follow
        if names:
            i, name = names[-1] if names[-1][0] >= len(segs) - 2 else names[0]
            if len(names) > 1 and names[0][0] < i and all(_looks_role(x) for x in segs[names[0][0] + 1:]):
                i, name = names[0]
            roles = [segs[j] for j in range(i + 1, len(segs)) if _looks_role(segs[j])]
            role = roles[0] if roles else (parsed[i][1] or (segs[i - 1] if i and _looks_role(segs[i - 1])
                                                          else None))
            if i >= len(segs) - 3:
                return name, role, None
    seg = segs[-1]
    seg = re.sub(r"^(.*?\b[A-Z][\w'-]+)\s+(?:of|from|at|with)\s+the\s+[a-z].*$", r"\1", seg)
    name, role = _split_role_name(seg)
    if name and _is_org(name):
        name = None
    if role and not name:
        role = _role_tail(role)
    return name, role, None


def _looks_role(seg: str) -> bool:
    words = seg.split()
    return 0 < len(words) <= 9 and any(
        re.sub(r"['\u2019]s$", "", w.lower().strip(",")).strip("'\u2019") in _ROLE_WORDS for w in words)


def _role_tail(role: str) -> str:
    """'a ministry of defence official' kept; 'the city the official' -> from the last determiner."""
    words = role.split()
    dets = [i for i, w in enumerate(words) if w.lower() in ("a", "an", "the")]
    return " ".join(words[dets[-1]:]) if dets else role


_ABBREV_DOT = re.compile(r"\b(Mrs|Mr|Ms|Dr|St|Gen|Col|Capt|Lt|Sgt|Gov|Sen|Rep|[A-Z])\.")
_DOT = "\u2024"  # stands in for an abbreviation's full stop while an attribution is parsed


def _subject_after(post: str) -> tuple[str | None, str | None, str | None, int] | None:
    """Attribution right after a closing quote: ', he said' / ', said NAME, ROLE' / ' NAME said'."""
    hidden = _ABBREV_DOT.sub(lambda m: m.group(1) + _DOT, post)
    res = _subject_after_plain(hidden)
    if res is None:
        return None
    name, role, pron, used = res
    back = (lambda x: x.replace(_DOT, ".") if x else x)
    return back(name), back(role), pron, used


def _subject_after_plain(post: str) -> tuple[str | None, str | None, str | None, int] | None:
    m = re.match(rf"\s*,?\s*({_SPEECH_RE})\s+(.{{1,120}}?)(?=(?<!\b[A-Z])[.;]\s|[.;]?$|\s+(?:in|on|at|to|"
                 rf"after|as|because|while|when|adding|who|over|during|from)\b)", post)
    if m:
        tail = m.group(2)
        p = re.match(r"(he|she|they)\b", tail, re.I)
        if p:
            return None, None, p.group(1).lower(), m.end()
        parts = [x.strip() for x in tail.split(",") if x.strip()]
        name, role = _split_role_name(parts[0]) if parts else (None, None)
        if name is None and parts and re.match(r"(?:the|a|an)\b", parts[0], re.I):
            role = parts[0]
        if len(parts) > 1 and name and _looks_role(parts[1]):
            role = parts[1]
        if name or role:
            return name, role, None, m.end()
    m = re.match(rf"\s*,?\s*([^\"\u201c\u201d.;]{{1,120}}?)\s+({_SPEECH_RE})\b", post)
    if m:
        name, role, pron = _subject_before(m.group(1))
        if name or role or pron:
            return name, role, pron, m.end()
    return None


#: Organisations that speak through statements ("a statement from the Ministry of Defense").
_ORG_WORDS = ("Ministry|Department|Agency|Office|Army|Police|Council|Government|Commission|Committee|"
              "Party|Union|Forces|Organisation|Organization|Administration|Navy|Authority|Service|"
              "Bureau|Court|Parliament|Assembly|Corps|Directorate|Embassy|Federation|Association|"
              "Institute|Mission|Command|Coalition")
_ORG_RE = re.compile(rf"\b((?:[A-Z][\w'-]*\s+)*(?:{_ORG_WORDS})(?:\s+(?:of|for)\s+(?:the\s+)?"
                     rf"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)?)")
_PLACE_AFTER = re.compile(r"\s+(?:district|province|city|camp|village|street|county|region|town)\b",
                          re.I)


def _organisation(seg: str) -> str | None:
    """The organisation a subject names when no person does ("a statement from the Ministry
    of Defense on Wednesday" -> "Ministry of Defense")."""
    found = [m.group(1) for m in _ORG_RE.finditer(seg)]
    return found[-1] if found else None


def _full_names(text: str, end: int) -> list[tuple[int, str]]:
    """People named with two or more name words before ``end`` (possessives included:
    "Prime Minister George Papandreou's plans"), organisations left out."""
    out = []
    for m in _NAME_RE.finditer(text, 0, end):
        name = _clean_name(re.sub(r"['\u2019]s$", "", m.group()))
        if name and len(name.split()) >= 2 and not _is_org(name) and not _PLACE_AFTER.match(text, m.end()):
            out.append((m.start(), name))
    return out


def _resolve_name(name: str, full: list[tuple[int, str]]) -> str:
    """A name written short ("Mr. Ban", "Papandreou") as the text wrote it in full before."""
    words = [w for w in name.split() if w.rstrip(".\u2024") not in ("Mr", "Mrs", "Ms", "Dr")]
    if len(words) != 1:
        return name
    for _pos, f in reversed(full):
        if words[0] in f.split() or words[0] in re.split(r"[\s-]+", f):
            return f
    return name


def _person_mentions(text: str, start: int, end: int,
                     names: list[tuple[int, str]] | None = None) -> list[tuple[int, str, str | None]]:
    """People named in ``text[start:end]``: (position, name, role) of the subjects of speech
    verbs and of person-like names (two or more name words, or a surname written in full
    before); places ("in Bener Meriah district"), possessives ("Israel's Government"),
    organisations and names after a preposition left out."""
    seg = text[start:end]
    full = [x for x in names if x[0] < end] if names is not None else _full_names(text, end)
    surnames = {f.split()[-1] for _p, f in full}
    out: list[tuple[int, str, str | None]] = []
    for m in re.finditer(rf"\b{_SPEECH_RE}\b", seg):
        name, role, _ = _subject_before(seg[: m.start()])
        if name and not _is_org(name):
            out.append((m.start(), _resolve_name(name, full), role))
    for m in _NAME_RE.finditer(seg):
        name = _clean_name(m.group())
        if not name or re.search(r"['\u2019]s$", name) or _is_org(name):
            continue
        words = name.split()
        if len(words) < 2 and words[-1] not in surnames:
            continue
        before = seg[max(0, m.start() - 6):m.start()].lower()
        if re.search(r"\b(?:in|at|from|to|of|into|near)\s+$", before) or _PLACE_AFTER.match(seg, m.end()):
            continue
        out.append((m.start(), _resolve_name(name, full), None))
    out.sort(key=lambda x: x[0])
    return out


def _role_referent(text: str, role: str, end: int) -> str | None:
    """The person a definite role refers back to ("added the doctor" -> "Ema Suryani, a doctor
    at a health clinic"); None when the text named nobody in that role (an anonymous
    official stays anonymous)."""
    heads = [w for w in re.findall(r"[A-Za-z-]+", role.lower()) if w in _ROLE_WORDS]
    if not heads or not re.match(r"\s*the\b", role, re.I):
        return None
    head = heads[-1]
    seg = text[:end]
    best: tuple[int, str] | None = None
    pats = (rf"({_NAME_RE.pattern}),\s+(?:a|an|the)\s+[^,.;\"]{{0,60}}?\b{re.escape(head)}\b",
            rf"\b{re.escape(head)}\s+((?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD}))+)")
    for pat in pats:
        for m in re.finditer(pat, seg, re.I if pat is pats[1] else 0):
            name = _clean_name(m.group(1))
            if name and len(name.split()) >= 1 and name[0].isupper() and (best is None or m.start() > best[0]):
                best = (m.start(), name)
    return best[1] if best else None


def _attribution_later(post: str) -> tuple[str | None, str | None, str | None, int] | None:
    """ "X" because of its "Y" and because it "Z," EU Commissioner Olli Rehn said: the
    attribution after the last quotation of the sentence."""
    closes = [m.end() for m in re.finditer(r"[\"\u201d]|''", post)]
    if len(closes) < 2:
        return None
    res = _subject_after(post[closes[-1]:])
    if res is None:
        return None
    name, role, pron, used = res
    return name, role, pron, closes[-1] + used


def extract_quotes(text: str) -> list[Quote]:
    """Quotations of ``text`` with their speakers, in reading order.

    The speaker is read after the quote (", he said", ", said NAME, ROLE", " NAME said"),
    before it ("NAME, ROLE, said: ..."), or after the sentence's last quotation; a pronoun
    goes to the person named last before it, a definite role ("the doctor") to the person the
    text gave that role, an unattributed quote right after another to the same speaker, and a
    statement of an organisation to the organisation.
    """
    sents = sentence_spans(text)
    if not sents:
        return []
    quotes: list[Quote] = []
    all_names = _full_names(text, len(text))  # the people the text names in full, in order

    def sent_index(pos: int) -> int:
        for i, (a, b) in enumerate(sents):
            if a <= pos < b or (i + 1 < len(sents) and pos < sents[i + 1][0]):
                return i
        return len(sents) - 1

    for m in _QUOTE_RE.finditer(text):
        g = next(i for i in (1, 2, 3, 4) if m.group(i) is not None)
        qa, qb = m.start(g), m.end(g)
        inner = text[qa:qb].strip()
        if not re.search(r"[A-Za-z]", inner):
            continue
        si, sj = sent_index(m.start()), sent_index(max(m.end() - 1, m.start()))
        s_start, s_end = sents[si][0], sents[sj][1]
        pre = text[s_start:m.start()]
        post = text[m.end():s_end]
        name = role = pron = how = None
        ev: tuple[int | None, int | None] = (None, None)
        res = _subject_after(post) or _attribution_later(post)
        if res:
            name, role, pron, used = res
            how = "after"
            ev = (m.end(), m.end() + used)
        elif re.search(rf"\b{_SPEECH_RE}\b", pre):
            verbs = list(re.finditer(rf"\b{_SPEECH_RE}\b", pre))
            vm = verbs[-1]
            if vm.group() in ("adding", "saying", "telling") and len(verbs) > 1:
                vm = verbs[-2]  # "..., the official said, adding that ...": the official's
            subject = pre[: vm.start()]
            name, role, pron = _subject_before(subject)
            if not (name or role or pron):
                # "..., said Mirwais, a police officer ... that "..." (verb first)
                after = re.match(r"\s+([^,.;]+)(?:,\s*([^,.;]+),)?", pre[vm.end():])
                if after:
                    name, role = _split_role_name(after.group(1))
            if not (name or role or pron):
                org = _organisation(subject.split(",")[-1])
                if org:
                    name, role = org, subject.split(",")[-1].strip() or None
            if not (name or role or pron):
                # "Barack Obama, broke his silence by saying he was "deeply concerned""
                people = _person_mentions(text, s_start, s_start + vm.start(), all_names)
                if people:
                    name, role = people[0][1], people[0][2]
            if name or role or pron:
                how = "before"
                cut = [pre.rfind(x, 0, vm.start()) for x in (name, role, pron) if x]
                cut = [c for c in cut if c >= 0]
                ev = (s_start + (min(cut) if cut else 0), s_start + vm.end())
        if pron:
            lo = sents[max(0, si - 3)][0]
            people = _person_mentions(text, lo, m.start(), all_names)
            prev = quotes[-1] if quotes else None
            if prev is not None and (prev.speaker or prev.role) and prev.start >= lo and \
                    (not people or lo + people[-1][0] < prev.start):
                # "..." said a senior officer. "..." he added: nobody named since the last
                # quotation, so the pronoun is its speaker
                name, role, how = prev.speaker, role or prev.role, "pronoun"
            elif people:
                name, role = people[-1][1], role or people[-1][2]
                how = "pronoun"
        elif name is None and role:
            ref = _role_referent(text, role, m.start())
            if ref:
                name, how = ref, "role"
        if not (name or role or pron) and len(inner.split()) <= 8 and pre.strip():
            # a few words quoted inside a sentence about their speaker ("Ban Ki-moon spoke out
            # against Israel's "totally unacceptable" attacks")
            people = _person_mentions(text, s_start, m.start(), all_names)
            if people:
                name, role, how = people[0][1], people[0][2], "subject"
        if not (name or role) and quotes:
            prev = quotes[-1]
            between = text[prev.end:m.start()]
            same_para = "\n\n" not in between and len(between) < 200
            if same_para and (prev.speaker or prev.role):
                name, role, how = prev.speaker, prev.role, "continued"
                ev = (prev.evidence_start, prev.evidence_end)
        if name and not _is_org(name):
            name = _resolve_name(name, [x for x in all_names if x[0] < m.start()])
        evidence = text[ev[0]:ev[1]].strip() if ev[0] is not None and ev[1] is not None else ""
        quotes.append(Quote(text=inner, start=qa, end=qb, speaker=name, role=role,
                            how=how if (name or role) else None, evidence=evidence,
                            evidence_start=ev[0], evidence_end=ev[1]))
    return quotes
