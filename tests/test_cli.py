"""The README's main command on the bundled examples, and the other commands end to end."""

import json
import shutil
from pathlib import Path

import pytest

from newstrace.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED_000 = "000_4939783a04e9bdd2.txt"
SEED_003 = "003_8eb8f662f504325c.txt"


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("analyze")
    code = main(["analyze", str(EXAMPLES), "--out", str(tmp / "out"), "--db",
                 str(tmp / "s.db"), "-q"])
    assert code == EXIT_OK
    rep = json.loads((tmp / "out" / "report.json").read_text(encoding="utf-8"))
    return tmp, rep


def _by_file(rep: dict, name: str) -> dict:
    return next(a for a in rep["articles"] if any(p["path"].endswith(name) for p in a["paths"]))


def test_analyze_lists_seeds_with_metadata(analyzed: tuple[Path, dict]) -> None:
    _, rep = analyzed
    a000, a003 = _by_file(rep, SEED_000), _by_file(rep, SEED_003)
    assert a000["title"] == "Taliban fighters storm capital of northwestern Afghan province"
    assert a003["title"].startswith("Taliban Attack a Provincial Capital")
    assert a003["dateline"] == "Kabul, Afghanistan"
    credit = a003["metadata"]["credit"]
    assert any("Thomas Gibbons-Neff reported from Kabul" in c["evidence"] for c in credit)
    assert "Thomas Gibbons-Neff" in a003["authors"]
    assert "Reuters" in a000["agencies"]
    assert a000["language"] == a003["language"] == "en"


def test_seeds_are_independent(analyzed: tuple[Path, dict]) -> None:
    _, rep = analyzed
    a000, a003 = _by_file(rep, SEED_000), _by_file(rep, SEED_003)
    assert a000["copy_cluster"] is None and a003["copy_cluster"] is None


def test_planted_html_reprint_is_found(analyzed: tuple[Path, dict]) -> None:
    _, rep = analyzed
    reprint = _by_file(rep, "daily-reprint-network.html")
    assert reprint["copy_cluster"] is not None
    group = next(g for g in rep["duplicate_groups"] if g["id"] == reprint["copy_cluster"])
    others = [m["id"] for m in group["members"] if m["id"] != reprint["id"]]
    original = next(a for a in rep["articles"] if a["id"] in others)
    assert any(m["value"] == "ecbplus:41_1ecb" for m in original["metadata"]["external_id"])
    # the page's navigation and footer are left out by trafilatura
    assert "All rights reserved" not in reprint["text"] and "Subscribe" not in reprint["text"]


def test_report_written_and_rerun_adds_nothing(analyzed: tuple[Path, dict],
                                               capsys: pytest.CaptureFixture) -> None:
    tmp, rep = analyzed
    assert (tmp / "out" / "report.html").stat().st_size > 10_000
    n = rep["summary"]["articles"]
    code = main(["analyze", str(EXAMPLES), "--out", str(tmp / "out2"), "--db",
                 str(tmp / "s.db"), "--json"])
    assert code == EXIT_OK
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["articles"] == n and summary["new"] == 0 and summary["existing"] == n


def test_show_article_and_group(analyzed: tuple[Path, dict],
                                capsys: pytest.CaptureFixture) -> None:
    tmp, rep = analyzed
    db = str(tmp / "s.db")
    a003 = _by_file(rep, SEED_003)
    assert main(["show", a003["id"][:10], "--db", db]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Kabul, Afghanistan" in out and "(text)" in out
    assert f"event        {a003['event']}" in out and "2 sources" in out
    assert main(["show", a003["id"], "--db", db, "--json"]) == EXIT_OK
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == a003["id"] and shown["event"]["id"] == a003["event"]
    assert shown["event"]["conflicts"] >= 1
    group = rep["duplicate_groups"][0]
    assert main(["show", group["id"], "--db", db, "--json"]) == EXIT_OK
    shown = json.loads(capsys.readouterr().out)
    assert {m["id"] for m in shown["members"]} == {m["id"] for m in group["members"]}
    assert main(["show", "art_0000nothere", "--db", db]) == EXIT_ERROR
    assert "no article" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for argv in (["ingest"], ["analyze", "x"], ["export", "--format", "xml"], ["bogus"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == EXIT_USAGE


def test_stdin_and_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture) -> None:
    import io
    import sys

    seed = (EXAMPLES / "seeds" / SEED_000).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(seed)))
    assert main(["ingest", "-", "--db", str(tmp_path / "s.db"), "-q"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_examples_dir_is_copyable(tmp_path: Path) -> None:
    """The demo needs nothing outside the repository."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    assert main(["analyze", str(tmp_path / "examples"), "--out", str(tmp_path / "o"),
                 "--db", str(tmp_path / "d.db"), "-q"]) == EXIT_OK


def test_spin_and_despin_commands(analyzed: tuple[Path, dict],
                                  capsys: pytest.CaptureFixture) -> None:
    tmp, rep = analyzed
    db = str(tmp / "s.db")
    a003 = _by_file(rep, SEED_003)
    assert a003["spin"] is not None and a003["spin"]["evidence"]
    assert "credit line is in the style of The New York Times" in a003["provenance"]["note"]
    assert main(["spin", a003["id"], "--db", db, "--json"]) == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert out["article"] == a003["id"] and 0.0 <= out["score"] <= 1.0
    assert any(e["original"] == "thousands" for e in out["evidence"])
    seed = str(EXAMPLES / "seeds" / SEED_003)
    assert main(["despin", seed, "--db", str(tmp / "none.db")]) == EXIT_OK  # no store needed
    marked = capsys.readouterr().out
    assert "[[thousands|" in marked


def test_events_group_the_seeds_and_show_their_card(analyzed: tuple[Path, dict],
                                                    capsys: pytest.CaptureFixture) -> None:
    tmp, rep = analyzed
    db = str(tmp / "s.db")
    a000, a003 = _by_file(rep, SEED_000), _by_file(rep, SEED_003)
    assert a000["event"] is not None and a000["event"] == a003["event"]
    card = next(e for e in rep["events"] if e["id"] == a000["event"])
    assert {a["id"] for a in card["articles"]} == {a000["id"], a003["id"]}
    assert card["where"]["name"] == "Qala i Naw" and card["where"]["country"] == "Afghanistan"
    # the bundled ECB+ sample holds six real events (two per topic): none is merged with another
    sample = EXAMPLES / "ecbplus" / "ecbplus_sample.jsonl"
    gold = {json.loads(x)["id"]: json.loads(x)["event_cluster"]
            for x in sample.read_text(encoding="utf-8").splitlines()}
    ext = {a["id"]: a["metadata"]["external_id"][0]["value"] for a in rep["articles"]
           if "external_id" in a["metadata"]}
    for e in rep["events"]:
        assert len({gold[ext[a["id"]]] for a in e["articles"] if a["id"] in ext}) <= 1
    assert main(["events", "--db", db, "--json"]) == EXIT_OK
    cards = json.loads(capsys.readouterr().out)
    assert len(cards) == len(rep["events"])
    assert main(["show", card["id"], "--db", db]) == EXIT_OK
    assert "Badghis" in capsys.readouterr().out


def test_facts_of_the_seeds_event_show_the_prisoners_conflict(
        analyzed: tuple[Path, dict], capsys: pytest.CaptureFixture) -> None:
    tmp, rep = analyzed
    a000 = _by_file(rep, SEED_000)
    card = next(e for e in rep["events"] if e["id"] == a000["event"])
    rows = {tuple(f["key"]): f for f in card["facts"] if f["kind"] == "count"}
    assert rows[("escaped", "prisoner")]["status"] == "conflict"
    assert main(["facts", card["id"], "--db", str(tmp / "s.db"), "--json"]) == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert any(r["key"] == ["escaped", "prisoner"] and r["status"] == "conflict" for r in out)
    seeds = [str(EXAMPLES / "seeds" / s) for s in (SEED_000, SEED_003)]
    assert main(["facts", *seeds, "--db", str(tmp / "none.db")]) == EXIT_OK
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[1].startswith("  [1] art_") and lines[2].startswith("  [2] art_")
    i = next(n for n, line in enumerate(lines) if "count: escaped / prisoner" in line)
    assert lines[i].split()[0] == "conflict"
    assert "'More than 200'  ([201, inf))" in lines[i + 1]
    assert "'Dozens'  ([24, 99])" in lines[i + 2]
    assert lines[i + 3].strip() == "[1] vs [2]: conflict"
    # who did what to whom: both say the Taliban attacked the town (000 in its text, 003 in
    # its headline)
    j = next(n for n, line in enumerate(lines) if "action: attack / Qala" in line)
    assert lines[j].split()[0] == "agree"
    assert "by the Taliban, to the city of Qala-e-Naw" in text
    assert "by Taliban, to a Provincial Capital; headline" in text
    assert lines[-1].startswith("  ") and "conflict" in lines[-1] and "--all" in lines[-1]


def test_control_characters_of_articles_are_escaped_on_a_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An article's title must not drive the terminal (retitle the window, clear the screen):
    on a terminal its control characters are printed as \\uXXXX escapes."""
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    art = tmp_path / "a.txt"
    art.write_text("Title \x1b]0;pwned\x07 \x1b[2J here\n\nBody words of the article. " * 1,
                   encoding="utf-8")
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    assert main(["spin", str(art), "--db", str(tmp_path / "none.db")]) == EXIT_OK
    shown = screen.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Title \\u001b]0;pwned\\u0007 \\u001b[2J here" in shown


def test_files_of_other_kinds_in_a_folder_are_named(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    """A folder's PDF and Markdown files are not read; the command says so (but not of its
    README, and the run is not 'partial': nothing given by name was skipped)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A title\n\nSome body words here.", encoding="utf-8")
    (folder / "doc.pdf").write_bytes(b"%PDF-1.4")
    (folder / "notes.md").write_text("# notes", encoding="utf-8")
    (folder / "README.md").write_text("about", encoding="utf-8")
    assert main(["ingest", str(folder), "--db", str(tmp_path / "s.db")]) == EXIT_OK
    err = capsys.readouterr().err
    assert "2 files of other kinds left out" in err and ".md x1, .pdf x1" in err


def test_eval_spin_rates_option(capsys):
    """``eval spin --lm --rates``: a comma-separated list of rates in (0, 1), with ``--lm``."""
    from newstrace.cli import build_parser

    args = build_parser().parse_args(["eval", "spin", "--lm", "--rates", "0.3,0.2,0.2"])
    assert args.rates == (0.2, 0.3)
    assert build_parser().parse_args(["eval", "spin", "--lm"]).rates is None
    for bad in ("0", "1.5", "x", ","):
        with pytest.raises(SystemExit) as exc:
            build_parser().parse_args(["eval", "spin", "--lm", "--rates", bad])
        assert exc.value.code == EXIT_USAGE
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["eval", "spin", "--rates", "0.2"])
    assert exc.value.code == EXIT_USAGE
    assert "--rates needs --lm" in capsys.readouterr().err
