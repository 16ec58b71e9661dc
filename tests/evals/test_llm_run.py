"""`evals run --composer llm`: beside the answer metrics, what the model wrote and what verification kept,
against a scripted model that changes the trastuzumab loading dose (tests/llm_server.py)."""

import json
import shutil

import pytest

from evals.__main__ import main
from evals.runner import run_evaluation
from indexer.settings import LLMSettings, Settings

from ..helpers import ROOT

IDS = ("mbc-10", "mbc-11", "mbc-12")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("llm-dataset")
    lines = (ROOT / "evals/datasets/sample/queries.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "queries.jsonl").write_text("\n".join(x for x in lines if json.loads(x)["_id"] in IDS) + "\n")
    (folder / "qrels").mkdir()
    shutil.copy(ROOT / "evals/datasets/sample/qrels/test.tsv", folder / "qrels/test.tsv")
    return folder


def test_llm_run_reports_claims_drops_fallbacks_and_stage_latency(sample_index, embedder, models, dataset, tmp_path):
    settings = Settings().replace(llm=LLMSettings(url=models.url, model="dose-changed"))
    result = run_evaluation(
        sample_index, dataset, tmp_path, ["bm25"], settings=settings, embedder=embedder, composer="llm"
    )
    llm = result["answers"]["llm"]
    assert result["answers"]["composer"] == "llm" and llm["questions_asked"] == 3
    assert llm["claims_dropped_by_reason"]["number"] >= 1  # "a loading dose of 6 mg/kg"
    assert llm["claims_generated"] == llm["claims_shown"] + sum(llm["claims_dropped_by_reason"].values())
    assert llm["numbers_not_found_in_shown"] == 0
    assert set(llm["latency_ms"]) == {f"{s}_{q}" for s in ("extractive", "generate", "verify") for q in ("p50", "p95")}
    assert result["settings"]["answer"]["composer"] == "llm" and result["settings"]["llm"]["api_key"] is None
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Answers (hybrid retrieval, llm composer)" in report and "## LLM composer" in report
    assert "| numbers shown that their cited passage lacks | 0 |" in report


def test_llm_run_without_an_endpoint_is_one_line(sample_index, dataset, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GUIDELINE_QA_LLM_URL", raising=False)
    argv = ["run", "--index", str(sample_index), "--dataset", str(dataset), "--out", str(tmp_path), "--composer", "llm"]
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("error: the llm composer needs a model endpoint")
    assert not (tmp_path / "metrics.json").exists()
