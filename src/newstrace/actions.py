"""Who did what to whom: agent-action-target claims of an article, with their evidence.

"Taliban fighters attacked Qala-e-Naw", "a school attacked by Israeli forces", "Police
apprehended Jackson", "Tara Reid has checked herself into rehab" become
:class:`ActionClaim` records: the agent, the action class (``data/facts/actions.tsv``: attack,
shoot, kill, injure, capture, charge, sentence, convict, dismiss, appoint, enter, defeat, rob,
rescue, acquire), the target, and the character spans of each in the text.

Rules and patterns over the sentences, no parser (the default install has no spaCy):

* active clauses "AGENT [aux/adverbs] VERB TARGET" (also relative clauses, "the man who killed
  four people", and verbs joined by "and": "shot and killed");
* passives "TARGET was VERBed ... by AGENT" and reduced ones ("a school attacked by Israeli
  forces"); a passive without "by" names no agent and is no claim;
* participles and gerunds ("..., killing one man", "after stopping Hasim Rahman", "accused of
  stabbing his mother") take the agent of their clause (the last agent of the sentence, else its
  subject, else the noun phrase before "accused of");
* noun phrases "X's ATTACK on Y", "the killing by X of Y", "the police shooting of Y",
  "under attack by X".

An agent is a name (a capitalised run that is no ordinary sentence-initial word), a noun phrase
headed by a word for people or forces ("police", "two plainclothes police officers", "armed
robbers") or a side's weapon ("Israeli bombs"); pronouns, events and devices are no agents
("a bomb explosion killed ..."). Hedged or negated actions ("will buy", "prevented pirates from
attacking", "thwarted an attack by", "did not attack") are no claims.

:func:`agent_key` and :func:`target_key` read what a claim's agent and target refer to, so that
:mod:`newstrace.facts` can line claims up across sources: a country ("Israeli forces", "Israel"
-> IL, via the gazetteer's nationality words), a place (a gazetteer entry; "the city" or "a
provincial capital" is the article's main town), a name (compared with
:func:`newstrace.names.names_match`), a kind of actor (police, forces, militants, ...).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .text import sentence_spans

__all__ = ["ActionClaim", "AgentKey", "agent_key", "agents_relation", "extract_actions",
           "lexicon", "main_place", "target_key"]

DATA = Path(__file__).resolve().parent / "data" / "facts" / "actions.tsv"

# ---------------------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    cls: str
    lemma: str
    forms: dict[str, str]  # surface -> "lemma" | "s" | "past" | "pp" | "past/pp" | "ing"
    after: tuple[str, ...]  # literal words, "X", "_", "[self]", "..."
    person: bool


@dataclass(frozen=True)
class _Lexicon:
    by_form: dict[str, tuple[_Cue, ...]]  # surface form -> cues, longest pattern first
    nouns: dict[str, str]  # action noun -> class


def _forms(spec: str) -> tuple[str, dict[str, str]]:
    parts = spec.split("/")
    lemma = parts[0]
    if lemma.endswith("e"):
        past, ing = lemma + "d", lemma[:-1] + "ing"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        past, ing = lemma[:-1] + "ied", lemma + "ing"
    else:
        past, ing = lemma + "ed", lemma + "ing"
    s = lemma + ("es" if re.search(r"(?:sh|ch|s|x|z)$", lemma) else "s")
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        s = lemma[:-1] + "ies"
    past = parts[1] if len(parts) > 1 else past
    pp = parts[2] if len(parts) > 2 else past
    ing = parts[3] if len(parts) > 3 else ing
    out = {lemma: "lemma", s: "s", ing: "ing"}
    if past == pp:
        out[past] = "past/pp" if past != lemma else "lemma/past/pp"
    else:
        out[past] = "past"
        out[pp] = "pp"
    return lemma, out


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The verbs and nouns of ``data/facts/actions.tsv``."""
    by_form: dict[str, list[_Cue]] = {}
    nouns: dict[str, str] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0] == "noun":
            for w in cols[2].split(","):
                nouns[w.strip()] = cols[1]
            continue
        cls, cue, obj = cols
        words = cue.split()
        lemma, forms = _forms(words[0])
        c = _Cue(cls, lemma, forms, tuple(words[1:]), obj == "person")
        for f in forms:
            by_form.setdefault(f, []).append(c)
    return _Lexicon({f: tuple(sorted(cs, key=lambda c: -len(c.after))) for f, cs in by_form.items()},
                    nouns)


# ---------------------------------------------------------------------------------------------
# Word classes
# ---------------------------------------------------------------------------------------------

#: Heads of an agent that is not a name: people, groups, forces (-> the family compared).
ACTOR_NOUNS: dict[str, str] = {}
for _fam, _words in {
    "police": "police policeman policemen officer officers cop cops detective detectives "
              "constable constables patrol trooper troopers deputies deputy sheriff carabinieri",
    "forces": "troops soldier soldiers forces force army navy military marines marine warship "
              "warships destroyer frigate helicopter helicopters aircraft jets warplanes "
              "warplane tanks tank commandos commando airforce ship",
    "militants": "militant militants fighters fighter gunmen gunman insurgents insurgent rebels "
                 "rebel guerrillas guerrilla jihadists extremists terrorists terrorist bombers "
                 "bomber attackers attacker assailant assailants pirates pirate raiders brigands",
    "criminals": "robbers robber thieves thief burglars burglar gang kidnappers kidnapper "
                 "hijackers hijacker killer killers shooter suspect suspects",
    "crowd": "protesters protester demonstrators demonstrator rioters rioter students youths "
             "mob crowd",
    "authorities": "authorities government officials official prosecutors prosecutor "
                   "judge jury court",
    "team": "team club side",
    "person": "man men woman women boy girl teenager teen person people employee worker "
              "husband wife father mother son daughter driver actress actor singer star "
              "player champion fighter boxer coach manager owner resident residents "
              "neighbour neighbor landlord tenant student member members",
    "company": "company firm group maker giant",
}.items():
    for _w in _words.split():
        ACTOR_NOUNS.setdefault(_w, _fam)
#: Families that are opposite sides: one acting where the other is said to have acted is a
#: different account of who did it.
_STATE = {"police", "forces", "authorities"}
_NON_STATE = {"militants", "criminals", "crowd"}
#: A side's weapons ("Israeli bombs"): an agent when a side is named with them.
WEAPON_NOUNS = frozenset("bombs bomb shells shell missiles missile rockets rocket strike strikes "
                         "airstrike airstrikes artillery drones drone mortars mortar fire "
                         "gunfire shelling".split())
#: Words of a place that stand for the article's town.
GENERIC_PLACES = frozenset("city town capital village district province area".split())
#: Words for people as a target ("four people", "one man", "two co-workers").
PEOPLE_TARGETS = frozenset("people persons person man men woman women civilians residents "
                           "palestinians children boy girl teenager workers co-workers "
                           "coworkers employees victims others".split())
_DETS = frozenset("the a an his her their its our my your this these those that".split())
_POSS = frozenset("his her their its our my your".split())
_PRONOUNS = frozenset("he she they it him her them we i you us himself herself themselves "
                      "itself someone somebody anyone nobody".split())
_SELF = frozenset("himself herself themselves itself myself".split())
_AUX_BE = frozenset("was were been is are be being".split())
#: Verbs that take a participle as a passive does ("remain occupied by").
_LIKE_BE = frozenset("remain remains remained stay stays stayed".split())
_AUX_HAVE = frozenset("has have had having".split())
_ADVERBS = frozenset("allegedly reportedly apparently also then later finally easily "
                     "eventually quickly swiftly already just still again briefly "
                     "subsequently immediately first last night yesterday today recently "
                     "critically seriously badly initially officially effectively".split())
_HEDGES = frozenset("will would could may might can cannot shall should must not never n't "
                    "to if unless attempting attempted attempt trying tried try plans planned "
                    "plan threatened threatening threatens threaten wants wanted want "
                    "hoping hoped failed refused denied deny denies".split())
#: Verbs that block a noun of action: the attack did not happen, or not as an attack.
_BLOCKERS = frozenset("prevented prevent prevents thwarted thwart thwarts foiled foil foils "
                      "repulsed repulse repelled repel averted avert stopped stop denied deny "
                      "denies condemned condemn condemns planned plan feared fear".split())
_NOUN_HEDGE = frozenset("forthcoming planned proposed possible potential attempted failed "
                        "threatened expected rumoured rumored alleged".split())
_PREP_STOP = frozenset("off of in on at by for from with without into onto over under after before "
                       "during since until near about against between through across around "
                       "as than via per toward towards upon within while when where because "
                       "and or but nor so yet if though although whether who whom whose which "
                       "that what said says say told tells according including".split())
_TIME_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday "
                        "tonight overnight morning afternoon evening night week weekend month "
                        "year january february march april may june july august september "
                        "october november december jan feb mar apr jun jul aug sep sept oct nov "
                        "dec".split())
_SPEECH = frozenset("said says say told tells telling saying reported reports claimed claims "
                    "confirmed confirms announced announces added adds stated states believe "
                    "believes believed alleged allege allege alleges accused charged suspected "
                    "thinks think know knew insist insisted".split())
#: Verbs of saying: a clause after one has its own subject.
_SAYING = frozenset("said says say told tells reported reports claimed claims confirmed "
                    "announced announces stated states added".split())
_ING_OK = frozenset("building king thing morning evening wing ring spring during something".split())
_ED_MODIFIERS = frozenset("armed alleged suspected masked unidentified unnamed hooded wanted "
                          "retired injured wounded detained jailed disguised accused convicted "
                          "elected appointed suspended talented sluggish".split())
_SUBORDINATORS = frozenset("as when while after before because since if that who which whom "
                           "whose where until unless though although".split())
_INTRO = frozenset("after before when while as although though because since despite on in at "
                   "during according earlier later meanwhile but and yet".split())

_TOKEN = re.compile(r"\$?\w+(?:[-.]\w+|['\u2019](?!s\b)\w+)*|['\u2019]s\b|[^\w\s]")


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    low: str
    cap: bool


def _tokens(text: str, offset: int = 0) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group()
        if t.lower() in ("'s", "\u2019s"):
            t = "'s"
        out.append(_Tok(t, offset + m.start(), offset + m.end(), t.lower(), t[:1].isupper()))
    return out


_NO_CUE = _Cue("", "", {}, (), False)


@lru_cache(maxsize=1)
def _event_words() -> frozenset[str]:
    """The one-word cues of the kinds of happening (``data/events/event_kinds.tsv``: quake,
    explosion, fire, riot, ...) that are no word for an actor."""
    try:
        from .actors import kind_lexicon

        return frozenset(w for w in kind_lexicon().words if w not in ACTOR_NOUNS)
    except Exception:  # no lexicon in this install
        return frozenset()


@lru_cache(maxsize=1)
def _zipf() -> dict[str, float]:
    try:
        from .actors import word_zipf

        return word_zipf()
    except Exception:  # no frequency list in this install: every capitalised word may be a name
        return {}


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    """Nationality word or country name (lower case) -> country code."""
    try:
        from .places import get_gazetteer, normalize_name

        gz = get_gazetteer()
        out = dict(gz.demonyms)
        for p in gz:
            if p.kind == "country":
                out.setdefault(normalize_name(p.name), p.country_code)
        return out
    except Exception:  # no gazetteer in this install: sides are not read
        return {}


@lru_cache(maxsize=1)
def _nationality_words() -> frozenset[str]:
    """The nationality adjectives alone ("israeli", "afghan"), not the country names."""
    try:
        from .places import get_gazetteer

        return frozenset(get_gazetteer().demonyms)
    except Exception:  # no gazetteer
        return frozenset()


def _side_of(words: Iterable[str]) -> str | None:
    dem = _demonyms()
    ws = [w for w in words]
    for n in (3, 2, 1):
        for i in range(len(ws) - n + 1):
            cc = dem.get(" ".join(ws[i:i + n]).lower())
            if cc:
                return cc
    return None


def _is_word(t: _Tok) -> bool:
    return bool(re.match(r"\$?\w", t.text))


def _np_word(t: _Tok) -> bool:
    """A token that may sit inside a noun phrase."""
    return _is_word(t) and t.low not in _PREP_STOP and t.low not in _AUX_BE and \
        t.low not in _AUX_HAVE and t.low not in _HEDGES and t.low not in _SPEECH


# ---------------------------------------------------------------------------------------------
# The records
# ---------------------------------------------------------------------------------------------


@dataclass
class ActionClaim:
    """One claim: ``agent`` did ``action`` (a class of ``actions.tsv``) to ``target``.

    ``start``/``end`` span the claim's words (agent to target), ``sentence`` holds them;
    ``agent_span``/``target_span`` locate the two in the text. ``voice``: active, passive,
    participle (the agent is its clause's) or nominal ("Israel's assault on Gaza"). A claim of
    the headline has ``in_title`` set and its spans index the title."""

    action: str
    verb: str
    agent: str
    target: str
    start: int
    end: int
    sentence: str
    agent_span: tuple[int, int]
    target_span: tuple[int, int]
    voice: str
    in_title: bool = False

    @property
    def text(self) -> str:
        return f"{self.agent} {self.verb} {self.target}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["agent_span"], d["target_span"] = list(self.agent_span), list(self.target_span)
        return d


# ---------------------------------------------------------------------------------------------
# Noun phrases
# ---------------------------------------------------------------------------------------------


class _Sentence:
    def __init__(self, toks: list[_Tok], title: bool):
        self.t = toks
        self.title = title

    def word(self, i: int) -> str:
        return self.t[i].low if 0 <= i < len(self.t) else ""

    def np_before(self, j: int, agent: bool = True) -> tuple[int, int] | None:
        """A noun phrase ending at token j-1, read backwards; with a first conjunct before
        "and" ("The American Pie actress and velvet-rope fixture")."""
        np = self._np_before(j, agent)
        if np and np[0] >= 2 and self.t[np[0] - 1].low == "and":
            first = self._np_before(np[0] - 1, agent)
            if first:
                return (first[0], np[1])
        return np

    def _np_before(self, j: int, agent: bool = True) -> tuple[int, int] | None:
        t = self.t
        i = j
        while i > 0:
            k = i - 1
            tok = t[k]
            if tok.text == "-" and i < j and k > 0 and _np_word(t[k - 1]) and t[k - 1].end == tok.start - 1 \
                    and not t[k - 1].low.endswith("ing"):
                i = k  # "co - workers" (detokenised hyphen)
                continue
            if tok.text == "'s" and i < j:
                i = k
                continue
            if not _np_word(tok):
                break
            if tok.low in _DETS and tok.low not in _POSS:
                i = k
                break
            if tok.low in _PRONOUNS and tok.low not in _POSS:
                break
            if tok.low in _TIME_WORDS and i == j:
                break
            if not tok.cap and not self.title and i < j:
                # lowercase words before the head: adjectives, nouns, numbers
                if tok.low.endswith("ed") and tok.low not in _ED_MODIFIERS:
                    break
                if tok.low.endswith("ing") and tok.low not in _ING_OK and not agent:
                    break
                if tok.low in _ADVERBS:
                    break
            if not tok.cap and i == j and (tok.low.endswith("ing") and tok.low not in _ING_OK
                                           or tok.low in _ADVERBS):
                break
            if tok.low in _POSS:
                i = k
                break
            i = k
            if j - i >= 8:
                break
        return (i, j) if i < j else None

    def np_after(self, i: int) -> tuple[int, int] | None:
        """:meth:`_np_after`, with a second conjunct after "and" that is no verb phrase ("23
        Somali and Yemeni sea brigands")."""
        np = self._np_after(i)
        if np and self.word(np[1]) == "and" and np[1] + 1 < len(self.t):
            nxt = self.t[np[1] + 1]
            if _np_word(nxt) and nxt.low not in lexicon().by_form and not nxt.low.endswith(("ed", "ing", "ly")) \
                    and nxt.low not in _PRONOUNS:
                more = self._np_after(np[1] + 1)
                if more and (nxt.cap or nxt.low in _DETS or re.match(r"\d", nxt.text) or "-" in nxt.text
                             or nxt.low in _NUMBER_WORDS or self.t[more[1] - 1].low in PEOPLE_TARGETS
                             or self.t[more[1] - 1].low in ACTOR_NOUNS):
                    return (np[0], more[1])
        return np

    def _np_after(self, i: int) -> tuple[int, int] | None:
        """A noun phrase starting at token i (with an "of" phrase after a number, a part or a
        generic place: "23 of the raiders", "the Paris branch of ...", "the city of X")."""
        t = self.t
        j = i
        while j < len(t) and j - i < 9:
            tok = t[j]
            if tok.text == "-" and j > i and j + 1 < len(t) and _np_word(t[j + 1]) and \
                    tok.end == t[j + 1].start - 1 and not t[j + 1].low.endswith("ing"):
                j += 1
                continue
            if tok.text == "'s" and j > i:
                j += 1
                continue
            if tok.text in ("'", "\u2019") and j > i and t[j - 1].low.endswith("s") and j + 1 < len(t) \
                    and _np_word(t[j + 1]):
                j += 1  # "his former employers ' office party"
                continue
            if not _np_word(tok):
                if tok.low in _DETS and j == i:
                    j += 1
                    continue
                break
            if tok.low in _PRONOUNS and tok.low not in _POSS:
                break
            if j == i and (tok.low in _ADVERBS or (tok.low.endswith("ly") and not tok.cap)):
                break
            if j > i and not tok.cap and not self.title and t[j - 1].low not in _DETS and \
                    "past" in lexicon().by_form.get(tok.low, (_NO_CUE,))[0].forms.get(tok.low, ""):
                break  # a verb after the phrase ("a 5.6 magnitude earthquake hit ...")
            if tok.low in _TIME_WORDS and j > i and not self.title and t[j - 1].text != "-" \
                    and not (j + 1 < len(t) and t[j + 1].text == "-"):
                break
            if j > i and not tok.cap and (tok.low.endswith("ing") and tok.low not in _ING_OK):
                break
            if j > i and not tok.cap and tok.low.endswith("ed") and tok.low not in _ED_MODIFIERS \
                    and t[j - 1].low not in _DETS:
                break  # a verb after the phrase ("Klitschko defended ...")
            if j > i and (tok.low in _ADVERBS or (tok.low.endswith("ly") and not tok.cap and len(tok.low) > 4)):
                break
            if j > i and re.fullmatch(r"\d[\d,.]*", tok.text) and not re.match(r"\d", t[j - 1].text) and \
                    t[j - 1].text != "-" and t[j - 1].low not in _DETS:
                break  # "two co-workers two years ago"
            if j > i and tok.low in _NUMBER_WORDS and t[j - 1].low not in _DETS and \
                    not re.match(r"\d", t[j - 1].text) and t[j - 1].low not in _NUMBER_WORDS:
                break
            j += 1
        while j > i and t[j - 1].low in _DETS | {"'s", "-"}:
            j -= 1
        if j <= i or all(t[k].low in _DETS for k in range(i, j)):
            return None
        head = t[j - 1].low
        if self.word(j) == "of" and (re.match(r"\d", head) or head in _PART_WORDS or head in GENERIC_PLACES
                                     or head in _NUMBER_WORDS):
            more = self._np_after(j + 1)
            if more:
                return (i, more[1])
        return (i, j)

    def text(self, span: tuple[int, int], raw: str, base: int) -> str:
        a, b = span
        return raw[self.t[a].start - base:self.t[b - 1].end - base]

    def head(self, span: tuple[int, int]) -> _Tok:
        return self.t[span[1] - 1]

    def core_head(self, span: tuple[int, int]) -> _Tok:
        """The head before an "of" phrase ("the city of Qala-e-Naw": city)."""
        for k in range(span[0], span[1]):
            if self.t[k].low == "of" and k > span[0]:
                return self.t[k - 1]
        return self.t[span[1] - 1]

    def is_actor(self, span: tuple[int, int], sent_start: bool) -> bool:
        """A name, a word for people or forces, or a side's weapon ("A jury in eastern
        Oklahoma": the words before the preposition)."""
        for k in range(span[0] + 1, span[1] - 1):
            if self.t[k].low in ("in", "of", "on", "near", "from", "at", "off"):
                return self.is_actor((span[0], k), sent_start)
        toks = self.t[span[0]:span[1]]
        for k in range(span[0] + 1, span[1] - 1):
            if self.t[k].low == "and" and self.is_actor((span[0], k), sent_start):
                return True
        head = toks[-1]
        if head.low in _PRONOUNS or head.low in _DETS:
            return False
        if head.low in ACTOR_NOUNS or head.low.rstrip("s") in ACTOR_NOUNS:
            return True
        if head.low in WEAPON_NOUNS:
            return _side_of(x.text for x in toks) is not None
        if head.low in _event_words():
            return False  # "a 5.6 magnitude earthquake", "the blast": events are no actors
        if not head.cap or not re.match(r"[A-Za-z]", head.text):
            return False
        if head.low in _TIME_WORDS or head.low in ACTOR_NOUNS:
            return False
        caps = [x for x in toks if x.cap and x.low not in _DETS]
        if len(caps) >= 2 or _side_of(x.text for x in toks):
            return True
        first = span[0] == 0 or sent_start
        if self.title or first:
            # a lone capitalised word at the start of a sentence is a name only if rare
            z = _zipf().get(head.low, 0.0)
            return z < 4.3
        return True


#: What one "enters" that is no place ("entered a period", "entered a plea").
_NOT_ENTERED = frozenset("period phase stage era plea pleas race market talks contest competition "
                         "agreement deal year season day week round game match negotiations "
                         "politics service history".split())
_PART_WORDS = frozenset("branch one some part rest front members member leader leaders head "
                        "headquarters office offices parts".split())
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve dozen "
                          "dozens hundreds several".split())


# ---------------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------------


def extract_actions(text: str, title: str = "") -> list[ActionClaim]:
    """Agent-action-target claims of ``text`` (and of its headline ``title``, flagged
    ``in_title``), in reading order. See the module docstring for what is read."""
    out: list[ActionClaim] = []
    if title.strip():
        out.extend(_sentence_claims(title, 0, len(title), title=True))
    for s0, s1 in sentence_spans(text):
        out.extend(_sentence_claims(text, s0, s1, title=False))
    return out


def _title_case(raw: str) -> bool:
    """A headline in title case: every word of four letters or more capitalised (but a few
    function words)."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", raw) if len(w) > 3
             and w.lower() not in ("with", "from", "into", "over", "after", "than", "that", "this",
                                   "amid", "onto", "upon")]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


def _sentence_claims(raw: str, s0: int, s1: int, title: bool) -> list[ActionClaim]:
    seg = raw[s0:s1]
    toks = _tokens(seg, s0)
    if not toks:
        return []
    headline = title  # the article's headline (not a title-cased line of its body)
    title = title or _title_case(seg)
    S = _Sentence(toks, title)
    lex = lexicon()
    claims: list[ActionClaim] = []
    used: set[int] = set()

    def add(cue_cls: str, vi: int, vj: int, agent: tuple[int, int], target: tuple[int, int],
            voice: str) -> None:
        a0 = min(toks[agent[0]].start, toks[vi].start, toks[target[0]].start)
        a1 = max(toks[agent[1] - 1].end, toks[vj - 1].end, toks[target[1] - 1].end)
        claims.append(ActionClaim(
            cue_cls, raw[toks[vi].start:toks[vj - 1].end], S.text(agent, raw, 0),
            S.text(target, raw, 0), a0, a1, seg,
            (toks[agent[0]].start, toks[agent[1] - 1].end),
            (toks[target[0]].start, toks[target[1] - 1].end), voice, headline))
        used.add(vi)

    subject = _subject(S)
    for vi, tok in enumerate(toks):
        cues = lex.by_form.get(tok.low)
        if not cues or (tok.cap and not title and vi > 0 and not _title_case(seg)):
            continue
        if vi > 0 and toks[vi - 1].low in _DETS and toks[vi - 1].low not in _POSS | {"that"}:
            continue  # "the injured reserve list", "the attack": not a verb
        if tok.low.endswith("s") and "s" in {c.forms.get(tok.low) for c in cues} and (
                (vi + 1 < len(toks) and (toks[vi + 1].low.endswith(("ed", "ing")) or any(
                    "past" in c.forms.get(toks[vi + 1].low, "") for c in lex.by_form.get(toks[vi + 1].low, ()))))
                or (vi > 0 and not toks[vi - 1].cap and toks[vi - 1].low.endswith("ed"))):
            # "Israeli tank shells struck the school", "Web attacks increasing", "dropped
            # bombs Thursday": a noun, not the verb
            continue
        for cue in cues:
            got = _match_cue(S, vi, cue)
            if got is None:
                continue
            vj, target, form = got
            if not cue.after and S.word(vi + 1) in ("up", "out", "off", "down", "back", "away"):
                continue  # "struck up a conversation", "beat back": another verb
            cls = cue.cls
            if cls == "shoot" and S.word(vi - 1) == "fatally":
                cls = "kill"
            res = _agent_for(S, vi, form, title, claims, subject)
            if res is None:
                break
            kind, agent, tgt_override = res
            if kind == "passive":
                # the target sits before the verb; the agent after "by"
                target = tgt_override
            if target is None or agent is None:
                break
            if cue.person and not _personish(S, target):
                continue
            if cls == "enter" and S.core_head(target).low in _NOT_ENTERED:
                break
            if not S.is_actor(agent, _starts_clause(S, agent[0])):
                break
            if S.head(target).low in _PRONOUNS:
                break
            add(cls, vi, vj, agent, target, kind)
            break
    claims.extend(_nominal_claims(S, raw, seg, headline))
    claims.sort(key=lambda c: c.start)
    return claims


def _starts_clause(S: _Sentence, i: int) -> bool:
    return i == 0 or S.t[i - 1].text in ("\"", "'", "\u201c", "(", ":", ";", "``", "''") or \
        (i == 1 and S.t[0].text in ("\"", "'", "\u201c", "``"))


def _personish(S: _Sentence, span: tuple[int, int]) -> bool:
    """A target that is a person, team or force: a name, or a word for one."""
    head = S.core_head(span)
    if head.low in ACTOR_NOUNS or head.low.rstrip("s") in ACTOR_NOUNS:
        return True
    return head.cap and head.low not in _TIME_WORDS and bool(re.match(r"[A-Za-z]", head.text))


def _match_cue(S: _Sentence, vi: int, cue: _Cue) -> tuple[int, tuple[int, int] | None, str] | None:
    """Where the cue's words end, the target span (None for a passive: it comes before) and
    the verb form."""
    form = cue.forms.get(S.t[vi].low, "")
    j = vi + 1
    target: tuple[int, int] | None = None
    after = list(cue.after)
    k = 0
    while k < len(after):
        w = after[k]
        if w == "[self]":
            if S.word(j) in _SELF:
                j += 1
        elif w == "X":
            np = S.np_after(j)
            if np is None:
                return None
            target = np
            j = np[1]
        elif w == "_":
            np = S.np_after(j)
            if np is None:
                return None
            j = np[1]
        elif w == "...":
            nxt = after[k + 1]
            for m in range(j, min(len(S.t), j + 16)):
                if S.word(m) == nxt:
                    j = m
                    break
                if S.t[m].text in (";", ":") or S.word(m) in ("but", "with"):
                    return None  # "stole the show on Tuesday with victories from ..."
            else:
                return None
        else:
            if S.word(j) != w:
                return None
            j += 1
        k += 1
    vj = j
    if target is None:
        if _passive_context(S, vi, form) or _reduced_passive(S, vi, form):
            return vj, None, form
        np = S.np_after(j)
        if np is None:
            return None
        target = np
    return vj, target, form


def _passive_context(S: _Sentence, vi: int, form: str) -> bool:
    if "pp" not in form:
        return False
    k = vi - 1
    while k >= 0 and (S.word(k) in _ADVERBS or S.word(k) == "also" or S.word(k).endswith("ly")):
        k -= 1
    return S.word(k) in _AUX_BE or S.word(k) in _LIKE_BE or S.word(k) == "got"


def _reduced_passive(S: _Sentence, vi: int, form: str) -> bool:
    """"a school attacked by Israeli forces", "arrested in a sweep by Italian police"."""
    if "pp" not in form or S.word(vi - 1) in _AUX_HAVE:
        return False
    nxt = S.word(vi + 1)
    if nxt not in ("by", "in", "on", "at", "during", "early", "late", "last", "yesterday", "overnight"):
        return False
    return _by_agent(S, vi + 1) is not None


def _by_agent(S: _Sentence, j: int) -> tuple[int, int] | None:
    """The actor after "by" within 9 tokens of ``j`` (no punctuation between)."""
    for m in range(j, min(len(S.t), j + 10)):
        tok = S.t[m]
        if tok.text in (",", ";", ":", ".", "\"", "(", ")"):
            return None
        if tok.low == "by":
            np = S.np_after(m + 1)
            if np and S.is_actor(np, False):
                return np
            return None
    return None


def _hedged(S: _Sentence, lo: int, vi: int) -> bool:
    """A modal, a negation, "to", or an attempt between the agent (ending at ``lo``) and the
    verb; or a condition opening the clause ("If the Saints beat Seattle, ...")."""
    for k in range(max(lo, vi - 4), vi):
        if S.word(k) in _HEDGES:
            return True
    return _conditional(S, vi)


def _conditional(S: _Sentence, vi: int) -> bool:
    """Whether the clause of the token at ``vi`` opens with "if", "unless" or "whether"."""
    k = vi - 1
    while k >= 0 and S.t[k].text not in (",", ";", ":") and vi - k < 25:
        if S.word(k) in ("if", "unless", "whether"):
            return True
        k -= 1
    return False


def _skip_back(S: _Sentence, k: int) -> int:
    """From token k backwards over adverbs, auxiliaries, a parenthesis and up to two
    appositives (", 61,", ", who had been fired from his job,"); returns the index one past
    the agent's last token."""
    t = S.t
    skipped = False
    for _ in range(4):
        while k > 0 and (S.word(k - 1) in _ADVERBS or S.word(k - 1) in _AUX_HAVE or
                         (S.word(k - 1).endswith("ly") and not t[k - 1].cap and len(S.word(k - 1)) > 4)):
            k -= 1
        if k > 0 and t[k - 1].text == ")":
            m = k - 2
            while m >= 0 and t[m].text != "(" and k - m < 16:
                m -= 1
            if m >= 0 and t[m].text == "(":
                k = m
                continue
        if k > 1 and t[k - 1].text in ("-", "\u2014", "\u2013"):
            # "Four armed robbers -- two dressed as women -- made off with ..."
            m = k - 2
            while m >= 0 and t[m].text == "-":
                m -= 1
            while m >= 0 and t[m].text not in ("-", "\u2014", "\u2013", ",") and k - m < 14:
                m -= 1
            if m >= 1 and t[m].text in ("-", "\u2014", "\u2013") and t[m - 1].text != "-" or \
                    m >= 1 and t[m].text == "-" and t[m - 1].text == "-":
                while m > 0 and t[m - 1].text == "-":
                    m -= 1
                k = m
                continue
        if k > 0 and t[k - 1].text == ",":
            m = k - 2
            while m >= 0 and t[m].text != "," and k - m < 16:
                m -= 1
            if m >= 0 and t[m].text == "," and m + 1 < k - 1:
                first = t[m + 1]
                if re.match(r"\d", first.text) or first.low in ("who", "which", "whose", "a", "an",
                                                                 "the", "former", "one", "aged", "or"):
                    k = m + 1  # the opening comma may close an earlier appositive
                    skipped = True
                    continue
        break
    if skipped and k > 0 and t[k - 1].text == ",":
        k -= 1
    return k


def _agent_for(S: _Sentence, vi: int, form: str, title: bool, claims: list[ActionClaim],
               subject: tuple[int, int] | None):
    """(voice, agent span, target span for a passive) of the verb at ``vi``; None: no claim."""
    t = S.t
    if _passive_context(S, vi, form) or (("pp" in form) and _reduced_passive(S, vi, form)):
        agent = _by_agent(S, vi + 1)
        if agent is None:
            return None
        k = vi - 1
        while k >= 0 and (S.word(k) in _ADVERBS or S.word(k).endswith("ly")):
            k -= 1
        if S.word(k) in _AUX_BE or S.word(k) in _LIKE_BE:
            k -= 1
            while k >= 0 and (S.word(k) in _AUX_HAVE or S.word(k) in _ADVERBS):
                k -= 1
        if k >= 0 and S.word(k) in _HEDGES:
            return None
        end = k + 1
        if S.word(k) in ("who", "that", "which"):
            end = _skip_back(S, k)
        end = _skip_back(S, end)
        target = S.np_before(end, agent=False)
        if target is None:
            return None
        return "passive", agent, target
    if form == "ing":
        k = vi - 1
        while k >= 0 and (S.word(k) in _ADVERBS or S.word(k).endswith("ly")):
            k -= 1
        prev = S.word(k)
        if (prev == "of" and S.word(k - 1) in ("accused", "suspected", "convicted", "guilty")) or \
                (prev == "with" and S.word(k - 1) == "charged"):
            # "the woman accused of killing ...": the accused; "X, 20, ... was charged with
            # killing ...": the subject of the clause
            end = _skip_back(S, k - 1)
            aux = False
            while end > 0 and S.word(end - 1) in _AUX_BE | _AUX_HAVE:
                end -= 1
                aux = True
            end = _skip_back(S, end)
            np = S.np_before(end)
            if np:
                np = _pp_head(S, np)
            if np and S.is_actor(np, _starts_clause(S, np[0])):
                return "participle", np, None
            if subject and ((aux and _subject_reaches(S, subject, end)) or S.word(k - 2) == ","):
                # "..., charged with killing X" after the clause of its subject
                return "participle", subject, None
            return None
        if prev in (",", "-", "after", "before", "by", "in", "while", "when", "and", "\u2014"):
            if claims:
                c = claims[-1]
                return "participle", _span_of(S, c.agent_span), None
            if subject and not _conditional(S, vi) and not any(
                    S.word(m) in _HEDGES or S.word(m) in _SAYING or
                    (S.word(m) == "by" and any(S.word(x) in _AUX_BE for x in range(subject[1], m)))
                    for m in range(subject[1], vi)):
                # ("Aceh was hit ... by the earthquake ..., killing 170,000": not Aceh)
                return "participle", subject, None
            return None
        return None
    # finite (or headline) verb
    if "lemma" in form and form != "lemma/past/pp" and not title:
        # a bare verb in running text: "to attack", "will storm", "did not kill" (no claim)
        return None
    if form == "pp" and S.word(vi - 1) not in _AUX_HAVE and not title:
        return None
    k = vi
    # verbs joined by "and": "shot and killed"
    if S.word(k - 1) in ("and", "or") and any(
            set(c.forms.get(S.word(k - 2), "").split("/")) & set(form.split("/")) - {""}
            for c in lexicon().by_form.get(S.word(k - 2), ())):
        k -= 2  # "shot and killed" (not "the pirate attack and rescued")
    elif S.word(k - 1) in ("and", "but"):
        # a verb phrase joined to an earlier one: its agent is the clause's
        if claims:
            last = claims[-1]
            # "X was acquired by the Angels and hit ...": the subject is the passive's target
            return "active", _span_of(S, last.target_span if last.voice == "passive"
                                      else last.agent_span), None
        between = S.t[subject[1]:k - 1] if subject else []
        if subject and between and between[-1].text == ",":
            between = between[:-1]
        if subject and not any(not _is_word(x) or x.low in _SUBORDINATORS or x.low in _SPEECH
                               for x in between):
            return "active", subject, None
        return None
    end = _skip_back(S, k)
    if _hedged(S, end, vi):
        return None
    if end > 0 and S.word(end - 1) in ("who", "that"):
        if S.word(end - 1) == "that" and end >= 2 and S.word(end - 2) in _SPEECH:
            return None
        end = _skip_back(S, end - 1)
    agent = S.np_before(end)
    if agent is not None:
        agent = _pp_head(S, agent)
    if form == "s" and not title and agent and agent[1] - agent[0] == 1 and \
            S.t[agent[0]].low in _nationality_words():
        return None  # "Israeli bombs hit ...": a noun, not the verb
    if (agent is None or not S.is_actor(agent, _starts_clause(S, agent[0]))) and subject and \
            _subject_reaches(S, subject, end):
        # "A former employee recently let go from his job opened fire at ..."
        return "active", subject, None
    if agent is None:
        return None
    return "active", agent, None


def _pp_head(S: _Sentence, agent: tuple[int, int]) -> tuple[int, int] | None:
    """An agent found right after a preposition is the object of a phrase that qualifies the
    real agent ("A jury in eastern Oklahoma", "Christopher Simpson of Fort Coffee", "a major
    earthquake near Padang city on Sumatra"): the noun phrase before the preposition, with it,
    where that is an actor; else None. An agent headed by a word for actors is kept ("Tuesday
    Israeli forces")."""
    head = S.head(agent)
    if head.low in ACTOR_NOUNS or head.low.rstrip("s") in ACTOR_NOUNS or head.low in WEAPON_NOUNS:
        return agent
    prep = agent[0] - 1
    if prep < 1 or S.word(prep) not in ("in", "of", "on", "near", "from", "at", "off"):
        return agent
    before = S._np_before(prep)
    if before is None:
        return None
    if S.word(before[0] - 1) in ("in", "of", "on", "near", "from", "at", "off"):
        return _pp_head(S, (before[0], agent[1]))
    whole = (before[0], agent[1])
    if S.is_actor(before, _starts_clause(S, before[0])) and (
            S.head(before).low in ACTOR_NOUNS or len([x for x in S.t[before[0]:before[1]] if x.cap]) >= 2):
        return whole
    return None


def _subject_reaches(S: _Sentence, subject: tuple[int, int], end: int) -> bool:
    """Whether the sentence's subject can be the agent of the verb at ``end``: nothing between
    them but a modifier of the subject (a participle or relative clause, at most one comma
    closing it), no second verb of saying and no "that"."""
    between = S.t[subject[1]:end]
    if not between or len(between) > 16:
        return False
    commas = [i for i, x in enumerate(between) if not _is_word(x)]
    if any(x.low in _SPEECH or x.low in ("that", "and", "but", "or") for x in between):
        return False
    if commas and (commas != [len(between) - 1] or between[0].low not in ("who", "which")):
        return False
    return between[0].low in ("who", "which") or between[0].low in _ADVERBS or \
        between[0].low.endswith("ly") or between[0].low.endswith("ed") or \
        between[0].low in ("let", "set", "put", "cut", "hit", "shot")


def _span_of(S: _Sentence, chars: tuple[int, int]) -> tuple[int, int] | None:
    a = next((i for i, t in enumerate(S.t) if t.start == chars[0]), None)
    b = next((i for i, t in enumerate(S.t) if t.end == chars[1]), None)
    return (a, b + 1) if a is not None and b is not None else None


def _subject(S: _Sentence) -> tuple[int, int] | None:
    """The sentence's subject, where it opens the sentence (or follows an opening phrase up to
    a comma) and is an actor."""
    t = S.t
    start = 0
    while start < len(t) and not _is_word(t[start]):
        start += 1
    if S.word(start) in _INTRO or (S.word(start).endswith("ing") and not S.t[start].cap is False):
        m = start
        while m < len(t) and t[m].text != ",":
            m += 1
        if m >= len(t) - 1:
            return None
        start = m + 1
    np = S.np_after(start)
    if np is None:
        return None
    if S.word(np[1]) in _SPEECH or S.word(np[1]) in ("say", "says", "said", "told"):
        return None  # "Police say a ... employee opened fire": the reported clause has its own
    if S.is_actor(np, True) and S.head(np).low not in _PRONOUNS:
        return np
    return None


def _nominal_claims(S: _Sentence, raw: str, seg: str, headline: bool) -> list[ActionClaim]:
    """"Israel's assault on Gaza", "the killing by police of a boy", "the fatal police
    shooting of a teenager", "under attack by pirates"."""
    lex = lexicon()
    t = S.t
    out: list[ActionClaim] = []
    for ni, tok in enumerate(t):
        cls = lex.nouns.get(tok.low)
        if cls is None or (tok.cap and not S.title):
            continue
        if any(S.word(k) in _BLOCKERS for k in range(max(0, ni - 7), ni)):
            continue
        if any(S.word(k) in _NOUN_HEDGE for k in range(max(0, ni - 4), ni)):
            continue
        agent = target = None
        j = ni + 1
        # "ACTION by AGENT (on|of) TARGET" / "under attack by AGENT"
        if S.word(j) == "by":
            ag = S.np_after(j + 1)
            if ag and S.is_actor(ag, False):
                agent = ag
                if S.word(ag[1]) in ("of", "on", "against"):
                    target = S.np_after(ag[1] + 1)
                elif S.word(ni - 1) == "under":
                    target = S.np_before(_skip_back(S, ni - 1), agent=False)
        else:
            if S.word(j) in ("on", "of", "against") and not (tok.low == "war" and S.word(j) != "on"):
                target = S.np_after(j + 1)
            # the agent: "X's [adj] ACTION", "the [adj] police ACTION", "Israeli ACTION"
            k = ni - 1
            while k >= 0 and not t[k].cap and t[k].low not in ACTOR_NOUNS and t[k].low not in _DETS \
                    and _np_word(t[k]) and ni - k <= 3 and t[k].low != "'s":
                k -= 1
            if k >= 0 and t[k].text == "'s":
                ag = S.np_before(k)
                if ag and S.is_actor(ag, _starts_clause(S, ag[0])):
                    agent = ag
            elif k >= 0 and (t[k].low in ACTOR_NOUNS or (t[k].cap and (
                    _side_of([t[k].text]) or S.is_actor((k, k + 1), _starts_clause(S, k))))):
                a0 = k
                while a0 > 0 and t[a0 - 1].cap and not S.title and _np_word(t[a0 - 1]) and \
                        t[a0 - 1].low not in _DETS:
                    a0 -= 1
                if t[k].low in ACTOR_NOUNS or _side_of([x.text for x in t[a0:k + 1]]) or a0 < k or \
                        not _starts_clause(S, a0):
                    agent = (a0, k + 1)
        if agent is None or target is None:
            continue
        if S.head(target).low in _PRONOUNS:
            continue
        if cls == "shoot" and any(S.word(k) in ("fatal", "deadly", "fatally") for k in range(max(0, ni - 3), ni)):
            cls = "kill"
        a0 = min(t[agent[0]].start, tok.start, t[target[0]].start)
        a1 = max(t[agent[1] - 1].end, tok.end, t[target[1] - 1].end)
        out.append(ActionClaim(cls, tok.text, S.text(agent, raw, 0), S.text(target, raw, 0), a0, a1,
                               seg, (t[agent[0]].start, t[agent[1] - 1].end),
                               (t[target[0]].start, t[target[1] - 1].end), "nominal", headline))
    return out


# ---------------------------------------------------------------------------------------------
# What the agent and the target refer to
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentKey:
    """Who an agent is: its side (country code), its name, its kind of actor (family)."""

    side: str | None
    name: str | None
    family: str | None


def agent_key(agent: str, in_title: bool = False) -> AgentKey:
    """What a written agent refers to: "Israeli forces" -> side IL, family forces; "Taliban
    fighters" -> name Taliban, family militants; "Wladimir Klitschko" -> that name. In a
    headline (``in_title``) every capitalised ordinary word ("Suspended Worker") is no name."""
    toks = _tokens(agent)
    words = [x.text for x in toks if _is_word(x)]
    side = _side_of(words)
    head = toks[-1].low if toks else ""
    family = ACTOR_NOUNS.get(head) or ACTOR_NOUNS.get(head.rstrip("s"))
    zipf = _zipf()
    names = [x.text for n, x in enumerate(toks) if x.cap and x.low not in _DETS
             and x.low not in ACTOR_NOUNS and x.low.rstrip("s") not in ACTOR_NOUNS
             and not _side_of([x.text]) and not re.match(r"\d", x.text)
             and x.low not in _NUMBER_WORDS
             and not ((n == 0 or in_title) and zipf.get(x.low, 0.0) >= 4.0)]
    name = " ".join(names) if names else None
    return AgentKey(side, name, family)


def agents_relation(a: AgentKey, b: AgentKey, acronyms: dict[str, str] | None = None) -> str:
    """``agree`` (one actor), ``conflict`` (two actors who cannot be one: two countries, two
    names that are no spellings of one, police against militants) or ``compatible`` (they may
    be one: "police" and "Vancouver police", "the team" and "Stefanski")."""
    opposed = bool(a.family and b.family and {a.family, b.family} & _STATE
                   and {a.family, b.family} & _NON_STATE)
    if a.side and b.side:
        return "agree" if a.side == b.side else "conflict"
    if a.name and b.name:
        if _same_name(a.name, b.name, acronyms or {}):
            return "agree"
        if a.side or b.side:
            return "conflict" if opposed else "compatible"
        # two different names: two actors only where both are full names or both say what
        # kind of actor they are ("Subryan" / "a 2013 gray Camry" may be driver and car)
        strong = (len(a.name.split()) >= 2 and len(b.name.split()) >= 2) or bool(a.family and b.family)
        return "conflict" if strong else "compatible"
    if opposed:
        return "conflict"  # "Israeli forces" / "Hamas militants", "police" / "gunmen"
    if a.family and b.family and a.family == b.family and not (a.name or b.name or a.side or b.side):
        return "agree"
    if (a.side and b.family and not b.name and a.family == b.family) or \
            (b.side and a.family and not a.name and a.family == b.family):
        return "agree"
    return "compatible"


def _same_name(a: str, b: str, acronyms: dict[str, str]) -> bool:
    from .names import names_match

    fa, fb = a.lower().split(), b.lower().split()
    if set(fa) <= set(fb) or set(fb) <= set(fa):
        return True
    for acr, full in acronyms.items():
        if {a, b} & {acr} and (full.lower() in (a.lower(), b.lower()) or
                               set(full.lower().split()) & (set(fa) | set(fb))):
            return True
    try:
        return names_match(a, b)
    except Exception:
        return False


def main_place(body: str, mentions: list[Any] | None = None) -> Any:
    """The town an article is about: its most mentioned city (first mentioned on a tie), else
    None."""
    if mentions is None:
        try:
            from .places import find_places

            mentions = find_places(body)
        except Exception:  # no gazetteer
            return None
    count: dict[str, list[Any]] = {}
    for m in mentions:
        if m.place.kind == "city":
            count.setdefault(m.place.id, []).append(m)
    if not count:
        return None
    best = max(count.values(), key=lambda ms: (len(ms), -ms[0].start))
    return best[0].place


def target_key(claim: ActionClaim, mentions: list[Any] | None = None,
               town: Any = None) -> tuple[str, str, str]:
    """What a claim's target refers to, as (kind, id, label): ("place", gazetteer id, name) for
    a town named in it, or a town word ("the city", "a provincial capital") where the article
    has a main town (``town``: :func:`main_place`); ("name", name, name) for a named person or
    thing; ("people", "", "people") for people counted or described ("four people", "one
    man"); else ("thing", head noun, head noun). ``mentions``: the article's place mentions."""
    a, b = claim.target_span
    toks = _tokens(claim.target, a)
    words = [x for x in toks if _is_word(x)]
    if not words:
        return ("thing", "", "")
    core = words[-1]
    of_at = next((i for i, x in enumerate(words) if x.low == "of" and i > 0), None)
    if of_at is not None:
        core = words[of_at - 1]
    if not claim.in_title:
        # a town named as the target ("Qala-e-Naw", "the city of Qala-e-Naw"), not a place
        # that only qualifies it ("a Paris store")
        # the capitalised run of the head: a place must be all of it ("Vincent Jackson" is a
        # name, though Jackson is a town)
        ci = words.index(core)
        r0 = r1 = ci
        while core.cap and r0 > 0 and words[r0 - 1].cap:
            r0 -= 1
        while core.cap and r1 + 1 < len(words) and words[r1 + 1].cap:
            r1 += 1
        for m in mentions or []:
            if not (a <= m.start and m.end <= b and m.place.kind == "city"):
                continue
            if core.cap and m.start == words[r0].start and m.end == words[r1].end:
                return ("place", m.place.id, m.place.name)
            if not core.cap and (m.end == b or (core.low in GENERIC_PLACES and of_at is not None)):
                return ("place", m.place.id, m.place.name)
    if claim.in_title:
        try:
            from .places import find_places

            for m in find_places(claim.target):
                if m.place.kind == "city":
                    return ("place", m.place.id, m.place.name)
        except Exception:  # no gazetteer
            pass
    if core.low in GENERIC_PLACES and town is not None:
        return ("place", town.id, town.name)
    names = [x.text for x in words if x.cap and x.low not in _DETS and x.low not in _TIME_WORDS]
    if names and core.cap and not claim.in_title:
        return ("name", " ".join(names), " ".join(names))
    if core.low in PEOPLE_TARGETS or re.match(r"\d", core.text) or core.low in _NUMBER_WORDS \
            or core.low.endswith("workers") or core.low in ACTOR_NOUNS or \
            core.low.rstrip("s") in ACTOR_NOUNS:
        n = _count_of(words)
        return ("people", n, f"{n} people" if n else "people")
    head = core.low
    if head.endswith("s") and not head.endswith("ss") and len(head) > 3:
        head = head[:-1]
    head = _THINGS.get(head, head)
    return ("thing", head, head)


#: Words for one kind of target that reports use for one another.
_THINGS = {w: fam for fam, ws in {
    "shop": "store shop boutique branch jeweler jeweller jewellers jewelers",
    "school": "school schools",
    "camp": "camp",
    "vessel": "vessel ship freighter tanker",
    "rehab": "rehab clinic",
}.items() for w in ws.split()}


_NUMBER_VALUES = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten "
                                             "eleven twelve".split())}


def _count_of(words: list[_Tok]) -> str:
    """The number a target of people gives ("23 pirates", "two co-workers", "killing two"):
    "23", "2"; "" where it gives none. Claims about different numbers of people are about
    different people and are not lined up."""
    for x in words:
        if re.fullmatch(r"\d+", x.text):
            return x.text
        if x.low in _NUMBER_VALUES:
            return str(_NUMBER_VALUES[x.low])
    return ""
