"""`python -m assistant ask`: answers, batch JSONL, and one clear line for every bad input."""

import json
import shutil

import pytest

from assistant.__main__ import main
from indexer.manifest import SCHEMA_VERSION


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_ask_prints_answer_sources_and_disclaimer(sample_index, capsys):
    assert (
        main(
            [
                "ask",
                "--index",
                str(sample_index),
                "--article",
                "metastatic-breast-cancer",
                "What loading dose of trastuzumab is used?",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "4 mg/kg IV over 90 minutes" in out and "[1]" in out
    assert "[1] How does breast cancer spread" in out and "HER2-positive disease" in out
    assert out.rstrip().endswith("before it informs patient care.")


def test_ask_json_has_the_documented_fields(sample_index, capsys):
    assert main(["ask", "--index", str(sample_index), "--json", "How is migraine prevented in adults?"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["abstained"] is True and answer["citations"] == []
    assert {"answer", "abstained", "citations", "retrieved", "disclaimer", "timings_ms"} <= set(answer)
    assert set(answer["timings_ms"]) >= {"embed", "retrieve", "compose", "total"}
    assert all(set(r) == {"chunk_id", "doc_id", "section_id", "score"} for r in answer["retrieved"])


def test_batch_answers_each_line_and_reports_bad_ones(sample_index, tmp_path, capsys):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(
            json.dumps(x)
            for x in [
                {"id": "a", "question": "What is the first-line treatment for HER2-positive metastatic breast cancer?"},
                {
                    "id": "b",
                    "question": "What loading dose is used?",
                    "article": "metastatic-breast-cancer",
                    "history": ["What is the first-line treatment for HER2-positive metastatic breast cancer?"],
                },
                {"id": "c", "question": "   "},
            ]
        )
        + "\n"
    )
    assert main(["ask", "--index", str(sample_index), "--questions", str(questions), "--json"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c"]
    assert "trastuzumab" in lines[0]["answer"]
    assert "4 mg/kg" in lines[1]["answer"]
    assert lines[1]["citations"][0]["section_id"] == "metastatic-breast-cancer/her2-positive-disease"
    assert lines[2] == {"id": "c", "error": "the question is empty; type a question about the guidelines"}


def test_batch_gives_every_line_one_output_line_in_order_and_bad_lines_cost_only_themselves(
    sample_index, tmp_path, capsys
):
    # Before: a line with "article": ["x"] or a lone surrogate was a TypeError traceback and every later
    # line went unanswered; one malformed JSON line refused the whole batch before any answer.
    questions = tmp_path / "q.jsonl"
    lines = [
        json.dumps(
            {"id": "a", "question": "What is the first-line treatment for HER2-positive metastatic breast cancer?"}
        ),
        "{not json",
        json.dumps({"id": "b", "question": "What dose?", "article": ["x"]}),
        json.dumps({"id": "c", "question": "dose \ud800 trastuzumab"}),
        json.dumps({"id": "d", "question": ""}),
        "",
        json.dumps({"id": "e", "question": "What dose?", "article": "no-such-article"}),
        '{"id": "f", "question": "dose NOT-UTF-8"}',
        json.dumps({"id": "\udcff", "question": 5}),
        json.dumps([1, 2]),
        json.dumps({"id": True, "question": "What dose?"}),
        json.dumps({"id": "g", "question": "What dose?", "history": "not a list"}),
        json.dumps(
            {"id": "h", "question": "What loading dose of trastuzumab is used?", "article": "metastatic-breast-cancer"}
        ),
    ]
    # as a careless export leaves it: one line with a Latin-1 byte
    questions.write_bytes("\n".join(lines).encode().replace(b"NOT-UTF-8", b"\xff") + b"\n")
    assert main(["ask", "--index", str(sample_index), "--questions", str(questions), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    out = [json.loads(line) for line in captured.out.splitlines()]
    where = str(questions)
    assert [(o["id"], o.get("error")) for o in out] == [
        ("a", None),
        ("2", f"{where}:2: not valid JSON (Expecting property name enclosed in double quotes)"),
        ("b", f"{where}:3: 'article' must be an article id (a string)"),
        ("c", "the question contains a character that is not valid text (U+D800) at position 6"),
        ("d", "the question is empty; type a question about the guidelines"),
        ("e", out[5]["error"]),
        ("8", f"{where}:8: not UTF-8 text (byte 0xff)"),
        ("\udcff", f"{where}:9: 'question' must be a string"),
        ("10", f'{where}:10: each line needs at least {{"id", "question"}}'),
        ("11", f"{where}:11: 'id' must be a string or a whole number"),
        ("g", f"{where}:12: 'history' must be a list of earlier questions"),
        ("h", None),
    ]
    assert out[5]["error"].startswith(f"no article with id 'no-such-article' in {sample_index} (articles: ")
    assert "trastuzumab" in out[0]["answer"] and "4 mg/kg" in out[-1]["answer"]


@pytest.mark.parametrize(
    "question, extra, message",
    [
        ("", [], "error: the question is empty"),
        ("   \n ", [], "error: the question is empty"),
        ("x" * 2001, [], "error: the question is 2,001 characters long; the limit is 2,000"),
        ("dose?\x07", [], "error: the question contains a control character (U+0007) at position 6"),
        # An invalid UTF-8 byte on the command line arrives as a lone surrogate.
        ("dose \udcff trastuzumab", [], "error: the question contains a character that is not valid text (U+DCFF)"),
        ("What dose?", ["--article", "no-such-article"], "error: no article with id 'no-such-article'"),
    ],
    ids=["empty", "whitespace", "too-long", "control", "lone-surrogate", "unknown-article"],
)
def test_bad_question_gets_one_line_and_exit_2(sample_index, capsys, question, extra, message):
    before = snapshot(sample_index)
    assert main(["ask", "--index", str(sample_index), *extra, question]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message) and captured.err.count("\n") == 1
    assert captured.out == "" and "Traceback" not in captured.err
    assert snapshot(sample_index) == before


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: shutil.rmtree(d), "no index at"),
        (
            lambda d: _edit_model(d, id="other/model"),
            "was built with other/model but the loaded model is sentence-transformers/all-MiniLM-L6-v2",
        ),
        (lambda d: _edit_manifest(d, schema_version=99), f"has index schema 99, this code reads {SCHEMA_VERSION}"),
        (lambda d: (d / "manifest.json").write_text("{not json"), "manifest.json is not valid JSON"),
    ],
    ids=["missing", "other-model", "other-schema", "corrupt-manifest"],
)
def test_unusable_index_gets_the_rebuild_command(sample_index, tmp_path, capsys, damage, message):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    damage(index)
    assert main(["ask", "--index", str(index), "What dose?"]) == 2
    err = capsys.readouterr().err
    assert message in err and "python -m indexer build" in err and "Traceback" not in err


def _edit_manifest(index, **changes):
    manifest = json.loads((index / "manifest.json").read_text())
    manifest.update(changes)
    (index / "manifest.json").write_text(json.dumps(manifest))


def _edit_model(index, **changes):
    model = json.loads((index / "manifest.json").read_text())["model"]
    _edit_manifest(index, model={**model, **changes})


def test_a_forced_precision_other_than_the_index_is_refused_with_the_fix(sample_index, monkeypatch, capsys):
    built = json.loads((sample_index / "manifest.json").read_text())["model"]["precision"]
    other = {"float32": "bfloat16", "bfloat16": "float32"}[built]
    monkeypatch.setenv("GUIDELINE_QA_PRECISION", other)
    assert main(["ask", "--index", str(sample_index), "What dose?"]) == 2
    err = capsys.readouterr().err
    assert f"holds passages embedded in {built}, but GUIDELINE_QA_PRECISION asks for {other}" in err
    assert f"GUIDELINE_QA_PRECISION={other} python -m indexer build" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    monkeypatch.setenv("GUIDELINE_QA_PRECISION", built)  # the index's own precision, forced, is fine
    assert main(["ask", "--index", str(sample_index), "What loading dose of trastuzumab is used?"]) == 0


def test_escape_sequences_in_corpus_text_reach_the_terminal_defused(tmp_path, embedder, capsys):
    from indexer.build import build_index
    from indexer.settings import Settings

    from ..helpers import write_article

    corpus = tmp_path / "corpus"
    # A claim that would clear the screen, retitle the terminal window and (C1 CSI) turn the text red.
    write_article(
        corpus,
        "esc",
        "Give trastuzumab 4 mg/kg IV as the loading dose \x1b[2J\x1b]0;owned\x07\x9b31m for HER2 disease [1].",
        title="What is the trastuzumab dose?",
    )
    index = tmp_path / "index"
    build_index(Settings(corpus=(corpus,), index=index), embedder=embedder)
    outputs = []
    for extra in ([], ["--json"]):
        assert main(["ask", "--index", str(index), *extra, "What loading dose of trastuzumab is used?"]) == 0
        outputs.append(capsys.readouterr().out)
    text, as_json = outputs
    assert not any(c in out for out in outputs for c in "\x1b\x07\x9b"), outputs
    assert "4 mg/kg IV as the loading dose \\x1b[2J\\x1b]0;owned\\x07\\x9b31m for HER2" in text  # shown, not obeyed
    answer = json.loads(as_json)["answer"]
    assert "\x1b[2J\x1b]0;owned\x07\x9b31m" in answer  # the JSON still carries the text exactly
