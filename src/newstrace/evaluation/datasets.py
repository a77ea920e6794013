"""Loaders for the real evaluation data in ``../shared/data`` (nobody on the project wrote it).

The data root is, in order: the ``root`` argument, ``$NEWSTRACE_DATA``, or
``<repository>/../shared/data``. A missing file raises :class:`DatasetMissing` naming the path,
so that tests can skip with a clear reason (a fresh clone has no ``../shared``).

Formats found in the files (worth knowing before using them):

* **ECB+** ``ecbplus/ecbplus_docs.jsonl``: one article a line (``doc_id``, ``topic``,
  ``event_cluster``, ``text``, ``n_tokens``). The 502 ``*ecbplus`` documents are web pages: the
  first line is the page URL, tokenised ("http: / / www. itv. com / ..."), then the headline and
  often a time-stamp line, in either order ("10: 24 AM, MON 22 JUL 2013"). The 480 ``*ecb``
  documents (the original 2008 ECB corpus) have no URL and no headline: they start with the
  first body sentence, so their ``title`` is left empty. Texts are detokenised with artefacts
  ("90 - day", "can ’ t").
* **MEANTIME** ``meantime/meantime_docs.jsonl``: 480 Wikinews articles (120 per language);
  the first line is the headline, the second the publication date ("March 01, 2008").
* **Clough & Stevenson** ``clough_stevenson/``: ``file_information.csv`` (``File,Task,
  Category``) lists the 95 answers (``g<group>p<person>_task<a-e>.txt``, 19 each ``cut``,
  ``light``, ``heavy`` and 38 ``non``) and the 5 Wikipedia sources (``orig_task<a-e>.txt``,
  category ``orig``). 17 answers are Windows-1252, not UTF-8 (curly quotes as 0x91-0x94).
  ``test_info.csv`` is a subset of the same rows (a split used by some papers).
* **PAN 2025 sample** ``pan25_sample/sample_raw.zip``: five JSON files named
  ``<pair id>.json``, e.g. ``000004:1404.6257--2106.16035.json``; each holds one document
  pair::

      {"id": "000004:1404.6257--2106.16035",
       "plagiarism": {"type": "plagiarism"|"altered"|"original", "llm": "DeepSeek-R1",
                      "severity": "medium", "similarity": "0.9886",
                      "also_altered": 13, "prompt_tokens": ..., "output_tokens": ...,
                      "process": "done"|null},
       "source":    {document},   # the arXiv paper that was reused
       "candidate": {document}}   # the suspicious paper, (partly) rewritten by the LLM

  with ``document = {"doc_id", "arxiv_id", "meta": {date, archive, categories, authors,
  license, journal-ref, doi}, "title", "abstract": [paragraph], "sections": [{"id", "tag",
  "title", "paragraphs": [paragraph]}], "references": [{"tag", "ref"}]}`` and ``paragraph =
  {"id", "content"}``. Candidate paragraphs (abstract included) may carry
  ``"plagiarism": {"type": "plagiarism", "prompt_type": "simple"|"medium"|"hard",
  "source_paragraph_id": <id of a source paragraph>}`` (an LLM rewrite of that source
  paragraph) or ``{"type": "altered", "prompt_type": "altered"}`` (an LLM rewrite with no
  source in the pair: a distractor). Totals: 3 plagiarism pairs (000004, 000005, 000013), 1
  altered pair (000038: every rewritten paragraph is a distractor) and 1 original pair
  (000061: nothing rewritten); 185 rewritten paragraphs with a source paragraph (each source
  paragraph used at most once) and 93 altered ones (16 inside the plagiarism pairs, 77 in
  the altered pair). Ground truth is at paragraph level; here a document's ``text`` is its
  abstract and section paragraphs joined by blank lines (headings left out), so every
  paragraph also has character offsets, and each case becomes a PAN-style span pair for
  :func:`newstrace.evaluation.metrics.plagdet`. Quirks: in 2106.16035 (pair 000004) a
  section's paragraphs appear twice with the same ids but different texts (an extraction
  artefact), so paragraphs are identified by position (``index``), not only by id; three
  cases have an empty paragraph on one side (two empty rewrites, one empty source paragraph),
  which no detection can overlap (PlagDet of the gold against itself is 182/185); and a few
  rewritten paragraphs start with the LLM's own words ("The task is to completely rewrite
  the given paragraph ...", "The given paragraph is already written ...").
"""

from __future__ import annotations

import csv
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

__all__ = [
    "DatasetMissing", "data_root", "EcbDoc", "ecbplus", "MeantimeDoc", "meantime", "SeedDoc",
    "seeds", "CloughAnswer", "CloughStevenson", "clough_stevenson", "PanParagraph",
    "PanDocument", "PanCase", "PanAltered", "PanPair", "PanSample", "pan25_sample",
    "TorturedPhrase", "tortured_phrases", "split_url_title",
]


class DatasetMissing(FileNotFoundError):
    """A data set's file or folder is absent (carries ``path``; message says how to point to it)."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        super().__init__(f"{name} data not found at {path} "
                         f"(set $NEWSTRACE_DATA or pass root= to point to the shared data)")


def data_root(root: str | os.PathLike[str] | None = None) -> Path:
    """The shared-data folder: ``root``, else ``$NEWSTRACE_DATA``, else ``<repo>/../shared/data``."""
    if root is not None:
        return Path(root)
    env = os.environ.get("NEWSTRACE_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    repo = here.parents[3]  # src/newstrace/evaluation/datasets.py -> repository root
    if not (repo / "pyproject.toml").exists():  # installed, not a checkout: use the cwd
        repo = Path.cwd()
    return repo.parent / "shared" / "data"


def _need(root: str | os.PathLike[str] | None, name: str, *parts: str) -> Path:
    path = data_root(root).joinpath(*parts)
    if not path.exists():
        raise DatasetMissing(name, path)
    return path


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# -- ECB+ -------------------------------------------------------------------------------------

_URL_LINE = re.compile(r"^(?:https?|www)\b", re.I)
_DATE_WORDS = frozenset("""
jan january feb february mar march apr april may jun june jul july aug august sep sept september
oct october nov november dec december mon monday tue tues tuesday wed wednesday thu thur thurs
thursday fri friday sat saturday sun sunday am pm a m p noon midnight posted updated published
last modified created date time on at by of the and st nd rd th gmt utc et est edt cst cdt mst
mdt pst pdt bst cet cest ist hkt jst aest sgt
""".split())
_DATE_TOKEN = re.compile(r"[^\W_]+")


def _is_timestamp(line: str) -> bool:
    """True for a line that only states a date or time ("Published: April 23, 2013 9: 39 AM").

    Every word must be a number (ordinals and "11am" included), a month, a weekday, a time
    zone or one of a few stamp words ("posted", "updated", ...), and one must be a number.
    """
    words = _DATE_TOKEN.findall(line.lower())
    if not words or not any(w[0].isdigit() for w in words):
        return False
    for w in words:
        if w in _DATE_WORDS:
            continue
        if re.fullmatch(r"\d+(?:st|nd|rd|th|am|pm|h)?", w):
            continue
        return False
    return True


def split_url_title(text: str) -> tuple[str | None, str, str | None, str]:
    """Split a web-page text into ``(url, title, date_line, body)``.

    A tokenised URL on the first line is joined back ("http: / / www. x. com" ->
    "http://www.x.com"). When there was a URL (a web page), the headline is the first of the
    next three lines that is not a time stamp, and a time stamp met before or right after it
    is returned as ``date_line`` (it stays in ``body``, as in ``examples/ecbplus``). Without a
    URL the text has no headline: ``title`` is "" and ``body`` the whole text.
    """
    lines = text.split("\n")
    url = None
    if lines and _URL_LINE.match(lines[0].strip()):
        url = re.sub(r"\s+", "", lines.pop(0).strip())
    title, date_line = "", None
    if url is not None:
        for i, line in enumerate(lines[:3]):
            if _is_timestamp(line.strip()):
                date_line = date_line or line.strip()
                continue
            if line.strip():
                title = lines.pop(i).strip()
                if date_line is None and i < len(lines) and _is_timestamp(lines[i].strip()):
                    date_line = lines[i].strip()
                break
    return url, title, date_line, "\n".join(lines).strip()


@dataclass(frozen=True)
class EcbDoc:
    """One ECB+ article. ``event_cluster`` is the gold event ("37ecb" vs "37ecbplus")."""

    doc_id: str
    topic: int
    event_cluster: str
    title: str
    text: str
    url: str | None = None
    date_line: str | None = None
    raw_text: str = field(default="", repr=False)


def ecbplus(root: str | os.PathLike[str] | None = None) -> list[EcbDoc]:
    """The 982 ECB+ articles (43 topics x 2 events = 86 event clusters), in file order."""
    path = _need(root, "ECB+", "ecbplus", "ecbplus_docs.jsonl")
    docs = []
    for rec in _read_jsonl(path):
        url, title, date_line, body = split_url_title(rec["text"])
        docs.append(EcbDoc(doc_id=rec["doc_id"], topic=int(rec["topic"]),
                           event_cluster=rec["event_cluster"], title=title, text=body, url=url,
                           date_line=date_line, raw_text=rec["text"]))
    return docs


# -- MEANTIME ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class MeantimeDoc:
    """One MEANTIME Wikinews article; the same ``wikinews_id`` across languages is a translation."""

    doc_id: str
    lang: str
    topic_corpus: str
    wikinews_id: str
    title: str
    text: str
    date_line: str | None = None
    raw_text: str = field(default="", repr=False)


def meantime(lang: str | None = "en",
             root: str | os.PathLike[str] | None = None) -> list[MeantimeDoc]:
    """MEANTIME articles in ``lang`` (en, es, it, nl; None for all 480)."""
    path = _need(root, "MEANTIME", "meantime", "meantime_docs.jsonl")
    docs = []
    for rec in _read_jsonl(path):
        if lang is not None and rec["lang"] != lang:
            continue
        lines = rec["text"].split("\n")
        title = lines.pop(0).strip() if lines else ""
        date_line = None
        if lines and _is_timestamp(lines[0].strip()):
            date_line = lines.pop(0).strip()
        docs.append(MeantimeDoc(doc_id=rec["doc_id"], lang=rec["lang"],
                                topic_corpus=rec["topic_corpus"],
                                wikinews_id=str(rec["wikinews_id"]), title=title,
                                text="\n".join(lines).strip(), date_line=date_line,
                                raw_text=rec["text"]))
    return docs


# -- seeds ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SeedDoc:
    """One of the founding articles (``seeds/*.txt``: title line, blank line, body)."""

    doc_id: str
    path: Path
    title: str
    text: str


def seeds(root: str | os.PathLike[str] | None = None) -> list[SeedDoc]:
    """The seed articles, sorted by file name (``doc_id`` is the file stem)."""
    folder = _need(root, "seeds", "seeds")
    docs = []
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").strip().split("\n")
        docs.append(SeedDoc(doc_id=path.stem, path=path, title=lines[0].strip(),
                            text="\n".join(lines[1:]).strip()))
    return docs


# -- Clough & Stevenson -----------------------------------------------------------------------

def _decode(data: bytes) -> str:
    """UTF-8 (BOM dropped), else Windows-1252: some answers were typed on Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class CloughAnswer:
    """A short answer: ``category`` is cut, light, heavy (reuse of the task's source) or non."""

    file: str
    participant: str
    task: str
    category: str
    text: str


@dataclass(frozen=True)
class CloughStevenson:
    """The 95 answers and the 5 Wikipedia source texts (``sources[task]``)."""

    answers: list[CloughAnswer]
    sources: dict[str, str]

    def source_for(self, answer: CloughAnswer) -> str:
        """The source text the answer was written about (reused or not)."""
        return self.sources[answer.task]


def clough_stevenson(root: str | os.PathLike[str] | None = None) -> CloughStevenson:
    """The Clough & Stevenson (2011) corpus, labels from ``file_information.csv``."""
    folder = _need(root, "Clough & Stevenson", "clough_stevenson")
    info = folder / "file_information.csv"
    if not info.exists():
        raise DatasetMissing("Clough & Stevenson", info)
    answers: list[CloughAnswer] = []
    sources: dict[str, str] = {}
    with info.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name, task, category = (row["File"].strip(), row["Task"].strip(),
                                    row["Category"].strip())
            text = _decode((folder / name).read_bytes()).strip()
            if category == "orig":
                sources[task] = text
            else:
                answers.append(CloughAnswer(file=name, participant=name.split("_")[0],
                                            task=task, category=category, text=text))
    return CloughStevenson(answers=answers, sources=sources)


# -- PAN 2025 sample --------------------------------------------------------------------------

PAN_PARAGRAPH_SEP = "\n\n"


@dataclass(frozen=True)
class PanParagraph:
    """A paragraph and where it lies in its document's ``text`` (``[start, end)``).

    ``index`` is its position in the document (ids are not always unique, see the module
    docstring). ``reuse`` is "plagiarism", "altered" or None; ``source_paragraph_id`` and ``obfuscation``
    (the prompt type: simple, medium, hard) are set for plagiarism.
    """

    id: str
    index: int
    section: str
    start: int
    end: int
    text: str
    reuse: str | None = None
    obfuscation: str | None = None
    source_paragraph_id: str | None = None


@dataclass(frozen=True)
class PanDocument:
    """An arXiv paper as a plain text of its paragraphs (abstract first, headings left out)."""

    doc_id: str
    arxiv_id: str
    title: str
    text: str
    paragraphs: list[PanParagraph]
    meta: dict[str, Any] = field(default_factory=dict, repr=False)

    def paragraph(self, paragraph_id: str) -> PanParagraph:
        """The first paragraph with this id (KeyError if none)."""
        for p in self.paragraphs:
            if p.id == paragraph_id:
                return p
        raise KeyError(paragraph_id)


@dataclass(frozen=True)
class PanCase:
    """A reuse case: a suspicious paragraph rewritten from a source paragraph, as spans."""

    pair_id: str
    suspicious_doc: str
    susp_paragraph: str
    susp_index: int
    s_start: int
    s_end: int
    source_doc: str
    src_paragraph: str
    src_index: int
    src_start: int
    src_end: int
    obfuscation: str
    llm: str

    def span(self) -> tuple[str, int, int, str, int, int]:
        """The case in the form :func:`newstrace.evaluation.metrics.plagdet` takes."""
        return (self.suspicious_doc, self.s_start, self.s_end,
                self.source_doc, self.src_start, self.src_end)


@dataclass(frozen=True)
class PanAltered:
    """An LLM-rewritten paragraph with no source in the pair (a distractor, not reuse)."""

    pair_id: str
    suspicious_doc: str
    paragraph: str
    index: int
    start: int
    end: int
    llm: str


@dataclass(frozen=True)
class PanPair:
    """One source/suspicious pair; ``kind`` is plagiarism, altered or original."""

    pair_id: str
    kind: str
    llm: str
    severity: str
    similarity: float
    source: PanDocument
    suspicious: PanDocument
    cases: list[PanCase]
    altered: list[PanAltered]


@dataclass(frozen=True)
class PanSample:
    """The five pairs, and their documents and ground truth flattened."""

    pairs: list[PanPair]

    @property
    def sources(self) -> list[PanDocument]:
        return [p.source for p in self.pairs]

    @property
    def suspicious(self) -> list[PanDocument]:
        return [p.suspicious for p in self.pairs]

    @property
    def cases(self) -> list[PanCase]:
        return [c for p in self.pairs for c in p.cases]

    @property
    def altered(self) -> list[PanAltered]:
        return [a for p in self.pairs for a in p.altered]


def _pan_document(raw: dict[str, Any]) -> PanDocument:
    blocks: list[tuple[str, dict[str, Any]]] = [("abstract", p) for p in raw.get("abstract") or []]
    for section in raw.get("sections") or []:
        name = section.get("title") or section.get("id") or ""
        blocks.extend((name, p) for p in section.get("paragraphs") or [])
    parts: list[str] = []
    paragraphs: list[PanParagraph] = []
    pos = 0
    for section_name, para in blocks:
        content = para.get("content") or ""
        if parts:
            pos += len(PAN_PARAGRAPH_SEP)
        plag = para.get("plagiarism") or {}
        paragraphs.append(PanParagraph(
            id=para["id"], index=len(paragraphs), section=section_name, start=pos, end=pos + len(content), text=content,
            reuse=plag.get("type"),
            obfuscation=plag.get("prompt_type") if plag.get("type") == "plagiarism" else None,
            source_paragraph_id=plag.get("source_paragraph_id")))
        parts.append(content)
        pos += len(content)
    return PanDocument(doc_id=str(raw["doc_id"]), arxiv_id=str(raw.get("arxiv_id", "")),
                       title=raw.get("title") or "", text=PAN_PARAGRAPH_SEP.join(parts),
                       paragraphs=paragraphs, meta=raw.get("meta") or {})


def pan25_sample(root: str | os.PathLike[str] | None = None) -> PanSample:
    """The PAN 2025 generative-plagiarism sample, read from the zip in place (no extraction)."""
    path = _need(root, "PAN 2025 sample", "pan25_sample", "sample_raw.zip")
    pairs: list[PanPair] = []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if n.endswith(".json")):
            raw = json.loads(zf.read(name).decode("utf-8"))
            info = raw.get("plagiarism") or {}
            llm = info.get("llm") or ""
            src = _pan_document(raw["source"])
            susp = _pan_document(raw["candidate"])
            cases, altered = [], []
            for p in susp.paragraphs:
                if p.reuse == "plagiarism" and p.source_paragraph_id:
                    sp = src.paragraph(p.source_paragraph_id)
                    cases.append(PanCase(raw["id"], susp.doc_id, p.id, p.index, p.start, p.end,
                                         src.doc_id, sp.id, sp.index, sp.start, sp.end,
                                         p.obfuscation or "", llm))
                elif p.reuse == "altered":
                    altered.append(PanAltered(raw["id"], susp.doc_id, p.id, p.index, p.start,
                                              p.end, llm))
            pairs.append(PanPair(pair_id=raw["id"], kind=info.get("type") or "",
                                 llm=llm, severity=info.get("severity") or "",
                                 similarity=float(info.get("similarity") or 0.0),
                                 source=src, suspicious=susp, cases=cases, altered=altered))
    return PanSample(pairs=pairs)


# -- tortured phrases -------------------------------------------------------------------------

@dataclass(frozen=True)
class TorturedPhrase:
    """A spinner's rewrite ("counterfeit consciousness") of an established phrase."""

    tortured: str
    correct: str


def tortured_phrases(root: str | os.PathLike[str] | None = None) -> list[TorturedPhrase]:
    """The Problematic Paper Screener's tortured-phrase list (CC BY 4.0), as published."""
    path = _need(root, "tortured phrases", "tortured_phrases", "tortured-phrases.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [TorturedPhrase(tortured=p["tortured"], correct=p["correct"])
            for p in raw.get("phrases", [])]
