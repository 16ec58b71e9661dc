"""Fusion sweep: hybrid retrieval over a grid of RetrievalSettings, queries embedded once; sweep.json."""

from __future__ import annotations

import dataclasses
import itertools
import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from assistant.retrieve import Retriever
from indexer.errors import GuidelineQAError, SettingsError
from indexer.settings import RetrievalSettings, Settings

from .runner import K, _manifest_record, _progress, _settings_record, prepare, section_metrics
from .variants import OurRetriever

# The RetrievalSettings fields a sweep may vary; a knob the grid leaves out keeps the base settings' value.
KNOBS = ("dense_weight", "rrf_k", "scope_weight", "candidates")
SORT_BY = "ndcg@10"
SHOWN = ("ndcg@10", "mrr@10", "recall@10")


def sweep(
    index: Path,
    dataset_dir: Path,
    out: Path,
    grid: Mapping[str, Sequence[float]],
    *,
    split: str = "all",
    settings: Settings | None = None,
    progress: bool = False,
    embedder=None,
) -> dict:
    """Rank `dataset_dir` (its `split`) with hybrid retrieval under every combination of `grid`.

    Each combination is `settings.retrieval` with the grid's values replaced; the questions are embedded
    once, in one batch, as `evals run` embeds them, so a combination equal to the settings reproduces
    the run's hybrid section metrics exactly. Writes `out/sweep.json`; returns what it wrote.
    """
    started = time.perf_counter()
    grid = {k: tuple(v) for k, v in grid.items() if v}
    unknown = [k for k in grid if k not in KNOBS]
    if unknown:
        raise GuidelineQAError(f"cannot sweep {', '.join(unknown)}; choose from {', '.join(KNOBS)}")
    settings = settings or Settings.from_env()
    base = settings.retrieval
    combos = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    configs = [_retrieval_settings(base, combo) for combo in combos]  # a bad value fails before any loading
    assistant, dataset, queries, articles = prepare(index, dataset_dir, split, settings, embedder)
    vectors = assistant.index.embedder.encode(queries, progress=progress)

    rows = []
    for config in _progress(configs, progress, "sweep"):
        ranker = OurRetriever(Retriever(assistant.index, config), "hybrid")
        rankings = [ranker.rank(queries[i], vectors[i], articles[i], K) for i in range(len(queries))]
        means, _ = section_metrics(dataset, rankings)
        rows.append({**{k: getattr(config, k) for k in KNOBS}, "section": means, "current": config == base})
    rows.sort(key=lambda r: -(r["section"].get(SORT_BY) or 0.0))  # stable: ties keep the grid's order
    result = {
        "dataset": str(dataset_dir),
        "dataset_name": dataset.name,
        "split": split,
        "questions": len(dataset.queries),
        "judged": sum(1 for q in dataset.queries if dataset.qrels.get(q.id)),
        "index": str(index),
        "index_manifest": _manifest_record(assistant.index),
        "settings": _settings_record(assistant.settings),
        "grid": {k: list(v) for k, v in grid.items()},
        "sorted_by": f"section {SORT_BY}",
        "rows": rows,
        "wall_s": round(time.perf_counter() - started, 1),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "sweep.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def _retrieval_settings(base: RetrievalSettings, combo: Mapping[str, float]) -> RetrievalSettings:
    values = {k: int(v) if isinstance(getattr(base, k), int) else float(v) for k, v in combo.items()}
    try:
        return dataclasses.replace(base, **values)
    except SettingsError as exc:
        raise SettingsError(f"sweep grid: {exc}") from None


def sweep_table(result: dict) -> str:
    """The rows best first; `current` marks the settings the run used, `best` the top row."""
    knobs = list(result["grid"]) or ["dense_weight"]
    header = [*knobs, *SHOWN, ""]
    lines = [
        f"{result['dataset_name']} ({result['split']} split, {result['judged']} judged questions), "
        f"hybrid retrieval, section level, sorted by {SORT_BY}:",
        "  ".join(f"{h:>12}" for h in header).rstrip(),
    ]
    for i, row in enumerate(result["rows"]):
        marks = ", ".join(m for m, on in (("best", i == 0), ("current", row["current"])) if on)
        cells = [_knob(row[k]) for k in knobs] + [f"{row['section'].get(name, 0.0):.3f}" for name in SHOWN]
        lines.append("  ".join(f"{c:>12}" for c in [*cells, marks]).rstrip())
    if not any(row["current"] for row in result["rows"]):
        current = result["settings"]["retrieval"]
        lines.append("current settings (" + ", ".join(f"{k} {_knob(current[k])}" for k in knobs) + ") not in the grid")
    return "\n".join(lines)


def _knob(value: float) -> str:
    return f"{value:g}"
