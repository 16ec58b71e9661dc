"""`python -m assistant ask`: answers, batch JSONL, and one clear line for every bad input."""

import json
import shutil

import pytest

from assistant.__main__ import main


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
            lambda d: _edit_manifest(
                d, model={"id": "other/model", "requested": "all-MiniLM-L6-v2", "dimension": 384, "max_seq_length": 256}
            ),
            "was built with other/model but the loaded model is sentence-transformers/all-MiniLM-L6-v2",
        ),
        (lambda d: _edit_manifest(d, schema_version=99), "has index schema 99, this code reads 4"),
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
