"""Command-line interface: argument parsing and printing only; the work is in the stages.

Exit codes (also in ``newstrace --help``):

* 0: success
* 1: error (e.g. the store could not be opened, an id was not found)
* 2: usage error (bad arguments)
* 3: finished, but some inputs were skipped (each named on standard error)
* 130: interrupted
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .ingest import FIELD_ALIASES, MAX_BYTES
from .models import Skip
from .progress import Progress
from .store import default_location, open_store
from .store.base import Store

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

EPILOG = """\
exit codes:
  0    success
  1    error (store unusable, id not found, ...)
  2    usage error
  3    done, but some inputs were skipped (each one named on stderr)
  130  interrupted

The store is ./newstrace.db unless --db or $NEWSTRACE_DB names another file.
"""


class CliError(Exception):
    """A failure to report as one line on stderr with exit code 1."""


def _fields_help() -> str:
    return "; ".join(f"{k}: {', '.join(v)}" for k, v in FIELD_ALIASES.items())


def _docs_arg(value: str) -> int | None:
    """``eval spin --lm --docs``: a positive count, or ``all`` (None)."""
    if value == "all":
        return None
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'all', not {value!r}") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("expected a positive number or 'all'")
    return n


def _rates_arg(value: str) -> tuple[float, ...]:
    """``eval spin --lm --rates``: substitution rates, comma-separated, each above 0 and below 1."""
    try:
        rates = tuple(float(v) for v in value.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected rates such as 0.2,0.3, not {value!r}") from None
    if not rates or any(not 0 < r < 1 for r in rates):
        raise argparse.ArgumentTypeError("expected rates above 0 and below 1, such as 0.2,0.3")
    return tuple(sorted(set(rates)))


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=None, metavar="FILE",
                        help="store file (default: ./newstrace.db or $NEWSTRACE_DB)")
    common.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing but errors; no progress bars")

    parser = argparse.ArgumentParser(
        prog="newstrace", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="Trace where news text came from, which event it reports, and whether "
                    "the sources agree.")
    parser.add_argument("--version", action="version", version=f"newstrace {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", metavar="PATH",
                       help="files or directories (recursive); '-' reads standard input")
        p.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="N",
                       help=f"skip files larger than N bytes (default {MAX_BYTES:,})")
        p.add_argument("--workers", type=int, default=1, metavar="N",
                       help="processes for parsing (ingest) and spin scoring (analyze); default 1")

    p = sub.add_parser(
        "ingest", parents=[common], help="store articles from files, directories or stdin",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Store articles. Plain text (first line = title), HTML, JSON Lines, JSON "
                    "arrays, and gzip of any of these.",
        epilog="JSON fields read (first name found wins):\n  " + _fields_help().replace(
            "; ", "\n  "))
    add_inputs(p)
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")

    p = sub.add_parser("analyze", parents=[common],
                       help="ingest, run every analysis, write report.json and report.html")
    add_inputs(p)
    p.add_argument("--out", required=True, metavar="DIR", help="directory for the report")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--spin-lm", dest="lm", action="store_true",
                   help="score spin with the optional language model too (extra: lm; about a "
                        "second per article, in this process)")

    p = sub.add_parser("show", parents=[common],
                       help="show one article, near-duplicate group or event")
    p.add_argument("id", metavar="ID", help="an article id (art_...), near-duplicate group id "
                                            "(dup_...) or event id (evt_...); a unique prefix "
                                            "is enough")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument("--full", action="store_true", help="print the whole text")

    p = sub.add_parser("sources", parents=[common],
                       help="the sources of one article (a file or a stored id), with evidence")
    p.add_argument("target", metavar="FILE_OR_ID",
                   help="an article file (recognised by content if already stored) or an id")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="N", help=argparse.SUPPRESS)

    for name, help_text in (("spin", "is one article machine-spun? score, verdict, evidence"),
                            ("despin", "one article with the likely original wording restored")):
        p = sub.add_parser(name, parents=[common], help=help_text)
        p.add_argument("target", metavar="FILE_OR_ID", help="an article file or a stored id")
        p.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="N",
                       help=argparse.SUPPRESS)
        p.add_argument("--lm", action="store_true",
                       help="add the language-model signal (SmolLM2-135M; extra: lm)")
        if name == "spin":
            p.add_argument("--json", action="store_true", help="print as JSON")
        else:
            p.add_argument("--plain", action="store_true",
                           help="the restored text only, without [[original|spun]] marks")
            p.add_argument("--json", action="store_true", help="print the changes as JSON")

    p = sub.add_parser("events", parents=[common], help="the events in the store, largest first")
    p.add_argument("--json", action="store_true", help="print the event cards as JSON")
    p.add_argument("--recluster", action="store_true",
                   help="group the stored articles into events again before listing them")

    p = sub.add_parser("facts", parents=[common],
                       help="what each source says (counts, quotes, outcome, who did what to whom), lined up: "
                            "agree or conflict")
    p.add_argument("targets", nargs="+", metavar="EVENT_ID_OR_FILE",
                   help="an event id, or two or more article files (or stored article ids)")
    p.add_argument("--json", action="store_true", help="print the fact rows as JSON")
    p.add_argument("--all", action="store_true", help="also facts only one source reports")
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="N", help=argparse.SUPPRESS)

    p = sub.add_parser("eval", parents=[common], help="measure quality on the shared real data")
    p.add_argument("what", choices=("provenance", "spin", "events", "places", "facts"),
                   help="which evaluation")
    p.add_argument("--data", metavar="DIR", default=None,
                   help="the shared data folder (default ../shared/data or $NEWSTRACE_DATA)")
    p.add_argument("--quick", action="store_true", help="a smaller sample, for a fast look")
    p.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    p.add_argument("--lm", action="store_true",
                   help="spin: the default detector against the one with the language model "
                        "(extra: lm), on a sample of part B")
    p.add_argument("--docs", type=_docs_arg, default=150, metavar="N|all",
                   help="spin --lm: how many part B originals (default 150), or all: every "
                        "original of both parts (with bfloat16 on two cores: about an hour for 20%% "
                        "alone, two hours for 30-50%%)")
    p.add_argument("--rates", type=_rates_arg, default=None, metavar="R,R,...",
                   help="spin --lm: the substitution rates of the held-out spins (default "
                        "0.1,0.2,0.3,0.4,0.5)")
    p.add_argument("--lm-layer", metavar="FILE", default=None,
                   help="spin --lm: measure this language-model layer instead of the shipped "
                        "one (as build_spin_data.py --lm-model writes it)")

    p = sub.add_parser("serve", parents=[common],
                       help="a local web app over the store (pages, search, JSON API)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", dest="serve_workers", type=int, default=None, metavar="N",
                   help="worker processes (default: the number of CPUs, at most 4)")
    p.add_argument("--access-log", action="store_true",
                   help="log every request (off by default: it costs CPU per request)")

    p = sub.add_parser("export", parents=[common],
                       help="export a table: articles (default), events, reuse or facts")
    p.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    p.add_argument("--table", choices=("articles", "events", "reuse", "facts"),
                   default="articles",
                   help="articles (with event, copy group, spin and sources), events (cards), "
                        "reuse (links with their evidence figures) or facts (per event and source)")
    p.add_argument("--out", default="-", metavar="FILE", help="output file (default stdout)")
    return parser


#: C0 and C1 control characters (tab and newline aside) are written as escapes such as
#: \\u001b on a terminal: an article's title or text must not move the cursor, clear the
#: screen or retitle the window.
_CONTROL = {c: f"\\u{c:04x}" for c in (*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f,
                                       *range(0x80, 0xa0))}


class _TerminalText:
    """A terminal stream that writes control characters from the data as visible escapes."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(_CONTROL))

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, ...
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    if sys.stdout.isatty() and not isinstance(sys.stdout, _TerminalText):
        sys.stdout = _TerminalText(sys.stdout)  # type: ignore[assignment]
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "max_bytes", 1) <= 0:
        parser.error("--max-bytes must be positive")
    if getattr(args, "workers", 1) < 1:
        parser.error("--workers must be at least 1")
    if getattr(args, "lm_layer", None) and not getattr(args, "lm", False):
        parser.error("--lm-layer needs --lm")
    if getattr(args, "rates", None) and not getattr(args, "lm", False):
        parser.error("--rates needs --lm")
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("newstrace: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (CliError, FileNotFoundError, ValueError, RuntimeError) as exc:
        print(f"newstrace: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except sqlite3.Error as exc:
        print(f"newstrace: error: store {args.db or default_location()}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # the reader stopped early ("newstrace export | head"): what it read is what it wanted;
        # stdout goes to /dev/null so that the interpreter's last flush does not fail again
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK
    except OSError as exc:
        print(f"newstrace: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    handler = {"ingest": cmd_ingest, "analyze": cmd_analyze, "show": cmd_show,
               "sources": cmd_sources, "spin": cmd_spin, "despin": cmd_despin,
               "events": cmd_events, "facts": cmd_facts, "eval": cmd_eval,
               "serve": cmd_serve, "export": cmd_export}[args.command]
    return handler(args)


def _progress(args: argparse.Namespace) -> Progress:
    return Progress(False if args.quiet else None)


def _open(args: argparse.Namespace, readonly: bool = False) -> Store:
    return open_store(args.db or default_location(), readonly=readonly)


def _config(args: argparse.Namespace) -> Config:
    return Config(max_bytes=args.max_bytes, workers=args.workers)


def _say_left_out(args: argparse.Namespace, result: Any) -> None:
    """One line for the files of the given folders that were not read (their extensions)."""
    if result.left_out and not args.quiet:
        kinds = ", ".join(f"{ext} x{n}" for ext, n in result.left_out.items())
        print(f"newstrace: {_n(sum(result.left_out.values()), 'file')} of other kinds left out "
              f"of the folders given ({kinds}); articles are read from .txt, .html, .htm, "
              f".json, .jsonl, .ndjson (and .gz of these)", file=sys.stderr)


def _skip_printer(args: argparse.Namespace):
    def on_skip(skip: Skip) -> None:
        print(f"newstrace: skipped {skip.message()}", file=sys.stderr)
    return on_skip


def cmd_ingest(args: argparse.Namespace) -> int:
    from .pipeline import ingest

    config = _config(args)
    with _open(args) as store:
        result = ingest(store, args.paths, config, _progress(args), _skip_printer(args))
        total = store.count_articles()
    _say_left_out(args, result)
    summary = {"new": result.new, "existing": result.existing,
               "skipped": len(result.skipped), "articles_in_store": total,
               "store": args.db or default_location()}
    if args.json:
        summary["inputs"] = [{"path": o.origin.path, "line": o.origin.line, "status": o.status,
                              "article_id": o.article_id, "reason": o.reason}
                             for o in result.outcomes]
        print(json.dumps(summary, indent=1))
    elif not args.quiet:
        print(f"ingested {result.new} new, {result.existing} already stored, "
              f"{len(result.skipped)} skipped; {_n(total, 'article')} in {summary['store']}")
    return EXIT_PARTIAL if result.skipped else EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    from . import report
    from .pipeline import detect_spin, find_copies, find_events, find_provenance, ingest

    config = _config(args)
    spin_config = _spin_config(args)  # fails early where --spin-lm lacks the extra
    progress = _progress(args)
    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise CliError(f"--out {args.out} is a file: the report needs a folder")
    with _open(args) as store:
        result = ingest(store, args.paths, config, progress, _skip_printer(args))
        _say_left_out(args, result)
        find_copies(store, config, progress)
        find_provenance(store, config, progress)
        detect_spin(store, progress, workers=config.workers, config=spin_config)
        find_events(store, progress)
        store.update_search_index()
        rep = report.build(store, result)
    json_path, html_path = report.write(rep, args.out)
    s = rep["summary"]
    if args.json:
        print(json.dumps({"summary": s, "report_json": str(json_path),
                          "report_html": str(html_path)}, indent=1))
    elif not args.quiet:
        print(f"{s['articles']} articles in store ({s['new']} new, {s['existing']} already "
              f"stored, {s['skipped']} inputs skipped)")
        print(f"{s['duplicate_groups']} near-duplicate groups covering "
              f"{s['articles_in_duplicate_groups']} articles; {s['reuse_links']} reuse links "
              f"({s['spun_copies']} spun copies) in {s['stories']} stories; "
              f"{_n(s['spun_articles'], 'article')} read as machine-spun")
        for g in rep["duplicate_groups"][:5]:
            rep_title = next(m["title"] for m in g["members"] if m["id"] == g["representative"])
            print(f"  {g['id']}: {g['size']} near-identical articles, first \"{_clip(rep_title)}\"")
        print(_n(s["events"], "event"))
        for e in rep["events"][:5]:
            summary = report.event_summary(e)
            where = (e.get("where") or {}).get("name") or "?"
            when = report.when_label(e.get("when")) if (e.get("when") or {}).get("date") else "?"
            print(f"  {e['id']}: {_n(summary['size'], 'article')} ({summary['sources']} "
                  f"independent), {where}, {when}: \"{_clip(e['headline'], 60)}\"")
        print(f"report: {html_path}")
        print(f"        {json_path}")
    return EXIT_PARTIAL if result.skipped else EXIT_OK


def _clip(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _resolve(store: Store, ident: str) -> str:
    matches = store.resolve_id(ident)
    if ident in matches:
        return ident
    if not matches:
        raise CliError(f"no article or group with id {ident!r} in {store.location}")
    if len(matches) > 1:
        raise CliError(f"id {ident!r} is ambiguous: {', '.join(matches[:5])}")
    return matches[0]


def cmd_show(args: argparse.Namespace) -> int:
    from .report import CONFLICT, article_record, provenance_records

    with _open(args, readonly=True) as store:
        if args.id.startswith("evt_"):
            card = store.event(args.id)
            if card is None:
                raise CliError(f"no single event with id {args.id!r} in {store.location}")
            cards = [card]
            if args.json:
                print(json.dumps(cards[0], indent=1, ensure_ascii=False))
            else:
                _print_card(cards[0])
            return EXIT_OK
        ident = _resolve(store, args.id)
        clusters = store.copy_clusters()
        if ident.startswith("dup_"):
            group = next(c for c in clusters if c.id == ident)
            pairs = [p for p in store.duplicate_pairs() if p.a in group.members]
            arts = {a.id: a for a in store.iter_articles(group.members)}
            data: dict[str, Any] = {
                "id": group.id, "representative": group.representative,
                "members": [{"id": m, "title": arts[m].title,
                             "paths": [o.label() for o in store.sightings(m)]}
                            for m in group.members],
                "pairs": [p.__dict__ for p in pairs]}
            if args.json:
                print(json.dumps(data, indent=1, ensure_ascii=False))
                return EXIT_OK
            print(f"copy group {group.id}: {len(group.members)} articles")
            for m in data["members"]:
                star = "*" if m["id"] == group.representative else " "
                print(f" {star} {m['id']}  {_clip(m['title'])}  [{', '.join(m['paths'])}]")
            for p in pairs:
                print(f"   {p.a} ~ {p.b}: {p.relation}, Jaccard {p.jaccard:.2f}, "
                      f"containment {p.containment:.2f}")
            return EXIT_OK
        art = store.get_article(ident)
        assert art is not None
        cluster_id = next((c.id for c in clusters if ident in c.members), None)
        prov = provenance_records(store.reuse_links(ident)).get(ident)
        rec = article_record(art, [{"path": o.path, "line": o.line}
                                   for o in store.sightings(ident)], cluster_id, prov,
                             store.spin_reports([ident]).get(ident))
        event_id = store.event_id_of(ident)
        card = store.event(event_id) if event_id else None
        rec["event"] = None if card is None else {
            "id": card["id"], "headline": card.get("headline"),
            "sources": len(card.get("articles", [])),
            "conflicts": sum(f.get("status") in CONFLICT for f in card.get("facts", []))}
    if args.json:
        print(json.dumps(rec, indent=1, ensure_ascii=False))
        return EXIT_OK
    print(f"{rec['id']}  {rec['title']}")
    for p in rec["paths"]:
        print(f"  seen in {p['path']}{':' + str(p['line']) if p['line'] else ''}")
    print(f"  {rec['words']} words" + (f"; copy group {cluster_id}" if cluster_id else ""))
    for fld, values in sorted(rec["metadata"].items()):
        for v in values:
            ev = f'  "{_clip(v["evidence"], 60)}"' if v.get("evidence") else ""
            print(f"  {fld:<12} {v['value']}  ({v['source']}){ev}")
    for src in rec["provenance"]["sources"]:
        print(f"  source       {src['id']}: {src['relation']} (confidence {src['score']:.2f}; "
              f"direction by {src['direction']})")
    for cp in rec["provenance"]["copies"]:
        print(f"  copied by    {cp}")
    if rec["provenance"].get("note"):
        print(f"  provenance   {rec['provenance']['note']}")
    if rec.get("event"):
        ev = rec["event"]
        print(f"  event        {ev['id']}  {_clip(ev['headline'] or '', 50)!r} "
              f"({_n(ev['sources'], 'source')}, {_n(ev['conflicts'], 'conflicting fact')}: "
              f"newstrace facts {ev['id']})")
    if rec["spin"]:
        sp = rec["spin"]
        print(f"  spin         {'spun' if sp['verdict'] else 'not spun'} (probability "
              f"{sp['score']:.2f}; {len(sp['evidence'])} pieces of evidence: "
              f"newstrace spin {rec['id'][:12]})")
    print()
    text = rec["text"]
    print(text if args.full or len(text) <= 1200 else text[:1200] + " …  (--full for all)")
    return EXIT_OK


def _target_article(store: Store | None, target: str, max_bytes: int):
    """The one article a FILE_OR_ID names, and whether it is stored."""
    from .ingest import build_article, read_source

    if Path(target).is_file() or target == "-" or store is None:
        arts = []
        for rec in read_source(target, max_bytes):
            if isinstance(rec, Skip):
                raise CliError(rec.message())
            item = build_article(rec)
            if isinstance(item, Skip):
                raise CliError(item.message())
            arts.append(item)
        if len(arts) != 1:
            raise CliError(f"{target} holds {len(arts)} articles; give one article or an id")
        return arts[0], store is not None and store.get_article(arts[0].id) is not None
    found = store.get_article(_resolve(store, target))
    if found is None:
        raise CliError(f"{target} is not an article id")
    return found, True


def _maybe_store(args: argparse.Namespace) -> Store | None:
    """The store if there is one (spin and despin also work on a file without any store)."""
    location = args.db or default_location()
    return open_store(location, readonly=True) if Path(location).exists() else None


def _article_and_lexicon(args: argparse.Namespace):
    """The article a FILE_OR_ID names, and the store's learned substitutions (if any store)."""
    store = _maybe_store(args)
    try:
        article, _ = _target_article(store, args.target, args.max_bytes)
        learned = [(e.original, e.substitute, e.count) for e in store.lexicon()] if store else []
    finally:
        if store:
            store.close()
    return article, learned


def _spin_config(args: argparse.Namespace):
    """The spin configuration a command asks for (``--lm``: with the language model)."""
    from . import spin

    if not getattr(args, "lm", False):
        return None
    from .spin_lm import LanguageModelMissing, gguf_path

    try:
        gguf_path()
    except LanguageModelMissing as exc:
        raise CliError(str(exc)) from None
    return spin.SpinConfig(language_model=True)


def cmd_spin(args: argparse.Namespace) -> int:
    from . import spin

    config = _spin_config(args)
    article, learned = _article_and_lexicon(args)
    rep = spin.detect(article.body, learned=learned, config=config)
    if args.json:
        print(json.dumps({"article": article.id, "title": article.title, **rep.to_dict()},
                         indent=1, ensure_ascii=False))
        return EXIT_OK
    print(f"{article.id}  {_clip(article.title)}")
    print(f"  {rep.label}: probability {rep.score:.2f} (threshold {rep.threshold:.2f}); "
          f"about {rep.rate:.0%} of content words look substituted; "
          f"{len(rep.evidence)} pieces of evidence")
    for e in rep.evidence:
        guess = f" -> likely {e.original!r}" if e.original else ""
        print(f"  [{e.start}:{e.end}] {e.phrase!r}{guess} ({e.confidence:.2f}; "
              f"{'; '.join(e.reasons)})")
    return EXIT_OK


def cmd_despin(args: argparse.Namespace) -> int:
    from . import spin

    config = _spin_config(args)
    article, learned = _article_and_lexicon(args)
    restored = spin.despin(article.body, spin.detect(article.body, learned=learned,
                                                     config=config))
    if args.json:
        print(json.dumps({"article": article.id, **restored.to_dict()}, indent=1,
                         ensure_ascii=False))
    else:
        print(restored.text if args.plain else restored.marked)
    return EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    from .pipeline import sources_of
    from .provenance import changed_figures

    with _open(args, readonly=True) as store:
        article, stored = _target_article(store, args.target, args.max_bytes)
        sources, copies = sources_of(store, article)
        paths = {x: [o.label() for o in store.sightings(x)]
                 for x in {*(s.source for s in sources), *(c.copy for c in copies)}}
    data = {"article": article.id, "title": article.title, "stored": stored,
            "sources": [{**s.summary(), "source_paths": paths.get(s.source, []),
                         "changed_figures": [list(p) for p in changed_figures(s.alignment)],
                         "evidence": s.evidence()} for s in sources],
            "copies": [{**c.summary(), "copy_paths": paths.get(c.copy, [])} for c in copies]}
    if args.json:
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return EXIT_OK
    state = "stored" if stored else "not stored"
    print(f"{article.id}  {_clip(article.title)}  ({state})")
    if not sources:
        print("  no source among the stored articles")
    for s in sources:
        f = s.features
        print(f"  source {s.source} [{', '.join(paths.get(s.source, []))}]")
        print(f"    {s.relation}, confidence {s.score:.2f}; {f.aligned} aligned sentences cover "
              f"{f.copy_coverage:.0%} of this article; identical words {f.identity:.0%}; "
              f"{f.substitutions} word swaps, {f.other_edits} other edits")
        print(f"    direction: {s.direction.decided_by}: {'; '.join(s.direction.reasons)}")
        figures = changed_figures(s.alignment)
        if figures:
            print(f"    {_n(len(figures), 'changed figure')}: "
                  + "; ".join(f"{a!r} -> {b!r}" for a, b in figures[:6]))
        for a, b, n in s.alignment.table()[:12]:
            print(f"      {a!r} -> {b!r}" + (f" x{n}" if n > 1 else ""))
        if s.alignment.added:
            print(f"    {len(s.alignment.added)} sentences added, "
                  f"{len(s.alignment.dropped)} of the source's left out")
    for c in copies:
        print(f"  copied by {c.copy} [{', '.join(paths.get(c.copy, []))}]: {c.relation}, "
              f"confidence {c.score:.2f}")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation import datasets

    log = (lambda _m: None) if args.quiet else print
    try:
        if args.what == "provenance":
            from .evaluation import provenance_eval

            result = provenance_eval.run(args.data, per_rate=40 if args.quick else 100, log=log)
        elif args.what == "events":
            from .evaluation import events_eval

            result = events_eval.run(args.data, out=None if args.quiet else sys.stdout)
        elif args.what == "spin":
            from .evaluation import spin_eval

            if args.lm:
                _spin_config(args)
                from .evaluation import spin_lm_eval

                result = spin_lm_eval.run(n_docs=args.docs, root=args.data,
                                          rates=args.rates or spin_eval.RATES,
                                          verbose=not args.quiet, layer_path=args.lm_layer)
            else:
                result = spin_eval.run(args.data, quick=args.quick, verbose=not args.quiet)
        elif args.what == "facts":
            from .evaluation import facts_eval

            result = facts_eval.run(args.data, out=None if args.quiet else sys.stdout)
        else:
            from . import places

            gold = Path(__file__).resolve().parents[2] / "eval" / "places" / "places_gold.tsv"
            result = places.evaluate(gold, data_dir=str(datasets.data_root(args.data)))
            log(f"places: {result['accuracy']:.3f} of {result['n']} mentions "
                f"found and resolved in their articles; {result['resolution_accuracy']:.3f} "
                f"resolved from the bare mention")
    except datasets.DatasetMissing as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    return EXIT_OK


def _n(count: int, noun: str) -> str:
    """"1 article", "2 articles"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _print_card(card: dict[str, Any]) -> None:
    when = card.get("when") or {}
    where = card.get("where") or {}
    print(f"{card['id']}  {card['headline']}")
    from .report import when_label

    evidence = ", ".join(repr(ev.get("text")) for ev in when.get("evidence", [])[:3])
    print(f"  when   {when_label(when)}" + (f"  from {evidence}" if evidence else ""))
    if where:
        from .report import place_label

        place = place_label(where)
        coords = f" ({where['lat']:.4f}, {where['lon']:.4f})" if where.get("lat") is not None \
            else ""
        print(f"  where  {place}{coords}")
    who = [w.get("name", "") for w in card.get("who", [])[:8]]
    if who:
        print(f"  who    {', '.join(who)}")
    what = [w.get("kind", "") for w in card.get("what", [])[:3]]
    if what:
        print(f"  what   {', '.join(what)}")
    for a in card.get("articles", []):
        print(f"  - {a['id']}  {_clip(a.get('title') or '', 60)}  {a.get('outlet') or ''}")
        for c in a.get("copies", []):
            cid = c["id"] if isinstance(c, dict) else c
            print(f"      copy {cid}")


def cmd_facts(args: argparse.Namespace) -> int:
    from .facts import compare_facts
    from .report import event_facts

    store = _maybe_store(args)
    try:
        if len(args.targets) == 1 and args.targets[0].startswith("evt_"):
            if store is None:
                raise CliError(f"no store at {args.db or default_location()}")
            card = store.event(args.targets[0])
            if card is None:
                raise CliError(f"no single event with id {args.targets[0]!r}")
            cards = [card]
            rows = event_facts(store, cards[0])
            label = f"{cards[0]['id']}  {cards[0]['headline']}"
        else:
            if len(args.targets) < 2:
                print("newstrace facts: give an event id, or two or more articles to compare",
                      file=sys.stderr)
                return EXIT_USAGE
            arts = [_target_article(store, t, args.max_bytes)[0] for t in args.targets]
            rows = [r.to_dict() for r in compare_facts([(a.id, a.title, a.body) for a in arts])]
            label = f"{len(arts)} articles"
    finally:
        if store:
            store.close()
    if not args.all:
        rows = [r for r in rows if r["status"] != "single-source"]
    if args.json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return EXIT_OK
    print(label)
    _print_fact_rows(rows, shown_all=args.all)
    return EXIT_OK


def _print_fact_rows(rows: list[dict[str, Any]], shown_all: bool) -> None:
    """The lined-up facts for a terminal: the sources numbered once, then each fact with its
    status, every source's words (count interval, speaker, outcome reading, who did it to
    whom) and the pairs that disagree."""
    from .claims import READINGS

    order: dict[str, int] = {}
    titles: dict[str, tuple[str, str]] = {}
    for r in rows:
        for v in r["values"]:
            if v["article_id"] not in order:
                order[v["article_id"]] = len(order) + 1
                titles[v["article_id"]] = (v.get("title") or "", v.get("published") or "")
    for aid, n in order.items():
        title, pub = titles[aid]
        print(f"  [{n}] {aid}  {_clip(title, 60)}{'  ' + pub[:10] if pub else ''}")
    if not rows:
        print("  no fact reported by more than one source" if not shown_all else "  no facts found")
        return
    tally: dict[str, int] = {}
    for r in rows:
        tally[r["status"]] = tally.get(r["status"], 0) + 1
        main = "  (the event's main action)" if r.get("main") else ""
        print(f"  {r['status']:<15} {r['kind']}: {' / '.join(str(k) for k in r['key'])}{main}")
        for v in r["values"]:
            extra = []
            if v.get("interval"):
                extra.append(v["interval"])
            if v.get("speaker"):
                extra.append(f"said by {v['speaker']}" + (f", {v['role']}" if v.get("role") else ""))
            if r["kind"] == "claim" and v.get("role") in READINGS:
                extra.append(READINGS[v["role"]])
            if r["kind"] == "action" and v.get("agent"):
                extra.append(f"by {v['agent']}, to {v.get('target') or '?'}"
                             + ("; headline" if v.get("role") == "headline" else ""))
            if v.get("copy_of"):
                extra.append(f"copy of [{order.get(v['copy_of'], '?')}]")
            note = f"  ({'; '.join(extra)})" if extra else ""
            print(f"      [{order[v['article_id']]}] {_clip(v['text'], 80)!r}{note}")
        odd = [p for p in r.get("pairs", []) if p["status"] not in ("agree", "copy")]
        if r["status"] != "agree" and odd:
            print("      " + ", ".join(f"[{order.get(p['a'], '?')}] vs [{order.get(p['b'], '?')}]: "
                                     f"{p['status']}" for p in odd[:6])
                  + (f", ... ({len(odd) - 6} more)" if len(odd) > 6 else ""))
    summary = ", ".join(f"{n} {st}" for st, n in sorted(tally.items(), key=lambda x: -x[1]))
    hidden = "" if shown_all else "; facts of one source only are left out (--all shows them)"
    print(f"  {len(rows)} facts: {summary}{hidden}")


def cmd_events(args: argparse.Namespace) -> int:
    if args.recluster:
        from .pipeline import find_events

        with _open(args) as store:
            find_events(store, _progress(args))
    with _open(args, readonly=True) as store:
        cards = store.events()
    if args.json:
        print(json.dumps(cards, indent=1, ensure_ascii=False))
        return EXIT_OK
    if not cards:
        print("no events yet: run 'newstrace analyze' (or 'newstrace events --recluster')")
    for card in cards:
        _print_card(card)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from . import serve
    except ImportError as exc:
        raise CliError(f"serve needs its extra: pip install 'newstrace[serve]' ({exc})") from None
    location = args.db or default_location()
    workers = serve.default_workers() if args.serve_workers is None else args.serve_workers
    if workers < 1:
        raise CliError("--workers must be at least 1")
    if location != ":memory:" and not Path(location).exists():
        print(f"newstrace: no store at {location}: serving a new, empty one (add articles with "
              f"'newstrace ingest --db {location} ...' or POST /api/articles)", file=sys.stderr)
    open_store(location).close()  # create or migrate it before serving
    serve.run(location, host=args.host, port=args.port, workers=workers,
              access_log=args.access_log)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    out = None if args.out == "-" else args.out
    with _open(args, readonly=True) as store:
        n = export(store, args.format, out, args.table)
    if out and not args.quiet:
        what = {"articles": "articles", "events": "events", "reuse": "reuse links",
                "facts": "fact values"}[args.table]
        print(f"exported {n} {what} to {out}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
