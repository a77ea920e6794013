"""Read articles from files, directories, gzip and standard input.

Accepted containers (detected from the file name, then from the content):

* plain text: the first non-empty line is the title, the rest the body;
* HTML: main text and metadata through trafilatura;
* JSON Lines and JSON arrays (or a single JSON object) of records, see :data:`FIELD_ALIASES`;
* any of these gzip-compressed.

Every problem becomes a :class:`~newstrace.models.Skip` that names the file (and line): one bad
input never stops a batch.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, NamedTuple

from .metadata import extract_metadata
from .models import META_FIELDS, Article, MetaValue, Origin, Skip
from .text import article_id, normalize

#: Default size limit for one input file (and for its decompressed content).
MAX_BYTES = 10 * 1024 * 1024

#: JSON record fields newstrace reads, each with the names it accepts (first match wins).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "article_id", "guid", "uid"),
    "url": ("url", "link", "source_url", "permalink", "uri"),
    "title": ("title", "headline", "heading"),
    "text": ("text", "body", "content", "article", "maintext", "full_text", "story"),
    "published": ("published", "date", "publish_date", "published_at", "pubdate", "pub_date",
                  "datetime", "date_published", "timestamp", "time"),
    "outlet": ("outlet", "source", "site_name", "sitename", "publisher", "domain", "site"),
    "language": ("language", "lang"),
    "author": ("author", "authors", "byline", "creator"),
    "path": ("path", "source_path", "file"),
}

_TEXT_SUFFIXES = {".txt", ".text", ".md"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}
_JSON_SUFFIXES = {".json"}
_KNOWN_SUFFIXES = _TEXT_SUFFIXES | _HTML_SUFFIXES | _JSONL_SUFFIXES | _JSON_SUFFIXES


class Record(NamedTuple):
    """A raw article before normalisation: title, body and container metadata."""

    title: str
    body: str
    origin: Origin
    fields: dict[str, Any]


#: In directories, only files with these suffixes (optionally + ``.gz``) are read, and files
#: named like documentation (README, LICENSE...) are left out; a file named on the command line
#: is always read.
ARTICLE_SUFFIXES = frozenset(_KNOWN_SUFFIXES - {".md"})
_DOC_NAMES = ("readme", "license", "licence", "copying", "notice", "changelog")


def is_article_file(name: str) -> bool:
    """Whether a file met while walking a directory should be read as articles."""
    low = name.lower()
    if low.startswith(".") or low.startswith(_DOC_NAMES):
        return False
    if low.endswith(".gz"):
        low = low[:-3]
    return Path(low).suffix in ARTICLE_SUFFIXES


def iter_paths(paths: Iterable[str], left_out: Counter[str] | None = None
               ) -> Iterator[str | Skip]:
    """Expand the command-line paths: directories recursively, in sorted order; ``-`` is stdin.

    Directories contribute only article files (see :func:`is_article_file`); the others, but
    hidden files and README/LICENSE-like documents, are counted by extension in ``left_out``
    so that the caller can say what it did not read.
    """
    for raw in paths:
        if raw == "-":
            yield "-"
            continue
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p, onerror=None):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if is_article_file(name):
                        found.append(os.path.join(root, name))
                    elif left_out is not None and not name.startswith(".") \
                            and not name.lower().startswith(_DOC_NAMES):
                        left_out[Path(name).suffix.lower() or "(no extension)"] += 1
            if not found:
                yield Skip(Origin(raw), "directory holds no article files (.txt, .html, .json, .jsonl)")
            yield from found
        elif p.exists():
            yield raw
        else:
            yield Skip(Origin(raw), "no such file or directory")


def _read_bytes(path: str, max_bytes: int) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"input is over the {max_bytes:,}-byte limit")
    return data


class InputError(Exception):
    """A problem with one input, reported as a skip; never fatal to the batch."""


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Every member of a gzip file (``cat a.gz b.gz`` is one valid gzip file), size-limited."""
    out = bytearray()
    try:
        while True:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += d.decompress(data, max_bytes + 1 - len(out))
            if len(out) > max_bytes or d.unconsumed_tail:
                raise InputError(f"gzip content is over the {max_bytes:,}-byte limit")
            if not d.eof:
                raise InputError("truncated gzip file")
            data = d.unused_data
            if not data.strip(b"\x00"):  # gzip tools allow zero padding after the last member
                return bytes(out)
    except zlib.error as exc:
        raise InputError(f"not a valid gzip file ({exc})") from None


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise InputError("binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"invalid UTF-8 at byte {exc.start} (line {line})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _detect_format(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _JSON_SUFFIXES:
        return _json_or_jsonl(text)
    if suffix in _TEXT_SUFFIXES:
        return "text"
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body", "<article")):
        return "html"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        return _json_or_jsonl(text)
    return "text"


def _json_or_jsonl(text: str) -> str:
    """One JSON document, or JSON Lines: a document may also have lines starting with '{'."""
    if text.lstrip()[:1] == "[" or "\n{" not in text.strip():
        return "json"
    try:
        json.loads(text)
    except ValueError:
        return "jsonl"
    return "json"


class Unit(NamedTuple):
    """A piece of input small enough to hand to a worker process: a file to read, one JSON
    Lines record, or a whole document already read (from standard input). A named tuple:
    one is made, and sent to a worker, for every line of a JSON Lines feed."""

    label: str
    line: int | None = None
    data: bytes | None = None
    kind: Literal["file", "line", "document"] = "file"


def iter_units(paths: Iterable[str], max_bytes: int = MAX_BYTES,
               left_out: Counter[str] | None = None) -> Iterator[Unit | Skip]:
    """The inputs as units of work, in a deterministic order; JSON Lines are split per line.
    Files of directories that are not read are counted in ``left_out`` (by extension)."""
    for item in iter_paths(paths, left_out):
        if isinstance(item, Skip):
            yield item
        elif item == "-" or _is_jsonl_name(item):
            # JSON Lines feeds may be large: stream them, with the size limit per record.
            yield from _stream_units(item, max_bytes)
        else:
            yield Unit(item)


def read_unit(unit: Unit, max_bytes: int = MAX_BYTES) -> Iterator[Record | Skip]:
    """The records of one unit; problems come out as skips naming the file (and line)."""
    if unit.kind == "file":
        yield from _read_document(unit.label, max_bytes)
    elif unit.kind == "line":
        yield from _jsonl_line(unit.data or b"", unit.label, unit.line or 0)
    else:
        yield from _document(unit.data or b"", unit.label, max_bytes)


def read_source(path: str, max_bytes: int = MAX_BYTES) -> Iterator[Record | Skip]:
    """Read one file (or ``-``) into records; problems come out as skips naming the file."""
    for unit in iter_units([path], max_bytes):
        if isinstance(unit, Skip):
            yield unit
        else:
            yield from read_unit(unit, max_bytes)


def _is_jsonl_name(path: str) -> bool:
    low = path.lower()
    low = low[:-3] if low.endswith(".gz") else low
    return Path(low).suffix in _JSONL_SUFFIXES


def _stream_units(path: str, max_bytes: int) -> Iterator[Unit | Skip]:
    """The lines of a JSON Lines file (or of standard input), one unit each.

    Standard input that does not start with a JSON object line is one document.
    """
    label = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            raw: Any = sys.stdin.buffer
        else:
            raw = open(path, "rb")
    except OSError as exc:
        yield Skip(Origin(label), f"cannot read: {exc.strerror or exc}")
        return
    n = 0
    with raw:
        try:
            head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
            fh = gzip.GzipFile(fileobj=raw) if head == b"\x1f\x8b" else raw
            if path != "-" and label.lower().endswith(".gz") and head != b"\x1f\x8b":
                raise InputError("named .gz but not gzip-compressed")
            first = fh.readline(max_bytes + 1)
            if path == "-" and not first.lstrip().startswith(b"{"):
                rest = fh.read(max_bytes + 1 - len(first))
                yield Unit(label, None, first + rest, "document")
                return
            if path == "-" and first.strip():
                try:
                    json.loads(first)
                except ValueError:  # a pretty-printed JSON document, not JSON Lines
                    rest = fh.read(max_bytes + 1 - len(first))
                    yield Unit(label, None, first + rest, "document")
                    return
            n, line, records = 1, first, 0
            while line:
                if len(line) > max_bytes:
                    yield Skip(Origin(label, n, "jsonl"),
                               f"record on line {n} is over the {max_bytes:,}-byte limit")
                    while line and not line.endswith(b"\n"):  # skip the rest of that line
                        line = fh.readline(max_bytes + 1)
                elif line.strip():
                    records += 1
                    yield Unit(label, n, line, "line")
                line = fh.readline(max_bytes + 1)
                n += 1
            if records == 0 and n <= 2 and not first.strip():
                yield Skip(Origin(label), "empty file")
        except InputError as exc:
            yield Skip(Origin(label), str(exc))
        except EOFError:  # n lines were read whole; reading line n + 1 failed
            yield Skip(Origin(label, n + 1), f"truncated gzip file: nothing read after line {n}")
        except (OSError, zlib.error) as exc:
            yield Skip(Origin(label, n + 1), f"cannot read further after line {n}: {exc}")


def _jsonl_line(line: bytes, label: str, n: int) -> Iterator[Record | Skip]:
    origin = Origin(label, n, "jsonl")
    if b"\x00" in line:
        yield Skip(origin, f"binary data (NUL bytes) on line {n}")
        return
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Skip(origin, f"invalid UTF-8 on line {n} at byte {exc.start} of the line")
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skip(origin, f"malformed JSON on line {n}: {exc.msg} (column {exc.colno})")
        return
    yield _record_from_obj(obj, origin)


def _read_document(path: str, max_bytes: int) -> Iterator[Record | Skip]:
    label = path
    try:
        data = _read_bytes(path, max_bytes)
    except InputError as exc:
        yield Skip(Origin(label), str(exc))
        return
    except OSError as exc:
        yield Skip(Origin(label), f"cannot read: {exc.strerror or exc}")
        return
    yield from _document(data, label, max_bytes)


def _document(data: bytes, label: str, max_bytes: int) -> Iterator[Record | Skip]:
    """Records of one whole input held in memory (gzip, UTF-8 and format handled here)."""
    if len(data) > max_bytes:
        yield Skip(Origin(label), f"input is over the {max_bytes:,}-byte limit")
        return
    try:
        name = label
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data, max_bytes)
            name = label[:-3] if label.lower().endswith(".gz") else label
        elif label.lower().endswith(".gz"):
            raise InputError("named .gz but not gzip-compressed")
        if not data.strip():
            raise InputError("empty file")
        text = _decode(data)
        fmt = _detect_format(name, text)
    except InputError as exc:
        yield Skip(Origin(label), str(exc))
        return
    if fmt == "text":
        yield from _from_text(text, Origin(label, fmt="text"))
    elif fmt == "html":
        yield from _from_html(text, Origin(label, fmt="html"))
    elif fmt == "jsonl":
        yield from _from_jsonl(text, label)
    else:
        yield from _from_json(text, label)


_URL_LINE = re.compile(r"^\s*(?:https?\s*:\s*/\s*/|www\s*\.)\s*[^\s/]\S*(?:\s+\S+)*\s*$",
                       re.I)


def _looks_like_address(line: str) -> bool:
    """A web address, possibly tokenised with spaces ("http: / / www. site. com / a /")."""
    squeezed = re.sub(r"\s+", "", line)
    return "." in squeezed and len(squeezed) >= 8 \
        and not re.search(r"[.!?]\s+[A-Z][a-z]+\s+[a-z]+\s", line)


def _title_and_body(lines: list[str]) -> tuple[str, str]:
    """The first non-empty line is the title, the rest the body; except that a leading line
    that is only a web address (some dumps start with the page's URL) stays at the top of the
    body and the next line is the title."""
    lines = [ln.rstrip("\r") for ln in lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", ""
    if _URL_LINE.match(lines[0]) and len(lines) > 1 and _looks_like_address(lines[0]):
        rest = lines[1:]
        while rest and not rest[0].strip():
            rest.pop(0)
        if rest:
            body = "\n".join([lines[0].strip()] + rest[1:]).strip("\r\n\t ")
            return rest[0].strip(), body
    return lines[0].strip(), "\n".join(lines[1:]).strip("\r\n\t ")


def _from_text(text: str, origin: Origin) -> Iterator[Record | Skip]:
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        yield Skip(origin, "empty file")
        return
    title, body = _title_and_body(lines[i:])
    if not body:
        yield Skip(origin, "no body text after the title line")
        return
    yield Record(title, body, origin, {})


def _from_html(html: str, origin: Origin) -> Iterator[Record | Skip]:
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - trafilatura is a core dependency
        yield Skip(origin, f"HTML input needs trafilatura, which failed to import: {exc}")
        return
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          favor_precision=True)
    except Exception as exc:  # trafilatura raises assorted parser errors on junk
        yield Skip(origin, f"HTML could not be parsed ({type(exc).__name__})")
        return
    if doc is None:
        yield Skip(origin, "no article text found in HTML")
        return
    get = doc.get if isinstance(doc, dict) else (lambda k, d=None: getattr(doc, k, d))
    body = (get("text") or "").strip()
    if len(body) < 40:
        yield Skip(origin, "no article text found in HTML")
        return
    fields = {"title": get("title"), "url": get("url"), "published": get("date"),
              "outlet": get("sitename") or get("hostname"), "author": get("author"),
              "language": get("language")}
    title = (fields.pop("title") or "").strip()
    first, _, rest = body.partition("\n")
    if not title:
        title = first.strip()[:200]
    if first.strip() == title and rest.strip():
        body = rest.strip()  # trafilatura repeats the <h1> headline as the first line
    yield Record(title, body, origin, {k: v for k, v in fields.items() if v})


#: alias -> (field, rank of the alias among the field's names); no alias names two fields.
_ALIAS_RANK: dict[str, tuple[str, int]] = {
    alias: (name, rank) for name, aliases in FIELD_ALIASES.items()
    for rank, alias in enumerate(aliases)}


def _pick_all(obj: dict[str, Any]) -> dict[str, Any]:
    """Each field's first non-empty value in the order of its aliases (keys lower-cased).

    One pass over the record's own keys (a handful) instead of a lookup of every alias of
    every field (46 names).
    """
    best: dict[str, tuple[int, Any]] = {}
    for key, value in obj.items():
        hit = _ALIAS_RANK.get(key)
        if hit is None or value is None or value == "" or value == []:
            continue
        name, rank = hit
        held = best.get(name)
        if held is None or rank < held[0]:
            best[name] = (rank, value)
    return {name: value for name, (_, value) in best.items()}


def _record_from_obj(obj: Any, origin: Origin) -> Record | Skip:
    if not isinstance(obj, dict):
        return Skip(origin, f"expected a JSON object, found {type(obj).__name__}")
    if any(k != k.lower() for k in obj):
        obj = {k.lower(): v for k, v in obj.items()}  # field names in any case
    picked = _pick_all(obj)
    text = picked.get("text")
    if not isinstance(text, str) or not text.strip():
        names = "/".join(FIELD_ALIASES["text"][:4])
        return Skip(origin, f"record has no article text (field {names}...)")
    title = picked.get("title")
    title = title.strip() if isinstance(title, str) else ""
    body = text.strip("\r\n\t ")
    if not title:
        title, rest = _title_and_body(body.split("\n"))
        title, body = (title, rest) if rest else (title[:120], body)
    fields = {}
    for name in ("id", "url", "published", "outlet", "language", "author", "path"):
        value = picked.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            value = [str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value]
        elif isinstance(value, dict):
            value = str(value.get("name") or value.get("title") or json.dumps(value))
        else:
            value = str(value)
        fields[name] = value
    exported = _exported_meta(obj.get("metadata"))
    if exported:
        fields["metadata"] = exported
    return Record(title, body, origin, fields)


def _exported_meta(value: Any) -> list[MetaValue] | None:
    """The ``metadata`` list written by ``newstrace export``, when a record carries a valid one.

    It keeps each value's provenance, so re-ingesting an export does not turn a value read from
    the text, or a guess, into a container value, and keeps container values (such as the
    external id) that have no top-level field in the export.
    """
    if not isinstance(value, list) or not value:
        return None
    out = []
    for m in value:
        if not (isinstance(m, dict) and m.get("field") in META_FIELDS
                and m.get("source") in ("container", "text", "guessed")
                and isinstance(m.get("value"), str) and m["value"].strip()
                and isinstance(m.get("evidence", ""), str)
                and all(isinstance(m.get(k), int | None) for k in ("start", "end"))):
            return None
        out.append(MetaValue(m["field"], m["value"], m["source"], m.get("evidence", ""),
                             m.get("start"), m.get("end")))
    return out


def _from_jsonl(text: str, label: str) -> Iterator[Record | Skip]:
    for n, line in enumerate(io.StringIO(text), start=1):
        if line.strip():
            yield from _jsonl_line(line.encode("utf-8"), label, n)


def _from_json(text: str, label: str) -> Iterator[Record | Skip]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skip(Origin(label, exc.lineno, "json"),
                   f"malformed JSON on line {exc.lineno}: {exc.msg} (column {exc.colno})")
        return
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "results", "documents", "docs"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    items = data if isinstance(data, list) else [data]
    for n, obj in enumerate(items, start=1):
        yield _record_from_obj(obj, Origin(label, n, "json"))


_EPOCH = re.compile(r"\d{9,10}(?:\.\d+)?|\d{12,13}")


def normalise_published(value: str) -> str | None:
    """A container's publication date as ISO 8601, so that dates compare as strings: a date
    ("2021-07-07") stays a date; a time with a zone becomes UTC ("2021-07-07T07:00:00Z"); RFC
    822 ("Wed, 07 Jul 2021 09:00:00 GMT"), Unix seconds or milliseconds, and written dates
    with a year ("July 7, 2021") are read too. None when it is none of these: such a value
    must not decide which of two articles came first."""
    from .when import parse_date

    text = value.strip()
    if not text:
        return None
    moment: _dt.datetime | None = None
    try:
        moment = _dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        if _EPOCH.fullmatch(text):
            seconds = float(text) / (1000 if len(text.split(".")[0]) > 10 else 1)
            moment = _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc)
        elif (re.search(r"\d{1,2}:\d{2}", text) or re.match(r"[A-Za-z]{3},", text)) \
                and not re.search(r"\b[AaPp]\.?[Mm]\b", text):  # RFC 822 has no AM/PM
            try:
                moment = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                moment = None
    if moment is None:
        day = parse_date(text)
        return day.isoformat() if day is not None else None
    if not (1800 <= moment.year <= 2200):
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if moment.tzinfo is not None:
        return moment.astimezone(_dt.timezone.utc).replace(tzinfo=None).isoformat(
            timespec="seconds") + "Z"
    return moment.isoformat(timespec="seconds")


def build_article(rec: Record) -> Article | Skip:
    """Normalise a record, derive its id and attach container and text metadata."""
    norm_title = normalize(rec.title)
    norm_body = normalize(rec.body)
    if not norm_body:
        return Skip(rec.origin, "article body is empty")
    aid = article_id(norm_title, norm_body)
    if rec.fields.get("metadata") and rec.fields.get("id") == aid:
        # re-ingesting an unedited export: its metadata, provenance and all
        return _article(aid, rec, norm_title, norm_body, list(rec.fields["metadata"]))
    meta: list[MetaValue] = []
    for name, value in rec.fields.items():
        if name in ("path", "metadata") or (name == "id" and value == aid):  # from an export
            continue
        fieldname = "external_id" if name == "id" else name
        for v in value if isinstance(value, list) else [value]:
            v = v.strip()
            if not v:
                continue
            if fieldname == "published":
                # stored as ISO 8601, the container's own words kept as the evidence; a value
                # that is no date is kept apart, where nothing compares it
                iso = normalise_published(v)
                if iso is None:
                    meta.append(MetaValue("published_unparsed", v, "container",
                                          evidence=f"field '{name}'"))
                else:
                    meta.append(MetaValue("published", iso, "container",
                                          evidence=f"field '{name}'" if iso == v
                                          else f"field '{name}': {v}"))
                continue
            meta.append(MetaValue(fieldname, v, "container", evidence=f"field '{name}'"))
    have = {m.field for m in meta}
    nl = rec.body.find("\n")
    first_line = rec.body if nl < 0 else rec.body[:nl]
    if "url" not in have and _URL_LINE.match(first_line) and _looks_like_address(first_line):
        start = len(first_line) - len(first_line.lstrip())
        meta.append(MetaValue("url", re.sub(r"\s+", "", first_line), "text",
                              first_line.strip(), start, len(first_line.rstrip())))
    for m in extract_metadata(rec.title, rec.body):
        # Text-derived values are kept as evidence even when the container has the field,
        # except guesses, which add nothing once a declared value exists.
        if m.source == "guessed" and m.field in have:
            continue
        meta.append(m)
    return _article(aid, rec, norm_title, norm_body, meta)


def _article(aid: str, rec: Record, norm_title: str, norm_body: str,
             meta: list[MetaValue]) -> Article:
    art = Article(aid, rec.title, rec.body, meta, _export_origin(rec))
    art.__dict__["norm_title"] = norm_title  # already computed: seed the caches
    art.__dict__["norm_body"] = norm_body
    return art


def _export_origin(rec: Record) -> Origin:
    """The original location a record names (``path``, as written by export), else its own."""
    if "path" in rec.fields and isinstance(rec.fields["path"], str):
        return Origin(rec.fields["path"], None, rec.origin.fmt)
    return rec.origin


def iter_articles(paths: Iterable[str], max_bytes: int = MAX_BYTES) -> Iterator[Article | Skip]:
    """Every article (or skip) from the given paths, in a deterministic order."""
    for item in iter_paths(paths):
        if isinstance(item, Skip):
            yield item
            continue
        for rec in read_source(item, max_bytes):
            yield rec if isinstance(rec, Skip) else build_article(rec)
