"""A small MedQuAD evaluation end to end: convert, index without headings, run every variant, compare."""

import json
import xml.etree.ElementTree as ET

import pytest

from evals.__main__ import main
from evals.dataset import load_dataset
from evals.runner import run_evaluation
from indexer.build import build_index
from indexer.settings import ChunkSettings, Settings

from ..helpers import MEDQUAD, need_shared

FILES = ["0000001.xml", "0000003.xml", "0000030.xml"]


@pytest.fixture(scope="module")
def medquad_run(tmp_path_factory, embedder):
    folder = need_shared(MEDQUAD / "9_CDC_QA")
    tmp = tmp_path_factory.mktemp("mq")
    sources = [folder / f for f in FILES]
    assert main(["convert-medquad", *map(str, sources), "--out", str(tmp / "dataset")]) == 0
    settings = Settings(corpus=tuple(sources), index=tmp / "index", chunk=ChunkSettings(include_headings=False))
    build_index(settings, embedder=embedder)
    result = run_evaluation(tmp / "index", tmp / "dataset", tmp / "run", embedder=embedder)
    return tmp, result


def answered_pairs() -> int:
    """QA pairs with an answer, counted straight from the XML."""
    total = 0
    for f in FILES:
        root = ET.parse(MEDQUAD / "9_CDC_QA" / f).getroot()
        total += sum(1 for pair in root.iter("QAPair") if (pair.findtext("Answer") or "").strip())
    return total


def test_converter_points_each_question_at_its_own_section(medquad_run):
    tmp, _ = medquad_run
    dataset = load_dataset(tmp / "dataset")
    assert len(dataset.queries) == answered_pairs() > 10
    q = dataset.queries[0]
    assert q.id == "CDC_0000001_Sec1" and dataset.qrels[q.id] == {"CDC_0000001_Sec1": 1}
    assert q.reference_answer and q.text.endswith("?")


def test_run_writes_metrics_rows_report_and_plots(medquad_run):
    tmp, result = medquad_run
    run = tmp / "run"
    for name in ("metrics.json", "per_question.jsonl", "report.md", "recall_at_k.png", "latency.png"):
        assert (run / name).stat().st_size > 0, name
    assert set(result["variants"]) == {"hybrid", "dense", "bm25", "langchain", "naive-rrf"}
    assert result["headings_indexed"] is False
    report = (run / "report.md").read_text()
    assert "section headings in the indexed text: **no**" in report and "| langchain |" in report
    rows = [json.loads(line) for line in (run / "per_question.jsonl").read_text().splitlines()]
    assert len(rows) == answered_pairs() and all("hybrid" in r and "answer" in r for r in rows)
    for variant in result["variants"].values():
        for value in variant["section"].values():
            assert 0.0 <= value <= 1.0
    # Questions left out of the text, yet each finds its own answer section most of the time.
    assert result["variants"]["hybrid"]["section"]["recall@10"] >= 0.8
    assert result["answers"]["disclaimer_rate"] == 1.0
    assert result["answers"]["rouge_l"] is not None and result["answers"]["token_f1"] is not None


def test_compare_reports_deltas_and_changed_questions(medquad_run, tmp_path, capsys):
    tmp, _ = medquad_run
    assert main(["compare", str(tmp / "run"), str(tmp / "run")]) == 0
    out = capsys.readouterr().out
    assert "hybrid.section.ndcg@10" in out and "+0.000" in out
    assert out.rstrip().endswith("0 question(s) changed outcome:")
    changed = tmp_path / "changed"
    changed.mkdir()
    metrics = json.loads((tmp / "run" / "metrics.json").read_text())
    metrics["variants"]["hybrid"]["section"]["ndcg@10"] -= 0.25
    (changed / "metrics.json").write_text(json.dumps(metrics))
    rows = [json.loads(line) for line in (tmp / "run" / "per_question.jsonl").read_text().splitlines()]
    rows[0]["answer"]["abstained"] = not rows[0]["answer"]["abstained"]
    (changed / "per_question.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    assert main(["compare", str(tmp / "run"), str(changed)]) == 0
    out = capsys.readouterr().out
    assert "-0.250" in out and "1 question(s) changed outcome:" in out and rows[0]["id"] in out


def test_bad_dataset_and_variant_messages(tmp_path, medquad_run, capsys):
    tmp, _ = medquad_run
    (tmp_path / "queries.jsonl").write_text('{"_id": "a", "text": "ok"}\n{broken\n')
    assert main(["run", "--index", str(tmp / "index"), "--dataset", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "queries.jsonl:2: not a query line" in capsys.readouterr().err
    assert (
        main(
            [
                "run",
                "--index",
                str(tmp / "index"),
                "--dataset",
                str(tmp / "dataset"),
                "--out",
                str(tmp_path / "o"),
                "--variants",
                "hybrid,magic",
            ]
        )
        == 2
    )
    assert "unknown variant(s) magic" in capsys.readouterr().err
