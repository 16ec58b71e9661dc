"""The indexer's command line: messages and exit codes, and no torch where none is needed."""

import json
import subprocess
import sys

from indexer.__main__ import main

from ..helpers import ROOT, write_article

NO_TORCH = (
    "import sys, runpy\n"
    "sys.argv = ['indexer'] + sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_module('indexer', run_name='__main__')\n"
    "except SystemExit as e:\n"
    "    code = e.code\n"
    "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH')\n"
    "sys.exit(code)\n"
)


def run(*args):
    return subprocess.run([sys.executable, "-c", NO_TORCH, *args], capture_output=True, text=True, cwd=ROOT)


def test_info_prints_counts_without_loading_torch(sample_index):
    done = run("info", "--index", str(sample_index), "--json")
    assert done.returncode == 0, done.stderr
    out, marker = done.stdout.rsplit("\n", 2)[0], done.stdout.split()[-1]
    summary = json.loads(out)
    assert summary["documents"] == 4 and summary["unresolved_citations"] == 3
    assert summary["chunks"] > 20 and summary["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert marker == "NO-TORCH"
    text = run("info", "--index", str(sample_index))
    assert "unresolved_citations  3" in text.stdout


def test_up_to_date_index_is_not_rebuilt_and_torch_stays_out(sample_index):
    done = run("build", "--corpus", str(ROOT / "corpus"), "--index", str(sample_index), "--if-stale")
    assert done.returncode == 0, done.stderr
    assert f"index {sample_index} is up to date" in done.stdout
    assert done.stdout.split()[-1] == "NO-TORCH"


def test_missing_index_message_names_the_fix(tmp_path, capsys):
    assert main(["info", "--index", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: no index at {tmp_path / 'nope'}: build it with 'python -m indexer build")
    assert "Traceback" not in err


def test_strict_build_exits_2_with_one_line_per_problem(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write_article(corpus, "a", "Claim [1]. Another claim [3].")
    (corpus / "broken.md").write_text("---\nid: x\ntitle: [\n---\n")
    assert main(["build", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--strict"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"warning: {corpus / 'a.md'}:14: reference [3] is cited") for line in err)
    assert any(line.startswith(f"warning: {corpus / 'broken.md'}:4: malformed front matter") for line in err)
    assert err[-1] == "error: --strict: 2 problem(s) in the corpus; the index was not changed"
    assert not (tmp_path / "index").exists()


def test_escape_sequences_in_file_names_reach_the_terminal_defused(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write_article(corpus, "a", "Claim [1].")
    (corpus / "\x1b[2J\x1b]0;owned\x07.md").write_text("## No front matter\n\nText.\n")
    assert main(["build", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--strict"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert f"warning: {corpus}/\\x1b[2J\\x1b]0;owned\\x07.md:1: missing front matter" in err
