"""The fusion sweep and run provenance on the sample index: the sweep measures what `evals run` measures,
every run records its settings and index manifest, and `compare` says which settings differ."""

import json

import pytest

from evals.__main__ import main
from evals.dataset import in_tuning_split, load_dataset
from evals.runner import run_evaluation
from evals.sweep import sweep, sweep_table
from indexer.settings import RetrievalSettings, Settings

from ..helpers import ROOT

pytestmark = pytest.mark.slow

SAMPLE = ROOT / "evals" / "datasets" / "sample"
GRID = {"dense_weight": (1, 4), "rrf_k": (20, 60)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory, sample_index, embedder):
    tmp = tmp_path_factory.mktemp("sweep")
    defaults, equal = Settings(), Settings(retrieval=RetrievalSettings(dense_weight=1.0))
    a = run_evaluation(sample_index, SAMPLE, tmp / "a", ["hybrid"], split="test", settings=defaults, embedder=embedder)
    b = run_evaluation(sample_index, SAMPLE, tmp / "b", ["hybrid"], split="test", settings=equal, embedder=embedder)
    swept = sweep(sample_index, SAMPLE, tmp / "sweep", GRID, split="test", settings=defaults, embedder=embedder)
    return tmp, a, b, swept


def test_sweep_writes_one_row_per_combination_with_its_provenance(runs, sample_index):
    tmp, _, _, swept = runs
    written = json.loads((tmp / "sweep" / "sweep.json").read_text())
    assert written == swept
    assert sorted((r["dense_weight"], r["rrf_k"]) for r in written["rows"]) == [(1, 20), (1, 60), (4, 20), (4, 60)]
    ndcg = [r["section"]["ndcg@10"] for r in written["rows"]]
    assert ndcg == sorted(ndcg, reverse=True)
    assert all(r["scope_weight"] == 1.25 and r["candidates"] == 50 for r in written["rows"])
    assert [r["current"] for r in written["rows"]].count(True) == 1
    test_ids = [q.id for q in load_dataset(SAMPLE).queries if not in_tuning_split(q.id)]
    assert written["split"] == "test" and written["questions"] == len(test_ids)
    assert written["dataset"] == str(SAMPLE) and written["index"] == str(sample_index)
    assert written["settings"]["retrieval"]["dense_weight"] == 4.0
    assert written["index_manifest"]["counts"]["chunks"] > 0
    assert written["index_manifest"]["model"]["id"] == "sentence-transformers/all-MiniLM-L6-v2"


def test_the_defaults_row_reproduces_the_runs_hybrid_metrics_exactly(runs):
    _, a, b, swept = runs
    current = next(r for r in swept["rows"] if r["current"])
    assert (current["dense_weight"], current["rrf_k"]) == (4, 20)
    assert current["section"] == a["variants"]["hybrid"]["section"]
    # And the equal-weights row is what a run with dense_weight=1 measures.
    equal = next(r for r in swept["rows"] if (r["dense_weight"], r["rrf_k"]) == (1, 20))
    assert equal["section"] == b["variants"]["hybrid"]["section"]


def test_sweep_table_marks_the_best_and_the_current_settings(runs):
    *_, swept = runs
    lines = sweep_table(swept).splitlines()
    assert "test split" in lines[0] and "ndcg@10" in lines[1]
    assert lines[2].endswith("best") or lines[2].endswith("best, current")
    assert sum(line.endswith("current") for line in lines) == 1
    assert len(lines) == 2 + len(swept["rows"])


def test_run_records_the_settings_it_used_and_the_index_manifest(runs, sample_index):
    tmp, a, _, _ = runs
    metrics = json.loads((tmp / "a" / "metrics.json").read_text())
    assert metrics["split"] == "test"
    assert metrics["settings"]["index"] == str(sample_index)  # the index actually used, not the default
    assert metrics["settings"]["corpus"] == ["corpus"] and metrics["settings"]["retrieval"]["rrf_k"] == 20
    manifest = json.loads((sample_index / "manifest.json").read_text())
    assert metrics["index_manifest"] == manifest
    report = (tmp / "a" / "report.md").read_text()
    assert "- retrieval settings: top_k 8, candidates 50, rrf_k 20, dense_weight 4.0" in report


def test_compare_lists_the_changed_setting_before_the_metrics(runs, capsys):
    tmp, *_ = runs
    assert main(["compare", str(tmp / "a"), str(tmp / "b")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "settings that differ (A -> B):"
    assert lines[1].split() == ["retrieval.dense_weight", "4.0", "->", "1.0"]
    assert lines[2] == "index manifest: same in A and B"
    assert out.index("retrieval.dense_weight") < out.index("hybrid.section.ndcg@10")


def test_compare_names_the_index_differences_that_matter(runs, tmp_path, capsys):
    tmp, *_ = runs
    other = _copy_run(tmp / "a", tmp_path / "other")
    metrics = json.loads((other / "metrics.json").read_text())
    metrics["index_manifest"]["counts"]["chunks"] += 1
    metrics["index_manifest"]["chunker"]["include_headings"] = False
    built = metrics["index_manifest"]["model"]["precision"]
    other_precision = {"float32": "bfloat16", "bfloat16": "float32"}[built]
    metrics["index_manifest"]["model"]["precision"] = other_precision  # other vectors: a different measurement
    metrics["index_manifest"]["vector_store"] = "faiss-ivf"
    metrics["index_manifest"]["built_at"] = "2030-01-01T00:00:00+00:00"  # when, not what: not listed
    (other / "metrics.json").write_text(json.dumps(metrics))
    assert main(["compare", str(tmp / "a"), str(other)]) == 0
    out = capsys.readouterr().out
    assert "settings: same in A and B" in out
    assert "chunker.include_headings  true -> false" in out and "counts.chunks" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith("  ")}
    assert rows["model.precision"] == [f'"{built}"', "->", f'"{other_precision}"']
    assert rows["vector_store"] == ['"faiss-flat"', "->", '"faiss-ivf"']
    assert "built_at" not in out


def test_compare_on_a_run_from_before_provenance_does_not_fail(runs, tmp_path, capsys):
    tmp, *_ = runs
    old = _copy_run(tmp / "a", tmp_path / "old")
    metrics = json.loads((old / "metrics.json").read_text())
    del metrics["settings"], metrics["index_manifest"], metrics["split"]
    (old / "metrics.json").write_text(json.dumps(metrics))
    assert main(["compare", str(old), str(tmp / "b")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("settings not recorded in A")
    assert "index manifest not recorded in A" in out and "hybrid.section.ndcg@10" in out


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--dense-weight", "0"], "sweep grid: dense_weight must be greater than 0 and at most 10, got 0.0"),
        (["--rrf-k", "20,0"], "sweep grid: rrf_k must be between 1 and 1000, got 0"),
        (["--scope-weight", "0.5"], "sweep grid: scope_weight must be between 1 and 10, got 0.5"),
        (["--rrf-k", "1.5"], "argument --rrf-k: expected comma-separated int values, got '1.5'"),
        (["--split", "train"], "argument --split: invalid choice: 'train'"),
    ],
)
def test_bad_sweep_values_exit_2_with_the_reason(flags, message, tmp_path, capsys):
    """Refused before the model or the index is loaded: the paths need not exist."""
    argv = ["sweep", "--index", str(tmp_path / "none"), "--dataset", str(SAMPLE), "--out", str(tmp_path / "o")]
    try:
        code = main(argv + flags)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def _copy_run(run, to):
    to.mkdir()
    for name in ("metrics.json", "per_question.jsonl"):
        (to / name).write_bytes((run / name).read_bytes())
    return to
